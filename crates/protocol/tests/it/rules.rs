//! The receiving rules of `WIRE.md` that are not golden vectors: varints (§4.1), the suffix
//! search and its counting (§3), and the line budget table (§1.1).

use crate::support::{Item, feed_all, frame, frame_item, frame_with_payload};
use needlebench_protocol::{
    ActuatorFrame, BenchHello, Capabilities, CartridgeInfo, ClockMode, Decoder, DepthControl,
    Event, FaultCode, FirmwareState, FrameError, Grant, Indicator, LogLevel, MAX_LOG_LEN,
    MAX_NAME_LEN, MAX_SENSORS_FRAME_LEN, Message, MessageKind, PenHello, Reached, SensorFrame,
    least_realtime_baud,
};

const WIRE_MD: &str = include_str!("../../WIRE.md");

fn decode(bytes: &[u8]) -> (Vec<Item>, Decoder) {
    let mut decoder = Decoder::new();
    let items = feed_all(&mut decoder, [bytes]);
    (items, decoder)
}

fn grant(until_tick: u32) -> Message<'static> {
    Message::Grant(Grant {
        until_tick,
        with_sensors: true,
    })
}

#[test]
fn varint_non_shortest_encodings_are_accepted_as_postcard_does() {
    // Grant { until_tick: 1001 } with 1001 as `e9 87 00` instead of `e9 07`.
    let (items, _) = decode(&frame_with_payload(3, &[0x04, 0xe9, 0x87, 0x00, 0x01]));
    assert_eq!(items, [frame_item(3, &grant(1001))]);
    // Reached { tick: 0, frames: 0 } with both as `80 00`.
    let (items, _) = decode(&frame_with_payload(4, &[0x05, 0x80, 0x00, 0x80, 0x00]));
    let reached = Message::Reached(Reached { tick: 0, frames: 0 });
    assert_eq!(items, [frame_item(4, &reached)]);
}

#[test]
fn varint_too_long_for_its_type_is_malformed() {
    let reached = MessageKind::Reached;
    for payload in [
        // frames (u16): a 4th byte
        &[0x05, 0x01, 0x80, 0x80, 0x80, 0x00][..],
        // tick (u32): a 6th byte
        &[0x05, 0x80, 0x80, 0x80, 0x80, 0x80, 0x00, 0x01][..],
    ] {
        let (items, decoder) = decode(&frame_with_payload(9, payload));
        assert_eq!(
            items,
            [Item::Error(FrameError::Payload {
                seq: 9,
                kind: reached
            })]
        );
        assert_eq!(decoder.stats().malformed, 1);
    }
}

#[test]
fn varint_too_large_for_its_type_is_malformed_and_the_largest_value_is_not() {
    // frames (u16): `ff ff 03` is 65535; `ff ff 04` would be 65536 + …
    let (items, _) = decode(&frame_with_payload(1, &[0x05, 0x01, 0xff, 0xff, 0x03]));
    let max = Message::Reached(Reached {
        tick: 1,
        frames: u16::MAX,
    });
    assert_eq!(items, [frame_item(1, &max)]);
    let (items, _) = decode(&frame_with_payload(1, &[0x05, 0x01, 0xff, 0xff, 0x04]));
    assert!(matches!(
        items[..],
        [Item::Error(FrameError::Payload { .. })]
    ));
    // tick (u32): 5th byte 0x0f is u32::MAX, 0x10 is too large.
    let (items, _) = decode(&frame_with_payload(
        1,
        &[0x04, 0xff, 0xff, 0xff, 0xff, 0x0f, 0x01],
    ));
    assert_eq!(items, [frame_item(1, &grant(u32::MAX))]);
    let (items, _) = decode(&frame_with_payload(
        1,
        &[0x04, 0xff, 0xff, 0xff, 0xff, 0x10, 0x01],
    ));
    assert!(matches!(
        items[..],
        [Item::Error(FrameError::Payload { .. })]
    ));
}

#[test]
fn suffix_search_finds_a_frame_behind_noise_and_counts_one_resync_not_the_runs_error() {
    let noise = [0x11u8, 0x22, 0x33, 0x44, 0x55];
    let mut bytes = noise.to_vec();
    bytes.extend(frame(7, &grant(5)));
    let (items, decoder) = decode(&bytes);
    assert_eq!(items, [frame_item(7, &grant(5))]);
    let stats = decoder.stats();
    assert_eq!(
        (
            stats.frames_ok,
            stats.resyncs,
            stats.crc_errors,
            stats.malformed
        ),
        (1, 1, 0, 0)
    );
    assert_eq!(stats.bytes_discarded, noise.len() as u64);
}

#[test]
fn suffix_search_a_suffix_with_a_good_crc_but_a_bad_payload_counts_as_malformed_only() {
    let mut bytes = vec![0x11u8, 0x22, 0x33];
    // A CRC-valid frame whose payload is a Grant with a bool of 2.
    let bad = frame_with_payload(8, &[0x04, 0x05, 0x02]);
    bytes.extend(&bad);
    let (items, decoder) = decode(&bytes);
    assert_eq!(
        items,
        [Item::Error(FrameError::Payload {
            seq: 8,
            kind: MessageKind::Grant
        })]
    );
    let stats = decoder.stats();
    assert_eq!(
        (
            stats.resyncs,
            stats.malformed,
            stats.crc_errors,
            stats.frames_ok
        ),
        (1, 1, 0, 0)
    );
    assert_eq!(stats.bytes_discarded, bytes.len() as u64);
}

#[test]
fn suffix_search_without_a_good_suffix_counts_the_runs_own_error_once() {
    let mut bytes = frame(1, &grant(5));
    let at = bytes.len() / 2;
    bytes[at] ^= 0x40; // a payload bit: the CRC fails, no suffix is intact
    let (items, decoder) = decode(&bytes);
    assert!(matches!(items[..], [Item::Error(FrameError::Crc { .. })]));
    let stats = decoder.stats();
    assert_eq!(
        (stats.resyncs, stats.crc_errors, stats.malformed),
        (1, 1, 0)
    );
}

/// The longest message of each kind: every varint at its longest, every text at its limit.
fn longest() -> Vec<(&'static str, Message<'static>)> {
    let name = core::str::from_utf8(&[b'n'; MAX_NAME_LEN]).unwrap();
    let text = core::str::from_utf8(&[b't'; MAX_LOG_LEN]).unwrap();
    vec![
        (
            "BenchHello",
            Message::BenchHello(BenchHello {
                protocol_version: u16::MAX,
                clock: ClockMode::RealTime,
            }),
        ),
        (
            "PenHello",
            Message::PenHello(PenHello {
                protocol_version: u16::MAX,
                firmware_name: name,
                firmware_version: name,
                capabilities: Capabilities {
                    lockstep: true,
                    tick_rate_hz: u32::MAX,
                    depth_control: DepthControl::Motorized,
                },
            }),
        ),
        (
            "Sensors",
            Message::Sensors(SensorFrame {
                tick: u32::MAX,
                motor_current_ma: u16::MAX,
                hall_period_us: u32::MAX,
                battery_mv: u16::MAX,
                depth_um: u16::MAX,
                buttons: u8::MAX,
                cartridge: CartridgeInfo {
                    present: true,
                    id: u32::MAX,
                    needle_count: u8::MAX,
                },
                skin_contact: true,
            }),
        ),
        (
            "Actuators",
            Message::Actuators(ActuatorFrame {
                tick: u32::MAX,
                motor_duty_permille: u16::MAX,
                depth_setpoint_um: u16::MAX,
                speed_level: u8::MAX,
                indicator: Indicator::Red,
                state: FirmwareState::Fault,
                fault: FaultCode::Internal,
            }),
        ),
        ("Grant", grant(u32::MAX)),
        (
            "Reached",
            Message::Reached(Reached {
                tick: u32::MAX,
                frames: u16::MAX,
            }),
        ),
        (
            "Event",
            Message::Event(Event::Log {
                tick: u32::MAX,
                level: LogLevel::Error,
                text,
            }),
        ),
    ]
}

#[test]
fn line_budget_table_is_the_longest_frame_of_each_message() {
    for (name, msg) in longest() {
        // Every other sequence number gives the same length (COBS adds one byte either way).
        let len = frame(0xffff, &msg).len();
        let row = WIRE_MD
            .lines()
            .find(|l| l.starts_with(&format!("| `{name}` | ")) && l.ends_with(" |"))
            .unwrap_or_else(|| panic!("{name} missing from the budget table"));
        assert_eq!(row, format!("| `{name}` | {len} |"), "{name}");
    }
    // Real time needs 10 line bits per byte of the longest Sensors frame, per tick.
    let sensors = frame(0, &longest()[2].1).len() as u64;
    assert_eq!(sensors, u64::from(MAX_SENSORS_FRAME_LEN));
    for rate in [100u32, 500, 1000, 2000] {
        let per_s = sensors * u64::from(rate);
        let row = format!("| {rate} | {per_s} | {} |", least_realtime_baud(rate));
        assert!(WIRE_MD.contains(&row), "missing: {row}");
    }
}
