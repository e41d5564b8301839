//! The zone overlay's plain data: captions, colours, rings.

use needlebench_face::FaceMap;
use needlebench_viewer::palette::srgb8;
use needlebench_viewer::palette::{LAYER_SRGB, MARKER_SRGB};
use needlebench_viewer::zones::{
    TINT_TEXEL_MM, ZONE_SRGB, ZoneTint, open_ring, zone_caption, zone_line_srgb, zone_srgb,
};

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

#[test]
fn zone_tint_paints_each_zone_in_its_colour_and_leaves_gaps_transparent() {
    let map = adult();
    let tint = ZoneTint::new(&map);
    assert_eq!(
        tint.grid.texel_mm, TINT_TEXEL_MM,
        "the default face is small enough"
    );
    assert_eq!(tint.rgba8.len(), tint.grid.cols * tint.grid.rows * 4);
    for (i, zone) in map.zones.iter().enumerate() {
        // A point surely inside: the zone's lookup at its centroid, else its first vertex
        // nudged towards the centroid.
        let c = zone.centroid_mm();
        let p = if map.zone_at(c) == Some(i) {
            c
        } else {
            let v = zone.outline_mm[0];
            [v[0] + (c[0] - v[0]) * 0.05, v[1] + (c[1] - v[1]) * 0.05]
        };
        let [r, g, b] = srgb8(zone_srgb(i));
        assert_eq!(tint.texel_at(p), Some([r, g, b, 255]), "zone {}", zone.id);
    }
    // Texels whose centre is in no zone (the eyes, the mouth) are transparent, and there are
    // many of them; a point off the texture has no texel.
    let bare = tint.rgba8.chunks(4).filter(|t| t[3] == 0).count();
    assert!(
        bare > tint.grid.cols * tint.grid.rows / 20,
        "{bare} bare texels"
    );
    assert!(tint.rgba8.chunks(4).all(|t| t[3] == 0 || t[3] == 255));
    assert_eq!(
        tint.texel_at([tint.grid.origin_mm[0] - 1.0, tint.grid.origin_mm[1]]),
        None
    );
    // uv runs 0..1 over the texture, v along +y.
    let far = [
        tint.grid.origin_mm[0] + tint.grid.cols as f64 * tint.grid.texel_mm,
        tint.grid.origin_mm[1] + tint.grid.rows as f64 * tint.grid.texel_mm,
    ];
    assert_eq!(tint.grid.uv(tint.grid.origin_mm), [0.0, 0.0]);
    let [u, v] = tint.grid.uv(far);
    assert!((u - 1.0).abs() < 1e-6 && (v - 1.0).abs() < 1e-6);
}
