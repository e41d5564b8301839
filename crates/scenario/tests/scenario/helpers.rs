//! The helpers the runner uses: area geometry, force over time, defaults, hashing, discovery.

use crate::{BASE, parse};
use needlebench_physics::Layer;
use needlebench_scenario::{
    Area, ClockMode, DEFAULT_FORCE_N, DEFAULT_GLIDE_MM_S, Expect, FaultCode, FirmwareLink, Force,
    InjectedFault, Location, Pattern, Sensor, Speed, find_scenarios, parse_waypoints,
};
use std::path::Path;

#[test]
fn rect_area_geometry() {
    let a = Area::Rect {
        x_mm: 10.0,
        y_mm: -5.0,
        width_mm: 40.0,
        height_mm: 20.0,
    };
    assert_eq!(
        a.polygon(),
        vec![[10.0, -5.0], [50.0, -5.0], [50.0, 15.0], [10.0, 15.0]]
    );
    let b = a.bounding_box();
    assert_eq!(
        (b.min_x_mm, b.min_y_mm, b.max_x_mm, b.max_y_mm),
        (10.0, -5.0, 50.0, 15.0)
    );
    assert_eq!((b.width_mm(), b.height_mm()), (40.0, 20.0));
    assert!((a.area_cm2() - 8.0).abs() < 1e-12);
    assert!(a.contains(10.0, -5.0) && a.contains(30.0, 0.0) && a.contains(50.0, 15.0));
    assert!(!a.contains(9.9, 0.0) && !a.contains(30.0, 15.1));
}

#[test]
fn polygon_area_geometry_either_orientation() {
    // An L shape: 20×10 plus 10×10 on top of its left half = 300 mm².
    let ccw = vec![
        [0.0, 0.0],
        [20.0, 0.0],
        [20.0, 10.0],
        [10.0, 10.0],
        [10.0, 20.0],
        [0.0, 20.0],
    ];
    let mut cw = ccw.clone();
    cw.reverse();
    for p in [ccw, cw] {
        let a = Area::Polygon(p);
        assert!((a.area_mm2() - 300.0).abs() < 1e-9);
        assert!((a.area_cm2() - 3.0).abs() < 1e-12);
        assert!(a.contains(5.0, 15.0) && a.contains(15.0, 5.0));
        assert!(!a.contains(15.0, 15.0), "the notch of the L is outside");
        assert!(!a.contains(-1.0, 5.0) && !a.contains(5.0, 21.0));
        let b = a.bounding_box();
        assert_eq!(
            (b.min_x_mm, b.max_x_mm, b.min_y_mm, b.max_y_mm),
            (0.0, 20.0, 0.0, 20.0)
        );
    }
}

#[test]
fn force_profile_is_linear_and_held_at_the_ends() {
    let f = Force::Profile(vec![(1.0, 2.0), (3.0, 6.0), (4.0, 4.0)]);
    assert_eq!(f.at_s(0.0), 2.0);
    assert_eq!(f.at_s(1.0), 2.0);
    assert!((f.at_s(2.0) - 4.0).abs() < 1e-12);
    assert!((f.at_s(3.5) - 5.0).abs() < 1e-12);
    assert_eq!(f.at_s(10.0), 4.0);
    assert_eq!(f.max_n(), 6.0);
    assert_eq!(Force::Constant(2.5).at_s(99.0), 2.5);
    let s = parse(&format!(
        "{BASE}force_profile = [[0.0, 2.0], [10.0, 4.0]]\n"
    ))
    .unwrap();
    assert!((s.hand.force_at_s(5.0) - 3.0).abs() < 1e-12);
}

#[test]
fn defaults_are_filled_in() {
    let s = parse(BASE).unwrap();
    assert_eq!(s.seed, 0);
    assert_eq!(s.duration_s, None);
    assert_eq!(s.pen().expect("a pen").speed, Speed::Level(6));
    assert_eq!(
        (
            s.pen().expect("a pen").cartridge.name(),
            s.pen().expect("a pen").cartridge.needle_count()
        ),
        ("12", 12)
    );
    assert_eq!(
        (
            s.pen().expect("a pen").battery_soc,
            s.pen().expect("a pen").cartridge_id
        ),
        (0.9, 1)
    );
    assert_eq!(s.pen().expect("a pen").exposure_um(), 500.0);
    assert_eq!(s.firmware.link, FirmwareLink::Emulated);
    assert_eq!(s.firmware.clock, ClockMode::Lockstep);
    assert_eq!(s.firmware.cartridge_limit_s, None);
    assert_eq!(
        (s.skin.thickness_variation, s.skin.variation_length_mm),
        (0.0, 5.0)
    );
    assert_eq!(s.hand.pattern, Pattern::Straight);
    assert_eq!(s.hand.glide_mm_s, DEFAULT_GLIDE_MM_S);
    assert_eq!(s.hand.force, Force::Constant(DEFAULT_FORCE_N));
    assert_eq!((s.hand.passes, s.hand.line_spacing_mm), (1, 2.0));
    assert_eq!(s.hand.angles_deg, vec![0.0]);
    assert_eq!((s.hand.stamp_pitch_mm, s.hand.stamp_dwell_ms), (3.0, 150.0));
    assert_eq!(
        (s.hand.tilt_deg, s.hand.tremor_mm, s.hand.tremor_hz),
        (0.0, 0.0, 8.0)
    );
    assert!(s.inject.is_empty());
    assert_eq!(s.expect, Expect::defaults_for("forehead", true));
    let c = parse(&BASE.replace("\"straight\"", "\"crosshatch\"")).unwrap();
    assert_eq!(c.hand.angles_deg, vec![0.0, 90.0]);
}

#[test]
fn forbidden_layers_default_to_below_the_fat_everywhere_and_the_fat_on_the_face() {
    let below = [Layer::Muscle, Layer::Cartilage, Layer::Bone];
    for face in [
        "forehead",
        "periorbital",
        "cheek",
        "upper_lip",
        "nose",
        "chin",
        "scalp",
        "dorsal_hand",
    ] {
        let mut want = vec![Layer::Hypodermis];
        want.extend(below);
        assert_eq!(Expect::forbidden_layers_for(face, true), want, "{face}");
    }
    for body in ["neck", "decollete", "abdomen", "thigh", "upper_arm", "back"] {
        assert_eq!(Expect::forbidden_layers_for(body, true), below, "{body}");
        let s = parse(&BASE.replace("\"forehead\"", &format!("\"{body}\""))).unwrap();
        assert_eq!(s.expect.forbidden_layers, below, "{body}");
    }
    assert_eq!(
        Expect::forbidden_layers_for("forehead", false),
        below,
        "a custom stack"
    );
}

#[test]
fn every_field_round_trips_into_the_model() {
    let text = format!(
        "seed = 42\nduration_s = 20.0\ntags = [\"a\", \"b\"]\n{}",
        BASE.replace("speed_level = 6", "stroke_hz = 142.5\nbattery_soc = 0.4\ncartridge_id = 77")
            .replace("\"straight\"", "\"stamping\"\nstamp_pitch_mm = 2.5\nstamp_dwell_ms = 200.0\ntilt_deg = 10.0\ntremor_mm = 0.2\ntremor_hz = 6.0")
    ) + "[firmware]\nkind = \"serial\"\nport = \"/dev/ttyUSB0\"\nbaud = 921600\nclock = \"realtime\"\n\
         [[inject]]\nat_s = 2.0\nkind = \"sensor_noise\"\nsensor = \"current\"\namplitude_ma = 40.0\nduration_s = 0.5\n\
         [[inject]]\nat_s = 3.0\nkind = \"link_garbage\"\nbytes = 64\n\
         [expect]\nfaults = [\"stall\", \"link_loss\", \"stall\"]\ngolden = \"../golden/t\"\ncomplete = false\n\
         target_layers = [\"reticular_dermis\", \"papillary_dermis\"]\n";
    let s = parse(&text).unwrap();
    assert_eq!((s.seed, s.duration_s, s.tags.len()), (42, Some(20.0), 2));
    assert_eq!(s.pen().expect("a pen").speed, Speed::StrokeHz(142.5));
    assert_eq!(
        (
            s.pen().expect("a pen").battery_soc,
            s.pen().expect("a pen").cartridge_id
        ),
        (0.4, 77)
    );
    assert_eq!(s.hand.pattern, Pattern::Stamping);
    assert_eq!((s.hand.stamp_pitch_mm, s.hand.stamp_dwell_ms), (2.5, 200.0));
    assert_eq!(
        (s.hand.tilt_deg, s.hand.tremor_mm, s.hand.tremor_hz),
        (10.0, 0.2, 6.0)
    );
    assert_eq!(
        s.firmware.link,
        FirmwareLink::Serial {
            port: "/dev/ttyUSB0".into(),
            baud: 921_600
        }
    );
    assert_eq!(s.firmware.clock, ClockMode::RealTime);
    assert_eq!(s.inject.len(), 2);
    assert_eq!(s.inject[0].at_s, 2.0);
    assert_eq!(
        s.inject[0].fault,
        InjectedFault::SensorNoise {
            sensor: Sensor::Current,
            amplitude: 40.0,
            duration_s: 0.5
        }
    );
    assert_eq!(s.inject[1].fault, InjectedFault::LinkGarbage { bytes: 64 });
    assert_eq!(
        (s.inject[1].fault.kind(), s.inject[1].fault.duration_s()),
        ("link_garbage", 0.0)
    );
    assert_eq!(
        s.expect.faults,
        vec![FaultCode::Stall, FaultCode::LinkLoss],
        "sorted, deduplicated"
    );
    assert_eq!(
        s.expect.target_layers,
        vec![Layer::PapillaryDermis, Layer::ReticularDermis]
    );
    assert_eq!(s.expect.golden.as_deref(), Some(Path::new("s/../golden/t")));
    assert!(!s.expect.complete);
}

#[test]
fn expected_fault_names_are_the_protocol_names() {
    // every fault code except `none` reads by its recording name
    for f in FaultCode::ALL.into_iter().filter(|&f| f != FaultCode::None) {
        let text = format!("{BASE}[expect]\nfaults = [\"{}\"]\n", f.name());
        assert_eq!(parse(&text).unwrap().expect.faults, vec![f], "{}", f.name());
    }
}

#[test]
fn expecting_the_fault_none_is_an_error_with_a_position() {
    let text = format!("{BASE}[expect]\nfaults = [\"none\"]\n");
    let e = parse(&text).unwrap_err().to_string();
    assert!(e.contains("s/t.toml:"), "{e}");
    assert!(e.contains("\"none\": expected one of stall,"), "{e}");
}

#[test]
fn an_unknown_expected_fault_names_file_line_column_and_the_valid_names() {
    let text = format!("{BASE}[expect]\nfaults = [\"stal\"]\n");
    let e = parse(&text).unwrap_err().to_string();
    assert!(e.contains("s/t.toml:"), "{e}");
    assert!(e.contains("stal"), "{e}");
    assert!(e.contains("over_current"), "{e}");
}

#[test]
fn source_keeps_the_exact_text_and_path() {
    let a = parse(BASE).unwrap();
    assert_eq!(a.source.text, BASE);
    assert_eq!(a.source.path, Path::new("s/t.toml"));
    assert!(a.source.files.is_empty(), "BASE reads no other file");
}

#[test]
fn waypoints_parse_and_reject_bad_headers_and_short_files() {
    let at = Location {
        file: "t.toml".into(),
        line: 3,
        column: 1,
    };
    let w = parse_waypoints(
        "t_s,x_mm,y_mm\n0,1,2\n# a comment\n0.5, 3.5 ,4\n",
        "p.csv".as_ref(),
        &at,
    )
    .unwrap();
    assert_eq!(w.len(), 2);
    assert_eq!((w[1].t_s, w[1].x_mm, w[1].y_mm), (0.5, 3.5, 4.0));
    let e = parse_waypoints("t,x,y\n0,1,2\n1,2,3\n", "p.csv".as_ref(), &at).unwrap_err();
    assert_eq!(
        e.to_string(),
        "p.csv:1:1: waypoints row 0: header is `t,x,y`; expected `t_s,x_mm,y_mm` optionally followed by `force_n` and/or `tilt_deg` (hand.waypoints_csv at t.toml:3:1)"
    );
    let e = parse_waypoints("t_s,x_mm,y_mm\n0,1,2\n", "p.csv".as_ref(), &at).unwrap_err();
    assert!(
        e.to_string().contains("needs at least 2 rows, has 1"),
        "{e}"
    );
    let e = parse_waypoints("t_s,x_mm,y_mm\n0,1,2\n1,2\n", "p.csv".as_ref(), &at).unwrap_err();
    assert!(
        e.to_string().starts_with("p.csv:3:1: waypoints row 2: "),
        "{e}"
    );
}

#[test]
fn find_scenarios_walks_directories_sorts_and_deduplicates() {
    let root = Path::new(env!("CARGO_TARGET_TMPDIR")).join("find-scenarios");
    let _ = std::fs::remove_dir_all(&root);
    std::fs::create_dir_all(root.join("b/deep")).unwrap();
    std::fs::create_dir_all(root.join("a")).unwrap();
    for f in [
        "b/deep/z.toml",
        "b/y.toml",
        "a/x.toml",
        "a/notes.md",
        "a/w.csv",
    ] {
        std::fs::write(root.join(f), "").unwrap();
    }
    let found = find_scenarios(&[root.join("b"), root.join("a"), root.join("b/y.toml")]).unwrap();
    let want: Vec<_> = ["a/x.toml", "b/deep/z.toml", "b/y.toml"]
        .iter()
        .map(|f| root.join(f))
        .collect();
    assert_eq!(found, want);
    // A file named explicitly is taken whatever its extension; a missing path is an error.
    assert_eq!(
        find_scenarios(&[root.join("a/w.csv")]).unwrap(),
        vec![root.join("a/w.csv")]
    );
    assert!(find_scenarios(&[root.join("nope")]).is_err());
}

#[test]
fn speed_maps_to_the_nearest_firmware_level() {
    let levels = [80.0, 95.0, 110.0, 125.0, 138.0, 150.0];
    assert_eq!(Speed::Level(4).level_for(&levels), 4);
    assert_eq!(
        Speed::Level(6).level_for(&levels[..3]),
        3,
        "clamped to the levels there are"
    );
    assert_eq!(Speed::StrokeHz(120.0).level_for(&levels), 4);
    assert_eq!(Speed::StrokeHz(116.0).level_for(&levels), 3);
    assert_eq!(
        Speed::StrokeHz(102.5).level_for(&levels),
        2,
        "a tie goes to the lower level"
    );
    assert_eq!(Speed::StrokeHz(10.0).level_for(&levels), 1);
    assert_eq!(Speed::StrokeHz(240.0).level_for(&levels), 6);
    assert_eq!(Speed::StrokeHz(150.0).level_for(&[]), 1);
}

#[test]
fn injections_describe_themselves_in_words_not_debug_output() {
    let sag = InjectedFault::BatterySag {
        drop_mv: 800.0,
        duration_s: 0.4,
    };
    assert_eq!(sag.to_string(), "battery sag: −800 mV for 0.4 s");
    let noise = InjectedFault::SensorNoise {
        sensor: Sensor::Current,
        amplitude: 5.0,
        duration_s: 1.0,
    };
    assert_eq!(noise.to_string(), "sensor noise: ±5 mA on current for 1 s");
    assert_eq!(
        InjectedFault::LinkGarbage { bytes: 64 }.to_string(),
        "link garbage: 64 random bytes on the line"
    );
    for f in [sag, noise, InjectedFault::CartridgeJam { duration_s: 2.5 }] {
        let text = f.to_string();
        assert!(text.starts_with(&f.kind().replace('_', " ")), "{text}");
        assert!(!text.contains(['{', '}']) && !text.contains("::"), "{text}");
    }
}
