//! `needlebench emulate`: the reference firmware behind a serial port, as a real pen.

use crate::exit::{self, Failure, WithCode};
use clap::Args;
use needlebench_bridge::emulate::{EmulatorPort, serve};
use needlebench_firmware::{Firmware, FirmwareConfig};
use std::io::Write;

/// Run the reference pen firmware behind a pseudo-terminal or a serial device.
#[derive(Args, Debug)]
#[command(group = clap::ArgGroup::new("where").required(true))]
pub struct EmulateArgs {
    /// Create a pseudo-terminal and print its path as the first line on stdout.
    #[arg(long, group = "where")]
    pty: bool,
    /// Use this serial device instead.
    #[arg(long, value_name = "DEV", group = "where")]
    port: Option<String>,
    /// Baud rate for --port.
    #[arg(long, default_value_t = 115_200, requires = "port")]
    baud: u32,
    /// Single-use lockout: running time allowed per cartridge, s [default: the firmware's, 1800].
    /// A bench that starts the emulator with --pen-cmd sets NEEDLEBENCH_CARTRIDGE_LIMIT_S to
    /// the scenario's limit, so `--pen-cmd 'needlebench emulate --pty'` runs every scenario as
    /// the reference firmware would.
    #[arg(long, value_name = "S", env = "NEEDLEBENCH_CARTRIDGE_LIMIT_S",
          value_parser = clap::value_parser!(u32).range(1..))]
    cartridge_limit_s: Option<u32>,
}

/// Run the subcommand until Ctrl-C or SIGTERM.
pub fn run(args: EmulateArgs) -> Result<u8, Failure> {
    let port = match args.port {
        Some(path) => EmulatorPort::Device {
            path,
            baud: args.baud,
        },
        None => EmulatorPort::Pty,
    };
    let mut config = FirmwareConfig::default();
    if let Some(limit_s) = args.cartridge_limit_s {
        config.cartridge_max_run_s = limit_s;
    }
    let firmware = Firmware::new(config).code(exit::INTERNAL)?;
    let stats = serve(
        port,
        firmware,
        |path| {
            // The first line on stdout is the port, for scripts and the bench.
            let mut out = std::io::stdout().lock();
            let _ = writeln!(out, "{path}");
            let _ = out.flush();
            // One write for the whole line (eprintln! writes it in pieces): a pen command's
            // stderr may be shared with a script announcing the pty on it, and the bench
            // only finds a line that is whole.
            let line = format!("emulated pen listening on {path} (Ctrl-C to stop)\n");
            let _ = std::io::stderr().lock().write_all(line.as_bytes());
        },
        std::future::pending(),
    )
    .code(exit::LINK)?;
    eprintln!(
        "emulated pen stopped: {} sessions, {} ticks run, {} replies re-sent",
        stats.sessions, stats.ticks_run, stats.replies_resent
    );
    Ok(exit::OK)
}
