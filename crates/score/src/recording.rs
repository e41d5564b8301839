//! The adapter: a [`ScoreInput`] from a recording and the scenario copy it holds.
//!
//! Targets come from the exact scenario copy in the recording (read as `needlebench check`
//! reads its expectations), so a score does not depend on the directory it runs in; or from
//! a scenario file given instead (`score --plan FILE`): the plan a trainee attempted, when the
//! recording's own scenario is the trainee's run with its errors written into it. A recording
//! without a copy and no file given cannot be scored ([`ScoreError::NoScenario`]). With a file
//! given and a run that is itself a plan, only the zones the run's own plan treats are scored
//! (a trainee's run of four zones of a fourteen-zone plan is not failed for the ten it never
//! set out to do). The
//! scenario that gives the targets decides the zones: with a `[plan]`, the face map's; without
//! one, the recording's treated area as one zone.
//!
//! **With a treatment plan** (`[plan]`) every zone of the face map is a zone of the input, in
//! the map's order: the recording's copy (`face-map.toml`, the exact bytes the run used), or
//! the scenario's map for a recording without one. Each zone's depth chart and density band
//! are the map's; its targets come from the plan's steps on it (exposure, pattern, line
//! spacing, glide, passes, force, tilt). A zone treated in several steps adds up their
//! passes, planned time and planned density, and takes the rest from its first step. Zones
//! no step names are not scored (punctures in them are reported). A puncture's zone is the
//! one the recording gives it (format 4), else the face-map zone at its position.
//!
//! **Without a face map** (a scenario without `[plan]`) the whole treated area
//! (`meta.toml [setup] area`) is scored as one zone with id [`AREA_ZONE_ID`]. Its targets
//! are the scenario's: `[pen] exposure_mm`, `[hand]` glide, passes, force (the mean of the
//! force over the recorded samples' times), tilt, pattern and line spacing. Its "depth chart"
//! is the exposure up to the deepest puncture the checker allows (`expect.max_depth_um`, else
//! the exposure plus `expect.depth_tolerance_um`), its density band `expect
//! .density_min_per_cm2`–`density_max_per_cm2`, its cells `expect.density_cell_mm`.
//!
//! Derived targets, for any zone: one pass of a raster over area `A` with line spacing `s`
//! and `k` sweeps (crosshatch directions) is `A·k/s` mm long, so the planned time is
//! `passes·A·k/(s·g)` at glide `g` (capped at `duration_s` when the scenario sets one), and
//! the plan's density `D = 100·n·f·passes·k/(g·s)` per cm² for `n` needles at `f` strokes
//! per second (`meta.toml [setup] needle_count`, `target_stroke_hz`). Stamping has no glide
//! (no glide, passes or time target; `D` is the geometric mean of the density band);
//! freehand has no raster (no passes target; its planned time is its last waypoint's, its
//! glide target the waypoints' mean speed: path length ÷ time from first to last).
//! Without a face map every puncture belongs to the one zone (a cartridge's needles land up
//! to its radius beyond the path's area).

use crate::error::ScoreError;
use crate::geometry::Polygon;
use crate::input::{Puncture, Sample, ScoreInput, ZoneInput, ZoneTarget};
use needlebench_face::FaceMap;
use needlebench_recording::{Recording, ZoneRef};
use needlebench_scenario::{Device, ExpandOptions, Pattern, Plan, Scenario, ScenarioFile};
use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

/// Id (and label) of the single zone of a recording without a face map.
pub const AREA_ZONE_ID: &str = "area";

/// A score input read from a recording, with what it was read from.
#[derive(Debug, Clone)]
pub struct Loaded {
    /// The input.
    pub input: ScoreInput,
    /// The name of the scenario the targets came from.
    pub scenario: String,
    /// Where the targets came from: the recording's scenario copy or the given file.
    pub targets: PathBuf,
    /// The face map's name; `None`: the treated area was scored as one zone.
    pub face_map: Option<String>,
    /// Problems that did not stop the reading (a cut last row of an incomplete recording).
    pub warnings: Vec<String>,
}

/// Read `rec` into a [`ScoreInput`], with the targets of the scenario file `targets` when
/// given (the plan a trainee attempted), else of the recording's own scenario copy.
///
/// Errors: no scenario (no copy and no file), a scenario that does not parse, one whose
/// device is not a pen, a face map copy that does not parse, a bad row (the message names
/// file, row and column).
pub fn from_recording(rec: &Recording, targets: Option<&Path>) -> Result<Loaded, ScoreError> {
    // a variant of a matrix scenario is selected by the name its recording stores
    let variant = Some(rec.meta().scenario.variant.as_str()).filter(|v| !v.is_empty());
    let own = match rec.scenario_copy() {
        Some(copy) => Some((
            ScenarioFile::from_copy(&copy, &rec.scenario_files())?.select(variant)?,
            copy,
        )),
        None => None,
    };
    // with a plan given, the zones the run's own plan treats (all of the given plan's when
    // the run has no plan of its own)
    let mut treated: Option<BTreeSet<String>> = None;
    let (scenario, source) = match (targets, own) {
        (Some(path), own) => {
            let file = ScenarioFile::read(path, ExpandOptions { allow_large: true })?;
            treated = own.as_ref().and_then(|(s, _)| s.plan.as_ref()).map(|p| {
                p.zones
                    .iter()
                    .map(|step| p.zone_of(step).id.clone())
                    .collect()
            });
            (file.select(variant)?, path.to_owned())
        }
        (None, Some(own)) => own,
        (None, None) => {
            return Err(ScoreError::NoScenario {
                path: rec.dir().to_owned(),
            });
        }
    };
    let Device::Pen(pen) = &scenario.device else {
        return Err(ScoreError::NotAPen {
            path: source,
            device: scenario.device.kind().name(),
        });
    };
    let samples = read_samples(rec)?;
    let setup = &rec.meta().setup;
    let needles_per_s = f64::from(setup.needle_count) * setup.target_stroke_hz;
    let (zones, punctures, face_map) = match &scenario.plan {
        Some(plan) => {
            // the exact copy the run used; the plan's own map for a recording without one
            let map = match rec.face_map() {
                Some(parsed) => parsed?,
                None => (*plan.face_map).clone(),
            };
            let zones = plan_zones(plan, &map, needles_per_s, treated.as_ref());
            // zone ids of the recording's list → face-map indexes
            let by_ref: Vec<Option<usize>> =
                rec.zone_ids().iter().map(|id| map.zone_index(id)).collect();
            let punctures = read_punctures(rec, |pos, zone| {
                if zone.is_recorded() {
                    zone.index().and_then(|i| by_ref.get(i).copied().flatten())
                } else {
                    map.zone_at(pos)
                }
            })?;
            (zones, punctures, Some(map.name.clone()))
        }
        None => {
            let zone = area_zone(
                &scenario,
                pen.exposure_mm,
                &samples,
                &setup.area,
                needles_per_s,
            );
            // the needles of a cartridge land up to its radius beyond the path's area: every
            // puncture belongs to the one zone
            (vec![zone], read_punctures(rec, |_, _| Some(0))?, None)
        }
    };
    Ok(Loaded {
        input: ScoreInput {
            zones,
            samples,
            punctures,
            cell_mm: scenario.expect.density_cell_mm,
            outside_strays: face_map.is_some(),
        },
        scenario: scenario.name.clone(),
        targets: source,
        face_map,
        warnings: rec.warnings().to_vec(),
    })
}

/// Every zone of `map`, with the targets of the plan's steps on it (see the module docs);
/// only the zones in `treated`, when given, get targets.
fn plan_zones(
    plan: &Plan,
    map: &FaceMap,
    needles_per_s: f64,
    treated: Option<&BTreeSet<String>>,
) -> Vec<ZoneInput> {
    map.zones
        .iter()
        .map(|z| {
            let scored = treated.is_none_or(|t| t.contains(&z.id));
            let steps = plan
                .zones
                .iter()
                .filter(|step| scored && plan.zone_of(step).id == z.id);
            let target = steps
                .map(|step| {
                    target(
                        &step.pattern,
                        raster(&step.pattern, step.line_spacing_mm, step.angles_deg.len()),
                        z.area_mm2(),
                        step.glide_mm_s,
                        step.passes,
                        step.force_n,
                        step.tilt_deg,
                        step.exposure_mm,
                        z.density_per_cm2,
                        needles_per_s,
                        None,
                    )
                })
                .reduce(|first, next| ZoneTarget {
                    passes: first.passes + next.passes,
                    planned_s: first.planned_s.zip(next.planned_s).map(|(a, b)| a + b),
                    density_per_cm2: first.density_per_cm2 + next.density_per_cm2,
                    ..first
                });
            ZoneInput {
                id: z.id.clone(),
                label: z.label.clone(),
                outline_mm: z.outline_mm.clone(),
                depth_mm: z.depth_mm,
                density_per_cm2: z.density_per_cm2,
                target,
            }
        })
        .collect()
}

fn read_samples(rec: &Recording) -> Result<Vec<Sample>, ScoreError> {
    let rows = rec.telemetry()?.only(&[
        "t_us",
        "pen_x_mm",
        "pen_y_mm",
        "hand_force_n",
        "tilt_deg",
        "skin_contact",
        "exposure_um",
    ]);
    let mut out = Vec::new();
    for row in rows {
        let r = row?;
        out.push(Sample {
            t_us: r.t_us,
            pos_mm: [f64::from(r.pen_x_mm), f64::from(r.pen_y_mm)],
            force_n: f64::from(r.hand_force_n),
            tilt_deg: f64::from(r.tilt_deg),
            exposure_um: f64::from(r.exposure_um),
            skin_contact: r.skin_contact,
        });
    }
    Ok(out)
}

fn read_punctures(
    rec: &Recording,
    zone_of: impl Fn([f64; 2], ZoneRef) -> Option<usize>,
) -> Result<Vec<Puncture>, ScoreError> {
    let rows = rec
        .punctures()?
        .only(&["t_us", "x_mm", "y_mm", "depth_um", "layer", "zone"]);
    let mut out = Vec::new();
    for row in rows {
        let r = row?;
        let pos_mm = [f64::from(r.x_mm), f64::from(r.y_mm)];
        out.push(Puncture {
            t_us: r.t_us,
            pos_mm,
            depth_um: f64::from(r.depth_um),
            layer: r.layer,
            zone: zone_of(pos_mm, r.zone),
        });
    }
    Ok(out)
}

/// Raster geometry of a pattern: (line spacing, sweeps per pass), `None` without a raster.
fn raster(pattern: &Pattern, line_spacing_mm: f64, angles: usize) -> Option<(f64, u32)> {
    match pattern {
        Pattern::Straight | Pattern::Spiral => Some((line_spacing_mm, 1)),
        Pattern::Crosshatch => Some((line_spacing_mm, u32::try_from(angles).unwrap_or(1).max(1))),
        Pattern::Stamping | Pattern::Freehand { .. } => None,
    }
}

/// Targets derived from a zone's plan (see the module docs).
#[allow(clippy::too_many_arguments)]
fn target(
    pattern: &Pattern,
    raster: Option<(f64, u32)>,
    area_mm2: f64,
    glide_mm_s: f64,
    passes: u32,
    force_n: f64,
    tilt_deg: f64,
    exposure_mm: f64,
    density_band: [f64; 2],
    needles_per_s: f64,
    duration_s: Option<f64>,
) -> ZoneTarget {
    let glide = match pattern {
        Pattern::Stamping => None,
        Pattern::Freehand { waypoints, .. } => waypoint_speed(waypoints),
        _ => Some(glide_mm_s),
    };
    let p = f64::from(passes);
    let band_mid = (density_band[0].max(1.0) * density_band[1].max(1.0)).sqrt();
    let (planned_s, density) = match (raster, glide) {
        (Some((s, k)), Some(g)) => {
            let k = f64::from(k);
            let d = 100.0 * needles_per_s * p * k / (g * s);
            (
                Some(p * area_mm2 * k / (s * g)),
                if d > 0.0 { d } else { band_mid },
            )
        }
        _ => match pattern {
            Pattern::Freehand { waypoints, .. } => (waypoints.last().map(|w| w.t_s), band_mid),
            _ => (None, band_mid),
        },
    };
    let planned_s = match (planned_s, duration_s) {
        (Some(p), Some(d)) => Some(p.min(d)),
        (p, _) => p,
    }
    .filter(|s| *s > 0.0);
    ZoneTarget {
        exposure_mm,
        glide_mm_s: glide,
        force_n,
        passes,
        sweeps_per_pass: raster.map_or(1, |r| r.1),
        line_spacing_mm: raster.map(|r| r.0),
        tilt_deg,
        planned_s,
        density_per_cm2: density,
    }
}

/// Mean speed along freehand waypoints: path length ÷ time from the first to the last.
fn waypoint_speed(w: &[needlebench_scenario::Waypoint]) -> Option<f64> {
    let len: f64 = w
        .windows(2)
        .map(|p| (p[1].x_mm - p[0].x_mm).hypot(p[1].y_mm - p[0].y_mm))
        .sum();
    let dt = w.last()?.t_s - w.first()?.t_s;
    (dt > 0.0 && len > 0.0).then(|| len / dt)
}

/// The treated area as one zone with the scenario's hand targets.
fn area_zone(
    s: &Scenario,
    exposure_mm: f64,
    samples: &[Sample],
    area: &[[f64; 2]],
    needles_per_s: f64,
) -> ZoneInput {
    let hand = &s.hand;
    let outline = if area.len() >= 3 {
        area.to_vec()
    } else {
        hand.area.polygon()
    };
    let deepest_um = s
        .expect
        .max_depth_um
        .unwrap_or(exposure_mm * 1000.0 + s.expect.depth_tolerance_um);
    let force_n = if samples.is_empty() {
        hand.force_at_s(0.0)
    } else {
        samples
            .iter()
            .map(|x| hand.force_at_s(x.t_us as f64 / 1e6))
            .sum::<f64>()
            / samples.len() as f64
    };
    let density = [s.expect.density_min_per_cm2, s.expect.density_max_per_cm2];
    let area_mm2 = Polygon::new(&outline).area();
    let t = target(
        &hand.pattern,
        raster(&hand.pattern, hand.line_spacing_mm, hand.angles_deg.len()),
        area_mm2,
        hand.glide_mm_s,
        hand.passes,
        force_n,
        hand.tilt_deg,
        exposure_mm,
        density,
        needles_per_s,
        s.duration_s,
    );
    ZoneInput {
        id: AREA_ZONE_ID.to_owned(),
        label: AREA_ZONE_ID.to_owned(),
        outline_mm: outline,
        depth_mm: [exposure_mm, (deepest_um / 1000.0).max(exposure_mm)],
        density_per_cm2: density,
        target: Some(t),
    }
}
