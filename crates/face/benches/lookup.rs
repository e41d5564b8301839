//! Benchmarks of the zone lookup on the default adult face map.
//!
//! * `zone_at_4096`: [`FaceMap::zone_at`] for 4096 points spread over the face's bounding
//!   box (inside zones, in gaps, outside the face), throughput in lookups.
//! * `nearest_zone_4096`: [`FaceMap::nearest_zone`] for the same points.
//! * `parse_default_map`: parsing and validating the default map (overlap and containment
//!   checks included), once.
//!
//! Run: `cargo bench -p needlebench-face -- --warm-up-time 1 --measurement-time 3`.

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use needlebench_face::FaceMap;
use std::hint::black_box;
use std::path::Path;

/// 64 × 64 points over the map's bounding box, 2 mm beyond it on each side.
fn points(map: &FaceMap) -> Vec<[f64; 2]> {
    let [lo, hi] = map.bbox_mm();
    let n = 64;
    let step =
        |k: usize, i: usize| lo[k] - 2.0 + (hi[k] - lo[k] + 4.0) * (i as f64 + 0.5) / n as f64;
    (0..n * n)
        .map(|i| [step(0, i % n), step(1, i / n)])
        .collect()
}

fn lookup(c: &mut Criterion) {
    let map = FaceMap::builtin(FaceMap::DEFAULT).expect("default map");
    let pts = points(&map);
    let mut g = c.benchmark_group("face");
    g.throughput(Throughput::Elements(pts.len() as u64));
    g.bench_function("zone_at_4096", |b| {
        b.iter(|| {
            pts.iter()
                .filter_map(|&p| map.zone_at(black_box(p)))
                .sum::<usize>()
        });
    });
    g.bench_function("nearest_zone_4096", |b| {
        b.iter(|| {
            pts.iter()
                .map(|&p| map.nearest_zone(black_box(p)))
                .sum::<usize>()
        });
    });
    g.finish();
    let mut g = c.benchmark_group("face");
    g.bench_function("parse_default_map", |b| {
        b.iter(|| FaceMap::parse(black_box(&map.text), Path::new("adult-frontal.toml")));
    });
    g.finish();
}

criterion_group!(benches, lookup);
criterion_main!(benches);
