//! Subcommands, one module each.

use crate::exit::Failure;
use clap::Subcommand;

mod check;
mod diff;
mod emulate;
mod link_test;
mod list;
mod pen_args;
mod pool;
mod ports;
mod progress;
mod regress;
mod report;
mod run;
mod sites;
mod spool;
mod stroke;
mod suite;
mod validate;
mod verify;
mod view;
mod zones;

/// Every subcommand of `needlebench`.
#[derive(Subcommand, Debug)]
pub enum Command {
    /// Re-check a recording against a scenario's expectations and print the verdicts.
    Check(check::CheckArgs),
    /// Compare two recordings column by column; report the first divergence.
    Diff(diff::DiffArgs),
    /// Run the reference pen firmware behind a pseudo-terminal or serial device.
    Emulate(emulate::EmulateArgs),
    /// List serial ports with what is known about them.
    Ports(ports::PortsArgs),
    /// Exchange N ticks of frames with a pen and report the link's health.
    LinkTest(link_test::LinkTestArgs),
    /// List the scenarios of files or directories, matrix variants one by one (name, seed, values).
    List(list::ListArgs),
    /// Merge the JSON reports of shards into one JSON, JUnit and HTML report.
    #[command(subcommand)]
    Report(report::ReportCommand),
    /// Run every scenario found (in parallel), check each, print a table, write reports.
    Regress(regress::RegressArgs),
    /// Run one scenario against a pen and write its recording.
    Run(run::RunArgs),
    /// List the built-in anatomical sites with their layer thicknesses.
    Sites(sites::SitesArgs),
    /// Simulate strokes of one needle at a site and show where the tip stops.
    Stroke(stroke::StrokeArgs),
    /// Run the penetration model against every published case; print the validation table.
    Validate(validate::ValidateArgs),
    /// Run the design-verification suite; write one report (HTML, JSON, CSV) per requirement.
    Verify(verify::VerifyArgs),
    /// Replay a recording (or a scenario, run first) in the 3D viewer (`needlebench-viewer`).
    View(view::ViewArgs),
    /// List a face map's treatment zones (the built-in adult map, or validate a file).
    Zones(zones::ZonesArgs),
}

/// Run one subcommand; `Ok` carries the exit code.
pub fn run(command: Command) -> Result<u8, Failure> {
    match command {
        Command::Check(args) => check::run(args),
        Command::Diff(args) => diff::run(args),
        Command::Emulate(args) => emulate::run(args),
        Command::Ports(args) => ports::run(args),
        Command::LinkTest(args) => link_test::run(args),
        Command::List(args) => list::run(args),
        Command::Report(command) => report::run(command),
        Command::Regress(args) => regress::run(args),
        Command::Run(args) => run::run(args),
        Command::Sites(args) => sites::run(args),
        Command::Stroke(args) => stroke::run(args),
        Command::Validate(args) => validate::run(args),
        Command::Verify(args) => verify::run(args),
        Command::View(args) => view::run(args),
        Command::Zones(args) => zones::run(args),
    }
}
