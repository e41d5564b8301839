//! `verify.depth_setting`, `verify.max_depth` and `verify.stroke_rate`.
//!
//! A stroke's mechanical excursion is read from `needle_peak_um` (the furthest the tip went
//! past the guard in each tick, the cam's apex included exactly): it is the value of a tick
//! that is at least the one before and above the one after (a local maximum, plateaus counted
//! once). Only ticks in state `running` count for the depth setting (a motor coasting to a
//! stop after a fault ends on a part stroke; `verify.max_depth` sees every tick).

use crate::firmware::Loaded;
use crate::limits::within_max;
use crate::metrics;
use crate::verdict::{Outcome, Verdict, Where};
use needlebench_recording::{DeviceKind, FirmwareState, Meta, TelemetryRow};
use needlebench_scenario::Expect;

/// Streaming state of `verify.depth_setting` and `verify.max_depth`.
#[derive(Debug, Clone)]
pub struct Mechanics {
    pen: bool,
    set_um: f64,
    /// The last two ticks: (`needle_peak_um`, running, where).
    prev: [Option<(f64, bool, Where)>; 2],
    not_recorded: u64,
    strokes: u64,
    sum: f64,
    sum_sq: f64,
    min_um: f64,
    max_um: f64,
    worst_dev_um: f64,
    worst_at: Option<Where>,
    first_out: Option<Where>,
    tolerance_um: f64,
    deepest_um: f64,
    deepest_at: Option<Where>,
    labelled_max_um: f64,
    first_over_max: Option<Where>,
    ticks_over_max: u64,
}

impl Mechanics {
    /// For a recording with `meta`, against `expect`.
    pub fn new(meta: &Meta, expect: &Expect) -> Mechanics {
        Mechanics {
            pen: meta.setup.device == DeviceKind::Pen,
            set_um: meta.setup.exposure_um,
            prev: [None, None],
            not_recorded: 0,
            strokes: 0,
            sum: 0.0,
            sum_sq: 0.0,
            min_um: f64::INFINITY,
            max_um: f64::NEG_INFINITY,
            worst_dev_um: 0.0,
            worst_at: None,
            first_out: None,
            tolerance_um: expect.exposure_tolerance_um,
            deepest_um: f64::NEG_INFINITY,
            deepest_at: None,
            labelled_max_um: expect.labelled_max_exposure_um,
            first_over_max: None,
            ticks_over_max: 0,
        }
    }

    /// One telemetry row, in time order.
    pub fn tick(&mut self, r: &TelemetryRow) {
        if !self.pen {
            return;
        }
        let z = f64::from(r.needle_peak_um);
        if z.is_nan() {
            self.not_recorded += 1;
            self.prev = [None, None];
            return;
        }
        let at = Where {
            t_us: Some(r.t_us),
            x_mm: Some(f64::from(r.pen_x_mm)),
            y_mm: Some(f64::from(r.pen_y_mm)),
        };
        if z > self.deepest_um {
            self.deepest_um = z;
            self.deepest_at = Some(at);
        }
        if !within_max(z, self.labelled_max_um) {
            self.ticks_over_max += 1;
            self.first_over_max.get_or_insert(at);
        }
        if let [Some((before, _, _)), Some((apex, true, apex_at))] = self.prev
            && apex >= before
            && apex > z
        {
            self.stroke(apex, apex_at);
        }
        self.prev = [
            self.prev[1],
            Some((z, r.state == FirmwareState::Running, at)),
        ];
    }

    fn stroke(&mut self, z: f64, at: Where) {
        self.strokes += 1;
        self.sum += z;
        self.sum_sq += z * z;
        self.min_um = self.min_um.min(z);
        self.max_um = self.max_um.max(z);
        let dev = (z - self.set_um).abs();
        if self.worst_at.is_none() || dev > self.worst_dev_um {
            self.worst_dev_um = dev;
            self.worst_at = Some(at);
        }
        if !within_max(dev, self.tolerance_um) {
            self.first_out.get_or_insert(at);
        }
    }

    fn why_none(&self) -> Option<String> {
        if !self.pen {
            Some("not a pen (a roller or stamp has no stroke)".to_owned())
        } else if self.not_recorded > 0 && self.deepest_at.is_none() {
            Some("needle_peak_um not recorded".to_owned())
        } else {
            None
        }
    }

    /// `verify.depth_setting` and `verify.max_depth`.
    pub fn verdicts(&self, out: &mut Vec<Verdict>) {
        out.push(self.depth_verdict());
        out.push(self.max_verdict());
    }

    fn depth_verdict(&self) -> Verdict {
        let tol = self.tolerance_um;
        let n = self.strokes as f64;
        let mean = self.sum / n;
        // population SD of the strokes; 0 for one stroke
        let sd = (self.sum_sq / n - mean * mean).max(0.0).sqrt();
        let (outcome, text) = match self.why_none() {
            Some(why) => (Outcome::NotApplicable, why),
            None if self.strokes == 0 => (
                Outcome::NotApplicable,
                "no full stroke while running".to_owned(),
            ),
            None => (
                if within_max(self.worst_dev_um, tol) {
                    Outcome::Pass
                } else {
                    Outcome::Fail
                },
                format!(
                    "worst {:.1} µm off over {} strokes (mean {mean:.1} µm, SD {sd:.1} µm)",
                    self.worst_dev_um, self.strokes
                ),
            ),
        };
        let judged = outcome != Outcome::NotApplicable;
        let mut m = metrics(&[
            ("set_um", self.set_um),
            ("tolerance_um", tol),
            ("strokes", n),
        ]);
        if judged {
            m.extend(metrics(&[
                ("mean_um", mean),
                ("sd_um", sd),
                ("min_um", self.min_um),
                ("max_um", self.max_um),
                ("mean_error_um", mean - self.set_um),
                ("worst_deviation_um", self.worst_dev_um),
            ]));
        }
        Verdict {
            criterion: "verify.depth_setting".to_owned(),
            description: "Every stroke's needle excursion past the guard matches the set exposure"
                .to_owned(),
            actual: if judged { self.worst_dev_um } else { 0.0 },
            actual_text: text,
            expected: format!("±{tol} µm of {:.0} µm", self.set_um),
            unit: "µm".to_owned(),
            outcome,
            first_failure: (outcome == Outcome::Fail)
                .then_some(self.first_out)
                .flatten(),
            metrics: m,
        }
    }

    fn max_verdict(&self) -> Verdict {
        let limit = self.labelled_max_um;
        let (outcome, text) = match self.why_none() {
            Some(why) => (Outcome::NotApplicable, why),
            None if self.deepest_at.is_none() => {
                (Outcome::NotApplicable, "no telemetry".to_owned())
            }
            None if self.ticks_over_max > 0 => (
                Outcome::Fail,
                format!(
                    "{:.1} µm: beyond the label in {} ticks",
                    self.deepest_um, self.ticks_over_max
                ),
            ),
            // the needle never made a full stroke: nothing was driven that could pass the label
            None if self.strokes == 0 => (
                Outcome::NotApplicable,
                format!("no full stroke (deepest {:.1} µm)", self.deepest_um),
            ),
            None => (Outcome::Pass, format!("{:.1} µm", self.deepest_um)),
        };
        let judged = outcome != Outcome::NotApplicable;
        Verdict {
            criterion: "verify.max_depth".to_owned(),
            description:
                "The needle never goes past the labelled maximum exposure, faults included"
                    .to_owned(),
            actual: if judged { self.deepest_um } else { 0.0 },
            actual_text: text,
            expected: format!("≤ {limit} µm"),
            unit: "µm".to_owned(),
            outcome,
            first_failure: (outcome == Outcome::Fail)
                .then_some(self.first_over_max)
                .flatten(),
            metrics: if judged {
                metrics(&[
                    ("deepest_um", self.deepest_um),
                    ("labelled_max_um", limit),
                    ("ticks_over_max", self.ticks_over_max as f64),
                ])
            } else {
                metrics(&[("labelled_max_um", limit)])
            },
        }
    }
}

/// `verify.stroke_rate` from the loaded stroke frequency: the mean and the worst block within
/// ± `expect.stroke_hz_tolerance_pct` of the nominal rate.
pub(crate) fn stroke_rate_verdict(loaded: &Loaded, pen: bool, expect: &Expect) -> Verdict {
    let tol = expect.stroke_hz_tolerance_pct;
    let target = loaded.target_hz;
    let mean_dev = if target > 0.0 {
        (loaded.mean_hz - target) / target * 100.0
    } else {
        f64::NAN
    };
    let worst = loaded.worst_block_dev_pct.max(mean_dev.abs());
    let (outcome, text) = if !pen {
        (Outcome::NotApplicable, "not a pen".to_owned())
    } else if loaded.blocks == 0 {
        (
            Outcome::NotApplicable,
            "no loaded ticks (the motor never ran on the skin)".to_owned(),
        )
    } else {
        (
            if within_max(worst, tol) {
                Outcome::Pass
            } else {
                Outcome::Fail
            },
            format!(
                "mean {:.2} Hz ({mean_dev:+.2} %), worst 100 ms block {:.2} % off",
                loaded.mean_hz, loaded.worst_block_dev_pct
            ),
        )
    };
    let judged = outcome != Outcome::NotApplicable;
    let mut m = metrics(&[("nominal_hz", target), ("tolerance_pct", tol)]);
    if judged {
        m.extend(metrics(&[
            ("mean_hz", loaded.mean_hz),
            ("mean_deviation_pct", mean_dev),
            ("worst_block_deviation_pct", loaded.worst_block_dev_pct),
            ("loaded_ticks", loaded.ticks as f64),
        ]));
        if let Some((first, last, min)) = loaded.battery_mv {
            m.extend(metrics(&[
                ("battery_start_mv", first),
                ("battery_end_mv", last),
                ("battery_min_mv", min),
            ]));
        }
    }
    Verdict {
        criterion: "verify.stroke_rate".to_owned(),
        description: "The loaded stroke rate matches the level's nominal rate and holds it"
            .to_owned(),
        actual: if judged { worst } else { 0.0 },
        actual_text: text,
        expected: format!("±{tol} % of {target:.2} Hz"),
        unit: "%".to_owned(),
        outcome,
        first_failure: (outcome == Outcome::Fail)
            .then_some(loaded.worst_at)
            .flatten(),
        metrics: m,
    }
}
