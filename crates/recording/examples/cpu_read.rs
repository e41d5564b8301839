//! temporary
use needlebench_recording::*;
fn cpu_s() -> f64 {
    let s = std::fs::read_to_string("/proc/self/stat").unwrap();
    let f: Vec<&str> = s.rsplit(')').next().unwrap().split_whitespace().collect();
    (f[11].parse::<f64>().unwrap() + f[12].parse::<f64>().unwrap()) / 100.0
}
fn main() {
    let dir = std::path::Path::new("/tmp/cpu_read_run");
    if !dir.join("meta.toml").exists() || std::env::args().nth(1).as_deref() == Some("write") {
        let mut w = RecordingWriter::create(dir, Meta::default()).unwrap();
        for i in 0..3_000_000u64 {
            let f = i as f32;
            w.puncture(&PunctureRow {
                t_us: i / 36 * 8333,
                stroke: i / 36,
                needle: (i % 36) as u16,
                x_mm: 10.0 + (f * 0.000_37) % 40.0,
                y_mm: 5.0 + (f * 0.000_21) % 20.0,
                depth_um: 300.0 + (f * 0.37).sin() * 150.0,
                layer: Layer::from_index((i % 4) as usize),
                peak_force_n: 0.03 + (f * 0.11).cos() * 0.01,
                tenting_um: 40.0 + (f * 0.07).sin() * 10.0,
                bleeding: i % 3 == 0,
            })
            .unwrap();
        }
        w.finish(RunStatus::Complete, Default::default()).unwrap();
    }
    for _ in 0..5 {
        let c0 = cpu_s();
        let t0 = std::time::Instant::now();
        let rec = Recording::open(dir).unwrap();
        let mut s = 0.0f64;
        for r in rec.punctures().unwrap() {
            s += f64::from(r.unwrap().depth_um);
        }
        let (c, t) = (cpu_s() - c0, t0.elapsed().as_secs_f64());
        println!(
            "cpu {:.3}s wall {:.3}s -> {:.2} M rows/s cpu, {:.2} wall ({s})",
            c,
            t,
            3.0 / c,
            3.0 / t
        );
    }
}
