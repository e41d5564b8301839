//! Injections in words for people (`events.csv`'s `detail`, reports): never `Debug` output.

use crate::model::{InjectedFault, Sensor};

impl Sensor {
    /// The unit of the sensor's readings for people: `µs`, `mA` or `mV`.
    pub fn unit_words(self) -> &'static str {
        match self {
            Sensor::Hall => "µs",
            Sensor::Current => "mA",
            Sensor::Battery => "mV",
        }
    }
}

impl std::fmt::Display for InjectedFault {
    /// The injection for people, e.g. `battery sag: −800 mV for 0.4 s` (recordings' `detail`).
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            InjectedFault::ForceSpike {
                force_n,
                duration_s,
            } => write!(f, "force spike: {force_n} N for {duration_s} s"),
            InjectedFault::CartridgeJam { duration_s } => {
                write!(f, "cartridge jam for {duration_s} s")
            }
            InjectedFault::SensorStuck { sensor, duration_s } => {
                write!(f, "sensor stuck: {} for {duration_s} s", sensor.name())
            }
            InjectedFault::SensorNoise {
                sensor,
                amplitude,
                duration_s,
            } => write!(
                f,
                "sensor noise: ±{amplitude} {} on {} for {duration_s} s",
                sensor.unit_words(),
                sensor.name()
            ),
            InjectedFault::LinkDrop { duration_s } => write!(f, "link drop for {duration_s} s"),
            InjectedFault::LinkGarbage { bytes } => {
                write!(f, "link garbage: {bytes} random bytes on the line")
            }
            InjectedFault::BatterySag {
                drop_mv,
                duration_s,
            } => write!(f, "battery sag: −{drop_mv} mV for {duration_s} s"),
            InjectedFault::CartridgeRemoved { duration_s } => {
                write!(f, "cartridge removed for {duration_s} s")
            }
        }
    }
}
