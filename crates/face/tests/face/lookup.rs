//! Zone lookup: the grid index agrees with the exact test, borders are deterministic,
//! nearest zone outside every zone.

use crate::small;
use needlebench_face::FaceMap;
use proptest::prelude::*;

#[test]
fn a_point_maps_to_the_zone_containing_it() {
    let m = small();
    assert_eq!(m.zone_at([30.0, 30.0]), Some(0));
    assert_eq!(m.zone_at([70.0, 30.0]), Some(1));
    assert_eq!(m.zone_at([50.0, 70.0]), Some(2));
    assert_eq!(m.zone_at([5.0, 5.0]), None);
    assert_eq!(m.zone_at([500.0, 5.0]), None);
    assert_eq!(m.zone_at([f64::NAN, 5.0]), None);
}

#[test]
fn the_shared_border_belongs_to_the_zone_on_its_right() {
    let m = small();
    assert_eq!(m.zone_at([50.0, 30.0]), Some(1));
    assert_eq!(m.zone_at([50.0, 10.0]), Some(1));
}

#[test]
fn the_nearest_zone_of_a_point_in_a_gap_is_the_closest_border() {
    let m = small();
    assert_eq!(m.nearest_zone([30.0, 53.0]), 0); // 3 mm above a, 7 mm below c
    assert_eq!(m.nearest_zone([50.0, 58.0]), 2); // 2 mm below c
    assert_eq!(m.nearest_zone([95.0, 30.0]), 1);
    assert_eq!(m.nearest_zone([70.0, 30.0]), 1); // inside b
}

#[test]
fn zone_index_finds_ids_and_refuses_unknown_ones() {
    let m = small();
    assert_eq!(m.zone_index("b"), Some(1));
    assert_eq!(m.zone_index("z"), None);
    assert_eq!(m.zone_ids(), "a, b, c");
    assert_eq!(m.bbox_mm(), [[0.0, 0.0], [100.0, 100.0]]);
}

fn default_map() -> FaceMap {
    FaceMap::builtin(FaceMap::DEFAULT).expect("default map")
}

proptest! {
    /// The grid index finds exactly what testing every zone in order finds.
    #[test]
    fn the_index_agrees_with_testing_every_zone(x in -10.0f64..170.0, y in -10.0f64..250.0) {
        let m = default_map();
        let linear = m.zones.iter().position(|z| z.contains([x, y]));
        prop_assert_eq!(m.zone_at([x, y]), linear);
        // At most one zone claims any point.
        prop_assert!(m.zones.iter().filter(|z| z.contains([x, y])).count() <= 1);
    }

    /// The nearest zone is the one at the smallest distance.
    #[test]
    fn the_nearest_zone_is_at_the_smallest_distance(x in 0.0f64..160.0, y in 0.0f64..240.0) {
        let m = default_map();
        let d = |i: usize| needlebench_face::geometry::distance_mm(&m.zones[i].outline_mm, [x, y]);
        let best = (0..m.zones.len()).map(d).fold(f64::INFINITY, f64::min);
        prop_assert!((d(m.nearest_zone([x, y])) - best).abs() < 1e-9);
    }
}
