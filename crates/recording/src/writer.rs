//! [`RecordingWriter`]: streams rows to the three CSV files as the run goes, keeping memory flat,
//! and keeps `meta.toml` honest about whether the run finished.

use crate::codec::Enc;
use crate::error::RecordingError;
use crate::meta::{
    Completion, FORMAT_VERSION, LinkValue, META_FILE, Meta, RunMeta, RunStatus, default_units,
};
use crate::rows::{EventRow, PunctureRow, Row, TelemetryRow};
use std::collections::BTreeMap;
use std::fs::File;
use std::path::{Path, PathBuf};

/// Bytes buffered per CSV file before they go to the operating system.
const BUFFER_BYTES: usize = 1 << 16;

/// The `run.reason` written when a writer is dropped without [`RecordingWriter::finish`].
pub const REASON_NOT_FINISHED: &str = "recording not finished (writer dropped)";

/// One CSV file being written.
struct CsvFile {
    path: PathBuf,
    csv: csv::Writer<File>,
}

impl CsvFile {
    fn create<R: Row>(dir: &Path) -> Result<Self, RecordingError> {
        let path = dir.join(R::FILE);
        let file = File::create(&path).map_err(|e| RecordingError::io(&path, "create", e))?;
        let mut csv = csv::WriterBuilder::new()
            .buffer_capacity(BUFFER_BYTES)
            .terminator(csv::Terminator::Any(b'\n'))
            .from_writer(file);
        csv.write_record(R::COLUMNS)
            .and_then(|()| csv.flush().map_err(csv::Error::from))
            .map_err(|e| write_error(&path, e))?;
        Ok(CsvFile { path, csv })
    }

    fn write<R: Row>(&mut self, row: &R) -> Result<(), RecordingError> {
        row.encode(&mut Enc::new(&mut self.csv))
            .and_then(|()| self.csv.write_record(None::<&[u8]>))
            .map_err(|e| write_error(&self.path, e))
    }

    fn flush(&mut self) -> Result<(), RecordingError> {
        self.csv
            .flush()
            .map_err(|e| RecordingError::io(&self.path, "write", e))
    }
}

fn write_error(path: &Path, e: csv::Error) -> RecordingError {
    match e.into_kind() {
        csv::ErrorKind::Io(source) => RecordingError::io(path, "write", source),
        other => RecordingError::Csv {
            path: path.to_owned(),
            pos: None,
            message: crate::error::csv_words(&other),
        },
    }
}

/// Writes one recording directory: `meta.toml`, `telemetry.csv`, `punctures.csv`, `events.csv`.
///
/// Rows are buffered (64 KiB per file) and formatted without allocating. `meta.toml` says
/// `status = "incomplete", reason = "running"` from [`create`](Self::create) until
/// [`finish`](Self::finish); dropping the writer without `finish` flushes every row and marks the
/// meta incomplete with [`REASON_NOT_FINISHED`].
pub struct RecordingWriter {
    dir: PathBuf,
    meta: Meta,
    telemetry: CsvFile,
    punctures: CsvFile,
    events: CsvFile,
    finished: bool,
}

impl RecordingWriter {
    /// Create `dir` (and its parents) and start a recording in it, replacing any recording
    /// files already there.
    ///
    /// `meta`'s `format_version`, `units` and `run` are overwritten (version 1, the format's
    /// units, incomplete/`running` with zero counts); its `link` table is kept until
    /// [`finish`](Self::finish) replaces it.
    pub fn create(dir: &Path, mut meta: Meta) -> Result<Self, RecordingError> {
        std::fs::create_dir_all(dir).map_err(|e| RecordingError::io(dir, "create directory", e))?;
        meta.format_version = FORMAT_VERSION;
        meta.units = default_units();
        meta.run = RunMeta::default();
        meta.write_atomic(&dir.join(META_FILE))?;
        Ok(RecordingWriter {
            dir: dir.to_owned(),
            meta,
            telemetry: CsvFile::create::<TelemetryRow>(dir)?,
            punctures: CsvFile::create::<PunctureRow>(dir)?,
            events: CsvFile::create::<EventRow>(dir)?,
            finished: false,
        })
    }

    /// The recording directory.
    pub fn dir(&self) -> &Path {
        &self.dir
    }

    /// The meta as it stands (counts so far in `run`).
    pub fn meta(&self) -> &Meta {
        &self.meta
    }

    fn saw(&mut self, t_us: u64) {
        self.meta.run.sim_duration_us = self.meta.run.sim_duration_us.max(t_us);
    }

    /// Append one telemetry row (one firmware tick).
    pub fn telemetry(&mut self, row: &TelemetryRow) -> Result<(), RecordingError> {
        self.telemetry.write(row)?;
        self.meta.run.ticks += 1;
        self.saw(row.t_us);
        Ok(())
    }

    /// Append one puncture row.
    pub fn puncture(&mut self, row: &PunctureRow) -> Result<(), RecordingError> {
        self.punctures.write(row)?;
        self.meta.run.punctures += 1;
        self.saw(row.t_us);
        Ok(())
    }

    /// Append one event row.
    pub fn event(&mut self, row: &EventRow) -> Result<(), RecordingError> {
        self.events.write(row)?;
        self.saw(row.t_us);
        Ok(())
    }

    /// Push every buffered row to the operating system (a crash of this process after this
    /// loses nothing written so far).
    pub fn flush(&mut self) -> Result<(), RecordingError> {
        self.telemetry.flush()?;
        self.punctures.flush()?;
        self.events.flush()
    }

    /// Flush everything and rewrite `meta.toml` (atomically) with the run's status, the counts
    /// and the link statistics. Returns the final meta.
    ///
    /// If this fails, the drop that follows still flushes and marks the recording incomplete.
    pub fn finish(
        mut self,
        status: RunStatus,
        link: BTreeMap<String, LinkValue>,
    ) -> Result<Meta, RecordingError> {
        self.flush()?;
        let (completion, reason) = match status {
            RunStatus::Complete => (Completion::Complete, String::new()),
            RunStatus::Incomplete { reason } => (Completion::Incomplete, reason),
        };
        let mut meta = self.meta.clone();
        meta.run.status = completion;
        meta.run.reason = reason;
        meta.link = link;
        meta.write_atomic(&self.dir.join(META_FILE))?;
        self.finished = true;
        Ok(meta)
    }
}

impl Drop for RecordingWriter {
    fn drop(&mut self) {
        if self.finished {
            return;
        }
        // Best effort: there is no one to report errors to here.
        let _ = self.flush();
        self.meta.run.status = Completion::Incomplete;
        self.meta.run.reason = REASON_NOT_FINISHED.to_owned();
        let _ = self.meta.write_atomic(&self.dir.join(META_FILE));
    }
}
