//! Frame time of the off-screen viewer with a big recording loaded, playing, paused and
//! scrubbing, against an empty scene in the same run (measured first and last; the ratio is
//! over the mean of the two). Prints the load time, mean and p99 per case, the adapter, and
//! each case's mean over the empty scene's (the level of detail,
//! `needlebench_viewer::lod`, keeps playing at 20× within [`MAX_RATIO`] whatever the number
//! of punctures).
//!
//! `cargo bench -p needlebench-viewer --bench frame` (needs a wgpu adapter; lavapipe works).
//! The recording: `NEEDLEBENCH_BENCH_RECORDING=DIR`, else the shipped 10-minute full-face
//! scenario is run into a temporary directory first. `NEEDLEBENCH_BENCH_FRAMES` (default 120).

use bevy::prelude::*;
use bevy::render::renderer::RenderAdapterInfo;
use bevy::time::TimeUpdateStrategy;
use needlebench_viewer::Replay;
use needlebench_viewer::app::camera::ViewPreset;
use needlebench_viewer::app::shot::{Panels, headless_app, start};
use needlebench_viewer::app::{Clock, LiveClock};
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::{Duration, Instant};

const SIZE: UVec2 = UVec2::new(1280, 720);
/// The bound on [`BOUNDED`]'s mean frame over the empty scene's (the other cases are
/// reported, not bounded: scrubbing recounts the heat map, the panels add egui's own cost).
const MAX_RATIO: f64 = 2.0;
/// The case held to [`MAX_RATIO`].
const BOUNDED: &str = "full recording, playing 20×";
/// Frames each case runs before it is timed.
const WARM_UP: usize = 10;

fn main() {
    let frames: usize = std::env::var("NEEDLEBENCH_BENCH_FRAMES")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(120);
    if !std::env::args().any(|a| a == "--bench")
        && std::env::var_os("NEEDLEBENCH_FRAME_BENCH").is_none()
    {
        println!(
            "frame bench: run with `cargo bench -p needlebench-viewer --bench frame` or NEEDLEBENCH_FRAME_BENCH=1"
        );
        return;
    }
    let mut _keep = None;
    let dir = match std::env::var_os("NEEDLEBENCH_BENCH_RECORDING") {
        Some(d) => PathBuf::from(d),
        None => {
            let tmp = tempfile::tempdir().expect("temp dir");
            let dir = tmp.path().join("full-face");
            let scenario = Path::new(env!("CARGO_MANIFEST_DIR"))
                .join("../../scenarios/full-face-plan-10min.toml");
            let t = Instant::now();
            needlebench_viewer::scenario::run_scenario(&scenario, &dir)
                .expect("run full-face scenario");
            println!(
                "recorded {} in {:.1} s",
                scenario.display(),
                t.elapsed().as_secs_f64()
            );
            _keep = Some(tmp);
            dir
        }
    };
    let t = Instant::now();
    let replay = Arc::new(Replay::open(&dir, None).expect("open recording"));
    println!(
        "loaded {} punctures, {} ticks, {} violations in {:.2} s (read and checked)",
        replay.punctures.len(),
        replay.telemetry.t_us.len(),
        replay.violations.len(),
        t.elapsed().as_secs_f64()
    );

    // Each case in its own app, one at a time (apps alive side by side slow one another).
    // The empty scene is measured first and last: its mean over both is the reference, and
    // the two say how much the machine's load moved during the run.
    let empty_before = measure(None, Panels::Hidden, frames, |_, _| {});
    let duration = replay.duration_us;
    let play = |app: &mut App, _| {
        let mut c = app.world_mut().resource_mut::<Clock>();
        if !c.0.is_playing() {
            c.0.set_speed_index(8);
            c.0.set_playing(true);
        }
    };
    let playing = measure(Some(replay.clone()), Panels::Hidden, frames, play);
    let paused = measure(Some(replay.clone()), Panels::Hidden, frames, |app, _| {
        app.world_mut().resource_mut::<Clock>().0.seek(duration);
    });
    let panels = measure(Some(replay.clone()), Panels::Shown, frames, play);
    let mut state = 0x2545_f491_4f6c_dd1du64;
    let scrubbing = measure(Some(replay), Panels::Hidden, frames, move |app, _| {
        // Deterministic jumps all over the recording, backwards and forwards.
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        app.world_mut()
            .resource_mut::<Clock>()
            .0
            .seek(state % duration.max(1));
    });
    let empty_after = measure(None, Panels::Hidden, frames, |_, _| {});
    println!(
        "{:<40} {:>10} {:>10} {:>9} {:>8}",
        "case (3D view; panels: egui on top)", "mean ms", "p99 ms", "× empty", "CPU ms"
    );
    let empty_ms = (mean_ms(&empty_before.times) + mean_ms(&empty_after.times)) / 2.0;
    let mut bounded = None;
    for (name, m) in [
        ("empty scene (first)", empty_before),
        (BOUNDED, playing),
        ("full recording, paused at the end", paused),
        ("full recording, scrubbing", scrubbing),
        ("full recording, playing 20×, panels", panels),
        ("empty scene (last)", empty_after),
    ] {
        let Measured {
            adapter,
            times,
            cpu_ms,
        } = m;
        let ratio = mean_ms(&times) / empty_ms;
        let cpu = cpu_ms.map_or_else(|| "-".to_owned(), |c| format!("{c:.1}"));
        println!(
            "{name:<40} {:>10.2} {:>10.2} {ratio:>9.2} {cpu:>8}   [{adapter}]",
            mean_ms(&times),
            p99_ms(&times)
        );
        if name == BOUNDED {
            bounded = Some(ratio);
        }
    }
    match bounded {
        Some(r) if r <= MAX_RATIO => {
            println!("{BOUNDED}: {r:.2}× the empty scene, within {MAX_RATIO}×");
        }
        Some(r) => println!(
            "OVER: {BOUNDED}: {r:.2}× the empty scene, more than {MAX_RATIO}× (machine busy? run again)"
        ),
        None => {}
    }
}

fn measure(
    replay: Option<Arc<Replay>>,
    panels: Panels,
    frames: usize,
    mut each: impl FnMut(&mut App, usize),
) -> Measured {
    let mut app = headless_app(replay.clone(), 0.0, SIZE, ViewPreset::Perspective, panels);
    app.insert_resource(TimeUpdateStrategy::ManualDuration(Duration::from_millis(
        16,
    )));
    if replay.is_some() {
        app.insert_resource(LiveClock(true));
    }
    start(&mut app);
    let mut times = Vec::with_capacity(frames);
    let mut cpu_start = None;
    for i in 0..WARM_UP + frames {
        if i == WARM_UP {
            cpu_start = process_cpu_s();
        }
        if replay.is_some() {
            each(&mut app, i);
        }
        let t = Instant::now();
        app.update();
        if i >= WARM_UP {
            times.push(t.elapsed());
        }
    }
    let cpu_ms = match (cpu_start, process_cpu_s()) {
        (Some(a), Some(b)) => Some((b - a) * 1e3 / frames.max(1) as f64),
        _ => None,
    };
    let adapter = app.world().get_resource::<RenderAdapterInfo>().map_or_else(
        || "unknown adapter".to_owned(),
        |a| format!("{} ({:?})", a.name, a.backend),
    );
    Measured {
        adapter,
        times,
        cpu_ms,
    }
}

/// One case's frame times, its CPU time per frame (all threads: on a software adapter the
/// rasteriser's threads count), and the adapter it ran on.
struct Measured {
    adapter: String,
    times: Vec<Duration>,
    cpu_ms: Option<f64>,
}

/// CPU time of this process (all threads, user + system), seconds, from /proc (Linux; the
/// kernel's clock tick is 1/100 s there), `None` elsewhere.
fn process_cpu_s() -> Option<f64> {
    let stat = std::fs::read_to_string("/proc/self/stat").ok()?;
    let after = stat.rsplit_once(')')?.1;
    let f: Vec<&str> = after.split_whitespace().collect();
    let ticks: f64 = f.get(11)?.parse::<f64>().ok()? + f.get(12)?.parse::<f64>().ok()?;
    Some(ticks / 100.0)
}

fn mean_ms(t: &[Duration]) -> f64 {
    t.iter().map(Duration::as_secs_f64).sum::<f64>() / t.len().max(1) as f64 * 1e3
}

fn p99_ms(t: &[Duration]) -> f64 {
    let mut v: Vec<f64> = t.iter().map(Duration::as_secs_f64).collect();
    v.sort_by(f64::total_cmp);
    v.get(((v.len() as f64 * 0.99).ceil() as usize).saturating_sub(1))
        .copied()
        .unwrap_or(0.0)
        * 1e3
}
