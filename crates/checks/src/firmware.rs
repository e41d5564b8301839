//! Firmware criteria: `firmware.stroke_hz`, `firmware.fault_stop`,
//! `firmware.no_motion_in_fault`, `firmware.expected_faults`.
//!
//! * `firmware.stroke_hz`: judged only while *loaded*: state `running`, skin contact, at least
//!   [`SOFT_START_US`] after the motor started (the firmware ramps for 300 ms) and
//!   [`CONTACT_SETTLE_US`] after contact began, and not in the [`FAULT_LEAD_US`] before a
//!   `fault_raised` event (a stall is detected only after the frequency has collapsed for
//!   100 ms: those ticks belong to the fault, judged by the fault criteria). Loaded ticks are averaged in blocks of
//!   [`BLOCK_US`] (one tick's frequency is a noisy measurement); the worst block's deviation
//!   from `setup.target_stroke_hz` is the actual value. Within ±tolerance passes, within ±2 ×
//!   tolerance is acceptable.
//! * `firmware.fault_stop`: for every `fault_raised` event, the time from the event to the
//!   first tick at or after it with `motor_duty` = 0 (the firmware cuts the duty). The worst
//!   is the actual value; more than `fault_stop_ms` fails (a safety limit: no band). If the
//!   recording ends before the duty reaches 0, that counts as a failure only if it ended more
//!   than `fault_stop_ms` after the fault.
//! * `firmware.no_motion_in_fault`: punctures while the telemetry state is `fault`, more than
//!   [`COAST_GRACE_US`] after the fault state began. The grace is there because the firmware
//!   cuts the duty but the rotor coasts: the physics puts its stop ~0.4 s after duty 0, and a
//!   coasting cam still drives needles. Any later puncture fails.
//! * `firmware.expected_faults`: the set of faults raised (`fault_raised` events, plus any
//!   fault latched in the telemetry `fault` column) equals `expect.faults`.

use crate::limits::{at_most, within_max};
use crate::metrics;
use crate::verdict::{Marker, Outcome, Verdict, Where};
use needlebench_recording::{
    EventKind, EventRow, EventSource, FirmwareState, PunctureRow, TelemetryRow,
};
use needlebench_scenario::Expect;
use std::collections::BTreeSet;

/// Loaded only this long after the motor started, µs.
pub const SOFT_START_US: u64 = 500_000;
/// Loaded only this long after skin contact began, µs.
pub const CONTACT_SETTLE_US: u64 = 200_000;
/// Ticks this long before a fault are not judged for stroke frequency, µs.
pub const FAULT_LEAD_US: u64 = 500_000;
/// Stroke frequency is averaged over blocks of this much loaded time, µs.
pub const BLOCK_US: u64 = 100_000;
/// Punctures this soon after a fault began are the coasting rotor, µs.
pub const COAST_GRACE_US: u64 = 500_000;
/// Most fault onsets, fault intervals, markers and log lines kept (flat memory).
const MAX_KEPT: usize = 10_000;

#[derive(Debug, Clone)]
struct Onset {
    t_us: u64,
    code: String,
    /// Pen position at the first tick at or after the fault.
    pos: Option<(f64, f64)>,
    stopped_us: Option<u64>,
}

/// The stroke frequency while loaded (the same ticks and blocks `firmware.stroke_hz` judges).
#[derive(Debug, Clone, Copy)]
pub(crate) struct Loaded {
    /// The set frequency, Hz.
    pub(crate) target_hz: f64,
    /// Loaded ticks.
    pub(crate) ticks: u64,
    /// Blocks of [`BLOCK_US`] judged.
    pub(crate) blocks: u64,
    /// Mean over the loaded ticks, Hz (NaN without any).
    pub(crate) mean_hz: f64,
    /// The worst block's deviation from the target, %.
    pub(crate) worst_block_dev_pct: f64,
    /// Where the worst block began.
    pub(crate) worst_at: Option<Where>,
    /// Battery at the first and last loaded tick and the lowest while loaded, mV.
    pub(crate) battery_mv: Option<(f64, f64, f64)>,
}

#[derive(Debug, Default)]
struct Block {
    start: Option<Where>,
    sum_hz: f64,
    ticks: u32,
}

/// Streaming state of the firmware criteria, fed events, then telemetry, then punctures.
#[derive(Debug)]
pub(crate) struct FirmwareCheck {
    target_hz: f64,
    tol_pct: f64,
    onsets: Vec<Onset>,
    raised: BTreeSet<String>,
    pub(crate) markers: Vec<Marker>,
    pub(crate) log: Vec<String>,
    dropped_log: u64,
    // telemetry
    next_onset: usize,
    pending_from: usize,
    prev_state: FirmwareState,
    running_since: Option<u64>,
    contact_since: Option<u64>,
    block: Block,
    loaded_ticks: u64,
    loaded_sum_hz: f64,
    blocks: u64,
    worst_dev_pct: f64,
    worst_at: Option<Where>,
    first_over: Option<Where>,
    first_over_band: Option<Where>,
    fault_intervals: Vec<(u64, u64)>,
    /// Battery voltage at the first and last loaded tick, and the lowest while loaded, mV.
    loaded_battery_mv: Option<(f64, f64, f64)>,
    last_t_us: u64,
    // punctures
    interval: usize,
    in_fault: u64,
    first_in_fault: Option<Where>,
}

fn pct(hz: f64, target: f64) -> f64 {
    if target > 0.0 {
        (hz - target).abs() / target * 100.0
    } else {
        0.0
    }
}

impl FirmwareCheck {
    pub(crate) fn new(target_stroke_hz: f64, expect: &Expect) -> Self {
        FirmwareCheck {
            target_hz: target_stroke_hz,
            tol_pct: expect.stroke_hz_tolerance_pct,
            onsets: Vec::new(),
            raised: BTreeSet::new(),
            markers: Vec::new(),
            log: Vec::new(),
            dropped_log: 0,
            next_onset: 0,
            pending_from: 0,
            prev_state: FirmwareState::Off,
            running_since: None,
            contact_since: None,
            block: Block::default(),
            loaded_ticks: 0,
            loaded_sum_hz: 0.0,
            blocks: 0,
            worst_dev_pct: 0.0,
            worst_at: None,
            first_over: None,
            first_over_band: None,
            fault_intervals: Vec::new(),
            loaded_battery_mv: None,
            last_t_us: 0,
            interval: 0,
            in_fault: 0,
            first_in_fault: None,
        }
    }

    /// One event (events come first, in time order).
    pub(crate) fn event(&mut self, e: &EventRow) {
        let t_s = e.t_us as f64 / 1e6;
        if self.log.len() < MAX_KEPT {
            let mut line = format!("{t_s:10.3} s  {:<8} {}", e.source.name(), e.kind);
            for part in [&e.code, &e.detail] {
                if !part.is_empty() {
                    line.push(' ');
                    line.push_str(part);
                }
            }
            self.log.push(line);
        } else {
            self.dropped_log += 1;
        }
        let is_fault = e.source == EventSource::Firmware && e.kind == EventKind::FaultRaised;
        let marked = is_fault
            || matches!(e.kind, EventKind::FaultCleared | EventKind::LinkFailure)
            || matches!(e.source, EventSource::Injected | EventSource::Link);
        if marked && self.markers.len() < MAX_KEPT {
            let label = if e.code.is_empty() {
                e.detail.clone()
            } else {
                e.code.clone()
            };
            self.markers.push(Marker {
                t_s,
                kind: e.kind,
                label,
            });
        }
        if is_fault {
            self.raised.insert(e.code.clone());
            if self.onsets.len() < MAX_KEPT {
                self.onsets.push(Onset {
                    t_us: e.t_us,
                    code: e.code.clone(),
                    pos: None,
                    stopped_us: None,
                });
            }
        }
    }

    /// Called once after the events.
    pub(crate) fn events_done(&mut self) {
        if self.dropped_log > 0 {
            self.log
                .push(format!("… {} more events not shown", self.dropped_log));
        }
        self.onsets.sort_by_key(|o| o.t_us);
    }

    /// One telemetry tick (in time order).
    #[inline]
    pub(crate) fn tick(&mut self, r: &TelemetryRow) {
        let t = r.t_us;
        self.last_t_us = t;
        while self.next_onset < self.onsets.len() && self.onsets[self.next_onset].t_us <= t {
            self.onsets[self.next_onset].pos = Some((f64::from(r.pen_x_mm), f64::from(r.pen_y_mm)));
            self.next_onset += 1;
        }
        if self.pending_from < self.next_onset && r.motor_duty <= 0.0 {
            for o in &mut self.onsets[self.pending_from..self.next_onset] {
                o.stopped_us = Some(t);
            }
            self.pending_from = self.next_onset;
        }
        if r.fault != needlebench_recording::FaultCode::None
            && !self.raised.contains(r.fault.name())
        {
            self.raised.insert(r.fault.name().to_owned());
        }
        // fault intervals
        let in_fault = r.state == FirmwareState::Fault;
        if in_fault && self.prev_state != FirmwareState::Fault {
            if self.fault_intervals.len() < MAX_KEPT {
                self.fault_intervals.push((t, u64::MAX));
            }
        } else if !in_fault
            && self.prev_state == FirmwareState::Fault
            && let Some(last) = self.fault_intervals.last_mut()
            && last.1 == u64::MAX
        {
            last.1 = t;
        }
        // loaded stroke frequency
        if r.state == FirmwareState::Running {
            self.running_since.get_or_insert(t);
        } else {
            self.running_since = None;
        }
        if r.skin_contact {
            self.contact_since.get_or_insert(t);
        } else {
            self.contact_since = None;
        }
        self.prev_state = r.state;
        let before_fault = self
            .onsets
            .get(self.next_onset)
            .is_some_and(|o| o.t_us - t <= FAULT_LEAD_US);
        let loaded = !before_fault
            && matches!((self.running_since, self.contact_since), (Some(m), Some(c))
            if t >= m + SOFT_START_US && t >= c + CONTACT_SETTLE_US);
        if !loaded {
            self.close_block(false);
            return;
        }
        let hz = f64::from(r.stroke_hz);
        let mv = f64::from(r.battery_mv);
        let b = self.loaded_battery_mv.get_or_insert((mv, mv, mv));
        (b.1, b.2) = (mv, b.2.min(mv));
        self.loaded_ticks += 1;
        self.loaded_sum_hz += hz;
        let start = *self.block.start.get_or_insert(Where {
            t_us: Some(t),
            x_mm: Some(f64::from(r.pen_x_mm)),
            y_mm: Some(f64::from(r.pen_y_mm)),
        });
        self.block.sum_hz += hz;
        self.block.ticks += 1;
        if t >= start.t_us.unwrap_or(t) + BLOCK_US - 1000 {
            self.close_block(true);
        }
    }

    fn close_block(&mut self, full: bool) {
        let b = std::mem::take(&mut self.block);
        // a short remnant (< 10 ticks) between unloaded stretches says little
        if b.ticks == 0 || (!full && b.ticks < 10) {
            return;
        }
        self.blocks += 1;
        let dev = pct(b.sum_hz / f64::from(b.ticks), self.target_hz);
        // NaN (a bad measurement) sticks as the worst: it fails
        if !self.worst_dev_pct.is_nan()
            && (self.worst_at.is_none() || dev.is_nan() || dev > self.worst_dev_pct)
        {
            self.worst_dev_pct = dev;
            self.worst_at = b.start;
        }
        if !within_max(dev, self.tol_pct) {
            self.first_over.get_or_insert(b.start.unwrap_or_default());
            if !within_max(dev, 2.0 * self.tol_pct) {
                self.first_over_band
                    .get_or_insert(b.start.unwrap_or_default());
            }
        }
    }

    /// Called once after the telemetry.
    pub(crate) fn telemetry_done(&mut self) {
        self.close_block(false);
    }

    /// One puncture (in time order).
    #[inline]
    pub(crate) fn puncture(&mut self, p: &PunctureRow) {
        let t = p.t_us;
        while self.interval < self.fault_intervals.len()
            && self.fault_intervals[self.interval].1 <= t
        {
            self.interval += 1;
        }
        if let Some(&(start, _)) = self.fault_intervals.get(self.interval)
            && t >= start.saturating_add(COAST_GRACE_US)
        {
            self.in_fault += 1;
            if self.first_in_fault.is_none() {
                self.first_in_fault = Some(Where {
                    t_us: Some(t),
                    x_mm: Some(f64::from(p.x_mm)),
                    y_mm: Some(f64::from(p.y_mm)),
                });
            }
        }
    }

    /// What the stroke frequency did while loaded (for `verify.stroke_rate`).
    pub(crate) fn loaded(&self) -> Loaded {
        Loaded {
            target_hz: self.target_hz,
            ticks: self.loaded_ticks,
            blocks: self.blocks,
            mean_hz: if self.loaded_ticks > 0 {
                self.loaded_sum_hz / self.loaded_ticks as f64
            } else {
                f64::NAN
            },
            worst_block_dev_pct: self.worst_dev_pct,
            worst_at: self.worst_at,
            battery_mv: self.loaded_battery_mv,
        }
    }

    pub(crate) fn verdicts(&self, expect: &Expect, out: &mut Vec<Verdict>) {
        out.push(self.stroke_verdict());
        out.push(self.stop_verdict(expect));
        out.push(self.motion_verdict());
        out.push(self.expected_verdict(expect));
    }

    fn stroke_verdict(&self) -> Verdict {
        let tol = self.tol_pct;
        let mean = if self.loaded_ticks > 0 {
            self.loaded_sum_hz / self.loaded_ticks as f64
        } else {
            0.0
        };
        let (outcome, text) = if self.blocks == 0 {
            (
                Outcome::NotApplicable,
                "no loaded ticks (the motor never ran on the skin)".to_owned(),
            )
        } else {
            (
                at_most(self.worst_dev_pct, tol, 2.0 * tol),
                format!(
                    "worst {:.2} % off (loaded mean {mean:.2} Hz)",
                    self.worst_dev_pct
                ),
            )
        };
        Verdict {
            criterion: "firmware.stroke_hz".to_owned(),
            description: "Stroke frequency while loaded stays near the set frequency".to_owned(),
            actual: self.worst_dev_pct,
            actual_text: text,
            expected: format!("±{tol} % of {:.2} Hz", self.target_hz),
            unit: "%".to_owned(),
            outcome,
            first_failure: match outcome {
                Outcome::Acceptable => self.first_over,
                Outcome::Fail => self.first_over_band,
                _ => None,
            },
            metrics: metrics(&[
                ("worst_deviation_pct", self.worst_dev_pct),
                ("loaded_mean_hz", mean),
                ("loaded_ticks", self.loaded_ticks as f64),
                ("target_hz", self.target_hz),
            ]),
        }
    }

    fn stop_verdict(&self, expect: &Expect) -> Verdict {
        let limit = expect.fault_stop_ms;
        let mut worst: Option<(f64, &Onset)> = None;
        let mut unknown = 0u64;
        for o in &self.onsets {
            let ms = match o.stopped_us {
                Some(s) => (s.saturating_sub(o.t_us)) as f64 / 1000.0,
                None => {
                    let seen_ms = self.last_t_us.saturating_sub(o.t_us) as f64 / 1000.0;
                    if within_max(seen_ms, limit) {
                        unknown += 1;
                        continue;
                    }
                    f64::INFINITY
                }
            };
            if worst.is_none_or(|(w, _)| ms > w) {
                worst = Some((ms, o));
            }
        }
        let (actual, text, outcome, at) = match worst {
            None if self.onsets.is_empty() => (
                0.0,
                "no fault raised".to_owned(),
                Outcome::NotApplicable,
                None,
            ),
            None => (
                0.0,
                "recording ended before the motor could stop".to_owned(),
                Outcome::NotApplicable,
                None,
            ),
            Some((ms, o)) => {
                let text = if ms.is_finite() {
                    format!("{ms:.0} ms ({})", o.code)
                } else {
                    format!("never stopped ({})", o.code)
                };
                let outcome = at_most(ms, limit, limit);
                let at = Where {
                    t_us: Some(o.t_us),
                    x_mm: o.pos.map(|p| p.0),
                    y_mm: o.pos.map(|p| p.1),
                };
                (ms, text, outcome, Some(at))
            }
        };
        Verdict {
            criterion: "firmware.fault_stop".to_owned(),
            description: "The motor stops (duty 0) soon after any fault".to_owned(),
            actual,
            actual_text: text,
            expected: format!("≤ {limit} ms"),
            unit: "ms".to_owned(),
            outcome,
            first_failure: if outcome == Outcome::Pass { None } else { at },
            metrics: metrics(&[
                ("faults", self.onsets.len() as f64),
                ("worst_stop_ms", actual),
                ("not_observed", unknown as f64),
            ]),
        }
    }

    fn motion_verdict(&self) -> Verdict {
        let outcome = if self.in_fault > 0 {
            Outcome::Fail
        } else if self.fault_intervals.is_empty() {
            Outcome::NotApplicable
        } else {
            Outcome::Pass
        };
        Verdict {
            criterion: "firmware.no_motion_in_fault".to_owned(),
            description: format!(
                "No puncture while a fault is latched (after a {} ms coast)",
                COAST_GRACE_US / 1000
            ),
            actual: self.in_fault as f64,
            actual_text: format!("{} punctures", self.in_fault),
            expected: "0".to_owned(),
            unit: String::new(),
            outcome,
            first_failure: self.first_in_fault,
            metrics: metrics(&[
                ("punctures_in_fault", self.in_fault as f64),
                ("fault_intervals", self.fault_intervals.len() as f64),
            ]),
        }
    }

    fn expected_verdict(&self, expect: &Expect) -> Verdict {
        let want: BTreeSet<String> = expect.faults.iter().map(|f| f.name().to_owned()).collect();
        let set = |s: &BTreeSet<String>| {
            if s.is_empty() {
                "none".to_owned()
            } else {
                format!("{{{}}}", s.iter().cloned().collect::<Vec<_>>().join(", "))
            }
        };
        let unexpected: Vec<&String> = self.raised.difference(&want).collect();
        let missing: Vec<&String> = want.difference(&self.raised).collect();
        let outcome = if unexpected.is_empty() && missing.is_empty() {
            Outcome::Pass
        } else {
            Outcome::Fail
        };
        let first_unexpected = self.onsets.iter().find(|o| !want.contains(&o.code));
        let mut text = set(&self.raised);
        if !missing.is_empty() {
            text.push_str(&format!(
                "; missing {}",
                missing
                    .iter()
                    .map(|s| s.as_str())
                    .collect::<Vec<_>>()
                    .join(", ")
            ));
        }
        Verdict {
            criterion: "firmware.expected_faults".to_owned(),
            description: "Exactly the expected faults were raised".to_owned(),
            actual: self.raised.len() as f64,
            actual_text: text,
            expected: set(&want),
            unit: String::new(),
            outcome,
            first_failure: match (outcome, first_unexpected) {
                (Outcome::Pass, _) => None,
                (_, Some(o)) => Some(Where {
                    t_us: Some(o.t_us),
                    x_mm: o.pos.map(|p| p.0),
                    y_mm: o.pos.map(|p| p.1),
                }),
                (_, None) => Some(Where {
                    t_us: Some(self.last_t_us),
                    x_mm: None,
                    y_mm: None,
                }),
            },
            metrics: metrics(&[
                ("raised", self.raised.len() as f64),
                ("unexpected", unexpected.len() as f64),
                ("missing", missing.len() as f64),
            ]),
        }
    }
}
