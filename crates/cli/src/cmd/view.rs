//! `needlebench view`: start the bevy viewer (`needlebench-viewer`, a separate binary so this
//! one stays free of bevy and builds in seconds) with the same arguments.

use crate::exit::{self, Failure};
use anyhow::anyhow;
use clap::Args;
use std::ffi::OsString;
use std::path::{Path, PathBuf};
use std::process::Command;

/// Replay a recording (or run a scenario and replay it) in the 3D viewer.
#[derive(Args, Debug)]
pub struct ViewArgs {
    /// Recording directory or scenario file, then the viewer's own options
    /// (`--at SECONDS`, `--screenshot FILE.png`, `--size WxH`, `--view top|side|section`);
    /// see `needlebench-viewer --help`.
    #[arg(required = true, num_args = 1.., trailing_var_arg = true, allow_hyphen_values = true, value_name = "RECORDING [VIEWER OPTIONS]")]
    args: Vec<OsString>,
}

/// The viewer binary's file name.
const VIEWER: &str = "needlebench-viewer";

/// Find `needlebench-viewer` next to this executable, else on `PATH`.
pub fn find_viewer() -> Option<PathBuf> {
    let exe_name = format!("{VIEWER}{}", std::env::consts::EXE_SUFFIX);
    let beside = std::env::current_exe()
        .ok()
        .map(|p| p.with_file_name(&exe_name));
    if let Some(p) = beside.filter(|p| p.is_file()) {
        return Some(p);
    }
    let path = std::env::var_os("PATH")?;
    std::env::split_paths(&path)
        .map(|d| d.join(&exe_name))
        .find(|p| is_executable(p))
}

fn is_executable(p: &Path) -> bool {
    p.is_file()
}

/// Run the viewer and pass its exit code through.
pub fn run(args: ViewArgs) -> Result<u8, Failure> {
    let Some(viewer) = find_viewer() else {
        return Err(Failure {
            code: exit::BAD_INPUT,
            error: anyhow!(
                "{VIEWER} not found next to {} or on PATH; build it with `cargo build -p needlebench-viewer` \
                 (bevy; the first build takes a while)",
                std::env::current_exe()
                    .map(|p| p.display().to_string())
                    .unwrap_or_else(|_| "needlebench".into())
            ),
        });
    };
    let status = Command::new(&viewer)
        .args(&args.args)
        .status()
        .map_err(|e| Failure {
            code: exit::BAD_INPUT,
            error: anyhow!("cannot start {}: {e}", viewer.display()),
        })?;
    Ok(status
        .code()
        .and_then(|c| u8::try_from(c).ok())
        .unwrap_or(exit::INTERNAL))
}
