//! The three row types ([`TelemetryRow`], [`PunctureRow`], [`EventRow`]), their columns, units
//! and write resolutions, and the snake_case names of their enum fields.
//!
//! The column order of each file is the field order of its struct (and of `COLUMNS`).

use crate::codec::{Dec, Enc, FieldErr};
use crate::line::Line;
use needlebench_physics::Layer;
use needlebench_protocol::{FaultCode, FirmwareState};
use serde::{Deserialize, Serialize};
use std::io::Write;

/// Write resolution of each kind of float column: values are rounded to the nearest multiple of
/// `1 / steps` before they are written (so 1000.0 steps per mm = 1 µm).
pub mod resolution {
    /// Positions in mm: 0.001 mm (1 µm).
    pub const MM: f64 = 1e3;
    /// Depths, needle positions and exposures in µm: 0.1 µm.
    pub const UM: f64 = 1e1;
    /// Hand force in N: 0.0001 N.
    pub const HAND_FORCE_N: f64 = 1e4;
    /// Per-needle peak force in N: 0.00001 N (one needle peaks at ~0.01–0.1 N).
    pub const NEEDLE_FORCE_N: f64 = 1e5;
    /// Angles in degrees: 0.01°.
    pub const DEG: f64 = 1e2;
    /// Motor duty fraction (0–1): 0.0001.
    pub const DUTY: f64 = 1e4;
    /// Motor current in mA: 0.1 mA.
    pub const MA: f64 = 1e1;
    /// Stroke frequency in Hz: 0.01 Hz.
    pub const HZ: f64 = 1e2;
    /// Battery voltage in mV: 0.1 mV.
    pub const MV: f64 = 1e1;
}

/// Round `value` to the nearest multiple of `1 / steps` (ties away from zero), as the writer
/// does before writing; `-0.0` becomes `0.0`; NaN and infinities are left as they are.
///
/// Deterministic: the arithmetic is IEEE-754 `f64` multiply, round and divide, exact on every
/// platform.
pub fn round_to(value: f32, steps: f64) -> f32 {
    if !value.is_finite() {
        return value;
    }
    let rounded = ((f64::from(value) * steps).round() / steps) as f32;
    rounded + 0.0
}

/// A row type of one of the three CSV files. Implemented by [`TelemetryRow`], [`PunctureRow`]
/// and [`EventRow`] only.
pub trait Row: crate::codec::Codec + Sized {
    /// The file name inside the recording directory, e.g. `punctures.csv`.
    const FILE: &'static str;
    /// The header, in file order.
    const COLUMNS: &'static [&'static str];
    /// The unit of each column (same order as [`Row::COLUMNS`]); `meta.toml`'s `[units]`.
    const UNITS: &'static [&'static str];
    /// The row as it reads back after writing: every float rounded to its column's resolution
    /// (see [`resolution`]).
    fn rounded(&self) -> Self;
}

/// One firmware tick: what the hand, the pen and the firmware did.
#[derive(Debug, Clone, Copy, PartialEq, Default, Serialize, Deserialize)]
pub struct TelemetryRow {
    /// Time since the start of the run, µs (simulated time; a real pen's own clock).
    pub t_us: u64,
    /// Firmware tick number, the first tick is 0.
    pub tick: u32,
    /// Pen position on the skin, x, mm, in the frame of `setup.area`.
    pub pen_x_mm: f32,
    /// Pen position on the skin, y, mm.
    pub pen_y_mm: f32,
    /// Force the hand presses the pen onto the skin with, N.
    pub hand_force_n: f32,
    /// Pen tilt from the skin normal, degrees.
    pub tilt_deg: f32,
    /// The pen's guard touches the skin.
    pub skin_contact: bool,
    /// Needle tip position beyond the guard face, µm (0 = flush, positive = out toward the skin).
    pub needle_z_um: f32,
    /// Needle exposure set on the pen (depth dial or actuator), µm.
    pub exposure_um: f32,
    /// Motor PWM duty as a fraction, 0–1.
    pub motor_duty: f32,
    /// Motor current, mA.
    pub motor_current_ma: f32,
    /// Needle stroke frequency, Hz (one stroke per motor revolution).
    pub stroke_hz: f32,
    /// Battery terminal voltage, mV.
    pub battery_mv: f32,
    /// Selected speed level, 1–6 (0 when off).
    pub speed_level: u8,
    /// Firmware state after this tick (`off`, `idle`, `running`, `fault`).
    #[serde(with = "state_serde")]
    pub state: FirmwareState,
    /// Latched fault (`none` if none).
    #[serde(with = "fault_serde")]
    pub fault: FaultCode,
}

/// One needle entering the skin in one stroke.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct PunctureRow {
    /// Time of the puncture since the start of the run, µs.
    pub t_us: u64,
    /// Stroke number of the pen since the start of the run, the first stroke is 0.
    pub stroke: u64,
    /// Index of the needle in the cartridge, 0-based.
    pub needle: u16,
    /// Puncture position, x, mm, in the frame of `setup.area`.
    pub x_mm: f32,
    /// Puncture position, y, mm.
    pub y_mm: f32,
    /// Deepest point the needle tip reached below the skin surface, µm.
    pub depth_um: f32,
    /// The skin layer that depth lies in.
    pub layer: Layer,
    /// Peak axial force on this needle during the stroke, N.
    pub peak_force_n: f32,
    /// How far the skin surface dented before it ruptured, µm.
    pub tenting_um: f32,
    /// The puncture reached the capillaries (papillary dermis or deeper).
    pub bleeding: bool,
}

impl Default for PunctureRow {
    fn default() -> Self {
        PunctureRow {
            t_us: 0,
            stroke: 0,
            needle: 0,
            x_mm: 0.0,
            y_mm: 0.0,
            depth_um: 0.0,
            layer: Layer::StratumCorneum,
            peak_force_n: 0.0,
            tenting_um: 0.0,
            bleeding: false,
        }
    }
}

/// Who produced an event.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum EventSource {
    /// The pen's firmware (state changes, faults, log lines).
    #[default]
    Firmware,
    /// A fault or disturbance the scenario injected.
    Injected,
    /// The link between bench and pen (drops, CRC errors, reconnects).
    Link,
    /// The runner itself (start, end, phase changes).
    Runner,
}

impl EventSource {
    /// Every source, in file-doc order.
    pub const ALL: [EventSource; 4] = [
        EventSource::Firmware,
        EventSource::Injected,
        EventSource::Link,
        EventSource::Runner,
    ];

    /// The snake_case name written to `events.csv`.
    pub fn name(self) -> &'static str {
        match self {
            EventSource::Firmware => "firmware",
            EventSource::Injected => "injected",
            EventSource::Link => "link",
            EventSource::Runner => "runner",
        }
    }

    /// The source with this name.
    pub fn from_name(name: &str) -> Option<EventSource> {
        EventSource::ALL.into_iter().find(|s| s.name() == name)
    }
}

/// Something that happened at one instant: a firmware event, an injected fault, a link event.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct EventRow {
    /// Time since the start of the run, µs.
    pub t_us: u64,
    /// Firmware tick the event belongs to.
    pub tick: u32,
    /// Who produced it.
    pub source: EventSource,
    /// What happened, snake_case: `state_changed`, `fault_raised`, `fault_cleared`, `log`,
    /// `force_spike`, `link_drop`, …
    pub kind: String,
    /// Machine-readable code: a fault name, a state transition such as `idle->running`, or empty.
    pub code: String,
    /// Free text for people (may contain commas, quotes and newlines; CSV quoting applies).
    pub detail: String,
}

/// Every firmware state, in wire order.
pub const FIRMWARE_STATES: [FirmwareState; 4] = [
    FirmwareState::Off,
    FirmwareState::Idle,
    FirmwareState::Running,
    FirmwareState::Fault,
];

/// The firmware state with this snake_case name (`off`, `idle`, `running`, `fault`).
pub fn state_from_name(name: &str) -> Option<FirmwareState> {
    FIRMWARE_STATES.into_iter().find(|s| s.name() == name)
}

/// The fault code with this snake_case name (`none`, `stall`, `over_current`, …).
pub fn fault_from_name(name: &str) -> Option<FaultCode> {
    FaultCode::ALL.into_iter().find(|f| f.name() == name)
}

fn names<T: Copy>(all: &[T], name: impl Fn(T) -> &'static str) -> String {
    all.iter().map(|&x| name(x)).collect::<Vec<_>>().join(", ")
}

/// Comma-separated valid state names, for error messages.
pub(crate) fn state_names() -> String {
    names(&FIRMWARE_STATES, FirmwareState::name)
}

/// Comma-separated valid fault names, for error messages.
pub(crate) fn fault_names() -> String {
    names(&FaultCode::ALL, FaultCode::name)
}

macro_rules! name_serde {
    ($module:ident, $ty:ty, $from:path, $valid:path, $what:literal) => {
        mod $module {
            use super::*;
            pub(super) fn serialize<S: serde::Serializer>(
                v: &$ty,
                s: S,
            ) -> Result<S::Ok, S::Error> {
                s.serialize_str(v.name())
            }
            pub(super) fn deserialize<'de, D: serde::Deserializer<'de>>(
                d: D,
            ) -> Result<$ty, D::Error> {
                let name = <std::borrow::Cow<'de, str>>::deserialize(d)?;
                $from(&name).ok_or_else(|| {
                    serde::de::Error::custom(format!(
                        concat!("unknown ", $what, " '{}'; valid: {}"),
                        name,
                        $valid()
                    ))
                })
            }
        }
    };
}
name_serde!(
    state_serde,
    FirmwareState,
    state_from_name,
    state_names,
    "state"
);
name_serde!(
    fault_serde,
    FaultCode,
    fault_from_name,
    fault_names,
    "fault"
);

impl Row for TelemetryRow {
    const FILE: &'static str = "telemetry.csv";
    const COLUMNS: &'static [&'static str] = &[
        "t_us",
        "tick",
        "pen_x_mm",
        "pen_y_mm",
        "hand_force_n",
        "tilt_deg",
        "skin_contact",
        "needle_z_um",
        "exposure_um",
        "motor_duty",
        "motor_current_ma",
        "stroke_hz",
        "battery_mv",
        "speed_level",
        "state",
        "fault",
    ];
    const UNITS: &'static [&'static str] = &[
        "us", "tick", "mm", "mm", "N", "deg", "bool", "um", "um", "fraction", "mA", "Hz", "mV",
        "level", "name", "name",
    ];

    fn rounded(&self) -> Self {
        use resolution as r;
        TelemetryRow {
            pen_x_mm: round_to(self.pen_x_mm, r::MM),
            pen_y_mm: round_to(self.pen_y_mm, r::MM),
            hand_force_n: round_to(self.hand_force_n, r::HAND_FORCE_N),
            tilt_deg: round_to(self.tilt_deg, r::DEG),
            needle_z_um: round_to(self.needle_z_um, r::UM),
            exposure_um: round_to(self.exposure_um, r::UM),
            motor_duty: round_to(self.motor_duty, r::DUTY),
            motor_current_ma: round_to(self.motor_current_ma, r::MA),
            stroke_hz: round_to(self.stroke_hz, r::HZ),
            battery_mv: round_to(self.battery_mv, r::MV),
            ..*self
        }
    }
}

impl crate::codec::Codec for TelemetryRow {
    fn encode<W: Write>(&self, e: &mut Enc<'_, W>) -> csv::Result<()> {
        use resolution as r;
        e.uint(self.t_us)?;
        e.uint(self.tick)?;
        e.float(self.pen_x_mm, r::MM)?;
        e.float(self.pen_y_mm, r::MM)?;
        e.float(self.hand_force_n, r::HAND_FORCE_N)?;
        e.float(self.tilt_deg, r::DEG)?;
        e.boolean(self.skin_contact)?;
        e.float(self.needle_z_um, r::UM)?;
        e.float(self.exposure_um, r::UM)?;
        e.float(self.motor_duty, r::DUTY)?;
        e.float(self.motor_current_ma, r::MA)?;
        e.float(self.stroke_hz, r::HZ)?;
        e.float(self.battery_mv, r::MV)?;
        e.uint(self.speed_level)?;
        e.text(self.state.name())?;
        e.text(self.fault.name())
    }

    fn decode(d: &Dec<'_>) -> Result<Self, FieldErr> {
        Ok(TelemetryRow {
            t_us: d.uint(0)?,
            tick: d.uint(1)?,
            pen_x_mm: d.float(2)?,
            pen_y_mm: d.float(3)?,
            hand_force_n: d.float(4)?,
            tilt_deg: d.float(5)?,
            skin_contact: d.boolean(6)?,
            needle_z_um: d.float(7)?,
            exposure_um: d.float(8)?,
            motor_duty: d.float(9)?,
            motor_current_ma: d.float(10)?,
            stroke_hz: d.float(11)?,
            battery_mv: d.float(12)?,
            speed_level: d.uint(13)?,
            state: d.named(14, &FIRMWARE_STATES, FirmwareState::name, "state")?,
            fault: d.named(15, &FaultCode::ALL, FaultCode::name, "fault")?,
        })
    }

    #[inline]
    fn decode_line(line: &[u8], skip: u32) -> Option<Self> {
        let mut l = Line::new(line, skip, Self::COLUMNS.len());
        // fields are evaluated in the order written: the column order
        let row = TelemetryRow {
            t_us: l.uint()?,
            tick: l.uint()?,
            pen_x_mm: l.float()?,
            pen_y_mm: l.float()?,
            hand_force_n: l.float()?,
            tilt_deg: l.float()?,
            skin_contact: l.boolean()?,
            needle_z_um: l.float()?,
            exposure_um: l.float()?,
            motor_duty: l.float()?,
            motor_current_ma: l.float()?,
            stroke_hz: l.float()?,
            battery_mv: l.float()?,
            speed_level: l.uint()?,
            state: l.named(&FIRMWARE_STATES, FirmwareState::name)?,
            fault: l.named(&FaultCode::ALL, FaultCode::name)?,
        };
        l.at_end().then_some(row)
    }
}

impl Row for PunctureRow {
    const FILE: &'static str = "punctures.csv";
    const COLUMNS: &'static [&'static str] = &[
        "t_us",
        "stroke",
        "needle",
        "x_mm",
        "y_mm",
        "depth_um",
        "layer",
        "peak_force_n",
        "tenting_um",
        "bleeding",
    ];
    const UNITS: &'static [&'static str] = &[
        "us", "count", "index", "mm", "mm", "um", "name", "N", "um", "bool",
    ];

    fn rounded(&self) -> Self {
        use resolution as r;
        PunctureRow {
            x_mm: round_to(self.x_mm, r::MM),
            y_mm: round_to(self.y_mm, r::MM),
            depth_um: round_to(self.depth_um, r::UM),
            peak_force_n: round_to(self.peak_force_n, r::NEEDLE_FORCE_N),
            tenting_um: round_to(self.tenting_um, r::UM),
            ..*self
        }
    }
}

impl crate::codec::Codec for PunctureRow {
    fn encode<W: Write>(&self, e: &mut Enc<'_, W>) -> csv::Result<()> {
        use resolution as r;
        e.uint(self.t_us)?;
        e.uint(self.stroke)?;
        e.uint(self.needle)?;
        e.float(self.x_mm, r::MM)?;
        e.float(self.y_mm, r::MM)?;
        e.float(self.depth_um, r::UM)?;
        e.text(self.layer.name())?;
        e.float(self.peak_force_n, r::NEEDLE_FORCE_N)?;
        e.float(self.tenting_um, r::UM)?;
        e.boolean(self.bleeding)
    }

    fn decode(d: &Dec<'_>) -> Result<Self, FieldErr> {
        Ok(PunctureRow {
            t_us: d.uint(0)?,
            stroke: d.uint(1)?,
            needle: d.uint(2)?,
            x_mm: d.float(3)?,
            y_mm: d.float(4)?,
            depth_um: d.float(5)?,
            layer: d.named(6, &Layer::ALL, Layer::name, "layer")?,
            peak_force_n: d.float(7)?,
            tenting_um: d.float(8)?,
            bleeding: d.boolean(9)?,
        })
    }

    #[inline]
    fn decode_line(line: &[u8], skip: u32) -> Option<Self> {
        let mut l = Line::new(line, skip, Self::COLUMNS.len());
        // fields are evaluated in the order written: the column order
        let row = PunctureRow {
            t_us: l.uint()?,
            stroke: l.uint()?,
            needle: l.uint()?,
            x_mm: l.float()?,
            y_mm: l.float()?,
            depth_um: l.float()?,
            layer: l.named(&Layer::ALL, Layer::name)?,
            peak_force_n: l.float()?,
            tenting_um: l.float()?,
            bleeding: l.boolean()?,
        };
        l.at_end().then_some(row)
    }
}

impl Row for EventRow {
    const FILE: &'static str = "events.csv";
    const COLUMNS: &'static [&'static str] = &["t_us", "tick", "source", "kind", "code", "detail"];
    const UNITS: &'static [&'static str] = &["us", "tick", "name", "name", "text", "text"];

    fn rounded(&self) -> Self {
        self.clone()
    }
}

impl crate::codec::Codec for EventRow {
    fn encode<W: Write>(&self, e: &mut Enc<'_, W>) -> csv::Result<()> {
        e.uint(self.t_us)?;
        e.uint(self.tick)?;
        e.text(self.source.name())?;
        e.text(&self.kind)?;
        e.text(&self.code)?;
        e.text(&self.detail)
    }

    fn decode(d: &Dec<'_>) -> Result<Self, FieldErr> {
        Ok(EventRow {
            t_us: d.uint(0)?,
            tick: d.uint(1)?,
            source: d.named(2, &EventSource::ALL, EventSource::name, "event source")?,
            kind: d.text(3)?.to_owned(),
            code: d.text(4)?.to_owned(),
            detail: d.text(5)?.to_owned(),
        })
    }
}
