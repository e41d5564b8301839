//! A treatment plan's recording judged zone by zone, in every report: the terminal table of
//! `run` and `check`, and regress's JUnit, JSON and HTML.

use crate::support::{needlebench, text};
use serde_json::Value;

/// Two zones of the default face map; the nose at 1.0 mm, twice its chart's deepest.
const PLAN: &str = r#"name = "zones-e2e"
[pen]
cartridge = "12"
speed_level = 6
[plan]
pause_s = 0.5
[[plan.zone]]
zone = "nose"
exposure_mm = 1.0
pattern = "straight"
line_spacing_mm = 4.0
glide_mm_s = 25.0
[[plan.zone]]
zone = "chin"
exposure_mm = 1.0
pattern = "straight"
line_spacing_mm = 4.0
glide_mm_s = 25.0
"#;

#[test]
fn a_plan_is_judged_zone_by_zone_in_the_table_junit_json_and_html() {
    let tmp = tempfile::tempdir().expect("tmp");
    let suite = tmp.path().join("suite");
    std::fs::create_dir_all(&suite).expect("mkdir");
    std::fs::write(suite.join("zones-e2e.toml"), PLAN).expect("scenario");
    let p = |name: &str| tmp.path().join(name).to_str().expect("utf-8").to_owned();
    let out = needlebench(&[
        "regress",
        suite.to_str().expect("utf-8"),
        "--out",
        &p("recs"),
        "--junit",
        &p("junit.xml"),
        "--json",
        &p("report.json"),
        "--html",
        &p("report.html"),
        "-q",
    ]);
    assert_eq!(out.status.code(), Some(1), "{}", text(&out));
    let setting = "nose: setting 1.00 mm above the chart's 0.25–0.50 mm";
    // JSON: one verdict per zone and criterion
    let json: Value =
        serde_json::from_str(&std::fs::read_to_string(p("report.json")).expect("json"))
            .expect("parse");
    let verdicts = json["scenarios"][0]["verdicts"]
        .as_array()
        .expect("verdicts");
    let find = |c: &str| {
        verdicts
            .iter()
            .find(|v| v["criterion"] == c)
            .unwrap_or_else(|| panic!("no {c}"))
    };
    let nose = find("zone.depth.nose");
    assert_eq!(nose["outcome"], "fail");
    assert!(
        nose["actual_text"]
            .as_str()
            .expect("text")
            .starts_with(setting),
        "{nose}"
    );
    assert_eq!(find("zone.depth.chin")["outcome"], "pass");
    for c in ["zone.coverage.nose", "zone.density.chin", "zone.outside"] {
        assert_ne!(find(c)["outcome"], "not_applicable", "{c}");
    }
    // JUnit: a test case per zone criterion, the nose's failing with its evidence
    let xml = std::fs::read_to_string(p("junit.xml")).expect("junit");
    let case = xml
        .split("<testcase ")
        .find(|c| c.starts_with("name=\"zone.depth.nose\""))
        .expect("zone.depth.nose case");
    assert!(
        case.contains("<failure") && case.contains("1.00 mm above"),
        "{case}"
    );
    // HTML: the verdict row
    let html = std::fs::read_to_string(p("report.html")).expect("html");
    assert!(
        html.contains("zone.depth.nose")
            && html.contains("1.00 mm above the chart&#39;s 0.25–0.50 mm")
    );
    // the terminal table of `check` on the recording
    let rec = std::fs::read_dir(tmp.path().join("recs"))
        .expect("recs")
        .map(|e| e.expect("entry").path())
        .find(|d| d.join("meta.toml").is_file())
        .expect("a recording");
    let out = needlebench(&["check", rec.to_str().expect("utf-8")]);
    assert_eq!(out.status.code(), Some(1), "{}", text(&out));
    let stdout = String::from_utf8_lossy(&out.stdout);
    let line = stdout
        .lines()
        .find(|l| l.starts_with("zone.depth.nose "))
        .unwrap_or_else(|| panic!("{stdout}"));
    assert!(line.contains("FAIL") && line.contains(setting), "{line}");
}
