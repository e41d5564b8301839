//! The zone overlay's plain data: captions, colours, rings.

use needlebench_face::FaceMap;
use needlebench_viewer::palette::{LAYER_SRGB, MARKER_SRGB};
use needlebench_viewer::zones::{ZONE_SRGB, open_ring, zone_caption, zone_line_srgb, zone_srgb};

fn adult() -> FaceMap {
    FaceMap::builtin("adult-frontal").expect("the default face map is built in")
}

#[test]
fn caption_names_the_zone_and_its_depth_range() {
    let map = adult();
    let cheek = &map.zones[map.zone_index("left_cheek").unwrap()];
    let [lo, hi] = cheek.depth_mm;
    let expected = format!("left cheek {lo:.1}–{hi:.1} mm");
    assert_eq!(zone_caption(cheek), expected);
    // A quarter millimetre keeps its second decimal; a single depth is written once.
    let mut eye = map.zones[map.zone_index("left_periorbital").unwrap()].clone();
    eye.depth_mm = [0.25, 0.25];
    assert_eq!(zone_caption(&eye), "left periorbital 0.25 mm");
    eye.depth_mm = [0.25, 0.5];
    assert_eq!(zone_caption(&eye), "left periorbital 0.25–0.5 mm");
}

#[test]
fn zone_colours_differ_from_each_other_and_from_layers_and_markers() {
    let far = |a: [f32; 3], b: [f32; 3]| (0..3).map(|k| (a[k] - b[k]).abs()).sum::<f32>() > 0.15;
    for (i, &c) in ZONE_SRGB.iter().enumerate() {
        assert!(
            ZONE_SRGB[i + 1..].iter().all(|&d| far(c, d)),
            "zone colour {i}"
        );
        assert!(
            LAYER_SRGB.iter().all(|&l| far(c, l)),
            "zone colour {i} vs layers"
        );
        assert!(far(c, MARKER_SRGB));
        assert!(far(c, zone_line_srgb(i)), "outline shade of {i}");
    }
    assert_eq!(
        zone_srgb(ZONE_SRGB.len()).map(f32::to_bits),
        zone_srgb(0).map(f32::to_bits),
        "cycled"
    );
    assert!(
        adult().zones.len() <= ZONE_SRGB.len(),
        "a colour per default zone"
    );
}

#[test]
fn open_ring_drops_only_a_repeated_closing_point() {
    let closed = [[0.0, 0.0], [1.0, 0.0], [1.0, 1.0], [0.0, 0.0]];
    assert_eq!(open_ring(&closed).len(), 3);
    assert_eq!(open_ring(&closed[..3]).len(), 3);
}
