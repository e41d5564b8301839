//! Technique scoring of a microneedling treatment: how well a pass was done, zone by zone.
//!
//! The core is independent of file formats: a [`ScoreInput`] holds the zones (outline,
//! depth chart, density band and the plan's [`ZoneTarget`]s), the pen over time
//! ([`Sample`]s: position, force, tilt, exposure, skin contact) and the [`Puncture`]s.
//! [`score`] measures every metric per zone, judges it against its target band, and writes
//! feedback tied to a time and a place. [`from_recording`] builds the input from a recording
//! and its scenario copy; [`compare`] sets a trainee's score beside an expert's; [`render`]
//! writes the terminal table, the JSON document and the HTML page.
//!
//! # Cells
//!
//! Each zone is covered by square cells of [`ScoreInput::cell_mm`] (the scenario's
//! `expect.density_cell_mm`, 2 mm by default) from the lower-left corner of its bounding box.
//! A cell is *in* the zone when its centre is, *interior* when its four corners are too (a corner on
//! the zone's edge counts).
//! A puncture counts in its zone's cell (its zone as recorded). Cell density = punctures ÷
//! the cell's area in cm². A *visit* of a cell is a run of its punctures with no gap over
//! [`VISIT_GAP_S`].
//!
//! # Metrics
//!
//! On-skin quantities come from the samples on the skin whose pen centre lies in the zone,
//! each standing for the time to the next sample (capped at 0.1 s). Glide uses the path
//! between samples at least [`SPEED_STEP_S`] apart (both on the skin in the zone, no more than
//! two steps apart), which averages hand tremor out (a 0.1 mm tremor moves the pen ~0.2 mm
//! either way: over 50 ms it would add half again to a 6.7 mm/s glide). `g`, `f`, `t`, `p`, `s`, `T`, `D` are the
//! plan's glide speed, force, tilt, passes, sweeps per pass (crosshatch directions), planned
//! time and planned density; `[lo, hi]` the zone's depth chart (mm) or density band.
//!
//! | metric | value | band (100) | 0 at | weight |
//! |---|---|---|---|---|
//! | `coverage` | cells in the zone with ≥ 1 puncture ÷ cells in the zone | 0.9–1 | 0.4 below | 3 |
//! | `uniformity` | max(0, 1 − CV) (CV: population) of the counts of the interior cells (all cells of the zone when fewer than 4 are interior) | 0.7–1 | 0.4 below | 1 |
//! | `density_per_cm2` | punctures in the zone's cells ÷ their area, /cm² | the zone's density band | `lo` below, `hi` above | 2 |
//! | `passes` | on-skin path length in the zone × line spacing ÷ (zone area × `s`) | 0.8`p`–1.2`p` | 0.5`p` | 1 |
//! | `overlap` | mean visits of the punctured cells ÷ (`p` × `s`): how many neighbouring raster lines cover each point | 1–3 | 1 below, 3 above | 1 |
//! | `glide_mm_s` | path length ÷ time of the glide segments | 0.8`g`–1.2`g` | 0.5`g` | 2 |
//! | `glide_cv` | time-weighted CV of the segments' speeds | 0–0.3 | 0.5 | 1 |
//! | `force_n` | time-weighted mean force | 0.8`f`–1.2`f` | 0.5`f` | 1 |
//! | `force_cv` | time-weighted CV of the force | 0–0.2 | 0.4 | 1 |
//! | `tilt_deg` | time-weighted mean tilt | `t` ± 5° | 15° | 1 |
//! | `hot_spots` | hot cells ÷ cells in the zone; a cell is hot when its density exceeds [`HOT_FACTOR`] × `D`, or when the pen stayed within [`DWELL_RADIUS_MM`] of a point in it for [`DWELL_S`] or longer | 0–0.02 | 0.2 | 2 |
//! | `depth_in_range` | punctures of the zone no deeper than `hi` (the chart's deepest setting; needles stop short of the exposure, so shallow is judged by coverage and density) ÷ punctures of the zone | 0.95–1 | 0.45 below | 3 |
//! | `exposure_mm` | time-weighted mean exposure set on the pen | the chart `lo`–`hi` | 0.5 mm | 3 |
//! | `time_s` | on-skin time in the zone | 0.8`T`–1.25`T` | 0.5`T` | 1 |
//! | `strays` | stray time charged to the zone ÷ (that + its on-skin time): stretches of at least [`OFF_PLAN_S`] with the pen's centre on the skin in a zone the plan leaves out or (on a face map: [`ScoreInput::outside_strays`]) outside every zone, each charged to the planned zone the pen was last on (else the next) | 0–0.02 | 0.1 above | 2 |
//!
//! A value with nothing to judge is `NaN` (JSON `null`) and its metric is not applicable:
//! no punctures (depth, uniformity, overlap), never on the skin (glide, force, tilt,
//! exposure), stamping (glide), no line spacing (passes, for stamping and freehand), no
//! planned time.
//!
//! # Scores
//!
//! A sub-score is 100 inside the band and falls linearly to 0 at the "0 at" distance outside
//! it ([`Band::score`]). A zone's score is the weighted mean of its applicable sub-scores; a
//! zone passes at [`PASS_MARK`] or above, unless a critical metric
//! ([`MetricName::is_critical`]: density, force, hot spots, depth in range, exposure, strays —
//! failures that harm or waste a treatment) scores below [`CRITICAL_FLOOR`]: twice the density or the wrong
//! depth is not made good by a steady hand. The overall score is the area-weighted mean of the
//! planned zones' scores, and the treatment passes when every planned zone does. Overall
//! metrics are the area-weighted means of the zones' values and sub-scores.
//!
//! # Feedback
//!
//! Each planned zone's on-skin time is cut into windows of [`WINDOW_S`] (aligned to the start
//! of the run). In each window the glide speed, force, tilt, exposure, the share of punctures
//! too deep and the density (the mean final density of the cells punctured in that window,
//! over the plan's density) are judged against the zone's bands; a window deviates when any
//! is outside (the pen quantities need at least 1 s on the skin in the window, depth and
//! density a puncture). Runs of consecutive deviating windows become one line, with the
//! quantities re-measured over the whole run (the 3 furthest outside, worst first), timed from the first to the last on-skin sample in the
//! zone: `0:42–0:47, left cheek: glide slowed to 4.1 mm/s (target 20), density 3.1× target`.
//! At most [`MAX_RUNS_PER_ZONE`] runs per zone are kept, the worst first. Rests of the pen
//! (see [`DWELL_S`]; rests less than a window apart share one line), zone
//! totals that fail (coverage, uniformity, density, passes, overlap, hot spots, time) and
//! stretches of at least [`OFF_PLAN_S`] with the pen's centre on the skin outside the plan
//! add their own lines. Lines are sorted by start time (a zone never treated, untimed, last).
//! Each line is a [`Feedback`]: zone, place, time span, the [`Issue`]s and the whole text.

mod analysis;
mod compare;
mod error;
mod feedback;
mod geometry;
mod input;
mod metric;
mod recording;
pub mod render;
mod result;
pub mod text;
mod zone;

pub use compare::{Closer, Comparison, MetricComparison, ZoneComparison, compare};
pub use error::ScoreError;
pub use feedback::{Feedback, Issue, MAX_RUNS_PER_ZONE};
pub use input::{Puncture, Sample, ScoreInput, ZoneInput, ZoneTarget};
pub use metric::{Band, Metric, MetricName, Unit, weighted_score};
pub use recording::{AREA_ZONE_ID, Loaded, from_recording};
pub use result::{Overall, OverallMetric, Score, ZoneScore, score};

/// Least zone score that passes, 0–100.
pub const PASS_MARK: f64 = 70.0;
/// A critical metric ([`MetricName::is_critical`]) scoring below this fails its zone.
pub const CRITICAL_FLOOR: f64 = 50.0;
/// A cell denser than this many times the plan's density is a hot spot.
pub const HOT_FACTOR: f64 = 2.0;
/// The pen staying this long within [`DWELL_RADIUS_MM`] of one point makes a hot spot, s.
pub const DWELL_S: f64 = 1.0;
/// Radius of a dwell, mm.
pub const DWELL_RADIUS_MM: f64 = 2.0;
/// Punctures of a cell further apart than this are separate visits, s.
pub const VISIT_GAP_S: f64 = 0.5;
/// Glide speed is measured between samples at least this far apart, s.
pub const SPEED_STEP_S: f64 = 0.25;
/// Least time the pen's centre stays on the skin outside the plan to count as a stray, s.
pub const OFF_PLAN_S: f64 = 0.5;
/// Feedback windows, s.
pub const WINDOW_S: f64 = 5.0;
