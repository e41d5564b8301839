//! Every error kind, with the line and column it points at.

use crate::{SMALL, parse, small_with};
use needlebench_face::{FaceMap, FaceMapErrorKind as Kind};
use std::path::Path;

/// The error of `text`: kind, `line:column` and message.
fn error(text: &str) -> (Kind, String, String) {
    let e = parse(text).expect_err("the map should be refused");
    assert_eq!(e.at.file, Path::new("test.toml"));
    let shown = e.to_string();
    assert!(
        shown.starts_with(&format!("test.toml:{}:{}: ", e.at.line, e.at.column)),
        "{shown}"
    );
    (e.kind, format!("{}:{}", e.at.line, e.at.column), e.message)
}

/// The line (1-based) of the first line of SMALL containing `needle`, after replacing.
fn line_of(text: &str, needle: &str) -> usize {
    text.lines()
        .position(|l| l.contains(needle))
        .expect("needle")
        + 1
}

#[test]
fn the_small_map_is_valid() {
    let m = crate::small();
    assert_eq!(m.zones.len(), 3);
    assert_eq!(m.text, SMALL);
}

#[test]
fn a_syntax_error_points_at_the_bad_line() {
    let text = small_with("label = \"zone b\"", "label = \"zone b");
    let (kind, at, msg) = error(&text);
    assert_eq!(kind, Kind::Syntax);
    assert!(at.starts_with("14:"), "{at}");
    assert!(msg.starts_with("TOML syntax error"), "{msg}");
}

#[test]
fn an_unknown_key_is_named_with_the_allowed_keys() {
    let text = small_with("label = \"zone b\"", "label = \"zone b\"\ncolour = \"red\"");
    let (kind, at, msg) = error(&text);
    assert_eq!(kind, Kind::UnknownKey);
    assert_eq!(at, "15:1");
    assert!(
        msg.starts_with("unknown key `colour`; allowed: id, label, site, custom"),
        "{msg}"
    );
}

#[test]
fn an_unknown_top_level_key_is_an_error() {
    let text = small_with("name = \"small\"", "name = \"small\"\nversion = 2");
    let (kind, at, msg) = error(&text);
    assert_eq!(kind, Kind::UnknownKey);
    assert_eq!(at, "2:1");
    assert!(msg.contains("`version`"), "{msg}");
}

#[test]
fn a_missing_key_is_named() {
    let text = small_with("depth_mm = [0.25, 0.5]\n", "");
    let (kind, _, msg) = error(&text);
    assert_eq!(kind, Kind::Schema);
    assert_eq!(msg, "missing key `depth_mm`");
}

#[test]
fn a_wrong_type_is_a_schema_error_at_the_value() {
    let text = small_with("depth_mm = [0.25, 0.5]", "depth_mm = \"deep\"");
    let (kind, at, _) = error(&text);
    assert_eq!(kind, Kind::Schema);
    assert_eq!(at, "16:12");
}

#[test]
fn an_open_ring_points_at_its_last_point() {
    let text = small_with("[50.0, 50.0], [50.0, 10.0]]", "[50.0, 50.0], [50.0, 12.0]]");
    let (kind, at, msg) = error(&text);
    assert_eq!(kind, Kind::OpenRing);
    assert_eq!(at, "18:68");
    assert!(msg.contains("open ring"), "{msg}");
    assert!(
        msg.contains("[50.0, 12.0]") && msg.contains("[50.0, 10.0]"),
        "{msg}"
    );
}

#[test]
fn an_open_face_outline_is_refused() {
    let text = small_with("[0.0, 100.0], [0.0, 0.0]]", "[0.0, 100.0]]");
    let (kind, at, _) = error(&text);
    assert_eq!(kind, Kind::OpenRing);
    assert_eq!(at, "2:54");
}

#[test]
fn a_ring_with_two_distinct_points_is_too_few() {
    let text = small_with(
        "[[20.0, 60.0], [80.0, 60.0], [50.0, 90.0], [20.0, 60.0]]",
        "[[20.0, 60.0], [80.0, 60.0], [80.0, 60.0], [20.0, 60.0]]",
    );
    let (kind, at, msg) = error(&text);
    assert_eq!(kind, Kind::TooFewPoints);
    assert_eq!(at, format!("{}:11", line_of(&text, "[[20.0, 60.0]")));
    assert!(msg.contains("has 2"), "{msg}");
}

#[test]
fn a_self_crossing_ring_names_the_edges_and_the_crossing() {
    // A bow tie: the edges (20,60)–(80,90) and (80,60)–(20,80) cross at (44,72).
    let text = small_with(
        "[[20.0, 60.0], [80.0, 60.0], [50.0, 90.0], [20.0, 60.0]]",
        "[[20.0, 60.0], [80.0, 90.0], [80.0, 60.0], [20.0, 80.0], [20.0, 60.0]]",
    );
    let (kind, at, msg) = error(&text);
    assert_eq!(kind, Kind::SelfCrossing);
    assert!(msg.contains("at [44.0, 72.0]"), "{msg}");
    assert!(
        msg.starts_with("zone `c` outline: not a simple ring"),
        "{msg}"
    );
    // It points at the first point of the second edge, [80.0, 60.0].
    assert_eq!(
        at,
        format!("{}:40", line_of(&text, "[[20.0, 60.0], [80.0, 90.0]"))
    );
}

#[test]
fn a_ring_that_folds_back_on_itself_is_not_simple() {
    let text = small_with(
        "[[20.0, 60.0], [80.0, 60.0], [50.0, 90.0], [20.0, 60.0]]",
        "[[20.0, 60.0], [80.0, 60.0], [50.0, 60.0], [50.0, 90.0], [20.0, 60.0]]",
    );
    assert_eq!(error(&text).0, Kind::SelfCrossing);
}

#[test]
fn a_ring_of_collinear_points_has_zero_area() {
    let text = small_with(
        "[[20.0, 60.0], [80.0, 60.0], [50.0, 90.0], [20.0, 60.0]]",
        "[[20.0, 60.0], [50.0, 60.0], [80.0, 60.0], [20.0, 60.0]]",
    );
    let (kind, at, msg) = error(&text);
    assert_eq!(kind, Kind::ZeroArea);
    assert_eq!(
        at,
        format!("{}:11", line_of(&text, "[[20.0, 60.0], [50.0, 60.0]"))
    );
    assert_eq!(
        msg,
        "zone `c` outline: encloses no area (its points are collinear)"
    );
}

#[test]
fn overlapping_zones_are_named_with_a_point_of_the_overlap() {
    // b shifted 5 mm left: it overlaps a over x 45..50.
    let text = small_with(
        "[[50.0, 10.0], [90.0, 10.0], [90.0, 50.0], [50.0, 50.0], [50.0, 10.0]]",
        "[[45.0, 10.0], [90.0, 10.0], [90.0, 50.0], [45.0, 50.0], [45.0, 10.0]]",
    );
    let (kind, at, msg) = error(&text);
    assert_eq!(kind, Kind::Overlap);
    assert_eq!(at, "18:11");
    assert!(
        msg.starts_with("zones `a` and `b` overlap, e.g. at ["),
        "{msg}"
    );
    let point: Vec<f64> = msg
        .split_once("at [")
        .and_then(|(_, r)| r.split_once(']'))
        .map(|(p, _)| p.split(", ").map(|v| v.parse().expect("number")).collect())
        .expect("a point");
    assert!((45.0..=50.0).contains(&point[0]) && (10.0..=50.0).contains(&point[1]));
}

#[test]
fn a_zone_identical_to_another_overlaps_it() {
    let text = small_with(
        "[[50.0, 10.0], [90.0, 10.0], [90.0, 50.0], [50.0, 50.0], [50.0, 10.0]]",
        "[[10.0, 10.0], [50.0, 10.0], [50.0, 50.0], [10.0, 50.0], [10.0, 10.0]]",
    );
    assert_eq!(error(&text).0, Kind::Overlap);
}

#[test]
fn a_zone_nested_inside_another_overlaps_it() {
    let text = small_with(
        "[[50.0, 10.0], [90.0, 10.0], [90.0, 50.0], [50.0, 50.0], [50.0, 10.0]]",
        "[[20.0, 20.0], [30.0, 20.0], [30.0, 30.0], [20.0, 30.0], [20.0, 20.0]]",
    );
    let (kind, _, msg) = error(&text);
    assert_eq!(kind, Kind::Overlap);
    assert!(
        msg.contains("at [20.0, 20.0]") || msg.contains("at [2"),
        "{msg}"
    );
}

#[test]
fn a_diagonal_through_corners_is_an_overlap_without_crossing_edges() {
    // b is a diamond whose corners lie on a's corners and edges: no edge properly crosses,
    // no corner is strictly inside, yet they share area.
    let text = small_with(
        "[[50.0, 10.0], [90.0, 10.0], [90.0, 50.0], [50.0, 50.0], [50.0, 10.0]]",
        "[[10.0, 10.0], [50.0, 10.0], [50.0, 50.0], [10.0, 10.0]]",
    );
    assert_eq!(error(&text).0, Kind::Overlap);
}

#[test]
fn zones_sharing_a_border_or_a_corner_are_accepted() {
    // SMALL's a and b share x = 50; a triangle touching a's corner (10, 50) from above too.
    let text = small_with(
        "[[20.0, 60.0], [80.0, 60.0], [50.0, 90.0], [20.0, 60.0]]",
        "[[10.0, 50.0], [50.0, 50.0], [30.0, 90.0], [10.0, 50.0]]",
    );
    parse(&text).unwrap_or_else(|e| panic!("{e}"));
}

#[test]
fn a_zone_reaching_outside_the_face_is_refused_at_its_outside_point() {
    let text = small_with(
        "[[50.0, 10.0], [90.0, 10.0], [90.0, 50.0]",
        "[[50.0, 10.0], [105.0, 10.0], [90.0, 50.0]",
    );
    let (kind, at, msg) = error(&text);
    assert_eq!(kind, Kind::OutsideFace);
    assert_eq!(at, "18:26");
    assert_eq!(
        msg,
        "zone `b` reaches outside the face outline, e.g. at [105.0, 10.0]"
    );
}

#[test]
fn a_zone_whose_edge_leaves_the_face_between_corners_is_refused() {
    // A face with a notch at the top; the zone's corners are all inside but its top edge
    // runs through the notch.
    let text = small_with(
        "[[0.0, 0.0], [100.0, 0.0], [100.0, 100.0], [0.0, 100.0], [0.0, 0.0]]",
        "[[0.0, 0.0], [100.0, 0.0], [100.0, 100.0], [50.0, 70.0], [0.0, 100.0], [0.0, 0.0]]",
    );
    let text = text.replace(
        "[[20.0, 60.0], [80.0, 60.0], [50.0, 90.0], [20.0, 60.0]]",
        "[[10.0, 75.0], [90.0, 75.0], [90.0, 90.0], [10.0, 90.0], [10.0, 75.0]]",
    );
    let (kind, _, msg) = error(&text);
    assert_eq!(kind, Kind::OutsideFace);
    assert!(msg.starts_with("zone `c` reaches outside"), "{msg}");
}

#[test]
fn a_zone_may_run_along_the_face_outline() {
    let text = small_with(
        "[[10.0, 10.0], [50.0, 10.0], [50.0, 50.0], [10.0, 50.0], [10.0, 10.0]]",
        "[[0.0, 0.0], [50.0, 0.0], [50.0, 50.0], [0.0, 50.0], [0.0, 0.0]]",
    );
    parse(&text).unwrap_or_else(|e| panic!("{e}"));
}

#[test]
fn an_unknown_site_lists_the_built_in_sites() {
    let text = small_with("site = \"forehead\"", "site = \"foreheed\"");
    let (kind, at, msg) = error(&text);
    assert_eq!(kind, Kind::UnknownSite);
    assert_eq!(at, "15:8");
    assert!(
        msg.contains("site = \"foreheed\" is not a built-in site"),
        "{msg}"
    );
    assert!(
        msg.contains(&needlebench_physics::builtin_site_names()),
        "{msg}"
    );
}

#[test]
fn a_zone_needs_exactly_one_of_site_and_custom() {
    let text = small_with("site = \"forehead\"\n", "");
    let (kind, at, msg) = error(&text);
    assert_eq!(kind, Kind::BadSite);
    assert_eq!(at, "13:6");
    assert!(msg.contains("needs `site`"), "{msg}");
}

#[test]
fn a_custom_site_is_checked_by_the_physics() {
    let custom = "\n[zone.custom]\nname = \"thin\"\n[zone.custom.layers]\nstratum_corneum = { thickness_um = 10.0 }\n";
    let mut text = SMALL.replace("site = \"nose\"\n", "");
    text.push_str(custom);
    let (kind, _, msg) = error(&text);
    assert_eq!(kind, Kind::BadSite);
    assert!(msg.starts_with("zone `c`: custom:"), "{msg}");
}

#[test]
fn a_valid_custom_site_is_named_custom() {
    let layers = "[zone.custom]\nname = \"thin\"\n[zone.custom.layers]\nstratum_corneum = { thickness_um = 10.0 }\nviable_epidermis = { thickness_um = 40.0 }\npapillary_dermis = { thickness_um = 100.0 }\nreticular_dermis = { thickness_um = 500.0 }\nhypodermis = { thickness_um = 1000.0 }\n";
    let mut text = SMALL.replace("site = \"nose\"\n", "");
    text.push('\n');
    text.push_str(layers);
    let m = parse(&text).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(m.zones[2].site_name, "custom");
    assert_eq!(m.zones[2].site.name, "thin");
}

#[test]
fn a_duplicate_id_is_refused_at_the_second() {
    let text = small_with("id = \"b\"", "id = \"a\"");
    let (kind, at, msg) = error(&text);
    assert_eq!(kind, Kind::DuplicateId);
    assert_eq!(at, "13:6");
    assert!(msg.contains("already defined"), "{msg}");
}

#[test]
fn an_id_with_capitals_is_a_bad_name() {
    let text = small_with("id = \"b\"", "id = \"Left Cheek\"");
    assert_eq!(error(&text).0, Kind::BadName);
}

#[test]
fn a_depth_range_upside_down_is_a_bad_range() {
    let text = small_with("depth_mm = [0.25, 0.5]", "depth_mm = [0.5, 0.25]");
    let (kind, at, msg) = error(&text);
    assert_eq!(kind, Kind::BadRange);
    assert_eq!(at, "16:12");
    assert_eq!(
        msg,
        "zone `b`: depth_mm = [0.5, 0.25]: needs 0.0 < lo <= hi <= 3.0"
    );
}

#[test]
fn a_depth_beyond_the_pens_maximum_is_a_bad_range() {
    let text = small_with("depth_mm = [0.25, 0.5]", "depth_mm = [0.25, 3.5]");
    assert_eq!(error(&text).0, Kind::BadRange);
}

#[test]
fn a_negative_density_is_a_bad_range() {
    let text = small_with(
        "density_per_cm2 = [0.0, 2000.0]",
        "density_per_cm2 = [-1.0, 2000.0]",
    );
    let (kind, at, _) = error(&text);
    assert_eq!(kind, Kind::BadRange);
    assert_eq!(at, "17:19");
}

#[test]
fn a_negative_coordinate_is_refused_at_its_point() {
    let text = small_with(
        "[[20.0, 60.0], [80.0, 60.0]",
        "[[20.0, 60.0], [80.0, -60.0]",
    );
    let (kind, at, msg) = error(&text);
    assert_eq!(kind, Kind::BadCoordinate);
    assert_eq!(at, format!("{}:26", line_of(&text, "[80.0, -60.0]")));
    assert!(msg.contains("[80.0, -60.0] out of range"), "{msg}");
}

#[test]
fn a_map_without_zones_is_refused() {
    let text = SMALL.split("[[zone]]").next().expect("head").to_owned();
    assert_eq!(error(&text).0, Kind::NoZones);
}

#[test]
fn a_missing_file_is_an_io_error_naming_the_file() {
    let e = FaceMap::load(Path::new("/nonexistent/face.toml")).expect_err("missing");
    assert_eq!(e.kind, Kind::Io);
    assert!(
        e.to_string()
            .starts_with("/nonexistent/face.toml: cannot read: "),
        "{e}"
    );
}

#[test]
fn every_kind_has_a_distinct_stable_name() {
    let kinds = [
        Kind::Io,
        Kind::Syntax,
        Kind::UnknownKey,
        Kind::Schema,
        Kind::BadName,
        Kind::DuplicateId,
        Kind::NoZones,
        Kind::BadCoordinate,
        Kind::OpenRing,
        Kind::TooFewPoints,
        Kind::SelfCrossing,
        Kind::ZeroArea,
        Kind::OutsideFace,
        Kind::Overlap,
        Kind::UnknownSite,
        Kind::BadSite,
        Kind::BadRange,
    ];
    let names: std::collections::BTreeSet<_> = kinds.iter().map(|k| k.name()).collect();
    assert_eq!(names.len(), kinds.len());
    assert!(
        names
            .iter()
            .all(|n| n.bytes().all(|b| b.is_ascii_lowercase() || b == b'_'))
    );
    assert_eq!(Kind::OpenRing.name(), "open_ring");
}

/// A map of `cols` side-by-side zones splitting the 100 × 60 mm box at slanted borders
/// (`x` at the bottom, `x + skew` at the top), zone `shift` moved right by `dx` mm.
fn strips(cuts: &[f64], skew: f64, shift: usize, dx: f64) -> String {
    let mut xs = vec![0.0];
    xs.extend_from_slice(cuts);
    xs.push(100.0);
    let mut text = String::from(
        "name = \"strips\"\noutline = [[0.0, 0.0], [120.0, 0.0], [120.0, 60.0], [0.0, 60.0], [0.0, 0.0]]\n",
    );
    for i in 0..xs.len() - 1 {
        let d = if i == shift { dx } else { 0.0 };
        // The outer edges stay vertical; inner borders slant by `skew`.
        let s = |k: usize| {
            if k == 0 || k == xs.len() - 1 {
                0.0
            } else {
                skew
            }
        };
        let (x0, x1) = (xs[i] + d, xs[i + 1] + d);
        let (t0, t1) = (x0 + s(i), x1 + s(i + 1));
        text.push_str(&format!(
            "[[zone]]\nid = \"z{i}\"\nlabel = \"z\"\nsite = \"cheek\"\ndepth_mm = [0.5, 1.0]\ndensity_per_cm2 = [0.0, 1.0]\noutline = [[{x0}, 0.0], [{x1}, 0.0], [{t1}, 60.0], [{t0}, 60.0], [{x0}, 0.0]]\n"
        ));
    }
    text
}

proptest::proptest! {
    #![proptest_config(proptest::prelude::ProptestConfig::with_cases(32))]

    /// Zones tiling a box along slanted shared borders are accepted; moving one of them
    /// into its right-hand neighbour by any visible amount is an overlap naming both.
    #[test]
    fn shared_slanted_borders_pass_and_any_shift_into_a_neighbour_overlaps(
        a in 10.0f64..30.0, b in 40.0f64..60.0, c in 70.0f64..90.0,
        skew in -8.0f64..8.0, shift in 0usize..3, dx in 0.01f64..5.0,
    ) {
        let cuts = [a, b, c];
        let ok = strips(&cuts, skew, shift, 0.0);
        proptest::prop_assert!(parse(&ok).is_ok(), "{}", parse(&ok).err().map(|e| e.to_string()).unwrap_or_default());
        let e = parse(&strips(&cuts, skew, shift, dx)).expect_err("overlap");
        proptest::prop_assert_eq!(e.kind, Kind::Overlap);
        let both = format!("zones `z{shift}` and `z{}` overlap", shift + 1);
        proptest::prop_assert!(e.message.starts_with(&both), "{}", e.message);
    }
}
