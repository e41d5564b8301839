//! The practice recorder: a scripted hand on a virtual clock, the recording it gives, and its
//! replay.

use needlebench_bridge::{InProcessTransport, Link, LinkOptions};
use needlebench_firmware::Firmware;
use needlebench_recording::{EventKind, Recording, ZoneRef};
use needlebench_runner::live::{HAND_PATH_FILE, HandInput, LiveError, LiveSession, REPLAY_FILE};
use needlebench_runner::pen::firmware_config;
use needlebench_runner::setup::{base_meta, create_recording};
use needlebench_runner::{RunSetup, run};
use needlebench_scenario::Scenario;
use std::path::{Path, PathBuf};

const PLAN: &str = r#"name = "practice"
seed = 21
[pen]
cartridge = "12"
speed_level = 6
[skin]
thickness_variation = 0.08
[hand]
tremor_mm = 0.2
[plan]
face_map = "face.toml"
[[plan.zone]]
zone = "a"
exposure_mm = 1.0
pattern = "straight"
force_n = 2.5
tilt_deg = 2.0
"#;

fn dir(name: &str) -> PathBuf {
    let d = std::env::temp_dir().join(format!("nb-runner-live-{}-{name}", std::process::id()));
    let _ = std::fs::remove_dir_all(&d);
    std::fs::create_dir_all(&d).unwrap();
    std::fs::write(d.join("face.toml"), crate::plan::MAP).unwrap();
    std::fs::write(d.join("plan.toml"), PLAN).unwrap();
    d
}

fn scenario(dir: &Path) -> Scenario {
    Scenario::from_path(&dir.join("plan.toml")).unwrap()
}

/// The scripted hand at virtual time `t_s` (60 samples a second): across zone a and back at
/// 10 mm/s, lifted for half a second at the turn, tilting a little on the way back.
fn hand_at(t_s: f64) -> HandInput {
    let (x, force_n, tilt_deg) = if t_s < 1.0 {
        (41.0 + 10.0 * t_s, 2.5, 0.0)
    } else if t_s < 1.5 {
        (51.0, 0.0, 0.0)
    } else {
        (51.0 - 10.0 * (t_s - 1.5), 3.0, 5.0)
    };
    HandInput {
        pos_mm: [x, 36.0 + 0.5 * (t_s * 3.0).sin()],
        force_n,
        tilt_deg,
    }
}

/// A session driven by the script for `seconds` of virtual time.
fn practise(dir: &Path, seconds: f64) -> (LiveSession, Vec<HandInput>) {
    let mut session = LiveSession::new(&scenario(dir), &dir.join("rec")).unwrap();
    let mut inputs = Vec::new();
    for k in 0..=(seconds * 60.0) as u32 {
        let t_s = f64::from(k) / 60.0;
        let input = hand_at(t_s);
        session.step_to(t_s, input).unwrap();
        inputs.push(input);
    }
    (session, inputs)
}

fn distance_to_path(p: [f64; 2], path: &[HandInput]) -> f64 {
    path.windows(2)
        .map(|w| needlebench_face::geometry::segment_distance_mm(p, w[0].pos_mm, w[1].pos_mm))
        .fold(f64::INFINITY, f64::min)
}

#[test]
fn a_scripted_hand_gives_a_recording_whose_punctures_lie_under_its_path() {
    let dir = dir("path");
    let (mut session, inputs) = practise(&dir, 2.5);
    assert!(session.sim_time_s() > 3.5, "{}", session.sim_time_s());
    let summary = session.finish().unwrap();
    assert!(matches!(
        summary.status,
        needlebench_runner::RunStatus::Complete
    ));
    let rec = Recording::open(&dir.join("rec")).unwrap();
    assert!(rec.is_complete());
    let reach = needlebench_physics::Cartridge::from_name("12")
        .unwrap()
        .positions_mm()
        .iter()
        .map(|o| o[0].hypot(o[1]))
        .fold(0.0, f64::max);
    let mut n = 0;
    for p in rec.punctures().unwrap().map(Result::unwrap) {
        let d = distance_to_path([f64::from(p.x_mm), f64::from(p.y_mm)], &inputs);
        assert!(d <= reach + 0.01, "{p:?} is {d} mm from the path");
        assert_ne!(p.zone, ZoneRef::NOT_RECORDED);
        n += 1;
    }
    assert!(n > 1000, "{n} punctures");
    assert_eq!(summary.punctures, n);
    let starts: Vec<_> = rec
        .events()
        .unwrap()
        .map(Result::unwrap)
        .filter(|e| e.kind == EventKind::ZoneStart)
        .collect();
    assert_eq!(starts.len(), 1);
    assert_eq!(starts[0].code, "a");
    // the hand path file: one row per sample, with force and tilt
    let path = std::fs::read_to_string(dir.join("rec").join(HAND_PATH_FILE)).unwrap();
    assert!(
        path.starts_with("t_s,x_mm,y_mm,force_n,tilt_deg\n0,41,36,2.5,0\n"),
        "{path}"
    );
    assert_eq!(path.lines().count(), inputs.len() + 1);
}

#[test]
fn replaying_a_sessions_replay_toml_gives_byte_identical_rows() {
    let dir = dir("replay");
    let (mut session, _) = practise(&dir, 2.5);
    session.finish().unwrap();
    let live = dir.join("rec");
    let replay = Scenario::from_path(&live.join(REPLAY_FILE)).unwrap();
    let config = firmware_config(&replay);
    let setup = RunSetup::new(&replay, &config).unwrap();
    let transport = Box::new(InProcessTransport::new(Firmware::new(config).unwrap()));
    let mut link = Link::connect(transport, LinkOptions::default()).unwrap();
    let again = dir.join("again");
    let writer = create_recording(&replay, &again, base_meta(&replay), false).unwrap();
    run(&setup, &mut link, writer, |_| {}).unwrap();
    for f in [
        "punctures.csv",
        "telemetry.csv",
        "events.csv",
        "face-map.toml",
    ] {
        let a = std::fs::read(live.join(f)).unwrap();
        let b = std::fs::read(again.join(f)).unwrap();
        assert!(a == b, "{f} differs between the session and its replay");
    }
}

#[test]
fn finishing_twice_stepping_back_and_bad_input_are_errors() {
    let dir = dir("errors");
    let (mut session, _) = practise(&dir, 0.5);
    let back = session.step_to(0.2, hand_at(0.2)).unwrap_err();
    assert!(matches!(back, LiveError::Backwards { .. }), "{back}");
    assert!(
        back.to_string().contains("earlier than the one before"),
        "{back}"
    );
    let lifted_too_hard = HandInput {
        force_n: 80.0,
        ..hand_at(0.6)
    };
    let bad = session.step_to(0.6, lifted_too_hard).unwrap_err();
    assert!(
        bad.to_string().contains("force_n 80 is outside 0–50 N"),
        "{bad}"
    );
    // a sample at the time of the one before is dropped, not an error
    session.step_to(0.5, hand_at(0.7)).unwrap();
    session.finish().unwrap();
    let twice = session.finish().unwrap_err();
    assert!(matches!(twice, LiveError::Ended(_)), "{twice}");
    assert!(session.step_to(1.0, hand_at(1.0)).is_err());
}

#[test]
fn a_session_dropped_early_is_flushed_and_marked_interrupted() {
    let dir = dir("dropped");
    let (session, _) = practise(&dir, 1.0);
    drop(session);
    let rec = Recording::open(&dir.join("rec")).unwrap();
    assert!(!rec.is_complete());
    assert_eq!(
        rec.meta().run.end,
        needlebench_recording::EndReason::Interrupted
    );
    assert!(rec.punctures().unwrap().count() > 100);
    assert!(dir.join("rec").join(HAND_PATH_FILE).is_file());
}

#[test]
fn a_scenario_without_a_plan_cannot_be_practised() {
    let dir = dir("noplan");
    let text = "name = \"x\"\n[skin]\nsite = \"cheek\"\n[pen]\ncartridge = \"12\"\nexposure_mm = 0.5\nspeed_level = 3\n\
                [hand]\narea = { rect = { x_mm = 0.0, y_mm = 0.0, width_mm = 10.0, height_mm = 10.0 } }\npattern = \"straight\"\n";
    let s = Scenario::from_str(text, &dir.join("x.toml")).unwrap();
    let e = LiveSession::new(&s, &dir.join("rec")).err().unwrap();
    assert!(matches!(e, LiveError::NotAPlan), "{e}");
}

#[test]
fn a_session_can_move_to_another_thread() {
    // a viewer keeps it in a resource behind a mutex, driven from its update system
    fn send<T: Send>() {}
    send::<LiveSession>();
}

#[test]
fn drained_punctures_are_the_rows_the_recording_holds_each_given_once() {
    let dir = dir("drain");
    let mut session = LiveSession::new(&scenario(&dir), &dir.join("rec")).unwrap();
    assert!(session.drain_punctures().is_empty());
    let mut drained = Vec::new();
    for k in 0..=150u32 {
        let t_s = f64::from(k) / 60.0;
        session.step_to(t_s, hand_at(t_s)).unwrap();
        let rows = session.drain_punctures();
        assert_eq!(
            drained.len() + rows.len(),
            usize::try_from(session.punctures()).unwrap()
        );
        drained.extend(rows);
    }
    assert!(drained.len() > 1000, "{} punctures", drained.len());
    session.finish().unwrap();
    let written: Vec<_> = Recording::open(&dir.join("rec"))
        .unwrap()
        .punctures()
        .unwrap()
        .map(Result::unwrap)
        .collect();
    // the file rounds floats to their stated precision and names zones by id
    assert_eq!(drained.len(), written.len());
    for (d, w) in drained.iter().zip(&written) {
        assert_eq!((d.t_us, d.stroke, d.needle), (w.t_us, w.stroke, w.needle));
        assert!((d.x_mm - w.x_mm).abs() < 0.001 && (d.y_mm - w.y_mm).abs() < 0.001);
        assert_eq!(d.layer, w.layer);
    }
}
