//! Link health: frames each way, line errors, round-trip latency and lag.

use hdrhistogram::Histogram;
use needlebench_protocol::DecoderStats;
use serde::Serialize;

/// A snapshot of a link's health, as `link-test --json` prints it and recordings store it.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct LinkStats {
    /// Ticks completed.
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
    /// Round-trip latency, median, µs.
    pub rtt_us_p50: u64,
    /// Round-trip latency, 99th percentile, µs.
    pub rtt_us_p99: u64,
    /// Round-trip latency, maximum, µs.
    pub rtt_us_max: u64,
    /// Real time only: the largest lag behind the wall-clock schedule, µs.
    pub lag_us_max: u64,
}

impl LinkStats {
    /// Every counter with its name, in a stable order (for recordings and reports).
    pub fn fields(&self) -> [(&'static str, u64); 16] {
        [
            ("ticks", self.ticks),
            ("frames_to_pen", self.frames_to_pen),
            ("frames_from_pen", self.frames_from_pen),
            ("bytes_to_pen", self.bytes_to_pen),
            ("bytes_from_pen", self.bytes_from_pen),
            ("crc_errors", self.crc_errors),
            ("resyncs", self.resyncs),
            ("oversize", self.oversize),
            ("unknown_type", self.unknown_type),
            ("malformed", self.malformed),
            ("dropped_frames", self.dropped_frames),
            ("retransmits", self.retransmits),
            ("rtt_us_p50", self.rtt_us_p50),
            ("rtt_us_p99", self.rtt_us_p99),
            ("rtt_us_max", self.rtt_us_max),
            ("lag_us_max", self.lag_us_max),
        ]
    }
}

/// Accumulates [`LinkStats`] as the link runs.
#[derive(Debug)]
pub(crate) struct StatsRecorder {
    pub(crate) stats: LinkStats,
    rtt_us: Histogram<u64>,
}

impl StatsRecorder {
    pub(crate) fn new() -> Self {
        StatsRecorder {
            stats: LinkStats::default(),
            // 1 µs to 60 s at 3 significant figures; new_with_bounds only fails on bad bounds.
            rtt_us: Histogram::new_with_bounds(1, 60_000_000, 3)
                .unwrap_or_else(|_| Histogram::new(3).unwrap_or_else(|_| unreachable!())),
        }
    }

    pub(crate) fn record_rtt_us(&mut self, rtt_us: u64) {
        self.rtt_us.saturating_record(rtt_us.max(1));
    }

    pub(crate) fn record_lag_us(&mut self, lag_us: u64) {
        self.stats.lag_us_max = self.stats.lag_us_max.max(lag_us);
    }

    /// The stats with the decoder's counters and the latency percentiles folded in.
    pub(crate) fn snapshot(&self, decoder: &DecoderStats) -> LinkStats {
        let mut s = self.stats;
        s.frames_from_pen = decoder.frames_ok;
        s.crc_errors = decoder.crc_errors;
        s.resyncs = decoder.resyncs;
        s.oversize = decoder.oversize;
        s.unknown_type = decoder.unknown_type;
        s.malformed = decoder.malformed;
        s.dropped_frames = decoder.seq_gaps;
        if !self.rtt_us.is_empty() {
            s.rtt_us_p50 = self.rtt_us.value_at_quantile(0.50);
            s.rtt_us_p99 = self.rtt_us.value_at_quantile(0.99);
            s.rtt_us_max = self.rtt_us.max();
        }
        s
    }
}
