//! Codec throughput: sensor frames (the hot path, one per firmware tick) and a mixed stream,
//! encoded and decoded, in frames per second.
//!
//! Run: `cargo bench -p needlebench-protocol --bench codec -- --warm-up-time 1 --measurement-time 3`

use std::hint::black_box;

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use needlebench_protocol::{
    ActuatorFrame, CartridgeInfo, Decoded, Decoder, Encoder, Event, FaultCode, FirmwareState,
    Grant, Indicator, LogLevel, MAX_FRAME_LEN, Message, Reached, SensorFrame,
};

/// Frames per benchmark iteration.
const BATCH: usize = 1000;

fn sensor_frame(tick: u32) -> Message<'static> {
    Message::Sensors(SensorFrame {
        tick,
        motor_current_ma: 300 + (tick % 200) as u16,
        hall_period_us: 7000 + tick % 1500,
        battery_mv: 3900,
        depth_um: 1500,
        buttons: 1,
        cartridge: CartridgeInfo {
            present: true,
            id: 0x1234_5678,
            needle_count: 12,
        },
        skin_contact: !tick.is_multiple_of(7),
    })
}

/// One firmware tick's worth of traffic, both directions, plus occasional events.
fn mixed_frame(i: u32) -> Message<'static> {
    let tick = i / 4;
    match i % 4 {
        0 => sensor_frame(tick),
        1 => Message::Actuators(ActuatorFrame {
            tick,
            motor_duty_permille: 640,
            depth_setpoint_um: 1500,
            speed_level: 3,
            indicator: Indicator::Green,
            state: FirmwareState::Running,
            fault: FaultCode::None,
        }),
        2 => match tick % 50 {
            0 => Message::Event(Event::Log {
                tick,
                level: LogLevel::Info,
                text: "speed level 3, duty 640 permille, hall period nominal",
            }),
            1 => Message::Event(Event::StateChanged {
                tick,
                from: FirmwareState::Idle,
                to: FirmwareState::Running,
            }),
            _ => Message::Grant(Grant {
                until_tick: tick,
                with_sensors: true,
            }),
        },
        _ => Message::Reached(Reached { tick, frames: 1 }),
    }
}

fn encode_all(msgs: &[Message<'_>]) -> Vec<u8> {
    let mut encoder = Encoder::new();
    let mut out = vec![0u8; msgs.len() * MAX_FRAME_LEN];
    let mut at = 0;
    for msg in msgs {
        at += encoder.encode(msg, &mut out[at..]).expect("fits");
    }
    out.truncate(at);
    out
}

fn bench_stream(c: &mut Criterion, name: &str, msgs: &[Message<'_>]) {
    let stream = encode_all(msgs);
    let mut group = c.benchmark_group(name);
    group.throughput(Throughput::Elements(msgs.len() as u64));
    group.bench_function("encode", |b| {
        let mut encoder = Encoder::new();
        let mut out = [0u8; MAX_FRAME_LEN];
        b.iter(|| {
            let mut bytes = 0;
            for msg in msgs {
                bytes += encoder.encode(black_box(msg), &mut out).expect("fits");
                black_box(&out);
            }
            bytes
        });
    });
    group.bench_function("decode", |b| {
        let mut decoder = Decoder::new();
        b.iter(|| {
            let mut input = black_box(stream.as_slice());
            let mut frames = 0u32;
            while let Some(decoded) = decoder.feed(&mut input) {
                if let Decoded::Frame { msg, .. } = decoded {
                    black_box(msg);
                    frames += 1;
                }
            }
            assert_eq!(frames as usize, msgs.len());
            frames
        });
    });
    group.finish();
}

fn codec(c: &mut Criterion) {
    let sensors: Vec<Message<'static>> =
        (0..BATCH as u32).map(|t| sensor_frame(1000 + t)).collect();
    bench_stream(c, "sensors", &sensors);
    let mixed: Vec<Message<'static>> = (0..BATCH as u32).map(mixed_frame).collect();
    bench_stream(c, "mixed", &mixed);
}

/// Line noise: how fast the decoder throws away garbage (suffix search included), bytes/s.
fn noise(c: &mut Criterion) {
    // A fixed xorshift sequence: deterministic, about one 0x00 per 256 bytes.
    let mut state = 0x2545_f491_u32;
    let noise: Vec<u8> = (0..64 * 1024)
        .map(|_| {
            state ^= state << 13;
            state ^= state >> 17;
            state ^= state << 5;
            (state >> 24) as u8
        })
        .collect();
    let mut group = c.benchmark_group("noise");
    group.throughput(Throughput::Bytes(noise.len() as u64));
    group.bench_function("decode", |b| {
        let mut decoder = Decoder::new();
        b.iter(|| {
            let mut input = black_box(noise.as_slice());
            let mut items = 0u32;
            while decoder.feed(&mut input).is_some() {
                items += 1;
            }
            items
        });
    });
    group.finish();
}

criterion_group!(benches, codec, noise);
criterion_main!(benches);
