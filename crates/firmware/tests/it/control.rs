//! Closed-loop speed control against the plant model.

use needlebench_firmware::{FaultCode, FirmwareState};
use needlebench_protocol::buttons;

use crate::plant::Bench;

/// Settling allowed after a start before steady state is judged, ms.
const SETTLE_MS: u32 = 1000;
/// Stated recovery bound after a +50 % load step: back within ±1 % of the level, ms.
const LOAD_STEP_RECOVERY_MS: f64 = 150.0;

#[test]
fn pi_holds_every_speed_level_within_3_percent() {
    for level in 1..=6u8 {
        let mut bench = Bench::new();
        bench.start_at(level);
        bench.run_ms(SETTLE_MS);
        let from_s = bench.now_s();
        bench.run_ms(1000);
        let target_hz = f64::from(bench.fw.config().level_hz(level));
        let mean_hz = bench.plant.mean_hz(from_s, bench.now_s());
        assert!(
            (mean_hz - target_hz).abs() <= 0.03 * target_hz,
            "level {level}: mean {mean_hz:.2} Hz vs {target_hz} Hz"
        );
        for (t_s, hz) in bench.plant.stroke_hz(from_s, bench.now_s()) {
            assert!(
                (hz - target_hz).abs() <= 0.03 * target_hz,
                "level {level}: stroke ending at {t_s:.4} s ran at {hz:.2} Hz"
            );
        }
        assert_eq!(bench.fw.state(), FirmwareState::Running);
    }
}

#[test]
fn speed_recovers_within_bound_after_50_percent_load_step() {
    let mut bench = Bench::new();
    bench.start_at(3);
    bench.run_ms(SETTLE_MS);
    let target_hz = f64::from(bench.fw.config().level_hz(3));
    let step_s = bench.now_s();
    bench.plant.load_nm *= 1.5;
    bench.run_ms(1000);
    let strokes = bench.plant.stroke_hz(step_s, bench.now_s());
    let worst_hz = strokes.iter().map(|&(_, hz)| hz).fold(f64::MAX, f64::min);
    // Recovered = the last stroke outside ±1 % ends before the bound.
    let last_outside_s = strokes
        .iter()
        .filter(|&&(_, hz)| (hz - target_hz).abs() > 0.01 * target_hz)
        .map(|&(t, _)| t)
        .fold(step_s, f64::max);
    let recovery_ms = (last_outside_s - step_s) * 1000.0;
    assert!(
        worst_hz < 0.985 * target_hz,
        "the step must disturb the speed for this test to mean anything (worst {worst_hz:.1})"
    );
    assert!(
        recovery_ms <= LOAD_STEP_RECOVERY_MS,
        "recovered after {recovery_ms:.0} ms (dip to {worst_hz:.1} Hz)"
    );
    assert_eq!(bench.fw.fault(), FaultCode::None);
}

#[test]
fn anti_windup_bounds_overshoot_after_saturation_ends() {
    let mut bench = Bench::new();
    bench.start_at(6);
    bench.run_ms(SETTLE_MS);
    let nominal_load = bench.plant.load_nm;
    // Heavy pressure: the motor cannot reach 150 Hz even at full duty, but is no stall.
    bench.plant.load_nm = 3.0e-3;
    bench.run_ms(1000);
    let saturated = bench.records[bench.records.len() - 500..]
        .iter()
        .all(|r| r.out.motor_duty_permille == 1000);
    assert!(saturated, "the heavy load must saturate the drive");
    let release_s = bench.now_s();
    bench.plant.load_nm = nominal_load;
    bench.run_ms(1000);
    let peak_hz = bench
        .plant
        .stroke_hz(release_s, bench.now_s())
        .iter()
        .map(|&(_, hz)| hz)
        .fold(0.0, f64::max);
    assert!(peak_hz <= 150.0 * 1.05, "overshoot to {peak_hz:.1} Hz");
    assert_eq!(bench.fw.fault(), FaultCode::None);
}

#[test]
fn soft_start_ramps_setpoint_over_300_ms_and_limits_inrush() {
    let mut bench = Bench::new();
    bench.press(buttons::POWER);
    for _ in 1..6 {
        bench.press(buttons::SPEED_UP);
    }
    let start_tick = bench.records.len();
    // Setpoint after each tick from the start press on (index 0 = the press tick).
    let mut setpoints_hz = Vec::new();
    for k in 0..600 {
        bench.buttons = if k == 0 { buttons::POWER } else { 0 };
        bench.step();
        setpoints_hz.push(bench.fw.setpoint_hz());
    }
    let slope_hz_per_tick = 150.0 / 300.0;
    // The setpoint after tick k of the start (k = 0 is the press tick) is (k+1)·slope.
    assert!(
        (setpoints_hz[149] - 150.0 * slope_hz_per_tick).abs() < 0.5,
        "{}",
        setpoints_hz[149]
    );
    assert!(setpoints_hz[298] < 150.0, "ramp ended early");
    assert!(
        (setpoints_hz[299] - 150.0).abs() < 1e-3,
        "ramp not done at 300 ms"
    );
    assert!(setpoints_hz.windows(2).skip(1).all(|w| w[1] >= w[0]));
    let peak_current_ma = bench.records[start_tick..]
        .iter()
        .map(|r| r.sensors.motor_current_ma)
        .max()
        .unwrap_or(0);
    assert!(peak_current_ma < 1500, "inrush peak {peak_current_ma} mA");
    let reached_hz = bench.plant.mean_hz(bench.now_s() - 0.2, bench.now_s());
    assert!(
        (reached_hz - 150.0).abs() < 4.5,
        "after the soft start: {reached_hz:.1} Hz"
    );
}

#[test]
fn identical_runs_give_identical_frames() {
    let run = || {
        let mut bench = Bench::new();
        bench.start_at(5);
        bench.run_ms(300);
        bench.plant.load_nm *= 1.5;
        bench.run_ms(300);
        bench.records.iter().map(|r| r.out).collect::<Vec<_>>()
    };
    let first = run();
    assert!(first.iter().any(|o| o.motor_duty_permille > 0));
    assert_eq!(first, run());
}
