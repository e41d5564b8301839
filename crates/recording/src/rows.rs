//! The three row types ([`TelemetryRow`], [`PunctureRow`], [`EventRow`]), each declared once
//! with `row_type!` (`src/row_macro.rs`): field, type, codec (and write resolution), unit. The
//! struct, its columns, units, column kinds, rounding, writing and reading all come from that
//! one list.
//!
//! The column order of each file is the field order of its struct (and of `COLUMNS`).

pub use crate::names::{EventKind, EventSource, FIRMWARE_STATES, fault_from_name, state_from_name};
pub use crate::zone::ZoneRef;
use needlebench_physics::Layer;
use needlebench_protocol::{FaultCode, FirmwareState, LogLevel};
use serde::{Deserialize, Serialize};

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

/// How a column is written and compared (`needlebench diff` uses it).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ColumnKind {
    /// An unsigned integer (`t_us`, `tick`, `stroke`, …).
    Integer,
    /// A float rounded to its column's resolution (see [`resolution`]).
    Float,
    /// `true` or `false`.
    Boolean,
    /// One of an enum's snake_case names (`state`, `layer`, `kind`, …).
    Name,
    /// Free text (`code`, `detail`).
    Text,
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
    /// How each column is written and compared (same order as [`Row::COLUMNS`]).
    const KINDS: &'static [ColumnKind];
    /// The row as it reads back after writing: every float rounded to its column's resolution
    /// (see [`resolution`]).
    fn rounded(&self) -> Self;
}

/// The columns and their kinds of the row type written to `file` (`telemetry.csv`,
/// `punctures.csv`, `events.csv`), or `None` for another file.
pub fn columns_of(file: &str) -> Option<(&'static [&'static str], &'static [ColumnKind])> {
    fn of<R: Row>() -> (&'static [&'static str], &'static [ColumnKind]) {
        (R::COLUMNS, R::KINDS)
    }
    match file {
        TelemetryRow::FILE => Some(of::<TelemetryRow>()),
        PunctureRow::FILE => Some(of::<PunctureRow>()),
        EventRow::FILE => Some(of::<EventRow>()),
        _ => None,
    }
}

use resolution as r;

/// Columns added after format 2 was released, per file: a recording written before they existed
/// lacks them, and its rows read back with the column `NaN` ("not recorded") instead of failing
/// with a missing column. Every other column is required.
///
/// `punctures.csv`'s `zone` (format 4) is written only by recordings with a face map; a file
/// without it reads [`ZoneRef::NOT_RECORDED`].
pub const OPTIONAL_COLUMNS: &[(&str, &str)] = &[
    ("telemetry.csv", "needle_peak_um"),
    ("punctures.csv", "zone"),
];

row_type! {
    /// One firmware tick: what the hand, the pen and the firmware did.
    #[derive(Debug, Clone, Copy, PartialEq, Default, Serialize, Deserialize)]
    pub struct TelemetryRow in "telemetry.csv", fast {
        /// Time since the start of the run, µs (simulated time; a real pen's own clock).
        t_us: u64 => uint, "us";
        /// Firmware tick number, the first tick is 0.
        tick: u32 => uint, "tick";
        /// Pen position on the skin, x, mm, in the frame of `setup.area`.
        pen_x_mm: f32 => float(r::MM), "mm";
        /// Pen position on the skin, y, mm.
        pen_y_mm: f32 => float(r::MM), "mm";
        /// Force the hand presses the pen onto the skin with, N.
        hand_force_n: f32 => float(r::HAND_FORCE_N), "N";
        /// Pen tilt from the skin normal, degrees.
        tilt_deg: f32 => float(r::DEG), "deg";
        /// The pen's guard touches the skin.
        skin_contact: bool => boolean, "bool";
        /// Needle tip position beyond the guard face, µm (0 = flush, positive = out toward the
        /// skin).
        needle_z_um: f32 => float(r::UM), "um";
        /// Furthest the needle tip went past the guard face during this tick, µm: the stroke's
        /// apex in the tick where the cam passes full extension. The per-stroke mechanical
        /// excursion is the largest value between two strokes. `NaN` = not recorded (a
        /// recording written before this column existed: see [`OPTIONAL_COLUMNS`]).
        needle_peak_um: f32 => float(r::UM), "um";
        /// Needle exposure set on the pen (depth dial or actuator), µm.
        exposure_um: f32 => float(r::UM), "um";
        /// Motor PWM duty as a fraction, 0–1.
        motor_duty: f32 => float(r::DUTY), "fraction";
        /// Motor current, mA.
        motor_current_ma: f32 => float(r::MA), "mA";
        /// Needle stroke frequency, Hz (one stroke per motor revolution).
        stroke_hz: f32 => float(r::HZ), "Hz";
        /// Battery terminal voltage, mV.
        battery_mv: f32 => float(r::MV), "mV";
        /// Selected speed level, 1–6 (0 when off).
        speed_level: u8 => uint, "level";
        /// Firmware state after this tick (`off`, `idle`, `running`, `fault`).
        state: FirmwareState => named(FirmwareState::ALL, FirmwareState::name, "state"), "name";
        /// Latched fault (`none` if none).
        fault: FaultCode => named(FaultCode::ALL, FaultCode::name, "fault"), "name";
    }
}

row_type! {
    /// One needle entering the skin in one stroke.
    #[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
    pub struct PunctureRow in "punctures.csv", fast {
        /// Time of the puncture since the start of the run, µs.
        t_us: u64 => uint, "us";
        /// Stroke number of the pen since the start of the run, the first stroke is 0.
        stroke: u64 => uint, "count";
        /// Index of the needle in the cartridge, 0-based.
        needle: u16 => uint, "index";
        /// Puncture position, x, mm, in the frame of `setup.area`.
        x_mm: f32 => float(r::MM), "mm";
        /// Puncture position, y, mm.
        y_mm: f32 => float(r::MM), "mm";
        /// Deepest point the needle tip reached below the skin surface, µm.
        depth_um: f32 => float(r::UM), "um";
        /// The skin layer that depth lies in.
        layer: Layer => named(Layer::ALL, Layer::name, "layer"), "name";
        /// Peak axial force on this needle during the stroke, N.
        peak_force_n: f32 => float(r::NEEDLE_FORCE_N), "N";
        /// How far the skin surface dented before it ruptured, µm.
        tenting_um: f32 => float(r::UM), "um";
        /// The puncture reached the capillaries (papillary dermis or deeper).
        bleeding: bool => boolean, "bool";
        /// The face-map zone the puncture lies in (format 4): its id in the file, an index
        /// into [`Recording::zone_ids`](crate::Recording::zone_ids) here; empty in the file /
        /// [`ZoneRef::OUTSIDE`] outside every zone; [`ZoneRef::NOT_RECORDED`] where the
        /// recording has no face map (no `zone` column). Serde writes the index, and leaves
        /// the field out where not recorded (as the file does).
        #[serde(default, skip_serializing_if = "ZoneRef::not_recorded")]
        zone: ZoneRef => zone, "name";
    }
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
            zone: ZoneRef::NOT_RECORDED,
        }
    }
}

row_type! {
    /// Something that happened at one instant: a firmware event, an injected fault, a link
    /// event. `FORMAT.md` lists every kind with its `code`.
    #[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
    pub struct EventRow in "events.csv" {
        /// Time since the start of the run, µs.
        t_us: u64 => uint, "us";
        /// Firmware tick the event belongs to.
        tick: u32 => uint, "tick";
        /// Who produced it.
        source: EventSource => named(EventSource::ALL, EventSource::name, "event source"), "name";
        /// What happened.
        kind: EventKind => named(EventKind::ALL, EventKind::name, "event kind"), "name";
        /// Machine-readable code, built from enum names: a fault name, a state transition such
        /// as `idle->running`, a log level, a sensor, or empty (see [`EventKind`]).
        code: String => text, "text";
        /// Free text for people (may contain commas, quotes and newlines; CSV quoting applies).
        detail: String => text, "text";
    }
}

impl EventRow {
    /// An event at firmware tick `tick`, which starts at `t_us` (the tick times the pen's
    /// tick period), with an empty code and detail.
    pub fn at_tick(tick: u64, t_us: u64, source: EventSource, kind: EventKind) -> EventRow {
        EventRow {
            t_us,
            tick: tick as u32,
            source,
            kind,
            code: String::new(),
            detail: String::new(),
        }
    }

    /// Firmware `state_changed`, code `from->to`.
    pub fn state_changed(tick: u64, t_us: u64, from: FirmwareState, to: FirmwareState) -> EventRow {
        EventRow {
            code: format!("{}->{}", from.name(), to.name()),
            ..EventRow::at_tick(tick, t_us, EventSource::Firmware, EventKind::StateChanged)
        }
    }

    /// Firmware `fault_raised` or `fault_cleared` (`kind`), code the fault's name.
    pub fn fault(tick: u64, t_us: u64, kind: EventKind, fault: FaultCode) -> EventRow {
        EventRow {
            code: fault.name().to_owned(),
            ..EventRow::at_tick(tick, t_us, EventSource::Firmware, kind)
        }
    }

    /// Runner `zone_start`: a treatment plan's zone `zone_id` begins (its first pass), at
    /// exposure `exposure_mm`, step `step` (1-based) of the plan; code the zone's id, detail
    /// `exposure_mm=0.5 step=1`.
    pub fn zone_start(
        tick: u64,
        t_us: u64,
        zone_id: &str,
        exposure_mm: f64,
        step: usize,
    ) -> EventRow {
        EventRow {
            code: zone_id.to_owned(),
            detail: format!("exposure_mm={exposure_mm} step={step}"),
            ..EventRow::at_tick(tick, t_us, EventSource::Runner, EventKind::ZoneStart)
        }
    }

    /// Runner `depth_change`: the operator turned the depth dial from `from_mm` to `to_mm`;
    /// code `0.50->1.00` (mm, two decimals), detail in words.
    pub fn depth_change(
        tick: u64,
        t_us: u64,
        from_mm: f64,
        to_mm: f64,
        duration_s: f64,
    ) -> EventRow {
        EventRow {
            code: format!("{from_mm:.2}->{to_mm:.2}"),
            detail: format!(
                "operator sets the depth from {from_mm:.2} mm to {to_mm:.2} mm (pen lifted, \
                 motor running, {duration_s} s)"
            ),
            ..EventRow::at_tick(tick, t_us, EventSource::Runner, EventKind::DepthChange)
        }
    }

    /// The exposures of a `depth_change` event (`from_mm`, `to_mm`); `None` for other kinds
    /// or a code that is not `from->to` in mm.
    pub fn depth_change_mm(&self) -> Option<(f64, f64)> {
        if self.kind != EventKind::DepthChange {
            return None;
        }
        let (from, to) = self.code.split_once("->")?;
        Some((from.parse().ok()?, to.parse().ok()?))
    }

    /// Firmware `log`, code the level's name, detail the text.
    pub fn log(tick: u64, t_us: u64, level: LogLevel, text: &str) -> EventRow {
        EventRow {
            code: level.name().to_owned(),
            detail: text.to_owned(),
            ..EventRow::at_tick(tick, t_us, EventSource::Firmware, EventKind::Log)
        }
    }

    /// The fault of a `fault_raised` or `fault_cleared` event; `None` for other kinds or a
    /// code that is not a fault name.
    pub fn fault_code(&self) -> Option<FaultCode> {
        matches!(self.kind, EventKind::FaultRaised | EventKind::FaultCleared)
            .then(|| FaultCode::from_name(&self.code))
            .flatten()
    }

    /// The states of a `state_changed` event (`from`, `to`); `None` for other kinds or a code
    /// that is not `from->to`.
    pub fn transition(&self) -> Option<(FirmwareState, FirmwareState)> {
        if self.kind != EventKind::StateChanged {
            return None;
        }
        let (from, to) = self.code.split_once("->")?;
        Some((state_from_name(from)?, state_from_name(to)?))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn check_declaration<R: Row>(header: &str, units: &str) {
        assert_eq!(R::COLUMNS.join(","), header, "{}", R::FILE);
        assert_eq!(R::UNITS.join(","), units, "{}", R::FILE);
        assert_eq!(R::KINDS.len(), R::COLUMNS.len(), "{}", R::FILE);
        assert_eq!(columns_of(R::FILE), Some((R::COLUMNS, R::KINDS)));
    }

    #[test]
    fn the_declarations_give_the_documented_headers_and_units() {
        check_declaration::<TelemetryRow>(
            "t_us,tick,pen_x_mm,pen_y_mm,hand_force_n,tilt_deg,skin_contact,needle_z_um,\
             needle_peak_um,exposure_um,motor_duty,motor_current_ma,stroke_hz,battery_mv,\
             speed_level,state,fault",
            "us,tick,mm,mm,N,deg,bool,um,um,um,fraction,mA,Hz,mV,level,name,name",
        );
        check_declaration::<PunctureRow>(
            "t_us,stroke,needle,x_mm,y_mm,depth_um,layer,peak_force_n,tenting_um,bleeding,zone",
            "us,count,index,mm,mm,um,name,N,um,bool,name",
        );
        check_declaration::<EventRow>(
            "t_us,tick,source,kind,code,detail",
            "us,tick,name,name,text,text",
        );
        assert_eq!(columns_of("timing.toml"), None);
    }

    #[test]
    fn column_kinds_follow_the_codecs() {
        use ColumnKind::*;
        assert_eq!(
            PunctureRow::KINDS,
            [
                Integer, Integer, Integer, Float, Float, Float, Name, Float, Float, Boolean, Name
            ]
        );
        assert_eq!(EventRow::KINDS, [Integer, Integer, Name, Name, Text, Text]);
    }

    #[test]
    fn rounded_rounds_each_float_to_its_declared_resolution() {
        let bits = |v: f32| v.to_bits();
        let t = TelemetryRow {
            pen_x_mm: 1.000_44,
            hand_force_n: 1.000_044,
            motor_duty: 0.123_456,
            ..Default::default()
        }
        .rounded();
        assert_eq!(bits(t.pen_x_mm), bits(round_to(1.000_44, resolution::MM)));
        assert_eq!(
            bits(t.hand_force_n),
            bits(round_to(1.000_044, resolution::HAND_FORCE_N))
        );
        assert_eq!(
            bits(t.motor_duty),
            bits(round_to(0.123_456, resolution::DUTY))
        );
        let p = PunctureRow {
            peak_force_n: 0.012_345_6,
            ..Default::default()
        }
        .rounded();
        assert_eq!(
            bits(p.peak_force_n),
            bits(round_to(0.012_345_6, resolution::NEEDLE_FORCE_N))
        );
    }

    #[test]
    fn event_constructors_write_codes_from_enum_names() {
        let e = EventRow::state_changed(5, 5000, FirmwareState::Idle, FirmwareState::Running);
        assert_eq!(
            (e.t_us, e.tick, e.code.as_str()),
            (5000, 5, "idle->running")
        );
        assert_eq!(
            e.transition(),
            Some((FirmwareState::Idle, FirmwareState::Running))
        );
        let f = EventRow::fault(7, 7000, EventKind::FaultRaised, FaultCode::OverCurrent);
        assert_eq!(f.code, "over_current");
        assert_eq!(f.fault_code(), Some(FaultCode::OverCurrent));
        assert_eq!(e.fault_code(), None);
        let l = EventRow::log(1, 1000, LogLevel::Warn, "low, \"battery\"");
        assert_eq!((l.kind, l.code.as_str()), (EventKind::Log, "warn"));
    }
}
