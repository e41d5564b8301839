//! The physics validation table (`needlebench validate`): every published case, what the
//! model gives, the tolerance and the verdict, as a terminal table and as one self-contained
//! HTML page a pen maker can attach to a design file. Pure functions of the rows.

use crate::html::svg::escape;
use needlebench_physics::validation::{ValidationRow, Verdict};
use std::fmt::Write;

/// Counts of a validation run.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
pub struct ValidationTotals {
    /// Cases in the table.
    pub cases: usize,
    /// Cases the model reproduces within tolerance.
    pub passed: usize,
    /// Failing cases listed as known misses, with their reason.
    pub known_misses: usize,
    /// Failing cases not listed as known misses: a regression of the model.
    pub unexpected_misses: usize,
    /// Cases whose values set a parameter (not independent evidence).
    pub calibration: usize,
}

impl ValidationTotals {
    /// Count `rows`.
    pub fn of(rows: &[ValidationRow]) -> Self {
        let failed = |r: &&ValidationRow| r.verdict == Verdict::Fail;
        ValidationTotals {
            cases: rows.len(),
            passed: rows.iter().filter(|r| r.verdict == Verdict::Pass).count(),
            known_misses: rows
                .iter()
                .filter(failed)
                .filter(|r| r.case.known_miss.is_some())
                .count(),
            unexpected_misses: rows
                .iter()
                .filter(failed)
                .filter(|r| r.case.known_miss.is_none())
                .count(),
            calibration: rows.iter().filter(|r| r.case.calibration).count(),
        }
    }
}

fn verdict_word(r: &ValidationRow) -> &'static str {
    match (r.verdict, r.case.known_miss.is_some()) {
        (Verdict::Pass, _) => "PASS",
        (Verdict::Fail, true) => "FAIL (known)",
        (Verdict::Fail, false) => "FAIL",
    }
}

/// The table for a terminal: case, published, model, tolerance, verdict, then the reason of
/// every failing case, and a closing line with the counts.
pub fn validation_table(rows: &[ValidationRow]) -> String {
    let head = ["case", "published", "model", "tolerance", "verdict"];
    let cells: Vec<[String; 5]> = rows
        .iter()
        .map(|r| {
            let id = if r.case.calibration {
                format!("{} (cal.)", r.case.id)
            } else {
                r.case.id.clone()
            };
            [
                id,
                r.published.clone(),
                r.model.clone(),
                r.tolerance.clone(),
                verdict_word(r).to_owned(),
            ]
        })
        .collect();
    let width = |s: &str| s.chars().count();
    let mut w = head.map(width);
    for row in &cells {
        for (wi, c) in w.iter_mut().zip(row) {
            *wi = (*wi).max(width(c));
        }
    }
    let line = |cells: &[String]| {
        let mut s = String::new();
        for (c, wi) in cells.iter().zip(w) {
            s.push_str(c);
            s.extend(std::iter::repeat_n(' ', wi.saturating_sub(width(c)) + 2));
        }
        s.truncate(s.trim_end().len());
        s.push('\n');
        s
    };
    let mut out = line(&head.map(str::to_owned));
    out.push_str(&line(&w.map(|n| "-".repeat(n))));
    for row in &cells {
        out.push_str(&line(row));
    }
    for r in rows.iter().filter(|r| r.verdict == Verdict::Fail) {
        let reason = r.reason.as_deref().unwrap_or("");
        let _ = writeln!(out, "\n{}: {reason}", r.case.id);
    }
    let t = ValidationTotals::of(rows);
    let _ = writeln!(
        out,
        "\n{} cases: {} passed, {} known misses, {} unexpected misses ({} set a parameter: \
         calibration, not independent evidence)",
        t.cases, t.passed, t.known_misses, t.unexpected_misses, t.calibration
    );
    out
}

/// One self-contained HTML page: the cases with their sources, methods and verdicts, the
/// reasons of the misses. No script, no external file.
pub fn validation_html(rows: &[ValidationRow], needlebench_version: &str) -> String {
    let t = ValidationTotals::of(rows);
    let mut s = String::from(
        "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">\
         <title>needlebench penetration model validation</title><style>\
         body{font:14px/1.45 system-ui,sans-serif;margin:24px;color:#222}\
         table{border-collapse:collapse;width:100%}th,td{border-bottom:1px solid #ddd;\
         padding:4px 6px;text-align:left;vertical-align:top}th{background:#f4f4f4}\
         .pass{color:#1a7f37;font-weight:600}.fail{color:#b3261e;font-weight:600}\
         .known{color:#9a6700;font-weight:600}.small{color:#666;font-size:12px}\
         </style></head><body>",
    );
    let _ = write!(
        s,
        "<h1>Penetration model validation</h1><p>needlebench {} · {} published cases: \
         <span class=\"pass\">{} pass</span>, <span class=\"known\">{} known misses</span>, \
         <span class=\"fail\">{} unexpected misses</span>. Cases marked <i>calibration</i> \
         set a model parameter and are not independent evidence. Rerun with \
         <code>needlebench validate --html FILE</code>.</p>",
        escape(needlebench_version),
        t.cases,
        t.passed,
        t.known_misses,
        t.unexpected_misses
    );
    s.push_str(
        "<table><tr><th>case</th><th>source</th><th>species · site · method · device</th>\
         <th>setting</th><th>published</th><th>model</th><th>tolerance</th><th>verdict</th></tr>",
    );
    for r in rows {
        let c = &r.case;
        let doi = if c.doi.is_empty() {
            "DOI not found".to_owned()
        } else {
            format!("doi:{}", escape(&c.doi))
        };
        let mut setting = Vec::new();
        if c.setting_um > 0.0 {
            setting.push(format!("{:.0} µm", c.setting_um));
        }
        if c.hz > 0.0 {
            setting.push(format!("{:.0} Hz", c.hz));
        }
        if c.speed_m_s > 0.0 {
            setting.push(format!("{} m/s", c.speed_m_s));
        }
        if c.force_n > 0.0 {
            setting.push(format!("{} N", c.force_n));
        }
        let (class, word) = match (r.verdict, c.known_miss.is_some()) {
            (Verdict::Pass, _) => ("pass", "pass"),
            (Verdict::Fail, true) => ("known", "known miss"),
            (Verdict::Fail, false) => ("fail", "FAIL"),
        };
        let reason = r
            .reason
            .as_deref()
            .map(|why| format!("<div class=\"small\">{}</div>", escape(why)))
            .unwrap_or_default();
        let _ = write!(
            s,
            "<tr><td>{}{}</td><td>{}<div class=\"small\">{doi}</div></td><td>{} · {} · {} · \
             {}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td class=\"{class}\">{word}\
             {reason}</td></tr>",
            escape(&c.id),
            if c.calibration {
                " <span class=\"small\">(calibration)</span>"
            } else {
                ""
            },
            escape(&c.source),
            escape(&c.species),
            escape(&c.site),
            escape(&c.method),
            escape(&c.device),
            escape(&setting.join(", ")),
            escape(&r.published),
            escape(&r.model),
            escape(&r.tolerance),
        );
    }
    s.push_str("</table></body></html>\n");
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_table_lists_every_case_and_names_every_miss_with_its_reason() {
        let rows = needlebench_physics::validate();
        assert!(rows.len() >= 30, "{} cases", rows.len());
        let table = validation_table(&rows);
        for r in &rows {
            assert!(table.contains(&r.case.id), "{} missing", r.case.id);
        }
        let t = ValidationTotals::of(&rows);
        assert_eq!(t.passed + t.known_misses + t.unexpected_misses, t.cases);
        for r in rows.iter().filter(|r| r.verdict == Verdict::Fail) {
            let reason = r.reason.as_deref().expect("a failing case has a reason");
            assert!(table.contains(reason), "{}'s reason not shown", r.case.id);
        }
        assert!(table.contains(&format!("{} cases: {} passed", t.cases, t.passed)));
    }

    #[test]
    fn the_page_is_self_contained_and_escapes_the_sources() {
        let mut rows = needlebench_physics::validate();
        rows[0].case.source = "A & B <2011>".to_owned();
        let page = validation_html(&rows, "0.1.0");
        assert!(page.starts_with("<!DOCTYPE html>") && page.trim_end().ends_with("</html>"));
        assert!(page.contains("A &amp; B &lt;2011&gt;"));
        assert!(!page.contains("<script") && !page.contains("http"));
        assert_eq!(page.matches("<tr>").count(), rows.len() + 1);
    }
}
