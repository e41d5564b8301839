//! The bench's end of a link: handshake, then one exchange per firmware tick, in lockstep or
//! in real time, over any [`Transport`].
//!
//! Lockstep: for tick `n` the bench sends `Sensors{n}` and `Grant{n}` and waits for the pen's
//! reply — its events, `Actuators{n}` and `Reached{n, frames}`. The reply is accepted only when
//! every frame it counts arrived (their sequence numbers run up to the `Reached` with no gap);
//! otherwise, and whenever no reply comes within `retransmit_after`, the bench sends the tick
//! again and the pen re-sends the same reply. A lossy line costs time, never exactness. After
//! `answer_timeout` without a complete reply the link fails with
//! [`LinkError::PenNotAnswering`]. These are wall-clock bounds only because a dead pen must
//! not hang the bench; the pen's own timeouts (link loss) count ticks.
//!
//! Real time: tick `n` is due `n` tick periods after the handshake. The bench sleeps until
//! then (collecting what arrives), sends `Sensors{n}`, and returns the newest actuator frame
//! and the events that have arrived. Lag is the larger of how late the bench sent and how far
//! the pen's answers trail; above `lag_bound_us` the link fails with
//! [`LinkError::LagExceeded`].

use crate::capture::Capture;
use crate::error::LinkError;
use crate::message::{PenEvent, PenIdentity};
use crate::stats::{LinkStats, StatsRecorder};
use crate::transport::Transport;
use needlebench_protocol::{
    ActuatorFrame, BenchHello, ClockMode, Decoded, Decoder, Encoder, Grant, MAX_FRAME_LEN, Message,
    PROTOCOL_VERSION, Reached, SensorFrame, tick_rate_is_valid,
};
use std::collections::VecDeque;
use std::io;
use std::path::PathBuf;
use std::time::{Duration, Instant};

/// How often the bench repeats its `BenchHello` until the pen answers.
pub const HELLO_REPEAT: Duration = Duration::from_millis(250);

/// Real time: how long the bench lets late answers to repeated hellos arrive before tick 0.
const REALTIME_HELLO_SETTLE: Duration = Duration::from_millis(300);

/// How a link behaves. `Default` suits a pen on a local serial port or pty.
#[derive(Debug, Clone)]
pub struct LinkOptions {
    /// Lockstep or real time.
    pub clock: ClockMode,
    /// How long to wait for the pen's hello (the hello is repeated meanwhile).
    pub handshake_timeout: Duration,
    /// Lockstep: grant a tick again when its reply is not complete after this long.
    pub retransmit_after: Duration,
    /// Lockstep: fail when a tick has no complete reply after this long.
    pub answer_timeout: Duration,
    /// Real time: fail when the lag exceeds this many µs.
    pub lag_bound_us: u64,
    /// Fail when this many bytes arrive without one valid frame.
    pub garbage_limit_bytes: u64,
    /// Write the byte streams each way into this directory.
    pub capture: Option<PathBuf>,
}

impl Default for LinkOptions {
    fn default() -> Self {
        LinkOptions {
            clock: ClockMode::Lockstep,
            handshake_timeout: Duration::from_secs(3),
            retransmit_after: Duration::from_millis(50),
            answer_timeout: Duration::from_secs(2),
            lag_bound_us: 50_000,
            garbage_limit_bytes: 64 * 1024,
            capture: None,
        }
    }
}

/// What the pen answered for one tick.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct TickReply {
    /// The tick.
    pub tick: u32,
    /// The pen's actuator frame: in lockstep the one for this tick, in real time the newest.
    pub actuators: ActuatorFrame,
    /// Whether `actuators` arrived during this tick (always true in lockstep).
    pub fresh: bool,
    /// Events the pen sent with this tick (in real time: that arrived during it).
    pub events: Vec<PenEvent>,
}

/// A frame from the pen, owned.
#[derive(Debug, Clone)]
enum Inbound {
    Hello(PenIdentity),
    Actuators(ActuatorFrame),
    Reached(Reached),
    Event(PenEvent),
    Other,
}

/// The bench's end of a link to one pen.
pub struct Link {
    transport: Box<dyn Transport>,
    opts: LinkOptions,
    encoder: Encoder,
    decoder: Decoder,
    pen: PenIdentity,
    recorder: StatsRecorder,
    capture: Option<Capture>,
    rx: Vec<u8>,
    tx: Vec<u8>,
    /// Frames received and not yet consumed, with their sequence numbers.
    inbox: Vec<(u16, Inbound)>,
    reply: TickReply,
    next_tick: u32,
    tick_period_us: u64,
    started: Instant,
    bytes_since_valid: u64,
    // real time
    sent_at: VecDeque<(u32, Instant)>,
    newest_answered: Option<u32>,
}

impl std::fmt::Debug for Link {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Link")
            .field("transport", &self.transport.describe())
            .field("pen", &self.pen)
            .field("next_tick", &self.next_tick)
            .finish_non_exhaustive()
    }
}

impl Link {
    /// Say hello over `transport` and check the pen's answer.
    pub fn connect(transport: Box<dyn Transport>, opts: LinkOptions) -> Result<Self, LinkError> {
        let capture =
            match &opts.capture {
                Some(dir) => Some(Capture::create(dir).map_err(|e| {
                    LinkError::io(format!("creating capture in {}", dir.display()), e)
                })?),
                None => None,
            };
        let mut link = Link {
            transport,
            encoder: Encoder::new(),
            decoder: Decoder::new(),
            pen: PenIdentity {
                protocol_version: 0,
                firmware_name: String::new(),
                firmware_version: String::new(),
                capabilities: needlebench_protocol::Capabilities {
                    lockstep: false,
                    tick_rate_hz: 1000,
                    depth_control: needlebench_protocol::DepthControl::ManualDial,
                },
            },
            recorder: StatsRecorder::new(),
            capture,
            rx: Vec::with_capacity(4096),
            tx: Vec::with_capacity(256),
            inbox: Vec::with_capacity(16),
            reply: TickReply::default(),
            next_tick: 0,
            tick_period_us: 1000,
            started: Instant::now(),
            bytes_since_valid: 0,
            sent_at: VecDeque::new(),
            newest_answered: None,
            opts,
        };
        link.handshake()?;
        Ok(link)
    }

    /// The handshake (`WIRE.md` §5.8): `BenchHello` every 250 ms until the first `PenHello`,
    /// never after it. The pen answers each hello it got, so in lockstep the answers to the
    /// repeats arrive before the reply to tick 0 (a pen handles frames in order) and are
    /// ignored until then ([`Link::receive`]); in real time, where the pen streams from its
    /// hello on, the bench lets them arrive for 300 ms before its first tick.
    fn handshake(&mut self) -> Result<(), LinkError> {
        let begin = Instant::now();
        let hello = Message::BenchHello(BenchHello {
            protocol_version: PROTOCOL_VERSION,
            clock: self.opts.clock,
        });
        let mut last_sent: Option<Instant> = None;
        let mut hellos_sent = 0u32;
        loop {
            if last_sent.is_none_or(|t| t.elapsed() >= HELLO_REPEAT) {
                self.tx.clear();
                self.push_frame(&hello);
                self.flush_tx(0)?;
                last_sent = Some(Instant::now());
                hellos_sent += 1;
            }
            let left = self.opts.handshake_timeout.saturating_sub(begin.elapsed());
            if left.is_zero() {
                return Err(LinkError::HandshakeTimeout {
                    pen: self.transport.describe(),
                    waited: self.opts.handshake_timeout,
                });
            }
            self.receive(left.min(Duration::from_millis(50)), 0)?;
            if let Some(pos) = self
                .inbox
                .iter()
                .position(|(_, m)| matches!(m, Inbound::Hello(_)))
            {
                let Inbound::Hello(id) = self.inbox.remove(pos).1 else {
                    unreachable!()
                };
                // Whatever came before or with the hello (stale frames of an earlier
                // session) is not this session's.
                self.inbox.clear();
                self.pen = id;
                break;
            }
        }
        // Refuse a pen of another version, or one that cannot do what is asked, before
        // anything else is sent to it.
        if self.pen.protocol_version != PROTOCOL_VERSION {
            return Err(LinkError::VersionMismatch {
                reached: self.transport.describe(),
                bench: PROTOCOL_VERSION,
                pen: self.pen.protocol_version,
                firmware: self.pen.firmware_name.clone(),
            });
        }
        if self.opts.clock == ClockMode::Lockstep && !self.pen.capabilities.lockstep {
            return Err(LinkError::Unsupported {
                firmware: self.pen.firmware_name.clone(),
                what: "lockstep (use --mode realtime)",
            });
        }
        let tick_rate_hz = self.pen.capabilities.tick_rate_hz;
        if !tick_rate_is_valid(tick_rate_hz) {
            return Err(LinkError::BadTickRate {
                firmware: self.pen.firmware_name.clone(),
                tick_rate_hz,
            });
        }
        if hellos_sent > 1 && self.opts.clock == ClockMode::RealTime {
            // The pen may still answer the earlier hellos (each restarts its session): let
            // those answers arrive and drop them before the first tick.
            let quiet = Instant::now() + REALTIME_HELLO_SETTLE;
            while let Some(left) = quiet.checked_duration_since(Instant::now()) {
                self.receive(left, 0)?;
            }
            self.inbox.clear();
        }
        self.tick_period_us = 1_000_000 / u64::from(tick_rate_hz);
        self.started = Instant::now();
        Ok(())
    }

    /// The length of one firmware tick, µs (`1 000 000 / tick_rate_hz` of the pen's hello).
    pub fn tick_period_us(&self) -> u64 {
        self.tick_period_us
    }

    /// Who the pen is.
    pub fn pen(&self) -> &PenIdentity {
        &self.pen
    }

    /// What the link is connected to.
    pub fn describe(&self) -> String {
        self.transport.describe()
    }

    /// The tick the next call to [`Link::tick`] runs.
    pub fn next_tick(&self) -> u32 {
        self.next_tick
    }

    /// The real-time lag at which the link fails, µs; `None` in lockstep (no schedule to lag).
    pub fn lag_bound_us(&self) -> Option<u64> {
        match self.opts.clock {
            ClockMode::Lockstep => None,
            ClockMode::RealTime => Some(self.opts.lag_bound_us),
        }
    }

    /// The link's health so far.
    pub fn stats(&self) -> LinkStats {
        self.recorder.snapshot(&self.decoder.stats())
    }

    /// Events received during a tick that failed (what arrived before the failure).
    pub fn partial_events(&self) -> &[PenEvent] {
        &self.reply.events
    }

    /// Flush the capture files, if any.
    pub fn flush(&mut self) -> Result<(), LinkError> {
        if let Some(c) = &mut self.capture {
            c.flush()
                .map_err(|e| LinkError::io("writing the capture", e))?;
        }
        Ok(())
    }

    /// Write `bytes` on the line as they are (an injected burst of line noise). They are
    /// counted in `bytes_to_pen` and kept in the capture; the pen's decoder has to find its
    /// way back, and the lockstep re-sends make up for any frame the noise destroyed.
    pub fn inject_line_noise(&mut self, bytes: &[u8]) -> Result<(), LinkError> {
        self.tx.clear();
        self.tx.extend_from_slice(bytes);
        let tick = self.next_tick;
        self.flush_tx(tick)
    }

    /// Run one tick: send `sensors` (its `tick` is set to [`Link::next_tick`]; `None`
    /// withholds the frame, as an injected link drop) and return the pen's reply.
    pub fn tick(&mut self, sensors: Option<&SensorFrame>) -> Result<&TickReply, LinkError> {
        let tick = self.next_tick;
        self.reply.tick = tick;
        self.reply.events.clear();
        self.reply.fresh = false;
        let sensors = sensors.map(|s| SensorFrame { tick, ..*s });
        match self.opts.clock {
            ClockMode::Lockstep => self.lockstep_tick(tick, sensors.as_ref())?,
            ClockMode::RealTime => self.realtime_tick(tick, sensors.as_ref())?,
        }
        self.next_tick = tick.wrapping_add(1);
        self.recorder.stats.ticks += 1;
        Ok(&self.reply)
    }

    fn lockstep_tick(&mut self, tick: u32, sensors: Option<&SensorFrame>) -> Result<(), LinkError> {
        let begin = Instant::now();
        let mut sent = begin;
        let mut retransmits = 0u32;
        self.send_lockstep(tick, sensors)?;
        loop {
            if self.take_lockstep_reply(tick) {
                let rtt = u64::try_from(begin.elapsed().as_micros()).unwrap_or(u64::MAX);
                self.recorder.record_rtt_us(rtt);
                return Ok(());
            }
            let waited = begin.elapsed();
            if waited >= self.opts.answer_timeout {
                return Err(LinkError::PenNotAnswering {
                    tick,
                    waited,
                    retransmits,
                });
            }
            if sent.elapsed() >= self.opts.retransmit_after {
                retransmits += 1;
                self.recorder.stats.retransmits += 1;
                self.send_lockstep(tick, sensors)?;
                sent = Instant::now();
            }
            let wait = self
                .opts
                .retransmit_after
                .saturating_sub(sent.elapsed())
                .min(self.opts.answer_timeout.saturating_sub(waited));
            self.receive(wait, tick)?;
        }
    }

    fn send_lockstep(&mut self, tick: u32, sensors: Option<&SensorFrame>) -> Result<(), LinkError> {
        self.tx.clear();
        if let Some(s) = sensors {
            self.push_frame(&Message::Sensors(*s));
        }
        self.push_frame(&Message::Grant(Grant {
            until_tick: tick,
            with_sensors: sensors.is_some(),
        }));
        self.flush_tx(tick)
    }

    /// Take the reply to `tick` out of the inbox if every frame of it arrived.
    fn take_lockstep_reply(&mut self, tick: u32) -> bool {
        let Some(end) = self
            .inbox
            .iter()
            .rposition(|(_, m)| matches!(m, Inbound::Reached(r) if r.tick == tick))
        else {
            return false;
        };
        let (reached_seq, Inbound::Reached(reached)) = &self.inbox[end] else {
            return false;
        };
        let count = usize::from(reached.frames);
        let reached_seq = *reached_seq;
        if count > end {
            self.inbox.drain(..=end);
            return false;
        }
        let start = end - count;
        let contiguous = self.inbox[start..end]
            .iter()
            .enumerate()
            .all(|(i, (seq, _))| *seq == reached_seq.wrapping_sub((count - i) as u16));
        let mut actuators = None;
        if contiguous {
            for (_, m) in &self.inbox[start..end] {
                match m {
                    Inbound::Actuators(a) if a.tick == tick => actuators = Some(*a),
                    Inbound::Event(e) => self.reply.events.push(e.clone()),
                    _ => {}
                }
            }
        }
        self.inbox.drain(..=end);
        match actuators {
            Some(a) if contiguous => {
                self.reply.actuators = a;
                self.reply.fresh = true;
                true
            }
            _ => {
                self.reply.events.clear();
                false
            }
        }
    }

    fn realtime_tick(&mut self, tick: u32, sensors: Option<&SensorFrame>) -> Result<(), LinkError> {
        let due = self.started + Duration::from_micros(u64::from(tick) * self.tick_period_us);
        loop {
            let now = Instant::now();
            if now >= due {
                break;
            }
            self.receive(due - now, tick)?;
            self.take_realtime_frames();
        }
        let bench_lag_us = u64::try_from(due.elapsed().as_micros()).unwrap_or(u64::MAX);
        self.tx.clear();
        if let Some(s) = sensors {
            self.push_frame(&Message::Sensors(*s));
            self.sent_at.push_back((tick, Instant::now()));
            while self.sent_at.len() > 4096 {
                self.sent_at.pop_front();
            }
        }
        self.flush_tx(tick)?;
        self.receive(Duration::ZERO, tick)?;
        self.take_realtime_frames();
        let answered = self.newest_answered.unwrap_or(0);
        let pen_lag_us = u64::from(tick.saturating_sub(answered)) * self.tick_period_us;
        let lag_us = bench_lag_us.max(pen_lag_us);
        self.recorder.record_lag_us(lag_us);
        if lag_us > self.opts.lag_bound_us {
            return Err(LinkError::LagExceeded {
                tick,
                lag_us,
                bound_us: self.opts.lag_bound_us,
            });
        }
        Ok(())
    }

    fn take_realtime_frames(&mut self) {
        for (_, m) in self.inbox.drain(..) {
            match m {
                Inbound::Actuators(a) => {
                    while self.sent_at.front().is_some_and(|(t, _)| *t < a.tick) {
                        self.sent_at.pop_front();
                    }
                    if let Some((t, at)) = self.sent_at.front()
                        && *t == a.tick
                    {
                        let rtt = u64::try_from(at.elapsed().as_micros()).unwrap_or(u64::MAX);
                        self.recorder.record_rtt_us(rtt);
                        self.sent_at.pop_front();
                    }
                    if self.newest_answered.is_none_or(|n| a.tick >= n) {
                        self.newest_answered = Some(a.tick);
                    }
                    self.reply.actuators = a;
                    self.reply.fresh = true;
                }
                Inbound::Event(e) => self.reply.events.push(e),
                _ => {}
            }
        }
    }

    fn push_frame(&mut self, msg: &Message<'_>) {
        let mut buf = [0u8; MAX_FRAME_LEN];
        // Every bench-to-pen message is far below the frame limit.
        if let Ok(n) = self.encoder.encode(msg, &mut buf) {
            self.tx.extend_from_slice(&buf[..n]);
            self.recorder.stats.frames_to_pen += 1;
        }
    }

    fn flush_tx(&mut self, tick: u32) -> Result<(), LinkError> {
        if let Some(c) = &mut self.capture {
            c.to_pen(&self.tx)
                .map_err(|e| LinkError::io("writing the capture", e))?;
        }
        self.recorder.stats.bytes_to_pen += self.tx.len() as u64;
        self.transport
            .send(&self.tx)
            .map_err(|e| self.gone(tick, &e))
    }

    fn gone(&mut self, tick: u32, e: &io::Error) -> LinkError {
        let _ = self.flush();
        LinkError::PenDisappeared {
            tick,
            detail: format!("{} ({e})", self.transport.describe()),
        }
    }

    /// Wait up to `timeout` for bytes and decode every complete frame into the inbox.
    fn receive(&mut self, timeout: Duration, tick: u32) -> Result<(), LinkError> {
        self.rx.clear();
        let n = match self.transport.recv(&mut self.rx, timeout) {
            Ok(n) => n,
            Err(e) => return Err(self.gone(tick, &e)),
        };
        if n == 0 {
            return Ok(());
        }
        if let Some(c) = &mut self.capture {
            c.from_pen(&self.rx)
                .map_err(|e| LinkError::io("writing the capture", e))?;
        }
        self.recorder.stats.bytes_from_pen += n as u64;
        let mut input: &[u8] = &self.rx;
        let mut valid = false;
        while !input.is_empty() {
            let (seq, inbound) = match self.decoder.feed(&mut input) {
                Some(Decoded::Frame { seq, msg }) => (seq, to_inbound(&msg)),
                Some(Decoded::Error(_)) => continue,
                None => break,
            };
            valid = true;
            if let (Inbound::Hello(_), true) = (&inbound, self.recorder.stats.ticks > 0) {
                // A pen that says hello after the bench accepted a tick has restarted; one
                // before that answers a repeated `BenchHello` and is ignored.
                let _ = self.flush();
                return Err(LinkError::PenDisappeared {
                    tick,
                    detail: format!(
                        "{} restarted (it sent a new hello)",
                        self.transport.describe()
                    ),
                });
            }
            self.inbox.push((seq, inbound));
        }
        if valid {
            self.bytes_since_valid = 0;
        } else {
            self.bytes_since_valid += n as u64;
            if self.bytes_since_valid > self.opts.garbage_limit_bytes {
                let _ = self.flush();
                return Err(LinkError::Garbage {
                    bytes: self.bytes_since_valid,
                    crc_errors: self.decoder.stats().crc_errors,
                });
            }
        }
        Ok(())
    }
}

impl Drop for Link {
    fn drop(&mut self) {
        let _ = self.flush();
    }
}

fn to_inbound(msg: &Message<'_>) -> Inbound {
    match msg {
        Message::PenHello(h) => Inbound::Hello(PenIdentity::from(h)),
        Message::Actuators(a) => Inbound::Actuators(*a),
        Message::Reached(r) => Inbound::Reached(*r),
        Message::Event(e) => Inbound::Event(PenEvent::from(e)),
        _ => Inbound::Other,
    }
}
