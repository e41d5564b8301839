//! `needlebench run`: scenarios to recordings, through the real binary.

use crate::support::needlebench;
use std::path::{Path, PathBuf};

fn tmp(name: &str) -> PathBuf {
    std::env::temp_dir().join(format!("nb-e2e-run-{}-{name}", std::process::id()))
}

fn read(dir: &Path, file: &str) -> Vec<u8> {
    std::fs::read(dir.join(file)).unwrap_or_else(|e| panic!("{}: {e}", dir.join(file).display()))
}

fn scenario(name: &str) -> String {
    format!("{}/../../scenarios/{name}.toml", env!("CARGO_MANIFEST_DIR"))
}

#[test]
fn run_writes_a_complete_recording_and_says_where() {
    let out = tmp("forehead");
    let o = needlebench(&[
        "run",
        &scenario("forehead-fine-lines-0.5mm"),
        "--out",
        out.to_str().unwrap(),
        "-q",
    ]);
    let stdout = String::from_utf8_lossy(&o.stdout);
    assert!(
        stdout.contains(out.to_str().unwrap()),
        "prints where the recording went: {stdout}"
    );
    assert!(stdout.contains("status     complete"), "{stdout}");
    let meta = String::from_utf8(read(&out, "meta.toml")).unwrap();
    assert!(
        meta.contains("status = \"complete\"")
            && meta.contains("name = \"forehead-fine-lines-0.5mm\"")
    );
    let punctures = read(&out, "punctures.csv");
    assert!(punctures.starts_with(b"t_us,stroke,needle,x_mm,y_mm,depth_um,layer,peak_force_n"));
    assert!(punctures.iter().filter(|&&b| b == b'\n').count() > 10_000);
    let _ = std::fs::remove_dir_all(out);
}

#[test]
fn emulator_over_a_pty_records_byte_for_byte_what_the_in_process_pen_records() {
    let (a, b) = (tmp("inproc"), tmp("pty"));
    let file = scenario("link-garbage-recovers");
    needlebench(&["run", &file, "--out", a.to_str().unwrap(), "-q"]);
    let o = needlebench(&[
        "run",
        &file,
        "--out",
        b.to_str().unwrap(),
        "--emulator",
        "pty",
        "-q",
    ]);
    assert!(
        o.status.code().is_some_and(|c| c <= 1),
        "{}",
        String::from_utf8_lossy(&o.stderr)
    );
    for f in ["telemetry.csv", "punctures.csv", "events.csv"] {
        assert!(
            read(&a, f) == read(&b, f),
            "{f} differs between in-process and pty"
        );
    }
    let meta = String::from_utf8(read(&b, "meta.toml")).unwrap();
    assert!(meta.contains("transport = \"pty\""), "{meta}");
    let _ = (std::fs::remove_dir_all(a), std::fs::remove_dir_all(b));
}

#[test]
fn link_drop_scenario_ends_incomplete_with_the_fault_as_reason() {
    let out = tmp("drop");
    needlebench(&[
        "run",
        &scenario("link-drop-mid-run"),
        "--out",
        out.to_str().unwrap(),
        "-q",
    ]);
    let meta = String::from_utf8(read(&out, "meta.toml")).unwrap();
    assert!(meta.contains("status = \"incomplete\""), "{meta}");
    assert!(meta.contains("link_loss"), "{meta}");
    let events = String::from_utf8(read(&out, "events.csv")).unwrap();
    assert!(
        events.contains("injected,link_drop") && events.contains("fault_raised,link_loss"),
        "{events}"
    );
    let _ = std::fs::remove_dir_all(out);
}

#[test]
fn bad_scenario_file_is_exit_3_with_file_line_and_column() {
    let file = tmp("bad.toml");
    let text = "name = \"bad\"\n[skin]\nsite = \"cheek\"\n[pen]\ncartridge = \"36\"\nexposure_mm = 9.5\n\
                [hand]\narea = { rect = { x_mm = 0.0, y_mm = 0.0, width_mm = 5.0, height_mm = 5.0 } }\n\
                pattern = \"straight\"\n";
    std::fs::write(&file, text).unwrap();
    let o = needlebench(&[
        "run",
        file.to_str().unwrap(),
        "--out",
        tmp("bad-out").to_str().unwrap(),
    ]);
    assert_eq!(o.status.code(), Some(3));
    let stderr = String::from_utf8_lossy(&o.stderr);
    assert!(
        stderr.contains(&format!("{}:6:", file.display())),
        "{stderr}"
    );
    assert!(stderr.contains("exposure_mm"), "names the key: {stderr}");
    let _ = std::fs::remove_file(file);
}

#[test]
fn missing_scenario_file_is_exit_3_naming_it() {
    let o = needlebench(&["run", "/nonexistent/scenario.toml"]);
    assert_eq!(o.status.code(), Some(3));
    assert!(String::from_utf8_lossy(&o.stderr).contains("/nonexistent/scenario.toml"));
}

#[test]
fn interrupting_a_run_flushes_every_row_and_marks_the_recording_interrupted() {
    let out = tmp("sigint");
    let mut child = std::process::Command::new(env!("CARGO_BIN_EXE_needlebench"))
        .args([
            "run",
            &scenario("full-face-plan-10min"),
            "--out",
            out.to_str().unwrap(),
            "-q",
        ])
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn()
        .unwrap();
    std::thread::sleep(std::time::Duration::from_millis(1500));
    let sent = std::process::Command::new("kill")
        .args(["-INT", &child.id().to_string()])
        .status()
        .unwrap();
    assert!(sent.success());
    let status = child.wait().unwrap();
    assert_eq!(status.code(), Some(130));
    let meta = String::from_utf8(read(&out, "meta.toml")).unwrap();
    assert!(
        meta.contains("status = \"incomplete\"") && meta.contains("interrupted"),
        "{meta}"
    );
    let ticks: u64 = meta
        .lines()
        .find_map(|l| l.strip_prefix("ticks = "))
        .and_then(|v| v.trim().parse().ok())
        .expect("ticks in meta");
    let rows = read(&out, "telemetry.csv")
        .iter()
        .filter(|&&b| b == b'\n')
        .count() as u64
        - 1;
    assert!(
        ticks > 100 && rows == ticks,
        "every tick recorded before the stop is on disk: {rows} rows, meta says {ticks}"
    );
    let _ = std::fs::remove_dir_all(out);
}
