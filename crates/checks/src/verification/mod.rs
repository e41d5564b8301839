//! Design-verification criteria (`verify.*`), added to a report when the scenario sets
//! `[expect] verification = true`. They measure what a pen maker's bench test measures for
//! 21 CFR 878.4430 (b)(2) and (b)(6) (`needlebench verify` collects them over a suite):
//!
//! | criterion | measures | limit (default) |
//! |---|---|---|
//! | `verify.depth_setting` | every stroke's mechanical excursion past the guard (the largest `needle_peak_um` between two strokes, while `running`) against the set exposure: mean, SD, worst | ± `exposure_tolerance_um` (150 µm, K182407) |
//! | `verify.stroke_rate` | the loaded stroke rate against the level's nominal rate: the mean (accuracy) and the worst 100 ms block (hold, as the battery discharges); the same loaded ticks as `firmware.stroke_hz` | ± `stroke_hz_tolerance_pct` (5 %) |
//! | `verify.max_depth` | the furthest excursion in the whole run, in every state, faults included | ≤ `labelled_max_exposure_um` (2500 µm) |
//! | `verify.fault_response` | per raised fault: detection latency (trigger onset → `fault_raised`) and motor-stop latency (`fault_raised` → duty 0) | the firmware's bounds ([`faults::bounds`]) |
//!
//! No acceptable band: each is a safety or labelling limit. A criterion with nothing to judge
//! (a roller, a recording without `needle_peak_um`, no loaded ticks, no fault) is N/A.

pub mod faults;
pub mod mechanics;

pub use faults::{FaultBound, FaultResponse, bounds};
pub use mechanics::Mechanics;
