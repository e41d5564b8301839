//! The emulated pen: the reference firmware behind the wire protocol, sans-IO.
//!
//! [`EmulatedPen`] is what sits at the pen's end of every link the bench can make: in the
//! same process ([`crate::InProcessTransport`]) or behind a serial port
//! (`needlebench emulate`, [`crate::emulate`]). Bytes go in with [`EmulatedPen::on_bytes`],
//! bytes to send come out; time is an argument, never read.
//!
//! Lockstep: the pen runs tick `n` once it holds a grant up to `n` and — when the grant says
//! sensor frames come with it — the sensor frame for `n`. After each tick it sends the tick's
//! events, its actuator frame and a `Reached` that counts them. A grant for the tick it has
//! just run makes it re-send that tick's reply (the bench lost part of it); the firmware does
//! not run again, so the run stays exact.
//!
//! Real time: the pen runs on its own clock at its tick rate ([`EmulatedPen::poll`]), each
//! tick with the newest sensor frame that arrived since the previous tick (or none: that is
//! how the firmware sees link loss). Its actuator frame carries the tick of the sensor frame it
//! acted on, so the bench can measure round trips. After [`SESSION_IDLE_US`] without a frame
//! from the bench the session is over and the pen falls silent until the next hello, so a
//! later bench never receives a backlog of stale frames.
//!
//! Hellos: every version-1 `BenchHello` starts a new session and is answered with a
//! `PenHello` whose sequence number is 0. A `BenchHello` of another version is answered with a
//! `PenHello` (which states version 1, so the bench can say what is wrong) and starts nothing.
//! The rules are `WIRE.md` §5.8.

use needlebench_firmware::Firmware;
use needlebench_protocol::{
    ActuatorFrame, ClockMode, Decoded, Decoder, Encoder, MAX_FRAME_LEN, Message, PROTOCOL_VERSION,
    Reached, SensorFrame,
};

/// How many sensor frames ahead of the firmware the pen keeps (lockstep batches).
const SENSOR_WINDOW: usize = 64;

/// Real time: a session ends after this long without a frame from the bench, µs
/// (`WIRE.md` §5.8, "Session end").
pub const SESSION_IDLE_US: u64 = 2_000_000;

/// Counters of the pen's side of the link.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct PenStats {
    /// Bench hellos answered (sessions started).
    pub sessions: u64,
    /// Firmware ticks run.
    pub ticks_run: u64,
    /// Replies re-sent because the bench granted a tick again.
    pub replies_resent: u64,
    /// Frames that could not be encoded (a log line over the limit): dropped.
    pub encode_errors: u64,
}

/// The reference firmware speaking the wire protocol.
#[derive(Debug)]
pub struct EmulatedPen {
    firmware: Firmware,
    tick_period_us: u64,
    encoder: Encoder,
    decoder: Decoder,
    clock: Option<ClockMode>,
    next_tick: u32,
    grant: Option<(u32, bool)>,
    sensors: [Option<SensorFrame>; SENSOR_WINDOW],
    newest_sensors: Option<SensorFrame>,
    last_acted_tick: u32,
    session_start_us: u64,
    last_heard_us: u64,
    reply: Vec<Message<'static>>,
    reply_tick: Option<u32>,
    stats: PenStats,
}

impl EmulatedPen {
    /// A pen running `firmware`.
    pub fn new(firmware: Firmware) -> Self {
        EmulatedPen {
            tick_period_us: firmware.config().tick_period_us().max(1),
            firmware,
            encoder: Encoder::new(),
            decoder: Decoder::new(),
            clock: None,
            next_tick: 0,
            grant: None,
            sensors: [None; SENSOR_WINDOW],
            newest_sensors: None,
            last_acted_tick: 0,
            session_start_us: 0,
            last_heard_us: 0,
            reply: Vec::with_capacity(16),
            reply_tick: None,
            stats: PenStats::default(),
        }
    }

    /// The pen's counters.
    pub fn stats(&self) -> PenStats {
        self.stats
    }

    /// The clock mode of the current session, if a bench has said hello.
    pub fn clock(&self) -> Option<ClockMode> {
        self.clock
    }

    /// Feed bytes received from the bench at `now_us`; append bytes to send to `out`.
    pub fn on_bytes(&mut self, mut input: &[u8], now_us: u64, out: &mut Vec<u8>) {
        while !input.is_empty() {
            let msg = match self.decoder.feed(&mut input) {
                Some(Decoded::Frame { msg, .. }) => msg,
                // Bad frames are counted by the decoder; the bench re-sends what matters.
                Some(Decoded::Error(_)) => continue,
                None => break,
            };
            self.last_heard_us = now_us;
            match msg {
                Message::BenchHello(hello) => {
                    if hello.protocol_version == PROTOCOL_VERSION {
                        self.start_session(hello.clock, now_us);
                        // Sequence numbers restart with each hello (`WIRE.md` §2.1).
                        self.encoder = Encoder::new();
                    }
                    let pen_hello = self.firmware.hello();
                    encode_into(
                        &mut self.encoder,
                        &Message::PenHello(pen_hello),
                        out,
                        &mut self.stats,
                    );
                }
                Message::Sensors(frame) => {
                    self.newest_sensors = Some(frame);
                    self.sensors[frame.tick as usize % SENSOR_WINDOW] = Some(frame);
                }
                Message::Grant(grant) => {
                    self.on_grant(grant.until_tick, grant.with_sensors, out);
                }
                // Pen-to-bench messages arriving at the pen: ignore.
                _ => {}
            }
        }
        if self.clock == Some(ClockMode::Lockstep) {
            self.run_granted(out);
        }
    }

    /// Real time: run every tick due by `now_us`; append bytes to send to `out`.
    pub fn poll(&mut self, now_us: u64, out: &mut Vec<u8>) {
        if self.clock != Some(ClockMode::RealTime) {
            return;
        }
        if now_us.saturating_sub(self.last_heard_us) > SESSION_IDLE_US {
            // The bench has gone: the session is over.
            self.clock = None;
            return;
        }
        while self.tick_time_us(self.next_tick) <= now_us {
            let sensors = self.newest_sensors.take();
            if let Some(s) = &sensors {
                self.last_acted_tick = s.tick;
            }
            let t_us = self.tick_time_us(self.next_tick);
            let mut actuators = self.firmware.tick(t_us, sensors.as_ref());
            actuators.tick = self.last_acted_tick;
            self.emit_tick(actuators, None, out);
        }
    }

    /// Real time: when the next tick is due, µs on the caller's clock (None outside real time).
    pub fn next_deadline_us(&self) -> Option<u64> {
        (self.clock == Some(ClockMode::RealTime)).then(|| self.tick_time_us(self.next_tick))
    }

    fn tick_time_us(&self, tick: u32) -> u64 {
        self.session_start_us + u64::from(tick) * self.tick_period_us
    }

    fn start_session(&mut self, clock: ClockMode, now_us: u64) {
        // The firmware object survives (its cartridge lockout table is "flash");
        // the session counters restart.
        self.firmware.on_session_start();
        self.clock = Some(clock);
        self.next_tick = 0;
        self.grant = None;
        self.sensors = [None; SENSOR_WINDOW];
        self.newest_sensors = None;
        self.last_acted_tick = 0;
        self.session_start_us = now_us;
        self.last_heard_us = now_us;
        self.reply.clear();
        self.reply_tick = None;
        self.stats.sessions += 1;
    }

    fn on_grant(&mut self, until_tick: u32, with_sensors: bool, out: &mut Vec<u8>) {
        if self.clock != Some(ClockMode::Lockstep) {
            return;
        }
        if Some(until_tick) == self.reply_tick && until_tick.wrapping_add(1) == self.next_tick {
            // The bench lost part of the last reply: send it again, unchanged.
            self.stats.replies_resent += 1;
            for msg in &self.reply {
                encode_into(&mut self.encoder, msg, out, &mut self.stats);
            }
            return;
        }
        if until_tick >= self.next_tick {
            self.grant = Some((until_tick, with_sensors));
        }
    }

    fn run_granted(&mut self, out: &mut Vec<u8>) {
        while let Some((until, with_sensors)) = self.grant {
            if self.next_tick > until {
                self.grant = None;
                break;
            }
            let tick = self.next_tick;
            let slot = tick as usize % SENSOR_WINDOW;
            let sensors = match self.sensors[slot] {
                Some(frame) if frame.tick == tick => {
                    self.sensors[slot] = None;
                    Some(frame)
                }
                // Wait for the re-sent sensor frame.
                _ if with_sensors => break,
                _ => None,
            };
            let t_us = u64::from(tick) * self.tick_period_us;
            let mut actuators = self.firmware.tick(t_us, sensors.as_ref());
            actuators.tick = tick;
            self.emit_tick(actuators, Some(tick), out);
        }
    }

    /// Run bookkeeping after a firmware tick and send its events and actuator frame
    /// (and, in lockstep, a `Reached` counting them).
    fn emit_tick(
        &mut self,
        actuators: ActuatorFrame,
        lockstep_tick: Option<u32>,
        out: &mut Vec<u8>,
    ) {
        self.stats.ticks_run += 1;
        self.next_tick = self.next_tick.wrapping_add(1);
        self.reply.clear();
        while let Some(event) = self.firmware.poll_event() {
            self.reply.push(Message::Event(event));
        }
        self.reply.push(Message::Actuators(actuators));
        if let Some(tick) = lockstep_tick {
            let frames = u16::try_from(self.reply.len()).unwrap_or(u16::MAX);
            self.reply.push(Message::Reached(Reached { tick, frames }));
            self.reply_tick = Some(tick);
        }
        for msg in &self.reply {
            encode_into(&mut self.encoder, msg, out, &mut self.stats);
        }
    }

    /// The firmware this pen runs.
    pub fn firmware(&self) -> &Firmware {
        &self.firmware
    }
}

/// Encode one frame onto the end of `out`.
fn encode_into(encoder: &mut Encoder, msg: &Message<'_>, out: &mut Vec<u8>, stats: &mut PenStats) {
    let mut buf = [0u8; MAX_FRAME_LEN];
    match encoder.encode(msg, &mut buf) {
        Ok(n) => out.extend_from_slice(&buf[..n]),
        Err(_) => stats.encode_errors += 1,
    }
}
