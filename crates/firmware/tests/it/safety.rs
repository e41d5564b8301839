//! Every safety item held to its timing bound.

use needlebench_firmware::{FaultCode, Firmware, FirmwareConfig, FirmwareState};
use needlebench_protocol::{CartridgeInfo, Event, SensorFrame, buttons};

use crate::plant::{Bench, Record};

/// A healthy sensor frame for direct (plant-less) tests.
pub fn healthy(tick: u32) -> SensorFrame {
    SensorFrame {
        tick,
        motor_current_ma: 500,
        hall_period_us: 6_667,
        battery_mv: 3_900,
        depth_um: 1_000,
        buttons: 0,
        cartridge: CartridgeInfo {
            present: true,
            id: 77,
            needle_count: 36,
        },
        skin_contact: true,
    }
}

/// Index of the first record from `from` on that satisfies `pred`.
fn first(records: &[Record], from: usize, pred: impl Fn(&Record) -> bool) -> Option<usize> {
    records[from..].iter().position(pred).map(|i| i + from)
}

/// The index of the first tick whose output carries `code`, after `from`.
fn fault_tick(bench: &Bench, from: usize, code: FaultCode) -> usize {
    first(&bench.records, from, |r| r.out.fault == code).unwrap_or_else(|| {
        panic!(
            "{code:?} was not raised; final fault {:?}",
            bench.fw.fault()
        )
    })
}

/// Runs until `code` is latched or `max_ms` passed.
fn run_until_fault(bench: &mut Bench, max_ms: u32) {
    for _ in 0..max_ms {
        if bench.step().fault != FaultCode::None {
            return;
        }
    }
}

#[test]
fn stall_stops_motor_within_100_ms_of_speed_collapse() {
    let mut bench = Bench::new();
    // A tired battery keeps the locked-ish current below the over-current cut-off, so the
    // stall monitor (not over-current) must catch it.
    bench.plant.battery_ocv_v = 3.7;
    bench.plant.battery_r_ohm = 0.15;
    bench.start_at(6);
    bench.run_ms(1000);
    let pressed_from = bench.records.len();
    bench.plant.load_nm = 6.0e-3; // pressing hard: the motor bogs down to ~45 Hz at full duty
    run_until_fault(&mut bench, 2000);
    let tripped = fault_tick(&bench, pressed_from, FaultCode::Stall);
    // Collapse: the first frame whose measured frequency is below 40 % of the 150 Hz setpoint.
    let collapsed = first(&bench.records, pressed_from, |r| {
        r.sensors.hall_period_us == 0 || 1e6 / f64::from(r.sensors.hall_period_us) < 60.0
    })
    .expect("the speed collapsed");
    assert!(
        tripped - collapsed < 100,
        "stall tripped {} ticks after the collapse",
        tripped - collapsed
    );
    assert_eq!(bench.records[tripped].out.motor_duty_permille, 0);
    assert!(
        bench.records[pressed_from..tripped]
            .iter()
            .all(|r| r.sensors.motor_current_ma <= 2500)
    );
    assert_eq!(bench.fw.state(), FirmwareState::Fault);
}

#[test]
fn over_current_cuts_motor_within_5_ms() {
    let mut bench = Bench::new();
    bench.plant.battery_ocv_v = 4.1;
    bench.start_at(6);
    bench.run_ms(1000);
    let locked_from = bench.records.len();
    bench.plant.load_nm = 50.0e-3; // locked rotor
    run_until_fault(&mut bench, 500);
    let tripped = fault_tick(&bench, locked_from, FaultCode::OverCurrent);
    let over = first(&bench.records, locked_from, |r| {
        r.sensors.motor_current_ma > 2500
    })
    .expect("current rose above the cut-off");
    assert!(
        tripped - over <= 4,
        "tripped {} ms after the first sample over",
        tripped - over
    );
    assert_eq!(bench.records[tripped].out.motor_duty_permille, 0);
}

#[test]
fn over_current_ignores_a_4_ms_spike() {
    let mut bench = Bench::new();
    bench.start_at(6);
    bench.run_ms(500);
    bench.extra_current_ma = 2500;
    bench.run_ms(4);
    bench.extra_current_ma = 0;
    bench.run_ms(100);
    assert_eq!(bench.fw.fault(), FaultCode::None);
    bench.extra_current_ma = 2500;
    bench.run_ms(5);
    assert_eq!(bench.fw.fault(), FaultCode::OverCurrent);
    assert_eq!(bench.records.last().unwrap().out.motor_duty_permille, 0);
}

#[test]
fn link_loss_cuts_motor_at_the_10th_missing_frame() {
    let mut bench = Bench::new();
    bench.start_at(4);
    bench.run_ms(800);
    // 9 missing frames, then one arrives: no fault, the count restarts.
    bench.link_up = false;
    bench.run_ms(9);
    bench.link_up = true;
    bench.run_ms(50);
    assert_eq!(bench.fw.fault(), FaultCode::None);
    let lost_from = bench.records.len();
    bench.link_up = false;
    bench.run_ms(20);
    let outs: Vec<_> = bench.records[lost_from..].iter().map(|r| r.out).collect();
    assert!(
        outs[..9]
            .iter()
            .all(|o| o.motor_duty_permille > 0 && o.fault == FaultCode::None)
    );
    assert_eq!(outs[9].motor_duty_permille, 0);
    assert_eq!(outs[9].fault, FaultCode::LinkLoss);
    assert!(outs[9..].iter().all(|o| o.motor_duty_permille == 0));
    // The missing frames' ticks are counted by the firmware itself.
    assert_eq!(outs[9].tick, bench.records[lost_from - 1].out.tick + 10);
}

#[test]
fn low_battery_refuses_start_below_3400_mv() {
    let mut bench = Bench::new();
    bench.plant.battery_ocv_v = 3.35;
    bench.plant.advance(0, 1e-3);
    bench.start_at(2);
    bench.run_ms(100);
    assert_eq!(bench.fw.fault(), FaultCode::LowBattery);
    assert!(bench.records.iter().all(|r| r.out.motor_duty_permille == 0));
    // Still low: a press does not clear it.
    bench.press(buttons::POWER);
    assert_eq!(bench.fw.state(), FirmwareState::Fault);
    bench.plant.battery_ocv_v = 3.45;
    bench.plant.advance(0, 1e-3);
    bench.press(buttons::POWER);
    assert_eq!(bench.fw.state(), FirmwareState::Idle);
    bench.press(buttons::POWER);
    assert_eq!(bench.fw.state(), FirmwareState::Running);
}

#[test]
fn low_battery_stops_run_within_50_ms_of_sagging_below_3200_mv() {
    let mut bench = Bench::new();
    bench.plant.battery_ocv_v = 3.45;
    bench.plant.advance(0, 1e-3);
    bench.start_at(3);
    bench.plant.battery_ocv_v = 3.3; // below the start threshold, above the run threshold
    bench.run_ms(500);
    assert_eq!(
        bench.fw.state(),
        FirmwareState::Running,
        "3.3 V keeps a run going"
    );
    // A 30 ms sag does not stop it.
    bench.plant.battery_ocv_v = 3.1;
    bench.run_ms(30);
    bench.plant.battery_ocv_v = 3.3;
    bench.run_ms(100);
    assert_eq!(bench.fw.fault(), FaultCode::None);
    let sag_from = bench.records.len();
    bench.plant.battery_ocv_v = 3.1;
    run_until_fault(&mut bench, 500);
    let tripped = fault_tick(&bench, sag_from, FaultCode::LowBattery);
    let low = first(&bench.records, sag_from, |r| r.sensors.battery_mv < 3200).expect("sagged");
    assert_eq!(tripped - low, 49, "stopped at the 50th low sample");
    assert_eq!(bench.records[tripped].out.motor_duty_permille, 0);
    assert!(
        bench.records[low..tripped]
            .iter()
            .all(|r| r.out.motor_duty_permille > 0)
    );
}

#[test]
fn cartridge_absent_refuses_start_and_removal_stops_the_motor_in_the_same_tick() {
    let mut bench = Bench::new();
    bench.cartridge.present = false;
    bench.start_at(1);
    assert_eq!(bench.fw.fault(), FaultCode::CartridgeAbsent);
    bench.run_ms(50);
    assert!(bench.records.iter().all(|r| r.out.motor_duty_permille == 0));
    bench.press(buttons::POWER);
    assert_eq!(
        bench.fw.state(),
        FirmwareState::Fault,
        "no cartridge: the fault stays"
    );
    bench.cartridge.present = true;
    bench.press(buttons::POWER);
    bench.press(buttons::POWER);
    bench.run_ms(200);
    assert_eq!(bench.fw.state(), FirmwareState::Running);
    bench.cartridge.present = false;
    let out = bench.step();
    assert_eq!(out.motor_duty_permille, 0);
    assert_eq!(out.fault, FaultCode::CartridgeAbsent);
}

fn short_lived_cartridges() -> FirmwareConfig {
    FirmwareConfig {
        cartridge_max_run_s: 2,
        ..FirmwareConfig::default()
    }
}

#[test]
fn cartridge_expires_at_its_time_limit_and_reuse_is_refused_across_sessions() {
    let mut bench = Bench::with_config(short_lived_cartridges());
    bench.start_at(1);
    let started = bench.records.len() - 2; // the start press tick
    run_until_fault(&mut bench, 3000);
    let expired = fault_tick(&bench, started, FaultCode::CartridgeExpired);
    assert_eq!(
        expired - started,
        1999,
        "expired on the 2000th running tick"
    );
    assert_eq!(bench.records[expired].out.motor_duty_permille, 0);
    let usage = bench
        .fw
        .cartridge_usage(bench.cartridge.id)
        .expect("tracked");
    assert_eq!(usage.run_us, 2_000_000);

    // Re-seating the same cartridge does not clear the fault.
    bench.cartridge.present = false;
    bench.run_ms(10);
    bench.cartridge.present = true;
    bench.press(buttons::POWER);
    assert_eq!(bench.fw.fault(), FaultCode::CartridgeExpired);

    // A new cartridge clears it and runs.
    bench.cartridge.id += 1;
    bench.press(buttons::POWER);
    bench.press(buttons::POWER);
    assert_eq!(bench.fw.state(), FirmwareState::Running);

    // A new bench session: the lockout table survives, like flash.
    bench.fw.on_session_start();
    bench.cartridge.id -= 1;
    bench.start_at(1);
    assert_eq!(bench.fw.fault(), FaultCode::CartridgeExpired);
    assert!(
        bench
            .records
            .last()
            .is_some_and(|r| r.out.motor_duty_permille == 0)
    );
}

#[test]
fn cartridge_stroke_limit_counts_the_strokes_the_motor_made() {
    let config = FirmwareConfig {
        cartridge_max_strokes: 300,
        ..FirmwareConfig::default()
    };
    let mut bench = Bench::with_config(config);
    bench.start_at(6);
    run_until_fault(&mut bench, 5000);
    assert_eq!(bench.fw.fault(), FaultCode::CartridgeExpired);
    let strokes_made = bench.plant.pulses_s.len() as i64;
    assert!(
        (strokes_made - 300).abs() <= 3,
        "the firmware counted 300 strokes when the motor made {strokes_made}"
    );
}

#[test]
fn id_less_cartridge_is_counted_per_seating() {
    let mut bench = Bench::with_config(short_lived_cartridges());
    bench.cartridge.id = 0;
    bench.start_at(1);
    run_until_fault(&mut bench, 3000);
    assert_eq!(bench.fw.fault(), FaultCode::CartridgeExpired);
    bench.cartridge.present = false;
    bench.step();
    bench.cartridge.present = true;
    bench.press(buttons::POWER);
    assert_eq!(bench.fw.state(), FirmwareState::Idle);
    assert_eq!(bench.fw.cartridge_usage(0).map(|u| u.run_us), Some(0));
}

#[test]
fn watchdog_latches_on_a_tick_later_than_5_ms() {
    let mut fw = Firmware::new(FirmwareConfig::default()).unwrap();
    let mut now_us = 0;
    for tick in 0..4 {
        let mut frame = healthy(tick);
        frame.buttons = if tick % 2 == 0 { buttons::POWER } else { 0 };
        fw.tick(now_us, Some(&frame));
        now_us += 1000;
    }
    assert_eq!(fw.state(), FirmwareState::Running);
    // A gap of exactly the bound is tolerated.
    now_us += 4000;
    assert_eq!(fw.tick(now_us, Some(&healthy(4))).fault, FaultCode::None);
    now_us += 5001;
    let out = fw.tick(now_us, Some(&healthy(5)));
    assert_eq!(out.fault, FaultCode::Watchdog);
    assert_eq!(out.motor_duty_permille, 0);
    assert!(matches!(
        fw.poll_event_until_fault(),
        Some(Event::FaultRaised {
            tick: 5,
            code: FaultCode::Watchdog
        })
    ));
}

#[test]
fn watchdog_latches_when_the_clock_runs_backwards() {
    let mut fw = Firmware::new(FirmwareConfig::default()).unwrap();
    let mut frame = healthy(0);
    frame.buttons = buttons::POWER;
    fw.tick(10_000, Some(&frame));
    assert_eq!(fw.state(), FirmwareState::Idle);
    assert_eq!(fw.tick(9_000, Some(&healthy(1))).fault, FaultCode::Watchdog);
}

#[test]
fn no_needle_motion_while_a_fault_is_latched() {
    let mut bench = Bench::new();
    bench.start_at(3);
    bench.run_ms(500);
    bench.extra_current_ma = 3000;
    run_until_fault(&mut bench, 100);
    bench.extra_current_ma = 0;
    let latched = bench.records.len() - 1;
    assert_eq!(bench.fw.fault(), FaultCode::OverCurrent);
    // Speed buttons, dropped frames, a recovering motor: nothing may drive the needles.
    for i in 0..40 {
        bench.press(if i % 2 == 0 {
            buttons::SPEED_UP
        } else {
            buttons::SPEED_DOWN
        });
        bench.link_up = i % 7 != 0;
        bench.run_ms(50);
    }
    bench.link_up = true;
    bench.run_ms(10);
    assert!(
        bench.records[latched..]
            .iter()
            .all(|r| r.out.motor_duty_permille == 0)
    );
    assert!(
        bench.records[latched..]
            .iter()
            .all(|r| r.out.fault == FaultCode::OverCurrent)
    );
    // Cleared: idle, still no motion, until a start.
    bench.press(buttons::POWER);
    assert_eq!(bench.fw.state(), FirmwareState::Idle);
    assert_eq!(bench.step().motor_duty_permille, 0);
    bench.press(buttons::POWER);
    bench.run_ms(20);
    assert!(bench.step().motor_duty_permille > 0);
}

/// Helper on the firmware for the tests above.
trait PollUntilFault {
    fn poll_event_until_fault(&mut self) -> Option<Event<'static>>;
}

impl PollUntilFault for Firmware {
    fn poll_event_until_fault(&mut self) -> Option<Event<'static>> {
        while let Some(event) = self.poll_event() {
            if matches!(event, Event::FaultRaised { .. }) {
                return Some(event);
            }
        }
        None
    }
}
