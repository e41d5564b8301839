//! The messages of the bench ↔ pen conversation.
//!
//! Every quantity is an integer in a unit its name carries (`_ma`, `_mv`, `_um`, `_us`,
//! `_permille`), so that a C firmware can fill the frames without floating point.
//!
//! Direction of each message:
//!
//! | message | direction | when |
//! |---|---|---|
//! | [`Message::BenchHello`] | bench → pen | first, and whenever the bench (re)opens the port |
//! | [`Message::PenHello`] | pen → bench | in answer to `BenchHello` |
//! | [`Message::Sensors`] | bench → pen | once per firmware tick |
//! | [`Message::Grant`] | bench → pen | lockstep only: the pen may run up to and including a tick |
//! | [`Message::Actuators`] | pen → bench | once per firmware tick |
//! | [`Message::Reached`] | pen → bench | lockstep only: the pen has run up to and including a tick |
//! | [`Message::Event`] | pen → bench | when something happens in the firmware |

use serde::{Deserialize, Serialize};

/// Version of this protocol. A bench and a pen talk only when the versions are equal.
pub const PROTOCOL_VERSION: u16 = 1;

/// Longest firmware name or version string carried in [`PenHello`], in bytes.
pub const MAX_NAME_LEN: usize = 32;

/// Longest log line carried in [`Event::Log`], in bytes.
pub const MAX_LOG_LEN: usize = 96;

/// Slowest tick rate a pen may announce in [`Capabilities::tick_rate_hz`], Hz.
pub const MIN_TICK_RATE_HZ: u32 = 100;

/// Fastest tick rate a pen may announce in [`Capabilities::tick_rate_hz`], Hz.
pub const MAX_TICK_RATE_HZ: u32 = 10_000;

/// Whether a pen may announce `tick_rate_hz` (`WIRE.md` §5.2): within
/// [`MIN_TICK_RATE_HZ`]..=[`MAX_TICK_RATE_HZ`] and a divisor of 1 000 000, so a tick is a
/// whole number of microseconds and tick `n` starts at exactly `n × 1 000 000 / tick_rate_hz`
/// µs on both sides.
pub const fn tick_rate_is_valid(tick_rate_hz: u32) -> bool {
    tick_rate_hz >= MIN_TICK_RATE_HZ
        && tick_rate_hz <= MAX_TICK_RATE_HZ
        && 1_000_000 % tick_rate_hz == 0
}

/// Longest `Sensors` frame on the wire (every varint at its longest), bytes: the real-time
/// budget towards the pen per tick (`WIRE.md` §1.1).
pub const MAX_SENSORS_FRAME_LEN: u32 = 37;

/// The least UART baud rate (8N1: 10 line bits per byte) that carries real time at
/// `tick_rate_hz` towards the pen (`WIRE.md` §1.1). USB CDC and ptys ignore the baud rate.
pub const fn least_realtime_baud(tick_rate_hz: u32) -> u64 {
    MAX_SENSORS_FRAME_LEN as u64 * 10 * tick_rate_hz as u64
}

/// Longest hall period the bench sends in [`SensorFrame::hall_period_us`], µs: a slower
/// motor (under 10 strokes/s), no pulse for longer than this, or a single pulse since
/// standstill reads as 0, "stopped" (`WIRE.md` §5.3).
pub const MAX_HALL_PERIOD_US: u32 = 100_000;

/// One message on the wire. Text fields borrow from the received frame.
#[derive(Serialize, Deserialize, Debug, Clone, Copy, PartialEq, Eq)]
pub enum Message<'a> {
    /// Bench → pen: opens (or re-opens) a session.
    BenchHello(BenchHello),
    /// Pen → bench: answer to [`Message::BenchHello`].
    #[serde(borrow)]
    PenHello(PenHello<'a>),
    /// Bench → pen: what the pen's sensors read for one tick.
    Sensors(SensorFrame),
    /// Pen → bench: what the pen drives after one tick.
    Actuators(ActuatorFrame),
    /// Bench → pen (lockstep): the pen may run up to and including `until_tick`.
    Grant(Grant),
    /// Pen → bench (lockstep): the pen has run up to and including `tick`.
    Reached(Reached),
    /// Pen → bench: something happened inside the firmware.
    #[serde(borrow)]
    Event(Event<'a>),
}

impl Message<'_> {
    /// The kind of this message, for statistics and error messages.
    pub fn kind(&self) -> MessageKind {
        match self {
            Message::BenchHello(_) => MessageKind::BenchHello,
            Message::PenHello(_) => MessageKind::PenHello,
            Message::Sensors(_) => MessageKind::Sensors,
            Message::Actuators(_) => MessageKind::Actuators,
            Message::Grant(_) => MessageKind::Grant,
            Message::Reached(_) => MessageKind::Reached,
            Message::Event(_) => MessageKind::Event,
        }
    }
}

/// The kind of a [`Message`]; its discriminant is the message's tag byte on the wire.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
#[repr(u8)]
pub enum MessageKind {
    /// [`Message::BenchHello`]
    BenchHello = 0,
    /// [`Message::PenHello`]
    PenHello = 1,
    /// [`Message::Sensors`]
    Sensors = 2,
    /// [`Message::Actuators`]
    Actuators = 3,
    /// [`Message::Grant`]
    Grant = 4,
    /// [`Message::Reached`]
    Reached = 5,
    /// [`Message::Event`]
    Event = 6,
}

impl MessageKind {
    /// The message's snake_case name, for statistics and error messages.
    pub fn name(self) -> &'static str {
        match self {
            MessageKind::BenchHello => "bench_hello",
            MessageKind::PenHello => "pen_hello",
            MessageKind::Sensors => "sensors",
            MessageKind::Actuators => "actuators",
            MessageKind::Grant => "grant",
            MessageKind::Reached => "reached",
            MessageKind::Event => "event",
        }
    }
}

/// How the bench will drive the pen's clock: the one clock enum of needlebench (scenario files,
/// `meta.toml`, the command line and the wire).
///
/// The wire carries the variant's index; text (serde, [`ClockMode::name`]) uses `lockstep` and
/// `realtime`.
#[derive(Serialize, Deserialize, Debug, Clone, Copy, PartialEq, Eq, Default, Hash)]
#[serde(rename_all = "lowercase")]
pub enum ClockMode {
    /// The pen runs only as far as the bench grants ([`Message::Grant`]).
    #[default]
    Lockstep,
    /// The pen runs on its own clock; the bench paces sensor frames to the wall clock.
    RealTime,
}

impl ClockMode {
    /// Both modes.
    pub const ALL: [ClockMode; 2] = [ClockMode::Lockstep, ClockMode::RealTime];

    /// Stable name, as used in scenario files, `meta.toml` and on the command line.
    pub fn name(self) -> &'static str {
        match self {
            ClockMode::Lockstep => "lockstep",
            ClockMode::RealTime => "realtime",
        }
    }

    /// The mode with this name.
    pub fn from_name(name: &str) -> Option<ClockMode> {
        ClockMode::ALL.into_iter().find(|m| m.name() == name)
    }
}

/// Bench → pen greeting.
#[derive(Serialize, Deserialize, Debug, Clone, Copy, PartialEq, Eq)]
pub struct BenchHello {
    /// Must equal [`PROTOCOL_VERSION`].
    pub protocol_version: u16,
    /// How the bench will drive the pen's clock for this session.
    pub clock: ClockMode,
}

/// How the pen sets needle exposure.
#[derive(Serialize, Deserialize, Debug, Clone, Copy, PartialEq, Eq)]
pub enum DepthControl {
    /// A mechanical dial: the firmware only reads [`SensorFrame::depth_um`].
    ManualDial,
    /// A motorised depth actuator driven to [`ActuatorFrame::depth_setpoint_um`].
    Motorized,
}

/// What a pen's firmware can do.
#[derive(Serialize, Deserialize, Debug, Clone, Copy, PartialEq, Eq)]
pub struct Capabilities {
    /// The firmware can run in lockstep ([`ClockMode::Lockstep`]).
    pub lockstep: bool,
    /// Firmware tick rate in Hz (the reference firmware: 1000); the bench refuses a rate for
    /// which [`tick_rate_is_valid`] is false.
    pub tick_rate_hz: u32,
    /// How exposure is set.
    pub depth_control: DepthControl,
}

/// Pen → bench greeting.
#[derive(Serialize, Deserialize, Debug, Clone, Copy, PartialEq, Eq)]
pub struct PenHello<'a> {
    /// The pen's protocol version; the bench refuses a mismatch.
    pub protocol_version: u16,
    /// Firmware name, at most [`MAX_NAME_LEN`] bytes of UTF-8.
    pub firmware_name: &'a str,
    /// Firmware version, at most [`MAX_NAME_LEN`] bytes of UTF-8.
    pub firmware_version: &'a str,
    /// What the firmware can do.
    pub capabilities: Capabilities,
}

/// Button bits in [`SensorFrame::buttons`]: a bit is set while the button is held.
pub mod buttons {
    /// Start/stop (power) button.
    pub const POWER: u8 = 1 << 0;
    /// Speed level up.
    pub const SPEED_UP: u8 = 1 << 1;
    /// Speed level down.
    pub const SPEED_DOWN: u8 = 1 << 2;
}

/// The needle cartridge as the pen's cartridge sensor sees it.
#[derive(Serialize, Deserialize, Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct CartridgeInfo {
    /// A cartridge is seated.
    pub present: bool,
    /// Cartridge identity (e.g. from an RFID tag or resistor code); 0 if unknown.
    pub id: u32,
    /// Number of needles in the cartridge.
    pub needle_count: u8,
}

/// Bench → pen, once per firmware tick: what the pen's sensors read.
#[derive(Serialize, Deserialize, Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct SensorFrame {
    /// The firmware tick this frame is for (the first tick is 0).
    pub tick: u32,
    /// Motor current, mA.
    pub motor_current_ma: u16,
    /// Time between hall pulses (one pulse per motor revolution, one revolution per needle
    /// stroke), µs: 0 (stopped) or 1..=[`MAX_HALL_PERIOD_US`]. 0 when no pulse has been seen
    /// for longer than 100 ms, when the last two pulses are further apart than that, or when
    /// only one pulse was seen since standstill.
    pub hall_period_us: u32,
    /// Battery terminal voltage, mV.
    pub battery_mv: u16,
    /// Depth dial position or depth actuator position, µm of needle exposure.
    pub depth_um: u16,
    /// Held buttons, see [`buttons`].
    pub buttons: u8,
    /// Cartridge sensor.
    pub cartridge: CartridgeInfo,
    /// The pen's guard touches skin.
    pub skin_contact: bool,
}

/// State of the firmware's state machine.
///
/// The wire carries the variant's index; text (serde, [`FirmwareState::name`]) is snake_case.
#[derive(Serialize, Deserialize, Debug, Clone, Copy, PartialEq, Eq, Default, Hash)]
#[serde(rename_all = "snake_case")]
pub enum FirmwareState {
    /// Powered down; only the power button is read.
    #[default]
    Off,
    /// Powered, motor stopped.
    Idle,
    /// Motor running at the selected speed level.
    Running,
    /// A fault is latched; the motor is off until the fault is cleared.
    Fault,
}

/// Fault codes, in one place for the firmware, the bench and the reports.
///
/// The wire carries the variant's index (`None` = 0 … `Internal` = 8); text (serde, scenario
/// files, recordings, reports: [`FaultCode::name`]) is snake_case.
#[derive(
    Serialize, Deserialize, Debug, Clone, Copy, PartialEq, Eq, Default, Hash, PartialOrd, Ord,
)]
#[serde(rename_all = "snake_case")]
pub enum FaultCode {
    /// No fault.
    #[default]
    None,
    /// Speed collapsed while the drive was high: stall or excessive pressure.
    Stall,
    /// Motor current above the cut-off.
    OverCurrent,
    /// No sensor frame for too many ticks.
    LinkLoss,
    /// Battery too low to start, or sagged below the run threshold.
    LowBattery,
    /// No cartridge seated.
    CartridgeAbsent,
    /// The cartridge exceeded its single-use limit (strokes or time).
    CartridgeExpired,
    /// The firmware's own tick overran its watchdog.
    Watchdog,
    /// Internal error (should not happen).
    Internal,
}

impl FaultCode {
    /// Every fault code, in wire order.
    pub const ALL: [FaultCode; 9] = [
        FaultCode::None,
        FaultCode::Stall,
        FaultCode::OverCurrent,
        FaultCode::LinkLoss,
        FaultCode::LowBattery,
        FaultCode::CartridgeAbsent,
        FaultCode::CartridgeExpired,
        FaultCode::Watchdog,
        FaultCode::Internal,
    ];

    /// Stable snake_case name, as used in recordings and reports.
    pub fn name(self) -> &'static str {
        match self {
            FaultCode::None => "none",
            FaultCode::Stall => "stall",
            FaultCode::OverCurrent => "over_current",
            FaultCode::LinkLoss => "link_loss",
            FaultCode::LowBattery => "low_battery",
            FaultCode::CartridgeAbsent => "cartridge_absent",
            FaultCode::CartridgeExpired => "cartridge_expired",
            FaultCode::Watchdog => "watchdog",
            FaultCode::Internal => "internal",
        }
    }

    /// The fault code with this name.
    pub fn from_name(name: &str) -> Option<FaultCode> {
        FaultCode::ALL.into_iter().find(|f| f.name() == name)
    }
}

impl FirmwareState {
    /// Every state, in wire order.
    pub const ALL: [FirmwareState; 4] = [
        FirmwareState::Off,
        FirmwareState::Idle,
        FirmwareState::Running,
        FirmwareState::Fault,
    ];

    /// Stable snake_case name, as used in recordings and reports.
    pub fn name(self) -> &'static str {
        match self {
            FirmwareState::Off => "off",
            FirmwareState::Idle => "idle",
            FirmwareState::Running => "running",
            FirmwareState::Fault => "fault",
        }
    }
}

/// The pen's indicator light.
#[derive(Serialize, Deserialize, Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Indicator {
    /// Dark.
    #[default]
    Off,
    /// Steady green: ready / running.
    Green,
    /// Amber: warning (e.g. battery low but still running).
    Amber,
    /// Red: fault latched.
    Red,
}

/// Pen → bench, once per firmware tick: what the firmware drives.
#[derive(Serialize, Deserialize, Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct ActuatorFrame {
    /// The tick this frame answers: in lockstep the granted tick; in real time the tick of
    /// the newest [`SensorFrame`] the pen has acted on this session (0 before the first).
    pub tick: u32,
    /// Motor PWM duty, ‰ (0–1000).
    pub motor_duty_permille: u16,
    /// Depth actuator setpoint, µm of exposure (pens with a manual dial echo the dial).
    pub depth_setpoint_um: u16,
    /// Selected speed level: 0 in [`FirmwareState::Off`], 1–6 in every other state (the level
    /// is kept through `Idle` and `Fault`).
    pub speed_level: u8,
    /// Indicator light.
    pub indicator: Indicator,
    /// Firmware state after this tick.
    pub state: FirmwareState,
    /// Latched fault, [`FaultCode::None`] if none.
    pub fault: FaultCode,
}

/// Bench → pen (lockstep): permission to run up to and including `until_tick`.
///
/// When `with_sensors` is true the bench has sent a [`SensorFrame`] for every granted tick,
/// and the pen must not run a tick before it holds that tick's frame (a frame lost on the
/// line is re-sent by the bench, so the run stays exact). When it is false the bench
/// deliberately withholds sensor frames (an injected link drop): the pen runs the granted
/// ticks without them, as a pen whose link went quiet would.
#[derive(Serialize, Deserialize, Debug, Clone, Copy, PartialEq, Eq)]
pub struct Grant {
    /// Last tick the pen may run.
    pub until_tick: u32,
    /// A sensor frame accompanies every granted tick.
    pub with_sensors: bool,
}

/// Pen → bench (lockstep): the pen has run up to and including `tick`.
///
/// `frames` counts the frames the pen sent for this tick before this one (its events and
/// its [`ActuatorFrame`]); their sequence numbers are the `frames` numbers just below this
/// frame's. The bench accepts the tick only when it holds all of them, and otherwise
/// grants the same tick again, which makes the pen re-send the same reply.
#[derive(Serialize, Deserialize, Debug, Clone, Copy, PartialEq, Eq)]
pub struct Reached {
    /// Last tick run.
    pub tick: u32,
    /// Frames sent for this tick before this `Reached`.
    pub frames: u16,
}

/// Severity of a [`Event::Log`] line.
///
/// The wire carries the variant's index; text (serde, [`LogLevel::name`]) is snake_case.
#[derive(Serialize, Deserialize, Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[serde(rename_all = "snake_case")]
pub enum LogLevel {
    /// Diagnostic detail.
    Debug,
    /// Normal operation.
    Info,
    /// Something unusual but handled.
    Warn,
    /// Something failed.
    Error,
}

impl LogLevel {
    /// Every level, in wire order.
    pub const ALL: [LogLevel; 4] = [
        LogLevel::Debug,
        LogLevel::Info,
        LogLevel::Warn,
        LogLevel::Error,
    ];

    /// Stable snake_case name (`debug`, `info`, `warn`, `error`), as used in recordings.
    pub fn name(self) -> &'static str {
        match self {
            LogLevel::Debug => "debug",
            LogLevel::Info => "info",
            LogLevel::Warn => "warn",
            LogLevel::Error => "error",
        }
    }
}

/// Pen → bench: something happened inside the firmware.
#[derive(Serialize, Deserialize, Debug, Clone, Copy, PartialEq, Eq)]
pub enum Event<'a> {
    /// The state machine moved.
    StateChanged {
        /// Tick at which it moved.
        tick: u32,
        /// Previous state.
        from: FirmwareState,
        /// New state.
        to: FirmwareState,
    },
    /// A fault was raised (and latched).
    FaultRaised {
        /// Tick at which it was raised.
        tick: u32,
        /// The fault.
        code: FaultCode,
    },
    /// A latched fault was cleared.
    FaultCleared {
        /// Tick at which it was cleared.
        tick: u32,
        /// The fault.
        code: FaultCode,
    },
    /// A log line, at most [`MAX_LOG_LEN`] bytes of UTF-8.
    Log {
        /// Tick at which it was logged.
        tick: u32,
        /// Severity.
        level: LogLevel,
        /// Text.
        text: &'a str,
    },
}
