//! Proptest strategies for every protocol message, shared by the protocol crate's property
//! tests (`tests/it/props.rs`) and the Rust ↔ C cross-check (`crates/sdk-c/tests/sdk/
//! crosscheck.rs`), each of which includes this file as a module (`#[path]`): one
//! definition of "any message", so a new message or field is generated for both.

#![allow(dead_code, reason = "each including test crate uses its own subset")]

use needlebench_protocol::{
    ActuatorFrame, BenchHello, Capabilities, CartridgeInfo, ClockMode, DepthControl, Event,
    FaultCode, FirmwareState, Grant, Indicator, LogLevel, MAX_LOG_LEN, MAX_NAME_LEN, Message,
    PenHello, Reached, SensorFrame,
};
use proptest::prelude::*;

/// A message with owned text, for strategies.
#[derive(Debug, Clone)]
pub(crate) enum ArbMessage {
    /// Any message without text.
    Plain(Message<'static>),
    /// A pen hello: name, version, and the rest.
    PenHello(u16, String, String, Capabilities),
    /// A log event: tick, level, text.
    Log(u32, LogLevel, String),
}

impl ArbMessage {
    pub(crate) fn as_message(&self) -> Message<'_> {
        match self {
            ArbMessage::Plain(msg) => *msg,
            ArbMessage::PenHello(protocol_version, name, version, capabilities) => {
                Message::PenHello(PenHello {
                    protocol_version: *protocol_version,
                    firmware_name: name,
                    firmware_version: version,
                    capabilities: *capabilities,
                })
            }
            ArbMessage::Log(tick, level, text) => Message::Event(Event::Log {
                tick: *tick,
                level: *level,
                text,
            }),
        }
    }
}

/// UTF-8 text of at most `max_bytes` bytes (any chars, multi-byte ones included).
pub(crate) fn text(max_bytes: usize) -> impl Strategy<Value = String> {
    prop::collection::vec(any::<char>(), 0..=max_bytes).prop_map(move |chars| {
        let mut s = String::new();
        for c in chars {
            if s.len() + c.len_utf8() > max_bytes {
                break;
            }
            s.push(c);
        }
        s
    })
}

pub(crate) fn fault() -> impl Strategy<Value = FaultCode> {
    prop::sample::select(FaultCode::ALL.to_vec())
}

pub(crate) fn state() -> impl Strategy<Value = FirmwareState> {
    prop::sample::select(FirmwareState::ALL.to_vec())
}

pub(crate) fn level() -> impl Strategy<Value = LogLevel> {
    prop::sample::select(LogLevel::ALL.to_vec())
}

pub(crate) fn sensors() -> impl Strategy<Value = SensorFrame> {
    (
        any::<(u32, u16, u32, u16, u16, u8)>(),
        any::<(bool, u32, u8, bool)>(),
    )
        .prop_map(
            |((tick, current, period, battery, depth, buttons), (present, id, needles, skin))| {
                SensorFrame {
                    tick,
                    motor_current_ma: current,
                    hall_period_us: period,
                    battery_mv: battery,
                    depth_um: depth,
                    buttons,
                    cartridge: CartridgeInfo {
                        present,
                        id,
                        needle_count: needles,
                    },
                    skin_contact: skin,
                }
            },
        )
}

pub(crate) fn actuators() -> impl Strategy<Value = ActuatorFrame> {
    (
        any::<(u32, u16, u16, u8)>(),
        prop::sample::select(vec![
            Indicator::Off,
            Indicator::Green,
            Indicator::Amber,
            Indicator::Red,
        ]),
        state(),
        fault(),
    )
        .prop_map(
            |((tick, duty, depth, level), indicator, state, fault)| ActuatorFrame {
                tick,
                motor_duty_permille: duty,
                depth_setpoint_um: depth,
                speed_level: level,
                indicator,
                state,
                fault,
            },
        )
}

pub(crate) fn arb_message() -> impl Strategy<Value = ArbMessage> {
    let plain = prop_oneof![
        (any::<u16>(), prop::sample::select(ClockMode::ALL.to_vec())).prop_map(
            |(protocol_version, clock)| Message::BenchHello(BenchHello {
                protocol_version,
                clock,
            })
        ),
        sensors().prop_map(Message::Sensors),
        actuators().prop_map(Message::Actuators),
        any::<(u32, bool)>().prop_map(|(until_tick, with_sensors)| Message::Grant(Grant {
            until_tick,
            with_sensors
        })),
        any::<(u32, u16)>().prop_map(|(tick, frames)| Message::Reached(Reached { tick, frames })),
        (any::<u32>(), state(), state())
            .prop_map(|(tick, from, to)| Message::Event(Event::StateChanged { tick, from, to })),
        (any::<u32>(), fault())
            .prop_map(|(tick, code)| Message::Event(Event::FaultRaised { tick, code })),
        (any::<u32>(), fault())
            .prop_map(|(tick, code)| Message::Event(Event::FaultCleared { tick, code })),
    ];
    prop_oneof![
        8 => plain.prop_map(ArbMessage::Plain),
        1 => (any::<u16>(), text(MAX_NAME_LEN), text(MAX_NAME_LEN), any::<(bool, u32, bool)>())
            .prop_map(|(v, name, version, (lockstep, tick_rate_hz, motorized))| {
                ArbMessage::PenHello(v, name, version, Capabilities {
                    lockstep,
                    tick_rate_hz,
                    depth_control: if motorized { DepthControl::Motorized } else { DepthControl::ManualDial },
                })
            }),
        1 => (any::<u32>(), level(), text(MAX_LOG_LEN))
            .prop_map(|(tick, level, text)| ArbMessage::Log(tick, level, text)),
    ]
}
