//! The error type of the crate: every error names a file, line and column (rustc style).

use needlebench_physics::PhysicsError;
use std::path::PathBuf;
use thiserror::Error;

/// A position in a file (defined by the face crate, which also reports positions).
pub use needlebench_face::Location;

/// Anything wrong with a scenario file or the files it refers to.
///
/// Display is `file:line:column: message` so that editors and terminals jump to the spot.
#[derive(Debug, Error)]
pub enum ScenarioError {
    /// A file or directory could not be read.
    #[error("{}: cannot read: {source}", path.display())]
    Io {
        /// The path that failed.
        path: PathBuf,
        /// The operating system's error.
        source: std::io::Error,
    },
    /// The text is not valid TOML.
    #[error("{at}: TOML syntax error: {message}")]
    Syntax {
        /// Where the parser stopped.
        at: Location,
        /// The parser's message.
        message: String,
    },
    /// A key, value or type the schema does not allow (unknown key, bad choice, wrong type,
    /// missing key); the message lists what is allowed.
    #[error("{at}: {message}")]
    Schema {
        /// The offending key or value.
        at: Location,
        /// What is wrong and what is allowed.
        message: String,
    },
    /// A value the schema accepts as a type but that breaks a rule (range, exclusive keys, …).
    #[error("{at}: {message}")]
    Invalid {
        /// The offending key.
        at: Location,
        /// Dotted path of the key, e.g. `hand.glide_mm_s` or `inject[2].duration_s`.
        key: String,
        /// The value and the rule it broke, starting with the key path, e.g.
        /// `pen.exposure_mm = 3.5 out of range 0.0–3.0`.
        message: String,
    },
    /// A custom site (`[skin.custom]`) that the physics rejects.
    #[error("{at}: skin.custom: {source}")]
    Site {
        /// The offending key inside `[skin.custom]` (or the table itself).
        at: Location,
        /// The physics crate's error; it names the field.
        source: PhysicsError,
    },
    /// A bad row in a path file (`hand.waypoints_csv`, `plan.zone[i].waypoints_csv`).
    #[error("{}:{csv_line}:1: waypoints row {row}: {message} ({key} at {at})", csv.display())]
    Waypoints {
        /// The CSV file.
        csv: PathBuf,
        /// Line in the CSV file, 1-based (the header is line 1).
        csv_line: u32,
        /// Data row, 1-based (the first row after the header is 1).
        row: u32,
        /// What is wrong with it.
        message: String,
        /// Where the scenario names the CSV file.
        at: Location,
        /// The key that names it, e.g. `hand.waypoints_csv`.
        key: String,
    },
    /// The face map a plan names (`plan.face_map`) is not valid.
    #[error("{source} (plan.face_map at {at})")]
    FaceMap {
        /// Where the scenario names the face map.
        at: Location,
        /// The face map's own error, with the face map file's path, line and column.
        source: needlebench_face::FaceMapError,
    },
    /// An error in one variant of a matrix scenario (a value the matrix set breaks a rule,
    /// or the base file does, seen through this variant).
    #[error("{source} (in variant `{variant}`)")]
    Variant {
        /// The variant's name, `demo[exposure_mm=0.5]`.
        variant: String,
        /// The error, pointing at the matrix key (or value) that set the offending value
        /// where the matrix set it.
        source: Box<ScenarioError>,
    },
}

impl ScenarioError {
    /// Where the error points (for [`ScenarioError::Io`] line and column are 0; for
    /// [`ScenarioError::Waypoints`] the CSV row; for [`ScenarioError::FaceMap`] the spot in the
    /// face map file).
    pub fn location(&self) -> Location {
        match self {
            ScenarioError::Io { path, .. } => Location {
                file: path.clone(),
                line: 0,
                column: 0,
            },
            ScenarioError::Syntax { at, .. }
            | ScenarioError::Schema { at, .. }
            | ScenarioError::Invalid { at, .. }
            | ScenarioError::Site { at, .. } => at.clone(),
            ScenarioError::Variant { source, .. } => source.location(),
            ScenarioError::FaceMap { source, .. } => source.at.clone(),
            ScenarioError::Waypoints { csv, csv_line, .. } => Location {
                file: csv.clone(),
                line: usize::try_from(*csv_line).unwrap_or(usize::MAX),
                column: 1,
            },
        }
    }
}
