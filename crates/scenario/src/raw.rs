//! The file as written: serde types with every key optional where the schema has a default.
//!
//! `deny_unknown_fields` everywhere; [`crate::validate`] turns these into the checked public
//! types of [`crate::model`].

use crate::model::Sensor;
use needlebench_physics::{DeviceKind, Layer, SiteSpec};
use needlebench_protocol::{ClockMode, FaultCode};
use serde::Deserialize;

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
#[serde(expecting = "a scenario table")]
pub(crate) struct RawScenario {
    pub name: String,
    #[serde(default)]
    pub description: String,
    #[serde(default)]
    pub tags: Vec<String>,
    #[serde(default)]
    pub seed: u64,
    pub duration_s: Option<f64>,
    /// Required without `[plan]` (the validator says so); with one, variation keys only.
    pub skin: Option<RawSkin>,
    #[serde(default)]
    pub device: RawDevice,
    pub pen: Option<RawPen>,
    #[serde(default)]
    pub firmware: RawFirmware,
    /// Required without `[plan]`; with one, tremor and tilt only.
    pub hand: Option<RawHand>,
    pub plan: Option<RawPlan>,
    #[serde(default)]
    pub inject: Vec<RawInjection>,
    #[serde(default)]
    pub expect: RawExpect,
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
#[serde(expecting = "a table of skin keys")]
pub(crate) struct RawSkin {
    pub site: Option<String>,
    pub custom: Option<SiteSpec>,
    pub thickness_variation: Option<f64>,
    pub variation_length_mm: Option<f64>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
#[serde(expecting = "a table of device keys")]
pub(crate) struct RawDevice {
    #[serde(default)]
    pub kind: DeviceKind,
    pub needle_length_mm: Option<f64>,
    pub drum_radius_mm: Option<f64>,
    pub rows: Option<i64>,
    pub needles_per_row: Option<i64>,
    pub grid: Option<i64>,
    pub pitch_mm: Option<f64>,
    pub press_speed_mm_s: Option<f64>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
#[serde(expecting = "a table of pen keys")]
pub(crate) struct RawPen {
    pub cartridge: String,
    /// Required without `[plan]` (a plan sets it zone by zone).
    pub exposure_mm: Option<f64>,
    pub speed_level: Option<i64>,
    pub stroke_hz: Option<f64>,
    pub battery_soc: Option<f64>,
    pub cartridge_id: Option<u32>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub(crate) enum RawFirmwareKind {
    #[default]
    Emulated,
    EmulatorPty,
    Serial,
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
#[serde(expecting = "a table of firmware keys")]
pub(crate) struct RawFirmware {
    #[serde(default)]
    pub kind: RawFirmwareKind,
    pub port: Option<String>,
    pub baud: Option<u32>,
    #[serde(default)]
    pub clock: ClockMode,
    pub cartridge_limit_s: Option<f64>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "snake_case")]
#[serde(expecting = "a table `{ rect = { … } }` or `{ polygon = [[x_mm, y_mm], …] }`")]
pub(crate) enum RawArea {
    Rect(RawRect),
    Polygon(Vec<[f64; 2]>),
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
#[serde(expecting = "a table `{ x_mm, y_mm, width_mm, height_mm }`")]
pub(crate) struct RawRect {
    pub x_mm: f64,
    pub y_mm: f64,
    pub width_mm: f64,
    pub height_mm: f64,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "snake_case")]
pub(crate) enum RawPattern {
    Straight,
    Crosshatch,
    Spiral,
    Stamping,
    Freehand,
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
#[serde(expecting = "a table of hand keys")]
pub(crate) struct RawHand {
    /// Required without `[plan]`; not allowed with one (nor any other motion key).
    pub area: Option<RawArea>,
    pub pattern: Option<RawPattern>,
    pub glide_mm_s: Option<f64>,
    pub passes: Option<u32>,
    pub line_spacing_mm: Option<f64>,
    pub angles_deg: Option<Vec<f64>>,
    pub stamp_pitch_mm: Option<f64>,
    pub stamp_dwell_ms: Option<f64>,
    pub waypoints_csv: Option<String>,
    pub force_n: Option<f64>,
    pub force_profile: Option<Vec<[f64; 2]>>,
    pub tilt_deg: Option<f64>,
    pub tremor_mm: Option<f64>,
    pub tremor_hz: Option<f64>,
}

/// `[plan]`: a whole-face treatment, zone by zone.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
#[serde(expecting = "a table of plan keys")]
pub(crate) struct RawPlan {
    pub face_map: Option<String>,
    pub pause_s: Option<f64>,
    pub depth_change_s: Option<f64>,
    #[serde(default)]
    pub zone: Vec<RawPlanZone>,
}

/// `[[plan.zone]]`: one step of a plan; the pattern keys are `[hand]`'s, repeated here
/// because serde's `flatten` cannot be combined with `deny_unknown_fields` (both tables are
/// read through [`RawStroke`]).
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
#[serde(expecting = "a [[plan.zone]] table")]
pub(crate) struct RawPlanZone {
    pub zone: String,
    pub exposure_mm: f64,
    pub pattern: RawPattern,
    pub glide_mm_s: Option<f64>,
    pub passes: Option<u32>,
    pub line_spacing_mm: Option<f64>,
    pub angles_deg: Option<Vec<f64>>,
    pub stamp_pitch_mm: Option<f64>,
    pub stamp_dwell_ms: Option<f64>,
    pub waypoints_csv: Option<String>,
    pub force_n: Option<f64>,
    pub tilt_deg: Option<f64>,
    pub offset_mm: Option<[f64; 2]>,
    pub overshoot_mm: Option<f64>,
    pub actual_glide_mm_s: Option<f64>,
    pub actual_force_n: Option<f64>,
}

/// The keys of a motion pattern, shared by `[hand]` and `[[plan.zone]]`.
pub(crate) struct RawStroke<'a> {
    pub pattern: RawPattern,
    pub glide_mm_s: Option<f64>,
    pub passes: Option<u32>,
    pub line_spacing_mm: Option<f64>,
    pub angles_deg: Option<&'a [f64]>,
    pub stamp_pitch_mm: Option<f64>,
    pub stamp_dwell_ms: Option<f64>,
    pub waypoints_csv: Option<&'a str>,
}

/// The pattern keys of a table that has them all under `[hand]`'s names.
macro_rules! stroke_of {
    ($raw:expr, $pattern:expr) => {
        RawStroke {
            pattern: $pattern,
            glide_mm_s: $raw.glide_mm_s,
            passes: $raw.passes,
            line_spacing_mm: $raw.line_spacing_mm,
            angles_deg: $raw.angles_deg.as_deref(),
            stamp_pitch_mm: $raw.stamp_pitch_mm,
            stamp_dwell_ms: $raw.stamp_dwell_ms,
            waypoints_csv: $raw.waypoints_csv.as_deref(),
        }
    };
}

impl RawHand {
    /// The pattern keys (`pattern` checked present by the caller).
    pub(crate) fn stroke(&self, pattern: RawPattern) -> RawStroke<'_> {
        stroke_of!(self, pattern)
    }
}

impl RawPlanZone {
    /// The pattern keys.
    pub(crate) fn stroke(&self) -> RawStroke<'_> {
        stroke_of!(self, self.pattern)
    }
}

/// `[[inject]]`: internally tagged on `kind`; `at_s` is repeated per variant because serde's
/// `flatten` cannot be combined with `deny_unknown_fields`.
#[derive(Debug, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case", deny_unknown_fields)]
#[serde(expecting = "an [[inject]] table with `at_s` and `kind`")]
pub(crate) enum RawInjection {
    ForceSpike {
        at_s: f64,
        force_n: f64,
        duration_s: f64,
    },
    CartridgeJam {
        at_s: f64,
        duration_s: f64,
    },
    SensorStuck {
        at_s: f64,
        sensor: Sensor,
        duration_s: f64,
    },
    SensorNoise {
        at_s: f64,
        sensor: Sensor,
        amplitude_us: Option<f64>,
        amplitude_ma: Option<f64>,
        amplitude_mv: Option<f64>,
        duration_s: f64,
    },
    LinkDrop {
        at_s: f64,
        duration_s: f64,
    },
    LinkGarbage {
        at_s: f64,
        bytes: u32,
    },
    BatterySag {
        at_s: f64,
        drop_mv: f64,
        duration_s: f64,
    },
    CartridgeRemoved {
        at_s: f64,
        duration_s: f64,
    },
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
#[serde(expecting = "a table of expect keys")]
pub(crate) struct RawExpect {
    pub depth_tolerance_um: Option<f64>,
    pub max_depth_um: Option<f64>,
    pub forbidden_layers: Option<Vec<Layer>>,
    pub target_layers: Option<Vec<Layer>>,
    pub min_target_fraction: Option<f64>,
    pub density_cell_mm: Option<f64>,
    pub density_min_per_cm2: Option<f64>,
    pub density_max_per_cm2: Option<f64>,
    pub min_coverage: Option<f64>,
    pub tram_track_cells: Option<u32>,
    pub stroke_hz_tolerance_pct: Option<f64>,
    pub fault_stop_ms: Option<f64>,
    pub faults: Option<Vec<ExpectedFault>>,
    pub max_crc_error_rate: Option<f64>,
    pub max_lag_ms: Option<f64>,
    pub golden: Option<String>,
    pub complete: Option<bool>,
    pub verification: Option<bool>,
    pub exposure_tolerance_um: Option<f64>,
    pub labelled_max_exposure_um: Option<f64>,
    pub fault_detect_ms: Option<std::collections::BTreeMap<ExpectedFault, f64>>,
    pub zone_checks: Option<bool>,
    pub zone_outside_max_fraction: Option<f64>,
    pub zone_border_mm: Option<f64>,
}

/// A fault code a scenario may expect: any [`FaultCode`] by name except `none`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub(crate) struct ExpectedFault(pub FaultCode);

/// The names of the faults a scenario may expect, for "expected one of" messages.
static EXPECTABLE: std::sync::LazyLock<Vec<&'static str>> = std::sync::LazyLock::new(|| {
    FaultCode::ALL
        .into_iter()
        .filter(|&f| f != FaultCode::None)
        .map(FaultCode::name)
        .collect()
});

impl<'de> Deserialize<'de> for ExpectedFault {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        /// Checks the name while the value is being read, so the error has its position.
        struct Name;
        impl serde::de::Visitor<'_> for Name {
            type Value = ExpectedFault;
            fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str("a fault name")
            }
            fn visit_str<E: serde::de::Error>(self, name: &str) -> Result<ExpectedFault, E> {
                match FaultCode::from_name(name) {
                    Some(code) if code != FaultCode::None => Ok(ExpectedFault(code)),
                    _ => Err(E::unknown_variant(name, &EXPECTABLE)),
                }
            }
        }
        d.deserialize_str(Name)
    }
}
