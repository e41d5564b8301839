//! The rows the runner writes to `events.csv`: every kind and code comes from an enum's name
//! (`FORMAT.md` lists them), every detail is written for people, never `Debug` output.

use needlebench_bridge::PenEvent;
use needlebench_recording::{EventKind, EventRow, EventSource};
use needlebench_scenario::InjectedFault;

/// The event kind of an injection (its `[[inject]]` kind).
pub fn injection_kind(fault: &InjectedFault) -> EventKind {
    match fault {
        InjectedFault::ForceSpike { .. } => EventKind::ForceSpike,
        InjectedFault::CartridgeJam { .. } => EventKind::CartridgeJam,
        InjectedFault::SensorStuck { .. } => EventKind::SensorStuck,
        InjectedFault::SensorNoise { .. } => EventKind::SensorNoise,
        InjectedFault::LinkDrop { .. } => EventKind::LinkDrop,
        InjectedFault::LinkGarbage { .. } => EventKind::LinkGarbage,
        InjectedFault::BatterySag { .. } => EventKind::BatterySag,
        InjectedFault::CartridgeRemoved { .. } => EventKind::CartridgeRemoved,
    }
}

/// An injection starting at `tick` (at `t_us`): code the sensor (sensor faults) or empty,
/// detail the injection in words.
pub fn injection_event(tick: u64, t_us: u64, fault: &InjectedFault) -> EventRow {
    EventRow {
        code: fault.sensor().map_or("", |s| s.name()).to_owned(),
        detail: fault.to_string(),
        ..EventRow::at_tick(tick, t_us, EventSource::Injected, injection_kind(fault))
    }
}

/// The link failed at `tick` (at `t_us`): detail the error.
pub fn link_failure_event(tick: u64, t_us: u64, error: &needlebench_bridge::LinkError) -> EventRow {
    EventRow {
        detail: error.to_string(),
        ..EventRow::at_tick(tick, t_us, EventSource::Link, EventKind::LinkFailure)
    }
}

/// A firmware event at `tick` (at `t_us`).
pub fn firmware_event(tick: u64, t_us: u64, ev: &PenEvent) -> EventRow {
    match ev {
        PenEvent::StateChanged { from, to, .. } => EventRow::state_changed(tick, t_us, *from, *to),
        PenEvent::FaultRaised { code, .. } => {
            EventRow::fault(tick, t_us, EventKind::FaultRaised, *code)
        }
        PenEvent::FaultCleared { code, .. } => {
            EventRow::fault(tick, t_us, EventKind::FaultCleared, *code)
        }
        PenEvent::Log { level, text, .. } => EventRow::log(tick, t_us, *level, text),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use needlebench_scenario::{INJECTION_KINDS, Sensor};

    #[test]
    fn every_injection_kind_has_the_event_kind_of_the_same_name() {
        let faults = [
            InjectedFault::ForceSpike {
                force_n: 30.0,
                duration_s: 1.0,
            },
            InjectedFault::CartridgeJam { duration_s: 1.0 },
            InjectedFault::SensorStuck {
                sensor: Sensor::Hall,
                duration_s: 1.0,
            },
            InjectedFault::SensorNoise {
                sensor: Sensor::Battery,
                amplitude: 1.0,
                duration_s: 1.0,
            },
            InjectedFault::LinkDrop { duration_s: 1.0 },
            InjectedFault::LinkGarbage { bytes: 3 },
            InjectedFault::BatterySag {
                drop_mv: 800.0,
                duration_s: 0.4,
            },
            InjectedFault::CartridgeRemoved { duration_s: 1.0 },
        ];
        for (f, name) in faults.iter().zip(INJECTION_KINDS) {
            assert_eq!(f.kind(), name);
            let e = injection_event(3, 3000, f);
            assert_eq!(e.kind.name(), name);
            assert!(e.kind.is_injection());
            assert_eq!(e.detail, f.to_string());
        }
        assert_eq!(injection_event(0, 0, &faults[3]).code, "battery");
        assert_eq!(
            injection_event(0, 0, &faults[6]).detail,
            "battery sag: −800 mV for 0.4 s"
        );
    }
}
