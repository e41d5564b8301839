//! `needlebench stroke` and `needlebench sites`.

use crate::support::needlebench;
use serde_json::Value;

/// The layers, surface first; the skin's five have a thickness at every built-in site.
const LAYERS: [&str; 8] = [
    "stratum_corneum",
    "viable_epidermis",
    "papillary_dermis",
    "reticular_dermis",
    "hypodermis",
    "muscle",
    "cartilage",
    "bone",
];

fn stroke_json(site: &str, depth_mm: &str, extra: &[&str]) -> Value {
    let mut args = vec!["stroke", "--site", site, "--depth-mm", depth_mm, "--json"];
    args.extend_from_slice(extra);
    let out = needlebench(&args);
    assert!(
        out.status.success(),
        "stderr: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).expect("one JSON object")
}

fn layer_rank(v: &Value) -> usize {
    let name = v["layer"].as_str().expect("layer is a string");
    LAYERS
        .iter()
        .position(|l| *l == name)
        .unwrap_or_else(|| panic!("unknown layer {name}"))
}

#[test]
fn json_has_the_documented_keys_and_sane_values() {
    let v = stroke_json("cheek", "1.0", &[]);
    assert_eq!(v["site"], "cheek");
    assert_eq!(v["set_depth_um"].as_f64(), Some(1000.0));
    let reached = v["reached_depth_um"].as_f64().unwrap();
    assert!(reached > 0.0 && reached <= 1000.0, "{reached}");
    layer_rank(&v);
    let tenting = v["tenting_um"].as_f64().unwrap();
    assert!(tenting > 0.0 && tenting < 1000.0, "{tenting}");
    let force = v["peak_force_n"].as_f64().unwrap();
    assert!(force > 0.0 && force < 1.0, "{force}");
    assert!(v["bleeding"].is_boolean());
}

#[test]
fn deeper_setting_reaches_deeper() {
    let shallow = stroke_json("forehead", "0.5", &[]);
    let deep = stroke_json("forehead", "1.5", &[]);
    let (a, b) = (
        shallow["reached_depth_um"].as_f64().unwrap(),
        deep["reached_depth_um"].as_f64().unwrap(),
    );
    // model v2: a pen buries ~45–50 % of each extra mm on the forehead (tenting takes the rest)
    assert!(b > a + 400.0, "{a} µm at 0.5 mm vs {b} µm at 1.5 mm");
    assert!(layer_rank(&deep) >= layer_rank(&shallow));
}

#[test]
fn harder_press_reaches_deeper() {
    let light = stroke_json("chin", "1.0", &["--force-n", "0.5"]);
    let firm = stroke_json("chin", "1.0", &["--force-n", "5"]);
    assert!(firm["reached_depth_um"].as_f64() > light["reached_depth_um"].as_f64());
}

#[test]
fn thin_site_reaches_below_the_fat_where_a_thick_one_stays_in_the_dermis() {
    let thin = stroke_json("periorbital", "2.5", &[]);
    let thick = stroke_json("abdomen", "2.5", &[]);
    assert!(layer_rank(&thin) > layer_rank(&thick), "{thin} vs {thick}");
    // below the fat is a named layer, inside the modelled column, never past its floor
    assert_eq!(thin["below_hypodermis"], true, "{thin}");
    assert_eq!(thin["layer"], "muscle", "{thin}");
    let floor_um = thin["layers"]
        .as_array()
        .unwrap()
        .iter()
        .find(|l| l["floor"] == true)
        .and_then(|l| l["from_um"].as_f64())
        .expect("a floor");
    assert!(
        thin["reached_depth_um"].as_f64().unwrap() <= floor_um,
        "{thin}"
    );
    assert_eq!(thick["layer"], "reticular_dermis", "{thick}");
}

#[test]
fn table_shows_layers_and_where_the_tip_stopped() {
    let out = needlebench(&[
        "stroke",
        "--site",
        "nose",
        "--depth-mm",
        "0.75",
        "--cartridge",
        "12",
    ]);
    assert!(out.status.success());
    let text = String::from_utf8_lossy(&out.stdout);
    // the nose's column: the skin, fat, muscle, ending on cartilage (no bone row)
    for l in LAYERS.iter().filter(|l| **l != "bone") {
        assert!(text.contains(*l), "{l}: {text}");
    }
    assert!(text.contains("(floor)"), "{text}");
    for word in [
        "tip stopped here",
        "depth reached",
        "tenting",
        "peak force",
        "bleeding",
    ] {
        assert!(text.contains(word), "missing {word}: {text}");
    }
}

#[test]
fn unknown_site_is_a_usage_error_naming_the_choices() {
    let out = needlebench(&["stroke", "--site", "elbow", "--depth-mm", "1.0"]);
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("elbow") && err.contains("periorbital") && err.contains("decollete"),
        "{err}"
    );
}

#[test]
fn out_of_range_values_are_usage_errors() {
    for args in [
        ["--depth-mm", "3.5", "--force-n", "2"],
        ["--depth-mm=-0.25", "--force-n", "2", "--json"],
        ["--depth-mm", "1.0", "--force-n", "80"],
    ] {
        let mut full = vec!["stroke", "--site", "cheek"];
        full.extend(args.iter().filter(|a| !a.is_empty()));
        let out = needlebench(&full);
        assert_eq!(out.status.code(), Some(2), "{args:?}");
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(err.contains("must be in"), "{err}");
    }
    let out = needlebench(&[
        "stroke",
        "--site",
        "cheek",
        "--depth-mm",
        "1",
        "--cartridge",
        "7",
    ]);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("nano"));
}

#[test]
fn sites_lists_every_builtin_site_with_thicknesses() {
    let out = needlebench(&["sites"]);
    assert!(out.status.success());
    let text = String::from_utf8_lossy(&out.stdout);
    for site in [
        "forehead",
        "periorbital",
        "upper_lip",
        "decollete",
        "abdomen",
        "thigh",
    ] {
        assert!(text.contains(site), "{site} missing: {text}");
    }
    let out = needlebench(&["sites", "--json"]);
    let v: Value = serde_json::from_slice(&out.stdout).unwrap();
    let sites = v.as_array().unwrap();
    assert_eq!(sites.len(), 16);
    for site in ["scalp", "dorsal_hand", "upper_arm", "back"] {
        assert!(sites.iter().any(|s| s["site"] == site), "{site} missing");
    }
    for s in sites {
        for l in &LAYERS[..5] {
            assert!(s["thickness_um"][l].as_f64().unwrap() > 0.0, "{s}");
        }
        assert!(
            ["bone", "cartilage"].contains(&s["floor"].as_str().unwrap()),
            "{s}"
        );
    }
}
