//! `needlebench`: the hardware-in-the-loop bench for motorised microneedling pens.
//!
//! One module per subcommand under [`cmd`]; exit codes in [`exit`].

mod cmd;
mod exit;
mod runinfo;
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
    // `print!` panics when standard output is closed early (`needlebench check … | head`):
    // that panic ends the command quietly with the shell's usual code instead of a panic
    // message and 101. Unwinding still runs every destructor, so a recording being written is
    // flushed and marked as it should be.
    let default_hook = std::panic::take_hook();
    std::panic::set_hook(Box::new(move |info| {
        if !exit::is_broken_pipe(info.payload()) {
            default_hook(info);
        }
    }));
    match std::panic::catch_unwind(|| cmd::run(cli.command)) {
        Ok(Ok(code)) => ExitCode::from(code),
        Ok(Err(failure)) => failure.report(),
        Err(payload) if exit::is_broken_pipe(payload.as_ref()) => ExitCode::from(exit::BROKEN_PIPE),
        Err(payload) => std::panic::resume_unwind(payload),
    }
}
