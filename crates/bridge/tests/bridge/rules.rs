//! The conversation rules of `WIRE.md` §5.8, each tested on the reference pen (sans-IO) or on
//! the bench's link (with transports that misbehave the way the rule is about). Test names
//! carry the rule.

use crate::support::{firmware, run_script, sensors_for};
use needlebench_bridge::{
    EmulatedPen, InProcessTransport, Link, LinkError, LinkOptions, SESSION_IDLE_US, Transport,
};
use needlebench_protocol::{
    ActuatorFrame, BenchHello, Capabilities, ClockMode, Decoded, Decoder, DepthControl, Encoder,
    Grant, MAX_FRAME_LEN, Message, PROTOCOL_VERSION, PenHello, Reached,
};
use std::collections::VecDeque;
use std::io;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

/// What the pen sent, owned.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Said {
    Hello { seq: u16, version: u16 },
    Actuators(ActuatorFrame),
    Reached(Reached),
    Event,
    Other,
}

fn frames(msgs: &[Message<'_>]) -> Vec<u8> {
    let mut encoder = Encoder::new();
    let mut out = Vec::new();
    let mut buf = [0u8; MAX_FRAME_LEN];
    for msg in msgs {
        let n = encoder.encode(msg, &mut buf).unwrap();
        out.extend_from_slice(&buf[..n]);
    }
    out
}

fn said(bytes: &[u8]) -> Vec<Said> {
    let mut decoder = Decoder::new();
    let mut input = bytes;
    let mut out = Vec::new();
    while let Some(d) = decoder.feed(&mut input) {
        let Decoded::Frame { seq, msg } = d else {
            panic!("the pen sent a bad frame");
        };
        out.push(match msg {
            Message::PenHello(h) => Said::Hello {
                seq,
                version: h.protocol_version,
            },
            Message::Actuators(a) => Said::Actuators(a),
            Message::Reached(r) => Said::Reached(r),
            Message::Event(_) => Said::Event,
            _ => Said::Other,
        });
    }
    out
}

fn bench_hello(version: u16, clock: ClockMode) -> Message<'static> {
    Message::BenchHello(BenchHello {
        protocol_version: version,
        clock,
    })
}

/// Feed `msgs` to `pen` at `now_us` and return what it says.
fn exchange(pen: &mut EmulatedPen, msgs: &[Message<'_>], now_us: u64) -> Vec<Said> {
    let mut out = Vec::new();
    pen.on_bytes(&frames(msgs), now_us, &mut out);
    said(&out)
}

fn reached_ticks(said: &[Said]) -> Vec<u32> {
    said.iter()
        .filter_map(|s| match s {
            Said::Reached(r) => Some(r.tick),
            _ => None,
        })
        .collect()
}

fn lockstep_tick(tick: u32) -> [Message<'static>; 2] {
    [
        Message::Sensors(sensors_for(tick)),
        Message::Grant(Grant {
            until_tick: tick,
            with_sensors: true,
        }),
    ]
}

#[test]
fn version_mismatch_pen_answers_with_its_own_version_and_starts_no_session() {
    let mut pen = EmulatedPen::new(firmware());
    let reply = exchange(&mut pen, &[bench_hello(2, ClockMode::Lockstep)], 0);
    assert!(
        matches!(reply[..], [Said::Hello { version: 1, .. }]),
        "{reply:?}"
    );
    assert_eq!(pen.stats().sessions, 0);
    assert_eq!(pen.clock(), None);
    // No session: grants are not answered.
    assert!(exchange(&mut pen, &lockstep_tick(0), 0).is_empty());
    assert_eq!(pen.stats().ticks_run, 0);
}

#[test]
fn sequence_numbers_restart_at_zero_with_each_pen_hello() {
    let mut pen = EmulatedPen::new(firmware());
    let hello = bench_hello(PROTOCOL_VERSION, ClockMode::Lockstep);
    exchange(&mut pen, &[hello], 0);
    for t in 0..5 {
        exchange(&mut pen, &lockstep_tick(t), 0);
    }
    let again = exchange(&mut pen, &[hello], 0);
    assert_eq!(
        again,
        [Said::Hello {
            seq: 0,
            version: PROTOCOL_VERSION
        }]
    );
}

#[test]
fn grant_spanning_several_ticks_runs_each_tick_in_order_with_one_reply_per_tick() {
    let mut pen = EmulatedPen::new(firmware());
    exchange(&mut pen, &[bench_hello(1, ClockMode::Lockstep)], 0);
    let mut msgs: Vec<Message<'_>> = (0..4).map(|t| Message::Sensors(sensors_for(t))).collect();
    msgs.push(Message::Grant(Grant {
        until_tick: 3,
        with_sensors: true,
    }));
    let reply = exchange(&mut pen, &msgs, 0);
    assert_eq!(reached_ticks(&reply), [0, 1, 2, 3]);
    assert_eq!(pen.stats().ticks_run, 4);
}

#[test]
fn grant_skipping_ahead_waits_for_every_missing_sensor_frame_and_never_skips_a_tick() {
    let mut pen = EmulatedPen::new(firmware());
    exchange(&mut pen, &[bench_hello(1, ClockMode::Lockstep)], 0);
    // Tick 1's frame is missing: tick 0 runs, then the pen waits.
    let msgs = [
        Message::Sensors(sensors_for(0)),
        Message::Sensors(sensors_for(2)),
        Message::Grant(Grant {
            until_tick: 2,
            with_sensors: true,
        }),
    ];
    assert_eq!(reached_ticks(&exchange(&mut pen, &msgs, 0)), [0]);
    // It comes: ticks 1 and 2 run.
    let late = exchange(&mut pen, &[Message::Sensors(sensors_for(1))], 0);
    assert_eq!(reached_ticks(&late), [1, 2]);
}

#[test]
fn sensors_and_grants_for_ticks_already_run_are_ignored_and_the_last_tick_is_resent() {
    let mut pen = EmulatedPen::new(firmware());
    exchange(&mut pen, &[bench_hello(1, ClockMode::Lockstep)], 0);
    let mut first = Vec::new();
    for t in 0..4 {
        first = exchange(&mut pen, &lockstep_tick(t), 0);
    }
    assert!(exchange(&mut pen, &lockstep_tick(1), 0).is_empty());
    let resent = exchange(&mut pen, &lockstep_tick(3), 0);
    assert_eq!(resent, first, "the same reply again");
    assert_eq!((pen.stats().ticks_run, pen.stats().replies_resent), (4, 1));
}

#[test]
fn session_end_real_time_pen_falls_silent_after_two_seconds_without_a_frame() {
    let mut pen = EmulatedPen::new(firmware());
    exchange(&mut pen, &[bench_hello(1, ClockMode::RealTime)], 0);
    let mut out = Vec::new();
    pen.poll(SESSION_IDLE_US, &mut out);
    assert!(!out.is_empty(), "streams while the session lasts");
    out.clear();
    pen.poll(SESSION_IDLE_US + 1_000, &mut out);
    assert!(out.is_empty(), "silent once the bench is gone");
    assert_eq!(pen.clock(), None);
    // The next hello starts a new session.
    let hello = exchange(
        &mut pen,
        &[bench_hello(1, ClockMode::RealTime)],
        SESSION_IDLE_US + 2_000,
    );
    assert!(matches!(hello[..], [Said::Hello { .. }]));
    assert_eq!(pen.clock(), Some(ClockMode::RealTime));
}

/// The in-process pen behind a line that misbehaves in one scripted way.
struct Misbehaving {
    pen: InProcessTransport,
    /// Every bench write reaches the pen twice.
    duplicate_to_pen: bool,
    /// The pen's output is held back this long after the first write, then released one
    /// frame per read (a pen slow to answer its first hello).
    hold_until: Option<Instant>,
    hold: Duration,
    queue: VecDeque<u8>,
    /// Everything the bench wrote.
    sent: Arc<Mutex<Vec<u8>>>,
}

impl Misbehaving {
    fn new() -> Self {
        Misbehaving {
            pen: InProcessTransport::new(firmware()),
            duplicate_to_pen: false,
            hold_until: None,
            hold: Duration::ZERO,
            queue: VecDeque::new(),
            sent: Arc::default(),
        }
    }
}

impl Transport for Misbehaving {
    fn send(&mut self, bytes: &[u8]) -> io::Result<()> {
        self.hold_until.get_or_insert(Instant::now() + self.hold);
        self.sent.lock().unwrap().extend_from_slice(bytes);
        self.pen.send(bytes)?;
        if self.duplicate_to_pen {
            self.pen.send(bytes)?;
        }
        Ok(())
    }

    fn recv(&mut self, buf: &mut Vec<u8>, timeout: Duration) -> io::Result<usize> {
        let mut fresh = Vec::new();
        self.pen.recv(&mut fresh, Duration::ZERO)?;
        self.queue.extend(fresh);
        if self.hold_until.is_some_and(|t| Instant::now() < t) {
            std::thread::sleep(timeout.min(Duration::from_millis(10)));
            return Ok(0);
        }
        let Some(end) = self.queue.iter().position(|&b| b == 0) else {
            std::thread::sleep(timeout.min(Duration::from_millis(1)));
            return Ok(0);
        };
        buf.extend(self.queue.drain(..=end));
        Ok(end + 1)
    }

    fn describe(&self) -> String {
        "a misbehaving line".into()
    }
}

#[test]
fn duplicate_replies_after_a_repeated_grant_are_ignored_by_the_bench() {
    let clean = {
        let mut link = Link::connect(
            Box::new(InProcessTransport::new(firmware())),
            LinkOptions::default(),
        )
        .unwrap();
        run_script(&mut link, 300)
    };
    let line = Misbehaving {
        duplicate_to_pen: true,
        ..Misbehaving::new()
    };
    let mut link = Link::connect(Box::new(line), LinkOptions::default()).unwrap();
    let doubled = run_script(&mut link, 300);
    assert_eq!(doubled, clean, "each tick's reply and events exactly once");
}

#[test]
fn handshake_race_late_answers_to_repeated_hellos_are_ignored_until_tick_0() {
    let line = Misbehaving {
        hold: Duration::from_millis(600),
        ..Misbehaving::new()
    };
    let sent = line.sent.clone();
    let mut link = Link::connect(Box::new(line), LinkOptions::default()).unwrap();
    let clean = {
        let mut link = Link::connect(
            Box::new(InProcessTransport::new(firmware())),
            LinkOptions::default(),
        )
        .unwrap();
        run_script(&mut link, 200)
    };
    // Three hellos went out (0, 250, 500 ms); the answers to the last two arrive after the
    // first and before tick 0's reply, and change nothing.
    assert_eq!(run_script(&mut link, 200), clean);
    // The bench stopped repeating at the first answer: every hello precedes every tick frame.
    let sent = sent.lock().unwrap().clone();
    let mut decoder = Decoder::new();
    let mut input = &sent[..];
    let mut kinds = Vec::new();
    while let Some(Decoded::Frame { msg, .. }) = decoder.feed(&mut input) {
        kinds.push(matches!(msg, Message::BenchHello(_)));
    }
    let hellos = kinds.iter().filter(|&&h| h).count();
    assert_eq!(hellos, 3, "repeated every 250 ms while the pen was silent");
    assert!(
        kinds[..hellos].iter().all(|&h| h),
        "no hello after a tick frame"
    );
}

/// A pen that answers every write with `answer` (its hello).
struct Answers(Vec<u8>);

impl Transport for Answers {
    fn send(&mut self, _bytes: &[u8]) -> io::Result<()> {
        Ok(())
    }
    fn recv(&mut self, buf: &mut Vec<u8>, _timeout: Duration) -> io::Result<usize> {
        buf.extend_from_slice(&self.0);
        Ok(self.0.len())
    }
    fn describe(&self) -> String {
        "a scripted pen".into()
    }
}

#[test]
fn tick_rate_outside_100_to_10000_hz_or_not_dividing_a_second_is_refused() {
    for (tick_rate_hz, refused) in [
        (0, true),
        (99, true),
        (300, true),
        (20_000, true),
        (100, false),
        (500, false),
        (3125, false),
        (10_000, false),
    ] {
        let hello = Message::PenHello(PenHello {
            protocol_version: 1,
            firmware_name: "odd",
            firmware_version: "1",
            capabilities: Capabilities {
                lockstep: true,
                tick_rate_hz,
                depth_control: DepthControl::ManualDial,
            },
        });
        let result = Link::connect(Box::new(Answers(frames(&[hello]))), LinkOptions::default());
        match result {
            Err(e @ LinkError::BadTickRate { .. }) => {
                assert!(refused, "{tick_rate_hz} Hz refused");
                assert!(e.to_string().contains(&format!("= {tick_rate_hz}:")), "{e}");
            }
            Ok(link) => {
                assert!(!refused, "{tick_rate_hz} Hz accepted");
                assert_eq!(link.tick_period_us(), 1_000_000 / u64::from(tick_rate_hz));
            }
            Err(e) => panic!("{tick_rate_hz} Hz: unexpected {e}"),
        }
    }
}
