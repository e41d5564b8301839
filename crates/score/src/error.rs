//! [`ScoreError`].

use needlebench_recording::RecordingError;
use needlebench_scenario::ScenarioError;
use std::path::PathBuf;

/// Why a treatment could not be scored.
#[derive(Debug, thiserror::Error)]
pub enum ScoreError {
    /// The recording could not be read (the message names the file, row and column).
    #[error(transparent)]
    Recording(#[from] RecordingError),
    /// The recording's scenario copy does not parse (file:line:column).
    #[error(transparent)]
    Scenario(#[from] ScenarioError),
    /// The recording's face map copy does not parse (file:line:column).
    #[error(transparent)]
    FaceMap(#[from] needlebench_face::FaceMapError),
    /// The recording holds no scenario copy: there are no targets to score against.
    #[error(
        "{}: the recording holds no scenario copy (scenario/scenario.toml), so there are no \
         targets to score against",
        path.display()
    )]
    NoScenario {
        /// The recording directory.
        path: PathBuf,
    },
    /// The scenario's device is not a pen (rollers and stamps have no glide, force or
    /// exposure targets of a pen).
    #[error("{}: scoring needs a pen scenario; this one uses a {device}", path.display())]
    NotAPen {
        /// The scenario copy.
        path: PathBuf,
        /// The device's name.
        device: &'static str,
    },
    /// A [`ScoreInput`](crate::ScoreInput) that breaks a rule scoring relies on.
    #[error("invalid score input: {what}")]
    Input {
        /// What is wrong.
        what: String,
    },
}
