//! The clean recording passes; depth, link and run criteria fail with the right values;
//! a hand edit flips exactly `depth.max`; bad input is a typed error.

use crate::support::{
    clean, close, expect, given, names, not_applicable, not_passed, tmp_run, verdict,
};
use needlebench_checks::{CheckError, Outcome, check, render_table};
use needlebench_recording::{
    ClockMode, EndReason, FORMAT_VERSION, Layer, LinkCounters, Recording, RunStatus, Timing,
};

#[test]
fn the_clean_recording_passes_every_criterion() {
    let report = clean().check(&expect());
    assert_eq!(not_passed(&report), vec![]);
    // no face map to judge zones on, no fault to stop for, no fault to move in, no
    // real-time schedule to lag behind
    assert_eq!(
        not_applicable(&report),
        [
            "zone.depth",
            "zone.forbidden_layers",
            "zone.density",
            "zone.coverage",
            "zone.tram_tracks",
            "zone.outside",
            "firmware.fault_stop",
            "firmware.no_motion_in_fault",
            "link.lag"
        ]
    );
    assert_eq!(
        names(&report),
        [
            "depth.max",
            "depth.forbidden_layer",
            "depth.target_fraction",
            "density.range",
            "density.coverage",
            "density.tram_tracks",
            "zone.depth",
            "zone.forbidden_layers",
            "zone.density",
            "zone.coverage",
            "zone.tram_tracks",
            "zone.outside",
            "firmware.stroke_hz",
            "firmware.fault_stop",
            "firmware.no_motion_in_fault",
            "firmware.expected_faults",
            "link.crc_rate",
            "link.lag",
            "run.complete",
            "run.consistency",
        ]
    );
    assert_eq!(report.punctures, 1600);
    assert_eq!(report.ticks, 3000);
    assert!(close(verdict(&report, "depth.max").actual, 300.0));
    assert!(close(verdict(&report, "depth.target_fraction").actual, 1.0));
    assert!(report.series.len() <= 2000 && !report.series.is_empty());
    let hist_total: u64 = report.depths.counts.iter().sum();
    assert_eq!(hist_total, 1600);
    assert_eq!(
        report.depths.counts[30], 1600,
        "300 µm lands in the 300–310 µm bin"
    );
    assert_eq!(
        report.depths.layer_boundaries_um,
        // SC, VE, PD, RD, fat, 2 mm of muscle; no cartilage; the bone floor has no thickness
        [
            0.0, 15.0, 75.0, 225.0, 1065.0, 4065.0, 6065.0, 6065.0, 6065.0
        ]
    );
    assert_eq!(report.depths.floor, Some(Layer::Bone));
    let table = render_table(&report);
    assert!(
        table.contains("depth.max")
            && table.contains("PASS: 11 passed")
            && table.contains("9 not applicable"),
        "{table}"
    );
}

#[test]
fn a_puncture_beyond_exposure_plus_tolerance_is_acceptable_then_fails() {
    // exposure 500 + tolerance 50 = 550 passes; up to 600 acceptable; deeper fails
    for (depth, outcome) in [
        (550.0, Outcome::Pass),
        (580.0, Outcome::Acceptable),
        (700.0, Outcome::Fail),
    ] {
        let mut s = clean();
        s.punctures[37].depth_um = depth;
        let p = s.punctures[37];
        let report = s.check(&expect());
        let v = verdict(&report, "depth.max");
        assert_eq!(v.outcome, outcome, "depth {depth}");
        assert!(close(v.actual, f64::from(depth)), "{}", v.actual);
        if outcome != Outcome::Pass {
            let at = v.first_failure.expect("location");
            assert_eq!(at.t_us, Some(p.t_us));
            assert!(close(at.x_mm.unwrap_or(f64::NAN), f64::from(p.x_mm)));
            assert!(close(at.y_mm.unwrap_or(f64::NAN), f64::from(p.y_mm)));
        }
        assert_eq!(
            not_passed(&report).len(),
            usize::from(outcome != Outcome::Pass)
        );
    }
}

#[test]
fn a_non_finite_depth_fails_and_is_counted() {
    let mut s = clean();
    s.punctures[3].depth_um = f32::NAN;
    let report = s.check(&expect());
    let v = verdict(&report, "depth.max");
    assert_eq!(v.outcome, Outcome::Fail);
    assert_eq!(v.actual_text, "1 non-finite depth(s)");
    assert_eq!(
        v.first_failure.and_then(|w| w.t_us),
        Some(s.punctures[3].t_us)
    );
}

#[test]
fn punctures_in_a_forbidden_layer_fail_with_their_count() {
    let mut s = clean();
    for i in [100, 200, 300] {
        s.punctures[i].layer = Layer::Hypodermis;
    }
    let first = s.punctures[100];
    let report = s.check(&expect());
    let v = verdict(&report, "depth.forbidden_layer");
    assert_eq!(v.outcome, Outcome::Fail);
    assert!(close(v.actual, 3.0));
    assert_eq!(v.first_failure.and_then(|w| w.t_us), Some(first.t_us));
    // on a non-facial site with no forbidden layers the same rows pass
    let report = s.check(&needlebench_scenario::Expect {
        forbidden_layers: vec![],
        ..expect()
    });
    assert_eq!(
        verdict(&report, "depth.forbidden_layer").outcome,
        Outcome::Pass
    );
}

#[test]
fn the_site_maximum_is_checked_only_when_set() {
    let mut s = clean();
    s.punctures[5].depth_um = 330.0;
    let e = needlebench_scenario::Expect {
        max_depth_um: Some(320.0),
        ..expect()
    };
    let report = s.check(&e);
    let v = verdict(&report, "depth.site_max");
    assert_eq!((v.outcome, v.actual), (Outcome::Fail, 330.0));
    assert_eq!(not_passed(&report), vec![("depth.site_max", Outcome::Fail)]);
    let e = needlebench_scenario::Expect {
        max_depth_um: Some(330.0),
        ..expect()
    };
    assert_eq!(
        verdict(&s.check(&e), "depth.site_max").outcome,
        Outcome::Pass
    );
}

#[test]
fn the_target_layer_fraction_is_the_share_in_target_layers() {
    let mut s = clean();
    for p in s.punctures.iter_mut().step_by(2) {
        p.layer = Layer::ViableEpidermis;
    }
    let e = needlebench_scenario::Expect {
        min_target_fraction: 0.9,
        ..expect()
    };
    let v = verdict(&s.check(&e), "depth.target_fraction").clone();
    assert_eq!(v.outcome, Outcome::Fail);
    assert!(close(v.actual, 0.5), "{}", v.actual);
    // within 0.05 below the minimum is acceptable
    let e = needlebench_scenario::Expect {
        min_target_fraction: 0.53,
        ..expect()
    };
    assert_eq!(
        verdict(&s.check(&e), "depth.target_fraction").outcome,
        Outcome::Acceptable
    );
}

/// Turn the current-format recording in `dir` (no face map) into the format-2 layout: the
/// line counters of `timing.toml` move into `meta.toml`'s `[link]` table.
fn as_format_2(dir: &std::path::Path, link: &LinkCounters) {
    let meta = std::fs::read_to_string(dir.join("meta.toml")).expect("meta");
    let current = format!("format_version = {FORMAT_VERSION}\n");
    assert!(meta.contains(&current), "{meta}");
    let table: String = [
        ("ticks", link.ticks),
        ("frames_to_pen", link.frames_to_pen),
        ("frames_from_pen", link.frames_from_pen),
        ("bytes_to_pen", link.bytes_to_pen),
        ("bytes_from_pen", link.bytes_from_pen),
        ("crc_errors", link.crc_errors),
        ("resyncs", link.resyncs),
        ("oversize", link.oversize),
        ("unknown_type", link.unknown_type),
        ("malformed", link.malformed),
        ("dropped_frames", link.dropped_frames),
        ("retransmits", link.retransmits),
    ]
    .iter()
    .map(|(k, v)| format!("{k} = {v}\n"))
    .collect();
    let meta = meta.replace(&current, "format_version = 2\n");
    std::fs::write(dir.join("meta.toml"), format!("{meta}\n[link]\n{table}")).expect("meta");
    let timing = std::fs::read_to_string(dir.join("timing.toml")).expect("timing");
    let cut = timing.find("[link]").expect("timing.toml has [link]");
    std::fs::write(dir.join("timing.toml"), &timing[..cut]).expect("timing");
}

#[test]
fn a_format_3_recording_without_zones_gets_the_same_verdicts() {
    let s = clean();
    let e = expect();
    let tmp = tempfile::tempdir().expect("tempdir");
    let dir = tmp.path().join("run");
    let rec = s.write(&dir);
    let now = check(&rec, &given(&e), None).expect("check");
    // format 3 had no zones: a recording without a face map has no `zone` column either, so
    // only the version differs
    let meta = std::fs::read_to_string(dir.join("meta.toml")).expect("meta");
    let punctures = std::fs::read_to_string(dir.join("punctures.csv")).expect("punctures");
    assert!(
        punctures
            .lines()
            .next()
            .is_some_and(|h| h.ends_with(",bleeding"))
    );
    let v3 = meta.replace("format_version = 4\n", "format_version = 3\n");
    std::fs::write(dir.join("meta.toml"), v3).expect("meta");
    let old = Recording::open(&dir).expect("a format-3 recording opens");
    assert_eq!(old.meta().format_version, 3);
    let then = check(&old, &given(&e), None).expect("check");
    let shown = |r: &needlebench_checks::CheckReport| -> Vec<String> {
        r.verdicts
            .iter()
            .map(|v| format!("{} {} {}", v.criterion, v.outcome.name(), v.actual_text))
            .collect()
    };
    assert_eq!(shown(&now), shown(&then));
}

#[test]
fn a_format_2_recording_with_link_in_meta_gets_the_same_crc_verdict() {
    let mut s = clean();
    let link = LinkCounters {
        crc_errors: 30,
        frames_from_pen: 2970,
        ..LinkCounters::default()
    };
    s.link = Some(link);
    let e = needlebench_scenario::Expect {
        max_crc_error_rate: 0.006,
        ..expect()
    };
    let tmp = tempfile::tempdir().expect("tempdir");
    let dir = tmp.path().join("run");
    let rec = s.write(&dir);
    let now = check(&rec, &given(&e), None).expect("check");
    as_format_2(&dir, &link);
    let old = Recording::open(&dir).expect("a format-2 recording opens");
    assert_eq!(old.meta().format_version, 2);
    assert_eq!(old.timing().expect("timing").and_then(|t| t.link), None);
    let then = check(&old, &given(&e), None).expect("check");
    let (a, b) = (
        verdict(&now, "link.crc_rate"),
        verdict(&then, "link.crc_rate"),
    );
    assert_eq!(a.outcome, Outcome::Acceptable, "0.01 is within 2 × 0.006");
    assert_eq!(
        (a.outcome, a.actual, &a.actual_text),
        (b.outcome, b.actual, &b.actual_text)
    );
}

#[test]
fn bad_crc_rate_and_real_time_lag_fail_with_their_values() {
    let mut s = clean();
    if let Some(link) = &mut s.link {
        link.crc_errors = 30;
        link.frames_from_pen = 2970;
    }
    // the runner writes the lag to timing.toml; the check reads it from there
    s.timing = Some(Timing {
        lag_us_max: 120_000,
        lag_bound_us: Some(200_000),
        ..Timing::default()
    });
    let report = s.check(&expect());
    let crc = verdict(&report, "link.crc_rate");
    assert_eq!(crc.outcome, Outcome::Fail);
    assert!(close(crc.actual, 0.01), "{}", crc.actual);
    // a lockstep run cannot lag: nothing to judge
    assert_eq!(verdict(&report, "link.lag").outcome, Outcome::NotApplicable);
    s.meta.firmware.clock = ClockMode::RealTime;
    let e = needlebench_scenario::Expect {
        max_crc_error_rate: 0.01,
        ..expect()
    };
    let report = s.check(&e);
    assert_eq!(verdict(&report, "link.crc_rate").outcome, Outcome::Pass);
    let lag = verdict(&report, "link.lag");
    assert_eq!((lag.outcome, lag.actual), (Outcome::Fail, 120.0));
    // within expect.max_lag_ms it passes
    let relaxed = needlebench_scenario::Expect {
        max_lag_ms: 150.0,
        ..e.clone()
    };
    assert_eq!(
        verdict(&s.check(&relaxed), "link.lag").outcome,
        Outcome::Pass
    );
    // missing counters and timing are not applicable, never a pass
    s.link = None;
    s.timing = None;
    let report = s.check(&e);
    for criterion in ["link.crc_rate", "link.lag"] {
        let v = verdict(&report, criterion);
        assert_eq!(v.outcome, Outcome::NotApplicable, "{criterion}");
        assert!(
            v.actual_text.starts_with("not recorded"),
            "{}",
            v.actual_text
        );
    }
}

#[test]
fn an_incomplete_run_fails_only_when_completion_is_expected() {
    let mut s = clean();
    s.status = RunStatus::Incomplete {
        end: EndReason::LinkFailure,
        reason: "link failure at t = 2.000 s: timeout".into(),
    };
    let report = s.check(&expect());
    let v = verdict(&report, "run.complete");
    assert_eq!(v.outcome, Outcome::Fail);
    assert!(
        v.actual_text.contains("link failure at t = 2.000 s"),
        "{}",
        v.actual_text
    );
    assert!(report.completion.starts_with("incomplete"));
    let e = needlebench_scenario::Expect {
        complete: false,
        ..expect()
    };
    assert_eq!(verdict(&s.check(&e), "run.complete").outcome, Outcome::Pass);
}

#[test]
fn a_hand_edited_depth_flips_exactly_the_depth_verdict() {
    let (_tmp, dir) = tmp_run();
    let rec = clean().write(&dir);
    let before = check(&rec, &given(&expect()), None).expect("check");
    let path = dir.join("punctures.csv");
    let text = std::fs::read_to_string(&path).expect("read");
    let mut lines: Vec<String> = text.lines().map(str::to_owned).collect();
    let depth_col = lines[0]
        .split(',')
        .position(|c| c == "depth_um")
        .expect("depth column");
    let mut fields: Vec<String> = lines[6].split(',').map(str::to_owned).collect();
    assert_eq!(fields[depth_col], "300");
    fields[depth_col] = "700.5".into();
    lines[6] = fields.join(",");
    std::fs::write(&path, lines.join("\n") + "\n").expect("write");
    let after = check(
        &Recording::open(&dir).expect("open"),
        &given(&expect()),
        None,
    )
    .expect("check");
    for (b, a) in before.verdicts.iter().zip(&after.verdicts) {
        if a.criterion == "depth.max" {
            assert_eq!((b.outcome, a.outcome), (Outcome::Pass, Outcome::Fail));
            assert!(close(a.actual, 700.5), "{}", a.actual);
            assert_eq!(
                a.first_failure.and_then(|w| w.t_us),
                Some(1_000_000 + 5 * 250)
            );
        } else {
            assert_eq!(a, b, "{} changed", a.criterion);
        }
    }
}

#[test]
fn a_bad_row_or_a_zero_cell_is_a_typed_error() {
    let (_tmp, dir) = tmp_run();
    let rec = clean().write(&dir);
    let e = needlebench_scenario::Expect {
        density_cell_mm: 0.0,
        ..expect()
    };
    match check(&rec, &given(&e), None) {
        Err(CheckError::InvalidExpect { field, .. }) => assert_eq!(field, "density_cell_mm"),
        other => panic!("expected InvalidExpect, got {other:?}"),
    }
    let path = dir.join("punctures.csv");
    let text = std::fs::read_to_string(&path).expect("read");
    std::fs::write(&path, text.replacen(",300,", ",deep,", 1)).expect("write");
    let err = check(&rec, &given(&expect()), None).expect_err("bad depth");
    let msg = err.to_string();
    assert!(
        msg.contains("punctures.csv") && msg.contains("depth_um"),
        "{msg}"
    );
}
