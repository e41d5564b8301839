//! JUnit XML that CI servers accept: it validates against the Jenkins xUnit plugin's
//! `junit-10.xsd` (shipped in `tests/schema/`, checked by the tests with `xmllint`).
//!
//! A test suite per scenario, a test case per criterion:
//!
//! - pass and acceptable pass (an acceptable one has its evidence in `system-out`);
//! - fail is a `<failure>` whose message holds the actual and the expected value (in a
//!   scenario tagged `negative` it is expected: a pass with the evidence in `system-out`, and
//!   the case `negative.must_fail` fails when no criterion did);
//! - not checked is a `<failure type="not_checked">` whose message says the expectations were
//!   missing: an unverified recording must not turn CI green;
//! - not applicable is `<skipped message="not applicable: …"/>`, never a pass.
//!
//! A scenario none of whose criteria applied gets a failing case `checks.applied` (nothing was
//! verified). A scenario that could not run is one `<error>` case named `run`; diverging repeats add a
//! failing case `repeat.identical`. The firmware's events and log go into the suite's
//! `system-out`. Every suite carries the run's `timestamp` and `hostname` and its wall time;
//! every case a `time` (the suite's wall time spread evenly over its cases, as the checks do
//! not time criteria one by one). `<testsuites>` carries `tests`, `failures`, `errors` and the
//! run's duration, and no `skipped` (the schema has none there).

mod xml;

use crate::run::is_rfc3339;
use crate::{ReportError, RunInfo, ScenarioResult, missing_expectations};
use needlebench_checks::{CheckReport, Outcome, Verdict};
use std::fmt::Write;

/// The JUnit XML document for `results` (`<testsuites name="needlebench">`).
///
/// Fails only when `info.started_utc` is not an RFC 3339 time.
pub fn junit(results: &[ScenarioResult], info: &RunInfo) -> Result<String, ReportError> {
    if !is_rfc3339(&info.started_utc) {
        return Err(ReportError::StartTime(info.started_utc.clone()));
    }
    let suites: Vec<Suite> = results.iter().map(|r| suite(r, info)).collect();
    let count = |f: fn(&Status) -> bool| -> usize {
        suites
            .iter()
            .map(|s| s.cases.iter().filter(|c| f(&c.status)).count())
            .sum()
    };
    let tests: usize = suites.iter().map(|s| s.cases.len()).sum();
    let mut out = String::from("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
    let _ = writeln!(
        out,
        r#"<testsuites name="needlebench" tests="{tests}" failures="{}" errors="{}" time="{}">"#,
        count(|s| matches!(s, Status::Failure { .. })),
        count(|s| matches!(s, Status::Error { .. })),
        xml::seconds(info.duration_s)
    );
    for s in &suites {
        s.write(&mut out, info);
    }
    out.push_str("</testsuites>\n");
    Ok(out)
}

/// How one case came out.
enum Status {
    Pass,
    Failure {
        ty: String,
        message: String,
        text: String,
    },
    Error {
        ty: String,
        message: String,
        text: String,
    },
    Skipped {
        message: String,
    },
}

struct Case {
    name: String,
    status: Status,
    system_out: Option<String>,
}

impl Case {
    fn new(name: &str, status: Status) -> Case {
        Case {
            name: name.to_owned(),
            status,
            system_out: None,
        }
    }

    fn failure(name: &str, ty: &str, message: String, text: String) -> Case {
        Case::new(
            name,
            Status::Failure {
                ty: ty.to_owned(),
                message,
                text,
            },
        )
    }
}

struct Suite {
    name: String,
    time_s: f64,
    properties: Vec<(&'static str, String)>,
    cases: Vec<Case>,
    system_out: Option<String>,
}

impl Suite {
    fn write(&self, out: &mut String, info: &RunInfo) {
        let count = |f: fn(&Status) -> bool| self.cases.iter().filter(|c| f(&c.status)).count();
        let _ = writeln!(
            out,
            r#"  <testsuite name="{}" tests="{}" failures="{}" errors="{}" skipped="{}" time="{}" timestamp="{}" hostname="{}">"#,
            xml::attr(&self.name),
            self.cases.len(),
            count(|s| matches!(s, Status::Failure { .. })),
            count(|s| matches!(s, Status::Error { .. })),
            count(|s| matches!(s, Status::Skipped { .. })),
            xml::seconds(self.time_s),
            xml::attr(&info.started_utc),
            xml::attr(&info.host)
        );
        out.push_str("    <properties>\n");
        for (name, value) in &self.properties {
            let _ = writeln!(
                out,
                r#"      <property name="{name}" value="{}"/>"#,
                xml::attr(value)
            );
        }
        out.push_str("    </properties>\n");
        // The suite's time spread over its cases, so that tools that add up case times
        // get the suite's.
        let case_s = self.time_s / self.cases.len().max(1) as f64;
        for c in &self.cases {
            let _ = write!(
                out,
                r#"    <testcase name="{}" classname="{}" time="{}""#,
                xml::attr(&c.name),
                xml::attr(&self.name),
                xml::seconds(case_s)
            );
            if matches!(c.status, Status::Pass) && c.system_out.is_none() {
                out.push_str("/>\n");
                continue;
            }
            out.push_str(">\n");
            match &c.status {
                Status::Pass => {}
                Status::Failure { ty, message, text } | Status::Error { ty, message, text } => {
                    let tag = if matches!(c.status, Status::Failure { .. }) {
                        "failure"
                    } else {
                        "error"
                    };
                    let _ = writeln!(
                        out,
                        r#"      <{tag} type="{}" message="{}">{}</{tag}>"#,
                        xml::attr(ty),
                        xml::attr(message),
                        xml::text(text)
                    );
                }
                Status::Skipped { message } => {
                    let _ = writeln!(out, r#"      <skipped message="{}"/>"#, xml::attr(message));
                }
            }
            if let Some(so) = &c.system_out {
                let _ = writeln!(out, "      <system-out>{}</system-out>", xml::text(so));
            }
            out.push_str("    </testcase>\n");
        }
        if let Some(so) = &self.system_out {
            let _ = writeln!(out, "    <system-out>{}</system-out>", xml::text(so));
        }
        out.push_str("  </testsuite>\n");
    }
}

fn suite(r: &ScenarioResult, info: &RunInfo) -> Suite {
    let mut properties = vec![
        ("path", r.path.clone()),
        ("needlebench_version", info.needlebench_version.clone()),
        ("command_line", info.command_line.clone()),
    ];
    if let Some(run) = &r.run {
        properties.push(("seed", run.seed.to_string()));
        properties.push(("punctures", run.punctures.to_string()));
        properties.push(("simulated_s", format!("{:.3}", run.sim_s)));
        properties.push(("completion", run.completion.clone()));
    }
    let mut cases = Vec::new();
    let mut system_out = None;
    match &r.report {
        Err(why) => cases.push(Case::new(
            "run",
            Status::Error {
                ty: "could not run".to_owned(),
                message: why.lines().next().unwrap_or("").to_owned(),
                text: why.clone(),
            },
        )),
        Ok(report) => {
            properties.push(("recording", report.recording.clone()));
            properties.push(("expectations", report.expectations.describe()));
            for v in &report.verdicts {
                cases.push(case(report, v, r.negative));
            }
            if report
                .verdicts
                .iter()
                .all(|v| v.outcome == Outcome::NotApplicable)
            {
                // Nothing was judged: skipped cases alone would turn CI green.
                cases.push(Case::failure(
                    "checks.applied",
                    "not_checked",
                    "not checked: no criterion applied to this recording, so nothing was verified"
                        .to_owned(),
                    String::new(),
                ));
            }
            if r.negative {
                cases.push(must_fail(r));
            }
            if !report.firmware_log.is_empty() {
                let mut out = report.firmware_log.join("\n");
                out.push('\n');
                system_out = Some(out);
            }
        }
    }
    if let Some(divergence) = &r.divergence {
        cases.push(Case::failure(
            "repeat.identical",
            "flaky",
            format!("repeated runs with the same seed diverged: {divergence}"),
            String::new(),
        ));
    }
    Suite {
        name: r.name.clone(),
        time_s: r.wall_s,
        properties,
        cases,
        system_out,
    }
}

/// The case `negative.must_fail` of a scenario tagged `negative`: fails when no criterion did.
fn must_fail(r: &ScenarioResult) -> Case {
    let failed = r.failed_criteria();
    if failed.is_empty() {
        let message = if r.criteria_with(Outcome::NotChecked).is_empty() {
            "tagged negative: must fail its checks, but every criterion passed"
        } else {
            "tagged negative: must fail its checks, but none failed and some were not checked"
        };
        return Case::failure(
            "negative.must_fail",
            "negative.must_fail",
            message.to_owned(),
            String::new(),
        );
    }
    let mut case = Case::new("negative.must_fail", Status::Pass);
    case.system_out = Some(format!("failed as expected: {}\n", failed.join(", ")));
    case
}

/// The case of one criterion. In a `negative` scenario a failed criterion is expected: it is
/// reported as passing, with its evidence in `system-out`.
fn case(report: &CheckReport, v: &Verdict, negative: bool) -> Case {
    let evidence = evidence(v);
    let mut case = match v.outcome {
        Outcome::Pass | Outcome::Acceptable => Case::new(&v.criterion, Status::Pass),
        Outcome::Fail if negative => Case::new(&v.criterion, Status::Pass),
        Outcome::Fail => Case::failure(
            &v.criterion,
            &v.criterion,
            format!(
                "{}: actual {}, expected {}",
                v.criterion, v.actual_text, v.expected
            ),
            evidence.clone(),
        ),
        Outcome::NotChecked => Case::failure(
            &v.criterion,
            "not_checked",
            format!(
                "not checked: the expectations were missing ({}), so {} was not judged",
                missing_expectations(report),
                v.criterion
            ),
            evidence.clone(),
        ),
        Outcome::NotApplicable => Case::new(
            &v.criterion,
            Status::Skipped {
                message: format!("not applicable: {}", v.actual_text),
            },
        ),
    };
    case.system_out = match v.outcome {
        Outcome::Acceptable => Some(format!(
            "acceptable (within tolerance, not failed)\n{evidence}"
        )),
        Outcome::Fail if negative => Some(format!(
            "failed as expected (scenario tagged negative)\n{evidence}"
        )),
        _ => None,
    };
    case
}

/// The verdict's description, values, first failure and metrics as text.
fn evidence(v: &Verdict) -> String {
    let mut s = format!(
        "{}\nactual: {}\nexpected: {}\noutcome: {}\n",
        v.description,
        v.actual_text,
        v.expected,
        v.outcome.name()
    );
    if let Some(w) = &v.first_failure {
        s.push_str("first failure:");
        if let Some(t_us) = w.t_us {
            let _ = write!(s, " t = {:.3} s", t_us as f64 / 1e6);
        }
        if let Some(x) = w.x_mm {
            let _ = write!(s, " x = {x:.2} mm");
        }
        if let Some(y) = w.y_mm {
            let _ = write!(s, " y = {y:.2} mm");
        }
        s.push('\n');
    }
    for (k, value) in &v.metrics {
        let _ = writeln!(s, "{k} = {value}");
    }
    s
}

#[cfg(test)]
mod schema;
#[cfg(test)]
mod tests;
