//! Check reports built by hand for the renderers' tests.

use crate::{PlotLimits, RunInfo, RunNumbers, ScenarioResult};
use needlebench_checks::{
    CheckReport, DensityGrid, DepthHistogram, EventKind, ExpectationSource, Marker, Outcome,
    SeriesPoint, Verdict, Where,
};
use std::collections::BTreeMap;

/// A verdict with two metrics named after the criterion.
pub fn verdict(criterion: &str, outcome: Outcome, actual: f64) -> Verdict {
    let mut metrics = BTreeMap::new();
    metrics.insert(format!("{criterion}.value"), actual);
    metrics.insert(format!("{criterion}.limit"), 550.0);
    Verdict {
        criterion: criterion.to_owned(),
        description: format!("checks {criterion} <carefully> & well"),
        actual,
        actual_text: format!("{actual} µm"),
        expected: "≤ 550 µm".to_owned(),
        unit: "µm".to_owned(),
        outcome,
        first_failure: matches!(outcome, Outcome::Fail | Outcome::Acceptable).then_some(Where {
            t_us: Some(1_250_000),
            x_mm: Some(3.5),
            y_mm: None,
        }),
        metrics,
    }
}

/// A report named `name` with `verdicts`, a `cols`×`rows` density grid and a short series.
pub fn report(name: &str, verdicts: Vec<Verdict>, cols: usize, rows: usize) -> CheckReport {
    let cells = cols * rows;
    CheckReport {
        scenario: name.to_owned(),
        recording: format!("recordings/{name}"),
        completion: "complete".to_owned(),
        expectations: ExpectationSource::Recording {
            path: format!("recordings/{name}/scenario.toml"),
        },
        verdicts,
        density: DensityGrid {
            origin_mm: [0.0, 0.0],
            cell_mm: 2.0,
            cols,
            rows,
            per_cm2: (0..cells).map(|i| 1000.0 * i as f64).collect(),
            in_area: (0..cells).map(|i| i % 7 != 3).collect(),
        },
        depths: DepthHistogram {
            bin_um: 25.0,
            counts: vec![0, 2, 10, 40, 120, 300, 200, 80, 10, 1],
            // SC, VE, PD, RD, fat, 3 mm of muscle, no cartilage, on bone
            layer_boundaries_um: vec![
                0.0, 15.0, 90.0, 250.0, 1900.0, 4000.0, 7000.0, 7000.0, 7000.0,
            ],
            floor: Some(needlebench_checks::Layer::Bone),
        },
        series: (0..200)
            .map(|i| {
                let t_s = f64::from(i) * 0.01;
                SeriesPoint {
                    t_s,
                    motor_current_ma: 180.0 + 20.0 * (t_s * 3.0).sin(),
                    stroke_hz: if t_s < 1.5 { 138.0 } else { 0.0 },
                    max_depth_um: 200.0,
                    battery_mv: 3900.0 - 100.0 * t_s,
                    hand_force_n: if i == 120 { f64::NAN } else { 2.0 + t_s },
                }
            })
            .collect(),
        markers: vec![
            Marker {
                t_s: 1.2,
                kind: EventKind::CartridgeJam,
                label: "stall <jam>".to_owned(),
            },
            Marker {
                t_s: 1.5,
                kind: EventKind::FaultRaised,
                label: "stall".to_owned(),
            },
        ],
        firmware_log: vec![
            "0.000 boot".to_owned(),
            "1.500 fault stall & <stop>".to_owned(),
        ],
        punctures: 763,
        ticks: 2000,
    }
}

/// A result that ran, around `report`.
pub fn ran(report: CheckReport) -> ScenarioResult {
    ScenarioResult {
        name: report.scenario.clone(),
        path: format!("scenarios/{}.toml", report.scenario),
        wall_s: 0.75,
        run: Some(RunNumbers {
            ticks: report.ticks,
            punctures: report.punctures,
            sim_s: 2.0,
            completion: "complete".to_owned(),
            seed: 42,
        }),
        recording_files: vec![
            "events.csv".to_owned(),
            "meta.toml".to_owned(),
            "punctures.csv".to_owned(),
        ],
        report: Ok(report),
        divergence: None,
        negative: false,
        limits: PlotLimits::default(),
        unit: 0,
        variant: None,
    }
}

/// A result that could not run.
pub fn not_run(name: &str, why: &str) -> ScenarioResult {
    ScenarioResult {
        name: name.to_owned(),
        path: format!("scenarios/{name}.toml"),
        report: Err(why.to_owned()),
        wall_s: 0.01,
        run: None,
        divergence: None,
        negative: false,
        recording_files: Vec::new(),
        limits: PlotLimits::default(),
        unit: 0,
        variant: None,
    }
}

/// The run as a whole, as the CLI would describe it.
pub fn run_info() -> RunInfo {
    RunInfo {
        needlebench_version: "0.4.0".to_owned(),
        command_line: "needlebench regress scenarios/ --html out/report.html --seed <7> & more"
            .to_owned(),
        host: "bench-01".to_owned(),
        started_utc: "2026-11-29T19:48:13Z".to_owned(),
        duration_s: 12.5,
        jobs: 2,
        html_dir: "out".to_owned(),
        shard: None,
        suite_size: 4,
    }
}

/// A scenario whose recording held no expectations: one criterion not checked, one not
/// applicable, one passed.
pub fn unverified() -> ScenarioResult {
    let mut r = report(
        "forehead",
        vec![
            verdict("depth.max", Outcome::NotChecked, 480.0),
            verdict("link.lag", Outcome::NotApplicable, 0.0),
            verdict("run.complete", Outcome::Pass, 1.0),
        ],
        2,
        2,
    );
    r.expectations = ExpectationSource::None;
    ran(r)
}

/// Four scenarios: one passing (with a not-applicable criterion), one failing two criteria
/// (one acceptable), one not run, one not checked ([`unverified`]).
pub fn suite() -> Vec<ScenarioResult> {
    let mut suite = vec![
        ran(report(
            "glabella",
            vec![
                verdict("depth.max", Outcome::Pass, 510.0),
                verdict("density.range", Outcome::Pass, 3.0),
                verdict("link.lag", Outcome::NotApplicable, 0.0),
            ],
            4,
            3,
        )),
        ran(report(
            "stall <&> \"quoted\"",
            vec![
                verdict("depth.max", Outcome::Fail, 700.0),
                verdict("density.range", Outcome::Acceptable, 2.0),
                verdict("firmware.fault_stop", Outcome::Fail, 150.0),
            ],
            5,
            2,
        )),
        not_run(
            "broken",
            "scenarios/broken.toml:3:1: unknown key `x` <here>",
        ),
        unverified(),
    ];
    for (unit, r) in suite.iter_mut().enumerate() {
        r.unit = unit;
    }
    suite
}
