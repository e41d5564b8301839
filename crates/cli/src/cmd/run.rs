//! `needlebench run`: run one scenario against a pen and write its recording.

use super::pen_args::{PenArgs, self_exe};
use crate::exit::{self, Coded, Failure};
use clap::Args;
use indicatif::{ProgressBar, ProgressStyle};
use needlebench_bridge::{PEN_STDERR_LOG, PEN_STDOUT_LOG, PenOutput, TERM_GRACE};
use needlebench_checks::Expectations;
use needlebench_recording::{EndReason, Recording};
use needlebench_runner::pen::{PenChoice, clock_of, firmware_config, open_link_logged};
use needlebench_runner::{DeviceSetup, RunSetup, RunStatus, RunSummary, run_device};
use needlebench_scenario::{ExpandOptions, Scenario, ScenarioFile};
use std::io::IsTerminal;
use std::path::{Path, PathBuf};
use std::time::Instant;

/// Run one scenario against a pen and record it.
#[derive(Args, Debug)]
pub struct RunArgs {
    /// Scenario file (TOML).
    scenario: PathBuf,
    /// Recording directory [default: recordings/<scenario name>]. Must not exist yet, or be
    /// empty, unless --force.
    #[arg(long, value_name = "DIR")]
    out: Option<PathBuf>,
    /// Replace an existing recording at the output directory (a directory holding anything
    /// but a recording is never replaced).
    #[arg(long)]
    force: bool,
    /// Seed for every random draw, instead of the scenario's.
    #[arg(long)]
    seed: Option<u64>,
    /// The variant to run, for a scenario file with a [matrix]: its full name, as
    /// `needlebench list FILE` prints it (e.g. `demo[exposure_mm=0.5]`).
    #[arg(long, value_name = "NAME")]
    variant: Option<String>,
    #[command(flatten)]
    pen: PenArgs,
    /// No progress display.
    #[arg(long, short)]
    quiet: bool,
}

/// Run the subcommand.
pub fn run(args: RunArgs) -> Result<u8, Failure> {
    crate::signals::install();
    let options = ExpandOptions { allow_large: true };
    let mut scenario = ScenarioFile::read(&args.scenario, options)
        .and_then(|f| f.select(args.variant.as_deref()))
        .coded()?;
    if let Some(seed) = args.seed {
        scenario.seed = seed;
    }
    let out = args
        .out
        .clone()
        .unwrap_or_else(|| Path::new("recordings").join(super::suite::dir_name(&scenario)));
    let choice = match args.pen.choice()? {
        Some(c) => c,
        None => PenChoice::from_scenario(&scenario, self_exe()?),
    };
    let summary = run_scenario(&scenario, &choice, &args.pen, &out, !args.quiet, args.force)?;
    print_summary(&scenario, &out, &summary);
    if summary.status.end() == EndReason::Interrupted {
        return Ok(exit::INTERRUPTED);
    }
    let recording = Recording::open(&out).coded()?;
    let expectations = Expectations::load(&recording, None).coded()?;
    let report = needlebench_checks::check(&recording, &expectations, None).coded()?;
    println!();
    let code = super::check::print_verdicts(&report);
    link_lost(&summary).map_or(Ok(code), Err)
}

/// A run whose link failed is a link failure (exit 4) whatever its checks say: the pen
/// vanished, stopped answering or lagged past its bound. `None` for any other ending.
pub fn link_lost(summary: &RunSummary) -> Option<Failure> {
    match &summary.status {
        RunStatus::Incomplete {
            end: EndReason::LinkFailure,
            reason,
        } => Some(Failure {
            code: exit::LINK,
            error: anyhow::anyhow!("{reason} (the recording up to then is kept)"),
        }),
        _ => None,
    }
}

/// Run `scenario` against `choice`, recording into `out` (replacing a recording there only
/// with `replace`); shared with `regress`.
pub fn run_scenario(
    scenario: &Scenario,
    choice: &PenChoice,
    pen: &PenArgs,
    out: &Path,
    show_progress: bool,
    replace: bool,
) -> Result<RunSummary, Failure> {
    if !scenario.device.kind().has_firmware() {
        return run_device_scenario(scenario, pen, out, show_progress, replace);
    }
    let config = firmware_config(scenario);
    let setup = RunSetup::new(scenario, &config).coded()?;
    let clock = pen.clock().unwrap_or_else(|| clock_of(scenario));
    let options = pen.options(clock, Some(scenario.expect.max_lag_ms));
    let output = PenOutput::default();
    let transport = choice.transport_name();
    let mut link = match open_link_logged(choice, config, options, &output) {
        Ok(link) => link,
        Err(e) if runs_a_command(choice) => {
            // Keep what the pen command said, and mark the run incomplete, as a failure after
            // the first tick would.
            setup
                .record_unreached(out, &transport, clock, replace, &e)
                .coded()?;
            keep_pen_output(&output, out)?;
            return Err(Failure {
                code: exit::ExitCoded::exit_code(&e),
                error: anyhow::anyhow!(
                    "{e} (recording {} kept, marked incomplete; the pen's output is in {} and {})",
                    out.display(),
                    PEN_STDOUT_LOG,
                    PEN_STDERR_LOG
                ),
            });
        }
        Err(e) => return Err(e).coded(),
    };
    super::pen_args::warn_if_line_too_slow(choice, &link);
    let meta = setup.recording_meta(&link, &transport, clock);
    let writer = setup.create_recording(out, meta, replace).coded()?;
    let bar = progress_bar(show_progress);
    let started = Instant::now();
    let summary = needlebench_runner::run_until(
        &setup,
        &mut link,
        writer,
        |p| {
            if let Some(bar) = &bar {
                let speed = p.sim_s / started.elapsed().as_secs_f64().max(1e-9);
                bar.set_length((p.total_s * 1000.0) as u64);
                bar.set_position((p.sim_s * 1000.0) as u64);
                bar.set_message(format!(
                    "{:.0}/{:.0} s simulated · {speed:.0}× real time · {} punctures",
                    p.sim_s, p.total_s, p.punctures
                ));
            }
        },
        crate::signals::stop_flag(),
    );
    if let Some(bar) = bar {
        bar.finish_and_clear();
    }
    if runs_a_command(choice) {
        // End the pen (SIGTERM to its group) before its output is saved, so its last words
        // are in it — whether the run succeeded or not (its output may say why not).
        drop(link);
        if out.is_dir() {
            keep_pen_output(&output, out)?;
        }
    }
    summary.coded()
}

/// Whether `choice` starts a pen command (`--pen-cmd`, or the emulator on a pty).
fn runs_a_command(choice: &PenChoice) -> bool {
    matches!(choice, PenChoice::Command { .. } | PenChoice::Pty { .. })
}

/// Write what the pen command wrote into the recording at `out`.
fn keep_pen_output(output: &PenOutput, out: &Path) -> Result<(), Failure> {
    output.wait_closed(TERM_GRACE);
    output.write_into(out).map_err(|e| Failure {
        code: exit::WRITE,
        error: anyhow::anyhow!("cannot write the pen's output into {}: {e}", out.display()),
    })
}

/// A roller or stamp: no firmware, no link; the pen flags do not apply.
fn run_device_scenario(
    scenario: &Scenario,
    pen: &PenArgs,
    out: &Path,
    show_progress: bool,
    replace: bool,
) -> Result<RunSummary, Failure> {
    let kind = scenario.device.kind().name();
    if pen.names_a_pen() {
        return Err(Failure::usage(format!(
            "{} is a {kind} scenario: a {kind} has no firmware, so --port, --pen-cmd, \
             --emulator and --mode do not apply",
            scenario.name
        )));
    }
    let setup = DeviceSetup::new(scenario).coded()?;
    let writer = setup.create_recording(out, replace).coded()?;
    let bar = progress_bar(show_progress);
    let summary = run_device(
        &setup,
        writer,
        |p| {
            if let Some(bar) = &bar {
                bar.set_length((p.total_s * 1000.0) as u64);
                bar.set_position((p.sim_s * 1000.0) as u64);
                bar.set_message(format!(
                    "{:.0}/{:.0} s simulated · {} punctures ({kind})",
                    p.sim_s, p.total_s, p.punctures
                ));
            }
        },
        crate::signals::stop_flag(),
    )
    .coded()?;
    if let Some(bar) = bar {
        bar.finish_and_clear();
    }
    Ok(summary)
}

fn progress_bar(wanted: bool) -> Option<ProgressBar> {
    if !wanted || !std::io::stderr().is_terminal() {
        return None;
    }
    let bar = ProgressBar::new(1);
    let style = ProgressStyle::with_template("{bar:30} {msg}")
        .unwrap_or_else(|_| ProgressStyle::default_bar());
    bar.set_style(style);
    Some(bar)
}

fn print_summary(scenario: &Scenario, out: &Path, s: &RunSummary) {
    let status = match &s.status {
        RunStatus::Complete => "complete".to_owned(),
        RunStatus::Incomplete { reason, .. } => format!("incomplete: {reason}"),
    };
    println!(
        "scenario   {} ({})",
        scenario.name,
        scenario.source.path.display()
    );
    println!("status     {status}");
    println!(
        "simulated  {:.3} s, {} ticks, {} punctures",
        s.meta.run.sim_duration_us as f64 / 1e6,
        s.ticks,
        s.punctures
    );
    if scenario.device.kind().has_firmware() {
        println!(
            "link       {} frames to pen, {} from pen, {} bad CRC, {} re-sent",
            s.link.frames_to_pen, s.link.frames_from_pen, s.link.crc_errors, s.link.retransmits
        );
    } else {
        println!(
            "device     {} ({} needles): no firmware, no link",
            scenario.device.kind().name(),
            scenario.device.needle_count()
        );
    }
    println!("recording  {}", out.display());
}
