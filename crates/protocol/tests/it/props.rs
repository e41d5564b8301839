//! Property tests: any message round-trips, any byte stream is survivable, a valid frame
//! after garbage is recovered, and a frame split anywhere decodes.

use needlebench_protocol::{
    ActuatorFrame, BenchHello, Capabilities, CartridgeInfo, ClockMode, Decoder, DepthControl,
    Encoder, Event, FaultCode, FirmwareState, Grant, Indicator, LogLevel, MAX_FRAME_LEN,
    MAX_LOG_LEN, MAX_NAME_LEN, Message, PenHello, Reached, SensorFrame,
};
use proptest::prelude::*;

use crate::support::{Item, error_count, feed_all, frame, frame_item};

/// A message with owned text, for strategies.
#[derive(Debug, Clone)]
enum ArbMessage {
    /// Any message without text.
    Plain(Message<'static>),
    /// A pen hello: name, version, and the rest.
    PenHello(u16, String, String, Capabilities),
    /// A log event: tick, level, text.
    Log(u32, LogLevel, String),
}

impl ArbMessage {
    fn as_message(&self) -> Message<'_> {
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
fn text(max_bytes: usize) -> impl Strategy<Value = String> {
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

fn fault() -> impl Strategy<Value = FaultCode> {
    prop::sample::select(FaultCode::ALL.to_vec())
}

fn state() -> impl Strategy<Value = FirmwareState> {
    prop::sample::select(vec![
        FirmwareState::Off,
        FirmwareState::Idle,
        FirmwareState::Running,
        FirmwareState::Fault,
    ])
}

fn level() -> impl Strategy<Value = LogLevel> {
    prop::sample::select(vec![
        LogLevel::Debug,
        LogLevel::Info,
        LogLevel::Warn,
        LogLevel::Error,
    ])
}

fn sensors() -> impl Strategy<Value = SensorFrame> {
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

fn actuators() -> impl Strategy<Value = ActuatorFrame> {
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

fn arb_message() -> impl Strategy<Value = ArbMessage> {
    let plain = prop_oneof![
        (any::<u16>(), any::<bool>()).prop_map(|(v, lockstep)| Message::BenchHello(BenchHello {
            protocol_version: v,
            clock: if lockstep {
                ClockMode::Lockstep
            } else {
                ClockMode::RealTime
            },
        })),
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

/// Cuts `bytes` into chunks at the given (sorted, deduplicated) positions.
fn chunks<'b>(bytes: &'b [u8], cuts: &[usize]) -> Vec<&'b [u8]> {
    let mut positions: Vec<usize> = cuts.iter().map(|c| c % (bytes.len() + 1)).collect();
    positions.sort_unstable();
    positions.dedup();
    let mut out = Vec::new();
    let mut start = 0;
    for p in positions.into_iter().chain([bytes.len()]) {
        out.push(&bytes[start..p]);
        start = p;
    }
    out
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(512))]

    /// Any message encodes into at most MAX_FRAME_LEN bytes, with 0x00 only at the end, and
    /// decodes back to itself with its sequence number.
    #[test]
    fn any_message_round_trips(arb in arb_message(), seq in any::<u16>()) {
        let msg = arb.as_message();
        let bytes = frame(seq, &msg);
        prop_assert!(bytes.len() <= MAX_FRAME_LEN);
        prop_assert_eq!(bytes.iter().position(|&b| b == 0), Some(bytes.len() - 1));
        let mut decoder = Decoder::new();
        let items = feed_all(&mut decoder, [bytes.as_slice()]);
        prop_assert_eq!(items, vec![frame_item(seq, &msg)]);
        prop_assert_eq!(decoder.stats().bytes_ok, bytes.len() as u64);
    }

    /// A stream of messages, delivered in arbitrary chunks, decodes in order with no gap.
    #[test]
    fn a_chunked_stream_decodes_in_order(
        msgs in prop::collection::vec(arb_message(), 1..20),
        cuts in prop::collection::vec(any::<usize>(), 0..30),
        first_seq in any::<u16>(),
    ) {
        let mut encoder = Encoder::starting_at(first_seq);
        let mut stream = Vec::new();
        let mut expected = Vec::new();
        let mut out = [0u8; MAX_FRAME_LEN];
        for arb in &msgs {
            let msg = arb.as_message();
            expected.push(frame_item(encoder.next_seq(), &msg));
            let len = encoder.encode(&msg, &mut out).expect("fits");
            stream.extend_from_slice(&out[..len]);
        }
        let mut decoder = Decoder::new();
        let items = feed_all(&mut decoder, chunks(&stream, &cuts));
        prop_assert_eq!(items, expected);
        let stats = decoder.stats();
        prop_assert_eq!(stats.frames_ok, msgs.len() as u64);
        prop_assert_eq!(stats.bytes_ok, stream.len() as u64);
        // Hellos restart the count, so a stream of any messages has no gap or rewind.
        prop_assert_eq!((stats.seq_gaps, stats.seq_rewinds, error_count(&stats)), (0, 0, 0));
    }

    /// Any bytes, in any chunks: no panic, one item per counted frame or error, and every
    /// byte accounted for.
    #[test]
    fn any_byte_stream_is_survivable(
        bytes in prop::collection::vec(
            prop_oneof![4 => any::<u8>(), 1 => Just(0u8)], 0..2000),
        cuts in prop::collection::vec(any::<usize>(), 0..40),
    ) {
        let mut decoder = Decoder::new();
        let items = feed_all(&mut decoder, chunks(&bytes, &cuts));
        let stats = decoder.stats();
        let frames = items.iter().filter(|i| matches!(i, Item::Frame { .. })).count() as u64;
        prop_assert_eq!(stats.frames_ok, frames);
        prop_assert_eq!(error_count(&stats), items.len() as u64 - frames);
        prop_assert_eq!(
            stats.bytes_ok + stats.bytes_discarded + stats.empty_frames
                + decoder.buffered_len() as u64,
            bytes.len() as u64
        );
        prop_assert!(decoder.buffered_len() <= 2 * MAX_FRAME_LEN);
    }

    /// A valid frame right after any garbage (with or without delimiters, of any length) is
    /// recovered exactly, and so is the frame after it.
    #[test]
    fn a_valid_frame_after_garbage_is_recovered(
        garbage in prop::collection::vec(any::<u8>(), 0..600),
        arb in arb_message(),
        seq in any::<u16>(),
        cuts in prop::collection::vec(any::<usize>(), 0..10),
    ) {
        let msg = arb.as_message();
        let next = Message::Grant(Grant { until_tick: 1, with_sensors: false });
        let mut stream = garbage.clone();
        stream.extend(frame(seq, &msg));
        stream.extend(frame(seq.wrapping_add(1), &next));
        let mut decoder = Decoder::new();
        let items = feed_all(&mut decoder, chunks(&stream, &cuts));
        prop_assert!(items.len() >= 2);
        prop_assert_eq!(
            &items[items.len() - 2..],
            &[frame_item(seq, &msg), frame_item(seq.wrapping_add(1), &next)]
        );
        prop_assert_eq!(decoder.buffered_len(), 0);
    }

    /// Two frames split into two feeds at every possible position both decode.
    #[test]
    fn a_frame_split_anywhere_decodes(a in arb_message(), b in arb_message()) {
        let (a, b) = (a.as_message(), b.as_message());
        let mut stream = frame(7, &a);
        stream.extend(frame(8, &b));
        for split in 0..=stream.len() {
            let mut decoder = Decoder::new();
            let items = feed_all(&mut decoder, [&stream[..split], &stream[split..]]);
            prop_assert_eq!(items, vec![frame_item(7, &a), frame_item(8, &b)], "split at {}", split);
        }
    }
}
