//! `regress` over a matrix scenario: variants per second at `--jobs` 1 and 2, and the peak
//! memory of the `needlebench` process, for a 100- and a 1000-variant matrix (exposure ×
//! speed level × battery × hand force, 0.2 s simulated each, recordings and a JSON report
//! written). The peak must not grow with the number of variants: results are spooled to
//! disk as they finish, and no recording is held in memory.
//!
//! `cargo bench -p needlebench-cli --bench matrix`
//!
//! A bench binary rather than criterion: one iteration is a whole suite, seconds long, and
//! the figures that matter (variants per wall second, peak resident memory) are per run.
//! Peak memory is the child's `VmHWM` (Linux, `/proc/PID/status`), read every 2 ms while it
//! runs: a high-water mark, so the last reading is the peak up to 2 ms before exit.

use std::path::Path;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

/// The base scenario: a short straight pass on the thigh (no fat ban), loose density
/// expectations, so every variant runs the same way at its own settings.
const BASE: &str = r#"name = "bench"
seed = 1
duration_s = 0.2
[skin]
site = "thigh"
[pen]
cartridge = "12"
exposure_mm = 0.5
speed_level = 3
[hand]
area = { rect = { x_mm = 0.0, y_mm = 0.0, width_mm = 10.0, height_mm = 4.0 } }
pattern = "straight"
[expect]
density_min_per_cm2 = 0.0
min_coverage = 0.0
"#;

/// The `[matrix]` of about `n` variants (10, 100 or 1000).
fn matrix(n: usize) -> String {
    let (exposures, levels, socs, forces): (&str, &str, &str, &str) = match n {
        10 => ("0.25, 0.5", "1, 2, 3, 4, 5", "1.0", "2.0"),
        100 => (
            "0.25, 0.5, 0.75, 1.0, 1.25, 1.5, 1.75, 2.0, 2.25, 2.5",
            "1, 2, 3, 4, 5",
            "1.0, 0.5",
            "2.0",
        ),
        _ => (
            "0.25, 0.5, 0.75, 1.0, 1.25, 1.5, 1.75, 2.0, 2.25, 2.5",
            "1, 2, 3, 4, 5",
            "1.0, 0.8, 0.6, 0.4",
            "1.0, 2.0, 3.0, 4.0, 5.0",
        ),
    };
    format!(
        "[matrix]\n\"pen.exposure_mm\" = [{exposures}]\n\"pen.speed_level\" = [{levels}]\n\
         \"pen.battery_soc\" = [{socs}]\n\"hand.force_n\" = [{forces}]\n"
    )
}

/// Peak resident memory of process `pid` so far, kB.
fn vm_hwm_kb(pid: u32) -> Option<u64> {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).ok()?;
    status
        .lines()
        .find(|l| l.starts_with("VmHWM:"))
        .and_then(|l| l.split_whitespace().nth(1)?.parse().ok())
}

/// Runs the suite in `dir` with `jobs`; returns wall seconds, peak kB and scenarios reported.
fn regress(dir: &Path, jobs: usize) -> (f64, u64, usize) {
    let out = dir.join("rec");
    let json = dir.join("report.json");
    let _ = std::fs::remove_dir_all(&out);
    let started = Instant::now();
    let mut child = Command::new(env!("CARGO_BIN_EXE_needlebench"))
        .arg("regress")
        .arg(dir.join("bench.toml"))
        .arg("--out")
        .arg(&out)
        .arg("--json")
        .arg(&json)
        .args(["--jobs", &jobs.to_string(), "--quiet"])
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("needlebench starts");
    let mut peak = 0;
    let status = loop {
        if let Some(kb) = vm_hwm_kb(child.id()) {
            peak = peak.max(kb);
        }
        if let Some(status) = child.try_wait().expect("wait") {
            break status;
        }
        std::thread::sleep(Duration::from_millis(2));
    };
    let wall_s = started.elapsed().as_secs_f64();
    // 0: every variant passed; 1: some failed their checks (deep settings on the thigh).
    assert!(
        matches!(status.code(), Some(0 | 1)),
        "regress exited {status}"
    );
    let doc: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&json).expect("report")).expect("JSON");
    let reported = doc["scenarios"].as_array().map_or(0, Vec::len);
    (wall_s, peak, reported)
}

fn main() {
    let args: Vec<String> = std::env::args().collect();
    // `cargo test --benches` runs this without `--bench`: keep that quick.
    let quick = !args.iter().any(|a| a == "--bench");
    let sizes: &[usize] = if quick { &[10] } else { &[100, 1000] };
    let jobs: &[usize] = if quick { &[1] } else { &[1, 2] };
    println!("regress over a matrix scenario (0.2 s simulated per variant, recordings + JSON)");
    println!(
        "{:>9} {:>5} {:>9} {:>11} {:>9} {:>12}",
        "variants", "jobs", "wall s", "variants/s", "speedup", "peak RSS MB"
    );
    for &n in sizes {
        let dir = tempfile::tempdir().expect("temporary directory");
        std::fs::write(
            dir.path().join("bench.toml"),
            format!("{BASE}{}", matrix(n)),
        )
        .expect("scenario written");
        let mut single = None;
        for &j in jobs {
            let (wall_s, peak_kb, reported) = regress(dir.path(), j);
            assert_eq!(reported, n, "every variant is in the report");
            let rate = n as f64 / wall_s;
            let speedup = rate / *single.get_or_insert(rate);
            println!(
                "{n:>9} {j:>5} {wall_s:>9.2} {rate:>11.1} {speedup:>9.2} {:>12.1}",
                peak_kb as f64 / 1024.0
            );
        }
    }
}
