//! Built-in and custom sites, cartridges, and their typed errors.

use approx::assert_relative_eq;
use needlebench_physics::*;

#[test]
fn all_required_builtin_sites_exist_and_validate() {
    let required = [
        "forehead",
        "glabella",
        "temple",
        "periorbital",
        "nose",
        "cheek",
        "upper_lip",
        "chin",
        "neck",
        "decollete",
        "abdomen",
        "thigh",
        "scalp",
        "dorsal_hand",
        "upper_arm",
        "back",
    ];
    for name in required {
        let site = Site::builtin(name).unwrap();
        site.validate().unwrap();
        assert_eq!(site.name, name);
        let b = site.boundaries_um();
        assert!(
            b[..=6].windows(2).all(|w| w[1] > w[0]),
            "{name}: layers ordered, all thick"
        );
        let sc = site.layer(Layer::StratumCorneum).thickness_um;
        assert!(
            (5.0..=25.0).contains(&sc),
            "{name}: stratum corneum {sc} µm"
        );
        let pd = site.layer(Layer::PapillaryDermis).thickness_um;
        assert!(
            (100.0..=300.0).contains(&pd),
            "{name}: papillary dermis {pd} µm"
        );
    }
    assert_eq!(builtin_sites().count(), required.len());
    assert_eq!(Site::builtin("décolleté").unwrap().name, "decollete");
}

#[test]
fn periorbital_is_thinner_than_cheek_and_abdomen_thickest() {
    let t = |n: &str| Site::builtin(n).unwrap().boundaries_um()[4];
    assert!(t("periorbital") < t("cheek"));
    assert!(builtin_sites().all(|s| s.boundaries_um()[4] <= t("abdomen")));
}

#[test]
fn unknown_site_lists_valid_choices() {
    let err = Site::builtin("elbow").unwrap_err();
    let msg = err.to_string();
    assert!(
        msg.contains("elbow") && msg.contains("periorbital") && msg.contains("thigh"),
        "{msg}"
    );
}

#[test]
fn layer_names_round_trip() {
    for l in Layer::ALL {
        assert_eq!(Layer::from_name(l.name()), Some(l));
        assert_eq!(Layer::from_index(l.index()), l);
    }
    assert_eq!(Layer::PapillaryDermis.name(), "papillary_dermis");
    assert_eq!(Layer::from_name("dermis"), None);
}

#[test]
fn layer_at_depth_follows_boundaries() {
    let site = Site::builtin("forehead").unwrap();
    let b = site.boundaries_um();
    assert_eq!(site.layer_at_depth(0.0), Layer::StratumCorneum);
    assert_eq!(site.layer_at_depth(b[1] + 0.1), Layer::ViableEpidermis);
    assert_eq!(site.layer_at_depth(b[3] - 0.1), Layer::PapillaryDermis);
    assert_eq!(site.layer_at_depth(b[5] + 100.0), Layer::Muscle);
    assert_eq!(site.layer_at_depth(site.floor_depth_um() + 1.0), site.floor);
    assert!(site.floor.is_floor_only());
}

const GOOD: &str = r#"
name = "scar"
[layers.stratum_corneum]
thickness_um = 15
[layers.viable_epidermis]
thickness_um = 60
modulus_pa = 2e6
[layers.papillary_dermis]
thickness_um = 150
[layers.reticular_dermis]
thickness_um = 900
friction_steel = 0.6
[layers.hypodermis]
thickness_um = 2000
"#;

fn parse(text: &str) -> Result<Site, PhysicsError> {
    let spec: SiteSpec = toml::from_str(text).expect("valid TOML");
    Site::try_from(spec)
}

#[test]
fn custom_site_from_toml_takes_given_values_and_defaults() {
    let site = parse(GOOD).unwrap();
    assert_eq!(site.name, "scar");
    assert_relative_eq!(site.boundaries_um()[5], 3125.0);
    assert_relative_eq!(site.layer(Layer::ViableEpidermis).modulus_pa, 2e6);
    assert_relative_eq!(site.layer(Layer::ReticularDermis).friction_steel, 0.6);
    let default = Layer::Hypodermis.default_props(2000.0);
    assert_eq!(*site.layer(Layer::Hypodermis), default);
}

#[test]
fn negative_thickness_is_named() {
    let err = parse(&GOOD.replace("thickness_um = 150", "thickness_um = -5")).unwrap_err();
    assert_eq!(
        err.to_string(),
        "layers.papillary_dermis.thickness_um must be >= 0, got -5"
    );
}

#[test]
fn zero_thickness_is_named() {
    let err = parse(&GOOD.replace("thickness_um = 2000", "thickness_um = 0")).unwrap_err();
    assert!(
        err.to_string()
            .starts_with("layers.hypodermis.thickness_um must be > 0"),
        "{err}"
    );
}

#[test]
fn empty_name_is_rejected() {
    let err = parse(&GOOD.replace("name = \"scar\"", "name = \" \"")).unwrap_err();
    assert_eq!(err, PhysicsError::EmptyName);
}

#[test]
fn missing_layer_is_named() {
    let text = GOOD.replace("[layers.hypodermis]\nthickness_um = 2000\n", "");
    let err = parse(&text).unwrap_err();
    assert_eq!(
        err,
        PhysicsError::MissingLayer {
            field: "layers.hypodermis".into()
        }
    );
    assert!(err.to_string().contains("layers.hypodermis"));
}

#[test]
fn non_physical_modulus_is_named() {
    for bad in ["-1", "0", "5e12"] {
        let err =
            parse(&GOOD.replace("modulus_pa = 2e6", &format!("modulus_pa = {bad}"))).unwrap_err();
        assert!(
            err.to_string()
                .starts_with("layers.viable_epidermis.modulus_pa must be"),
            "{err}"
        );
    }
    let err = parse(&GOOD.replace("friction_steel = 0.6", "friction_steel = nan")).unwrap_err();
    assert!(
        err.to_string()
            .contains("layers.reticular_dermis.friction_steel"),
        "{err}"
    );
}

#[test]
fn scaled_site_scales_every_layer_and_rejects_nonsense() {
    let cheek = Site::builtin("cheek").unwrap();
    let thin = cheek.scaled(0.5).unwrap();
    for l in Layer::ALL {
        assert_relative_eq!(
            thin.layer(l).thickness_um * 2.0,
            cheek.layer(l).thickness_um
        );
    }
    assert!(cheek.scaled(0.0).is_err());
    assert!(cheek.scaled(f64::NAN).is_err());
}

#[test]
fn cartridges_have_their_needle_counts_and_centred_layouts() {
    for (name, n) in [
        ("9", 9),
        ("12", 12),
        ("16", 16),
        ("24", 24),
        ("36", 36),
        ("42", 42),
    ] {
        let c = Cartridge::from_name(name).unwrap();
        assert_eq!(c.needle_count(), n);
        assert_eq!(c.name(), name);
        let (sx, sy) = c
            .positions_mm()
            .iter()
            .fold((0.0, 0.0), |a, p| (a.0 + p[0], a.1 + p[1]));
        assert!(sx.abs() < 1e-9 && sy.abs() < 1e-9, "{name} centred");
        assert!(c.guard_radius_mm() > 1.0 && c.guard_radius_mm() < 6.0);
        // needles further apart than the ~150 µm interaction distance
        let p = c.positions_mm();
        for i in 0..p.len() {
            for j in i + 1..p.len() {
                assert!((p[i][0] - p[j][0]).hypot(p[i][1] - p[j][1]) > 0.15);
            }
        }
    }
    let nano = Cartridge::from_name("nano").unwrap();
    assert!(nano.needle().tip_radius_um < Needle::STANDARD.tip_radius_um);
    let err = Cartridge::from_name("7").unwrap_err().to_string();
    assert!(
        err.contains("`7`") && err.contains("36") && err.contains("nano"),
        "{err}"
    );
}
