//! The full-face treatment plan (`scenarios/full-face-plan-10min.toml`: every zone of the
//! default face map, ~600 s, 36 needles, 150 Hz) in lockstep with the in-process
//! firmware, writing its recording: speed against real time and peak memory, for a 1-minute
//! and the 10-minute run, each in its own process so each peak is its own.
//!
//! `cargo bench -p needlebench-runner --bench session`
//!
//! A bench binary rather than criterion: one iteration is seconds long, and the figure that
//! matters (simulated seconds per wall second, peak resident memory) is measured per run.

use needlebench_bridge::{InProcessTransport, Link, LinkOptions};
use needlebench_firmware::Firmware;
use needlebench_runner::pen::firmware_config;
use needlebench_runner::setup::{base_meta, create_recording};
use needlebench_runner::{RunSetup, run};
use needlebench_scenario::Scenario;
use std::path::Path;
use std::process::Command;
use std::time::Instant;

const SCENARIO: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/../../scenarios/full-face-plan-10min.toml"
);

fn main() {
    let args: Vec<String> = std::env::args().collect();
    if let Some(i) = args.iter().position(|a| a == "--child") {
        let seconds: f64 = args[i + 1].parse().expect("seconds");
        child(seconds, Path::new(&args[i + 2]));
        return;
    }
    // `cargo test --benches` runs this with `--test`-like flags: keep that quick.
    let quick = !args.iter().any(|a| a == "--bench");
    let lengths: &[f64] = if quick { &[2.0] } else { &[60.0, 600.0] };
    println!("full-face session, lockstep, in-process firmware, recording written");
    println!(
        "{:>8} {:>9} {:>10} {:>8} {:>12} {:>12} {:>14} {:>12}",
        "sim s",
        "wall s",
        "× real",
        "CPU s",
        "× real/CPU",
        "punctures",
        "punctures/s",
        "peak RSS MB"
    );
    for &seconds in lengths {
        let dir =
            std::env::temp_dir().join(format!("nb-session-bench-{}-{seconds}", std::process::id()));
        let out = Command::new(&args[0])
            .args([
                "--child",
                &seconds.to_string(),
                dir.to_str().expect("utf-8 path"),
            ])
            .output()
            .expect("child runs");
        let _ = std::fs::remove_dir_all(&dir);
        let line = String::from_utf8_lossy(&out.stdout);
        let f: Vec<f64> = line
            .split_whitespace()
            .map(|v| v.parse().expect("number"))
            .collect();
        let (sim_s, wall_s, punctures, rss_kb, cpu_s) = (f[0], f[1], f[2], f[3], f[4]);
        println!(
            "{sim_s:>8.0} {wall_s:>9.2} {:>10.0} {cpu_s:>8.2} {:>12.0} {punctures:>12.0} {:>14.0} {:>12.1}",
            sim_s / wall_s,
            sim_s / cpu_s.max(0.01),
            punctures / wall_s,
            rss_kb / 1024.0
        );
    }
}

/// Run `seconds` of the session into `dir`; print sim_s wall_s punctures peak_rss_kb cpu_s.
fn child(seconds: f64, dir: &Path) {
    let mut scenario = Scenario::from_path(Path::new(SCENARIO)).expect("scenario parses");
    scenario.duration_s = Some(seconds);
    let config = firmware_config(&scenario);
    let setup = RunSetup::new(&scenario, &config).expect("setup");
    let transport = InProcessTransport::new(Firmware::new(config).expect("firmware"));
    let mut link = Link::connect(Box::new(transport), LinkOptions::default()).expect("link");
    // as `needlebench run` writes it: with the face map and each puncture's zone
    let meta = base_meta(&scenario);
    let writer = create_recording(&scenario, dir, meta, false).expect("recording");
    let started = Instant::now();
    let summary = run(&setup, &mut link, writer, |_| {}).expect("run");
    let wall_s = started.elapsed().as_secs_f64();
    println!(
        "{} {wall_s} {} {} {}",
        summary.ticks as f64 / 1000.0,
        summary.punctures,
        peak_rss_kb(),
        cpu_s()
    );
}

/// CPU time (user + system) this process has used, s (Linux: /proc/self/stat fields 14, 15,
/// in clock ticks of 100 Hz). On a shared machine this is the honest measure of the work.
fn cpu_s() -> f64 {
    let stat = std::fs::read_to_string("/proc/self/stat").unwrap_or_default();
    // The command name (field 2) may hold spaces; count fields after its closing ')'.
    let after = stat.rsplit_once(')').map_or("", |(_, rest)| rest);
    let f: Vec<f64> = after
        .split_whitespace()
        .filter_map(|v| v.parse().ok())
        .collect();
    // After ')' come the state letter (field 3, not a number, skipped) and the numeric fields
    // 4, 5, …: utime (14) and stime (15) are at indexes 10 and 11 of those.
    match (f.get(10), f.get(11)) {
        (Some(u), Some(s)) => (u + s) / 100.0,
        _ => 0.0,
    }
}

/// Peak resident set size of this process, kB (Linux: VmHWM in /proc/self/status).
fn peak_rss_kb() -> u64 {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| {
            s.lines()
                .find(|l| l.starts_with("VmHWM:"))
                .and_then(|l| l.split_whitespace().nth(1).and_then(|v| v.parse().ok()))
        })
        .unwrap_or(0)
}
