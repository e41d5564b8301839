//! HTML and CSV of a [`VerificationReport`] (its JSON is its serde form).

use super::{VerificationReport, plots};
use crate::html::svg::escape;
use needlebench_checks::Outcome;
use std::fmt::Write as _;

fn class(o: Outcome) -> &'static str {
    match o {
        Outcome::Pass | Outcome::Acceptable => "pass",
        Outcome::NotApplicable => "na",
        Outcome::NotChecked | Outcome::Fail => "fail",
    }
}

/// One self-contained HTML page: header (disclaimer, versions, firmware, command line), a
/// table per requirement with its evidence, the plots, and the variants with their scenario
/// hashes and seeds. Links are relative to the report's directory.
pub fn verification_html(r: &VerificationReport) -> String {
    let mut o = String::with_capacity(64 * 1024);
    o.push_str(r#"<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>Design verification report</title><style>
body{font-family:system-ui,sans-serif;margin:2em;max-width:1200px}table{border-collapse:collapse;margin:0.5em 0 1.5em}
td,th{border:1px solid #bbb;padding:3px 6px;text-align:left;vertical-align:top;font-size:13px}
.pass{color:#05704a;font-weight:bold}.fail{color:#b00020;font-weight:bold}.na{color:#666;font-weight:bold}
.note{background:#fff4d6;border:1px solid #e0b84c;padding:0.6em}.grid{stroke:#eee}.frame{fill:none;stroke:#444}
.tick{stroke:#444}.tl{font-size:11px}.at{font-size:12px}code{font-size:12px}</style></head><body>
<h1>Design verification report</h1>"#);
    let _ = write!(
        o,
        r#"<p class="note"><strong>{}</strong></p><table>
<tr><th>needlebench</th><td>{}</td></tr><tr><th>firmware under test</th><td>{}</td></tr>
<tr><th>suite</th><td>{}</td></tr><tr><th>reproduce with</th><td><code>{}</code></td></tr>
<tr><th>variants</th><td>{}</td></tr><tr><th>overall</th><td class="{}">{}</td></tr></table>"#,
        escape(r.disclaimer),
        escape(&r.info.needlebench_version),
        escape(&r.firmware.join("; ")),
        escape(&r.info.suite),
        escape(&r.info.command_line),
        r.variants.len(),
        if r.all_met() { "pass" } else { "fail" },
        if r.all_met() {
            "every requirement met"
        } else {
            "some requirements NOT met"
        },
    );
    o.push_str("<h2>Requirements</h2><table><tr><th>id</th><th>requirement</th><th>method</th><th>acceptance criterion</th><th>result</th><th>special control</th></tr>");
    for q in &r.requirements {
        let _ = write!(
            o,
            r##"<tr><td><a href="#{id}">{id}</a></td><td>{}</td><td>{}</td><td>{}</td><td class="{}">{} ({} of {} judged)</td><td>{}</td></tr>"##,
            escape(q.def.requirement),
            escape(q.def.method),
            escape(q.def.acceptance),
            class(q.result),
            q.result.label(),
            q.judged,
            q.evidence.len(),
            escape(q.def.special_control),
            id = q.def.id,
        );
    }
    o.push_str("</table>");
    for q in &r.requirements {
        let _ = write!(
            o,
            r#"<h2 id="{id}">{id}: {}</h2><p>{} <span class="{}">{}</span></p>"#,
            escape(q.def.criterion),
            escape(q.def.special_control),
            class(q.result),
            q.result.label(),
            id = q.def.id,
        );
        o.push_str(&plots::for_requirement(q));
        o.push_str(
            "<table><tr><th>variant</th><th>result</th><th>measured</th><th>evidence</th></tr>",
        );
        for e in &q.evidence {
            let _ = write!(
                o,
                r#"<tr><td>{}</td><td class="{}">{}</td><td>{}</td><td><a href="{rec}/">recording</a> · <a href="{rec}/telemetry.csv">telemetry</a> · <a href="{rec}/events.csv">events</a></td></tr>"#,
                escape(&e.variant),
                class(e.outcome),
                e.outcome.label(),
                escape(&e.actual),
                rec = escape(&e.recording),
            );
        }
        o.push_str("</table>");
    }
    o.push_str("<h2>Variants</h2><table><tr><th>variant</th><th>scenario</th><th>SHA-256</th><th>seed</th><th>status</th></tr>");
    for v in &r.variants {
        let status = match &v.report {
            Ok(rep) => rep.completion.clone(),
            Err(e) => format!("could not run: {e}"),
        };
        let _ = write!(
            o,
            "<tr><td>{}</td><td>{}</td><td><code>{}</code></td><td>{}</td><td>{}</td></tr>",
            escape(&v.name),
            escape(&v.scenario_path),
            escape(&v.scenario_hash),
            v.seed,
            escape(&status)
        );
    }
    o.push_str("</table></body></html>\n");
    o
}

/// CSV, one row per requirement and variant: `requirement_id, requirement, acceptance,
/// special_control, requirement_result, variant, outcome, measured, recording`. Results are
/// the outcome names (`pass`, `fail`, `not_applicable`, …).
pub fn verification_csv(r: &VerificationReport) -> Result<String, csv::Error> {
    let mut w = csv::Writer::from_writer(Vec::new());
    w.write_record([
        "requirement_id",
        "requirement",
        "acceptance",
        "special_control",
        "requirement_result",
        "variant",
        "outcome",
        "measured",
        "recording",
    ])?;
    for q in &r.requirements {
        for e in &q.evidence {
            w.write_record([
                q.def.id,
                q.def.requirement,
                q.def.acceptance,
                q.def.special_control,
                q.result.name(),
                &e.variant,
                e.outcome.name(),
                &e.actual,
                &e.recording,
            ])?;
        }
    }
    let bytes = w.into_inner().map_err(|e| e.into_error())?;
    Ok(String::from_utf8_lossy(&bytes).into_owned())
}
