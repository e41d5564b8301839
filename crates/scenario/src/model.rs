//! The checked scenario: plain data with units in every name, and the helpers the runner needs.

pub use crate::device::Device;
use crate::expect::Expect;
pub use crate::plan::{Plan, PlanZone};
use needlebench_physics::{Cartridge, Site};
use needlebench_protocol::ClockMode;
use serde::Deserialize;
use std::path::PathBuf;

/// A parsed and validated scenario file.
#[derive(Debug, Clone, PartialEq)]
pub struct Scenario {
    /// Identifier, `[a-z0-9.-]+` not starting with `-` or `.` (the library names each file
    /// after it: `forehead-fine-lines-0.5mm`).
    pub name: String,
    /// Free text: what the scenario teaches or guards.
    pub description: String,
    /// Free tags (`negative` marks scenarios that are expected to be flagged).
    pub tags: Vec<String>,
    /// Seed of every random process of the run (tremor, thickness variation, noise).
    pub seed: u64,
    /// Cap on the simulated time, s; `None` = the motion pattern's own length.
    pub duration_s: Option<f64>,
    /// The skin treated. For a plan: the first plan zone's site (each zone carries its own,
    /// in [`Plan::face_map`]) with `[skin]`'s thickness variation.
    pub skin: Skin,
    /// What treats the skin: a pen and its settings (the default), a roller or a stamp.
    pub device: Device,
    /// Which firmware the bench talks to, and how.
    pub firmware: Firmware,
    /// The hand: area, motion pattern, force, tilt, tremor. For a plan it carries `[hand]`'s
    /// tremor and tilt; its area is the face outline and its pattern, glide, passes, line
    /// spacing, angles, stamping and force are the first plan zone's (the runner builds the
    /// motion from [`Scenario::plan`]).
    pub hand: Hand,
    /// A whole-face treatment plan (`[plan]`), zone by zone; `None` for a one-area scenario.
    pub plan: Option<Plan>,
    /// Timed fault injections, in file order.
    pub inject: Vec<Injection>,
    /// What the checker holds the run to (defaults filled in).
    pub expect: Expect,
    /// The file the scenario came from and a hash of its bytes.
    pub source: Source,
    /// The matrix variant this scenario is (`None` for a file without `[matrix]`): its
    /// name (also in `name`), seed (also in `seed`) and the values the matrix set.
    pub variant: Option<crate::variant::Variant>,
}

impl Scenario {
    /// The pen, when the device is one.
    pub fn pen(&self) -> Option<&Pen> {
        match &self.device {
            Device::Pen(p) => Some(p),
            _ => None,
        }
    }
}

/// Where a scenario came from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Source {
    /// The path given to the parser (as given, not canonicalised).
    pub path: PathBuf,
    /// The file's exact text (recordings store an exact copy, and its SHA-256).
    pub text: String,
    /// Every other file the scenario reads, in the order read: the path as written in the
    /// scenario and where it was found: `hand.waypoints_csv`, a custom `plan.face_map` and
    /// the plan zones' `waypoints_csv`, and `expect.golden` (a recording directory).
    pub files: Vec<(String, PathBuf)>,
}

/// The skin: a resolved five-layer site and its spatial variation.
#[derive(Debug, Clone, PartialEq)]
pub struct Skin {
    /// The site (a built-in one, or the custom stack, validated by the physics crate).
    pub site: Site,
    /// Whether `site` is a built-in site (`skin.site`) rather than `[skin.custom]`.
    pub builtin: bool,
    /// Relative standard deviation of local layer thickness, 0–0.5 (0 = uniform).
    pub thickness_variation: f64,
    /// Correlation length of that variation, mm.
    pub variation_length_mm: f64,
}

/// The pen and its settings.
#[derive(Debug, Clone, PartialEq)]
pub struct Pen {
    /// The cartridge (needle geometry and layout; `cartridge.name()` is the name in the file).
    pub cartridge: Cartridge,
    /// Exposure setting, mm (0–3.0, a multiple of 0.05).
    pub exposure_mm: f64,
    /// Speed as written: a firmware level or a stroke frequency.
    pub speed: Speed,
    /// Battery state of charge at the start, 0–1.
    pub battery_soc: f64,
    /// Cartridge identifier sent to the firmware (single-use lockout is per id).
    pub cartridge_id: u32,
}

impl Pen {
    /// Exposure in µm (rounded to the nearest µm).
    pub fn exposure_um(&self) -> f64 {
        (self.exposure_mm * 1000.0).round()
    }
}

/// How the stroke speed is given.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Speed {
    /// A firmware speed level, 1–6.
    Level(u8),
    /// A stroke frequency, Hz, stored as given; the runner picks the nearest level.
    StrokeHz(f64),
}

impl Speed {
    /// The firmware level (1-based) to select, given the firmware's level frequencies in
    /// ascending order: a [`Speed::Level`] as written (clamped to the levels there are), a
    /// [`Speed::StrokeHz`] the level nearest to it (the lower one on a tie). 1 if
    /// `levels_hz` is empty.
    pub fn level_for(&self, levels_hz: &[f64]) -> u8 {
        let top = u8::try_from(levels_hz.len()).unwrap_or(u8::MAX).max(1);
        match *self {
            Speed::Level(level) => level.clamp(1, top),
            Speed::StrokeHz(hz) => {
                let mut best = (0, f64::INFINITY);
                for (i, level_hz) in levels_hz.iter().enumerate() {
                    let d = (level_hz - hz).abs();
                    if d < best.1 {
                        best = (i, d);
                    }
                }
                u8::try_from(best.0 + 1).unwrap_or(top)
            }
        }
    }
}

/// Which firmware the bench talks to, and how.
#[derive(Debug, Clone, PartialEq)]
pub struct Firmware {
    /// The link to the pen.
    pub link: FirmwareLink,
    /// How simulated time relates to wall time: `lockstep` (default: tick by tick, as fast
    /// as bench and pen can) or `realtime` (one tick per millisecond of wall time).
    pub clock: ClockMode,
    /// Override of the emulated firmware's single-use limit, s (emulated kinds only).
    pub cartridge_limit_s: Option<f64>,
}

/// The link to the pen's firmware.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum FirmwareLink {
    /// The reference firmware in-process (default).
    Emulated,
    /// The reference firmware in a child process on a pseudo-terminal.
    EmulatorPty,
    /// A real pen on a serial port.
    Serial {
        /// Device path, e.g. `/dev/ttyACM0`.
        port: String,
        /// Baud rate (default 115200).
        baud: u32,
    },
}

/// A sensor a fault can be injected into.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Sensor {
    /// The hall sensor's stroke period, µs.
    Hall,
    /// The motor current, mA.
    Current,
    /// The battery voltage, mV.
    Battery,
}

impl Sensor {
    /// The unit of the sensor's readings (and of a noise amplitude): `us`, `ma` or `mv`.
    pub fn unit(self) -> &'static str {
        match self {
            Sensor::Hall => "us",
            Sensor::Current => "ma",
            Sensor::Battery => "mv",
        }
    }

    /// The name used in files.
    pub fn name(self) -> &'static str {
        match self {
            Sensor::Hall => "hall",
            Sensor::Current => "current",
            Sensor::Battery => "battery",
        }
    }
}

/// The hand: where, how and how hard the pen is moved.
#[derive(Debug, Clone, PartialEq)]
pub struct Hand {
    /// The treated area on the skin surface.
    pub area: Area,
    /// The motion pattern.
    pub pattern: Pattern,
    /// Glide speed, mm/s.
    pub glide_mm_s: f64,
    /// How many times the whole pattern is repeated (≥ 1).
    pub passes: u32,
    /// Distance between adjacent lines of a pass (straight, crosshatch) or spiral pitch, mm.
    pub line_spacing_mm: f64,
    /// Pass directions, degrees (straight uses the first; crosshatch all, ≥ 2).
    pub angles_deg: Vec<f64>,
    /// Stamping grid pitch, mm.
    pub stamp_pitch_mm: f64,
    /// Time on the skin per stamp, ms.
    pub stamp_dwell_ms: f64,
    /// Pressing force.
    pub force: Force,
    /// Tilt from the skin normal, degrees (0–45).
    pub tilt_deg: f64,
    /// Hand tremor amplitude, RMS mm (0 = none).
    pub tremor_mm: f64,
    /// Hand tremor frequency, Hz.
    pub tremor_hz: f64,
}

impl Hand {
    /// The pressing force at simulated time `t_s`, N.
    pub fn force_at_s(&self, t_s: f64) -> f64 {
        self.force.at_s(t_s)
    }
}

/// The motion pattern.
#[derive(Debug, Clone, PartialEq)]
pub enum Pattern {
    /// Parallel passes along `angles_deg[0]`.
    Straight,
    /// Parallel passes along each of `angles_deg` in turn.
    Crosshatch,
    /// An inward spiral with pitch `line_spacing_mm`.
    Spiral,
    /// Stamping on a square grid of `stamp_pitch_mm`, `stamp_dwell_ms` per stamp.
    Stamping,
    /// Waypoints from a CSV file, linear in between.
    Freehand {
        /// The CSV file (resolved against the scenario file's directory).
        waypoints_csv: PathBuf,
        /// Its rows, `t_s` strictly increasing.
        waypoints: Vec<Waypoint>,
    },
}

impl Pattern {
    /// The name used in files.
    pub fn name(&self) -> &'static str {
        match self {
            Pattern::Straight => "straight",
            Pattern::Crosshatch => "crosshatch",
            Pattern::Spiral => "spiral",
            Pattern::Stamping => "stamping",
            Pattern::Freehand { .. } => "freehand",
        }
    }
}

/// One row of a path file: where the pen centre is at time `t_s`, and optionally how hard
/// it presses and how far it is tilted there.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Waypoint {
    /// Time, s.
    pub t_s: f64,
    /// Position on the skin, mm.
    pub x_mm: f64,
    /// Position on the skin, mm.
    pub y_mm: f64,
    /// Pressing force, N (0 = pen lifted); `None` when the file has no `force_n` column
    /// (the scenario's force applies).
    pub force_n: Option<f64>,
    /// Tilt from the skin normal, degrees; `None` when the file has no `tilt_deg` column.
    pub tilt_deg: Option<f64>,
}

/// The pressing force over time.
#[derive(Debug, Clone, PartialEq)]
pub enum Force {
    /// The same force throughout, N.
    Constant(f64),
    /// `(t_s, force_n)` points, `t_s` strictly increasing, linear in between and held
    /// constant before the first and after the last point.
    Profile(Vec<(f64, f64)>),
}

impl Force {
    /// The force at time `t_s`, N.
    pub fn at_s(&self, t_s: f64) -> f64 {
        match self {
            Force::Constant(f) => *f,
            Force::Profile(points) => {
                let Some(&(t0, f0)) = points.first() else {
                    return 0.0;
                };
                if t_s <= t0 {
                    return f0;
                }
                for w in points.windows(2) {
                    let ((ta, fa), (tb, fb)) = (w[0], w[1]);
                    if t_s <= tb {
                        return fa + (fb - fa) * (t_s - ta) / (tb - ta);
                    }
                }
                points.last().map_or(f0, |p| p.1)
            }
        }
    }

    /// The largest force at any time, N.
    pub fn max_n(&self) -> f64 {
        match self {
            Force::Constant(f) => *f,
            Force::Profile(points) => points.iter().map(|p| p.1).fold(0.0, f64::max),
        }
    }
}

/// An axis-aligned box, mm.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct BoundingBox {
    /// Smallest x, mm.
    pub min_x_mm: f64,
    /// Smallest y, mm.
    pub min_y_mm: f64,
    /// Largest x, mm.
    pub max_x_mm: f64,
    /// Largest y, mm.
    pub max_y_mm: f64,
}

impl BoundingBox {
    /// Width (x extent), mm.
    pub fn width_mm(&self) -> f64 {
        self.max_x_mm - self.min_x_mm
    }

    /// Height (y extent), mm.
    pub fn height_mm(&self) -> f64 {
        self.max_y_mm - self.min_y_mm
    }
}

/// The treated area on the skin surface (mm, x right, y up).
#[derive(Debug, Clone, PartialEq)]
pub enum Area {
    /// A rectangle with its lower-left corner at (`x_mm`, `y_mm`).
    Rect {
        /// Lower-left corner, mm.
        x_mm: f64,
        /// Lower-left corner, mm.
        y_mm: f64,
        /// Extent along x, mm (> 0).
        width_mm: f64,
        /// Extent along y, mm (> 0).
        height_mm: f64,
    },
    /// A simple polygon, ≥ 3 vertices, either orientation, implicitly closed.
    Polygon(Vec<[f64; 2]>),
}

impl Area {
    /// The vertices (a rectangle counter-clockwise from its lower-left corner).
    pub fn polygon(&self) -> Vec<[f64; 2]> {
        match self {
            Area::Rect {
                x_mm,
                y_mm,
                width_mm,
                height_mm,
            } => vec![
                [*x_mm, *y_mm],
                [x_mm + width_mm, *y_mm],
                [x_mm + width_mm, y_mm + height_mm],
                [*x_mm, y_mm + height_mm],
            ],
            Area::Polygon(points) => points.clone(),
        }
    }

    /// The smallest axis-aligned box holding the area.
    pub fn bounding_box(&self) -> BoundingBox {
        let mut b = BoundingBox {
            min_x_mm: f64::INFINITY,
            min_y_mm: f64::INFINITY,
            max_x_mm: f64::NEG_INFINITY,
            max_y_mm: f64::NEG_INFINITY,
        };
        for [x, y] in self.polygon() {
            b.min_x_mm = b.min_x_mm.min(x);
            b.min_y_mm = b.min_y_mm.min(y);
            b.max_x_mm = b.max_x_mm.max(x);
            b.max_y_mm = b.max_y_mm.max(y);
        }
        b
    }

    /// Whether the point (mm) lies inside (boundary points of a rectangle count as inside;
    /// polygons use the even–odd rule).
    pub fn contains(&self, x_mm: f64, y_mm: f64) -> bool {
        match self {
            Area::Rect {
                x_mm: x0,
                y_mm: y0,
                width_mm,
                height_mm,
            } => x_mm >= *x0 && x_mm <= x0 + width_mm && y_mm >= *y0 && y_mm <= y0 + height_mm,
            Area::Polygon(p) => needlebench_face::geometry::contains(p, [x_mm, y_mm]),
        }
    }

    /// Area, mm² (shoelace formula; always ≥ 0).
    pub fn area_mm2(&self) -> f64 {
        polygon_area_mm2(&self.polygon())
    }

    /// Area, cm².
    pub fn area_cm2(&self) -> f64 {
        self.area_mm2() / 100.0
    }
}

/// Unsigned shoelace area of a polygon, mm².
pub(crate) fn polygon_area_mm2(p: &[[f64; 2]]) -> f64 {
    needlebench_face::geometry::area_mm2(p)
}

/// One timed fault injection.
#[derive(Debug, Clone, PartialEq)]
pub struct Injection {
    /// When it starts, s of simulated time.
    pub at_s: f64,
    /// What happens.
    pub fault: InjectedFault,
}

/// What an injection does.
#[derive(Debug, Clone, PartialEq)]
pub enum InjectedFault {
    /// The hand presses much harder for a while (a stall if hard enough).
    ForceSpike {
        /// Pressing force during the spike, N.
        force_n: f64,
        /// How long, s.
        duration_s: f64,
    },
    /// The cartridge's needles bind: the cam cannot turn.
    CartridgeJam {
        /// How long, s.
        duration_s: f64,
    },
    /// A sensor keeps reporting its last value.
    SensorStuck {
        /// Which sensor.
        sensor: Sensor,
        /// How long, s.
        duration_s: f64,
    },
    /// Seeded noise on a sensor's readings.
    SensorNoise {
        /// Which sensor.
        sensor: Sensor,
        /// Noise amplitude in the sensor's unit ([`Sensor::unit`]: µs, mA or mV).
        amplitude: f64,
        /// How long, s.
        duration_s: f64,
    },
    /// No frames pass either way.
    LinkDrop {
        /// How long, s.
        duration_s: f64,
    },
    /// Random (seeded) bytes are written into the line once.
    LinkGarbage {
        /// How many bytes.
        bytes: u32,
    },
    /// The battery voltage drops.
    BatterySag {
        /// Drop, mV.
        drop_mv: f64,
        /// How long, s.
        duration_s: f64,
    },
    /// The cartridge is pulled out.
    CartridgeRemoved {
        /// How long until it is seated again, s.
        duration_s: f64,
    },
}

/// The `kind`s of `[[inject]]`, in the order the schema lists them.
pub const INJECTION_KINDS: [&str; 8] = [
    "force_spike",
    "cartridge_jam",
    "sensor_stuck",
    "sensor_noise",
    "link_drop",
    "link_garbage",
    "battery_sag",
    "cartridge_removed",
];

impl InjectedFault {
    /// The `kind` used in files.
    pub fn kind(&self) -> &'static str {
        match self {
            InjectedFault::ForceSpike { .. } => "force_spike",
            InjectedFault::CartridgeJam { .. } => "cartridge_jam",
            InjectedFault::SensorStuck { .. } => "sensor_stuck",
            InjectedFault::SensorNoise { .. } => "sensor_noise",
            InjectedFault::LinkDrop { .. } => "link_drop",
            InjectedFault::LinkGarbage { .. } => "link_garbage",
            InjectedFault::BatterySag { .. } => "battery_sag",
            InjectedFault::CartridgeRemoved { .. } => "cartridge_removed",
        }
    }

    /// The sensor it acts on (`sensor_stuck`, `sensor_noise`), if any.
    pub fn sensor(&self) -> Option<Sensor> {
        match self {
            InjectedFault::SensorStuck { sensor, .. }
            | InjectedFault::SensorNoise { sensor, .. } => Some(*sensor),
            _ => None,
        }
    }

    /// How long the fault lasts, s (0 for the one-off `link_garbage`).
    pub fn duration_s(&self) -> f64 {
        match self {
            InjectedFault::ForceSpike { duration_s, .. }
            | InjectedFault::CartridgeJam { duration_s }
            | InjectedFault::SensorStuck { duration_s, .. }
            | InjectedFault::SensorNoise { duration_s, .. }
            | InjectedFault::LinkDrop { duration_s }
            | InjectedFault::BatterySag { duration_s, .. }
            | InjectedFault::CartridgeRemoved { duration_s } => *duration_s,
            InjectedFault::LinkGarbage { .. } => 0.0,
        }
    }
}
