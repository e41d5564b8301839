//! The practice recorder: a trainee's hand drives the pen over a face map while the
//! simulation runs against the in-process reference firmware, tick by tick as the input
//! arrives, into an ordinary recording.
//!
//! [`LiveSession::new`] takes a treatment-plan scenario: the session treats its first plan
//! zone (zone, exposure, and the force and tilt a sample without its own would take), with the
//! scenario's pen, seed and skin variation; the hand's input replaces the zone's pattern, and
//! the scenario's tremor and injected faults are left out (the trainee's own hand trembles).
//! The operator's start presses are made for the trainee: they take the first ~1.3 s of
//! simulated time, before the hand begins.
//!
//! Time is passed in, never read from a clock, so tests drive a session with a virtual clock
//! and a viewer with its frame times. [`LiveSession::step_to`]`(t_s, input)` says "the hand
//! is at `input` at time `t_s`": the session runs every tick up to `t_s` with the hand moving
//! in a straight line from the previous sample to this one, at this sample's force and tilt
//! (force 0: the pen is lifted). The first sample is the moment the hand begins; the times of
//! the others count from it (seconds, non-decreasing; a sample at the same time as the one
//! before is dropped, the path having reached that time already).
//!
//! [`LiveSession::finish`] lifts the pen, lets the operator stop it, finishes the recording,
//! and writes beside it `hand-path.csv` (a path file: `t_s,x_mm,y_mm,force_n,tilt_deg`, one
//! row per sample kept) and `replay.toml`, a plan scenario whose single zone is freehand over
//! that path with the same pen, exposure, seed and skin: `needlebench run replay.toml` gives
//! the same `telemetry.csv`, `punctures.csv` and `events.csv`, byte for byte, because the
//! replay's freehand step builds the same path segments from the file (times and positions
//! written in the shortest form that reads back exactly) and runs them through the same tick
//! loop. A session dropped or ended with [`LiveSession::interrupt`] is flushed and marked
//! incomplete.

use crate::hand::{Builder, HandPath};
use crate::operator::Operator;
use crate::plan::{PlanPath, PlanSpec, PlanStep, StepPattern};
use crate::plan_run::PlanRun;
use crate::run::{TAIL_S, finish_run, interrupted};
use crate::setup::{PlanSetup, RunSetup, create_recording};
use crate::world::Ticker;
use crate::{RunError, RunStatus, RunSummary};
use needlebench_bridge::{ClockMode, InProcessTransport, Link, LinkOptions};
use needlebench_face::FaceMap;
use needlebench_firmware::Firmware;
use needlebench_recording::{PunctureRow, RecordingWriter};
use needlebench_scenario::Scenario;
use std::path::{Path, PathBuf};
use std::sync::atomic::AtomicBool;

/// The path file a session writes into its recording directory.
pub const HAND_PATH_FILE: &str = "hand-path.csv";
/// The scenario that replays a session, in its recording directory.
pub const REPLAY_FILE: &str = "replay.toml";

/// Largest pressing force of a sample, N (what a path file allows).
pub const FORCE_MAX_N: f64 = 50.0;
/// Largest tilt of a sample, degrees (what a path file allows).
pub const TILT_MAX_DEG: f64 = 45.0;

/// The hand at one instant.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct HandInput {
    /// Position of the pen in face coordinates, mm.
    pub pos_mm: [f64; 2],
    /// Pressing force, N (0–50; 0 = the pen is lifted).
    pub force_n: f64,
    /// Tilt from the skin normal, degrees (0–45).
    pub tilt_deg: f64,
}

/// What a session refuses.
#[derive(Debug, thiserror::Error)]
pub enum LiveError {
    /// The scenario has no `[plan]`: there is no face map to practise on.
    #[error("a practice session needs a treatment-plan scenario ([plan] with a zone)")]
    NotAPlan,
    /// A sample earlier than the one before.
    #[error("hand input at t = {t_s} s is earlier than the one before (t = {last_s} s)")]
    Backwards {
        /// The sample's time, s.
        t_s: f64,
        /// The time of the sample before, s.
        last_s: f64,
    },
    /// A sample out of range (a position not finite, a negative time, force or tilt out of
    /// range).
    #[error("hand input at t = {t_s} s: {message}")]
    BadInput {
        /// The sample's time, s.
        t_s: f64,
        /// What is wrong.
        message: String,
    },
    /// The session is over ([`LiveSession::finish`] or [`LiveSession::interrupt`] was
    /// called, or the run ended on a pen fault or a link failure: see the summary).
    #[error("the practice session has ended ({0})")]
    Ended(String),
    /// Running the simulation or writing the recording failed.
    #[error(transparent)]
    Run(#[from] RunError),
    /// The link to the in-process firmware could not be opened.
    #[error("cannot start the in-process firmware: {0}")]
    Link(String),
    /// Writing `hand-path.csv` or `replay.toml` failed.
    #[error("{}: cannot write: {source}", path.display())]
    Write {
        /// The file.
        path: PathBuf,
        /// Why.
        source: std::io::Error,
    },
}

/// A practice session in progress (see the module docs).
pub struct LiveSession {
    /// The scenario as practised (tremor and injections left out).
    scenario: Scenario,
    link: Link,
    writer: Option<RecordingWriter>,
    ticker: Ticker,
    /// The path's builder (its segments move into the ticker's hand as they are made).
    builder: Builder,
    /// The step practised.
    step: PlanStep,
    /// Session time → simulated time: `t_base + t_s`.
    t_base: Option<f64>,
    /// The samples kept, in time order.
    samples: Vec<(f64, HandInput)>,
    /// The hand touched the skin (its zone has started).
    touched: bool,
    dir: PathBuf,
    /// How the session ended, once it has.
    summary: Option<RunSummary>,
    /// [`LiveSession::finish`] or [`LiveSession::interrupt`] has returned.
    reported: bool,
}

impl LiveSession {
    /// Start a session of `scenario` (a plan) recording into `out` (which must not exist yet,
    /// or be an empty directory, as for a run). The operator's start presses are not run yet:
    /// the first [`LiveSession::step_to`] runs them.
    pub fn new(scenario: &Scenario, out: &Path) -> Result<LiveSession, LiveError> {
        let mut scenario = scenario.clone();
        scenario.hand.tremor_mm = 0.0;
        scenario.inject.clear();
        let config = crate::pen::firmware_config(&scenario);
        let firmware = Firmware::new(config.clone()).map_err(|e| LiveError::Link(e.to_string()))?;
        let transport = Box::new(InProcessTransport::new(firmware));
        let link = Link::connect(transport, LinkOptions::default())
            .map_err(|e| LiveError::Link(e.to_string()))?;
        let setup = RunSetup::new(&scenario, &config)?;
        let plan = live_plan(&setup)?;
        let operator = Operator::new(setup.speed_level, 1);
        let t0_s = operator.hand_start_s;
        let path = PlanPath::new(&plan.spec, &plan.face_map, t0_s);
        let step = plan.spec.steps[0].clone();
        let plan_run = PlanRun::without_events(path, plan.face_map.clone(), 0.0);
        let mut ticker = Ticker::new(
            &setup,
            &link,
            HandPath::from_segments(Vec::new()),
            Some(plan_run),
            operator,
        )?;
        ticker.tap = Some(Vec::new());
        let meta = setup.recording_meta(&link, "in-process", ClockMode::Lockstep);
        let writer = create_recording(&scenario, out, meta, false)?;
        Ok(LiveSession {
            builder: Builder::new(t0_s, step.glide_mm_s),
            step,
            scenario,
            link,
            writer: Some(writer),
            ticker,
            t_base: None,
            samples: Vec::new(),
            touched: false,
            dir: out.to_owned(),
            summary: None,
            reported: false,
        })
    }

    /// The hand is at `input` at session time `t_s`: run every tick up to then (see the
    /// module docs). Errors: a time earlier than the last sample's, input out of range, a
    /// session that has ended.
    pub fn step_to(&mut self, t_s: f64, input: HandInput) -> Result<(), LiveError> {
        self.check_open()?;
        check_input(t_s, input)?;
        let Some(t_base) = self.t_base else {
            // the first sample: the hand begins here; nothing to glide from yet
            self.builder.travel_to(input.pos_mm);
            self.t_base = Some(self.builder.t_s - t_s);
            self.samples.push((t_s, input));
            return Ok(());
        };
        let (last_s, last) = self.samples[self.samples.len() - 1];
        if t_s < last_s {
            return Err(LiveError::Backwards { t_s, last_s });
        }
        if t_s <= last_s {
            return Ok(());
        }
        // as the replay's freehand step does (`plan::freehand_with_force`)
        let t_end = (t_base + t_s).max(self.builder.t_s);
        let on_skin = input.force_n > 0.0;
        self.builder
            .push(last.pos_mm, input.pos_mm, t_end - self.builder.t_s, on_skin);
        self.builder.at = Some(input.pos_mm);
        self.samples.push((t_s, input));
        self.adopt_segments(Some((input.force_n.max(0.0), input.tilt_deg)));
        self.run_to(t_end)
    }

    /// Lift the pen, let the operator stop it, finish the recording and write
    /// `hand-path.csv` and `replay.toml` beside it (`replay.toml` only when the hand gave at
    /// least two samples: a path file needs two rows). Returns the run's summary; a second
    /// call is an error.
    pub fn finish(&mut self) -> Result<RunSummary, LiveError> {
        if self.reported {
            return Err(LiveError::Ended("finish was called already".to_owned()));
        }
        if let Some(summary) = self.summary.clone() {
            // the run had ended by itself (a pen fault, a link failure)
            self.reported = true;
            self.write_files()?;
            return Ok(summary);
        }
        self.check_open()?;
        self.reported = true;
        // the end of the replay's freehand step: its lift, with the step's force and tilt
        self.builder.lift();
        let (force_n, tilt_deg) = (self.step.force_n, self.step.tilt_deg);
        self.adopt_segments(Some((force_n, tilt_deg)));
        if !self.touched {
            self.start_zone(self.builder.t_s);
        }
        let end_s = self.builder.t_s;
        self.ticker.world.operator.stop_at(end_s + 0.05);
        let total = ((end_s + TAIL_S) * 1e6 / self.ticker.period_us as f64).ceil() as u64;
        let mut writer = self
            .writer
            .take()
            .ok_or(LiveError::Ended("finished".into()))?;
        let status = run_ticks(
            &self.scenario,
            &mut self.ticker,
            &mut self.link,
            &mut writer,
            |t| t.tick < total,
        )?
        .unwrap_or(RunStatus::Complete);
        let summary = finish_run(status, self.ticker.fault_end.take(), &self.link, writer)?;
        self.summary = Some(summary.clone());
        self.write_files()?;
        Ok(summary)
    }

    /// End the session early (the trainee quit, the window closed): the recording is
    /// flushed and marked incomplete (`interrupted`), and `hand-path.csv` and `replay.toml`
    /// are written for what there is.
    pub fn interrupt(&mut self) -> Result<RunSummary, LiveError> {
        self.check_open()?;
        self.reported = true;
        let writer = self
            .writer
            .take()
            .ok_or(LiveError::Ended("finished".into()))?;
        let t_us = self.ticker.tick * self.ticker.period_us;
        let summary = finish_run(interrupted(t_us), None, &self.link, writer)?;
        self.summary = Some(summary.clone());
        self.write_files()?;
        Ok(summary)
    }

    /// Simulated time the session has run to, s (from the start of the recording).
    pub fn sim_time_s(&self) -> f64 {
        self.ticker.t_s_of(self.ticker.tick)
    }

    /// The puncture rows written since the last call (or since the session began), in the
    /// order written — the rows `punctures.csv` holds, for drawing them as they happen.
    pub fn drain_punctures(&mut self) -> Vec<PunctureRow> {
        self.ticker
            .tap
            .as_mut()
            .map(std::mem::take)
            .unwrap_or_default()
    }

    /// Punctures recorded so far.
    pub fn punctures(&self) -> u64 {
        self.writer.as_ref().map_or_else(
            || self.summary.as_ref().map_or(0, |s| s.punctures),
            |w| w.meta().run.punctures,
        )
    }

    /// The recording directory.
    pub fn recording_dir(&self) -> &Path {
        &self.dir
    }

    /// The face map practised on.
    pub fn face_map(&self) -> Option<&FaceMap> {
        self.scenario.plan.as_ref().map(|p| &*p.face_map)
    }

    /// The zone practised: its index in the face map's `zones`.
    pub fn zone(&self) -> usize {
        self.step.zone
    }

    /// The exposure practised at, mm.
    pub fn exposure_mm(&self) -> f64 {
        self.step.exposure_um / 1000.0
    }

    /// The run has ended (finished, interrupted, or stopped by a pen fault or link failure).
    pub fn has_ended(&self) -> bool {
        self.writer.is_none() || self.summary.is_some()
    }

    fn check_open(&self) -> Result<(), LiveError> {
        match (&self.summary, &self.writer) {
            (Some(s), _) => Err(LiveError::Ended(match &s.status {
                RunStatus::Complete => "finished".to_owned(),
                RunStatus::Incomplete { reason, .. } => reason.clone(),
            })),
            (None, None) => Err(LiveError::Ended("finished".to_owned())),
            (None, Some(_)) => Ok(()),
        }
    }

    /// Move the builder's new segments into the hand being run, each with `force_tilt`.
    fn adopt_segments(&mut self, force_tilt: Option<(f64, f64)>) {
        let new: Vec<_> = self.builder.segments.drain(..).collect();
        for seg in new {
            if seg.on_skin && !self.touched {
                self.start_zone(seg.t0_s);
            }
            if let (Some(plan), Some((force_n, tilt_deg))) =
                (&mut self.ticker.world.plan, force_tilt)
            {
                plan.path.push_force_tilt(force_n, tilt_deg);
            }
            self.ticker.world.hand.push(seg);
        }
    }

    /// The practised zone begins at `t_s`.
    fn start_zone(&mut self, t_s: f64) {
        self.touched = true;
        if let Some(plan) = &mut self.ticker.world.plan {
            plan.start_step_at(0, t_s);
        }
    }

    /// Run every tick before simulated time `end_s`; a run that ends by itself (pen fault
    /// grace over, link failure) is finished here and the session ends.
    fn run_to(&mut self, end_s: f64) -> Result<(), LiveError> {
        let Some(writer) = self.writer.as_mut() else {
            return Err(LiveError::Ended("finished".to_owned()));
        };
        let ended = run_ticks(
            &self.scenario,
            &mut self.ticker,
            &mut self.link,
            writer,
            |t| t.t_s_of(t.tick) < end_s,
        )?;
        if let Some(end) = ended {
            let writer = self
                .writer
                .take()
                .ok_or(LiveError::Ended("finished".into()))?;
            let summary = finish_run(end, self.ticker.fault_end.take(), &self.link, writer)?;
            self.summary = Some(summary);
        }
        Ok(())
    }

    /// `hand-path.csv` and (with two samples or more) `replay.toml`.
    fn write_files(&self) -> Result<(), LiveError> {
        let path = self.dir.join(HAND_PATH_FILE);
        let mut text = String::from("t_s,x_mm,y_mm,force_n,tilt_deg\n");
        for (t_s, h) in &self.samples {
            let [x, y] = h.pos_mm;
            text.push_str(&format!("{t_s},{x},{y},{},{}\n", h.force_n, h.tilt_deg));
        }
        write(&path, &text)?;
        if self.samples.len() >= 2 {
            write(&self.dir.join(REPLAY_FILE), &self.replay_toml())?;
        }
        Ok(())
    }

    /// The scenario that replays this session from `hand-path.csv`.
    fn replay_toml(&self) -> String {
        let s = &self.scenario;
        let mut t = format!(
            "# Replays the practice session recorded in this directory: the hand follows\n\
             # {HAND_PATH_FILE} over one zone, with the session's pen, exposure, seed and skin.\n\
             name = {}\ndescription = \"replay of a practice session\"\nseed = {}\n",
            quoted(&format!("{}-replay", s.name)),
            s.seed
        );
        if let Some(limit) = s.firmware.cartridge_limit_s {
            t.push_str(&format!(
                "[firmware]\ncartridge_limit_s = {}\n",
                float(limit)
            ));
        }
        if let Some(pen) = s.pen() {
            t.push_str(&format!(
                "[pen]\ncartridge = {}\nspeed_level = {}\nbattery_soc = {}\ncartridge_id = {}\n",
                quoted(pen.cartridge.name()),
                self.ticker_speed_level(),
                float(pen.battery_soc),
                pen.cartridge_id,
            ));
        }
        t.push_str(&format!(
            "[skin]\nthickness_variation = {}\nvariation_length_mm = {}\n[hand]\ntremor_mm = 0.0\n",
            float(s.skin.thickness_variation),
            float(s.skin.variation_length_mm)
        ));
        if let Some(plan) = &s.plan {
            let builtin = FaceMap::builtin(&plan.face_map_ref).is_some();
            let face_map = if builtin {
                plan.face_map_ref.clone()
            } else {
                needlebench_recording::FACE_MAP_FILE.to_owned()
            };
            let zone = plan
                .face_map
                .zones
                .get(self.step.zone)
                .map_or("", |z| z.id.as_str());
            t.push_str(&format!(
                "[plan]\nface_map = {}\n[[plan.zone]]\nzone = {}\nexposure_mm = {}\n\
                 pattern = \"freehand\"\nwaypoints_csv = \"{HAND_PATH_FILE}\"\nforce_n = {}\n\
                 tilt_deg = {}\n",
                quoted(&face_map),
                quoted(zone),
                float(self.step.exposure_um / 1000.0),
                float(self.step.force_n),
                float(self.step.tilt_deg),
            ));
        }
        t
    }

    fn ticker_speed_level(&self) -> u8 {
        let config = crate::pen::firmware_config(&self.scenario);
        RunSetup::new(&self.scenario, &config).map_or(1, |s| s.speed_level)
    }
}

impl Drop for LiveSession {
    /// A session dropped before it ended is marked incomplete (`interrupted`).
    fn drop(&mut self) {
        if self.writer.is_some() && self.summary.is_none() {
            // nobody to report to: the recording is flushed and marked incomplete
            let _ = self.interrupt();
        }
    }
}

/// Run ticks of `scenario` while `more` says so; `Some(status)` when the run ended by itself.
fn run_ticks(
    scenario: &Scenario,
    ticker: &mut Ticker,
    link: &mut Link,
    writer: &mut RecordingWriter,
    more: impl Fn(&Ticker) -> bool,
) -> Result<Option<RunStatus>, RunError> {
    let config = crate::pen::firmware_config(scenario);
    let setup = RunSetup::new(scenario, &config)?;
    let never = AtomicBool::new(false);
    while more(ticker) {
        if let Some(end) = ticker.tick(&setup, link, writer, &never)? {
            return Ok(Some(end));
        }
    }
    Ok(None)
}

/// The plan a session practises: the scenario's first plan zone, over the hand's input, at
/// that zone's exposure from the start.
fn live_plan(setup: &RunSetup<'_>) -> Result<PlanSetup, LiveError> {
    let mut plan = setup.plan.clone().ok_or(LiveError::NotAPlan)?;
    let mut step = plan
        .spec
        .steps
        .first()
        .cloned()
        .ok_or(LiveError::NotAPlan)?;
    step.pattern = StepPattern::Freehand(Vec::new());
    step.passes = 1;
    step.offset_mm = [0.0, 0.0];
    plan.spec = PlanSpec {
        start_exposure_um: step.exposure_um,
        steps: vec![step],
        ..plan.spec
    };
    Ok(plan)
}

fn check_input(t_s: f64, h: HandInput) -> Result<(), LiveError> {
    let bad = |message: String| Err(LiveError::BadInput { t_s, message });
    if !t_s.is_finite() || t_s < 0.0 {
        return bad("the time must be a finite number ≥ 0 s".to_owned());
    }
    if !h.pos_mm.iter().all(|v| v.is_finite()) {
        return bad("the position must be finite".to_owned());
    }
    if !(0.0..=FORCE_MAX_N).contains(&h.force_n) {
        return bad(format!(
            "force_n {} is outside 0–{} N",
            h.force_n, FORCE_MAX_N
        ));
    }
    if !(0.0..=TILT_MAX_DEG).contains(&h.tilt_deg) {
        return bad(format!(
            "tilt_deg {} is outside 0–{}°",
            h.tilt_deg, TILT_MAX_DEG
        ));
    }
    Ok(())
}

fn write(path: &Path, text: &str) -> Result<(), LiveError> {
    std::fs::write(path, text).map_err(|source| LiveError::Write {
        path: path.to_owned(),
        source,
    })
}

/// A TOML basic string.
fn quoted(s: &str) -> String {
    toml::Value::String(s.to_owned()).to_string()
}

/// A TOML float that reads back to `x` exactly.
fn float(x: f64) -> String {
    toml::Value::Float(x).to_string()
}
