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
//! All renderers are pure functions of their input: the same results give the same bytes.

pub mod html;
mod json;
mod junit;
mod table;

pub use html::html;
pub use json::json;
pub use junit::junit;
pub use needlebench_checks::{CheckReport, Outcome};
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
}

/// How one scenario came out overall.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Status {
    /// Every criterion passed.
    Pass,
    /// No criterion failed, some were only acceptable.
    Acceptable,
    /// A criterion failed, or repeats diverged.
    Fail,
    /// The scenario could not be run or checked.
    NotRun,
}

impl Status {
    /// `pass`, `acceptable`, `fail` or `not run`.
    pub fn name(self) -> &'static str {
        match self {
            Status::Pass => "pass",
            Status::Acceptable => "acceptable",
            Status::Fail => "fail",
            Status::NotRun => "not run",
        }
    }
}

impl ScenarioResult {
    /// The scenario's overall status: not run, else fail when a criterion failed or repeats
    /// diverged, else the worst verdict.
    pub fn status(&self) -> Status {
        match &self.report {
            Err(_) => Status::NotRun,
            Ok(_) if self.divergence.is_some() => Status::Fail,
            Ok(r) => match r.outcome() {
                Outcome::Pass => Status::Pass,
                Outcome::Acceptable => Status::Acceptable,
                Outcome::Fail => Status::Fail,
            },
        }
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
    /// Failed.
    pub fail: usize,
    /// Could not run.
    pub not_run: usize,
}

/// Count `results` by status.
pub fn totals(results: &[ScenarioResult]) -> Totals {
    let mut t = Totals { scenarios: results.len(), ..Totals::default() };
    for r in results {
        match r.status() {
            Status::Pass => t.pass += 1,
            Status::Acceptable => t.acceptable += 1,
            Status::Fail => t.fail += 1,
            Status::NotRun => t.not_run += 1,
        }
    }
    t
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
