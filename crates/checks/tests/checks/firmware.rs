//! Stroke frequency while loaded, motor stop after a fault, motion in fault, expected faults.

use crate::support::{Synth, clean, close, expect, not_passed, verdict};
use needlebench_checks::Outcome;
use needlebench_recording::{
    EventKind, EventRow, EventSource, FaultCode, FirmwareState, PunctureRow,
};
use needlebench_scenario::Expect;

#[test]
fn stroke_frequency_off_target_while_loaded_is_acceptable_then_fails() {
    for (hz, outcome) in [(110.0f32, Outcome::Acceptable), (100.0, Outcome::Fail)] {
        let mut s = clean();
        s.ticks(2_000_000, 2_300_000, |r| r.stroke_hz = hz);
        let v = verdict(&s.check(&expect()), "firmware.stroke_hz").clone();
        assert_eq!(v.outcome, outcome, "{hz} Hz");
        assert!(
            close(v.actual, (120.0 - f64::from(hz)) / 120.0 * 100.0),
            "{}",
            v.actual
        );
        let at = v.first_failure.expect("where");
        assert_eq!(at.t_us, Some(2_000_000));
        assert_eq!(at.x_mm, Some(f64::from((2000 % 800) as f32 / 100.0)));
    }
}

#[test]
fn stroke_frequency_is_not_judged_during_soft_start_contact_settling_or_idle() {
    let mut s = clean();
    // motor starts at 0.1 s: the first 0.5 s are soft start
    s.ticks(100_000, 599_000, |r| r.stroke_hz = 40.0);
    // contact lost at 1.5 s and back at 1.6 s: 0.2 s of settling
    s.ticks(1_500_000, 1_600_000, |r| r.skin_contact = false);
    s.ticks(1_500_000, 1_799_000, |r| r.stroke_hz = 150.0);
    // idle at the end: the motor runs down
    s.ticks(2_800_000, 3_000_000, |r| {
        r.state = FirmwareState::Idle;
        r.stroke_hz = 0.0;
    });
    let report = s.check(&expect());
    assert_eq!(not_passed(&report), vec![]);
    assert!(close(verdict(&report, "firmware.stroke_hz").actual, 0.0));
    // one more tick of 150 Hz right after settling is judged
    s.ticks(1_800_000, 1_900_000, |r| r.stroke_hz = 150.0);
    let v = verdict(&s.check(&expect()), "firmware.stroke_hz").clone();
    assert_eq!(v.outcome, Outcome::Fail);
    assert!(close(v.actual, 25.0), "{}", v.actual);
}

/// A `code` fault raised at 1.5 s; the firmware cuts the duty `stop_ms` later and latches
/// the fault to the end.
fn faulted(code: FaultCode, stop_ms: u64) -> Synth {
    let mut s = clean();
    s.events.push(EventRow {
        t_us: 1_500_000,
        tick: 1500,
        source: EventSource::Firmware,
        kind: EventKind::FaultRaised,
        code: code.name().into(),
        detail: String::new(),
    });
    s.ticks(1_500_000, 3_000_000, |r| {
        r.state = FirmwareState::Fault;
        r.fault = code;
    });
    s.ticks(1_500_000 + stop_ms * 1000, 3_000_000, |r| {
        r.motor_duty = 0.0;
        r.stroke_hz = 0.0;
    });
    s
}

fn stall_expected() -> Expect {
    Expect {
        faults: vec![FaultCode::Stall],
        ..expect()
    }
}

#[test]
fn the_motor_stop_time_after_a_fault_is_measured() {
    let report = faulted(FaultCode::Stall, 80).check(&stall_expected());
    let v = verdict(&report, "firmware.fault_stop");
    assert_eq!((v.outcome, v.actual), (Outcome::Pass, 80.0));
    assert_eq!(not_passed(&report), vec![]);
    assert!(
        report
            .markers
            .iter()
            .any(|m| m.kind == EventKind::FaultRaised && m.label == "stall")
    );
    assert!(
        report
            .firmware_log
            .iter()
            .any(|l| l.contains("fault_raised stall"))
    );

    let report = faulted(FaultCode::Stall, 150).check(&stall_expected());
    let v = verdict(&report, "firmware.fault_stop");
    assert_eq!((v.outcome, v.actual), (Outcome::Fail, 150.0));
    assert_eq!(v.first_failure.and_then(|w| w.t_us), Some(1_500_000));
    assert_eq!(
        not_passed(&report),
        vec![("firmware.fault_stop", Outcome::Fail)]
    );
}

#[test]
fn a_motor_that_never_stops_fails() {
    let mut s = faulted(FaultCode::Stall, 0);
    s.ticks(1_500_000, 3_000_000, |r| r.motor_duty = 0.6);
    let v = verdict(&s.check(&stall_expected()), "firmware.fault_stop").clone();
    assert_eq!(v.outcome, Outcome::Fail);
    assert!(
        v.actual.is_infinite() && v.actual_text.starts_with("never stopped"),
        "{v:?}"
    );
}

#[test]
fn punctures_after_the_coast_grace_in_fault_fail() {
    let mut s = faulted(FaultCode::Stall, 10);
    let template = s.punctures[0];
    // 0.3 s after the fault: the rotor is still coasting
    s.punctures.push(PunctureRow {
        t_us: 1_800_000,
        ..template
    });
    let report = s.check(&stall_expected());
    assert_eq!(
        verdict(&report, "firmware.no_motion_in_fault").outcome,
        Outcome::Pass
    );
    // 0.7 s after: motion in fault
    s.punctures.push(PunctureRow {
        t_us: 2_200_000,
        x_mm: 3.25,
        ..template
    });
    s.punctures.push(PunctureRow {
        t_us: 2_300_000,
        ..template
    });
    let v = verdict(&s.check(&stall_expected()), "firmware.no_motion_in_fault").clone();
    assert_eq!((v.outcome, v.actual), (Outcome::Fail, 2.0));
    let at = v.first_failure.expect("where");
    assert_eq!((at.t_us, at.x_mm), (Some(2_200_000), Some(3.25)));
}

#[test]
fn unexpected_and_missing_faults_fail() {
    let report = faulted(FaultCode::OverCurrent, 10).check(&stall_expected());
    let v = verdict(&report, "firmware.expected_faults");
    assert_eq!(v.outcome, Outcome::Fail);
    assert_eq!(v.actual_text, "{over_current}; missing stall");
    assert_eq!(v.expected, "{stall}");
    assert_eq!(v.first_failure.and_then(|w| w.t_us), Some(1_500_000));
    // a stall expected that never came
    let v = verdict(
        &clean().check(&stall_expected()),
        "firmware.expected_faults",
    )
    .clone();
    assert_eq!(
        (v.outcome, v.actual_text.as_str()),
        (Outcome::Fail, "none; missing stall")
    );
    // a fault latched in the telemetry without an event still counts
    let mut s = clean();
    s.ticks(2_000_000, 2_100_000, |r| r.fault = FaultCode::LowBattery);
    let v = verdict(&s.check(&expect()), "firmware.expected_faults").clone();
    assert_eq!((v.outcome, v.actual), (Outcome::Fail, 1.0));
}

#[test]
fn the_frequency_collapse_that_precedes_a_stall_is_not_a_stroke_failure() {
    // the cam slows from 1.2 s and the firmware latches the stall at 1.5 s
    let mut s = faulted(FaultCode::Stall, 0);
    s.ticks(1_200_000, 1_500_000, |r| r.stroke_hz = 30.0);
    let report = s.check(&stall_expected());
    assert_eq!(not_passed(&report), vec![]);
    // the same collapse 0.6 s before the fault is judged
    let mut s = faulted(FaultCode::Stall, 0);
    s.ticks(800_000, 900_000, |r| r.stroke_hz = 30.0);
    let v = verdict(&s.check(&stall_expected()), "firmware.stroke_hz").clone();
    assert_eq!(v.outcome, Outcome::Fail);
    assert!(close(v.actual, 75.0), "{}", v.actual);
}
