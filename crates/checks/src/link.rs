//! Link and run criteria: `link.crc_rate`, `link.lag`, `run.complete`.
//!
//! * `link.crc_rate`: `crc_errors / (frames_from_pen + crc_errors)` from the line counters,
//!   `[link]` of `timing.toml` (of `meta.toml` in format 1 and 2 recordings; the same
//!   counters judge the same either way) (`frames_from_pen` counts good frames).
//!   ≤ `max_crc_error_rate` passes; ≤ 2 × it is acceptable (so with the default 0, any bad
//!   CRC fails). No counters (a real pen export without link statistics, a run killed before
//!   it wrote `timing.toml`): not applicable.
//! * `link.lag`: `lag_us_max` of `timing.toml` against `max_lag_ms` (or the run's own abort
//!   bound, `timing.toml`'s `lag_bound_us`, where `--max-lag-ms` set it lower), only for
//!   real-time clocks (a lockstep run cannot lag: not applicable; a real-time run without `timing.toml`,
//!   e.g. killed: not applicable, "not recorded"). The same limit is the link's abort bound
//!   during the run, so there is no acceptable band: above it fails.
//! * `run.complete`: when `expect.complete`, an incomplete recording fails with its reason;
//!   otherwise it passes either way.

use crate::limits::at_most;
use crate::metrics;
use crate::verdict::{Outcome, Verdict};
use needlebench_recording::{ClockMode, Meta, Timing};
use needlebench_scenario::Expect;

pub(crate) fn verdicts(
    meta: &Meta,
    timing: Option<&Timing>,
    expect: &Expect,
    out: &mut Vec<Verdict>,
) {
    out.push(crc_verdict(meta, timing, expect));
    out.push(lag_verdict(meta, timing, expect));
    out.push(complete_verdict(meta, expect));
}

fn crc_verdict(meta: &Meta, timing: Option<&Timing>, expect: &Expect) -> Verdict {
    let max = expect.max_crc_error_rate;
    let base = Verdict {
        criterion: "link.crc_rate".to_owned(),
        description: "Share of frames from the pen with a bad CRC".to_owned(),
        actual: 0.0,
        actual_text: String::new(),
        expected: format!("≤ {:.4} %", max * 100.0),
        unit: String::new(),
        outcome: Outcome::Pass,
        first_failure: None,
        metrics: metrics(&[]),
    };
    // Format 3 keeps the counters in timing.toml; formats 1 and 2 in meta.toml.
    match timing.and_then(|t| t.link).or(meta.legacy_link) {
        Some(link) => {
            let (bad, good) = (link.crc_errors as f64, link.frames_from_pen as f64);
            let total = bad + good;
            let rate = if total > 0.0 { bad / total } else { 0.0 };
            Verdict {
                actual: rate,
                actual_text: format!("{:.4} % ({bad:.0} of {total:.0} frames)", rate * 100.0),
                outcome: at_most(rate, max, 2.0 * max),
                metrics: metrics(&[("crc_errors", bad), ("frames", total), ("rate", rate)]),
                ..base
            }
        }
        None => Verdict {
            actual: 0.0,
            actual_text: "not recorded (no link counters)".to_owned(),
            outcome: Outcome::NotApplicable,
            ..base
        },
    }
}

fn lag_verdict(meta: &Meta, timing: Option<&Timing>, expect: &Expect) -> Verdict {
    // The run aborted at its own bound (`--max-lag-ms` may have set it below the scenario's
    // limit): the lag is judged against the stricter of the two.
    let bound_ms = timing
        .and_then(|t| t.lag_bound_us)
        .map(|us| us as f64 / 1000.0);
    let max = bound_ms.map_or(expect.max_lag_ms, |b| b.min(expect.max_lag_ms));
    let base = Verdict {
        criterion: "link.lag".to_owned(),
        description: "Largest lag of the real-time link behind its schedule".to_owned(),
        actual: 0.0,
        actual_text: String::new(),
        expected: format!("≤ {max} ms"),
        unit: "ms".to_owned(),
        outcome: Outcome::Pass,
        first_failure: None,
        metrics: metrics(&[]),
    };
    if meta.firmware.clock == ClockMode::Lockstep {
        return Verdict {
            actual: 0.0,
            actual_text: "lockstep clock: no schedule to lag behind".to_owned(),
            outcome: Outcome::NotApplicable,
            ..base
        };
    }
    match timing {
        Some(t) => {
            let ms = t.lag_us_max as f64 / 1000.0;
            Verdict {
                actual: ms,
                actual_text: format!("{ms:.1} ms"),
                outcome: at_most(ms, max, max),
                first_failure: None,
                metrics: metrics(&[
                    ("lag_ms_max", ms),
                    ("limit_ms", max),
                    ("abort_bound_ms", bound_ms.unwrap_or(0.0)),
                ]),
                ..base
            }
        }
        None => Verdict {
            actual: 0.0,
            actual_text: "not recorded (no timing.toml)".to_owned(),
            outcome: Outcome::NotApplicable,
            ..base
        },
    }
}

fn complete_verdict(meta: &Meta, expect: &Expect) -> Verdict {
    let complete = meta.run.is_complete();
    let outcome = if complete || !expect.complete {
        Outcome::Pass
    } else {
        Outcome::Fail
    };
    Verdict {
        criterion: "run.complete".to_owned(),
        description: "The run went to its planned end".to_owned(),
        actual: if complete { 1.0 } else { 0.0 },
        actual_text: if complete {
            "complete".to_owned()
        } else {
            format!("incomplete: {}", meta.run.reason)
        },
        expected: if expect.complete {
            "complete".to_owned()
        } else {
            "any".to_owned()
        },
        unit: String::new(),
        outcome,
        first_failure: if outcome == Outcome::Fail {
            Some(crate::verdict::Where {
                t_us: Some(meta.run.sim_duration_us),
                x_mm: None,
                y_mm: None,
            })
        } else {
            None
        },
        metrics: metrics(&[
            ("ticks", meta.run.ticks as f64),
            ("punctures", meta.run.punctures as f64),
        ]),
    }
}
