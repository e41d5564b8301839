//! Invariant checks on needlebench recordings: did the treatment and the firmware behave?
//!
//! [`check`] reads a recording once (events, then telemetry, then punctures, each streamed,
//! memory flat apart from the density grid and the ≤ 2000-point series; telemetry and
//! punctures parsed by one thread per core and fed to one [`Checker`] in file order, so the
//! report does not depend on the thread count; see [`check_with`]) and holds it to a
//! scenario's [`Expect`]. It returns a [`CheckReport`] ([`verdict`]): one [`Verdict`] per
//! criterion with the actual value, the expectation, pass / acceptable / fail and where and
//! when it first failed, plus the density grid, depth histogram, series and markers the
//! reports draw. [`render_table`] shows it in a terminal; [`diff()`] compares two recordings
//! for golden tests.
//!
//! Criteria, in report order (the rules and the "acceptable" band of each are documented in
//! its module):
//!
//! | criterion | module | acceptable band |
//! |---|---|---|
//! | `depth.max`, `depth.forbidden_layer`, `depth.site_max`, `depth.target_fraction` | [`depth`] | +1 × tolerance; none; none; −0.05 |
//! | `density.range`, `density.coverage`, `density.tram_tracks` | [`density`] | ±10 % of the bounds; −0.05; none |
//! | `zone.depth.<zone>`, `zone.forbidden_layers.<zone>`, `zone.density.<zone>`, `zone.coverage.<zone>`, `zone.tram_tracks.<zone>`, `zone.outside` (with a face map; else `zone.depth` … `zone.outside` once each, N/A; none with `[expect] zone_checks = false`) | [`zones`] | a setting below the chart, +1 × tolerance past the setting and border spill within `zone_border_mm`; none; ±10 % of the zone's band; −0.05; none; up to `zone_outside_max_fraction` |
//! | `firmware.stroke_hz`, `firmware.fault_stop`, `firmware.no_motion_in_fault`, `firmware.expected_faults` | [`firmware`] | 2 × tolerance; none; none; none |
//! | `link.crc_rate`, `link.lag`, `run.complete` | [`link`] | 2 × limit; none; none |
//! | `run.consistency` | [`consistency`] | none |
//! | `golden` | [`mod@diff`] | none |
//! | `verify.depth_setting`, `verify.max_depth`, `verify.stroke_rate`, `verify.fault_response` (only with `[expect] verification = true`) | [`verification`] | none |
//!
//! A criterion with nothing to judge (no punctures for a depth limit, no fault for the stop
//! time, a lockstep run for the lag) is [`Outcome::NotApplicable`], never a pass. What a
//! recording is checked against comes from [`Expectations`] (its own scenario copy by
//! default); without any, every criterion but [`expectations::SCENARIO_INDEPENDENT`] is
//! [`Outcome::NotChecked`].
//!
//! `depth.site_max` appears only when `max_depth_um` is set, `depth.target_fraction` only
//! when `target_layers` is, `golden` only with a golden recording. The `zone.*` criteria are
//! one per zone of the recording's face map (`zone.depth.nose`): the zones the plan treats
//! and those a puncture reached, in face-map order within each criterion (see [`zones`]).

mod cells;
pub mod consistency;
pub mod density;
pub mod depth;
pub mod diff;
pub mod error;
pub mod expectations;
pub mod firmware;
pub mod limits;
pub mod link;
mod nan;
mod series;
pub mod table;
pub mod verdict;
pub mod verification;
pub mod zones;

pub use diff::{ColumnTolerance, DiffReport, Divergence, Tolerances, diff};
pub use error::CheckError;
pub use expectations::Expectations;
pub use table::{format_where, render_table};
pub use verdict::*;

use needlebench_recording::{
    EventRow, Meta, PunctureRow, ReadOptions, Recording, Row, TelemetryRow, Timing,
};
use needlebench_scenario::Expect;
use std::collections::BTreeMap;
use std::path::Path;

pub(crate) fn metrics(pairs: &[(&str, f64)]) -> BTreeMap<String, f64> {
    pairs.iter().map(|&(k, v)| (k.to_owned(), v)).collect()
}

/// Check `recording` against `expectations`. `golden` (or else `expect.golden`) names a
/// golden recording to compare with ([`diff()`] with default tolerances): a divergence fails
/// the `golden` criterion.
///
/// Reads each CSV file once, streaming, telemetry and punctures parsed by several threads
/// ([`ReadOptions::default`]: one per core; see [`check_with`]). Errors only when a file cannot
/// be read or an expectation cannot be applied; a recording that breaks an invariant gets
/// failing verdicts.
///
/// Without expectations the criteria run against the defaults for the recording's site, and
/// every one that depends on the scenario is then marked [`Outcome::NotChecked`] (its measured
/// value kept as evidence).
pub fn check(
    recording: &Recording,
    expectations: &Expectations,
    golden: Option<&Path>,
) -> Result<CheckReport, CheckError> {
    check_with(recording, expectations, golden, ReadOptions::default())
}

/// [`check`], reading `telemetry.csv` and `punctures.csv` with `read` (threads and chunk
/// size). The rows reach the [`Checker`] in file order whatever the options, so the report is
/// the same for any `read`; a bad row gives the same error (file, row, line, column).
///
/// Only the columns the checks use ([`Checker::TELEMETRY_COLUMNS`],
/// [`Checker::PUNCTURE_COLUMNS`]) are parsed: a row with a bad value in another column (e.g.
/// `peak_force_n`) is not an error here (the viewer and `diff` read every column), while a
/// row with the wrong number of fields or a file cut short still is.
pub fn check_with(
    recording: &Recording,
    expectations: &Expectations,
    golden: Option<&Path>,
    read: ReadOptions,
) -> Result<CheckReport, CheckError> {
    let (expect, judged) = match &expectations.expect {
        Some(e) => (e.clone(), true),
        None => {
            let site = &recording.meta().setup.site;
            let builtin = needlebench_physics::Site::builtin(site).is_ok();
            (Expect::defaults_for(site, builtin), false)
        }
    };
    let expect = &expect;
    let mut checker = Checker::new(recording.meta(), expect, expectations.source.clone())?;
    if let Some(map) = recording.face_map() {
        let map = map?;
        let plan = expectations.plan.as_deref();
        checker.zones(zones::ZoneSetup::new(&map, plan, expect))?;
    }
    if let Some(timing) = recording.timing()? {
        checker.timing(timing);
    }
    for e in recording.events()? {
        checker.event(&e?);
    }
    let telemetry = recording.telemetry()?.only(Checker::TELEMETRY_COLUMNS);
    telemetry.for_each_batch(read, |rows| {
        for r in rows {
            checker.tick(r);
        }
    })?;
    let punctures = recording.punctures()?.only(Checker::PUNCTURE_COLUMNS);
    punctures.for_each_batch(read, |rows| {
        for p in rows {
            checker.puncture(p);
        }
    })?;
    let mut report = checker.finish(recording.dir());
    if let Some(golden) = golden.or(expect.golden.as_deref()) {
        report
            .verdicts
            .push(golden_verdict(recording.dir(), golden)?);
    }
    if !judged {
        for v in &mut report.verdicts {
            let independent = expectations::SCENARIO_INDEPENDENT.contains(&v.criterion.as_str());
            if !independent && v.outcome != Outcome::NotApplicable {
                v.outcome = Outcome::NotChecked;
                v.expected = "no expectations (the recording holds no scenario)".to_owned();
                v.first_failure = None;
            }
        }
    }
    Ok(report)
}

/// The streaming checker behind [`check`], for rows that do not come from files (a live
/// run, a benchmark). Feed it **all events, then all telemetry rows, then all punctures**,
/// each in time order, then [`finish`](Checker::finish). Memory is flat apart from the
/// density grid.
#[derive(Debug)]
pub struct Checker {
    meta: Meta,
    expect: Expect,
    source: ExpectationSource,
    timing: Option<Timing>,
    consistency: consistency::ConsistencyCheck,
    events: u64,
    depth: depth::DepthCheck,
    density: density::DensityCheck,
    /// `zone.*`, once [`Checker::zones`] gave the face map's zones.
    zones: Option<zones::ZoneCheck>,
    fw: firmware::FirmwareCheck,
    /// `verify.*`, when the scenario asks for them.
    verify: Option<(verification::Mechanics, verification::FaultResponse)>,
    series: series::Series,
    phase: u8,
    ticks: u64,
    punctures: u64,
}

impl Checker {
    /// The telemetry columns [`Checker::tick`] reads: all of them (`run.consistency` holds
    /// every number to being finite).
    pub const TELEMETRY_COLUMNS: &'static [&'static str] = TelemetryRow::COLUMNS;

    /// The puncture columns [`Checker::puncture`] reads: all of them.
    pub const PUNCTURE_COLUMNS: &'static [&'static str] = PunctureRow::COLUMNS;

    /// A checker for a recording with `meta`, against `expect`, which came from `source`
    /// (named in the report).
    pub fn new(
        meta: &Meta,
        expect: &Expect,
        source: ExpectationSource,
    ) -> Result<Checker, CheckError> {
        let setup = &meta.setup;
        Ok(Checker {
            depth: depth::DepthCheck::new(setup.exposure_um, expect),
            density: density::DensityCheck::new(&setup.area, expect)?,
            zones: None,
            fw: firmware::FirmwareCheck::new(setup.target_stroke_hz, expect),
            verify: expect.verification.then(|| {
                (
                    verification::Mechanics::new(meta, expect),
                    verification::FaultResponse::new(setup.target_stroke_hz, expect),
                )
            }),
            series: series::Series::new(meta.run.sim_duration_us),
            meta: meta.clone(),
            expect: expect.clone(),
            source,
            timing: None,
            consistency: consistency::ConsistencyCheck::default(),
            events: 0,
            phase: 0,
            ticks: 0,
            punctures: 0,
        })
    }

    fn enter(&mut self, phase: u8) {
        if self.phase < 1 && phase >= 1 {
            self.fw.events_done();
        }
        if self.phase < 2 && phase >= 2 {
            self.fw.telemetry_done();
        }
        self.phase = self.phase.max(phase);
    }

    /// The recording's link figures (`timing.toml`): the line counters for `link.crc_rate`
    /// (format 3 on) and the lag for `link.lag`.
    pub fn timing(&mut self, timing: Timing) {
        self.timing = Some(timing);
    }

    /// The zones of the recording's face map (before any event): adds the `zone.*`
    /// criteria ([`zones`]) unless `[expect] zone_checks = false`. Without this call they are
    /// N/A. Errors when a zone's grid cannot be built (see [`CheckError::InvalidExpect`]).
    ///
    /// With a plan, the face-wide `depth.max` is judged against the plan's deepest setting
    /// (the recording's `setup.exposure_um` is only the first zone's): each zone's own
    /// setting is `zone.depth`'s to judge.
    pub fn zones(&mut self, setup: zones::ZoneSetup) -> Result<(), CheckError> {
        let deepest_planned_um = setup
            .zones
            .iter()
            .flat_map(|z| z.exposures_mm.iter())
            .fold(f64::NEG_INFINITY, |a, &b| a.max(b * 1000.0));
        if setup.planned && deepest_planned_um > self.meta.setup.exposure_um {
            self.depth = depth::DepthCheck::new(deepest_planned_um, &self.expect);
        }
        if self.expect.zone_checks {
            self.zones = Some(zones::ZoneCheck::new(setup, &self.expect)?);
        }
        Ok(())
    }

    /// One event (before any telemetry).
    pub fn event(&mut self, e: &EventRow) {
        self.events += 1;
        self.consistency.event(e, self.events);
        if let Some(z) = &mut self.zones
            && e.kind == EventKind::ZoneStart
            && let Some(i) = z.index(&e.code)
        {
            z.zone_start(e.t_us, i);
        }
        self.fw.event(e);
        if let Some((_, faults)) = &mut self.verify {
            faults.event(e);
        }
    }

    /// One telemetry row (after the events, before any puncture).
    #[inline]
    pub fn tick(&mut self, r: &TelemetryRow) {
        if self.phase < 1 {
            self.enter(1);
        }
        self.ticks += 1;
        self.consistency.tick(r);
        self.fw.tick(r);
        if let Some((mechanics, faults)) = &mut self.verify {
            mechanics.tick(r);
            faults.tick(r);
        }
        self.series.tick(r);
        if let Some(z) = &mut self.zones {
            z.tick(r.t_us, r.exposure_um);
        }
    }

    /// One puncture (after the telemetry).
    #[inline]
    pub fn puncture(&mut self, p: &PunctureRow) {
        if self.phase < 2 {
            self.enter(2);
        }
        self.punctures += 1;
        self.consistency.puncture(p);
        self.depth.add(p);
        self.density.add(p);
        self.fw.puncture(p);
        self.series.puncture(p.t_us, p.depth_um);
        if let Some(z) = &mut self.zones {
            let zone = match p.zone.index() {
                Some(i) => Some(i),
                None if p.zone.is_outside() => None,
                // not recorded: placed by position
                None => z.locate(p),
            };
            z.add(p, zone);
        }
    }

    /// The report; `recording` is the directory it names.
    pub fn finish(mut self, recording: &Path) -> CheckReport {
        self.enter(2);
        let (meta, expect) = (&self.meta, &self.expect);
        let mut verdicts = Vec::with_capacity(16);
        self.depth.verdicts(expect, &mut verdicts);
        self.density.verdicts(expect, &mut verdicts);
        if expect.zone_checks {
            match &self.zones {
                Some(z) => z.verdicts(expect, &mut verdicts),
                None => zones::not_applicable(&mut verdicts),
            }
        }
        self.fw.verdicts(expect, &mut verdicts);
        if let Some((mechanics, faults)) = &self.verify {
            mechanics.verdicts(&mut verdicts);
            let pen = meta.setup.device == needlebench_recording::DeviceKind::Pen;
            verdicts.push(verification::mechanics::stroke_rate_verdict(
                &self.fw.loaded(),
                pen,
                expect,
            ));
            verdicts.push(faults.verdict());
        }
        link::verdicts(meta, self.timing.as_ref(), expect, &mut verdicts);
        let consistency = std::mem::take(&mut self.consistency);
        verdicts.push(consistency.verdict(meta));
        CheckReport {
            scenario: meta.scenario.name.clone(),
            recording: recording.display().to_string(),
            completion: if meta.run.is_complete() {
                "complete".to_owned()
            } else {
                format!("incomplete: {}", meta.run.reason)
            },
            expectations: self.source.clone(),
            verdicts,
            density: self.density.grid(),
            depths: self.depth.histogram(&meta.setup.layers_um),
            series: self.series.points(),
            markers: std::mem::take(&mut self.fw.markers),
            firmware_log: std::mem::take(&mut self.fw.log),
            punctures: self.punctures,
            ticks: self.ticks,
        }
    }
}

fn golden_verdict(dir: &Path, golden: &Path) -> Result<Verdict, CheckError> {
    let report = diff(dir, golden, Tolerances::default())?;
    let first = report.first_divergence();
    let differing: u64 = report.files.iter().map(|f| f.differing_values).sum();
    Ok(Verdict {
        criterion: "golden".to_owned(),
        description: format!("Rows match the golden recording {}", golden.display()),
        actual: differing as f64,
        actual_text: match first {
            None => "same".to_owned(),
            Some(d) => format!("{differing} values differ; first: {d}"),
        },
        expected: "same (abs 1e-3, rel 1e-6)".to_owned(),
        unit: String::new(),
        outcome: if first.is_none() {
            Outcome::Pass
        } else {
            Outcome::Fail
        },
        first_failure: first.map(|d| Where {
            t_us: d.t_us,
            x_mm: None,
            y_mm: None,
        }),
        metrics: metrics(&[("differing_values", differing as f64)]),
    })
}
