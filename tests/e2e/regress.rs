//! `needlebench regress`: sharding, reports, exit codes. Runs the short fixture scenarios in
//! `tests/fixtures/scenarios/` (all pass, each ≤ 3 s simulated) and
//! `tests/fixtures/scenarios-failing/` (runs, fails its checks).

use crate::support::{names, needlebench, read_json, text};
use quick_xml::Reader;
use quick_xml::events::Event;
use std::path::Path;
use std::process::Output;

const FIXTURES: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/../../tests/fixtures/scenarios"
);
const FAILING: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/../../tests/fixtures/scenarios-failing"
);
const NAMES: [&str; 3] = [
    "fx-forehead-straight",
    "fx-glabella-stamp",
    "fx-neck-crosshatch",
];

fn regress(extra: &[&str], tmp: &Path) -> Output {
    let out_dir = tmp.join("rec");
    let mut args = vec![
        "regress",
        "--quiet",
        "--out",
        out_dir.to_str().expect("utf-8 path"),
    ];
    args.extend_from_slice(extra);
    needlebench(&args)
}

#[test]
fn shards_together_cover_each_scenario_exactly_once() {
    let tmp = tempfile::tempdir().expect("tmp");
    let mut seen = Vec::new();
    for i in 1..=3 {
        let json = tmp.path().join(format!("shard{i}.json"));
        let shard = format!("{i}/3");
        let out = regress(
            &[
                FIXTURES,
                "--shard",
                &shard,
                "--json",
                json.to_str().expect("utf-8"),
            ],
            tmp.path(),
        );
        assert_eq!(out.status.code(), Some(0), "{}", text(&out));
        let mine = names(&read_json(&json));
        assert_eq!(mine.len(), 1, "shard {shard}: {mine:?}");
        seen.extend(mine);
    }
    seen.sort();
    assert_eq!(seen, NAMES);

    // Four shards of three scenarios: one shard is empty and still succeeds.
    let json = tmp.path().join("shard4.json");
    let out = regress(
        &[
            FIXTURES,
            "--shard",
            "4/4",
            "--json",
            json.to_str().expect("utf-8"),
        ],
        tmp.path(),
    );
    assert_eq!(out.status.code(), Some(0), "{}", text(&out));
    assert!(names(&read_json(&json)).is_empty());
}

#[test]
fn writes_junit_json_and_html_that_parse() {
    let tmp = tempfile::tempdir().expect("tmp");
    let (junit, json, html) = (
        tmp.path().join("r/junit.xml"),
        tmp.path().join("r/report.json"),
        tmp.path().join("r/report.html"),
    );
    let out = regress(
        &[
            FIXTURES,
            "--jobs",
            "2",
            "--junit",
            junit.to_str().expect("utf-8"),
            "--json",
            json.to_str().expect("utf-8"),
            "--html",
            html.to_str().expect("utf-8"),
        ],
        tmp.path(),
    );
    assert_eq!(out.status.code(), Some(0), "{}", text(&out));
    let stdout = String::from_utf8_lossy(&out.stdout);
    for name in NAMES {
        assert!(
            stdout
                .lines()
                .any(|l| l.starts_with(name) && l.contains(" pass ")),
            "{stdout}"
        );
        assert!(
            tmp.path()
                .join("rec")
                .join(name)
                .join("meta.toml")
                .is_file(),
            "recording of {name}"
        );
    }

    // JUnit: one suite per scenario, no failures, every case under a suite.
    let xml = std::fs::read_to_string(&junit).expect("junit written");
    let mut reader = Reader::from_str(&xml);
    let (mut suites, mut cases, mut failures) = (Vec::new(), 0, 0);
    loop {
        match reader.read_event().expect("well-formed XML") {
            Event::Start(e) | Event::Empty(e) => match e.name().as_ref() {
                b"testsuite" => {
                    let name = e
                        .try_get_attribute("name")
                        .expect("attr")
                        .expect("suite name");
                    suites.push(String::from_utf8(name.value.to_vec()).expect("utf-8"));
                }
                b"testcase" => cases += 1,
                b"failure" | b"error" => failures += 1,
                _ => {}
            },
            Event::Eof => break,
            _ => {}
        }
    }
    assert_eq!(suites, NAMES);
    assert_eq!(failures, 0);

    // JSON: the same verdicts as test cases, each with its metrics.
    let doc = read_json(&json);
    assert_eq!(names(&doc), NAMES);
    assert_eq!(
        doc["totals"]["pass"].as_u64().unwrap_or(0)
            + doc["totals"]["acceptable"].as_u64().unwrap_or(0),
        3
    );
    let verdicts: usize = doc["scenarios"]
        .as_array()
        .expect("array")
        .iter()
        .map(|s| {
            let v = s["verdicts"].as_array().expect("verdicts");
            assert!(v.iter().all(|v| v["metrics"].is_object()));
            v.len()
        })
        .sum();
    assert_eq!(cases, verdicts);
    assert!(verdicts >= 3 * 10, "{verdicts} verdicts");

    // HTML: one page, one heat map per scenario, no script.
    let page = std::fs::read_to_string(&html).expect("html written");
    assert!(page.starts_with("<!DOCTYPE html>"));
    assert!(page.trim_end().ends_with("</html>"));
    assert_eq!(page.matches(r#"<svg class="plot heatmap""#).count(), 3);
    assert!(!page.contains("<script"));
}

#[test]
fn a_scenario_failing_its_checks_exits_1() {
    let tmp = tempfile::tempdir().expect("tmp");
    let out = regress(&[FIXTURES, FAILING], tmp.path());
    assert_eq!(out.status.code(), Some(1), "{}", text(&out));
    let stdout = String::from_utf8_lossy(&out.stdout);
    let row = stdout
        .lines()
        .find(|l| l.starts_with("fx-too-deep-for-site"))
        .expect("row");
    assert!(
        row.contains(" fail ") && row.contains("depth.site_max"),
        "{row}"
    );
    assert!(
        stdout.contains(
            "4 scenarios: 3 passed, 0 acceptable, 0 failed as expected, 0 not checked, 1 failed, 0 could not run"
        ),
        "{stdout}"
    );
}

#[test]
fn a_bad_scenario_file_exits_3_and_the_rest_still_run() {
    let tmp = tempfile::tempdir().expect("tmp");
    let bad = tmp.path().join("bad.toml");
    std::fs::write(&bad, "name = \"bad\"\nunknown_key = 1\n").expect("write");
    let json = tmp.path().join("r.json");
    // Even with a failing scenario in the run, the bad file's 3 wins.
    let out = regress(
        &[
            FIXTURES,
            FAILING,
            bad.to_str().expect("utf-8"),
            "--json",
            json.to_str().expect("utf-8"),
        ],
        tmp.path(),
    );
    assert_eq!(out.status.code(), Some(3), "{}", text(&out));
    let doc = read_json(&json);
    let bad_entry = doc["scenarios"]
        .as_array()
        .expect("array")
        .iter()
        .find(|s| s["name"] == "bad")
        .expect("bad scenario reported");
    assert_eq!(bad_entry["status"], "not_run");
    assert!(
        bad_entry["error"]
            .as_str()
            .expect("reason")
            .contains("bad.toml"),
        "{bad_entry}"
    );
    assert_eq!(doc["totals"]["not_run"], 1);
    assert_eq!(doc["totals"]["fail"], 1);
    assert_eq!(doc["totals"]["pass"], 3);
}

#[test]
fn negative_scenarios_must_fail_their_checks() {
    let tmp = tempfile::tempdir().expect("tmp");
    let failing =
        std::fs::read_to_string(format!("{FAILING}/fx-too-deep-for-site.toml")).expect("fixture");
    let passing =
        std::fs::read_to_string(format!("{FIXTURES}/fx-glabella-stamp.toml")).expect("fixture");
    let tag = |text: &str| text.replace("tags = [\"fixture\"", "tags = [\"fixture\", \"negative\"");
    let dir = tmp.path().join("negative");
    std::fs::create_dir_all(&dir).expect("dir");
    std::fs::write(dir.join("fails.toml"), tag(&failing)).expect("write");
    let dir_s = dir.to_str().expect("utf-8");

    // A negative scenario that fails its checks: expected, exit 0.
    let json = tmp.path().join("a.json");
    let out = regress(
        &[dir_s, "--json", json.to_str().expect("utf-8")],
        tmp.path(),
    );
    assert_eq!(out.status.code(), Some(0), "{}", text(&out));
    let doc = read_json(&json);
    assert_eq!(doc["scenarios"][0]["status"], "expected_fail", "{doc}");
    assert_eq!(doc["totals"]["expected_fail"], 1);

    // A negative scenario that passes: exit 1.
    std::fs::write(dir.join("passes.toml"), tag(&passing)).expect("write");
    let out = regress(&[dir_s], tmp.path());
    assert_eq!(out.status.code(), Some(1), "{}", text(&out));
    let stdout = String::from_utf8_lossy(&out.stdout);
    let row = stdout
        .lines()
        .find(|l| l.starts_with("fx-glabella-stamp"))
        .expect("row");
    assert!(
        row.contains(" fail ") && row.contains("tagged negative but no criterion failed"),
        "{row}"
    );
}

#[test]
fn a_missing_pen_port_exits_4() {
    let tmp = tempfile::tempdir().expect("tmp");
    let file = format!("{FIXTURES}/fx-glabella-stamp.toml");
    let out = regress(
        &[&file, "--port", "/dev/needlebench-no-such-port"],
        tmp.path(),
    );
    assert_eq!(out.status.code(), Some(4), "{}", text(&out));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("fx-glabella-stamp") && stderr.contains("needlebench-no-such-port"),
        "{stderr}"
    );
}

#[test]
fn repeats_with_the_same_seed_agree() {
    let tmp = tempfile::tempdir().expect("tmp");
    let file = format!("{FIXTURES}/fx-glabella-stamp.toml");
    let json = tmp.path().join("r.json");
    let out = regress(
        &[
            &file,
            "--repeat",
            "2",
            "--json",
            json.to_str().expect("utf-8"),
        ],
        tmp.path(),
    );
    assert_eq!(out.status.code(), Some(0), "{}", text(&out));
    let doc = read_json(&json);
    assert!(doc["scenarios"][0]["divergence"].is_null(), "{doc}");
    assert!(
        tmp.path()
            .join("rec/fx-glabella-stamp.repeat2/meta.toml")
            .is_file()
    );
}

#[test]
fn usage_errors_exit_2() {
    let tmp = tempfile::tempdir().expect("tmp");
    for args in [
        &[FIXTURES, "--shard", "4/3"][..],
        &[FIXTURES, "--shard", "0/3"],
        &[FIXTURES, "--repeat", "0"],
        &[FIXTURES, "--jobs", "0"],
    ] {
        let out = regress(args, tmp.path());
        assert_eq!(out.status.code(), Some(2), "{args:?}: {}", text(&out));
    }
    let missing = tmp.path().join("no-such-dir");
    let out = regress(&[missing.to_str().expect("utf-8")], tmp.path());
    assert_eq!(out.status.code(), Some(3), "{}", text(&out));
}
