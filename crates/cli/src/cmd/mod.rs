//! Subcommands, one module each.

use crate::exit::Failure;
use clap::Subcommand;

mod emulate;
mod link_test;
mod pen_args;
mod ports;
mod sites;
mod stroke;

/// Every subcommand of `needlebench`.
#[derive(Subcommand, Debug)]
pub enum Command {
    /// Run the reference pen firmware behind a pseudo-terminal or serial device.
    Emulate(emulate::EmulateArgs),
    /// List serial ports with what is known about them.
    Ports(ports::PortsArgs),
    /// Exchange N ticks of frames with a pen and report the link's health.
    LinkTest(link_test::LinkTestArgs),
    /// List the built-in anatomical sites with their layer thicknesses.
    Sites(sites::SitesArgs),
    /// Simulate strokes of one needle at a site and show where the tip stops.
    Stroke(stroke::StrokeArgs),
}

/// Run one subcommand; `Ok` carries the exit code.
pub fn run(command: Command) -> Result<u8, Failure> {
    match command {
        Command::Emulate(args) => emulate::run(args),
        Command::Ports(args) => ports::run(args),
        Command::LinkTest(args) => link_test::run(args),
        Command::Sites(args) => sites::run(args),
        Command::Stroke(args) => stroke::run(args),
    }
}
