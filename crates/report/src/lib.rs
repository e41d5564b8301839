//! Reports of check results for a regression run over many scenarios.
//!
//! The checks (`needlebench-checks`) judge one recording and produce a [`CheckReport`]; a
//! regression run collects one [`ScenarioResult`] per scenario (the report, or why the scenario
//! could not run) and this crate turns the lot into what people and CI read:
//!
//! - [`table`]: the plain-text summary table `needlebench regress` prints;
//! - [`junit`]: JUnit XML (a test suite per scenario, a test case per criterion) for CI;
//! - [`json`]: every metric of every criterion, for dashboards and scripts;
//! - [`html`]: one self-contained page (inline SVG, no script, no external files) with, per
//!   scenario, the density heat map, the depth histogram with layer boundaries, motor current
//!   and stroke frequency over time with fault markers, and the verdict table.
//!
//! A scenario's [`Status`] is its worst verdict, except that scenarios tagged `negative` must
//! fail ([`Status::ExpectedFail`]; a clean pass is a failure) and repeated runs whose verdicts
//! differ ([`divergence`]) fail. All renderers are pure functions of their input: the same
//! results give the same bytes (no clock, no randomness).

pub mod html;
mod json;
mod junit;
mod table;

pub use html::html;
pub use json::json;
pub use junit::junit;
pub use needlebench_checks::{CheckReport, Outcome};
use std::collections::BTreeMap;
pub use table::table;

/// What a runner reports about one run, besides the checks' verdicts.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct RunNumbers {
    /// Ticks simulated.
    pub ticks: u64,
    /// Punctures recorded.
    pub punctures: u64,
    /// Simulated time, s.
    pub sim_s: f64,
    /// `complete`, or `incomplete: <reason>`.
    pub completion: String,
}

/// One scenario of a regression run: what ran, how long, and what the checks said.
#[derive(Debug, Clone, PartialEq)]
pub struct ScenarioResult {
    /// Scenario name.
    pub name: String,
    /// Scenario file, as given.
    pub path: String,
    /// The checks' report, or why the scenario could not be run or checked.
    pub report: Result<CheckReport, String>,
    /// Wall-clock time spent running and checking, s (all repeats).
    pub wall_s: f64,
    /// The run's numbers, when it ran.
    pub run: Option<RunNumbers>,
    /// Set when repeated runs with the same seed gave different verdicts: what differed.
    pub divergence: Option<String>,
    /// Tagged `negative`: the scenario must fail its checks. A failing criterion is then
    /// expected ([`Status::ExpectedFail`]) and a clean pass is the failure.
    pub negative: bool,
}

/// How one scenario came out overall.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Status {
    /// Every criterion passed.
    Pass,
    /// No criterion failed, some were only acceptable.
    Acceptable,
    /// Tagged `negative` and a criterion failed, as it must.
    ExpectedFail,
    /// A criterion failed, repeats diverged, or a `negative` scenario passed.
    Fail,
    /// The scenario could not be run or checked.
    NotRun,
}

impl Status {
    /// `pass`, `acceptable`, `expected fail`, `fail` or `not run`.
    pub fn name(self) -> &'static str {
        match self {
            Status::Pass => "pass",
            Status::Acceptable => "acceptable",
            Status::ExpectedFail => "expected fail",
            Status::Fail => "fail",
            Status::NotRun => "not run",
        }
    }
}

impl ScenarioResult {
    /// The scenario's overall status: not run; else fail when repeats diverged; else, for a
    /// `negative` scenario, expected fail when a criterion failed and fail when none did;
    /// else the worst verdict.
    pub fn status(&self) -> Status {
        match &self.report {
            Err(_) => Status::NotRun,
            Ok(_) if self.divergence.is_some() => Status::Fail,
            Ok(r) => match (r.outcome(), self.negative) {
                (Outcome::Fail, true) => Status::ExpectedFail,
                (_, true) | (Outcome::Fail | Outcome::NotChecked, false) => Status::Fail,
                (Outcome::Pass | Outcome::NotApplicable, false) => Status::Pass,
                (Outcome::Acceptable, false) => Status::Acceptable,
            },
        }
    }

    /// One line on why the status is what it is: the failed criteria, the first line of the
    /// reason it could not run, a divergence, or a `negative` scenario that passed; empty for
    /// a plain pass.
    pub fn detail(&self) -> String {
        let mut parts: Vec<String> = Vec::new();
        match (&self.report, self.status()) {
            (Err(why), _) => parts.push(why.lines().next().unwrap_or("").to_owned()),
            (Ok(_), Status::ExpectedFail) => {
                parts.push(format!(
                    "as expected: {}",
                    self.failed_criteria().join(", ")
                ));
            }
            (Ok(_), _) => {
                let failed = self.failed_criteria();
                if self.negative && failed.is_empty() {
                    parts.push("tagged negative but no criterion failed".to_owned());
                } else if !failed.is_empty() && !self.negative {
                    parts.push(failed.join(", "));
                }
            }
        }
        if self.divergence.is_some() {
            parts.push("repeat.identical".to_owned());
        }
        parts.join(", ")
    }

    /// The criteria that failed (empty when not run).
    pub fn failed_criteria(&self) -> Vec<&str> {
        match &self.report {
            Ok(r) => r
                .verdicts
                .iter()
                .filter(|v| v.outcome == Outcome::Fail)
                .map(|v| v.criterion.as_str())
                .collect(),
            Err(_) => Vec::new(),
        }
    }
}

/// Counts of scenarios by status.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, serde::Serialize)]
pub struct Totals {
    /// Scenarios.
    pub scenarios: usize,
    /// Passed.
    pub pass: usize,
    /// Acceptable (no failure).
    pub acceptable: usize,
    /// Failed as they must (tagged `negative`).
    pub expected_fail: usize,
    /// Failed.
    pub fail: usize,
    /// Could not run.
    pub not_run: usize,
}

/// Count `results` by status.
pub fn totals(results: &[ScenarioResult]) -> Totals {
    let mut t = Totals {
        scenarios: results.len(),
        ..Totals::default()
    };
    for r in results {
        match r.status() {
            Status::Pass => t.pass += 1,
            Status::Acceptable => t.acceptable += 1,
            Status::ExpectedFail => t.expected_fail += 1,
            Status::Fail => t.fail += 1,
            Status::NotRun => t.not_run += 1,
        }
    }
    t
}

/// The first difference between the verdicts of two runs of one scenario (criterion, outcome
/// or shown actual value), if any: `--repeat` with the same seed must give none.
pub fn divergence(a: &CheckReport, b: &CheckReport) -> Option<String> {
    let key = |r: &CheckReport| -> BTreeMap<String, (&'static str, String)> {
        r.verdicts
            .iter()
            .map(|v| {
                (
                    v.criterion.clone(),
                    (v.outcome.name(), v.actual_text.clone()),
                )
            })
            .collect()
    };
    let (ka, kb) = (key(a), key(b));
    for (criterion, va) in &ka {
        match kb.get(criterion) {
            None => return Some(format!("{criterion} missing")),
            Some(vb) if vb != va => {
                return Some(format!(
                    "{criterion}: {} ({}) then {} ({})",
                    va.1, va.0, vb.1, vb.0
                ));
            }
            Some(_) => {}
        }
    }
    kb.keys()
        .find(|c| !ka.contains_key(*c))
        .map(|c| format!("{c} appeared"))
}

/// Errors of the renderers.
#[derive(Debug, thiserror::Error)]
pub enum ReportError {
    /// The JUnit serializer failed.
    #[error("writing JUnit XML: {0}")]
    Junit(#[from] quick_junit::SerializeError),
}

#[cfg(test)]
pub(crate) mod fixture;

#[cfg(test)]
mod tests {
    use super::*;
    use fixture::{report, verdict};

    #[test]
    fn identical_runs_do_not_diverge() {
        let a = report("a", vec![verdict("depth.max", Outcome::Pass, 510.0)], 2, 2);
        assert_eq!(divergence(&a, &a.clone()), None);
    }

    #[test]
    fn divergence_names_the_criterion() {
        let a = report("a", vec![verdict("depth.max", Outcome::Pass, 510.0)], 2, 2);
        let mut b = a.clone();
        b.verdicts[0] = verdict("depth.max", Outcome::Fail, 700.0);
        assert_eq!(
            divergence(&a, &b).as_deref(),
            Some("depth.max: 510 µm (pass) then 700 µm (fail)")
        );
        b.verdicts[0] = verdict("density.range", Outcome::Pass, 510.0);
        assert_eq!(divergence(&a, &b).as_deref(), Some("depth.max missing"));
        let mut c = a.clone();
        c.verdicts.push(verdict("golden", Outcome::Pass, 0.0));
        assert_eq!(divergence(&a, &c).as_deref(), Some("golden appeared"));
    }

    #[test]
    fn negative_scenarios_must_fail() {
        let failing = report(
            "n",
            vec![verdict("density.range", Outcome::Fail, 9.0)],
            1,
            1,
        );
        let mut r = fixture::ran(failing);
        r.negative = true;
        assert_eq!(r.status(), Status::ExpectedFail);
        assert_eq!(r.detail(), "as expected: density.range");
        let mut passing = fixture::ran(report(
            "p",
            vec![verdict("depth.max", Outcome::Pass, 1.0)],
            1,
            1,
        ));
        passing.negative = true;
        assert_eq!(passing.status(), Status::Fail);
        assert_eq!(passing.detail(), "tagged negative but no criterion failed");
        r.divergence = Some("x".to_owned());
        assert_eq!(r.status(), Status::Fail);
        let t = totals(&[passing, fixture::not_run("b", "why")]);
        assert_eq!((t.fail, t.not_run, t.expected_fail), (1, 1, 0));
    }

    #[test]
    fn status_is_the_worst_verdict_unless_not_run_or_diverged() {
        let results = fixture::suite();
        let statuses: Vec<_> = results.iter().map(ScenarioResult::status).collect();
        assert_eq!(statuses, [Status::Pass, Status::Fail, Status::NotRun]);
        let mut r = results[0].clone();
        r.divergence = Some("x".to_owned());
        assert_eq!(r.status(), Status::Fail);
        let acceptable = fixture::ran(report(
            "a",
            vec![verdict("depth.max", Outcome::Acceptable, 560.0)],
            1,
            1,
        ));
        assert_eq!(acceptable.status(), Status::Acceptable);
        assert!(acceptable.failed_criteria().is_empty());
    }
}
