//! `needlebench run`: run one scenario against a pen and write its recording.

use super::pen_args::{PenArgs, self_exe};
use crate::exit::{self, Failure, WithCode};
use clap::Args;
use indicatif::{ProgressBar, ProgressStyle};
use needlebench_recording::RecordingWriter;
use needlebench_runner::pen::{PenChoice, clock_of, firmware_config, open_link};
use needlebench_runner::{RunSetup, RunStatus, RunSummary};
use needlebench_scenario::Scenario;
use std::io::IsTerminal;
use std::path::{Path, PathBuf};
use std::time::Instant;

/// Run one scenario against a pen and record it.
#[derive(Args, Debug)]
pub struct RunArgs {
    /// Scenario file (TOML).
    scenario: PathBuf,
    /// Recording directory [default: recordings/<scenario name>].
    #[arg(long, value_name = "DIR")]
    out: Option<PathBuf>,
    /// Seed for every random draw, instead of the scenario's.
    #[arg(long)]
    seed: Option<u64>,
    #[command(flatten)]
    pen: PenArgs,
    /// No progress display.
    #[arg(long, short)]
    quiet: bool,
}

/// Run the subcommand.
pub fn run(args: RunArgs) -> Result<u8, Failure> {
    crate::signals::install();
    let mut scenario = Scenario::from_path(&args.scenario).code(exit::BAD_INPUT)?;
    if let Some(seed) = args.seed {
        scenario.seed = seed;
    }
    let out = args
        .out
        .clone()
        .unwrap_or_else(|| Path::new("recordings").join(&scenario.name));
    let choice = match args.pen.choice()? {
        Some(c) => c,
        None => PenChoice::from_scenario(&scenario, self_exe()?),
    };
    let summary = run_scenario(&scenario, &choice, &args.pen, &out, !args.quiet)?;
    print_summary(&scenario, &out, &summary);
    if crate::signals::stop_flag().load(std::sync::atomic::Ordering::SeqCst) {
        return Ok(exit::INTERRUPTED);
    }
    let recording = needlebench_recording::Recording::open(&out).code(exit::BAD_INPUT)?;
    let report =
        needlebench_checks::check(&recording, &scenario.expect, None).code(exit::BAD_INPUT)?;
    println!();
    Ok(super::check::print_verdicts(&report))
}

/// Run `scenario` against `choice`, recording into `out`; shared with `regress`.
pub fn run_scenario(
    scenario: &Scenario,
    choice: &PenChoice,
    pen: &PenArgs,
    out: &Path,
    show_progress: bool,
) -> Result<RunSummary, Failure> {
    let config = firmware_config(scenario);
    let setup = RunSetup::new(scenario, &config).code(exit::BAD_INPUT)?;
    let clock = pen.clock().unwrap_or_else(|| clock_of(scenario));
    let mut link = open_link(choice, config, pen.options(clock)).code(exit::LINK)?;
    let meta = setup.recording_meta(&link, &choice.transport_name(), clock);
    let writer = RecordingWriter::create(out, meta).code(exit::BAD_INPUT)?;
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
    )
    .code(exit::BAD_INPUT)?;
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
        RunStatus::Incomplete { reason } => format!("incomplete: {reason}"),
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
    println!(
        "link       {} frames to pen, {} from pen, {} bad CRC, {} re-sent",
        s.link.frames_to_pen, s.link.frames_from_pen, s.link.crc_errors, s.link.retransmits
    );
    println!("recording  {}", out.display());
}
