//! Reports of check results for a regression run over many scenarios.
//!
//! The checks (`needlebench-checks`) judge one recording and produce a [`CheckReport`]; a
//! regression run collects one [`ScenarioResult`] per scenario (the report, or why the scenario
//! could not run) and this crate turns the lot into what people and CI read:
//!
//! - [`table`]: the plain-text summary table `needlebench regress` prints;
//! - [`junit`]: JUnit XML (a test suite per scenario, a test case per criterion) for CI,
//!   valid against the Jenkins xUnit plugin's `junit-10.xsd`;
//! - [`json`]: every metric of every criterion, with the run's [`RunInfo`], for dashboards
//!   and scripts, and everything a merge needs ([`result_from_json`] reads it back,
//!   [`write_json`] streams it);
//! - [`merge`]: the JSON reports of shards joined into the results of one run;
//! - [`html()`]: one self-contained page (inline SVG, no script, no external files) for the
//!   QA lead: the run, failures first with a filter, links to the recordings, and per
//!   scenario the density heat map, the depth histogram, the time series (with limit lines
//!   and events in words) and the verdict table.
//!
//! A scenario's [`Status`] is its worst verdict, except that scenarios tagged `negative` must
//! fail ([`Status::ExpectedFail`]; a clean pass is a failure), repeated runs whose verdicts
//! differ ([`divergence`]) fail, and a scenario with a criterion that was not checked (no
//! expectations) and none failed is [`Status::NotChecked`], which CI counts as a failure.
//! Not-applicable criteria are shown as such and never count as passes.
//!
//! The renderers take the run as a whole ([`RunInfo`]: version, command line, host, start
//! time, duration) as an argument and are pure functions of their input: the same results
//! give the same bytes (no clock, no environment, no randomness).

pub mod html;
mod json;
mod junit;
mod merge;
mod run;
mod table;
pub mod validation;
pub mod verification;

pub use html::html;
pub use json::{json, result_from_json, scenario_json, write_json};
pub use junit::junit;
pub use merge::{MergeError, Shard, merge, read_shard};
pub use needlebench_checks::{CheckReport, Outcome};
pub use run::{PlotLimits, RunInfo, ShardInfo, VariantInfo, VariantValue};
use std::collections::BTreeMap;
pub use table::{TableLayout, TableRow, table, table_of_rows, table_row};
pub use validation::{ValidationTotals, validation_html, validation_table};

/// What a runner reports about one run, besides the checks' verdicts.
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct RunNumbers {
    /// Ticks simulated.
    pub ticks: u64,
    /// Punctures recorded.
    pub punctures: u64,
    /// Simulated time, s.
    pub sim_s: f64,
    /// `complete`, or `incomplete: <reason>`.
    pub completion: String,
    /// The seed the run used.
    pub seed: u64,
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
    /// The files of the recording directory ([`CheckReport::recording`]), as paths relative to
    /// it (`meta.toml`, `telemetry.csv`…), sorted: the HTML page links to each. Empty when
    /// unknown.
    pub recording_files: Vec<String>,
    /// Limits the HTML plots draw that the verdicts do not carry as numbers (see
    /// [`PlotLimits`]; the default draws only those the verdicts carry).
    pub limits: PlotLimits,
    /// Position in the whole suite (0-based, over every scenario and variant found, before
    /// `--shard`): merged shard reports are put back in this order.
    pub unit: usize,
    /// The matrix variant this result is, `None` for a scenario file without `[matrix]`.
    pub variant: Option<VariantInfo>,
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
    /// No criterion failed, but some were not checked (the expectations were missing) or
    /// none applied: the recording is not verified. CI counts it as a failure.
    NotChecked,
    /// A criterion failed, repeats diverged, or a `negative` scenario passed.
    Fail,
    /// The scenario could not be run or checked.
    NotRun,
}

impl Status {
    /// `pass`, `acceptable`, `expected fail`, `not checked`, `fail` or `not run`.
    pub fn name(self) -> &'static str {
        match self {
            Status::Pass => "pass",
            Status::Acceptable => "acceptable",
            Status::ExpectedFail => "expected fail",
            Status::NotChecked => "not checked",
            Status::Fail => "fail",
            Status::NotRun => "not run",
        }
    }

    /// Whether CI must fail the run for it: fail, not checked and not run.
    pub fn is_failure(self) -> bool {
        matches!(self, Status::NotChecked | Status::Fail | Status::NotRun)
    }
}

impl ScenarioResult {
    /// The scenario's overall status: not run; else fail when repeats diverged; else when a
    /// criterion failed, expected fail for a `negative` scenario and fail for others; else
    /// not checked when a criterion was not checked or none applied; else fail for a
    /// `negative` scenario (it must fail); else the worst verdict (pass or acceptable).
    pub fn status(&self) -> Status {
        match &self.report {
            Err(_) => Status::NotRun,
            Ok(_) if self.divergence.is_some() => Status::Fail,
            Ok(r) => match (r.outcome(), self.negative) {
                (Outcome::Fail, true) => Status::ExpectedFail,
                (Outcome::Fail, false) => Status::Fail,
                (Outcome::NotChecked | Outcome::NotApplicable, _) => Status::NotChecked,
                (Outcome::Pass | Outcome::Acceptable, true) => Status::Fail,
                (Outcome::Pass, false) => Status::Pass,
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
            (Ok(r), Status::NotChecked) => {
                let not_checked = self.criteria_with(Outcome::NotChecked);
                if not_checked.is_empty() {
                    parts.push("no criterion applied".to_owned());
                } else {
                    parts.push(format!(
                        "not checked ({}): {}",
                        missing_expectations(r),
                        not_checked.join(", ")
                    ));
                }
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
        self.criteria_with(Outcome::Fail)
    }

    /// The criteria with `outcome`, in report order (empty when not run).
    pub fn criteria_with(&self, outcome: Outcome) -> Vec<&str> {
        match &self.report {
            Ok(r) => r
                .verdicts
                .iter()
                .filter(|v| v.outcome == outcome)
                .map(|v| v.criterion.as_str())
                .collect(),
            Err(_) => Vec::new(),
        }
    }
}

/// Why criteria of `report` were not checked, in words: `no expectations` when it had none,
/// else where they came from.
pub(crate) fn missing_expectations(report: &CheckReport) -> String {
    match &report.expectations {
        needlebench_checks::ExpectationSource::None => "no expectations".to_owned(),
        other => format!("expectations from {}", other.describe()),
    }
}

/// Counts of scenarios by status.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, serde::Serialize, serde::Deserialize)]
pub struct Totals {
    /// Scenarios.
    pub scenarios: usize,
    /// Passed.
    pub pass: usize,
    /// Acceptable (no failure).
    pub acceptable: usize,
    /// Failed as they must (tagged `negative`).
    pub expected_fail: usize,
    /// Not checked: no criterion failed but some were not judged (CI counts it as a failure).
    pub not_checked: usize,
    /// Failed.
    pub fail: usize,
    /// Could not run.
    pub not_run: usize,
}

/// Count `results` by status.
pub fn totals(results: &[ScenarioResult]) -> Totals {
    let mut t = Totals::default();
    for r in results {
        t.add(r.status());
    }
    t
}

impl Totals {
    /// Count one more scenario with `status`.
    pub fn add(&mut self, status: Status) {
        self.scenarios += 1;
        match status {
            Status::Pass => self.pass += 1,
            Status::Acceptable => self.acceptable += 1,
            Status::ExpectedFail => self.expected_fail += 1,
            Status::NotChecked => self.not_checked += 1,
            Status::Fail => self.fail += 1,
            Status::NotRun => self.not_run += 1,
        }
    }
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
    /// [`RunInfo::started_utc`] is not an RFC 3339 time (CI servers parse the JUnit suites'
    /// `timestamp`).
    #[error("run start time {0:?} is not an RFC 3339 time such as 2026-11-29T19:48:13Z")]
    StartTime(String),
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
        assert_eq!(
            statuses,
            [
                Status::Pass,
                Status::Fail,
                Status::NotRun,
                Status::NotChecked
            ]
        );
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

    #[test]
    fn a_not_checked_criterion_without_failure_is_not_a_pass() {
        let r = fixture::unverified();
        assert_eq!(r.status(), Status::NotChecked);
        assert!(r.status().is_failure());
        assert_eq!(r.detail(), "not checked (no expectations): depth.max");
        assert_eq!(r.criteria_with(Outcome::NotChecked), ["depth.max"]);
        // A failure still wins: the scenario fails.
        let mut failing = r.clone();
        if let Ok(rep) = &mut failing.report {
            rep.verdicts
                .push(verdict("density.range", Outcome::Fail, 1.0));
        }
        assert_eq!(failing.status(), Status::Fail);
        // A negative scenario that could not be judged is not checked, not "passed".
        let mut negative = r;
        negative.negative = true;
        assert_eq!(negative.status(), Status::NotChecked);
        let t = totals(&fixture::suite());
        assert_eq!((t.pass, t.not_checked, t.fail, t.not_run), (1, 1, 1, 1));
    }

    #[test]
    fn not_applicable_criteria_never_make_a_pass() {
        let only_na = fixture::ran(report(
            "n",
            vec![verdict("link.lag", Outcome::NotApplicable, 0.0)],
            1,
            1,
        ));
        assert_eq!(only_na.status(), Status::NotChecked);
        assert_eq!(only_na.detail(), "no criterion applied");
        let no_verdicts = fixture::ran(report("e", vec![], 1, 1));
        assert_eq!(no_verdicts.status(), Status::NotChecked);
        // Beside a pass, N/A changes nothing.
        assert_eq!(fixture::suite()[0].status(), Status::Pass);
        assert!(!Status::Pass.is_failure() && !Status::ExpectedFail.is_failure());
    }
}
