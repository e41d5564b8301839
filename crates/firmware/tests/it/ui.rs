//! Buttons, state machine, events, hello and sessions.

use needlebench_firmware::{
    ConfigError, EVENT_CAPACITY, FaultCode, Firmware, FirmwareConfig, FirmwareState,
};
use needlebench_protocol::{
    DepthControl, Event, Indicator, LogLevel, MAX_NAME_LEN, PROTOCOL_VERSION, buttons,
};

use crate::plant::Bench;
use crate::safety::healthy;

fn drain(fw: &mut Firmware) -> Vec<Event<'static>> {
    core::iter::from_fn(|| fw.poll_event()).collect()
}

#[test]
fn power_presses_cycle_off_idle_running_idle_with_events() {
    let mut bench = Bench::new();
    assert_eq!(bench.step().state, FirmwareState::Off);
    let on = bench.press(buttons::POWER);
    assert_eq!(
        (on.state, on.speed_level, on.indicator),
        (FirmwareState::Idle, 1, Indicator::Green)
    );
    let run = bench.press(buttons::POWER);
    assert_eq!(run.state, FirmwareState::Running);
    bench.run_ms(100);
    assert!(bench.step().motor_duty_permille > 0);
    let stop = bench.press(buttons::POWER);
    assert_eq!(
        (stop.state, stop.motor_duty_permille),
        (FirmwareState::Idle, 0)
    );
    let transitions: Vec<_> = drain(&mut bench.fw)
        .into_iter()
        .filter_map(|e| match e {
            Event::StateChanged { tick, from, to } => Some((tick, from, to)),
            _ => None,
        })
        .collect();
    assert_eq!(
        transitions,
        [
            (1, FirmwareState::Off, FirmwareState::Idle),
            (3, FirmwareState::Idle, FirmwareState::Running),
            (106, FirmwareState::Running, FirmwareState::Idle),
        ]
    );
}

#[test]
fn holding_power_1500_ms_switches_off_but_not_the_press_that_switched_on() {
    let mut bench = Bench::new();
    bench.buttons = buttons::POWER;
    bench.run_ms(3000);
    assert_eq!(
        bench.fw.state(),
        FirmwareState::Idle,
        "the power-on press held on"
    );
    bench.buttons = 0;
    bench.step();
    bench.press(buttons::POWER);
    bench.run_ms(100);
    assert_eq!(bench.fw.state(), FirmwareState::Running);
    bench.buttons = buttons::POWER; // press: Running → Idle, then hold
    bench.run_ms(1499);
    assert_eq!(bench.fw.state(), FirmwareState::Idle);
    let out = bench.step();
    assert_eq!(
        (out.state, out.speed_level, out.indicator),
        (FirmwareState::Off, 0, Indicator::Off)
    );
}

#[test]
fn speed_buttons_step_levels_within_1_to_6_and_retarget_the_running_motor() {
    let mut bench = Bench::new();
    bench.press(buttons::POWER);
    bench.press(buttons::SPEED_DOWN);
    assert_eq!(bench.fw.speed_level(), 1);
    for _ in 0..10 {
        bench.press(buttons::SPEED_UP);
    }
    assert_eq!(bench.fw.speed_level(), 6);
    bench.press(buttons::SPEED_DOWN);
    bench.press(buttons::POWER);
    bench.run_ms(1000);
    assert!((bench.fw.setpoint_hz() - 138.0).abs() < 1e-3);
    bench.press(buttons::SPEED_DOWN);
    bench.run_ms(1000);
    let hz = bench.plant.mean_hz(bench.now_s() - 0.5, bench.now_s());
    assert!(
        (hz - 125.0).abs() < 125.0 * 0.03,
        "{hz:.1} Hz after level down"
    );
    // Speed buttons do nothing while off.
    let mut fw = Firmware::new(FirmwareConfig::default()).unwrap();
    let mut frame = healthy(0);
    frame.buttons = buttons::SPEED_UP;
    assert_eq!(fw.tick(0, Some(&frame)).speed_level, 0);
    assert!(drain(&mut fw).is_empty());
}

#[test]
fn indicator_turns_amber_below_3500_mv() {
    let mut fw = Firmware::new(FirmwareConfig::default()).unwrap();
    let mut frame = healthy(0);
    frame.buttons = buttons::POWER;
    assert_eq!(fw.tick(0, Some(&frame)).indicator, Indicator::Green);
    let mut frame = healthy(1);
    frame.battery_mv = 3_450;
    assert_eq!(fw.tick(1000, Some(&frame)).indicator, Indicator::Amber);
}

#[test]
fn refused_start_logs_why_and_raises_the_fault() {
    let mut fw = Firmware::new(FirmwareConfig::default()).unwrap();
    for tick in 0..3 {
        let mut frame = healthy(tick);
        frame.cartridge.present = false;
        frame.buttons = if tick == 1 { 0 } else { buttons::POWER };
        fw.tick(u64::from(tick) * 1000, Some(&frame));
    }
    let events = drain(&mut fw);
    assert!(events.contains(&Event::Log {
        tick: 2,
        level: LogLevel::Warn,
        text: "start refused: no cartridge"
    }));
    assert!(events.contains(&Event::FaultRaised {
        tick: 2,
        code: FaultCode::CartridgeAbsent
    }));
}

#[test]
fn event_ring_keeps_the_newest_and_counts_the_dropped() {
    let mut fw = Firmware::new(FirmwareConfig::default()).unwrap();
    let mut tick = 0;
    let mut press = |fw: &mut Firmware, held: u8| {
        for buttons in [held, 0] {
            let mut frame = healthy(tick);
            frame.buttons = buttons;
            fw.tick(u64::from(tick) * 1000, Some(&frame));
            tick += 1;
        }
    };
    press(&mut fw, buttons::POWER); // 1 event
    for i in 0..40 {
        press(
            &mut fw,
            if i % 2 == 0 {
                buttons::SPEED_UP
            } else {
                buttons::SPEED_DOWN
            },
        );
    }
    assert_eq!(fw.events_dropped(), 41 - EVENT_CAPACITY as u32);
    let events = drain(&mut fw);
    assert_eq!(events.len(), EVENT_CAPACITY);
    assert!(matches!(events.last(), Some(Event::Log { tick: 80, .. })));
}

#[test]
fn hello_describes_the_reference_firmware() {
    let fw = Firmware::new(FirmwareConfig::default()).unwrap();
    let hello = fw.hello();
    assert_eq!(hello.protocol_version, PROTOCOL_VERSION);
    assert_eq!(hello.firmware_name, "needlebench-reference");
    assert_eq!(hello.firmware_version, env!("CARGO_PKG_VERSION"));
    assert!(hello.capabilities.lockstep);
    assert_eq!(hello.capabilities.tick_rate_hz, 1000);
    assert_eq!(hello.capabilities.depth_control, DepthControl::ManualDial);
}

#[test]
fn session_start_resets_to_off_and_keeps_the_lockout_table() {
    let mut bench = Bench::new();
    bench.start_at(2);
    bench.run_ms(500);
    let used = bench
        .fw
        .cartridge_usage(bench.cartridge.id)
        .expect("tracked");
    assert!(used.run_us > 0 && used.strokes() > 0);
    bench.fw.on_session_start();
    assert_eq!(bench.fw.state(), FirmwareState::Off);
    assert_eq!(bench.fw.poll_event(), None);
    assert_eq!(bench.fw.cartridge_usage(bench.cartridge.id), Some(used));
    // A held power button at the first frame of the session is not a press.
    bench.buttons = buttons::POWER;
    bench.step();
    bench.buttons = 0;
    assert_eq!(
        bench.fw.state(),
        FirmwareState::Idle,
        "held bits reset: this is an edge"
    );
    // The watchdog re-syncs to the new session's clock.
    let mut fw = Firmware::new(FirmwareConfig::default()).unwrap();
    let mut frame = healthy(0);
    frame.buttons = buttons::POWER;
    fw.tick(50_000_000, Some(&frame));
    fw.on_session_start();
    fw.tick(0, Some(&frame));
    assert_eq!(fw.tick(1000, Some(&healthy(1))).fault, FaultCode::None);
}

#[test]
fn bad_config_is_refused_naming_the_field() {
    let bad_name = FirmwareConfig {
        firmware_name: "a-name-that-is-far-longer-than-32-bytes",
        ..FirmwareConfig::default()
    };
    assert!(bad_name.firmware_name.len() > MAX_NAME_LEN);
    assert_eq!(
        Firmware::new(bad_name).unwrap_err(),
        ConfigError::Name("firmware_name")
    );
    let bad_gain = FirmwareConfig {
        ki_duty_per_hz_s: f32::NAN,
        ..FirmwareConfig::default()
    };
    assert_eq!(
        Firmware::new(bad_gain).unwrap_err(),
        ConfigError::Gain("ki_duty_per_hz_s")
    );
    let bad_level = FirmwareConfig {
        default_speed_level: 7,
        ..FirmwareConfig::default()
    };
    assert!(
        Firmware::new(bad_level)
            .unwrap_err()
            .to_string()
            .contains("default_speed_level")
    );
}

#[test]
fn hall_glitch_faster_than_the_motor_is_ignored() {
    let mut fw = Firmware::new(FirmwareConfig::default()).unwrap();
    fw.tick(0, Some(&healthy(0)));
    let measured_hz = fw.measured_hz();
    assert!((measured_hz - 150.0).abs() < 0.1);
    let mut glitch = healthy(1);
    glitch.hall_period_us = 1;
    fw.tick(1000, Some(&glitch));
    assert!((fw.measured_hz() - measured_hz).abs() < f32::EPSILON);
    let mut stopped = healthy(2);
    stopped.hall_period_us = 0;
    fw.tick(2000, Some(&stopped));
    assert!(fw.measured_hz().abs() < f32::EPSILON);
}
