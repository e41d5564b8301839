//! A recording loaded for replay: compact, time-sorted arrays (punctures ≈ 21 bytes each, so
//! the 3.2 M punctures of a 10-minute full-face run fit in ~70 MB), the check verdicts and the
//! violations. Every lookup by cursor time is a binary search, so any view at any time is a
//! pure function of that time.

use crate::colormap::ColorScale;
use crate::error::ViewerError;
use crate::violations::{Violation, Violations};
use needlebench_checks::{CheckReport, EventKind, ExpectationSource, Expectations, Verdict};
use needlebench_face::FaceMap;
use needlebench_recording::{FaultCode, Layer, Meta, ReadOptions, Recording};
use needlebench_scenario::Expect;
use std::path::Path;

/// Most per-puncture violations kept (the first ones in time); the checker's verdicts and
/// faults are always kept.
pub const MAX_PUNCTURE_VIOLATIONS: usize = 20_000;

/// Punctures as parallel arrays sorted by time.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Punctures {
    /// Time, µs.
    pub t_us: Vec<u64>,
    /// Position x, mm.
    pub x_mm: Vec<f32>,
    /// Position y, mm.
    pub y_mm: Vec<f32>,
    /// Depth below the surface, µm.
    pub depth_um: Vec<f32>,
    /// Surface tenting before rupture, µm.
    pub tenting_um: Vec<f32>,
    /// Layer the tip ended in.
    pub layer: Vec<Layer>,
}

impl Punctures {
    /// Number of punctures.
    pub fn len(&self) -> usize {
        self.t_us.len()
    }

    /// Whether there are none.
    pub fn is_empty(&self) -> bool {
        self.t_us.is_empty()
    }

    /// How many punctures happened at or before `t_us` (they are the visible ones).
    pub fn count_at(&self, t_us: u64) -> usize {
        self.t_us.partition_point(|&t| t <= t_us)
    }
}

/// Telemetry as parallel arrays sorted by time (one entry per firmware tick).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Telemetry {
    /// Time, µs.
    pub t_us: Vec<u64>,
    /// Pen position, mm.
    pub pen_mm: Vec<[f32; 2]>,
    /// Needle tip beyond the guard face, µm.
    pub needle_z_um: Vec<f32>,
    /// Motor current, mA.
    pub motor_current_ma: Vec<f32>,
    /// Hand force, N.
    pub hand_force_n: Vec<f32>,
    /// Guard on the skin.
    pub skin_contact: Vec<bool>,
    /// Latched fault.
    pub fault: Vec<FaultCode>,
}

impl Telemetry {
    /// Index of the last tick at or before `t_us` (`None` before the first tick).
    pub fn index_at(&self, t_us: u64) -> Option<usize> {
        self.t_us.partition_point(|&t| t <= t_us).checked_sub(1)
    }
}

/// A fault or injection line on the plots and the scrub bar.
#[derive(Debug, Clone, PartialEq)]
pub struct EventLine {
    /// When, µs.
    pub t_us: u64,
    /// `fault_raised`, `fault_cleared`, an injection kind…
    pub kind: EventKind,
    /// Label.
    pub label: String,
}

/// What the cross-section inset shows at a cursor time.
#[derive(Debug, Clone, PartialEq)]
pub struct CrossSection {
    /// Needle tip beyond the guard face now (from telemetry), µm; 0 before the first tick.
    pub needle_z_um: f32,
    /// Whether the guard touches the skin now.
    pub skin_contact: bool,
    /// The latest puncture at or before the cursor: depth, tenting, layer reached.
    pub last: Option<(f32, f32, Layer)>,
}

/// A recording ready to replay.
#[derive(Debug, Clone)]
pub struct Replay {
    /// The recording's meta (site, layers, area, exposure, completion).
    pub meta: Meta,
    /// Punctures, by time.
    pub punctures: Punctures,
    /// Telemetry, by time.
    pub telemetry: Telemetry,
    /// Violations, by time.
    pub violations: Violations,
    /// Fault and injection lines, by time.
    pub events: Vec<EventLine>,
    /// The checker's verdicts.
    pub verdicts: Vec<Verdict>,
    /// Density cell of the heat map, mm.
    pub density_cell_mm: f64,
    /// Heat-map colour range, punctures per cm².
    pub density_scale: ColorScale,
    /// Puncture colour range, µm.
    pub depth_scale: ColorScale,
    /// Length of the replay, µs (the latest time in any file or the meta's duration).
    pub duration_us: u64,
    /// Where the expectations came from ([`ExpectationSource::describe`] for people).
    pub expectations: ExpectationSource,
    /// The expectations checked against; `None`: the recording holds no scenario and none
    /// was given.
    pub expect: Option<Expect>,
    /// The face map the recording was made on (its `face-map.toml` copy); `None` for a
    /// single-site recording.
    pub face_map: Option<FaceMap>,
    /// The technique score shown in the score panel, once started
    /// ([`crate::scorecard::score_in_background`]); `None`: no score panel.
    pub score: Option<crate::scorecard::ScoreSlot>,
}

impl Replay {
    /// Open the recording in `dir`, check it against the `[expect]` of the scenario file
    /// `scenario` if given, else of the scenario copy the recording holds, else against
    /// nothing (criteria that need expectations are not checked, and no violation that
    /// depends on them is shown), and load it.
    pub fn open(dir: &Path, scenario: Option<&Path>) -> Result<Replay, ViewerError> {
        let recording = Recording::open(dir).map_err(|e| lift(e, dir))?;
        let check_err = |source| ViewerError::Check {
            dir: dir.to_owned(),
            source: Box::new(source),
        };
        let expectations = Expectations::load(&recording, scenario).map_err(check_err)?;
        let report =
            needlebench_checks::check(&recording, &expectations, None).map_err(check_err)?;
        let meta = recording.meta().clone();
        let punctures = read_punctures(&recording)?;
        let telemetry = read_telemetry(&recording)?;
        let face_map = recording
            .face_map()
            .transpose()
            .map_err(|source| ViewerError::FaceMap {
                dir: dir.to_owned(),
                source: Box::new(source),
            })?;
        let mut replay = Replay::assemble(meta, punctures, telemetry, &report, expectations.expect);
        replay.face_map = face_map;
        Ok(replay)
    }

    /// Put loaded parts together: violations from the report plus, when there are
    /// expectations, every puncture deeper than the exposure + tolerance or in a forbidden
    /// layer (up to [`MAX_PUNCTURE_VIOLATIONS`]). The density grid's cell is the checker's;
    /// the colour ranges come from the expectations, else from the data.
    pub fn assemble(
        meta: Meta,
        punctures: Punctures,
        telemetry: Telemetry,
        report: &CheckReport,
        expect: Option<Expect>,
    ) -> Replay {
        let mut items = Violations::from_report(report);
        if let Some(expect) = &expect {
            items.extend(puncture_violations(&punctures, &meta, expect));
        }
        let events = report
            .markers
            .iter()
            .filter(|m| m.t_s.is_finite() && m.t_s >= 0.0)
            .map(|m| EventLine {
                t_us: (m.t_s * 1e6).round() as u64,
                kind: m.kind,
                label: m.label.clone(),
            })
            .collect();
        let duration_us = [
            meta.run.sim_duration_us,
            punctures.t_us.last().copied().unwrap_or(0),
            telemetry.t_us.last().copied().unwrap_or(0),
        ]
        .into_iter()
        .max()
        .unwrap_or(0);
        let exposure = meta.setup.exposure_um.max(1.0);
        let density_top = match &expect {
            Some(e) => e.density_max_per_cm2,
            None => report
                .density
                .per_cm2
                .iter()
                .copied()
                .filter(|v| v.is_finite())
                .fold(0.0, f64::max),
        };
        let density_cell_mm = if report.density.cell_mm > 0.0 {
            report.density.cell_mm
        } else {
            expect
                .as_ref()
                .map_or(Expect::DENSITY_CELL_MM, |e| e.density_cell_mm)
        };
        Replay {
            depth_scale: ColorScale {
                min: 0.0,
                max: exposure * 1.5,
                unit: "µm",
            },
            density_scale: ColorScale {
                min: 0.0,
                max: density_top.max(1.0) * 1.5,
                unit: "/cm²",
            },
            density_cell_mm,
            meta,
            punctures,
            telemetry,
            violations: Violations::new(items),
            events,
            verdicts: report.verdicts.clone(),
            duration_us,
            expectations: report.expectations.clone(),
            expect,
            face_map: None,
            score: None,
        }
    }

    /// Whether the recording was checked against expectations (else every criterion that
    /// needs them is not checked and their violations are not shown).
    pub fn has_expectations(&self) -> bool {
        self.expect.is_some()
    }

    /// Pen position at `t_us`, mm (the last tick's; the first tick's before it).
    pub fn pen_at(&self, t_us: u64) -> Option<[f32; 2]> {
        let i = self.telemetry.index_at(t_us).unwrap_or(0);
        self.telemetry.pen_mm.get(i).copied()
    }

    /// The cross-section inset's content at `t_us`.
    pub fn cross_section(&self, t_us: u64) -> CrossSection {
        let tel = &self.telemetry;
        let (needle_z_um, skin_contact) = match tel.index_at(t_us) {
            Some(i) => (tel.needle_z_um[i], tel.skin_contact[i]),
            None => (0.0, false),
        };
        let p = &self.punctures;
        let last = p
            .count_at(t_us)
            .checked_sub(1)
            .map(|i| (p.depth_um[i], p.tenting_um[i], p.layer[i]));
        CrossSection {
            needle_z_um,
            skin_contact,
            last,
        }
    }
}

fn lift(e: needlebench_recording::RecordingError, dir: &Path) -> ViewerError {
    ViewerError::Recording {
        dir: dir.to_owned(),
        source: e,
    }
}

/// Whether a puncture breaks the depth expectations, and which criterion.
fn puncture_violations<'a>(
    p: &'a Punctures,
    meta: &'a Meta,
    expect: &'a Expect,
) -> impl Iterator<Item = Violation> + 'a {
    let limit_um = meta.setup.exposure_um + expect.depth_tolerance_um;
    (0..p.len())
        .filter_map(move |i| {
            let depth = f64::from(p.depth_um[i]);
            let criterion = if expect.forbidden_layers.contains(&p.layer[i]) {
                "depth.forbidden_layer"
            } else if depth.is_nan() || depth > limit_um {
                "depth.max"
            } else {
                return None;
            };
            Some(Violation {
                t_us: p.t_us[i],
                pos_mm: Some([f64::from(p.x_mm[i]), f64::from(p.y_mm[i])]),
                criterion: criterion.to_owned(),
                label: format!("{criterion}: {depth:.1} µm in {}", p.layer[i].name()),
            })
        })
        .take(MAX_PUNCTURE_VIOLATIONS)
}

/// Read every puncture (several threads: [`ReadOptions::default`]); rows must be in time
/// order.
pub fn read_punctures(recording: &Recording) -> Result<Punctures, ViewerError> {
    let mut p = Punctures::default();
    let n = usize::try_from(recording.meta().run.punctures)
        .unwrap_or(0)
        .min(50_000_000);
    p.t_us.reserve(n);
    p.x_mm.reserve(n);
    p.y_mm.reserve(n);
    p.depth_um.reserve(n);
    p.tenting_um.reserve(n);
    p.layer.reserve(n);
    let mut order = InOrder::new("punctures.csv");
    recording
        .punctures()
        .map_err(|e| lift(e, recording.dir()))?
        .for_each_batch(ReadOptions::default(), |rows| {
            for r in rows {
                if !order.next(r.t_us) {
                    return;
                }
                p.t_us.push(r.t_us);
                p.x_mm.push(r.x_mm);
                p.y_mm.push(r.y_mm);
                p.depth_um.push(r.depth_um);
                p.tenting_um.push(r.tenting_um);
                p.layer.push(r.layer);
            }
        })
        .map_err(|e| lift(e, recording.dir()))?;
    order.result()?;
    Ok(p)
}

/// The first row out of time order, found while rows stream past.
struct InOrder {
    file: &'static str,
    rows: u64,
    prev_us: Option<u64>,
    error: Option<ViewerError>,
}

impl InOrder {
    fn new(file: &'static str) -> InOrder {
        InOrder {
            file,
            rows: 0,
            prev_us: None,
            error: None,
        }
    }

    /// Whether the row at `t_us` is in order (later rows are ignored after the first that
    /// is not).
    fn next(&mut self, t_us: u64) -> bool {
        if self.error.is_some() {
            return false;
        }
        self.rows += 1;
        if let Some(prev_us) = self.prev_us
            && t_us < prev_us
        {
            self.error = Some(ViewerError::OutOfOrder {
                file: self.file,
                row: self.rows,
                t_us,
                prev_us,
            });
            return false;
        }
        self.prev_us = Some(t_us);
        true
    }

    fn result(self) -> Result<(), ViewerError> {
        self.error.map_or(Ok(()), Err)
    }
}

/// Read every telemetry row (several threads); rows must be in time order.
pub fn read_telemetry(recording: &Recording) -> Result<Telemetry, ViewerError> {
    let mut t = Telemetry::default();
    let mut order = InOrder::new("telemetry.csv");
    recording
        .telemetry()
        .map_err(|e| lift(e, recording.dir()))?
        .for_each_batch(ReadOptions::default(), |rows| {
            for r in rows {
                if !order.next(r.t_us) {
                    return;
                }
                t.t_us.push(r.t_us);
                t.pen_mm.push([r.pen_x_mm, r.pen_y_mm]);
                t.needle_z_um.push(r.needle_z_um);
                t.motor_current_ma.push(r.motor_current_ma);
                t.hand_force_n.push(r.hand_force_n);
                t.skin_contact.push(r.skin_contact);
                t.fault.push(r.fault);
            }
        })
        .map_err(|e| lift(e, recording.dir()))?;
    order.result()?;
    Ok(t)
}
