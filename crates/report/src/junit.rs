//! JUnit XML: a test suite per scenario, a test case per criterion.
//!
//! A failed criterion is a `<failure>` whose message holds the actual and the expected value;
//! an acceptable one passes, with its evidence in the case's `system-out`. A scenario that
//! could not run is one `<error>` case named `run`. Diverging repeats add a failing case
//! `repeat.identical`. The firmware's events and log go into the suite's `system-out`.

use crate::{ReportError, ScenarioResult};
use needlebench_checks::{Outcome, Verdict};
use quick_junit::{NonSuccessKind, Report, TestCase, TestCaseStatus, TestSuite};
use std::time::Duration;

/// The JUnit XML document for `results` (`<testsuites name="needlebench">`).
pub fn junit(results: &[ScenarioResult]) -> Result<String, ReportError> {
    let mut report = Report::new("needlebench");
    report.set_time(seconds(results.iter().map(|r| r.wall_s).sum()));
    for r in results {
        report.add_test_suite(suite(r));
    }
    Ok(report.to_string()?)
}

fn suite(r: &ScenarioResult) -> TestSuite {
    let mut suite = TestSuite::new(r.name.as_str());
    suite.set_time(seconds(r.wall_s));
    suite.add_property(("path", r.path.as_str()));
    if let Some(run) = &r.run {
        suite.add_property(("punctures", run.punctures.to_string().as_str()));
        suite.add_property(("simulated_s", format!("{:.3}", run.sim_s).as_str()));
        suite.add_property(("completion", run.completion.as_str()));
    }
    match &r.report {
        Err(why) => {
            let mut status = TestCaseStatus::non_success(NonSuccessKind::Error);
            status.set_message(why.as_str());
            status.set_type("could not run");
            let mut case = TestCase::new("run", status);
            case.set_classname(r.name.as_str());
            suite.add_test_case(case);
        }
        Ok(report) => {
            for v in &report.verdicts {
                suite.add_test_case(case(&r.name, v, r.negative));
            }
            if r.negative {
                suite.add_test_case(must_fail(r));
            }
            if !report.firmware_log.is_empty() {
                let mut out = report.firmware_log.join("\n");
                out.push('\n');
                suite.set_system_out(out);
            }
        }
    }
    if let Some(divergence) = &r.divergence {
        let mut status = TestCaseStatus::non_success(NonSuccessKind::Failure);
        status.set_message(format!(
            "repeated runs with the same seed diverged: {divergence}"
        ));
        status.set_type("flaky");
        let mut case = TestCase::new("repeat.identical", status);
        case.set_classname(r.name.as_str());
        suite.add_test_case(case);
    }
    suite
}

/// The case `negative.must_fail` of a scenario tagged `negative`: fails when no criterion did.
fn must_fail(r: &ScenarioResult) -> TestCase {
    let failed = r.failed_criteria();
    let status = if failed.is_empty() {
        let mut s = TestCaseStatus::non_success(NonSuccessKind::Failure);
        s.set_message("tagged negative: must fail its checks, but every criterion passed");
        s.set_type("negative.must_fail");
        s
    } else {
        TestCaseStatus::success()
    };
    let mut case = TestCase::new("negative.must_fail", status);
    case.set_classname(r.name.as_str());
    if !failed.is_empty() {
        case.set_system_out(format!("failed as expected: {}\n", failed.join(", ")));
    }
    case
}

/// The case of one criterion. In a `negative` scenario a failed criterion is expected: it is
/// reported as passing, with its evidence in `system-out`.
fn case(scenario: &str, v: &Verdict, negative: bool) -> TestCase {
    let evidence = evidence(v);
    let status = match v.outcome {
        Outcome::Pass | Outcome::Acceptable | Outcome::NotApplicable => TestCaseStatus::success(),
        Outcome::Fail if negative => TestCaseStatus::success(),
        Outcome::Fail | Outcome::NotChecked => {
            let mut s = TestCaseStatus::non_success(NonSuccessKind::Failure);
            s.set_message(format!(
                "{}: actual {}, expected {}",
                v.criterion, v.actual_text, v.expected
            ));
            s.set_type(v.criterion.as_str());
            s.set_description(evidence.as_str());
            s
        }
    };
    let mut case = TestCase::new(v.criterion.as_str(), status);
    case.set_classname(scenario);
    match v.outcome {
        Outcome::Acceptable => {
            case.set_system_out(format!(
                "acceptable (within tolerance, not failed)\n{evidence}"
            ));
        }
        Outcome::Fail if negative => {
            case.set_system_out(format!(
                "failed as expected (scenario tagged negative)\n{evidence}"
            ));
        }
        _ => {}
    }
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
            s.push_str(&format!(" t = {:.3} s", t_us as f64 / 1e6));
        }
        if let Some(x) = w.x_mm {
            s.push_str(&format!(" x = {x:.2} mm"));
        }
        if let Some(y) = w.y_mm {
            s.push_str(&format!(" y = {y:.2} mm"));
        }
        s.push('\n');
    }
    for (k, value) in &v.metrics {
        s.push_str(&format!("{k} = {value}\n"));
    }
    s
}

/// A duration from seconds; negative or non-finite values become zero.
fn seconds(s: f64) -> Duration {
    Duration::try_from_secs_f64(s).unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::fixture;
    use quick_xml::escape::resolve_predefined_entity;
    use quick_xml::events::Event;
    use quick_xml::{Reader, XmlVersion};

    /// Element names with their attributes, and all text of the document (unescaped).
    struct Parsed {
        elements: Vec<(String, Vec<(String, String)>)>,
        text: String,
    }

    fn parse(xml: &str) -> Parsed {
        let mut reader = Reader::from_str(xml);
        let mut parsed = Parsed {
            elements: Vec::new(),
            text: String::new(),
        };
        let mut depth = 0i32;
        loop {
            match reader.read_event().expect("well-formed XML") {
                Event::Start(e) | Event::Empty(e) => {
                    let name = String::from_utf8(e.name().as_ref().to_vec()).expect("utf-8");
                    let attrs = e
                        .attributes()
                        .map(|a| {
                            let a = a.expect("attribute");
                            let key = String::from_utf8(a.key.as_ref().to_vec()).expect("utf-8");
                            let value = a
                                .normalized_value(XmlVersion::Implicit1_0)
                                .expect("escaped value")
                                .into_owned();
                            (key, value)
                        })
                        .collect();
                    parsed.elements.push((name, attrs));
                    depth += 1;
                }
                Event::End(_) => depth -= 1,
                Event::Text(t) => parsed.text.push_str(&t.decode().expect("text")),
                Event::GeneralRef(r) => {
                    let name = r.decode().expect("entity name");
                    parsed
                        .text
                        .push_str(resolve_predefined_entity(&name).expect("predefined entity"));
                }
                Event::Eof => break,
                _ => {}
            }
        }
        // Empty elements count as a start without an end.
        assert!(depth >= 0, "unbalanced XML");
        parsed
    }

    fn attr<'a>(attrs: &'a [(String, String)], key: &str) -> Option<&'a str> {
        attrs
            .iter()
            .find(|(k, _)| k == key)
            .map(|(_, v)| v.as_str())
    }

    #[test]
    fn one_suite_per_scenario_and_one_case_per_criterion() {
        let xml = junit(&fixture::suite()).expect("serializes");
        let p = parse(&xml);
        let suites: Vec<_> = p
            .elements
            .iter()
            .filter(|(n, _)| n == "testsuite")
            .collect();
        assert_eq!(suites.len(), 3);
        let names: Vec<_> = suites
            .iter()
            .map(|(_, a)| attr(a, "name").expect("name"))
            .collect();
        assert_eq!(names, ["glabella", "stall <&> \"quoted\"", "broken"]);
        let tests: Vec<_> = suites
            .iter()
            .map(|(_, a)| attr(a, "tests").expect("tests"))
            .collect();
        assert_eq!(tests, ["2", "3", "1"]);
        let failures: Vec<_> = suites
            .iter()
            .map(|(_, a)| attr(a, "failures").expect("f"))
            .collect();
        assert_eq!(failures, ["0", "2", "0"]);
        let errors: Vec<_> = suites
            .iter()
            .map(|(_, a)| attr(a, "errors").expect("e"))
            .collect();
        assert_eq!(errors, ["0", "0", "1"]);
        let cases = p.elements.iter().filter(|(n, _)| n == "testcase").count();
        assert_eq!(cases, 6);
    }

    #[test]
    fn failure_message_holds_actual_and_expected() {
        let xml = junit(&fixture::suite()).expect("serializes");
        let p = parse(&xml);
        let messages: Vec<_> = p
            .elements
            .iter()
            .filter(|(n, _)| n == "failure")
            .map(|(_, a)| attr(a, "message").expect("message").to_owned())
            .collect();
        assert_eq!(messages.len(), 2);
        assert_eq!(messages[0], "depth.max: actual 700 µm, expected ≤ 550 µm");
        assert!(
            messages[1].starts_with("firmware.fault_stop: actual 150 µm"),
            "{}",
            messages[1]
        );
        let error = p
            .elements
            .iter()
            .find(|(n, _)| n == "error")
            .expect("error element");
        assert!(
            attr(&error.1, "message")
                .expect("message")
                .contains("unknown key `x` <here>")
        );
    }

    #[test]
    fn firmware_log_goes_to_system_out_escaped() {
        let xml = junit(&fixture::suite()).expect("serializes");
        assert!(xml.contains("fault stall &amp; &lt;stop&gt;"), "{xml}");
        let p = parse(&xml);
        assert!(
            p.text.contains("0.000 boot\n1.500 fault stall & <stop>\n"),
            "{}",
            p.text
        );
    }

    #[test]
    fn negative_scenarios_fail_only_when_they_pass() {
        let mut results = fixture::suite();
        results[1].negative = true; // fails two criteria: as it must
        results[0].negative = true; // passes: must not
        let p = parse(&junit(&results).expect("serializes"));
        let suites: Vec<_> = p
            .elements
            .iter()
            .filter(|(n, _)| n == "testsuite")
            .collect();
        let failures: Vec<_> = suites
            .iter()
            .map(|(_, a)| attr(a, "failures").expect("f"))
            .collect();
        assert_eq!(failures, ["1", "0", "0"]);
        let tests: Vec<_> = suites
            .iter()
            .map(|(_, a)| attr(a, "tests").expect("t"))
            .collect();
        assert_eq!(tests, ["3", "4", "1"]);
        assert!(
            p.text
                .contains("failed as expected: depth.max, firmware.fault_stop"),
            "{}",
            p.text
        );
    }

    #[test]
    fn divergence_is_a_failing_case() {
        let mut results = fixture::suite();
        results[0].divergence = Some("depth.max: 510 then 511".to_owned());
        let p = parse(&junit(&results).expect("serializes"));
        let first = p
            .elements
            .iter()
            .find(|(n, _)| n == "testsuite")
            .expect("suite");
        assert_eq!(attr(&first.1, "failures"), Some("1"));
        assert_eq!(attr(&first.1, "tests"), Some("3"));
    }
}
