//! Depth criteria: `depth.max`, `depth.forbidden_layer`, `depth.site_max`,
//! `depth.target_fraction`, and the depth histogram.
//!
//! Outcomes:
//! * `depth.max`: the deepest puncture ≤ exposure + tolerance passes; ≤ exposure + 2 ×
//!   tolerance is acceptable; deeper fails. A NaN or infinite depth fails.
//! * `depth.forbidden_layer`: any puncture whose `layer` column names a forbidden layer fails
//!   (no band: it is a safety limit). The layer column is trusted (the physics knows the local
//!   thickness), not recomputed from the depth.
//! * `depth.site_max` (only when `max_depth_um` is set): an absolute safe maximum; no band.
//! * `depth.target_fraction` (only when `target_layers` is set): share ≥ the minimum passes;
//!   within 0.05 below it is acceptable.

use crate::cells::at;
use crate::limits::{at_least, at_most};
use crate::metrics;
use crate::verdict::{DepthHistogram, Outcome, Verdict, Where};
use needlebench_physics::LAYER_COUNT;
use needlebench_recording::{Layer, LayersUm, PunctureRow};
use needlebench_scenario::Expect;

/// Histogram bin width, µm.
pub const BIN_UM: f64 = 10.0;
/// Most histogram bins (10 mm); deeper punctures land in the last bin.
const MAX_BINS: usize = 1000;
/// Target-fraction band below the minimum that is still acceptable.
const TARGET_BAND: f64 = 0.05;

/// Streaming state of the depth criteria.
#[derive(Debug)]
pub(crate) struct DepthCheck {
    pub(crate) pass_limit_um: f64,
    pub(crate) fail_limit_um: f64,
    site_max_um: Option<f64>,
    pub(crate) forbidden: [bool; LAYER_COUNT],
    target: [bool; LAYER_COUNT],
    pub(crate) count: u64,
    max_um: f64,
    pub(crate) max_at: Option<Where>,
    pub(crate) first_over_pass: Option<Where>,
    pub(crate) first_over_fail: Option<Where>,
    first_over_site: Option<Where>,
    pub(crate) non_finite: u64,
    pub(crate) in_forbidden: u64,
    pub(crate) first_forbidden: Option<Where>,
    pub(crate) per_layer: [u64; LAYER_COUNT],
    bins: Vec<u64>,
}

fn layer_mask(layers: &[Layer]) -> [bool; LAYER_COUNT] {
    let mut mask = [false; LAYER_COUNT];
    for l in layers {
        mask[l.index()] = true;
    }
    mask
}

impl DepthCheck {
    pub(crate) fn new(exposure_um: f64, expect: &Expect) -> Self {
        let tol = expect.depth_tolerance_um.max(0.0);
        DepthCheck {
            pass_limit_um: exposure_um + tol,
            fail_limit_um: exposure_um + 2.0 * tol,
            site_max_um: expect.max_depth_um,
            forbidden: layer_mask(&expect.forbidden_layers),
            target: layer_mask(&expect.target_layers),
            count: 0,
            max_um: f64::NEG_INFINITY,
            max_at: None,
            first_over_pass: None,
            first_over_fail: None,
            first_over_site: None,
            non_finite: 0,
            in_forbidden: 0,
            first_forbidden: None,
            per_layer: [0; LAYER_COUNT],
            bins: Vec::new(),
        }
    }

    /// Account for one puncture.
    #[inline]
    pub(crate) fn add(&mut self, p: &PunctureRow) {
        self.count += 1;
        let depth = f64::from(p.depth_um);
        let layer = p.layer.index();
        self.per_layer[layer] += 1;
        if self.forbidden[layer] {
            self.in_forbidden += 1;
            if self.first_forbidden.is_none() {
                self.first_forbidden = Some(at(p));
            }
        }
        if !depth.is_finite() {
            self.non_finite += 1;
            self.first_over_pass.get_or_insert_with(|| at(p));
            self.first_over_fail.get_or_insert_with(|| at(p));
            self.first_over_site.get_or_insert_with(|| at(p));
            return;
        }
        if depth > self.max_um {
            self.max_um = depth;
            self.max_at = Some(at(p));
        }
        if depth > self.pass_limit_um && self.first_over_pass.is_none() {
            self.first_over_pass = Some(at(p));
        }
        if depth > self.fail_limit_um && self.first_over_fail.is_none() {
            self.first_over_fail = Some(at(p));
        }
        if let Some(max) = self.site_max_um
            && depth > max
            && self.first_over_site.is_none()
        {
            self.first_over_site = Some(at(p));
        }
        let bin = ((depth.max(0.0) / BIN_UM) as usize).min(MAX_BINS - 1);
        if bin >= self.bins.len() {
            self.bins.resize(bin + 1, 0);
        }
        self.bins[bin] += 1;
    }

    /// The deepest finite depth, µm (0 with no punctures).
    pub(crate) fn max_um(&self) -> f64 {
        if self.max_um.is_finite() {
            self.max_um
        } else {
            0.0
        }
    }

    pub(crate) fn histogram(&self, layers: &LayersUm) -> DepthHistogram {
        let mut bounds = vec![0.0];
        let mut sum = 0.0;
        for l in Layer::ALL {
            sum += layers.get(l);
            bounds.push(sum);
        }
        DepthHistogram {
            bin_um: BIN_UM,
            counts: self.bins.clone(),
            layer_boundaries_um: bounds,
            floor: layers.floor,
        }
    }

    pub(crate) fn verdicts(&self, expect: &Expect, out: &mut Vec<Verdict>) {
        out.push(self.max_verdict(expect));
        out.push(self.forbidden_verdict(expect));
        if let Some(max) = self.site_max_um {
            out.push(self.site_verdict(max));
        }
        if !expect.target_layers.is_empty() {
            out.push(self.target_verdict(expect));
        }
    }

    fn actual_depth(&self) -> (f64, String) {
        if self.non_finite > 0 {
            (f64::NAN, format!("{} non-finite depth(s)", self.non_finite))
        } else if self.count == 0 {
            (0.0, "no punctures".to_owned())
        } else {
            (self.max_um, format!("{:.1} µm", self.max_um))
        }
    }

    fn max_verdict(&self, expect: &Expect) -> Verdict {
        let (actual, actual_text) = self.actual_depth();
        let outcome = if self.non_finite > 0 {
            Outcome::Fail
        } else if self.count == 0 {
            Outcome::NotApplicable
        } else {
            at_most(self.max_um(), self.pass_limit_um, self.fail_limit_um)
        };
        let first_failure = match outcome {
            Outcome::Acceptable => self.first_over_pass,
            Outcome::Fail => self.first_over_fail,
            _ => None,
        };
        Verdict {
            criterion: "depth.max".to_owned(),
            description: format!(
                "The deepest puncture stays within the exposure plus {:.0} µm",
                expect.depth_tolerance_um
            ),
            actual,
            actual_text,
            expected: format!("≤ {:.1} µm", self.pass_limit_um),
            unit: "µm".to_owned(),
            outcome,
            first_failure,
            metrics: metrics(&[
                ("max_depth_um", self.max_um()),
                ("limit_um", self.pass_limit_um),
                ("fail_limit_um", self.fail_limit_um),
                ("punctures", self.count as f64),
                ("non_finite", self.non_finite as f64),
            ]),
        }
    }

    fn forbidden_verdict(&self, expect: &Expect) -> Verdict {
        let names: Vec<&str> = expect.forbidden_layers.iter().map(|l| l.name()).collect();
        let outcome = if self.in_forbidden > 0 {
            Outcome::Fail
        } else if self.count == 0 {
            Outcome::NotApplicable
        } else {
            Outcome::Pass
        };
        Verdict {
            criterion: "depth.forbidden_layer".to_owned(),
            description: "No puncture ends in a forbidden layer".to_owned(),
            actual: self.in_forbidden as f64,
            actual_text: format!("{} punctures", self.in_forbidden),
            expected: if names.is_empty() {
                "0 (no forbidden layer)".to_owned()
            } else {
                format!("0 in {{{}}}", names.join(", "))
            },
            unit: String::new(),
            outcome,
            first_failure: if outcome == Outcome::Fail {
                self.first_forbidden
            } else {
                None
            },
            metrics: metrics(&[
                ("in_forbidden", self.in_forbidden as f64),
                ("punctures", self.count as f64),
            ]),
        }
    }

    fn site_verdict(&self, max_um: f64) -> Verdict {
        let (actual, actual_text) = self.actual_depth();
        let outcome = if self.non_finite > 0 {
            Outcome::Fail
        } else if self.count == 0 {
            Outcome::NotApplicable
        } else {
            at_most(self.max_um(), max_um, max_um)
        };
        Verdict {
            criterion: "depth.site_max".to_owned(),
            description: "The deepest puncture stays within the site's safe maximum".to_owned(),
            actual,
            actual_text,
            expected: format!("≤ {max_um:.1} µm"),
            unit: "µm".to_owned(),
            outcome,
            first_failure: if outcome == Outcome::Fail {
                self.first_over_site
            } else {
                None
            },
            metrics: metrics(&[("max_depth_um", self.max_um()), ("site_max_um", max_um)]),
        }
    }

    fn target_verdict(&self, expect: &Expect) -> Verdict {
        let in_target: u64 = (0..LAYER_COUNT)
            .filter(|&i| self.target[i])
            .map(|i| self.per_layer[i])
            .sum();
        let names: Vec<&str> = expect.target_layers.iter().map(|l| l.name()).collect();
        let min = expect.min_target_fraction;
        let (fraction, actual_text, outcome) = if self.count == 0 {
            (0.0, "no punctures".to_owned(), Outcome::NotApplicable)
        } else {
            let f = in_target as f64 / self.count as f64;
            (
                f,
                format!("{:.1} %", f * 100.0),
                at_least(f, min, min - TARGET_BAND),
            )
        };
        Verdict {
            criterion: "depth.target_fraction".to_owned(),
            description: format!("Share of punctures ending in {{{}}}", names.join(", ")),
            actual: fraction,
            actual_text,
            expected: format!("≥ {:.1} %", min * 100.0),
            unit: String::new(),
            outcome,
            first_failure: None,
            metrics: metrics(&[
                ("fraction", fraction),
                ("in_target", in_target as f64),
                ("punctures", self.count as f64),
            ]),
        }
    }
}
