//! Link figures of a run, typed: everything the line and the wall clock decide, stored in
//! `timing.toml` ([`Timing`]) beside `meta.toml`: the line counters (`[link]`,
//! [`LinkCounters`]) and the round-trip and lag measurements. The runner writes them; the
//! checker reads them through [`crate::Recording`].
//!
//! None of these figures is a function of scenario, seed and firmware alone: a lockstep tick
//! whose reply is late (a slow pen, a loaded machine) is granted again after the link's
//! re-send time, which adds frames and bytes each way, a retransmit, and possibly gaps in the
//! pen's sequence numbers; CRC errors and re-syncs on a real line come from the line itself.
//! So they stay out of `meta.toml`, whose bytes are reproducible. Formats 1 and 2 kept
//! `[link]` in `meta.toml`: [`crate::Recording::link_counters`] reads it from either place.

use crate::error::RecordingError;
use serde::{Deserialize, Serialize};
use std::path::Path;

/// The file beside `meta.toml` that holds the wall-clock link measurements.
pub const TIMING_FILE: &str = "timing.toml";

/// `[link]` of `timing.toml` (of `meta.toml` in formats 1 and 2): what crossed the line,
/// counted. They depend on the line and on the wall clock (re-sends after a late reply), so
/// two runs of the same scenario may count differently. A recording without link statistics
/// (a roller or stamp run, a real pen's export) leaves the whole table out.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LinkCounters {
    /// Ticks completed over the link.
    pub ticks: u64,
    /// Frames sent to the pen.
    pub frames_to_pen: u64,
    /// Valid frames received from the pen.
    pub frames_from_pen: u64,
    /// Bytes sent to the pen.
    pub bytes_to_pen: u64,
    /// Bytes received from the pen.
    pub bytes_from_pen: u64,
    /// Frames from the pen with a bad CRC.
    pub crc_errors: u64,
    /// Times the decoder threw bytes away to find the next frame.
    pub resyncs: u64,
    /// Frames over the maximum length.
    pub oversize: u64,
    /// Frames with an unknown message type.
    pub unknown_type: u64,
    /// Frames whose body did not decode.
    pub malformed: u64,
    /// Frames from the pen that never arrived (gaps in its sequence numbers).
    pub dropped_frames: u64,
    /// Ticks granted again because their reply was incomplete.
    pub retransmits: u64,
}

/// `timing.toml`: the link's figures that depend on the line and the wall clock. They may
/// differ from run to run, so they never enter `meta.toml` (whose bytes are reproducible).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Timing {
    /// Round-trip latency (sensor frame out → complete reply in), median, µs.
    pub rtt_us_p50: u64,
    /// Round-trip latency, 99th percentile, µs.
    pub rtt_us_p99: u64,
    /// Round-trip latency, maximum, µs.
    pub rtt_us_max: u64,
    /// Real time only: the largest lag of the link behind its wall-clock schedule, µs
    /// (0 in lockstep, where there is no schedule).
    pub lag_us_max: u64,
    /// The lag at which the link gave up (the scenario's `expect.max_lag_ms` or
    /// `--max-lag-ms`), µs; absent when no bound applied (lockstep).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub lag_bound_us: Option<u64>,
    /// `[link]`: the line counters (format 3 on; formats 1 and 2 kept them in `meta.toml`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub link: Option<LinkCounters>,
}

const TIMING_HEADER: &str = "# Link figures of this run that depend on the line and the wall clock \
(they may differ between runs; meta.toml holds everything deterministic).\n";

impl Timing {
    /// Write `timing.toml` into `dir` atomically.
    pub fn write(&self, dir: &Path) -> Result<(), RecordingError> {
        let path = dir.join(TIMING_FILE);
        let body = toml::to_string(self).map_err(|e| RecordingError::MetaWrite {
            path: path.clone(),
            message: e.to_string(),
        })?;
        crate::meta::write_file_atomic(&path, format!("{TIMING_HEADER}{body}").as_bytes())
    }

    /// Read `timing.toml` from `dir`: `None` when the file is not there (a recording exported
    /// from a real pen, or one whose run was killed before it ended).
    pub fn read(dir: &Path) -> Result<Option<Timing>, RecordingError> {
        let path = dir.join(TIMING_FILE);
        let text = match std::fs::read_to_string(&path) {
            Ok(t) => t,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(None),
            Err(e) => return Err(RecordingError::io(&path, "read", e)),
        };
        crate::meta::parse_toml(&text, &path).map(Some)
    }
}
