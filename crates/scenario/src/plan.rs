//! The checked `[plan]`: a whole-face treatment, zone by zone, on a face map.

use crate::model::Pattern;
use needlebench_face::{FaceMap, Zone};
use std::sync::Arc;

/// A whole-face treatment plan: zones of a face map treated in order, with the operator's
/// pauses and depth changes between them.
#[derive(Debug, Clone, PartialEq)]
pub struct Plan {
    /// The face map whose zones the plan names.
    pub face_map: Arc<FaceMap>,
    /// `plan.face_map` as written: a built-in map's name or a path (relative to the
    /// scenario file).
    pub face_map_ref: String,
    /// Pen lifted between zones, s.
    pub pause_s: f64,
    /// How long the operator takes to turn the depth dial when the exposure changes
    /// between zones (pen lifted, motor running), s.
    pub depth_change_s: f64,
    /// The steps, in treatment order (≥ 1).
    pub zones: Vec<PlanZone>,
}

impl Plan {
    /// The face map's zone a step treats.
    pub fn zone_of(&self, step: &PlanZone) -> &Zone {
        &self.face_map.zones[step.zone]
    }
}

/// One step of a plan: a zone treated with one setting and technique.
#[derive(Debug, Clone, PartialEq)]
pub struct PlanZone {
    /// The zone: an index into the plan's `face_map.zones`.
    pub zone: usize,
    /// Exposure setting for this zone, mm (0–3.0, a multiple of 0.05).
    pub exposure_mm: f64,
    /// The motion pattern; a freehand path is in face coordinates, its times relative to
    /// the start of this step.
    pub pattern: Pattern,
    /// Distance between lines (straight, crosshatch) or spiral pitch, mm.
    pub line_spacing_mm: f64,
    /// Pass directions, degrees (straight uses the first; crosshatch all, ≥ 2).
    pub angles_deg: Vec<f64>,
    /// Stamping grid pitch, mm.
    pub stamp_pitch_mm: f64,
    /// Time on the skin per stamp, ms.
    pub stamp_dwell_ms: f64,
    /// Glide speed, mm/s.
    pub glide_mm_s: f64,
    /// How many times the pattern is repeated over the zone (≥ 1).
    pub passes: u32,
    /// Pressing force, N.
    pub force_n: f64,
    /// Tilt from the skin normal, degrees (0–45).
    pub tilt_deg: f64,
    /// A trainee's error: the whole pattern shifted by this much, mm (`[dx, dy]`).
    pub offset_mm: [f64; 2],
    /// A trainee's error: raster lines run this far past the zone's edge, mm (≥ 0).
    pub overshoot_mm: f64,
    /// A trainee's error: the hand glides at this speed instead of `glide_mm_s`, mm/s
    /// (`actual_glide_mm_s`). `glide_mm_s` stays the plan's target, which the checks and
    /// `needlebench score` judge the run against; the runner moves the hand at
    /// [`PlanZone::hand_glide_mm_s`].
    pub actual_glide_mm_s: Option<f64>,
    /// A trainee's error: the hand presses with this force instead of `force_n`, N
    /// (`actual_force_n`); `force_n` stays the target ([`PlanZone::hand_force_n`]).
    pub actual_force_n: Option<f64>,
}

impl PlanZone {
    /// The glide speed the hand actually moves at, mm/s: `actual_glide_mm_s` when the
    /// scenario writes a trainee's deviation, else the plan's `glide_mm_s`.
    pub fn hand_glide_mm_s(&self) -> f64 {
        self.actual_glide_mm_s.unwrap_or(self.glide_mm_s)
    }

    /// The force the hand actually presses with, N: `actual_force_n`, else `force_n`.
    pub fn hand_force_n(&self) -> f64 {
        self.actual_force_n.unwrap_or(self.force_n)
    }
}
