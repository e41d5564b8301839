//! The self-contained HTML page: inline CSS and SVG, no scripts, nothing fetched.

use super::{Report, band_text, score_text, value_text};
use crate::metric::MetricName;
use crate::result::{Score, ZoneScore};
use std::fmt::Write;

const CSS: &str = "\
body{font:14px/1.45 system-ui,-apple-system,\"Segoe UI\",Roboto,sans-serif;color:#222;margin:0;background:#f4f5f7}
main{max-width:1200px;margin:0 auto;padding:16px}
h1{font-size:24px;margin:8px 0 4px}h2{font-size:19px;margin:18px 0 6px}
.sub{color:#555;font-size:13px;margin:0 0 8px}
section{background:#fff;border:1px solid #dcdde2;border-radius:6px;padding:12px 16px;margin:12px 0}
table{border-collapse:collapse;width:100%;font-size:13px}th,td{text-align:left;padding:4px 7px;border-bottom:1px solid #e6e6ea;vertical-align:top}
th{background:#f0f1f4;font-weight:600}td.num,th.num{text-align:right;font-variant-numeric:tabular-nums}
.badge{display:inline-block;padding:1px 8px;border-radius:10px;font-weight:700;font-size:12px}
.b-pass{background:#009E73;color:#fff}.b-fail{background:#D55E00;color:#fff}
td.s-low{background:#fbe3d6}td.s-mid{background:#fdf3d9}td.s-na{color:#999}
svg .zone{stroke:#333;stroke-width:.4}svg .face{fill:#f7efe8;stroke:#888;stroke-width:.6}
svg text{font-size:4px;text-anchor:middle;fill:#111}
ul.feedback li{margin:3px 0}
.legend span{margin-right:12px;white-space:nowrap}.sw{display:inline-block;width:12px;height:12px;vertical-align:middle;margin-right:4px;border:1px solid #666}";

/// Escape text for HTML, in text and in attribute values (`&`, `<`, `>`, `'`, `"`).
fn esc(s: &str) -> std::borrow::Cow<'_, str> {
    quick_xml::escape::escape(s)
}

/// Fill colour of a zone with `score`: below the pass mark orange-red, up to 85 amber, above
/// green (Okabe–Ito colours, as the check reports), grey when not planned.
fn zone_fill(z: &ZoneScore, pass_mark: f64) -> &'static str {
    match z.score {
        None => "#d9d9d9",
        Some(s) if s < pass_mark => "#D55E00",
        Some(s) if s < 85.0 => "#E69F00",
        Some(_) => "#009E73",
    }
}

/// The zone map: every zone's outline filled by its score, labelled with it (y up).
fn zone_map(s: &Score) -> String {
    let pts = s.zones.iter().flat_map(|z| z.outline_mm.iter());
    let (mut min, mut max) = ([f64::INFINITY; 2], [f64::NEG_INFINITY; 2]);
    for p in pts {
        for k in 0..2 {
            min[k] = min[k].min(p[k]);
            max[k] = max[k].max(p[k]);
        }
    }
    if !min[0].is_finite() {
        return String::new();
    }
    let pad = 4.0;
    let (w, h) = (max[0] - min[0] + 2.0 * pad, max[1] - min[1] + 2.0 * pad);
    let y = |v: f64| max[1] + pad - v; // flip: y grows up on the face
    let x = |v: f64| v - min[0] + pad;
    let mut out = format!(
        r#"<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {w:.1} {h:.1}" width="{:.0}" role="img" aria-label="zone map">"#,
        (w * 3.0).min(560.0)
    );
    for z in &s.zones {
        let points: Vec<String> = z
            .outline_mm
            .iter()
            .map(|p| format!("{:.2},{:.2}", x(p[0]), y(p[1])))
            .collect();
        let _ = write!(
            out,
            r#"<polygon class="zone" fill="{}" fill-opacity=".75" points="{}"><title>{}: {}</title></polygon>"#,
            zone_fill(z, s.pass_mark),
            points.join(" "),
            esc(&z.label),
            score_text(z.score)
        );
    }
    for z in s.zones.iter().filter(|z| z.planned) {
        let n = z.outline_mm.len().max(1) as f64;
        let cx = z.outline_mm.iter().map(|p| p[0]).sum::<f64>() / n;
        let cy = z.outline_mm.iter().map(|p| p[1]).sum::<f64>() / n;
        let _ = write!(
            out,
            r#"<text x="{:.2}" y="{:.2}">{}</text>"#,
            x(cx),
            y(cy),
            score_text(z.score)
        );
    }
    out.push_str("</svg>");
    out
}

fn score_class(s: Option<f64>, pass_mark: f64) -> &'static str {
    match s {
        None => "num s-na",
        Some(v) if v < pass_mark => "num s-low",
        Some(v) if v < 100.0 => "num s-mid",
        Some(_) => "num",
    }
}

/// The whole report as one HTML page.
pub fn html(report: &Report<'_>) -> String {
    let s = report.score;
    let src = &report.source;
    let mut out = String::new();
    let _ = write!(
        out,
        "<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>needlebench \
         score: {}</title><style>{CSS}</style></head><body><main>",
        esc(&src.scenario)
    );
    let o = &s.overall;
    let (class, word) = if o.passed {
        ("b-pass", "PASS")
    } else {
        ("b-fail", "FAIL")
    };
    let _ = write!(
        out,
        "<h1>Technique score {} / 100 <span class=\"badge {class}\">{word}</span></h1>\
         <p class=\"sub\">{} · targets of scenario {} ({}) · {} · {} of {} zones at or above the \
         pass mark {:.0}</p>",
        score_text(o.score),
        esc(&src.recording),
        esc(&src.scenario),
        esc(&src.targets),
        src.face_map.as_deref().map_or_else(
            || "no face map (the treated area as one zone)".to_owned(),
            |m| format!("face map {}", esc(m))
        ),
        o.zones_passed,
        o.zones_planned,
        s.pass_mark
    );
    let _ = write!(
        out,
        "<section><h2>Zones</h2>{}<p class=\"legend\"><span><i class=\"sw\" \
         style=\"background:#D55E00\"></i>below {:.0}</span><span><i class=\"sw\" \
         style=\"background:#E69F00\"></i>{:.0}–85</span><span><i class=\"sw\" \
         style=\"background:#009E73\"></i>85 and above</span><span><i class=\"sw\" \
         style=\"background:#d9d9d9\"></i>not in the plan</span></p>",
        zone_map(s),
        s.pass_mark,
        s.pass_mark
    );
    out.push_str("<table><tr><th>zone</th><th class=\"num\">score</th><th>result</th>");
    for m in MetricName::ALL {
        let _ = write!(out, "<th class=\"num\">{}</th>", esc(m.words()));
    }
    out.push_str("</tr>");
    for z in s.zones.iter().filter(|z| z.planned) {
        let result = if z.passed {
            "<span class=\"badge b-pass\">PASS</span>"
        } else {
            "<span class=\"badge b-fail\">FAIL</span>"
        };
        let _ = write!(
            out,
            "<tr><td>{}</td><td class=\"num\">{}</td><td>{result}</td>",
            esc(&z.label),
            score_text(z.score)
        );
        for name in MetricName::ALL {
            match z.metric(name) {
                Some(m) => {
                    let _ = write!(
                        out,
                        "<td class=\"{}\" title=\"target {}\">{}<br>{}</td>",
                        score_class(m.score, s.pass_mark),
                        esc(&band_text(m.band.lo, m.band.hi, m.unit)),
                        esc(&value_text(m.value, m.unit)),
                        score_text(m.score)
                    );
                }
                None => out.push_str("<td class=\"num s-na\">–</td>"),
            }
        }
        out.push_str("</tr>");
    }
    let _ = write!(
        out,
        "</table><p class=\"sub\">Each cell: the value, then its sub-score 0–100 (hover for the \
         target band). – = not applicable. Outside the plan: {} punctures in zones the plan \
         leaves out, {} outside every zone.</p></section>",
        o.punctures_off_plan, o.punctures_outside
    );
    out.push_str("<section><h2>Feedback</h2><ul class=\"feedback\">");
    if s.feedback.is_empty() {
        out.push_str("<li>Nothing to correct.</li>");
    }
    for f in &s.feedback {
        let _ = write!(out, "<li>{}</li>", esc(&f.text));
    }
    out.push_str("</ul></section>");
    if let Some((expert, c)) = &report.against {
        let _ = write!(
            out,
            "<section><h2>Against {}</h2><p class=\"sub\">trainee {} / 100, expert {} / 100</p>\
             <table><tr><th>zone</th><th>metric</th><th class=\"num\">trainee</th><th \
             class=\"num\">expert</th><th class=\"num\">difference</th><th>closer to the \
             band</th></tr>",
            esc(&expert.recording),
            score_text(c.trainee_score),
            score_text(c.expert_score)
        );
        for z in &c.zones {
            for m in &z.metrics {
                let _ = write!(
                    out,
                    "<tr><td>{}</td><td>{}</td><td class=\"num\">{}</td><td \
                     class=\"num\">{}</td><td class=\"num\">{}</td><td>{}</td></tr>",
                    esc(&z.label),
                    esc(m.name.words()),
                    esc(&value_text(m.trainee, m.unit)),
                    esc(&value_text(m.expert, m.unit)),
                    esc(&value_text(m.difference, m.unit)),
                    m.closer.map_or("–", |c| c.name())
                );
            }
        }
        out.push_str("</table></section>");
    }
    let _ = write!(
        out,
        "<p class=\"sub\">A sub-score is 100 inside its target band and falls linearly to 0 at \
         a set distance outside it; a zone's score is the weighted mean of its sub-scores, the \
         overall score the area-weighted mean of the zones'. A zone passes at {:.0}.</p>\
         </main></body></html>",
        s.pass_mark
    );
    out.push('\n');
    out
}
