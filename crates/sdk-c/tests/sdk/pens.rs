//! The C reference pen answers tick for tick as the Rust reference firmware does: the same
//! actuator frame and the same events on every tick of a scripted session that walks the
//! state machine (buttons, speed levels, soft start and PI control against a toy motor,
//! cartridge removal, over-current, link loss), over a real pty — the host build, and the
//! Cortex-M build on QEMU.

use crate::support::built;
use needlebench_bridge::{
    InProcessTransport, Link, LinkOptions, PenCommandTransport, PenOutput, TickReply,
};
use needlebench_firmware::{Firmware, FirmwareConfig};
use needlebench_protocol::{CartridgeInfo, FirmwareState, SensorFrame, buttons};
use needlebench_sdk_c::{Artifact, qemu_pen_command, require};
use std::time::Duration;

/// The sensor frame of `tick` given the pen's last duty (`None`: the frame is withheld).
fn script(tick: u32, duty_permille: u16) -> Option<SensorFrame> {
    let pressed = |at: u32| (at..at + 8).contains(&tick);
    let mut buttons = 0;
    // Off → Idle (10), Idle → Running (30), Running → Idle → Running (600, 700); clear the
    // over-current fault and start (1300, 1320); clear the cartridge fault, refused while the
    // cartridge is out (1700) and accepted (1800), start (1820); clear the link-loss fault
    // (2700); start and hold power until the long press switches off (2720 for 1.6 s).
    for at in [10, 30, 600, 700, 1300, 1320, 1700, 1800, 1820, 2700] {
        if pressed(at) {
            buttons |= buttons::POWER;
        }
    }
    if (2720..4320).contains(&tick) {
        buttons |= buttons::POWER;
    }
    for at in [300, 400] {
        if pressed(at) {
            buttons |= buttons::SPEED_UP;
        }
    }
    if pressed(800) {
        buttons |= buttons::SPEED_DOWN;
    }
    if (2500..2512).contains(&tick) {
        return None; // link loss while running
    }
    // A toy motor: 0.16 strokes/s per ‰ of duty.
    let hz = f32::from(duty_permille) * 0.16;
    let hall_period_us = if hz >= 10.0 { (1e6 / hz) as u32 } else { 0 };
    Some(SensorFrame {
        tick,
        motor_current_ma: if (1200..1206).contains(&tick) {
            3000
        } else {
            400
        },
        hall_period_us,
        battery_mv: if tick < 1000 { 3900 } else { 3450 },
        depth_um: 500,
        buttons,
        cartridge: CartridgeInfo {
            present: !(1600..1750).contains(&tick),
            id: 4242,
            needle_count: 36,
        },
        skin_contact: true,
    })
}

const TICKS: u32 = 4400;

fn run(mut link: Link) -> Vec<TickReply> {
    let mut duty = 0;
    (0..TICKS)
        .map(|tick| {
            let reply = link
                .tick(script(tick, duty).as_ref())
                .expect("tick")
                .clone();
            duty = reply.actuators.motor_duty_permille;
            reply
        })
        .collect()
}

fn rust_reference() -> Vec<TickReply> {
    let firmware = Firmware::new(FirmwareConfig::default()).expect("default config");
    let link = Link::connect(
        Box::new(InProcessTransport::new(firmware)),
        LinkOptions::default(),
    )
    .expect("handshake");
    run(link)
}

fn assert_same_session(command: &str) {
    let transport =
        PenCommandTransport::spawn(command, &[], Duration::from_secs(10), PenOutput::default())
            .expect("the pen starts and its pty opens");
    let link = Link::connect(Box::new(transport), LinkOptions::default()).expect("handshake");
    assert_eq!(link.pen().firmware_name, "needlebench-c-pen");
    let c = run(link);
    let rust = rust_reference();
    // The script reaches every state and several faults, or it guards nothing.
    let faults: Vec<_> = rust
        .iter()
        .flat_map(|r| &r.events)
        .filter(|e| matches!(e, needlebench_bridge::PenEvent::FaultRaised { .. }))
        .collect();
    assert!(faults.len() >= 3, "the script raised only {faults:?}");
    assert_eq!(
        rust.last().map(|r| r.actuators.state),
        Some(FirmwareState::Off)
    );
    for (tick, (c, rust)) in c.iter().zip(&rust).enumerate() {
        assert_eq!(
            c, rust,
            "the C pen differs from the Rust reference at tick {tick}"
        );
    }
}

#[test]
fn c_host_pen_answers_every_tick_as_the_rust_reference() {
    if !require("gcc") {
        return;
    }
    let pen = built(Artifact::HostPen);
    assert_same_session(&format!("exec '{}'", pen.display()));
}

#[test]
fn c_pen_on_qemu_cortex_m3_answers_every_tick_as_the_rust_reference() {
    if !require("arm-none-eabi-gcc") || !require("qemu-system-arm") {
        return;
    }
    let elf = built(Artifact::QemuPen);
    assert_same_session(&qemu_pen_command(&elf).replace("{cartridge_limit_s}", "1800"));
}

#[test]
fn c_pen_for_cortex_m3_links_without_any_c_library() {
    if !require("arm-none-eabi-gcc") {
        return;
    }
    let elf = built(Artifact::QemuPen);
    // Every symbol is defined: -nostdlib with only libgcc, and our own string functions.
    let nm = std::process::Command::new("arm-none-eabi-nm")
        .arg("--undefined-only")
        .arg(&elf)
        .output()
        .expect("arm-none-eabi-nm");
    assert!(nm.status.success());
    assert_eq!(String::from_utf8_lossy(&nm.stdout).trim(), "");
    let bytes = std::fs::read(&elf).expect("read elf");
    assert_eq!(&bytes[..4], b"\x7fELF");
    assert_eq!(bytes[18], 40, "e_machine is ARM");
}
