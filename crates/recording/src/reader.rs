//! [`Recording`] and [`Rows`]: the reader the checker and the viewer share. Rows stream from
//! the files (one reused read buffer, nothing loaded whole; see `source.rs`); the first bad row ends the
//! stream with an error naming the file, row, line and column.

use crate::codec::{Ctx, Dec};
use crate::error::{RecordingError, RowPos};
use crate::link::{LinkCounters, Timing};
use crate::meta::{META_FILE, Meta};
use crate::rows::{EventRow, PunctureRow, Row, TelemetryRow};
use crate::source::{Got, Source};
use crate::zone::{FACE_MAP_FILE, ZoneIds, ZoneRef};
use std::marker::PhantomData;
use std::path::{Path, PathBuf};
use std::sync::Arc;

/// An opened recording directory: its checked meta, and its rows on demand.
///
/// Recordings marked incomplete open and read like complete ones; check
/// [`Meta::run`](crate::Meta::run) to tell them apart. One difference: in an incomplete
/// recording, a last CSV row cut mid-line (the process was killed while writing it) is left
/// out and reported in [`Recording::warnings`], so the rest can still be checked; in a
/// complete recording it is an error.
#[derive(Debug, Clone)]
pub struct Recording {
    dir: PathBuf,
    meta: Meta,
    warnings: Vec<String>,
    /// The zone list of `face-map.toml` (empty without one).
    zones: Arc<ZoneIds>,
}

impl Recording {
    /// Open the recording in `dir`: read and check `meta.toml` (the CSV files are opened by
    /// [`telemetry`](Self::telemetry), [`punctures`](Self::punctures) and
    /// [`events`](Self::events)).
    pub fn open(dir: &Path) -> Result<Recording, RecordingError> {
        let meta = Meta::read(&dir.join(META_FILE))?;
        let zones = ZoneIds::in_dir(dir)?;
        if !meta.scenario.face_map.is_empty() && !dir.join(FACE_MAP_FILE).is_file() {
            return Err(RecordingError::MetaInvalid {
                path: dir.join(META_FILE),
                field: "scenario.face_map".to_owned(),
                message: format!(
                    "names face map '{}' but the recording has no {FACE_MAP_FILE}",
                    meta.scenario.face_map
                ),
            });
        }
        let mut rec = Recording {
            dir: dir.to_owned(),
            meta,
            warnings: Vec::new(),
            zones: Arc::new(zones),
        };
        if !rec.is_complete() {
            for file in [TelemetryRow::FILE, PunctureRow::FILE, EventRow::FILE] {
                let path = dir.join(file);
                let Ok(src) = Source::open(&path, true) else {
                    continue; // reported when the file is read
                };
                if src.dropped_tail() > 0 {
                    rec.warnings.push(format!(
                        "{}: the last row is cut ({} bytes without a line end, the run was \
                         stopped while writing it); it is left out",
                        path.display(),
                        src.dropped_tail()
                    ));
                }
            }
        }
        Ok(rec)
    }

    /// Problems that did not stop the recording from being read (a cut last row left out of
    /// an incomplete recording), one sentence each.
    pub fn warnings(&self) -> &[String] {
        &self.warnings
    }

    /// The exact copy of the scenario the recording was made from: its path inside the
    /// recording, or `None` when the recording holds none (format 1, a real pen's export).
    pub fn scenario_copy(&self) -> Option<PathBuf> {
        let copy = &self.meta.scenario.copy;
        (!copy.is_empty()).then(|| self.dir.join(copy))
    }

    /// Where the copies of the files the scenario read lie: the path as written in the
    /// scenario → the copy's path (inside this recording's directory).
    pub fn scenario_files(&self) -> std::collections::BTreeMap<String, PathBuf> {
        self.meta
            .scenario
            .files
            .iter()
            .map(|(written, inside)| (written.clone(), self.dir.join(inside)))
            .collect()
    }

    /// The link's figures that depend on the line and the wall clock (`timing.toml`), if the
    /// recording has them.
    pub fn timing(&self) -> Result<Option<Timing>, RecordingError> {
        Timing::read(&self.dir)
    }

    /// The line counters, wherever this recording's format keeps them: `[link]` of
    /// `timing.toml` (format 3 on) or of `meta.toml` (formats 1 and 2). `None` when the
    /// recording has none (a roller or stamp run, a real pen's export, a killed run).
    pub fn link_counters(&self) -> Result<Option<LinkCounters>, RecordingError> {
        let from_timing = self.timing()?.and_then(|t| t.link);
        Ok(from_timing.or(self.meta.legacy_link))
    }

    /// The ids of the zones of the face map the recording was made on (`face-map.toml`), in
    /// the face map's order: what a puncture's [`ZoneRef`] indexes. Empty when the recording
    /// has no face map (format 3 and older, or a run that was not a treatment plan).
    pub fn zone_ids(&self) -> &[String] {
        self.zones.ids()
    }

    /// The id of the zone `zone` refers to; `None` outside every zone or where not recorded.
    pub fn zone_id(&self, zone: ZoneRef) -> Option<&str> {
        self.zones.id(zone)
    }

    /// The copy of the face map the recording was made on (`face-map.toml`), its exact bytes;
    /// `None` when the recording has none.
    pub fn face_map_text(&self) -> Result<Option<String>, RecordingError> {
        let path = self.dir.join(FACE_MAP_FILE);
        match std::fs::read_to_string(&path) {
            Ok(text) => Ok(Some(text)),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(None),
            Err(e) => Err(RecordingError::io(&path, "read", e)),
        }
    }

    /// The face map the recording was made on, parsed from its copy (`face-map.toml`); `None`
    /// when the recording has none. Its zones are in the order of [`Recording::zone_ids`], so
    /// a puncture's [`ZoneRef::index`] indexes its `zones` too.
    pub fn face_map(
        &self,
    ) -> Option<Result<needlebench_face::FaceMap, needlebench_face::FaceMapError>> {
        let path = self.dir.join(FACE_MAP_FILE);
        path.is_file()
            .then(|| needlebench_face::FaceMap::load(&path))
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
        Rows::open_in(
            &self.dir.join(R::FILE),
            !self.is_complete(),
            Arc::clone(&self.zones),
        )
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

/// `idx` entry of an optional column ([`crate::OPTIONAL_COLUMNS`]) the file does not have: its
/// values read as `NaN`.
pub(crate) const ABSENT: usize = usize::MAX;

/// The rows of one CSV file, streamed: an iterator of `Result<R, RecordingError>` that ends
/// after the first error.
///
/// Columns are found by name in the header (extra columns are ignored, order is free); every
/// row, including the last, must end with a line end, so a file cut anywhere is reported.
pub struct Rows<R> {
    pub(crate) src: Source,
    /// `idx[k]` = field position of `R::COLUMNS[k]`.
    pub(crate) idx: Vec<usize>,
    pub(crate) header_len: usize,
    /// Bit `k` set: `R::COLUMNS[k]` is not parsed ([`Rows::only`]).
    pub(crate) skip: u32,
    /// A cut last row is left out rather than reported.
    pub(crate) drop_cut_tail: bool,
    /// Data rows read so far.
    pub(crate) row: u64,
    /// The zone list and the columns the fused path reads.
    pub(crate) ctx: Ctx,
    done: bool,
    _row: PhantomData<fn() -> R>,
}

impl<R: Row> Rows<R> {
    /// Open one CSV file of row type `R` and check its header. A `zone` column is read against
    /// the zone list of the `face-map.toml` beside the file (none: only empty zones read).
    pub fn open(path: &Path) -> Result<Rows<R>, RecordingError> {
        Rows::open_with(path, false)
    }

    /// [`Rows::open`]; with `drop_cut_tail`, a last row without its line end is left out
    /// instead of reported (for incomplete recordings: see [`Recording`]).
    pub fn open_with(path: &Path, drop_cut_tail: bool) -> Result<Rows<R>, RecordingError> {
        let zones = ZoneIds::in_dir(path.parent().unwrap_or(Path::new(".")))?;
        Rows::open_in(path, drop_cut_tail, Arc::new(zones))
    }

    /// [`Rows::open_with`] against the zone list `zones`.
    pub(crate) fn open_in(
        path: &Path,
        drop_cut_tail: bool,
        zones: Arc<ZoneIds>,
    ) -> Result<Rows<R>, RecordingError> {
        let mut src = Source::open(path, drop_cut_tail)?;
        if src.next(0)? == Got::End {
            return Err(RecordingError::EmptyFile {
                path: path.to_owned(),
                expected: R::COLUMNS.join(","),
            });
        }
        let data = src.data();
        let data = data.strip_prefix(b"\xEF\xBB\xBF").map_or(data, |d| d);
        let skip = src.data().len() - data.len();
        let header: Vec<&[u8]> = src
            .bounds
            .iter()
            .map(|&(a, b)| {
                data.get(a.saturating_sub(skip)..b.saturating_sub(skip))
                    .unwrap_or(b"")
            })
            .collect();
        let idx = R::COLUMNS
            .iter()
            .map(|&column| {
                let found = header.iter().position(|h| *h == column.as_bytes());
                let optional = crate::rows::OPTIONAL_COLUMNS.contains(&(R::FILE, column));
                match found {
                    None if optional => Some(ABSENT),
                    found => found,
                }
                .ok_or_else(|| RecordingError::MissingColumn {
                    path: path.to_owned(),
                    column,
                    header: header
                        .iter()
                        .map(|h| String::from_utf8_lossy(h))
                        .collect::<Vec<_>>()
                        .join(","),
                })
            })
            .collect::<Result<Vec<_>, _>>()?;
        let header_len = header.len();
        let present = canonical(&idx, header_len);
        src.lazy = present.is_some();
        Ok(Rows {
            src,
            idx,
            header_len,
            skip: 0,
            drop_cut_tail,
            row: 0,
            ctx: Ctx {
                zones,
                present: present.unwrap_or(0),
            },
            done: false,
            _row: PhantomData,
        })
    }

    /// The rest of a file whose header [`Rows::open`] checked (`idx`, `header_len`), from
    /// byte `offset`, where line `line` starts and `rows_before` data rows lie before.
    pub(crate) fn resume(
        path: &Path,
        idx: Vec<usize>,
        header_len: usize,
        skip: u32,
        offset: u64,
        line: u64,
        rows_before: u64,
        drop_cut_tail: bool,
        zones: Arc<ZoneIds>,
    ) -> Result<Rows<R>, RecordingError> {
        let mut src = Source::open_at(path, offset, line, drop_cut_tail)?;
        let present = canonical(&idx, header_len);
        src.lazy = present.is_some();
        Ok(Rows {
            src,
            idx,
            header_len,
            skip,
            drop_cut_tail,
            row: rows_before,
            ctx: Ctx {
                zones,
                present: present.unwrap_or(0),
            },
            done: false,
            _row: PhantomData,
        })
    }

    /// Parse only these columns of `R` (names from [`Row::COLUMNS`]; others are ignored): the
    /// other columns are still counted (a row must have as many fields as the header) but not
    /// parsed nor checked, and read as 0, `false`, an empty text or the first name. For readers
    /// that use a few columns, such as the checker: parsing is most of the reading time.
    pub fn only(mut self, columns: &[&str]) -> Rows<R> {
        self.skip = R::COLUMNS
            .iter()
            .take(32)
            .enumerate()
            .filter(|(_, c)| !columns.contains(c))
            .fold(0, |mask, (k, _)| mask | 1 << k);
        self
    }

    /// The file being read.
    pub fn path(&self) -> &Path {
        self.src.path()
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

impl<R: Row> Iterator for Rows<R> {
    type Item = Result<R, RecordingError>;

    fn next(&mut self) -> Option<Self::Item> {
        if self.done {
            return None;
        }
        let mut got = match self.src.next(self.row + 1) {
            Ok(Got::End) => {
                self.done = true;
                return None;
            }
            Ok(got) => got,
            Err(e) => return self.fail(e),
        };
        self.row += 1;
        if self.src.lazy {
            if got == Got::Record
                && let Some(row) = R::decode_line(self.src.data(), self.skip, &self.ctx)
            {
                return Some(Ok(row));
            }
            got = match self.src.split(self.row) {
                Ok(None) => got,
                Ok(Some(Got::End)) => {
                    self.done = true;
                    return None;
                }
                Ok(Some(again)) => again,
                Err(e) => return self.fail(e),
            };
        }
        let pos = RowPos {
            row: self.row,
            line: self.src.line,
        };
        let row = decode_record(
            self.src.path(),
            self.src.data(),
            &self.src.bounds,
            &self.idx,
            self.header_len,
            self.skip,
            &self.ctx.zones,
            pos,
            got == Got::Record,
        );
        match row {
            Ok(row) => Some(Ok(row)),
            Err(e) => self.fail(e),
        }
    }
}

/// Decode one split record of `path` at `pos` into a row: the checks (line end, field count,
/// values) and errors that the sequential and the parallel reader share.
pub(crate) fn decode_record<R: Row>(
    path: &Path,
    data: &[u8],
    bounds: &[(usize, usize)],
    idx: &[usize],
    header_len: usize,
    skip: u32,
    zones: &ZoneIds,
    pos: RowPos,
    terminated: bool,
) -> Result<R, RecordingError> {
    if !terminated {
        let message = "the last row has no line end: the file was cut short".to_owned();
        return Err(RecordingError::Truncated {
            path: path.to_owned(),
            pos,
            message,
        });
    }
    if bounds.len() != header_len {
        let message = format!(
            "expected {} fields as in the header, got {}: the row is cut short or malformed",
            header_len,
            bounds.len()
        );
        return Err(RecordingError::Truncated {
            path: path.to_owned(),
            pos,
            message,
        });
    }
    R::decode(&Dec::new(data, bounds, idx, skip, zones)).map_err(|bad| RecordingError::Value {
        path: path.to_owned(),
        pos,
        column: R::COLUMNS.get(bad.column).copied().unwrap_or("?"),
        message: bad.message,
    })
}

/// The header names exactly `R::COLUMNS`, in that order, but for trailing optional columns
/// it lacks: `Codec::decode_line` applies, and reads the number of columns returned.
pub(crate) fn canonical(idx: &[usize], header_len: usize) -> Option<usize> {
    let present = idx.iter().enumerate().take_while(|&(k, &i)| k == i).count();
    let rest_absent = idx.get(present..)?.iter().all(|&i| i == ABSENT);
    (rest_absent && header_len == present).then_some(present)
}
