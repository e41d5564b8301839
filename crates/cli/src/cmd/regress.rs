//! `needlebench regress`: run every scenario found, in parallel, check each recording, print a
//! summary table and write JUnit XML, JSON and HTML reports.
//!
//! Scenarios are found with `needlebench_scenario::find_scenarios` (default `scenarios/`,
//! searched recursively) and sorted by path; a file with a `[matrix]` is expanded into its
//! variants, in the matrix's order, each a scenario of its own (own seed, recording
//! `OUT/<variant dir name>`, JUnit suite, table row). `--shard I/N` keeps scenario k
//! (0-based, over that list) when `k mod N = I − 1`, so shards 1/N … N/N together run each
//! scenario exactly once, whatever machine they run on. Results are spooled to a temporary
//! file as they finish (see `spool`), so memory does not grow with the number of scenarios. `--repeat N` runs each scenario N times with its own seed: the bench
//! is deterministic, so any difference between the verdicts of the repeats is reported as a
//! failure (`repeat.identical`) — a flakiness check, not a statistics tool.
//!
//! Scenarios tagged `negative` must fail their checks: a failed criterion there is an
//! "expected fail" and counts as success, a clean pass counts as a failure.
//!
//! Two scenarios with the same `name` are refused before anything runs (their recordings
//! would share a directory). Directories that are recordings (they hold `meta.toml`) are not
//! searched for scenarios. Each recording is checked against the scenario copy it holds.
//!
//! Exit code, worst (largest) wins: 130 when interrupted; 6 when a recording or report could
//! not be written; 4 when a pen link failed (before or during a run); 3 when a scenario could
//! not run (bad file, unreadable recording); else 1 when a criterion failed or was not
//! checked (outside `negative` scenarios), a `negative` scenario passed or repeats diverged;
//! else 0; 2 for usage errors.

use super::pen_args::{PenArgs, self_exe};
use super::pool::{for_each_parallel, worker_count};
use super::progress::Progress;
use super::run::run_scenario;
use super::spool::{Entry, Spool};
use super::suite::{Unit, dir_name, refuse_duplicate_names, units, variant_info};
use crate::exit::{self, Coded, Failure, WithCode};
use clap::Args;
use needlebench_checks::{CheckReport, Expectations, check};
use needlebench_recording::{EndReason, Recording};
use needlebench_report::{
    PlotLimits, RunInfo, RunNumbers, ScenarioResult, ShardInfo, Status, TableLayout, TableRow,
    Totals, table_row,
};
use needlebench_runner::RunStatus;
use needlebench_runner::pen::PenChoice;
use needlebench_scenario::{ExpandOptions, Scenario};
use std::collections::VecDeque;
use std::num::NonZeroUsize;
use std::path::{Path, PathBuf};
use std::str::FromStr;
use std::sync::Mutex;
use std::time::Instant;

/// Tag of scenarios that must fail their checks (the suite passes when they do).
const NEGATIVE: &str = "negative";

/// Exit codes of `regress`, shown by `needlebench regress --help`.
const EXIT_HELP: &str = "\
Exit codes (the largest over all scenarios wins):
  0   every scenario passed (acceptable verdicts count as passed; scenarios tagged
      `negative` must fail a criterion, and count as passed when they do)
  1   a criterion failed or was not checked, a `negative` scenario passed, or repeated
      runs (--repeat) gave different verdicts
  2   usage error (bad flag, --shard not I/N with 1 <= I <= N)
  3   a scenario could not run: bad or missing scenario file, a [matrix] that does not
      expand (or has more than 10000 variants without --allow-large), two scenarios with
      the same name, unreadable recording
  4   link failure: port missing, handshake, pen vanished mid-run, lag over its bound
  6   a recording or report could not be written (disk full, permission, path taken)
  130 interrupted (Ctrl-C, SIGTERM); recordings so far are flushed and marked incomplete";

/// Run every scenario found, check it, and report.
#[derive(Args, Debug)]
#[command(after_help = EXIT_HELP)]
pub struct RegressArgs {
    /// Scenario files or directories (every *.toml below) [default: scenarios/].
    paths: Vec<PathBuf>,
    /// Scenarios run at once [default: available parallelism; 1 with --port].
    #[arg(long, short = 'j', value_name = "N")]
    jobs: Option<NonZeroUsize>,
    /// Run only shard I of N (1-based): scenario k of the sorted list (matrix variants counted
    /// one by one) goes to shard (k mod N)+1.
    #[arg(long, value_name = "I/N")]
    shard: Option<Shard>,
    /// Run each scenario N times with the same seed and fail it if the verdicts differ.
    #[arg(long, value_name = "N", default_value_t = 1, value_parser = clap::value_parser!(u32).range(1..))]
    repeat: u32,
    /// Write a JUnit XML report (a test suite per scenario, a test case per criterion).
    #[arg(long, value_name = "FILE")]
    junit: Option<PathBuf>,
    /// Write a JSON report with every metric of every criterion.
    #[arg(long, value_name = "FILE")]
    json: Option<PathBuf>,
    /// Write a self-contained HTML report with plots.
    #[arg(long, value_name = "FILE")]
    html: Option<PathBuf>,
    /// Directory for the recordings, one sub-directory per scenario.
    #[arg(long, value_name = "DIR", default_value = "recordings/regress")]
    out: PathBuf,
    #[command(flatten)]
    pen: PenArgs,
    /// No progress display and no per-scenario lines on stderr.
    #[arg(long, short)]
    quiet: bool,
    /// Allow a [matrix] of more than 10000 variants (up to 10000000).
    #[arg(long)]
    allow_large: bool,
    /// Run only the matrix variant named NAME (its full name, as `needlebench list` prints
    /// it); repeat for several. Shards still count every scenario of the suite.
    #[arg(long, value_name = "NAME")]
    variant: Vec<String>,
}

/// `--shard I/N`: shard `index` (1-based) of `count`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Shard {
    /// 1 ≤ index ≤ count.
    pub index: usize,
    /// Number of shards, ≥ 1.
    pub count: usize,
}

impl FromStr for Shard {
    type Err = String;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let bad = || format!("`{s}`: expected I/N with 1 ≤ I ≤ N, e.g. 2/4");
        let (i, n) = s.split_once('/').ok_or_else(bad)?;
        let index: usize = i.trim().parse().map_err(|_| bad())?;
        let count: usize = n.trim().parse().map_err(|_| bad())?;
        if index == 0 || count == 0 || index > count {
            return Err(bad());
        }
        Ok(Shard { index, count })
    }
}

impl Shard {
    /// Whether scenario `k` (0-based, in sorted order) belongs to this shard.
    pub fn holds(self, k: usize) -> bool {
        k % self.count == self.index - 1
    }
}

/// One scenario to run: its position in the suite and what it is.
struct Job {
    index: usize,
    unit: Unit,
}

/// What one job produced: the report's result, and the exit code when it could not run.
struct Done {
    index: usize,
    result: ScenarioResult,
    code: Option<u8>,
}

/// What `regress` keeps in memory of a finished scenario until the end (tens of bytes, so
/// memory does not grow with the suite): its status, the message when it could not run,
/// where its table row and its whole result lie in the spools, and its exit code.
struct Summary {
    index: usize,
    status: Status,
    error: Option<String>,
    row: Entry,
    entry: Option<Entry>,
    code: Option<u8>,
}

impl Summary {
    fn of(d: &Done, row: Entry, entry: Option<Entry>) -> Summary {
        let r = &d.result;
        Summary {
            index: d.index,
            row,
            status: r.status(),
            error: r.report.as_ref().err().map(|why| {
                // The table cuts reasons to a line; the whole of each goes to stderr.
                format!("error: {} ({}) could not run: {why}", r.name, r.path)
            }),
            entry,
            code: d.code,
        }
    }
}

/// Run the subcommand.
pub fn run(args: RegressArgs) -> Result<u8, Failure> {
    crate::signals::install();
    let started = (std::time::SystemTime::now(), Instant::now());
    let options = ExpandOptions {
        allow_large: args.allow_large,
    };
    let all = units(&args.paths, options)?;
    refuse_duplicate_names(&all)?;
    let suite_size = all.len();
    for name in &args.variant {
        if !all
            .iter()
            .any(|u| u.variant().is_some_and(|v| v.name == *name))
        {
            return Err(Failure::usage(format!(
                "--variant {name}: no such matrix variant (`needlebench list` names them)"
            )));
        }
    }
    let jobs: VecDeque<Job> = all
        .into_iter()
        .enumerate()
        .filter(|(k, _)| args.shard.is_none_or(|s| s.holds(*k)))
        .filter(|(_, u)| {
            args.variant.is_empty() || u.variant().is_some_and(|v| args.variant.contains(&v.name))
        })
        .map(|(index, unit)| Job { index, unit })
        .collect();
    let total = jobs.len();
    let workers = worker_count(&args.pen, args.jobs, total);
    let program = self_exe()?;
    let fixed_choice = args.pen.choice()?;
    let reports = args.json.is_some() || args.junit.is_some() || args.html.is_some();
    let spool = if reports { Some(Spool::new()?) } else { None };

    let progress = Progress::new(!args.quiet, total, workers);
    let rows = Spool::new()?;
    let layout = Mutex::new(TableLayout::default());
    let done: Mutex<Vec<Summary>> = Mutex::new(Vec::with_capacity(total));
    let spool_failure: Mutex<Option<Failure>> = Mutex::new(None);
    for_each_parallel(workers, jobs, |w, job| {
        progress.start(w, &job.unit.name_hint());
        let d = run_one(&job, &args, fixed_choice.as_ref(), &program);
        progress.finish(w, &d.result);
        let row = table_row(&d.result);
        if let Ok(mut layout) = layout.lock() {
            layout.measure(&row);
        }
        let spooled = serde_json::to_string(&row)
            .code(exit::INTERNAL)
            .and_then(|text| rows.put_text(&text))
            .and_then(|row| {
                let entry = spool.as_ref().map(|s| s.put(&d.result)).transpose()?;
                Ok(Summary::of(&d, row, entry))
            });
        match spooled {
            Ok(summary) => {
                if let Ok(mut done) = done.lock() {
                    done.push(summary);
                }
            }
            Err(f) => {
                if let Ok(mut slot) = spool_failure.lock() {
                    slot.get_or_insert(f);
                }
            }
        }
    });
    progress.clear();
    let panicked = || Failure {
        code: exit::INTERNAL,
        error: anyhow::anyhow!("a worker thread panicked"),
    };
    if let Some(f) = spool_failure.into_inner().map_err(|_| panicked())? {
        return Err(f);
    }
    let mut done = done.into_inner().map_err(|_| panicked())?;
    if done.len() != total {
        return Err(panicked());
    }
    done.sort_by_key(|d| d.index);
    let worst_not_run = done.iter().filter_map(|d| d.code).max();
    let mut totals = Totals::default();
    for d in &done {
        totals.add(d.status);
    }
    let layout = layout.into_inner().map_err(|_| panicked())?;
    print!("{}", layout.header());
    for d in &done {
        let row: TableRow = serde_json::from_str(&rows.text(d.row)?).code(exit::INTERNAL)?;
        print!("{}", layout.line(&row));
    }
    print!("{}", TableLayout::totals(&totals));
    for error in done.iter().filter_map(|d| d.error.as_ref()) {
        eprintln!("{error}");
    }
    let info = RunInfo {
        needlebench_version: env!("CARGO_PKG_VERSION").to_owned(),
        command_line: crate::runinfo::command_line(),
        host: crate::runinfo::host(),
        started_utc: crate::runinfo::rfc3339_utc(started.0),
        duration_s: started.1.elapsed().as_secs_f64(),
        jobs: workers,
        html_dir: args
            .html
            .as_deref()
            .and_then(Path::parent)
            .map(|p| p.display().to_string())
            .unwrap_or_default(),
        shard: args.shard.map(|s| ShardInfo {
            index: s.index,
            count: s.count,
        }),
        suite_size,
    };
    if let Some(spool) = &spool {
        let entries: Vec<Entry> = done.iter().filter_map(|d| d.entry).collect();
        write_reports(&args, spool, &entries, &totals, &info)?;
    }
    Ok(match worst_not_run {
        Some(code) => code,
        None if done.iter().any(|d| d.status.is_failure()) => exit::CHECK_FAILED,
        None => exit::OK,
    })
}

/// Run, record and check one scenario `args.repeat` times.
fn run_one(job: &Job, args: &RegressArgs, fixed: Option<&PenChoice>, program: &Path) -> Done {
    let started = Instant::now();
    let path_text = job.unit.path.display().to_string();
    let variant = job.unit.variant().as_ref().map(variant_info);
    let not_run = |name: String, failure: Failure| Done {
        index: job.index,
        result: ScenarioResult {
            name,
            path: path_text.clone(),
            report: Err(format!("{:#}", failure.error)),
            wall_s: started.elapsed().as_secs_f64(),
            run: None,
            divergence: None,
            negative: false,
            recording_files: Vec::new(),
            limits: PlotLimits::default(),
            unit: job.index,
            variant: variant.clone(),
        },
        code: Some(failure.code),
    };
    let scenario = match job.unit.scenario() {
        Ok(s) => s,
        Err(f) => return not_run(job.unit.name_hint(), f),
    };
    let dir_name = dir_name(&scenario);
    let choice = fixed
        .cloned()
        .unwrap_or_else(|| PenChoice::from_scenario(&scenario, program.to_owned()));
    let mut first: Option<(CheckReport, RunNumbers)> = None;
    let mut divergence = None;
    // A run that lost its pen (4) or was interrupted (130) has a report, and its code.
    let mut link_code: Option<u8> = None;
    for rep in 1..=args.repeat {
        // Recordings go to DIR/<name>, repeats to DIR/<name>.repeat<k> (a variant's
        // directory name for <name>).
        let dir = match rep {
            1 => args.out.join(&dir_name),
            _ => args.out.join(format!("{dir_name}.repeat{rep}")),
        };
        // The pen flags choose the pen of the suite's pen scenarios; a roller or stamp has none.
        let mut pen = if scenario.device.kind().has_firmware() {
            args.pen.clone()
        } else {
            args.pen.without_pen()
        };
        pen.capture = pen
            .capture
            .map(|c| c.join(dir.file_name().unwrap_or_default()));
        // regress owns its output directory: it replaces its own earlier recordings there.
        let checked =
            run_scenario(&scenario, &choice, &pen, &dir, false, true).and_then(|summary| {
                let numbers = RunNumbers {
                    seed: scenario.seed,
                    ticks: summary.ticks,
                    punctures: summary.punctures,
                    sim_s: summary.meta.run.sim_duration_us as f64 / 1e6,
                    completion: match &summary.status {
                        RunStatus::Complete => "complete".to_owned(),
                        RunStatus::Incomplete { reason, .. } => format!("incomplete: {reason}"),
                    },
                };
                let recording = Recording::open(&dir).coded()?;
                let expectations = Expectations::load(&recording, None).coded()?;
                let report = check(&recording, &expectations, None).coded()?;
                Ok((report, numbers, summary))
            });
        let (report, numbers, summary) = match checked {
            Ok(r) => r,
            Err(f) => return not_run(scenario.name.clone(), f),
        };
        if let Some(lost) = super::run::link_lost(&summary) {
            link_code = Some(lost.code);
        }
        if summary.status.end() == EndReason::Interrupted {
            link_code = Some(exit::INTERRUPTED);
        }
        match &first {
            None => first = Some((report, numbers)),
            Some((r0, _)) => {
                if divergence.is_none() {
                    divergence = needlebench_report::divergence(r0, &report)
                        .map(|d| format!("repeat {rep}: {d}"));
                }
            }
        }
    }
    let Some((report, numbers)) = first else {
        return not_run(
            scenario.name.clone(),
            Failure::usage("--repeat must be at least 1"),
        );
    };
    let limits = plot_limits(&scenario, &report);
    Done {
        index: job.index,
        result: ScenarioResult {
            name: scenario.name.clone(),
            path: path_text,
            report: Ok(report),
            wall_s: started.elapsed().as_secs_f64(),
            run: Some(numbers),
            divergence,
            negative: scenario.tags.iter().any(|t| t == NEGATIVE),
            recording_files: recording_files(&args.out.join(&dir_name)),
            limits,
            unit: job.index,
            variant,
        },
        code: link_code,
    }
}

/// The files of a recording, relative to its directory, sorted (for the HTML's links).
fn recording_files(dir: &Path) -> Vec<String> {
    fn walk(base: &Path, dir: &Path, out: &mut Vec<String>) {
        let Ok(entries) = std::fs::read_dir(dir) else {
            return;
        };
        for e in entries.flatten() {
            let p = e.path();
            if p.is_dir() {
                walk(base, &p, out);
            } else if let Ok(rel) = p.strip_prefix(base) {
                out.push(rel.display().to_string());
            }
        }
    }
    let mut out = Vec::new();
    walk(dir, dir, &mut out);
    out.sort();
    out
}

/// The limits the HTML plots draw that the verdicts do not carry as numbers.
fn plot_limits(scenario: &Scenario, report: &CheckReport) -> PlotLimits {
    let e = &scenario.expect;
    let target_hz = report
        .verdicts
        .iter()
        .find(|v| v.criterion == "firmware.stroke_hz")
        .and_then(|v| v.metrics.get("target_hz").copied());
    let tol = e.stroke_hz_tolerance_pct / 100.0;
    PlotLimits {
        forbidden_layers: e.forbidden_layers.iter().map(|l| l.index()).collect(),
        density_per_cm2: Some([e.density_min_per_cm2, e.density_max_per_cm2]),
        stroke_hz: target_hz.map(|hz| [hz * (1.0 - tol), hz * (1.0 + tol)]),
        ..PlotLimits::default()
    }
}

/// Writes the reports asked for from the spooled results (`entries`, in suite order).
fn write_reports(
    args: &RegressArgs,
    spool: &Spool,
    entries: &[Entry],
    totals: &Totals,
    info: &RunInfo,
) -> Result<(), Failure> {
    if let Some(p) = &args.json {
        let file = exit::create_output(p)?;
        let texts = entries
            .iter()
            .map(|e| spool.text(*e).map_err(|f| std::io::Error::other(f.error)));
        needlebench_report::write_json(std::io::BufWriter::new(file), info, totals, texts)
            .map_err(|source| exit::WriteError {
                path: p.clone(),
                source,
            })
            .coded()?;
        eprintln!("wrote {}", p.display());
    }
    if args.junit.is_none() && args.html.is_none() {
        return Ok(());
    }
    let results = entries
        .iter()
        .map(|e| spool.result(*e))
        .collect::<Result<Vec<_>, _>>()?;
    let mut files: Vec<(&Path, String)> = Vec::new();
    if let Some(p) = &args.junit {
        let xml = needlebench_report::junit(&results, info).code(exit::INTERNAL)?;
        files.push((p, xml));
    }
    if let Some(p) = &args.html {
        files.push((p, needlebench_report::html(&results, info)));
    }
    for (path, text) in files {
        exit::write_output(path, &text)?;
        eprintln!("wrote {}", path.display());
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shard_parses_and_rejects() {
        assert_eq!("2/4".parse::<Shard>(), Ok(Shard { index: 2, count: 4 }));
        for bad in ["0/4", "5/4", "1/0", "1", "a/b", "1/2/3"] {
            assert!(bad.parse::<Shard>().is_err(), "{bad}");
        }
    }

    #[test]
    fn shards_partition_the_list() {
        for count in 1..=5 {
            let mut seen = vec![0; 11];
            for index in 1..=count {
                let s = Shard { index, count };
                for (k, n) in seen.iter_mut().enumerate() {
                    if s.holds(k) {
                        *n += 1;
                    }
                }
            }
            assert!(seen.iter().all(|&n| n == 1), "{count}: {seen:?}");
        }
    }
}
