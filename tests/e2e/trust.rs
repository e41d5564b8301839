//! Issue 10's findings, run again as written: every one gives the right verdict and exit code.
//! One test per finding or exit code, named after what it guards.

use crate::support::needlebench;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};
use std::time::Duration;

const GLABELLA: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/../../tests/fixtures/scenarios/fx-glabella-stamp.toml"
);

fn scenario(name: &str) -> String {
    format!("{}/../../scenarios/{name}.toml", env!("CARGO_MANIFEST_DIR"))
}

fn text(o: &Output) -> String {
    format!(
        "status {:?}\n--- stdout\n{}\n--- stderr\n{}",
        o.status.code(),
        String::from_utf8_lossy(&o.stdout),
        String::from_utf8_lossy(&o.stderr)
    )
}

fn meta(dir: &Path) -> String {
    std::fs::read_to_string(dir.join("meta.toml")).expect("meta.toml")
}

fn run_fixture(out: &Path) -> Output {
    needlebench(&["run", GLABELLA, "--out", out.to_str().expect("utf-8"), "-q"])
}

/// Rows of a CSV file (lines after the header), and whether its last byte is a line end.
fn rows(path: &Path) -> (usize, bool) {
    let bytes = std::fs::read(path).expect("csv");
    let lines = bytes.iter().filter(|&&b| b == b'\n').count();
    (lines.saturating_sub(1), bytes.last() == Some(&b'\n'))
}

#[test]
fn check_uses_the_recordings_own_scenario_from_any_directory() {
    let tmp = tempfile::tempdir().expect("tmp");
    let rec = tmp.path().join("rec");
    assert_eq!(run_fixture(&rec).status.code(), Some(0));
    // the scenario forbids nothing deeper than 600 µm; tighten the recorded copy's limit so
    // that the verdict can only come from the copy, then check from another directory
    let copy = rec.join("scenario/scenario.toml");
    let text_before = std::fs::read_to_string(&copy).expect("copy");
    std::fs::write(
        &copy,
        text_before.replace("max_depth_um = 600.0", "max_depth_um = 10.0"),
    )
    .expect("edit copy");
    let elsewhere = tempfile::tempdir().expect("cwd");
    let o = Command::new(env!("CARGO_BIN_EXE_needlebench"))
        .args(["check", rec.to_str().expect("utf-8"), "--json"])
        .current_dir(elsewhere.path())
        .output()
        .expect("check");
    assert_eq!(o.status.code(), Some(1), "{}", text(&o));
    let report: serde_json::Value = serde_json::from_slice(&o.stdout).expect("json");
    assert_eq!(report["expectations"]["kind"], "recording");
    let site_max = report["verdicts"]
        .as_array()
        .expect("verdicts")
        .iter()
        .find(|v| v["criterion"] == "depth.site_max")
        .expect("depth.site_max");
    assert_eq!(site_max["outcome"], "fail");
    // --scenario overrides the copy, and the output says so
    let o = Command::new(env!("CARGO_BIN_EXE_needlebench"))
        .args([
            "check",
            rec.to_str().expect("utf-8"),
            "--scenario",
            GLABELLA,
        ])
        .current_dir(elsewhere.path())
        .output()
        .expect("check");
    assert_eq!(o.status.code(), Some(0), "{}", text(&o));
    assert!(
        String::from_utf8_lossy(&o.stdout)
            .contains(&format!("expectations: --scenario {GLABELLA}")),
        "{}",
        text(&o)
    );
}

#[test]
fn a_recording_without_a_scenario_is_not_checked_and_exits_1() {
    let tmp = tempfile::tempdir().expect("tmp");
    let rec = tmp.path().join("rec");
    assert_eq!(run_fixture(&rec).status.code(), Some(0));
    // a format-1 style recording: no copy
    std::fs::remove_dir_all(rec.join("scenario")).expect("rm copy");
    let m = meta(&rec).replace("copy = \"scenario/scenario.toml\"\n", "");
    std::fs::write(rec.join("meta.toml"), m).expect("meta");
    let o = needlebench(&["check", rec.to_str().expect("utf-8")]);
    assert_eq!(o.status.code(), Some(1), "{}", text(&o));
    let stdout = String::from_utf8_lossy(&o.stdout);
    assert!(stdout.contains("NOT CHECKED"), "{stdout}");
    assert!(!stdout.contains("PASS:"), "never a pass overall: {stdout}");
    assert!(
        String::from_utf8_lossy(&o.stderr).contains("holds no scenario"),
        "{}",
        text(&o)
    );
}

#[test]
fn run_refuses_to_overwrite_a_recording_unless_forced() {
    let tmp = tempfile::tempdir().expect("tmp");
    let rec = tmp.path().join("rec");
    assert_eq!(run_fixture(&rec).status.code(), Some(0));
    let before = meta(&rec);
    let o = run_fixture(&rec);
    assert_eq!(o.status.code(), Some(6), "{}", text(&o));
    assert!(
        String::from_utf8_lossy(&o.stderr).contains("--force"),
        "{}",
        text(&o)
    );
    assert_eq!(meta(&rec), before, "the old recording is untouched");
    let o = needlebench(&[
        "run",
        GLABELLA,
        "--out",
        rec.to_str().expect("utf-8"),
        "-q",
        "--force",
    ]);
    assert_eq!(o.status.code(), Some(0), "{}", text(&o));
}

#[test]
fn run_refuses_a_directory_of_other_files_even_with_force() {
    let tmp = tempfile::tempdir().expect("tmp");
    let dir = tmp.path().join("mine");
    std::fs::create_dir_all(&dir).expect("mkdir");
    std::fs::write(dir.join("notes.txt"), "keep me").expect("write");
    let o = needlebench(&[
        "run",
        GLABELLA,
        "--out",
        dir.to_str().expect("utf-8"),
        "-q",
        "--force",
    ]);
    assert_eq!(o.status.code(), Some(6), "{}", text(&o));
    assert_eq!(
        std::fs::read_to_string(dir.join("notes.txt")).expect("kept"),
        "keep me"
    );
    assert!(!dir.join("meta.toml").exists());
}

#[test]
fn regress_refuses_two_scenarios_with_the_same_name_naming_both() {
    let tmp = tempfile::tempdir().expect("tmp");
    let (a, b) = (tmp.path().join("a.toml"), tmp.path().join("b.toml"));
    std::fs::copy(GLABELLA, &a).expect("copy");
    std::fs::copy(GLABELLA, &b).expect("copy");
    let out = tmp.path().join("rec");
    let o = needlebench(&[
        "regress",
        "--quiet",
        "--out",
        out.to_str().expect("utf-8"),
        tmp.path().to_str().expect("utf-8"),
    ]);
    assert_eq!(o.status.code(), Some(3), "{}", text(&o));
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(
        err.contains("a.toml") && err.contains("b.toml") && err.contains("fx-glabella-stamp"),
        "{err}"
    );
    assert!(!out.exists(), "nothing was run or written");
}

#[test]
fn regress_skips_directories_that_are_recordings() {
    let tmp = tempfile::tempdir().expect("tmp");
    std::fs::copy(GLABELLA, tmp.path().join("s.toml")).expect("copy");
    // recordings inside the searched tree: their meta.toml and scenario copy are not scenarios
    let out = tmp.path().join("recordings");
    for _ in 0..2 {
        let o = needlebench(&[
            "regress",
            "--quiet",
            "--out",
            out.to_str().expect("utf-8"),
            tmp.path().to_str().expect("utf-8"),
        ]);
        assert_eq!(o.status.code(), Some(0), "{}", text(&o));
        assert!(
            String::from_utf8_lossy(&o.stdout).contains("1 scenarios: 1 passed"),
            "{}",
            text(&o)
        );
    }
}

#[test]
fn a_report_that_cannot_be_written_exits_6() {
    let tmp = tempfile::tempdir().expect("tmp");
    let file = tmp.path().join("a-file");
    std::fs::write(&file, "").expect("file");
    let report = file.join("report.html");
    let o = needlebench(&[
        "regress",
        "--quiet",
        "--out",
        tmp.path().join("rec").to_str().expect("utf-8"),
        "--html",
        report.to_str().expect("utf-8"),
        GLABELLA,
    ]);
    assert_eq!(o.status.code(), Some(6), "{}", text(&o));
    assert!(
        String::from_utf8_lossy(&o.stderr).contains("cannot write"),
        "{}",
        text(&o)
    );
}

#[test]
fn a_bad_flag_is_a_usage_error_exit_2() {
    let o = needlebench(&["check", "--no-such-flag"]);
    assert_eq!(o.status.code(), Some(2), "{}", text(&o));
}

#[test]
fn exceeding_the_real_time_lag_bound_is_a_link_failure_exit_4() {
    let tmp = tempfile::tempdir().expect("tmp");
    let rec = tmp.path().join("rec");
    let o = needlebench(&[
        "run",
        GLABELLA,
        "--out",
        rec.to_str().expect("utf-8"),
        "-q",
        "--mode",
        "realtime",
        "--max-lag-ms",
        "0",
    ]);
    assert_eq!(o.status.code(), Some(4), "{}", text(&o));
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(err.contains("real-time lag"), "{}", text(&o));
    let m = meta(&rec);
    assert!(m.contains("end = \"link_failure\""), "{m}");
    // the lag is judged from timing.toml against the bound the run used
    let stdout = String::from_utf8_lossy(&o.stdout);
    let lag = stdout
        .lines()
        .find(|l| l.starts_with("link.lag"))
        .expect("link.lag line");
    assert!(lag.contains("FAIL"), "{lag}");
}

/// `pgrep -P pid`: the children of `pid`.
fn children(pid: u32) -> Vec<u32> {
    let o = Command::new("pgrep")
        .args(["-P", &pid.to_string()])
        .output()
        .expect("pgrep");
    String::from_utf8_lossy(&o.stdout)
        .split_whitespace()
        .filter_map(|p| p.parse().ok())
        .collect()
}

fn signal(sig: &str, pid: u32) {
    let ok = Command::new("kill")
        .args([sig, &pid.to_string()])
        .status()
        .expect("kill")
        .success();
    assert!(ok, "kill {sig} {pid}");
}

/// Start a long run with the emulated pen behind a pty; wait until its child is up.
fn long_pty_run(out: &Path) -> (std::process::Child, u32) {
    let mut child = Command::new(env!("CARGO_BIN_EXE_needlebench"))
        .args([
            "run",
            &scenario("full-face-plan-10min"),
            "--out",
            out.to_str().expect("utf-8"),
            "-q",
            "--emulator",
            "pty",
        ])
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("run");
    for _ in 0..100 {
        std::thread::sleep(Duration::from_millis(50));
        if let Some(&pen) = children(child.id()).first()
            && out.join("telemetry.csv").exists()
        {
            std::thread::sleep(Duration::from_millis(500));
            return (child, pen);
        }
    }
    let _ = child.kill();
    let _ = child.wait();
    panic!("the emulated pen never started");
}

#[test]
fn a_pen_that_vanishes_mid_run_is_a_link_failure_exit_4() {
    let tmp = tempfile::tempdir().expect("tmp");
    let rec = tmp.path().join("rec");
    let (child, pen) = long_pty_run(&rec);
    signal("-KILL", pen);
    let o = child.wait_with_output().expect("wait");
    assert_eq!(o.status.code(), Some(4), "{}", text(&o));
    assert!(
        String::from_utf8_lossy(&o.stderr).contains("link failure"),
        "{}",
        text(&o)
    );
    let m = meta(&rec);
    assert!(m.contains("end = \"link_failure\""), "{m}");
    let (n, whole) = rows(&rec.join("telemetry.csv"));
    assert!(whole && n > 0, "rows kept up to the failure");
}

#[test]
fn ctrl_c_reaching_the_emulated_pen_too_still_records_interrupted() {
    let tmp = tempfile::tempdir().expect("tmp");
    let rec = tmp.path().join("rec");
    let (child, pen) = long_pty_run(&rec);
    // as a terminal's Ctrl-C would if the pen shared the bench's process group: the pen
    // goes away right after the bench was asked to stop
    signal("-INT", child.id());
    // the bench may already have ended its pen on the way out: then there is no one to signal
    let _ = Command::new("kill")
        .args(["-INT", &pen.to_string()])
        .status();
    let o = child.wait_with_output().expect("wait");
    assert_eq!(o.status.code(), Some(130), "{}", text(&o));
    let m = meta(&rec);
    assert!(m.contains("end = \"interrupted\""), "{m}");
}

#[test]
fn repeated_ctrl_c_ends_interrupted_with_no_row_cut() {
    let tmp = tempfile::tempdir().expect("tmp");
    let rec: PathBuf = tmp.path().join("rec");
    let child = Command::new(env!("CARGO_BIN_EXE_needlebench"))
        .args([
            "run",
            &scenario("full-face-plan-10min"),
            "--out",
            rec.to_str().expect("utf-8"),
            "-q",
        ])
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("run");
    std::thread::sleep(Duration::from_millis(1500));
    for _ in 0..3 {
        signal("-INT", child.id());
        std::thread::sleep(Duration::from_millis(5));
    }
    let o = child.wait_with_output().expect("wait");
    assert_eq!(o.status.code(), Some(130));
    let m = meta(&rec);
    assert!(m.contains("end = \"interrupted\""), "{m}");
    for file in ["telemetry.csv", "punctures.csv", "events.csv"] {
        let (_, whole) = rows(&rec.join(file));
        assert!(whole, "{file}: last row cut");
    }
    let o = needlebench(&["check", rec.to_str().expect("utf-8")]);
    assert!(
        o.status.code().is_some_and(|c| c <= 1),
        "the interrupted recording checks: {}",
        text(&o)
    );
}

#[test]
fn closing_stdout_early_ends_quietly_with_141() {
    let tmp = tempfile::tempdir().expect("tmp");
    let rec = tmp.path().join("rec");
    assert_eq!(run_fixture(&rec).status.code(), Some(0));
    // the JSON report is hundreds of kB: far more than a pipe holds, so the write fails
    {
        let args = ["check", rec.to_str().expect("utf-8"), "--json"];
        let mut child = Command::new(env!("CARGO_BIN_EXE_needlebench"))
            .args(args)
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("spawn");
        // read one byte, then close the pipe, as `| head -c 1` does
        {
            use std::io::Read;
            let mut out = child.stdout.take().expect("stdout");
            let mut one = [0u8; 1];
            out.read_exact(&mut one).expect("first byte");
        }
        let o = child.wait_with_output().expect("wait");
        let err = String::from_utf8_lossy(&o.stderr);
        assert!(!err.contains("panicked"), "{args:?}: {err}");
        assert_eq!(o.status.code(), Some(141), "{args:?}: {err}");
    }
}
