//! Benchmarks of the penetration model and the pen plant.
//!
//! * `cartridge_stroke_36`: one stroke of a 36-needle cartridge (model built once per stroke,
//!   as the plant does), throughput in needle-strokes.
//! * `stroke_fn_36`: the same through the validating pure function [`stroke`], 36 calls.
//! * `burst_1s_150hz`: one second at 150 Hz, 36 needles, carrying pre-compression.
//! * `plant_1s_1khz`: one simulated second of the whole plant at 1 kHz ticks on the cheek.
//! * `plant_1s_1khz_air`: the same in the air: the motor, cam and battery integration alone.
//!
//! Run: `cargo bench -p needlebench-physics -- --warm-up-time 1 --measurement-time 3`.

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use needlebench_physics::needle::guard_gap_um;
use needlebench_physics::*;
use std::hint::black_box;

const HZ: f64 = 150.0;

fn tip_speed() -> f64 {
    std::f64::consts::PI * HZ * 3e-3
}

fn cartridge_stroke(c: &mut Criterion) {
    let site = Site::builtin("cheek").unwrap();
    let cart = Cartridge::from_name("36").unwrap();
    let guard = cart.guard_radius_mm();
    let mut g = c.benchmark_group("penetration");
    g.throughput(Throughput::Elements(36));
    g.bench_function("cartridge_stroke_36", |b| {
        b.iter(|| {
            let model =
                StrokeModel::new(&site, &cart.needle(), black_box(tip_speed()), 3000.0).unwrap();
            let mut sum = 0.0;
            for p in cart.positions_mm() {
                let gap = guard_gap_um(2.0, 3.0, guard + p[0]);
                sum += model.run(black_box(1000.0) - gap, 1.0).reached_depth_um;
            }
            sum
        });
    });
    g.bench_function("stroke_fn_36", |b| {
        b.iter(|| {
            let mut sum = 0.0;
            for p in cart.positions_mm() {
                let input = StrokeInput {
                    site: &site,
                    needle: cart.needle(),
                    exposure_um: black_box(1000.0),
                    tip_speed_m_s: tip_speed(),
                    hand_force_n: 2.0,
                    cam_throw_um: 3000.0,
                    tilt_deg: 3.0,
                    lever_mm: guard + p[0],
                    precompression_um: 0.0,
                    thickness_scale: 1.0,
                };
                sum += stroke(&input).unwrap().reached_depth_um;
            }
            sum
        });
    });
    g.throughput(Throughput::Elements(36 * 150));
    g.bench_function("burst_1s_150hz", |b| {
        b.iter(|| {
            let mut pre = [Precompression::default(); 36];
            let period_s = 1.0 / HZ;
            let mut sum = 0.0;
            for _ in 0..150 {
                let model = StrokeModel::new(&site, &cart.needle(), tip_speed(), 3000.0).unwrap();
                for (p, pos) in pre.iter_mut().zip(cart.positions_mm()) {
                    let gap = guard_gap_um(2.0, 3.0, guard + pos[0]);
                    let r = model.run(black_box(1000.0) - gap - p.residual_um, 1.0);
                    p.update(&r, 0.4 * period_s, period_s);
                    sum += r.reached_depth_um;
                }
            }
            sum
        });
    });
    g.finish();
}

fn plant_second(c: &mut Criterion) {
    let site = Site::builtin("cheek").unwrap();
    let contact = Contact {
        site: Some(&site),
        needle_sites: None,
        hand_force_n: 2.0,
        tilt_deg: 3.0,
    };
    let mut plant =
        PenPlant::new(PenParams::default(), Cartridge::from_name("36").unwrap()).unwrap();
    plant.set_exposure_um(1000.0).unwrap();
    for _ in 0..500 {
        plant.step(780, 1000, &contact).unwrap();
    }
    let mut g = c.benchmark_group("plant");
    g.throughput(Throughput::Elements(1000));
    g.bench_function("plant_1s_1khz", |b| {
        b.iter(|| {
            let mut n = 0;
            for _ in 0..1000 {
                n += plant
                    .step(black_box(780), 1000, &contact)
                    .unwrap()
                    .punctures
                    .len();
            }
            n
        });
    });
    let mut air = PenPlant::new(PenParams::default(), Cartridge::from_name("36").unwrap()).unwrap();
    air.set_exposure_um(1000.0).unwrap();
    for _ in 0..500 {
        air.step(780, 1000, &Contact::OFF).unwrap();
    }
    g.bench_function("plant_1s_1khz_air", |b| {
        b.iter(|| {
            let mut n = 0;
            for _ in 0..1000 {
                n += air
                    .step(black_box(780), 1000, &Contact::OFF)
                    .unwrap()
                    .hall_period_us;
            }
            n
        });
    });
    g.finish();
}

criterion_group!(benches, cartridge_stroke, plant_second);
criterion_main!(benches);
