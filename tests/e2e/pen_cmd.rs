//! `--pen-cmd`: any command as the pen, found through the pty it prints, ended when done,
//! its output kept in the recording; and every way such a command can go wrong (exit 4, the
//! recording kept and marked incomplete, the command named).

use crate::support::needlebench;
use needlebench_protocol::{Capabilities, DepthControl, Encoder, MAX_FRAME_LEN, Message, PenHello};
use serialport::{SerialPort, TTYPort};
use std::io::{Read, Write};
use std::path::Path;
use std::process::Output;
use std::time::{Duration, Instant};

const BIN: &str = env!("CARGO_BIN_EXE_needlebench");

fn scenario(name: &str) -> String {
    format!("{}/../../scenarios/{name}.toml", env!("CARGO_MANIFEST_DIR"))
}

fn read(dir: &Path, file: &str) -> String {
    std::fs::read_to_string(dir.join(file))
        .unwrap_or_else(|e| panic!("{}: {e}", dir.join(file).display()))
}

fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

/// `needlebench run SCENARIO --pen-cmd COMMAND --out DIR -q` plus `extra`.
fn run_with(command: &str, out: &Path, extra: &[&str]) -> Output {
    let file = scenario("forehead-fine-lines-0.5mm");
    let mut args = vec![
        "run",
        &file,
        "--pen-cmd",
        command,
        "--out",
        out.to_str().unwrap(),
        "-q",
    ];
    args.extend_from_slice(extra);
    needlebench(&args)
}

/// The recording at `out` is kept, incomplete, ended by a link failure.
fn assert_incomplete_link_failure(out: &Path) {
    let meta = read(out, "meta.toml");
    assert!(
        meta.contains("status = \"incomplete\"") && meta.contains("end = \"link_failure\""),
        "{meta}"
    );
}

#[test]
fn a_pen_command_runs_the_scenario_like_the_in_process_pen_and_is_ended_after() {
    let tmp = tempfile::tempdir().unwrap();
    let (a, b) = (tmp.path().join("inproc"), tmp.path().join("cmd"));
    let file = scenario("link-garbage-recovers");
    needlebench(&["run", &file, "--out", a.to_str().unwrap(), "-q"]);
    let command = format!("'{BIN}' emulate --pty");
    let o = needlebench(&[
        "run",
        &file,
        "--pen-cmd",
        &command,
        "--out",
        b.to_str().unwrap(),
        "-q",
    ]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    for f in ["telemetry.csv", "punctures.csv", "events.csv"] {
        assert!(read(&a, f) == read(&b, f), "{f} differs");
    }
    assert!(read(&b, "meta.toml").contains(&format!("transport = \"command:{command}\"")));
    assert!(read(&b, "pen-stdout.log").starts_with("/dev/"));
    // The command was ended with SIGTERM (the emulator says goodbye on it) and its last
    // words were kept.
    let log = read(&b, "pen-stderr.log");
    assert!(log.contains("emulated pen listening on /dev/"), "{log}");
    assert!(log.contains("emulated pen stopped: 1 sessions"), "{log}");
}

#[test]
fn a_pty_announced_as_qemu_does_on_stderr_is_found() {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("qemu-style");
    let command = format!(
        "'{BIN}' emulate --pty | while read p; do \
         echo \"char device redirected to $p (label serial0)\" >&2; done"
    );
    let o = run_with(&command, &out, &[]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert!(read(&out, "pen-stderr.log").contains("char device redirected to /dev/"));
}

#[test]
fn a_pen_command_that_prints_no_pty_fails_with_exit_4_in_time_and_keeps_its_stderr() {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("silent");
    let begin = Instant::now();
    let o = run_with(
        "echo 'firmware booting' >&2; sleep 30",
        &out,
        &["--pen-cmd-timeout-s", "0.5"],
    );
    assert!(
        begin.elapsed() < Duration::from_secs(10),
        "did not wait 30 s"
    );
    assert_eq!(o.status.code(), Some(4), "{}", stderr(&o));
    let e = stderr(&o);
    assert!(
        e.contains("pen command `echo 'firmware booting' >&2; sleep 30`")
            && e.contains("printed no pty path within 0.5 s"),
        "{e}"
    );
    assert_incomplete_link_failure(&out);
    assert_eq!(read(&out, "pen-stderr.log"), "firmware booting\n");
}

#[test]
fn a_pen_command_that_does_not_start_fails_with_exit_4() {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("missing");
    let o = run_with("/nonexistent/pen-firmware --serve", &out, &[]);
    assert_eq!(o.status.code(), Some(4), "{}", stderr(&o));
    let e = stderr(&o);
    assert!(
        e.contains("pen command `/nonexistent/pen-firmware --serve`")
            && e.contains("exited (exit status: 127) before printing a pty path"),
        "{e}"
    );
    assert_incomplete_link_failure(&out);
    assert!(read(&out, "pen-stderr.log").contains("/nonexistent/pen-firmware"));
}

#[test]
fn a_pen_command_that_exits_mid_run_fails_with_exit_4_and_keeps_the_run_so_far() {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("dies");
    // The pen serves for a moment after it announced its pty, then dies; the script says so
    // and lingers. The moment counts from the announcement (the script passes the path on
    // once the pen has written it), not from the start: on a loaded machine the pen can take
    // longer than the moment to start, and would die before serving a tick.
    let announced = tmp.path().join("pty-path");
    let announced = announced.display();
    let command = format!(
        "'{BIN}' emulate --pty > '{announced}' & pen=$!; \
         while [ ! -s '{announced}' ]; do sleep 0.02; done; cat '{announced}'; \
         sleep 0.3; kill -9 $pen; echo 'pen crashed' >&2; sleep 30"
    );
    let begin = Instant::now();
    let o = run_with(&command, &out, &[]);
    assert!(
        begin.elapsed() < Duration::from_secs(15),
        "the lingering script was ended"
    );
    assert_eq!(o.status.code(), Some(4), "{}", stderr(&o));
    assert!(
        stderr(&o).contains("the pen disappeared") && stderr(&o).contains(&command),
        "{}",
        stderr(&o)
    );
    assert_incomplete_link_failure(&out);
    let meta = read(&out, "meta.toml");
    assert!(
        !meta.contains("ticks = 0\n"),
        "ticks before the crash kept: {meta}"
    );
    assert!(read(&out, "pen-stderr.log").contains("pen crashed"));
}

/// A pen command whose pty is served by this test: `serve` gets the far side.
fn with_fake_pen(serve: impl FnOnce(TTYPort) + Send + 'static) -> String {
    let (master, slave) = TTYPort::pair().expect("a pty pair");
    let path = slave.name().expect("the pty's path");
    drop(slave);
    std::thread::spawn(move || serve(master));
    format!("echo {path}; sleep 30")
}

/// Reads from `port` until `until` is past, answering each chunk with `answer`.
fn answer_everything(mut port: TTYPort, answer: Vec<u8>, until: Instant) {
    port.set_timeout(Duration::from_millis(50)).unwrap();
    let mut buf = [0u8; 256];
    while Instant::now() < until {
        if let Ok(n) = port.read(&mut buf)
            && n > 0
            && port.write_all(&answer).is_err()
        {
            return;
        }
    }
}

#[test]
fn a_pen_of_another_protocol_version_fails_with_exit_4_naming_both_versions() {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("v2");
    let mut frame = [0u8; MAX_FRAME_LEN];
    let hello = Message::PenHello(PenHello {
        protocol_version: 2,
        firmware_name: "pen-from-the-future",
        firmware_version: "9.9",
        capabilities: Capabilities {
            lockstep: true,
            tick_rate_hz: 1000,
            depth_control: DepthControl::ManualDial,
        },
    });
    let n = Encoder::new().encode(&hello, &mut frame).unwrap();
    let answer = frame[..n].to_vec();
    let command = with_fake_pen(move |port| {
        answer_everything(port, answer, Instant::now() + Duration::from_secs(5));
    });
    let o = run_with(&command, &out, &[]);
    assert_eq!(o.status.code(), Some(4), "{}", stderr(&o));
    let e = stderr(&o);
    assert!(
        e.contains("protocol version mismatch: the bench speaks 1, the pen `pen-from-the-future`")
            && e.contains("speaks 2")
            && e.contains(&command),
        "{e}"
    );
    assert_incomplete_link_failure(&out);
    assert!(read(&out, "meta.toml").contains("protocol_version = 2"));
}

#[test]
fn a_pen_command_that_speaks_garbage_fails_the_handshake_with_exit_4() {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("garbage");
    let command = with_fake_pen(|port| {
        answer_everything(
            port,
            b"AT+OK\r\n\x00".to_vec(),
            Instant::now() + Duration::from_secs(5),
        );
    });
    let o = run_with(&command, &out, &[]);
    assert_eq!(o.status.code(), Some(4), "{}", stderr(&o));
    let e = stderr(&o);
    assert!(
        e.contains("did not answer the handshake") && e.contains(&command),
        "{e}"
    );
    assert_incomplete_link_failure(&out);
}

#[test]
fn link_test_and_regress_take_a_pen_command() {
    let tmp = tempfile::tempdir().unwrap();
    let command = format!("'{BIN}' emulate --pty");
    let o = needlebench(&[
        "link-test",
        "--pen-cmd",
        &command,
        "--ticks",
        "500",
        "--json",
    ]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(v["ticks"], 500);
    assert!(v["link"].as_str().unwrap().contains("the pen command"));

    let junit = tmp.path().join("junit.xml");
    let o = needlebench(&[
        "regress",
        &scenario("link-garbage-recovers"),
        "--pen-cmd",
        &command,
        "--out",
        tmp.path().join("rec").to_str().unwrap(),
        "--junit",
        junit.to_str().unwrap(),
    ]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert!(
        std::fs::read_to_string(&junit)
            .unwrap()
            .contains("link-garbage-recovers")
    );
    let rec = tmp.path().join("rec").join("link-garbage-recovers");
    assert!(read(&rec, "pen-stderr.log").contains("emulated pen stopped"));
}

#[test]
fn a_pen_command_is_told_the_scenarios_cartridge_limit() {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("expired");
    let command = format!(
        "echo \"limit $NEEDLEBENCH_CARTRIDGE_LIMIT_S {{cartridge_limit_s}}\" >&2; \
         exec '{BIN}' emulate --pty --cartridge-limit-s {{cartridge_limit_s}}"
    );
    let o = needlebench(&[
        "run",
        &scenario("expired-cartridge-refused"),
        "--pen-cmd",
        &command,
        "--out",
        out.to_str().unwrap(),
        "-q",
    ]);
    // The scenario expects the 3 s limit to trip: its checks pass only if the pen knew it.
    assert_eq!(
        o.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&o.stdout)
    );
    assert!(read(&out, "pen-stderr.log").starts_with("limit 3 3\n"));
    // `needlebench emulate` reads the variable itself.
    let plain = tmp.path().join("plain");
    let command = format!("'{BIN}' emulate --pty");
    let o = needlebench(&[
        "run",
        &scenario("expired-cartridge-refused"),
        "--pen-cmd",
        &command,
        "--out",
        plain.to_str().unwrap(),
        "-q",
    ]);
    assert_eq!(
        o.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&o.stdout)
    );
}

#[test]
fn regress_with_a_pen_command_runs_roller_and_stamp_scenarios_without_it() {
    let tmp = tempfile::tempdir().unwrap();
    let o = needlebench(&[
        "regress",
        &scenario("cheek-roller-0.5mm"),
        "--pen-cmd",
        "exit 1",
        "--out",
        tmp.path().join("rec").to_str().unwrap(),
    ]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
}
