//! Areas, centroids, containment and intervals against hand-computed values.

use needlebench_face::geometry::{
    area_mm2, bbox_mm, centroid_mm, contains, distance_mm, proper_crossing, scanline_intervals,
    self_crossing,
};
use proptest::prelude::*;

/// An L: the 20 × 10 bar along the bottom plus the 10 × 10 square on its left end.
const L: [[f64; 2]; 6] = [
    [0.0, 0.0],
    [20.0, 0.0],
    [20.0, 10.0],
    [10.0, 10.0],
    [10.0, 20.0],
    [0.0, 20.0],
];

fn close(a: f64, b: f64) -> bool {
    (a - b).abs() < 1e-9
}

#[test]
fn the_area_of_a_right_triangle_is_half_base_times_height() {
    assert!(close(area_mm2(&[[0.0, 0.0], [4.0, 0.0], [0.0, 3.0]]), 6.0));
    // Clockwise gives the same, unsigned.
    assert!(close(area_mm2(&[[0.0, 0.0], [0.0, 3.0], [4.0, 0.0]]), 6.0));
}

#[test]
fn the_centroid_of_a_triangle_is_the_mean_of_its_corners() {
    let c = centroid_mm(&[[0.0, 0.0], [6.0, 0.0], [0.0, 3.0]]);
    assert!(close(c[0], 2.0) && close(c[1], 1.0), "{c:?}");
}

#[test]
fn the_l_shape_has_the_area_and_centroid_of_its_two_rectangles() {
    // 200 mm² bar centred (10, 5) + 100 mm² square centred (5, 15): area 300,
    // centroid ((200·10 + 100·5)/300, (200·5 + 100·15)/300) = (8.333…, 8.333…).
    assert!(close(area_mm2(&L), 300.0));
    let c = centroid_mm(&L);
    assert!(close(c[0], 25.0 / 3.0) && close(c[1], 25.0 / 3.0), "{c:?}");
}

#[test]
fn the_bounding_box_spans_the_extreme_points() {
    assert_eq!(bbox_mm(&L), [[0.0, 0.0], [20.0, 20.0]]);
}

#[test]
fn the_notch_of_the_l_is_outside_it() {
    assert!(contains(&L, [5.0, 15.0]));
    assert!(contains(&L, [15.0, 5.0]));
    assert!(!contains(&L, [15.0, 15.0]));
    assert!(!contains(&L, [-1.0, 5.0]));
}

#[test]
fn a_border_point_belongs_to_the_zone_on_its_right_or_above() {
    let left = [[0.0, 0.0], [10.0, 0.0], [10.0, 10.0], [0.0, 10.0]];
    let right = [[10.0, 0.0], [20.0, 0.0], [20.0, 10.0], [10.0, 10.0]];
    let on = [10.0, 5.0];
    assert!(!contains(&left, on) && contains(&right, on));
    let below = [[0.0, -10.0], [10.0, -10.0], [10.0, 0.0], [0.0, 0.0]];
    let on_h = [5.0, 0.0];
    assert!(contains(&left, on_h) && !contains(&below, on_h));
}

#[test]
fn scanline_intervals_of_the_l_split_at_the_notch() {
    assert_eq!(scanline_intervals(&L, 5.0), vec![[0.0, 20.0]]);
    assert_eq!(scanline_intervals(&L, 15.0), vec![[0.0, 10.0]]);
    assert!(scanline_intervals(&L, 25.0).is_empty());
    // A U opening upwards: two intervals at mid-height.
    let u = [
        [0.0, 0.0],
        [30.0, 0.0],
        [30.0, 20.0],
        [20.0, 20.0],
        [20.0, 10.0],
        [10.0, 10.0],
        [10.0, 20.0],
        [0.0, 20.0],
    ];
    assert_eq!(
        scanline_intervals(&u, 15.0),
        vec![[0.0, 10.0], [20.0, 30.0]]
    );
}

#[test]
fn distance_is_zero_inside_and_to_the_nearest_edge_outside() {
    assert!(close(distance_mm(&L, [5.0, 5.0]), 0.0));
    assert!(close(distance_mm(&L, [15.0, 13.0]), 3.0));
    assert!(close(distance_mm(&L, [23.0, 14.0]), 5.0)); // to the corner (20, 10)
}

#[test]
fn proper_crossings_exclude_touching_and_collinear_segments() {
    let x = proper_crossing([0.0, 0.0], [2.0, 2.0], [0.0, 2.0], [2.0, 0.0]);
    assert_eq!(x, Some([1.0, 1.0]));
    assert_eq!(
        proper_crossing([0.0, 0.0], [2.0, 0.0], [1.0, 0.0], [1.0, 2.0]),
        None
    );
    assert_eq!(
        proper_crossing([0.0, 0.0], [2.0, 0.0], [1.0, 0.0], [3.0, 0.0]),
        None
    );
}

#[test]
fn a_ring_touching_itself_at_a_corner_is_not_simple() {
    // Two triangles joined at (10, 10), drawn as one ring.
    let ring = [
        [0.0, 0.0],
        [10.0, 10.0],
        [20.0, 0.0],
        [20.0, 20.0],
        [10.0, 10.0],
        [0.0, 20.0],
    ];
    assert!(self_crossing(&ring).is_some());
    assert!(self_crossing(&L).is_none());
}

proptest! {
    /// A point is in at most one of two rectangles sharing an edge, and on the shared line
    /// in exactly one.
    #[test]
    fn shared_borders_split_points_without_gap_or_double_count(
        x_split in 10.0f64..90.0, y in 0.0f64..10.0, skew in -5.0f64..5.0,
    ) {
        // Left and right quadrilaterals (both simple: the slant stays within 0..200) share the
        // slanted edge (x_split, 0)–(x_split+skew, 10).
        let top = x_split + skew;
        let left = [[0.0, 0.0], [x_split, 0.0], [top, 10.0], [0.0, 10.0]];
        let right = [[x_split, 0.0], [200.0, 0.0], [200.0, 10.0], [top, 10.0]];
        let on = [x_split + skew * y / 10.0, y];
        let n = usize::from(contains(&left, on)) + usize::from(contains(&right, on));
        prop_assert_eq!(n, 1);
    }
}
