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
    /// Scenario whose `[expect]` to apply [default: the scenario the recording names, if that
    /// file is still there; otherwise the defaults for the recording's site].
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
        None => recorded_expectations(&recording, !args.json),
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

/// The expectations of the scenario `meta.toml` names, if its file is still there and parses
/// (with a warning when it changed since the recording); else the site's defaults.
fn recorded_expectations(recording: &Recording, say: bool) -> Expect {
    let meta = recording.meta();
    let path = std::path::Path::new(&meta.scenario.path);
    if !meta.scenario.path.is_empty()
        && let Ok(scenario) = Scenario::from_path(path)
    {
        if say {
            println!("checking against the expectations of {}", path.display());
            if needlebench_recording::scenario_hash(scenario.source.text.as_bytes())
                != meta.scenario.hash
            {
                println!(
                    "warning: {} changed since this recording was made",
                    path.display()
                );
            }
        }
        return scenario.expect;
    }
    let site = &meta.setup.site;
    if say {
        println!("no scenario file: checking against the defaults for site '{site}'");
    }
    Expect::defaults_for(site, needlebench_physics::Site::builtin(site).is_ok())
}

/// The exit code for a report: 1 if any criterion failed, else 0.
pub fn exit_code(report: &CheckReport) -> u8 {
    if report.outcome() == Outcome::Fail {
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
