//! Rust ↔ C cross-check on random messages (seeded, so every run checks the same ones):
//! frames encoded by the Rust protocol crate decode in C to the same fields and re-encode to
//! the same bytes, and messages encoded in C are the bytes Rust encodes (and decodes back).
//! The C side is `sdk/c/tests/crosscheck.c`, driven over stdin/stdout.

use crate::arb::arb_message;
use crate::support::built;
use needlebench_protocol::{
    ClockMode, Decoded, Decoder, Event, FaultCode, FirmwareState, LogLevel, MAX_FRAME_LEN, Message,
    encode_frame,
};
use needlebench_sdk_c::{Artifact, require};
use proptest::prelude::*;
use proptest::test_runner::{Config, RngAlgorithm, TestRng, TestRunner};
use std::fmt::Write as _;
use std::io::Write as _;
use std::process::{Command, Stdio};

fn hex(bytes: &[u8]) -> String {
    if bytes.is_empty() {
        return "-".to_owned();
    }
    bytes.iter().fold(String::new(), |mut s, b| {
        let _ = write!(s, "{b:02x}");
        s
    })
}

fn index<T: PartialEq + Copy>(all: &[T], value: T) -> usize {
    all.iter().position(|&v| v == value).expect("listed")
}

/// The fields of `msg` as `crosscheck.c` prints and parses them.
fn fields(seq: u16, msg: &Message<'_>) -> String {
    let kind = msg.kind() as u8;
    let st = |s| index(&FirmwareState::ALL, s);
    let fc = |f| index(&FaultCode::ALL, f);
    let rest = match msg {
        Message::BenchHello(h) => {
            format!("{} {}", h.protocol_version, index(&ClockMode::ALL, h.clock))
        }
        Message::PenHello(h) => format!(
            "{} {} {} {} {} {}",
            h.protocol_version,
            hex(h.firmware_name.as_bytes()),
            hex(h.firmware_version.as_bytes()),
            u8::from(h.capabilities.lockstep),
            h.capabilities.tick_rate_hz,
            h.capabilities.depth_control as u8
        ),
        Message::Sensors(s) => format!(
            "{} {} {} {} {} {} {} {} {} {}",
            s.tick,
            s.motor_current_ma,
            s.hall_period_us,
            s.battery_mv,
            s.depth_um,
            s.buttons,
            u8::from(s.cartridge.present),
            s.cartridge.id,
            s.cartridge.needle_count,
            u8::from(s.skin_contact)
        ),
        Message::Actuators(a) => format!(
            "{} {} {} {} {} {} {}",
            a.tick,
            a.motor_duty_permille,
            a.depth_setpoint_um,
            a.speed_level,
            a.indicator as u8,
            st(a.state),
            fc(a.fault)
        ),
        Message::Grant(g) => format!("{} {}", g.until_tick, u8::from(g.with_sensors)),
        Message::Reached(r) => format!("{} {}", r.tick, r.frames),
        Message::Event(Event::StateChanged { tick, from, to }) => {
            format!("0 {tick} {} {}", st(*from), st(*to))
        }
        Message::Event(Event::FaultRaised { tick, code }) => format!("1 {tick} {}", fc(*code)),
        Message::Event(Event::FaultCleared { tick, code }) => format!("2 {tick} {}", fc(*code)),
        Message::Event(Event::Log { tick, level, text }) => format!(
            "3 {tick} {} {}",
            index(&LogLevel::ALL, *level),
            hex(text.as_bytes())
        ),
    };
    format!("{seq} {kind} {rest}")
}

/// Sends `requests` to the C cross-check program; its answers, one per request.
fn ask_c(requests: &str) -> Vec<String> {
    let mut child = Command::new(built(Artifact::Tests).with_file_name("crosscheck"))
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .expect("start crosscheck");
    let mut stdin = child.stdin.take().expect("stdin");
    let input = requests.to_owned();
    let writer = std::thread::spawn(move || stdin.write_all(input.as_bytes()));
    let out = child.wait_with_output().expect("crosscheck output");
    writer.join().expect("writer").expect("write requests");
    assert!(out.status.success(), "crosscheck failed");
    String::from_utf8(out.stdout)
        .expect("ASCII answers")
        .lines()
        .map(str::to_owned)
        .collect()
}

fn encode(seq: u16, msg: &Message<'_>) -> Vec<u8> {
    let mut buf = [0u8; MAX_FRAME_LEN];
    let n = encode_frame(seq, msg, &mut buf).expect("random messages are within the limits");
    buf[..n].to_vec()
}

#[test]
fn random_messages_cross_rust_and_c_both_ways_with_identical_fields_and_bytes() {
    if !require("gcc") {
        return;
    }
    let config = Config {
        cases: 8,
        failure_persistence: None,
        ..Config::default()
    };
    // A fixed seed: the same 8 × 400 messages on every run and machine.
    let rng = TestRng::from_seed(RngAlgorithm::ChaCha, &[0x5d; 32]);
    let mut runner = TestRunner::new_with_rng(config, rng);
    let batch = proptest::collection::vec((any::<u16>(), arb_message()), 400);
    runner
        .run(&batch, |messages| {
            let mut requests = String::new();
            let mut expected = Vec::new();
            for (seq, owned) in &messages {
                let msg = owned.as_message();
                let frame = encode(*seq, &msg);
                let f = fields(*seq, &msg);
                // Rust → C: decode, fields, re-encode.
                let _ = writeln!(requests, "D {}", hex(&frame));
                expected.push(format!("{f} | {}", hex(&frame)));
                // C → Rust: encode from the fields.
                let _ = writeln!(requests, "E {f}");
                expected.push(hex(&frame));
            }
            let answers = ask_c(&requests);
            prop_assert_eq!(answers.len(), expected.len());
            for ((answer, want), (seq, owned)) in answers
                .iter()
                .zip(&expected)
                .zip(messages.iter().flat_map(|m| [m, m]))
            {
                prop_assert_eq!(answer, want, "message {:?} seq {}", owned.as_message(), seq);
            }
            // And Rust decodes what C encoded back to the message.
            for (answer, (seq, owned)) in answers.iter().skip(1).step_by(2).zip(&messages) {
                let bytes: Vec<u8> = (0..answer.len())
                    .step_by(2)
                    .map(|i| u8::from_str_radix(&answer[i..i + 2], 16).expect("hex"))
                    .collect();
                let mut decoder = Decoder::new();
                let mut input = bytes.as_slice();
                match decoder.feed(&mut input) {
                    Some(Decoded::Frame { seq: s, msg }) => {
                        prop_assert_eq!(s, *seq);
                        prop_assert_eq!(msg, owned.as_message());
                    }
                    other => prop_assert!(false, "C's frame did not decode: {:?}", other),
                }
            }
            Ok(())
        })
        .unwrap_or_else(|e| panic!("{e}"));
}

#[test]
fn c_rejects_what_rust_rejects_for_corrupted_frames() {
    if !require("gcc") {
        return;
    }
    // Every single-byte corruption of a frame: C and Rust agree on frame versus error.
    let msg = Message::Event(Event::Log {
        tick: 77,
        level: LogLevel::Info,
        text: "cross-check",
    });
    let frame = encode(513, &msg);
    let mut requests = String::new();
    let mut rust = Vec::new();
    for at in 0..frame.len() - 1 {
        for flip in [0x01u8, 0x80, 0xff] {
            let mut bad = frame.clone();
            bad[at] ^= flip;
            if bad[at] == 0 {
                continue; // a new delimiter: two runs, not one corrupted frame
            }
            let _ = writeln!(requests, "D {}", hex(&bad));
            let mut decoder = Decoder::new();
            let mut input = bad.as_slice();
            rust.push(matches!(
                decoder.feed(&mut input),
                Some(Decoded::Frame { .. })
            ));
        }
    }
    let answers = ask_c(&requests);
    assert_eq!(answers.len(), rust.len());
    for (i, (answer, rust_ok)) in answers.iter().zip(&rust).enumerate() {
        assert_eq!(
            !answer.starts_with("ERR"),
            *rust_ok,
            "corruption {i}: C says {answer}"
        );
    }
}
