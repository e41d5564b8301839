//! The C reference pen (`sdk/c/examples/pen`) against the shipped scenario suite: the same
//! verdicts as the Rust reference firmware, and the same simulated data, byte for byte.
//!
//! - On QEMU (`lm3s6965evb`, the Cortex-M3 build): every pen scenario file the suite holds
//!   (found as `regress` finds them, so new ones join; rollers and stamps have no firmware),
//!   the verification suite's fault-response files included, except the two full-face plans
//!   (the 10-minute plan and the trainee's flawed run of it) and the verification matrices:
//!   QEMU's lockstep round trip over a pty runs about 1 000 ticks/s on the 2-core CI machine,
//!   so the full-face plan's 600 000 ticks would take about 10 minutes, the flawed run's
//!   286 000 about 5, and the matrices' 340 000 about 6. `NEEDLEBENCH_QEMU_FULL_SUITE=1` runs them
//!   too. (`cargo bench -p needlebench-sdk-c --bench pens` gives the tick rates.)
//! - On the host (`pen-host`, the same firmware source): every scenario and every variant,
//!   full-face and the verification matrices included.
//! - Two QEMU runs of one scenario give byte-identical recordings: lockstep drives the
//!   firmware's ticks, so the emulator's speed does not matter.
//!
//! With `CI` set a missing `gcc`, `arm-none-eabi-gcc` or `qemu-system-arm` fails these
//! tests; elsewhere they are skipped with a note.

use crate::support::needlebench;
use needlebench_sdk_c::{Artifact, build, qemu_pen_command, require};
use serde_json::Value;
use std::path::{Path, PathBuf};
use std::sync::OnceLock;

/// The scenarios too slow for QEMU in CI (see the module docs): the full-face plan (600 s
/// simulated) and the trainee's flawed run of it (286 s).
const QEMU_TOO_SLOW: &[&str] = &["full-face-plan-10min", "full-face-trainee-flawed"];

fn out_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("c-pen-e2e")
}

fn repo() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

/// One scenario file of the suite and its units: (name in reports, recording directory) —
/// one unit for a plain file, one per variant for a matrix file.
struct SuiteFile {
    path: PathBuf,
    units: Vec<(String, String)>,
}

/// Every shipped scenario file that runs a pen's firmware, as `regress` finds them (rollers
/// and stamps have none: a pen command does not apply to them), matrices included
/// (`scenarios/verification/`).
fn suite() -> Vec<SuiteFile> {
    use needlebench_scenario::{Device, ExpandOptions, ScenarioFile};
    needlebench_scenario::find_scenarios(&[repo().join("scenarios")])
        .expect("scenarios/")
        .into_iter()
        .filter_map(|path| {
            let file = ScenarioFile::read(&path, ExpandOptions::default()).expect("scenario");
            let first = file.unit(0).expect("scenario");
            if !matches!(first.device, Device::Pen(_)) {
                return None;
            }
            let units = match file.variants() {
                Some(variants) => variants.map(|v| (v.name.clone(), v.dir_name())).collect(),
                None => vec![(first.name.clone(), first.name.clone())],
            };
            Some(SuiteFile { path, units })
        })
        .collect()
}

/// Whether the QEMU test runs `file` by default: every scenario file of the suite but the
/// full-face plans ([`QEMU_TOO_SLOW`]) and the verification matrices (depth per setting and level,
/// rate hold: 114 variants, 340 000 ticks, ~8 minutes on QEMU). The verification suite's
/// fault-response files run: they are what a firmware port gets wrong. The host pen runs all.
fn qemu_in_ci(file: &SuiteFile) -> bool {
    file.units.len() == 1 && !QEMU_TOO_SLOW.contains(&file.units[0].0.as_str())
}

fn paths(files: &[SuiteFile]) -> Vec<PathBuf> {
    files.iter().map(|f| f.path.clone()).collect()
}

fn units(files: &[SuiteFile]) -> Vec<(String, String)> {
    files.iter().flat_map(|f| f.units.clone()).collect()
}

/// `regress` over `scenarios` (with `pen` args) into `dir`; the JSON report.
fn regress(scenarios: &[PathBuf], pen: &[&str], dir: &Path) -> Value {
    let json = dir.join("report.json");
    let recordings = dir.join("rec");
    let mut args: Vec<String> = vec!["regress".into()];
    args.extend(scenarios.iter().map(|p| p.display().to_string()));
    args.extend(pen.iter().map(|s| (*s).to_owned()));
    for a in [
        "--jobs",
        "2",
        "--json",
        json.to_str().unwrap(),
        "--out",
        recordings.to_str().unwrap(),
    ] {
        args.push(a.to_owned());
    }
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    let o = needlebench(&args);
    let report = std::fs::read_to_string(&json).unwrap_or_else(|e| {
        panic!(
            "no JSON report ({e}); regress said:\n{}\n{}",
            String::from_utf8_lossy(&o.stdout),
            String::from_utf8_lossy(&o.stderr)
        )
    });
    serde_json::from_str(&report).expect("JSON report")
}

/// The Rust reference's report over the whole suite, run once.
fn rust_reference() -> &'static (Value, PathBuf) {
    static REFERENCE: OnceLock<(Value, PathBuf)> = OnceLock::new();
    REFERENCE.get_or_init(|| {
        let dir = out_dir().join("rust");
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).unwrap();
        (regress(&paths(&suite()), &[], &dir), dir.join("rec"))
    })
}

/// One scenario's name, status, and every criterion with its outcome.
type Verdicts = (String, String, Vec<(String, String)>);

/// Per scenario, sorted by name: its status and every criterion with its outcome.
fn verdicts(report: &Value) -> Vec<Verdicts> {
    let mut out: Vec<_> = report["scenarios"]
        .as_array()
        .expect("scenarios")
        .iter()
        .map(|s| {
            let verdicts = s["verdicts"]
                .as_array()
                .map(|v| {
                    v.iter()
                        .map(|v| {
                            (
                                v["criterion"].as_str().unwrap_or_default().to_owned(),
                                v["outcome"].as_str().unwrap_or_default().to_owned(),
                            )
                        })
                        .collect()
                })
                .unwrap_or_default();
            (
                s["name"].as_str().unwrap_or_default().to_owned(),
                s["status"].as_str().unwrap_or_default().to_owned(),
                verdicts,
            )
        })
        .collect();
    out.sort();
    out
}

/// The simulated data of a recording: what must not depend on which pen ran the firmware.
const DATA_FILES: [&str; 3] = ["telemetry.csv", "punctures.csv", "events.csv"];

fn assert_same_verdicts_and_data(c: &Value, c_recordings: &Path, units: &[(String, String)]) {
    let (rust, rust_recordings) = rust_reference();
    let names: Vec<&String> = units.iter().map(|(name, _)| name).collect();
    let rust: Vec<_> = verdicts(rust)
        .into_iter()
        .filter(|(name, ..)| names.contains(&name))
        .collect();
    let c = verdicts(c);
    assert_eq!(c.len(), units.len(), "the C pen's report lacks scenarios");
    assert_eq!(
        rust.len(),
        units.len(),
        "the Rust reference's report lacks scenarios"
    );
    for (c, rust) in c.iter().zip(&rust) {
        assert!(!c.2.is_empty(), "{}: no verdicts", c.0);
        assert_eq!(
            c, rust,
            "the C pen's verdicts differ from the Rust reference's"
        );
    }
    for (name, dir) in units {
        for file in DATA_FILES {
            let a = std::fs::read(rust_recordings.join(dir).join(file)).unwrap();
            let b = std::fs::read(c_recordings.join(dir).join(file)).unwrap();
            assert!(
                a == b,
                "{name}/{file} differs between the Rust and the C pen"
            );
        }
    }
}

#[test]
fn c_pen_on_qemu_gives_the_rust_references_verdicts_on_the_shipped_suite() {
    if !require("arm-none-eabi-gcc") || !require("qemu-system-arm") {
        return;
    }
    let elf = build(&out_dir().join("build"), Artifact::QemuPen).unwrap_or_else(|e| panic!("{e}"));
    let full = std::env::var_os("NEEDLEBENCH_QEMU_FULL_SUITE").is_some();
    let files: Vec<SuiteFile> = suite()
        .into_iter()
        .filter(|f| full || qemu_in_ci(f))
        .collect();
    assert!(files.len() >= 15, "only {} scenario files", files.len());
    let (scenarios, names) = (paths(&files), units(&files));
    let dir = out_dir().join("qemu");
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    let report = regress(&scenarios, &["--pen-cmd", &qemu_pen_command(&elf)], &dir);
    assert_same_verdicts_and_data(&report, &dir.join("rec"), &names);
}

#[test]
fn c_host_pen_gives_the_rust_references_verdicts_on_every_shipped_scenario() {
    if !require("gcc") {
        return;
    }
    let pen = build(&out_dir().join("build"), Artifact::HostPen).unwrap_or_else(|e| panic!("{e}"));
    let files = suite();
    for slow in QEMU_TOO_SLOW {
        assert!(
            files.iter().any(|f| f.units[0].0 == *slow),
            "the full-face scenario {slow} moved"
        );
    }
    assert!(
        files.iter().any(|f| f.units.len() > 1),
        "the suite's matrices (scenarios/verification/) are missing"
    );
    let (scenarios, names) = (paths(&files), units(&files));
    let dir = out_dir().join("host");
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    let command = format!(
        "exec '{}' --cartridge-limit-s {{cartridge_limit_s}}",
        pen.display()
    );
    let report = regress(&scenarios, &["--pen-cmd", &command], &dir);
    assert_same_verdicts_and_data(&report, &dir.join("rec"), &names);
}

/// Every file of a recording by its path inside it, except those that hold wall-clock or
/// process output by design: `timing.toml` (link timing and counters, which count re-sends
/// a slow moment of the host can cause) and the pen command's `pen-stdout.log` and
/// `pen-stderr.log` (crates/recording/FORMAT.md).
fn reproducible_files(recording: &Path) -> Vec<(String, Vec<u8>)> {
    fn walk(root: &Path, dir: &Path, out: &mut Vec<(String, Vec<u8>)>) {
        for entry in std::fs::read_dir(dir).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                walk(root, &path, out);
                continue;
            }
            let name = path
                .strip_prefix(root)
                .unwrap()
                .to_string_lossy()
                .into_owned();
            if !matches!(
                name.as_str(),
                "timing.toml" | "pen-stdout.log" | "pen-stderr.log"
            ) {
                out.push((name, std::fs::read(&path).unwrap()));
            }
        }
    }
    let mut out = Vec::new();
    walk(recording, recording, &mut out);
    out.sort();
    out
}

#[test]
fn two_qemu_runs_of_a_scenario_give_byte_identical_recordings() {
    if !require("arm-none-eabi-gcc") || !require("qemu-system-arm") {
        return;
    }
    let elf =
        build(&out_dir().join("build-twice"), Artifact::QemuPen).unwrap_or_else(|e| panic!("{e}"));
    let scenario = repo().join("scenarios/link-garbage-recovers.toml");
    let dir = out_dir().join("twice");
    let _ = std::fs::remove_dir_all(&dir);
    let command = qemu_pen_command(&elf);
    let runs: Vec<PathBuf> = (0..2)
        .map(|i| {
            let out = dir.join(format!("run{i}"));
            let o = needlebench(&[
                "run",
                scenario.to_str().unwrap(),
                "--pen-cmd",
                &command,
                "--out",
                out.to_str().unwrap(),
                "-q",
            ]);
            assert_eq!(
                o.status.code(),
                Some(0),
                "{}",
                String::from_utf8_lossy(&o.stdout)
            );
            out
        })
        .collect();
    for file in DATA_FILES.iter().chain(&["scenario/scenario.toml"]) {
        let a = std::fs::read(runs[0].join(file)).unwrap();
        let b = std::fs::read(runs[1].join(file)).unwrap();
        assert!(
            !a.is_empty() && a == b,
            "{file} differs between two QEMU runs"
        );
    }
    let (a, b) = (reproducible_files(&runs[0]), reproducible_files(&runs[1]));
    let names: Vec<&str> = a.iter().map(|(n, _)| n.as_str()).collect();
    assert!(names.contains(&"meta.toml"), "{names:?}");
    assert_eq!(
        names,
        b.iter().map(|(n, _)| n.as_str()).collect::<Vec<_>>(),
        "the two QEMU runs wrote different files"
    );
    for ((name, x), (_, y)) in a.iter().zip(&b) {
        assert!(x == y, "{name} differs between two QEMU runs");
    }
}
