//! `[expect]`: the invariants the checker holds a run to, with their documented defaults.
//!
//! This crate only parses, validates and stores them; the checker applies them.

use needlebench_physics::Layer;
use needlebench_protocol::FaultCode;
use std::path::PathBuf;

/// Built-in body sites with a thick dermis and fat (stretch marks, scars): no default ban on
/// reaching the hypodermis. The face, scalp and the back of the hand have thin fat over
/// vessels, nerves and tendons, where reaching it is a complication.
pub const NON_FACIAL_SITES: [&str; 6] =
    ["neck", "decollete", "abdomen", "thigh", "upper_arm", "back"];

/// What lies below the fat (muscle, cartilage, bone): never a microneedling target, so
/// forbidden on every site, built in or custom.
pub const BELOW_HYPODERMIS: [Layer; 3] = [Layer::Muscle, Layer::Cartilage, Layer::Bone];

/// The checker's invariants for one scenario, defaults filled in.
#[derive(Debug, Clone, PartialEq)]
pub struct Expect {
    /// The deepest puncture may exceed the exposure by at most this, µm. Default 50.
    pub depth_tolerance_um: f64,
    /// Absolute safe maximum depth for the site, µm. Default none.
    pub max_depth_um: Option<f64>,
    /// Layers no puncture may end in. Default [`Expect::forbidden_layers_for`] the site.
    pub forbidden_layers: Vec<Layer>,
    /// Whether the scenario wrote `forbidden_layers` itself. The per-zone checks of a face map
    /// then hold every zone to that list; otherwise each zone gets
    /// [`Expect::forbidden_layers_for`] its own site. Default false.
    pub forbidden_layers_written: bool,
    /// Layers punctures should end in. Default empty = not checked.
    pub target_layers: Vec<Layer>,
    /// Share of punctures that must end in a target layer, 0–1. Default 0.6 (only checked
    /// when `target_layers` is not empty).
    pub min_target_fraction: f64,
    /// Side of the square cells density is counted in, mm. Default 2.
    pub density_cell_mm: f64,
    /// Fewest punctures per cm² a treated cell must get. Default 100.
    pub density_min_per_cm2: f64,
    /// Most punctures per cm² any cell may get (more = over-treated). Default 100 000.
    pub density_max_per_cm2: f64,
    /// Share of the area's cells at or above `density_min_per_cm2`, 0–1. Default 0.9.
    pub min_coverage: f64,
    /// A line of at least this many over-dense cells along the glide direction is a tram
    /// track. Default 4.
    pub tram_track_cells: u32,
    /// Allowed deviation of the loaded stroke frequency from the set one, %. Default 5.
    pub stroke_hz_tolerance_pct: f64,
    /// The motor must have stopped within this of any fault, ms. Default 100.
    pub fault_stop_ms: f64,
    /// The faults that must happen, and no others (sorted in wire order, no duplicates, never
    /// [`FaultCode::None`]; names as in recordings: [`FaultCode::name`]). Default none.
    pub faults: Vec<FaultCode>,
    /// Largest share of frames with a bad CRC. Default 0.
    pub max_crc_error_rate: f64,
    /// Largest lag behind wall time, ms (real-time clock only). Default 50.
    pub max_lag_ms: f64,
    /// Golden recording directory, resolved against the scenario file's directory. Default
    /// none.
    pub golden: Option<PathBuf>,
    /// Whether the run must run to its end (false for runs that end in a refusal or a link
    /// failure). Default true.
    pub complete: bool,
    /// Add the design-verification criteria (`verify.depth_setting`, `verify.stroke_rate`,
    /// `verify.max_depth`, `verify.fault_response`). Default false.
    pub verification: bool,
    /// Allowed deviation of each stroke's mechanical excursion past the guard from the set
    /// exposure, µm. Default 150 (±0.15 mm, the depth tolerance of FDA 510(k) K182407).
    pub exposure_tolerance_um: f64,
    /// The deepest exposure the pen's label offers, µm: no stroke may go further, whatever
    /// happens. Default 2500 (the reference pen's 0.25–2.5 mm scale, as SkinPen's).
    pub labelled_max_exposure_um: f64,
    /// Detection bounds that replace the reference firmware's for `verify.fault_response`,
    /// ms, per fault (sorted in wire order, no duplicates). Default none (every bound from the
    /// firmware's configuration).
    pub fault_detect_ms: Vec<(FaultCode, f64)>,
    /// The emulated firmware's single-use running-time limit the scenario set
    /// (`[firmware] cartridge_limit_s`, not an `[expect]` key), s: `verify.fault_response`
    /// times `cartridge_expired` from the moment the running time reaches it. Default none.
    pub cartridge_limit_s: Option<f64>,
    /// Judge a recording that holds a face map zone by zone (the `zone.*` criteria of
    /// `needlebench-checks`). Default true; false leaves those criteria out of the report.
    pub zone_checks: bool,
    /// Share of all punctures that may land outside the zones the plan treats (outside every
    /// zone, or in a zone the plan skips) and still be acceptable for `zone.outside`: a
    /// cartridge's needles reach past the edge of a pass guided by its centre. Default 0.01.
    pub zone_outside_max_fraction: f64,
    /// Punctures past a zone's depth limit within this distance of the zone's edge, mm, are
    /// border spill (the needles at the edge of a cartridge guided along the zone's border):
    /// `zone.depth` is then at most acceptable for them, and `zone.outside` for punctures
    /// outside every zone this close to one. Forbidden layers are never excused.
    /// Default 0 (every puncture held to its zone's limit).
    pub zone_border_mm: f64,
}

impl Expect {
    /// Default of `depth_tolerance_um`.
    pub const DEPTH_TOLERANCE_UM: f64 = 50.0;
    /// Default of `min_target_fraction`.
    pub const MIN_TARGET_FRACTION: f64 = 0.6;
    /// Default of `density_cell_mm`.
    pub const DENSITY_CELL_MM: f64 = 2.0;
    /// Default of `density_min_per_cm2`.
    pub const DENSITY_MIN_PER_CM2: f64 = 100.0;
    /// Default of `density_max_per_cm2`.
    pub const DENSITY_MAX_PER_CM2: f64 = 100_000.0;
    /// Default of `min_coverage`.
    pub const MIN_COVERAGE: f64 = 0.9;
    /// Default of `tram_track_cells`.
    pub const TRAM_TRACK_CELLS: u32 = 4;
    /// Default of `stroke_hz_tolerance_pct`.
    pub const STROKE_HZ_TOLERANCE_PCT: f64 = 5.0;
    /// Default of `fault_stop_ms`.
    pub const FAULT_STOP_MS: f64 = 100.0;
    /// Default of `max_crc_error_rate`.
    pub const MAX_CRC_ERROR_RATE: f64 = 0.0;
    /// Default of `max_lag_ms`.
    pub const MAX_LAG_MS: f64 = 50.0;
    /// Default of `exposure_tolerance_um`: ±0.15 mm (FDA 510(k) summary K182407).
    pub const EXPOSURE_TOLERANCE_UM: f64 = 150.0;
    /// Default of `labelled_max_exposure_um`: 2.5 mm.
    pub const LABELLED_MAX_EXPOSURE_UM: f64 = 2500.0;
    /// Default of `zone_outside_max_fraction`.
    pub const ZONE_OUTSIDE_MAX_FRACTION: f64 = 0.01;

    /// Default forbidden layers for a site: everything below the fat
    /// ([`BELOW_HYPODERMIS`]) everywhere, and the hypodermis too on the built-in sites other
    /// than [`NON_FACIAL_SITES`].
    pub fn forbidden_layers_for(site: &str, builtin: bool) -> Vec<Layer> {
        let mut layers = Vec::with_capacity(4);
        if builtin && !NON_FACIAL_SITES.contains(&site) {
            layers.push(Layer::Hypodermis);
        }
        layers.extend(BELOW_HYPODERMIS);
        layers
    }

    /// Every default, for a site (see [`Expect::forbidden_layers_for`]).
    pub fn defaults_for(site: &str, builtin: bool) -> Expect {
        Expect {
            depth_tolerance_um: Self::DEPTH_TOLERANCE_UM,
            max_depth_um: None,
            forbidden_layers: Self::forbidden_layers_for(site, builtin),
            forbidden_layers_written: false,
            target_layers: Vec::new(),
            min_target_fraction: Self::MIN_TARGET_FRACTION,
            density_cell_mm: Self::DENSITY_CELL_MM,
            density_min_per_cm2: Self::DENSITY_MIN_PER_CM2,
            density_max_per_cm2: Self::DENSITY_MAX_PER_CM2,
            min_coverage: Self::MIN_COVERAGE,
            tram_track_cells: Self::TRAM_TRACK_CELLS,
            stroke_hz_tolerance_pct: Self::STROKE_HZ_TOLERANCE_PCT,
            fault_stop_ms: Self::FAULT_STOP_MS,
            faults: Vec::new(),
            max_crc_error_rate: Self::MAX_CRC_ERROR_RATE,
            max_lag_ms: Self::MAX_LAG_MS,
            golden: None,
            complete: true,
            verification: false,
            exposure_tolerance_um: Self::EXPOSURE_TOLERANCE_UM,
            labelled_max_exposure_um: Self::LABELLED_MAX_EXPOSURE_UM,
            fault_detect_ms: Vec::new(),
            cartridge_limit_s: None,
            zone_checks: true,
            zone_outside_max_fraction: Self::ZONE_OUTSIDE_MAX_FRACTION,
            zone_border_mm: 0.0,
        }
    }
}
