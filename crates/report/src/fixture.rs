//! Check reports built by hand for the renderers' tests.

use crate::{RunNumbers, ScenarioResult};
use needlebench_checks::{
    CheckReport, DensityGrid, DepthHistogram, EventKind, Marker, Outcome, SeriesPoint, Verdict,
    Where,
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
        first_failure: (outcome != Outcome::Pass).then_some(Where {
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
            layer_boundaries_um: vec![0.0, 15.0, 90.0, 250.0, 1900.0, 4000.0],
        },
        series: (0..200)
            .map(|i| {
                let t_s = f64::from(i) * 0.01;
                SeriesPoint {
                    t_s,
                    motor_current_ma: 180.0 + 20.0 * (t_s * 3.0).sin(),
                    stroke_hz: if t_s < 1.5 { 138.0 } else { 0.0 },
                    max_depth_um: 200.0,
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
        }),
        report: Ok(report),
        divergence: None,
        negative: false,
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
    }
}

/// Three scenarios: one passing, one failing two criteria (one acceptable), one not run.
pub fn suite() -> Vec<ScenarioResult> {
    vec![
        ran(report(
            "glabella",
            vec![
                verdict("depth.max", Outcome::Pass, 510.0),
                verdict("density.range", Outcome::Pass, 3.0),
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
    ]
}
