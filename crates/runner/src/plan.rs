//! Treatment plans: the hand path over a face map's zones in the plan's order, and what changes
//! along it (force, tilt, exposure, the zone being treated).
//!
//! [`PlanPath::new`] lays the steps out in time from the operator's start (`t0_s`):
//!
//! 1. between two steps the pen is lifted for [`PlanSpec::pause_s`] (after the 0.2 s lift that
//!    ends every pass);
//! 2. when a step's exposure differs from the pen's, the operator turns the depth dial: the pen
//!    stays lifted, the motor keeps running, for [`PlanSpec::depth_change_s`]; the new exposure
//!    takes effect at the end of that time ([`DepthChange`]);
//! 3. the pen travels lifted to the step's first point (never gliding over the skin between
//!    zones) and does the step's passes of its pattern over the zone, each ending in a lift.
//!
//! Patterns are those of a single-area scenario ([`crate::hand`]) over the zone's polygon, the
//! whole step shifted by [`PlanStep::offset_mm`] (a trainee's error). Raster patterns
//! (straight, crosshatch) are clipped to the polygon exactly: each scan line is cut into every
//! interval inside it (so a concave zone's raster lifts over the gap instead of gliding across
//! it), each interval extended by [`PlanStep::overshoot_mm`] at both ends. Spiral and stamping
//! keep the points inside the polygon as they do for an area; freehand follows its waypoints
//! (face coordinates; times relative to the step's start, when the pen reaches the first one).
//!
//! Every segment carries the hand's force and tilt ([`PlanPath::force_tilt`]): the step's, or a
//! freehand waypoint's own (a path file's `force_n` / `tilt_deg` columns; force 0 = lifted).

use crate::hand::{Builder, HandPath, Pattern, Scan, freehand, spiral, stamping};
use needlebench_face::FaceMap;
use needlebench_face::geometry::scanline_intervals;

/// One freehand waypoint of a plan step.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Waypoint {
    /// Time, s, relative to the step's start (only differences between waypoints matter).
    pub t_s: f64,
    /// Position in face coordinates, mm.
    pub pos_mm: [f64; 2],
    /// Pressing force on the way to this waypoint, N (0 = lifted); `None`: the step's force.
    pub force_n: Option<f64>,
    /// Tilt on the way to this waypoint, degrees; `None`: the step's tilt.
    pub tilt_deg: Option<f64>,
}

/// What the hand does over one zone.
#[derive(Debug, Clone, PartialEq)]
pub enum StepPattern {
    /// A pattern of a single-area scenario over the zone (not freehand).
    Area(Pattern),
    /// Waypoints glided between in order (segment `k` carries waypoint `k + 1`'s force and tilt).
    Freehand(Vec<Waypoint>),
}

/// One step of a plan: a zone, how it is treated.
#[derive(Debug, Clone, PartialEq)]
pub struct PlanStep {
    /// Index of the zone in the face map's `zones`.
    pub zone: usize,
    /// Exposure for this zone, µm.
    pub exposure_um: f64,
    /// The hand's pattern.
    pub pattern: StepPattern,
    /// Spacing of raster lines and spiral turns, mm.
    pub line_spacing_mm: f64,
    /// Glide speed on the skin, mm/s.
    pub glide_mm_s: f64,
    /// Passes of the pattern.
    pub passes: u32,
    /// Pressing force, N.
    pub force_n: f64,
    /// Tilt from the skin normal, degrees.
    pub tilt_deg: f64,
    /// The whole step shifted by this much, mm.
    pub offset_mm: [f64; 2],
    /// Raster lines run this far past the zone's edge, mm.
    pub overshoot_mm: f64,
}

/// A treatment plan resolved for the runner.
#[derive(Debug, Clone, PartialEq)]
pub struct PlanSpec {
    /// The steps, in treatment order.
    pub steps: Vec<PlanStep>,
    /// Pen lifted between two steps, s.
    pub pause_s: f64,
    /// Duration of the operator's depth change, s.
    pub depth_change_s: f64,
    /// The pen's exposure before the first step, µm.
    pub start_exposure_um: f64,
}

/// When a step was treated.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct StepSpan {
    /// Index into [`PlanSpec::steps`].
    pub step: usize,
    /// Index of the zone in the face map.
    pub zone: usize,
    /// The first pass begins (the first touch of the skin), s.
    pub start_s: f64,
    /// The last pass ended (lifted), s.
    pub end_s: f64,
    /// Exposure, µm.
    pub exposure_um: f64,
}

/// The operator turning the depth dial.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct DepthChange {
    /// The change begins (pen lifted), s.
    pub start_s: f64,
    /// The change ends: the new exposure is set, s.
    pub end_s: f64,
    /// Exposure before, µm.
    pub from_um: f64,
    /// Exposure after, µm.
    pub to_um: f64,
}

/// A plan laid out in time.
#[derive(Debug, Clone)]
pub struct PlanPath {
    /// The hand's path.
    pub hand: HandPath,
    /// Force (N) and tilt (degrees) of each segment of [`PlanPath::hand`].
    force_tilt: Vec<(f64, f64)>,
    /// Each step's span, in plan order.
    pub steps: Vec<StepSpan>,
    /// The depth changes, in time order.
    pub depth_changes: Vec<DepthChange>,
    /// The exposure before the first change, µm.
    pub start_exposure_um: f64,
}

impl PlanPath {
    /// Lay `spec` out over `face` from `t0_s` (see the module docs).
    pub fn new(spec: &PlanSpec, face: &FaceMap, t0_s: f64) -> PlanPath {
        let mut b = Builder::new(t0_s, spec.steps.first().map_or(1.0, |s| s.glide_mm_s));
        let mut force_tilt = Vec::new();
        let mut steps = Vec::with_capacity(spec.steps.len());
        let mut depth_changes = Vec::new();
        let mut exposure = spec.start_exposure_um;
        for (i, step) in spec.steps.iter().enumerate() {
            if i > 0 {
                b.hold(spec.pause_s.max(0.0), false);
            }
            if (step.exposure_um - exposure).abs() > 1e-9 {
                let start_s = b.t_s;
                b.hold(spec.depth_change_s.max(0.0), false);
                depth_changes.push(DepthChange {
                    start_s,
                    end_s: b.t_s,
                    from_um: exposure,
                    to_um: step.exposure_um,
                });
                exposure = step.exposure_um;
            }
            fill(&mut force_tilt, b.segments.len(), (0.0, step.tilt_deg));
            let first = b.segments.len();
            let zone = face
                .zones
                .get(step.zone)
                .map_or(&[][..], |z| &z.outline_mm[..]);
            lay_out_step(&mut b, step, zone, &mut force_tilt);
            fill(
                &mut force_tilt,
                b.segments.len(),
                (step.force_n, step.tilt_deg),
            );
            let start_s = b.segments[first..]
                .iter()
                .find(|s| s.on_skin)
                .map_or(b.t_s, |s| s.t0_s);
            steps.push(StepSpan {
                step: i,
                zone: step.zone,
                start_s,
                end_s: b.t_s,
                exposure_um: step.exposure_um,
            });
        }
        PlanPath {
            hand: HandPath::from_segments(b.segments),
            force_tilt,
            steps,
            depth_changes,
            start_exposure_um: spec.start_exposure_um,
        }
    }

    /// Force (N) and tilt (degrees) of segment `segment` of [`PlanPath::hand`].
    pub fn force_tilt(&self, segment: usize) -> (f64, f64) {
        self.force_tilt
            .get(segment)
            .or(self.force_tilt.last())
            .copied()
            .unwrap_or((0.0, 0.0))
    }

    /// Give the next segment of the hand's path (appended to it separately, as a live
    /// session's path grows) force `force_n` and tilt `tilt_deg`.
    pub(crate) fn push_force_tilt(&mut self, force_n: f64, tilt_deg: f64) {
        self.force_tilt.push((force_n, tilt_deg));
    }

    /// The exposure set on the pen at `t_s`, µm.
    pub fn exposure_um_at(&self, t_s: f64) -> f64 {
        self.depth_changes
            .iter()
            .rev()
            .find(|c| c.end_s <= t_s)
            .map_or(self.start_exposure_um, |c| c.to_um)
    }
}

/// Give every segment from `force_tilt.len()` up to `len` the values `value`.
fn fill(force_tilt: &mut Vec<(f64, f64)>, len: usize, value: (f64, f64)) {
    if force_tilt.len() < len {
        force_tilt.resize(len, value);
    }
}

/// The passes of `step` over `zone` (its outline, mm).
fn lay_out_step(
    b: &mut Builder,
    step: &PlanStep,
    zone: &[[f64; 2]],
    force_tilt: &mut Vec<(f64, f64)>,
) {
    b.glide = step.glide_mm_s;
    let [dx, dy] = step.offset_mm;
    let area: Vec<[f64; 2]> = zone.iter().map(|p| [p[0] + dx, p[1] + dy]).collect();
    for pass in 0..step.passes.max(1) {
        let reverse = pass % 2 == 1;
        // the first line of the step is reached lifted, whatever the distance
        let mut lifted = pass == 0;
        match &step.pattern {
            StepPattern::Area(Pattern::Straight { angle_deg }) => {
                raster_clipped(b, &area, *angle_deg, step, reverse, lifted);
            }
            StepPattern::Area(Pattern::Crosshatch { angles_deg }) => {
                for a in angles_deg {
                    raster_clipped(b, &area, *a, step, reverse, lifted);
                    lifted = false;
                }
            }
            StepPattern::Area(Pattern::Spiral) => spiral(b, &area, step.line_spacing_mm),
            StepPattern::Area(Pattern::Stamping { pitch_mm, dwell_s }) => {
                stamping(b, &area, *pitch_mm, *dwell_s);
            }
            StepPattern::Area(Pattern::Freehand { waypoints }) => freehand(b, waypoints),
            StepPattern::Freehand(waypoints) => {
                let shifted: Vec<Waypoint> = waypoints
                    .iter()
                    .map(|w| Waypoint {
                        pos_mm: [w.pos_mm[0] + dx, w.pos_mm[1] + dy],
                        ..*w
                    })
                    .collect();
                freehand_with_force(b, &shifted, step, force_tilt);
            }
        }
        b.lift();
    }
}

/// Waypoints glided between; segment `k` (to waypoint `k + 1`) carries that waypoint's force
/// and tilt, and touches the skin unless its force is 0. Times count from when the pen reaches
/// the first waypoint; a waypoint earlier than the path so far is reached at once.
pub(crate) fn freehand_with_force(
    b: &mut Builder,
    waypoints: &[Waypoint],
    step: &PlanStep,
    force_tilt: &mut Vec<(f64, f64)>,
) {
    let Some(first) = waypoints.first() else {
        return;
    };
    fill(force_tilt, b.segments.len(), (step.force_n, step.tilt_deg));
    b.travel_to(first.pos_mm);
    fill(force_tilt, b.segments.len(), (0.0, step.tilt_deg));
    let t_base = b.t_s - first.t_s;
    for w in waypoints.windows(2) {
        let force = w[1].force_n.unwrap_or(step.force_n);
        let tilt = w[1].tilt_deg.unwrap_or(step.tilt_deg);
        let t_end = (t_base + w[1].t_s).max(b.t_s);
        b.push(w[0].pos_mm, w[1].pos_mm, t_end - b.t_s, force > 0.0);
        b.at = Some(w[1].pos_mm);
        force_tilt.push((force.max(0.0), tilt));
    }
}

/// A straight raster over `area` at `angle_deg`, each scan line cut into the intervals inside
/// the polygon (extended by the step's overshoot), boustrophedon. With `lifted`, the first
/// line is reached lifted; later lines are stepped over on the skin when near (≤ 2 spacings,
/// as a hand does), and the gaps between intervals of one line are crossed lifted.
fn raster_clipped(
    b: &mut Builder,
    area: &[[f64; 2]],
    angle_deg: f64,
    step: &PlanStep,
    reverse: bool,
    mut lifted: bool,
) {
    if area.len() < 3 {
        return;
    }
    let scan = Scan::new(area, angle_deg, step.line_spacing_mm);
    let spacing = scan.spacing;
    let over = step.overshoot_mm.max(0.0);
    let mut forward = true;
    for i in 0..scan.lines {
        let v = scan.v(i, reverse);
        let mut spans = merged(
            scanline_intervals(&scan.poly, v)
                .into_iter()
                .map(|[a, z]| [a - over, z + over]),
        );
        if spans.is_empty() {
            continue;
        }
        if !forward {
            spans.reverse();
        }
        for (j, [a, z]) in spans.into_iter().enumerate() {
            let (from, to) = if forward { (a, z) } else { (z, a) };
            let start = scan.to_xy([from, v]);
            match b.at {
                Some(at) if !lifted && j == 0 && dist(at, start) <= 2.0 * spacing => {
                    b.glide_to(start);
                }
                _ => b.travel_to(start),
            }
            lifted = false;
            b.glide_to(scan.to_xy([to, v]));
        }
        forward = !forward;
    }
}

/// Sorted intervals with the overlapping ones joined.
fn merged(intervals: impl Iterator<Item = [f64; 2]>) -> Vec<[f64; 2]> {
    let mut out: Vec<[f64; 2]> = Vec::new();
    for [a, z] in intervals {
        match out.last_mut() {
            Some(last) if a <= last[1] => last[1] = last[1].max(z),
            _ => out.push([a, z]),
        }
    }
    out
}

fn dist(a: [f64; 2], b: [f64; 2]) -> f64 {
    (a[0] - b[0]).hypot(a[1] - b[1])
}
