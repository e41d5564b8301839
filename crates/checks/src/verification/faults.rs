//! `verify.fault_response`: every fault the firmware raised, how long after its trigger it
//! was detected and how long after that the motor stopped, against the firmware's bounds.
//!
//! The trigger onset of each fault, from the recording:
//!
//! | fault | trigger onset |
//! |---|---|
//! | `stall` | first tick of the run of ticks before the fault with `stroke_hz` below the firmware's stall percentage of the set rate and `motor_duty` at or above its stall duty |
//! | `over_current` | first tick of the run with `motor_current_ma` above the firmware's limit |
//! | `low_battery` | first tick of the run, while `running`, with `battery_mv` below the firmware's running minimum; else the last injected `battery_sag` at or before the fault (a sag is applied to the sensor reading, not to the cell the telemetry records) |
//! | `link_loss` | the last injected `link_drop` at or before the fault |
//! | `cartridge_absent` | the last injected `cartridge_removed` at or before the fault |
//! | `cartridge_expired` | the tick the time spent `running` reaches the scenario's `[firmware] cartridge_limit_s`, rounded up to whole seconds as the emulated firmware's `cartridge_max_run_s` is |
//! | `watchdog`, `internal` | none the bench can observe: only the stop is judged |
//!
//! Detection latency = `fault_raised` − onset; it passes within the bound plus
//! [`TRANSIT_US`] (the firmware reads at tick n the sensor frame the plant produced in tick
//! n − 1). Motor-stop latency = first tick at or after the fault with `motor_duty` 0 −
//! `fault_raised`; every fault of the reference firmware cuts the duty in the tick that
//! detects it, so its bound is [`TRANSIT_US`]. A fault the scenario expects (`expect.faults`)
//! that was never raised fails (not detected).

use crate::limits::within_max;
use crate::verdict::{Outcome, Verdict, Where};
use needlebench_firmware::FirmwareConfig;
use needlebench_recording::{
    EventKind, EventRow, EventSource, FaultCode, FirmwareState, TelemetryRow,
};
use needlebench_scenario::Expect;
use std::collections::BTreeMap;

/// One tick of slack on every bound: the sensor frame's transit from plant to firmware, µs.
pub const TRANSIT_US: u64 = 1000;
/// Most fault onsets kept (flat memory).
const MAX_KEPT: usize = 10_000;

/// The firmware's bounds for one fault, ms.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct FaultBound {
    /// The fault.
    pub fault: FaultCode,
    /// Trigger onset → `fault_raised`, ms; `None` when the bench cannot see the trigger.
    pub detect_ms: Option<f64>,
    /// `fault_raised` → duty 0, ms.
    pub stop_ms: f64,
}

/// The bounds of every fault of the reference firmware's fault table
/// (`needlebench_firmware::FAULT_TABLE`) from its default configuration, with `overrides`
/// (`expect.fault_detect_ms`) replacing detection bounds. Transit slack not included.
pub fn bounds(overrides: &[(FaultCode, f64)]) -> Vec<FaultBound> {
    let c = FirmwareConfig::default();
    let tick_ms = c.tick_period_us() as f64 / 1000.0;
    FaultCode::ALL
        .iter()
        .filter(|&&f| f != FaultCode::None)
        .map(|&fault| {
            let firmware = match fault {
                FaultCode::Stall => Some(f64::from(c.ms_to_ticks(c.stall_time_ms)) * tick_ms),
                FaultCode::OverCurrent => {
                    Some(f64::from(c.ms_to_ticks(c.over_current_time_ms)) * tick_ms)
                }
                FaultCode::LinkLoss => Some(f64::from(c.link_loss_ticks) * tick_ms),
                FaultCode::LowBattery => {
                    Some(f64::from(c.ms_to_ticks(c.battery_run_low_ms)) * tick_ms)
                }
                FaultCode::CartridgeAbsent | FaultCode::CartridgeExpired => Some(0.0),
                FaultCode::Watchdog | FaultCode::Internal | FaultCode::None => None,
            };
            let given = overrides
                .iter()
                .find(|(f, _)| *f == fault)
                .map(|&(_, ms)| ms);
            FaultBound {
                fault,
                detect_ms: given.or(firmware),
                stop_ms: 0.0,
            }
        })
        .collect()
}

#[derive(Debug, Clone)]
struct Raise {
    t_us: u64,
    fault: FaultCode,
    onset_us: Option<u64>,
    stopped_us: Option<u64>,
    at: Option<Where>,
}

/// Streaming state of `verify.fault_response`: events, then telemetry.
#[derive(Debug, Clone)]
pub struct FaultResponse {
    config: FirmwareConfig,
    target_hz: f64,
    limit_us: Option<u64>,
    bounds: Vec<FaultBound>,
    expected: Vec<FaultCode>,
    raises: Vec<Raise>,
    injected: Vec<(u64, EventKind)>,
    next: usize,
    stall_since: Option<u64>,
    over_current_since: Option<u64>,
    low_battery_since: Option<u64>,
    running_us: u64,
    expired_at: Option<u64>,
    prev_state: FirmwareState,
    last_t_us: u64,
}

impl FaultResponse {
    /// For a run at `target_stroke_hz`, against `expect`.
    pub fn new(target_stroke_hz: f64, expect: &Expect) -> FaultResponse {
        FaultResponse {
            config: FirmwareConfig::default(),
            target_hz: target_stroke_hz,
            // the emulated firmware counts whole seconds (`cartridge_max_run_s`), rounded up
            limit_us: expect.cartridge_limit_s.map(|s| (s.ceil() * 1e6) as u64),
            bounds: bounds(&expect.fault_detect_ms),
            expected: expect.faults.clone(),
            raises: Vec::new(),
            injected: Vec::new(),
            next: 0,
            stall_since: None,
            over_current_since: None,
            low_battery_since: None,
            running_us: 0,
            expired_at: None,
            prev_state: FirmwareState::Off,
            last_t_us: 0,
        }
    }

    /// One event, in time order (all before the telemetry).
    pub fn event(&mut self, e: &EventRow) {
        if e.source == EventSource::Firmware
            && e.kind == EventKind::FaultRaised
            && let Some(fault) = e.fault_code()
            && self.raises.len() < MAX_KEPT
        {
            self.raises.push(Raise {
                t_us: e.t_us,
                fault,
                onset_us: None,
                stopped_us: None,
                at: None,
            });
        }
        if e.source == EventSource::Injected && self.injected.len() < MAX_KEPT {
            self.injected.push((e.t_us, e.kind));
        }
    }

    fn last_injected(&self, kind: EventKind, t_us: u64) -> Option<u64> {
        self.injected
            .iter()
            .filter(|&&(t, k)| k == kind && t <= t_us)
            .map(|&(t, _)| t)
            .next_back()
    }

    /// One telemetry row, in time order.
    pub fn tick(&mut self, r: &TelemetryRow) {
        let t = r.t_us;
        self.last_t_us = t;
        // the firmware counts every tick it runs in: the ticks recorded `running`, and the one
        // that left running (the limit is reached, and the fault raised, in that tick)
        if r.state == FirmwareState::Running || self.prev_state == FirmwareState::Running {
            self.running_us += self.config.tick_period_us();
            if let Some(limit) = self.limit_us
                && self.running_us >= limit
            {
                self.expired_at.get_or_insert(t);
            }
        }
        self.prev_state = r.state;
        // faults raised in this tick: their onset is judged on the rows before it
        while let Some(raise) = self.raises.get(self.next)
            && raise.t_us <= t
        {
            let onset = match raise.fault {
                FaultCode::Stall => self.stall_since,
                FaultCode::OverCurrent => self.over_current_since,
                FaultCode::LowBattery => self
                    .low_battery_since
                    .or_else(|| self.last_injected(EventKind::BatterySag, raise.t_us)),
                FaultCode::LinkLoss => self.last_injected(EventKind::LinkDrop, raise.t_us),
                FaultCode::CartridgeAbsent => {
                    self.last_injected(EventKind::CartridgeRemoved, raise.t_us)
                }
                FaultCode::CartridgeExpired => self.expired_at,
                FaultCode::Watchdog | FaultCode::Internal | FaultCode::None => None,
            };
            let raise = &mut self.raises[self.next];
            raise.onset_us = onset;
            raise.at = Some(Where {
                t_us: Some(raise.t_us),
                x_mm: Some(f64::from(r.pen_x_mm)),
                y_mm: Some(f64::from(r.pen_y_mm)),
            });
            self.next += 1;
        }
        if r.motor_duty <= 0.0 {
            for raise in &mut self.raises[..self.next] {
                raise.stopped_us.get_or_insert(t);
            }
        }
        let c = &self.config;
        let stall = f64::from(r.stroke_hz)
            < self.target_hz * f64::from(c.stall_speed_percent) / 100.0
            && f64::from(r.motor_duty) * 1000.0 >= f64::from(c.stall_min_duty_permille);
        let since =
            |s: &mut Option<u64>, on: bool| *s = if on { Some(s.unwrap_or(t)) } else { None };
        since(&mut self.stall_since, stall);
        since(
            &mut self.over_current_since,
            r.motor_current_ma > f32::from(c.over_current_ma),
        );
        since(
            &mut self.low_battery_since,
            r.state == FirmwareState::Running && r.battery_mv < f32::from(c.battery_run_min_mv),
        );
    }

    /// `verify.fault_response`.
    pub fn verdict(&self) -> Verdict {
        let transit_ms = TRANSIT_US as f64 / 1000.0;
        let mut m: BTreeMap<String, f64> = BTreeMap::new();
        let mut failures: Vec<String> = Vec::new();
        let mut first_failure: Option<Where> = None;
        let mut worst_margin = f64::NEG_INFINITY;
        let mut judged = 0u32;
        let mut untimed: Vec<&str> = Vec::new();
        for raise in &self.raises {
            let name = raise.fault.name();
            let bound = self
                .bounds
                .iter()
                .find(|b| b.fault == raise.fault)
                .copied()
                .unwrap_or(FaultBound {
                    fault: raise.fault,
                    detect_ms: None,
                    stop_ms: 0.0,
                });
            let mut fail = |what: String, m_ms: f64| {
                failures.push(what);
                first_failure.get_or_insert(raise.at.unwrap_or_default());
                m_ms
            };
            if raise.onset_us.is_none() {
                m.insert(format!("{name}.detect_untimed"), 1.0);
                untimed.push(name);
            }
            if let (Some(onset), Some(bound_ms)) = (raise.onset_us, bound.detect_ms) {
                let ms = raise.t_us.saturating_sub(onset) as f64 / 1000.0;
                let limit = bound_ms + transit_ms;
                judged += 1;
                worst_margin = worst_margin.max(ms - limit);
                keep_worst(&mut m, &format!("{name}.detect_ms"), ms);
                m.insert(format!("{name}.detect_bound_ms"), limit);
                if !within_max(ms, limit) {
                    fail(
                        format!("{name} detected {ms:.0} ms after its trigger (bound {limit} ms)"),
                        ms,
                    );
                }
            }
            let stop_limit = bound.stop_ms + transit_ms;
            m.insert(format!("{name}.stop_bound_ms"), stop_limit);
            match raise.stopped_us {
                Some(s) => {
                    let ms = s.saturating_sub(raise.t_us) as f64 / 1000.0;
                    judged += 1;
                    worst_margin = worst_margin.max(ms - stop_limit);
                    keep_worst(&mut m, &format!("{name}.stop_ms"), ms);
                    if !within_max(ms, stop_limit) {
                        fail(
                            format!(
                                "{name}: motor stopped {ms:.0} ms after (bound {stop_limit} ms)"
                            ),
                            ms,
                        );
                    }
                }
                None => {
                    let seen_ms = self.last_t_us.saturating_sub(raise.t_us) as f64 / 1000.0;
                    if !within_max(seen_ms, stop_limit) {
                        judged += 1;
                        worst_margin = f64::INFINITY;
                        fail(format!("{name}: the motor never stopped"), seen_ms);
                    }
                }
            }
        }
        for missing in self
            .expected
            .iter()
            .filter(|f| !self.raises.iter().any(|r| r.fault == **f))
        {
            judged += 1;
            worst_margin = f64::INFINITY;
            failures.push(format!("{} was never detected", missing.name()));
            first_failure.get_or_insert(Where {
                t_us: Some(self.last_t_us),
                ..Where::default()
            });
        }
        m.insert("faults_raised".to_owned(), self.raises.len() as f64);
        let outcome = if judged == 0 {
            Outcome::NotApplicable
        } else if failures.is_empty() {
            Outcome::Pass
        } else {
            Outcome::Fail
        };
        let actual_text = match outcome {
            Outcome::NotApplicable if self.raises.is_empty() => "no fault raised".to_owned(),
            Outcome::NotApplicable => "no trigger or stop observable".to_owned(),
            Outcome::Fail => failures.join("; "),
            _ => {
                let mut names: Vec<&str> = self.raises.iter().map(|r| r.fault.name()).collect();
                names.sort_unstable();
                names.dedup();
                let mut text = format!("{} within bounds ({})", names.len(), names.join(", "));
                if !untimed.is_empty() {
                    untimed.sort_unstable();
                    untimed.dedup();
                    text.push_str(&format!(
                        "; detection not timed (trigger not observed): {}",
                        untimed.join(", ")
                    ));
                }
                text
            }
        };
        Verdict {
            criterion: "verify.fault_response".to_owned(),
            description:
                "Each fault is detected and the motor stopped within the firmware's bounds"
                    .to_owned(),
            actual: if judged > 0 { worst_margin } else { 0.0 },
            actual_text,
            expected: "detection and stop within each fault's bound (+1 tick)".to_owned(),
            unit: "ms over bound".to_owned(),
            outcome,
            first_failure: (outcome == Outcome::Fail)
                .then_some(first_failure)
                .flatten(),
            metrics: m,
        }
    }
}

fn keep_worst(m: &mut BTreeMap<String, f64>, key: &str, value: f64) {
    let e = m.entry(key.to_owned()).or_insert(value);
    *e = e.max(value);
}
