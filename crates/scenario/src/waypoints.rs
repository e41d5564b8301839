//! Freehand waypoints: a CSV file with the header `t_s,x_mm,y_mm`.

use crate::error::{Location, ScenarioError};
use crate::model::Waypoint;
use std::path::Path;

/// The exact header a waypoints file must start with.
pub const WAYPOINTS_HEADER: [&str; 3] = ["t_s", "x_mm", "y_mm"];

/// Reads a waypoints CSV: header `t_s,x_mm,y_mm`, at least two rows, finite numbers, `t_s ≥ 0`
/// and strictly increasing.
///
/// `at` is where the scenario names the file; errors carry it along with the CSV line and row.
pub fn load_waypoints(csv_path: &Path, at: &Location) -> Result<Vec<Waypoint>, ScenarioError> {
    let text = std::fs::read_to_string(csv_path).map_err(|source| ScenarioError::Io {
        path: csv_path.to_owned(),
        source,
    })?;
    parse_waypoints(&text, csv_path, at)
}

/// [`load_waypoints`] on text already read; `csv_path` only names the file in errors.
pub fn parse_waypoints(
    text: &str,
    csv_path: &Path,
    at: &Location,
) -> Result<Vec<Waypoint>, ScenarioError> {
    let err = |csv_line: u64, row: u64, message: String| ScenarioError::Waypoints {
        csv: csv_path.to_owned(),
        csv_line,
        row,
        message,
        at: at.clone(),
    };
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(true)
        .trim(csv::Trim::All)
        .comment(Some(b'#'))
        .from_reader(text.as_bytes());
    let header = reader
        .headers()
        .map_err(|e| err(1, 0, format!("cannot read the header: {e}")))?;
    if header.iter().ne(WAYPOINTS_HEADER) {
        let got = header.iter().collect::<Vec<_>>().join(",");
        return Err(err(
            1,
            0,
            format!("header is `{got}`; expected `t_s,x_mm,y_mm`"),
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
        let mut values = [0.0; 3];
        for (col, value) in values.iter_mut().enumerate() {
            let field = record.get(col).unwrap_or_default();
            *value = field
                .parse::<f64>()
                .ok()
                .filter(|v| v.is_finite())
                .ok_or_else(|| {
                    err(
                        line,
                        row,
                        format!(
                            "{} = `{field}` is not a finite number",
                            WAYPOINTS_HEADER[col]
                        ),
                    )
                })?;
        }
        let [t_s, x_mm, y_mm] = values;
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
        out.push(Waypoint { t_s, x_mm, y_mm });
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
