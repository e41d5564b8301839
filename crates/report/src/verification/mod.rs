//! The design-verification report of `needlebench verify`: one table per requirement
//! (id, requirement, method, acceptance criterion, result, evidence, special control) built
//! from the `verify.*` verdicts of a suite's recordings, written as HTML (with inline SVG
//! plots), JSON and CSV.
//!
//! A requirement's result is the worst outcome of its criterion over the variants that judged
//! it: FAIL if any failed (or was not checked), PASS if every judged one passed, N/A when no
//! variant had anything to judge (never a pass). Engineering evidence from a simulation, not a
//! regulatory submission: the header says so and records what reproduces it.

mod plots;
mod render;

pub use render::{verification_csv, verification_html};

use needlebench_checks::{CheckReport, Outcome, Verdict};
use serde::Serialize;

/// One requirement of the suite: what the report's tables are made of.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct RequirementDef {
    /// Stable id, `DV-1` …
    pub id: &'static str,
    /// The criterion (`verify.*`) that judges it in each recording.
    pub criterion: &'static str,
    /// The requirement.
    pub requirement: &'static str,
    /// How it is verified.
    pub method: &'static str,
    /// The acceptance criterion, defaults and their sources.
    pub acceptance: &'static str,
    /// The special control of 21 CFR 878.4430 it supports. Paragraphs as codified by the
    /// classification order 83 FR 26575 (8 June 2018, docket FDA-2018-N-1900) and checked
    /// against eCFR: (b)(2)(i) accuracy of needle penetration depth and puncture rate,
    /// (b)(2)(iii) maximum safe needle penetration depth, (b)(6) software verification,
    /// validation and hazard analysis.
    pub special_control: &'static str,
}

/// The requirements, in report order.
pub const REQUIREMENTS: [RequirementDef; 4] = [
    RequirementDef {
        id: "DV-1",
        criterion: "verify.depth_setting",
        requirement: "The needle's mechanical excursion past the guard matches the exposure setting at every setting, speed, battery charge and hand force.",
        method: "Simulated bench test on the reference substrate: every stroke's apex (needle_peak_um) while running; mean, SD and worst case per setting.",
        acceptance: "Every stroke within ±exposure_tolerance_um of the setting (default ±150 µm, the ±0.15 mm depth tolerance of 510(k) K182407).",
        special_control: "21 CFR 878.4430(b)(2)(i): accuracy of penetration depth",
    },
    RequirementDef {
        id: "DV-2",
        criterion: "verify.stroke_rate",
        requirement: "The loaded puncture (stroke) rate of each speed level matches its nominal rate and holds it as the battery discharges.",
        method: "Simulated bench test under hand load: loaded mean rate and worst 100 ms block against the level's nominal rate, at several battery charges and forces.",
        acceptance: "Mean and every 100 ms block within ±stroke_hz_tolerance_pct of nominal (default ±5 %).",
        special_control: "21 CFR 878.4430(b)(2)(i): accuracy of puncture rate",
    },
    RequirementDef {
        id: "DV-3",
        criterion: "verify.max_depth",
        requirement: "The needle never goes beyond the labelled maximum exposure, including under fault injection.",
        method: "Furthest excursion over every tick of every run, fault-injection runs at the maximum setting included.",
        acceptance: "≤ labelled_max_exposure_um (default 2500 µm, the 0.25–2.5 mm scale).",
        special_control: "21 CFR 878.4430(b)(2)(iii): maximum safe penetration depth",
    },
    RequirementDef {
        id: "DV-4",
        criterion: "verify.fault_response",
        requirement: "Every fault of the firmware's fault table that the bench can inject is detected, and the motor stopped, within its bound.",
        method: "Fault injection (force spike, jam, link drop, battery sag, cartridge removal, single-use limit): trigger onset → fault_raised → duty 0, from the recording.",
        acceptance: "Detection within the firmware's bound per fault (stall 100 ms, over_current 5 ms, link_loss 10 ms, low_battery 50 ms, cartridge faults same tick) and duty 0 in the detecting tick, each +1 tick transit.",
        special_control: "21 CFR 878.4430(b)(6): software verification, validation and hazard analysis",
    },
];

/// One variant (a scenario run) of the suite, with its checks.
#[derive(Debug, Clone, Serialize)]
pub struct VerifiedVariant {
    /// The scenario (variant) name.
    pub name: String,
    /// The scenario file.
    pub scenario_path: String,
    /// SHA-256 of the scenario file's bytes.
    pub scenario_hash: String,
    /// The seed it ran with.
    pub seed: u64,
    /// The recording directory, relative to the report.
    pub recording: String,
    /// `name version` of the firmware, as its hello said.
    pub firmware: String,
    /// The checks of the recording; `Err` with the reason when it could not run.
    pub report: Result<CheckReport, String>,
}

/// What the report records about the run itself.
#[derive(Debug, Clone, Serialize)]
pub struct VerificationInfo {
    /// needlebench's version.
    pub needlebench_version: String,
    /// The suite directory.
    pub suite: String,
    /// The command line that reproduces it.
    pub command_line: String,
}

/// One variant's evidence for one requirement.
#[derive(Debug, Clone, Serialize)]
pub struct Evidence {
    /// The variant.
    pub variant: String,
    /// Its recording, relative to the report.
    pub recording: String,
    /// Its verdict on the requirement's criterion.
    pub outcome: Outcome,
    /// The measured value, as shown.
    pub actual: String,
    /// Every metric of the verdict.
    pub metrics: std::collections::BTreeMap<String, f64>,
}

/// One requirement's result.
#[derive(Debug, Clone, Serialize)]
pub struct RequirementResult {
    /// Its definition.
    pub def: RequirementDef,
    /// The worst judged outcome; `NotApplicable` when nothing was judged.
    pub result: Outcome,
    /// Variants that judged it (not N/A).
    pub judged: usize,
    /// Every variant's verdict on it.
    pub evidence: Vec<Evidence>,
}

/// The whole report.
#[derive(Debug, Clone, Serialize)]
pub struct VerificationReport {
    /// The plain statement of what this is.
    pub disclaimer: &'static str,
    /// Versions and the command line.
    pub info: VerificationInfo,
    /// Firmware identities seen (normally one).
    pub firmware: Vec<String>,
    /// The variants.
    pub variants: Vec<VerifiedVariant>,
    /// The requirements' results, in [`REQUIREMENTS`] order.
    pub requirements: Vec<RequirementResult>,
}

/// What the header says.
pub const DISCLAIMER: &str = "Engineering evidence from a simulation (needlebench: a simulated pen plant and skin driving the firmware under test), not a regulatory submission and not a substitute for physical bench testing of the device.";

impl VerificationReport {
    /// Build the report from the variants' checks.
    pub fn new(info: VerificationInfo, variants: Vec<VerifiedVariant>) -> VerificationReport {
        let requirements = REQUIREMENTS
            .iter()
            .map(|def| {
                let evidence: Vec<Evidence> = variants
                    .iter()
                    .filter_map(|v| {
                        let verdict: &Verdict = v
                            .report
                            .as_ref()
                            .ok()?
                            .verdicts
                            .iter()
                            .find(|x| x.criterion == def.criterion)?;
                        Some(Evidence {
                            variant: v.name.clone(),
                            recording: v.recording.clone(),
                            outcome: verdict.outcome,
                            actual: verdict.actual_text.clone(),
                            metrics: verdict.metrics.clone(),
                        })
                    })
                    .collect();
                let judged = evidence
                    .iter()
                    .filter(|e| e.outcome != Outcome::NotApplicable)
                    .count();
                let result = evidence
                    .iter()
                    .map(|e| e.outcome)
                    .max()
                    .unwrap_or(Outcome::NotApplicable);
                RequirementResult {
                    def: *def,
                    result,
                    judged,
                    evidence,
                }
            })
            .collect();
        let mut firmware: Vec<String> = variants.iter().map(|v| v.firmware.clone()).collect();
        firmware.sort();
        firmware.dedup();
        VerificationReport {
            disclaimer: DISCLAIMER,
            info,
            firmware,
            variants,
            requirements,
        }
    }

    /// Every requirement met: none failed or unchecked, and every variant ran. A requirement
    /// that is N/A (nothing judged it) is not met either: the suite did not verify it.
    pub fn all_met(&self) -> bool {
        self.variants.iter().all(|v| v.report.is_ok())
            && self
                .requirements
                .iter()
                .all(|r| matches!(r.result, Outcome::Pass | Outcome::Acceptable))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::fixture::{report, verdict};

    fn variant(name: &str, outcomes: &[(&str, Outcome)]) -> VerifiedVariant {
        let verdicts = outcomes.iter().map(|&(c, o)| verdict(c, o, 1.0)).collect();
        VerifiedVariant {
            name: name.to_owned(),
            scenario_path: format!("{name}.toml"),
            scenario_hash: "0".repeat(64),
            seed: 1,
            recording: name.to_owned(),
            firmware: "fw 1".to_owned(),
            report: Ok(report(name, verdicts, 1, 1)),
        }
    }

    fn info() -> VerificationInfo {
        VerificationInfo {
            needlebench_version: "0.1.0".to_owned(),
            suite: "suite".to_owned(),
            command_line: "needlebench verify".to_owned(),
        }
    }

    #[test]
    fn a_requirement_is_the_worst_judged_outcome_and_na_is_not_met() {
        let all = |o: Outcome| REQUIREMENTS.map(|r| (r.criterion, o));
        let mut a = all(Outcome::Pass).to_vec();
        a[3].1 = Outcome::NotApplicable;
        let b = all(Outcome::Pass);
        let r = VerificationReport::new(info(), vec![variant("a", &a), variant("b", &b)]);
        assert!(r.all_met());
        assert_eq!(r.requirements[3].judged, 1);
        // one failing variant fails the requirement
        let mut c = all(Outcome::Pass).to_vec();
        c[0].1 = Outcome::Fail;
        let r = VerificationReport::new(info(), vec![variant("a", &a), variant("c", &c)]);
        assert_eq!(r.requirements[0].result, Outcome::Fail);
        assert!(!r.all_met());
        // no variant judged DV-4: N/A, and the suite did not verify it
        let r = VerificationReport::new(info(), vec![variant("a", &a)]);
        assert_eq!(r.requirements[3].result, Outcome::NotApplicable);
        assert!(!r.all_met());
        let csv = verification_csv(&r).unwrap();
        assert!(
            csv.lines()
                .any(|l| l.starts_with("DV-4,") && l.contains(",not_applicable,a,not_applicable,")),
            "{csv}"
        );
        let html = verification_html(&r);
        assert!(html.contains("some requirements NOT met"));
        assert!(html.contains(DISCLAIMER));
    }
}
