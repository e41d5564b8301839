//! Cost of one firmware tick (ns per tick), in the states that matter.

use std::hint::black_box;

use criterion::{Criterion, criterion_group, criterion_main};
use needlebench_firmware::{Firmware, FirmwareConfig, FirmwareState};
use needlebench_protocol::{CartridgeInfo, SensorFrame, buttons};

fn frame(tick: u32, buttons: u8) -> SensorFrame {
    SensorFrame {
        tick,
        motor_current_ma: 600,
        hall_period_us: 6_700,
        battery_mv: 3_900,
        depth_um: 1_000,
        buttons,
        cartridge: CartridgeInfo {
            present: true,
            id: 7,
            needle_count: 36,
        },
        skin_contact: true,
    }
}

/// A firmware brought to `Running` at level 6.
fn running() -> (Firmware, u32) {
    let mut fw = Firmware::new(FirmwareConfig::default()).expect("default config");
    let presses = [
        buttons::POWER,
        0,
        buttons::POWER,
        0,
        buttons::SPEED_UP,
        0,
        buttons::SPEED_UP,
        0,
        buttons::SPEED_UP,
        0,
        buttons::SPEED_UP,
        0,
        buttons::SPEED_UP,
        0,
    ];
    for (tick, &held) in presses.iter().enumerate() {
        let tick = tick as u32;
        fw.tick(u64::from(tick) * 1000, Some(&frame(tick, held)));
    }
    assert_eq!(fw.state(), FirmwareState::Running);
    (fw, presses.len() as u32)
}

fn bench_tick(c: &mut Criterion) {
    c.bench_function("tick_running", |b| {
        let (mut fw, mut tick) = running();
        b.iter(|| {
            // Stay below the 30 min cartridge limit: re-arm long before it.
            if tick > 1_000_000 {
                (fw, tick) = running();
            }
            let sensors = frame(tick, 0);
            let out = fw.tick(u64::from(tick) * 1000, Some(black_box(&sensors)));
            while fw.poll_event().is_some() {}
            tick += 1;
            black_box(out)
        });
    });
    c.bench_function("tick_idle", |b| {
        let mut fw = Firmware::new(FirmwareConfig::default()).expect("default config");
        fw.tick(0, Some(&frame(0, buttons::POWER)));
        let mut tick = 1u32;
        b.iter(|| {
            let sensors = frame(tick, 0);
            let out = fw.tick(u64::from(tick) * 1000, Some(black_box(&sensors)));
            tick = tick.wrapping_add(1);
            black_box(out)
        });
    });
}

criterion_group!(benches, bench_tick);
criterion_main!(benches);
