//! `needlebench run` ending with verdicts, `needlebench check` and `needlebench diff` on real
//! recordings of shipped scenarios.

use crate::support::needlebench;
use serde_json::Value;
use std::path::Path;
use std::process::Output;

fn scenario(name: &str) -> String {
    format!("{}/../../scenarios/{name}.toml", env!("CARGO_MANIFEST_DIR"))
}

fn text(o: &Output) -> String {
    format!(
        "{}{}",
        String::from_utf8_lossy(&o.stdout),
        String::from_utf8_lossy(&o.stderr)
    )
}

/// Run `name` into `out` (extra args appended) and return the process output.
fn run(name: &str, out: &Path, extra: &[&str]) -> Output {
    let s = scenario(name);
    let out = out.to_str().expect("utf-8 path");
    let mut args = vec!["run", s.as_str(), "--out", out, "-q"];
    args.extend_from_slice(extra);
    needlebench(&args)
}

/// `check --json` of `dir` against scenario `name`: (exit code, report).
fn check_json(dir: &Path, name: &str) -> (Option<i32>, Value) {
    let s = scenario(name);
    let o = needlebench(&[
        "check",
        dir.to_str().expect("utf-8"),
        "--scenario",
        &s,
        "--json",
    ]);
    let report = serde_json::from_slice(&o.stdout).unwrap_or_else(|e| panic!("{e}: {}", text(&o)));
    (o.status.code(), report)
}

/// criterion → (outcome, actual).
fn outcomes(report: &Value) -> Vec<(String, String, f64)> {
    report["verdicts"]
        .as_array()
        .expect("verdicts")
        .iter()
        .map(|v| {
            (
                v["criterion"].as_str().unwrap_or("").to_owned(),
                v["outcome"].as_str().unwrap_or("").to_owned(),
                v["actual"].as_f64().unwrap_or(f64::NAN),
            )
        })
        .collect()
}

/// The table line of `criterion` in `stdout`.
fn line<'a>(stdout: &'a str, criterion: &str) -> &'a str {
    stdout
        .lines()
        .find(|l| l.split_whitespace().next() == Some(criterion))
        .unwrap_or_else(|| panic!("no line for {criterion} in\n{stdout}"))
}

#[test]
fn the_clean_forehead_run_passes_every_check_and_rechecks_the_same() {
    let tmp = tempfile::tempdir().expect("tmp");
    let dir = tmp.path().join("rec");
    let o = run("forehead-fine-lines-0.5mm", &dir, &[]);
    let stdout = String::from_utf8_lossy(&o.stdout).into_owned();
    assert_eq!(o.status.code(), Some(0), "{}", text(&o));
    assert!(line(&stdout, "depth.max").contains("PASS"), "{stdout}");
    assert!(stdout.contains("0 failed"), "{stdout}");
    let (code, report) = check_json(&dir, "forehead-fine-lines-0.5mm");
    assert_eq!(code, Some(0));
    let verdicts = outcomes(&report);
    assert!(verdicts.len() >= 13, "{verdicts:?}");
    // no face map to judge zones on, no fault to stop for or move in, no real-time schedule:
    // not applicable, never a pass
    let judged = |(c, o, _): &(String, String, f64)| {
        o == "pass"
            || (o == "not_applicable"
                && [
                    "zone.depth",
                    "zone.forbidden_layers",
                    "zone.density",
                    "zone.coverage",
                    "zone.tram_tracks",
                    "zone.outside",
                    "firmware.fault_stop",
                    "firmware.no_motion_in_fault",
                    "link.lag",
                ]
                .contains(&c.as_str()))
    };
    assert!(verdicts.iter().all(judged), "{verdicts:?}");
    let meta = std::fs::read_to_string(dir.join("meta.toml")).expect("meta");
    let punctures = report["punctures"].as_u64().expect("punctures");
    assert!(punctures > 0 && meta.contains(&format!("punctures = {punctures}")));
}

#[test]
fn the_over_treatment_run_fails_density_and_tram_tracks_only() {
    let tmp = tempfile::tempdir().expect("tmp");
    let dir = tmp.path().join("rec");
    let o = run("over-treatment-slow-glide", &dir, &[]);
    let stdout = String::from_utf8_lossy(&o.stdout).into_owned();
    assert_eq!(o.status.code(), Some(1), "{}", text(&o));
    assert!(line(&stdout, "density.range").contains("FAIL"), "{stdout}");
    assert!(
        line(&stdout, "density.tram_tracks").contains("FAIL"),
        "{stdout}"
    );
    let (code, report) = check_json(&dir, "over-treatment-slow-glide");
    assert_eq!(code, Some(1));
    let failed: Vec<_> = outcomes(&report)
        .into_iter()
        .filter(|(_, o, _)| o != "pass" && o != "not_applicable")
        .collect();
    let names: Vec<&str> = failed.iter().map(|(c, _, _)| c.as_str()).collect();
    assert_eq!(
        names,
        ["density.range", "density.tram_tracks"],
        "{failed:?}"
    );
    // the scenario's limit is 30 000 /cm²; the slow glide puts several times that in a cell
    assert!(failed[0].2 > 60_000.0, "{failed:?}");
    assert!(failed[1].2 >= 1.0, "{failed:?}");
}

#[test]
fn the_stall_run_raises_exactly_the_expected_fault_and_stops_in_time() {
    let tmp = tempfile::tempdir().expect("tmp");
    let dir = tmp.path().join("rec");
    let o = run("excessive-pressure-stall", &dir, &[]);
    assert!(o.status.code().is_some_and(|c| c <= 1), "{}", text(&o));
    let (_, report) = check_json(&dir, "excessive-pressure-stall");
    let v = outcomes(&report);
    let get = |c: &str| v.iter().find(|(n, _, _)| n == c).cloned().expect(c);
    assert_eq!(get("firmware.expected_faults").1, "pass", "{v:?}");
    assert!(
        (get("firmware.expected_faults").2 - 1.0).abs() < 1e-9,
        "{v:?}"
    );
    let stop = get("firmware.fault_stop");
    assert_eq!(stop.1, "pass", "{v:?}");
    assert!(stop.2 <= 100.0, "{stop:?}");
    assert!(
        report["markers"]
            .as_array()
            .expect("markers")
            .iter()
            .any(|m| m["label"] == "stall")
    );
}

#[test]
fn diff_finds_same_runs_the_same_and_names_the_first_edited_value() {
    let tmp = tempfile::tempdir().expect("tmp");
    let (a, b, c) = (
        tmp.path().join("a"),
        tmp.path().join("b"),
        tmp.path().join("c"),
    );
    for dir in [&a, &b] {
        run("glabella-stamping-0.5mm", dir, &[]);
    }
    run("glabella-stamping-0.5mm", &c, &["--seed", "12345"]);
    let s = |p: &Path| p.to_str().expect("utf-8").to_owned();
    let o = needlebench(&["diff", &s(&a), &s(&b)]);
    assert_eq!(o.status.code(), Some(0), "{}", text(&o));
    assert!(
        String::from_utf8_lossy(&o.stdout)
            .trim_end()
            .ends_with("same")
    );
    let o = needlebench(&["diff", &s(&a), &s(&c)]);
    assert_eq!(o.status.code(), Some(1), "{}", text(&o));
    // edit one depth in B by hand
    let path = b.join("punctures.csv");
    let csv = std::fs::read_to_string(&path).expect("read");
    let mut lines: Vec<String> = csv.lines().map(str::to_owned).collect();
    let col = lines[0]
        .split(',')
        .position(|h| h == "depth_um")
        .expect("depth_um");
    let mut fields: Vec<String> = lines[3].split(',').map(str::to_owned).collect();
    let old = fields[col].clone();
    fields[col] = "999.9".into();
    lines[3] = fields.join(",");
    std::fs::write(&path, lines.join("\n") + "\n").expect("write");
    let o = needlebench(&["diff", &s(&a), &s(&b)]);
    let out = text(&o);
    assert_eq!(o.status.code(), Some(1), "{out}");
    assert!(out.contains("punctures.csv row 3"), "{out}");
    assert!(
        out.contains(&format!("column depth_um: {old} vs 999.9")),
        "{out}"
    );
    // a tolerance wide enough accepts it
    let o = needlebench(&["diff", &s(&a), &s(&b), "--abs", "1000"]);
    assert_eq!(o.status.code(), Some(0), "{}", text(&o));
}

#[test]
fn bad_recordings_are_exit_3_and_bad_tolerances_exit_2() {
    let tmp = tempfile::tempdir().expect("tmp");
    let missing = tmp.path().join("nothing-here");
    let o = needlebench(&["check", missing.to_str().expect("utf-8")]);
    assert_eq!(o.status.code(), Some(3), "{}", text(&o));
    assert!(text(&o).contains("nothing-here"), "{}", text(&o));
    let dir = tmp.path().join("rec");
    run("link-garbage-recovers", &dir, &[]);
    let path = dir.join("punctures.csv");
    let csv = std::fs::read_to_string(&path).expect("read");
    std::fs::write(&path, &csv[..csv.len() - 3]).expect("truncate");
    let o = needlebench(&["check", dir.to_str().expect("utf-8")]);
    assert_eq!(o.status.code(), Some(3), "{}", text(&o));
    assert!(text(&o).contains("punctures.csv"), "{}", text(&o));
    let d = dir.to_str().expect("utf-8");
    let o = needlebench(&["diff", d, d, "--rel=-1"]);
    assert_eq!(o.status.code(), Some(2), "{}", text(&o));
    assert!(
        text(&o).contains("--rel must be a finite number"),
        "{}",
        text(&o)
    );
}

#[test]
fn a_scenario_naming_a_golden_recording_fails_on_a_divergence() {
    let tmp = tempfile::tempdir().expect("tmp");
    let toml = std::fs::read_to_string(scenario("glabella-stamping-0.5mm")).expect("scenario");
    assert!(
        toml.trim_end()
            .lines()
            .last()
            .is_some_and(|l| l.starts_with("faults"))
    );
    let with_golden = tmp.path().join("glabella-stamping-0.5mm.toml");
    std::fs::write(
        &with_golden,
        format!("{}\ngolden = \"golden\"\n", toml.trim_end()),
    )
    .expect("write");
    let golden = tmp.path().join("golden");
    run("glabella-stamping-0.5mm", &golden, &[]);
    let rec = tmp.path().join("rec");
    let s = |p: &Path| p.to_str().expect("utf-8").to_owned();
    // `run` of the scenario with a golden compares with it
    let o = needlebench(&["run", &s(&with_golden), "--out", &s(&rec), "-q"]);
    let stdout = String::from_utf8_lossy(&o.stdout).into_owned();
    assert_eq!(o.status.code(), Some(0), "{}", text(&o));
    assert!(line(&stdout, "golden").contains("PASS"), "{stdout}");
    // one edited value in the telemetry fails it, naming where
    let path = rec.join("telemetry.csv");
    let csv = std::fs::read_to_string(&path).expect("read");
    let edited = csv.replacen("\n1000,1,", "\n1000,2,", 1);
    assert_ne!(csv, edited, "tick 1 at t = 1000 µs");
    std::fs::write(&path, edited).expect("write");
    let o = needlebench(&["check", &s(&rec), "--scenario", &s(&with_golden)]);
    let stdout = String::from_utf8_lossy(&o.stdout).into_owned();
    assert_eq!(o.status.code(), Some(1), "{}", text(&o));
    let golden_line = line(&stdout, "golden");
    assert!(golden_line.contains("FAIL"), "{stdout}");
    assert!(golden_line.contains("telemetry.csv row 2") && golden_line.contains("tick: 2 vs 1"));
}
