//! Puncture rows per second through the writer and the reader (3 million rows, a temp dir):
//! the sequential iterator, and the chunked reader over all cores (every column, and only the
//! checker's columns), and a treatment plan's recording (the same rows with a `zone` column).
//!
//! `cargo bench -p needlebench-recording -- --warm-up-time 1 --measurement-time 3`

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use needlebench_recording::{
    CreateOptions, FaceMapCopy, Layer, Meta, PunctureRow, ReadOptions, Recording, RecordingWriter,
    Row, RunStatus, ZoneRef,
};
use std::hint::black_box;
use std::path::Path;

const ROWS: u64 = 3_000_000;

/// Deterministic, realistic-looking punctures: 36 needles per stroke at 120 Hz.
fn puncture(i: u64) -> PunctureRow {
    let f = i as f32;
    PunctureRow {
        t_us: i / 36 * 8333,
        stroke: i / 36,
        needle: (i % 36) as u16,
        x_mm: 10.0 + (f * 0.000_37) % 40.0,
        y_mm: 5.0 + (f * 0.000_21) % 20.0,
        depth_um: 300.0 + (f * 0.37).sin() * 150.0,
        layer: Layer::from_index((i % 4) as usize),
        peak_force_n: 0.03 + (f * 0.11).cos() * 0.01,
        tenting_um: 40.0 + (f * 0.07).sin() * 10.0,
        bleeding: i.is_multiple_of(3),
        zone: ZoneRef::NOT_RECORDED,
    }
}

fn write(dir: &Path) {
    let mut w = RecordingWriter::create(dir, Meta::default()).expect("create");
    for i in 0..ROWS {
        w.puncture(&puncture(i)).expect("write");
    }
    w.finish(RunStatus::Complete).expect("finish");
}

/// The rows of [`write`] on the default face map, each in one of its zones (every tenth
/// outside every zone).
fn write_zoned(dir: &Path) {
    let map = needlebench_face::FaceMap::builtin(needlebench_face::FaceMap::DEFAULT).expect("map");
    let options = CreateOptions {
        face_map: Some(FaceMapCopy {
            name: &map.name,
            text: &map.text,
        }),
        ..CreateOptions::default()
    };
    let mut w = RecordingWriter::create_with(dir, Meta::default(), options).expect("create");
    for i in 0..ROWS {
        let zone = if i % 10 == 9 {
            ZoneRef::OUTSIDE
        } else {
            ZoneRef::zone((i / 360) as usize % map.zones.len())
        };
        w.puncture(&PunctureRow {
            zone,
            ..puncture(i)
        })
        .expect("write");
    }
    w.finish(RunStatus::Complete).expect("finish");
}

fn bench(c: &mut Criterion) {
    let tmp = tempfile::tempdir().expect("temp dir");
    let dir = tmp.path().join("run");
    write(&dir);
    let bytes = std::fs::metadata(dir.join("punctures.csv"))
        .map(|m| m.len())
        .unwrap_or(0);
    eprintln!(
        "punctures.csv: {ROWS} rows, {bytes} bytes ({} bytes/row)",
        bytes / ROWS
    );

    let mut g = c.benchmark_group("punctures_3M");
    g.sample_size(10);
    g.throughput(Throughput::Elements(ROWS));
    g.bench_function("read", |b| {
        b.iter(|| {
            let rec = Recording::open(&dir).expect("open");
            let mut depth_sum = 0.0f64;
            for row in rec.punctures().expect("punctures") {
                depth_sum += f64::from(row.expect("row").depth_um);
            }
            black_box(depth_sum)
        });
    });
    // Every core (ReadOptions::default), every column; then only the columns the checker reads.
    for (name, columns) in [
        ("read_chunked_all_cores", PunctureRow::COLUMNS),
        (
            "read_chunked_checker_columns",
            &["t_us", "x_mm", "y_mm", "depth_um", "layer"][..],
        ),
    ] {
        g.bench_function(name, |b| {
            b.iter(|| {
                let rec = Recording::open(&dir).expect("open");
                let mut depth_sum = 0.0f64;
                let rows = rec.punctures().expect("punctures").only(columns);
                rows.for_each_batch(ReadOptions::default(), |batch| {
                    depth_sum += batch.iter().map(|p| f64::from(p.depth_um)).sum::<f64>();
                })
                .expect("rows");
                black_box(depth_sum)
            });
        });
    }
    let path = dir.join("punctures.csv");
    // Baseline: the csv crate's reader only splitting records (no field parsing).
    g.bench_function("csv_crate_split_only", |b| {
        b.iter(|| {
            let mut r = csv::ReaderBuilder::new()
                .buffer_capacity(1 << 16)
                .from_path(&path)
                .unwrap();
            let mut rec = csv::ByteRecord::new();
            let mut n = 0usize;
            while r.read_byte_record(&mut rec).unwrap() {
                n += rec.get(5).map_or(0, |f| f.len());
            }
            black_box(n)
        });
    });
    let out = tmp.path().join("write");
    g.bench_function("write", |b| b.iter(|| write(black_box(&out))));
    // A treatment plan's recording: the same rows with a `zone` column (ids interned on read).
    let zoned = tmp.path().join("zoned");
    write_zoned(&zoned);
    g.bench_function("read_zoned", |b| {
        b.iter(|| {
            let rec = Recording::open(&zoned).expect("open");
            let mut outside = 0u64;
            for row in rec.punctures().expect("punctures") {
                outside += u64::from(row.expect("row").zone.is_outside());
            }
            black_box(outside)
        });
    });
    g.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
