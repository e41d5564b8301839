//! Practice mode's plain-Rust core: the trainee's pointer drives a live practice session
//! (`needlebench_runner::live::LiveSession`) over the face map, frame by frame; the bevy side
//! ([`crate::app::practice`]) only reads the pointer, the keys and the frame time and hands
//! them to [`PracticeDriver::frame`], so a test drives the very same code with a virtual clock.
//!
//! - Where the pointer is: [`skin_point_mm`] intersects the camera ray through the cursor with
//!   the skin plane (world y = 0; world x = face x mm, world z = −face y mm, so a camera
//!   looking straight down with −z up shows the face upright).
//! - Pressing force: [`step_force`], ↑/↓ in steps of [`FORCE_STEP_N`] within
//!   [`FORCE_MIN_N`]–[`FORCE_MAX_N`]; the left mouse button held presses the pen on the skin
//!   at that force, released lifts it (force 0).
//! - Time: the frame's delta (bevy's `Time`, never a wall clock read here) advances the
//!   session; the hand begins when the pointer first lies on the skin plane.
//! - Punctures: each frame takes the rows the session wrote since the last
//!   (`LiveSession::drain_punctures`), for the window to draw as they happen.
//! - The end: [`PracticeDriver::finish`] finishes the recording (with `hand-path.csv` and
//!   `replay.toml`) and scores it with `needlebench-score`, as `needlebench score` would.

use crate::scorecard::{ScoreCard, format_score, score_dir};
use bevy::math::Vec3;
use needlebench_face::FaceMap;
use needlebench_runner::live::{HandInput, LiveError, LiveSession, REPLAY_FILE};
use needlebench_scenario::Scenario;
use std::path::{Path, PathBuf};

/// Smallest pressing force the keys set, N.
pub const FORCE_MIN_N: f64 = 0.5;
/// Largest pressing force the keys set, N.
pub const FORCE_MAX_N: f64 = 6.0;
/// One ↑/↓ press, N.
pub const FORCE_STEP_N: f64 = 0.5;
/// The force a session starts at, N.
pub const FORCE_START_N: f64 = 2.5;

/// The help practice mode always shows.
pub const HELP: &str = "Move the mouse over the face; hold the left button to press the pen on the skin; \
     ↑/↓ force; Enter/Esc to finish and score";

/// `force_n` moved by `steps` key presses (+ up, − down), kept within
/// [`FORCE_MIN_N`]–[`FORCE_MAX_N`] and on the [`FORCE_STEP_N`] grid.
pub fn step_force(force_n: f64, steps: i32) -> f64 {
    let stepped = force_n + f64::from(steps) * FORCE_STEP_N;
    ((stepped / FORCE_STEP_N).round() * FORCE_STEP_N).clamp(FORCE_MIN_N, FORCE_MAX_N)
}

/// Where a ray from `origin` along `direction` (world units = mm) meets the skin plane, in face
/// mm; `None` when it runs parallel to the plane or away from it.
pub fn skin_point_mm(origin: Vec3, direction: Vec3) -> Option<[f64; 2]> {
    if direction.y.abs() < 1e-6 {
        return None;
    }
    let t = -origin.y / direction.y;
    if !(t.is_finite() && t >= 0.0) {
        return None;
    }
    let p = origin + direction * t;
    Some([f64::from(p.x), -f64::from(p.z)])
}

/// A face-mm point in the world (on the skin plane).
pub fn world_of_mm(p_mm: [f64; 2]) -> Vec3 {
    Vec3::new(p_mm[0] as f32, 0.0, -p_mm[1] as f32)
}

/// One sample of the pen's path as drawn: where, and whether it pressed on the skin.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct PathPoint {
    /// Face position, mm.
    pub pos_mm: [f64; 2],
    /// The pen pressed on the skin.
    pub pressed: bool,
}

/// A practice session driven frame by frame (see the module docs).
pub struct PracticeDriver {
    session: LiveSession,
    face: FaceMap,
    /// Pressing force while the button is held, N.
    force_n: f64,
    /// Session time, s (from the hand's first sample); `None` before the hand begins.
    t_s: Option<f64>,
    /// The pen's path so far.
    path: Vec<PathPoint>,
    /// Every puncture so far: position (mm) and depth (µm), taken from the session each frame.
    punctures: Vec<LivePuncture>,
}

/// A puncture as practice mode draws it.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct LivePuncture {
    /// Face position, mm.
    pub pos_mm: [f32; 2],
    /// Depth below the skin surface, µm.
    pub depth_um: f32,
}

/// What a finished session gives.
#[derive(Debug, Clone, PartialEq)]
pub struct PracticeReport {
    /// The recording directory.
    pub dir: PathBuf,
    /// Punctures made.
    pub punctures: u64,
    /// The score, or why there is none.
    pub card: Result<ScoreCard, String>,
}

impl PracticeReport {
    /// The lines practice mode prints when it ends: recording, score, replay command.
    pub fn text(&self) -> String {
        let score = match &self.card {
            Ok(c) => format!(
                "score: {} ({})",
                format_score(c.overall),
                if c.passed { "pass" } else { "fail" }
            ),
            Err(why) => format!("not scored: {why}"),
        };
        format!(
            "recording: {}\npunctures: {}\n{score}\nreplay: needlebench run {}\n",
            self.dir.display(),
            self.punctures,
            self.dir.join(REPLAY_FILE).display()
        )
    }
}

impl PracticeDriver {
    /// Start a session of `scenario` (a treatment plan; its first zone is practised)
    /// recording into `out`.
    pub fn start(scenario: &Scenario, out: &Path) -> Result<PracticeDriver, LiveError> {
        let session = LiveSession::new(scenario, out)?;
        let face = session.face_map().cloned().ok_or(LiveError::NotAPlan)?;
        Ok(PracticeDriver {
            session,
            face,
            force_n: FORCE_START_N,
            t_s: None,
            path: Vec::new(),
            punctures: Vec::new(),
        })
    }

    /// One frame: `dt_s` seconds passed; the pointer is at `pointer_mm` on the skin plane
    /// (`None`: off the window, or no pointer — the pen stays where it was); `pressed`: the
    /// button is held; `force_steps`: ↑ presses minus ↓ presses this frame.
    pub fn frame(
        &mut self,
        dt_s: f64,
        pointer_mm: Option<[f64; 2]>,
        pressed: bool,
        force_steps: i32,
    ) -> Result<(), LiveError> {
        self.force_n = step_force(self.force_n, force_steps);
        let pos_mm = match (pointer_mm, self.path.last()) {
            (Some(p), _) => p,
            (None, Some(last)) => last.pos_mm,
            // the hand has not begun: nothing to simulate yet
            (None, None) => return Ok(()),
        };
        let t_s = match self.t_s {
            None => 0.0,
            Some(t) => t + dt_s.max(0.0),
        };
        self.t_s = Some(t_s);
        let input = HandInput {
            pos_mm,
            force_n: if pressed { self.force_n } else { 0.0 },
            tilt_deg: 0.0,
        };
        self.session.step_to(t_s, input)?;
        self.path.push(PathPoint { pos_mm, pressed });
        self.punctures
            .extend(self.session.drain_punctures().iter().map(|p| LivePuncture {
                pos_mm: [p.x_mm, p.y_mm],
                depth_um: p.depth_um,
            }));
        Ok(())
    }

    /// Finish the recording and score it.
    pub fn finish(mut self) -> Result<PracticeReport, LiveError> {
        let summary = self.session.finish()?;
        let dir = self.session.recording_dir().to_path_buf();
        Ok(PracticeReport {
            card: score_dir(&dir),
            punctures: summary.punctures,
            dir,
        })
    }

    /// Pressing force while the button is held, N.
    pub fn force_n(&self) -> f64 {
        self.force_n
    }

    /// Punctures made so far.
    pub fn punctures(&self) -> u64 {
        self.session.punctures()
    }

    /// Simulated time, s (the operator's start presses included).
    pub fn sim_time_s(&self) -> f64 {
        self.session.sim_time_s()
    }

    /// The pen's path so far, one point a frame.
    pub fn path(&self) -> &[PathPoint] {
        &self.path
    }

    /// Every puncture so far, in the order made.
    pub fn live_punctures(&self) -> &[LivePuncture] {
        &self.punctures
    }

    /// The face map practised on.
    pub fn face_map(&self) -> &FaceMap {
        &self.face
    }

    /// The exposure practised at, mm.
    pub fn exposure_mm(&self) -> f64 {
        self.session.exposure_mm()
    }

    /// The zone practised (an index into the face map's zones).
    pub fn zone(&self) -> usize {
        self.session.zone()
    }
}
