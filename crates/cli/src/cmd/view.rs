//! `needlebench view`: start the bevy viewer (`needlebench-viewer`, a separate binary so this
//! one stays free of bevy and builds in seconds) with the same arguments.
//!
//! The viewer is found at `$NEEDLEBENCH_VIEWER` if set, else next to this executable, else on
//! `PATH`. In a checkout, `cargo test --workspace` builds it (the viewer's integration tests
//! run the binary), into the same `target/debug` as `cargo run`'s `needlebench`, with the
//! workspace's feature set: [`BUILD_COMMAND`] builds exactly that without running the tests,
//! and `cargo test --workspace` afterwards finds bevy fresh. (`cargo build -p
//! needlebench-viewer` would build bevy a second time with another feature set.) A viewer
//! older than this executable may predate changes to the crates both share: `view` says so
//! and starts it anyway.

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

/// Environment variable naming the viewer binary to start (overrides the search).
pub const VIEWER_ENV: &str = "NEEDLEBENCH_VIEWER";

/// The command that builds the viewer in a checkout, with the features `cargo test
/// --workspace` uses (so neither builds bevy twice).
pub const BUILD_COMMAND: &str = "cargo test --workspace --no-run";

/// Find `needlebench-viewer`: `$NEEDLEBENCH_VIEWER` (`None` when it names no file), else
/// next to this executable, else on `PATH`.
pub fn find_viewer() -> Option<PathBuf> {
    if let Some(p) = std::env::var_os(VIEWER_ENV) {
        let p = PathBuf::from(p);
        return p.is_file().then_some(p);
    }
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

/// Whether `viewer` was built before `exe` (both modification times readable).
pub fn is_older(viewer: &Path, exe: &Path) -> bool {
    let modified = |p: &Path| std::fs::metadata(p).and_then(|m| m.modified()).ok();
    matches!((modified(viewer), modified(exe)), (Some(v), Some(e)) if v < e)
}

/// Run the viewer and pass its exit code through.
pub fn run(args: ViewArgs) -> Result<u8, Failure> {
    let exe = std::env::current_exe().ok();
    let Some(viewer) = find_viewer() else {
        let searched = match std::env::var_os(VIEWER_ENV) {
            Some(p) => format!("{VIEWER_ENV}={} is not a file", Path::new(&p).display()),
            None => format!(
                "{VIEWER} is not next to {} nor on PATH",
                exe.as_deref()
                    .map_or_else(|| "needlebench".into(), |p| p.display().to_string())
            ),
        };
        return Err(Failure {
            code: exit::BAD_INPUT,
            error: anyhow!(
                "{searched}; build it from the repository root with `{BUILD_COMMAND}` \
                 (the features `cargo test --workspace` uses, so bevy is built once; \
                 the first build takes a while)"
            ),
        });
    };
    if let Some(exe) = &exe
        && is_older(&viewer, exe)
    {
        eprintln!(
            "warning: {} is older than {} and may be stale; rebuild it with `{BUILD_COMMAND}`",
            viewer.display(),
            exe.display()
        );
    }
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
