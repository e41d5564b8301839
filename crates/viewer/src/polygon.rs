//! Simple polygons (a face map's outline and zones) as triangles, for the meshes that draw
//! them: ear clipping, which handles the concave outlines a face map has (a chin, a neck).

/// Signed area of a ring (positive when counter-clockwise), mm².
pub fn signed_area(ring: &[[f64; 2]]) -> f64 {
    let n = ring.len();
    (0..n)
        .map(|i| {
            let (a, b) = (ring[i], ring[(i + 1) % n]);
            a[0] * b[1] - b[0] * a[1]
        })
        .sum::<f64>()
        / 2.0
}

fn cross(o: [f64; 2], a: [f64; 2], b: [f64; 2]) -> f64 {
    (a[0] - o[0]) * (b[1] - o[1]) - (a[1] - o[1]) * (b[0] - o[0])
}

fn in_triangle(p: [f64; 2], a: [f64; 2], b: [f64; 2], c: [f64; 2]) -> bool {
    cross(a, b, p) >= 0.0 && cross(b, c, p) >= 0.0 && cross(c, a, p) >= 0.0
}

/// Triangles (indices into `ring`, each counter-clockwise) covering a simple polygon given
/// as a ring without its closing point, in either winding. A ring of fewer than 3 points
/// gives none; a degenerate one gives what ear clipping finds before it stalls.
pub fn triangulate(ring: &[[f64; 2]]) -> Vec<[u32; 3]> {
    let mut idx: Vec<usize> = (0..ring.len()).collect();
    if signed_area(ring) < 0.0 {
        idx.reverse();
    }
    let mut out = Vec::with_capacity(ring.len().saturating_sub(2));
    let mut stalled = 0;
    let mut i = 0;
    while idx.len() > 3 && stalled < idx.len() {
        let n = idx.len();
        let (ia, ib, ic) = (idx[(i + n - 1) % n], idx[i % n], idx[(i + 1) % n]);
        let (a, b, c) = (ring[ia], ring[ib], ring[ic]);
        let convex = cross(a, b, c) > 0.0;
        let empty = convex
            && idx
                .iter()
                .filter(|&&k| k != ia && k != ib && k != ic)
                .all(|&k| !in_triangle(ring[k], a, b, c));
        if empty {
            out.push([ia as u32, ib as u32, ic as u32]);
            idx.remove(i % n);
            stalled = 0;
        } else {
            i += 1;
            stalled += 1;
        }
        i %= idx.len();
    }
    if idx.len() == 3 {
        out.push([idx[0] as u32, idx[1] as u32, idx[2] as u32]);
    }
    out
}
