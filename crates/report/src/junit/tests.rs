//! The JUnit document's structure and content, read back with an XML parser.

use super::junit;
use crate::fixture::{self, report, verdict};
use crate::{ReportError, RunInfo};
use needlebench_checks::Outcome;
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

fn doc(results: &[crate::ScenarioResult]) -> String {
    junit(results, &fixture::run_info()).expect("serializes")
}

fn all<'a>(p: &'a Parsed, name: &str) -> Vec<&'a [(String, String)]> {
    p.elements
        .iter()
        .filter(|(n, _)| n == name)
        .map(|(_, a)| a.as_slice())
        .collect()
}

fn column<'a>(elements: &[&'a [(String, String)]], key: &str) -> Vec<&'a str> {
    elements
        .iter()
        .map(|a| attr(a, key).unwrap_or("(missing)"))
        .collect()
}

#[test]
fn one_suite_per_scenario_and_one_case_per_criterion() {
    let p = parse(&doc(&fixture::suite()));
    let suites = all(&p, "testsuite");
    assert_eq!(
        column(&suites, "name"),
        ["glabella", "stall <&> \"quoted\"", "broken", "forehead"]
    );
    assert_eq!(column(&suites, "tests"), ["3", "3", "1", "3"]);
    assert_eq!(column(&suites, "failures"), ["0", "2", "0", "1"]);
    assert_eq!(column(&suites, "errors"), ["0", "0", "1", "0"]);
    assert_eq!(column(&suites, "skipped"), ["1", "0", "0", "1"]);
    assert_eq!(all(&p, "testcase").len(), 10);
}

#[test]
fn testsuites_has_totals_and_the_run_duration_but_no_skipped() {
    let p = parse(&doc(&fixture::suite()));
    let root = all(&p, "testsuites");
    assert_eq!(root.len(), 1);
    let root = root[0];
    assert_eq!(attr(root, "tests"), Some("10"));
    assert_eq!(attr(root, "failures"), Some("3"));
    assert_eq!(attr(root, "errors"), Some("1"));
    assert_eq!(attr(root, "time"), Some("12.500"));
    assert_eq!(
        attr(root, "skipped"),
        None,
        "junit-10.xsd has no skipped here"
    );
}

#[test]
fn suites_carry_the_run_start_and_host_and_cases_a_time() {
    let p = parse(&doc(&fixture::suite()));
    let suites = all(&p, "testsuite");
    assert!(
        column(&suites, "timestamp")
            .iter()
            .all(|t| *t == "2026-11-29T19:48:13Z")
    );
    assert!(column(&suites, "hostname").iter().all(|h| *h == "bench-01"));
    assert_eq!(
        column(&suites, "time"),
        ["0.750", "0.750", "0.010", "0.750"]
    );
    let times = column(&all(&p, "testcase"), "time");
    // 0.75 s over three cases; the not-run scenario's one case gets all of its 0.01 s.
    assert_eq!(times[..4], ["0.250", "0.250", "0.250", "0.250"]);
    assert_eq!(times[6], "0.010");
    assert!(times.iter().all(|t| t.parse::<f64>().is_ok()), "{times:?}");
}

#[test]
fn a_start_time_that_is_not_rfc3339_is_refused() {
    let info = RunInfo {
        started_utc: "Sun Nov 29 19:48:13 UTC 2026".to_owned(),
        ..fixture::run_info()
    };
    let err = junit(&fixture::suite(), &info).expect_err("refused");
    assert!(matches!(err, ReportError::StartTime(_)));
    assert!(err.to_string().contains("RFC 3339"), "{err}");
}

#[test]
fn failure_message_holds_actual_and_expected() {
    let p = parse(&doc(&fixture::suite()));
    let failures = all(&p, "failure");
    let messages = column(&failures, "message");
    assert_eq!(messages.len(), 3);
    assert_eq!(messages[0], "depth.max: actual 700 µm, expected ≤ 550 µm");
    assert!(
        messages[1].starts_with("firmware.fault_stop: actual 150 µm"),
        "{}",
        messages[1]
    );
    let error = all(&p, "error");
    assert_eq!(error.len(), 1);
    assert!(
        attr(error[0], "message")
            .expect("message")
            .contains("unknown key `x` <here>")
    );
}

#[test]
fn not_checked_is_a_failure_saying_the_expectations_were_missing() {
    let p = parse(&doc(&[fixture::unverified()]));
    let failures = all(&p, "failure");
    assert_eq!(failures.len(), 1);
    assert_eq!(attr(failures[0], "type"), Some("not_checked"));
    let message = attr(failures[0], "message").expect("message");
    assert!(
        message.contains("expectations were missing") && message.contains("depth.max"),
        "{message}"
    );
}

#[test]
fn a_scenario_where_nothing_applied_fails() {
    for verdicts in [
        vec![],
        vec![verdict("link.lag", Outcome::NotApplicable, 0.0)],
    ] {
        let r = fixture::ran(report("n", verdicts, 1, 1));
        assert_eq!(r.status(), crate::Status::NotChecked);
        let p = parse(&doc(&[r]));
        let failures = all(&p, "failure");
        assert_eq!(failures.len(), 1);
        assert_eq!(attr(failures[0], "type"), Some("not_checked"));
        assert_eq!(
            column(&all(&p, "testcase"), "name").last(),
            Some(&"checks.applied")
        );
    }
}

#[test]
fn not_applicable_is_skipped_never_a_pass() {
    let p = parse(&doc(&[fixture::unverified()]));
    let skipped = all(&p, "skipped");
    assert_eq!(skipped.len(), 1);
    assert_eq!(attr(skipped[0], "message"), Some("not applicable: 0 µm"));
    // The skipped element sits inside the link.lag case.
    let i_case = p
        .elements
        .iter()
        .position(|(n, a)| n == "testcase" && attr(a, "name") == Some("link.lag"))
        .expect("case");
    assert_eq!(p.elements[i_case + 1].0, "skipped");
}

#[test]
fn a_scenario_that_could_not_run_is_an_error_case_with_the_whole_reason() {
    let p = parse(&doc(&[fixture::not_run("b", "first line\nsecond <line>")]));
    let error = all(&p, "error");
    assert_eq!(attr(error[0], "message"), Some("first line"));
    assert_eq!(attr(error[0], "type"), Some("could not run"));
    assert!(p.text.contains("first line\nsecond <line>"), "{}", p.text);
}

#[test]
fn firmware_log_goes_to_system_out_escaped() {
    let xml = doc(&fixture::suite());
    assert!(xml.contains("fault stall &amp; &lt;stop&gt;"), "{xml}");
    let p = parse(&xml);
    assert!(
        p.text.contains("0.000 boot\n1.500 fault stall & <stop>\n"),
        "{}",
        p.text
    );
}

#[test]
fn special_characters_in_names_and_messages_survive_a_round_trip() {
    let mut v = verdict("depth.<max> & \"x\"", Outcome::Fail, 1.0);
    v.actual_text = "a\nb\t'c'".to_owned();
    let r = fixture::ran(report("n <&> \"q\"", vec![v], 1, 1));
    let p = parse(&doc(&[r]));
    let case = all(&p, "testcase")[0];
    assert_eq!(attr(case, "name"), Some("depth.<max> & \"x\""));
    assert_eq!(attr(case, "classname"), Some("n <&> \"q\""));
    let message = attr(all(&p, "failure")[0], "message").expect("message");
    assert!(message.contains("actual a\nb\t'c',"), "{message:?}");
}

#[test]
fn suites_name_the_seed_recording_and_expectations() {
    let p = parse(&doc(&fixture::suite()));
    let props: Vec<(&str, &str)> = all(&p, "property")
        .iter()
        .map(|a| (attr(a, "name").expect("n"), attr(a, "value").expect("v")))
        .collect();
    assert!(props.contains(&("seed", "42")), "{props:?}");
    assert!(props.contains(&("recording", "recordings/glabella")));
    assert!(props.contains(&(
        "expectations",
        "the scenario copy in the recording (recordings/glabella/scenario.toml)"
    )));
    assert!(props.contains(&("needlebench_version", "0.4.0")));
}

#[test]
fn negative_scenarios_fail_only_when_they_pass() {
    let mut results = fixture::suite();
    results[1].negative = true; // fails two criteria: as it must
    results[0].negative = true; // passes: must not
    let p = parse(&doc(&results));
    let suites = all(&p, "testsuite");
    assert_eq!(column(&suites, "failures"), ["1", "0", "0", "1"]);
    assert_eq!(column(&suites, "tests"), ["4", "4", "1", "3"]);
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
    let p = parse(&doc(&results));
    let first = all(&p, "testsuite")[0];
    assert_eq!(attr(first, "failures"), Some("1"));
    assert_eq!(attr(first, "tests"), Some("4"));
}

#[test]
fn the_same_results_give_the_same_bytes() {
    assert_eq!(doc(&fixture::suite()), doc(&fixture::suite()));
}

#[test]
fn quick_junit_reads_it_back() {
    let report =
        quick_junit::Report::deserialize_from_str(&doc(&fixture::suite())).expect("parses");
    assert_eq!(report.test_suites.len(), 4);
    assert_eq!(report.test_suites[1].failures, 2);
    assert_eq!(report.test_suites[0].skipped, 1);
}
