//! Choosing and reaching a pen: the flags `link-test` (and later `run`) share.

use crate::exit::{self, Failure, WithCode};
use clap::{Args, ValueEnum};
use needlebench_bridge::{
    ClockMode, EmulatorTransport, InProcessTransport, Link, LinkOptions, SerialTransport, Transport,
};
use needlebench_firmware::{Firmware, FirmwareConfig};
use std::path::PathBuf;

/// Which emulated pen to use when no `--port` is given.
#[derive(ValueEnum, Debug, Clone, Copy, PartialEq, Eq)]
pub enum EmulatorKind {
    /// The reference firmware in this process (fastest; same bytes as on a wire).
    Inprocess,
    /// `needlebench emulate --pty` in a child process, through its pseudo-terminal.
    Pty,
}

/// Clock mode flag.
#[derive(ValueEnum, Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mode {
    /// The bench grants time tick by tick: deterministic, as fast as the pen answers.
    Lockstep,
    /// Ticks paced to the wall clock at the firmware's tick rate.
    Realtime,
}

/// Where the pen is and how to drive it.
#[derive(Args, Debug, Clone)]
pub struct PenArgs {
    /// Serial device of a real pen (e.g. /dev/ttyACM0).
    #[arg(long, value_name = "DEV", conflicts_with = "emulator")]
    pub port: Option<String>,
    /// Baud rate for --port.
    #[arg(long, default_value_t = 115_200, requires = "port")]
    pub baud: u32,
    /// Emulated pen to use when no --port is given.
    #[arg(long, value_enum, default_value_t = EmulatorKind::Inprocess)]
    pub emulator: EmulatorKind,
    /// Clock mode.
    #[arg(long, value_enum, default_value_t = Mode::Lockstep)]
    pub mode: Mode,
    /// Write the exact byte streams each way (to_pen.bin, from_pen.bin) into DIR.
    #[arg(long, value_name = "DIR")]
    pub capture: Option<PathBuf>,
    /// Real time: fail when lag exceeds this many milliseconds.
    #[arg(long, default_value_t = 50, value_name = "MS")]
    pub max_lag_ms: u64,
}

impl PenArgs {
    /// Open the transport and run the handshake.
    pub fn connect(&self) -> Result<Link, Failure> {
        let transport: Box<dyn Transport> = match (&self.port, self.emulator) {
            (Some(path), _) => Box::new(SerialTransport::open(path, self.baud).code(exit::LINK)?),
            (None, EmulatorKind::Inprocess) => {
                let firmware = Firmware::new(FirmwareConfig::default()).code(exit::INTERNAL)?;
                Box::new(InProcessTransport::new(firmware))
            }
            (None, EmulatorKind::Pty) => {
                let exe = std::env::current_exe().code(exit::INTERNAL)?;
                Box::new(EmulatorTransport::spawn(&exe, &["emulate", "--pty"]).code(exit::LINK)?)
            }
        };
        let opts = LinkOptions {
            clock: match self.mode {
                Mode::Lockstep => ClockMode::Lockstep,
                Mode::Realtime => ClockMode::RealTime,
            },
            lag_bound_us: self.max_lag_ms.saturating_mul(1000),
            capture: self.capture.clone(),
            ..LinkOptions::default()
        };
        Link::connect(transport, opts).code(exit::LINK)
    }
}
