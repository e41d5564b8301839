//! The run loop: one iteration per firmware tick (`1 000 000 / tick_rate_hz` µs of simulated
//! time, the rate the pen announced in its hello: 1 ms for the reference firmware).
//!
//! Per tick: the operator's buttons and the hand's position, force and tilt are evaluated;
//! the pen plant advances one tick under the duty the firmware commanded on the previous tick
//! (a zero-order hold, as a PWM peripheral holds its last compare value); the sensor frame
//! is built from the plant's outputs with any injected fault applied; the link carries it to
//! the firmware and returns the actuator frame and events; everything is streamed to the
//! recording. No wall clock enters the simulation and every random draw comes from the seed,
//! so a lockstep run is reproducible byte for byte.
//!
//! A pen fault ends the run [`AFTER_FAULT_S`] later (so the recording shows the motor
//! stopping), marked incomplete with the fault as the reason; a link failure ends it at once,
//! also marked incomplete. Everything recorded up to then is on disk.

use crate::hand::HandPath;
use crate::operator::Operator;
use crate::plan::PlanPath;
use crate::plan_run::PlanRun;
use crate::setup::RunSetup;
use crate::world::{Ticker, t_us_of};
use crate::{RunError, RunStatus, RunSummary};
use needlebench_bridge::{Link, LinkStats};
use needlebench_recording::{EndReason, LinkCounters, RecordingWriter, Timing};
use std::sync::atomic::{AtomicBool, Ordering};

/// The reason an interrupted run gives.
pub const INTERRUPTED: &str = "interrupted";

pub use needlebench_recording::TIMING_FILE;

/// How long a link failure waits for a stop request that explains it (Ctrl-C reaching the
/// pen as well as the bench) before it is recorded as a link failure.
const STOP_GRACE: std::time::Duration = std::time::Duration::from_millis(200);

/// Simulated time after a pen fault during which the run goes on recording, s.
pub const AFTER_FAULT_S: f64 = 0.5;
/// Simulated time after the hand's last lift before the run ends, s.
pub(crate) const TAIL_S: f64 = 0.4;
/// Load torque of a jammed needle carriage, N·m (several times the motor's stall torque).
pub const JAM_TORQUE_NM: f64 = 0.05;
/// The pen moving this far over the skin brings fresh, uncompressed skin under the needles,
/// mm (about half the needle pitch of a 36-needle cartridge).
pub const FRESH_SKIN_MM: f64 = 0.5;

/// Progress, reported once per simulated second.
#[derive(Debug, Clone, Copy)]
pub struct Progress {
    /// Simulated time so far, s.
    pub sim_s: f64,
    /// Simulated time the run takes if nothing ends it early, s.
    pub total_s: f64,
    /// Punctures so far.
    pub punctures: u64,
}

/// Run `setup` over `link`, streaming into `writer`, which is finished (its meta marked
/// complete, or incomplete with the reason) whatever happens.
pub fn run(
    setup: &RunSetup<'_>,
    link: &mut Link,
    writer: RecordingWriter,
    progress: impl FnMut(Progress),
) -> Result<RunSummary, RunError> {
    run_until(setup, link, writer, progress, &AtomicBool::new(false))
}

/// [`run`], stopping at the next tick once `stop` is set (e.g. by Ctrl-C): the recording is
/// flushed and finished as incomplete with the reason [`INTERRUPTED`].
pub fn run_until(
    setup: &RunSetup<'_>,
    link: &mut Link,
    mut writer: RecordingWriter,
    mut progress: impl FnMut(Progress),
    stop: &AtomicBool,
) -> Result<RunSummary, RunError> {
    let scenario = setup.scenario;
    let mut operator = Operator::new(setup.speed_level, 1);
    let (hand, plan) = match &setup.plan {
        Some(p) => {
            let mut path = PlanPath::new(&p.spec, &p.face_map, operator.hand_start_s);
            let hand = std::mem::replace(&mut path.hand, HandPath::from_segments(Vec::new()));
            let plan = PlanRun::new(path, p.face_map.clone(), p.spec.depth_change_s);
            (hand, Some(plan))
        }
        None => (HandPath::new(&setup.motion, operator.hand_start_s), None),
    };
    operator.stop_at(hand.end_s() + 0.05);
    let natural_end_s = hand.end_s() + TAIL_S;
    let end_s = scenario
        .duration_s
        .map_or(natural_end_s, |d| d.min(natural_end_s));
    let mut ticker = Ticker::new(setup, link, hand, plan, operator)?;
    let total_ticks = (end_s * 1e6 / ticker.period_us as f64).ceil() as u64;
    let mut status = RunStatus::Complete;
    while ticker.tick < total_ticks {
        if let Some(end) = ticker.tick(setup, link, &mut writer, stop)? {
            status = end;
            break;
        }
        if ticker.tick.is_multiple_of(ticker.ticks_per_s) {
            progress(Progress {
                sim_s: ticker.t_s_of(ticker.tick - 1),
                total_s: end_s,
                punctures: writer.meta().run.punctures,
            });
        }
    }
    finish_run(status, ticker.fault_end, link, writer)
}

/// End a run that ended with `status` (a pen fault's reason in `fault_end`): finish the
/// recording and write `timing.toml`.
pub(crate) fn finish_run(
    mut status: RunStatus,
    fault_end: Option<(u64, String)>,
    link: &Link,
    writer: RecordingWriter,
) -> Result<RunSummary, RunError> {
    if let (RunStatus::Complete, Some((_, reason))) = (&status, fault_end) {
        status = RunStatus::Incomplete {
            end: EndReason::PenFault,
            reason,
        };
    }
    let stats = link.stats();
    let dir = writer.dir().to_owned();
    let meta = writer.finish(status.clone())?;
    timing(&stats, link.lag_bound_us()).write(&dir)?;
    Ok(RunSummary {
        status,
        ticks: meta.run.ticks,
        punctures: meta.run.punctures,
        link: stats,
        meta,
    })
}

/// The line counters of `stats` for `timing.toml`: a late reply makes the link grant its tick
/// again, so even in lockstep they depend on the wall clock and stay out of `meta.toml`.
fn link_counters(s: &LinkStats) -> LinkCounters {
    LinkCounters {
        ticks: s.ticks,
        frames_to_pen: s.frames_to_pen,
        frames_from_pen: s.frames_from_pen,
        bytes_to_pen: s.bytes_to_pen,
        bytes_from_pen: s.bytes_from_pen,
        crc_errors: s.crc_errors,
        resyncs: s.resyncs,
        oversize: s.oversize,
        unknown_type: s.unknown_type,
        malformed: s.malformed,
        dropped_frames: s.dropped_frames,
        retransmits: s.retransmits,
    }
}

/// The figures of `stats` that depend on the line and the wall clock, for `timing.toml`: they
/// vary from run to run, so they never enter `meta.toml`.
fn timing(s: &LinkStats, lag_bound_us: Option<u64>) -> Timing {
    Timing {
        rtt_us_p50: s.rtt_us_p50,
        rtt_us_p99: s.rtt_us_p99,
        rtt_us_max: s.rtt_us_max,
        lag_us_max: s.lag_us_max,
        lag_bound_us,
        link: Some(link_counters(s)),
    }
}

/// How a run stopped by Ctrl-C or SIGTERM at `t_us` ends.
pub(crate) fn interrupted(t_us: u64) -> RunStatus {
    RunStatus::Incomplete {
        end: EndReason::Interrupted,
        reason: format!("{INTERRUPTED} at t = {:.3} s", t_us as f64 / 1e6),
    }
}

/// The link failed at `tick`: an event, and the status the run ends with. A failure while
/// `stop` is set is the interruption's doing (Ctrl-C reaches an emulator child too), so the
/// run ends as interrupted.
pub(crate) fn link_failed(
    writer: &mut RecordingWriter,
    tick: u64,
    period_us: u64,
    e: &needlebench_bridge::LinkError,
    stop: &AtomicBool,
) -> Result<RunStatus, RunError> {
    // A Ctrl-C at a terminal reaches a pen started from it too, and its death can beat the
    // bench's own signal handler by a few milliseconds: a failure followed that closely by a
    // stop request is the interruption's doing. (This wait happens only on the failure path,
    // which is already wall-clock bound; the simulation never sees it.)
    let deadline = std::time::Instant::now() + STOP_GRACE;
    while !stop.load(Ordering::Relaxed) && std::time::Instant::now() < deadline {
        std::thread::sleep(std::time::Duration::from_millis(5));
    }
    if stop.load(Ordering::Relaxed) {
        return Ok(interrupted(t_us_of(tick, period_us)));
    }
    let t_us = t_us_of(tick, period_us);
    writer.event(&crate::events::link_failure_event(tick, t_us, e))?;
    let reason = format!("link failure at t = {:.3} s: {e}", t_us as f64 / 1e6);
    Ok(RunStatus::Incomplete {
        end: EndReason::LinkFailure,
        reason,
    })
}
