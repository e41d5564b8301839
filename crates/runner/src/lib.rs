//! The runner: the bench's main job.
//!
//! It takes a scenario — where on the body, which cartridge and settings, how the hand moves
//! and presses, what goes wrong when — and runs it against a pen over a
//! [`needlebench_bridge::Link`] (the reference firmware in-process by default; the emulator
//! behind a pty or a real pen on request), streaming every tick, every puncture and every
//! event into a recording as it goes, so memory stays flat however long the session is.
//!
//! - [`hand`]: motion patterns (straight, crosshatch, spiral, stamping, freehand) and tremor;
//! - [`field`]: seeded spatial variation of skin thickness;
//! - [`operator`]: the button presses that start and stop the pen;
//! - [`live`]: the practice recorder ([`live::LiveSession`]): a trainee's hand input run
//!   live against the in-process firmware into a recording and a replayable path file;
//! - [`plan`]: treatment plans: the hand path over a face map's zones, depth changes, pauses;
//! - [`setup`]: a scenario resolved for the simulation ([`RunSetup::new`]);
//! - [`pen`]: choosing and opening the link to the pen;
//! - [`run()`]: the loop of a pen run;
//! - [`device`]: rollers and stamps, run without firmware ([`run_device`]).
//!
//! Determinism: the simulation reads no clock; every random draw comes from a ChaCha8 stream
//! seeded by the scenario's seed; in lockstep the firmware sees exactly the same frames every
//! time. Same scenario, seed and firmware → byte-identical recording.

pub mod device;
pub mod events;
pub mod field;
pub mod hand;
pub mod live;
pub mod operator;
pub mod pen;
pub mod plan;
mod plan_run;
mod run;
pub mod setup;
mod world;

pub use device::{DeviceSetup, run_device};
pub use needlebench_recording::RunStatus;
pub use run::{
    AFTER_FAULT_S, FRESH_SKIN_MM, INTERRUPTED, JAM_TORQUE_NM, Progress, TIMING_FILE, run, run_until,
};
pub use setup::RunSetup;

/// What a finished run reports.
#[derive(Debug, Clone)]
pub struct RunSummary {
    /// Complete, or incomplete with the reason.
    pub status: RunStatus,
    /// Ticks simulated.
    pub ticks: u64,
    /// Punctures recorded.
    pub punctures: u64,
    /// Link health.
    pub link: needlebench_bridge::LinkStats,
    /// The recording's meta as written.
    pub meta: needlebench_recording::Meta,
}

/// A run that could not be carried out (as opposed to one that ended incomplete, which is a
/// [`RunSummary`] with [`RunStatus::Incomplete`]).
#[derive(Debug, thiserror::Error)]
pub enum RunError {
    /// The scenario's physics setup is invalid.
    #[error("invalid physics setup: {0}")]
    Setup(#[from] needlebench_physics::PhysicsError),
    /// A pen run was asked of a scenario whose device has no firmware (a roller or stamp):
    /// run it with [`run_device`].
    #[error("a {} scenario has no pen to run: it runs without firmware", .0.name())]
    NotAPen(needlebench_physics::DeviceKind),
    /// A roller or stamp run was asked of a pen scenario: it needs its firmware and a link.
    #[error("a pen scenario needs firmware and a link: run it with the pen runner")]
    NeedsFirmware,
    /// Writing the recording (or `timing.toml`) failed, or the target is taken.
    #[error(transparent)]
    Recording(#[from] needlebench_recording::RecordingError),
}
