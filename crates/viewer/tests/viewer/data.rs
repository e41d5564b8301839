use crate::fixture;
use needlebench_recording::Layer;
use needlebench_viewer::data::layer_at_depth;
use needlebench_viewer::{Replay, ViewerError};

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
fn layer_lookup_uses_the_stack() {
    let l = fixture::layers();
    assert_eq!(layer_at_depth(&l, 0.0), Layer::StratumCorneum);
    assert_eq!(layer_at_depth(&l, 14.9), Layer::StratumCorneum);
    assert_eq!(layer_at_depth(&l, 15.0), Layer::ViableEpidermis);
    assert_eq!(layer_at_depth(&l, 224.0), Layer::PapillaryDermis);
    assert_eq!(layer_at_depth(&l, 900.0), Layer::ReticularDermis);
    assert_eq!(layer_at_depth(&l, 99_999.0), Layer::Hypodermis);
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
    let err = Replay::open(std::path::Path::new("/nonexistent/rec"), None).unwrap_err();
    assert!(err.to_string().contains("/nonexistent/rec"), "{err}");
}

#[test]
fn expectations_come_from_the_recorded_scenario_only_when_unchanged() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("rec");
    let scenario = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../scenarios/over-treatment-slow-glide.toml");
    needlebench_viewer::scenario::run_scenario(&scenario, &dir).unwrap();
    let r = Replay::open(&dir, None).unwrap();
    assert!(
        r.expect_from.contains("over-treatment-slow-glide.toml"),
        "{}",
        r.expect_from
    );
    // The same recording with the scenario's hash changed falls back to the site defaults.
    let meta_path = dir.join("meta.toml");
    let text = std::fs::read_to_string(&meta_path).unwrap();
    let hash_line = text
        .lines()
        .find(|l| l.starts_with("hash = "))
        .unwrap()
        .to_owned();
    std::fs::write(&meta_path, text.replace(&hash_line, "hash = \"0000\"")).unwrap();
    let r = Replay::open(&dir, None).unwrap();
    assert!(
        r.expect_from.contains("defaults for site"),
        "{}",
        r.expect_from
    );
}
