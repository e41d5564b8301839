//! Rollers, stamps and the per-puncture spread.

use needlebench_physics::device::{DevicePuncture, RollerParams, StampParams};
use needlebench_physics::spread::SpreadDraw;
use needlebench_physics::*;

fn roll(site: &Site, speed: f64, force: f64, seed: u64) -> Vec<DevicePuncture> {
    let mut r = RollerPlant::new(RollerParams::default()).unwrap();
    r.set_spread_seed(seed);
    let mut out = Vec::new();
    for n in 0..200 {
        let hand = HandState {
            site: Some(site),
            position_mm: f64::from(n) * 0.5,
            speed_m_s: speed,
            force_n: force,
            tilt_deg: 0.0,
        };
        out.extend_from_slice(r.step(&hand).unwrap());
    }
    out
}

#[test]
fn roller_punctures_every_row_it_rolls_over_with_offsets_along_the_drum() {
    let site = Site::builtin("back").unwrap();
    let p = roll(&site, 0.03, 5.0, 1);
    // 100 mm rolled on a 10 mm drum with 24 rows: ~38 rows × 8 needles.
    assert!((250..=330).contains(&p.len()), "{}", p.len());
    for d in &p {
        assert!(d.offset_mm[0] == 0.0 && d.offset_mm[1].abs() <= 7.0);
        assert!(d.puncture.depth_um > 0.0 && d.puncture.depth_um <= 770.0);
    }
}

#[test]
fn roller_entry_speed_follows_the_arc() {
    let r = RollerPlant::new(RollerParams::default()).unwrap();
    let theta = (10.0_f64 / 10.77).acos();
    assert!((r.contact_half_angle_rad() - theta).abs() < 1e-12);
    let v = r.entry_speed_m_s(0.05);
    assert!((v - 10.77 * theta.sin() * 0.05 / 10.0).abs() < 1e-12);
    assert!(v < 0.05);
}

#[test]
fn same_seed_same_punctures_other_seed_other_spread() {
    let site = Site::builtin("back").unwrap();
    assert_eq!(roll(&site, 0.03, 5.0, 7), roll(&site, 0.03, 5.0, 7));
    assert_ne!(roll(&site, 0.03, 5.0, 7), roll(&site, 0.03, 5.0, 8));
    assert_eq!(SpreadDraw::new(1, 2, 3), SpreadDraw::new(1, 2, 3));
}

#[test]
fn spread_is_bounded_and_unbiased() {
    let n = 20_000;
    let (mut sum, mut sq) = (0.0, 0.0);
    for i in 0..n {
        let d = SpreadDraw::new(42, i % 36, i / 36);
        assert!(d.thickness_scale > 0.75 && d.thickness_scale < 1.25);
        assert!(d.force_scale > 0.4 && d.force_scale < 1.6);
        sum += d.relief_um;
        sq += d.relief_um * d.relief_um;
    }
    let mean = sum / n as f64;
    let sd = (sq / n as f64 - mean * mean).sqrt();
    assert!(mean.abs() < 1.0, "{mean}");
    assert!((sd - spread::RELIEF_SD_UM).abs() < 1.0, "{sd}");
}

#[test]
fn pen_punctures_spread_like_histology() {
    let site = Site::builtin("cheek").unwrap();
    let mut p = PenPlant::new(PenParams::default(), Cartridge::from_name("36").unwrap()).unwrap();
    p.set_exposure_um(1500.0).unwrap();
    p.set_spread_seed(3);
    let contact = Contact {
        site: Some(&site),
        needle_sites: None,
        hand_force_n: 2.0,
        tilt_deg: 0.0,
    };
    let mut depths = Vec::new();
    for _ in 0..300 {
        let t = p.step(900, 1000, &contact).unwrap();
        depths.extend(t.punctures.iter().map(|x| x.depth_um));
    }
    let (m, sd) = validation::mean_sd(&depths);
    assert!(depths.len() > 1000);
    assert!((5.0..=40.0).contains(&sd), "mean {m} sd {sd}");
}

#[test]
fn stamp_pierces_when_pressed_fast_not_slowly_and_rearms() {
    let site = Site::builtin("abdomen").unwrap();
    let params = StampParams {
        grid: 4,
        needle_length_um: 300.0,
        ..StampParams::default()
    };
    let mut s = StampPlant::new(params).unwrap();
    let mut hand = HandState {
        site: Some(&site),
        position_mm: 0.0,
        speed_m_s: 0.005,
        force_n: 10.0,
        tilt_deg: 0.0,
    };
    assert!(s.step(&hand).unwrap().is_empty(), "slow press: no piercing");
    hand.force_n = 0.0;
    assert!(s.step(&hand).unwrap().is_empty());
    hand.force_n = 20.0;
    hand.speed_m_s = 0.1;
    let n = s.step(&hand).unwrap().len();
    assert_eq!(n, 16, "a fast press pierces");
    assert!(
        s.step(&hand).unwrap().is_empty(),
        "one press, one set of punctures"
    );
    let mut long = StampPlant::new(StampParams::default()).unwrap();
    hand.speed_m_s = 0.01;
    let p = long.step(&hand).unwrap();
    assert_eq!(p.len(), 36);
    assert!(
        p.iter()
            .all(|d| d.offset_mm[0].abs() <= 2.5 && d.puncture.depth_um <= 1000.0)
    );
}
