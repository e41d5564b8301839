//! Checks of `[plan]`: the face map, each step's zone, exposure and technique (the pattern
//! keys through the same code as `[hand]`), and what `[hand]` and `[skin]` may still say
//! beside a plan.

use crate::doc::Seg;
use crate::error::ScenarioError;
use crate::model::{Area, Force, Hand, Plan, PlanZone, Skin};
use crate::raw::{RawHand, RawPlan, RawPlanZone, RawSkin};
use crate::validate::{Validator, join, keys};
use crate::validate_hand::DEFAULT_FORCE_N;
use needlebench_face::{FaceMap, FaceMapErrorKind};
use std::sync::Arc;

/// Default pause between zones, s.
pub const DEFAULT_PAUSE_S: f64 = 2.0;
/// Default time the operator takes to change the depth setting, s.
pub const DEFAULT_DEPTH_CHANGE_S: f64 = 4.0;
/// Longest pause or depth change, s.
const OPERATOR_MAX_S: f64 = 3600.0;
/// Largest offset of a pass and largest overshoot, mm.
const OFFSET_MAX_MM: f64 = 100.0;

/// The `[hand]` keys a plan allows (each zone has its own motion).
const HAND_WITH_PLAN: &str = "tremor_mm, tremor_hz, tilt_deg";

impl Validator<'_, '_> {
    pub(crate) fn plan(
        &self,
        raw: &RawPlan,
        hand: Option<&RawHand>,
    ) -> Result<Plan, ScenarioError> {
        let face_map_ref = raw
            .face_map
            .clone()
            .unwrap_or_else(|| FaceMap::DEFAULT.to_owned());
        let face_map = Arc::new(self.face_map(&face_map_ref)?);
        let pause_s = self.opt(
            &keys(&["plan", "pause_s"]),
            raw.pause_s,
            DEFAULT_PAUSE_S,
            |v, p, x| v.range(p, x, 0.0, OPERATOR_MAX_S),
        )?;
        let depth_change_s = self.opt(
            &keys(&["plan", "depth_change_s"]),
            raw.depth_change_s,
            DEFAULT_DEPTH_CHANGE_S,
            |v, p, x| v.range(p, x, 0.0, OPERATOR_MAX_S),
        )?;
        if raw.zone.is_empty() {
            let msg = "plan: needs at least one [[plan.zone]] (zone, exposure_mm, pattern)";
            return Err(self.invalid(&keys(&["plan"]), msg.to_owned()));
        }
        let default_tilt_deg = match hand {
            Some(h) => self.tilt(h)?,
            None => 0.0,
        };
        let zones = raw
            .zone
            .iter()
            .enumerate()
            .map(|(i, z)| self.plan_zone(i, z, &face_map, default_tilt_deg))
            .collect::<Result<Vec<_>, _>>()?;
        Ok(Plan {
            face_map,
            face_map_ref,
            pause_s,
            depth_change_s,
            zones,
        })
    }

    /// A built-in face map by name, else a face map file relative to the scenario.
    fn face_map(&self, reference: &str) -> Result<FaceMap, ScenarioError> {
        if let Some(map) = FaceMap::builtin(reference) {
            return Ok(map);
        }
        let p = keys(&["plan", "face_map"]);
        let path = self.resolve_read(reference);
        FaceMap::load(&path).map_err(|source| {
            if source.kind == FaceMapErrorKind::Io {
                let msg = format!(
                    "plan.face_map = \"{reference}\": not a built-in face map ({}) and {}: {}",
                    FaceMap::builtin_names().join(", "),
                    path.display(),
                    source.message
                );
                self.invalid(&p, msg)
            } else {
                ScenarioError::FaceMap {
                    at: self.doc.loc(&p),
                    source,
                }
            }
        })
    }

    fn plan_zone(
        &self,
        i: usize,
        raw: &RawPlanZone,
        map: &FaceMap,
        default_tilt_deg: f64,
    ) -> Result<PlanZone, ScenarioError> {
        let base = vec![
            Seg::Key("plan".to_owned()),
            Seg::Key("zone".to_owned()),
            Seg::Index(i),
        ];
        let z = |key: &str| join(&base, key);
        let Some(zone) = map.zone_index(&raw.zone) else {
            let msg = format!(
                "plan.zone[{i}].zone = \"{}\": face map `{}` has no such zone; its zones: {}",
                raw.zone,
                map.name,
                map.zone_ids()
            );
            return Err(self.invalid(&z("zone"), msg));
        };
        let exposure_mm = self.exposure(&z("exposure_mm"), raw.exposure_mm)?;
        let stroke = self.stroke(&base, &raw.stroke())?;
        let force_n = self.opt(&z("force_n"), raw.force_n, DEFAULT_FORCE_N, |v, p, x| {
            v.range(p, x, 0.0, 50.0)
        })?;
        let tilt_deg = self.opt(&z("tilt_deg"), raw.tilt_deg, default_tilt_deg, |v, p, x| {
            v.range(p, x, 0.0, 45.0)
        })?;
        let offset_mm = raw.offset_mm.unwrap_or([0.0, 0.0]);
        for (k, v) in offset_mm.iter().enumerate() {
            let mut p = z("offset_mm");
            p.push(Seg::Index(k));
            self.range(&p, *v, -OFFSET_MAX_MM, OFFSET_MAX_MM)?;
        }
        let overshoot_mm = self.opt(&z("overshoot_mm"), raw.overshoot_mm, 0.0, |v, p, x| {
            v.range(p, x, 0.0, OFFSET_MAX_MM)
        })?;
        // A trainee's deviations from the step's glide and force: the same ranges as theirs.
        let actual_glide_mm_s = raw
            .actual_glide_mm_s
            .map(|x| {
                let p = z("actual_glide_mm_s");
                self.opt(&p, Some(x), x, |v, p, x| v.pos(p, x, 100.0))
            })
            .transpose()?;
        let actual_force_n = raw
            .actual_force_n
            .map(|x| {
                let p = z("actual_force_n");
                self.opt(&p, Some(x), x, |v, p, x| v.range(p, x, 0.0, 50.0))
            })
            .transpose()?;
        Ok(PlanZone {
            zone,
            exposure_mm,
            pattern: stroke.pattern,
            line_spacing_mm: stroke.line_spacing_mm,
            angles_deg: stroke.angles_deg,
            stamp_pitch_mm: stroke.stamp_pitch_mm,
            stamp_dwell_ms: stroke.stamp_dwell_ms,
            glide_mm_s: stroke.glide_mm_s,
            passes: stroke.passes,
            force_n,
            tilt_deg,
            offset_mm,
            overshoot_mm,
            actual_glide_mm_s,
            actual_force_n,
        })
    }

    /// `[skin]` beside a plan: variation only; the site is the first zone's.
    pub(crate) fn plan_skin(
        &self,
        raw: Option<&RawSkin>,
        plan: &Plan,
    ) -> Result<Skin, ScenarioError> {
        let raw_default = RawSkin::default();
        let raw = raw.unwrap_or(&raw_default);
        for (key, given) in [
            ("site", raw.site.is_some()),
            ("custom", raw.custom.is_some()),
        ] {
            if given {
                let msg = format!(
                    "skin.{key}: not allowed with [plan]: each zone's site comes from the face map; \
                     with [plan], [skin] takes only thickness_variation, variation_length_mm"
                );
                return Err(self.invalid(&keys(&["skin", key]), msg));
            }
        }
        let (thickness_variation, variation_length_mm) = self.skin_variation(raw)?;
        let first = plan.zone_of(&plan.zones[0]);
        Ok(Skin {
            site: first.site.clone(),
            builtin: first.site_name != "custom",
            thickness_variation,
            variation_length_mm,
        })
    }

    /// `[hand]` beside a plan: tremor and tilt only; the rest is the first zone's (see
    /// [`crate::Scenario::hand`]).
    pub(crate) fn plan_hand(
        &self,
        raw: Option<&RawHand>,
        plan: &Plan,
    ) -> Result<Hand, ScenarioError> {
        let raw_default = RawHand::default();
        let raw = raw.unwrap_or(&raw_default);
        let motion = [
            ("area", raw.area.is_some()),
            ("pattern", raw.pattern.is_some()),
            ("glide_mm_s", raw.glide_mm_s.is_some()),
            ("passes", raw.passes.is_some()),
            ("line_spacing_mm", raw.line_spacing_mm.is_some()),
            ("angles_deg", raw.angles_deg.is_some()),
            ("stamp_pitch_mm", raw.stamp_pitch_mm.is_some()),
            ("stamp_dwell_ms", raw.stamp_dwell_ms.is_some()),
            ("waypoints_csv", raw.waypoints_csv.is_some()),
            ("force_n", raw.force_n.is_some()),
            ("force_profile", raw.force_profile.is_some()),
        ];
        if let Some((key, _)) = motion.iter().find(|(_, given)| *given) {
            let msg = format!(
                "hand.{key}: not allowed with [plan]: each [[plan.zone]] sets its own motion; \
                 with [plan], [hand] takes only {HAND_WITH_PLAN}"
            );
            return Err(self.invalid(&keys(&["hand", key]), msg));
        }
        let (tremor_mm, tremor_hz) = self.tremor(raw)?;
        let tilt_deg = self.tilt(raw)?;
        let first = &plan.zones[0];
        Ok(Hand {
            area: Area::Polygon(plan.face_map.outline_mm.clone()),
            pattern: first.pattern.clone(),
            glide_mm_s: first.glide_mm_s,
            passes: first.passes,
            line_spacing_mm: first.line_spacing_mm,
            angles_deg: first.angles_deg.clone(),
            stamp_pitch_mm: first.stamp_pitch_mm,
            stamp_dwell_ms: first.stamp_dwell_ms,
            force: Force::Constant(first.force_n),
            tilt_deg,
            tremor_mm,
            tremor_hz,
        })
    }
}
