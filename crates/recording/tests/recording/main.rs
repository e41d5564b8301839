//! Integration tests of needlebench-recording: round trips, determinism, incomplete
//! recordings, and the errors a damaged or hand-written recording gives.

mod errors;
mod parallel;
mod quoting;
mod roundtrip;
mod writer;
mod zones;

use needlebench_recording::{
    ClockMode, EventKind, EventRow, EventSource, FaultCode, FirmwareState, Layer, LayersUm, Meta,
    PunctureRow, RecordingError, Row, Rows, TelemetryRow,
};
use std::path::Path;

/// A meta as the runner would fill it.
pub fn sample_meta() -> Meta {
    let mut meta = Meta::default();
    meta.scenario.name = "forehead-basic".into();
    meta.scenario.path = "scenarios/forehead-basic.toml".into();
    meta.scenario.hash = needlebench_recording::scenario_hash(b"[scenario]\nname = 'x'\n");
    meta.scenario.seed = 42;
    meta.firmware.name = "reference-pen".into();
    meta.firmware.version = "0.1.0".into();
    meta.firmware.protocol_version = 1;
    meta.firmware.transport = "in-process".into();
    meta.firmware.clock = ClockMode::Lockstep;
    meta.setup.site = "forehead".into();
    meta.setup.cartridge = "36-pin".into();
    meta.setup.needle_count = 36;
    meta.setup.exposure_um = 500.0;
    meta.setup.target_stroke_hz = 120.0;
    meta.setup.area = vec![[0.0, 0.0], [40.0, 0.0], [40.0, 20.5], [0.0, 20.5]];
    meta.setup.layers_um = LayersUm::from_fn(|l| 10.0 * (l.index() as f64 + 1.5));
    meta
}

/// A plausible telemetry row for tick `i`.
pub fn telemetry_row(i: u32) -> TelemetryRow {
    let f = i as f32;
    TelemetryRow {
        t_us: u64::from(i) * 1000,
        tick: i,
        pen_x_mm: 0.0123 * f,
        pen_y_mm: -0.0071 * f,
        hand_force_n: 2.0 + 0.000_37 * f,
        tilt_deg: 3.3333,
        skin_contact: !i.is_multiple_of(7),
        needle_z_um: (f * 1.234).sin() * 500.0,
        needle_peak_um: 500.0 - (f * 0.5).cos().abs() * 10.0,
        exposure_um: 500.0,
        motor_duty: 0.61237,
        motor_current_ma: 212.345,
        stroke_hz: 119.987,
        battery_mv: 3712.34,
        speed_level: (i % 7) as u8,
        state: if i < 3 {
            FirmwareState::Idle
        } else {
            FirmwareState::Running
        },
        fault: if i == 5 {
            FaultCode::OverCurrent
        } else {
            FaultCode::None
        },
    }
}

/// A plausible puncture row number `i`.
pub fn puncture_row(i: u64) -> PunctureRow {
    let f = i as f32;
    PunctureRow {
        t_us: i * 250,
        stroke: i / 36,
        needle: (i % 36) as u16,
        x_mm: 10.0 + 0.001_37 * f,
        y_mm: 5.0 - 0.000_91 * f,
        depth_um: 300.0 + (f * 0.37).sin() * 150.0,
        layer: Layer::from_index((i % 5) as usize),
        peak_force_n: 0.031_234_5,
        tenting_um: 41.27,
        bleeding: i.is_multiple_of(3),
        zone: needlebench_recording::ZoneRef::NOT_RECORDED,
    }
}

/// A plausible event row number `i`, with text that needs CSV quoting.
pub fn event_row(i: u32) -> EventRow {
    EventRow {
        t_us: u64::from(i) * 10_000,
        tick: i * 10,
        source: EventSource::ALL[i as usize % 4],
        kind: EventKind::ALL[i as usize % EventKind::ALL.len()],
        code: "idle->running".into(),
        detail: format!("event {i}, with \"quotes\",\nand a line break"),
    }
}

/// Every row of one file, or the first error.
pub fn read_all<R: Row>(path: &Path) -> Result<Vec<R>, RecordingError> {
    Rows::<R>::open(path)?.collect()
}
