//! [`CheckError`]: why a recording could not be checked (not: why it failed a check).

use needlebench_recording::RecordingError;
use std::path::PathBuf;

/// Why a recording could not be checked or compared. A recording that reads fine but breaks
/// an invariant is not an error: it gets a failing [`crate::Verdict`].
#[derive(Debug, thiserror::Error)]
pub enum CheckError {
    /// A recording file is missing, malformed or cut short (the message names file, row and
    /// column).
    #[error(transparent)]
    Recording(#[from] RecordingError),
    /// The scenario to check against (a `--scenario` file or the recording's own copy) does
    /// not parse.
    #[error(transparent)]
    Scenario(#[from] needlebench_scenario::ScenarioError),
    /// The recording's copy of its face map (`face-map.toml`) does not parse (the message
    /// names the file, line and column).
    #[error(transparent)]
    FaceMap(#[from] needlebench_face::FaceMapError),
    /// An expectation cannot be applied (e.g. a density cell of 0 mm).
    #[error("expect.{field}: {message}")]
    InvalidExpect {
        /// The `[expect]` key.
        field: &'static str,
        /// What is wrong with it.
        message: String,
    },
    /// A CSV file of a compared recording could not be read.
    #[error("{path}: {message}")]
    Csv {
        /// The file.
        path: PathBuf,
        /// What went wrong, with the row where known.
        message: String,
    },
}
