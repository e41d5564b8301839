//! The link between the bench and a pen.
//!
//! All of needlebench's asynchronous I/O lives here (tokio, and serial ports through
//! tokio-serial / serialport); the protocol crate stays sans-IO. A [`Link`] runs the
//! handshake and then one exchange per firmware tick over any [`Transport`]:
//!
//! | transport | reaches |
//! |---|---|
//! | [`SerialTransport`] | a pen on a serial device (USB CDC, FTDI…) |
//! | [`PenCommandTransport`] | any pen command (`--pen-cmd`: the C pen, QEMU, `needlebench emulate --pty`) in its own process group, through the pty it announces — the same code path as a device |
//! | [`InProcessTransport`] | the reference firmware in this process, still through encoded frames |
//!
//! in one of two clock modes ([`ClockMode`]): lockstep (deterministic, as fast as the pen
//! answers, exact over a lossy line thanks to re-sends) or real time (paced to the wall
//! clock, with lag measured and bounded). [`LinkStats`] reports its health; [`Capture`]
//! keeps the exact bytes each way. [`emulate::serve`] is the other end: the reference
//! firmware behind a pty or device, as `needlebench emulate` runs it. [`echo::EchoPty`] is
//! a pty that echoes what it is sent: the floor the link benchmarks measure against.
//!
//! Failures are [`LinkError`]s, never panics or hangs: every wait has a bound.

mod capture;
pub mod echo;
pub mod emulate;
mod error;
mod link;
mod message;
mod pen;
mod pen_command;
mod ports;
mod stats;
mod transport;

pub use capture::Capture;
pub use error::LinkError;
pub use link::{Link, LinkOptions, TickReply};
pub use message::{PenEvent, PenIdentity};
pub use needlebench_protocol::ClockMode;
pub use pen::{EmulatedPen, PenStats, SESSION_IDLE_US};
pub use pen_command::{
    DEFAULT_PTY_TIMEOUT, PEN_STDERR_LOG, PEN_STDOUT_LOG, PenCommandTransport, PenOutput,
    TERM_GRACE, parse_pty_line,
};
pub use ports::{PortInfo, list_ports};
pub use stats::LinkStats;
pub use transport::{InProcessTransport, SerialTransport, Transport};
