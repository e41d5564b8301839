//! Helpers shared by the end-to-end tests.

use std::process::{Command, Output};

/// Run `needlebench` with `args` and return its output.
#[allow(dead_code)]
pub fn needlebench(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_needlebench"))
        .args(args)
        .output()
        .expect("needlebench binary runs")
}
