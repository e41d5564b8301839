//! A synthetic, clean recording to break one criterion at a time.

use needlebench_checks::{CheckReport, ExpectationSource, Expectations, Outcome, Verdict, check};
use needlebench_recording::{
    EventKind, EventRow, EventSource, FaultCode, FirmwareState, Layer, LayersUm, LinkCounters,
    Meta, PunctureRow, Recording, RecordingWriter, RunStatus, SetupMeta, TelemetryRow, Timing,
};
use needlebench_scenario::Expect;
use std::path::{Path, PathBuf};

/// Cells: 4 × 2 of 2 mm over an 8 × 4 mm area; each gets this many punctures.
pub const PER_CELL: u32 = 200;
/// 2 mm cells are 0.04 cm².
pub const CELL_CM2: f64 = 0.04;

/// The rows and meta of a recording before it is written.
pub struct Synth {
    pub meta: Meta,
    pub telemetry: Vec<TelemetryRow>,
    pub punctures: Vec<PunctureRow>,
    pub events: Vec<EventRow>,
    pub status: RunStatus,
    /// The line counters: `[link]` of `timing.toml` (written with [`Synth::timing`]).
    pub link: Option<LinkCounters>,
    /// Written as `timing.toml` when set, with [`Synth::link`] as its `[link]`.
    pub timing: Option<Timing>,
}

/// A recording that passes every criterion of [`expect`]: 3 s of ticks, running with skin
/// contact from 0.1 s at exactly 120 Hz, 200 punctures of 300 µm in the reticular dermis in
/// each of the 8 cells (5000 /cm²) between 1.0 and 1.4 s.
pub fn clean() -> Synth {
    let meta = Meta {
        setup: SetupMeta {
            device: needlebench_physics::DeviceKind::Pen,
            site: "forehead".into(),
            cartridge: "12".into(),
            needle_count: 12,
            exposure_um: 500.0,
            target_stroke_hz: 120.0,
            area: vec![[0.0, 0.0], [8.0, 0.0], [8.0, 4.0], [0.0, 4.0]],
            layers_um: LayersUm {
                stratum_corneum: 15.0,
                viable_epidermis: 60.0,
                papillary_dermis: 150.0,
                reticular_dermis: 840.0,
                hypodermis: 3000.0,
                muscle: 2000.0,
                cartilage: 0.0,
                floor: Some(Layer::Bone),
            },
        },
        ..Meta::default()
    };
    let telemetry = (0..3000u64)
        .map(|tick| {
            let on = tick >= 100;
            TelemetryRow {
                t_us: tick * 1000,
                tick: tick as u32,
                pen_x_mm: (tick % 800) as f32 / 100.0,
                pen_y_mm: 2.0,
                hand_force_n: if on { 2.5 } else { 0.0 },
                skin_contact: on,
                exposure_um: 500.0,
                motor_duty: if on { 0.6 } else { 0.0 },
                motor_current_ma: if on { 130.0 } else { 0.0 },
                stroke_hz: if on { 120.0 } else { 0.0 },
                battery_mv: 4000.0,
                speed_level: 3,
                state: if on {
                    FirmwareState::Running
                } else {
                    FirmwareState::Idle
                },
                fault: FaultCode::None,
                ..Default::default()
            }
        })
        .collect();
    let mut punctures = Vec::new();
    for k in 0..u64::from(PER_CELL) {
        for cell in 0..8u64 {
            let (c, r) = (cell % 4, cell / 4);
            let i = k * 8 + cell;
            punctures.push(PunctureRow {
                t_us: 1_000_000 + i * 250,
                stroke: i / 12,
                needle: (i % 12) as u16,
                x_mm: (c as f32) * 2.0 + 0.5 + (k % 10) as f32 * 0.1,
                y_mm: (r as f32) * 2.0 + 0.5 + (k / 20) as f32 * 0.1,
                depth_um: 300.0,
                layer: Layer::ReticularDermis,
                peak_force_n: 0.03,
                tenting_um: 150.0,
                bleeding: true,
                zone: needlebench_recording::ZoneRef::NOT_RECORDED,
            });
        }
    }
    let events = vec![EventRow {
        t_us: 100_000,
        tick: 100,
        source: EventSource::Firmware,
        kind: EventKind::StateChanged,
        code: "idle->running".into(),
        detail: String::new(),
    }];
    let link = LinkCounters {
        frames_from_pen: 3000,
        frames_to_pen: 3000,
        ..LinkCounters::default()
    };
    Synth {
        meta,
        telemetry,
        punctures,
        events,
        status: RunStatus::Complete,
        link: Some(link),
        timing: Some(Timing::default()),
    }
}

/// `expect` as the expectations of a test (source: a file named `test`).
pub fn given(expect: &Expect) -> Expectations {
    Expectations::given(
        expect.clone(),
        ExpectationSource::File {
            path: "test".to_owned(),
        },
    )
}

/// The expectations the clean recording meets.
pub fn expect() -> Expect {
    Expect {
        density_min_per_cm2: 2000.0,
        density_max_per_cm2: 40_000.0,
        target_layers: vec![Layer::PapillaryDermis, Layer::ReticularDermis],
        ..Expect::defaults_for("forehead", true)
    }
}

impl Synth {
    /// Write into `dir` and open it.
    pub fn write(&self, dir: &Path) -> Recording {
        let mut w = RecordingWriter::create(dir, self.meta.clone()).expect("create");
        for r in &self.telemetry {
            w.telemetry(r).expect("telemetry");
        }
        let mut punctures = self.punctures.clone();
        punctures.sort_by_key(|p| p.t_us);
        for p in &punctures {
            w.puncture(p).expect("puncture");
        }
        for e in &self.events {
            w.event(e).expect("event");
        }
        w.finish(self.status.clone()).expect("finish");
        if let Some(t) = self.timing {
            let t = Timing {
                link: self.link,
                ..t
            };
            t.write(dir).expect("timing");
        }
        Recording::open(dir).expect("open")
    }

    /// Write into a fresh temporary directory and check against `expect`.
    pub fn check(&self, expect: &Expect) -> CheckReport {
        let tmp = tempfile::tempdir().expect("tempdir");
        let rec = self.write(&tmp.path().join("run"));
        check(&rec, &given(expect), None).expect("check")
    }

    /// Set the telemetry rows in `[from_us, to_us)` with `f`.
    pub fn ticks(&mut self, from_us: u64, to_us: u64, f: impl Fn(&mut TelemetryRow)) {
        for r in self
            .telemetry
            .iter_mut()
            .filter(|r| r.t_us >= from_us && r.t_us < to_us)
        {
            f(r);
        }
    }
}

/// A temporary directory kept alive with its recording path.
pub fn tmp_run() -> (tempfile::TempDir, PathBuf) {
    let tmp = tempfile::tempdir().expect("tempdir");
    let dir = tmp.path().join("run");
    (tmp, dir)
}

/// The verdict for `criterion`.
pub fn verdict<'a>(report: &'a CheckReport, criterion: &str) -> &'a Verdict {
    report
        .verdicts
        .iter()
        .find(|v| v.criterion == criterion)
        .unwrap_or_else(|| panic!("no verdict {criterion} in {:?}", names(report)))
}

/// The criteria of a report, in order.
pub fn names(report: &CheckReport) -> Vec<&str> {
    report
        .verdicts
        .iter()
        .map(|v| v.criterion.as_str())
        .collect()
}

/// The criteria that did not pass.
pub fn not_passed(report: &CheckReport) -> Vec<(&str, Outcome)> {
    report
        .verdicts
        .iter()
        .filter(|v| !matches!(v.outcome, Outcome::Pass | Outcome::NotApplicable))
        .map(|v| (v.criterion.as_str(), v.outcome))
        .collect()
}

/// The criteria with nothing to judge.
pub fn not_applicable(report: &CheckReport) -> Vec<&str> {
    report
        .verdicts
        .iter()
        .filter(|v| v.outcome == Outcome::NotApplicable)
        .map(|v| v.criterion.as_str())
        .collect()
}

/// `a` and `b` equal within 1e-9 relative.
pub fn close(a: f64, b: f64) -> bool {
    (a - b).abs() <= 1e-9 * a.abs().max(b.abs()).max(1.0)
}
