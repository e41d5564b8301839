//! The plain-text summary table `needlebench regress` prints.

use crate::{ScenarioResult, Totals, totals};
use std::fmt::Write;

/// One line per scenario (scenario, outcome, failed criteria, punctures, simulated s, wall s),
/// columns aligned, then a totals line.
pub fn table(results: &[ScenarioResult]) -> String {
    let rows: Vec<TableRow> = results.iter().map(table_row).collect();
    table_of_rows(&rows, &totals(results))
}

/// One row of [`table`]: scenario, outcome, failed criteria, punctures, simulated s, wall s.
pub type TableRow = [String; 6];

/// [`table`] from rows made earlier ([`table_row`]) and the totals.
pub fn table_of_rows(rows: &[TableRow], t: &Totals) -> String {
    let mut layout = TableLayout::default();
    for r in rows {
        layout.measure(r);
    }
    let mut out = layout.header();
    for r in rows {
        out.push_str(&layout.line(r));
    }
    out.push_str(&TableLayout::totals(t));
    out
}

const HEADER: [&str; 6] = [
    "scenario",
    "outcome",
    "failed criteria",
    "punctures",
    "sim s",
    "wall s",
];

/// The column widths of [`table`], measured row by row: a caller that runs many scenarios
/// keeps its rows on disk, measures each as it is made, and writes the table line by line.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct TableLayout {
    widths: [usize; 6],
}

impl Default for TableLayout {
    /// The widths of the header.
    fn default() -> Self {
        TableLayout {
            widths: HEADER.map(|h| h.chars().count()),
        }
    }
}

impl TableLayout {
    /// Widen the columns to fit `row`.
    pub fn measure(&mut self, row: &TableRow) {
        for (w, cell) in self.widths.iter_mut().zip(row) {
            *w = (*w).max(cell.chars().count());
        }
    }

    /// The header line.
    pub fn header(&self) -> String {
        self.cells(&HEADER)
    }

    /// The line of `row`.
    pub fn line(&self, row: &TableRow) -> String {
        self.cells(&row.each_ref().map(String::as_str))
    }

    /// The totals line.
    pub fn totals(t: &Totals) -> String {
        format!(
            "{} scenarios: {} passed, {} acceptable, {} failed as expected, {} not checked, {} failed, {} could not run\n",
            t.scenarios, t.pass, t.acceptable, t.expected_fail, t.not_checked, t.fail, t.not_run
        )
    }

    fn cells(&self, cells: &[&str]) -> String {
        let mut l = String::new();
        for (i, (cell, w)) in cells.iter().zip(self.widths).enumerate() {
            let pad = w.saturating_sub(cell.chars().count());
            // Numbers (the last three columns) align right.
            if i >= 3 {
                let _ = write!(l, "{}{cell}  ", " ".repeat(pad));
            } else {
                let _ = write!(l, "{cell}{}  ", " ".repeat(pad));
            }
        }
        let mut out = l.trim_end().to_owned();
        out.push('\n');
        out
    }
}

/// The row of `r` in [`table`].
pub fn table_row(r: &ScenarioResult) -> TableRow {
    let detail = first_line(&r.detail(), 60);
    let detail = if detail.is_empty() {
        "-".to_owned()
    } else {
        detail
    };
    let (punctures, sim) = match &r.run {
        Some(run) => (run.punctures.to_string(), format!("{:.1}", run.sim_s)),
        None => ("-".to_owned(), "-".to_owned()),
    };
    [
        r.name.clone(),
        r.status().name().to_owned(),
        detail,
        punctures,
        sim,
        format!("{:.1}", r.wall_s),
    ]
}

/// The first line of `s`, cut to `max` characters.
fn first_line(s: &str, max: usize) -> String {
    let line = s.lines().next().unwrap_or("");
    if line.chars().count() > max {
        let mut cut: String = line.chars().take(max - 1).collect();
        cut.push('…');
        cut
    } else {
        line.to_owned()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::fixture;

    #[test]
    fn one_aligned_row_per_scenario_and_totals() {
        let text = table(&fixture::suite());
        let lines: Vec<_> = text.lines().collect();
        assert_eq!(lines.len(), 6, "{text}");
        assert!(lines[0].starts_with("scenario"));
        assert!(
            lines[1].starts_with("glabella ") && lines[1].contains(" pass "),
            "{}",
            lines[1]
        );
        assert!(
            lines[2].contains("depth.max, firmware.fault_stop"),
            "{}",
            lines[2]
        );
        assert!(lines[2].contains(" fail "));
        assert!(lines[3].contains("not run") && lines[3].contains("unknown key"));
        assert!(
            lines[4].contains(" not checked ")
                && lines[4].contains("not checked (no expectations): depth.max"),
            "{}",
            lines[4]
        );
        assert_eq!(
            lines[5],
            "4 scenarios: 1 passed, 0 acceptable, 0 failed as expected, 1 not checked, 1 failed, 1 could not run"
        );
        // The outcome column starts at the same place on every row.
        let col = lines[0].find("outcome").expect("header");
        assert_eq!(lines[1].find("pass"), Some(col));
        assert_eq!(lines[3].find("not run"), Some(col));
    }

    #[test]
    fn divergence_is_named() {
        let mut results = fixture::suite();
        results[0].divergence = Some("x".to_owned());
        let text = table(&results);
        let row = text.lines().nth(1).expect("row");
        assert!(
            row.contains(" fail ") && row.contains(" repeat.identical "),
            "{text}"
        );
    }

    #[test]
    fn long_reasons_are_cut() {
        assert_eq!(first_line("abcdef\nsecond", 4), "abc…");
        assert_eq!(first_line("abc", 4), "abc");
    }
}
