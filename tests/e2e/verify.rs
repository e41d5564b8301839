//! `needlebench verify`: a small suite (two shipped verification scenarios) writes the three
//! report files with one row per requirement and variant; an existing report needs --force.

use crate::support::needlebench;
use serde_json::Value;
use std::path::Path;

const SUITE: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../../scenarios/verification");
const VARIANTS: [&str; 2] = ["depth-rate-0.25mm-level-1", "fault-link-loss"];

#[test]
fn verify_writes_html_json_and_csv_with_a_row_per_requirement_and_variant() {
    let tmp = tempfile::tempdir().unwrap();
    let suite = tmp.path().join("suite");
    std::fs::create_dir(&suite).unwrap();
    for v in VARIANTS {
        let name = format!("{v}.toml");
        std::fs::copy(Path::new(SUITE).join(&name), suite.join(&name)).unwrap();
    }
    let out = tmp.path().join("out");
    let args = [
        "verify",
        "--suite",
        suite.to_str().unwrap(),
        "--out",
        out.to_str().unwrap(),
    ];
    let run = needlebench(&args);
    let log =
        String::from_utf8_lossy(&run.stderr).into_owned() + &String::from_utf8_lossy(&run.stdout);
    assert_eq!(run.status.code(), Some(0), "{log}");

    // CSV: 4 requirements × 2 variants
    let csv = std::fs::read_to_string(out.join("report.csv")).unwrap();
    let rows: Vec<&str> = csv.lines().skip(1).collect();
    assert_eq!(rows.len(), 8, "{csv}");
    for (id, judged_by) in [
        ("DV-1", "depth-rate-0.25mm-level-1"),
        ("DV-2", "depth-rate-0.25mm-level-1"),
        ("DV-3", "fault-link-loss"),
        ("DV-4", "fault-link-loss"),
    ] {
        let row = rows
            .iter()
            .find(|r| {
                r.starts_with(&format!("{id},")) && r.contains(&format!(",{judged_by},pass,"))
            })
            .unwrap_or_else(|| panic!("{id} passed by {judged_by}: {csv}"));
        assert!(row.contains("878.4430"), "{row}");
    }
    // the depth variant raises no fault: DV-4 is N/A there (never PASS)
    assert!(
        rows.iter()
            .any(|r| r.starts_with("DV-4,")
                && r.contains(",depth-rate-0.25mm-level-1,not_applicable,")),
        "{csv}"
    );

    // JSON: every requirement met, reproducible from hashes and seeds
    let json: Value =
        serde_json::from_str(&std::fs::read_to_string(out.join("report.json")).unwrap()).unwrap();
    let reqs = json["requirements"].as_array().unwrap();
    assert_eq!(reqs.len(), 4);
    assert!(reqs.iter().all(|r| r["result"] == "pass"), "{json}");
    let variants = json["variants"].as_array().unwrap();
    assert_eq!(variants.len(), 2);
    for v in variants {
        assert_eq!(v["scenario_hash"].as_str().unwrap().len(), 64);
        assert!(v["seed"].as_u64().is_some());
    }
    assert!(
        json["firmware"][0]
            .as_str()
            .unwrap()
            .starts_with("needlebench-reference ")
    );

    // HTML: the disclaimer, a table per requirement, plots, links to recordings
    let html = std::fs::read_to_string(out.join("report.html")).unwrap();
    assert!(html.contains("not a regulatory submission"));
    for id in ["DV-1", "DV-2", "DV-3", "DV-4"] {
        assert!(html.contains(&format!(r#"id="{id}""#)), "{id}");
    }
    assert!(html.matches("<svg").count() >= 3);
    assert!(html.contains(r#"href="fault-link-loss/events.csv""#));
    assert!(out.join("fault-link-loss/events.csv").is_file());

    // a second run refuses to overwrite the report (6), --force replaces it (0)
    let again = needlebench(&args);
    assert_eq!(again.status.code(), Some(6));
    assert!(String::from_utf8_lossy(&again.stderr).contains("--force"));
    let mut forced = args.to_vec();
    forced.push("--force");
    assert_eq!(needlebench(&forced).status.code(), Some(0));
}
