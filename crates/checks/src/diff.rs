//! Golden comparisons: two recordings compared file by file (`telemetry.csv`,
//! `punctures.csv`, `events.csv`), row by row, column by column.
//!
//! Columns are matched by name. Tolerances per column kind (the recording crate's
//! [`ColumnKind`] of each row type, [`needlebench_recording::columns_of`]):
//! * integers (`t_us`, `tick`, `stroke`, `needle`, `speed_level`), booleans, names and text
//!   (`state`, `layer`, `kind`, `detail`, …) and columns the row type does not have: exact;
//! * floats (`*_mm`, `*_um`, `*_n`, `*_hz`, …): equal when
//!   `|a − b| ≤ abs` or `|a − b| ≤ rel · max(|a|, |b|)`, defaults `abs = 1e-3`, `rel = 1e-6`
//!   (the writer rounds to ≥ 1e-3 of each unit, so the defaults allow float noise, not a
//!   changed value). NaN equals NaN.
//!
//! Per-column overrides ([`Tolerances::columns`]) apply to any column, integers included.
//! `meta.toml` is not compared (it holds paths and versions that legitimately differ).

use crate::error::CheckError;
use approx::relative_eq;
use needlebench_recording::{EventRow, PunctureRow, Row, TelemetryRow};
use serde::Serialize;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

/// The files compared, in order.
pub const FILES: [&str; 3] = [TelemetryRow::FILE, PunctureRow::FILE, EventRow::FILE];

pub use needlebench_recording::ColumnKind;

/// The kind of column `column` of `file`, from the row type's declaration; text (compared
/// exactly) for a file or column the row types do not have.
pub fn column_kind(file: &str, column: &str) -> ColumnKind {
    needlebench_recording::columns_of(file)
        .and_then(|(names, kinds)| {
            let i = names.iter().position(|&n| n == column)?;
            kinds.get(i).copied()
        })
        .unwrap_or(ColumnKind::Text)
}

/// Absolute and relative tolerance of one column.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct ColumnTolerance {
    /// Largest absolute difference, in the column's unit.
    pub abs: f64,
    /// Largest difference relative to the larger magnitude.
    pub rel: f64,
}

/// Tolerances of a comparison.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Tolerances {
    /// For float columns without an override.
    pub float: ColumnTolerance,
    /// Per-column overrides (any column kind), by column name.
    pub columns: BTreeMap<String, ColumnTolerance>,
}

impl Default for Tolerances {
    /// `abs = 1e-3`, `rel = 1e-6` for floats; no overrides.
    fn default() -> Self {
        Tolerances {
            float: ColumnTolerance {
                abs: 1e-3,
                rel: 1e-6,
            },
            columns: BTreeMap::new(),
        }
    }
}

impl Tolerances {
    fn equal(&self, column: &str, kind: ColumnKind, a: &str, b: &str) -> bool {
        if a == b {
            return true;
        }
        let tol = match (self.columns.get(column), kind) {
            (Some(t), _) => *t,
            (None, ColumnKind::Float) => self.float,
            (None, ColumnKind::Integer) => {
                return matches!((a.parse::<u64>(), b.parse::<u64>()), (Ok(x), Ok(y)) if x == y);
            }
            (None, ColumnKind::Boolean | ColumnKind::Name | ColumnKind::Text) => return false,
        };
        match (a.trim().parse::<f64>(), b.trim().parse::<f64>()) {
            (Ok(x), Ok(y)) => {
                (x.is_nan() && y.is_nan())
                    || relative_eq!(x, y, epsilon = tol.abs, max_relative = tol.rel)
            }
            _ => false,
        }
    }
}

/// Where two recordings first differ in one file.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Divergence {
    /// The file (`punctures.csv`).
    pub file: String,
    /// 1-based data row (0 = the header).
    pub row: u64,
    /// The column (`(row)` when one file has the row and the other does not).
    pub column: String,
    /// The value in A.
    pub a: String,
    /// The value in B.
    pub b: String,
    /// `t_us` of the row in A (or B), if it has one.
    pub t_us: Option<u64>,
}

impl std::fmt::Display for Divergence {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{} row {}", self.file, self.row)?;
        if let Some(t) = self.t_us {
            write!(f, " (t = {:.6} s)", t as f64 / 1e6)?;
        }
        write!(f, ", column {}: {} vs {}", self.column, self.a, self.b)
    }
}

/// The comparison of one file.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct FileDiff {
    /// The file name.
    pub file: String,
    /// Data rows in A.
    pub rows_a: u64,
    /// Data rows in B.
    pub rows_b: u64,
    /// Values that differ beyond tolerance (in rows both files have).
    pub differing_values: u64,
    /// The first divergence, if any.
    pub first: Option<Divergence>,
}

/// The comparison of two recordings.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct DiffReport {
    /// Recording A.
    pub a: PathBuf,
    /// Recording B.
    pub b: PathBuf,
    /// One entry per file of [`FILES`].
    pub files: Vec<FileDiff>,
}

impl DiffReport {
    /// Whether the recordings are the same within tolerance.
    pub fn is_same(&self) -> bool {
        self.files.iter().all(|f| f.first.is_none())
    }

    /// The first divergence, in file order.
    pub fn first_divergence(&self) -> Option<&Divergence> {
        self.files.iter().find_map(|f| f.first.as_ref())
    }

    /// A few lines for the terminal.
    pub fn render(&self) -> String {
        let mut s = format!("A  {}\nB  {}\n", self.a.display(), self.b.display());
        for f in &self.files {
            let state = match &f.first {
                None => "same".to_owned(),
                Some(d) => format!("DIFFER ({} values) — first at {}", f.differing_values, d),
            };
            let rows = if f.rows_a == f.rows_b {
                format!("{} rows", f.rows_a)
            } else {
                format!("{} vs {} rows", f.rows_a, f.rows_b)
            };
            s.push_str(&format!("{:<14} {rows:<20} {state}\n", f.file));
        }
        s.push_str(if self.is_same() { "same\n" } else { "differ\n" });
        s
    }
}

fn csv_err(path: &Path, e: csv::Error) -> CheckError {
    CheckError::Csv {
        path: path.to_owned(),
        message: e.to_string(),
    }
}

fn reader(path: &Path) -> Result<csv::Reader<std::fs::File>, CheckError> {
    csv::ReaderBuilder::new()
        .has_headers(true)
        .from_path(path)
        .map_err(|e| csv_err(path, e))
}

fn next(
    r: &mut csv::Reader<std::fs::File>,
    rec: &mut csv::StringRecord,
    path: &Path,
) -> Result<bool, CheckError> {
    r.read_record(rec).map_err(|e| csv_err(path, e))
}

fn diff_file(
    a_dir: &Path,
    b_dir: &Path,
    file: &str,
    tol: &Tolerances,
) -> Result<FileDiff, CheckError> {
    let (pa, pb) = (a_dir.join(file), b_dir.join(file));
    let (mut ra, mut rb) = (reader(&pa)?, reader(&pb)?);
    let ha = ra.headers().map_err(|e| csv_err(&pa, e))?.clone();
    let hb = rb.headers().map_err(|e| csv_err(&pb, e))?.clone();
    let mut out = FileDiff {
        file: file.to_owned(),
        rows_a: 0,
        rows_b: 0,
        differing_values: 0,
        first: None,
    };
    let div = |row, column: &str, a: &str, b: &str, t_us| Divergence {
        file: file.to_owned(),
        row,
        column: column.to_owned(),
        a: a.to_owned(),
        b: b.to_owned(),
        t_us,
    };
    // columns by name: (name, index in A, index in B)
    let mut cols = Vec::new();
    for (i, name) in ha.iter().enumerate() {
        match hb.iter().position(|h| h == name) {
            Some(j) => cols.push((name.to_owned(), column_kind(file, name), i, j)),
            None => {
                out.first
                    .get_or_insert_with(|| div(0, name, "present", "absent", None));
            }
        }
    }
    for name in hb.iter().filter(|h| !ha.iter().any(|a| a == *h)) {
        out.first
            .get_or_insert_with(|| div(0, name, "absent", "present", None));
    }
    let t_col = ha.iter().position(|h| h == "t_us");
    let t_col_b = hb.iter().position(|h| h == "t_us");
    let (mut a, mut b) = (csv::StringRecord::new(), csv::StringRecord::new());
    loop {
        let more_a = next(&mut ra, &mut a, &pa)?;
        let more_b = next(&mut rb, &mut b, &pb)?;
        out.rows_a += u64::from(more_a);
        out.rows_b += u64::from(more_b);
        let row = out.rows_a.max(out.rows_b);
        match (more_a, more_b) {
            (false, false) => break,
            (true, true) => {
                for (name, kind, i, j) in &cols {
                    let (x, y) = (a.get(*i).unwrap_or(""), b.get(*j).unwrap_or(""));
                    if !tol.equal(name, *kind, x, y) {
                        out.differing_values += 1;
                        if out.first.is_none() {
                            let t = t_col.and_then(|c| a.get(c)).and_then(|v| v.parse().ok());
                            out.first = Some(div(row, name, x, y, t));
                        }
                    }
                }
            }
            (true, false) => {
                let t = t_col.and_then(|c| a.get(c)).and_then(|v| v.parse().ok());
                out.first
                    .get_or_insert_with(|| div(row, "(row)", "present", "absent", t));
            }
            (false, true) => {
                let t = t_col_b.and_then(|c| b.get(c)).and_then(|v| v.parse().ok());
                out.first
                    .get_or_insert_with(|| div(row, "(row)", "absent", "present", t));
            }
        }
    }
    Ok(out)
}

/// Compare recordings `a` and `b` with `tol`; see the module docs for the rules.
pub fn diff(a: &Path, b: &Path, tol: Tolerances) -> Result<DiffReport, CheckError> {
    let files = FILES
        .iter()
        .map(|f| diff_file(a, b, f, &tol))
        .collect::<Result<Vec<_>, _>>()?;
    Ok(DiffReport {
        a: a.to_owned(),
        b: b.to_owned(),
        files,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn float_columns_use_tolerances_and_integers_are_exact() {
        let t = Tolerances::default();
        assert!(t.equal("depth_um", ColumnKind::Float, "612.3", "612.3005"));
        assert!(!t.equal("depth_um", ColumnKind::Float, "612.3", "612.31"));
        assert!(t.equal("depth_um", ColumnKind::Float, "NaN", "NaN"));
        assert!(!t.equal("t_us", ColumnKind::Integer, "1000", "1001"));
        assert!(t.equal("t_us", ColumnKind::Integer, "07", "7"));
        assert!(!t.equal("layer", ColumnKind::Name, "hypodermis", "reticular_dermis"));
        let mut loose = Tolerances::default();
        loose
            .columns
            .insert("t_us".into(), ColumnTolerance { abs: 5.0, rel: 0.0 });
        assert!(loose.equal("t_us", ColumnKind::Integer, "1000", "1004"));
    }

    #[test]
    fn column_kinds_come_from_the_row_declarations() {
        assert_eq!(column_kind("punctures.csv", "depth_um"), ColumnKind::Float);
        assert_eq!(column_kind("punctures.csv", "needle"), ColumnKind::Integer);
        assert_eq!(
            column_kind("punctures.csv", "bleeding"),
            ColumnKind::Boolean
        );
        assert_eq!(column_kind("telemetry.csv", "state"), ColumnKind::Name);
        assert_eq!(column_kind("events.csv", "detail"), ColumnKind::Text);
        // unknown files and columns compare exactly
        assert_eq!(column_kind("events.csv", "depth_um"), ColumnKind::Text);
        assert_eq!(column_kind("other.csv", "t_us"), ColumnKind::Text);
        // every column of every file has a kind
        for (file, n) in [
            (TelemetryRow::FILE, TelemetryRow::COLUMNS.len()),
            (PunctureRow::FILE, PunctureRow::COLUMNS.len()),
            (EventRow::FILE, EventRow::COLUMNS.len()),
        ] {
            assert!(FILES.contains(&file));
            assert_eq!(
                needlebench_recording::columns_of(file).map(|c| c.1.len()),
                Some(n)
            );
        }
    }
}
