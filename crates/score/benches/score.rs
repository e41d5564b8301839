//! Time to score a treatment the size of the full-face 10-minute session, in memory: the
//! default adult face map (every zone planned), 600 000 pen samples (10 min at 1 kHz) on a
//! raster over the face, 3 200 000 punctures (36 needles at ~150 Hz) along it.
//!
//! `cargo bench -p needlebench-score --bench score -- --warm-up-time 1 --measurement-time 5`

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use needlebench_face::FaceMap;
use needlebench_physics::Layer;
use needlebench_score::{Puncture, Sample, ScoreInput, ZoneInput, ZoneTarget, score};
use std::hint::black_box;

const SAMPLES: u64 = 600_000;
const PUNCTURES: u64 = 3_200_000;

/// A boustrophedon over the face's bounding box at 20 mm/s, lines 4 mm apart, at `t_us`.
fn raster(map: &FaceMap, t_us: u64) -> [f64; 2] {
    let [[x0, y0], [x1, y1]] = map.bbox_mm();
    let width = x1 - x0;
    let d = 20.0 * t_us as f64 / 1e6; // mm along the path
    let line = (d / width).floor();
    let along = d - line * width;
    let x = if (line as u64).is_multiple_of(2) {
        x0 + along
    } else {
        x1 - along
    };
    let y = y0 + (4.0 * line) % (y1 - y0);
    [x, y]
}

fn input() -> ScoreInput {
    let map = FaceMap::builtin(FaceMap::DEFAULT).expect("the default face map");
    let zones = map
        .zones
        .iter()
        .map(|z| ZoneInput {
            id: z.id.clone(),
            label: z.label.clone(),
            outline_mm: z.outline_mm.clone(),
            depth_mm: z.depth_mm,
            density_per_cm2: z.density_per_cm2,
            target: Some(ZoneTarget {
                exposure_mm: z.depth_mm[0],
                glide_mm_s: Some(20.0),
                force_n: 2.5,
                passes: 2,
                sweeps_per_pass: 2,
                line_spacing_mm: Some(4.0),
                tilt_deg: 0.0,
                planned_s: Some(40.0),
                density_per_cm2: 27_000.0,
            }),
        })
        .collect();
    let samples = (0..SAMPLES)
        .map(|i| Sample {
            t_us: i * 1000,
            pos_mm: raster(&map, i * 1000),
            force_n: 2.5,
            tilt_deg: 0.0,
            exposure_um: 500.0,
            skin_contact: true,
        })
        .collect();
    let step_us = SAMPLES * 1000 / PUNCTURES;
    let punctures = (0..PUNCTURES)
        .map(|i| {
            let t_us = i * step_us;
            let [x, y] = raster(&map, t_us);
            // 36 needles on a 6 × 6 grid of 1 mm around the pen
            let pos_mm = [x + (i % 6) as f64 - 2.5, y + ((i / 6) % 6) as f64 - 2.5];
            Puncture {
                t_us,
                pos_mm,
                depth_um: 300.0,
                layer: Layer::ReticularDermis,
                zone: map.zone_at(pos_mm),
            }
        })
        .collect();
    ScoreInput {
        zones,
        samples,
        punctures,
        cell_mm: 2.0,
        outside_strays: true,
    }
}

fn bench(c: &mut Criterion) {
    let input = input();
    let mut g = c.benchmark_group("score");
    g.sample_size(10);
    g.throughput(Throughput::Elements(PUNCTURES));
    g.bench_function("full_face_10_min", |b| {
        b.iter(|| score(black_box(&input)).expect("valid"));
    });
    g.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
