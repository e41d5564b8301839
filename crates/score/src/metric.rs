//! Metric names, target bands and the 0–100 sub-score.

use serde::{Serialize, Serializer};

/// A metric of technique, with a stable `snake_case` name (JSON keys, `--against` rows).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum MetricName {
    /// Share of the zone's cells with at least one puncture.
    Coverage,
    /// 1 − coefficient of variation of density over the zone's cells.
    Uniformity,
    /// Mean density over the zone's cells, punctures per cm².
    DensityPerCm2,
    /// Passes over the zone: on-skin path length in the zone ÷ one pass's raster length.
    Passes,
    /// Pen visits per punctured cell ÷ the planned sweeps.
    Overlap,
    /// Mean on-skin glide speed, mm/s.
    GlideMmS,
    /// Coefficient of variation of the on-skin glide speed.
    GlideCv,
    /// Mean pressing force while on the skin, N.
    ForceN,
    /// Coefficient of variation of the pressing force while on the skin.
    ForceCv,
    /// Mean tilt from the skin normal while on the skin, degrees.
    TiltDeg,
    /// Share of the zone's cells that are dwell hot spots (tram-track risk).
    HotSpots,
    /// Share of punctures no deeper than the chart's deepest setting.
    DepthInRange,
    /// Mean exposure set on the pen while on the skin, mm.
    ExposureMm,
    /// Time on the skin in the zone, s.
    TimeS,
    /// Share of the zone's pass spent with the pen's centre on the skin outside the plan.
    Strays,
}

impl MetricName {
    /// Every metric, in table order.
    pub const ALL: [MetricName; 15] = [
        MetricName::Coverage,
        MetricName::Uniformity,
        MetricName::DensityPerCm2,
        MetricName::Passes,
        MetricName::Overlap,
        MetricName::GlideMmS,
        MetricName::GlideCv,
        MetricName::ForceN,
        MetricName::ForceCv,
        MetricName::TiltDeg,
        MetricName::HotSpots,
        MetricName::DepthInRange,
        MetricName::ExposureMm,
        MetricName::TimeS,
        MetricName::Strays,
    ];

    /// The stable name (`glide_mm_s`).
    pub fn name(self) -> &'static str {
        match self {
            MetricName::Coverage => "coverage",
            MetricName::Uniformity => "uniformity",
            MetricName::DensityPerCm2 => "density_per_cm2",
            MetricName::Passes => "passes",
            MetricName::Overlap => "overlap",
            MetricName::GlideMmS => "glide_mm_s",
            MetricName::GlideCv => "glide_cv",
            MetricName::ForceN => "force_n",
            MetricName::ForceCv => "force_cv",
            MetricName::TiltDeg => "tilt_deg",
            MetricName::HotSpots => "hot_spots",
            MetricName::DepthInRange => "depth_in_range",
            MetricName::ExposureMm => "exposure_mm",
            MetricName::TimeS => "time_s",
            MetricName::Strays => "strays",
        }
    }

    /// Words for people (`glide speed`).
    pub fn words(self) -> &'static str {
        match self {
            MetricName::Coverage => "coverage",
            MetricName::Uniformity => "uniformity",
            MetricName::DensityPerCm2 => "density",
            MetricName::Passes => "passes",
            MetricName::Overlap => "overlap",
            MetricName::GlideMmS => "glide speed",
            MetricName::GlideCv => "glide variation",
            MetricName::ForceN => "force",
            MetricName::ForceCv => "force variation",
            MetricName::TiltDeg => "tilt",
            MetricName::HotSpots => "hot spots",
            MetricName::DepthInRange => "depth in range",
            MetricName::ExposureMm => "exposure",
            MetricName::TimeS => "time",
            MetricName::Strays => "strays off the zone",
        }
    }

    /// Unit of the value.
    pub fn unit(self) -> Unit {
        match self {
            MetricName::Coverage
            | MetricName::Uniformity
            | MetricName::GlideCv
            | MetricName::ForceCv
            | MetricName::HotSpots
            | MetricName::DepthInRange
            | MetricName::Strays => Unit::Fraction,
            MetricName::DensityPerCm2 => Unit::PerCm2,
            MetricName::Passes => Unit::Passes,
            MetricName::Overlap => Unit::Times,
            MetricName::GlideMmS => Unit::MmPerS,
            MetricName::ForceN => Unit::Newton,
            MetricName::TiltDeg => Unit::Degree,
            MetricName::ExposureMm => Unit::Mm,
            MetricName::TimeS => Unit::Second,
        }
    }

    /// Whether a sub-score below [`CRITICAL_FLOOR`](crate::CRITICAL_FLOOR) fails the zone
    /// whatever its score: the metrics whose failure harms or wastes a treatment (density,
    /// force, hot spots, depth in range, exposure, strays).
    pub fn is_critical(self) -> bool {
        matches!(
            self,
            MetricName::DensityPerCm2
                | MetricName::ForceN
                | MetricName::HotSpots
                | MetricName::DepthInRange
                | MetricName::ExposureMm
                | MetricName::Strays
        )
    }

    /// Weight in the zone score (see the crate docs' table).
    pub fn weight(self) -> f64 {
        match self {
            MetricName::Coverage | MetricName::DepthInRange | MetricName::ExposureMm => 3.0,
            MetricName::DensityPerCm2
            | MetricName::GlideMmS
            | MetricName::HotSpots
            | MetricName::Strays => 2.0,
            _ => 1.0,
        }
    }
}

/// Unit of a metric's value.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub enum Unit {
    /// A share, 0–1.
    #[serde(rename = "fraction")]
    Fraction,
    /// Punctures per cm².
    #[serde(rename = "1/cm2")]
    PerCm2,
    /// A count of passes.
    #[serde(rename = "passes")]
    Passes,
    /// A ratio.
    #[serde(rename = "x")]
    Times,
    /// mm/s.
    #[serde(rename = "mm/s")]
    MmPerS,
    /// Newton.
    #[serde(rename = "N")]
    Newton,
    /// Degrees.
    #[serde(rename = "deg")]
    Degree,
    /// Millimetres.
    #[serde(rename = "mm")]
    Mm,
    /// Seconds.
    #[serde(rename = "s")]
    Second,
}

impl Unit {
    /// The unit as written in files (`mm/s`; fractions as `fraction`).
    pub fn symbol(self) -> &'static str {
        match self {
            Unit::Fraction => "fraction",
            Unit::PerCm2 => "1/cm2",
            Unit::Passes => "passes",
            Unit::Times => "x",
            Unit::MmPerS => "mm/s",
            Unit::Newton => "N",
            Unit::Degree => "deg",
            Unit::Mm => "mm",
            Unit::Second => "s",
        }
    }
}

/// A target band and how far outside it the sub-score reaches 0.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Band {
    /// Lowest value that scores 100.
    pub lo: f64,
    /// Highest value that scores 100.
    pub hi: f64,
    /// Distance below `lo` at which the score reaches 0 (> 0).
    pub zero_below: f64,
    /// Distance above `hi` at which the score reaches 0 (> 0).
    pub zero_above: f64,
}

impl Band {
    /// A band with the same zero distance on both sides.
    pub fn new(lo: f64, hi: f64, zero: f64) -> Self {
        Band {
            lo,
            hi,
            zero_below: zero,
            zero_above: zero,
        }
    }

    /// How far outside the band `value` is, in units of the zero distance: 0 inside, 1 where
    /// the score reaches 0; negative below (`-0.5`), positive above.
    /// Values within a relative 10⁻⁹ of the band (rounding of sums) count as inside.
    pub fn deviation(&self, value: f64) -> f64 {
        let eps = 1e-9 * self.lo.abs().max(self.hi.abs()).max(1.0);
        if value < self.lo - eps {
            -(self.lo - value) / self.zero_below
        } else if value > self.hi + eps {
            (value - self.hi) / self.zero_above
        } else {
            0.0
        }
    }

    /// The sub-score: 100 inside the band, falling linearly to 0 at the zero distance
    /// outside it, 0 beyond; `None` for a value that is not a number (nothing to judge).
    pub fn score(&self, value: f64) -> Option<f64> {
        value
            .is_finite()
            .then(|| 100.0 * (1.0 - self.deviation(value).abs()).max(0.0))
    }
}

/// One metric of one zone.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Metric {
    /// Which metric.
    pub name: MetricName,
    /// Its value (`NaN`, written `null`: nothing to judge).
    #[serde(serialize_with = "finite_or_null")]
    pub value: f64,
    /// Unit of `value` and `band`.
    pub unit: Unit,
    /// Target band `[lo, hi]`.
    #[serde(serialize_with = "band_pair")]
    pub band: Band,
    /// Sub-score 0–100; `None` (written `null`): not applicable.
    pub score: Option<f64>,
    /// Weight in the zone score.
    pub weight: f64,
}

impl Metric {
    /// `value` judged against `band`.
    pub fn new(name: MetricName, value: f64, band: Band) -> Self {
        Metric {
            name,
            value,
            unit: name.unit(),
            band,
            score: band.score(value),
            weight: name.weight(),
        }
    }
}

/// Serialise a float, `null` when not finite (JSON has no NaN).
pub(crate) fn finite_or_null<S: Serializer>(v: &f64, s: S) -> Result<S::Ok, S::Error> {
    if v.is_finite() {
        s.serialize_f64(*v)
    } else {
        s.serialize_none()
    }
}

fn band_pair<S: Serializer>(b: &Band, s: S) -> Result<S::Ok, S::Error> {
    use serde::ser::SerializeTuple;
    let mut t = s.serialize_tuple(2)?;
    for v in [b.lo, b.hi] {
        t.serialize_element(&v.is_finite().then_some(v))?;
    }
    t.end()
}

/// Weighted mean of the sub-scores that apply; `None` when none does.
pub fn weighted_score(metrics: &[Metric]) -> Option<f64> {
    let (sum, weight) = metrics
        .iter()
        .filter_map(|m| m.score.map(|s| (s * m.weight, m.weight)))
        .fold((0.0, 0.0), |a, b| (a.0 + b.0, a.1 + b.1));
    (weight > 0.0).then(|| sum / weight)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_sub_score_is_100_inside_the_band_and_falls_linearly_to_0() {
        let b = Band::new(0.8, 1.2, 0.5);
        assert_eq!(b.score(1.0), Some(100.0));
        assert_eq!(b.score(0.8), Some(100.0));
        // 0.2 below lo of a 0.5 zero distance: 100·(1 − 0.4) = 60
        assert!((b.score(0.6).unwrap_or(0.0) - 60.0).abs() < 1e-9);
        // 0.25 above hi: 50
        assert!((b.score(1.45).unwrap_or(0.0) - 50.0).abs() < 1e-9);
        assert_eq!(b.score(3.0), Some(0.0));
        assert_eq!(b.score(f64::NAN), None);
        assert!((b.deviation(0.55) + 0.5).abs() < 1e-12);
    }

    #[test]
    fn the_zone_score_is_the_weight_mean_of_the_sub_scores_that_apply() {
        let band = Band::new(0.0, 1.0, 1.0);
        let m = [
            Metric::new(MetricName::Coverage, 0.5, band), // weight 3, score 100
            Metric::new(MetricName::TiltDeg, 1.5, band),  // weight 1, score 50
            Metric::new(MetricName::ForceN, f64::NAN, band), // not applicable
        ];
        // (3·100 + 1·50) / 4 = 87.5
        assert_eq!(weighted_score(&m), Some(87.5));
        assert_eq!(weighted_score(&m[2..]), None);
    }

    #[test]
    fn metric_names_serialise_as_their_stable_names() {
        for m in MetricName::ALL {
            assert_eq!(
                serde_json::to_value(m).ok(),
                Some(serde_json::Value::from(m.name()))
            );
        }
    }
}
