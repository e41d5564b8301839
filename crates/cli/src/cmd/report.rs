//! `needlebench report merge OUT_DIR SHARD_JSON…`: the JSON reports of shards (`regress
//! --shard I/N --json FILE`, from any machines) merged into the reports of one run:
//! `OUT_DIR/report.json`, `OUT_DIR/junit.xml` and `OUT_DIR/report.html`, with the scenarios
//! in suite order and the totals a single run would have. The rules (what is refused, how
//! the run is described) are `needlebench_report::merge`'s.

use crate::exit::{self, Coded, ExitCoded, Failure, WithCode};
use clap::{Args, Subcommand};
use needlebench_report::{MergeError, read_shard};
use std::path::PathBuf;

/// Exit codes of `report merge`, shown by `needlebench report merge --help`.
const EXIT_HELP: &str = "\
Exit codes:
  0   merged; every scenario passed (as `regress` counts it)
  1   merged; a scenario failed, was not checked or could not run
  2   usage error
  3   a shard report is missing, unreadable or not a report; shards from different
      needlebench versions; a scenario in two shards; shards of different counts, one
      given twice or one missing
  6   a merged report could not be written";

/// Work with reports.
#[derive(Subcommand, Debug)]
pub enum ReportCommand {
    /// Merge the JSON reports of shards into one JSON, JUnit and HTML report.
    Merge(MergeArgs),
}

/// Merge the JSON reports of shards.
#[derive(Args, Debug)]
#[command(after_help = EXIT_HELP)]
pub struct MergeArgs {
    /// Directory for report.json, junit.xml and report.html (created if missing).
    out_dir: PathBuf,
    /// The shards' JSON reports (`regress --shard I/N --json FILE`).
    #[arg(required = true, value_name = "SHARD_JSON")]
    shards: Vec<PathBuf>,
}

impl ExitCoded for MergeError {
    fn exit_code(&self) -> u8 {
        exit::BAD_INPUT
    }
}

/// Run the subcommand.
pub fn run(command: ReportCommand) -> Result<u8, Failure> {
    match command {
        ReportCommand::Merge(args) => merge(args),
    }
}

fn merge(args: MergeArgs) -> Result<u8, Failure> {
    let mut shards = Vec::with_capacity(args.shards.len());
    for file in &args.shards {
        let text = std::fs::read_to_string(file).map_err(|e| Failure {
            code: exit::BAD_INPUT,
            error: anyhow::anyhow!("{}: cannot read: {e}", file.display()),
        })?;
        shards.push(read_shard(file, &text).coded()?);
    }
    let (mut info, results) =
        needlebench_report::merge(shards, crate::runinfo::command_line()).coded()?;
    info.html_dir = args.out_dir.display().to_string();
    print!("{}", needlebench_report::table(&results));
    let json =
        serde_json::to_string(&needlebench_report::json(&results, &info)).code(exit::INTERNAL)?;
    let junit = needlebench_report::junit(&results, &info).code(exit::INTERNAL)?;
    let html = needlebench_report::html(&results, &info);
    for (name, text) in [
        ("report.json", json),
        ("junit.xml", junit),
        ("report.html", html),
    ] {
        let path = args.out_dir.join(name);
        exit::write_output(&path, &text)?;
        eprintln!("wrote {}", path.display());
    }
    Ok(if results.iter().any(|r| r.status().is_failure()) {
        exit::CHECK_FAILED
    } else {
        exit::OK
    })
}
