//! [`ScoreInput`]: what scoring needs, independent of any file format. The adapter in
//! [`crate::from_recording`] builds one from a recording; tests and the viewer's practice
//! mode can build one directly.

use crate::error::ScoreError;
use crate::geometry::Polygon;
use needlebench_physics::Layer;

/// Everything a treatment is scored from: the zones with their targets, the pen's path over
/// time and the punctures.
#[derive(Debug, Clone, PartialEq)]
pub struct ScoreInput {
    /// The zones, in face-map order. Zones with a [`ZoneInput::target`] are scored; the
    /// others are only named when punctures land in them.
    pub zones: Vec<ZoneInput>,
    /// The pen over time (one sample per firmware tick in a recording), `t_us` ascending.
    pub samples: Vec<Sample>,
    /// The punctures, `t_us` ascending.
    pub punctures: Vec<Puncture>,
    /// Side of the square cells density, coverage and hot spots are counted in, mm (> 0).
    pub cell_mm: f64,
    /// Whether the pen's centre on the skin outside every zone strays (true on a face map;
    /// false for one treated area, whose patterns turn around outside it).
    pub outside_strays: bool,
}

/// One zone of the face map and what the plan asked for in it.
#[derive(Debug, Clone, PartialEq)]
pub struct ZoneInput {
    /// Stable identifier (`left_cheek`).
    pub id: String,
    /// Name shown to people (`left cheek`).
    pub label: String,
    /// Outline, mm, a simple polygon without the repeated closing point.
    pub outline_mm: Vec<[f64; 2]>,
    /// Recommended exposure range of the zone (the depth chart), mm: the pen's setting is
    /// scored against it (`exposure_mm`), and a puncture deeper than its upper end is out of
    /// range (`depth_in_range`).
    pub depth_mm: [f64; 2],
    /// Target density band of one treatment, punctures per cm².
    pub density_per_cm2: [f64; 2],
    /// The plan's targets; `None`: the zone is not in the plan (not scored).
    pub target: Option<ZoneTarget>,
}

/// What the plan asked for in one zone.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct ZoneTarget {
    /// Exposure set on the pen, mm.
    pub exposure_mm: f64,
    /// Glide speed, mm/s; `None` (stamping): glide speed and its variation are not scored.
    pub glide_mm_s: Option<f64>,
    /// Pressing force, N.
    pub force_n: f64,
    /// Passes over the zone (≥ 1).
    pub passes: u32,
    /// Raster sweeps in one pass (the directions of a crosshatch; 1 for straight and spiral).
    pub sweeps_per_pass: u32,
    /// Distance between raster lines, mm; `None` (stamping, freehand): passes are not scored.
    pub line_spacing_mm: Option<f64>,
    /// Tilt from the skin normal, degrees.
    pub tilt_deg: f64,
    /// Planned time on the skin in the zone, s; `None`: time is not scored.
    pub planned_s: Option<f64>,
    /// The density the plan produces, punctures per cm² (hot spots are cells above
    /// [`HOT_FACTOR`](crate::HOT_FACTOR) times this).
    pub density_per_cm2: f64,
}

/// The pen at one instant.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Sample {
    /// Time since the start, µs.
    pub t_us: u64,
    /// Pen centre on the face, mm.
    pub pos_mm: [f64; 2],
    /// Pressing force, N.
    pub force_n: f64,
    /// Tilt from the skin normal, degrees.
    pub tilt_deg: f64,
    /// Exposure set on the pen, µm.
    pub exposure_um: f64,
    /// The pen touches the skin.
    pub skin_contact: bool,
}

/// One puncture.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Puncture {
    /// Time since the start, µs.
    pub t_us: u64,
    /// Position on the face, mm.
    pub pos_mm: [f64; 2],
    /// Deepest point below the skin surface, µm.
    pub depth_um: f64,
    /// The layer that depth lies in.
    pub layer: Layer,
    /// Index into [`ScoreInput::zones`]; `None`: outside every zone.
    pub zone: Option<usize>,
}

impl ScoreInput {
    /// The zone a point lies in (the first whose outline holds it), `None` outside all.
    pub fn zone_at(&self, p_mm: [f64; 2]) -> Option<usize> {
        self.zones
            .iter()
            .position(|z| Polygon::new(&z.outline_mm).contains(p_mm))
    }

    /// Check what scoring relies on: a positive finite cell size, ≥ 3 outline points per
    /// zone, ordered bands, positive targets, times ascending, zone indexes in range.
    pub fn validate(&self) -> Result<(), ScoreError> {
        let bad = |what: String| Err(ScoreError::Input { what });
        if !(self.cell_mm.is_finite() && self.cell_mm > 0.0) {
            return bad(format!("cell size {} mm is not positive", self.cell_mm));
        }
        for z in &self.zones {
            if z.outline_mm.len() < 3 {
                return bad(format!("zone {} has fewer than 3 outline points", z.id));
            }
            for (name, b) in [
                ("depth_mm", z.depth_mm),
                ("density_per_cm2", z.density_per_cm2),
            ] {
                if !(b[0].is_finite() && b[1].is_finite() && b[0] <= b[1]) {
                    return bad(format!("zone {}: {name} is not an ordered range", z.id));
                }
            }
            if let Some(t) = &z.target {
                let positive = [t.exposure_mm, t.force_n, t.density_per_cm2]
                    .into_iter()
                    .chain(t.glide_mm_s)
                    .chain(t.line_spacing_mm)
                    .chain(t.planned_s)
                    .all(|v| v.is_finite() && v > 0.0);
                if !positive || t.passes == 0 || t.sweeps_per_pass == 0 || !t.tilt_deg.is_finite() {
                    return bad(format!("zone {}: a target is not positive", z.id));
                }
            }
        }
        if self.samples.windows(2).any(|w| w[1].t_us < w[0].t_us) {
            return bad("samples are not in time order".to_owned());
        }
        if self.punctures.windows(2).any(|w| w[1].t_us < w[0].t_us) {
            return bad("punctures are not in time order".to_owned());
        }
        if let Some(p) = self
            .punctures
            .iter()
            .find(|p| p.zone.is_some_and(|i| i >= self.zones.len()))
        {
            return bad(format!(
                "a puncture at {} µs names zone {} of {}",
                p.t_us,
                p.zone.unwrap_or(0),
                self.zones.len()
            ));
        }
        Ok(())
    }
}
