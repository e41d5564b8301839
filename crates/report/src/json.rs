//! JSON: every verdict of every scenario with all its metrics.
//!
//! ```json
//! { "run": { "needlebench_version", "command_line", "host", "started_utc", "duration_s",
//!            "jobs" },
//!   "totals": { "scenarios": 3, "pass": 1, "not_checked": 0, … },
//!   "scenarios": [ { "name", "path", "status", "detail", "negative", "wall_s", "run": {…} | null,
//!                    "error": null | "why it could not run", "divergence": null | "…",
//!                    "completion", "recording", "recording_files": […],
//!                    "expectations": { "kind": "recording" | "file" | "none", "path"? },
//!                    "expectations_text", "limits": {…}, "punctures", "ticks", "markers": […],
//!                    "verdicts": [ { "criterion", "description", "actual", "actual_text",
//!                                    "expected", "unit", "outcome", "first_failure",
//!                                    "metrics": { name: value, … } } ] } ] }
//! ```
//!
//! The plot data (density grid, depth histogram, time series) is left out: it is in the
//! recording and drawn in the HTML report. Non-finite numbers become `null`.

use crate::{RunInfo, ScenarioResult, totals};
use needlebench_checks::Outcome;
use serde_json::{Value, json};

/// The JSON document for `results` of the run `info`.
pub fn json(results: &[ScenarioResult], info: &RunInfo) -> Value {
    json!({
        "run": info,
        "totals": totals(results),
        "scenarios": results.iter().map(scenario).collect::<Vec<_>>(),
    })
}

fn scenario(r: &ScenarioResult) -> Value {
    let mut v = json!({
        "name": r.name,
        "path": r.path,
        "status": r.status(),
        "wall_s": r.wall_s,
        "run": r.run,
        "divergence": r.divergence,
        "negative": r.negative,
        "detail": r.detail(),
        "error": r.report.as_ref().err(),
        "failed_criteria": r.failed_criteria(),
        "not_checked_criteria": r.criteria_with(Outcome::NotChecked),
        "recording_files": r.recording_files,
    });
    if let (Ok(report), Some(obj)) = (&r.report, v.as_object_mut()) {
        obj.insert("completion".into(), json!(report.completion));
        obj.insert("recording".into(), json!(report.recording));
        obj.insert("expectations".into(), json!(report.expectations));
        obj.insert(
            "expectations_text".into(),
            json!(report.expectations.describe()),
        );
        obj.insert("limits".into(), json!(r.limits.resolve(report)));
        obj.insert("punctures".into(), json!(report.punctures));
        obj.insert("ticks".into(), json!(report.ticks));
        obj.insert("markers".into(), json!(report.markers));
        obj.insert("verdicts".into(), json!(report.verdicts));
    }
    v
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::fixture;

    #[test]
    fn every_metric_of_every_criterion_is_there() {
        let results = fixture::suite();
        let doc = json(&results, &fixture::run_info());
        let scenarios = doc["scenarios"].as_array().expect("array");
        assert_eq!(scenarios.len(), results.len());
        for (r, s) in results.iter().zip(scenarios) {
            assert_eq!(s["name"], r.name.as_str());
            let Ok(report) = &r.report else {
                assert_eq!(s["status"], "not_run");
                assert!(
                    s["error"]
                        .as_str()
                        .expect("error text")
                        .contains("unknown key")
                );
                continue;
            };
            let verdicts = s["verdicts"].as_array().expect("verdicts");
            assert_eq!(verdicts.len(), report.verdicts.len());
            for (v, j) in report.verdicts.iter().zip(verdicts) {
                assert_eq!(j["criterion"], v.criterion.as_str());
                assert_eq!(j["outcome"], v.outcome.name());
                assert_eq!(j["actual"].as_f64(), Some(v.actual));
                let metrics = j["metrics"].as_object().expect("metrics");
                assert_eq!(metrics.len(), v.metrics.len());
                for (k, value) in &v.metrics {
                    assert_eq!(metrics[k].as_f64(), Some(*value), "{k}");
                }
            }
        }
    }

    #[test]
    fn totals_and_failed_criteria() {
        let doc = json(&fixture::suite(), &fixture::run_info());
        assert_eq!(doc["totals"]["scenarios"], 4);
        assert_eq!(doc["totals"]["not_checked"], 1);
        assert_eq!(doc["totals"]["pass"], 1);
        assert_eq!(doc["totals"]["fail"], 1);
        assert_eq!(doc["totals"]["not_run"], 1);
        assert_eq!(
            doc["scenarios"][1]["failed_criteria"],
            json!(["depth.max", "firmware.fault_stop"])
        );
        assert_eq!(doc["scenarios"][1]["status"], "fail");
    }

    #[test]
    fn run_info_and_expectations_are_there() {
        let doc = json(&fixture::suite(), &fixture::run_info());
        assert_eq!(doc["run"]["host"], "bench-01");
        assert_eq!(doc["run"]["started_utc"], "2026-11-29T19:48:13Z");
        assert_eq!(doc["run"]["jobs"], 2);
        assert!(doc["run"].get("html_dir").is_none());
        let unverified = &doc["scenarios"][3];
        assert_eq!(unverified["status"], "not_checked");
        assert_eq!(unverified["expectations"]["kind"], "none");
        assert_eq!(unverified["not_checked_criteria"], json!(["depth.max"]));
        assert_eq!(doc["scenarios"][0]["expectations"]["kind"], "recording");
        assert_eq!(doc["scenarios"][0]["run"]["seed"], 42);
    }

    #[test]
    fn survives_a_round_trip_through_text() {
        let mut results = fixture::suite();
        if let Ok(r) = &mut results[0].report {
            r.verdicts[0].actual = f64::NAN;
        }
        let text = json(&results, &fixture::run_info()).to_string();
        let back: Value = serde_json::from_str(&text).expect("valid JSON");
        assert!(back["scenarios"][0]["verdicts"][0]["actual"].is_null());
    }
}
