//! What a check says: verdicts with evidence, and the data a report draws.
//!
//! These types are the contract between the checks (this crate) and the reports
//! (`needlebench-report`): every field a report shows comes from here.

/// The kind of a [`Marker`]: the recording's event kind (re-exported for the reports).
pub use needlebench_recording::{EventKind, Layer};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// How a criterion came out, from best to worst (a report's outcome is the worst of its
/// verdicts, so the order matters).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Outcome {
    /// Nothing to judge (no punctures for a depth criterion, no expected fault, a lockstep run
    /// for a lag bound…): shown as such, never counted as a pass.
    NotApplicable,
    /// Within the expected value or range.
    Pass,
    /// Outside the strict range but within the tolerance band: reported, not failed.
    Acceptable,
    /// The criterion depends on the scenario's expectations and the recording has none (and
    /// no `--scenario` was given): not judged, and the recording is not verified.
    NotChecked,
    /// Outside the tolerance: the scenario fails.
    Fail,
}

impl Outcome {
    /// `not_applicable`, `pass`, `acceptable`, `not_checked` or `fail`.
    pub fn name(self) -> &'static str {
        match self {
            Outcome::NotApplicable => "not_applicable",
            Outcome::Pass => "pass",
            Outcome::Acceptable => "acceptable",
            Outcome::NotChecked => "not_checked",
            Outcome::Fail => "fail",
        }
    }

    /// The outcome in capitals for tables: `PASS`, `N/A`, `ACCEPTABLE`, `NOT CHECKED`, `FAIL`.
    pub fn label(self) -> &'static str {
        match self {
            Outcome::NotApplicable => "N/A",
            Outcome::Pass => "PASS",
            Outcome::Acceptable => "ACCEPTABLE",
            Outcome::NotChecked => "NOT CHECKED",
            Outcome::Fail => "FAIL",
        }
    }
}

/// Where the expectations a recording was checked against came from.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum ExpectationSource {
    /// The exact copy of the scenario stored in the recording (`scenario.toml`).
    Recording {
        /// The copy's path.
        path: String,
    },
    /// A scenario file named with `--scenario`, overriding the recording's copy.
    File {
        /// The file as given.
        path: String,
    },
    /// Neither: every scenario-dependent criterion is [`Outcome::NotChecked`].
    None,
}

impl ExpectationSource {
    /// One line for people: `scenario copy in the recording (rec/scenario.toml)`.
    pub fn describe(&self) -> String {
        match self {
            ExpectationSource::Recording { path } => {
                format!("the scenario copy in the recording ({path})")
            }
            ExpectationSource::File { path } => format!("--scenario {path}"),
            ExpectationSource::None => {
                "none: the recording holds no scenario and no --scenario was given".to_string()
            }
        }
    }
}

/// Where and when a criterion first failed.
#[derive(Debug, Clone, Copy, PartialEq, Default, Serialize, Deserialize)]
pub struct Where {
    /// Time in the run, µs, if the failure has one.
    pub t_us: Option<u64>,
    /// Position on the skin, mm, if the failure has one.
    pub x_mm: Option<f64>,
    /// Position on the skin, mm, if the failure has one.
    pub y_mm: Option<f64>,
}

/// One criterion's verdict, with its evidence.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Verdict {
    /// Stable identifier, dotted: `depth.max`, `depth.forbidden_layer`, `depth.target_fraction`,
    /// `depth.site_max`, `density.range`, `density.coverage`, `density.tram_tracks`,
    /// `firmware.stroke_hz`, `firmware.fault_stop`, `firmware.no_motion_in_fault`,
    /// `firmware.expected_faults`, `link.crc_rate`, `link.lag`, `run.complete`, `golden`, …;
    /// per zone of a face map `zone.<criterion>.<zone id>` (`zone.depth.nose`). Unique within
    /// a report.
    pub criterion: String,
    /// One sentence a QA engineer reads: what was checked.
    pub description: String,
    /// The measured value, as a number where it is one.
    #[serde(deserialize_with = "crate::nan::f64")]
    pub actual: f64,
    /// The measured value as shown (with unit, or a list such as `stall, link_loss`).
    pub actual_text: String,
    /// What was expected, as shown: `≤ 550 µm`, `[2000, 40000] /cm²`, `{stall}`.
    pub expected: String,
    /// Unit of `actual` (`µm`, `/cm²`, `%`, `ms`, `` for counts and ratios).
    pub unit: String,
    /// Pass, acceptable or fail.
    pub outcome: Outcome,
    /// Where and when it first failed (for `fail` and `acceptable`).
    pub first_failure: Option<Where>,
    /// Every metric the check computed, by name, for the JSON report.
    #[serde(deserialize_with = "crate::nan::map")]
    pub metrics: BTreeMap<String, f64>,
}

/// Punctures per cell over the treated area.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct DensityGrid {
    /// Lower-left corner of cell (0, 0), mm.
    pub origin_mm: [f64; 2],
    /// Cell edge, mm.
    pub cell_mm: f64,
    /// Columns (x).
    pub cols: usize,
    /// Rows (y).
    pub rows: usize,
    /// Punctures per cm², row-major (`row * cols + col`).
    #[serde(deserialize_with = "crate::nan::vec")]
    pub per_cm2: Vec<f64>,
    /// Whether the cell's centre lies in the treated area, row-major.
    pub in_area: Vec<bool>,
}

/// Depths reached, binned.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct DepthHistogram {
    /// Bin width, µm; bin `i` covers `[i·bin_um, (i+1)·bin_um)`.
    pub bin_um: f64,
    /// Punctures per bin.
    pub counts: Vec<u64>,
    /// Depth of each layer boundary below the surface, µm, indexed like [`Layer::ALL`]: 0,
    /// then the bottom of each layer (a layer absent at this site, and the floor, have no
    /// thickness: two equal values). Format-1 recordings give the first six.
    #[serde(deserialize_with = "crate::nan::vec")]
    pub layer_boundaries_um: Vec<f64>,
    /// The layer the column ends in (bone or cartilage), at the depth where the penetrable
    /// layers end; `None` for a format-1 recording.
    pub floor: Option<Layer>,
}

/// One point of the decimated time series.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct SeriesPoint {
    /// Time, s.
    #[serde(deserialize_with = "crate::nan::f64")]
    pub t_s: f64,
    /// Motor current, mA (mean over the decimation window).
    #[serde(deserialize_with = "crate::nan::f64")]
    pub motor_current_ma: f64,
    /// Stroke frequency, Hz (mean over the window).
    #[serde(deserialize_with = "crate::nan::f64")]
    pub stroke_hz: f64,
    /// Deepest puncture in the window, µm (0 if none).
    #[serde(deserialize_with = "crate::nan::f64")]
    pub max_depth_um: f64,
    /// Battery voltage at the pen, mV (mean over the window; NaN where not recorded, and the
    /// report's plot leaves a gap there).
    #[serde(deserialize_with = "crate::nan::f64")]
    pub battery_mv: f64,
    /// Force the hand presses the pen onto the skin with, N (mean over the window; NaN where
    /// not recorded).
    #[serde(deserialize_with = "crate::nan::f64")]
    pub hand_force_n: f64,
}

/// A firmware or injected event worth marking on a plot.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Marker {
    /// Time, s.
    pub t_s: f64,
    /// `fault_raised`, `fault_cleared`, an injection kind, `link_failure`… ([`EventKind::name`]
    /// in JSON; [`EventKind::words`] for people).
    pub kind: EventKind,
    /// The fault name or detail.
    pub label: String,
}

/// Everything the checks concluded about one recording.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CheckReport {
    /// Scenario name (from the recording's meta).
    pub scenario: String,
    /// The recording directory.
    pub recording: String,
    /// Whether the recording is complete, and if not why.
    pub completion: String,
    /// Where the expectations came from.
    pub expectations: ExpectationSource,
    /// The verdicts, in a stable order.
    pub verdicts: Vec<Verdict>,
    /// Density heat map.
    pub density: DensityGrid,
    /// Depth distribution.
    pub depths: DepthHistogram,
    /// Decimated motor current, stroke frequency, depth, battery voltage and hand force over
    /// time (≤ 2000 points).
    pub series: Vec<SeriesPoint>,
    /// Faults, injections and link failures over time.
    pub markers: Vec<Marker>,
    /// Firmware events and log lines as text, one per line (for JUnit system-out).
    pub firmware_log: Vec<String>,
    /// Punctures read.
    pub punctures: u64,
    /// Ticks read.
    pub ticks: u64,
}

impl CheckReport {
    /// The worst outcome over all verdicts (`NotApplicable` when there are none).
    pub fn outcome(&self) -> Outcome {
        self.verdicts
            .iter()
            .map(|v| v.outcome)
            .max()
            .unwrap_or(Outcome::NotApplicable)
    }
}
