//! Rollers and stamps: run without firmware or link, deterministic, and their recordings say
//! what treated the skin.

use needlebench_recording::{DeviceKind, Layer, Recording};
use needlebench_runner::{DeviceSetup, RunError, RunSetup, RunStatus, run_device};
use needlebench_scenario::Scenario;
use std::path::Path;
use std::sync::atomic::AtomicBool;

const ROLLER: &str = r#"
name = "roller-test"
seed = 5
[skin]
site = "cheek"
thickness_variation = 0.05
[device]
kind = "roller"
needle_length_mm = 1.0
[hand]
area = { rect = { x_mm = 0.0, y_mm = 0.0, width_mm = 20.0, height_mm = 10.0 } }
pattern = "straight"
line_spacing_mm = 5.0
glide_mm_s = 20.0
force_n = 5.0
"#;

const STAMP: &str = r#"
name = "stamp-test"
seed = 6
[skin]
site = "forehead"
[device]
kind = "stamp"
needle_length_mm = 1.0
[hand]
area = { rect = { x_mm = 0.0, y_mm = 0.0, width_mm = 12.0, height_mm = 6.0 } }
pattern = "stamping"
stamp_pitch_mm = 6.0
stamp_dwell_ms = 150.0
glide_mm_s = 20.0
force_n = 5.0
"#;

fn parse(text: &str) -> Scenario {
    Scenario::from_str(text, Path::new("device-test.toml")).expect("valid scenario")
}

fn record(s: &Scenario, out: &Path) -> Recording {
    let setup = DeviceSetup::new(s).expect("a device scenario");
    let writer = setup.create_recording(out, false).expect("create");
    let summary = run_device(&setup, writer, |_| {}, &AtomicBool::new(false)).expect("run");
    assert_eq!(summary.status, RunStatus::Complete);
    Recording::open(out).expect("open")
}

#[test]
fn a_roller_runs_without_firmware_and_its_recording_says_so() {
    let tmp = tempfile::tempdir().unwrap();
    let s = parse(ROLLER);
    let rec = record(&s, &tmp.path().join("r"));
    let meta = rec.meta();
    assert_eq!(meta.setup.device, DeviceKind::Roller);
    assert_eq!(meta.firmware.name, "none");
    assert!(
        rec.link_counters().unwrap().is_none(),
        "no link, no counters"
    );
    assert!(rec.timing().unwrap().is_none(), "no link, no timing");
    assert_eq!(meta.setup.cartridge, "roller-24x8");
    let punctures: Vec<_> = rec.punctures().unwrap().map(Result::unwrap).collect();
    assert!(punctures.len() > 20, "{} punctures", punctures.len());
    for p in &punctures {
        assert!(p.depth_um > 0.0 && p.depth_um <= 1000.0, "{}", p.depth_um);
        assert!(
            p.layer < Layer::Hypodermis,
            "{:?} at {}",
            p.layer,
            p.depth_um
        );
    }
    // force-limited and slow: a roller buries well under its needle length
    let max = punctures.iter().map(|p| p.depth_um).fold(0.0, f32::max);
    assert!(max < 800.0, "{max} µm");
}

#[test]
fn a_device_run_is_byte_identical_for_the_same_seed() {
    let tmp = tempfile::tempdir().unwrap();
    for text in [ROLLER, STAMP] {
        let s = parse(text);
        let (a, b) = (
            tmp.path().join(format!("{}-a", s.name)),
            tmp.path().join(format!("{}-b", s.name)),
        );
        record(&s, &a);
        record(&s, &b);
        for f in ["meta.toml", "telemetry.csv", "punctures.csv", "events.csv"] {
            assert!(
                std::fs::read(a.join(f)).unwrap() == std::fs::read(b.join(f)).unwrap(),
                "{}: {f} differs",
                s.name
            );
        }
    }
}

#[test]
fn a_stamp_fires_every_needle_once_per_press() {
    let tmp = tempfile::tempdir().unwrap();
    let s = parse(STAMP);
    let rec = record(&s, &tmp.path().join("s"));
    assert_eq!(rec.meta().setup.device, DeviceKind::Stamp);
    let punctures: Vec<_> = rec.punctures().unwrap().map(Result::unwrap).collect();
    // a 12 × 6 mm area on a 6 mm pitch: 2 presses, 36 needles each (all that puncture)
    let strokes: std::collections::BTreeSet<u64> = punctures.iter().map(|p| p.stroke).collect();
    assert_eq!(strokes.len(), 2, "{strokes:?}");
    for k in &strokes {
        let n = punctures.iter().filter(|p| p.stroke == *k).count();
        assert!(n <= 36 && n > 0, "press {k}: {n} punctures");
    }
}

#[test]
fn the_pen_runner_refuses_a_roller_and_the_device_runner_a_pen() {
    let roller = parse(ROLLER);
    let config = needlebench_runner::pen::firmware_config(&roller);
    assert!(matches!(
        RunSetup::new(&roller, &config),
        Err(RunError::NotAPen(DeviceKind::Roller))
    ));
    let pen = parse(&ROLLER.replace(
        "[device]\nkind = \"roller\"\nneedle_length_mm = 1.0\n",
        "[pen]\ncartridge = \"12\"\nexposure_mm = 1.0\nspeed_level = 3\n",
    ));
    assert!(matches!(
        DeviceSetup::new(&pen),
        Err(RunError::NeedsFirmware)
    ));
}
