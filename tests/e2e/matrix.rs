//! Matrix scenarios end to end: `list`, `regress` over variants (recordings, seeds, JUnit
//! suites), `--shard` over variants, `check` of a variant's recording, and `report merge`
//! (same totals as a single run, a JUnit that validates, refusals). Uses
//! `tests/fixtures/matrix/fx-matrix.toml` (4 variants, all pass).

use crate::support::{names, needlebench, read_json, text};
use serde_json::Value;
use std::path::Path;
use std::process::Output;

const MATRIX: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/../../tests/fixtures/matrix/fx-matrix.toml"
);
const VARIANTS: [&str; 4] = [
    "fx-matrix[exposure_mm=0.25,speed_level=4]",
    "fx-matrix[exposure_mm=0.5,speed_level=4]",
    "fx-matrix[exposure_mm=0.5,speed_level=6]",
    "fx-matrix[exposure_mm=0.75,speed_level=6,force_n=2.0]",
];

fn path(p: &Path) -> &str {
    p.to_str().expect("utf-8 path")
}

/// `regress MATRIX` into `dir/rec` with `extra` flags.
fn regress(dir: &Path, extra: &[&str]) -> Output {
    let rec = dir.join("rec");
    let mut args = vec!["regress", MATRIX, "--quiet", "--out", path(&rec)];
    args.extend_from_slice(extra);
    needlebench(&args)
}

/// A scenario file `text` in `dir`, as a path.
fn write(dir: &Path, name: &str, text: &str) -> String {
    let p = dir.join(name);
    std::fs::write(&p, text).expect("scenario written");
    p.to_str().expect("utf-8").to_owned()
}

#[test]
fn list_prints_every_variant_with_its_seed_and_values() {
    let out = needlebench(&["list", MATRIX, "--json"]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out));
    let doc: Value = serde_json::from_slice(&out.stdout).expect("JSON");
    let list = doc.as_array().expect("list");
    let got: Vec<&str> = list.iter().map(|v| v["name"].as_str().unwrap()).collect();
    assert_eq!(got, VARIANTS);
    assert_eq!(list[1]["dir"], "fx-matrix@exposure_mm=0.5,speed_level=4");
    assert_eq!(list[1]["values"][2]["key"], "expect.max_depth_um");
    assert_eq!(list[1]["values"][2]["in_name"], false);
    let seeds: std::collections::BTreeSet<u64> =
        list.iter().map(|v| v["seed"].as_u64().unwrap()).collect();
    assert_eq!(seeds.len(), 4, "each variant has its own seed");
    let plain = needlebench(&["list", MATRIX]);
    let stdout = String::from_utf8_lossy(&plain.stdout);
    assert!(
        stdout.lines().nth(1).unwrap().starts_with(VARIANTS[1])
            && stdout.contains("expect.max_depth_um=700.0"),
        "{stdout}"
    );
}

#[test]
fn bad_matrices_are_refused_naming_file_line_column_and_key() {
    let tmp = tempfile::tempdir().expect("tmp");
    let base = std::fs::read_to_string(MATRIX).expect("fixture");
    let (head, _) = base.split_once("[matrix]").expect("has a matrix");
    let empty = write(
        tmp.path(),
        "e.toml",
        &format!("{head}[matrix]\n\"pen.exposure_mm\" = []\n"),
    );
    let out = needlebench(&["list", &empty]);
    assert_eq!(out.status.code(), Some(3), "{}", text(&out));
    let line = head.lines().count() + 2;
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains(&format!("e.toml:{line}:1: matrix.pen.exposure_mm = []")),
        "{err}"
    );
    let bad = write(
        tmp.path(),
        "b.toml",
        &format!("{head}[matrix]\n\"pen.speed_level\" = [4, 9]\n"),
    );
    let out = needlebench(&["list", &bad]);
    assert_eq!(out.status.code(), Some(3), "{}", text(&out));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("pen.speed_level = 9 out of range 1–6")
            && err.contains("(in variant `fx-matrix[speed_level=9]`)")
            && err.contains(&format!("b.toml:{line}:1")),
        "{err}"
    );
    // The valid variant is still listed.
    assert!(String::from_utf8_lossy(&out.stdout).contains("fx-matrix[speed_level=4]"));
    let axis = (1..=101)
        .map(|i| i.to_string())
        .collect::<Vec<_>>()
        .join(",");
    let large = write(
        tmp.path(),
        "l.toml",
        &format!("{head}[matrix]\n\"hand.passes\" = [{axis}]\n\"pen.cartridge_id\" = [{axis}]\n"),
    );
    let out = needlebench(&[
        "regress",
        &large,
        "--quiet",
        "--out",
        path(&tmp.path().join("r")),
    ]);
    assert_eq!(out.status.code(), Some(3), "{}", text(&out));
    assert!(
        String::from_utf8_lossy(&out.stderr)
            .contains("10201 variants; more than 10000 need --allow-large"),
        "{}",
        text(&out)
    );
}

#[test]
fn regress_runs_each_variant_as_its_own_scenario() {
    let tmp = tempfile::tempdir().expect("tmp");
    let json = tmp.path().join("r.json");
    let junit = tmp.path().join("j.xml");
    let out = regress(
        tmp.path(),
        &[
            "--json",
            path(&json),
            "--junit",
            path(&junit),
            "--jobs",
            "2",
        ],
    );
    assert_eq!(out.status.code(), Some(0), "{}", text(&out));
    let doc = read_json(&json);
    assert_eq!(names(&doc), VARIANTS);
    assert_eq!(doc["totals"]["pass"], 4);
    assert_eq!(doc["run"]["suite_size"], 4);
    let s = &doc["scenarios"][1];
    assert_eq!(s["unit"], 1);
    assert_eq!(s["variant"]["base_name"], "fx-matrix");
    assert_eq!(s["variant"]["values"][0]["value"], 0.5);
    let limit = s["verdicts"]
        .as_array()
        .unwrap()
        .iter()
        .find(|v| v["criterion"] == "depth.site_max")
        .expect("include set a site limit");
    assert_eq!(limit["expected"], "≤ 700.0 µm");
    // Own recording per variant, holding the variant's seed and name.
    let rec = tmp
        .path()
        .join("rec/fx-matrix@exposure_mm=0.5,speed_level=4");
    let meta = std::fs::read_to_string(rec.join("meta.toml")).expect("recording");
    assert!(
        meta.contains(&format!("variant = \"{}\"", VARIANTS[1])),
        "{meta}"
    );
    // (a seed above i64::MAX is written as a decimal string)
    let seed = s["run"]["seed"].as_u64().expect("seed");
    assert!(
        meta.contains(&format!("seed = {seed}\n")) || meta.contains(&format!("seed = \"{seed}\"")),
        "{meta}"
    );
    // One JUnit suite per variant.
    let xml = std::fs::read_to_string(&junit).expect("junit");
    for v in VARIANTS {
        let escaped = v.replace('"', "&quot;");
        assert_eq!(
            xml.matches(&format!("<testsuite name=\"{escaped}\""))
                .count(),
            1,
            "{v}"
        );
    }
    // `check` re-judges the variant from the copy in its recording: same verdicts.
    let check = needlebench(&["check", path(&rec), "--json"]);
    assert_eq!(check.status.code(), Some(0), "{}", text(&check));
    let again: Value = serde_json::from_slice(&check.stdout).expect("JSON");
    assert_eq!(again["verdicts"], s["verdicts"]);
}

/// `verdicts` with the link criteria cut to their name and outcome: their figures count the
/// frames on the line, which include the grants a loaded machine makes the bench re-send (wall
/// clock, as `timing.toml` says), so two runs of one variant may differ there and nowhere else.
fn wall_clock_free(verdicts: &Value) -> Vec<Value> {
    verdicts
        .as_array()
        .expect("verdicts")
        .iter()
        .map(|v| {
            if v["criterion"]
                .as_str()
                .is_some_and(|c| c.starts_with("link."))
            {
                serde_json::json!({ "criterion": v["criterion"], "outcome": v["outcome"] })
            } else {
                v.clone()
            }
        })
        .collect()
}

#[test]
fn shards_split_variants_and_merge_into_the_single_runs_report() {
    let tmp = tempfile::tempdir().expect("tmp");
    let whole = tmp.path().join("whole.json");
    let out = regress(&tmp.path().join("w"), &["--json", path(&whole)]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out));
    let mut shards = Vec::new();
    for i in 1..=3 {
        let json = tmp.path().join(format!("s{i}.json"));
        let shard = format!("{i}/3");
        let out = regress(
            &tmp.path().join(format!("s{i}")),
            &["--shard", &shard, "--json", path(&json)],
        );
        assert_eq!(out.status.code(), Some(0), "{}", text(&out));
        shards.push(json);
    }
    // Variant k goes to shard (k mod 3) + 1.
    assert_eq!(names(&read_json(&shards[0])), [VARIANTS[0], VARIANTS[3]]);
    assert_eq!(names(&read_json(&shards[1])), [VARIANTS[1]]);
    assert_eq!(names(&read_json(&shards[2])), [VARIANTS[2]]);
    let merged = tmp.path().join("merged");
    let out = needlebench(&[
        "report",
        "merge",
        path(&merged),
        path(&shards[2]),
        path(&shards[0]),
        path(&shards[1]),
    ]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out));
    let m = read_json(&merged.join("report.json"));
    let w = read_json(&whole);
    assert_eq!(names(&m), names(&w));
    assert_eq!(m["totals"], w["totals"]);
    for (a, b) in m["scenarios"]
        .as_array()
        .unwrap()
        .iter()
        .zip(w["scenarios"].as_array().unwrap())
    {
        assert_eq!(
            wall_clock_free(&a["verdicts"]),
            wall_clock_free(&b["verdicts"]),
            "{}",
            a["name"]
        );
    }
    let xml = std::fs::read_to_string(merged.join("junit.xml")).expect("junit");
    assert_eq!(xml.matches("<testsuite ").count(), 4);
    assert!(
        std::fs::read_to_string(merged.join("report.html"))
            .expect("html")
            .contains(VARIANTS[3])
    );
    validate_junit(&merged.join("junit.xml"));
}

#[test]
fn merge_refuses_overlaps_other_versions_and_missing_shards() {
    let tmp = tempfile::tempdir().expect("tmp");
    let s1 = tmp.path().join("s1.json");
    let out = regress(
        &tmp.path().join("a"),
        &["--shard", "1/2", "--json", path(&s1)],
    );
    assert_eq!(out.status.code(), Some(0), "{}", text(&out));
    let merged = path(&tmp.path().join("m")).to_owned();
    // The same shard twice: it overlaps itself.
    let out = needlebench(&["report", "merge", &merged, path(&s1), path(&s1)]);
    assert_eq!(out.status.code(), Some(3), "{}", text(&out));
    assert!(String::from_utf8_lossy(&out.stderr).contains("shard 1/2 given twice"));
    // A whole run and a shard of it overlap in their variants.
    let whole = tmp.path().join("w.json");
    let out = regress(&tmp.path().join("b"), &["--json", path(&whole)]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out));
    let mut doc = read_json(&whole);
    doc["run"]["shard"] = serde_json::json!({ "index": 2, "count": 2 });
    let fake = tmp.path().join("s2.json");
    std::fs::write(&fake, doc.to_string()).expect("written");
    let out = needlebench(&["report", "merge", &merged, path(&s1), path(&fake)]);
    assert_eq!(out.status.code(), Some(3), "{}", text(&out));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains(&format!("`{}` is in both", VARIANTS[0])) && err.contains("s2.json"),
        "{err}"
    );
    // Another needlebench version.
    doc["run"]["needlebench_version"] = "0.0.1-other".into();
    std::fs::write(&fake, doc.to_string()).expect("written");
    let out = needlebench(&["report", "merge", &merged, path(&s1), path(&fake)]);
    assert_eq!(out.status.code(), Some(3), "{}", text(&out));
    assert!(String::from_utf8_lossy(&out.stderr).contains("by 0.0.1-other"));
    // Shard 2/2 missing.
    let out = needlebench(&["report", "merge", &merged, path(&s1)]);
    assert_eq!(out.status.code(), Some(3), "{}", text(&out));
    assert!(String::from_utf8_lossy(&out.stderr).contains("shard 2/2 missing"));
    assert!(
        !tmp.path().join("m").exists(),
        "nothing written when refused"
    );
}

#[test]
fn a_variant_runs_alone_by_name() {
    let tmp = tempfile::tempdir().expect("tmp");
    let json = tmp.path().join("r.json");
    let out = regress(
        tmp.path(),
        &["--variant", VARIANTS[2], "--json", path(&json)],
    );
    assert_eq!(out.status.code(), Some(0), "{}", text(&out));
    let doc = read_json(&json);
    assert_eq!(names(&doc), [VARIANTS[2]]);
    assert_eq!(doc["scenarios"][0]["unit"], 2);
    let out = regress(tmp.path(), &["--variant", "fx-matrix[exposure_mm=9.0]"]);
    assert_eq!(out.status.code(), Some(2), "{}", text(&out));
    let rec = tmp.path().join("one");
    let out = needlebench(&[
        "run",
        MATRIX,
        "--variant",
        VARIANTS[0],
        "--out",
        path(&rec),
        "--quiet",
    ]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out));
    let out = needlebench(&["run", MATRIX, "--out", path(&tmp.path().join("two"))]);
    assert_eq!(out.status.code(), Some(3), "{}", text(&out));
    assert!(String::from_utf8_lossy(&out.stderr).contains("--variant NAME"));
}

/// `xmllint --schema junit-10.xsd FILE` must accept `file` (skipped without xmllint
/// outside CI, as the report crate's schema tests do).
fn validate_junit(file: &Path) {
    let schema = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../report/tests/schema/junit-10.xsd"
    );
    if std::process::Command::new("xmllint")
        .arg("--version")
        .output()
        .is_err()
    {
        assert!(
            std::env::var_os("CI").is_none(),
            "xmllint is missing and CI is set"
        );
        eprintln!("notice: xmllint not found, JUnit schema validation skipped");
        return;
    }
    let out = std::process::Command::new("xmllint")
        .args(["--noout", "--schema", schema])
        .arg(file)
        .output()
        .expect("xmllint runs");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
}
