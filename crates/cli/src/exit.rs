//! Exit codes of `needlebench`, documented in the README and `needlebench --help`, and the
//! error types they come from (nextest-style: each error type knows its code, see
//! [`ExitCoded`]).
//!
//! | code | meaning |
//! |---|---|
//! | 0 | success (and, for checks, every criterion that applied passed) |
//! | 1 | a check criterion failed, or could not be checked (no expectations) |
//! | 2 | usage error: bad flag, unknown choice, value out of range |
//! | 3 | bad input file (scenario, site, recording): the message names file and position |
//! | 4 | link failure: port missing/busy/denied, handshake, pen vanished mid-run, lag over its bound |
//! | 5 | internal error (a bug in needlebench) |
//! | 6 | cannot write output: disk full, no permission, a report path that cannot be created, a recording target already taken |
//! | 130 | interrupted (Ctrl-C or SIGTERM): the recording so far is flushed and marked incomplete |
//! | 141 | standard output closed early (e.g. `needlebench check … \| head`): ends quietly, as `cat` would |

use needlebench_bridge::LinkError;
use needlebench_checks::CheckError;
use needlebench_recording::RecordingError;
use needlebench_runner::RunError;
use needlebench_scenario::ScenarioError;
use std::process::ExitCode;

/// A failure that carries the exit code it maps to.
#[derive(Debug)]
pub struct Failure {
    /// The process exit code.
    pub code: u8,
    /// What went wrong, with context.
    pub error: anyhow::Error,
}

/// Success.
pub const OK: u8 = 0;
/// A check criterion failed (or could not be checked).
pub const CHECK_FAILED: u8 = 1;
/// Usage error.
pub const USAGE: u8 = 2;
/// Bad input file.
pub const BAD_INPUT: u8 = 3;
/// Link failure.
pub const LINK: u8 = 4;
/// Internal error.
pub const INTERNAL: u8 = 5;
/// Output could not be written.
pub const WRITE: u8 = 6;
/// Interrupted by Ctrl-C or SIGTERM (the shell's convention, 128 + SIGINT).
pub const INTERRUPTED: u8 = 130;
/// Standard output was closed early (the shell's code for a process ended by SIGPIPE,
/// 128 + 13).
pub const BROKEN_PIPE: u8 = 141;

/// Text appended to `--help`.
pub const HELP: &str = "\
Exit codes:
  0   success (every check that applied passed)
  1   a check criterion failed, or could not be checked (no expectations)
  2   usage error (bad flag, unknown choice, value out of range)
  3   bad input file (the message names the file and position)
  4   link failure (port missing, busy or denied; a pen command that does not start,
      prints no pty or exits; handshake; another protocol version or a bad tick rate;
      pen vanished mid-run; real-time lag over its bound)
  5   internal error
  6   cannot write output (disk full, permission, report path, recording target taken)
  130 interrupted (Ctrl-C, SIGTERM); the recording so far is flushed and marked incomplete
  141 standard output closed early (e.g. piped into head); ends quietly";

/// An error type that knows which exit code it means.
pub trait ExitCoded {
    /// The process exit code for this error.
    fn exit_code(&self) -> u8;
}

impl ExitCoded for RecordingError {
    fn exit_code(&self) -> u8 {
        if self.is_write() { WRITE } else { BAD_INPUT }
    }
}

impl ExitCoded for ScenarioError {
    fn exit_code(&self) -> u8 {
        BAD_INPUT
    }
}

impl ExitCoded for needlebench_face::FaceMapError {
    fn exit_code(&self) -> u8 {
        BAD_INPUT
    }
}

impl ExitCoded for LinkError {
    fn exit_code(&self) -> u8 {
        LINK
    }
}

impl ExitCoded for needlebench_physics::PhysicsError {
    fn exit_code(&self) -> u8 {
        BAD_INPUT
    }
}

impl ExitCoded for RunError {
    fn exit_code(&self) -> u8 {
        match self {
            RunError::Setup(e) => e.exit_code(),
            RunError::Recording(e) => e.exit_code(),
            // the cli picks the runner by the scenario's device: reaching these is a bug
            RunError::NotAPen(_) | RunError::NeedsFirmware => INTERNAL,
        }
    }
}

impl ExitCoded for CheckError {
    fn exit_code(&self) -> u8 {
        match self {
            CheckError::Recording(e) => e.exit_code(),
            CheckError::Scenario(e) => e.exit_code(),
            CheckError::InvalidExpect { .. } | CheckError::Csv { .. } => BAD_INPUT,
        }
    }
}

/// Writing an output file (report, JSON) failed.
#[derive(Debug)]
pub struct WriteError {
    /// The file or directory.
    pub path: std::path::PathBuf,
    /// The operating system's error.
    pub source: std::io::Error,
}

impl std::fmt::Display for WriteError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "cannot write {}: {}", self.path.display(), self.source)
    }
}

impl std::error::Error for WriteError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        Some(&self.source)
    }
}

/// Write `text` to `path`, creating its parent directories.
pub fn write_output(path: &std::path::Path, text: &str) -> Result<(), Failure> {
    use std::io::Write;
    create_output(path)?
        .write_all(text.as_bytes())
        .map_err(|source| WriteError {
            path: path.to_owned(),
            source,
        })
        .coded()
}

/// Create (or truncate) the file `path`, creating its parent directories.
pub fn create_output(path: &std::path::Path) -> Result<std::fs::File, Failure> {
    let err = |path: &std::path::Path| {
        let path = path.to_owned();
        move |source| WriteError { path, source }
    };
    if let Some(parent) = path.parent().filter(|p| !p.as_os_str().is_empty()) {
        std::fs::create_dir_all(parent)
            .map_err(err(parent))
            .coded()?;
    }
    std::fs::File::create(path).map_err(err(path)).coded()
}

impl ExitCoded for WriteError {
    fn exit_code(&self) -> u8 {
        WRITE
    }
}

/// Turn a typed error into a [`Failure`] with the code its type gives.
pub trait Coded<T> {
    /// Map the error to a [`Failure`] with [`ExitCoded::exit_code`].
    fn coded(self) -> Result<T, Failure>;
}

impl<T, E: ExitCoded + Into<anyhow::Error>> Coded<T> for Result<T, E> {
    fn coded(self) -> Result<T, Failure> {
        self.map_err(|e| Failure {
            code: e.exit_code(),
            error: e.into(),
        })
    }
}

/// Attach an explicit exit code to an error that has no type of ours (internal errors).
pub trait WithCode<T> {
    /// Map the error to a [`Failure`] with `code`.
    fn code(self, code: u8) -> Result<T, Failure>;
}

impl<T, E: Into<anyhow::Error>> WithCode<T> for Result<T, E> {
    fn code(self, code: u8) -> Result<T, Failure> {
        self.map_err(|e| Failure {
            code,
            error: e.into(),
        })
    }
}

impl Failure {
    /// A usage error with a message.
    pub fn usage(msg: impl std::fmt::Display) -> Self {
        Failure {
            code: USAGE,
            error: anyhow::anyhow!("{msg}"),
        }
    }

    /// Add context to the message, keeping the code.
    pub fn context(self, what: impl std::fmt::Display + Send + Sync + 'static) -> Self {
        Failure {
            code: self.code,
            error: self.error.context(what),
        }
    }

    /// Print the error chain to stderr and turn it into an exit code.
    pub fn report(self) -> ExitCode {
        eprintln!("error: {:#}", self.error);
        ExitCode::from(self.code)
    }
}

/// Whether a panic payload is the standard library's "failed printing to stdout" for a
/// closed pipe (EPIPE, os error 32): `print!` panics rather than return the error.
pub fn is_broken_pipe(payload: &(dyn std::any::Any + Send)) -> bool {
    let text = payload
        .downcast_ref::<String>()
        .map(String::as_str)
        .or_else(|| payload.downcast_ref::<&str>().copied())
        .unwrap_or("");
    text.contains("failed printing to std") && text.contains("os error 32")
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::{Error, ErrorKind};

    fn io(action: &'static str, kind: ErrorKind) -> RecordingError {
        RecordingError::Io {
            path: "rec/telemetry.csv".into(),
            action,
            source: Error::from(kind),
        }
    }

    #[test]
    fn a_full_disk_while_recording_is_a_write_failure_not_bad_input() {
        let full = Error::from_raw_os_error(28); // ENOSPC
        let e = RecordingError::Io {
            path: "rec/punctures.csv".into(),
            action: "write",
            source: full,
        };
        assert_eq!(e.exit_code(), WRITE);
        assert_eq!(RunError::Recording(e).exit_code(), WRITE);
        assert_eq!(io("create", ErrorKind::PermissionDenied).exit_code(), WRITE);
    }

    #[test]
    fn an_unreadable_recording_is_bad_input() {
        assert_eq!(io("open", ErrorKind::NotFound).exit_code(), BAD_INPUT);
        assert_eq!(io("read", ErrorKind::InvalidData).exit_code(), BAD_INPUT);
        let e = CheckError::Recording(io("read", ErrorKind::InvalidData));
        assert_eq!(e.exit_code(), BAD_INPUT);
    }

    #[test]
    fn every_link_error_is_exit_4() {
        let e = LinkError::PortNotFound {
            path: "/dev/ttyACM9".into(),
        };
        assert_eq!(e.exit_code(), LINK);
    }

    #[test]
    fn a_report_write_failure_is_exit_6() {
        let e = WriteError {
            path: "out/report.html".into(),
            source: Error::from(ErrorKind::PermissionDenied),
        };
        assert_eq!(e.exit_code(), WRITE);
        assert!(e.to_string().starts_with("cannot write out/report.html"));
    }

    #[test]
    fn a_runner_asked_for_the_wrong_device_is_an_internal_error() {
        // the cli picks the runner by the scenario's device: this is a bug if it happens
        let e = RunError::NotAPen(needlebench_physics::DeviceKind::Roller);
        assert_eq!(e.exit_code(), INTERNAL);
        assert_eq!(RunError::NeedsFirmware.exit_code(), INTERNAL);
    }

    #[test]
    fn only_a_broken_stdout_pipe_counts_as_one() {
        let msg = "failed printing to stdout: Broken pipe (os error 32)".to_owned();
        assert!(is_broken_pipe(&msg));
        let other = "failed printing to stdout: No space left on device (os error 28)".to_owned();
        assert!(!is_broken_pipe(&other));
        assert!(!is_broken_pipe(&"index out of bounds"));
    }
}
