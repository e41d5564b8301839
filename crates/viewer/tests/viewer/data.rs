use crate::fixture;
use needlebench_checks::{ExpectationSource, Outcome};
use needlebench_physics::DeviceKind;
use needlebench_recording::Layer;
use needlebench_viewer::{Replay, ViewerError};
use std::path::Path;

fn open() -> (tempfile::TempDir, Replay) {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("rec");
    fixture::write(&dir);
    let replay = Replay::open(&dir, None).expect("open fixture");
    (tmp, replay)
}

#[test]
fn loads_sorted_arrays_and_duration() {
    let (_tmp, r) = open();
    assert_eq!(
        r.punctures.len(),
        fixture::punctures_at(fixture::DURATION_US)
    );
    assert_eq!(
        r.telemetry.t_us.len() as u64,
        fixture::DURATION_US / 1000 + 1
    );
    assert_eq!(r.duration_us, fixture::DURATION_US);
    assert_eq!(
        r.punctures.count_at(fixture::DEEP_T_US),
        fixture::punctures_at(fixture::DEEP_T_US)
    );
    assert_eq!(
        r.punctures.count_at(fixture::DEEP_T_US - 1),
        fixture::punctures_at(fixture::DEEP_T_US) - 1
    );
    assert!((r.depth_scale.max - 750.0).abs() < 1e-9, "1.5 × exposure");
}

#[test]
fn violations_have_times_and_places() {
    let (_tmp, r) = open();
    let deep = r
        .violations
        .all()
        .iter()
        .find(|v| v.pos_mm.is_some() && v.criterion == "depth.max")
        .expect("the deep puncture is a violation");
    assert_eq!(deep.t_us, fixture::DEEP_T_US);
    let [x, y] = deep.pos_mm.unwrap();
    assert!(
        (x - f64::from(fixture::DEEP_POS_MM[0])).abs() < 1e-3
            && (y - f64::from(fixture::DEEP_POS_MM[1])).abs() < 1e-3
    );
    assert!(
        r.violations
            .all()
            .iter()
            .any(|v| v.criterion == "fault" && v.t_us == fixture::FAULT_T_US),
        "the raised fault is a violation: {:?}",
        r.violations
    );
    assert!(
        r.events.iter().any(|e| e.t_us == fixture::FAULT_T_US
            && e.kind == needlebench_checks::EventKind::FaultRaised)
    );
    assert!(r.verdicts.iter().any(|v| v.criterion == "depth.max"));
}

#[test]
fn pen_and_cross_section_follow_the_time() {
    let (_tmp, r) = open();
    let [x, y] = r.pen_at(1_000_500).unwrap();
    assert!((x - fixture::pen_x_mm(1_000_000)).abs() < 1e-3 && (y - 10.0).abs() < 1e-6);
    let before = r.cross_section(fixture::DEEP_T_US - 1);
    let at = r.cross_section(fixture::DEEP_T_US);
    assert_eq!(before.last.map(|l| l.0), Some(450.0));
    assert_eq!(
        at.last,
        Some((fixture::DEEP_UM, 80.0, Layer::ReticularDermis))
    );
    assert!(at.skin_contact);
    assert!((at.needle_z_um - ((fixture::DEEP_T_US / 1000) % 8) as f32 * 100.0).abs() < 1e-3);
    assert_eq!(r.cross_section(0).last, None);
}

#[test]
fn out_of_order_punctures_are_named() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("rec");
    fixture::write(&dir);
    let path = dir.join("punctures.csv");
    let text = std::fs::read_to_string(&path).unwrap();
    let mut lines: Vec<&str> = text.lines().collect();
    lines.swap(3, 4); // data rows 3 and 4
    std::fs::write(&path, lines.join("\n") + "\n").unwrap();
    match Replay::open(&dir, None) {
        Err(ViewerError::OutOfOrder { file, row, .. }) => {
            assert_eq!(file, "punctures.csv");
            assert_eq!(row, 4);
        }
        other => panic!("expected OutOfOrder, got {other:?}"),
    }
}

#[test]
fn missing_recording_names_the_directory() {
    let err = Replay::open(Path::new("/nonexistent/rec"), None).unwrap_err();
    assert!(err.to_string().contains("/nonexistent/rec"), "{err}");
}

fn depth_max_at_the_deep_puncture(r: &Replay) -> bool {
    r.violations
        .all()
        .iter()
        .any(|v| v.criterion == "depth.max" && v.t_us == fixture::DEEP_T_US)
}

#[test]
fn expectations_come_from_the_scenario_copy_not_the_recorded_path() {
    // Issue 10: the recorded `[scenario] path` (relative to wherever the run started) may
    // name another file, or the file may have changed; only the copy inside counts. Here the
    // named file (hash matching) is lenient and would hide the deep puncture.
    let tmp = tempfile::tempdir().unwrap();
    let named = tmp.path().join("named.toml");
    std::fs::write(&named, fixture::lenient_scenario()).unwrap();
    let dir = tmp.path().join("rec");
    fixture::write_with(
        &dir,
        &fixture::Options {
            recorded_from: Some(&named),
            ..fixture::Options::default()
        },
    );
    let r = Replay::open(&dir, None).unwrap();
    match &r.expectations {
        ExpectationSource::Recording { path } => {
            assert!(path.ends_with("scenario/scenario.toml"), "{path}");
        }
        other => panic!("expected the recording's copy, got {other:?}"),
    }
    assert!(r.has_expectations());
    assert!(depth_max_at_the_deep_puncture(&r), "{:?}", r.violations);
}

#[test]
fn a_scenario_file_overrides_the_copy() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("rec");
    fixture::write(&dir);
    let lenient = tmp.path().join("lenient.toml");
    std::fs::write(&lenient, fixture::lenient_scenario()).unwrap();
    let r = Replay::open(&dir, Some(&lenient)).unwrap();
    assert_eq!(
        r.expectations,
        ExpectationSource::File {
            path: lenient.display().to_string()
        }
    );
    assert!(r.expectations.describe().contains("lenient.toml"));
    assert!(!depth_max_at_the_deep_puncture(&r), "{:?}", r.violations);
}

#[test]
fn without_expectations_only_scenario_independent_violations_show() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = fixture::write_without_scenario(tmp.path());
    let r = Replay::open(&dir, None).unwrap();
    assert!(!r.has_expectations());
    assert_eq!(r.expectations, ExpectationSource::None);
    // No fallback to the site's defaults: the 900 µm puncture is not judged …
    assert!(
        r.violations
            .all()
            .iter()
            .all(|v| !v.criterion.starts_with("depth.")),
        "{:?}",
        r.violations
    );
    let depth = r
        .verdicts
        .iter()
        .find(|v| v.criterion == "depth.max")
        .expect("depth.max verdict");
    assert_eq!(depth.outcome, Outcome::NotChecked);
    // … while the firmware's raised fault still is an event to jump to.
    assert!(
        r.violations
            .all()
            .iter()
            .any(|v| v.criterion == "fault" && v.t_us == fixture::FAULT_T_US)
    );
    // The heat map's range comes from the data, not from a default limit.
    assert!(r.density_scale.max > 1.5, "{:?}", r.density_scale);
    assert!(
        r.density_scale.max < 1.5 * 100_000.0,
        "{:?}",
        r.density_scale
    );
}

#[test]
fn a_scenario_run_in_the_viewer_is_checked_against_its_copy() {
    // The scenario file is gone by the time the recording is opened: the copy suffices.
    let tmp = tempfile::tempdir().unwrap();
    let scenario = tmp.path().join("short.toml");
    let text = fixture::SCENARIO.replace(
        "width_mm = 40.0, height_mm = 20.0",
        "width_mm = 4.0, height_mm = 2.0",
    );
    std::fs::write(&scenario, text).unwrap();
    let dir = tmp.path().join("rec");
    needlebench_viewer::scenario::run_scenario(&scenario, &dir).unwrap();
    std::fs::remove_file(&scenario).unwrap();
    let r = Replay::open(&dir, None).unwrap();
    assert!(r.has_expectations());
    assert!(
        matches!(r.expectations, ExpectationSource::Recording { .. }),
        "{:?}",
        r.expectations
    );
    assert!(
        r.verdicts.iter().all(|v| v.outcome != Outcome::NotChecked),
        "{:?}",
        r.verdicts
    );
    assert!(!r.punctures.is_empty());
    assert!(Path::new(&dir).join("scenario/scenario.toml").is_file());
}

#[test]
fn a_roller_scenario_runs_without_firmware_and_replays() {
    let tmp = tempfile::tempdir().unwrap();
    let scenario = tmp.path().join("roller.toml");
    std::fs::write(
        &scenario,
        r#"name = "viewer-roller"
seed = 21
[skin]
site = "cheek"
thickness_variation = 0.05
[device]
kind = "roller"
needle_length_mm = 0.5
[hand]
area = { rect = { x_mm = 0.0, y_mm = 0.0, width_mm = 10.0, height_mm = 8.0 } }
pattern = "straight"
angles_deg = [0.0]
line_spacing_mm = 4.0
glide_mm_s = 20.0
force_n = 4.0
"#,
    )
    .unwrap();
    let dir = tmp.path().join("rec");
    needlebench_viewer::scenario::run_scenario(&scenario, &dir).unwrap();
    let r = Replay::open(&dir, None).unwrap();
    assert_eq!(r.meta.setup.device, DeviceKind::Roller);
    assert!(r.has_expectations());
    assert!(!r.punctures.is_empty());
}
