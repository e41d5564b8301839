//! Plane geometry on polygons given as rings of `[x_mm, y_mm]` points, implicitly closed
//! (the last point is joined to the first), either orientation.
//!
//! Point-in-polygon uses the crossing rule with a **half-open** convention that makes
//! borders deterministic: a point on an edge shared by two polygons belongs to exactly one
//! of them (the one on the right of a non-horizontal edge, the one above a horizontal edge),
//! because both compute the edge's crossing from the same endpoints in the same order (the
//! lower one first). So zones that share a border split it without gap or double count.

/// Tolerance for "on the line" in the robustness tests, mm (coordinates are ≤ 1000 mm).
pub(crate) const EPS_MM: f64 = 1e-6;

/// Twice the signed area (positive counter-clockwise), mm².
fn twice_signed_area(p: &[[f64; 2]]) -> f64 {
    let n = p.len();
    (0..n)
        .map(|i| {
            let (a, b) = (p[i], p[(i + 1) % n]);
            a[0] * b[1] - b[0] * a[1]
        })
        .sum()
}

/// Unsigned area (shoelace formula), mm².
pub fn area_mm2(p: &[[f64; 2]]) -> f64 {
    (twice_signed_area(p) / 2.0).abs()
}

/// The centroid (centre of area), mm; the mean of the points for a ring of zero area.
pub fn centroid_mm(p: &[[f64; 2]]) -> [f64; 2] {
    let n = p.len();
    let a2 = twice_signed_area(p);
    if n == 0 {
        return [0.0, 0.0];
    }
    if a2.abs() < 1e-12 {
        let (sx, sy) = p.iter().fold((0.0, 0.0), |(x, y), q| (x + q[0], y + q[1]));
        return [sx / n as f64, sy / n as f64];
    }
    let (mut cx, mut cy) = (0.0, 0.0);
    for i in 0..n {
        let (a, b) = (p[i], p[(i + 1) % n]);
        let cross = a[0] * b[1] - b[0] * a[1];
        cx += (a[0] + b[0]) * cross;
        cy += (a[1] + b[1]) * cross;
    }
    [cx / (3.0 * a2), cy / (3.0 * a2)]
}

/// The smallest axis-aligned box holding the points: `[[min_x, min_y], [max_x, max_y]]`, mm.
pub fn bbox_mm(p: &[[f64; 2]]) -> [[f64; 2]; 2] {
    let mut b = [[f64::INFINITY; 2], [f64::NEG_INFINITY; 2]];
    for q in p {
        for k in 0..2 {
            b[0][k] = b[0][k].min(q[k]);
            b[1][k] = b[1][k].max(q[k]);
        }
    }
    b
}

/// The edge from `a` to `b` with its lower endpoint first, and where it crosses the
/// horizontal line at `y` if it does under the half-open rule (`lo.y <= y < hi.y`).
fn crossing_x(a: [f64; 2], b: [f64; 2], y: f64) -> Option<f64> {
    let (lo, hi) = if a[1] <= b[1] { (a, b) } else { (b, a) };
    if lo[1] <= y && y < hi[1] {
        Some(lo[0] + (y - lo[1]) * (hi[0] - lo[0]) / (hi[1] - lo[1]))
    } else {
        None
    }
}

/// Whether `q` lies inside the polygon (crossing rule, half-open on borders: see the module
/// docs).
pub fn contains(p: &[[f64; 2]], q: [f64; 2]) -> bool {
    let n = p.len();
    let mut inside = false;
    for i in 0..n {
        if let Some(x) = crossing_x(p[i], p[(i + 1) % n], q[1])
            && q[0] < x
        {
            inside = !inside;
        }
    }
    inside
}

/// The parts of the horizontal line at `y` inside the polygon, as sorted, disjoint
/// `[x_start, x_end]` intervals, mm (same half-open rule as [`contains`]). A raster pass
/// clipped to a concave zone runs along these.
pub fn scanline_intervals(p: &[[f64; 2]], y: f64) -> Vec<[f64; 2]> {
    let n = p.len();
    let mut xs: Vec<f64> = (0..n)
        .filter_map(|i| crossing_x(p[i], p[(i + 1) % n], y))
        .collect();
    xs.sort_by(f64::total_cmp);
    xs.chunks_exact(2).map(|c| [c[0], c[1]]).collect()
}

/// Distance from `q` to the segment `a`–`b`, mm.
pub fn segment_distance_mm(q: [f64; 2], a: [f64; 2], b: [f64; 2]) -> f64 {
    let (dx, dy) = (b[0] - a[0], b[1] - a[1]);
    let len2 = dx * dx + dy * dy;
    let t = if len2 > 0.0 {
        (((q[0] - a[0]) * dx + (q[1] - a[1]) * dy) / len2).clamp(0.0, 1.0)
    } else {
        0.0
    };
    let (px, py) = (a[0] + t * dx, a[1] + t * dy);
    ((q[0] - px).powi(2) + (q[1] - py).powi(2)).sqrt()
}

/// Distance from `q` to the polygon's boundary, mm.
pub fn boundary_distance_mm(p: &[[f64; 2]], q: [f64; 2]) -> f64 {
    let n = p.len();
    (0..n)
        .map(|i| segment_distance_mm(q, p[i], p[(i + 1) % n]))
        .fold(f64::INFINITY, f64::min)
}

/// Distance from `q` to the polygon: 0 inside, else to its boundary, mm.
pub fn distance_mm(p: &[[f64; 2]], q: [f64; 2]) -> f64 {
    if contains(p, q) {
        0.0
    } else {
        boundary_distance_mm(p, q)
    }
}

/// Orientation of `c` relative to the line `a`→`b`: > 0 left, < 0 right, 0 on it, with a
/// tolerance scaled to the segment's length.
fn orient(a: [f64; 2], b: [f64; 2], c: [f64; 2]) -> i8 {
    let cross = (b[0] - a[0]) * (c[1] - a[1]) - (b[1] - a[1]) * (c[0] - a[0]);
    let scale = (b[0] - a[0]).abs() + (b[1] - a[1]).abs();
    if cross.abs() <= EPS_MM * scale.max(1.0) {
        0
    } else if cross > 0.0 {
        1
    } else {
        -1
    }
}

/// Whether `c`, known to be on the line through `a` and `b`, lies within the segment's box.
fn within(a: [f64; 2], b: [f64; 2], c: [f64; 2]) -> bool {
    c[0] >= a[0].min(b[0]) - EPS_MM
        && c[0] <= a[0].max(b[0]) + EPS_MM
        && c[1] >= a[1].min(b[1]) - EPS_MM
        && c[1] <= a[1].max(b[1]) + EPS_MM
}

/// Where the lines through `a`–`b` and `c`–`d` meet (`a` if parallel).
fn line_meet(a: [f64; 2], b: [f64; 2], c: [f64; 2], d: [f64; 2]) -> [f64; 2] {
    let (r, s) = ([b[0] - a[0], b[1] - a[1]], [d[0] - c[0], d[1] - c[1]]);
    let den = r[0] * s[1] - r[1] * s[0];
    if den == 0.0 {
        return a;
    }
    let t = ((c[0] - a[0]) * s[1] - (c[1] - a[1]) * s[0]) / den;
    [a[0] + t * r[0], a[1] + t * r[1]]
}

/// Where the segments `a`–`b` and `c`–`d` cross each other in a single point interior to
/// both (not at an endpoint, not collinear), if they do.
pub fn proper_crossing(a: [f64; 2], b: [f64; 2], c: [f64; 2], d: [f64; 2]) -> Option<[f64; 2]> {
    let (o1, o2, o3, o4) = (
        orient(a, b, c),
        orient(a, b, d),
        orient(c, d, a),
        orient(c, d, b),
    );
    (o1 * o2 < 0 && o3 * o4 < 0).then(|| line_meet(a, b, c, d))
}

/// A point the segments `a`–`b` and `c`–`d` share (touching and collinear overlap
/// included), if any.
pub fn segments_meet(a: [f64; 2], b: [f64; 2], c: [f64; 2], d: [f64; 2]) -> Option<[f64; 2]> {
    let (o1, o2, o3, o4) = (
        orient(a, b, c),
        orient(a, b, d),
        orient(c, d, a),
        orient(c, d, b),
    );
    if o1 * o2 < 0 && o3 * o4 < 0 {
        return Some(line_meet(a, b, c, d));
    }
    if o1 == 0 && within(a, b, c) {
        return Some(c);
    }
    if o2 == 0 && within(a, b, d) {
        return Some(d);
    }
    if o3 == 0 && within(c, d, a) {
        return Some(a);
    }
    if o4 == 0 && within(c, d, b) {
        return Some(b);
    }
    None
}

/// Whether two consecutive edges `a`–`b`, `b`–`c` fold back over each other (collinear with
/// `c` back towards `a`).
pub(crate) fn folds_back(a: [f64; 2], b: [f64; 2], c: [f64; 2]) -> bool {
    orient(a, b, c) == 0 && (b[0] - a[0]) * (c[0] - b[0]) + (b[1] - a[1]) * (c[1] - b[1]) < 0.0
}

/// Where a simple polygon's ring first touches or crosses itself: the indexes of the two
/// edges (edge `i` runs from point `i` to point `i + 1`) and a shared point. `None` for a
/// simple ring. Quadratic in the number of points (rings here have tens).
pub fn self_crossing(p: &[[f64; 2]]) -> Option<(usize, usize, [f64; 2])> {
    let n = p.len();
    let edge = |i: usize| (p[i], p[(i + 1) % n]);
    for i in 0..n {
        let (a, b) = edge(i);
        // Consecutive edges share a corner; they only fail by folding back.
        if folds_back(a, b, p[(i + 2) % n]) {
            return Some((i, (i + 1) % n, b));
        }
        for j in i + 2..n {
            if i == 0 && j == n - 1 {
                continue; // the closing edge is adjacent to the first
            }
            let (c, d) = edge(j);
            if let Some(q) = segments_meet(a, b, c, d) {
                return Some((i, j, q));
            }
        }
    }
    None
}

/// Intervals of `a` not covered by `b` (both sorted and disjoint), longer than `min_len`:
/// the midpoint of the first such piece.
pub(crate) fn uncovered_mid(a: &[[f64; 2]], b: &[[f64; 2]], min_len: f64) -> Option<f64> {
    for iv in a {
        let mut x = iv[0];
        for cover in b {
            if cover[1] <= x {
                continue;
            }
            if cover[0] >= iv[1] {
                break;
            }
            if cover[0] - x > min_len {
                return Some((x + cover[0]) / 2.0);
            }
            x = x.max(cover[1]);
        }
        if iv[1] - x > min_len {
            return Some((x + iv[1]) / 2.0);
        }
    }
    None
}

/// The midpoint of the first overlap longer than `min_len` of two sorted, disjoint interval
/// lists.
pub(crate) fn overlap_mid(a: &[[f64; 2]], b: &[[f64; 2]], min_len: f64) -> Option<f64> {
    let (mut i, mut j) = (0, 0);
    while i < a.len() && j < b.len() {
        let lo = a[i][0].max(b[j][0]);
        let hi = a[i][1].min(b[j][1]);
        if hi - lo > min_len {
            return Some((lo + hi) / 2.0);
        }
        if a[i][1] < b[j][1] {
            i += 1;
        } else {
            j += 1;
        }
    }
    None
}

/// The heights of horizontal scanlines across `[y0, y1]`: at most `pitch` apart, at the
/// middle of each step (so a line rarely runs exactly through a corner).
pub(crate) fn scanlines(y0: f64, y1: f64, pitch: f64) -> impl Iterator<Item = f64> {
    let h = (y1 - y0).max(0.0);
    let steps = ((h / pitch).ceil() as usize).max(1);
    let step = h / steps as f64;
    (0..steps).map(move |k| y0 + (k as f64 + 0.5) * step)
}
