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
//! - A pen tablet or touch screen ([`PenInput::pressure`]): where the platform reports the
//!   touch's pressure (winit: Windows pen and touch, iOS; not X11, where a tablet is a mouse),
//!   the pressure sets the force ([`pressure_force_n`]: full pressure is [`FORCE_MAX_N`], a
//!   touch lighter than [`PRESSURE_CONTACT`] is lifted) and a stylus's altitude its tilt
//!   ([`tilt_of_altitude_deg`]). A touch without pressure presses at the keys' force.
//! - The panels: while the pointer is over one (help, score), it drives nothing
//!   ([`PenInput::over_panel`]): the pen waits where it was, lifted, so a click on a panel
//!   never presses the skin.
//! - Putting the pen down: a frame that presses where the pen was lifted, somewhere else,
//!   first moves it there lifted; it presses from the next frame. Without this, a pointer that
//!   jumped (off a panel, off the window, a touch somewhere new) would drag the pressed pen in
//!   a straight line across the face from where it was.
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

/// The help practice mode always shows (plain words for the keys: egui's default fonts have
/// no arrow glyphs).
pub const HELP: &str = "Move the mouse over the face; hold the left button to press the pen on the skin; \
     the Up and Down arrow keys set the force; a pen tablet's pressure sets it where the system \
     reports it; Enter or Esc finishes and scores";

/// Most live punctures practice mode draws (the latest), as marks: a whole practice pass
/// of a zone, which the replay viewer's recent window ([`crate::lod`]) is not meant to be.
pub const LIVE_PUNCTURES_DRAWN: usize = 40_000;

/// A touch lighter than this (normalised pressure, 0..=1) leaves the pen lifted.
pub const PRESSURE_CONTACT: f64 = 0.02;

/// The force a normalised pen pressure (0..=1) presses with, N: proportional, full pressure
/// [`FORCE_MAX_N`], at least [`FORCE_MIN_N`]; `None` (lifted) under [`PRESSURE_CONTACT`] or
/// for a pressure that is not a number.
pub fn pressure_force_n(pressure: f64) -> Option<f64> {
    if pressure.is_nan() || pressure < PRESSURE_CONTACT {
        return None;
    }
    Some((pressure.min(1.0) * FORCE_MAX_N).clamp(FORCE_MIN_N, FORCE_MAX_N))
}

/// A stylus's tilt from the vertical, degrees, from its altitude above the screen (radians,
/// π/2 upright), within what a hand path allows (0–`TILT_MAX_DEG` of the runner).
pub fn tilt_of_altitude_deg(altitude_rad: f64) -> f64 {
    if !altitude_rad.is_finite() {
        return 0.0;
    }
    (90.0 - altitude_rad.to_degrees()).clamp(0.0, needlebench_runner::live::TILT_MAX_DEG)
}

/// What the trainee's hand does in one frame.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct PenInput {
    /// Where the pointer meets the skin plane, face mm (`None`: off the face or no pointer).
    pub pointer_mm: Option<[f64; 2]>,
    /// The left button (or a touch) is held.
    pub pressed: bool,
    /// ↑ presses minus ↓ presses this frame.
    pub force_steps: i32,
    /// A pen tablet's or touch screen's normalised pressure, 0..=1, when the platform
    /// reports one (it then sets the force and whether the pen touches).
    pub pressure: Option<f64>,
    /// A stylus's tilt from the vertical, degrees, when it reports its altitude.
    pub tilt_deg: Option<f64>,
    /// The pointer is over a panel: the pen does not follow it and stays lifted.
    pub over_panel: bool,
}

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
    /// The previous frame wanted the pen down (see "Putting the pen down").
    wanted_down: bool,
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
            wanted_down: false,
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
        self.frame_input(
            dt_s,
            PenInput {
                pointer_mm,
                pressed,
                force_steps,
                ..PenInput::default()
            },
        )
    }

    /// One frame of `dt_s` seconds with the hand's `input` (see the module docs: a pressure
    /// sets the force, a pointer over a panel drives nothing).
    pub fn frame_input(&mut self, dt_s: f64, input: PenInput) -> Result<(), LiveError> {
        self.force_n = step_force(self.force_n, input.force_steps);
        let (pointer_mm, mut pressed) = if input.over_panel {
            (None, false)
        } else {
            (input.pointer_mm, input.pressed)
        };
        let mut force_n = self.force_n;
        if let (Some(p), false) = (input.pressure, input.over_panel) {
            match pressure_force_n(p) {
                Some(f) => {
                    force_n = f;
                    self.force_n = f;
                }
                None => pressed = false,
            }
        }
        let pos_mm = match (pointer_mm, self.path.last()) {
            (Some(p), _) => p,
            (None, Some(last)) => last.pos_mm,
            // the hand has not begun: nothing to simulate yet
            (None, None) => return Ok(()),
        };
        // Put down where the pen is, not dragged there: the first frame that wants it down,
        // if it moved, only brings it there lifted.
        let wants_down = pressed;
        let moved = self
            .path
            .last()
            .is_none_or(|l| l.pos_mm.map(f64::to_bits) != pos_mm.map(f64::to_bits));
        if pressed && !self.wanted_down && moved {
            pressed = false;
        }
        self.wanted_down = wants_down;
        let t_s = match self.t_s {
            None => 0.0,
            Some(t) => t + dt_s.max(0.0),
        };
        self.t_s = Some(t_s);
        let hand = HandInput {
            pos_mm,
            force_n: if pressed { force_n } else { 0.0 },
            tilt_deg: input.tilt_deg.unwrap_or(0.0),
        };
        self.session.step_to(t_s, hand)?;
        self.path.push(PathPoint { pos_mm, pressed });
        self.punctures
            .extend(self.session.drain_punctures().iter().map(|p| LivePuncture {
                pos_mm: [p.x_mm, p.y_mm],
                depth_um: p.depth_um,
            }));
        Ok(())
    }

    /// The pen's path and the punctures so far, to keep showing once the session is
    /// finished ([`PracticeDriver::finish`] consumes the driver).
    pub fn marks(&self) -> (Vec<PathPoint>, Vec<LivePuncture>) {
        (self.path.clone(), self.punctures.clone())
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
