//! [`RecordingError`]: every way writing or reading a recording can fail, naming the file and,
//! where it applies, the row, line and column.

use std::fmt;
use std::path::PathBuf;

/// Where in a CSV file a problem is: 1-based data row (the header is not a row) and 1-based
/// line of the file where that row starts.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RowPos {
    /// 1-based data row (the first row after the header is row 1).
    pub row: u64,
    /// 1-based line in the file where the row starts (the header is line 1).
    pub line: u64,
}

impl fmt::Display for RowPos {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "row {} (line {})", self.row, self.line)
    }
}

/// An error writing or reading a recording.
#[derive(Debug, thiserror::Error)]
pub enum RecordingError {
    /// A file or directory could not be created, opened, read or written.
    #[error("{}: {action}: {source}", path.display())]
    Io {
        /// The file or directory.
        path: PathBuf,
        /// What was being done (`"open"`, `"write"`, …).
        action: &'static str,
        /// The operating system's error.
        #[source]
        source: std::io::Error,
    },
    /// `meta.toml` is not valid TOML or does not match the format.
    #[error("{}{}: {message}", path.display(), line_col(*line, *column))]
    MetaParse {
        /// The meta file.
        path: PathBuf,
        /// 1-based line of the problem, when the TOML parser knows it.
        line: Option<usize>,
        /// 1-based column (in characters) of the problem, when known.
        column: Option<usize>,
        /// What is wrong.
        message: String,
    },
    /// `meta.toml` parsed but a value is not allowed (e.g. an unsupported `format_version`).
    #[error("{}: field `{field}`: {message}", path.display())]
    MetaInvalid {
        /// The meta file.
        path: PathBuf,
        /// Dotted name of the field, e.g. `format_version` or `scenario.seed`.
        field: String,
        /// What is wrong.
        message: String,
    },
    /// The meta could not be turned into TOML (e.g. a count beyond TOML's 64-bit signed range).
    #[error("{}: cannot write meta: {message}", path.display())]
    MetaWrite {
        /// The meta file.
        path: PathBuf,
        /// What is wrong.
        message: String,
    },
    /// The place a new recording should go is taken.
    #[error("{}: will not write a recording here: {what}", path.display())]
    Exists {
        /// The target directory.
        path: PathBuf,
        /// What is there and what to do.
        what: &'static str,
    },
    /// A CSV file has no header line at all (empty file).
    #[error("{}: empty file: expected a header line with columns {expected}", path.display())]
    EmptyFile {
        /// The CSV file.
        path: PathBuf,
        /// The columns the header must name, comma-separated.
        expected: String,
    },
    /// A column the format requires is not in the CSV header.
    #[error("{}: header has no column `{column}` (header: {header})", path.display())]
    MissingColumn {
        /// The CSV file.
        path: PathBuf,
        /// The missing column.
        column: &'static str,
        /// The header as found, comma-separated.
        header: String,
    },
    /// A field holds a value that does not parse as the column's type.
    #[error("{}: {pos}, column {column}: {message}", path.display())]
    Value {
        /// The CSV file.
        path: PathBuf,
        /// Row and line.
        pos: RowPos,
        /// The column's name.
        column: &'static str,
        /// What was expected and what was found.
        message: String,
    },
    /// A row with the wrong number of fields or without its line end: the file was cut or
    /// damaged there.
    #[error("{}: {pos}: {message}", path.display())]
    Truncated {
        /// The CSV file.
        path: PathBuf,
        /// Row and line.
        pos: RowPos,
        /// What was found.
        message: String,
    },
    /// Any other CSV-level problem (e.g. a header or field that is not UTF-8).
    #[error("{}: {}{message}", path.display(), pos.map(|p| format!("{p}: ")).unwrap_or_default())]
    Csv {
        /// The CSV file.
        path: PathBuf,
        /// Row and line, when known.
        pos: Option<RowPos>,
        /// What is wrong.
        message: String,
    },
}

fn line_col(line: Option<usize>, column: Option<usize>) -> String {
    match (line, column) {
        (Some(l), Some(c)) => format!(":{l}:{c}"),
        (Some(l), None) => format!(":{l}"),
        _ => String::new(),
    }
}

impl RecordingError {
    /// The file the error is about.
    pub fn path(&self) -> &std::path::Path {
        match self {
            RecordingError::Io { path, .. }
            | RecordingError::MetaParse { path, .. }
            | RecordingError::MetaInvalid { path, .. }
            | RecordingError::MetaWrite { path, .. }
            | RecordingError::EmptyFile { path, .. }
            | RecordingError::MissingColumn { path, .. }
            | RecordingError::Value { path, .. }
            | RecordingError::Truncated { path, .. }
            | RecordingError::Csv { path, .. }
            | RecordingError::Exists { path, .. } => path,
        }
    }

    /// Row and line of the error, for errors inside a CSV file's rows.
    pub fn row_pos(&self) -> Option<RowPos> {
        match self {
            RecordingError::Value { pos, .. } | RecordingError::Truncated { pos, .. } => Some(*pos),
            RecordingError::Csv { pos, .. } => *pos,
            _ => None,
        }
    }

    /// The column the error is about, when there is one.
    pub fn column(&self) -> Option<&'static str> {
        match self {
            RecordingError::Value { column, .. } | RecordingError::MissingColumn { column, .. } => {
                Some(column)
            }
            _ => None,
        }
    }

    /// Whether the error happened while writing (creating, writing, renaming, syncing a file
    /// or finding the target taken), as opposed to reading a recording that is there.
    pub fn is_write(&self) -> bool {
        match self {
            RecordingError::Io { action, .. } => !matches!(*action, "open" | "read"),
            RecordingError::MetaWrite { .. } | RecordingError::Exists { .. } => true,
            _ => false,
        }
    }

    pub(crate) fn io(
        path: impl Into<PathBuf>,
        action: &'static str,
        source: std::io::Error,
    ) -> Self {
        RecordingError::Io {
            path: path.into(),
            action,
            source,
        }
    }
}

/// What is wrong, in words, for a CSV error other than I/O (the position is reported apart).
pub(crate) fn csv_words(kind: &csv::ErrorKind) -> String {
    match kind {
        csv::ErrorKind::Io(e) => e.to_string(),
        csv::ErrorKind::Utf8 { err, .. } => {
            format!("field {} is not valid UTF-8", err.field() + 1)
        }
        csv::ErrorKind::UnequalLengths {
            expected_len, len, ..
        } => format!("{len} fields where the header has {expected_len}"),
        csv::ErrorKind::Seek => "cannot seek in this file".to_owned(),
        csv::ErrorKind::Serialize(message) => message.clone(),
        csv::ErrorKind::Deserialize { err, .. } => err.to_string(),
        _ => "malformed CSV".to_owned(),
    }
}

#[cfg(test)]
mod csv_words_tests {
    #[test]
    fn csv_errors_are_described_in_words_not_debug_output() {
        let mut r = csv::ReaderBuilder::new().from_reader(&b"a,b\n1,2,3\n"[..]);
        let mut rec = csv::StringRecord::new();
        let kind = r.read_record(&mut rec).unwrap_err().into_kind();
        let words = super::csv_words(&kind);
        assert_eq!(words, "3 fields where the header has 2");
        assert!(!words.contains('{') && !words.contains("::"), "{words}");
    }
}
