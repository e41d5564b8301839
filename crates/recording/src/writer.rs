//! [`RecordingWriter`]: streams rows to the three CSV files as the run goes, keeping memory flat,
//! and keeps `meta.toml` honest about whether the run finished.

use crate::codec::Enc;
use crate::error::RecordingError;
use crate::meta::{
    Completion, EndReason, FORMAT_VERSION, META_FILE, Meta, RunMeta, RunStatus, SCENARIO_COPY,
    SCENARIO_DIR, default_units,
};
use crate::rows::{EventRow, PunctureRow, Row, TelemetryRow};
use crate::zone::{FACE_MAP_FILE, ZoneIds};
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
    /// The zone list a `zone` column is written against; `None`: no `zone` column.
    zones: Option<ZoneIds>,
}

/// The columns of `R` written: all of them, but `zone` only with a zone list.
fn written_columns<R: Row>(zones: bool) -> impl Iterator<Item = &'static str> {
    R::COLUMNS
        .iter()
        .copied()
        .filter(move |c| zones || !is_zone_column::<R>(c))
}

/// `column` of `R` is the `zone` column of `punctures.csv`.
fn is_zone_column<R: Row>(column: &str) -> bool {
    R::FILE == PunctureRow::FILE && column == "zone"
}

impl CsvFile {
    fn create<R: Row>(dir: &Path, zones: Option<ZoneIds>) -> Result<Self, RecordingError> {
        let path = dir.join(R::FILE);
        let file = File::create(&path).map_err(|e| RecordingError::io(&path, "create", e))?;
        let mut csv = csv::WriterBuilder::new()
            .buffer_capacity(BUFFER_BYTES)
            .terminator(csv::Terminator::Any(b'\n'))
            .from_writer(file);
        csv.write_record(written_columns::<R>(zones.is_some()))
            .and_then(|()| csv.flush().map_err(csv::Error::from))
            .map_err(|e| write_error(&path, e))?;
        Ok(CsvFile { path, csv, zones })
    }

    fn write<R: Row>(&mut self, row: &R) -> Result<(), RecordingError> {
        row.encode(&mut Enc::new(&mut self.csv, self.zones.as_ref()))
            .and_then(|()| self.csv.write_record(None::<&[u8]>))
            .map_err(|e| write_error(&self.path, e))
    }

    fn flush(&mut self) -> Result<(), RecordingError> {
        self.csv
            .flush()
            .map_err(|e| RecordingError::io(&self.path, "write", e))
    }
}

/// Write a file that must not exist yet (parents are created).
fn write_new(path: &Path, bytes: &[u8]) -> Result<(), RecordingError> {
    use std::io::Write;
    if let Some(parent) = path.parent() {
        std::fs::create_dir_all(parent)
            .map_err(|e| RecordingError::io(parent, "create directory", e))?;
    }
    let mut f = File::create_new(path).map_err(|e| RecordingError::io(path, "create", e))?;
    f.write_all(bytes)
        .map_err(|e| RecordingError::io(path, "write", e))
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

/// The exact scenario a recording was made from, stored inside it so the recording can be
/// checked anywhere, later, without the original files.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ScenarioCopy<'a> {
    /// The scenario file's exact bytes.
    pub text: &'a [u8],
    /// Every other file the scenario read: the path as written in the scenario, and the
    /// file's bytes.
    pub files: &'a [(String, Vec<u8>)],
}

/// The face map a treatment plan ran on, stored in the recording ([`FACE_MAP_FILE`]): its
/// zones' ids name the punctures' zones.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct FaceMapCopy<'a> {
    /// The face map's name (`meta.toml` `[scenario] face_map`).
    pub name: &'a str,
    /// The face map file's exact bytes (a built-in map's compiled-in text).
    pub text: &'a str,
}

/// How [`RecordingWriter::create_with`] treats what is already at the target path.
#[derive(Debug, Clone, Copy, Default)]
pub struct CreateOptions<'a> {
    /// Replace an existing recording at the target (`--force`). A non-empty directory that is
    /// not a recording is refused even then: its files are not needlebench's to delete.
    pub replace: bool,
    /// The scenario to store in the recording ([`crate::SCENARIO_COPY`]).
    pub scenario: Option<ScenarioCopy<'a>>,
    /// The face map of a treatment plan: written to [`FACE_MAP_FILE`], named in `meta.toml`,
    /// and `punctures.csv` gets its `zone` column. `None`: no face map, no `zone` column.
    pub face_map: Option<FaceMapCopy<'a>>,
}

/// The path inside a recording where the copy of a file the scenario names as `written` goes:
/// `scenario/` + the path with `..` spelled `_up_` and any root dropped, so every copy lands
/// inside the recording.
pub fn scenario_file_copy_path(written: &str) -> String {
    use std::path::Component;
    let mut out = String::from(SCENARIO_DIR);
    for c in Path::new(written).components() {
        let part = match c {
            Component::Normal(p) => p.to_string_lossy().into_owned(),
            Component::ParentDir => "_up_".to_owned(),
            Component::CurDir | Component::RootDir | Component::Prefix(_) => continue,
        };
        out.push('/');
        out.push_str(&part);
    }
    out
}

/// Writes one recording directory: `meta.toml`, `telemetry.csv`, `punctures.csv`, `events.csv`
/// and, when given, the scenario copy under `scenario/`.
///
/// The recording is first written under a temporary name beside the target
/// (`.NAME.partial-PID-N`): the scenario copy, `meta.toml` and the three CSV headers, each
/// flushed; only then is it renamed to the target, so a crash never leaves a recording with
/// a half-written header at the target path. Rows are buffered (64 KiB per file) and formatted
/// without allocating. `meta.toml` says `status = "incomplete", reason = "running"` from
/// [`create`](Self::create) until [`finish`](Self::finish); dropping the writer without
/// `finish` flushes every row and marks the meta incomplete with [`REASON_NOT_FINISHED`].
pub struct RecordingWriter {
    dir: PathBuf,
    meta: Meta,
    telemetry: CsvFile,
    punctures: CsvFile,
    events: CsvFile,
    finished: bool,
}

impl RecordingWriter {
    /// Start a new recording at `dir` (parents are created), with no scenario copy. Refuses a
    /// `dir` that exists and is not an empty directory ([`RecordingError::Exists`]).
    pub fn create(dir: &Path, meta: Meta) -> Result<Self, RecordingError> {
        RecordingWriter::create_with(dir, meta, CreateOptions::default())
    }

    /// Start a new recording at `dir` (see the type's docs for the temporary name).
    ///
    /// `meta`'s `format_version`, `units` and `run` are overwritten (the current version, the
    /// format's units, incomplete/`running` with zero counts), and `scenario.copy` and
    /// `scenario.files` are set from `options.scenario`.
    ///
    /// What is at `dir` already: nothing or an empty directory is fine; a recording (a
    /// directory with `meta.toml`) is replaced only with `options.replace`, and only once the
    /// new one is in place; anything else is refused ([`RecordingError::Exists`]).
    pub fn create_with(
        dir: &Path,
        mut meta: Meta,
        options: CreateOptions<'_>,
    ) -> Result<Self, RecordingError> {
        let existing = crate::place::inspect(dir)?;
        existing.check(dir, options.replace)?;
        meta.format_version = FORMAT_VERSION;
        meta.units = default_units();
        meta.run = RunMeta::default();
        meta.scenario.copy.clear();
        meta.scenario.files.clear();
        meta.scenario.face_map.clear();
        meta.scenario.face_map_sha256.clear();
        let zones = match options.face_map {
            Some(map) => {
                let ids = ZoneIds::from_face_map_text(map.text, Path::new(FACE_MAP_FILE))?;
                meta.scenario.face_map = map.name.to_owned();
                meta.scenario.face_map_sha256 = crate::meta::scenario_hash(map.text.as_bytes());
                Some(ids)
            }
            None => {
                // no zone column, so no unit for it
                if let Some(units) = meta.units.get_mut("punctures") {
                    units.remove("zone");
                }
                None
            }
        };
        let tmp = crate::place::temporary_sibling(dir, "partial")?;
        let built = (|| {
            if let Some(map) = options.face_map {
                write_new(&tmp.join(FACE_MAP_FILE), map.text.as_bytes())?;
            }
            if let Some(copy) = options.scenario {
                write_new(&tmp.join(SCENARIO_COPY), copy.text)?;
                meta.scenario.copy = SCENARIO_COPY.to_owned();
                for (written, bytes) in copy.files {
                    let inside = scenario_file_copy_path(written);
                    if !meta.scenario.files.values().any(|v| *v == inside) {
                        write_new(&tmp.join(&inside), bytes)?;
                    }
                    meta.scenario.files.insert(written.clone(), inside);
                }
            }
            meta.write_atomic(&tmp.join(META_FILE))?;
            let files = (
                CsvFile::create::<TelemetryRow>(&tmp, None)?,
                CsvFile::create::<PunctureRow>(&tmp, zones)?,
                CsvFile::create::<EventRow>(&tmp, None)?,
            );
            Ok::<_, RecordingError>(files)
        })();
        let (telemetry, punctures, events) = match built {
            Ok(files) => files,
            Err(e) => {
                let _ = std::fs::remove_dir_all(&tmp);
                return Err(e);
            }
        };
        if let Err(e) = crate::place::move_into_place(&tmp, dir, existing) {
            let _ = std::fs::remove_dir_all(&tmp);
            return Err(e);
        }
        let reopen = |f: CsvFile| CsvFile {
            path: dir.join(f.path.file_name().unwrap_or_default()),
            ..f
        };
        Ok(RecordingWriter {
            dir: dir.to_owned(),
            meta,
            telemetry: reopen(telemetry),
            punctures: reopen(punctures),
            events: reopen(events),
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

    /// Flush everything and rewrite `meta.toml` (atomically) with the run's status and the
    /// counts. Returns the final meta. The link statistics go to `timing.toml`
    /// ([`crate::Timing::write`]), not here.
    ///
    /// If this fails, the drop that follows still flushes and marks the recording incomplete.
    pub fn finish(mut self, status: RunStatus) -> Result<Meta, RecordingError> {
        self.flush()?;
        let (completion, end, reason) = match status {
            RunStatus::Complete => (Completion::Complete, EndReason::Complete, String::new()),
            RunStatus::Incomplete { end, reason } => (Completion::Incomplete, end, reason),
        };
        let mut meta = self.meta.clone();
        meta.run.status = completion;
        meta.run.end = end;
        meta.run.reason = reason;
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
        self.meta.run.end = EndReason::NotFinished;
        self.meta.run.reason = REASON_NOT_FINISHED.to_owned();
        let _ = self.meta.write_atomic(&self.dir.join(META_FILE));
    }
}
