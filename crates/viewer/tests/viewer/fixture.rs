//! A small synthetic recording with known content, written with the recording crate.

use needlebench_recording::{
    EventKind, EventRow, EventSource, FaultCode, FirmwareState, Layer, LayersUm, Meta, PunctureRow,
    RecordingWriter, RunStatus, SetupMeta, TelemetryRow,
};
use std::path::Path;

/// Recording length, µs.
pub const DURATION_US: u64 = 2_000_000;
/// The one puncture that is too deep: time, position and depth.
pub const DEEP_T_US: u64 = 1_200_000;
pub const DEEP_POS_MM: [f32; 2] = [30.0, 14.0];
pub const DEEP_UM: f32 = 900.0;
/// Time of the firmware fault.
pub const FAULT_T_US: u64 = 1_500_000;
/// Punctures every this many µs from 5 ms on.
pub const PUNCTURE_EVERY_US: u64 = 5_000;
/// Treated area.
pub const AREA: [[f64; 2]; 4] = [[0.0, 0.0], [40.0, 0.0], [40.0, 20.0], [0.0, 20.0]];

/// Stack used by the fixture.
pub fn layers() -> LayersUm {
    LayersUm::from_fn(|l| match l {
        Layer::StratumCorneum => 15.0,
        Layer::ViableEpidermis => 60.0,
        Layer::PapillaryDermis => 150.0,
        Layer::ReticularDermis => 1200.0,
        Layer::Hypodermis => 3000.0,
    })
}

/// Pen x at `t_us`: glides from 5 to 35 mm over the recording.
pub fn pen_x_mm(t_us: u64) -> f32 {
    5.0 + 30.0 * (t_us as f32 / DURATION_US as f32)
}

/// Write the fixture into `dir`: 2 s of telemetry at 1 kHz, a puncture every 5 ms at the pen
/// (450 µm, reticular dermis) except one 900 µm deep at [`DEEP_T_US`], and a stall fault at
/// [`FAULT_T_US`].
pub fn write(dir: &Path) {
    let meta = Meta {
        setup: SetupMeta {
            site: "forehead".to_owned(),
            cartridge: "12-pin".to_owned(),
            needle_count: 12,
            exposure_um: 500.0,
            target_stroke_hz: 120.0,
            area: AREA.to_vec(),
            layers_um: layers(),
        },
        ..Meta::default()
    };
    let mut w = RecordingWriter::create(dir, meta).expect("create fixture");
    w.event(&EventRow {
        t_us: FAULT_T_US,
        tick: (FAULT_T_US / 1000) as u32,
        source: EventSource::Firmware,
        kind: EventKind::FaultRaised,
        code: "stall".to_owned(),
        detail: "motor stalled".to_owned(),
    })
    .expect("event");
    for tick in 0..=(DURATION_US / 1000) {
        let t_us = tick * 1000;
        w.telemetry(&TelemetryRow {
            t_us,
            tick: tick as u32,
            pen_x_mm: pen_x_mm(t_us),
            pen_y_mm: 10.0,
            hand_force_n: 2.0,
            skin_contact: true,
            needle_z_um: (tick % 8) as f32 * 100.0,
            exposure_um: 500.0,
            motor_duty: 0.5,
            motor_current_ma: 300.0 + (tick % 10) as f32,
            stroke_hz: 120.0,
            battery_mv: 3900.0,
            speed_level: 3,
            state: FirmwareState::Running,
            fault: FaultCode::None,
            ..Default::default()
        })
        .expect("telemetry");
    }
    let mut t_us = PUNCTURE_EVERY_US;
    while t_us <= DURATION_US {
        let deep = t_us == DEEP_T_US;
        let (x, y) = if deep {
            (DEEP_POS_MM[0], DEEP_POS_MM[1])
        } else {
            (pen_x_mm(t_us), 10.0)
        };
        w.puncture(&PunctureRow {
            t_us,
            stroke: t_us / PUNCTURE_EVERY_US,
            needle: 0,
            x_mm: x,
            y_mm: y,
            depth_um: if deep { DEEP_UM } else { 450.0 },
            layer: Layer::ReticularDermis,
            peak_force_n: 0.05,
            tenting_um: 80.0,
            bleeding: false,
        })
        .expect("puncture");
        t_us += PUNCTURE_EVERY_US;
    }
    w.finish(RunStatus::Complete, Default::default())
        .expect("finish");
}

/// Number of punctures at or before `t_us`.
pub fn punctures_at(t_us: u64) -> usize {
    (t_us / PUNCTURE_EVERY_US) as usize
}
