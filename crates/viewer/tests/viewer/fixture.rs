//! A small synthetic recording with known content, written with the recording crate.

use needlebench_recording::{
    CreateOptions, EventKind, EventRow, EventSource, FaultCode, FirmwareState, Layer, LayersUm,
    Meta, PunctureRow, RecordingWriter, RunStatus, ScenarioCopy, ScenarioMeta, SetupMeta,
    TelemetryRow, ZoneRef, scenario_hash,
};
use std::path::{Path, PathBuf};

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

/// The scenario copy the fixture stores: forehead defaults (depth tolerance 50 µm, no
/// hypodermis or anything below it).
pub const SCENARIO: &str = r#"name = "viewer-fixture"
[skin]
site = "forehead"
[pen]
cartridge = "12"
exposure_mm = 0.5
speed_level = 6
[hand]
area = { rect = { x_mm = 0.0, y_mm = 0.0, width_mm = 40.0, height_mm = 20.0 } }
pattern = "straight"
"#;

/// [`SCENARIO`] with a depth tolerance that makes the deep puncture acceptable: no depth
/// violation when a replay is checked against it.
pub fn lenient_scenario() -> String {
    format!("{SCENARIO}[expect]\ndepth_tolerance_um = 1000.0\n")
}

/// Muscle under the fat, µm.
pub const MUSCLE_UM: f64 = 1000.0;

/// Column used by the fixture: the five skin layers, muscle, and a bone floor.
pub fn layers() -> LayersUm {
    LayersUm {
        muscle: MUSCLE_UM,
        floor: Some(Layer::Bone),
        ..layers_without_floor()
    }
}

/// The five skin layers only, no floor (how a format-1 recording reads).
pub fn layers_without_floor() -> LayersUm {
    LayersUm::from_fn(|l| match l {
        Layer::StratumCorneum => 15.0,
        Layer::ViableEpidermis => 60.0,
        Layer::PapillaryDermis => 150.0,
        Layer::ReticularDermis => 1200.0,
        Layer::Hypodermis => 3000.0,
        Layer::Muscle | Layer::Cartilage | Layer::Bone => 0.0,
    })
}

/// What to vary in the fixture.
pub struct Options<'a> {
    /// The column.
    pub layers: LayersUm,
    /// Store [`SCENARIO`] as the recording's scenario copy.
    pub scenario_copy: bool,
    /// A scenario file to name (with its hash) as the one the recording was made from.
    pub recorded_from: Option<&'a Path>,
}

impl Default for Options<'_> {
    fn default() -> Self {
        Options {
            layers: layers(),
            scenario_copy: true,
            recorded_from: None,
        }
    }
}

/// Pen x at `t_us`: glides from 5 to 35 mm over the recording.
pub fn pen_x_mm(t_us: u64) -> f32 {
    5.0 + 30.0 * (t_us as f32 / DURATION_US as f32)
}

/// Write the fixture into `dir`: 2 s of telemetry at 1 kHz, a puncture every 5 ms at the pen
/// (450 µm, reticular dermis) except one 900 µm deep at [`DEEP_T_US`], and a stall fault at
/// [`FAULT_T_US`]; with [`layers`] and [`SCENARIO`] as its scenario copy.
pub fn write(dir: &Path) {
    write_with(dir, &Options::default());
}

/// The fixture without a scenario copy (a real pen's export), written to `parent/rec`.
pub fn write_without_scenario(parent: &Path) -> PathBuf {
    let dir = parent.join("rec");
    write_with(
        &dir,
        &Options {
            scenario_copy: false,
            ..Options::default()
        },
    );
    dir
}

/// [`write`] with `options`.
pub fn write_with(dir: &Path, options: &Options<'_>) {
    let scenario = options
        .recorded_from
        .map_or_else(ScenarioMeta::default, |path| {
            let bytes = std::fs::read(path).expect("read the named scenario");
            ScenarioMeta {
                path: path.display().to_string(),
                hash: scenario_hash(&bytes),
                ..ScenarioMeta::default()
            }
        });
    let meta = Meta {
        scenario,
        setup: SetupMeta {
            site: "forehead".to_owned(),
            cartridge: "12-pin".to_owned(),
            needle_count: 12,
            exposure_um: 500.0,
            target_stroke_hz: 120.0,
            area: AREA.to_vec(),
            layers_um: options.layers,
            ..SetupMeta::default()
        },
        ..Meta::default()
    };
    let copy = ScenarioCopy {
        text: SCENARIO.as_bytes(),
        files: &[],
    };
    let create = CreateOptions {
        replace: false,
        scenario: options.scenario_copy.then_some(copy),
        face_map: None,
    };
    let mut w = RecordingWriter::create_with(dir, meta, create).expect("create fixture");
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
            needle_peak_um: 500.0,
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
            zone: ZoneRef::NOT_RECORDED,
        })
        .expect("puncture");
        t_us += PUNCTURE_EVERY_US;
    }
    w.finish(RunStatus::Complete).expect("finish");
}

/// Number of punctures at or before `t_us`.
pub fn punctures_at(t_us: u64) -> usize {
    (t_us / PUNCTURE_EVERY_US) as usize
}
