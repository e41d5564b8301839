//! Checks of `[[inject]]` (timed faults) and `[expect]` (the checker's invariants).

use crate::doc::{Seg, k};
use crate::error::ScenarioError;
use crate::expect::Expect;
use crate::model::{InjectedFault, Injection, Skin};
use crate::raw::{RawExpect, RawInjection};
use crate::validate::{DURATION_MAX_S, Validator, join, keys, num};

/// Longest single injected fault, s.
const FAULT_DURATION_MAX_S: f64 = 3600.0;

impl Validator<'_, '_> {
    pub(crate) fn injection(
        &self,
        i: usize,
        raw: &RawInjection,
        duration_s: Option<f64>,
    ) -> Result<Injection, ScenarioError> {
        let base = vec![k("inject"), Seg::Index(i)];
        let dur = |d: f64| self.pos(&join(&base, "duration_s"), d, FAULT_DURATION_MAX_S);
        let (at_s, fault) = match *raw {
            RawInjection::ForceSpike {
                at_s,
                force_n,
                duration_s,
            } => {
                let force_n = self.range(&join(&base, "force_n"), force_n, 0.0, 50.0)?;
                (
                    at_s,
                    InjectedFault::ForceSpike {
                        force_n,
                        duration_s: dur(duration_s)?,
                    },
                )
            }
            RawInjection::CartridgeJam { at_s, duration_s } => (
                at_s,
                InjectedFault::CartridgeJam {
                    duration_s: dur(duration_s)?,
                },
            ),
            RawInjection::SensorStuck {
                at_s,
                sensor,
                duration_s,
            } => (
                at_s,
                InjectedFault::SensorStuck {
                    sensor,
                    duration_s: dur(duration_s)?,
                },
            ),
            RawInjection::SensorNoise {
                at_s,
                sensor,
                amplitude_us,
                amplitude_ma,
                amplitude_mv,
                duration_s,
            } => {
                let given = [
                    ("us", amplitude_us),
                    ("ma", amplitude_ma),
                    ("mv", amplitude_mv),
                ];
                let want = format!("amplitude_{}", sensor.unit());
                for (unit, value) in given {
                    if value.is_some() && unit != sensor.unit() {
                        let msg = format!(
                            "inject[{i}].amplitude_{unit}: sensor = \"{}\" takes `{want}`",
                            sensor.name()
                        );
                        return Err(self.invalid(&join(&base, &format!("amplitude_{unit}")), msg));
                    }
                }
                let value = given
                    .iter()
                    .find(|(u, _)| *u == sensor.unit())
                    .and_then(|g| g.1);
                let Some(value) = value else {
                    let msg = format!(
                        "inject[{i}]: sensor_noise on sensor = \"{}\" needs `{want}`",
                        sensor.name()
                    );
                    return Err(self.invalid(&base, msg));
                };
                let amplitude = self.pos(&join(&base, &want), value, 1e6)?;
                (
                    at_s,
                    InjectedFault::SensorNoise {
                        sensor,
                        amplitude,
                        duration_s: dur(duration_s)?,
                    },
                )
            }
            RawInjection::LinkDrop { at_s, duration_s } => (
                at_s,
                InjectedFault::LinkDrop {
                    duration_s: dur(duration_s)?,
                },
            ),
            RawInjection::LinkGarbage { at_s, bytes } => {
                if !(1..=65_536).contains(&bytes) {
                    let msg = format!("inject[{i}].bytes = {bytes} out of range 1–65536");
                    return Err(self.invalid(&join(&base, "bytes"), msg));
                }
                (at_s, InjectedFault::LinkGarbage { bytes })
            }
            RawInjection::BatterySag {
                at_s,
                drop_mv,
                duration_s,
            } => {
                let drop_mv = self.pos(&join(&base, "drop_mv"), drop_mv, 4200.0)?;
                (
                    at_s,
                    InjectedFault::BatterySag {
                        drop_mv,
                        duration_s: dur(duration_s)?,
                    },
                )
            }
            RawInjection::CartridgeRemoved { at_s, duration_s } => (
                at_s,
                InjectedFault::CartridgeRemoved {
                    duration_s: dur(duration_s)?,
                },
            ),
        };
        let p = join(&base, "at_s");
        let at_s = self.range(&p, at_s, 0.0, DURATION_MAX_S)?;
        if let Some(d) = duration_s.filter(|d| at_s >= *d) {
            let msg = format!(
                "inject[{i}].at_s = {}: must be before duration_s = {}",
                num(at_s),
                num(d)
            );
            return Err(self.invalid(&p, msg));
        }
        Ok(Injection { at_s, fault })
    }

    pub(crate) fn expect(&self, raw: &RawExpect, skin: &Skin) -> Result<Expect, ScenarioError> {
        let mut e = Expect::defaults_for(&skin.site.name, skin.builtin);
        let p = |key: &str| keys(&["expect", key]);
        let range = |key: &str, v: Option<f64>, d: f64, min: f64, max: f64| {
            self.opt(&p(key), v, d, |s, path, x| s.range(path, x, min, max))
        };
        let pos = |key: &str, v: Option<f64>, d: f64, max: f64| {
            self.opt(&p(key), v, d, |s, path, x| s.pos(path, x, max))
        };
        e.depth_tolerance_um = range(
            "depth_tolerance_um",
            raw.depth_tolerance_um,
            e.depth_tolerance_um,
            0.0,
            3000.0,
        )?;
        if let Some(m) = raw.max_depth_um {
            e.max_depth_um = Some(self.pos(&p("max_depth_um"), m, 30_000.0)?);
        }
        if let Some(layers) = &raw.forbidden_layers {
            e.forbidden_layers = dedup(layers.clone());
            e.forbidden_layers_written = true;
        }
        if let Some(layers) = &raw.target_layers {
            e.target_layers = dedup(layers.clone());
        }
        if let Some(both) = e
            .target_layers
            .iter()
            .find(|l| e.forbidden_layers.contains(l))
        {
            let msg = format!(
                "expect.target_layers: `{}` is also a forbidden layer (forbidden: {})",
                both.name(),
                e.forbidden_layers
                    .iter()
                    .map(|l| l.name())
                    .collect::<Vec<_>>()
                    .join(", ")
            );
            return Err(self.invalid(&p("target_layers"), msg));
        }
        e.min_target_fraction = range(
            "min_target_fraction",
            raw.min_target_fraction,
            e.min_target_fraction,
            0.0,
            1.0,
        )?;
        e.density_cell_mm = pos(
            "density_cell_mm",
            raw.density_cell_mm,
            e.density_cell_mm,
            100.0,
        )?;
        e.density_min_per_cm2 = range(
            "density_min_per_cm2",
            raw.density_min_per_cm2,
            e.density_min_per_cm2,
            0.0,
            1e7,
        )?;
        e.density_max_per_cm2 = pos(
            "density_max_per_cm2",
            raw.density_max_per_cm2,
            e.density_max_per_cm2,
            1e7,
        )?;
        if e.density_min_per_cm2 > e.density_max_per_cm2 {
            let msg = format!(
                "expect.density_min_per_cm2 = {} is above density_max_per_cm2 = {}",
                num(e.density_min_per_cm2),
                num(e.density_max_per_cm2)
            );
            let key = if raw.density_min_per_cm2.is_some() {
                "density_min_per_cm2"
            } else {
                "density_max_per_cm2"
            };
            return Err(self.invalid(&p(key), msg));
        }
        e.min_coverage = range("min_coverage", raw.min_coverage, e.min_coverage, 0.0, 1.0)?;
        if let Some(cells) = raw.tram_track_cells {
            if !(2..=10_000).contains(&cells) {
                let msg = format!("expect.tram_track_cells = {cells} out of range 2–10000");
                return Err(self.invalid(&p("tram_track_cells"), msg));
            }
            e.tram_track_cells = cells;
        }
        e.stroke_hz_tolerance_pct = pos(
            "stroke_hz_tolerance_pct",
            raw.stroke_hz_tolerance_pct,
            e.stroke_hz_tolerance_pct,
            100.0,
        )?;
        e.fault_stop_ms = pos(
            "fault_stop_ms",
            raw.fault_stop_ms,
            e.fault_stop_ms,
            10_000.0,
        )?;
        if let Some(faults) = &raw.faults {
            e.faults = dedup(faults.iter().map(|f| f.0).collect());
        }
        e.max_crc_error_rate = range(
            "max_crc_error_rate",
            raw.max_crc_error_rate,
            e.max_crc_error_rate,
            0.0,
            1.0,
        )?;
        e.max_lag_ms = pos("max_lag_ms", raw.max_lag_ms, e.max_lag_ms, 60_000.0)?;
        e.golden = raw.golden.as_deref().map(|g| self.resolve_read(g));
        e.complete = raw.complete.unwrap_or(true);
        e.verification = raw.verification.unwrap_or(false);
        e.zone_checks = raw.zone_checks.unwrap_or(true);
        e.zone_outside_max_fraction = range(
            "zone_outside_max_fraction",
            raw.zone_outside_max_fraction,
            e.zone_outside_max_fraction,
            0.0,
            1.0,
        )?;
        e.zone_border_mm = range(
            "zone_border_mm",
            raw.zone_border_mm,
            e.zone_border_mm,
            0.0,
            50.0,
        )?;
        e.exposure_tolerance_um = range(
            "exposure_tolerance_um",
            raw.exposure_tolerance_um,
            e.exposure_tolerance_um,
            0.0,
            3000.0,
        )?;
        e.labelled_max_exposure_um = pos(
            "labelled_max_exposure_um",
            raw.labelled_max_exposure_um,
            e.labelled_max_exposure_um,
            3000.0,
        )?;
        if let Some(bounds) = &raw.fault_detect_ms {
            for (fault, &ms) in bounds {
                let path = keys(&["expect", "fault_detect_ms", fault.0.name()]);
                e.fault_detect_ms
                    .push((fault.0, self.pos(&path, ms, 3_600_000.0)?));
            }
        }
        Ok(e)
    }
}

/// Sorted, without duplicates.
fn dedup<T: Ord>(mut v: Vec<T>) -> Vec<T> {
    v.sort();
    v.dedup();
    v
}
