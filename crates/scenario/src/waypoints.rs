//! Path files: freehand waypoints and recorded hand paths, a CSV file with the header
//! `t_s,x_mm,y_mm`, optionally followed by `force_n` and/or `tilt_deg` columns.

use crate::error::{Location, ScenarioError};
use crate::model::Waypoint;
use std::path::Path;

/// The columns every path file starts with, in this order.
pub const WAYPOINTS_HEADER: [&str; 3] = ["t_s", "x_mm", "y_mm"];
/// The optional columns after them, in either order, each at most once.
pub const WAYPOINTS_OPTIONAL: [&str; 2] = ["force_n", "tilt_deg"];

/// Largest pressing force in a path file, N (as `hand.force_n`).
const FORCE_MAX_N: f64 = 50.0;
/// Largest tilt in a path file, degrees (as `hand.tilt_deg`).
const TILT_MAX_DEG: f64 = 45.0;

/// Reads a path file: header `t_s,x_mm,y_mm[,force_n][,tilt_deg]`, at least two rows,
/// finite numbers, `t_s ≥ 0` and strictly increasing, `force_n` in 0–50 N (0 = pen lifted),
/// `tilt_deg` in 0–45°.
///
/// `at` is where the scenario names the file (`hand.waypoints_csv`); errors carry it along
/// with the CSV line and row.
pub fn load_waypoints(csv_path: &Path, at: &Location) -> Result<Vec<Waypoint>, ScenarioError> {
    load_path(csv_path, at, "hand.waypoints_csv")
}

/// [`load_waypoints`] for a file named by the key `key` (`plan.zone[2].waypoints_csv`).
pub fn load_path(
    csv_path: &Path,
    at: &Location,
    key: &str,
) -> Result<Vec<Waypoint>, ScenarioError> {
    let text = std::fs::read_to_string(csv_path).map_err(|source| ScenarioError::Io {
        path: csv_path.to_owned(),
        source,
    })?;
    parse_path(&text, csv_path, at, key)
}

/// [`load_waypoints`] on text already read; `csv_path` only names the file in errors.
pub fn parse_waypoints(
    text: &str,
    csv_path: &Path,
    at: &Location,
) -> Result<Vec<Waypoint>, ScenarioError> {
    parse_path(text, csv_path, at, "hand.waypoints_csv")
}

/// [`load_path`] on text already read; `csv_path` only names the file in errors.
pub fn parse_path(
    text: &str,
    csv_path: &Path,
    at: &Location,
    key: &str,
) -> Result<Vec<Waypoint>, ScenarioError> {
    let err = |csv_line: u64, row: u64, message: String| ScenarioError::Waypoints {
        csv: csv_path.to_owned(),
        csv_line: u32::try_from(csv_line).unwrap_or(u32::MAX),
        row: u32::try_from(row).unwrap_or(u32::MAX),
        message,
        at: at.clone(),
        key: key.to_owned(),
    };
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(true)
        .trim(csv::Trim::All)
        .comment(Some(b'#'))
        .from_reader(text.as_bytes());
    let header = reader
        .headers()
        .map_err(|e| err(1, 0, format!("cannot read the header: {e}")))?
        .clone();
    let columns: Vec<&str> = header.iter().collect();
    let extra = columns.get(3..).unwrap_or_default();
    let header_ok = columns.get(..3) == Some(&WAYPOINTS_HEADER[..])
        && extra.iter().all(|c| WAYPOINTS_OPTIONAL.contains(c))
        && (extra.len() < 2 || extra[0] != extra[1])
        && extra.len() <= 2;
    if !header_ok {
        let got = columns.join(",");
        return Err(err(
            1,
            0,
            format!(
                "header is `{got}`; expected `t_s,x_mm,y_mm` optionally followed by `force_n` and/or `tilt_deg`"
            ),
        ));
    }
    let mut out: Vec<Waypoint> = Vec::new();
    for (i, record) in reader.records().enumerate() {
        let row = i as u64 + 1;
        let record = record.map_err(|e| {
            let line = e.position().map_or(row + 1, csv::Position::line);
            err(line, row, e.to_string())
        })?;
        let line = record.position().map_or(row + 1, csv::Position::line);
        let mut values = [0.0; 5];
        for (col, value) in values.iter_mut().enumerate().take(columns.len()) {
            let field = record.get(col).unwrap_or_default();
            *value = field
                .parse::<f64>()
                .ok()
                .filter(|v| v.is_finite())
                .ok_or_else(|| {
                    err(
                        line,
                        row,
                        format!("{} = `{field}` is not a finite number", columns[col]),
                    )
                })?;
        }
        let [t_s, x_mm, y_mm, ..] = values;
        if t_s < 0.0 {
            return Err(err(line, row, format!("t_s = {t_s} must be >= 0")));
        }
        if let Some(prev) = out.last()
            && t_s <= prev.t_s
        {
            let msg = format!(
                "t_s = {t_s} must be greater than the previous row's {}",
                prev.t_s
            );
            return Err(err(line, row, msg));
        }
        let mut point = Waypoint {
            t_s,
            x_mm,
            y_mm,
            force_n: None,
            tilt_deg: None,
        };
        for (k, name) in extra.iter().enumerate() {
            let v = values[3 + k];
            let (slot, max) = if *name == "force_n" {
                (&mut point.force_n, FORCE_MAX_N)
            } else {
                (&mut point.tilt_deg, TILT_MAX_DEG)
            };
            if !(0.0..=max).contains(&v) {
                return Err(err(line, row, format!("{name} = {v} out of range 0–{max}")));
            }
            *slot = Some(v);
        }
        out.push(point);
    }
    if out.len() < 2 {
        return Err(err(
            1,
            out.len() as u64,
            format!("needs at least 2 rows, has {}", out.len()),
        ));
    }
    Ok(out)
}
