//! [`Recording`] and [`Rows`]: the reader the checker and the viewer share. Rows stream from
//! the files (one reused record buffer, nothing loaded whole); the first bad row ends the
//! stream with an error naming the file, row, line and column.

use crate::codec::Dec;
use crate::error::{RecordingError, RowPos};
use crate::meta::{META_FILE, Meta};
use crate::rows::{EventRow, PunctureRow, Row, TelemetryRow};
use std::fs::File;
use std::io::{Read, Seek, SeekFrom};
use std::marker::PhantomData;
use std::path::{Path, PathBuf};

/// Bytes read from a CSV file at a time.
const BUFFER_BYTES: usize = 1 << 16;

/// An opened recording directory: its checked meta, and its rows on demand.
///
/// Recordings marked incomplete open and read like complete ones; check
/// [`Meta::run`](crate::Meta::run) to tell them apart.
#[derive(Debug, Clone)]
pub struct Recording {
    dir: PathBuf,
    meta: Meta,
}

impl Recording {
    /// Open the recording in `dir`: read and check `meta.toml` (the CSV files are opened by
    /// [`telemetry`](Self::telemetry), [`punctures`](Self::punctures) and
    /// [`events`](Self::events)).
    pub fn open(dir: &Path) -> Result<Recording, RecordingError> {
        let meta = Meta::read(&dir.join(META_FILE))?;
        Ok(Recording { dir: dir.to_owned(), meta })
    }

    /// The recording directory.
    pub fn dir(&self) -> &Path {
        &self.dir
    }

    /// The meta.
    pub fn meta(&self) -> &Meta {
        &self.meta
    }

    /// The run recorded everything it set out to (`run.status = "complete"`).
    pub fn is_complete(&self) -> bool {
        self.meta.run.is_complete()
    }

    /// The rows of the file for row type `R`.
    pub fn rows<R: Row>(&self) -> Result<Rows<R>, RecordingError> {
        Rows::open(&self.dir.join(R::FILE))
    }

    /// `telemetry.csv`, streaming.
    pub fn telemetry(&self) -> Result<Rows<TelemetryRow>, RecordingError> {
        self.rows()
    }

    /// `punctures.csv`, streaming.
    pub fn punctures(&self) -> Result<Rows<PunctureRow>, RecordingError> {
        self.rows()
    }

    /// `events.csv`, streaming.
    pub fn events(&self) -> Result<Rows<EventRow>, RecordingError> {
        self.rows()
    }
}

/// The rows of one CSV file, streamed: an iterator of `Result<R, RecordingError>` that ends
/// after the first error.
///
/// Columns are found by name in the header (extra columns are ignored, order is free); every
/// row, including the last, must end with a line end, so a file cut anywhere is reported.
pub struct Rows<R> {
    path: PathBuf,
    csv: csv::Reader<File>,
    /// `idx[k]` = record position of `R::COLUMNS[k]`.
    idx: Vec<usize>,
    record: csv::ByteRecord,
    /// Data rows read so far.
    row: u64,
    file_len: u64,
    ends_with_newline: bool,
    done: bool,
    _row: PhantomData<fn() -> R>,
}

impl<R: Row> Rows<R> {
    /// Open one CSV file of row type `R` and check its header.
    pub fn open(path: &Path) -> Result<Rows<R>, RecordingError> {
        let io = |action| move |e| RecordingError::io(path, action, e);
        let mut file = File::open(path).map_err(io("open"))?;
        let file_len = file.metadata().map_err(io("read"))?.len();
        let ends_with_newline = if file_len == 0 {
            false
        } else {
            let mut last = [0u8; 1];
            file.seek(SeekFrom::Start(file_len - 1))
                .and_then(|_| file.read_exact(&mut last))
                .and_then(|()| file.seek(SeekFrom::Start(0)))
                .map_err(io("read"))?;
            last[0] == b'\n'
        };
        let mut csv = csv::ReaderBuilder::new()
            .has_headers(true)
            .flexible(false)
            .buffer_capacity(BUFFER_BYTES)
            .from_reader(file);
        let header = csv.byte_headers().map_err(|e| read_error(path, None, e))?.clone();
        if header.is_empty() || (header.len() == 1 && header[0].is_empty()) {
            return Err(RecordingError::EmptyFile {
                path: path.to_owned(),
                expected: R::COLUMNS.join(","),
            });
        }
        let idx = R::COLUMNS
            .iter()
            .map(|&column| {
                header.iter().position(|h| h == column.as_bytes()).ok_or_else(|| {
                    RecordingError::MissingColumn {
                        path: path.to_owned(),
                        column,
                        header: header
                            .iter()
                            .map(String::from_utf8_lossy)
                            .collect::<Vec<_>>()
                            .join(","),
                    }
                })
            })
            .collect::<Result<Vec<_>, _>>()?;
        Ok(Rows {
            path: path.to_owned(),
            csv,
            idx,
            record: csv::ByteRecord::new(),
            row: 0,
            file_len,
            ends_with_newline,
            done: false,
            _row: PhantomData,
        })
    }

    /// The file being read.
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// Data rows read so far (including a bad one that ended the stream).
    pub fn rows_read(&self) -> u64 {
        self.row
    }

    fn fail(&mut self, e: RecordingError) -> Option<Result<R, RecordingError>> {
        self.done = true;
        Some(Err(e))
    }
}

fn read_error(path: &Path, row: Option<u64>, e: csv::Error) -> RecordingError {
    let pos = |p: Option<&csv::Position>| {
        p.zip(row).map(|(p, row)| RowPos { row, line: p.line() })
    };
    match e.into_kind() {
        csv::ErrorKind::Io(source) => RecordingError::io(path, "read", source),
        csv::ErrorKind::UnequalLengths { pos: p, expected_len, len } => match pos(p.as_ref()) {
            Some(pos) => RecordingError::Truncated {
                path: path.to_owned(),
                pos,
                message: format!(
                    "expected {expected_len} fields as in the header, got {len}: \
                     the row is cut short or malformed"
                ),
            },
            None => RecordingError::Csv {
                path: path.to_owned(),
                pos: None,
                message: format!("expected {expected_len} fields as in the header, got {len}"),
            },
        },
        csv::ErrorKind::Utf8 { pos: p, err } => RecordingError::Csv {
            path: path.to_owned(),
            pos: pos(p.as_ref()),
            message: format!("not valid UTF-8 in field {}", err.field() + 1),
        },
        other => RecordingError::Csv { path: path.to_owned(), pos: None, message: format!("{other:?}") },
    }
}

impl<R: Row> Iterator for Rows<R> {
    type Item = Result<R, RecordingError>;

    fn next(&mut self) -> Option<Self::Item> {
        if self.done {
            return None;
        }
        match self.csv.read_byte_record(&mut self.record) {
            Ok(false) => {
                self.done = true;
                None
            }
            Ok(true) => {
                self.row += 1;
                let pos = || RowPos {
                    row: self.row,
                    line: self.record.position().map_or(0, csv::Position::line),
                };
                if !self.ends_with_newline && self.csv.position().byte() >= self.file_len {
                    let e = RecordingError::Truncated {
                        path: self.path.clone(),
                        pos: pos(),
                        message: "the last row has no line end: the file was cut short".to_owned(),
                    };
                    return self.fail(e);
                }
                match R::decode(&Dec::new(&self.record, &self.idx)) {
                    Ok(row) => Some(Ok(row)),
                    Err(bad) => {
                        let e = RecordingError::Value {
                            path: self.path.clone(),
                            pos: pos(),
                            column: R::COLUMNS.get(bad.column).copied().unwrap_or("?"),
                            message: bad.message,
                        };
                        self.fail(e)
                    }
                }
            }
            Err(e) => {
                let e = read_error(&self.path, Some(self.row + 1), e);
                self.fail(e)
            }
        }
    }
}
