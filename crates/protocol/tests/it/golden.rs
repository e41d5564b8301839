//! The golden vectors of `WIRE.md`: every ```` ```hex golden=NAME ```` block must decode to the
//! message of that name below, and encoding that message must give exactly those bytes.

use needlebench_protocol::{
    ActuatorFrame, BenchHello, Capabilities, CartridgeInfo, ClockMode, Decoded, Decoder,
    DepthControl, Event, FaultCode, FirmwareState, Grant, Indicator, LogLevel, MAX_ENCODED_LEN,
    MAX_FRAME_LEN, MAX_PAYLOAD_LEN, MAX_RAW_LEN, MIN_RAW_LEN, Message, MessageKind, PenHello,
    Reached, SensorFrame, buttons, crc32, encode_frame,
};

const WIRE_MD: &str = include_str!("../../WIRE.md");

/// The messages the golden vectors of WIRE.md stand for: (name, seq, message).
fn goldens() -> Vec<(&'static str, u16, Message<'static>)> {
    vec![
        (
            "bench_hello",
            0,
            Message::BenchHello(BenchHello {
                protocol_version: 1,
                clock: ClockMode::Lockstep,
            }),
        ),
        (
            "pen_hello",
            0,
            Message::PenHello(PenHello {
                protocol_version: 1,
                firmware_name: "needlepen-ref",
                firmware_version: "0.1.0",
                capabilities: Capabilities {
                    lockstep: true,
                    tick_rate_hz: 1000,
                    depth_control: DepthControl::Motorized,
                },
            }),
        ),
        (
            "sensors",
            258,
            Message::Sensors(SensorFrame {
                tick: 1000,
                motor_current_ma: 350,
                hall_period_us: 7692,
                battery_mv: 3900,
                depth_um: 1500,
                buttons: buttons::POWER,
                cartridge: CartridgeInfo {
                    present: true,
                    id: 0x1234_5678,
                    needle_count: 12,
                },
                skin_contact: true,
            }),
        ),
        (
            "actuators",
            258,
            Message::Actuators(ActuatorFrame {
                tick: 1000,
                motor_duty_permille: 640,
                depth_setpoint_um: 1500,
                speed_level: 3,
                indicator: Indicator::Green,
                state: FirmwareState::Running,
                fault: FaultCode::None,
            }),
        ),
        (
            "grant",
            3,
            Message::Grant(Grant {
                until_tick: 1001,
                with_sensors: true,
            }),
        ),
        (
            "reached",
            3,
            Message::Reached(Reached {
                tick: 1001,
                frames: 2,
            }),
        ),
        (
            "event_state_changed",
            4,
            Message::Event(Event::StateChanged {
                tick: 1200,
                from: FirmwareState::Idle,
                to: FirmwareState::Running,
            }),
        ),
        (
            "event_fault_raised",
            5,
            Message::Event(Event::FaultRaised {
                tick: 1500,
                code: FaultCode::Stall,
            }),
        ),
        (
            "event_fault_cleared",
            6,
            Message::Event(Event::FaultCleared {
                tick: 2000,
                code: FaultCode::LowBattery,
            }),
        ),
        (
            "event_log",
            65535,
            Message::Event(Event::Log {
                tick: 2001,
                level: LogLevel::Warn,
                text: "battery low",
            }),
        ),
    ]
}

/// The ```` ```hex golden=NAME ```` blocks of WIRE.md: (name, bytes).
fn wire_md_vectors() -> Vec<(String, Vec<u8>)> {
    let mut vectors = Vec::new();
    let mut lines = WIRE_MD.lines();
    while let Some(line) = lines.next() {
        let Some(name) = line.strip_prefix("```hex golden=") else {
            continue;
        };
        let mut bytes = Vec::new();
        for body in lines.by_ref().take_while(|l| !l.starts_with("```")) {
            for hex in body.split_whitespace() {
                let byte = u8::from_str_radix(hex, 16)
                    .unwrap_or_else(|e| panic!("golden {name}: bad hex {hex:?}: {e}"));
                bytes.push(byte);
            }
        }
        vectors.push((name.trim().to_owned(), bytes));
    }
    vectors
}

#[test]
fn wire_md_has_exactly_the_golden_vectors_of_the_tests() {
    let doc: Vec<String> = wire_md_vectors().into_iter().map(|(n, _)| n).collect();
    let ours: Vec<String> = goldens().iter().map(|(n, _, _)| (*n).to_owned()).collect();
    assert_eq!(doc, ours);
}

#[test]
fn goldens_cover_every_message_kind_and_event() {
    let goldens = goldens();
    let mut kinds: Vec<MessageKind> = goldens.iter().map(|(_, _, m)| m.kind()).collect();
    kinds.dedup();
    use MessageKind::*;
    assert_eq!(
        kinds,
        [
            BenchHello, PenHello, Sensors, Actuators, Grant, Reached, Event
        ]
    );
    let events: Vec<u8> = goldens
        .iter()
        .filter_map(|(_, _, m)| match m {
            Message::Event(needlebench_protocol::Event::StateChanged { .. }) => Some(0),
            Message::Event(needlebench_protocol::Event::FaultRaised { .. }) => Some(1),
            Message::Event(needlebench_protocol::Event::FaultCleared { .. }) => Some(2),
            Message::Event(needlebench_protocol::Event::Log { .. }) => Some(3),
            _ => None,
        })
        .collect();
    assert_eq!(events, [0, 1, 2, 3]);
}

#[test]
fn every_golden_vector_decodes_to_its_message() {
    let goldens = goldens();
    for (name, bytes) in wire_md_vectors() {
        let (_, seq, msg) = goldens.iter().find(|(n, _, _)| *n == name).expect("known");
        let mut decoder = Decoder::new();
        let mut input = bytes.as_slice();
        match decoder.feed(&mut input) {
            Some(Decoded::Frame { seq: s, msg: m }) => {
                assert_eq!((s, m), (*seq, *msg), "golden {name}");
            }
            other => panic!("golden {name}: decoded to {other:?}"),
        }
        assert!(input.is_empty(), "golden {name}: one frame, nothing after");
        assert_eq!(decoder.stats().frames_ok, 1);
        assert_eq!(decoder.stats().bytes_ok, bytes.len() as u64);
    }
}

#[test]
fn encoding_every_golden_message_gives_its_vector() {
    let vectors = wire_md_vectors();
    for (name, seq, msg) in goldens() {
        let (_, expected) = vectors.iter().find(|(n, _)| n == name).expect("in WIRE.md");
        let mut out = [0u8; MAX_FRAME_LEN];
        let len = encode_frame(seq, &msg, &mut out).expect("fits");
        assert_eq!(&out[..len], expected.as_slice(), "golden {name}");
    }
}

#[test]
fn crc_is_crc32_iso_hdlc() {
    // The catalogue check value, as quoted in WIRE.md.
    assert_eq!(crc32(b"123456789"), 0xCBF4_3926);
    assert!(WIRE_MD.contains("crc32(\"123456789\") = 0xCBF43926"));
}

/// The limits table of WIRE.md §2 states the crate's constants.
#[test]
fn wire_md_limits_are_the_constants() {
    for (name, value) in [
        ("MAX_FRAME_LEN", MAX_FRAME_LEN),
        ("MAX_ENCODED_LEN", MAX_ENCODED_LEN),
        ("MAX_RAW_LEN", MAX_RAW_LEN),
        ("MAX_PAYLOAD_LEN", MAX_PAYLOAD_LEN),
        ("MIN_RAW_LEN", MIN_RAW_LEN),
    ] {
        let row = WIRE_MD
            .lines()
            .find(|l| l.starts_with(&format!("| `{name}`")))
            .unwrap_or_else(|| panic!("{name} missing from WIRE.md"));
        assert!(row.ends_with(&format!("| {value} |")), "{row}");
    }
}

/// The varint table of WIRE.md §4.1 is what postcard writes.
#[test]
fn wire_md_varint_examples_are_postcard() {
    let start = WIRE_MD.find("### 4.1").expect("varint section");
    let mut rows = 0;
    for line in WIRE_MD[start..]
        .lines()
        .skip_while(|l| !l.starts_with("| value"))
        .skip(2)
    {
        let Some(row) = line.strip_prefix("| ") else {
            break;
        };
        let (value, bytes) = row.split_once(" | ").expect("two columns");
        let value: u32 = value.split(' ').next().unwrap().parse().expect("number");
        let bytes = bytes.trim_end_matches(" |").trim_matches('`');
        let mut buf = [0u8; 8];
        let written = postcard::to_slice(&value, &mut buf).expect("fits");
        let hex: Vec<String> = written.iter().map(|b| format!("{b:02x}")).collect();
        assert_eq!(hex.join(" "), bytes, "varint {value}");
        rows += 1;
    }
    assert_eq!(rows, 6);
}
