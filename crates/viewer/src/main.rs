//! `needlebench-viewer`: replay a recording (or run a scenario first and replay that).
//!
//! ```text
//! needlebench-viewer RECORDING [--at SECONDS] [--view top|side|section|perspective]
//! needlebench-viewer SCENARIO.toml [--out DIR]
//! needlebench-viewer RECORDING --screenshot FILE.png [--at SECONDS] [--size WxH] [--no-panels]
//! needlebench-viewer --practice [SCENARIO.toml] [--out DIR]
//! ```
//!
//! Exit codes: 0 success, 1 rendering failed (no adapter, or no display for a window: the
//! message says which), 2 usage error, 3 bad input file.

use bevy::math::UVec2;
use clap::Parser;
use needlebench_scenario::Scenario;
use needlebench_viewer::app::camera::ViewPreset;
use needlebench_viewer::app::practice::run_practice;
use needlebench_viewer::app::{run_window, shot};
use needlebench_viewer::practice::PracticeDriver;
use needlebench_viewer::{Replay, scenario, scorecard};
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::sync::Arc;

/// Replay the needle passes of a needlebench recording in 3D.
#[derive(Parser, Debug)]
#[command(name = "needlebench-viewer", version)]
struct Args {
    /// Recording directory, or a scenario file (.toml) to run first; with --practice, the
    /// treatment-plan scenario to practise [default: the built-in left-cheek practice].
    #[arg(required_unless_present = "practice")]
    input: Option<PathBuf>,
    /// Practise a zone: drive the pen over the face map with the mouse (left button presses,
    /// ↑/↓ force, Enter/Esc finishes and scores); the session is recorded into --out.
    #[arg(long, conflicts_with_all = ["screenshot", "at", "scenario"])]
    practice: bool,
    /// Start (or screenshot) at this time, seconds.
    #[arg(long, value_name = "SECONDS")]
    at: Option<f64>,
    /// Render one frame off-screen to this PNG file and exit.
    #[arg(long, value_name = "FILE.png")]
    screenshot: Option<PathBuf>,
    /// Screenshot of the 3D view alone, without the panels (legend, plots, cross-section).
    #[arg(long, requires = "screenshot")]
    no_panels: bool,
    /// Screenshot size.
    #[arg(long, value_name = "WxH", default_value = "1280x720", value_parser = parse_size)]
    size: UVec2,
    /// Camera preset: perspective, top, side, section.
    #[arg(long, default_value = "perspective", value_parser = parse_view)]
    view: ViewPreset,
    /// Scenario whose `[expect]` to check the recording against [default: the copy of its
    /// scenario the recording holds; without one, criteria that need expectations are not
    /// checked].
    #[arg(long, value_name = "FILE")]
    scenario: Option<PathBuf>,
    /// Where a scenario given as INPUT, or a practice session, is recorded [default: a
    /// directory under the temp dir].
    #[arg(long, value_name = "DIR")]
    out: Option<PathBuf>,
}

fn parse_size(s: &str) -> Result<UVec2, String> {
    let (w, h) = s
        .split_once(['x', 'X'])
        .ok_or_else(|| format!("'{s}': expected WxH, e.g. 1280x720"))?;
    let dim = |v: &str| match v.trim().parse::<u32>() {
        Ok(n) if (16..=8192).contains(&n) => Ok(n),
        _ => Err(format!("'{s}': each side must be 16..=8192 pixels")),
    };
    Ok(UVec2::new(dim(w)?, dim(h)?))
}

fn parse_view(s: &str) -> Result<ViewPreset, String> {
    ViewPreset::from_name(s)
        .ok_or_else(|| format!("'{s}': expected perspective, top, side or section"))
}

const BAD_INPUT: u8 = 3;
const RENDER_FAILED: u8 = 1;

fn main() -> ExitCode {
    let args = Args::parse();
    if let Some(at) = args.at
        && !(at.is_finite() && at >= 0.0)
    {
        eprintln!("error: --at {at}: expected a time ≥ 0 in seconds");
        return ExitCode::from(2);
    }
    if args.practice {
        return practice(&args);
    }
    // Before loading (a scenario given as input would be run first): no window, no work.
    if args.screenshot.is_none()
        && let Some(why) = no_window()
    {
        eprintln!("error: {why}");
        return ExitCode::from(RENDER_FAILED);
    }
    let replay = match load(&args) {
        Ok(r) => Arc::new(r),
        Err(e) => {
            eprintln!("error: {e}");
            return ExitCode::from(BAD_INPUT);
        }
    };
    match &args.screenshot {
        Some(path) => {
            let panels = if args.no_panels {
                shot::Panels::Hidden
            } else {
                shot::Panels::Shown
            };
            let at = args.at.unwrap_or(0.0);
            match shot::screenshot(replay, at, args.size, args.view, panels, path) {
                Ok(()) => ExitCode::SUCCESS,
                Err(e) => {
                    eprintln!("error: {e}");
                    ExitCode::from(RENDER_FAILED)
                }
            }
        }
        None => {
            if run_window(replay, args.at, args.view).is_success() {
                ExitCode::SUCCESS
            } else {
                ExitCode::from(RENDER_FAILED)
            }
        }
    }
}

/// The scenario practice mode runs without one given.
const PRACTICE_SCENARIO: &str = include_str!("../../../scenarios/practice-left-cheek.toml");

/// Why the window cannot open here, if it cannot.
fn no_window() -> Option<String> {
    needlebench_viewer::app::window_unavailable(|name| std::env::var_os(name))
}

fn practice(args: &Args) -> ExitCode {
    // Before anything is recorded: a session that cannot be shown is not started.
    if let Some(why) = no_window() {
        eprintln!("error: {why}");
        return ExitCode::from(RENDER_FAILED);
    }
    let scenario = match &args.input {
        Some(path) => Scenario::from_path(path),
        None => Scenario::from_str(PRACTICE_SCENARIO, Path::new("practice-left-cheek.toml")),
    };
    let scenario = match scenario {
        Ok(s) => s,
        Err(e) => {
            eprintln!("error: {e}");
            return ExitCode::from(BAD_INPUT);
        }
    };
    let out = args.out.clone().unwrap_or_else(|| {
        // the default directory is the viewer's own: a new session replaces it
        let dir = std::env::temp_dir().join("needlebench-practice");
        let _ = std::fs::remove_dir_all(&dir);
        dir
    });
    let driver = match PracticeDriver::start(&scenario, &out) {
        Ok(d) => d,
        Err(e) => {
            eprintln!("error: {e}");
            return ExitCode::from(BAD_INPUT);
        }
    };
    eprintln!("practising into {} …", out.display());
    if run_practice(driver).is_success() {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(RENDER_FAILED)
    }
}

fn load(args: &Args) -> Result<Replay, needlebench_viewer::ViewerError> {
    let input = args.input.clone().unwrap_or_default();
    let dir = if is_scenario_file(&input) {
        let out = args.out.clone().unwrap_or_else(|| {
            let stem = input
                .file_stem()
                .map_or("scenario".into(), |s| s.to_string_lossy());
            std::env::temp_dir().join(format!("needlebench-viewer-{stem}"))
        });
        eprintln!("running {} into {} …", input.display(), out.display());
        // the default directory is the viewer's own: opening the scenario again replaces it
        scenario::run_scenario_into(&input, &out, args.out.is_none())?;
        out
    } else {
        input
    };
    let mut replay = Replay::open(&dir, args.scenario.as_deref())?;
    if replay.face_map.is_some() {
        replay.score = Some(scorecard::score_in_background(dir));
    }
    Ok(replay)
}

fn is_scenario_file(path: &Path) -> bool {
    path.is_file() && path.extension().is_some_and(|e| e == "toml")
}
