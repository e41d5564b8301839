//! Exit codes of `needlebench`, documented in the README and `needlebench --help`.
//!
//! | code | meaning |
//! |---|---|
//! | 0 | success (and, for checks, every criterion passed) |
//! | 1 | a check criterion failed |
//! | 2 | usage error: bad flag, unknown choice, value out of range |
//! | 3 | bad input file (scenario, site, recording): the message names file and position |
//! | 4 | link failure: port missing/busy/denied, handshake, pen vanished mid-run |
//! | 5 | internal error (a bug in needlebench) |
//! | 130 | interrupted (Ctrl-C or SIGTERM): the recording so far is flushed and marked incomplete |

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
/// A check criterion failed.
pub const CHECK_FAILED: u8 = 1;
/// Usage error.
pub const USAGE: u8 = 2;
/// Bad input file.
pub const BAD_INPUT: u8 = 3;
/// Link failure.
pub const LINK: u8 = 4;
/// Internal error.
pub const INTERNAL: u8 = 5;
/// Interrupted by Ctrl-C or SIGTERM (the shell's convention, 128 + SIGINT).
pub const INTERRUPTED: u8 = 130;

/// Text appended to `--help`.
pub const HELP: &str = "\
Exit codes:
  0  success (every check passed)
  1  a check criterion failed
  2  usage error (bad flag, unknown choice, value out of range)
  3  bad input file (the message names the file and position)
  4  link failure (port missing, busy or denied; handshake; pen vanished mid-run)
  5  internal error
  130 interrupted (Ctrl-C, SIGTERM); the recording so far is flushed and marked incomplete";

/// Attach an exit code to any error.
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

    /// Print the error chain to stderr and turn it into an exit code.
    pub fn report(self) -> ExitCode {
        eprintln!("error: {:#}", self.error);
        ExitCode::from(self.code)
    }
}
