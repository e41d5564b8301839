//! A run's setup, resolved: the skin, pen, hand and faults as the simulation uses them.
//! [`crate::RunSetup::from_scenario`] builds it from a scenario file.

use crate::hand::MotionSpec;
use needlebench_physics::{Cartridge, Site};

/// Which sensor an injection acts on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Sensor {
    /// Hall period.
    Hall,
    /// Motor current.
    Current,
    /// Battery voltage.
    Battery,
}

/// A timed fault.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum InjectionKind {
    /// The hand presses with `force_n` (e.g. a stall by excessive pressure).
    ForceSpike {
        /// Pressing force during the spike, N.
        force_n: f64,
    },
    /// The needle carriage binds: a load torque the motor must overcome.
    CartridgeJam,
    /// A sensor reading freezes at its value when the injection starts.
    SensorStuck {
        /// The sensor.
        sensor: Sensor,
    },
    /// Seeded uniform noise of ±`amplitude` (the sensor's unit: µs, mA, mV) on a sensor.
    SensorNoise {
        /// The sensor.
        sensor: Sensor,
        /// Amplitude in the sensor's unit.
        amplitude: f64,
    },
    /// The bench withholds sensor frames (the pen sees a silent link).
    LinkDrop,
    /// `bytes` of seeded garbage are written on the line once.
    LinkGarbage {
        /// How many bytes.
        bytes: u32,
    },
    /// The battery reading drops by `drop_mv` (a sagging cell or a loose contact).
    BatterySag {
        /// Drop, mV.
        drop_mv: f64,
    },
    /// The cartridge is pulled out: the sensor reads absent and no needle touches the skin.
    CartridgeRemoved,
}

/// A fault injected at `at_s` for `duration_s`.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Injection {
    /// Start, s of simulated time.
    pub at_s: f64,
    /// Duration, s (0 for one-shot faults such as garbage).
    pub duration_s: f64,
    /// What happens.
    pub kind: InjectionKind,
}

impl Injection {
    /// Whether the injection is active at `t_s`.
    pub fn active(&self, t_s: f64) -> bool {
        t_s >= self.at_s && t_s < self.at_s + self.duration_s
    }

    /// The name used in `events.csv`.
    pub fn name(&self) -> &'static str {
        match self.kind {
            InjectionKind::ForceSpike { .. } => "force_spike",
            InjectionKind::CartridgeJam => "cartridge_jam",
            InjectionKind::SensorStuck { .. } => "sensor_stuck",
            InjectionKind::SensorNoise { .. } => "sensor_noise",
            InjectionKind::LinkDrop => "link_drop",
            InjectionKind::LinkGarbage { .. } => "link_garbage",
            InjectionKind::BatterySag { .. } => "battery_sag",
            InjectionKind::CartridgeRemoved => "cartridge_removed",
        }
    }
}

/// Pressing force over time.
#[derive(Debug, Clone, PartialEq)]
pub enum ForceProfile {
    /// The same force throughout, N.
    Constant(f64),
    /// `(t_s, force_n)` points, linear in between, held at the ends.
    Points(Vec<(f64, f64)>),
}

impl ForceProfile {
    /// Force at `t_s`, N (time since the hand started).
    pub fn at(&self, t_s: f64) -> f64 {
        match self {
            ForceProfile::Constant(f) => *f,
            ForceProfile::Points(pts) => {
                let Some(first) = pts.first() else { return 0.0 };
                if t_s <= first.0 {
                    return first.1;
                }
                for w in pts.windows(2) {
                    let ((t0, f0), (t1, f1)) = (w[0], w[1]);
                    if t_s <= t1 {
                        return f0 + (f1 - f0) * (t_s - t0) / (t1 - t0).max(f64::MIN_POSITIVE);
                    }
                }
                pts.last().map_or(0.0, |p| p.1)
            }
        }
    }
}

/// Everything a run needs, resolved.
#[derive(Debug, Clone)]
pub struct RunSetup {
    /// Scenario name.
    pub name: String,
    /// Scenario file, as given.
    pub scenario_path: String,
    /// Hash of the scenario file's bytes.
    pub scenario_hash: String,
    /// The seed of every random draw.
    pub seed: u64,
    /// The skin.
    pub site: Site,
    /// Relative standard deviation of local thickness.
    pub thickness_variation: f64,
    /// Correlation length of that variation, mm.
    pub variation_length_mm: f64,
    /// The cartridge.
    pub cartridge: Cartridge,
    /// Cartridge identity reported by the cartridge sensor.
    pub cartridge_id: u32,
    /// Needle exposure, µm.
    pub exposure_um: f64,
    /// Speed level the operator selects, 1–6.
    pub speed_level: u8,
    /// Battery state of charge at the start, 0–1.
    pub battery_soc: f64,
    /// The hand's path.
    pub motion: MotionSpec,
    /// Pressing force over time.
    pub force: ForceProfile,
    /// Tilt, degrees.
    pub tilt_deg: f64,
    /// Tremor amplitude (RMS), mm.
    pub tremor_mm: f64,
    /// Tremor frequency, Hz.
    pub tremor_hz: f64,
    /// Timed faults.
    pub injections: Vec<Injection>,
    /// Cap on the simulated time, s.
    pub duration_s: Option<f64>,
    /// Stroke frequency the selected level should give, Hz (for the recording's setup).
    pub target_stroke_hz: f64,
}
