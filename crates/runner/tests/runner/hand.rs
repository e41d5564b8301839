//! Hand paths and skin variation.

use needlebench_runner::field::ThicknessField;
use needlebench_runner::hand::{HandPath, MotionSpec, Pattern, contains};
use rand::SeedableRng;
use rand_chacha::ChaCha8Rng;

fn rect(w: f64, h: f64) -> Vec<[f64; 2]> {
    vec![[0.0, 0.0], [w, 0.0], [w, h], [0.0, h]]
}

fn spec(pattern: Pattern) -> MotionSpec {
    MotionSpec {
        area: rect(20.0, 10.0),
        pattern,
        glide_mm_s: 10.0,
        passes: 1,
        line_spacing_mm: 2.0,
    }
}

/// Length glided on the skin, mm.
fn on_skin_mm(path: &HandPath) -> f64 {
    path.segments()
        .iter()
        .filter(|s| s.on_skin)
        .map(|s| (s.to_mm[0] - s.from_mm[0]).hypot(s.to_mm[1] - s.from_mm[1]))
        .sum()
}

#[test]
fn straight_passes_cover_the_area_line_by_line_at_the_glide_speed() {
    let path = HandPath::new(&spec(Pattern::Straight { angle_deg: 0.0 }), 1.0);
    // 6 lines 2 mm apart across a 10 mm height, each 20 mm long, plus 5 step-overs of 2 mm.
    let glided = on_skin_mm(&path);
    assert!((glided - (6.0 * 20.0 + 5.0 * 2.0)).abs() < 1e-6, "{glided}");
    for s in path
        .segments()
        .iter()
        .filter(|s| s.on_skin && s.t1_s > s.t0_s)
    {
        let v = (s.to_mm[0] - s.from_mm[0]).hypot(s.to_mm[1] - s.from_mm[1]) / (s.t1_s - s.t0_s);
        assert!((v - 10.0).abs() < 1e-9, "glide speed {v}");
        for p in [s.from_mm, s.to_mm] {
            assert!((-1e-9..=20.0 + 1e-9).contains(&p[0]) && (-1e-9..=10.0 + 1e-9).contains(&p[1]));
        }
    }
    assert!(path.segments()[0].t0_s == 1.0, "starts when told");
}

#[test]
fn crosshatch_glides_in_each_direction_and_passes_repeat() {
    let one = HandPath::new(
        &spec(Pattern::Crosshatch {
            angles_deg: vec![0.0, 90.0],
        }),
        0.0,
    );
    let straight = HandPath::new(&spec(Pattern::Straight { angle_deg: 0.0 }), 0.0);
    let vertical = HandPath::new(&spec(Pattern::Straight { angle_deg: 90.0 }), 0.0);
    let sum = on_skin_mm(&straight) + on_skin_mm(&vertical);
    assert!((on_skin_mm(&one) - sum).abs() < 1e-6);
    let mut three = spec(Pattern::Crosshatch {
        angles_deg: vec![0.0, 90.0],
    });
    three.passes = 3;
    assert!((on_skin_mm(&HandPath::new(&three, 0.0)) - 3.0 * sum).abs() < 1e-6);
}

#[test]
fn spiral_and_stamps_stay_inside_the_area() {
    let tri = vec![[0.0, 0.0], [30.0, 0.0], [15.0, 20.0]];
    for pattern in [
        Pattern::Spiral,
        Pattern::Stamping {
            pitch_mm: 3.0,
            dwell_s: 0.1,
        },
    ] {
        let mut s = spec(pattern);
        s.area = tri.clone();
        let path = HandPath::new(&s, 0.0);
        let on: Vec<_> = path.segments().iter().filter(|s| s.on_skin).collect();
        assert!(on.len() > 10, "the pattern touches the skin");
        for seg in on {
            assert!(contains(&tri, seg.to_mm), "{seg:?} leaves the area");
        }
    }
}

#[test]
fn stamps_dwell_in_place_for_the_given_time() {
    let path = HandPath::new(
        &spec(Pattern::Stamping {
            pitch_mm: 5.0,
            dwell_s: 0.15,
        }),
        0.0,
    );
    let stamps: Vec<_> = path.segments().iter().filter(|s| s.on_skin).collect();
    // A 20 × 10 mm area at 5 mm pitch: 4 × 2 stamps.
    assert_eq!(stamps.len(), 8);
    for s in stamps {
        assert_eq!(s.from_mm, s.to_mm);
        assert!((s.t1_s - s.t0_s - 0.15).abs() < 1e-12);
    }
}

#[test]
fn freehand_follows_waypoint_times() {
    let wps = vec![(0.0, 0.0, 0.0), (1.0, 10.0, 0.0), (3.0, 10.0, 10.0)];
    let mut path = HandPath::new(&spec(Pattern::Freehand { waypoints: wps }), 2.0);
    let at = path.at(2.5);
    assert!((at.pos_mm[0] - 5.0).abs() < 1e-9 && at.on_skin);
    let at = path.at(4.0);
    assert!((at.pos_mm[1] - 5.0).abs() < 1e-9);
    assert!(
        (path.end_s() - 5.2).abs() < 1e-9,
        "3 s of waypoints from t=2, then a 0.2 s lift"
    );
}

#[test]
fn hand_evaluation_is_the_same_forwards_and_after_jumping_back() {
    let mut path = HandPath::new(
        &spec(Pattern::Crosshatch {
            angles_deg: vec![0.0, 45.0],
        }),
        0.0,
    );
    let forward: Vec<_> = (0..5000).map(|i| path.at(f64::from(i) * 0.01)).collect();
    let again: Vec<_> = (0..5000).map(|i| path.at(f64::from(i) * 0.01)).collect();
    assert_eq!(forward, again);
}

#[test]
fn thickness_field_has_the_requested_spread_and_repeats_with_the_seed() {
    let field = ThicknessField::new(0.1, 5.0, &mut ChaCha8Rng::seed_from_u64(7));
    let samples: Vec<f64> = (0..200)
        .flat_map(|i| (0..200).map(move |j| [f64::from(i) * 0.5, f64::from(j) * 0.5]))
        .map(|p| field.factor_at(p))
        .collect();
    let mean = samples.iter().sum::<f64>() / samples.len() as f64;
    let sd =
        (samples.iter().map(|f| (f - mean).powi(2)).sum::<f64>() / samples.len() as f64).sqrt();
    assert!((mean - 1.0).abs() < 0.03, "mean {mean}");
    assert!((0.05..0.15).contains(&sd), "sd {sd}");
    let twin = ThicknessField::new(0.1, 5.0, &mut ChaCha8Rng::seed_from_u64(7));
    assert_eq!(twin.factor_at([3.0, 4.0]), field.factor_at([3.0, 4.0]));
    let flat = ThicknessField::new(0.0, 5.0, &mut ChaCha8Rng::seed_from_u64(7));
    assert_eq!(flat.factor_at([3.0, 4.0]), 1.0);
}
