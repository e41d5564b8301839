//! `needlebench check`: re-check a recording against a scenario's expectations (or the
//! site's defaults) and print the verdicts.

use crate::exit::{self, Failure, WithCode};
use anyhow::Context;
use clap::Args;
use needlebench_checks::{CheckReport, Outcome, check, render_table};
use needlebench_recording::Recording;
use needlebench_scenario::{Expect, Scenario};
use std::path::PathBuf;

/// Re-check a recording and print a verdict per criterion.
#[derive(Args, Debug)]
pub struct CheckArgs {
    /// Recording directory.
    recording: PathBuf,
    /// Scenario whose `[expect]` to apply [default: the defaults for the recording's site].
    #[arg(long, value_name = "FILE")]
    scenario: Option<PathBuf>,
    /// Print the whole report as JSON instead of the table.
    #[arg(long)]
    json: bool,
}

/// Run the subcommand: 0 when nothing failed, 1 when a criterion failed, 3 for a bad file.
pub fn run(args: CheckArgs) -> Result<u8, Failure> {
    let recording = Recording::open(&args.recording)
        .with_context(|| format!("cannot open recording {}", args.recording.display()))
        .code(exit::BAD_INPUT)?;
    let expect = match &args.scenario {
        Some(path) => Scenario::from_path(path).code(exit::BAD_INPUT)?.expect,
        None => {
            let site = &recording.meta().setup.site;
            let builtin = needlebench_physics::Site::builtin(site).is_ok();
            if !args.json {
                println!("no --scenario: checking against the defaults for site '{site}'");
            }
            Expect::defaults_for(site, builtin)
        }
    };
    let report = check(&recording, &expect, None).code(exit::BAD_INPUT)?;
    if args.json {
        let text = serde_json::to_string_pretty(&report).code(exit::INTERNAL)?;
        println!("{text}");
        Ok(exit_code(&report))
    } else {
        Ok(print_verdicts(&report))
    }
}

/// The exit code for a report: 1 if any criterion failed, else 0.
pub fn exit_code(report: &CheckReport) -> u8 {
    if report.outcome() == Outcome::Fail { exit::CHECK_FAILED } else { exit::OK }
}

/// Print the verdict table; return the exit code ([`exit_code`]).
pub fn print_verdicts(report: &CheckReport) -> u8 {
    print!("{}", render_table(report));
    exit_code(report)
}
