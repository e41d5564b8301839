//! Print reached depth and layer per site, setting and pen frequency (2 N, upright), and the
//! roller and stamp cases: `cargo run -p needlebench-physics --example depth_table`.

use needlebench_physics::device::{HandState, RollerParams, RollerPlant, StampParams, StampPlant};
use needlebench_physics::validation::pen_stroke;
use needlebench_physics::*;

fn main() {
    let force: f64 = std::env::args()
        .nth(1)
        .and_then(|a| a.parse().ok())
        .unwrap_or(2.0);
    for site in builtin_sites() {
        for hz in [60.0, 100.0, 150.0] {
            let mut line = format!("{:12} {:3.0} Hz:", site.name, hz);
            for s in 1..=10 {
                let e = f64::from(s) * 250.0;
                let r = pen_stroke(&site, e, hz, force, 1.0).unwrap();
                let l = if r.punctured {
                    &r.layer.name()[..4]
                } else {
                    "----"
                };
                line += &format!(
                    " {:5.0}{}{}",
                    r.reached_depth_um,
                    l,
                    if r.at_floor { "!" } else { "" }
                );
            }
            println!("{line}");
        }
    }
    let r = pen_stroke(&Site::builtin("cheek").unwrap(), 1000.0, 150.0, force, 1.0).unwrap();
    println!("cheek 1.0 mm 150 Hz: {r:?}");
    for (site, v, f) in [
        ("thigh", 0.02, 5.0),
        ("thigh", 0.05, 10.0),
        ("abdomen", 0.03, 5.0),
        ("cheek", 0.03, 5.0),
    ] {
        let s = Site::builtin(site).unwrap();
        let mut roller = RollerPlant::new(RollerParams::default()).unwrap();
        let mut d = Vec::new();
        for n in 0..200 {
            let h = HandState {
                site: Some(&s),
                position_mm: f64::from(n) * 0.5,
                speed_m_s: v,
                force_n: f,
                tilt_deg: 0.0,
            };
            d.extend(roller.step(&h).unwrap().iter().map(|p| p.puncture.depth_um));
        }
        let m = d.iter().sum::<f64>() / d.len().max(1) as f64;
        let sd = (d.iter().map(|x| (x - m) * (x - m)).sum::<f64>() / d.len().max(1) as f64).sqrt();
        println!(
            "roller {site} v={v} F={f}: n={} mean {m:.1} sd {sd:.1} entry {:.4} m/s",
            d.len(),
            roller.entry_speed_m_s(v)
        );
    }
    for (v, f, len) in [
        (0.005, 10.0, 300.0),
        (0.05, 20.0, 300.0),
        (0.01, 10.0, 1000.0),
    ] {
        let s = Site::builtin("abdomen").unwrap();
        let mut st = StampPlant::new(StampParams {
            grid: 4,
            needle_length_um: len,
            ..StampParams::default()
        })
        .unwrap();
        let h = HandState {
            site: Some(&s),
            position_mm: 0.0,
            speed_m_s: v,
            force_n: f,
            tilt_deg: 0.0,
        };
        let p = st.step(&h).unwrap();
        println!(
            "stamp v={v} F={f} L={len}: {} pierced, depth {:?}",
            p.len(),
            p.first().map(|p| p.puncture.depth_um)
        );
    }
    for v in [1.0, 3.0] {
        let s = Site::builtin("abdomen").unwrap();
        let r = stroke(&StrokeInput {
            site: &s,
            needle: Needle::STANDARD,
            exposure_um: 300.0,
            tip_speed_m_s: v,
            cam_throw_um: 0.0,
            hand_force_n: 50.0,
            tilt_deg: 0.0,
            lever_mm: 0.0,
            precompression_um: 0.0,
            thickness_scale: 1.0,
        })
        .unwrap();
        println!("impact {v} m/s 300 um: {r:?}");
    }
}
