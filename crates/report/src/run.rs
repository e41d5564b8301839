//! What the renderers need besides the checks' verdicts: the run as a whole ([`RunInfo`]) and
//! the limits the HTML plots draw ([`PlotLimits`]).

use needlebench_checks::CheckReport;
use serde::{Deserialize, Serialize};

/// The regression run as a whole, for the reports' headers: the JUnit suites' `timestamp` and
/// `hostname`, the HTML page's run metadata and the JSON report's `run`. Supplied by the
/// caller (the renderers read no clock and no environment, so they stay pure).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RunInfo {
    /// `needlebench --version`'s number, e.g. `0.4.0`.
    pub needlebench_version: String,
    /// The command line as typed (arguments joined with spaces, quoted where needed).
    pub command_line: String,
    /// The machine the run ran on (host name).
    pub host: String,
    /// When the run started, RFC 3339 in UTC: `2026-11-29T19:48:13Z` (fractional seconds
    /// allowed). [`junit`](crate::junit) refuses anything else.
    pub started_utc: String,
    /// Wall-clock time of the whole run, s.
    pub duration_s: f64,
    /// Scenarios run in parallel.
    pub jobs: usize,
    /// The directory the HTML page is written to, written like the recordings' paths
    /// (both relative to the same working directory, or absolute; `` = the working
    /// directory). The page's links to recordings are relative to it. Not serialized.
    #[serde(skip)]
    pub html_dir: String,
    /// `--shard I/N` of this run, `None` for a whole suite (or a merge of shards).
    #[serde(default)]
    pub shard: Option<ShardInfo>,
    /// Scenarios (each matrix variant counted) in the whole suite before `--shard`; 0 when
    /// unknown (a report from before this field).
    #[serde(default)]
    pub suite_size: usize,
}

/// `--shard I/N`: shard `index` (1-based) of `count`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct ShardInfo {
    /// 1 ≤ index ≤ count.
    pub index: usize,
    /// Number of shards.
    pub count: usize,
}

/// The matrix variant a result is (see `needlebench_scenario::Variant`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct VariantInfo {
    /// The scenario file's `name`.
    pub base_name: String,
    /// The variant's seed.
    pub seed: u64,
    /// The values the matrix set, those in the name first.
    pub values: Vec<VariantValue>,
}

/// One value a matrix set on a variant.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct VariantValue {
    /// Dotted scenario key, `pen.exposure_mm`.
    pub key: String,
    /// The value (a TOML value written as JSON).
    pub value: serde_json::Value,
    /// Whether it is part of the variant's name.
    pub in_name: bool,
}

/// Whether `s` is an RFC 3339 date-time: `YYYY-MM-DDTHH:MM:SS[.frac](Z|±HH:MM)`.
pub(crate) fn is_rfc3339(s: &str) -> bool {
    let b = s.as_bytes();
    let digits = |r: std::ops::Range<usize>| {
        b.get(r.clone())
            .is_some_and(|d| d.len() == r.len() && d.iter().all(u8::is_ascii_digit))
    };
    let fixed = digits(0..4)
        && b.get(4) == Some(&b'-')
        && digits(5..7)
        && b.get(7) == Some(&b'-')
        && digits(8..10)
        && matches!(b.get(10), Some(b'T' | b't'))
        && digits(11..13)
        && b.get(13) == Some(&b':')
        && digits(14..16)
        && b.get(16) == Some(&b':')
        && digits(17..19);
    if !fixed {
        return false;
    }
    let num = |r: std::ops::Range<usize>| s[r].parse::<u32>().unwrap_or(99);
    if !(1..=12).contains(&num(5..7))
        || !(1..=31).contains(&num(8..10))
        || num(11..13) > 23
        || num(14..16) > 59
        || num(17..19) > 60
    {
        return false;
    }
    let mut i = 19;
    if b.get(i) == Some(&b'.') {
        let start = i + 1;
        i = start;
        while b.get(i).is_some_and(u8::is_ascii_digit) {
            i += 1;
        }
        if i == start {
            return false;
        }
    }
    match &b[i..] {
        [b'Z' | b'z'] => true,
        [b'+' | b'-', ..] => {
            s.len() == i + 6 && digits(i + 1..i + 3) && b[i + 3] == b':' && digits(i + 4..i + 6)
        }
        _ => false,
    }
}

/// The limits the HTML plots draw as lines or bands. The checks' verdicts carry some of them
/// as metrics (`depth.max`'s `limit_um` and `fail_limit_um`, `depth.site_max`'s
/// `site_max_um`): [`PlotLimits::resolve`] takes those when a field is unset. The others are
/// not in a [`CheckReport`] as numbers: the caller fills them from the scenario's
/// expectations (they stay unset, and the plot draws no line, when there are none).
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct PlotLimits {
    /// Deepest puncture that passes `depth.max` (exposure + tolerance), µm.
    pub depth_max_um: Option<f64>,
    /// Deepest puncture that is still acceptable (exposure + 2 × tolerance), µm.
    pub depth_fail_um: Option<f64>,
    /// The site's absolute safe maximum (`depth.site_max`), µm.
    pub site_max_um: Option<f64>,
    /// Layers no puncture may end in, by index from the surface (0 stratum corneum, 1 viable
    /// epidermis, 2 papillary dermis, 3 reticular dermis, 4 hypodermis): the histogram
    /// shades them and draws the boundary where the shallowest begins.
    pub forbidden_layers: Vec<usize>,
    /// Allowed punctures per cm² of a treated cell, `[min, max]` (`density.range`).
    pub density_per_cm2: Option<[f64; 2]>,
    /// Expected loaded stroke frequency, `[low, high]` Hz (the set frequency ± the tolerance
    /// of `firmware.stroke_hz`).
    pub stroke_hz: Option<[f64; 2]>,
}

impl PlotLimits {
    /// These limits with every unset one the verdicts of `report` carry as a metric filled in.
    pub fn resolve(&self, report: &CheckReport) -> PlotLimits {
        let metric = |criterion: &str, name: &str| {
            report
                .verdicts
                .iter()
                .find(|v| v.criterion == criterion)
                .and_then(|v| v.metrics.get(name).copied())
                .filter(|m| m.is_finite())
        };
        PlotLimits {
            depth_max_um: self
                .depth_max_um
                .or_else(|| metric("depth.max", "limit_um")),
            depth_fail_um: self
                .depth_fail_um
                .or_else(|| metric("depth.max", "fail_limit_um")),
            site_max_um: self
                .site_max_um
                .or_else(|| metric("depth.site_max", "site_max_um")),
            ..self.clone()
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::fixture::{report, verdict};
    use needlebench_checks::Outcome;

    #[test]
    fn rfc3339_accepts_utc_and_offsets_and_refuses_the_rest() {
        for ok in [
            "2026-11-29T19:48:13Z",
            "2026-11-29T19:48:13.250Z",
            "2026-11-29T19:48:13+01:00",
            "2026-12-31T23:59:60-05:30",
        ] {
            assert!(is_rfc3339(ok), "{ok}");
        }
        for bad in [
            "",
            "2026-11-29",
            "2026-11-29 19:48:13Z",
            "2026-11-29T19:48:13",
            "2026-13-29T19:48:13Z",
            "2026-11-29T24:00:00Z",
            "2026-11-29T19:48:13.Z",
            "2026-11-29T19:48:13+0100",
            "yesterday",
            "2026-11-29T19:48:13Zjunk",
        ] {
            assert!(!is_rfc3339(bad), "{bad}");
        }
    }

    #[test]
    fn resolve_takes_depth_limits_from_the_verdicts_unless_given() {
        let mut r = report("x", vec![verdict("depth.max", Outcome::Pass, 1.0)], 1, 1);
        r.verdicts[0].metrics.insert("limit_um".into(), 550.0);
        r.verdicts[0].metrics.insert("fail_limit_um".into(), 600.0);
        let resolved = PlotLimits::default().resolve(&r);
        assert_eq!(resolved.depth_max_um, Some(550.0));
        assert_eq!(resolved.depth_fail_um, Some(600.0));
        assert_eq!(resolved.site_max_um, None);
        let given = PlotLimits {
            depth_max_um: Some(400.0),
            ..PlotLimits::default()
        };
        assert_eq!(given.resolve(&r).depth_max_um, Some(400.0));
    }
}
