//! The terminal table: one row per planned zone with its sub-scores, the punctures outside
//! the plan, the metrics of the zones below
//! the pass mark, the feedback, and the comparison with an expert.

use super::{Report, band_text, score_text, value_text};
use crate::compare::Comparison;
use crate::metric::MetricName;
use crate::result::Score;
use std::fmt::Write;

/// Short column headers, in [`MetricName::ALL`] order.
const SHORT: [&str; 15] = [
    "cov", "unif", "dens", "pass", "ovl", "glide", "g.cv", "force", "f.cv", "tilt", "hot", "depth",
    "exp", "time", "stray",
];

/// The whole report as text for a terminal.
pub fn table(report: &Report<'_>) -> String {
    let s = report.score;
    let mut out = String::new();
    let src = &report.source;
    let map = src.face_map.as_deref().map_or_else(
        || "no face map: the treated area as one zone".to_owned(),
        |m| format!("face map {m}"),
    );
    let _ = writeln!(
        out,
        "score of {} against the targets of scenario {} ({}), {map}\n",
        src.recording, src.scenario, src.targets
    );
    zone_table(&mut out, s);
    failing_details(&mut out, s);
    let _ = writeln!(out, "\nfeedback:");
    if s.feedback.is_empty() {
        let _ = writeln!(out, "  nothing to correct");
    }
    for f in &s.feedback {
        let _ = writeln!(out, "  {}", f.text);
    }
    if let Some((expert, c)) = &report.against {
        comparison(&mut out, &expert.recording, c);
    }
    let o = &s.overall;
    let _ = writeln!(
        out,
        "\noverall {} / 100: {} of {} planned zones passed (score ≥ {:.0}, no critical metric \
         below {:.0}) — {}",
        score_text(o.score),
        o.zones_passed,
        o.zones_planned,
        s.pass_mark,
        crate::CRITICAL_FLOOR,
        if o.passed { "PASS" } else { "FAIL" }
    );
    out
}

fn zone_width(s: &Score) -> usize {
    s.zones
        .iter()
        .map(|z| z.label.chars().count())
        .max()
        .unwrap_or(4)
        .max(7)
}

fn zone_table(out: &mut String, s: &Score) {
    let w = zone_width(s);
    let _ = write!(out, "{:<w$}  score  result", "zone");
    for h in SHORT {
        let _ = write!(out, " {h:>5}");
    }
    out.push('\n');
    for z in s.zones.iter().filter(|z| z.planned) {
        let result = if z.passed { "PASS" } else { "FAIL" };
        let _ = write!(
            out,
            "{:<w$}  {:>5}  {result:<6}",
            z.label,
            score_text(z.score)
        );
        for name in MetricName::ALL {
            let sc = z.metric(name).and_then(|m| m.score);
            let _ = write!(out, " {:>5}", score_text(sc));
        }
        out.push('\n');
    }
    let o = &s.overall;
    if o.punctures_off_plan + o.punctures_outside > 0 {
        let _ = writeln!(
            out,
            "outside the plan: {} punctures in zones the plan leaves out, {} outside every zone",
            o.punctures_off_plan, o.punctures_outside
        );
    }
    let _ = writeln!(
        out,
        "sub-scores 0–100 (– not applicable): {}",
        MetricName::ALL
            .iter()
            .zip(SHORT)
            .map(|(m, s)| format!("{s} {}", m.words()))
            .collect::<Vec<_>>()
            .join(", ")
    );
}

fn failing_details(out: &mut String, s: &Score) {
    for z in s.zones.iter().filter(|z| z.planned && !z.passed) {
        let _ = writeln!(out, "\n{} ({}/100):", z.label, score_text(z.score));
        for m in z
            .metrics
            .iter()
            .filter(|m| m.score.is_some_and(|v| v < 100.0))
        {
            let _ = writeln!(
                out,
                "  {:<19} {:>12}  target {:<16} {:>3}",
                m.name.words(),
                value_text(m.value, m.unit),
                band_text(m.band.lo, m.band.hi, m.unit),
                score_text(m.score)
            );
        }
    }
}

fn comparison(out: &mut String, expert: &str, c: &Comparison) {
    let _ = writeln!(
        out,
        "\nagainst {expert}: trainee {} / 100, expert {} / 100",
        score_text(c.trainee_score),
        score_text(c.expert_score)
    );
    for z in &c.zones {
        let _ = writeln!(
            out,
            "\n{}: trainee {}, expert {}",
            z.label,
            score_text(z.trainee_score),
            score_text(z.expert_score)
        );
        let _ = writeln!(
            out,
            "  {:<16} {:>12} {:>12} {:>12}  closer",
            "metric", "trainee", "expert", "difference"
        );
        for m in &z.metrics {
            let diff = value_text(m.difference, m.unit);
            let diff = if m.difference > 0.0 && diff != value_text(0.0, m.unit) {
                format!("+{diff}")
            } else {
                diff
            };
            let _ = writeln!(
                out,
                "  {:<16} {:>12} {:>12} {:>12}  {}",
                m.name.words(),
                value_text(m.trainee, m.unit),
                value_text(m.expert, m.unit),
                diff,
                m.closer.map_or("–", |c| c.name())
            );
        }
    }
    if !c.unmatched.is_empty() {
        let _ = writeln!(
            out,
            "not compared (planned in only one): {}",
            c.unmatched.join(", ")
        );
    }
}
