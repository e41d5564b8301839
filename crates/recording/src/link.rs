//! Link figures of a run, typed: the deterministic line counters stored in `meta.toml`
//! (`[link]`, [`LinkCounters`]) and the wall-clock measurements stored beside it in
//! `timing.toml` ([`Timing`]). The runner writes both; the checker reads both through
//! [`crate::Recording`].

use crate::error::RecordingError;
use serde::{Deserialize, Serialize};
use std::path::Path;

/// The file beside `meta.toml` that holds the wall-clock link measurements.
pub const TIMING_FILE: &str = "timing.toml";

/// `[link]` of `meta.toml`: what crossed the line, counted. Deterministic in lockstep (the
/// same scenario, seed and firmware give the same counts). A recording exported from a real
/// pen without link statistics leaves the whole table out.
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

/// `timing.toml`: link measurements on the wall clock. They differ from run to run, so they
/// never enter `meta.toml` (whose bytes are reproducible).
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
}

const TIMING_HEADER: &str = "# Wall-clock link measurements of this run (they differ between runs; \
meta.toml holds everything deterministic).\n";

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
