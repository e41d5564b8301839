//! `run.consistency`: is the recording itself sound, before anything in it is believed?
//!
//! Judged on every recording, whatever the scenario (it needs no expectations):
//! * the counts in `meta.toml` (`run.ticks`, `run.punctures`) equal the rows of
//!   `telemetry.csv` and `punctures.csv`;
//! * time never goes backwards within a file (`t_us` of each row ≥ the row before);
//! * no NaN or infinity in any number column (FORMAT.md accepts them in files so that they
//!   can be reported here, never believed);
//! * a recording marked complete holds telemetry up to the end of its duration (its last
//!   telemetry row is within one tick of `run.sim_duration_us`).
//!
//! Required columns are checked by the reader: a file without one cannot be read at all, and
//! `check` stops with exit code 3 naming the file and the column.
//!
//! No acceptable band: a recording that is not sound fails.

use crate::metrics;
use crate::verdict::{Outcome, Verdict, Where};
use needlebench_recording::{EventRow, Meta, PunctureRow, TelemetryRow};

/// The longest tick a pen may have (at its slowest allowed tick rate, `WIRE.md` §5.2), µs:
/// how close to `sim_duration_us` the last telemetry row of a complete recording must be.
const TICK_US: u64 = 1_000_000 / needlebench_protocol::MIN_TICK_RATE_HZ as u64;

/// The first problem of one kind: where, and what.
#[derive(Debug, Clone)]
struct First {
    at: Where,
    text: String,
}

/// Streaming state of `run.consistency`.
#[derive(Debug, Default)]
pub(crate) struct ConsistencyCheck {
    ticks: u64,
    punctures: u64,
    last_tick_t_us: Option<u64>,
    last_puncture_t_us: Option<u64>,
    last_event_t_us: Option<u64>,
    backwards: u64,
    non_finite: u64,
    first: Option<First>,
}

impl ConsistencyCheck {
    fn problem(&mut self, t_us: u64, text: String) {
        if self.first.is_none() {
            self.first = Some(First {
                at: Where {
                    t_us: Some(t_us),
                    x_mm: None,
                    y_mm: None,
                },
                text,
            });
        }
    }

    fn order(&mut self, file: &str, row: u64, t_us: u64, last: Option<u64>) {
        if let Some(prev) = last
            && t_us < prev
        {
            self.backwards += 1;
            self.problem(
                t_us,
                format!("{file} row {row}: t_us {t_us} before the row above ({prev})"),
            );
        }
    }

    fn finite(&mut self, file: &str, row: u64, t_us: u64, values: &[(&str, f32)]) {
        for &(column, v) in values {
            if !v.is_finite() {
                self.non_finite += 1;
                self.problem(t_us, format!("{file} row {row}: {column} is {v}"));
            }
        }
    }

    pub(crate) fn event(&mut self, e: &EventRow, row: u64) {
        self.order("events.csv", row, e.t_us, self.last_event_t_us);
        self.last_event_t_us = Some(e.t_us);
    }

    pub(crate) fn tick(&mut self, r: &TelemetryRow) {
        self.ticks += 1;
        let row = self.ticks;
        self.order("telemetry.csv", row, r.t_us, self.last_tick_t_us);
        self.last_tick_t_us = Some(r.t_us);
        self.finite(
            "telemetry.csv",
            row,
            r.t_us,
            &[
                ("pen_x_mm", r.pen_x_mm),
                ("pen_y_mm", r.pen_y_mm),
                ("hand_force_n", r.hand_force_n),
                ("tilt_deg", r.tilt_deg),
                ("needle_z_um", r.needle_z_um),
                ("exposure_um", r.exposure_um),
                ("motor_duty", r.motor_duty),
                ("motor_current_ma", r.motor_current_ma),
                ("stroke_hz", r.stroke_hz),
                ("battery_mv", r.battery_mv),
            ],
        );
    }

    pub(crate) fn puncture(&mut self, p: &PunctureRow) {
        self.punctures += 1;
        let row = self.punctures;
        self.order("punctures.csv", row, p.t_us, self.last_puncture_t_us);
        self.last_puncture_t_us = Some(p.t_us);
        self.finite(
            "punctures.csv",
            row,
            p.t_us,
            &[
                ("x_mm", p.x_mm),
                ("y_mm", p.y_mm),
                ("depth_um", p.depth_um),
                ("peak_force_n", p.peak_force_n),
                ("tenting_um", p.tenting_um),
            ],
        );
    }

    pub(crate) fn verdict(mut self, meta: &Meta) -> Verdict {
        let run = &meta.run;
        let mut problems = Vec::new();
        if run.ticks != self.ticks {
            problems.push(format!(
                "meta says {} ticks, telemetry.csv has {} rows",
                run.ticks, self.ticks
            ));
        }
        if run.punctures != self.punctures {
            problems.push(format!(
                "meta says {} punctures, punctures.csv has {} rows",
                run.punctures, self.punctures
            ));
        }
        if self.backwards > 0 {
            problems.push(format!("{} rows go back in time", self.backwards));
        }
        if self.non_finite > 0 {
            problems.push(format!("{} NaN or infinite values", self.non_finite));
        }
        let end_us = self.last_tick_t_us;
        let short = run.is_complete()
            && end_us.is_none_or(|t| t.saturating_add(TICK_US) < run.sim_duration_us);
        if short {
            let upto = end_us.map_or("no telemetry".to_owned(), |t| {
                format!("telemetry ends at {:.3} s", t as f64 / 1e6)
            });
            problems.push(format!(
                "marked complete but {upto} of {:.3} s",
                run.sim_duration_us as f64 / 1e6
            ));
            if self.first.is_none() {
                self.problem(end_us.unwrap_or(0), "telemetry ends early".to_owned());
            }
        }
        let outcome = if problems.is_empty() {
            Outcome::Pass
        } else {
            Outcome::Fail
        };
        let actual_text = if problems.is_empty() {
            format!(
                "sound: {} ticks, {} punctures, in time order, all finite",
                self.ticks, self.punctures
            )
        } else {
            let first = self
                .first
                .as_ref()
                .map(|f| format!("; first: {}", f.text))
                .unwrap_or_default();
            format!("{}{first}", problems.join("; "))
        };
        Verdict {
            criterion: "run.consistency".to_owned(),
            description: "The recording is sound: counts match the rows, time runs forward, \
                          every number is finite, a complete run has data to its end"
                .to_owned(),
            actual: problems.len() as f64,
            actual_text,
            expected: "no problem".to_owned(),
            unit: String::new(),
            outcome,
            first_failure: if outcome == Outcome::Fail {
                self.first.map(|f| f.at).or(Some(Where::default()))
            } else {
                None
            },
            metrics: metrics(&[
                ("telemetry_rows", self.ticks as f64),
                ("puncture_rows", self.punctures as f64),
                ("meta_ticks", run.ticks as f64),
                ("meta_punctures", run.punctures as f64),
                ("rows_backwards", self.backwards as f64),
                ("non_finite_values", self.non_finite as f64),
            ]),
        }
    }
}
