//! Violations: the times (and, where known, places) where a recording broke an expectation,
//! sorted by time for the scrub-bar ticks, the skin markers and next/previous jumps.
//!
//! They come from the checker's verdicts (the first failure of each failed criterion; a
//! verdict that is not applicable, not checked, acceptable or passed is none), from the
//! firmware's raised faults, and — when the recording is checked against expectations — from
//! the punctures themselves (every puncture deeper than the depth limit or ending in a
//! forbidden layer, see [`crate::data`]).

use needlebench_checks::{CheckReport, EventKind, Outcome};

/// One violation.
#[derive(Debug, Clone, PartialEq)]
pub struct Violation {
    /// When, µs since the start of the recording.
    pub t_us: u64,
    /// Where on the skin, mm, if the violation has a place.
    pub pos_mm: Option<[f64; 2]>,
    /// The criterion it breaks (`depth.max`, `firmware.fault_stop`, `fault`…).
    pub criterion: String,
    /// Short text for people.
    pub label: String,
}

/// Violations sorted by time (stable: equal times keep their input order).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Violations {
    items: Vec<Violation>,
}

impl Violations {
    /// Sort `items` by time; of violations with the same time, criterion and place only the
    /// first is kept (the checker's first failure and the puncture it names are one event).
    pub fn new(mut items: Vec<Violation>) -> Self {
        items.sort_by_key(|v| v.t_us);
        items.dedup_by(|b, a| {
            a.t_us == b.t_us && a.criterion == b.criterion && a.pos_mm == b.pos_mm
        });
        Violations { items }
    }

    /// All violations, by time.
    pub fn all(&self) -> &[Violation] {
        &self.items
    }

    /// Number of violations.
    pub fn len(&self) -> usize {
        self.items.len()
    }

    /// Whether there are none.
    pub fn is_empty(&self) -> bool {
        self.items.is_empty()
    }

    /// The first violation strictly after `t_us` (binary search).
    pub fn next_after(&self, t_us: u64) -> Option<&Violation> {
        let i = self.items.partition_point(|v| v.t_us <= t_us);
        self.items.get(i)
    }

    /// The last violation strictly before `t_us` (binary search).
    pub fn prev_before(&self, t_us: u64) -> Option<&Violation> {
        let i = self.items.partition_point(|v| v.t_us < t_us);
        i.checked_sub(1).map(|i| &self.items[i])
    }

    /// The violations at or before `t_us` (the ones the skin shows at that cursor time).
    pub fn up_to(&self, t_us: u64) -> &[Violation] {
        let i = self.items.partition_point(|v| v.t_us <= t_us);
        &self.items[..i]
    }

    /// Violations from `report`: the first failure of every failed criterion that has a time,
    /// and every raised firmware fault among the markers.
    pub fn from_report(report: &CheckReport) -> Vec<Violation> {
        let mut out = Vec::new();
        for v in &report.verdicts {
            if v.outcome != Outcome::Fail {
                continue;
            }
            let Some(w) = &v.first_failure else { continue };
            let Some(t_us) = w.t_us else { continue };
            let pos_mm = match (w.x_mm, w.y_mm) {
                (Some(x), Some(y)) => Some([x, y]),
                _ => None,
            };
            out.push(Violation {
                t_us,
                pos_mm,
                criterion: v.criterion.clone(),
                label: format!(
                    "{}: {} (expected {})",
                    v.criterion, v.actual_text, v.expected
                ),
            });
        }
        for m in &report.markers {
            if m.kind == EventKind::FaultRaised && m.t_s.is_finite() && m.t_s >= 0.0 {
                out.push(Violation {
                    t_us: (m.t_s * 1e6).round() as u64,
                    pos_mm: None,
                    criterion: "fault".to_owned(),
                    label: format!("fault raised: {}", m.label),
                });
            }
        }
        out
    }
}
