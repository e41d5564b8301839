//! Per-zone criteria on a hand-built face of three square zones, fed to the streaming
//! checker: every value below is counted by hand.
//!
//! ```text
//!  y 12 +----------------+------+
//!       | right periorbital |      |   periorbital: chart 0.25–0.50 mm, 1000–10000 /cm²
//!     8 +----------------+ nose |   cheek:       chart 1.00–1.50 mm, 2000–20000 /cm²
//!       |  right cheek   |      |   nose:        chart 0.25–0.50 mm, 2000–20000 /cm²
//!     0 +----------------+------+
//!       0                8     12  x (mm); 2 mm cells: cheek 16, periorbital 8, nose 12
//! ```

use crate::support::{clean, expect};
use needlebench_checks::zones::{ZoneLimits, ZoneSetup};
use needlebench_checks::{CheckReport, Checker, ExpectationSource, Outcome, Verdict};
use needlebench_recording::{EventRow, Layer, PunctureRow, TelemetryRow};
use needlebench_scenario::Expect;
use std::path::Path;

const FACIAL: [Layer; 4] = [
    Layer::Hypodermis,
    Layer::Muscle,
    Layer::Cartilage,
    Layer::Bone,
];

fn square(x0: f64, y0: f64, x1: f64, y1: f64) -> Vec<[f64; 2]> {
    vec![[x0, y0], [x1, y0], [x1, y1], [x0, y1]]
}

fn zone(id: &str, outline: Vec<[f64; 2]>, depth_mm: [f64; 2], density: [f64; 2]) -> ZoneLimits {
    ZoneLimits {
        id: id.to_owned(),
        label: id.replace('_', " "),
        outline_mm: outline,
        depth_mm,
        density_per_cm2: density,
        forbidden_layers: FACIAL.to_vec(),
        exposures_mm: Vec::new(),
    }
}

/// The three zones; the plan treats the cheek at 1.0 mm and the periorbital zone at 0.25 mm.
fn face() -> ZoneSetup {
    let mut cheek = zone(
        "right_cheek",
        square(0.0, 0.0, 8.0, 8.0),
        [1.0, 1.5],
        [2000.0, 20_000.0],
    );
    cheek.exposures_mm = vec![1.0];
    let mut orbit = zone(
        "right_periorbital",
        square(0.0, 8.0, 8.0, 12.0),
        [0.25, 0.5],
        [1000.0, 10_000.0],
    );
    orbit.exposures_mm = vec![0.25];
    let nose = zone(
        "nose",
        square(8.0, 0.0, 12.0, 12.0),
        [0.25, 0.5],
        [2000.0, 20_000.0],
    );
    ZoneSetup {
        zones: vec![cheek, orbit, nose],
        planned: true,
    }
}

/// `n` punctures in the 2 mm cell whose lower-left corner is (`x0`, `y0`), from `t0_us`.
fn cell(
    out: &mut Vec<PunctureRow>,
    (x0, y0): (f32, f32),
    n: u32,
    t0_us: u64,
    depth_um: f32,
    layer: Layer,
) {
    for k in 0..n {
        out.push(PunctureRow {
            t_us: t0_us + u64::from(k),
            x_mm: x0 + 0.5 + (k % 10) as f32 * 0.1,
            y_mm: y0 + 0.5 + (k / 10 % 10) as f32 * 0.1,
            depth_um,
            layer,
            ..PunctureRow::default()
        });
    }
}

/// The clean plan: 100 punctures (2500 /cm²) of 900 µm in each cheek cell from t = 1 s at
/// 1.0 mm, then 50 (1250 /cm²) of 200 µm in each periorbital cell from t = 3 s at 0.25 mm.
fn clean_plan() -> Vec<PunctureRow> {
    let mut p = Vec::new();
    for r in 0..4u16 {
        for c in 0..4u16 {
            let t = 1_000_000 + u64::from(r * 4 + c) * 1000;
            let at = (f32::from(c) * 2.0, f32::from(r) * 2.0);
            cell(&mut p, at, 100, t, 900.0, Layer::ReticularDermis);
        }
    }
    for r in 0..2u16 {
        for c in 0..4u16 {
            let t = 3_000_000 + u64::from(r * 4 + c) * 1000;
            let at = (f32::from(c) * 2.0, 8.0 + f32::from(r) * 2.0);
            cell(&mut p, at, 50, t, 200.0, Layer::PapillaryDermis);
        }
    }
    p
}

/// Check `punctures` (sorted by time) with the pen at 1.0 mm until t = 2.5 s and at 0.25 mm
/// after.
fn run(setup: Option<ZoneSetup>, expect: &Expect, punctures: Vec<PunctureRow>) -> CheckReport {
    run_with(setup, expect, &[], punctures)
}

/// The plan's zone starts: the cheek at 0.9 s (1.0 mm), the periorbital zone at 2.9 s.
fn starts() -> Vec<EventRow> {
    vec![
        EventRow::zone_start(900, 900_000, "right_cheek", 1.0, 1),
        EventRow::zone_start(2900, 2_900_000, "right_periorbital", 0.25, 2),
    ]
}

/// [`run`], with `events` first.
fn run_with(
    setup: Option<ZoneSetup>,
    expect: &Expect,
    events: &[EventRow],
    mut punctures: Vec<PunctureRow>,
) -> CheckReport {
    let meta = clean().meta;
    let source = ExpectationSource::File {
        path: "test".to_owned(),
    };
    let mut checker = Checker::new(&meta, expect, source).expect("checker");
    if let Some(setup) = setup {
        checker.zones(setup).expect("zones");
    }
    for e in events {
        checker.event(e);
    }
    for tick in 0..5000u64 {
        checker.tick(&TelemetryRow {
            t_us: tick * 1000,
            tick: tick as u32,
            exposure_um: if tick < 2500 { 1000.0 } else { 250.0 },
            ..TelemetryRow::default()
        });
    }
    punctures.sort_by_key(|p| p.t_us);
    for p in &punctures {
        checker.puncture(p);
    }
    checker.finish(Path::new("synthetic"))
}

fn zone_verdicts(report: &CheckReport) -> Vec<(&str, Outcome)> {
    report
        .verdicts
        .iter()
        .filter(|v| v.criterion.starts_with("zone."))
        .map(|v| (v.criterion.as_str(), v.outcome))
        .collect()
}

fn verdict<'a>(report: &'a CheckReport, criterion: &str) -> &'a Verdict {
    crate::support::verdict(report, criterion)
}

#[test]
fn a_clean_plan_passes_every_zone_check_and_skips_the_untouched_zone() {
    let report = run(Some(face()), &expect(), clean_plan());
    use Outcome::Pass;
    assert_eq!(
        zone_verdicts(&report),
        [
            ("zone.depth.right_cheek", Pass),
            ("zone.depth.right_periorbital", Pass),
            ("zone.forbidden_layers.right_cheek", Pass),
            ("zone.forbidden_layers.right_periorbital", Pass),
            ("zone.density.right_cheek", Pass),
            ("zone.density.right_periorbital", Pass),
            ("zone.coverage.right_cheek", Pass),
            ("zone.coverage.right_periorbital", Pass),
            ("zone.tram_tracks.right_cheek", Pass),
            ("zone.tram_tracks.right_periorbital", Pass),
            ("zone.outside", Pass),
        ]
    );
    let depth = verdict(&report, "zone.depth.right_cheek");
    assert_eq!(depth.actual, 900.0);
    assert_eq!(
        depth.actual_text,
        "right cheek: setting 1.00 mm within the chart's 1.00–1.50 mm; deepest 900.0 µm"
    );
    assert_eq!(
        depth.expected,
        "setting and pen within 1.00–1.50 mm (chart); deepest ≤ 1050.0 µm"
    );
    let density = verdict(&report, "zone.density.right_periorbital");
    assert_eq!(density.actual, 1250.0);
    assert_eq!(density.metrics["cells_checked"], 8.0);
    assert_eq!(density.expected, "[1000, 10000] /cm²");
    let coverage = verdict(&report, "zone.coverage.right_cheek");
    assert_eq!(
        coverage.actual_text,
        "right cheek: 100.0 % (16 of 16 cells)"
    );
    // zone rows come right after the treated area's density criteria
    let names: Vec<&str> = report
        .verdicts
        .iter()
        .map(|v| v.criterion.as_str())
        .collect();
    let tram = names.iter().position(|&n| n == "density.tram_tracks");
    assert_eq!(names[tram.expect("tram") + 1], "zone.depth.right_cheek");
}

#[test]
fn a_setting_deeper_than_the_zones_chart_fails_naming_zone_setting_and_chart() {
    let mut setup = face();
    setup.zones[2].exposures_mm = vec![1.0];
    let mut p = clean_plan();
    for r in 0..6u16 {
        for c in 0..2u16 {
            let at = (8.0 + f32::from(c) * 2.0, f32::from(r) * 2.0);
            cell(&mut p, at, 100, 4_000_000, 950.0, Layer::ReticularDermis);
        }
    }
    let report = run(Some(setup), &expect(), p);
    let v = verdict(&report, "zone.depth.nose");
    assert_eq!(v.outcome, Outcome::Fail);
    assert_eq!(
        v.actual_text,
        "nose: setting 1.00 mm above the chart's 0.25–0.50 mm; deepest 950.0 µm"
    );
    assert_eq!(v.metrics["setting_mm"], 1.0);
    // the punctures themselves kept to the setting: only the setting is wrong
    assert!(v.metrics["max_depth_um"] <= v.metrics["limit_um"]);
    assert_eq!(verdict(&report, "zone.outside").outcome, Outcome::Pass);
}

#[test]
fn a_setting_shallower_than_the_chart_is_acceptable_and_depth_past_it_is_judged_like_depth_max() {
    let mut setup = face();
    setup.zones[0].exposures_mm = vec![0.8];
    let mut p = clean_plan();
    // 0.8 mm + 50 µm = 850 passes, + 100 µm = 900 acceptable: the 900 µm cheek punctures
    let v = verdict(
        &run(Some(setup.clone()), &expect(), p.clone()),
        "zone.depth.right_cheek",
    )
    .clone();
    assert_eq!(v.outcome, Outcome::Acceptable);
    assert_eq!(
        v.actual_text,
        "right cheek: setting 0.80 mm below the chart's 1.00–1.50 mm; deepest 900.0 µm"
    );
    assert_eq!(v.first_failure.and_then(|w| w.t_us), Some(1_000_000));
    // one puncture of 901 µm is past + 2 × tolerance: fail, at that puncture
    cell(
        &mut p,
        (2.0, 2.0),
        1,
        1_500_000,
        901.0,
        Layer::ReticularDermis,
    );
    let v = verdict(&run(Some(setup), &expect(), p), "zone.depth.right_cheek").clone();
    assert_eq!(v.outcome, Outcome::Fail);
    assert_eq!(v.first_failure.and_then(|w| w.t_us), Some(1_500_000));
}

/// The clean plan with 212 punctures in the periorbital zone's fat at 1000 µm at t = 2 s:
/// during the cheek pass (1.0 mm), the pen strayed over the zone border.
fn strayed() -> Vec<PunctureRow> {
    let mut p = clean_plan();
    // during the cheek pass (1.0 mm, t < 2.5 s): 212 punctures in the periorbital zone reach
    // its fat at 1000 µm
    for k in 0..212u32 {
        p.push(PunctureRow {
            t_us: 2_000_000 + u64::from(k),
            x_mm: 1.0 + (k % 6) as f32,
            y_mm: 8.5 + (k / 6 % 3) as f32,
            depth_um: 1000.0,
            layer: Layer::Hypodermis,
            ..PunctureRow::default()
        });
    }
    p
}

#[test]
fn a_pass_straying_from_the_cheek_onto_the_periorbital_zone_at_cheek_depth_fails_there() {
    let report = run_with(Some(face()), &expect(), &starts(), strayed());
    let v = verdict(&report, "zone.forbidden_layers.right_periorbital");
    assert_eq!(v.outcome, Outcome::Fail);
    assert_eq!(v.actual, 212.0);
    assert_eq!(
        v.actual_text,
        "right periorbital: 212 punctures in hypodermis at right cheek depth 1.00 mm"
    );
    assert_eq!(v.metrics["exposure_um"], 1000.0);
    assert_eq!(v.expected, "0 in {hypodermis, muscle, cartilage, bone}");
    assert_eq!(v.metrics["in_hypodermis"], 212.0);
    assert_eq!(v.first_failure.and_then(|w| w.t_us), Some(2_000_000));
    // the periorbital zone's own setting is 0.25 mm: 1000 µm is far past it, and the pen was
    // set deeper than its chart
    let v = verdict(&report, "zone.depth.right_periorbital");
    assert_eq!(v.outcome, Outcome::Fail);
    assert_eq!(
        v.actual_text,
        "right periorbital: setting 0.25 mm within the chart's 0.25–0.50 mm; deepest 1000.0 µm; 212 punctures with the pen at 1.00 mm during the right cheek pass, deeper than the chart"
    );
    assert_eq!(v.metrics["punctures_over_chart"], 212.0);
    // the cheek itself is fine
    assert_eq!(
        verdict(&report, "zone.forbidden_layers.right_cheek").outcome,
        Outcome::Pass
    );
    // without zone starts, only the exposure is known
    let v = verdict(
        &run(Some(face()), &expect(), strayed()),
        "zone.forbidden_layers.right_periorbital",
    )
    .clone();
    assert_eq!(
        v.actual_text,
        "right periorbital: 212 punctures in hypodermis at 1.00 mm"
    );
}

#[test]
fn a_forbidden_list_the_scenario_wrote_replaces_each_zones_site_default() {
    let mut setup = face();
    let allowed = Expect {
        forbidden_layers: vec![Layer::Muscle, Layer::Cartilage, Layer::Bone],
        forbidden_layers_written: true,
        ..expect()
    };
    for z in &mut setup.zones {
        z.forbidden_layers = ZoneSetup::forbidden_for(&allowed, "cheek", true);
    }
    let mut p = clean_plan();
    cell(&mut p, (0.0, 8.0), 3, 3_500_000, 400.0, Layer::Hypodermis);
    let report = run(Some(setup), &allowed, p);
    let v = verdict(&report, "zone.forbidden_layers.right_periorbital");
    assert_eq!(v.outcome, Outcome::Pass);
    assert_eq!(v.actual_text, "right periorbital: 0 of 403 punctures");
    // without the written list, each zone's site decides: fat is forbidden on the face
    assert_eq!(
        ZoneSetup::forbidden_for(&expect(), "cheek", true),
        FACIAL.to_vec()
    );
    assert_eq!(
        ZoneSetup::forbidden_for(&expect(), "neck", true),
        [Layer::Muscle, Layer::Cartilage, Layer::Bone].to_vec()
    );
}

#[test]
fn a_slow_glide_fails_the_zones_density_and_tram_tracks_against_its_own_band() {
    let mut p = clean_plan();
    // a row of 4 periorbital cells at 650 punctures = 16 250 /cm²: above 10 000 + 10 %,
    // though within the cheek's (and the treated area's) band
    for c in 0..4u16 {
        cell(
            &mut p,
            (f32::from(c) * 2.0, 10.0),
            600,
            3_600_000,
            200.0,
            Layer::PapillaryDermis,
        );
    }
    let report = run(Some(face()), &expect(), p);
    let v = verdict(&report, "zone.density.right_periorbital");
    assert_eq!(v.outcome, Outcome::Fail);
    assert_eq!(v.actual, 16_250.0);
    assert_eq!(
        v.actual_text,
        "right periorbital: worst 16250 /cm² (min 1250, max 16250; 4 cells over, 0 under)"
    );
    let t = verdict(&report, "zone.tram_tracks.right_periorbital");
    assert_eq!(t.outcome, Outcome::Fail);
    assert_eq!(
        t.actual_text,
        "right periorbital: 1 tracks (longest 4 cells)"
    );
    assert_eq!(
        verdict(&report, "zone.density.right_cheek").outcome,
        Outcome::Pass
    );
}

#[test]
fn an_untreated_half_of_a_zone_fails_its_coverage() {
    // the cheek's upper two rows get nothing: 8 of 16 cells
    let p: Vec<PunctureRow> = clean_plan()
        .into_iter()
        .filter(|p| !(p.y_mm > 4.0 && p.y_mm < 8.0))
        .collect();
    let report = run(Some(face()), &expect(), p);
    let v = verdict(&report, "zone.coverage.right_cheek");
    assert_eq!(v.outcome, Outcome::Fail);
    assert_eq!(v.actual, 0.5);
    assert_eq!(v.actual_text, "right cheek: 50.0 % (8 of 16 cells)");
    assert_eq!(v.expected, "≥ 90.0 %");
    // the first empty cell, row 2 column 0
    let at = v.first_failure.expect("where");
    assert_eq!((at.x_mm, at.y_mm), (Some(1.0), Some(5.0)));
    // the zone's whole cells without punctures are under its minimum too
    assert_eq!(
        verdict(&report, "zone.density.right_cheek").outcome,
        Outcome::Fail
    );
}

#[test]
fn punctures_outside_the_plans_zones_are_acceptable_up_to_the_fraction_then_fail() {
    // 1600 + 400 = 2000 punctures in the plan; 10 beyond the face and 5 on the untreated nose
    let mut p = clean_plan();
    cell(
        &mut p,
        (20.0, 20.0),
        10,
        4_000_000,
        200.0,
        Layer::PapillaryDermis,
    );
    cell(
        &mut p,
        (8.0, 0.0),
        5,
        4_100_000,
        200.0,
        Layer::PapillaryDermis,
    );
    let report = run(Some(face()), &expect(), p.clone());
    let v = verdict(&report, "zone.outside");
    assert_eq!(v.outcome, Outcome::Acceptable);
    assert_eq!(v.actual, 15.0);
    assert_eq!(
        v.actual_text,
        "10 outside every zone, 5 in zones the plan does not treat (nose 5); 0.74 % of 2015 punctures"
    );
    assert_eq!(v.expected, "0 (up to 1.00 % acceptable)");
    assert_eq!(v.first_failure.and_then(|w| w.t_us), Some(4_000_000));
    // the nose is judged for depth and layers, not for density: the plan does not treat it
    let names: Vec<&str> = zone_verdicts(&report).into_iter().map(|(n, _)| n).collect();
    assert!(names.contains(&"zone.depth.nose"));
    assert!(names.contains(&"zone.forbidden_layers.nose"));
    assert!(!names.contains(&"zone.density.nose"));
    let nose = verdict(&report, "zone.depth.nose");
    assert_eq!(nose.actual_text, "nose: not in the plan; deepest 200.0 µm");
    assert_eq!(nose.outcome, Outcome::Pass);
    // a stricter limit fails the same run
    let strict = Expect {
        zone_outside_max_fraction: 0.005,
        ..expect()
    };
    let v = verdict(&run(Some(face()), &strict, p), "zone.outside").clone();
    assert_eq!(v.outcome, Outcome::Fail);
}

#[test]
fn without_a_plan_every_zone_a_puncture_reached_is_judged_without_a_setting() {
    let mut setup = face();
    setup.planned = false;
    for z in &mut setup.zones {
        z.exposures_mm.clear();
    }
    let report = run(Some(setup), &expect(), clean_plan());
    let v = verdict(&report, "zone.depth.right_cheek");
    assert_eq!(v.outcome, Outcome::Pass);
    // held to the chart's maximum, 1.5 mm + 50 µm
    assert_eq!(v.metrics["limit_um"], 1550.0);
    assert!(zone_verdicts(&report).contains(&("zone.coverage.right_periorbital", Outcome::Pass)));
    assert!(
        !zone_verdicts(&report)
            .iter()
            .any(|(n, _)| n.ends_with(".nose"))
    );
    assert_eq!(
        verdict(&report, "zone.outside").actual_text,
        "0 outside every zone; 0.00 % of 2000 punctures"
    );
}

#[test]
fn a_planned_zone_without_punctures_fails_density_and_coverage_and_has_no_tracks_to_judge() {
    let p: Vec<PunctureRow> = clean_plan().into_iter().filter(|p| p.y_mm < 8.0).collect();
    let report = run(Some(face()), &expect(), p);
    assert_eq!(
        zone_verdicts(&report)
            .into_iter()
            .filter(|(n, _)| n.ends_with("right_periorbital"))
            .collect::<Vec<_>>(),
        [
            ("zone.depth.right_periorbital", Outcome::Pass),
            (
                "zone.forbidden_layers.right_periorbital",
                Outcome::NotApplicable
            ),
            ("zone.density.right_periorbital", Outcome::Fail),
            ("zone.coverage.right_periorbital", Outcome::Fail),
            ("zone.tram_tracks.right_periorbital", Outcome::NotApplicable),
        ]
    );
}

#[test]
fn without_a_face_map_the_six_zone_criteria_are_not_applicable() {
    let report = run(None, &expect(), clean_plan());
    use Outcome::NotApplicable as NA;
    assert_eq!(
        zone_verdicts(&report),
        [
            ("zone.depth", NA),
            ("zone.forbidden_layers", NA),
            ("zone.density", NA),
            ("zone.coverage", NA),
            ("zone.tram_tracks", NA),
            ("zone.outside", NA),
        ]
    );
    assert_eq!(
        verdict(&report, "zone.depth").actual_text,
        "no face map in the recording"
    );
}

#[test]
fn zone_checks_off_leaves_every_zone_criterion_out() {
    let off = Expect {
        zone_checks: false,
        ..expect()
    };
    assert_eq!(zone_verdicts(&run(Some(face()), &off, clean_plan())), []);
    assert_eq!(zone_verdicts(&run(None, &off, clean_plan())), []);
}

/// The three zones as a face map file.
const FACE_MAP: &str = r#"
name = "three-zones"
description = "test face"
sources = ["drawn by hand"]
outline = [[0.0, 0.0], [12.0, 0.0], [12.0, 12.0], [0.0, 12.0], [0.0, 0.0]]

[[zone]]
id = "right_cheek"
label = "right cheek"
site = "cheek"
depth_mm = [1.0, 1.5]
density_per_cm2 = [2000.0, 20000.0]
outline = [[0.0, 0.0], [8.0, 0.0], [8.0, 8.0], [0.0, 8.0], [0.0, 0.0]]

[[zone]]
id = "right_periorbital"
label = "right periorbital"
site = "periorbital"
depth_mm = [0.25, 0.5]
density_per_cm2 = [1000.0, 10000.0]
outline = [[0.0, 8.0], [8.0, 8.0], [8.0, 12.0], [0.0, 12.0], [0.0, 8.0]]

[[zone]]
id = "nose"
label = "nose"
site = "nose"
depth_mm = [0.25, 0.5]
density_per_cm2 = [2000.0, 20000.0]
outline = [[8.0, 0.0], [12.0, 0.0], [12.0, 12.0], [8.0, 12.0], [8.0, 0.0]]
"#;

#[test]
fn a_recording_with_a_face_map_is_judged_by_the_zones_its_punctures_carry() {
    use needlebench_checks::zones::PlannedZone;
    use needlebench_recording::{
        CreateOptions, FaceMapCopy, Recording, RecordingWriter, RunStatus, ZoneRef,
    };
    let (_tmp, dir) = crate::support::tmp_run();
    let options = CreateOptions {
        face_map: Some(FaceMapCopy {
            name: "three-zones",
            text: FACE_MAP,
        }),
        ..CreateOptions::default()
    };
    let mut w = RecordingWriter::create_with(&dir, clean().meta, options).expect("create");
    for e in starts() {
        w.event(&e).expect("event");
    }
    for tick in 0..5000u64 {
        w.telemetry(&TelemetryRow {
            t_us: tick * 1000,
            tick: tick as u32,
            exposure_um: if tick < 2500 { 1000.0 } else { 250.0 },
            ..TelemetryRow::default()
        })
        .expect("tick");
    }
    let mut p = strayed();
    p.sort_by_key(|p| p.t_us);
    for mut row in p {
        // the zone column decides, not the position: the strays are recorded as periorbital
        row.zone = ZoneRef::zone(if row.y_mm > 8.0 { 1 } else { 0 });
        w.puncture(&row).expect("puncture");
    }
    w.finish(RunStatus::Complete).expect("finish");
    let rec = Recording::open(&dir).expect("open");
    let plan = vec![
        PlannedZone {
            zone: "right_cheek".to_owned(),
            exposure_mm: 1.0,
        },
        PlannedZone {
            zone: "right_periorbital".to_owned(),
            exposure_mm: 0.25,
        },
    ];
    let expectations = crate::support::given(&expect()).with_plan(plan);
    let report = needlebench_checks::check(&rec, &expectations, None).expect("check");
    let v = verdict(&report, "zone.forbidden_layers.right_periorbital");
    assert_eq!(v.outcome, Outcome::Fail);
    assert_eq!(
        v.actual_text,
        "right periorbital: 212 punctures in hypodermis at right cheek depth 1.00 mm"
    );
    assert_eq!(
        verdict(&report, "zone.depth.right_cheek").outcome,
        Outcome::Pass
    );
    assert_eq!(verdict(&report, "zone.outside").outcome, Outcome::Pass);
    // the same file without a plan: every reached zone judged as treated, no setting
    let report =
        needlebench_checks::check(&rec, &crate::support::given(&expect()), None).expect("check");
    assert_eq!(
        verdict(&report, "zone.depth.right_cheek").actual_text,
        "right cheek: no plan to set its depth; deepest 900.0 µm"
    );
}

#[test]
fn expectations_from_a_plan_scenario_carry_each_steps_zone_and_exposure() {
    use needlebench_checks::Expectations;
    use needlebench_checks::zones::PlannedZone;
    use needlebench_recording::{CreateOptions, Recording, RecordingWriter, ScenarioCopy};
    const PLAN: &str = r#"name = "p"
[pen]
cartridge = "12"
speed_level = 6
[plan]
[[plan.zone]]
zone = "nose"
exposure_mm = 0.25
pattern = "straight"
[[plan.zone]]
zone = "left_cheek"
exposure_mm = 1.0
pattern = "straight"
[expect]
zone_outside_max_fraction = 0.02
"#;
    let (_tmp, dir) = crate::support::tmp_run();
    let options = CreateOptions {
        scenario: Some(ScenarioCopy {
            text: PLAN.as_bytes(),
            files: &[],
        }),
        ..CreateOptions::default()
    };
    drop(RecordingWriter::create_with(&dir, clean().meta, options).expect("create"));
    let e = Expectations::load(&Recording::open(&dir).expect("open"), None).expect("load");
    assert_eq!(
        e.plan,
        Some(vec![
            PlannedZone {
                zone: "nose".to_owned(),
                exposure_mm: 0.25
            },
            PlannedZone {
                zone: "left_cheek".to_owned(),
                exposure_mm: 1.0
            },
        ])
    );
    assert_eq!(e.expect.map(|x| x.zone_outside_max_fraction), Some(0.02));
}

#[test]
fn border_spill_past_a_zones_depth_is_acceptable_within_zone_border_mm_and_fails_further_in() {
    // the cheek pass's edge needles land 0.5–0.9 mm into the untreated nose at 900 µm: past
    // its chart's 0.50 mm + 2 × 50 µm
    let mut p = clean_plan();
    cell(
        &mut p,
        (8.0, 2.0),
        5,
        1_200_000,
        900.0,
        Layer::ReticularDermis,
    );
    let strict = run(Some(face()), &expect(), p.clone());
    let v = verdict(&strict, "zone.depth.nose");
    assert_eq!(v.outcome, Outcome::Fail);
    assert_eq!(
        v.actual_text,
        "nose: not in the plan; deepest 900.0 µm; 5 punctures with the pen at 1.00 mm, deeper than the chart"
    );
    let lenient = Expect {
        zone_border_mm: 1.0,
        ..expect()
    };
    let report = run(Some(face()), &lenient, p.clone());
    let v = verdict(&report, "zone.depth.nose");
    assert_eq!(v.outcome, Outcome::Acceptable);
    assert_eq!(
        v.actual_text,
        "nose: not in the plan; 5 past the limit within 1.0 mm of the edge (border spill, deepest 900.0 µm)"
    );
    assert_eq!(v.metrics["border_spill"], 5.0);
    assert_eq!(v.first_failure.and_then(|w| w.t_us), Some(1_200_000));

    // 2 mm in is no longer the border
    cell(
        &mut p,
        (9.5, 4.0),
        1,
        1_300_000,
        900.0,
        Layer::ReticularDermis,
    );
    let v = verdict(&run(Some(face()), &lenient, p), "zone.depth.nose").clone();
    assert_eq!(v.outcome, Outcome::Fail);
    assert_eq!(v.first_failure.and_then(|w| w.t_us), Some(1_300_000));
}

#[test]
fn a_puncture_just_past_every_zone_is_border_spill_within_zone_border_mm() {
    // 0.5 mm past the nose's right edge, the face's edge
    let mut p = clean_plan();
    cell(
        &mut p,
        (12.0, 2.0),
        1,
        1_250_000,
        200.0,
        Layer::PapillaryDermis,
    );
    let lenient = Expect {
        zone_border_mm: 1.0,
        zone_outside_max_fraction: 0.0,
        ..expect()
    };
    let v = verdict(&run(Some(face()), &lenient, p.clone()), "zone.outside").clone();
    assert_eq!(v.outcome, Outcome::Acceptable);
    assert_eq!(
        v.actual_text,
        "0 outside every zone, 1 just outside (within 1.0 mm of a zone: border spill), 0 in zones the plan does not treat; 0.00 % of 2001 punctures"
    );
    assert_eq!(v.first_failure.and_then(|w| w.t_us), Some(1_250_000));
    // without a border it is outside, and a zero fraction fails it
    let strict = Expect {
        zone_outside_max_fraction: 0.0,
        ..expect()
    };
    let v = verdict(&run(Some(face()), &strict, p), "zone.outside").clone();
    assert_eq!(v.outcome, Outcome::Fail);
    assert_eq!(
        v.actual_text,
        "1 outside every zone, 0 in zones the plan does not treat; 0.05 % of 2001 punctures"
    );
}

#[test]
fn depth_max_of_a_plan_is_judged_against_its_deepest_setting_not_the_first_zones() {
    // The recording's setup names only the first zone's setting (0.25 mm here); the cheek
    // is set to 1.0 mm later, and its 900 µm punctures are within that setting.
    let mut meta = clean().meta;
    meta.setup.exposure_um = 250.0;
    let judge = |setup: Option<ZoneSetup>| {
        let mut checker = Checker::new(
            &meta,
            &expect(),
            ExpectationSource::File {
                path: "test".to_owned(),
            },
        )
        .expect("checker");
        if let Some(setup) = setup {
            checker.zones(setup).expect("zones");
        }
        let mut punctures = clean_plan();
        punctures.sort_by_key(|p| p.t_us);
        for p in &punctures {
            checker.puncture(p);
        }
        checker.finish(Path::new("synthetic"))
    };
    let with_plan = judge(Some(face()));
    assert_eq!(verdict(&with_plan, "depth.max").outcome, Outcome::Pass);
    // Without the plan the first setting is all there is: 900 µm is far past 0.25 mm.
    let without = judge(None);
    assert_eq!(verdict(&without, "depth.max").outcome, Outcome::Fail);
}
