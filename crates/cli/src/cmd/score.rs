//! `needlebench score`: score the technique of a treatment recording zone by zone (and
//! against an expert's recording), print a table or JSON, write an HTML page.

use crate::exit::{self, Coded, Failure, WithCode};
use clap::Args;
use needlebench_recording::Recording;
use needlebench_score::render::{self, Report, Source};
use needlebench_score::{Score, compare, from_recording, score};
use std::path::{Path, PathBuf};

/// Score a recording's technique per zone: coverage, passes, glide, force, tilt, depth, time.
#[derive(Args, Debug)]
pub struct ScoreArgs {
    /// Recording directory (of a scenario with a treatment plan, or any pen scenario: then
    /// the treated area is scored as one zone "area").
    recording: PathBuf,
    /// An expert's recording of the same plan: compare metric by metric.
    #[arg(long, value_name = "RECORDING")]
    against: Option<PathBuf>,
    /// Score against this scenario's targets (its `[plan]`, or its `[hand]` and `[pen]`)
    /// instead of the recording's own scenario copy: the plan a trainee attempted [default:
    /// the scenario copy in the recording].
    #[arg(long, value_name = "SCENARIO")]
    plan: Option<PathBuf>,
    /// Print the score as JSON instead of the table.
    #[arg(long)]
    json: bool,
    /// Also write a self-contained HTML page (zone map, metrics, feedback).
    #[arg(long, value_name = "FILE")]
    html: Option<PathBuf>,
}

/// Run the subcommand: 0 when every planned zone reaches the pass mark, 1 otherwise, 3 for a
/// bad recording (or one without a scenario copy), 6 when the HTML page cannot be written.
pub fn run(args: ScoreArgs) -> Result<u8, Failure> {
    let plan = args.plan.as_deref();
    let (source, trainee) = load(&args.recording, plan)?;
    let against = match &args.against {
        Some(path) => {
            let (src, expert) = load(path, plan)?;
            Some((src, compare(&trainee, &expert)))
        }
        None => None,
    };
    let report = Report {
        source,
        score: &trainee,
        against,
    };
    if let Some(path) = &args.html {
        exit::write_output(path, &render::html(&report))?;
    }
    if args.json {
        let text = render::json(&report).code(exit::INTERNAL)?;
        println!("{text}");
    } else {
        print!("{}", render::table(&report));
    }
    Ok(if trainee.overall.passed {
        exit::OK
    } else {
        exit::CHECK_FAILED
    })
}

/// Open and score one recording, against the targets of `plan` if given.
fn load(path: &Path, plan: Option<&Path>) -> Result<(Source, Score), Failure> {
    let recording = Recording::open(path)
        .coded()
        .map_err(|f| f.context(format!("cannot open recording {}", path.display())))?;
    let loaded = from_recording(&recording, plan)
        .coded()
        .map_err(|f| f.context(format!("cannot score {}", path.display())))?;
    for w in &loaded.warnings {
        eprintln!("warning: {w}");
    }
    let result = score(&loaded.input)
        .coded()
        .map_err(|f| f.context(format!("cannot score {}", path.display())))?;
    let source = Source {
        recording: path.display().to_string(),
        scenario: loaded.scenario,
        targets: loaded.targets.display().to_string(),
        face_map: loaded.face_map,
    };
    Ok((source, result))
}
