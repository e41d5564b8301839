//! The HTML report as a QA lead reads it: one self-contained page (plots as inline SVG, no
//! script, no external files), so it opens from the file system and can be attached to a CI
//! run as is.
//!
//! Layout: the run (needlebench version, command line, seeds, host, start time, duration),
//! the totals, a CSS-only filter (a checkbox: show only the scenarios CI fails on, and in
//! them only the criteria that did not pass), then the scenarios worst first: a summary
//! table linking to their sections, and per scenario where its expectations came from, links
//! to its recording directory and files (relative to [`RunInfo::html_dir`]), the density
//! heat map with the allowed range, the depth histogram with layer boundaries, depth limits
//! and forbidden layers, motor current / stroke frequency / depth / battery voltage / hand
//! force over time with limit lines and events in words, the verdict table (failures first;
//! not checked and not applicable styled apart), and the firmware log folded away in a
//! `<details>`. Colours are colour-blind safe (viridis, Okabe–Ito) and every badge also says
//! its outcome in words.

mod links;
pub mod plots;
mod scenario;
pub mod series;
pub mod svg;

use crate::{RunInfo, ScenarioResult, Status, totals};
pub use links::relative;
use needlebench_checks::Outcome;
pub use series::event_words;
use std::fmt::Write;
pub use svg::escape;

const STYLE: &str = r#"
body{font:14px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;color:#222;margin:0;background:#f4f5f7}
main{max-width:1240px;margin:0 auto;padding:20px 24px 60px}
h1{font-size:24px;margin:8px 0 4px}h2{font-size:19px;margin:0 0 2px}h3{font-size:14px;margin:14px 0 6px;color:#444}
.card{background:#fff;border:1px solid #dde;border-radius:8px;padding:16px 20px;margin:18px 0;box-shadow:0 1px 2px #0001}
.sub{color:#555;font-size:13px;margin:0 0 8px}.sub code{font-size:12px}
.totals{display:flex;gap:10px;flex-wrap:wrap;margin:10px 0}
.tot{padding:8px 14px;border-radius:6px;background:#fff;border:1px solid #dde;font-size:13px}.tot b{font-size:20px;display:block}
table{border-collapse:collapse;width:100%;font-size:13px}th,td{text-align:left;padding:5px 8px;border-bottom:1px solid #e6e6ea;vertical-align:top}
th{background:#f0f1f4;font-weight:600}td.num,th.num{text-align:right;font-variant-numeric:tabular-nums}
table.verdicts td:nth-child(5){white-space:nowrap}table.verdicts td:nth-child(6){min-width:150px}
tr.fail td{background:#fdf0e8}tr.acceptable td{background:#fdf8e6}tr.not_checked td{background:#f1ebf7}tr.not_applicable td{color:#777}
.badge{display:inline-block;min-width:62px;text-align:center;border-radius:10px;padding:1px 8px;font-size:11px;font-weight:700;letter-spacing:.04em;text-transform:uppercase}
.b-pass{background:#009E73;color:#fff}.b-acceptable{background:#E69F00;color:#000}.b-fail{background:#D55E00;color:#fff}.b-expected-fail{background:#0072B2;color:#fff}.b-not-run{background:#555;color:#fff}
.b-not-checked{background:repeating-linear-gradient(45deg,#7b4f9e,#7b4f9e 4px,#946bb5 4px,#946bb5 8px);color:#fff}.b-na{background:#fff;color:#666;border:1px dashed #999;font-weight:600}
.plots{display:flex;flex-wrap:wrap;gap:12px 28px;align-items:flex-start}
.plots figure{margin:0}
svg.plot{display:block;font-size:11px;max-width:100%;height:auto}
svg .frame{fill:none;stroke:#666;stroke-width:1}svg .tick{stroke:#666}svg .grid{stroke:#ececec}
svg .tl{fill:#444;font-size:11px}svg .at{fill:#333;font-size:12px;font-weight:600}
svg .band0{fill:#f6f6f6}svg .band1{fill:#e9edf2}svg .layer{fill:#555;font-size:11px;font-weight:600}
svg .boundary{stroke:#333;stroke-dasharray:4 3}svg .trace{fill:none;stroke-width:1.4}svg .mk{font-size:11px;font-weight:600}
svg .cell{stroke:#fff;stroke-width:.3}svg .cell.over{stroke:#D55E00;stroke-width:2}svg .cell.under{stroke:#000;stroke-width:1.5;stroke-dasharray:3 2}
svg .limit line{stroke:#D55E00;stroke-width:1.6}svg .limit text{fill:#D55E00;font-size:11px;font-weight:600}svg .band{fill:#56B4E9;opacity:.15}svg .forbidden{fill:#f9d9c6}svg .nodata-svg{fill:#888;font-style:italic}
.legend{font-size:12px;color:#444;margin:4px 0 0 66px;max-width:420px}.legend span{white-space:nowrap;margin-right:8px}
.nodata{color:#777;font-style:italic}
.error{background:#f3f3f3;border-left:4px solid #555;padding:8px 12px;white-space:pre-wrap;font-family:ui-monospace,monospace;font-size:12px}
.warn{background:#fdf0e8;border-left:4px solid #D55E00;padding:8px 12px}
details pre{max-height:320px;overflow:auto;background:#f7f7f9;padding:8px;font-size:12px}
a{color:#0072B2}
dl.meta{display:grid;grid-template-columns:max-content 1fr;gap:2px 14px;margin:8px 0;font-size:13px}dl.meta dt{color:#555}dl.meta dd{margin:0}dl.meta code{white-space:pre-wrap;word-break:break-all}
.unverified{background:#f1ebf7;border-left:4px solid #7b4f9e;padding:8px 12px}.files a{margin:0 2px}
.filter{margin:0 6px 0 0}.filter-label{font-size:13px;cursor:pointer}
#attention:checked ~ .card tr.ok,#attention:checked ~ section.ok,#attention:checked ~ section tr.v-ok{display:none}
"#;

/// The whole page for `results` of the run `info`.
pub fn html(results: &[ScenarioResult], info: &RunInfo) -> String {
    let mut s = String::with_capacity(64 * 1024);
    s.push_str(
        "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\
         <title>needlebench regression report</title><style>",
    );
    s.push_str(STYLE);
    s.push_str("</style></head><body><main>\n<h1>needlebench regression report</h1>");
    run_info(&mut s, results, info);
    totals_row(&mut s, results);
    s.push_str(
        r#"<input type="checkbox" id="attention" class="filter"><label for="attention" class="filter-label">Show only what needs attention: scenarios that failed, were not checked or could not run, and in them the criteria that did not pass</label>"#,
    );
    let order = worst_first(results);
    summary(&mut s, results, &order);
    for &i in &order {
        scenario::section(&mut s, i, &results[i], info);
    }
    s.push_str("</main></body></html>\n");
    s
}

/// Indices of `results`, the scenarios CI fails on first (not run, fail, not checked), then
/// acceptable, expected fail and pass; the run's order within each.
fn worst_first(results: &[ScenarioResult]) -> Vec<usize> {
    let rank = |st: Status| match st {
        Status::NotRun => 0,
        Status::Fail => 1,
        Status::NotChecked => 2,
        Status::Acceptable => 3,
        Status::ExpectedFail => 4,
        Status::Pass => 5,
    };
    let mut order: Vec<usize> = (0..results.len()).collect();
    order.sort_by_key(|&i| rank(results[i].status()));
    order
}

/// The anchor of scenario `i`: its index and name, reduced to `[a-z0-9-]`.
fn anchor(i: usize, name: &str) -> String {
    let slug: String = name
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() {
                c.to_ascii_lowercase()
            } else {
                '-'
            }
        })
        .collect();
    format!("s{i}-{slug}")
}

fn badge(status: Status) -> String {
    let class = status.name().replace(' ', "-");
    format!(r#"<span class="badge b-{class}">{}</span>"#, status.name())
}

/// A criterion's badge: its label (`N/A`, `NOT CHECKED`…), not-applicable and not-checked
/// styled apart from pass and fail.
fn outcome_badge(o: Outcome) -> String {
    let class = match o {
        Outcome::NotApplicable => "na",
        Outcome::Pass => "pass",
        Outcome::Acceptable => "acceptable",
        Outcome::NotChecked => "not-checked",
        Outcome::Fail => "fail",
    };
    format!(r#"<span class="badge b-{class}">{}</span>"#, o.label())
}

/// Seconds for people: `12.5 s`, `3 min 05 s`, `1 h 02 min`.
fn duration(s: f64) -> String {
    if !s.is_finite() || s < 0.0 {
        return "unknown".to_owned();
    }
    let whole = s.round() as u64;
    match whole {
        _ if s < 60.0 => format!("{s:.1} s"),
        w if w < 3600 => format!("{} min {:02} s", w / 60, w % 60),
        w => format!("{} h {:02} min", w / 3600, (w % 3600) / 60),
    }
}

fn run_info(s: &mut String, results: &[ScenarioResult], info: &RunInfo) {
    let mut seeds: Vec<u64> = results
        .iter()
        .filter_map(|r| r.run.as_ref())
        .map(|r| r.seed)
        .collect();
    seeds.sort_unstable();
    seeds.dedup();
    let seeds = match seeds.as_slice() {
        [] => "none (nothing ran)".to_owned(),
        [one] => one.to_string(),
        many => format!(
            "{} (per scenario in the table)",
            many.iter()
                .map(u64::to_string)
                .collect::<Vec<_>>()
                .join(", ")
        ),
    };
    let _ = write!(
        s,
        r#"<dl class="meta"><dt>needlebench</dt><dd>{}</dd><dt>command line</dt><dd><code>{}</code></dd><dt>seeds</dt><dd>{}</dd><dt>host</dt><dd>{}</dd><dt>started</dt><dd>{}</dd><dt>duration</dt><dd>{} ({} parallel jobs)</dd></dl>"#,
        escape(&info.needlebench_version),
        escape(&info.command_line),
        escape(&seeds),
        escape(&info.host),
        escape(&info.started_utc),
        duration(info.duration_s),
        info.jobs
    );
}

fn totals_row(s: &mut String, results: &[ScenarioResult]) {
    let t = totals(results);
    let _ = write!(
        s,
        r#"<div class="totals"><div class="tot"><b>{}</b>scenarios</div>"#,
        t.scenarios
    );
    for (n, status) in [
        (t.fail, Status::Fail),
        (t.not_checked, Status::NotChecked),
        (t.not_run, Status::NotRun),
        (t.acceptable, Status::Acceptable),
        (t.expected_fail, Status::ExpectedFail),
        (t.pass, Status::Pass),
    ] {
        let _ = write!(s, r#"<div class="tot"><b>{n}</b>{}</div>"#, badge(status));
    }
    s.push_str("</div>");
}

fn summary(s: &mut String, results: &[ScenarioResult], order: &[usize]) {
    s.push_str(
        r#"<div class="card"><table class="summary"><thead><tr><th>scenario</th><th>outcome</th><th>failed criteria / reason</th><th class="num">seed</th><th class="num">punctures</th><th class="num">simulated s</th><th class="num">wall s</th></tr></thead><tbody>"#,
    );
    for &i in order {
        let r = &results[i];
        let status = r.status();
        let (seed, punctures, sim) = match &r.run {
            Some(run) => (
                run.seed.to_string(),
                run.punctures.to_string(),
                format!("{:.1}", run.sim_s),
            ),
            None => ("–".to_owned(), "–".to_owned(), "–".to_owned()),
        };
        let class = status.name().replace(' ', "-");
        let filter = if scenario::needs_attention(status) {
            "attn"
        } else {
            "ok"
        };
        let _ = write!(
            s,
            r##"<tr class="{class} {filter}"><td><a href="#{}">{}</a></td><td>{}</td><td>{}</td><td class="num">{seed}</td><td class="num">{punctures}</td><td class="num">{sim}</td><td class="num">{:.1}</td></tr>"##,
            anchor(i, &r.name),
            escape(&r.name),
            badge(status),
            escape(&r.detail()),
            r.wall_s
        );
    }
    s.push_str("</tbody></table></div>\n");
}

#[cfg(test)]
mod tests;
