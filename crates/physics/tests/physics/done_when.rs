//! Issue 11's "done when" items, each a test, plus the model-wide guarantees (floor, jump
//! bound, local mechanics, rate law, instantaneous speed).

use needlebench_physics::mechanics::effective_modulus_pa;
use needlebench_physics::validation::pen_stroke;
use needlebench_physics::*;

const FACE: [&str; 8] = [
    "forehead",
    "glabella",
    "temple",
    "periorbital",
    "nose",
    "cheek",
    "upper_lip",
    "chin",
];

fn pen(site: &str, setting_um: f64, hz: f64, force_n: f64) -> StrokeResult {
    pen_stroke(&Site::builtin(site).unwrap(), setting_um, hz, force_n, 1.0).unwrap()
}

#[test]
fn quarter_mm_breaks_the_surface_at_every_facial_site_at_100_hz_and_above() {
    for site in FACE {
        for hz in [100.0, 125.0, 150.0] {
            for force in [2.0, 4.0, 6.0] {
                let r = pen(site, 250.0, hz, force);
                assert!(r.punctured, "{site} {hz} Hz {force} N: {r:?}");
                assert!(
                    matches!(r.layer, Layer::ViableEpidermis | Layer::PapillaryDermis),
                    "{site} {hz} Hz {force} N ends in {}",
                    r.layer
                );
            }
        }
    }
}

#[test]
fn half_mm_on_the_cheek_ends_in_the_papillary_dermis() {
    for hz in [100.0, 150.0] {
        for force in [1.0, 2.0, 4.0] {
            let r = pen("cheek", 500.0, hz, force);
            assert_eq!(r.layer, Layer::PapillaryDermis, "{hz} Hz {force} N: {r:?}");
        }
    }
}

#[test]
fn one_and_a_half_to_two_mm_on_the_cheek_end_in_the_reticular_dermis() {
    for setting in [1500.0, 1750.0, 2000.0] {
        for hz in [60.0, 100.0, 150.0] {
            for force in [1.0, 2.0, 4.0, 6.0] {
                let r = pen("cheek", setting, hz, force);
                assert_eq!(
                    r.layer,
                    Layer::ReticularDermis,
                    "{setting} {hz} Hz {force} N"
                );
            }
        }
    }
}

#[test]
fn periorbital_two_and_a_half_mm_reaches_below_the_fat_only_into_a_named_layer() {
    let site = Site::builtin("periorbital").unwrap();
    for hz in [60.0, 100.0, 150.0] {
        let r = pen("periorbital", 2500.0, hz, 2.0);
        assert!(r.layer.is_below_hypodermis(), "{r:?}");
        assert_eq!(r.layer, Layer::Muscle);
        assert!(r.reached_depth_um <= site.floor_depth_um() + 1e-9);
        assert_eq!(site.floor, Layer::Bone);
    }
}

/// Every site, setting, frequency and force: depth within the exposure and above the floor,
/// never a floor layer, and finite.
#[test]
fn depth_never_exceeds_the_column_or_the_exposure() {
    for site in builtin_sites() {
        for s in 1..=10 {
            let e = f64::from(s) * 250.0;
            for hz in [60.0, 100.0, 150.0] {
                for f in [1.0, 3.0, 6.0] {
                    let r = pen_stroke(&site, e, hz, f, 1.0).unwrap();
                    assert!(r.reached_depth_um.is_finite() && r.reached_depth_um <= e);
                    assert!(r.reached_depth_um <= site.floor_depth_um() + 1e-9);
                    assert!(!r.layer.is_floor_only(), "{}: {r:?}", site.name);
                }
            }
        }
    }
}

/// The stated bound (stroke module docs): one 0.25 mm step raises the depth by at most
/// 250 µm plus the surface tent plus 50 µm, and the surface tent stays under 350 µm.
#[test]
fn jump_between_adjacent_settings_is_bounded() {
    let mut worst = 0.0_f64;
    for site in builtin_sites() {
        for hz in [60.0, 100.0, 150.0] {
            for f in [1.0, 2.0, 4.0, 6.0] {
                let mut prev = pen_stroke(&site, 250.0, hz, f, 1.0).unwrap();
                for s in 2..=10 {
                    let r = pen_stroke(&site, f64::from(s) * 250.0, hz, f, 1.0).unwrap();
                    let jump = r.reached_depth_um - prev.reached_depth_um;
                    assert!(jump >= -1e-9, "monotone");
                    assert!(
                        jump <= 250.0 + r.tenting_um + 50.0,
                        "{} {hz} Hz {f} N step {s}: {jump} µm",
                        site.name
                    );
                    assert!(r.tenting_um < 350.0, "{}: tent {}", site.name, r.tenting_um);
                    worst = worst.max(jump);
                    prev = r;
                }
            }
        }
    }
    assert!(worst < 450.0, "worst step {worst} µm");
    eprintln!("worst jump between adjacent settings: {worst:.0} µm");
}

/// Tenting is local: doubling 4 mm of fat barely changes the stiffness under a needle, while
/// halving the dermis changes it a lot (the issue: every site with ≥ 4 mm fat tented alike).
#[test]
fn tenting_stiffness_is_set_by_the_layers_near_the_tip() {
    let cheek = Site::builtin("cheek").unwrap();
    let mut fat = cheek.clone();
    fat.layers[Layer::Hypodermis.index()].thickness_um *= 2.0;
    let mut thin = cheek.clone();
    thin.layers[Layer::ReticularDermis.index()].thickness_um *= 0.5;
    let a = 125e-6;
    let e = |s: &Site| effective_modulus_pa(s, a, a, 1.0);
    let fat_change = (e(&fat) / e(&cheek) - 1.0).abs();
    let dermis_change = (e(&thin) / e(&cheek) - 1.0).abs();
    eprintln!("fat ×2: {fat_change:.3}, reticular dermis ×0.5: {dermis_change:.3}");
    assert!(fat_change < 0.35, "{} vs {}", e(&fat), e(&cheek));
    assert!(dermis_change > 0.1);
    // Thick-fat sites no longer tent identically.
    let k = |n: &str| {
        StrokeModel::new(&Site::builtin(n).unwrap(), &Needle::STANDARD, 1.4, 3000.0)
            .unwrap()
            .stiffness_n_per_um()
    };
    assert!((k("cheek") / k("temple") - 1.0).abs() > 0.05);
}

/// Bounded rate law: no layer stiffens past its bound; fat by at most Sims 2010's 1.6.
#[test]
fn rate_law_is_bounded() {
    for l in Layer::ALL {
        let p = l.default_props(100.0);
        let hi = p.modulus_at_rate_pa(1e12);
        assert!(hi <= p.modulus_pa * p.rate_stiffening_max * (1.0 + 1e-9));
        assert!(
            p.modulus_at_rate_pa(1e4) > p.modulus_at_rate_pa(1.0) || p.rate_stiffening_max <= 1.0
        );
    }
    let fat = Layer::Hypodermis.default_props(1.0);
    assert!(fat.modulus_at_rate_pa(1e12) / fat.modulus_pa <= 1.6 + 1e-9);
}

/// Shallow settings rupture near the bottom of the cam, far below its peak speed.
#[test]
fn rupture_uses_the_instantaneous_cam_speed() {
    let peak = std::f64::consts::PI * 150.0 * 3e-3;
    let shallow = pen("cheek", 500.0, 150.0, 2.0);
    let deep = pen("cheek", 2500.0, 150.0, 2.0);
    assert!(
        shallow.rupture_speed_m_s < 0.7 * peak,
        "{}",
        shallow.rupture_speed_m_s
    );
    assert!(deep.rupture_speed_m_s > shallow.rupture_speed_m_s);
}

/// Channels can end in every skin layer: across settings the cheek visits the viable
/// epidermis, papillary and reticular dermis; deep thin sites reach fat and muscle.
#[test]
fn channels_end_in_every_layer_somewhere() {
    let mut seen = std::collections::BTreeSet::new();
    for site in builtin_sites() {
        for s in 1..=100 {
            let r = pen_stroke(&site, f64::from(s) * 25.0, 150.0, 2.0, 1.0).unwrap();
            if r.punctured {
                seen.insert(r.layer);
            }
        }
    }
    for l in [
        Layer::ViableEpidermis,
        Layer::PapillaryDermis,
        Layer::ReticularDermis,
        Layer::Hypodermis,
        Layer::Muscle,
    ] {
        assert!(seen.contains(&l), "{l} never reached: {seen:?}");
    }
}
