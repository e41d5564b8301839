//! The `zone.*` verdicts of a [`ZoneCheck`]: one per zone and criterion, then `zone.outside`.

use super::{CRITERIA, ZoneCheck, ZoneState};
use crate::density::COVERAGE_BAND;
use crate::limits::{at_least, at_most, within_max, within_min};
use crate::metrics;
use crate::verdict::{DensityGrid, Outcome, Verdict, Where};
use needlebench_physics::LAYER_COUNT;
use needlebench_recording::Layer;
use needlebench_scenario::Expect;

/// The six criteria once each, N/A: the recording holds no face map.
pub(crate) fn not_applicable(out: &mut Vec<Verdict>) {
    for criterion in CRITERIA {
        out.push(Verdict {
            criterion: criterion.to_owned(),
            description: "Judged zone by zone on a treatment plan's face map".to_owned(),
            actual: 0.0,
            actual_text: "no face map in the recording".to_owned(),
            expected: "a recording of a treatment plan".to_owned(),
            unit: String::new(),
            outcome: Outcome::NotApplicable,
            first_failure: None,
            metrics: metrics(&[]),
        });
    }
}

pub(super) fn all(check: &ZoneCheck, expect: &Expect, out: &mut Vec<Verdict>) {
    let treated = |z: &ZoneState| z.treated || (!check.planned && z.depth.count > 0);
    let judged: Vec<usize> = (0..check.zones.len())
        .filter(|&i| treated(&check.zones[i]) || check.zones[i].depth.count > 0)
        .collect();
    for &i in &judged {
        out.push(depth(check, i, expect));
    }
    for &i in &judged {
        out.push(forbidden(check, i));
    }
    let treated: Vec<&ZoneState> = judged
        .iter()
        .map(|&i| &check.zones[i])
        .filter(|z| treated(z))
        .collect();
    let grids: Vec<_> = treated.iter().map(|z| z.cells.grid()).collect();
    for (z, grid) in treated.iter().zip(&grids) {
        out.push(density(z, grid));
    }
    for (z, grid) in treated.iter().zip(&grids) {
        out.push(coverage(z, grid, expect));
    }
    for (z, grid) in treated.iter().zip(&grids) {
        out.push(tracks(z, grid, expect));
    }
    out.push(outside(check, expect));
}

fn name(family: &str, z: &ZoneState) -> String {
    format!("{family}.{}", z.limits.id)
}

fn chart(z: &ZoneState) -> String {
    let [lo, hi] = z.limits.depth_mm;
    format!("{lo:.2}–{hi:.2} mm")
}

/// How the plan's settings for the zone compare with its chart: the worst one.
fn setting(z: &ZoneState) -> Option<(Outcome, String)> {
    let [lo, hi] = z.limits.depth_mm;
    let chart = chart(z);
    z.limits
        .exposures_mm
        .iter()
        .map(|&e| {
            if !within_max(e, hi) {
                (
                    Outcome::Fail,
                    format!("setting {e:.2} mm above the chart's {chart}"),
                )
            } else if !within_min(e, lo) {
                (
                    Outcome::Acceptable,
                    format!("setting {e:.2} mm below the chart's {chart}"),
                )
            } else {
                (
                    Outcome::Pass,
                    format!("setting {e:.2} mm within the chart's {chart}"),
                )
            }
        })
        .max_by_key(|(o, _)| *o)
}

fn depth(check: &ZoneCheck, i: usize, expect: &Expect) -> Verdict {
    let z = &check.zones[i];
    let d = &z.depth;
    let (punctures, deepest) = if d.non_finite > 0 {
        (
            Some(Outcome::Fail),
            format!("{} non-finite depth(s)", d.non_finite),
        )
    } else if d.count == 0 {
        (None, "no punctures".to_owned())
    } else if z.spill > 0 {
        // the other punctures judged as usual; the spill at most acceptable
        let inner = if z.inner_max_um.is_finite() {
            at_most(z.inner_max_um, d.pass_limit_um, d.fail_limit_um)
        } else {
            Outcome::Pass
        };
        (
            Some(inner.max(Outcome::Acceptable)),
            format!(
                "{}{} past the limit within {:.1} mm of the edge (border spill, deepest {:.1} µm)",
                if z.inner_max_um.is_finite() {
                    format!("deepest {:.1} µm elsewhere; ", z.inner_max_um)
                } else {
                    String::new()
                },
                z.spill,
                z.border_mm,
                z.spill_max_um
            ),
        )
    } else {
        (
            Some(at_most(d.max_um(), d.pass_limit_um, d.fail_limit_um)),
            format!("deepest {:.1} µm", d.max_um()),
        )
    };
    let setting = setting(z);
    // punctures made with the pen set deeper than the chart (a stray pass, a wrong setting)
    let pen = (z.over_chart > 0).then(|| {
        // the pass most of them came from
        let (k, &(n, e_um)) = z
            .over_chart_by
            .iter()
            .enumerate()
            .max_by_key(|(k, (n, _))| (*n, std::cmp::Reverse(*k)))
            .unwrap_or((0, &(0, 0.0)));
        let e = e_um / 1000.0;
        match check.zones.get(k) {
            Some(pass) if k != i && n == z.over_chart => format!(
                "{n} punctures with the pen at {e:.2} mm during the {} pass, deeper than the chart",
                pass.limits.label
            ),
            Some(pass) if k != i => format!(
                "{} punctures with the pen deeper than the chart, {n} of them at {e:.2} mm during the {} pass",
                z.over_chart, pass.limits.label
            ),
            _ => format!(
                "{} punctures with the pen at {e:.2} mm, deeper than the chart",
                z.over_chart
            ),
        }
    });
    let outcome = punctures
        .into_iter()
        .chain(setting.iter().map(|s| s.0))
        .chain(pen.as_ref().map(|_| Outcome::Fail))
        .max()
        .unwrap_or(Outcome::NotApplicable);
    let first_failure = match punctures {
        Some(Outcome::Fail) => z.inner_first_over_fail,
        _ if pen.is_some() => z.first_over_chart,
        Some(Outcome::Acceptable) => z.inner_first_over_pass.or(z.first_spill),
        _ if outcome != Outcome::Pass => d.max_at,
        _ => None,
    };
    let label = &z.limits.label;
    let tol = expect.depth_tolerance_um;
    let pen_text = pen.map(|t| format!("; {t}")).unwrap_or_default();
    let (actual_text, expected) = match &setting {
        Some((_, s)) => (
            format!("{label}: {s}; {deepest}{pen_text}"),
            format!(
                "setting and pen within {} (chart); deepest ≤ {:.1} µm",
                chart(z),
                d.pass_limit_um
            ),
        ),
        None => (
            if check.planned {
                format!("{label}: not in the plan; {deepest}{pen_text}")
            } else {
                format!("{label}: no plan to set its depth; {deepest}{pen_text}")
            },
            format!(
                "pen within {} (chart); deepest ≤ {:.1} µm (the chart's maximum + {tol:.0} µm)",
                chart(z),
                d.pass_limit_um
            ),
        ),
    };
    let setting_mm = z.limits.exposures_mm.iter().copied().fold(0.0, f64::max);
    Verdict {
        criterion: name("zone.depth", z),
        description: format!(
            "In the {label}, the setting and the pen stay within the zone's chart depth and the deepest puncture within the setting plus {tol:.0} µm"
        ),
        actual: if d.non_finite > 0 {
            f64::NAN
        } else {
            d.max_um()
        },
        actual_text,
        expected,
        unit: "µm".to_owned(),
        outcome,
        first_failure: if matches!(outcome, Outcome::Acceptable | Outcome::Fail) {
            first_failure
        } else {
            None
        },
        metrics: metrics(&[
            ("max_depth_um", d.max_um()),
            ("limit_um", d.pass_limit_um),
            ("fail_limit_um", d.fail_limit_um),
            ("setting_mm", setting_mm),
            ("chart_min_mm", z.limits.depth_mm[0]),
            ("chart_max_mm", z.limits.depth_mm[1]),
            ("punctures", d.count as f64),
            ("non_finite", d.non_finite as f64),
            ("border_spill", z.spill as f64),
            ("punctures_over_chart", z.over_chart as f64),
        ]),
    }
}

fn layer_list(mask: impl Fn(usize) -> bool) -> String {
    Layer::ALL
        .iter()
        .filter(|l| mask(l.index()))
        .map(|l| l.name())
        .collect::<Vec<_>>()
        .join(", ")
}

fn forbidden(check: &ZoneCheck, i: usize) -> Verdict {
    let z = &check.zones[i];
    let d = &z.depth;
    let label = &z.limits.label;
    let n = d.in_forbidden;
    let outcome = if n > 0 {
        Outcome::Fail
    } else if d.count == 0 {
        Outcome::NotApplicable
    } else {
        Outcome::Pass
    };
    let forbidden = layer_list(|l| d.forbidden[l]);
    let actual_text = if n == 0 {
        format!("{label}: 0 of {} punctures", d.count)
    } else {
        let hit = layer_list(|l| d.forbidden[l] && d.per_layer[l] > 0);
        let when = match (z.forbidden_exposure_um, z.forbidden_during) {
            (Some(e), Some(during)) if during != i => format!(
                " at {} depth {:.2} mm",
                check.zones[during].limits.label,
                e / 1000.0
            ),
            (Some(e), _) => format!(" at {:.2} mm", e / 1000.0),
            (None, _) => String::new(),
        };
        format!("{label}: {n} punctures in {hit}{when}")
    };
    let per_layer: Vec<(String, f64)> = (0..LAYER_COUNT)
        .filter(|&l| d.forbidden[l] && d.per_layer[l] > 0)
        .map(|l| {
            (
                format!("in_{}", Layer::ALL[l].name()),
                d.per_layer[l] as f64,
            )
        })
        .collect();
    let mut m = metrics(&[("in_forbidden", n as f64), ("punctures", d.count as f64)]);
    m.extend(per_layer);
    if let Some(e) = z.forbidden_exposure_um {
        m.insert("exposure_um".to_owned(), e);
    }
    Verdict {
        criterion: name("zone.forbidden_layers", z),
        description: format!("No puncture in the {label} ends in a layer forbidden there"),
        actual: n as f64,
        actual_text,
        expected: if forbidden.is_empty() {
            "0 (no forbidden layer)".to_owned()
        } else {
            format!("0 in {{{forbidden}}}")
        },
        unit: String::new(),
        outcome,
        first_failure: if n > 0 { d.first_forbidden } else { None },
        metrics: m,
    }
}

fn density(z: &ZoneState, grid: &DensityGrid) -> Verdict {
    let f = z.cells.range(grid);
    let label = &z.limits.label;
    let [min, max] = z.limits.density_per_cm2;
    let (outcome, actual_text) = if f.cells_checked == 0 {
        (
            Outcome::NotApplicable,
            format!("{label}: no cell in the zone"),
        )
    } else {
        (
            f.outcome,
            format!(
                "{label}: worst {:.0} /cm² (min {:.0}, max {:.0}; {} cells over, {} under)",
                f.actual_per_cm2, f.lo_per_cm2, f.hi_per_cm2, f.cells_over, f.cells_under
            ),
        )
    };
    Verdict {
        criterion: name("zone.density", z),
        description: format!(
            "Punctures per cm² in every {} mm cell of the {label}, against the zone's band",
            z.cells.cell_mm()
        ),
        actual: f.actual_per_cm2,
        actual_text,
        expected: format!("[{min:.0}, {max:.0}] /cm²"),
        unit: "/cm²".to_owned(),
        outcome,
        first_failure: f.first_failure,
        metrics: metrics(&[
            ("min_per_cm2", f.lo_per_cm2),
            ("max_per_cm2", f.hi_per_cm2),
            ("cells_over", f.cells_over as f64),
            ("cells_under", f.cells_under as f64),
            ("cells_checked", f.cells_checked as f64),
        ]),
    }
}

fn coverage(z: &ZoneState, grid: &DensityGrid, expect: &Expect) -> Verdict {
    let f = z.cells.coverage(grid, 0.0);
    let label = &z.limits.label;
    let floor = expect.min_coverage;
    let (outcome, actual_text) = if f.cells == 0 {
        (
            Outcome::NotApplicable,
            format!("{label}: no cell in the zone"),
        )
    } else {
        (
            at_least(f.share, floor, floor - COVERAGE_BAND),
            format!(
                "{label}: {:.1} % ({} of {} cells)",
                f.share * 100.0,
                f.treated,
                f.cells
            ),
        )
    };
    Verdict {
        criterion: name("zone.coverage", z),
        description: format!("Share of the {label}'s cells with at least one puncture"),
        actual: f.share,
        actual_text,
        expected: format!("≥ {:.1} %", floor * 100.0),
        unit: String::new(),
        outcome,
        first_failure: if matches!(outcome, Outcome::Acceptable | Outcome::Fail) {
            f.first_untreated
        } else {
            None
        },
        metrics: metrics(&[
            ("coverage", f.share),
            ("cells", f.cells as f64),
            ("cells_treated", f.treated as f64),
        ]),
    }
}

fn tracks(z: &ZoneState, grid: &DensityGrid, expect: &Expect) -> Verdict {
    let need = expect.tram_track_cells.max(1) as usize;
    let f = z.cells.tracks(grid, need);
    let label = &z.limits.label;
    let max = z.limits.density_per_cm2[1];
    let outcome = if z.depth.count == 0 {
        Outcome::NotApplicable
    } else if f.tracks == 0 {
        Outcome::Pass
    } else {
        Outcome::Fail
    };
    Verdict {
        criterion: name("zone.tram_tracks", z),
        description: format!(
            "No line of ≥ {need} adjacent cells above {max:.0} /cm² along a row or column of the {label}"
        ),
        actual: f.tracks as f64,
        actual_text: match (z.depth.count, f.tracks) {
            (0, _) => format!("{label}: no punctures"),
            (_, 0) => format!("{label}: 0 tracks"),
            (_, n) => format!("{label}: {n} tracks (longest {} cells)", f.longest_cells),
        },
        expected: "0 tracks".to_owned(),
        unit: String::new(),
        outcome,
        first_failure: f.first,
        metrics: metrics(&[
            ("tracks", f.tracks as f64),
            ("longest_cells", f.longest_cells as f64),
        ]),
    }
}

fn earliest(a: Option<Where>, b: Option<Where>) -> Option<Where> {
    match (a, b) {
        (Some(a), Some(b)) => Some(if b.t_us < a.t_us { b } else { a }),
        (a, b) => a.or(b),
    }
}

fn outside(check: &ZoneCheck, expect: &Expect) -> Verdict {
    let n = check.outside + check.off_plan;
    let total = check.punctures;
    let share = if total == 0 {
        0.0
    } else {
        n as f64 / total as f64
    };
    let max = expect.zone_outside_max_fraction;
    let spill = check.outside_spill;
    let outcome = if total == 0 {
        Outcome::NotApplicable
    } else if n == 0 && spill == 0 {
        Outcome::Pass
    } else if within_max(share, max) {
        Outcome::Acceptable
    } else {
        Outcome::Fail
    };
    let mut parts = vec![format!("{} outside every zone", check.outside)];
    if check.border_mm > 0.0 {
        parts.push(format!(
            "{spill} just outside (within {:.1} mm of a zone: border spill)",
            check.border_mm
        ));
    }
    if check.planned {
        let skipped: Vec<String> = check
            .zones
            .iter()
            .filter(|z| !z.treated && z.depth.count > 0)
            .map(|z| format!("{} {}", z.limits.label, z.depth.count))
            .collect();
        parts.push(if skipped.is_empty() {
            "0 in zones the plan does not treat".to_owned()
        } else {
            format!(
                "{} in zones the plan does not treat ({})",
                check.off_plan,
                skipped.join(", ")
            )
        });
    }
    Verdict {
        criterion: "zone.outside".to_owned(),
        description: if check.planned {
            "No puncture lands outside the zones the plan treats".to_owned()
        } else {
            "No puncture lands outside every zone of the face map".to_owned()
        },
        actual: n as f64,
        actual_text: if total == 0 {
            "no punctures".to_owned()
        } else {
            format!(
                "{}; {:.2} % of {total} punctures",
                parts.join(", "),
                share * 100.0
            )
        },
        expected: format!("0 (up to {:.2} % acceptable)", max * 100.0),
        unit: String::new(),
        outcome,
        first_failure: match outcome {
            Outcome::Acceptable | Outcome::Fail => earliest(
                earliest(check.first_outside, check.first_off_plan),
                check.first_outside_spill,
            ),
            _ => None,
        },
        metrics: metrics(&[
            ("outside_every_zone", check.outside as f64),
            ("border_spill", spill as f64),
            ("in_untreated_zones", check.off_plan as f64),
            ("share", share),
            ("punctures", total as f64),
        ]),
    }
}
