//! Verdicts that must not pass: a recording that is not sound fails `run.consistency`
//! (issue 10, finding 3), a recording checked without expectations is "not checked" rather
//! than judged against defaults (finding 1), and the expectations come from the recording's
//! own scenario copy wherever `check` runs.

use crate::support::{clean, expect, given, tmp_run, verdict};
use needlebench_checks::{ExpectationSource, Expectations, Outcome, check};
use needlebench_recording::{CreateOptions, Recording, RecordingWriter, ScenarioCopy};

/// Rewrite `key = old` to `key = new` in the recording's `meta.toml`.
fn edit_meta(dir: &std::path::Path, from: &str, to: &str) {
    let path = dir.join("meta.toml");
    let text = std::fs::read_to_string(&path).expect("read meta");
    assert!(text.contains(from), "{from} not in meta.toml");
    std::fs::write(&path, text.replacen(from, to, 1)).expect("write meta");
}

fn consistency(dir: &std::path::Path) -> (Outcome, String) {
    let rec = Recording::open(dir).expect("open");
    let report = check(&rec, &given(&expect()), None).expect("check");
    let v = verdict(&report, "run.consistency");
    (v.outcome, v.actual_text.clone())
}

#[test]
fn a_complete_recording_with_a_header_only_telemetry_fails_consistency() {
    let (_tmp, dir) = tmp_run();
    let mut s = clean();
    s.telemetry.clear();
    s.write(&dir);
    edit_meta(&dir, "ticks = 0", "ticks = 12101");
    let (outcome, text) = consistency(&dir);
    assert_eq!(outcome, Outcome::Fail, "{text}");
    assert!(
        text.contains("meta says 12101 ticks, telemetry.csv has 0 rows"),
        "{text}"
    );
    assert!(text.contains("marked complete but no telemetry"), "{text}");
}

#[test]
fn meta_puncture_count_that_disagrees_with_the_rows_fails_consistency() {
    let (_tmp, dir) = tmp_run();
    clean().write(&dir);
    edit_meta(&dir, "punctures = 1600", "punctures = 1");
    let (outcome, text) = consistency(&dir);
    assert_eq!(outcome, Outcome::Fail);
    assert!(
        text.contains("meta says 1 punctures, punctures.csv has 1600 rows"),
        "{text}"
    );
}

#[test]
fn telemetry_out_of_time_order_fails_consistency() {
    let (_tmp, dir) = tmp_run();
    let mut s = clean();
    s.telemetry.swap(10, 11);
    s.write(&dir);
    let (outcome, text) = consistency(&dir);
    assert_eq!(outcome, Outcome::Fail);
    assert!(text.contains("1 rows go back in time"), "{text}");
    assert!(text.contains("telemetry.csv row 12: t_us 10000"), "{text}");
}

#[test]
fn nan_positions_and_forces_fail_consistency() {
    let (_tmp, dir) = tmp_run();
    let mut s = clean();
    s.punctures[3].x_mm = f32::NAN;
    s.telemetry[20].hand_force_n = f32::NAN;
    s.write(&dir);
    let (outcome, text) = consistency(&dir);
    assert_eq!(outcome, Outcome::Fail);
    assert!(text.contains("2 NaN or infinite values"), "{text}");
    assert!(text.contains("hand_force_n is NaN"), "{text}");
}

#[test]
fn a_sound_recording_passes_consistency() {
    let (_tmp, dir) = tmp_run();
    clean().write(&dir);
    assert_eq!(consistency(&dir).0, Outcome::Pass);
}

#[test]
fn without_expectations_scenario_criteria_are_not_checked_never_passed() {
    let (_tmp, dir) = tmp_run();
    let mut s = clean();
    // 1470 punctures in the fat: against the site's defaults this would simply fail or pass,
    // but without the scenario nothing may be claimed about it
    for p in s.punctures.iter_mut().take(1470) {
        p.layer = needlebench_recording::Layer::Hypodermis;
    }
    let rec = s.write(&dir);
    let report = check(&rec, &Expectations::none(), None).expect("check");
    assert_eq!(report.expectations, ExpectationSource::None);
    for v in &report.verdicts {
        let independent =
            needlebench_checks::expectations::SCENARIO_INDEPENDENT.contains(&v.criterion.as_str());
        if independent {
            assert_ne!(v.outcome, Outcome::NotChecked, "{}", v.criterion);
        } else {
            assert!(
                matches!(v.outcome, Outcome::NotChecked | Outcome::NotApplicable),
                "{} is {:?}",
                v.criterion,
                v.outcome
            );
        }
    }
    assert_eq!(report.outcome(), Outcome::NotChecked);
    assert_eq!(
        verdict(&report, "depth.forbidden_layer").actual_text,
        "1470 punctures",
        "the evidence is kept"
    );
}

const SCENARIO: &str = r#"name = "copy-test"
seed = 3
[skin]
site = "forehead"
[pen]
exposure_mm = 0.5
cartridge = "12"
speed_level = 3
[hand]
area = { rect = { x_mm = 0.0, y_mm = 0.0, width_mm = 8.0, height_mm = 4.0 } }
pattern = "freehand"
waypoints_csv = "../paths/p.csv"
[expect]
forbidden_layers = ["reticular_dermis"]
"#;

#[test]
fn expectations_come_from_the_recordings_own_copy_from_any_directory() {
    let (tmp, dir) = tmp_run();
    let waypoints = b"t_s,x_mm,y_mm\n0,0,0\n1,1,1\n".to_vec();
    let files = [("../paths/p.csv".to_owned(), waypoints)];
    let options = CreateOptions {
        replace: false,
        scenario: Some(ScenarioCopy {
            text: SCENARIO.as_bytes(),
            files: &files,
        }),
        face_map: None,
    };
    let s = clean();
    let w = RecordingWriter::create_with(&dir, s.meta.clone(), options).expect("create");
    drop(w);
    // the copy and the file it reads are inside the recording, `..` spelled `_up_`
    assert!(dir.join("scenario/scenario.toml").is_file());
    assert!(dir.join("scenario/_up_/paths/p.csv").is_file());
    // move the recording: the copy still resolves
    let moved = tmp.path().join("elsewhere/deeper/run");
    std::fs::create_dir_all(moved.parent().expect("parent")).expect("mkdir");
    std::fs::rename(&dir, &moved).expect("move");
    let rec = Recording::open(&moved).expect("open");
    let e = Expectations::load(&rec, None).expect("load the copy");
    let Some(expect) = &e.expect else {
        panic!("no expectations from the copy")
    };
    assert_eq!(
        expect.forbidden_layers,
        vec![needlebench_recording::Layer::ReticularDermis]
    );
    assert_eq!(
        e.source,
        ExpectationSource::Recording {
            path: moved.join("scenario/scenario.toml").display().to_string()
        }
    );
}
