//! Feedback: which windows are reported, their times and their words.

use crate::support::{input, puncture, rect, sample, square, target};
use needlebench_score::{MetricName, ScoreInput, score};

/// A 120 × 20 mm zone; the pen glides along y = 10 at 10 mm/s for 10 s, then at 2 mm/s for
/// 5 s; 10 punctures land in each of the 3 cells it crosses in the slow part (250 /cm², the
/// plan's density 100 /cm²).
fn slow_then_dense() -> ScoreInput {
    let mut t = target();
    t.density_per_cm2 = 100.0;
    let samples = (0..15_000u64)
        .map(|ms| {
            let s = ms as f64 / 1000.0;
            let x = if s < 10.0 {
                5.0 + 10.0 * s
            } else {
                105.0 + 2.0 * (s - 10.0)
            };
            sample(ms, [x, 10.0])
        })
        .collect();
    let mut p = Vec::new();
    for cell in 0..3u64 {
        for k in 0..10u64 {
            p.push(puncture(
                10_000 + cell * 1600 + k * 10,
                [105.0 + 2.0 * cell as f64, 10.5],
                Some(0),
            ));
        }
    }
    input(vec![rect("left_cheek", 120.0, 20.0, t)], samples, p)
}

#[test]
fn a_slow_window_is_reported_with_its_time_place_speed_and_density() {
    let s = score(&slow_then_dense()).expect("valid");
    let texts: Vec<&str> = s.feedback.iter().map(|f| f.text.as_str()).collect();
    // glide 2 mm/s against 8–12: (8 − 2)/5 = 1.2 zero distances; density 2.5× target:
    // (2.5 − 2)/2 = 0.25; the worst first
    let line = "0:10–0:15, left cheek: glide slowed to 2 mm/s (target 10), density 2.5× target";
    assert!(texts.contains(&line), "{texts:#?}");
    let f = s.feedback.iter().find(|f| f.text == line).expect("line");
    assert_eq!((f.start_us, f.end_us), (Some(10_000_000), Some(14_999_000)));
    assert_eq!(f.zone.as_deref(), Some("left_cheek"));
    assert_eq!(f.issues[0].metric, MetricName::GlideMmS);
    assert!((f.issues[0].severity - 1.2).abs() < 0.01);
    // the first 10 s at the planned speed are not reported on their own
    assert!(
        !texts
            .iter()
            .any(|t| t.starts_with("0:00–0:05") || t.starts_with("0:05–")),
        "{texts:#?}"
    );
}

#[test]
fn zone_totals_below_the_pass_mark_are_one_line_over_the_zone_time() {
    let s = score(&slow_then_dense()).expect("valid");
    let total = s
        .feedback
        .iter()
        .find(|f| f.text.contains("coverage"))
        .expect("a coverage line");
    // 3 of 600 cells punctured
    assert!(
        total.text.starts_with("0:00–0:15, left cheek: "),
        "{}",
        total.text
    );
    assert!(
        total.text.contains("coverage 0% (target ≥ 90%)"),
        "{}",
        total.text
    );
}

#[test]
fn consecutive_deviating_windows_merge_into_one_line() {
    // 12 s pressing 5 N against 2 N: windows 0:00–0:05, 0:05–0:10, 0:10–0:12 make one line
    let samples = (0..12_000u64)
        .map(|ms| {
            let mut s = sample(ms, [5.0 + ms as f64 / 100.0, 10.0]);
            s.force_n = 5.0;
            s
        })
        .collect();
    let s = score(&input(
        vec![rect("forehead", 200.0, 20.0, target())],
        samples,
        vec![],
    ))
    .expect("valid");
    let lines: Vec<&str> = s
        .feedback
        .iter()
        .map(|f| f.text.as_str())
        .filter(|t| t.contains("pressed"))
        .collect();
    assert_eq!(
        lines,
        ["0:00–0:12, forehead: pressed too hard: 5 N (target 2)"]
    );
}

#[test]
fn a_rest_of_the_pen_is_reported_where_and_when_it_happened() {
    // 1 s gliding, 0.5 s lifted, then still at (30, 5) from 1.5 s to 4.05 s
    let samples = (0..4050u64)
        .map(|ms| {
            let mut s = sample(
                ms,
                if ms < 1500 {
                    [1.0 + ms as f64 / 100.0, 5.0]
                } else {
                    [30.0, 5.0]
                },
            );
            s.skin_contact = !(1000..1500).contains(&ms);
            s
        })
        .collect();
    let s = score(&input(
        vec![rect("chin", 40.0, 10.0, target())],
        samples,
        vec![],
    ))
    .expect("valid");
    let texts: Vec<&str> = s.feedback.iter().map(|f| f.text.as_str()).collect();
    // kept samples 1.50 … 4.00 s: 2.5 s
    assert!(
        texts.contains(&"0:01–0:04, chin: pen rested 2.5 s in one spot (tram-track risk)"),
        "{texts:#?}"
    );
}

#[test]
fn a_pen_straying_outside_the_plan_is_named_by_place_and_time() {
    // on the skin: 1 s in the unplanned right periorbital zone (3–4 s), 0.2 s outside every
    // zone (61 s, too short to report), 1 s outside every zone (70–71 s)
    let mut samples = Vec::new();
    for ms in 3000..=4000u64 {
        samples.push(sample(ms, [55.0, 5.0]));
    }
    for ms in (61_000..=61_200u64).chain(70_000..=71_000) {
        samples.push(sample(ms, [99.0, 99.0]));
    }
    let p = vec![
        puncture(3_000, [55.0, 5.0], Some(1)),
        puncture(3_500, [56.0, 5.0], Some(1)),
        // a needle at the edge of a cartridge, the pen elsewhere: not a stray
        puncture(50_000, [57.0, 5.0], Some(1)),
    ];
    let zones = vec![
        square("forehead", 0.0, 10.0, Some(target())),
        square("right_periorbital", 50.0, 10.0, None),
    ];
    let s = score(&input(zones, samples, p)).expect("valid");
    let texts: Vec<&str> = s.feedback.iter().map(|f| f.text.as_str()).collect();
    assert_eq!(
        texts,
        [
            "0:03–0:04, right periorbital: pen on the skin 1 s in a zone the plan leaves out \
             (2 punctures)",
            "1:10–1:11, outside every zone: pen on the skin 1 s (0 punctures)",
            // untimed last: the forehead was never treated
            "forehead: not treated (planned 10 s)",
        ]
    );
}

#[test]
fn rests_less_than_a_window_apart_share_one_line() {
    // three rests of 1.5 s at x = 10, 20, 30 mm, 1 s of gliding between them
    let samples = (0..7500u64)
        .map(|ms| {
            let (k, r) = (ms / 2500, ms % 2500);
            let x = 10.0 * (k + 1) as f64
                + if r < 1500 {
                    0.0
                } else {
                    (r - 1500) as f64 / 100.0
                };
            sample(ms, [x, 5.0])
        })
        .collect();
    let s = score(&input(
        vec![rect("chin", 60.0, 10.0, target())],
        samples,
        vec![],
    ))
    .expect("valid");
    let rests: Vec<&str> = s
        .feedback
        .iter()
        .map(|f| f.text.as_str())
        .filter(|t| t.contains("rested"))
        .collect();
    assert_eq!(rests.len(), 1, "{rests:#?}");
    assert!(
        rests[0].starts_with("0:00–0:07, chin: pen rested 3 times, "),
        "{rests:#?}"
    );
}
