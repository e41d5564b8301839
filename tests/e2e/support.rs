//! Helpers shared by the end-to-end tests.

use serde_json::Value;
use std::path::Path;
use std::process::{Command, Output};

/// Run `needlebench` with `args` and return its output.
#[allow(dead_code)]
pub fn needlebench(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_needlebench"))
        .args(args)
        .output()
        .expect("needlebench binary runs")
}

/// A process's exit status, stdout and stderr, for assertion messages.
#[allow(dead_code)]
pub fn text(out: &Output) -> String {
    format!(
        "status {:?}\n--- stdout\n{}\n--- stderr\n{}",
        out.status.code(),
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    )
}

/// The JSON file at `path`, parsed.
#[allow(dead_code)]
pub fn read_json(path: &Path) -> Value {
    serde_json::from_str(&std::fs::read_to_string(path).expect("JSON written")).expect("valid JSON")
}

/// The scenario names of a JSON report, in order.
#[allow(dead_code)]
pub fn names(doc: &Value) -> Vec<String> {
    doc["scenarios"]
        .as_array()
        .expect("scenarios array")
        .iter()
        .map(|s| s["name"].as_str().expect("name").to_owned())
        .collect()
}
