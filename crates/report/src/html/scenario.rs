//! One scenario's section: what ran, where the expectations came from, links to the
//! recording, the plots, the verdicts (failures first) and the firmware log.

use super::links::href;
use super::svg::escape;
use super::{anchor, badge, outcome_badge, plots, series};
use crate::{RunInfo, ScenarioResult, Status};
use needlebench_checks::{ExpectationSource, Outcome, Verdict};
use std::fmt::Write;

/// Whether the attention filter keeps it: scenarios CI fails on.
pub(super) fn needs_attention(status: Status) -> bool {
    status.is_failure()
}

pub(super) fn section(s: &mut String, i: usize, r: &ScenarioResult, info: &RunInfo) {
    let status = r.status();
    let class = if needs_attention(status) {
        "attn"
    } else {
        "ok"
    };
    let _ = write!(
        s,
        r#"<section class="card scenario {class}" id="{}"><h2>{} {}</h2><p class="sub"><code>{}</code>"#,
        anchor(i, &r.name),
        escape(&r.name),
        badge(status),
        escape(&r.path)
    );
    if let Some(run) = &r.run {
        let _ = write!(
            s,
            " · seed {} · {} punctures · {} ticks · {:.1} s simulated · {:.1} s wall · {}",
            run.seed,
            run.punctures,
            run.ticks,
            run.sim_s,
            r.wall_s,
            escape(&run.completion)
        );
    }
    s.push_str("</p>");
    if r.negative {
        s.push_str(
            r#"<p class="sub">Tagged <b>negative</b>: this scenario must fail its checks; a failed criterion here is the expected result.</p>"#,
        );
    }
    if let Some(d) = &r.divergence {
        let _ = write!(
            s,
            r#"<p class="warn"><b>Flaky:</b> repeated runs with the same seed gave different verdicts: {}</p>"#,
            escape(d)
        );
    }
    let report = match &r.report {
        Err(why) => {
            let _ = write!(
                s,
                r#"<p><b>Could not run:</b></p><div class="error">{}</div></section>"#,
                escape(why)
            );
            return;
        }
        Ok(report) => report,
    };
    let expectations = escape(&report.expectations.describe());
    if report.expectations == ExpectationSource::None {
        let _ = write!(
            s,
            r#"<p class="unverified"><b>Expectations:</b> {expectations}. The criteria that depend on the scenario were not checked: this recording is not verified.</p>"#
        );
    } else {
        let _ = write!(
            s,
            r#"<p class="sub"><b>Expectations:</b> {expectations}</p>"#
        );
    }
    recording_links(s, &info.html_dir, &report.recording, &r.recording_files);
    let limits = r.limits.resolve(report);
    s.push_str(r#"<div class="plots"><figure><h3>Punctures per cm² over the treated area</h3>"#);
    s.push_str(&plots::heat_map(&report.density, limits.density_per_cm2));
    s.push_str("</figure><figure><h3>Depth reached, by layer</h3>");
    s.push_str(&plots::depth_histogram(&report.depths, &limits));
    s.push_str(
        "</figure></div><h3>Motor current, stroke frequency, depth, battery and hand force over time</h3>",
    );
    s.push_str(&series::time_series(
        &report.series,
        &report.markers,
        &limits,
    ));
    s.push_str("<h3>Verdicts</h3>");
    verdicts(s, &report.verdicts);
    if !report.firmware_log.is_empty() {
        let _ = write!(
            s,
            "<details><summary>Firmware events and log ({} lines)</summary><pre>{}</pre></details>",
            report.firmware_log.len(),
            escape(&report.firmware_log.join("\n"))
        );
    }
    s.push_str("</section>\n");
}

/// The recording directory and each of its files, linked relative to the page.
fn recording_links(s: &mut String, page_dir: &str, dir: &str, files: &[String]) {
    let _ = write!(
        s,
        r#"<p class="sub files"><b>Recording:</b> <a href="{}">{}</a>"#,
        escape(&href(page_dir, dir, "")),
        escape(dir)
    );
    for f in files {
        let _ = write!(
            s,
            r#" · <a href="{}">{}</a>"#,
            escape(&href(page_dir, dir, f)),
            escape(f)
        );
    }
    s.push_str("</p>");
}

/// Where a verdict row goes: failures first, then not checked, acceptable, pass, and the
/// not-applicable ones last.
fn rank(o: Outcome) -> u8 {
    match o {
        Outcome::Fail => 0,
        Outcome::NotChecked => 1,
        Outcome::Acceptable => 2,
        Outcome::Pass => 3,
        Outcome::NotApplicable => 4,
    }
}

fn verdicts(s: &mut String, verdicts: &[Verdict]) {
    if verdicts.is_empty() {
        s.push_str(r#"<p class="nodata">no verdicts</p>"#);
        return;
    }
    let mut sorted: Vec<&Verdict> = verdicts.iter().collect();
    sorted.sort_by_key(|v| rank(v.outcome));
    s.push_str(
        r#"<table class="verdicts"><thead><tr><th>outcome</th><th>criterion</th><th>what was checked</th><th class="num">actual</th><th>expected</th><th>first failure</th></tr></thead><tbody>"#,
    );
    for v in sorted {
        let mut at = Vec::new();
        if let Some(w) = &v.first_failure {
            if let Some(t) = w.t_us {
                at.push(format!("t = {:.3} s", t as f64 / 1e6));
            }
            if let Some(x) = w.x_mm {
                at.push(format!("x = {x:.1} mm"));
            }
            if let Some(y) = w.y_mm {
                at.push(format!("y = {y:.1} mm"));
            }
        }
        let filter = if matches!(v.outcome, Outcome::Pass | Outcome::NotApplicable) {
            " v-ok"
        } else {
            ""
        };
        let _ = write!(
            s,
            r#"<tr class="{}{filter}"><td>{}</td><td><code>{}</code></td><td>{}</td><td class="num">{}</td><td>{}</td><td>{}</td></tr>"#,
            v.outcome.name(),
            outcome_badge(v.outcome),
            escape(&v.criterion),
            escape(&v.description),
            escape(&v.actual_text),
            escape(&v.expected),
            escape(&at.join(", "))
        );
    }
    s.push_str("</tbody></table>");
}
