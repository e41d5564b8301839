//! The JUnit output against the Jenkins xUnit plugin's `junit-10.xsd`
//! (`tests/schema/junit-10.xsd`, MIT, see `tests/schema/LICENSE-xunit-plugin.txt`), checked
//! with `xmllint --noout --schema` (Debian: `libxml2-utils`). Without xmllint these tests
//! fail when `CI` is set and print a notice and pass otherwise.

use super::junit;
use crate::fixture::{self, report, verdict};
use crate::{ScenarioResult, Status};
use needlebench_checks::Outcome;
use std::path::PathBuf;
use std::process::Command;

fn schema() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/schema/junit-10.xsd")
}

/// Validate the JUnit document of `results` against the schema; `what` names the file.
fn assert_valid(what: &str, results: &[ScenarioResult]) {
    let xml = junit(results, &fixture::run_info()).expect("serializes");
    if let Err(why) = validate(what, &xml) {
        panic!("{what} does not validate against junit-10.xsd:\n{why}\n{xml}");
    }
}

/// `xmllint`'s verdict on `xml` (`Ok` also when xmllint is missing outside CI).
fn validate(what: &str, xml: &str) -> Result<(), String> {
    let probe = Command::new("xmllint").arg("--version").output();
    if probe.is_err() {
        assert!(
            std::env::var_os("CI").is_none(),
            "xmllint is missing and CI is set: install libxml2-utils (see .ci/run)"
        );
        eprintln!("notice: xmllint not found, JUnit schema validation of {what} skipped");
        return Ok(());
    }
    let dir = std::env::temp_dir().join(format!("needlebench-report-junit-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("temp dir");
    let file = dir.join(format!("{what}.xml"));
    std::fs::write(&file, xml).expect("write XML");
    let out = Command::new("xmllint")
        .arg("--noout")
        .arg("--schema")
        .arg(schema())
        .arg(&file)
        .output()
        .expect("run xmllint");
    let _ = std::fs::remove_file(&file);
    if out.status.success() {
        Ok(())
    } else {
        Err(String::from_utf8_lossy(&out.stderr).into_owned())
    }
}

#[test]
fn the_validation_rejects_what_jenkins_rejects() {
    // What quick-junit wrote before: `skipped` on <testsuites>, and a suite without `errors`.
    let bad = r#"<?xml version="1.0"?><testsuites tests="0" skipped="0"></testsuites>"#;
    if Command::new("xmllint").arg("--version").output().is_ok() {
        assert!(validate("bad-skipped", bad).is_err());
        let bad = r#"<testsuites><testsuite name="a" tests="0" failures="0"/></testsuites>"#;
        assert!(validate("bad-errors", bad).is_err());
        let bad = r#"<testsuites><testsuite name="a" tests="0" failures="0" errors="0" time="1e3"/></testsuites>"#;
        assert!(validate("bad-time", bad).is_err());
    } else {
        assert!(validate("bad-skipped", bad).is_ok());
    }
}

#[test]
fn the_shipped_schema_is_the_xunit_plugins_with_its_licence() {
    let xsd = std::fs::read_to_string(schema()).expect("schema shipped");
    assert!(xsd.contains("The MIT License (MIT)") && xsd.contains(r#"name="testsuites""#));
    let licence = schema().with_file_name("LICENSE-xunit-plugin.txt");
    assert!(
        std::fs::read_to_string(licence)
            .expect("licence shipped")
            .contains("Permission is hereby granted, free of charge")
    );
}

#[test]
fn a_passing_suite_validates() {
    let r = fixture::suite().swap_remove(0);
    assert_eq!(r.status(), Status::Pass);
    assert_valid("passing", &[r]);
}

#[test]
fn a_failing_suite_validates() {
    let r = fixture::suite().swap_remove(1);
    assert_eq!(r.status(), Status::Fail);
    assert_valid("failing", &[r]);
}

#[test]
fn not_applicable_and_not_checked_criteria_validate() {
    assert_valid("not-checked", &[fixture::unverified()]);
}

#[test]
fn a_scenario_that_could_not_run_validates() {
    assert_valid(
        "not-run",
        &[fixture::not_run(
            "broken",
            "line one <x>\nline two & \"three\"",
        )],
    );
}

#[test]
fn xml_special_and_control_characters_validate() {
    let mut v = verdict("depth.max", Outcome::Fail, 700.0);
    v.actual_text = "7<0>0 & \"µm\" 'quoted'\n\ttab\r\0nul\u{1b}[0m".to_owned();
    v.criterion = "depth.<max> & \"x\"".to_owned();
    let mut rep = report("a <b> & \"c\" 'd'\u{7}", vec![v], 2, 2);
    rep.firmware_log
        .push("\u{0}\u{1b}[31mred]]> <![CDATA[ x".to_owned());
    let mut r = fixture::ran(rep);
    r.path = "scenarios/<&>.toml".to_owned();
    r.divergence = Some("a\u{0}b <c>".to_owned());
    assert_valid("special-characters", &[r]);
}

#[test]
fn negative_diverging_and_empty_runs_validate() {
    let mut results = fixture::suite();
    results[0].negative = true;
    results[1].negative = true;
    results[3].negative = true;
    results[2].divergence = Some("x".to_owned());
    assert_valid("negative", &results);
    assert_valid("empty", &[]);
    let mut no_verdicts = fixture::ran(report("empty", vec![], 1, 1));
    no_verdicts.wall_s = f64::NAN;
    assert_valid("no-verdicts", &[no_verdicts]);
}

#[test]
fn a_merged_run_validates_like_a_single_one() {
    use crate::{ShardInfo, json, merge, read_shard};
    let all = fixture::suite();
    let shard = |index: usize, results: &[ScenarioResult]| {
        let mut info = fixture::run_info();
        info.shard = Some(ShardInfo { index, count: 2 });
        let text = json(results, &info).to_string();
        read_shard(std::path::Path::new("shard.json"), &text).expect("a report")
    };
    let (info, merged) = merge(
        vec![shard(1, &all[..2]), shard(2, &all[2..])],
        "merge".into(),
    )
    .expect("merged");
    let xml = junit(&merged, &info).expect("serializes");
    if let Err(why) = validate("merged", &xml) {
        panic!("the merged run does not validate against junit-10.xsd:\n{why}\n{xml}");
    }
    let single = junit(&all, &info).expect("serializes");
    assert_eq!(xml, single, "a merge writes the JUnit a single run would");
}
