//! The needlebench recording: one directory per run, the same layout whether the pen was
//! emulated or real, written by the runner as the run goes and read by the checker and the
//! viewer.
//!
//! ```text
//! run-dir/
//!   meta.toml       what ran, on what, how it ended, units                     (Meta)
//!   timing.toml     link counters, round trips, real-time lag (wall clock)     (Timing)
//!   telemetry.csv   one row per firmware tick                                  (TelemetryRow)
//!   punctures.csv   one row per needle puncture                                (PunctureRow)
//!   events.csv      firmware events, injected faults, link events              (EventRow)
//!   face-map.toml   a treatment plan's face map, exact bytes (format 4)        (ZoneIds)
//! ```
//!
//! The full format, for people exporting data from a real pen, is in `FORMAT.md` next to this
//! crate's `Cargo.toml`. In short:
//!
//! * **CSV**: comma-separated, `\n` line ends (`\r\n` is read too), a header line naming the
//!   columns, RFC 4180 quoting where a field needs it. The writer writes the columns in the
//!   order of the row struct's fields ([`Row::COLUMNS`]); the reader finds them by name, ignores
//!   extra columns, and requires every row, including the last, to end with a line end (so a
//!   file cut anywhere, even inside a number, is reported).
//! * **Numbers**: integers in decimal; floats rounded to a per-column resolution
//!   ([`rows::resolution`]: mm to 0.001, µm to 0.1, hand force to 1e-4 N, needle force to
//!   1e-5 N, …) and then written in the shortest form that reads back to the same `f32`
//!   (`ryu`), without a trailing `.0`. So the same rows give byte-identical files, and what is
//!   read back equals [`Row::rounded`] of what was written.
//! * **Names**: states, faults, layers and event sources as snake_case names (`running`,
//!   `over_current`, `papillary_dermis`, `injected`); booleans `true`/`false`.
//! * **Zones** (format 4): a treatment plan's recording holds its face map (`face-map.toml`)
//!   and `punctures.csv` a last column `zone`, the id of the face-map zone the puncture lies
//!   in (empty: outside every zone), read as a [`ZoneRef`] into [`Recording::zone_ids`]; other
//!   recordings have no such column and read [`ZoneRef::NOT_RECORDED`].
//! * **Meta** ([`Meta`]): TOML, `format_version = 4`; nothing that depends on the wall clock
//!   or the line (the link counters went to `timing.toml` in format 3), so the same scenario,
//!   seed and firmware give a byte-identical `meta.toml`.
//!
//! # Writing
//! [`RecordingWriter::create`] writes `meta.toml` at once marked `incomplete` /
//! `running`, and the three headers; rows stream through 64 KiB buffers without allocating;
//! [`RecordingWriter::finish`] flushes and atomically rewrites `meta.toml` with the status and
//! counts; the runner then writes the link statistics with [`Timing::write`]. A writer dropped without `finish` (error path, panic) flushes
//! every row and marks the recording incomplete ([`REASON_NOT_FINISHED`]); a killed process
//! leaves `reason = "running"` and every row flushed so far.
//!
//! # Reading
//! [`Recording::open`] reads and checks `meta.toml`; [`Recording::telemetry`],
//! [`Recording::punctures`] and [`Recording::events`] stream rows ([`Rows`], one reused
//! 256 KiB read buffer, flat memory). Files are written with the `csv` crate; rows without a
//! `"` (all puncture and telemetry rows) are parsed straight from the read buffer, fields
//! found while their numbers are parsed (a line the fast parser does not take is split by hand,
//! 8 bytes at a time, and decoded field by field), because the `csv` crate's reader alone splits
//! slower than the checker needs; from the first quoted row on, the `csv` crate's reader takes
//! over. [`Rows::for_each_batch`] reads a file with several threads ([`ReadOptions`]), rows
//! still delivered in file order and errors still exact; [`Rows::only`] parses only the
//! columns a reader uses. Errors ([`RecordingError`]) name the file, the 1-based data row and
//! file line, and the column: `punctures.csv: row 1234 (line 1235), column depth_um: expected
//! a number, got 'abc'`.
//!
//! ```
//! use needlebench_recording::{Meta, PunctureRow, Recording, RecordingWriter, RunStatus};
//! # let tmp = tempfile::tempdir().unwrap();
//! # let dir = tmp.path().join("run");
//! let mut w = RecordingWriter::create(&dir, Meta::default())?;
//! w.puncture(&PunctureRow { t_us: 1_000, depth_um: 612.34, ..Default::default() })?;
//! w.finish(RunStatus::Complete)?;
//!
//! let rec = Recording::open(&dir)?;
//! assert!(rec.is_complete());
//! let first = rec.punctures()?.next().unwrap()?;
//! assert_eq!(first.depth_um, 612.3); // rounded to 0.1 µm
//! # Ok::<(), needlebench_recording::RecordingError>(())
//! ```

#[macro_use]
mod row_macro;
mod codec;
pub mod error;
mod line;
pub mod link;
pub mod meta;
mod names;
mod parallel;
mod place;
pub mod reader;
pub mod rows;
mod source;
pub mod writer;
pub mod zone;

pub use error::{RecordingError, RowPos};
pub use link::{LinkCounters, TIMING_FILE, Timing};
pub use meta::{
    Completion, EndReason, FORMAT_VERSION, FORMAT_VERSION_MIN, FirmwareMeta, LayersUm, META_FILE,
    Meta, NeedlebenchMeta, RunMeta, RunStatus, SCENARIO_COPY, SCENARIO_DIR, ScenarioMeta,
    SetupMeta, default_units, scenario_hash,
};
pub use parallel::{ReadOptions, THREADS_ENV};
pub use reader::{Recording, Rows};
pub use rows::{
    ColumnKind, EventKind, EventRow, EventSource, FIRMWARE_STATES, OPTIONAL_COLUMNS, PunctureRow,
    Row, TelemetryRow, columns_of, fault_from_name, round_to, state_from_name,
};
pub use writer::{
    CreateOptions, FaceMapCopy, REASON_NOT_FINISHED, RecordingWriter, ScenarioCopy,
    scenario_file_copy_path,
};
pub use zone::{FACE_MAP_FILE, ZoneIds, ZoneRef};

/// Re-exported so users of the rows need not depend on the physics and protocol crates.
pub use needlebench_physics::{DeviceKind, Layer};
pub use needlebench_protocol::{ClockMode, FaultCode, FirmwareState, LogLevel};
