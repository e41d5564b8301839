//! Owned copies of what the pen says, for the runner and the recordings.

use needlebench_protocol::{Capabilities, Event, FaultCode, FirmwareState, LogLevel, PenHello};

/// Who the pen said it is in its hello.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PenIdentity {
    /// The pen's protocol version.
    pub protocol_version: u16,
    /// Firmware name.
    pub firmware_name: String,
    /// Firmware version.
    pub firmware_version: String,
    /// What the firmware can do.
    pub capabilities: Capabilities,
}

impl From<&PenHello<'_>> for PenIdentity {
    fn from(h: &PenHello<'_>) -> Self {
        PenIdentity {
            protocol_version: h.protocol_version,
            firmware_name: h.firmware_name.to_owned(),
            firmware_version: h.firmware_version.to_owned(),
            capabilities: h.capabilities,
        }
    }
}

/// A firmware event, owned.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PenEvent {
    /// The state machine moved.
    StateChanged {
        /// Tick.
        tick: u32,
        /// Previous state.
        from: FirmwareState,
        /// New state.
        to: FirmwareState,
    },
    /// A fault was raised.
    FaultRaised {
        /// Tick.
        tick: u32,
        /// Fault.
        code: FaultCode,
    },
    /// A fault was cleared.
    FaultCleared {
        /// Tick.
        tick: u32,
        /// Fault.
        code: FaultCode,
    },
    /// A log line.
    Log {
        /// Tick.
        tick: u32,
        /// Severity.
        level: LogLevel,
        /// Text.
        text: String,
    },
}

impl From<&Event<'_>> for PenEvent {
    fn from(e: &Event<'_>) -> Self {
        match *e {
            Event::StateChanged { tick, from, to } => PenEvent::StateChanged { tick, from, to },
            Event::FaultRaised { tick, code } => PenEvent::FaultRaised { tick, code },
            Event::FaultCleared { tick, code } => PenEvent::FaultCleared { tick, code },
            Event::Log { tick, level, text } => PenEvent::Log {
                tick,
                level,
                text: text.to_owned(),
            },
        }
    }
}
