//! `needlebench score`: the table, JSON and HTML of a recording's technique, `--against`, and
//! the exit codes (0 every planned zone passes, 1 one does not, 3 bad input, 6 cannot write).

use crate::support::{needlebench, text};
use serde_json::Value;
use std::path::{Path, PathBuf};

fn fixture(rel: &str) -> String {
    format!("{}/../../tests/fixtures/{rel}", env!("CARGO_MANIFEST_DIR"))
}

/// Run the fixture scenario `rel` into `dir/name` and return the recording's path.
fn record(rel: &str, dir: &Path, name: &str) -> PathBuf {
    let out = dir.join(name);
    let o = needlebench(&[
        "run",
        &fixture(rel),
        "--out",
        out.to_str().expect("utf-8"),
        "-q",
    ]);
    assert!(out.join("meta.toml").is_file(), "{}", text(&o));
    out
}

fn score(args: &[&str]) -> (Option<i32>, String, String) {
    let mut all = vec!["score"];
    all.extend_from_slice(args);
    let o = needlebench(&all);
    (
        o.status.code(),
        String::from_utf8_lossy(&o.stdout).into_owned(),
        String::from_utf8_lossy(&o.stderr).into_owned(),
    )
}

fn s(p: &Path) -> &str {
    p.to_str().expect("utf-8")
}

const PASSING: &str = "scenarios/fx-forehead-straight.toml";
const OVER_DENSE: &str = "score/area-over-dense.toml";

#[test]
fn a_run_as_planned_scores_its_area_as_one_zone_and_exits_0() {
    let tmp = tempfile::tempdir().expect("tmp");
    let rec = record(PASSING, tmp.path(), "good");
    let (code, out, err) = score(&[s(&rec)]);
    assert_eq!(code, Some(0), "{out}{err}");
    assert!(
        out.contains("no face map: the treated area as one zone"),
        "{out}"
    );
    assert!(
        out.lines()
            .any(|l| l.starts_with("area ") && l.contains("PASS")),
        "{out}"
    );
    assert!(out.contains("nothing to correct"), "{out}");
    assert!(out.contains("— PASS"), "{out}");
}

#[test]
fn an_over_dense_run_fails_its_zone_and_says_when_and_why() {
    let tmp = tempfile::tempdir().expect("tmp");
    let rec = record(OVER_DENSE, tmp.path(), "dense");
    let (code, out, err) = score(&[s(&rec)]);
    assert_eq!(code, Some(1), "{out}{err}");
    // density more than twice the band's 12 000 /cm²: a critical metric at 0
    let line = out
        .lines()
        .find(|l| l.contains("area: density"))
        .unwrap_or_else(|| panic!("no density line: {out}"));
    assert!(line.trim_start().starts_with("0:0"), "{line}");
    assert!(line.contains("(target 500–12000 /cm²)"), "{line}");
    assert!(out.contains("— FAIL"), "{out}");
}

#[test]
fn json_holds_the_documented_keys_and_no_debug_text() {
    let tmp = tempfile::tempdir().expect("tmp");
    let rec = record(OVER_DENSE, tmp.path(), "dense");
    let (code, out, err) = score(&[s(&rec), "--json"]);
    assert_eq!(code, Some(1), "{err}");
    let doc: Value = serde_json::from_str(&out).unwrap_or_else(|e| panic!("{e}: {out}"));
    assert_eq!(doc["schema"], "needlebench-score/1");
    assert_eq!(doc["scenario"], "fx-score-area-over-dense");
    assert!(doc["face_map"].is_null());
    assert_eq!(doc["pass_mark"], 70.0);
    assert_eq!(doc["overall"]["passed"], false);
    let zone = &doc["zones"][0];
    assert_eq!(zone["id"], "area");
    let metrics = zone["metrics"].as_array().expect("metrics");
    assert_eq!(metrics.len(), 15);
    let density = metrics
        .iter()
        .find(|m| m["name"] == "density_per_cm2")
        .expect("density");
    assert_eq!(density["unit"], "1/cm2");
    assert_eq!(density["band"], serde_json::json!([500.0, 12000.0]));
    assert_eq!(density["score"], 0.0);
    let fb = doc["feedback"].as_array().expect("feedback");
    assert!(
        fb.iter()
            .any(|f| f["zone"] == "area" && f["start_us"].is_u64()),
        "{fb:#?}"
    );
    assert!(!out.contains("Some(") && !out.contains("NaN"));
}

#[test]
fn against_compares_each_metric_and_writes_a_self_contained_page() {
    let tmp = tempfile::tempdir().expect("tmp");
    let trainee = record(OVER_DENSE, tmp.path(), "trainee");
    let expert = record(PASSING, tmp.path(), "expert");
    let page = tmp.path().join("out/score.html");
    let (code, out, err) = score(&[s(&trainee), "--against", s(&expert), "--html", s(&page)]);
    assert_eq!(code, Some(1), "{out}{err}");
    assert!(out.contains(&format!("against {}", s(&expert))), "{out}");
    let density = out
        .lines()
        .find(|l| l.trim_start().starts_with("density") && l.ends_with("expert"))
        .unwrap_or_else(|| panic!("no density comparison: {out}"));
    assert!(density.contains('+'), "{density}");
    let html = std::fs::read_to_string(&page).expect("page written");
    assert!(html.starts_with("<!DOCTYPE html>") && html.contains("<svg"));
    assert!(html.contains("Against") && !html.contains("<script"));
    let (_, json, _) = score(&[s(&trainee), "--against", s(&expert), "--json"]);
    let doc: Value = serde_json::from_str(&json).expect("JSON");
    let m = &doc["against"]["zones"][0]["metrics"];
    let d = m
        .as_array()
        .expect("metrics")
        .iter()
        .find(|m| m["name"] == "density_per_cm2")
        .expect("density");
    assert_eq!(d["closer"], "expert");
    assert!(d["difference"].as_f64().unwrap_or(0.0) > 0.0);
}

#[test]
fn bad_recordings_exit_3_naming_the_file() {
    let tmp = tempfile::tempdir().expect("tmp");
    let missing = tmp.path().join("nowhere");
    let (code, _, err) = score(&[s(&missing)]);
    assert_eq!(code, Some(3), "{err}");
    assert!(err.contains("nowhere"), "{err}");

    let rec = record(PASSING, tmp.path(), "bare");
    // a real pen's export: no scenario copy named in meta.toml
    let meta = std::fs::read_to_string(rec.join("meta.toml")).expect("meta");
    let meta: String = meta
        .lines()
        .filter(|l| !l.starts_with("copy = "))
        .map(|l| format!("{l}\n"))
        .collect();
    std::fs::write(rec.join("meta.toml"), meta).expect("write meta");
    let (code, _, err) = score(&[s(&rec)]);
    assert_eq!(code, Some(3), "{err}");
    assert!(err.contains("holds no scenario copy"), "{err}");

    let rec = record(PASSING, tmp.path(), "cut");
    let p = rec.join("punctures.csv");
    let body = std::fs::read_to_string(&p).expect("punctures");
    let mut lines: Vec<&str> = body.lines().collect();
    lines[3] = "1,2,three";
    std::fs::write(&p, lines.join("\n") + "\n").expect("write");
    let (code, _, err) = score(&[s(&rec)]);
    assert_eq!(code, Some(3), "{err}");
    assert!(err.contains("punctures.csv"), "{err}");
}

#[test]
fn an_html_page_that_cannot_be_written_exits_6() {
    let tmp = tempfile::tempdir().expect("tmp");
    let rec = record(PASSING, tmp.path(), "good");
    let blocker = tmp.path().join("a-file");
    std::fs::write(&blocker, "x").expect("write");
    let (code, _, err) = score(&[s(&rec), "--html", s(&blocker.join("score.html"))]);
    assert_eq!(code, Some(6), "{err}");
    assert!(err.contains("cannot write"), "{err}");
}

const PLAN_EXPERT: &str = "score/plan-expert.toml";
const PLAN_TRAINEE: &str = "score/plan-trainee.toml";

#[test]
fn a_plan_run_as_planned_scores_each_planned_zone_of_the_face_map() {
    let tmp = tempfile::tempdir().expect("tmp");
    let rec = record(PLAN_EXPERT, tmp.path(), "expert");
    let (code, out, err) = score(&[s(&rec), "--json"]);
    assert_eq!(code, Some(0), "{out}{err}");
    let doc: Value = serde_json::from_str(&out).expect("JSON");
    assert_eq!(doc["face_map"], "adult-frontal");
    let zones = doc["zones"].as_array().expect("zones");
    assert!(zones.len() >= 14, "every zone of the map");
    let planned: Vec<&str> = zones
        .iter()
        .filter(|z| z["planned"] == true)
        .map(|z| z["id"].as_str().unwrap_or(""))
        .collect();
    assert_eq!(planned, ["glabella", "upper_lip"]);
    assert!(
        zones
            .iter()
            .filter(|z| z["planned"] == true)
            .all(|z| z["passed"] == true)
    );
}

#[test]
fn a_trainee_scored_against_the_plan_they_attempted_fails_where_and_why() {
    let tmp = tempfile::tempdir().expect("tmp");
    let rec = record(PLAN_TRAINEE, tmp.path(), "trainee");
    // against its own scenario, the 1.0 mm on the upper lip is off the zone's chart
    let (_, own, err) = score(&[s(&rec)]);
    assert!(
        own.contains("upper lip: exposure 1 mm (chart 0.25–0.75 mm)"),
        "{own}{err}"
    );
    // against the plan the trainee attempted, the slow glide shows too, and the lip fails
    let plan = fixture(PLAN_EXPERT);
    let (code, out, err) = score(&[s(&rec), "--plan", &plan]);
    assert_eq!(code, Some(1), "{out}{err}");
    assert!(
        out.contains("targets of scenario fx-score-plan-expert"),
        "{out}"
    );
    let lip = out
        .lines()
        .find(|l| l.starts_with("upper lip "))
        .unwrap_or_else(|| panic!("no upper lip row: {out}"));
    assert!(lip.contains("FAIL"), "{lip}");
    assert!(
        out.lines()
            .any(|l| l.starts_with("glabella ") && l.contains("PASS")),
        "{out}"
    );
    let fb = out
        .lines()
        .find(|l| l.contains("upper lip: glide slowed to"))
        .unwrap_or_else(|| panic!("no glide feedback: {out}"));
    // m:ss–m:ss at the start, the plan's glide as the target
    let (when, _) = fb.trim_start().split_once(", ").expect("time, place");
    assert!(when.contains('–') && when.contains(':'), "{fb}");
    assert!(
        fb.contains("(target 15)") && fb.contains("× target"),
        "{fb}"
    );
}

#[test]
fn against_an_expert_compares_the_zones_both_planned() {
    let tmp = tempfile::tempdir().expect("tmp");
    let trainee = record(PLAN_TRAINEE, tmp.path(), "trainee");
    let expert = record(PLAN_EXPERT, tmp.path(), "expert");
    let plan = fixture(PLAN_EXPERT);
    let (code, out, err) = score(&[
        s(&trainee),
        "--against",
        s(&expert),
        "--plan",
        &plan,
        "--json",
    ]);
    assert_eq!(code, Some(1), "{err}");
    let doc: Value = serde_json::from_str(&out).expect("JSON");
    let zones = doc["against"]["zones"].as_array().expect("compared zones");
    let ids: Vec<&str> = zones
        .iter()
        .map(|z| z["id"].as_str().unwrap_or(""))
        .collect();
    assert_eq!(ids, ["glabella", "upper_lip"]);
    let glide = zones[1]["metrics"]
        .as_array()
        .expect("metrics")
        .iter()
        .find(|m| m["name"] == "glide_mm_s")
        .expect("glide");
    assert_eq!(glide["closer"], "expert");
    assert!(
        glide["difference"].as_f64().unwrap_or(0.0) < -5.0,
        "{glide}"
    );
}

/// The README's trainer walkthrough: the shipped flawed run, scored on its own, fails each
/// of the four zones it was built to fail, and the feedback says why, with time and place.
#[test]
fn the_shipped_flawed_run_fails_its_four_zones_and_the_feedback_names_each_error() {
    let tmp = tempfile::tempdir().expect("tmp");
    let rec = tmp.path().join("flawed");
    let scenario = format!(
        "{}/../../scenarios/full-face-trainee-flawed.toml",
        env!("CARGO_MANIFEST_DIR")
    );
    let o = needlebench(&["run", &scenario, "--out", s(&rec), "-q"]);
    assert_eq!(o.status.code(), Some(1), "negative scenario: {}", text(&o));
    let (code, out, err) = score(&[s(&rec)]);
    assert_eq!(code, Some(1), "{out}{err}");
    assert!(out.contains("0 of 4 planned zones passed"), "{out}");
    for (zone, why) in [
        ("forehead", "pressed too hard: 6 N (target 2.5)"),
        ("nose", "exposure 1 mm (chart 0.25–0.5 mm)"),
        ("right cheek", "off the plan's zones"),
        ("left cheek", "glide slowed to 6.8 mm/s (target 20)"),
    ] {
        assert!(
            out.lines()
                .any(|l| l.contains(&format!(", {zone}: ")) && l.contains(why)),
            "no feedback line for {zone} saying {why:?}:\n{out}"
        );
    }
}
