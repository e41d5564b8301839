//! Writing a score: the terminal table ([`table`]), the JSON document ([`json`]) and the
//! self-contained HTML page ([`html`]).
//!
//! # JSON (`needlebench score --json`)
//!
//! One object; keys are stable, floats that are not numbers are `null`:
//!
//! ```text
//! schema        "needlebench-score/1"
//! recording     the recording directory, as given
//! scenario      the name of the scenario the targets came from
//! targets       that scenario's file: the recording's copy, or the file given (`--plan`)
//! face_map      the face map's name, or null (the treated area scored as one zone "area")
//! pass_mark     70
//! overall       { score, passed, zones_passed, zones_planned, area_mm2, punctures,
//!                 punctures_outside, punctures_off_plan,
//!                 metrics: [{ name, value, unit, score }] }
//! zones         [{ id, label, outline_mm: [[x, y]…], area_mm2, planned, score, passed,
//!                  punctures, metrics: [{ name, value, unit, band: [lo, hi], score, weight }] }]
//! feedback      [{ zone, place, start_us, end_us, issues: [{ metric, value, severity, text }],
//!                  text }]
//! against       null, or { recording, scenario, targets, trainee_score, expert_score, unmatched: [id…],
//!                 zones: [{ id, label, trainee_score, expert_score,
//!                           metrics: [{ name, unit, trainee, expert, difference,
//!                                       trainee_score, expert_score, closer }] }] }
//! ```
//!
//! `name` is a [`MetricName`](crate::MetricName) (`coverage`, `uniformity`,
//! `density_per_cm2`, `passes`, `overlap`, `glide_mm_s`, `glide_cv`, `force_n`, `force_cv`,
//! `tilt_deg`, `hot_spots`, `depth_in_range`, `exposure_mm`, `time_s`); `unit` one of
//! `fraction`, `1/cm2`, `passes`, `x`, `mm/s`, `N`, `deg`, `mm`, `s`; `closer` one of
//! `trainee`, `expert`, `same` (null when either value is not applicable).

mod html;
mod table;

pub use html::html;
pub use table::table;

use crate::compare::Comparison;
use crate::metric::Unit;
use crate::result::Score;
use crate::text::{num, pct};
use serde::Serialize;

/// Version of the JSON document.
pub const SCHEMA: &str = "needlebench-score/1";

/// What a score was taken from.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Source {
    /// The recording directory, as given.
    pub recording: String,
    /// The name of the scenario the targets came from.
    pub scenario: String,
    /// That scenario's file (the recording's copy, or a file given).
    pub targets: String,
    /// The face map's name, `None` for the treated area as one zone.
    pub face_map: Option<String>,
}

/// A score with its source, and optionally the comparison with an expert.
#[derive(Debug, Clone, PartialEq)]
pub struct Report<'a> {
    /// Where the trainee's score came from.
    pub source: Source,
    /// The trainee's (or only) score.
    pub score: &'a Score,
    /// The expert's source and the comparison (`--against`).
    pub against: Option<(Source, Comparison)>,
}

#[derive(Serialize)]
struct JsonDoc<'a> {
    schema: &'static str,
    recording: &'a str,
    scenario: &'a str,
    targets: &'a str,
    face_map: Option<&'a str>,
    #[serde(flatten)]
    score: &'a Score,
    against: Option<JsonAgainst<'a>>,
}

#[derive(Serialize)]
struct JsonAgainst<'a> {
    recording: &'a str,
    scenario: &'a str,
    targets: &'a str,
    #[serde(flatten)]
    comparison: &'a Comparison,
}

/// The JSON document (pretty-printed, schema in the module docs).
pub fn json(report: &Report<'_>) -> Result<String, serde_json::Error> {
    let doc = JsonDoc {
        schema: SCHEMA,
        recording: &report.source.recording,
        scenario: &report.source.scenario,
        targets: &report.source.targets,
        face_map: report.source.face_map.as_deref(),
        score: report.score,
        against: report.against.as_ref().map(|(s, c)| JsonAgainst {
            recording: &s.recording,
            scenario: &s.scenario,
            targets: &s.targets,
            comparison: c,
        }),
    };
    serde_json::to_string_pretty(&doc)
}

/// A metric value with its unit, for people (`62%`, `4.1 mm/s`, `5400 /cm²`).
pub fn value_text(v: f64, unit: Unit) -> String {
    if !v.is_finite() {
        return "–".to_owned();
    }
    match unit {
        Unit::Fraction => pct(v),
        Unit::PerCm2 => format!("{v:.0} /cm²"),
        Unit::Passes => num(v),
        Unit::Times => format!("{}×", num(v)),
        Unit::MmPerS => format!("{} mm/s", num(v)),
        Unit::Newton => format!("{} N", num(v)),
        Unit::Degree => format!("{}°", num(v)),
        Unit::Mm => format!("{} mm", num(v)),
        Unit::Second => format!("{} s", num(v)),
    }
}

/// A band for people (`90–100%`, `16–24 mm/s`).
pub fn band_text(lo: f64, hi: f64, unit: Unit) -> String {
    match unit {
        Unit::Fraction => format!("{}–{}", pct(lo).trim_end_matches('%'), pct(hi)),
        _ => {
            let hi_text = value_text(hi, unit);
            let lo_text = value_text(lo, unit);
            let unit_suffix = hi_text.trim_start_matches(|c: char| c.is_ascii_digit() || c == '.');
            let lo_bare = lo_text.trim_end_matches(unit_suffix);
            format!("{lo_bare}–{hi_text}")
        }
    }
}

/// A score for people: a whole number, rounded down (so a score shown at the pass mark has
/// reached it: 69.7 against a mark of 70 shows 69, never a failing "70"), `–` when none.
pub fn score_text(s: Option<f64>) -> String {
    s.filter(|s| s.is_finite())
        .map_or_else(|| "–".to_owned(), |s| format!("{:.0}", s.floor()))
}
