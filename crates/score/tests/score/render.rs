//! The JSON document, the terminal table and the HTML page.

use crate::support::{input, puncture, sample, square, target};
use needlebench_score::render::{Report, SCHEMA, Source, html, json, score_text, table};
use needlebench_score::{compare, score};

fn report_of(s: &needlebench_score::Score) -> Report<'_> {
    Report {
        source: Source {
            recording: "recordings/<trainee>".to_owned(),
            scenario: "fx".to_owned(),
            targets: "recordings/<trainee>/scenario/scenario.toml".to_owned(),
            face_map: Some("adult-frontal".to_owned()),
        },
        score: s,
        against: None,
    }
}

fn example() -> needlebench_score::Score {
    let samples = (0..3000u64)
        .map(|ms| sample(ms, [1.0 + ms as f64 / 1000.0, 5.0]))
        .collect();
    let p = vec![puncture(10, [1.0, 1.0], Some(0))];
    score(&input(
        vec![square("left_cheek", 0.0, 10.0, Some(target()))],
        samples,
        p,
    ))
    .expect("valid")
}

#[test]
fn the_json_document_has_its_documented_keys_and_null_for_not_applicable() {
    let s = example();
    let doc: serde_json::Value =
        serde_json::from_str(&json(&report_of(&s)).expect("serialises")).expect("valid JSON");
    assert_eq!(doc["schema"], SCHEMA);
    for key in [
        "recording",
        "scenario",
        "face_map",
        "pass_mark",
        "overall",
        "zones",
        "feedback",
        "against",
    ] {
        assert!(doc.get(key).is_some(), "missing {key}");
    }
    let z = &doc["zones"][0];
    assert_eq!(z["id"], "left_cheek");
    let m = &z["metrics"][0];
    assert_eq!(m["name"], "coverage");
    assert_eq!(m["unit"], "fraction");
    assert_eq!(m["band"], serde_json::json!([0.9, 1.0]));
    // one puncture: uniformity over 25 cells applies, overlap applies, depth applies;
    // exposure… every metric has a name and a score key
    let names: Vec<&str> = z["metrics"]
        .as_array()
        .expect("metrics")
        .iter()
        .map(|m| m["name"].as_str().unwrap_or(""))
        .collect();
    assert_eq!(names.len(), 15);
    assert!(doc["against"].is_null());
    let glide_cv = z["metrics"]
        .as_array()
        .expect("m")
        .iter()
        .find(|m| m["name"] == "passes")
        .expect("passes");
    assert!(glide_cv["value"].is_number());
}

#[test]
fn the_table_names_every_zone_its_result_and_the_feedback() {
    let s = example();
    let t = table(&report_of(&s));
    assert!(t.contains("left cheek"), "{t}");
    assert!(t.contains("FAIL"), "{t}");
    assert!(t.contains("feedback:"), "{t}");
    assert!(t.contains("coverage 4% (target ≥ 90%)"), "{t}");
    assert!(
        !t.contains("Some(") && !t.contains("None") && !t.contains("NaN"),
        "{t}"
    );
}

#[test]
fn the_html_page_is_self_contained_escaped_and_draws_the_zone_map() {
    let s = example();
    let mut r = report_of(&s);
    let c = compare(&s, &s);
    r.against = Some((r.source.clone(), c));
    let page = html(&r);
    assert!(page.starts_with("<!DOCTYPE html>"));
    assert!(page.contains("<svg") && page.contains("<polygon"));
    assert!(page.contains("recordings/&lt;trainee&gt;"));
    assert!(
        !page.contains("<script") && !page.contains("http://")
            || page.contains("xmlns=\"http://www.w3.org/2000/svg\"")
    );
    assert!(page.contains("Against"));
    assert!(!page.contains("NaN") && !page.contains("Some("));
}

#[test]
fn scores_are_shown_rounded_down_so_a_shown_pass_mark_has_been_reached() {
    assert_eq!(score_text(Some(69.7)), "69");
    assert_eq!(score_text(Some(70.0)), "70");
    assert_eq!(score_text(Some(100.0)), "100");
    assert_eq!(score_text(Some(0.4)), "0");
    assert_eq!(score_text(None), "–");
    assert_eq!(score_text(Some(f64::NAN)), "–");
}
