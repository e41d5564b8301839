//! Every scenario is a test: one libtest trial per `scenarios/**/*.toml`, named after the
//! file (path below `scenarios/`, without `.toml`), and for a file with a `[matrix]` one
//! trial per variant, named after the file and the variant's values
//! (`verification/depth[exposure_mm=0.5,speed_level=3]`).
//!
//! Each trial runs the real binary, `needlebench regress FILE --out <tmp> --jobs 1 --quiet`
//! (with `--variant NAME` for a variant), which runs the scenario and checks its recording,
//! and requires exit code 0. Scenarios
//! tagged `negative` must fail their checks: `regress` counts that as success ("expected
//! fail") and a clean pass as a failure, and the trial also requires the summary row to say
//! `expected fail`. Every scenario runs, the 10-minute full-face plan included (~10 s in
//! the dev profile): a suite that skips its longest member hides the regressions that only
//! long sessions show (battery drain, cartridge lockout, drift).
//!
//! Because this is an ordinary test target (`harness = false`, libtest-compatible CLI), both
//! `cargo test --test scenarios` and `cargo nextest run --partition count:I/N` see each
//! scenario as a test, so a CI matrix can spread the library over machines.

use libtest_mimic::{Arguments, Failed, Trial};
use needlebench_scenario::{ExpandOptions, ScenarioFile, find_scenarios};
use std::path::{Path, PathBuf};
use std::process::Command;

/// Tag of scenarios that must fail their checks.
const NEGATIVE: &str = "negative";

fn main() {
    let args = Arguments::from_args();
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../scenarios");
    let trials = match find_scenarios(&[&root]) {
        Ok(files) => files.into_iter().flat_map(|f| trials(&root, f)).collect(),
        Err(e) => vec![Trial::test("find_scenarios", move || {
            Err(Failed::from(e.to_string()))
        })],
    };
    libtest_mimic::run(&args, trials).exit();
}

/// The trials of one scenario file: one, or one per matrix variant.
fn trials(root: &Path, file: PathBuf) -> Vec<Trial> {
    let name = file
        .strip_prefix(root)
        .unwrap_or(&file)
        .with_extension("")
        .to_string_lossy()
        .replace('\\', "/");
    // A file that does not parse still becomes a trial, which then fails with the message.
    let read = match ScenarioFile::read(&file, ExpandOptions::default()) {
        Ok(read) => read,
        Err(e) => {
            let message = e.to_string();
            return vec![Trial::test(name, move || Err(message.into())).with_kind("scenario")];
        }
    };
    let negative = |tags: &[String]| tags.iter().any(|t| t == NEGATIVE);
    let Some(variants) = read.variants() else {
        let tags = read.scenario().map(|s| s.tags).unwrap_or_default();
        let negative = negative(&tags);
        return vec![Trial::test(name, move || run(&file, None, negative)).with_kind("scenario")];
    };
    variants
        .map(|v| {
            let tags = read.variant(&v).map(|s| s.tags).unwrap_or_default();
            let negative = negative(&tags);
            let label = v.name.strip_prefix(&v.base_name).unwrap_or(&v.name);
            let (file, variant) = (file.clone(), v.name.clone());
            Trial::test(format!("{name}{label}"), move || {
                run(&file, Some(&variant), negative)
            })
            .with_kind("scenario")
        })
        .collect()
}

/// Run and check `file` (its `variant`); it must fail its checks exactly when it is
/// `negative`.
fn run(file: &Path, variant: Option<&str>, negative: bool) -> Result<(), Failed> {
    let out = tempfile::tempdir().map_err(|e| format!("temporary directory: {e}"))?;
    let output = Command::new(env!("CARGO_BIN_EXE_needlebench"))
        .arg("regress")
        .arg(file)
        .arg("--out")
        .arg(out.path())
        .args(["--jobs", "1", "--quiet"])
        .args(variant.map(|v| ["--variant", v]).into_iter().flatten())
        .output()
        .map_err(|e| format!("starting needlebench: {e}"))?;
    let stdout = String::from_utf8_lossy(&output.stdout);
    let report = || {
        format!(
            "--- stdout\n{stdout}\n--- stderr\n{}",
            String::from_utf8_lossy(&output.stderr)
        )
    };
    if output.status.code() != Some(0) {
        return Err(format!(
            "expected exit code 0, got {:?}{}\n{}",
            output.status.code(),
            if negative {
                " (tagged `negative`: must fail its checks)"
            } else {
                ""
            },
            report()
        )
        .into());
    }
    if negative && !stdout.lines().any(|l| l.contains(" expected fail ")) {
        return Err(format!(
            "tagged `negative` but not reported as `expected fail`\n{}",
            report()
        )
        .into());
    }
    Ok(())
}
