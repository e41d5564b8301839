//! Hand motion: where the pen is on the skin, whether it touches, at every instant.
//!
//! A pattern becomes a list of straight [`Segment`]s in time (on the skin at the glide speed,
//! or lifted and moved at [`TRAVEL_MM_S`]); [`HandPath::at`] evaluates it with a cursor, so a
//! run walks it in O(1) per tick. Raster lines (straight, crosshatch) are clipped to the
//! treated area: each scan line runs from its first to its last crossing of the area's
//! outline, which is exact for convex areas and covers the hull of a concave one (documented
//! in ARCHITECTURE.md). Hand tremor is added on top by [`Tremor`], from the scenario's seed.

use std::f64::consts::TAU;

/// Speed of the lifted pen between stamps or passes, mm/s.
pub const TRAVEL_MM_S: f64 = 60.0;

/// One straight piece of the path.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Segment {
    /// Start time, s.
    pub t0_s: f64,
    /// End time, s.
    pub t1_s: f64,
    /// Start point, mm.
    pub from_mm: [f64; 2],
    /// End point, mm.
    pub to_mm: [f64; 2],
    /// The guard touches the skin along this segment.
    pub on_skin: bool,
}

/// The motion patterns of a hand.
#[derive(Debug, Clone, PartialEq)]
pub enum Pattern {
    /// Parallel lines across the area at `angle_deg`, back and forth.
    Straight {
        /// Direction of the lines, degrees from +x.
        angle_deg: f64,
    },
    /// A straight raster in each direction in turn.
    Crosshatch {
        /// Directions, degrees.
        angles_deg: Vec<f64>,
    },
    /// An Archimedean spiral out from the area's centre.
    Spiral,
    /// Pen set down on a grid, held, lifted, moved.
    Stamping {
        /// Grid pitch, mm.
        pitch_mm: f64,
        /// Time on the skin per stamp, s.
        dwell_s: f64,
    },
    /// Waypoints `(t_s, x_mm, y_mm)`, glided between in order.
    Freehand {
        /// The waypoints, time increasing.
        waypoints: Vec<(f64, f64, f64)>,
    },
}

/// Everything that shapes the path.
#[derive(Debug, Clone, PartialEq)]
pub struct MotionSpec {
    /// The treated area, a polygon in mm (≥ 3 points).
    pub area: Vec<[f64; 2]>,
    /// The pattern.
    pub pattern: Pattern,
    /// Glide speed on the skin, mm/s.
    pub glide_mm_s: f64,
    /// How many times the pattern is repeated.
    pub passes: u32,
    /// Spacing of raster lines and spiral turns, mm.
    pub line_spacing_mm: f64,
}

/// A hand path in time.
#[derive(Debug, Clone)]
pub struct HandPath {
    segments: Vec<Segment>,
    cursor: usize,
}

/// Where the hand is at one instant.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct HandAt {
    /// Position, mm.
    pub pos_mm: [f64; 2],
    /// The guard touches the skin.
    pub on_skin: bool,
    /// Direction of motion, unit vector (zero when still).
    pub dir: [f64; 2],
}

impl HandPath {
    /// Build the path of `spec`, starting at `t0_s`.
    pub fn new(spec: &MotionSpec, t0_s: f64) -> Self {
        let mut b = Builder::new(t0_s, spec.glide_mm_s);
        for pass in 0..spec.passes.max(1) {
            match &spec.pattern {
                Pattern::Straight { angle_deg } => {
                    raster(
                        &mut b,
                        &spec.area,
                        *angle_deg,
                        spec.line_spacing_mm,
                        pass % 2 == 1,
                    );
                }
                Pattern::Crosshatch { angles_deg } => {
                    for a in angles_deg {
                        raster(&mut b, &spec.area, *a, spec.line_spacing_mm, pass % 2 == 1);
                    }
                }
                Pattern::Spiral => spiral(&mut b, &spec.area, spec.line_spacing_mm),
                Pattern::Stamping { pitch_mm, dwell_s } => {
                    stamping(&mut b, &spec.area, *pitch_mm, *dwell_s);
                }
                Pattern::Freehand { waypoints } => freehand(&mut b, waypoints),
            }
            b.lift();
        }
        HandPath {
            segments: b.segments,
            cursor: 0,
        }
    }

    /// A path of these segments (in time order, each starting where the previous ended).
    pub fn from_segments(segments: Vec<Segment>) -> Self {
        HandPath {
            segments,
            cursor: 0,
        }
    }

    /// Append `segment` (it must start where the path ends): a path that grows as a hand's
    /// input arrives.
    pub fn push(&mut self, segment: Segment) {
        self.segments.push(segment);
    }

    /// The segment the last [`HandPath::at`] fell in (its index in [`HandPath::segments`]).
    pub fn cursor(&self) -> usize {
        self.cursor
    }

    /// When the path ends, s.
    pub fn end_s(&self) -> f64 {
        self.segments.last().map_or(0.0, |s| s.t1_s)
    }

    /// The segments.
    pub fn segments(&self) -> &[Segment] {
        &self.segments
    }

    /// The hand at `t_s`. Fastest when called with increasing times.
    pub fn at(&mut self, t_s: f64) -> HandAt {
        if self.segments.is_empty() {
            return HandAt {
                pos_mm: [0.0, 0.0],
                on_skin: false,
                dir: [0.0, 0.0],
            };
        }
        if self.segments[self.cursor].t0_s > t_s {
            self.cursor = 0;
        }
        while self.cursor + 1 < self.segments.len() && self.segments[self.cursor].t1_s <= t_s {
            self.cursor += 1;
        }
        let s = &self.segments[self.cursor];
        if t_s < s.t0_s {
            return HandAt {
                pos_mm: s.from_mm,
                on_skin: false,
                dir: [0.0, 0.0],
            };
        }
        if t_s >= s.t1_s {
            return HandAt {
                pos_mm: s.to_mm,
                on_skin: false,
                dir: [0.0, 0.0],
            };
        }
        let span = (s.t1_s - s.t0_s).max(f64::MIN_POSITIVE);
        let f = ((t_s - s.t0_s) / span).clamp(0.0, 1.0);
        let d = [s.to_mm[0] - s.from_mm[0], s.to_mm[1] - s.from_mm[1]];
        let len = d[0].hypot(d[1]);
        let dir = if len > 0.0 {
            [d[0] / len, d[1] / len]
        } else {
            [0.0, 0.0]
        };
        HandAt {
            pos_mm: [s.from_mm[0] + d[0] * f, s.from_mm[1] + d[1] * f],
            on_skin: s.on_skin,
            dir,
        }
    }
}

/// Builds a path segment by segment: glides on the skin, lifted travel, holds.
pub(crate) struct Builder {
    pub(crate) segments: Vec<Segment>,
    /// The time the next segment starts, s.
    pub(crate) t_s: f64,
    /// Where the pen is (`None` before the first point).
    pub(crate) at: Option<[f64; 2]>,
    /// Glide speed on the skin, mm/s.
    pub(crate) glide: f64,
}

impl Builder {
    /// An empty path starting at `t0_s`, gliding at `glide_mm_s`.
    pub(crate) fn new(t0_s: f64, glide_mm_s: f64) -> Builder {
        Builder {
            segments: Vec::new(),
            t_s: t0_s,
            at: None,
            glide: glide_mm_s,
        }
    }

    /// Move to `p` lifted (travel speed), unless already there.
    pub(crate) fn travel_to(&mut self, p: [f64; 2]) {
        if let Some(at) = self.at {
            let d = dist(at, p);
            if d > 1e-9 {
                self.push(at, p, d / TRAVEL_MM_S, false);
            }
        }
        self.at = Some(p);
    }

    /// Glide on the skin to `p`.
    pub(crate) fn glide_to(&mut self, p: [f64; 2]) {
        let at = self.at.unwrap_or(p);
        let d = dist(at, p);
        if d > 1e-9 {
            self.push(at, p, d / self.glide, true);
        }
        self.at = Some(p);
    }

    /// Stay at the current point for `dt_s`.
    pub(crate) fn hold(&mut self, dt_s: f64, on_skin: bool) {
        let at = self.at.unwrap_or([0.0, 0.0]);
        self.push(at, at, dt_s, on_skin);
    }

    /// End of a pass: lift the pen for a moment.
    pub(crate) fn lift(&mut self) {
        if self.at.is_some() {
            self.hold(0.2, false);
        }
    }

    /// A segment from `from` to `to` taking `dt_s`, on the skin or lifted.
    pub(crate) fn push(&mut self, from: [f64; 2], to: [f64; 2], dt_s: f64, on_skin: bool) {
        let t0 = self.t_s;
        self.t_s += dt_s.max(0.0);
        self.segments.push(Segment {
            t0_s: t0,
            t1_s: self.t_s,
            from_mm: from,
            to_mm: to,
            on_skin,
        });
    }
}

fn dist(a: [f64; 2], b: [f64; 2]) -> f64 {
    (a[0] - b[0]).hypot(a[1] - b[1])
}

/// A raster's frame: `area` rotated so the lines at `angle_deg` run along +u (v across them),
/// and the `v` of each line, `spacing_mm` apart (at least 0.05 mm), centred across the area.
pub(crate) struct Scan {
    sin: f64,
    cos: f64,
    /// The area in (u, v).
    pub(crate) poly: Vec<[f64; 2]>,
    /// Line spacing, mm.
    pub(crate) spacing: f64,
    v_min: f64,
    offset: f64,
    /// Number of lines.
    pub(crate) lines: usize,
}

impl Scan {
    pub(crate) fn new(area: &[[f64; 2]], angle_deg: f64, spacing_mm: f64) -> Scan {
        let (sin, cos) = angle_deg.to_radians().sin_cos();
        let poly: Vec<[f64; 2]> = area
            .iter()
            .map(|p| [p[0] * cos + p[1] * sin, -p[0] * sin + p[1] * cos])
            .collect();
        let (v_min, v_max) = poly.iter().fold((f64::MAX, f64::MIN), |(lo, hi), p| {
            (lo.min(p[1]), hi.max(p[1]))
        });
        let spacing = spacing_mm.max(0.05);
        let lines = ((v_max - v_min) / spacing).floor() as usize + 1;
        let offset = (v_max - v_min - (lines - 1) as f64 * spacing) / 2.0;
        Scan {
            sin,
            cos,
            poly,
            spacing,
            v_min,
            offset,
            lines,
        }
    }

    /// The `v` of the `i`-th line, counted from the far end when `reverse`.
    pub(crate) fn v(&self, i: usize, reverse: bool) -> f64 {
        let k = if reverse { self.lines - 1 - i } else { i };
        self.v_min + self.offset + k as f64 * self.spacing
    }

    /// A point of the rotated frame back in the area's frame.
    pub(crate) fn to_xy(&self, q: [f64; 2]) -> [f64; 2] {
        let (sin, cos) = (self.sin, self.cos);
        [q[0] * cos - q[1] * sin, q[0] * sin + q[1] * cos]
    }
}

/// Back-and-forth lines at `angle_deg`, `spacing_mm` apart, clipped to `area`.
fn raster(b: &mut Builder, area: &[[f64; 2]], angle_deg: f64, spacing_mm: f64, reverse: bool) {
    let scan = Scan::new(area, angle_deg, spacing_mm);
    let (poly, spacing) = (&scan.poly, scan.spacing);
    let to_xy = |q: [f64; 2]| scan.to_xy(q);
    let mut forward = true;
    for i in 0..scan.lines {
        let v = scan.v(i, reverse);
        let Some((u0, u1)) = crossing_span(poly, v) else {
            continue;
        };
        let (a, z) = if forward { (u0, u1) } else { (u1, u0) };
        let start = to_xy([a, v]);
        match b.at {
            // Step over to the next line on the skin when it is near, as a hand does.
            Some(at) if dist(at, start) <= 2.0 * spacing => b.glide_to(start),
            _ => b.travel_to(start),
        }
        b.glide_to(to_xy([z, v]));
        forward = !forward;
    }
}

/// The first and last crossing of the horizontal line `v` with the polygon's outline.
fn crossing_span(poly: &[[f64; 2]], v: f64) -> Option<(f64, f64)> {
    let mut lo = f64::MAX;
    let mut hi = f64::MIN;
    for i in 0..poly.len() {
        let p = poly[i];
        let q = poly[(i + 1) % poly.len()];
        if (p[1] <= v && q[1] >= v) || (q[1] <= v && p[1] >= v) {
            let u = if (q[1] - p[1]).abs() < 1e-12 {
                lo = lo.min(p[0].min(q[0]));
                hi = hi.max(p[0].max(q[0]));
                continue;
            } else {
                p[0] + (v - p[1]) / (q[1] - p[1]) * (q[0] - p[0])
            };
            lo = lo.min(u);
            hi = hi.max(u);
        }
    }
    (hi > lo).then_some((lo, hi))
}

/// Whether `p` is inside the polygon (even-odd rule).
pub fn contains(poly: &[[f64; 2]], p: [f64; 2]) -> bool {
    let mut inside = false;
    let mut j = poly.len().wrapping_sub(1);
    for i in 0..poly.len() {
        let (a, c) = (poly[i], poly[j]);
        if (a[1] > p[1]) != (c[1] > p[1])
            && p[0] < (c[0] - a[0]) * (p[1] - a[1]) / (c[1] - a[1]) + a[0]
        {
            inside = !inside;
        }
        j = i;
    }
    inside
}

fn centroid(poly: &[[f64; 2]]) -> [f64; 2] {
    let n = poly.len().max(1) as f64;
    let s = poly
        .iter()
        .fold([0.0, 0.0], |s, p| [s[0] + p[0], s[1] + p[1]]);
    [s[0] / n, s[1] / n]
}

/// An Archimedean spiral from the centre outwards, kept to the area.
pub(crate) fn spiral(b: &mut Builder, area: &[[f64; 2]], pitch_mm: f64) {
    let c = centroid(area);
    let r_max = area.iter().map(|&p| dist(p, c)).fold(0.0, f64::max);
    let pitch = pitch_mm.max(0.05);
    b.travel_to(c);
    let mut theta: f64 = 0.0;
    let mut on = true;
    loop {
        let r = pitch * theta / TAU;
        if r > r_max {
            break;
        }
        // Step so that consecutive points are ~0.5 mm apart.
        theta += (0.5 / r.max(0.5)).min(0.5);
        let r = pitch * theta / TAU;
        let p = [c[0] + r * theta.cos(), c[1] + r * theta.sin()];
        if contains(area, p) {
            if on {
                b.glide_to(p);
            } else {
                b.travel_to(p);
            }
            on = true;
        } else {
            on = false;
        }
    }
}

/// Stamps on a grid inside the area: down, hold, up, move.
pub(crate) fn stamping(b: &mut Builder, area: &[[f64; 2]], pitch_mm: f64, dwell_s: f64) {
    let pitch = pitch_mm.max(0.1);
    let (lo, hi) = area
        .iter()
        .fold(([f64::MAX; 2], [f64::MIN; 2]), |(lo, hi), p| {
            (
                [lo[0].min(p[0]), lo[1].min(p[1])],
                [hi[0].max(p[0]), hi[1].max(p[1])],
            )
        });
    let rows = ((hi[1] - lo[1]) / pitch).floor() as usize + 1;
    let cols = ((hi[0] - lo[0]) / pitch).floor() as usize + 1;
    for r in 0..rows {
        for k in 0..cols {
            let c = if r % 2 == 0 { k } else { cols - 1 - k };
            let p = [
                lo[0] + (c as f64 + 0.5) * pitch,
                lo[1] + (r as f64 + 0.5) * pitch,
            ];
            if !contains(area, p) {
                continue;
            }
            b.travel_to(p);
            b.hold(dwell_s, true);
            b.hold(0.05, false);
        }
    }
}

/// Glide through waypoints at their own times (the glide speed is not used).
pub(crate) fn freehand(b: &mut Builder, waypoints: &[(f64, f64, f64)]) {
    let Some(&(_, x0, y0)) = waypoints.first() else {
        return;
    };
    b.travel_to([x0, y0]);
    let t_base = b.t_s - waypoints[0].0;
    for w in waypoints.windows(2) {
        let (t1, x1, y1) = w[1];
        let from = [w[0].1, w[0].2];
        let t_end = (t_base + t1).max(b.t_s);
        b.push(from, [x1, y1], t_end - b.t_s, true);
        b.at = Some([x1, y1]);
    }
}

/// Seeded hand tremor: a sum of three sinusoids per axis near the tremor frequency, with
/// random phases and frequencies, scaled to the requested RMS amplitude.
#[derive(Debug, Clone)]
pub struct Tremor {
    parts: [[(f64, f64, f64); 3]; 2],
}

impl Tremor {
    /// Tremor of `rms_mm` around `hz`, drawn from `rng`.
    pub fn new(rms_mm: f64, hz: f64, rng: &mut impl rand::Rng) -> Self {
        // Three equal sinusoids of amplitude a have RMS a·sqrt(3/2).
        let a = rms_mm / (1.5f64).sqrt();
        let mut part = || {
            (
                a,
                hz * rng.random_range(0.7..1.3),
                rng.random_range(0.0..TAU),
            )
        };
        Tremor {
            parts: [[part(), part(), part()], [part(), part(), part()]],
        }
    }

    /// Displacement at `t_s`, mm.
    pub fn at(&self, t_s: f64) -> [f64; 2] {
        let axis = |k: usize| {
            self.parts[k]
                .iter()
                .map(|&(a, f, ph)| a * (TAU * f * t_s + ph).sin())
                .sum()
        };
        [axis(0), axis(1)]
    }
}
