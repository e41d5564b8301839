//! Everything that can go wrong on a link, each with what the user needs to act on it.

use std::time::Duration;

/// A link failure. Each variant says what happened and where; none is a panic or a hang.
#[derive(Debug, thiserror::Error)]
pub enum LinkError {
    /// The device path does not exist.
    #[error(
        "serial port {path} not found (is the pen plugged in? `needlebench ports` lists ports)"
    )]
    PortNotFound {
        /// The path that was asked for.
        path: String,
    },
    /// The device exists but this user may not open it.
    #[error(
        "permission denied opening {path} (add yourself to the `dialout` group, or check the device's mode)"
    )]
    PermissionDenied {
        /// The path that was asked for.
        path: String,
    },
    /// Another process holds the port.
    #[error("serial port {path} is busy: another program has it open")]
    PortBusy {
        /// The path that was asked for.
        path: String,
    },
    /// The path exists but is not a serial port (or could not be configured as one).
    #[error("cannot open {path} as a serial port: {detail}")]
    NotASerialPort {
        /// The path that was asked for.
        path: String,
        /// What the system said.
        detail: String,
    },
    /// The emulator process could not be started or did not announce its port.
    #[error("could not start the emulated pen `{program}`: {detail}")]
    EmulatorStart {
        /// The program that was run.
        program: String,
        /// What went wrong.
        detail: String,
    },
    /// A pen command (`--pen-cmd`) could not be started, announced no pty in time, exited
    /// before announcing one, or announced one that cannot be opened.
    #[error("pen command `{command}`: {detail}")]
    PenCommand {
        /// The command as given.
        command: String,
        /// What went wrong.
        detail: String,
    },
    /// The pen did not answer the handshake in time.
    #[error(
        "{pen} did not answer the handshake within {:.3} s (wrong port or baud rate, or firmware not running?)", waited.as_secs_f64()
    )]
    HandshakeTimeout {
        /// What the link was connected to.
        pen: String,
        /// How long the bench waited.
        waited: Duration,
    },
    /// The pen speaks another protocol version.
    #[error(
        "protocol version mismatch: the bench speaks {bench}, the pen `{firmware}` ({reached}) speaks {pen}"
    )]
    VersionMismatch {
        /// What the link was connected to.
        reached: String,
        /// The bench's version.
        bench: u16,
        /// The pen's version.
        pen: u16,
        /// The pen's firmware name.
        firmware: String,
    },
    /// The pen cannot do what was asked (e.g. lockstep).
    #[error("the pen `{firmware}` does not support {what}")]
    Unsupported {
        /// The pen's firmware name.
        firmware: String,
        /// The missing capability.
        what: &'static str,
    },
    /// The pen stopped answering during the run.
    #[error(
        "the pen stopped answering at tick {tick}: no complete reply within {:.3} s ({retransmits} re-sends)", waited.as_secs_f64()
    )]
    PenNotAnswering {
        /// The tick that was waited for.
        tick: u32,
        /// How long the bench waited.
        waited: Duration,
        /// How many times the tick was granted again.
        retransmits: u32,
    },
    /// The port closed or failed under the bench (USB unplugged, emulator killed).
    #[error("the pen disappeared at tick {tick}: {detail}")]
    PenDisappeared {
        /// The last tick sent.
        tick: u32,
        /// What the system said.
        detail: String,
    },
    /// In real time, the bench or the pen fell too far behind the wall clock.
    #[error("real-time lag {lag_us} µs at tick {tick} exceeds the bound of {bound_us} µs")]
    LagExceeded {
        /// The tick at which the bound was crossed.
        tick: u32,
        /// The lag measured.
        lag_us: u64,
        /// The configured bound.
        bound_us: u64,
    },
    /// The pen announced a tick rate the bench cannot run (`WIRE.md` §5.2).
    #[error(
        "the pen `{firmware}` announced tick_rate_hz = {tick_rate_hz}: it must be 100..=10000 and divide 1000000 (a whole number of µs per tick)"
    )]
    BadTickRate {
        /// The pen's firmware name.
        firmware: String,
        /// The rate it announced.
        tick_rate_hz: u32,
    },
    /// The line carried only garbage for too long.
    #[error(
        "the line carried no valid frame in {bytes} bytes ({crc_errors} bad CRCs): wrong baud rate, or not a needlebench pen?"
    )]
    Garbage {
        /// Bytes received without a valid frame.
        bytes: u64,
        /// Bad CRCs among them.
        crc_errors: u64,
    },
    /// Any other I/O error.
    #[error("I/O error on {what}: {source}")]
    Io {
        /// What was being done.
        what: String,
        /// The error.
        source: std::io::Error,
    },
}

impl LinkError {
    pub(crate) fn io(what: impl Into<String>, source: std::io::Error) -> Self {
        LinkError::Io {
            what: what.into(),
            source,
        }
    }
}
