//! `--against`: metric by metric, who is closer to the band.

use crate::support::{input, sample, square, target};
use needlebench_score::{Closer, MetricName, score};

fn pressing(force_n: f64) -> needlebench_score::Score {
    let samples = (0..2000u64)
        .map(|ms| {
            let mut s = sample(ms, [1.0 + ms as f64 / 1000.0, 5.0]);
            s.force_n = force_n;
            s
        })
        .collect();
    score(&input(
        vec![square("chin", 0.0, 10.0, Some(target()))],
        samples,
        vec![],
    ))
    .expect("valid")
}

#[test]
fn the_one_nearer_the_band_is_closer_and_the_difference_is_trainee_minus_expert() {
    let (trainee, expert) = (pressing(3.5), pressing(2.1));
    let c = needlebench_score::compare(&trainee, &expert);
    let m = c.zones[0]
        .metrics
        .iter()
        .find(|m| m.name == MetricName::ForceN)
        .expect("force compared");
    assert!((m.difference - 1.4).abs() < 1e-9);
    assert_eq!(m.closer, Some(Closer::Expert));
    let tilt = c.zones[0]
        .metrics
        .iter()
        .find(|m| m.name == MetricName::TiltDeg)
        .expect("tilt");
    assert_eq!(tilt.closer, Some(Closer::Same));
    let swapped = needlebench_score::compare(&expert, &trainee);
    let m = swapped.zones[0]
        .metrics
        .iter()
        .find(|m| m.name == MetricName::ForceN)
        .expect("force");
    assert_eq!(m.closer, Some(Closer::Trainee));
    // not applicable on both sides: nobody is closer
    let depth = c.zones[0]
        .metrics
        .iter()
        .find(|m| m.name == MetricName::DepthInRange)
        .expect("depth");
    assert_eq!(depth.closer, None);
}

#[test]
fn zones_planned_on_one_side_only_are_listed_as_not_compared() {
    let a = pressing(2.0);
    let mut b = pressing(2.0);
    b.zones[0].id = "nose".to_owned();
    let c = needlebench_score::compare(&a, &b);
    assert!(c.zones.is_empty());
    assert_eq!(c.unmatched, ["chin", "nose"]);
}
