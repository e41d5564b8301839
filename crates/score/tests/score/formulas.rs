//! Every metric and score formula on inputs small enough to work out by hand.

use crate::support::{input, puncture, rect, sample, square, target};
use needlebench_score::{MetricName as M, PASS_MARK, ScoreInput, ZoneScore, score};

fn close(a: f64, b: f64, what: &str) {
    assert!((a - b).abs() < 1e-6 * b.abs().max(1.0), "{what}: {a} ≠ {b}");
}

fn value(z: &ZoneScore, m: M) -> f64 {
    z.metric(m).map_or(f64::NAN, |m| m.value)
}

fn sub(z: &ZoneScore, m: M) -> Option<f64> {
    z.metric(m).and_then(|m| m.score)
}

/// The 10 mm square zone of 25 cells of 2 mm. Pen: 10 s on a circle of radius 4 mm about the
/// centre at 10 mm/s, 1 ms samples; force 1.5 N and 2.5 N in alternate 0.1 s blocks; tilt 12°;
/// exposure 0.6 mm. Punctures: 2 in each of the 20 cells of rows 0–3 (1 s apart), none in
/// row 4; the 4 punctures of cells 0 and 1 are 700 µm deep, the rest 300 µm.
fn worked_example() -> ScoreInput {
    let r = 4.0;
    let samples = (0..10_000u64)
        .map(|ms| {
            let t = ms as f64 / 1000.0;
            let a = 10.0 * t / r; // arc length 10 t
            let mut s = sample(ms, [5.0 + r * a.cos(), 5.0 + r * a.sin()]);
            s.force_n = if (ms / 100) % 2 == 0 { 1.5 } else { 2.5 };
            s.tilt_deg = 12.0;
            s.exposure_um = 600.0;
            s
        })
        .collect();
    let mut punctures = Vec::new();
    for cell in 0..20u64 {
        let centre = [2.0 * (cell % 5) as f64 + 1.0, 2.0 * (cell / 5) as f64 + 1.0];
        for j in 0..2u64 {
            let mut p = puncture(cell * 250 + j * 1000, centre, Some(0));
            if cell < 2 {
                p.depth_um = 700.0;
            }
            punctures.push(p);
        }
    }
    input(
        vec![square("cheek", 0.0, 10.0, Some(target()))],
        samples,
        punctures,
    )
}

#[test]
fn every_metric_of_the_worked_example_matches_its_hand_computed_value_and_sub_score() {
    let s = score(&worked_example()).expect("valid input");
    let z = &s.zones[0];
    // coverage 20/25 = 0.8: 0.1 under the band's 0.9 of a 0.4 zero distance → 75
    close(value(z, M::Coverage), 0.8, "coverage");
    close(sub(z, M::Coverage).unwrap_or(-1.0), 75.0, "coverage score");
    // counts: 20 cells of 2, 5 of 0 (all 25 interior): mean 1.6, variance
    // (20·0.4² + 5·1.6²)/25 = 0.64, CV 0.5 → uniformity 0.5: 0.2 under 0.7 of 0.4 → 50
    close(value(z, M::Uniformity), 0.5, "uniformity");
    close(
        sub(z, M::Uniformity).unwrap_or(-1.0),
        50.0,
        "uniformity score",
    );
    // 40 punctures over 25 cells of 0.04 cm² = 40 /cm²: 10 under the band's 50, of 50 → 80
    close(value(z, M::DensityPerCm2), 40.0, "density");
    close(
        sub(z, M::DensityPerCm2).unwrap_or(-1.0),
        80.0,
        "density score",
    );
    // path between samples 0.25 s apart (0, 0.25 … 9.75 s): 39 chords of an arc of 2.5 mm,
    // 2·4·sin(0.625/2) mm each
    let chord = 8.0 * (0.3125f64).sin();
    let len = 39.0 * chord;
    // passes = length × spacing 2 / (area 100 × 1 sweep); band 0.8–1.2, zero 0.5 further
    let passes = len * 2.0 / 100.0;
    let passes_score = (100.0 * (1.0 - (passes - 1.2) / 0.5)).max(0.0);
    close(value(z, M::Passes), passes, "passes");
    close(
        sub(z, M::Passes).unwrap_or(-1.0),
        passes_score,
        "passes score",
    );
    // two visits per punctured cell (punctures 1 s apart > 0.5 s) over 1 planned sweep
    close(value(z, M::Overlap), 2.0, "overlap");
    // glide = length / 9.75 s = 9.84 mm/s; CV 0 (every chord alike)
    close(value(z, M::GlideMmS), len / 9.75, "glide");
    close(sub(z, M::GlideMmS).unwrap_or(-1.0), 100.0, "glide score");
    assert!(value(z, M::GlideCv).abs() < 1e-9);
    // force: 1.5 and 2.5 N half the time each: mean 2, CV 0.5/2 = 0.25: 0.05 over 0.2 of 0.4
    close(value(z, M::ForceN), 2.0, "force");
    close(value(z, M::ForceCv), 0.25, "force CV");
    close(sub(z, M::ForceCv).unwrap_or(-1.0), 87.5, "force CV score");
    // tilt 12° against 0 ± 5°, zero 15° out: 100·(1 − 7/15)
    close(
        sub(z, M::TiltDeg).unwrap_or(-1.0),
        100.0 * (1.0 - 7.0 / 15.0),
        "tilt score",
    );
    // no cell over 2 × 30 /cm² (cells hold 50 /cm²), no dwell
    close(value(z, M::HotSpots), 0.0, "hot spots");
    // 36 of 40 punctures ≤ 500 µm: 0.9, 0.05 under 0.95 of 0.45
    close(value(z, M::DepthInRange), 0.9, "depth");
    close(
        sub(z, M::DepthInRange).unwrap_or(-1.0),
        100.0 * (1.0 - 0.05 / 0.45),
        "depth score",
    );
    // exposure 0.6 mm against the chart 0.25–0.5 mm, zero 0.5 mm out: 80
    close(value(z, M::ExposureMm), 0.6, "exposure");
    close(
        sub(z, M::ExposureMm).unwrap_or(-1.0),
        80.0,
        "exposure score",
    );
    // 10 000 samples of 1 ms: 10 s against the planned 10 s
    close(value(z, M::TimeS), 10.0, "time");
    // zone score: weighted mean (weights 3 coverage, depth, exposure; 2 density, glide,
    // hot spots, strays; 1 the rest)
    let subs = [
        (3.0, 75.0),
        (1.0, 50.0),
        (2.0, 80.0),
        (1.0, passes_score),
        (1.0, 100.0),
        (2.0, 100.0),
        (1.0, 100.0),
        (1.0, 100.0),
        (1.0, 87.5),
        (1.0, 100.0 * (1.0 - 7.0 / 15.0)),
        (2.0, 100.0),
        (3.0, 100.0 * (1.0 - 0.05 / 0.45)),
        (3.0, 80.0),
        (1.0, 100.0),
        (2.0, 100.0), // no strays
    ];
    let expected =
        subs.iter().map(|(w, s)| w * s).sum::<f64>() / subs.iter().map(|s| s.0).sum::<f64>();
    close(z.score.unwrap_or(-1.0), expected, "zone score");
    assert_eq!(z.passed, expected >= PASS_MARK);
    close(
        s.overall.score.unwrap_or(-1.0),
        expected,
        "overall of one zone",
    );
}

#[test]
fn cells_over_twice_the_planned_density_are_hot_spots() {
    // 25 cells; 3 punctures in cell 0 = 75 /cm² > 2 × 30; 1 in cells 1..=4 = 25 /cm²
    let mut p = vec![
        puncture(0, [1.0, 1.0], Some(0)),
        puncture(1, [1.0, 1.0], Some(0)),
    ];
    p.push(puncture(2, [1.0, 1.0], Some(0)));
    for c in 1..5u64 {
        p.push(puncture(10 + c, [2.0 * c as f64 + 1.0, 1.0], Some(0)));
    }
    let s = score(&input(
        vec![square("z", 0.0, 10.0, Some(target()))],
        vec![],
        p,
    ))
    .expect("valid");
    // 1 hot cell of 25 = 0.04: 0.02 over the band of 0.2 → 90
    close(value(&s.zones[0], M::HotSpots), 0.04, "hot share");
    close(
        sub(&s.zones[0], M::HotSpots).unwrap_or(-1.0),
        90.0,
        "hot score",
    );
}

#[test]
fn a_pen_resting_in_one_spot_for_a_second_makes_a_hot_spot() {
    // 1.5 s still at (5, 5): cell 12 of 25 is hot although nothing was punctured
    let samples = (0..1500).map(|ms| sample(ms, [5.0, 5.0])).collect();
    let s = score(&input(
        vec![square("z", 0.0, 10.0, Some(target()))],
        samples,
        vec![],
    ))
    .expect("valid");
    close(
        value(&s.zones[0], M::HotSpots),
        1.0 / 25.0,
        "dwell hot share",
    );
    // and a pen still for 0.9 s is not
    let samples = (0..900).map(|ms| sample(ms, [5.0, 5.0])).collect();
    let s = score(&input(
        vec![square("z", 0.0, 10.0, Some(target()))],
        samples,
        vec![],
    ))
    .expect("valid");
    close(value(&s.zones[0], M::HotSpots), 0.0, "short rest");
}

#[test]
fn passes_count_the_sweeps_of_a_crosshatch() {
    // 20 × 10 mm zone, 4 s along y = 5 at 10 mm/s, across and back; samples 0.25 s apart
    // reach 3.75 s: 37.5 mm × 2 mm spacing / (200 mm² × 2 sweeps) = 0.1875 passes
    let samples = (0..4000u64)
        .map(|ms| {
            let d = ms as f64 / 100.0; // 0..40 mm
            let x = if d <= 20.0 { d } else { 40.0 - d };
            sample(ms, [x.clamp(0.01, 19.99), 5.0])
        })
        .collect();
    let mut t = target();
    t.sweeps_per_pass = 2;
    let s = score(&input(vec![rect("z", 20.0, 10.0, t)], samples, vec![])).expect("valid");
    let p = value(&s.zones[0], M::Passes);
    assert!((p - 0.1875).abs() < 0.001, "passes {p}");
}

#[test]
fn a_zone_with_nothing_to_judge_has_no_applicable_pen_metrics() {
    let s = score(&input(
        vec![square("z", 0.0, 10.0, Some(target()))],
        vec![],
        vec![],
    ))
    .expect("valid");
    let z = &s.zones[0];
    for m in [
        M::GlideMmS,
        M::ForceN,
        M::TiltDeg,
        M::DepthInRange,
        M::Uniformity,
        M::Overlap,
    ] {
        assert_eq!(sub(z, m), None, "{}", m.name());
    }
    // coverage 0 and time 0 still count, and fail the zone
    assert_eq!(sub(z, M::Coverage), Some(0.0));
    assert!(!z.passed && !s.overall.passed);
}

#[test]
fn stamping_has_no_glide_target_and_freehand_no_passes() {
    let mut t = target();
    t.glide_mm_s = None;
    t.line_spacing_mm = None;
    let samples = (0..2000)
        .map(|ms| sample(ms, [5.0, 5.0 + ms as f64 / 1000.0]))
        .collect();
    let s = score(&input(
        vec![square("z", 0.0, 10.0, Some(t))],
        samples,
        vec![],
    ))
    .expect("valid");
    assert_eq!(sub(&s.zones[0], M::GlideMmS), None);
    assert_eq!(sub(&s.zones[0], M::Passes), None);
    assert!(sub(&s.zones[0], M::ForceN).is_some());
}

#[test]
fn the_overall_score_is_the_area_weighted_mean_and_every_zone_must_pass() {
    // zone a (100 mm²) fully covered at target; zone b (400 mm²) untreated
    let mut p = Vec::new();
    for c in 0..25u64 {
        p.push(puncture(
            c,
            [2.0 * (c % 5) as f64 + 1.0, 2.0 * (c / 5) as f64 + 1.0],
            Some(0),
        ));
    }
    let zones = vec![
        square("a", 0.0, 10.0, Some(target())),
        square("b", 20.0, 20.0, Some(target())),
        square("c", 50.0, 10.0, None),
    ];
    let s = score(&input(zones, vec![], p)).expect("valid");
    let (a, b) = (
        s.zones[0].score.unwrap_or(-1.0),
        s.zones[1].score.unwrap_or(-1.0),
    );
    close(
        s.overall.score.unwrap_or(-1.0),
        (100.0 * a + 400.0 * b) / 500.0,
        "area mean",
    );
    assert_eq!(s.overall.zones_planned, 2);
    assert!(!s.overall.passed);
    assert!(!s.zones[2].planned && s.zones[2].score.is_none());
}

#[test]
fn punctures_outside_the_plan_are_counted_apart() {
    let p = vec![
        puncture(0, [1.0, 1.0], Some(0)),
        puncture(1, [55.0, 5.0], Some(1)),
        puncture(2, [99.0, 99.0], None),
    ];
    let zones = vec![
        square("a", 0.0, 10.0, Some(target())),
        square("c", 50.0, 10.0, None),
    ];
    let s = score(&input(zones, vec![], p)).expect("valid");
    assert_eq!(
        (
            s.overall.punctures,
            s.overall.punctures_outside,
            s.overall.punctures_off_plan
        ),
        (3, 1, 1)
    );
}

#[test]
fn inputs_that_break_the_rules_are_refused_with_what_is_wrong() {
    let mut i = input(vec![square("a", 0.0, 10.0, Some(target()))], vec![], vec![]);
    i.cell_mm = 0.0;
    let e = score(&i).err().map(|e| e.to_string()).unwrap_or_default();
    assert!(e.contains("cell size"), "{e}");
    let i = input(
        vec![square("a", 0.0, 10.0, Some(target()))],
        vec![sample(5, [1.0, 1.0]), sample(4, [1.0, 1.0])],
        vec![],
    );
    let e = score(&i).err().map(|e| e.to_string()).unwrap_or_default();
    assert!(e.contains("samples are not in time order"), "{e}");
    let i = input(
        vec![square("a", 0.0, 10.0, Some(target()))],
        vec![],
        vec![puncture(0, [1.0, 1.0], Some(3))],
    );
    let e = score(&i).err().map(|e| e.to_string()).unwrap_or_default();
    assert!(e.contains("names zone 3 of 1"), "{e}");
}

#[test]
fn a_critical_metric_at_zero_fails_a_zone_whatever_its_score() {
    // every cell punctured 40 times: 1000 /cm², 33× the plan's 30 /cm² — all cells hot; every
    // other metric fine enough for a score above the pass mark
    let mut p = Vec::new();
    for c in 0..25u64 {
        for k in 0..40u64 {
            p.push(puncture(
                c * 100 + k,
                [2.0 * (c % 5) as f64 + 1.0, 2.0 * (c / 5) as f64 + 1.0],
                Some(0),
            ));
        }
    }
    let s = score(&input(
        vec![square("z", 0.0, 10.0, Some(target()))],
        vec![],
        p,
    ))
    .expect("valid");
    let z = &s.zones[0];
    assert_eq!(sub(z, M::HotSpots), Some(0.0));
    assert!(z.score.unwrap_or(0.0) >= PASS_MARK, "score {:?}", z.score);
    assert!(!z.passed);
    assert!(M::HotSpots.is_critical() && !M::TiltDeg.is_critical());
}

#[test]
fn time_off_the_plan_is_charged_to_the_zone_the_pen_was_working() {
    // 4 s on the planned zone a, then 1 s on the skin in zone c (not planned), then back on a
    // for 1 s: 1 s of strays against 5 s in a ≈ 1/6, 0.147 over the band's 0.02 of 0.1 → 0
    let mut samples = Vec::new();
    for ms in 0..6000u64 {
        let x = if (4000..5000).contains(&ms) {
            55.0
        } else {
            5.0
        };
        samples.push(sample(ms, [x, 5.0]));
    }
    let zones = vec![
        square("a", 0.0, 10.0, Some(target())),
        square("c", 50.0, 10.0, None),
    ];
    let s = score(&input(zones, samples, vec![])).expect("valid");
    // the stray lasts 4.000–4.999 s; a holds 5000 samples of 1 ms
    close(
        value(&s.zones[0], M::Strays),
        0.999 / (0.999 + 5.0),
        "stray share",
    );
    assert_eq!(sub(&s.zones[0], M::Strays), Some(0.0));
    assert!(!s.zones[0].passed, "strays are critical");
}
