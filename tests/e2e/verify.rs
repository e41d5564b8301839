//! `needlebench verify`: a small suite (the shipped depth matrix cut to two exposures, and the
//! link-loss fault) writes the three report files with one row per requirement and variant;
//! an existing report needs --force.

use crate::support::needlebench;
use serde_json::Value;
use std::path::Path;

const SUITE: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../../scenarios/verification");
/// One of the two depth variants of the small suite (the other is at 2.5 mm).
const DEPTH: &str = "depth-setting[exposure_mm=0.5,speed_level=6]";

#[test]
fn verify_writes_html_json_and_csv_with_a_row_per_requirement_and_variant() {
    let tmp = tempfile::tempdir().unwrap();
    let suite = tmp.path().join("suite");
    std::fs::create_dir(&suite).unwrap();
    std::fs::copy(
        Path::new(SUITE).join("fault-link-loss.toml"),
        suite.join("fault-link-loss.toml"),
    )
    .unwrap();
    let depth = std::fs::read_to_string(Path::new(SUITE).join("depth-setting.toml")).unwrap();
    let (base, _) = depth.split_once("[matrix]").expect("a matrix");
    let small =
        format!("{base}[matrix]\n\"pen.exposure_mm\" = [0.5, 2.5]\n\"pen.speed_level\" = [6]\n");
    std::fs::write(suite.join("depth-setting.toml"), small).unwrap();
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

    // CSV: 4 requirements × 3 variants (the matrix gives two); a variant's name has commas,
    // so it is quoted
    let csv = std::fs::read_to_string(out.join("report.csv")).unwrap();
    let rows: Vec<&str> = csv.lines().skip(1).collect();
    assert_eq!(rows.len(), 12, "{csv}");
    let depth = format!("\"{DEPTH}\"");
    for (id, judged_by) in [
        ("DV-1", depth.as_str()),
        ("DV-2", depth.as_str()),
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
    // the depth variants raise no fault: DV-4 is N/A there (never PASS)
    assert!(
        rows.iter()
            .any(|r| r.starts_with("DV-4,") && r.contains(&format!(",{depth},not_applicable,"))),
        "{csv}"
    );

    // JSON: every requirement met, reproducible from hashes and seeds
    let json: Value =
        serde_json::from_str(&std::fs::read_to_string(out.join("report.json")).unwrap()).unwrap();
    let reqs = json["requirements"].as_array().unwrap();
    assert_eq!(reqs.len(), 4);
    assert!(reqs.iter().all(|r| r["result"] == "pass"), "{json}");
    let variants = json["variants"].as_array().unwrap();
    assert_eq!(variants.len(), 3);
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
    // a variant's recording is in its own directory, linked from the report
    let variant_dir = "depth-setting@exposure_mm=0.5,speed_level=6";
    assert!(out.join(variant_dir).join("meta.toml").is_file());
    assert!(html.contains(&format!(r#"href="{variant_dir}/""#)));

    // a second run refuses to overwrite the report (6), --force replaces it (0)
    let again = needlebench(&args);
    assert_eq!(again.status.code(), Some(6));
    assert!(String::from_utf8_lossy(&again.stderr).contains("--force"));
    let mut forced = args.to_vec();
    forced.push("--force");
    assert_eq!(needlebench(&forced).status.code(), Some(0));
}
