//! Treatment plans: the path over the zones (concave zones, offset, overshoot, pauses, depth
//! changes) and whole plan runs (each needle's skin, each puncture's zone, the plan's events).

use needlebench_bridge::{InProcessTransport, Link, LinkOptions};
use needlebench_face::FaceMap;
use needlebench_face::geometry::boundary_distance_mm;
use needlebench_firmware::Firmware;
use needlebench_recording::{EventKind, Recording, ZoneRef};
use needlebench_runner::hand::Pattern;
use needlebench_runner::pen::firmware_config;
use needlebench_runner::plan::{PlanPath, PlanSpec, PlanStep, StepPattern};
use needlebench_runner::setup::create_recording;
use needlebench_runner::{RunSetup, run};
use needlebench_scenario::Scenario;
use std::path::{Path, PathBuf};

/// A face of three zones: `u` a concave U (10 mm arms, a 10 mm gap between them), `a` and
/// `b` two 12 mm squares side by side, on cheek skin and on a thin custom skin (fat from
/// 160 µm, the other properties the defaults of a custom layer).
pub(crate) const MAP: &str = r#"name = "test-face"
outline = [[0.0, 0.0], [80.0, 0.0], [80.0, 60.0], [0.0, 60.0], [0.0, 0.0]]
[[zone]]
id = "u"
label = "U"
site = "cheek"
depth_mm = [0.5, 1.5]
density_per_cm2 = [100.0, 100000.0]
outline = [[5.0, 5.0], [35.0, 5.0], [35.0, 25.0], [25.0, 25.0], [25.0, 15.0], [15.0, 15.0], [15.0, 25.0], [5.0, 25.0], [5.0, 5.0]]
[[zone]]
id = "a"
label = "A"
site = "cheek"
depth_mm = [0.5, 1.5]
density_per_cm2 = [100.0, 100000.0]
outline = [[40.0, 30.0], [52.0, 30.0], [52.0, 42.0], [40.0, 42.0], [40.0, 30.0]]
[[zone]]
id = "b"
label = "B"
depth_mm = [0.25, 0.5]
density_per_cm2 = [100.0, 100000.0]
outline = [[52.0, 30.0], [64.0, 30.0], [64.0, 42.0], [52.0, 42.0], [52.0, 30.0]]
[zone.custom]
name = "thin"
[zone.custom.layers]
stratum_corneum = { thickness_um = 10.0 }
viable_epidermis = { thickness_um = 30.0 }
papillary_dermis = { thickness_um = 40.0 }
reticular_dermis = { thickness_um = 80.0 }
hypodermis = { thickness_um = 3000.0 }
"#;

fn face() -> FaceMap {
    FaceMap::parse(MAP, Path::new("test-face.toml")).unwrap()
}

fn step(zone: usize, exposure_um: f64, pattern: Pattern) -> PlanStep {
    PlanStep {
        zone,
        exposure_um,
        pattern: StepPattern::Area(pattern),
        line_spacing_mm: 2.0,
        glide_mm_s: 20.0,
        passes: 1,
        force_n: 2.5,
        tilt_deg: 4.0,
        offset_mm: [0.0, 0.0],
        overshoot_mm: 0.0,
    }
}

fn straight() -> Pattern {
    Pattern::Straight { angle_deg: 0.0 }
}

fn spec(steps: Vec<PlanStep>) -> PlanSpec {
    PlanSpec {
        steps,
        pause_s: 2.0,
        depth_change_s: 4.0,
        start_exposure_um: 1000.0,
    }
}

#[test]
fn a_raster_over_a_concave_zone_glides_only_inside_it_and_lifts_over_the_gap() {
    let face = face();
    let path = PlanPath::new(&spec(vec![step(0, 1000.0, straight())]), &face, 1.0);
    let segs = path.hand.segments();
    let on: Vec<_> = segs
        .iter()
        .filter(|s| s.on_skin && s.from_mm != s.to_mm)
        .collect();
    assert!(on.len() > 10);
    for s in &on {
        let mid = [
            (s.from_mm[0] + s.to_mm[0]) / 2.0,
            (s.from_mm[1] + s.to_mm[1]) / 2.0,
        ];
        let inside = face.zones[0].contains(mid)
            || boundary_distance_mm(&face.zones[0].outline_mm, mid) < 1e-6;
        assert!(inside, "glides outside the U: {s:?}");
    }
    // lines through both arms (y 15..25) glide in two pieces, the gap crossed lifted
    let arm_lines = on
        .iter()
        .filter(|s| s.from_mm[1] > 15.0 && s.from_mm[1] < 25.0 && s.from_mm[1] == s.to_mm[1])
        .count();
    let lifted_over_gap = segs
        .iter()
        .filter(|s| !s.on_skin && s.from_mm[1] > 15.0 && s.from_mm[1] < 25.0)
        .filter(|s| (s.from_mm[0] - s.to_mm[0]).abs() >= 9.9)
        .count();
    assert!(
        arm_lines >= 8 && lifted_over_gap >= 4,
        "{arm_lines} {lifted_over_gap}"
    );
}

#[test]
fn offset_shifts_the_whole_step_and_overshoot_runs_lines_past_the_edge() {
    let face = face();
    let plain = PlanPath::new(&spec(vec![step(1, 1000.0, straight())]), &face, 1.0);
    let mut shifted_step = step(1, 1000.0, straight());
    shifted_step.offset_mm = [12.0, 0.0];
    let shifted = PlanPath::new(&spec(vec![shifted_step]), &face, 1.0);
    let xs = |p: &PlanPath| -> Vec<f64> {
        p.hand
            .segments()
            .iter()
            .filter(|s| s.on_skin)
            .map(|s| s.to_mm[0])
            .collect()
    };
    let (a, b) = (xs(&plain), xs(&shifted));
    assert_eq!(a.len(), b.len());
    for (x, y) in a.iter().zip(&b) {
        assert!((y - x - 12.0).abs() < 1e-9, "{x} -> {y}");
    }
    let mut over = step(1, 1000.0, straight());
    over.overshoot_mm = 1.5;
    let over = PlanPath::new(&spec(vec![over]), &face, 1.0);
    let (lo, hi) = over
        .hand
        .segments()
        .iter()
        .filter(|s| s.on_skin)
        .fold((f64::MAX, f64::MIN), |(lo, hi), s| {
            (lo.min(s.to_mm[0]), hi.max(s.to_mm[0]))
        });
    assert!(
        (lo - 38.5).abs() < 1e-9 && (hi - 53.5).abs() < 1e-9,
        "{lo} {hi}"
    );
}

#[test]
fn pauses_and_depth_changes_lie_between_zones_with_the_pen_lifted() {
    let face = face();
    let path = PlanPath::new(
        &spec(vec![
            step(1, 1000.0, straight()),
            step(2, 1000.0, straight()),
            step(1, 500.0, straight()),
        ]),
        &face,
        1.0,
    );
    let [s0, s1, s2] = [path.steps[0], path.steps[1], path.steps[2]];
    assert_eq!(s0.start_s, 1.0, "the first zone starts at once");
    // pause only (same exposure), then travel; then pause + depth change + travel
    assert!(s1.start_s - s0.end_s >= 2.0 && s1.start_s - s0.end_s < 2.0 + 1.0);
    assert_eq!(path.depth_changes.len(), 1);
    let change = path.depth_changes[0];
    assert_eq!((change.from_um, change.to_um), (1000.0, 500.0));
    assert!((change.start_s - (s1.end_s + 2.0)).abs() < 1e-9);
    assert!((change.end_s - change.start_s - 4.0).abs() < 1e-9);
    assert!(s2.start_s >= change.end_s);
    assert_eq!(path.exposure_um_at(change.end_s - 1e-6), 1000.0);
    assert_eq!(path.exposure_um_at(change.end_s), 500.0);
    for s in path.hand.segments() {
        if s.t1_s > s0.end_s && s.t0_s < s1.start_s {
            assert!(!s.on_skin, "lifted between zones: {s:?}");
        }
    }
    let mut hand = path.hand.clone();
    let at = hand.at(s1.start_s + 0.01);
    assert!(at.on_skin);
    assert_eq!(path.force_tilt(hand.cursor()), (2.5, 4.0));
}

fn tmp(name: &str) -> PathBuf {
    let d = std::env::temp_dir().join(format!("nb-runner-plan-{}-{name}", std::process::id()));
    let _ = std::fs::remove_dir_all(&d);
    std::fs::create_dir_all(&d).unwrap();
    d
}

/// Run the plan scenario `text` (beside the test face map) into `dir/rec`.
fn run_plan(dir: &Path, text: &str) -> Recording {
    run_plan_into(dir, text, "rec")
}

/// [`run_plan`] into `dir/out`.
fn run_plan_into(dir: &Path, text: &str, out: &str) -> Recording {
    std::fs::write(dir.join("face.toml"), MAP).unwrap();
    let path = dir.join("plan.toml");
    std::fs::write(&path, text).unwrap();
    let scenario = Scenario::from_path(&path).unwrap();
    let config = firmware_config(&scenario);
    let setup = RunSetup::new(&scenario, &config).unwrap();
    let transport = Box::new(InProcessTransport::new(Firmware::new(config).unwrap()));
    let mut link = Link::connect(transport, LinkOptions::default()).unwrap();
    let meta = needlebench_runner::setup::base_meta(&scenario);
    let out = dir.join(out);
    let writer = create_recording(&scenario, &out, meta, false).unwrap();
    run(&setup, &mut link, writer, |_| {}).unwrap();
    Recording::open(&out).unwrap()
}

const PLAN: &str = r#"name = "plan-run"
seed = 11
[pen]
cartridge = "12"
speed_level = 6
[skin]
thickness_variation = 0.0
[plan]
face_map = "face.toml"
pause_s = 0.5
depth_change_s = 1.0
[[plan.zone]]
zone = "a"
exposure_mm = 1.0
pattern = "straight"
line_spacing_mm = 3.0
glide_mm_s = 30.0
force_n = 2.5
[[plan.zone]]
zone = "b"
exposure_mm = 0.5
pattern = "straight"
line_spacing_mm = 3.0
glide_mm_s = 30.0
force_n = 2.0
"#;

/// `p`'s layer is the one its depth lies in on `site`, within the per-puncture thickness
/// spread (`needlebench_physics::spread`: the column scaled by 1 ± 3.5 × 6 %).
fn layer_fits(site: &needlebench_physics::Site, p: &needlebench_recording::PunctureRow) -> bool {
    let d = f64::from(p.depth_um);
    let (shallow, deep) = (site.layer_at_depth(d / 1.25), site.layer_at_depth(d / 0.75));
    (shallow.index()..=deep.index()).contains(&p.layer.index())
}

#[test]
fn a_plan_run_records_zones_events_and_each_needles_own_skin() {
    let dir = tmp("zones");
    let rec = run_plan(&dir, PLAN);
    let face = face();
    assert_eq!(rec.zone_ids(), ["u", "a", "b"]);
    assert_eq!(rec.meta().scenario.face_map, "face.toml");
    let events: Vec<_> = rec
        .events()
        .unwrap()
        .map(Result::unwrap)
        .filter(|e| matches!(e.kind, EventKind::ZoneStart | EventKind::DepthChange))
        .map(|e| (e.kind, e.code, e.detail))
        .collect();
    assert_eq!(events.len(), 3, "{events:?}");
    assert_eq!(
        (events[0].0, events[0].1.as_str(), events[0].2.as_str()),
        (EventKind::ZoneStart, "a", "exposure_mm=1 step=1")
    );
    assert_eq!(
        (events[1].0, events[1].1.as_str()),
        (EventKind::DepthChange, "1.00->0.50")
    );
    assert_eq!(
        (events[2].0, events[2].1.as_str()),
        (EventKind::ZoneStart, "b")
    );
    let mut in_zone = [0usize; 3];
    let mut checked = 0;
    for p in rec.punctures().unwrap().map(Result::unwrap) {
        let pos = [f64::from(p.x_mm), f64::from(p.y_mm)];
        let want = face.zone_at(pos).map_or(ZoneRef::OUTSIDE, ZoneRef::zone);
        assert_eq!(p.zone, want, "{p:?}");
        let Some(z) = p.zone.index() else { continue };
        in_zone[z] += 1;
        // well inside a zone, the needle met that zone's skin
        if boundary_distance_mm(&face.zones[z].outline_mm, pos) > 1.0 {
            assert!(layer_fits(&face.zones[z].site, &p), "{p:?}");
            checked += 1;
        }
    }
    assert!(in_zone[1] > 100 && in_zone[2] > 100, "{in_zone:?}");
    assert!(checked > 100);
    // the exposure steps down at the end of the depth change
    let exposures: Vec<f32> = rec
        .telemetry()
        .unwrap()
        .map(|r| r.unwrap().exposure_um)
        .collect();
    assert_eq!(exposures.first(), Some(&1000.0));
    assert_eq!(exposures.last(), Some(&500.0));
}

#[test]
fn a_pass_straying_onto_the_next_zone_meets_that_zones_skin_at_the_first_zones_depth() {
    let dir = tmp("stray");
    // zone a's pass shifted 8 mm to the right: most of it lands on b (periorbital skin)
    let text = PLAN.replacen(
        "force_n = 2.5\n",
        "force_n = 2.5\noffset_mm = [8.0, 0.0]\n",
        1,
    );
    let rec = run_plan(&dir, &text);
    let face = face();
    // zone a's pass ends before the depth change to b's 0.5 mm
    let change_us = rec
        .events()
        .unwrap()
        .map(Result::unwrap)
        .find(|e| e.kind == EventKind::DepthChange)
        .unwrap()
        .t_us;
    // well inside b, zone a's needles met b's thin custom skin (the layers fit it, and the
    // pass goes in far less deep there than on a's cheek skin at the same moment)
    let (mut depth_b, mut depth_a) = (Vec::new(), Vec::new());
    for p in rec.punctures().unwrap().map(Result::unwrap) {
        let pos = [f64::from(p.x_mm), f64::from(p.y_mm)];
        let Some(z) = p.zone.index() else { continue };
        if p.t_us > change_us || boundary_distance_mm(&face.zones[z].outline_mm, pos) < 1.0 {
            continue;
        }
        assert!(layer_fits(&face.zones[z].site, &p), "{p:?}");
        if z == 2 { &mut depth_b } else { &mut depth_a }.push(f64::from(p.depth_um));
    }
    let mean = |v: &[f64]| v.iter().sum::<f64>() / v.len().max(1) as f64;
    assert!(depth_a.len() > 50 && depth_b.len() > 50);
    assert!(
        mean(&depth_b) < 0.5 * mean(&depth_a),
        "mean depth on b {} µm, on a {} µm",
        mean(&depth_b),
        mean(&depth_a)
    );
}

#[test]
fn a_plan_run_is_byte_identical_run_to_run() {
    let dir = tmp("det");
    let one = run_plan_into(&dir, PLAN, "one");
    let two = run_plan_into(&dir, PLAN, "two");
    for f in [
        "meta.toml",
        "telemetry.csv",
        "punctures.csv",
        "events.csv",
        "face-map.toml",
    ] {
        let a = std::fs::read(one.dir().join(f)).unwrap();
        let b = std::fs::read(two.dir().join(f)).unwrap();
        assert!(a == b, "{f} differs");
    }
}
