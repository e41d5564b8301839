//! The design-verification criteria (`verify.*`) on hand-computed recordings.

use crate::support::{Synth, clean, close, expect, verdict};
use needlebench_checks::Outcome;
use needlebench_recording::{EventKind, EventRow, EventSource, FaultCode, FirmwareState};
use needlebench_scenario::Expect;

fn verifying() -> Expect {
    Expect {
        verification: true,
        ..expect()
    }
}

/// The clean recording with a cam: 8 ticks per stroke, the apex in every tick `t % 8 == 4`
/// (`apex(t)` µm), the flanks below it.
fn strokes(apex: impl Fn(u64) -> f32) -> Synth {
    let mut s = clean();
    for r in &mut s.telemetry {
        let t = u64::from(r.tick);
        r.needle_peak_um = match t % 8 {
            4 => apex(t),
            k if k < 4 => 100.0 * k as f32,
            k => 100.0 * (8 - k) as f32,
        };
    }
    s
}

/// Apex ticks while running (from tick 100, the last judged one 2996): k = 0‥362.
const STROKES: f64 = 363.0;

#[test]
fn depth_setting_reports_mean_sd_and_worst_of_every_stroke_apex() {
    // apexes alternate 450 / 550 µm around the 500 µm setting: 182 at 450, 181 at 550
    let s = strokes(|t| if (t / 8) % 2 == 0 { 450.0 } else { 550.0 });
    let report = s.check(&verifying());
    let v = verdict(&report, "verify.depth_setting");
    assert_eq!(v.outcome, Outcome::Pass);
    let m = &v.metrics;
    assert_eq!(m["strokes"], STROKES);
    let p = 182.0 / STROKES;
    assert!(close(
        m["mean_um"],
        (182.0 * 450.0 + 181.0 * 550.0) / STROKES
    ));
    assert!(
        (m["sd_um"] - 100.0 * (p * (1.0 - p)).sqrt()).abs() < 1e-6,
        "{}",
        m["sd_um"]
    );
    assert_eq!((m["min_um"], m["max_um"]), (450.0, 550.0));
    assert!(close(v.actual, 50.0));
    // a tolerance of 40 µm fails it, at the first stroke (tick 100: 450 µm)
    let tight = Expect {
        exposure_tolerance_um: 40.0,
        ..verifying()
    };
    let v = verdict(&s.check(&tight), "verify.depth_setting").clone();
    assert_eq!(v.outcome, Outcome::Fail);
    assert_eq!(v.first_failure.and_then(|w| w.t_us), Some(100_000));
}

#[test]
fn an_over_driving_pen_fails_depth_setting_and_max_depth() {
    // 700 µm apexes between 1.0 and 1.1 s: 200 µm past the setting and past a 600 µm label
    let s = strokes(|t| {
        if (1000..1100).contains(&t) {
            700.0
        } else {
            500.0
        }
    });
    let e = Expect {
        labelled_max_exposure_um: 600.0,
        ..verifying()
    };
    let report = s.check(&e);
    let depth = verdict(&report, "verify.depth_setting");
    assert_eq!(depth.outcome, Outcome::Fail);
    assert!(close(depth.actual, 200.0));
    assert_eq!(depth.first_failure.and_then(|w| w.t_us), Some(1_004_000));
    let max = verdict(&report, "verify.max_depth");
    assert_eq!(max.outcome, Outcome::Fail);
    assert_eq!(max.actual, 700.0);
    // the apexes at ticks 1004, 1012, …, 1092: 12 ticks beyond the label
    assert_eq!(max.metrics["ticks_over_max"], 12.0);
    assert_eq!(max.first_failure.and_then(|w| w.t_us), Some(1_004_000));
    // the same run against the default 2.5 mm label keeps the maximum
    assert_eq!(
        verdict(&s.check(&verifying()), "verify.max_depth").outcome,
        Outcome::Pass
    );
}

#[test]
fn a_recording_without_needle_peak_um_has_nothing_to_judge_for_depth() {
    let mut s = clean();
    s.ticks(0, u64::MAX, |r| r.needle_peak_um = f32::NAN);
    let report = s.check(&verifying());
    for c in ["verify.depth_setting", "verify.max_depth"] {
        let v = verdict(&report, c);
        assert_eq!(v.outcome, Outcome::NotApplicable, "{c}");
        assert!(v.actual_text.contains("not recorded"), "{}", v.actual_text);
    }
}

#[test]
fn max_depth_without_a_full_stroke_has_nothing_to_judge() {
    // the needle recorded but never at an apex (a motor that never turned): no stroke
    let mut s = clean();
    s.ticks(0, u64::MAX, |r| r.needle_peak_um = 0.0);
    let v = verdict(&s.check(&verifying()), "verify.max_depth").clone();
    assert_eq!(v.outcome, Outcome::NotApplicable, "{}", v.actual_text);
    assert!(
        v.actual_text.contains("no full stroke"),
        "{}",
        v.actual_text
    );
}

#[test]
fn verification_criteria_appear_only_when_the_scenario_asks() {
    let report = strokes(|_| 500.0).check(&expect());
    assert!(
        !report
            .verdicts
            .iter()
            .any(|v| v.criterion.starts_with("verify."))
    );
}

#[test]
fn stroke_rate_has_no_acceptable_band_and_reports_the_battery() {
    let report = clean().check(&verifying());
    let v = verdict(&report, "verify.stroke_rate");
    assert_eq!(v.outcome, Outcome::Pass);
    assert_eq!(v.metrics["mean_hz"], 120.0);
    assert_eq!(v.metrics["battery_start_mv"], 4000.0);
    // 110 Hz for 0.3 s: 8.3 % off, which firmware.stroke_hz calls acceptable
    let mut s = clean();
    s.ticks(2_000_000, 2_300_000, |r| r.stroke_hz = 110.0);
    let report = s.check(&verifying());
    assert_eq!(
        verdict(&report, "firmware.stroke_hz").outcome,
        Outcome::Acceptable
    );
    let v = verdict(&report, "verify.stroke_rate");
    assert_eq!(v.outcome, Outcome::Fail);
    assert!(close(
        v.metrics["worst_block_deviation_pct"],
        10.0 / 120.0 * 100.0
    ));
}

/// The clean run with `fault` raised at `raised_us` and the duty cut at `stopped_us`.
fn faulted(fault: FaultCode, raised_us: u64, stopped_us: u64) -> Synth {
    let mut s = clean();
    s.events.push(EventRow::fault(
        raised_us / 1000,
        raised_us,
        EventKind::FaultRaised,
        fault,
    ));
    s.ticks(raised_us, u64::MAX, |r| {
        r.state = FirmwareState::Fault;
        r.fault = fault;
    });
    s.ticks(stopped_us, u64::MAX, |r| {
        r.motor_duty = 0.0;
        r.stroke_hz = 0.0;
    });
    s
}

fn injected(s: &mut Synth, at_us: u64, kind: EventKind) {
    s.events.push(EventRow::at_tick(
        at_us / 1000,
        at_us,
        EventSource::Injected,
        kind,
    ));
    s.events.sort_by_key(|e| e.t_us);
}

#[test]
fn a_fault_detected_late_fails_fault_response() {
    // link_loss: 10 ticks, + 1 tick transit = 11 ms after the injected link_drop
    for (raised_ms, outcome) in [
        (1510, Outcome::Pass),
        (1511, Outcome::Pass),
        (1530, Outcome::Fail),
    ] {
        let mut s = faulted(FaultCode::LinkLoss, raised_ms * 1000, raised_ms * 1000);
        injected(&mut s, 1_500_000, EventKind::LinkDrop);
        let report = s.check(&verifying());
        let v = verdict(&report, "verify.fault_response");
        assert_eq!(v.outcome, outcome, "raised at {raised_ms} ms");
        assert_eq!(v.metrics["link_loss.detect_ms"], (raised_ms - 1500) as f64);
        assert_eq!(v.metrics["link_loss.detect_bound_ms"], 11.0);
        assert_eq!(v.metrics["link_loss.stop_ms"], 0.0);
    }
}

#[test]
fn a_motor_that_keeps_running_after_detection_fails_fault_response() {
    let mut s = faulted(FaultCode::CartridgeAbsent, 1_500_000, 1_505_000);
    injected(&mut s, 1_500_000, EventKind::CartridgeRemoved);
    let v = verdict(&s.check(&verifying()), "verify.fault_response").clone();
    assert_eq!(v.outcome, Outcome::Fail);
    assert_eq!(v.metrics["cartridge_absent.stop_ms"], 5.0);
    assert_eq!(v.metrics["cartridge_absent.stop_bound_ms"], 1.0);
    assert!(
        v.actual_text.contains("stopped 5 ms after"),
        "{}",
        v.actual_text
    );
}

#[test]
fn over_current_is_timed_from_the_first_sample_over_the_limit() {
    // 5 samples over 2500 mA: detection at the 5th is 4 ms after the first (bound 5 + 1)
    for (raised_us, outcome) in [(1_504_000, Outcome::Pass), (1_510_000, Outcome::Fail)] {
        let mut s = faulted(FaultCode::OverCurrent, raised_us, raised_us);
        s.ticks(1_500_000, raised_us, |r| r.motor_current_ma = 2600.0);
        let v = verdict(&s.check(&verifying()), "verify.fault_response").clone();
        assert_eq!(v.outcome, outcome);
        assert_eq!(
            v.metrics["over_current.detect_ms"],
            (raised_us - 1_500_000) as f64 / 1000.0
        );
    }
}

#[test]
fn an_expected_fault_never_raised_fails_and_no_fault_is_not_applicable() {
    assert_eq!(
        verdict(&clean().check(&verifying()), "verify.fault_response").outcome,
        Outcome::NotApplicable
    );
    let e = Expect {
        faults: vec![FaultCode::Stall],
        ..verifying()
    };
    let v = verdict(&clean().check(&e), "verify.fault_response").clone();
    assert_eq!(v.outcome, Outcome::Fail);
    assert!(
        v.actual_text.contains("stall was never detected"),
        "{}",
        v.actual_text
    );
}

#[test]
fn the_firmware_bounds_follow_its_configuration_and_expect_overrides_them() {
    let b = needlebench_checks::verification::bounds(&[(FaultCode::Stall, 150.0)]);
    let of = |f: FaultCode| b.iter().find(|x| x.fault == f).and_then(|x| x.detect_ms);
    assert_eq!(of(FaultCode::Stall), Some(150.0));
    assert_eq!(of(FaultCode::OverCurrent), Some(5.0));
    assert_eq!(of(FaultCode::LinkLoss), Some(10.0));
    assert_eq!(of(FaultCode::LowBattery), Some(50.0));
    assert_eq!(of(FaultCode::CartridgeAbsent), Some(0.0));
    assert_eq!(of(FaultCode::Watchdog), None);
    assert_eq!(b.len(), FaultCode::ALL.len() - 1);
}

#[test]
fn cartridge_expiry_is_timed_from_the_running_time_reaching_the_limit() {
    // running from 0.1 s: the 1 s limit is reached in the tick at 1.099 s (the 1000th)
    for (raised_us, outcome) in [(1_099_000, Outcome::Pass), (1_200_000, Outcome::Fail)] {
        let s = faulted(FaultCode::CartridgeExpired, raised_us, raised_us);
        let e = Expect {
            cartridge_limit_s: Some(1.0),
            ..verifying()
        };
        let v = verdict(&s.check(&e), "verify.fault_response").clone();
        assert_eq!(v.outcome, outcome, "raised at {raised_us} µs");
        assert_eq!(
            v.metrics["cartridge_expired.detect_ms"],
            (raised_us - 1_099_000) as f64 / 1000.0
        );
    }
}

#[test]
fn a_fault_without_an_observed_trigger_is_not_timed_and_says_so() {
    // a stall raised while the telemetry shows the motor at speed (e.g. a stuck hall sensor)
    let s = faulted(FaultCode::Stall, 1_500_000, 1_500_000);
    let v = verdict(&s.check(&verifying()), "verify.fault_response").clone();
    assert_eq!(v.outcome, Outcome::Pass, "the stop is judged");
    assert_eq!(v.metrics["stall.detect_untimed"], 1.0);
    assert!(!v.metrics.contains_key("stall.detect_ms"));
    assert!(v.actual_text.contains("not timed"), "{}", v.actual_text);
}
