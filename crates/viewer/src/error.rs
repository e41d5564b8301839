//! Errors of the viewer's loading paths.

use std::path::PathBuf;

/// What can go wrong opening something to replay.
#[derive(Debug, thiserror::Error)]
pub enum ViewerError {
    /// The recording could not be opened or a row could not be read.
    #[error("recording {dir}: {source}")]
    Recording {
        /// The recording directory.
        dir: PathBuf,
        /// The reader's error (it names file, row and column).
        #[source]
        source: needlebench_recording::RecordingError,
    },
    /// The checker could not run on the recording.
    #[error("checking {dir}: {source}")]
    Check {
        /// The recording directory.
        dir: PathBuf,
        /// The checker's error (boxed: it is large).
        #[source]
        source: Box<needlebench_checks::CheckError>,
    },
    /// The recording's face map copy (`face-map.toml`) could not be read.
    #[error("recording {dir}: {source}")]
    FaceMap {
        /// The recording directory.
        dir: PathBuf,
        /// The face map's error (it names file, line and column; boxed: it is large).
        #[source]
        source: Box<needlebench_face::FaceMapError>,
    },
    /// The scenario file could not be read.
    #[error("{0}")]
    Scenario(#[from] needlebench_scenario::ScenarioError),
    /// Running the scenario failed.
    #[error("running scenario {path}: {detail}")]
    Run {
        /// The scenario file.
        path: PathBuf,
        /// What failed.
        detail: String,
    },
    /// The recording's treated area cannot carry a heat map.
    #[error("meta.toml [setup] area: {0}")]
    Area(String),
    /// A puncture or telemetry row is out of time order.
    #[error("{file}: row {row}: t_us {t_us} is before the previous row's {prev_us}")]
    OutOfOrder {
        /// `punctures.csv` or `telemetry.csv`.
        file: &'static str,
        /// 1-based data row.
        row: u64,
        /// This row's time.
        t_us: u64,
        /// The previous row's time.
        prev_us: u64,
    },
}
