//! `--against`: a trainee's score beside an expert's, zone by zone and metric by metric.

use crate::metric::{MetricName, Unit, finite_or_null};
use crate::result::Score;
use serde::Serialize;

/// Who is closer to a metric's band.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Closer {
    /// The trainee is nearer the band (or inside it while the expert is not).
    Trainee,
    /// The expert is nearer.
    Expert,
    /// Both equally near (both inside the band, typically).
    Same,
}

impl Closer {
    /// The stable name.
    pub fn name(self) -> &'static str {
        match self {
            Closer::Trainee => "trainee",
            Closer::Expert => "expert",
            Closer::Same => "same",
        }
    }
}

/// The comparison of two scores.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Comparison {
    /// Trainee's overall score.
    pub trainee_score: Option<f64>,
    /// Expert's overall score.
    pub expert_score: Option<f64>,
    /// The zones planned in both, in the trainee's order.
    pub zones: Vec<ZoneComparison>,
    /// Zone ids planned in only one of the two (not compared).
    pub unmatched: Vec<String>,
}

/// One zone of both.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ZoneComparison {
    /// Zone id.
    pub id: String,
    /// Zone label.
    pub label: String,
    /// Trainee's zone score.
    pub trainee_score: Option<f64>,
    /// Expert's zone score.
    pub expert_score: Option<f64>,
    /// Per metric.
    pub metrics: Vec<MetricComparison>,
}

/// One metric of one zone, both ways.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct MetricComparison {
    /// Which metric.
    pub name: MetricName,
    /// Unit of the values.
    pub unit: Unit,
    /// Trainee's value.
    #[serde(serialize_with = "finite_or_null")]
    pub trainee: f64,
    /// Expert's value.
    #[serde(serialize_with = "finite_or_null")]
    pub expert: f64,
    /// Trainee − expert.
    #[serde(serialize_with = "finite_or_null")]
    pub difference: f64,
    /// Trainee's sub-score.
    pub trainee_score: Option<f64>,
    /// Expert's sub-score.
    pub expert_score: Option<f64>,
    /// Who is closer to the band (each judged against its own zone's band); `None` when
    /// either value is not applicable.
    pub closer: Option<Closer>,
}

/// Compare `trainee` with `expert` over the zones both planned (matched by id).
pub fn compare(trainee: &Score, expert: &Score) -> Comparison {
    let mut zones = Vec::new();
    let mut unmatched = Vec::new();
    for t in trainee.zones.iter().filter(|z| z.planned) {
        let Some(e) = expert.zones.iter().find(|e| e.planned && e.id == t.id) else {
            unmatched.push(t.id.clone());
            continue;
        };
        let metrics = t
            .metrics
            .iter()
            .filter_map(|tm| {
                let em = e.metric(tm.name)?;
                let (dt, de) = (tm.band.deviation(tm.value), em.band.deviation(em.value));
                let closer = (tm.value.is_finite() && em.value.is_finite()).then(|| {
                    match dt.abs().total_cmp(&de.abs()) {
                        std::cmp::Ordering::Less => Closer::Trainee,
                        std::cmp::Ordering::Greater => Closer::Expert,
                        std::cmp::Ordering::Equal => Closer::Same,
                    }
                });
                Some(MetricComparison {
                    name: tm.name,
                    unit: tm.unit,
                    trainee: tm.value,
                    expert: em.value,
                    difference: tm.value - em.value,
                    trainee_score: tm.score,
                    expert_score: em.score,
                    closer,
                })
            })
            .collect();
        zones.push(ZoneComparison {
            id: t.id.clone(),
            label: t.label.clone(),
            trainee_score: t.score,
            expert_score: e.score,
            metrics,
        });
    }
    unmatched.extend(
        expert
            .zones
            .iter()
            .filter(|e| e.planned && !trainee.zones.iter().any(|t| t.planned && t.id == e.id))
            .map(|e| e.id.clone()),
    );
    Comparison {
        trainee_score: trainee.overall.score,
        expert_score: expert.overall.score,
        zones,
        unmatched,
    }
}
