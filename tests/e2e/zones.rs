//! `needlebench zones`: the default face map's zones, and a user's face map validated.

use crate::support::needlebench;
use serde_json::Value;

#[test]
fn zones_lists_the_default_maps_zones_with_site_depth_and_area() {
    let out = needlebench(&["zones"]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(
        text.starts_with("face map adult-frontal: 14 zones"),
        "{text}"
    );
    let cheek = text
        .lines()
        .find(|l| l.starts_with("left_cheek "))
        .expect("a left_cheek row");
    for cell in ["left cheek", "cheek", "0.50–2.00", "2000–60000", "16.3"] {
        assert!(cheek.contains(cell), "{cell} missing: {cheek}");
    }
    assert!(text.contains("Farkas"), "sources listed: {text}");
}

#[test]
fn zones_json_carries_every_zone_with_its_outline() {
    let out = needlebench(&["zones", "adult-frontal", "--json"]);
    assert!(out.status.success());
    let v: Value = serde_json::from_slice(&out.stdout).expect("JSON");
    assert_eq!(v["name"], "adult-frontal");
    let zones = v["zones"].as_array().expect("zones");
    assert_eq!(zones.len(), 14);
    let nose = zones.iter().find(|z| z["id"] == "nose").expect("nose");
    assert_eq!(nose["site"], "nose");
    assert_eq!(nose["depth_mm"], serde_json::json!([0.25, 0.5]));
    assert!(nose["outline_mm"].as_array().expect("outline").len() >= 3);
}

#[test]
fn zones_validates_a_face_map_file_and_exits_3_with_its_position() {
    let dir = tempfile::tempdir().expect("tmp");
    let path = dir.path().join("face.toml");
    let good = "name = \"mine\"\noutline = [[0.0, 0.0], [50.0, 0.0], [50.0, 50.0], [0.0, 50.0], [0.0, 0.0]]\n[[zone]]\nid = \"spot\"\nlabel = \"spot\"\nsite = \"cheek\"\ndepth_mm = [0.5, 1.0]\ndensity_per_cm2 = [1000.0, 5000.0]\noutline = [[10.0, 10.0], [20.0, 10.0], [20.0, 20.0], [10.0, 20.0], [10.0, 10.0]]\n";
    std::fs::write(&path, good).expect("write");
    let p = path.to_str().expect("utf-8 path");
    let out = needlebench(&["zones", p]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(String::from_utf8_lossy(&out.stdout).starts_with("face map mine: 1 zone\n"));
    // An open ring: the last point is not the first.
    std::fs::write(
        &path,
        good.replace("[10.0, 20.0], [10.0, 10.0]]", "[10.0, 20.0]]"),
    )
    .expect("write");
    let out = needlebench(&["zones", p]);
    assert_eq!(out.status.code(), Some(3));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains(&format!("{p}:9:54: zone `spot` outline: open ring")),
        "{err}"
    );
    // Neither a built-in map nor a file.
    let out = needlebench(&["zones", "no-such-map"]);
    assert_eq!(out.status.code(), Some(3));
    assert!(String::from_utf8_lossy(&out.stderr).contains("no-such-map: cannot read"));
}
