//! The pen plant: motor speed, hall period, battery, punctures, determinism.

use approx::assert_relative_eq;
use needlebench_physics::*;

/// State of charge at which the default battery's open-circuit voltage is 3.7 V.
const SOC_3V7: f64 = 0.4;

fn plant(cartridge: &str, soc: f64) -> PenPlant {
    let params = PenParams {
        battery_soc: soc,
        ..PenParams::default()
    };
    let mut p = PenPlant::new(params, Cartridge::from_name(cartridge).unwrap()).unwrap();
    p.set_exposure_um(1000.0).unwrap();
    p
}

/// Run `ms` ticks of 1 ms at `duty`; returns the last tick's (current mA, hall µs, battery mV)
/// and all punctures seen.
fn run(
    p: &mut PenPlant,
    duty: u16,
    ms: u32,
    contact: &Contact<'_>,
) -> ((i32, u32, u32), Vec<Puncture>) {
    let mut all = Vec::new();
    let mut last = (0, 0, 0);
    for _ in 0..ms {
        let t = p.step(duty, 1000, contact).unwrap();
        all.extend_from_slice(t.punctures);
        last = (t.motor_current_ma, t.hall_period_us, t.battery_mv);
    }
    (last, all)
}

#[test]
fn open_circuit_voltage_spans_empty_to_full() {
    let p = PenParams::default();
    assert_relative_eq!(p.open_circuit_v(0.0), 3.0, epsilon = 1e-9);
    assert_relative_eq!(p.open_circuit_v(1.0), 4.2, epsilon = 1e-9);
    assert_relative_eq!(p.open_circuit_v(SOC_3V7), 3.7, epsilon = 1e-9);
}

#[test]
fn unloaded_full_duty_at_3v7_exceeds_180_strokes_per_second() {
    let mut p = plant("36", SOC_3V7);
    let ((ma, hall_us, mv), punctures) = run(&mut p, 1000, 1500, &Contact::OFF);
    assert!(punctures.is_empty(), "no skin, no punctures");
    assert!(hall_us > 0);
    let hz = 1e6 / f64::from(hall_us);
    assert!(hz > 180.0 && hz < 230.0, "unloaded stroke rate {hz} Hz");
    assert_relative_eq!(p.speed_hz(), hz, max_relative = 0.05);
    assert!(ma > 0 && ma < 500, "unloaded current {ma} mA");
    assert!(mv < 3700 && mv > 3600, "battery under light load {mv} mV");
}

#[test]
fn stall_current_is_about_three_amps() {
    let mut p = plant("36", SOC_3V7);
    let t = p.step(1000, 100, &Contact::OFF).unwrap();
    assert!(t.motor_current_ma > 0);
    // Ramp for a few electrical time constants (the rotor barely moves in 0.3 ms).
    let t = p.step(1000, 300, &Contact::OFF).unwrap();
    assert!(
        (2500..3200).contains(&t.motor_current_ma),
        "stall-ish current {}",
        t.motor_current_ma
    );
    assert!(
        t.battery_mv < 3500,
        "battery sags under stall current: {}",
        t.battery_mv
    );
}

#[test]
fn hall_period_reads_zero_when_stopped() {
    let mut p = plant("36", 0.8);
    let ((_, hall, _), _) = run(&mut p, 0, 50, &Contact::OFF);
    assert_eq!(hall, 0, "never started");
    let ((_, hall, _), _) = run(&mut p, 800, 500, &Contact::OFF);
    assert!(hall > 0);
    let ((ma, hall, _), _) = run(&mut p, 0, 1000, &Contact::OFF);
    assert_eq!(hall, 0, "stopped for > 100 ms");
    assert_eq!(ma, 0);
}

#[test]
fn needles_load_the_motor_and_report_punctures() {
    let cheek = Site::builtin("cheek").unwrap();
    let on_skin = Contact {
        site: Some(&cheek),
        needle_sites: None,
        hand_force_n: 2.0,
        tilt_deg: 0.0,
    };
    let mut free = plant("36", 0.8);
    let mut loaded = plant("36", 0.8);
    let ((ma_free, hall_free, _), _) = run(&mut free, 700, 1000, &Contact::OFF);
    let ((_, hall_loaded, _), punctures) = run(&mut loaded, 700, 1000, &on_skin);
    assert!(
        hall_loaded > hall_free,
        "load slows the motor: {hall_loaded} vs {hall_free} µs"
    );
    // ~1 s at ~150–190 Hz, 36 needles each.
    let strokes = punctures.len() / 36;
    assert!(strokes > 100 && strokes < 230, "{strokes} strokes");
    assert_eq!(
        punctures.len() % 36,
        0,
        "every needle punctures every stroke"
    );
    for p in &punctures {
        assert!(p.depth_um > 0.0 && p.depth_um <= 1000.0);
        assert!(p.peak_force_n > 0.0 && p.peak_force_n < 1.0);
        assert!(usize::from(p.needle_index) < 36);
    }
    // Average current rises with the load.
    let mut sum_loaded = 0i64;
    let mut sum_free = 0i64;
    for _ in 0..200 {
        sum_loaded += i64::from(loaded.step(700, 1000, &on_skin).unwrap().motor_current_ma);
        sum_free += i64::from(
            free.step(700, 1000, &Contact::OFF)
                .unwrap()
                .motor_current_ma,
        );
    }
    assert!(
        sum_loaded > sum_free,
        "loaded {sum_loaded} vs free {sum_free} (mA·ms)"
    );
    let _ = ma_free;
}

#[test]
fn precompression_builds_and_relaxes() {
    let cheek = Site::builtin("cheek").unwrap();
    let on_skin = Contact {
        site: Some(&cheek),
        needle_sites: None,
        hand_force_n: 2.0,
        tilt_deg: 0.0,
    };
    let mut p = plant("9", 0.8);
    run(&mut p, 700, 1000, &on_skin);
    let (_, steady) = run(&mut p, 700, 20, &on_skin);
    let pre: f64 = p.precompression_um().sum::<f64>() / 9.0;
    assert!(pre > 1.0, "pre-compression built up: {pre} µm");
    let saved = p.clone();
    p.reset_precompression();
    let (_, fresh) = run(&mut p, 700, 20, &on_skin);
    let mean = |v: &[Puncture]| v.iter().map(|x| x.depth_um).sum::<f64>() / v.len() as f64;
    assert!(!steady.is_empty() && !fresh.is_empty());
    assert!(
        mean(&steady) < mean(&fresh) - 0.2 * pre,
        "pre-compression costs depth (at the cutting slope, ~0.3–0.5 of the travel lost)"
    );
    let mut p = saved;
    run(&mut p, 0, 3000, &Contact::OFF);
    let relaxed: f64 = p.precompression_um().sum::<f64>() / 9.0;
    assert!(relaxed < pre * 0.01, "relaxed to {relaxed} µm");
}

#[test]
fn plant_is_deterministic_and_needle_position_follows_the_cam() {
    let chin = Site::builtin("chin").unwrap();
    let contact = Contact {
        site: Some(&chin),
        needle_sites: None,
        hand_force_n: 3.0,
        tilt_deg: 5.0,
    };
    let mut a = plant("12", 0.8);
    let mut b = plant("12", 0.8);
    let (mut zmin, mut zmax) = (i32::MAX, i32::MIN);
    for _ in 0..300 {
        let ta = a.step(650, 1000, &contact).unwrap();
        let tb = b.step(650, 1000, &contact).unwrap();
        assert_eq!(ta, tb);
        for _ in 0..4 {
            let t = a.step(650, 250, &contact).unwrap();
            b.step(650, 250, &contact).unwrap();
            zmin = zmin.min(t.needle_z_um);
            zmax = zmax.max(t.needle_z_um);
        }
    }
    assert!(
        zmax <= 1000 && zmax > 900,
        "tip reaches the exposure: {zmax}"
    );
    assert!(
        (-2000..-1900).contains(&zmin),
        "tip retracts by the throw: {zmin}"
    );
}

#[test]
fn invalid_contact_is_an_error_and_changes_nothing() {
    let mut p = plant("36", 0.8);
    let bad = Contact {
        site: None,
        needle_sites: None,
        hand_force_n: f64::NAN,
        tilt_deg: 0.0,
    };
    let err = p.step(500, 1000, &bad).unwrap_err();
    assert!(err.to_string().contains("hand_force_n"), "{err}");
    assert_eq!(p.time_us(), 0);
    assert!(p.set_exposure_um(3500.0).is_err());
    let bad_params = PenParams {
        motor_resistance_ohm: 0.0,
        ..PenParams::default()
    };
    let err = PenPlant::new(bad_params, Cartridge::from_name("9").unwrap()).unwrap_err();
    assert!(
        err.to_string().contains("pen.motor_resistance_ohm"),
        "{err}"
    );
}

#[test]
fn jammed_carriage_stalls_the_motor_and_freeing_it_restarts() {
    let mut p = plant("36", 0.9);
    let ticks = |p: &mut PenPlant, n: u32| {
        for _ in 0..n {
            p.step(1000, 1000, &Contact::OFF).unwrap();
        }
    };
    ticks(&mut p, 300);
    let free_hz = p.speed_hz();
    assert!(free_hz > 150.0, "runs free at {free_hz} Hz");
    p.set_jam_torque_nm(0.05);
    ticks(&mut p, 300);
    assert!(
        p.speed_hz().abs() < 1.0,
        "a jam several times the stall torque stops the rotor"
    );
    p.set_jam_torque_nm(0.0);
    ticks(&mut p, 300);
    assert!(p.speed_hz() > 0.9 * free_hz, "freed, it spins up again");
}

#[test]
fn punctures_report_the_tenting_before_rupture() {
    let site = Site::builtin("cheek").unwrap();
    let mut p = plant("36", 0.9);
    p.set_exposure_um(1000.0).unwrap();
    let contact = Contact {
        site: Some(&site),
        needle_sites: None,
        hand_force_n: 2.0,
        tilt_deg: 0.0,
    };
    let mut seen = 0;
    for _ in 0..300 {
        for pu in p.step(1000, 1000, &contact).unwrap().punctures {
            assert!(pu.tenting_um > 0.0 && pu.tenting_um < 1000.0, "{pu:?}");
            assert!(
                pu.depth_um <= 1000.0 + 1e-6,
                "depth stays within the exposure: {pu:?}"
            );
            seen += 1;
        }
    }
    assert!(seen > 36, "several strokes punctured");
}

#[test]
fn pressing_hard_drags_the_carriage_enough_to_stall() {
    let site = Site::builtin("cheek").unwrap();
    let speed_at = |force_n: f64| {
        let mut p = plant("36", 0.9);
        let contact = Contact {
            site: Some(&site),
            needle_sites: None,
            hand_force_n: force_n,
            tilt_deg: 0.0,
        };
        run(&mut p, 1000, 400, &contact);
        p.speed_hz()
    };
    let light = speed_at(2.5);
    let hard = speed_at(25.0);
    assert!(
        light > 120.0,
        "normal pressure barely slows the pen: {light} Hz"
    );
    assert!(
        hard < 0.4 * light,
        "25 N collapses the stroke rate: {hard} Hz vs {light} Hz"
    );
}

/// Needles left of the cartridge's centre meet `left`, the others `right`.
fn split_sites(cartridge: &Cartridge) -> Vec<u16> {
    cartridge
        .positions_mm()
        .iter()
        .map(|p| u16::from(p[0] >= 0.0))
        .collect()
}

#[test]
fn a_cartridge_straddling_two_skins_gives_each_needle_its_own_skins_depths_and_layers() {
    let cheek = Site::builtin("cheek").unwrap();
    // the same column at a third of its thickness: the same depth lies in a deeper layer
    let thin = cheek.scaled(0.34).unwrap();
    let sites = [cheek.clone(), thin.clone()];
    let mut p = plant("36", 0.8);
    let of_needle = split_sites(p.cartridge());
    assert!(of_needle.contains(&0) && of_needle.contains(&1));
    let contact = Contact {
        site: Some(&cheek),
        needle_sites: Some(NeedleSites {
            sites: &sites,
            of_needle: &of_needle,
        }),
        hand_force_n: 2.0,
        tilt_deg: 0.0,
    };
    let (_, punctures) = run(&mut p, 700, 500, &contact);
    assert!(punctures.len() > 36 * 40, "{} punctures", punctures.len());
    let mut differs = 0;
    for q in &punctures {
        let own = &sites[usize::from(of_needle[usize::from(q.needle_index)])];
        let other = &sites[1 - usize::from(of_needle[usize::from(q.needle_index)])];
        // within the per-puncture thickness spread (the column scaled by 1 ± 3.5 × 6 %)
        let (shallow, deep) = (
            own.layer_at_depth(q.depth_um / 1.25),
            own.layer_at_depth(q.depth_um / 0.75),
        );
        assert!(
            (shallow.index()..=deep.index()).contains(&q.layer.index()),
            "{q:?}"
        );
        differs += usize::from(other.layer_at_depth(q.depth_um) != q.layer);
    }
    assert!(
        differs > 0,
        "the two skins put some depth in different layers"
    );
}

#[test]
fn per_needle_sites_all_naming_one_skin_stroke_exactly_as_the_single_site() {
    let cheek = Site::builtin("cheek").unwrap();
    let sites = [cheek.clone()];
    let mut single = plant("36", 0.8);
    let mut per_needle = plant("36", 0.8);
    let of_needle = vec![0u16; 36];
    let one = Contact {
        site: Some(&cheek),
        needle_sites: None,
        hand_force_n: 2.0,
        tilt_deg: 3.0,
    };
    let each = Contact {
        needle_sites: Some(NeedleSites {
            sites: &sites,
            of_needle: &of_needle,
        }),
        ..one
    };
    let (a, pa) = run(&mut single, 700, 300, &one);
    let (b, pb) = run(&mut per_needle, 700, 300, &each);
    assert_eq!((a, pa), (b, pb));
}

#[test]
fn per_needle_sites_of_the_wrong_length_or_index_are_refused() {
    let cheek = Site::builtin("cheek").unwrap();
    let sites = [cheek.clone()];
    let mut p = plant("36", 0.8);
    for of_needle in [vec![0u16; 35], vec![1u16; 36]] {
        let contact = Contact {
            site: Some(&cheek),
            needle_sites: Some(NeedleSites {
                sites: &sites,
                of_needle: &of_needle,
            }),
            hand_force_n: 2.0,
            tilt_deg: 0.0,
        };
        let e = p.step(500, 1000, &contact).expect_err("refused");
        assert!(e.to_string().contains("needle_sites.of_needle"), "{e}");
    }
}
