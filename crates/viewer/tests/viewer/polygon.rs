//! Ear clipping of face-map rings.

use needlebench_viewer::polygon::{signed_area, triangulate};

fn tri_area(ring: &[[f64; 2]], t: [u32; 3]) -> f64 {
    signed_area(&[
        ring[t[0] as usize],
        ring[t[1] as usize],
        ring[t[2] as usize],
    ])
}

#[test]
fn concave_ring_is_covered_by_n_minus_2_counter_clockwise_triangles() {
    // An L (area 3) given clockwise: the triangles are counter-clockwise and sum to its area.
    let l = [
        [0.0, 0.0],
        [0.0, 2.0],
        [1.0, 2.0],
        [1.0, 1.0],
        [2.0, 1.0],
        [2.0, 0.0],
    ];
    assert!((signed_area(&l) + 3.0).abs() < 1e-12);
    let tris = triangulate(&l);
    assert_eq!(tris.len(), l.len() - 2);
    assert!(tris.iter().all(|&t| tri_area(&l, t) > 0.0));
    let total: f64 = tris.iter().map(|&t| tri_area(&l, t)).sum();
    assert!((total - 3.0).abs() < 1e-12, "{total}");
}

#[test]
fn fewer_than_three_points_give_no_triangles() {
    assert!(triangulate(&[[0.0, 0.0], [1.0, 0.0]]).is_empty());
    assert_eq!(triangulate(&[[0.0, 0.0], [1.0, 0.0], [0.0, 1.0]]).len(), 1);
}
