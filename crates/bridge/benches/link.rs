//! Link speed, measured in one run so the figures can be compared:
//! - `pty/lockstep_tick`: one lockstep tick through the bridge and the emulated pen over a
//!   real pty (emulator served from a thread of this process, over the pty);
//! - `pty/bare_echo`: the floor — the same tick's bytes written to a pty whose far side
//!   echoes them straight back, read back through the same transport;
//! - `inprocess/lockstep_ticks`: ticks per second with the firmware in-process.
//!
//! The ratio lockstep_tick / bare_echo is the bridge's overhead (target ≤ 1.5×).

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use needlebench_bridge::echo::{EchoPty, lockstep_tick_bytes};
use needlebench_bridge::emulate::{EmulatorPort, serve};
use needlebench_bridge::{InProcessTransport, Link, LinkOptions, SerialTransport};
use needlebench_firmware::{Firmware, FirmwareConfig};
use needlebench_protocol::{CartridgeInfo, SensorFrame};
use std::time::Duration;

fn firmware() -> Firmware {
    Firmware::new(FirmwareConfig::default()).expect("default config is valid")
}

fn sensors() -> SensorFrame {
    SensorFrame {
        tick: 0,
        motor_current_ma: 640,
        hall_period_us: 6_667,
        battery_mv: 3_900,
        depth_um: 1_000,
        buttons: 0,
        cartridge: CartridgeInfo {
            present: true,
            id: 12_345,
            needle_count: 36,
        },
        skin_contact: true,
    }
}

fn bench_inprocess(c: &mut Criterion) {
    let mut group = c.benchmark_group("inprocess");
    const BATCH: u64 = 1_000;
    group.throughput(Throughput::Elements(BATCH));
    let mut link = Link::connect(
        Box::new(InProcessTransport::new(firmware())),
        LinkOptions::default(),
    )
    .expect("handshake");
    let s = sensors();
    group.bench_function("lockstep_ticks", |b| {
        b.iter(|| {
            for _ in 0..BATCH {
                std::hint::black_box(link.tick(Some(&s)).expect("tick").actuators);
            }
        });
    });
    group.finish();
}

fn bench_pty(c: &mut Criterion) {
    let mut group = c.benchmark_group("pty");
    group.throughput(Throughput::Elements(1));

    // The emulated pen on a pty, served from a thread.
    let (tx, rx) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        let _ = serve(
            EmulatorPort::Pty,
            firmware(),
            |p| tx.send(p.to_owned()).expect("announce"),
            std::future::pending(),
        );
    });
    let path: String = rx.recv_timeout(Duration::from_secs(5)).expect("pty path");
    let transport = SerialTransport::open(&path, 115_200).expect("open emulator pty");
    let mut link = Link::connect(Box::new(transport), LinkOptions::default()).expect("handshake");
    let s = sensors();
    group.bench_function("lockstep_tick", |b| {
        b.iter(|| std::hint::black_box(link.tick(Some(&s)).expect("tick").actuators));
    });

    // The floor: the same tick's bytes echoed by a bare pty.
    let tick_bytes = lockstep_tick_bytes(&s);
    let mut echo = EchoPty::open().expect("echo pty");
    let mut rx_buf = Vec::with_capacity(4096);
    group.bench_function("bare_echo", |b| {
        b.iter(|| {
            echo.round_trip(&tick_bytes, &mut rx_buf, Duration::from_secs(1))
                .expect("echo");
            std::hint::black_box(&rx_buf);
        });
    });
    group.finish();
}

criterion_group!(benches, bench_inprocess, bench_pty);
criterion_main!(benches);
