//! [`score`] and what it returns.

use crate::analysis::Analysis;
use crate::error::ScoreError;
use crate::feedback::{Feedback, feedback};
use crate::input::ScoreInput;
use crate::metric::{Metric, MetricName, Unit, finite_or_null, weighted_score};
use crate::{CRITICAL_FLOOR, PASS_MARK, zone};
use serde::Serialize;

/// The score of a treatment.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Score {
    /// The pass mark every planned zone must reach ([`PASS_MARK`]).
    pub pass_mark: f64,
    /// Every zone of the input, in its order (zones outside the plan unscored).
    pub zones: Vec<ZoneScore>,
    /// The whole treatment.
    pub overall: Overall,
    /// Feedback lines, sorted by start time (untimed lines last).
    pub feedback: Vec<Feedback>,
}

/// The score of one zone.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ZoneScore {
    /// Zone id.
    pub id: String,
    /// Zone label.
    pub label: String,
    /// Outline, mm (for drawing).
    pub outline_mm: Vec<[f64; 2]>,
    /// Area, mm².
    pub area_mm2: f64,
    /// Whether the plan treats this zone (only planned zones are scored).
    pub planned: bool,
    /// Weighted mean of the sub-scores, 0–100; `None` when not planned or nothing applies.
    pub score: Option<f64>,
    /// Score at or above the pass mark and no critical metric below [`CRITICAL_FLOOR`] (false
    /// when not planned).
    pub passed: bool,
    /// Punctures recorded in the zone.
    pub punctures: u64,
    /// The metrics (empty when not planned).
    pub metrics: Vec<Metric>,
}

impl ZoneScore {
    /// The metric `name`, when the zone is scored.
    pub fn metric(&self, name: MetricName) -> Option<&Metric> {
        self.metrics.iter().find(|m| m.name == name)
    }
}

/// The whole treatment.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Overall {
    /// Area-weighted mean of the planned zones' scores; `None` when no zone has a score.
    pub score: Option<f64>,
    /// Every planned zone passed (false when there is none).
    pub passed: bool,
    /// Planned zones that passed.
    pub zones_passed: usize,
    /// Planned zones.
    pub zones_planned: usize,
    /// Area of the planned zones, mm².
    pub area_mm2: f64,
    /// Every puncture.
    pub punctures: u64,
    /// Punctures outside every zone.
    pub punctures_outside: u64,
    /// Punctures in zones the plan leaves out.
    pub punctures_off_plan: u64,
    /// Per metric: area-weighted means over the planned zones where it applies.
    pub metrics: Vec<OverallMetric>,
}

/// One metric over the planned zones.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct OverallMetric {
    /// Which metric.
    pub name: MetricName,
    /// Area-weighted mean value (`null`: applies nowhere).
    #[serde(serialize_with = "finite_or_null")]
    pub value: f64,
    /// Unit of `value`.
    pub unit: Unit,
    /// Area-weighted mean sub-score (`None`: applies nowhere).
    pub score: Option<f64>,
}

/// Score `input`: every metric of every planned zone, the zone and overall scores, feedback.
///
/// Errors when the input breaks a rule of [`ScoreInput::validate`].
pub fn score(input: &ScoreInput) -> Result<Score, ScoreError> {
    input.validate()?;
    let a = Analysis::new(input);
    let metrics: Vec<Option<Vec<Metric>>> = input
        .zones
        .iter()
        .enumerate()
        .map(|(zi, z)| z.target.as_ref().map(|t| zone::metrics(&a, zi, t)))
        .collect();
    let mut counts = vec![0u64; input.zones.len()];
    let mut outside = 0;
    for p in &input.punctures {
        match p.zone {
            Some(z) => counts[z] += 1,
            None => outside += 1,
        }
    }
    let zones: Vec<ZoneScore> = input
        .zones
        .iter()
        .zip(&metrics)
        .enumerate()
        .map(|(zi, (z, m))| {
            let score = m.as_deref().and_then(weighted_score);
            ZoneScore {
                id: z.id.clone(),
                label: z.label.clone(),
                outline_mm: z.outline_mm.clone(),
                area_mm2: a.zones[zi].area_mm2,
                planned: z.target.is_some(),
                score,
                passed: passes(score, m.as_deref().unwrap_or_default()),
                punctures: counts[zi],
                metrics: m.clone().unwrap_or_default(),
            }
        })
        .collect();
    let fb = feedback(&a, &metrics);
    let overall = overall(&zones, outside, &input.zones);
    Ok(Score {
        pass_mark: PASS_MARK,
        zones,
        overall,
        feedback: fb,
    })
}

/// A zone passes at [`PASS_MARK`] when no critical metric scores below [`CRITICAL_FLOOR`].
fn passes(score: Option<f64>, metrics: &[Metric]) -> bool {
    score.is_some_and(|s| s >= PASS_MARK)
        && !metrics
            .iter()
            .any(|m| m.name.is_critical() && m.score.is_some_and(|s| s < CRITICAL_FLOOR))
}

fn overall(zones: &[ZoneScore], outside: u64, inputs: &[crate::ZoneInput]) -> Overall {
    let planned: Vec<&ZoneScore> = zones.iter().filter(|z| z.planned).collect();
    let area_mean = |f: &dyn Fn(&ZoneScore) -> Option<f64>| {
        let (sum, area) = planned
            .iter()
            .filter_map(|z| {
                f(z).filter(|v| v.is_finite())
                    .map(|v| (v * z.area_mm2, z.area_mm2))
            })
            .fold((0.0, 0.0), |a, b| (a.0 + b.0, a.1 + b.1));
        (area > 0.0).then(|| sum / area)
    };
    let metrics = MetricName::ALL
        .iter()
        .map(|&name| OverallMetric {
            name,
            value: area_mean(&|z| z.metric(name).map(|m| m.value)).unwrap_or(f64::NAN),
            unit: name.unit(),
            score: area_mean(&|z| z.metric(name).and_then(|m| m.score)),
        })
        .collect();
    let zones_passed = planned.iter().filter(|z| z.passed).count();
    Overall {
        score: area_mean(&|z| z.score),
        passed: !planned.is_empty() && zones_passed == planned.len(),
        zones_passed,
        zones_planned: planned.len(),
        area_mm2: planned.iter().map(|z| z.area_mm2).sum(),
        punctures: zones.iter().map(|z| z.punctures).sum::<u64>() + outside,
        punctures_outside: outside,
        punctures_off_plan: zones
            .iter()
            .zip(inputs)
            .filter(|(_, i)| i.target.is_none())
            .map(|(z, _)| z.punctures)
            .sum(),
        metrics,
    }
}
