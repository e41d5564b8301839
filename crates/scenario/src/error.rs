//! The error type of the crate: every error names a file, line and column (rustc style).

use needlebench_physics::PhysicsError;
use std::fmt;
use std::path::PathBuf;
use thiserror::Error;

/// A position in a file: 1-based line and column (columns count characters, not bytes).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Location {
    /// The file, as the caller named it (not canonicalised).
    pub file: PathBuf,
    /// Line, 1-based.
    pub line: usize,
    /// Column, 1-based, in characters.
    pub column: usize,
}

impl Location {
    /// The location of byte `offset` in `text` (clamped to the text's end).
    pub fn from_offset(file: impl Into<PathBuf>, text: &str, offset: usize) -> Location {
        let mut offset = offset.min(text.len());
        while !text.is_char_boundary(offset) {
            offset -= 1;
        }
        let before = &text[..offset];
        let line = before.matches('\n').count() + 1;
        let line_start = before.rfind('\n').map_or(0, |i| i + 1);
        let column = text[line_start..offset].chars().count() + 1;
        Location {
            file: file.into(),
            line,
            column,
        }
    }
}

impl fmt::Display for Location {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}:{}:{}", self.file.display(), self.line, self.column)
    }
}

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
    /// A bad row in a freehand waypoints CSV (`hand.waypoints_csv`).
    #[error("{}:{csv_line}:1: waypoints row {row}: {message} (hand.waypoints_csv at {at})", csv.display())]
    Waypoints {
        /// The CSV file.
        csv: PathBuf,
        /// Line in the CSV file, 1-based (the header is line 1).
        csv_line: u64,
        /// Data row, 1-based (the first row after the header is 1).
        row: u64,
        /// What is wrong with it.
        message: String,
        /// Where the scenario names the CSV file.
        at: Location,
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
    /// [`ScenarioError::Waypoints`] the CSV row).
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
            ScenarioError::Waypoints { csv, csv_line, .. } => Location {
                file: csv.clone(),
                line: usize::try_from(*csv_line).unwrap_or(usize::MAX),
                column: 1,
            },
        }
    }
}
