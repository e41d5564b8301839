//! `needlebench link-test`, `emulate` and `ports` as separate processes over real ptys.

use crate::support::needlebench;
use std::io::{BufRead, BufReader};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

fn json(out: &std::process::Output) -> serde_json::Value {
    serde_json::from_slice(&out.stdout).unwrap_or_else(|e| {
        panic!(
            "stdout is JSON ({e}): {}\nstderr: {}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        )
    })
}

/// `needlebench emulate --pty` in its own process, with the pty path it announced.
fn spawn_emulator() -> (Child, String) {
    let mut child = Command::new(env!("CARGO_BIN_EXE_needlebench"))
        .args(["emulate", "--pty"])
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("emulator starts");
    let mut line = String::new();
    BufReader::new(child.stdout.take().unwrap())
        .read_line(&mut line)
        .expect("first line");
    (child, line.trim().to_owned())
}

fn wait_with_timeout(child: &mut Child, limit: Duration) -> std::process::ExitStatus {
    let begin = Instant::now();
    loop {
        if let Some(status) = child.try_wait().unwrap() {
            return status;
        }
        assert!(
            begin.elapsed() < limit,
            "process still running after {limit:?}"
        );
        std::thread::sleep(Duration::from_millis(20));
    }
}

#[test]
fn link_test_against_emulator_process_in_lockstep() {
    let out = needlebench(&[
        "link-test",
        "--emulator",
        "pty",
        "--ticks",
        "2000",
        "--json",
    ]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let v = json(&out);
    assert_eq!(v["ticks"], 2000);
    // The hello, then Sensors + Grant per tick, and again per re-send: on a loaded machine a
    // slow answer is re-sent (the link's rule), which must be counted, never lost. A few
    // frames of slack for a repeated hello during the handshake.
    let resent = v["retransmits"].as_u64().unwrap();
    let to_pen = v["frames_to_pen"].as_u64().unwrap();
    let expected = 1 + 2 * (2000 + resent);
    assert!(
        (expected..=expected + 4).contains(&to_pen),
        "{to_pen} frames to the pen for 2000 ticks and {resent} re-sends"
    );
    // The hello, then per tick at least the actuator frame and the `Reached`.
    let (hello, per_tick) = (1, 2);
    assert!(v["frames_from_pen"].as_u64().unwrap() >= hello + per_tick * 2000);
    assert_eq!(v["crc_errors"], 0);
    assert_eq!(v["resyncs"], 0);
    for key in ["rtt_us_p50", "rtt_us_p99", "rtt_us_max"] {
        assert!(v[key].as_u64().unwrap() > 0, "{key} measured");
    }
}

#[test]
fn link_test_against_emulator_process_in_real_time() {
    let out = needlebench(&[
        "link-test",
        "--emulator",
        "pty",
        "--mode",
        "realtime",
        "--ticks",
        "500",
        "--json",
        // generous: pacing is what is tested; a loaded machine must not fail the lag bound
        "--max-lag-ms",
        "2000",
    ]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let v = json(&out);
    assert_eq!(v["ticks"], 500);
    assert!(
        v["wall_s"].as_f64().unwrap() >= 0.45,
        "paced to the wall clock: {v}"
    );
    assert!(v["frames_from_pen"].as_u64().unwrap() > 300);
}

#[test]
fn link_test_in_process_prints_a_readable_table() {
    let out = needlebench(&["link-test", "--ticks", "1000"]);
    assert!(out.status.success());
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(text.contains("ticks     1000"), "{text}");
    assert!(text.contains("rtt"), "{text}");
}

#[test]
fn killing_the_emulator_mid_run_is_a_link_failure_with_data_kept() {
    let (mut emulator, path) = spawn_emulator();
    let dir = std::env::temp_dir().join(format!("nb-e2e-kill-{}", std::process::id()));
    let mut bench = Command::new(env!("CARGO_BIN_EXE_needlebench"))
        .args([
            "link-test",
            "--port",
            &path,
            "--ticks",
            "100000000",
            "--json",
            "--capture",
        ])
        .arg(&dir)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    std::thread::sleep(Duration::from_millis(700));
    emulator.kill().unwrap();
    let _ = emulator.wait();
    let status = wait_with_timeout(&mut bench, Duration::from_secs(10));
    let out = bench.wait_with_output().unwrap();
    assert_eq!(status.code(), Some(4), "link failure exit code");
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("disappeared") || stderr.contains("stopped answering"),
        "{stderr}"
    );
    let v = json(&out);
    assert!(
        v["ticks"].as_u64().unwrap() > 100,
        "ticks before the kill are reported: {v}"
    );
    assert_eq!(v["ok"], false);
    assert!(std::fs::metadata(dir.join("from_pen.bin")).unwrap().len() > 1000);
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn emulator_exits_cleanly_on_sigterm() {
    let (mut emulator, _path) = spawn_emulator();
    std::thread::sleep(Duration::from_millis(200));
    let killed = Command::new("kill")
        .args(["-TERM", &emulator.id().to_string()])
        .status()
        .unwrap();
    assert!(killed.success());
    let status = wait_with_timeout(&mut emulator, Duration::from_secs(5));
    assert_eq!(status.code(), Some(0));
}

#[test]
fn absent_port_is_a_link_failure_naming_the_path() {
    let out = needlebench(&["link-test", "--port", "/dev/needlebench-absent"]);
    assert_eq!(out.status.code(), Some(4));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("/dev/needlebench-absent") && stderr.contains("not found"),
        "{stderr}"
    );
    let out = needlebench(&["emulate", "--port", "/dev/needlebench-absent"]);
    assert_eq!(out.status.code(), Some(4));
}

#[test]
fn zero_ticks_is_a_usage_error() {
    let out = needlebench(&["link-test", "--ticks", "0"]);
    assert_eq!(out.status.code(), Some(2));
}

#[test]
fn ports_lists_without_failing() {
    let out = needlebench(&["ports", "--json"]);
    assert!(out.status.success());
    assert!(json(&out).is_array());
}

#[test]
fn port_this_user_may_not_open_is_permission_denied() {
    // Needs root (to run the bench as `nobody` against root's pty) and `runuser`.
    let root = Command::new("id")
        .arg("-u")
        .output()
        .map(|o| o.stdout == b"0\n")
        .unwrap_or(false);
    let runuser = Command::new("runuser").arg("--help").output().is_ok();
    if !root || !runuser {
        eprintln!("SKIPPED: needs root and runuser to open a port as another user");
        return;
    }
    let (mut emulator, path) = spawn_emulator();
    let out = Command::new("runuser")
        .args([
            "-u",
            "nobody",
            "--",
            env!("CARGO_BIN_EXE_needlebench"),
            "link-test",
            "--port",
            &path,
        ])
        .output()
        .unwrap();
    let _ = emulator.kill();
    let _ = emulator.wait();
    let stderr = String::from_utf8_lossy(&out.stderr);
    if stderr.contains("Permission denied")
        && stderr.contains("needlebench")
        && !stderr.contains(&path)
    {
        // `nobody` cannot even execute the binary (target dir not world-readable): no verdict.
        eprintln!("SKIPPED: the test binary is not executable by nobody: {stderr}");
        return;
    }
    assert_eq!(out.status.code(), Some(4), "{stderr}");
    assert!(
        stderr.contains("permission denied") && stderr.contains(&path),
        "{stderr}"
    );
}

#[test]
fn line_too_slow_for_real_time_is_warned_about_up_front_and_a_fast_one_is_not() {
    for (baud, warned) in [("115200", true), ("460800", false)] {
        let (mut emulator, path) = spawn_emulator();
        let out = needlebench(&[
            "link-test",
            "--port",
            &path,
            "--baud",
            baud,
            "--mode",
            "realtime",
            "--ticks",
            "50",
            "--max-lag-ms",
            "1000",
        ]);
        let _ = emulator.kill();
        let _ = emulator.wait();
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert!(out.status.success(), "{stderr}");
        assert_eq!(
            stderr.contains("real time at 1000 Hz needs at least 370000 baud"),
            warned,
            "{baud}: {stderr}"
        );
    }
}
