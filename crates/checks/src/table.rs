//! [`render_table`]: the verdicts as a plain-text table for the terminal.

use crate::verdict::{CheckReport, Outcome, Where};

/// `t = 12.345 s at (10.2, 4.0) mm`, or `-` when there is nothing to say.
pub fn format_where(w: Option<&Where>) -> String {
    let Some(w) = w else { return "-".to_owned() };
    let mut parts = Vec::new();
    if let Some(t) = w.t_us {
        parts.push(format!("t = {:.3} s", t as f64 / 1e6));
    }
    if let (Some(x), Some(y)) = (w.x_mm, w.y_mm) {
        parts.push(format!("at ({x:.1}, {y:.1}) mm"));
    }
    if parts.is_empty() {
        "-".to_owned()
    } else {
        parts.join(" ")
    }
}

fn width(s: &str) -> usize {
    s.chars().count()
}

fn pad(s: &str, w: usize) -> String {
    let mut out = s.to_owned();
    out.extend(std::iter::repeat_n(' ', w.saturating_sub(width(s))));
    out
}

/// The report as a table: a header line naming scenario, recording and completion, one row
/// per verdict (criterion, outcome, actual, expected, where/when), and a closing line with
/// the counts and the overall outcome. Outcomes are upper-case (`PASS`, `N/A`, `ACCEPTABLE`,
/// `NOT CHECKED`, `FAIL`: [`Outcome::label`]) so they stand out without colour. The second
/// line says where the expectations came from.
pub fn render_table(report: &CheckReport) -> String {
    let head = ["criterion", "outcome", "actual", "expected", "where / when"];
    let rows: Vec<[String; 5]> = report
        .verdicts
        .iter()
        .map(|v| {
            [
                v.criterion.clone(),
                v.outcome.label().to_owned(),
                v.actual_text.clone(),
                v.expected.clone(),
                if matches!(v.outcome, Outcome::Acceptable | Outcome::Fail) {
                    format_where(v.first_failure.as_ref())
                } else {
                    "-".to_owned()
                },
            ]
        })
        .collect();
    let mut widths = head.map(width);
    for r in &rows {
        for (w, cell) in widths.iter_mut().zip(r) {
            *w = (*w).max(width(cell));
        }
    }
    let line = |cells: &[String]| {
        let mut s: String = cells
            .iter()
            .zip(widths)
            .map(|(c, w)| pad(c, w))
            .collect::<Vec<_>>()
            .join("  ");
        s.truncate(s.trim_end().len());
        s.push('\n');
        s
    };
    let mut out = format!(
        "checks of {} ({}): {}, {} punctures, {} ticks\nexpectations: {}\n",
        report.scenario,
        report.recording,
        report.completion,
        report.punctures,
        report.ticks,
        report.expectations.describe()
    );
    out.push_str(&line(&head.map(str::to_owned)));
    out.push_str(&line(&widths.map(|w| "-".repeat(w))));
    for r in &rows {
        out.push_str(&line(r));
    }
    let count = |o: Outcome| report.verdicts.iter().filter(|v| v.outcome == o).count();
    out.push_str(&format!(
        "{}: {} passed, {} acceptable, {} failed, {} not checked, {} not applicable\n",
        report.outcome().label(),
        count(Outcome::Pass),
        count(Outcome::Acceptable),
        count(Outcome::Fail),
        count(Outcome::NotChecked),
        count(Outcome::NotApplicable)
    ));
    out
}
