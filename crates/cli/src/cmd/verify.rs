//! `needlebench verify`: run the design-verification suite and write one report (HTML, JSON,
//! CSV) with a table per requirement (`needlebench_report::verification`).
//!
//! Every scenario of the suite (default `scenarios/verification`; a file with a `[matrix]`
//! gives one scenario per variant) runs against the pen the flags name (default: each
//! scenario's own, the in-process reference firmware), its recording goes to `OUT/<name>/`
//! (a variant's `Variant::dir_name`), and is checked against its own scenario copy; the
//! `verify.*` verdicts become the requirements' evidence. The report is `OUT/report.html`,
//! `OUT/report.json` and `OUT/report.csv`; an existing report is replaced only with `--force`
//! (as `run --out`), and recordings of an earlier verify in OUT are replaced.

use super::pen_args::{PenArgs, self_exe};
use super::pool::{for_each_parallel, worker_count};
use super::run::run_scenario;
use super::suite::{dir_name, refuse_duplicate_names, units};
use crate::exit::{self, Coded, Failure, WithCode};
use clap::Args;
use needlebench_checks::{Expectations, check};
use needlebench_recording::{Recording, scenario_hash};
use needlebench_report::verification::{
    VerificationInfo, VerificationReport, VerifiedVariant, verification_csv, verification_html,
};
use needlebench_runner::pen::PenChoice;
use needlebench_scenario::{ExpandOptions, Scenario};
use std::path::{Path, PathBuf};
use std::sync::Mutex;

/// Exit codes of `verify`, shown by `needlebench verify --help`.
const EXIT_HELP: &str = "\
Exit codes:
  0   every requirement met (each judged by at least one variant, none failed)
  1   a requirement not met: a criterion failed or was not checked, or no variant judged it
  2   usage error
  3   the suite has no scenario, a scenario could not be read or run, or two share a name
  4   link failure (a real pen or emulator)
  6   the report or a recording could not be written, or a report exists (use --force)
  130 interrupted";

/// Run the design-verification suite and write its report.
#[derive(Args, Debug)]
#[command(after_help = EXIT_HELP)]
pub struct VerifyArgs {
    /// The suite: a directory (every *.toml below) or scenario files.
    #[arg(long, value_name = "DIR", default_value = "scenarios/verification")]
    suite: PathBuf,
    /// Output directory: report.html, report.json, report.csv and one recording per variant.
    #[arg(long, value_name = "DIR", default_value = "recordings/verify")]
    out: PathBuf,
    /// Replace an existing report in OUT.
    #[arg(long)]
    force: bool,
    /// Variants run at once [default: available parallelism; 1 with --port].
    #[arg(long, short = 'j', value_name = "N")]
    jobs: Option<std::num::NonZeroUsize>,
    #[command(flatten)]
    pen: PenArgs,
}

const REPORTS: [&str; 3] = ["report.html", "report.json", "report.csv"];

/// Run the subcommand.
pub fn run(args: VerifyArgs) -> Result<u8, Failure> {
    crate::signals::install();
    if !args.force
        && let Some(taken) = REPORTS
            .iter()
            .map(|f| args.out.join(f))
            .find(|p| p.exists())
    {
        return Err(Failure {
            code: exit::WRITE,
            error: anyhow::anyhow!(
                "{} already exists: give --force to replace the report, or another --out",
                taken.display()
            ),
        });
    }
    let units = units(std::slice::from_ref(&args.suite), ExpandOptions::default())?;
    refuse_duplicate_names(&units)?;
    let mut scenarios = Vec::with_capacity(units.len());
    for u in &units {
        scenarios.push((u.path.clone(), u.scenario()?));
    }
    let program = self_exe()?;
    let fixed = args.pen.choice()?;
    let workers = worker_count(&args.pen, args.jobs, scenarios.len());
    let results: Mutex<Vec<(usize, Result<VerifiedVariant, Failure>)>> = Mutex::new(Vec::new());
    for_each_parallel(workers, 0..scenarios.len(), |_, i| {
        let (path, scenario) = &scenarios[i];
        let choice = fixed
            .clone()
            .unwrap_or_else(|| PenChoice::from_scenario(scenario, program.clone()));
        let r = run_variant(path, scenario, &choice, &args);
        if let Ok(mut all) = results.lock() {
            all.push((i, r));
        }
    });
    let mut results = results.into_inner().map_err(|_| Failure {
        code: exit::INTERNAL,
        error: anyhow::anyhow!("a worker thread panicked"),
    })?;
    results.sort_by_key(|(i, _)| *i);
    let mut variants = Vec::with_capacity(results.len());
    let mut worst_code = exit::OK;
    for (i, r) in results {
        match r {
            Ok(v) => variants.push(v),
            Err(f) => {
                worst_code = worst_code.max(f.code);
                let (path, s) = &scenarios[i];
                eprintln!("{}: could not run: {:#}", path.display(), f.error);
                variants.push(VerifiedVariant {
                    name: s.name.clone(),
                    scenario_path: path.display().to_string(),
                    scenario_hash: scenario_hash(s.source.text.as_bytes()),
                    seed: s.seed,
                    recording: dir_name(s),
                    firmware: String::new(),
                    report: Err(format!("{:#}", f.error)),
                });
            }
        }
    }
    let info = VerificationInfo {
        needlebench_version: env!("CARGO_PKG_VERSION").to_owned(),
        suite: args.suite.display().to_string(),
        command_line: crate::runinfo::command_line(),
    };
    let report = VerificationReport::new(info, variants);
    let json = serde_json::to_string_pretty(&report).code(exit::INTERNAL)?;
    let csv = verification_csv(&report).code(exit::INTERNAL)?;
    for (name, text) in REPORTS.iter().zip([verification_html(&report), json, csv]) {
        exit::write_output(&args.out.join(name), &text)?;
    }
    for q in &report.requirements {
        println!(
            "{:<5} {:<11} {:<22} {}",
            q.def.id,
            q.result.label(),
            q.def.criterion,
            q.def.special_control
        );
    }
    println!("report: {}", args.out.join(REPORTS[0]).display());
    if worst_code != exit::OK {
        return Ok(worst_code);
    }
    Ok(if report.all_met() {
        exit::OK
    } else {
        exit::CHECK_FAILED
    })
}

fn run_variant(
    path: &Path,
    scenario: &Scenario,
    choice: &PenChoice,
    args: &VerifyArgs,
) -> Result<VerifiedVariant, Failure> {
    let dir = args.out.join(dir_name(scenario));
    // verify owns its output directory: it replaces its own earlier recordings there
    let summary = run_scenario(scenario, choice, &args.pen, &dir, false, true)?;
    if let Some(lost) = super::run::link_lost(&summary) {
        return Err(lost);
    }
    let recording = Recording::open(&dir).coded()?;
    let expectations = Expectations::load(&recording, None).coded()?;
    let report = check(&recording, &expectations, None).coded()?;
    let meta = recording.meta();
    Ok(VerifiedVariant {
        name: scenario.name.clone(),
        scenario_path: path.display().to_string(),
        scenario_hash: meta.scenario.hash.clone(),
        seed: scenario.seed,
        recording: relative(&dir, &args.out),
        firmware: format!("{} {}", meta.firmware.name, meta.firmware.version),
        report: Ok(report),
    })
}

/// `dir` relative to `base` (the report's directory), for links.
fn relative(dir: &Path, base: &Path) -> String {
    dir.strip_prefix(base)
        .map_or_else(|_| dir.to_path_buf(), PathBuf::from)
        .display()
        .to_string()
}
