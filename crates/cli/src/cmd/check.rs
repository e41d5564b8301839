//! `needlebench check`: re-check a recording against the expectations of the scenario it
//! holds (or a `--scenario` file) and print the verdicts.

use crate::exit::{self, Coded, Failure, WithCode};
use clap::Args;
use needlebench_checks::{CheckReport, Expectations, Outcome, check, render_table};
use needlebench_recording::Recording;
use std::path::PathBuf;

/// Re-check a recording and print a verdict per criterion.
#[derive(Args, Debug)]
pub struct CheckArgs {
    /// Recording directory.
    recording: PathBuf,
    /// Scenario whose `[expect]` to apply [default: the exact copy of the scenario stored in
    /// the recording; without one, scenario-dependent criteria are "not checked"].
    #[arg(long, value_name = "FILE")]
    scenario: Option<PathBuf>,
    /// Print the whole report as JSON instead of the table.
    #[arg(long)]
    json: bool,
}

/// Run the subcommand: 0 when nothing failed, 1 when a criterion failed or could not be
/// checked, 3 for a bad file.
pub fn run(args: CheckArgs) -> Result<u8, Failure> {
    let recording = Recording::open(&args.recording).coded().map_err(|f| {
        f.context(format!(
            "cannot open recording {}",
            args.recording.display()
        ))
    })?;
    for w in recording.warnings() {
        eprintln!("warning: {w}");
    }
    let expectations = Expectations::load(&recording, args.scenario.as_deref()).coded()?;
    if expectations.expect.is_none() {
        eprintln!(
            "warning: {} holds no scenario and no --scenario was given: every criterion that \
             depends on the scenario is NOT CHECKED",
            args.recording.display()
        );
    }
    let report = check(&recording, &expectations, None).coded()?;
    if args.json {
        let text = serde_json::to_string_pretty(&report).code(exit::INTERNAL)?;
        println!("{text}");
        Ok(exit_code(&report))
    } else {
        Ok(print_verdicts(&report))
    }
}

/// The exit code for a report: 1 if any criterion failed or was not checked, else 0.
pub fn exit_code(report: &CheckReport) -> u8 {
    if report.outcome() >= Outcome::NotChecked {
        exit::CHECK_FAILED
    } else {
        exit::OK
    }
}

/// Print the verdict table; return the exit code ([`exit_code`]).
pub fn print_verdicts(report: &CheckReport) -> u8 {
    print!("{}", render_table(report));
    exit_code(report)
}
