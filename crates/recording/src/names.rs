//! The names written in `events.csv`'s `source` and `kind` columns ([`EventSource`],
//! [`EventKind`]), and lookups of the protocol's state and fault names.
//!
//! Every name is stable snake_case: exporters for real pens write them, the checker, the
//! reports and the viewer compare the enums, never the text.

use needlebench_protocol::{FaultCode, FirmwareState};
use serde::{Deserialize, Serialize};

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

/// What happened: the `kind` column of `events.csv`. `FORMAT.md` lists each with its `code`.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Default, Serialize, Deserialize,
)]
#[serde(rename_all = "snake_case")]
pub enum EventKind {
    /// Firmware: the state machine moved; code `from->to` (state names).
    #[default]
    StateChanged,
    /// Firmware: a fault latched; code the fault name.
    FaultRaised,
    /// Firmware: a latched fault was cleared; code the fault name.
    FaultCleared,
    /// Firmware: a log line; code the level (`debug`, `info`, `warn`, `error`), detail the text.
    Log,
    /// Link: the link failed and the run ended; detail the error.
    LinkFailure,
    /// Injected: the hand pressed much harder for a while.
    ForceSpike,
    /// Injected: the cartridge's needles bound.
    CartridgeJam,
    /// Injected: a sensor kept reporting its last value; code the sensor.
    SensorStuck,
    /// Injected: noise on a sensor's readings; code the sensor.
    SensorNoise,
    /// Injected: no frames passed either way for a while.
    LinkDrop,
    /// Injected: random bytes were written into the line once.
    LinkGarbage,
    /// Injected: the battery voltage dropped for a while.
    BatterySag,
    /// Injected: the cartridge was pulled out for a while.
    CartridgeRemoved,
    /// Runner: a treatment plan's zone begins (its first pass); code the zone's id, detail
    /// `exposure_mm=0.5 step=1` (format 4).
    ZoneStart,
    /// Runner: the operator changed the exposure between zones; code `0.50->1.00` (mm, two
    /// decimals) (format 4).
    DepthChange,
}

impl EventKind {
    /// Every kind, in `FORMAT.md` order.
    pub const ALL: [EventKind; 15] = [
        EventKind::StateChanged,
        EventKind::FaultRaised,
        EventKind::FaultCleared,
        EventKind::Log,
        EventKind::LinkFailure,
        EventKind::ForceSpike,
        EventKind::CartridgeJam,
        EventKind::SensorStuck,
        EventKind::SensorNoise,
        EventKind::LinkDrop,
        EventKind::LinkGarbage,
        EventKind::BatterySag,
        EventKind::CartridgeRemoved,
        EventKind::ZoneStart,
        EventKind::DepthChange,
    ];

    /// The snake_case name written to `events.csv` (and to JSON reports).
    pub fn name(self) -> &'static str {
        match self {
            EventKind::StateChanged => "state_changed",
            EventKind::FaultRaised => "fault_raised",
            EventKind::FaultCleared => "fault_cleared",
            EventKind::Log => "log",
            EventKind::LinkFailure => "link_failure",
            EventKind::ForceSpike => "force_spike",
            EventKind::CartridgeJam => "cartridge_jam",
            EventKind::SensorStuck => "sensor_stuck",
            EventKind::SensorNoise => "sensor_noise",
            EventKind::LinkDrop => "link_drop",
            EventKind::LinkGarbage => "link_garbage",
            EventKind::BatterySag => "battery_sag",
            EventKind::CartridgeRemoved => "cartridge_removed",
            EventKind::ZoneStart => "zone_start",
            EventKind::DepthChange => "depth_change",
        }
    }

    /// The same for people, e.g. `fault raised`.
    pub fn words(self) -> &'static str {
        match self {
            EventKind::StateChanged => "state changed",
            EventKind::FaultRaised => "fault raised",
            EventKind::FaultCleared => "fault cleared",
            EventKind::Log => "log",
            EventKind::LinkFailure => "link failure",
            EventKind::ForceSpike => "force spike",
            EventKind::CartridgeJam => "cartridge jam",
            EventKind::SensorStuck => "sensor stuck",
            EventKind::SensorNoise => "sensor noise",
            EventKind::LinkDrop => "link drop",
            EventKind::LinkGarbage => "link garbage",
            EventKind::BatterySag => "battery sag",
            EventKind::CartridgeRemoved => "cartridge removed",
            EventKind::ZoneStart => "zone start",
            EventKind::DepthChange => "depth change",
        }
    }

    /// The kind with this name.
    pub fn from_name(name: &str) -> Option<EventKind> {
        EventKind::ALL.into_iter().find(|k| k.name() == name)
    }

    /// An injection the scenario made (the kinds of `[[inject]]`).
    pub fn is_injection(self) -> bool {
        (EventKind::ForceSpike..=EventKind::CartridgeRemoved).contains(&self)
    }
}

impl std::fmt::Display for EventKind {
    /// The snake_case name.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.name())
    }
}

/// Every firmware state, in wire order.
pub const FIRMWARE_STATES: [FirmwareState; 4] = FirmwareState::ALL;

/// The firmware state with this snake_case name (`off`, `idle`, `running`, `fault`).
pub fn state_from_name(name: &str) -> Option<FirmwareState> {
    FIRMWARE_STATES.into_iter().find(|s| s.name() == name)
}

/// The fault code with this snake_case name (`none`, `stall`, `over_current`, …).
pub fn fault_from_name(name: &str) -> Option<FaultCode> {
    FaultCode::from_name(name)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn event_kind_names_are_unique_snake_case_and_read_back() {
        for (i, kind) in EventKind::ALL.into_iter().enumerate() {
            let name = kind.name();
            assert!(
                name.bytes().all(|b| b.is_ascii_lowercase() || b == b'_'),
                "{name}"
            );
            assert_eq!(EventKind::from_name(name), Some(kind));
            assert_eq!(kind.words(), name.replace('_', " "));
            assert_eq!(kind.to_string(), name);
            assert!(EventKind::ALL[..i].iter().all(|k| k.name() != name));
        }
        assert_eq!(EventKind::from_name("Fault_Raised"), None);
    }

    #[test]
    fn injection_kinds_are_the_ones_from_force_spike_to_cartridge_removed() {
        let injections: Vec<&str> = EventKind::ALL
            .into_iter()
            .filter(|k| k.is_injection())
            .map(EventKind::name)
            .collect();
        assert_eq!(
            injections,
            [
                "force_spike",
                "cartridge_jam",
                "sensor_stuck",
                "sensor_noise",
                "link_drop",
                "link_garbage",
                "battery_sag",
                "cartridge_removed"
            ]
        );
    }
}
