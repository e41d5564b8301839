//! Throughput of `check` on a recording the size of the full-face 10-minute session:
//! 600 000 ticks (10 min at 1 kHz) and 3 000 000 punctures (36 needles, ~150 Hz, with
//! skin contact part of the time), generated once into a temporary directory.
//!
//! `check` reads with one thread per core; `check_sequential_read` is the same check reading on
//! one thread, for comparison. Also measures the recording reader's puncture and telemetry
//! streams alone (sequential, and chunked over all cores), and the checks
//! alone on rows in memory, to tell the reader's share from the checks' own.
//!
//! `cargo bench -p needlebench-checks -- --warm-up-time 1 --measurement-time 3`

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use needlebench_checks::{Checker, ExpectationSource, Expectations, check, check_with};
use needlebench_recording::{
    EventKind, EventRow, EventSource, FaultCode, FirmwareState, Layer, LayersUm, Meta, PunctureRow,
    ReadOptions, Recording, RecordingWriter, RunStatus, SetupMeta, TelemetryRow,
};
use needlebench_scenario::Expect;
use std::hint::black_box;
use std::path::Path;

const TICKS: u64 = 600_000;
const PUNCTURES: u64 = 3_000_000;

fn generate(dir: &Path) -> Recording {
    let meta = Meta {
        setup: SetupMeta {
            site: "cheek".into(),
            cartridge: "36".into(),
            device: needlebench_physics::DeviceKind::Pen,
            needle_count: 36,
            exposure_um: 1000.0,
            target_stroke_hz: 150.0,
            area: vec![[0.0, 0.0], [120.0, 0.0], [120.0, 80.0], [0.0, 80.0]],
            layers_um: LayersUm {
                stratum_corneum: 15.0,
                viable_epidermis: 70.0,
                papillary_dermis: 200.0,
                reticular_dermis: 1500.0,
                hypodermis: 3000.0,
                ..LayersUm::default()
            },
        },
        ..Meta::default()
    };
    let mut w = RecordingWriter::create(dir, meta).expect("create");
    w.event(&EventRow {
        t_us: 100_000,
        tick: 100,
        source: EventSource::Firmware,
        kind: EventKind::StateChanged,
        code: "idle->running".into(),
        detail: String::new(),
    })
    .expect("event");
    for tick in 0..TICKS {
        w.telemetry(&tick_row(tick)).expect("telemetry");
    }
    // 3 000 000 punctures over 600 s: one every 200 µs
    for i in 0..PUNCTURES {
        w.puncture(&puncture_row(i)).expect("puncture");
    }
    w.finish(RunStatus::Complete).expect("finish");
    Recording::open(dir).expect("open")
}

/// Tick `tick`: running, in contact, gliding in rows over the area.
fn tick_row(tick: u64) -> TelemetryRow {
    let t = tick * 1000;
    TelemetryRow {
        t_us: t,
        tick: tick as u32,
        pen_x_mm: (t / 10_000 % 120) as f32,
        pen_y_mm: (t / 1_200_000 % 80) as f32,
        hand_force_n: 2.5,
        skin_contact: true,
        needle_z_um: 400.0,
        needle_peak_um: 1000.0,
        exposure_um: 1000.0,
        motor_duty: 0.7,
        motor_current_ma: 140.0 + (tick % 7) as f32,
        stroke_hz: 150.0 + (tick % 3) as f32 * 0.1,
        battery_mv: 3900.0,
        speed_level: 6,
        state: FirmwareState::Running,
        fault: FaultCode::None,
        ..Default::default()
    }
}

/// Puncture `i`: one every 200 µs, 36 needles in a 6 × 6 pattern under the pen.
fn puncture_row(i: u64) -> PunctureRow {
    let t = i * 200;
    let needle = i % 36;
    PunctureRow {
        t_us: t,
        stroke: i / 36,
        needle: needle as u16,
        x_mm: ((t / 10_000) % 120) as f32 + (needle % 6) as f32 * 0.3,
        y_mm: ((t / 1_200_000) % 80) as f32 + (needle / 6) as f32 * 0.3,
        depth_um: 600.0 + (i % 97) as f32,
        layer: Layer::ReticularDermis,
        peak_force_n: 0.03,
        tenting_um: 180.0,
        bleeding: true,
        zone: needlebench_recording::ZoneRef::NOT_RECORDED,
    }
}

fn bench(c: &mut Criterion) {
    let tmp = tempfile::tempdir().expect("tempdir");
    let rec = generate(&tmp.path().join("full-face"));
    let expect = Expect::defaults_for("cheek", true);
    let given = Expectations::given(expect.clone(), ExpectationSource::None);
    let mut g = c.benchmark_group("check_full_face");
    g.sample_size(10);
    g.throughput(Throughput::Elements(PUNCTURES));
    g.bench_function("check", |b| {
        b.iter(|| {
            let report = check(&rec, &given, None).expect("check");
            assert_eq!(report.punctures, PUNCTURES);
            black_box(report)
        });
    });
    g.bench_function("check_sequential_read", |b| {
        b.iter(|| {
            let report = check_with(&rec, &given, None, ReadOptions::sequential()).expect("check");
            assert_eq!(report.punctures, PUNCTURES);
            black_box(report)
        });
    });
    g.bench_function("read_punctures_chunked", |b| {
        b.iter(|| {
            let mut n = 0u64;
            let rows = rec.punctures().expect("open");
            rows.for_each_batch(ReadOptions::default(), |batch| {
                n += batch.iter().map(|p| u64::from(p.needle)).sum::<u64>();
            })
            .expect("rows");
            black_box(n)
        });
    });
    g.bench_function("read_punctures_only", |b| {
        b.iter(|| {
            let mut n = 0u64;
            for p in rec.punctures().expect("open") {
                n += u64::from(black_box(p.expect("row")).needle);
            }
            black_box(n)
        });
    });
    g.throughput(Throughput::Elements(TICKS));
    g.bench_function("read_telemetry_only", |b| {
        b.iter(|| {
            let mut n = 0u64;
            for r in rec.telemetry().expect("open") {
                n += u64::from(black_box(r.expect("row")).tick);
            }
            black_box(n)
        });
    });
    // the checks alone, rows already in memory (no file reading): 1 000 000 punctures after
    // 200 000 ticks
    let ticks: Vec<TelemetryRow> = (0..200_000).map(tick_row).collect();
    let punctures: Vec<PunctureRow> = (0..1_000_000).map(puncture_row).collect();
    g.throughput(Throughput::Elements(punctures.len() as u64));
    g.bench_function("checker_in_memory", |b| {
        b.iter(|| {
            let mut checker =
                Checker::new(rec.meta(), &expect, ExpectationSource::None).expect("checker");
            for r in &ticks {
                checker.tick(r);
            }
            for p in &punctures {
                checker.puncture(p);
            }
            black_box(checker.finish(Path::new("mem")))
        });
    });
    g.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
