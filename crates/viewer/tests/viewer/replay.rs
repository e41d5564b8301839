use needlebench_viewer::replay::{ReplayClock, SPEED_PRESETS, Step, format_time, parse_time};
use needlebench_viewer::violations::{Violation, Violations};

fn violations(times: &[u64]) -> Violations {
    Violations::new(
        times
            .iter()
            .map(|&t_us| Violation {
                t_us,
                pos_mm: None,
                criterion: "x".into(),
                label: String::new(),
            })
            .collect(),
    )
}

#[test]
fn plays_at_speed_and_stops_at_the_end() {
    let mut c = ReplayClock::new(1_000_000);
    assert!(!c.advance(0.1), "paused clock must not move");
    c.toggle();
    assert!(c.advance(0.25));
    assert_eq!(c.t_us(), 250_000);
    c.set_speed_index(ReplayClock::DEFAULT_SPEED + 1); // 2×
    assert!((c.speed() - 2.0).abs() < 1e-12);
    c.advance(0.25);
    assert_eq!(c.t_us(), 750_000);
    c.advance(10.0);
    assert_eq!(c.t_us(), 1_000_000);
    assert!(!c.is_playing(), "reaching the end pauses");
    c.toggle();
    assert_eq!(c.t_us(), 0, "playing from the end restarts");
}

#[test]
fn slow_speeds_carry_fractions() {
    let mut c = ReplayClock::new(10_000_000);
    c.set_speed_index(0);
    c.set_playing(true);
    let slowest = SPEED_PRESETS[0];
    for _ in 0..1000 {
        c.advance(1.0 / 1000.0 * 0.7);
    }
    let want = (0.7 * slowest * 1e6).round() as i64;
    assert!(
        (c.t_us() as i64 - want).abs() <= 1,
        "{} vs {want}",
        c.t_us()
    );
}

#[test]
fn loop_wraps_inside_the_range() {
    let mut c = ReplayClock::new(10_000_000);
    c.seek(9_000_000);
    c.set_loop(Some((3_000_000, 2_000_000)));
    assert_eq!(
        c.loop_range(),
        Some((2_000_000, 3_000_000)),
        "reversed range is swapped"
    );
    assert_eq!(c.t_us(), 3_000_000, "cursor moved into the loop");
    c.set_playing(true);
    assert_eq!(
        c.t_us(),
        2_000_000,
        "playing from the loop end restarts at the loop start"
    );
    c.advance(0.5);
    assert_eq!(c.t_us(), 2_500_000);
    c.advance(0.6);
    assert!(c.is_playing(), "a loop keeps playing");
    assert_eq!(c.t_us(), 2_000_000 + 99_999, "wrapped past the end");
    c.set_loop(Some((5, 10)));
    assert_eq!(c.loop_range(), None, "a range under 1 ms clears the loop");
}

#[test]
fn steps_and_seeks_are_exact_and_clamped() {
    let mut c = ReplayClock::new(5_000_000);
    c.set_playing(true);
    c.step(Step::Coarse, true);
    assert!(!c.is_playing(), "stepping pauses");
    assert_eq!(c.t_us(), 1_000_000);
    c.step(Step::Normal, true);
    c.step(Step::Fine, false);
    assert_eq!(c.t_us(), 1_009_000);
    c.step(Step::Coarse, false);
    c.step(Step::Coarse, false);
    assert_eq!(c.t_us(), 0, "clamped at 0");
    c.seek(99_000_000);
    assert_eq!(c.t_us(), 5_000_000, "clamped at the end");
    assert!(c.seek_s(1.234567));
    assert_eq!(c.t_us(), 1_234_567);
    assert!(!c.seek_s(f64::NAN));
    assert!(!c.seek_s(-1.0));
    assert_eq!(c.t_us(), 1_234_567);
}

#[test]
fn jumps_between_violations() {
    let v = violations(&[500, 2_000, 2_000, 9_000]);
    let mut c = ReplayClock::new(10_000);
    assert!(c.next_violation(&v));
    assert_eq!(c.t_us(), 500);
    assert!(c.next_violation(&v));
    assert_eq!(c.t_us(), 2_000);
    assert!(c.next_violation(&v), "equal times are one stop");
    assert_eq!(c.t_us(), 9_000);
    assert!(!c.next_violation(&v));
    assert_eq!(c.t_us(), 9_000, "no move when none is left");
    assert!(c.prev_violation(&v));
    assert_eq!(c.t_us(), 2_000);
    assert!(c.prev_violation(&v));
    assert_eq!(c.t_us(), 500);
    assert!(!c.prev_violation(&v));
}

#[test]
fn time_text_round_trips() {
    assert_eq!(format_time(83_456_789), "1:23.456");
    assert_eq!(parse_time("83.456789"), Some(83_456_789));
    assert_eq!(parse_time("1:23.5"), Some(83_500_000));
    assert_eq!(parse_time(" 250ms "), Some(250_000));
    assert_eq!(parse_time("2s"), Some(2_000_000));
    assert_eq!(parse_time("1:75"), None);
    assert_eq!(parse_time("-1"), None);
    assert_eq!(parse_time("abc"), None);
}
