//! The built-in adult face map: it validates, its zones are where the anatomy puts them,
//! and the untreated gaps (eyes, mouth, nostrils) belong to no zone.

use needlebench_face::FaceMap;

fn map() -> FaceMap {
    FaceMap::builtin(FaceMap::DEFAULT).expect("the default map is built in")
}

#[test]
fn the_default_map_is_built_in_and_validates() {
    assert_eq!(FaceMap::builtin_names(), &["adult-frontal"]);
    let m = map();
    assert_eq!(m.name, "adult-frontal");
    assert!(FaceMap::builtin("no-such-map").is_none());
    // Re-parsing its text gives the same map (it is stored exactly).
    let again = FaceMap::parse(&m.text, std::path::Path::new("x.toml")).expect("valid");
    assert_eq!(again, m);
    assert!(m.sources.iter().any(|s| s.contains("Farkas")));
}

#[test]
fn the_default_map_has_every_zone_the_plan_names_with_its_site() {
    let m = map();
    let expected = [
        ("forehead", "forehead"),
        ("glabella", "glabella"),
        ("right_temple", "temple"),
        ("left_temple", "temple"),
        ("right_periorbital", "periorbital"),
        ("left_periorbital", "periorbital"),
        ("nose", "nose"),
        ("right_cheek", "cheek"),
        ("left_cheek", "cheek"),
        ("upper_lip", "upper_lip"),
        ("chin", "chin"),
        ("right_jawline", "chin"),
        ("left_jawline", "chin"),
        ("neck", "neck"),
    ];
    assert!(m.zones.len() >= 14);
    for (id, site) in expected {
        let i = m.zone_index(id).unwrap_or_else(|| panic!("no zone {id}"));
        assert_eq!(m.zones[i].site_name, site, "{id}");
        assert_eq!(m.zones[i].site.name, site, "{id}");
    }
}

#[test]
fn an_interior_point_of_each_zone_maps_to_it() {
    let m = map();
    for (i, z) in m.zones.iter().enumerate() {
        // The centroid where it is inside; else the middle of the widest interval across
        // the zone at the centroid's height (concave zones).
        let c = z.centroid_mm();
        let p = if z.contains(c) {
            c
        } else {
            let ivs = needlebench_face::geometry::scanline_intervals(&z.outline_mm, c[1]);
            let w = ivs
                .iter()
                .max_by(|a, b| (a[1] - a[0]).total_cmp(&(b[1] - b[0])))
                .expect("an interval");
            [(w[0] + w[1]) / 2.0, c[1]]
        };
        assert_eq!(m.zone_at(p), Some(i), "{} at {p:?}", z.id);
    }
}

#[test]
fn eyes_mouth_and_nostrils_are_untreated() {
    let m = map();
    for (what, p) in [
        ("right eye", [49.5, 162.0]),
        ("left eye", [110.5, 162.0]),
        ("right medial canthus", [66.0, 160.0]),
        ("mouth (stomion)", [80.0, 98.0]),
        ("right mouth corner (cheilion)", [54.0, 97.0]),
        ("left mouth corner (cheilion)", [106.0, 97.0]),
        ("right nostril", [72.0, 123.0]),
        ("left nostril", [88.0, 123.0]),
        ("submental fold", [80.0, 45.0]),
        ("outside the face", [2.0, 200.0]),
    ] {
        assert_eq!(m.zone_at(p).map(|i| m.zones[i].id.as_str()), None, "{what}");
    }
}

#[test]
fn hand_chosen_points_land_in_their_anatomical_zone() {
    let m = map();
    let golden = [
        ([80.0, 210.0], "forehead"),
        ([80.0, 180.0], "glabella"),
        ([26.0, 195.0], "right_temple"),
        ([134.0, 195.0], "left_temple"),
        ([25.0, 165.0], "right_periorbital"), // crow's feet, patient's right
        ([110.0, 148.0], "left_periorbital"), // under the left eye
        ([80.0, 150.0], "nose"),
        ([40.0, 125.0], "right_cheek"),
        ([120.0, 125.0], "left_cheek"),
        ([80.0, 113.0], "upper_lip"),
        ([80.0, 70.0], "chin"),
        ([40.0, 80.0], "right_jawline"),
        ([120.0, 80.0], "left_jawline"),
        ([80.0, 20.0], "neck"),
    ];
    for (p, id) in golden {
        assert_eq!(
            m.zone_at(p).map(|i| m.zones[i].id.as_str()),
            Some(id),
            "{p:?}"
        );
    }
}

#[test]
fn left_zones_lie_on_the_viewers_right() {
    let m = map();
    for side in ["temple", "periorbital", "cheek", "jawline"] {
        let left = &m.zones[m.zone_index(&format!("left_{side}")).expect("left")];
        let right = &m.zones[m.zone_index(&format!("right_{side}")).expect("right")];
        assert!(
            left.centroid_mm()[0] > 80.0 && right.centroid_mm()[0] < 80.0,
            "{side}"
        );
        // Mirror images: same area, centroids mirrored about x = 80.
        assert!((left.area_mm2() - right.area_mm2()).abs() < 1e-9, "{side}");
        assert!((left.centroid_mm()[0] + right.centroid_mm()[0] - 160.0).abs() < 1e-9);
    }
}

#[test]
fn the_default_map_follows_the_anthropometry_it_cites() {
    let m = map();
    // zy–zy ≈ 134 mm: the outline's width.
    let [lo, hi] = m.bbox_mm();
    assert!((hi[0] - lo[0] - 134.0).abs() < 1e-9);
    // Depth ranges from the chart: periorbital and nose shallow, cheeks and chin deepest.
    let depth = |id: &str| m.zones[m.zone_index(id).expect("zone")].depth_mm;
    assert_eq!(depth("right_periorbital"), [0.25, 0.5]);
    assert_eq!(depth("nose"), [0.25, 0.5]);
    assert_eq!(depth("left_cheek"), [0.5, 2.0]);
    assert_eq!(depth("forehead"), [0.25, 0.75]);
    // A face's treated area: ~2 dm² (cheeks ~16 cm² each, forehead ~37 cm²).
    let total_cm2: f64 = m.zones.iter().map(|z| z.area_mm2() / 100.0).sum();
    assert!((150.0..260.0).contains(&total_cm2), "{total_cm2}");
}
