//! JSON: every verdict of every scenario with all its metrics, and everything a merge of
//! shard reports needs to rebuild the JUnit and HTML reports of the whole run.
//!
//! ```json
//! { "run": { "needlebench_version", "command_line", "host", "started_utc", "duration_s",
//!            "jobs", "shard": null | { "index", "count" }, "suite_size" },
//!   "totals": { "scenarios": 3, "pass": 1, "not_checked": 0, … },
//!   "scenarios": [ { "name", "path", "status", "detail", "negative", "wall_s", "run": {…} | null,
//!                    "error": null | "why it could not run", "divergence": null | "…",
//!                    "unit", "variant": null | { "base_name", "seed",
//!                                               "values": [ { "key", "value", "in_name" } ] },
//!                    "plot_limits": {…},
//!                    "completion", "recording", "recording_files": […],
//!                    "expectations": { "kind": "recording" | "file" | "none", "path"? },
//!                    "expectations_text", "limits": {…}, "punctures", "ticks", "markers": […],
//!                    "scenario", "firmware_log": […],
//!                    "plots": { "density": {…}, "depths": {…}, "series": […] },
//!                    "verdicts": [ { "criterion", "description", "actual", "actual_text",
//!                                    "expected", "unit", "outcome", "first_failure",
//!                                    "metrics": { name: value, … } } ] } ] }
//! ```
//!
//! `unit` is the scenario's position in the whole suite (before `--shard`), `variant` the
//! matrix values of a variant; `limits` are the plot limits resolved against the verdicts,
//! `plot_limits` those the runner gave (what [`result_from_json`] reads back). `plots` holds
//! the plot data (density grid, depth histogram, time series ≤ 2000 points), `firmware_log`
//! the lines JUnit puts in `system-out`. Since `unit`, `variant`, `plot_limits`, `scenario`,
//! `firmware_log`, `plots`, `run.shard` and `run.suite_size` were added, a reader of the older
//! form still reads this one; [`result_from_json`] refuses an entry without them, naming what
//! is missing. Non-finite numbers become `null` (read back as NaN).
//! `needlebench regress --json` writes one scenario per line ([`write_json`]).

use crate::{RunInfo, ScenarioResult, Totals, totals};
use needlebench_checks::{CheckReport, Outcome};
use serde_json::{Value, json};
use std::io::Write;

/// The JSON document for `results` of the run `info`.
pub fn json(results: &[ScenarioResult], info: &RunInfo) -> Value {
    json!({
        "run": info,
        "totals": totals(results),
        "scenarios": results.iter().map(scenario_json).collect::<Vec<_>>(),
    })
}

/// Writes the JSON document of a run whose scenarios are given one by one, each already
/// serialised ([`scenario_json`] as text, in order), without holding them all: `{"run":…,
/// "totals":…, "scenarios":[` then one scenario per line, then `]}`.
pub fn write_json<W: Write, E: From<std::io::Error>>(
    mut out: W,
    info: &RunInfo,
    totals: &Totals,
    scenarios: impl IntoIterator<Item = Result<String, E>>,
) -> Result<(), E> {
    let head = json!({ "run": info, "totals": totals });
    write!(
        out,
        "{{\"run\":{},\n\"totals\":{},\n\"scenarios\":[",
        head["run"], head["totals"]
    )?;
    for (i, s) in scenarios.into_iter().enumerate() {
        let s = s?;
        out.write_all(if i == 0 { b"\n" } else { b",\n" })?;
        out.write_all(s.as_bytes())?;
    }
    out.write_all(b"\n]}\n")?;
    out.flush()?;
    Ok(())
}

/// The JSON object of one scenario (module docs).
pub fn scenario_json(r: &ScenarioResult) -> Value {
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
        "unit": r.unit,
        "variant": r.variant,
        "plot_limits": r.limits,
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
        obj.insert("scenario".into(), json!(report.scenario));
        obj.insert("firmware_log".into(), json!(report.firmware_log));
        obj.insert(
            "plots".into(),
            json!({
                "density": report.density,
                "depths": report.depths,
                "series": report.series,
            }),
        );
    }
    v
}

/// The result a [`scenario_json`] object describes; the error names the first key missing or
/// malformed.
pub fn result_from_json(v: &Value) -> Result<ScenarioResult, String> {
    fn get<T: serde::de::DeserializeOwned>(v: &Value, key: &str) -> Result<T, String> {
        let field = v.get(key).ok_or_else(|| format!("no `{key}`"))?;
        serde_json::from_value(field.clone()).map_err(|e| format!("`{key}`: {e}"))
    }
    let report = match v.get("error") {
        Some(Value::String(why)) => Err(why.clone()),
        _ => {
            let plots = v.get("plots").ok_or("no `plots`")?;
            let report = json!({
                "scenario": v.get("scenario").ok_or("no `scenario`")?,
                "recording": v.get("recording").ok_or("no `recording`")?,
                "completion": v.get("completion").ok_or("no `completion`")?,
                "expectations": v.get("expectations").ok_or("no `expectations`")?,
                "verdicts": v.get("verdicts").ok_or("no `verdicts`")?,
                "density": plots.get("density").ok_or("no `plots.density`")?,
                "depths": plots.get("depths").ok_or("no `plots.depths`")?,
                "series": plots.get("series").ok_or("no `plots.series`")?,
                "markers": v.get("markers").ok_or("no `markers`")?,
                "firmware_log": v.get("firmware_log").ok_or("no `firmware_log`")?,
                "punctures": v.get("punctures").ok_or("no `punctures`")?,
                "ticks": v.get("ticks").ok_or("no `ticks`")?,
            });
            Ok(serde_json::from_value::<CheckReport>(report).map_err(|e| e.to_string())?)
        }
    };
    Ok(ScenarioResult {
        name: get(v, "name")?,
        path: get(v, "path")?,
        report,
        wall_s: get(v, "wall_s")?,
        run: get(v, "run")?,
        divergence: get(v, "divergence")?,
        negative: get(v, "negative")?,
        recording_files: get(v, "recording_files")?,
        limits: get(v, "plot_limits")?,
        unit: get(v, "unit")?,
        variant: get(v, "variant")?,
    })
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

    #[test]
    fn every_result_reads_back_from_its_json_object() {
        for r in fixture::suite() {
            let text = scenario_json(&r).to_string();
            let back = result_from_json(&serde_json::from_str(&text).expect("json")).expect("read");
            // Compared as JSON: NaN (a gap in a plot) is not equal to itself.
            assert_eq!(scenario_json(&back), scenario_json(&r), "{}", r.name);
        }
    }

    #[test]
    fn the_streamed_document_equals_the_whole_one() {
        let results = fixture::suite();
        let info = fixture::run_info();
        let mut out = Vec::new();
        let lines = results
            .iter()
            .map(|r| Ok::<_, std::io::Error>(scenario_json(r).to_string()));
        write_json(&mut out, &info, &totals(&results), lines).expect("write");
        let streamed: Value = serde_json::from_slice(&out).expect("valid JSON");
        assert_eq!(streamed, json(&results, &info));
    }

    #[test]
    fn an_entry_of_the_older_form_is_refused_naming_what_is_missing() {
        let mut v = scenario_json(&fixture::suite()[0]);
        v.as_object_mut().expect("object").remove("plots");
        assert_eq!(result_from_json(&v).expect_err("refused"), "no `plots`");
    }
}
