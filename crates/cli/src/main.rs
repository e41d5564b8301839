//! `needlebench`: the hardware-in-the-loop bench for motorised microneedling pens.
//!
//! One module per subcommand under [`cmd`]; exit codes in [`exit`].

mod cmd;
mod exit;
mod signals;

use clap::Parser;
use std::process::ExitCode;

/// Hardware-in-the-loop simulator and test bench for motorised microneedling pens.
#[derive(Parser, Debug)]
#[command(name = "needlebench", version, about, after_help = exit::HELP)]
struct Cli {
    #[command(subcommand)]
    command: cmd::Command,
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    match cmd::run(cli.command) {
        Ok(code) => ExitCode::from(code),
        Err(failure) => failure.report(),
    }
}
