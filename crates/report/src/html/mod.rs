//! The HTML report: one self-contained page, plots as inline SVG, no script, no external
//! files, so it opens from the file system and can be attached to a CI run as is.
//!
//! Layout: a summary at the top (totals, then a table of scenarios linking to their
//! sections), then per scenario the density heat map, the depth histogram with layer
//! boundaries, motor current / stroke frequency / depth over time with fault and injection
//! markers, the verdict table with pass/acceptable/fail badges, and the firmware log folded
//! away in a `<details>`. Colours are colour-blind safe (viridis, Okabe–Ito) and every badge
//! also says its outcome in words.

pub mod plots;
pub mod svg;

use crate::{RunInfo, ScenarioResult, Status, totals};
use needlebench_checks::{Outcome, Verdict};
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
tr.fail td{background:#fdf0e8}tr.acceptable td{background:#fdf8e6}
.badge{display:inline-block;min-width:62px;text-align:center;border-radius:10px;padding:1px 8px;font-size:11px;font-weight:700;letter-spacing:.04em;text-transform:uppercase}
.b-pass{background:#009E73;color:#fff}.b-acceptable{background:#E69F00;color:#000}.b-fail{background:#D55E00;color:#fff}.b-expected-fail{background:#0072B2;color:#fff}.b-not-run{background:#555;color:#fff}
.plots{display:flex;flex-wrap:wrap;gap:12px 28px;align-items:flex-start}
.plots figure{margin:0}
svg.plot{display:block;font-size:11px;max-width:100%;height:auto}
svg .frame{fill:none;stroke:#666;stroke-width:1}svg .tick{stroke:#666}svg .grid{stroke:#ececec}
svg .tl{fill:#444;font-size:11px}svg .at{fill:#333;font-size:12px;font-weight:600}
svg .band0{fill:#f6f6f6}svg .band1{fill:#e9edf2}svg .layer{fill:#555;font-size:11px;font-weight:600}
svg .boundary{stroke:#333;stroke-dasharray:4 3}svg .trace{fill:none;stroke-width:1.4}svg .mk{font-size:11px;font-weight:600}
svg .cell{stroke:#fff;stroke-width:.3}
.legend{font-size:12px;color:#444;margin:4px 0 0 66px;max-width:420px}.legend span{white-space:nowrap;margin-right:8px}
.nodata{color:#777;font-style:italic}
.error{background:#f3f3f3;border-left:4px solid #555;padding:8px 12px;white-space:pre-wrap;font-family:ui-monospace,monospace;font-size:12px}
.warn{background:#fdf0e8;border-left:4px solid #D55E00;padding:8px 12px}
details pre{max-height:320px;overflow:auto;background:#f7f7f9;padding:8px;font-size:12px}
a{color:#0072B2}
"#;

/// The whole page for `results`.
pub fn html(results: &[ScenarioResult], _info: &RunInfo) -> String {
    let mut s = String::with_capacity(64 * 1024);
    s.push_str(
        "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\
         <title>needlebench regression report</title><style>",
    );
    s.push_str(STYLE);
    s.push_str("</style></head><body><main>\n");
    summary(&mut s, results);
    for (i, r) in results.iter().enumerate() {
        scenario(&mut s, i, r);
    }
    s.push_str("</main></body></html>\n");
    s
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

fn outcome_badge(o: Outcome) -> String {
    badge(match o {
        Outcome::Pass => Status::Pass,
        Outcome::Acceptable => Status::Acceptable,
        Outcome::Fail => Status::Fail,
        Outcome::NotChecked | Outcome::NotApplicable => Status::NotChecked,
    })
}

fn summary(s: &mut String, results: &[ScenarioResult]) {
    let t = totals(results);
    s.push_str("<h1>needlebench regression report</h1>");
    let _ = write!(
        s,
        r#"<div class="totals"><div class="tot"><b>{}</b>scenarios</div>"#,
        t.scenarios
    );
    for (n, status) in [
        (t.pass, Status::Pass),
        (t.acceptable, Status::Acceptable),
        (t.expected_fail, Status::ExpectedFail),
        (t.not_checked, Status::NotChecked),
        (t.fail, Status::Fail),
        (t.not_run, Status::NotRun),
    ] {
        let _ = write!(s, r#"<div class="tot"><b>{n}</b>{}</div>"#, badge(status));
    }
    s.push_str("</div>");
    s.push_str(
        r#"<div class="card"><table><thead><tr><th>scenario</th><th>outcome</th><th>failed criteria / reason</th><th class="num">punctures</th><th class="num">simulated s</th><th class="num">wall s</th></tr></thead><tbody>"#,
    );
    for (i, r) in results.iter().enumerate() {
        let status = r.status();
        let detail = r.detail();
        let (punctures, sim) = match &r.run {
            Some(run) => (run.punctures.to_string(), format!("{:.1}", run.sim_s)),
            None => ("–".to_owned(), "–".to_owned()),
        };
        let class = status.name().replace(' ', "-");
        let _ = write!(
            s,
            r##"<tr class="{class}"><td><a href="#{}">{}</a></td><td>{}</td><td>{}</td><td class="num">{punctures}</td><td class="num">{sim}</td><td class="num">{:.1}</td></tr>"##,
            anchor(i, &r.name),
            escape(&r.name),
            badge(status),
            escape(&detail),
            r.wall_s
        );
    }
    s.push_str("</tbody></table></div>\n");
}

fn scenario(s: &mut String, i: usize, r: &ScenarioResult) {
    let _ = write!(
        s,
        r#"<section class="card" id="{}"><h2>{} {}</h2><p class="sub"><code>{}</code>"#,
        anchor(i, &r.name),
        escape(&r.name),
        badge(r.status()),
        escape(&r.path)
    );
    if let Some(run) = &r.run {
        let _ = write!(
            s,
            " · {} punctures · {} ticks · {:.1} s simulated · {:.1} s wall · {}",
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
    s.push_str(r#"<div class="plots"><figure><h3>Punctures per cm² over the treated area</h3>"#);
    s.push_str(&plots::heat_map(&report.density));
    s.push_str("</figure><figure><h3>Depth reached, by layer</h3>");
    s.push_str(&plots::depth_histogram(&report.depths));
    s.push_str("</figure></div><h3>Motor current, stroke frequency and depth over time</h3>");
    s.push_str(&plots::time_series(&report.series, &report.markers));
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

fn verdicts(s: &mut String, verdicts: &[Verdict]) {
    if verdicts.is_empty() {
        s.push_str(r#"<p class="nodata">no verdicts</p>"#);
        return;
    }
    s.push_str(
        r#"<table class="verdicts"><thead><tr><th>outcome</th><th>criterion</th><th>what was checked</th><th class="num">actual</th><th>expected</th><th>first failure</th></tr></thead><tbody>"#,
    );
    for v in verdicts {
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
        let _ = write!(
            s,
            r#"<tr class="{}"><td>{}</td><td><code>{}</code></td><td>{}</td><td class="num">{}</td><td>{}</td><td>{}</td></tr>"#,
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::fixture;

    #[test]
    fn one_heat_map_per_scenario_that_ran_with_all_its_cells() {
        let results = fixture::suite();
        let page = html(&results, &fixture::run_info());
        assert_eq!(page.matches(r#"<svg class="plot heatmap""#).count(), 3);
        // 4×3 + 5×2 + 2×2 grid cells.
        assert_eq!(page.matches(r#"<rect class="cell"#).count(), 12 + 10 + 4);
        assert_eq!(page.matches(r#"<svg class="plot histogram""#).count(), 3);
        assert_eq!(page.matches(r#"<svg class="plot series""#).count(), 3);
    }

    #[test]
    fn names_and_messages_are_escaped() {
        let page = html(&fixture::suite(), &fixture::run_info());
        assert!(page.contains("stall &lt;&amp;&gt; &quot;quoted&quot;"));
        assert!(!page.contains("stall <&>"));
        assert!(page.contains("unknown key `x` &lt;here&gt;"));
        assert!(page.contains("checks depth.max &lt;carefully&gt; &amp; well"));
        assert!(!page.contains("<carefully>"));
        assert!(!page.contains("<here>"));
    }

    #[test]
    fn summary_links_to_every_section() {
        let results = fixture::suite();
        let page = html(&results, &fixture::run_info());
        for (i, r) in results.iter().enumerate() {
            let id = anchor(i, &r.name);
            assert!(page.contains(&format!(r##"href="#{id}""##)), "{id}");
            assert!(page.contains(&format!(r#"id="{id}""#)), "{id}");
        }
        assert_eq!(anchor(1, "stall <&> \"quoted\""), "s1-stall------quoted-");
    }

    #[test]
    fn verdict_rows_carry_badges() {
        let page = html(&fixture::suite(), &fixture::run_info());
        assert_eq!(
            page.matches(r#"<tr class="fail"><td><span class="badge b-fail">"#)
                .count(),
            2
        );
        assert_eq!(
            page.matches(r#"<tr class="acceptable"><td><span class="badge b-acceptable">"#)
                .count(),
            1
        );
        assert!(page.contains("t = 1.250 s, x = 3.5 mm"));
    }

    #[test]
    fn self_contained() {
        let page = html(&fixture::suite(), &fixture::run_info());
        assert!(!page.contains("<script"));
        assert!(!page.contains("src=\"http"));
        assert!(!page.contains("<link"));
    }
}
