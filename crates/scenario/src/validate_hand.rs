//! Checks of `[hand]`: area, pattern and the keys each pattern takes (shared with
//! `[[plan.zone]]`), force, tilt, tremor.

use crate::doc::{Seg, dotted};
use crate::error::ScenarioError;
use crate::model::{Area, Force, Hand, Pattern, polygon_area_mm2};
use crate::raw::{RawArea, RawHand, RawPattern, RawStroke};
use crate::validate::{Validator, join, keys, num};
use crate::waypoints::load_path;

/// Largest extent of a treated area, mm.
const AREA_MAX_MM: f64 = 1000.0;

/// Default glide speed, mm/s.
pub const DEFAULT_GLIDE_MM_S: f64 = 10.0;
/// Default pressing force, N.
pub const DEFAULT_FORCE_N: f64 = 2.0;

/// A motion pattern and the keys it reads, checked (shared by `[hand]` and each
/// `[[plan.zone]]`).
pub(crate) struct Stroke {
    pub(crate) pattern: Pattern,
    pub(crate) glide_mm_s: f64,
    pub(crate) passes: u32,
    pub(crate) line_spacing_mm: f64,
    pub(crate) angles_deg: Vec<f64>,
    pub(crate) stamp_pitch_mm: f64,
    pub(crate) stamp_dwell_ms: f64,
}

impl Validator<'_, '_> {
    pub(crate) fn hand(&self, raw: &RawHand) -> Result<Hand, ScenarioError> {
        let missing = |key: &str| ScenarioError::Schema {
            at: self.doc.loc(&keys(&["hand"])),
            message: format!("missing key `{key}` in [hand]"),
        };
        let area = self.area(raw.area.as_ref().ok_or_else(|| missing("area"))?)?;
        let pattern = raw.pattern.ok_or_else(|| missing("pattern"))?;
        let stroke = self.stroke(&keys(&["hand"]), &raw.stroke(pattern))?;
        let force = self.force(raw)?;
        let tilt_deg = self.tilt(raw)?;
        let (tremor_mm, tremor_hz) = self.tremor(raw)?;
        Ok(Hand {
            area,
            pattern: stroke.pattern,
            glide_mm_s: stroke.glide_mm_s,
            passes: stroke.passes,
            line_spacing_mm: stroke.line_spacing_mm,
            angles_deg: stroke.angles_deg,
            stamp_pitch_mm: stroke.stamp_pitch_mm,
            stamp_dwell_ms: stroke.stamp_dwell_ms,
            force,
            tilt_deg,
            tremor_mm,
            tremor_hz,
        })
    }

    /// `hand.tremor_mm` (0–5, default 0) and `hand.tremor_hz` (0–50, default 8).
    pub(crate) fn tremor(&self, raw: &RawHand) -> Result<(f64, f64), ScenarioError> {
        let h = |key: &str| keys(&["hand", key]);
        let tremor_mm = self.opt(&h("tremor_mm"), raw.tremor_mm, 0.0, |v, p, x| {
            v.range(p, x, 0.0, 5.0)
        })?;
        let tremor_hz = self.opt(&h("tremor_hz"), raw.tremor_hz, 8.0, |v, p, x| {
            v.pos(p, x, 50.0)
        })?;
        Ok((tremor_mm, tremor_hz))
    }

    /// `hand.tilt_deg`, 0–45° (default 0).
    pub(crate) fn tilt(&self, raw: &RawHand) -> Result<f64, ScenarioError> {
        self.opt(
            &keys(&["hand", "tilt_deg"]),
            raw.tilt_deg,
            0.0,
            |v, p, x| v.range(p, x, 0.0, 45.0),
        )
    }

    /// The pattern keys of the table at `base` (`hand`, `plan.zone[2]`): each key only with
    /// a pattern that reads it, ranges, defaults, and a freehand pattern's path file.
    pub(crate) fn stroke(
        &self,
        base: &[Seg],
        raw: &RawStroke<'_>,
    ) -> Result<Stroke, ScenarioError> {
        let h = |key: &str| join(base, key);
        let table = dotted(base);
        let this_pattern = pattern_name(raw.pattern);
        // Keys that only some patterns read: giving one to another pattern is a mistake.
        let applies: [(&str, bool, &[RawPattern]); 5] = [
            (
                "line_spacing_mm",
                raw.line_spacing_mm.is_some(),
                &[
                    RawPattern::Straight,
                    RawPattern::Crosshatch,
                    RawPattern::Spiral,
                ],
            ),
            (
                "angles_deg",
                raw.angles_deg.is_some(),
                &[RawPattern::Straight, RawPattern::Crosshatch],
            ),
            (
                "stamp_pitch_mm",
                raw.stamp_pitch_mm.is_some(),
                &[RawPattern::Stamping],
            ),
            (
                "stamp_dwell_ms",
                raw.stamp_dwell_ms.is_some(),
                &[RawPattern::Stamping],
            ),
            (
                "waypoints_csv",
                raw.waypoints_csv.is_some(),
                &[RawPattern::Freehand],
            ),
        ];
        for (key, given, patterns) in applies {
            if given && !patterns.contains(&raw.pattern) {
                let names: Vec<_> = patterns.iter().map(|p| pattern_name(*p)).collect();
                let msg = format!(
                    "{table}.{key}: not used by pattern = \"{this_pattern}\" (only by {})",
                    names.join(", ")
                );
                return Err(self.invalid(&h(key), msg));
            }
        }
        let glide_mm_s = self.opt(
            &h("glide_mm_s"),
            raw.glide_mm_s,
            DEFAULT_GLIDE_MM_S,
            |v, p, x| v.pos(p, x, 100.0),
        )?;
        let passes = raw.passes.unwrap_or(1);
        if !(1..=1000).contains(&passes) {
            let msg = format!("{table}.passes = {passes} out of range 1–1000");
            return Err(self.invalid(&h("passes"), msg));
        }
        let line_spacing_mm = self.opt(
            &h("line_spacing_mm"),
            raw.line_spacing_mm,
            2.0,
            |v, p, x| v.pos(p, x, 50.0),
        )?;
        let default_angles: &[f64] = if raw.pattern == RawPattern::Crosshatch {
            &[0.0, 90.0]
        } else {
            &[0.0]
        };
        let angles_deg = raw.angles_deg.unwrap_or(default_angles).to_vec();
        for (i, a) in angles_deg.iter().enumerate() {
            let mut p = h("angles_deg");
            p.push(Seg::Index(i));
            self.range(&p, *a, -360.0, 360.0)?;
        }
        if raw.pattern == RawPattern::Crosshatch && angles_deg.len() < 2 {
            let msg = format!(
                "{table}.angles_deg: crosshatch needs at least 2 directions, has {}",
                angles_deg.len()
            );
            return Err(self.invalid(&h("angles_deg"), msg));
        }
        if angles_deg.is_empty() {
            let msg = format!("{table}.angles_deg: needs at least 1 direction");
            return Err(self.invalid(&h("angles_deg"), msg));
        }
        let stamp_pitch_mm =
            self.opt(&h("stamp_pitch_mm"), raw.stamp_pitch_mm, 3.0, |v, p, x| {
                v.pos(p, x, 50.0)
            })?;
        let stamp_dwell_ms = self.opt(
            &h("stamp_dwell_ms"),
            raw.stamp_dwell_ms,
            150.0,
            |v, p, x| v.pos(p, x, 10_000.0),
        )?;
        let pattern = match raw.pattern {
            RawPattern::Straight => Pattern::Straight,
            RawPattern::Crosshatch => Pattern::Crosshatch,
            RawPattern::Spiral => Pattern::Spiral,
            RawPattern::Stamping => Pattern::Stamping,
            RawPattern::Freehand => self.freehand(base, raw.waypoints_csv)?,
        };
        Ok(Stroke {
            pattern,
            glide_mm_s,
            passes,
            line_spacing_mm,
            angles_deg,
            stamp_pitch_mm,
            stamp_dwell_ms,
        })
    }

    fn area(&self, raw: &RawArea) -> Result<Area, ScenarioError> {
        match raw {
            RawArea::Rect(r) => {
                let p = |key: &str| keys(&["hand", "area", "rect", key]);
                self.range(&p("x_mm"), r.x_mm, -AREA_MAX_MM, AREA_MAX_MM)?;
                self.range(&p("y_mm"), r.y_mm, -AREA_MAX_MM, AREA_MAX_MM)?;
                self.pos(&p("width_mm"), r.width_mm, AREA_MAX_MM)?;
                self.pos(&p("height_mm"), r.height_mm, AREA_MAX_MM)?;
                Ok(Area::Rect {
                    x_mm: r.x_mm,
                    y_mm: r.y_mm,
                    width_mm: r.width_mm,
                    height_mm: r.height_mm,
                })
            }
            RawArea::Polygon(points) => {
                let p = keys(&["hand", "area", "polygon"]);
                if points.len() < 3 {
                    let msg = format!(
                        "hand.area.polygon: needs at least 3 points [x_mm, y_mm], has {}",
                        points.len()
                    );
                    return Err(self.invalid(&p, msg));
                }
                for (i, pt) in points.iter().enumerate() {
                    let mut pp = p.clone();
                    pp.push(Seg::Index(i));
                    for v in pt {
                        if !(-AREA_MAX_MM..=AREA_MAX_MM).contains(v) {
                            let msg = format!(
                                "hand.area.polygon[{i}] = [{}, {}] out of range: coordinates in -{}–{} mm",
                                num(pt[0]),
                                num(pt[1]),
                                num(AREA_MAX_MM),
                                num(AREA_MAX_MM)
                            );
                            return Err(self.invalid(&pp, msg));
                        }
                    }
                }
                if polygon_area_mm2(points) < 1e-6 {
                    let msg = "hand.area.polygon: has zero area (points collinear or repeated)"
                        .to_owned();
                    return Err(self.invalid(&p, msg));
                }
                Ok(Area::Polygon(points.clone()))
            }
        }
    }

    fn freehand(&self, base: &[Seg], csv: Option<&str>) -> Result<Pattern, ScenarioError> {
        let p = join(base, "waypoints_csv");
        let table = dotted(base);
        let Some(rel) = csv else {
            let msg = format!(
                "{table}: pattern = \"freehand\" needs `waypoints_csv` (a CSV file with header t_s,x_mm,y_mm)"
            );
            return Err(self.invalid(&join(base, "pattern"), msg));
        };
        let path = self.resolve_read(rel);
        let at = self.doc.loc(&p);
        let waypoints = load_path(&path, &at, &dotted(&p)).map_err(|e| match e {
            ScenarioError::Io { path, source } => {
                let msg = format!(
                    "{table}.waypoints_csv = \"{rel}\": cannot read {}: {source}",
                    path.display()
                );
                self.invalid(&p, msg)
            }
            other => other,
        })?;
        Ok(Pattern::Freehand {
            waypoints_csv: path,
            waypoints,
        })
    }

    fn force(&self, raw: &RawHand) -> Result<Force, ScenarioError> {
        let h = |key: &str| keys(&["hand", key]);
        match (raw.force_n, &raw.force_profile) {
            (Some(_), Some(_)) => {
                let msg = "hand: give either `force_n` or `force_profile`, not both".to_owned();
                Err(self.invalid(&h("force_profile"), msg))
            }
            (f, None) => {
                let f = self.opt(&h("force_n"), f, DEFAULT_FORCE_N, |v, p, x| {
                    v.range(p, x, 0.0, 50.0)
                })?;
                Ok(Force::Constant(f))
            }
            (None, Some(points)) => {
                let base = h("force_profile");
                if points.is_empty() {
                    let msg =
                        "hand.force_profile: needs at least 1 point [t_s, force_n]".to_owned();
                    return Err(self.invalid(&base, msg));
                }
                let mut out: Vec<(f64, f64)> = Vec::with_capacity(points.len());
                for (i, &[t_s, force_n]) in points.iter().enumerate() {
                    let mut p = base.clone();
                    p.push(Seg::Index(i));
                    let key = format!("hand.force_profile[{i}]");
                    if !(0.0..=1e6).contains(&t_s) {
                        let msg = format!("{key}: t_s = {} out of range 0.0–1000000.0", num(t_s));
                        return Err(self.invalid(&p, msg));
                    }
                    if let Some(&(prev, _)) = out.last()
                        && t_s <= prev
                    {
                        let msg = format!(
                            "{key}: t_s = {} must be greater than the previous point's {}",
                            num(t_s),
                            num(prev)
                        );
                        return Err(self.invalid(&p, msg));
                    }
                    if !(0.0..=50.0).contains(&force_n) {
                        let msg =
                            format!("{key}: force_n = {} out of range 0.0–50.0", num(force_n));
                        return Err(self.invalid(&p, msg));
                    }
                    out.push((t_s, force_n));
                }
                Ok(Force::Profile(out))
            }
        }
    }
}

pub(crate) fn pattern_name(p: RawPattern) -> &'static str {
    match p {
        RawPattern::Straight => "straight",
        RawPattern::Crosshatch => "crosshatch",
        RawPattern::Spiral => "spiral",
        RawPattern::Stamping => "stamping",
        RawPattern::Freehand => "freehand",
    }
}
