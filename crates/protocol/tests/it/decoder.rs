//! Decoder and encoder behaviour on damaged, odd and oversize input.

use needlebench_protocol::{
    BenchHello, ClockMode, Decoded, Decoder, EncodeError, Encoder, Event, FrameError, Grant,
    LogLevel, MAX_FRAME_LEN, MAX_LOG_LEN, Message, MessageKind, Reached, SensorFrame, TooLong,
    encode_frame,
};

use crate::support::{Item, error_count, feed_all, frame, frame_item, frame_with_payload};

const GRANT: Message<'static> = Message::Grant(Grant {
    until_tick: 77,
    with_sensors: true,
});

fn decode_one(bytes: &[u8]) -> (Vec<Item>, Decoder) {
    let mut decoder = Decoder::new();
    let items = feed_all(&mut decoder, [bytes]);
    (items, decoder)
}

#[test]
fn a_flipped_payload_bit_is_a_crc_error_and_the_next_frame_still_decodes() {
    let msg = Message::Sensors(SensorFrame {
        tick: 0x0101_0101,
        battery_mv: 0x0707,
        ..SensorFrame::default()
    });
    let good = frame(1, &msg);
    let mut bad = good.clone();
    // Encoded: code, 01, code, tag 02, then the tick 81 82 84 88 08: byte 4 is tick data,
    // not a COBS code byte, and flipping its bit 1 keeps it non-zero.
    let at = 4;
    assert_eq!(good[3..5], [0x02, 0x81]);
    bad[at] ^= 0x02;
    assert_ne!(bad[at], 0);
    let mut stream = bad.clone();
    stream.extend_from_slice(&frame(2, &msg));
    let (items, decoder) = decode_one(&stream);
    assert!(
        matches!(items[0], Item::Error(FrameError::Crc { received, computed }) if received != computed),
        "{items:?}"
    );
    assert_eq!(items[1], frame_item(2, &msg));
    let stats = decoder.stats();
    assert_eq!(
        (stats.crc_errors, stats.frames_ok, stats.resyncs),
        (1, 1, 1)
    );
    assert_eq!(stats.bytes_discarded, bad.len() as u64);
    // Frame 1 was lost, frame 2 arrived: no previous CRC-valid seq, so no gap yet.
    assert_eq!(stats.seq_gaps, 0);
}

#[test]
fn an_overlong_run_is_one_oversize_error() {
    let garbage = vec![0x55u8; 3 * MAX_FRAME_LEN];
    let mut stream = garbage.clone();
    stream.push(0);
    let (items, decoder) = decode_one(&stream);
    assert_eq!(
        items,
        [Item::Error(FrameError::Oversize {
            len_bytes: garbage.len()
        })]
    );
    let stats = decoder.stats();
    assert_eq!((stats.oversize, stats.resyncs), (1, 1));
    assert_eq!(stats.bytes_discarded, stream.len() as u64);
    assert_eq!(decoder.buffered_len(), 0);
}

#[test]
fn a_frame_behind_garbage_without_delimiter_is_recovered() {
    for garbage_len in [1, 5, 60, 127, 128, 200, 1000] {
        let garbage: Vec<u8> = (0..garbage_len).map(|i| (i % 251 + 1) as u8).collect();
        let good = frame(9, &GRANT);
        let mut stream = garbage.clone();
        stream.extend_from_slice(&good);
        let (items, decoder) = decode_one(&stream);
        assert_eq!(items, [frame_item(9, &GRANT)], "garbage of {garbage_len}");
        let stats = decoder.stats();
        assert_eq!(stats.resyncs, 1);
        assert_eq!(stats.bytes_discarded, garbage_len as u64);
        assert_eq!(stats.bytes_ok, good.len() as u64);
        assert_eq!(error_count(&stats), 0);
    }
}

#[test]
fn an_unknown_tag_with_a_good_crc_is_counted_and_keeps_the_sequence() {
    let mut stream = frame(0, &GRANT);
    stream.extend(frame_with_payload(1, &[7, 1, 2, 3]));
    stream.extend(frame_with_payload(2, &[0x80, 0x01])); // tag 128, two-byte varint
    stream.extend(frame(3, &GRANT));
    let (items, decoder) = decode_one(&stream);
    assert_eq!(
        items[1..3],
        [
            Item::Error(FrameError::UnknownType { seq: 1, tag: 7 }),
            Item::Error(FrameError::UnknownType { seq: 2, tag: 128 }),
        ]
    );
    assert_eq!(items[3], frame_item(3, &GRANT));
    let stats = decoder.stats();
    assert_eq!((stats.unknown_type, stats.frames_ok), (2, 2));
    assert_eq!((stats.seq_gaps, stats.resyncs), (0, 0));
}

#[test]
fn malformed_payloads_with_good_crcs_are_rejected() {
    let too_long_text = [b'x'; MAX_LOG_LEN + 1];
    let mut log = vec![6, 3, 1, 0, MAX_LOG_LEN as u8 + 1];
    log.extend_from_slice(&too_long_text);
    let cases: [(&[u8], FrameError); 6] = [
        // BenchHello with clock index 2 (only 0 and 1 exist).
        (
            &[0, 1, 2],
            FrameError::Payload {
                seq: 5,
                kind: MessageKind::BenchHello,
            },
        ),
        // Grant followed by a stray byte.
        (
            &[4, 1, 0, 0],
            FrameError::Payload {
                seq: 5,
                kind: MessageKind::Grant,
            },
        ),
        // Grant cut short: no `with_sensors`.
        (
            &[4, 1],
            FrameError::Payload {
                seq: 5,
                kind: MessageKind::Grant,
            },
        ),
        // Sensors with skin_contact = 2 (bools are 0 or 1).
        (
            &[2, 0, 0, 0, 0, 0, 0, 0, 0, 0, 2],
            FrameError::Payload {
                seq: 5,
                kind: MessageKind::Sensors,
            },
        ),
        // Log line with invalid UTF-8.
        (
            &[6, 3, 0, 0, 1, 0xff],
            FrameError::Payload {
                seq: 5,
                kind: MessageKind::Event,
            },
        ),
        // Log line over MAX_LOG_LEN.
        (
            &log,
            FrameError::TextTooLong {
                seq: 5,
                limit: TooLong {
                    field: "event.log.text",
                    len_bytes: MAX_LOG_LEN + 1,
                    max_bytes: MAX_LOG_LEN,
                },
            },
        ),
    ];
    for (payload, error) in cases {
        let (items, decoder) = decode_one(&frame_with_payload(5, payload));
        assert_eq!(items, [Item::Error(error)], "payload {payload:02x?}");
        assert_eq!(decoder.stats().malformed, 1);
        assert_eq!(decoder.stats().resyncs, 0);
    }
}

#[test]
fn invalid_cobs_and_short_frames_are_malformed() {
    // Code byte 0x05 promises 4 bytes, only 2 follow.
    let (items, decoder) = decode_one(&[0x05, 0x11, 0x22, 0x00]);
    assert_eq!(items, [Item::Error(FrameError::Cobs { len_bytes: 3 })]);
    assert_eq!((decoder.stats().malformed, decoder.stats().resyncs), (1, 1));
    // Valid COBS, 3 raw bytes.
    let (items, _) = decode_one(&[0x04, 0x11, 0x22, 0x33, 0x00]);
    assert_eq!(items, [Item::Error(FrameError::TooShort { len_bytes: 3 })]);
}

#[test]
fn sequence_gaps_count_missing_frames_and_hellos_restart() {
    let hello = Message::BenchHello(BenchHello {
        protocol_version: 1,
        clock: ClockMode::RealTime,
    });
    let mut stream = Vec::new();
    for (seq, msg) in [
        (65534, GRANT),
        (65535, GRANT),
        (1, GRANT), // wrapped, 0 missing: gap 1
        (5, GRANT), // 2, 3, 4 missing: gap 3
        (5, GRANT), // duplicate: rewind
        (0, hello), // new session: no gap
        (1, GRANT),
    ] {
        stream.extend(frame(seq, &msg));
    }
    let (items, decoder) = decode_one(&stream);
    assert_eq!(items.len(), 7);
    let stats = decoder.stats();
    assert_eq!(
        (stats.seq_gaps, stats.seq_rewinds, stats.frames_ok),
        (4, 1, 7)
    );
}

#[test]
fn empty_frames_are_skipped_and_counted() {
    let good = frame(0, &GRANT);
    let mut stream = vec![0, 0];
    stream.extend_from_slice(&good);
    stream.push(0);
    let (items, decoder) = decode_one(&stream);
    assert_eq!(items, [frame_item(0, &GRANT)]);
    assert_eq!(decoder.stats().empty_frames, 3);
    assert_eq!(decoder.stats().bytes_discarded, 0);
}

#[test]
fn reset_drops_the_partial_frame() {
    let good = frame(0, &GRANT);
    let mut decoder = Decoder::new();
    let mut input = &good[..4];
    assert_eq!(decoder.feed(&mut input), None);
    assert_eq!(decoder.buffered_len(), 4);
    decoder.reset();
    assert_eq!(decoder.buffered_len(), 0);
    assert_eq!(decoder.stats().bytes_discarded, 4);
    let items = feed_all(&mut decoder, [good.as_slice()]);
    assert_eq!(items, [frame_item(0, &GRANT)]);
}

#[test]
fn text_borrows_from_the_decoder() {
    let msg = Message::Event(Event::Log {
        tick: 3,
        level: LogLevel::Info,
        text: "héllo",
    });
    let bytes = frame(0, &msg);
    let mut decoder = Decoder::new();
    let mut input = bytes.as_slice();
    let Some(Decoded::Frame {
        msg: Message::Event(Event::Log { text, .. }),
        ..
    }) = decoder.feed(&mut input)
    else {
        panic!("log frame expected");
    };
    assert_eq!(text, "héllo");
}

#[test]
fn encoder_refuses_text_over_the_limit() {
    let text = "x".repeat(MAX_LOG_LEN + 1);
    let msg = Message::Event(Event::Log {
        tick: 0,
        level: LogLevel::Error,
        text: &text,
    });
    let mut encoder = Encoder::new();
    let mut out = [0u8; MAX_FRAME_LEN];
    assert_eq!(
        encoder.encode(&msg, &mut out),
        Err(EncodeError::TooLong(TooLong {
            field: "event.log.text",
            len_bytes: MAX_LOG_LEN + 1,
            max_bytes: MAX_LOG_LEN,
        }))
    );
    assert_eq!(
        encoder.next_seq(),
        0,
        "a refused message takes no sequence number"
    );
    // At the limit it fits.
    let msg = Message::Event(Event::Log {
        tick: u32::MAX,
        level: LogLevel::Error,
        text: &text[1..],
    });
    let len = encoder.encode(&msg, &mut out).expect("fits");
    assert!(len <= MAX_FRAME_LEN);
    assert_eq!(encoder.next_seq(), 1);
}

#[test]
fn encoder_reports_the_exact_buffer_size_needed() {
    let msg = Message::Reached(Reached {
        tick: 123_456,
        frames: 3,
    });
    let needed = frame(0, &msg).len();
    let mut out = vec![0u8; needed];
    for short in [0, 1, needed - 1] {
        assert_eq!(
            encode_frame(0, &msg, &mut out[..short]),
            Err(EncodeError::BufferTooSmall {
                needed_bytes: needed,
                available_bytes: short
            })
        );
    }
    assert_eq!(encode_frame(0, &msg, &mut out), Ok(needed));
    assert_eq!(out.last(), Some(&0));
}

#[test]
fn encoder_sequence_wraps() {
    let mut encoder = Encoder::starting_at(u16::MAX);
    let mut out = [0u8; MAX_FRAME_LEN];
    let mut stream = Vec::new();
    for _ in 0..2 {
        let len = encoder.encode(&GRANT, &mut out).expect("fits");
        stream.extend_from_slice(&out[..len]);
    }
    assert_eq!(encoder.next_seq(), 1);
    let (items, decoder) = decode_one(&stream);
    assert_eq!(items, [frame_item(u16::MAX, &GRANT), frame_item(0, &GRANT)]);
    assert_eq!(decoder.stats().seq_gaps, 0);
}

#[test]
fn a_malformed_payload_error_names_the_message_in_snake_case() {
    let e = FrameError::Payload {
        seq: 7,
        kind: MessageKind::BenchHello,
    };
    assert_eq!(e.to_string(), "frame 7: malformed bench_hello payload");
}

#[test]
fn text_names_of_wire_enums_are_the_file_names() {
    use needlebench_protocol::{FaultCode, FirmwareState};
    assert_eq!(
        ClockMode::ALL.map(ClockMode::name),
        ["lockstep", "realtime"]
    );
    for m in ClockMode::ALL {
        assert_eq!(ClockMode::from_name(m.name()), Some(m));
    }
    for f in FaultCode::ALL {
        assert_eq!(FaultCode::from_name(f.name()), Some(f));
    }
    assert_eq!(
        FirmwareState::ALL.map(FirmwareState::name),
        ["off", "idle", "running", "fault"]
    );
    assert_eq!(
        LogLevel::ALL.map(LogLevel::name),
        ["debug", "info", "warn", "error"]
    );
}
