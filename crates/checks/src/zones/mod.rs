//! Per-zone criteria for a recording that holds a face map: `zone.depth`,
//! `zone.forbidden_layers`, `zone.density`, `zone.coverage`, `zone.tram_tracks` (one verdict
//! per zone, named `zone.<criterion>.<zone id>`, e.g. `zone.depth.nose`) and `zone.outside`
//! (one verdict).
//!
//! Each zone is held to its own limits: the face map's chart depth (`depth_mm`), density band
//! (`density_per_cm2`) and site (its default forbidden layers), and the plan's exposure for
//! it. The scenario-wide `[expect]` keys `depth_tolerance_um`, `density_cell_mm`,
//! `min_coverage`, `tram_track_cells` and `zone_border_mm` apply to every zone; a `forbidden_layers` list the
//! scenario wrote replaces every zone's site default. There are no per-zone overrides: a zone
//! that needs other limits gets them in the face map. `[expect] zone_checks = false` leaves
//! every `zone.*` criterion out.
//!
//! A puncture belongs to the zone its `zone` column names (`punctures.csv`, format 4); a row
//! that does not record it is placed by position. Rules (the same code as the treated area's
//! depth and density criteria: [`crate::depth`], [`crate::cells`]):
//!
//! * `zone.depth.<id>`: the plan's setting for the zone within the zone's chart range (above
//!   the chart fails, naming the zone, setting and chart; below it is acceptable: too shallow
//!   is a missed effect, not an injury); no puncture in the zone made with the pen set deeper
//!   than the chart's maximum (telemetry's `exposure_um` at the puncture: a pass straying from
//!   a deeper zone, named with the zone whose pass it was, fails); and the zone's deepest
//!   puncture within the setting +
//!   `depth_tolerance_um` (acceptable to + 2 × tolerance, like `depth.max`). A zone the plan
//!   does not treat is held to its chart's maximum instead. A zone treated twice is held to
//!   its deepest setting. Punctures past the limit within `[expect] zone_border_mm` of the
//!   zone's edge (default 0: none) are border spill — the edge needles of a cartridge guided
//!   along the border of a deeper neighbour — and make the verdict at most acceptable; the
//!   rest are judged as above. N/A with neither a setting nor a puncture.
//! * `zone.forbidden_layers.<id>`: no puncture in the zone ends in a forbidden layer (any
//!   fails; N/A without punctures). The evidence names the layers, the pen's exposure at the
//!   first such puncture, and the plan zone being treated then when it is another zone: a pass
//!   that strays from the cheek onto the periorbital zone reads "right periorbital: 212
//!   punctures in hypodermis at right cheek depth 1.00 mm".
//! * `zone.density.<id>` (zones the plan treats): `density.range` over the zone's cells with
//!   the zone's band (whole cells held to the minimum, every cell to the maximum; ±10 %
//!   acceptable).
//! * `zone.coverage.<id>` (zones the plan treats): share of the zone's whole cells (in-zone
//!   cells when none is whole) with at least one puncture, against `min_coverage` (0.05 below
//!   acceptable). N/A for a zone smaller than a cell.
//! * `zone.tram_tracks.<id>` (zones the plan treats): `density.tram_tracks` over the zone's
//!   cells with the zone's maximum.
//! * `zone.outside`: punctures outside every zone, plus (with a plan) punctures in zones the
//!   plan does not treat. None passes; up to `zone_outside_max_fraction` of all punctures is
//!   acceptable; more fails. Punctures outside every zone but within `zone_border_mm` of one
//!   are border spill: counted apart, at most acceptable. N/A without punctures.
//!
//! Without a plan (a recording checked against a scenario without `[plan]`) every zone a
//! puncture reached is judged as treated, with no setting. Zones the plan does not treat and
//! no puncture reached get no verdicts. A recording without a face map gets the six criteria
//! as `zone.depth`, `zone.forbidden_layers`, … once each, N/A.

mod verdicts;

pub(crate) use verdicts::not_applicable;

use crate::cells::{Cells, at};
use crate::density::point_in_polygon;
use crate::depth::DepthCheck;
use crate::error::CheckError;
use crate::verdict::{Verdict, Where};
use needlebench_face::FaceMap;
use needlebench_face::geometry::boundary_distance_mm;
use needlebench_recording::{Layer, PunctureRow};
use needlebench_scenario::Expect;

/// The criteria families, in report order.
pub const CRITERIA: [&str; 6] = [
    "zone.depth",
    "zone.forbidden_layers",
    "zone.density",
    "zone.coverage",
    "zone.tram_tracks",
    "zone.outside",
];

/// One zone of a face map as the checks judge it.
#[derive(Debug, Clone, PartialEq)]
pub struct ZoneLimits {
    /// Stable id (`left_cheek`): the verdicts are named after it.
    pub id: String,
    /// Name for people (`left cheek`): the evidence starts with it.
    pub label: String,
    /// The zone's outline, mm, face coordinates (no repeated closing point).
    pub outline_mm: Vec<[f64; 2]>,
    /// The chart's recommended exposure range, mm.
    pub depth_mm: [f64; 2],
    /// Target puncture density for one treatment, /cm².
    pub density_per_cm2: [f64; 2],
    /// Layers no puncture in this zone may end in.
    pub forbidden_layers: Vec<Layer>,
    /// The plan's exposure settings for this zone, mm, in plan order; empty when the plan
    /// does not treat it.
    pub exposures_mm: Vec<f64>,
}

/// One step of a treatment plan as the zone checks need it.
#[derive(Debug, Clone, PartialEq)]
pub struct PlannedZone {
    /// The zone's id in the face map.
    pub zone: String,
    /// The exposure the plan sets for it, mm.
    pub exposure_mm: f64,
}

/// The zones of a recording's face map, and whether a plan said which ones to treat.
#[derive(Debug, Clone, PartialEq)]
pub struct ZoneSetup {
    /// In face-map order (the order of the recording's zone ids).
    pub zones: Vec<ZoneLimits>,
    /// Whether the expectations came with a plan; without one every zone a puncture reached
    /// is judged as treated and no setting is checked.
    pub planned: bool,
}

impl ZoneSetup {
    /// The zones of `map` with the settings of `plan` (`None`: no plan; a plan step naming a
    /// zone the map lacks is ignored, the scenario's own validation refuses it) and each
    /// zone's forbidden layers ([`ZoneSetup::forbidden_for`]).
    pub fn new(map: &FaceMap, plan: Option<&[PlannedZone]>, expect: &Expect) -> ZoneSetup {
        let zones = map
            .zones
            .iter()
            .map(|z| ZoneLimits {
                id: z.id.clone(),
                label: z.label.clone(),
                outline_mm: z.outline_mm.clone(),
                depth_mm: z.depth_mm,
                density_per_cm2: z.density_per_cm2,
                forbidden_layers: Self::forbidden_for(
                    expect,
                    &z.site_name,
                    z.site_name != "custom",
                ),
                exposures_mm: plan
                    .unwrap_or_default()
                    .iter()
                    .filter(|s| s.zone == z.id)
                    .map(|s| s.exposure_mm)
                    .collect(),
            })
            .collect();
        ZoneSetup {
            zones,
            planned: plan.is_some(),
        }
    }

    /// The forbidden layers of a zone on `site_name` (a built-in site's name, or anything
    /// else for a custom stack): `expect.forbidden_layers` when the scenario wrote them, else
    /// [`Expect::forbidden_layers_for`] the zone's site.
    pub fn forbidden_for(expect: &Expect, site_name: &str, builtin: bool) -> Vec<Layer> {
        if expect.forbidden_layers_written {
            expect.forbidden_layers.clone()
        } else {
            Expect::forbidden_layers_for(site_name, builtin)
        }
    }
}

/// Streaming state of one zone.
#[derive(Debug)]
struct ZoneState {
    limits: ZoneLimits,
    /// Treated by the plan (or, without one, reached by a puncture: decided at the end).
    treated: bool,
    depth: DepthCheck,
    cells: Cells,
    bbox_mm: [[f64; 2]; 2],
    /// Pen exposure and plan zone being treated at the first forbidden puncture.
    forbidden_exposure_um: Option<f64>,
    forbidden_during: Option<usize>,
    /// `[expect] zone_border_mm`: punctures past the depth limit this close to the edge are
    /// border spill.
    border_mm: f64,
    /// Punctures past the depth limit within `border_mm` of the zone's edge: count, deepest,
    /// first.
    spill: u64,
    spill_max_um: f64,
    first_spill: Option<Where>,
    /// The other punctures' deepest finite depth and first moments past the limits (every
    /// puncture's when `border_mm` is 0).
    inner_max_um: f64,
    inner_first_over_pass: Option<Where>,
    inner_first_over_fail: Option<Where>,
    /// Punctures (not border spill) made with the pen set deeper than the zone's chart: count,
    /// and per plan zone being treated then (index; the last entry: none known) their count and
    /// deepest setting (µm), the first.
    over_chart: u64,
    over_chart_by: Vec<(u64, f64)>,
    first_over_chart: Option<Where>,
}

impl ZoneState {
    /// Tally `p`, made with the pen at `exposure_um` while the plan treated zone `during`,
    /// for the depth limits: border spill, or against the limits and the chart.
    #[inline]
    fn judge_depth(&mut self, p: &PunctureRow, exposure_um: Option<f64>, during: Option<usize>) {
        let depth = f64::from(p.depth_um);
        // half a µm of slack: settings are written in mm, telemetry holds f32 µm
        let over_chart = exposure_um.is_some_and(|e| e > self.limits.depth_mm[1] * 1000.0 + 0.5);
        let over = depth > self.depth.pass_limit_um || over_chart;
        if over
            && self.border_mm > 0.0
            && boundary_distance_mm(
                &self.limits.outline_mm,
                [f64::from(p.x_mm), f64::from(p.y_mm)],
            ) <= self.border_mm
        {
            self.spill += 1;
            self.spill_max_um = self.spill_max_um.max(depth);
            self.first_spill.get_or_insert_with(|| at(p));
            return;
        }
        if over_chart {
            self.over_chart += 1;
            let last = self.over_chart_by.len() - 1;
            let by = &mut self.over_chart_by[during.unwrap_or(last).min(last)];
            by.0 += 1;
            by.1 = by.1.max(exposure_um.unwrap_or(0.0));
            self.first_over_chart.get_or_insert_with(|| at(p));
        }
        let over = depth > self.depth.pass_limit_um;
        if depth.is_finite() {
            self.inner_max_um = self.inner_max_um.max(depth);
        }
        if over {
            self.inner_first_over_pass.get_or_insert_with(|| at(p));
        }
        if depth > self.depth.fail_limit_um {
            self.inner_first_over_fail.get_or_insert_with(|| at(p));
        }
    }
}

/// Streaming state of the `zone.*` criteria.
#[derive(Debug)]
pub(crate) struct ZoneCheck {
    zones: Vec<ZoneState>,
    planned: bool,
    /// Pen exposure over time, µm: `(t_us, exposure)` at each change.
    exposures: Vec<(u64, f32)>,
    exposure_cursor: usize,
    /// Plan zone being treated over time: `(t_us, zone)` at each zone start.
    starts: Vec<(u64, usize)>,
    start_cursor: usize,
    punctures: u64,
    outside: u64,
    first_outside: Option<Where>,
    /// Punctures outside every zone within `border_mm` of one.
    outside_spill: u64,
    first_outside_spill: Option<Where>,
    border_mm: f64,
    off_plan: u64,
    first_off_plan: Option<Where>,
}

impl ZoneCheck {
    pub(crate) fn new(setup: ZoneSetup, expect: &Expect) -> Result<Self, CheckError> {
        let zone_count = setup.zones.len();
        let mut zones = Vec::with_capacity(zone_count);
        for z in setup.zones {
            let chart_max_mm = z.depth_mm[1];
            let setting_mm = z.exposures_mm.iter().copied().fold(f64::NAN, f64::max);
            let limit_um = 1000.0
                * if setting_mm.is_finite() {
                    setting_mm
                } else {
                    chart_max_mm
                };
            let zone_expect = Expect {
                forbidden_layers: z.forbidden_layers.clone(),
                target_layers: Vec::new(),
                max_depth_um: None,
                ..expect.clone()
            };
            let mut lo = [f64::INFINITY; 2];
            let mut hi = [f64::NEG_INFINITY; 2];
            for p in &z.outline_mm {
                for k in 0..2 {
                    lo[k] = lo[k].min(p[k]);
                    hi[k] = hi[k].max(p[k]);
                }
            }
            zones.push(ZoneState {
                treated: !z.exposures_mm.is_empty(),
                depth: DepthCheck::new(limit_um, &zone_expect),
                cells: Cells::new(&z.outline_mm, expect.density_cell_mm, z.density_per_cm2)?,
                bbox_mm: [lo, hi],
                limits: z,
                forbidden_exposure_um: None,
                forbidden_during: None,
                border_mm: expect.zone_border_mm,
                spill: 0,
                spill_max_um: f64::NEG_INFINITY,
                first_spill: None,
                inner_max_um: f64::NEG_INFINITY,
                inner_first_over_pass: None,
                inner_first_over_fail: None,
                over_chart: 0,
                over_chart_by: vec![(0, 0.0); zone_count + 1],
                first_over_chart: None,
            });
        }
        Ok(ZoneCheck {
            zones,
            planned: setup.planned,
            exposures: Vec::new(),
            exposure_cursor: 0,
            starts: Vec::new(),
            start_cursor: 0,
            punctures: 0,
            outside: 0,
            first_outside: None,
            outside_spill: 0,
            first_outside_spill: None,
            border_mm: expect.zone_border_mm,
            off_plan: 0,
            first_off_plan: None,
        })
    }

    /// The index of the zone with `id`.
    pub(crate) fn index(&self, id: &str) -> Option<usize> {
        self.zones.iter().position(|z| z.limits.id == id)
    }

    /// The plan began treating zone `zone` at `t_us` (events come in time order).
    pub(crate) fn zone_start(&mut self, t_us: u64, zone: usize) {
        self.starts.push((t_us, zone));
    }

    /// One telemetry row's time and pen exposure (rows in time order).
    #[inline]
    pub(crate) fn tick(&mut self, t_us: u64, exposure_um: f32) {
        if self
            .exposures
            .last()
            .is_none_or(|&(_, e)| e.to_bits() != exposure_um.to_bits())
        {
            self.exposures.push((t_us, exposure_um));
        }
    }

    /// The zone at `p` by position (for rows that do not record their zone).
    pub(crate) fn locate(&self, p: &PunctureRow) -> Option<usize> {
        let q = [f64::from(p.x_mm), f64::from(p.y_mm)];
        self.zones.iter().position(|z| {
            let [lo, hi] = z.bbox_mm;
            q[0] >= lo[0]
                && q[0] <= hi[0]
                && q[1] >= lo[1]
                && q[1] <= hi[1]
                && point_in_polygon(q, &z.limits.outline_mm)
        })
    }

    /// The last entry of `steps` at or before `t_us`, moving `cursor` forward (punctures come
    /// in time order).
    fn step_at<T: Copy>(steps: &[(u64, T)], cursor: &mut usize, t_us: u64) -> Option<T> {
        while *cursor + 1 < steps.len() && steps[*cursor + 1].0 <= t_us {
            *cursor += 1;
        }
        steps
            .get(*cursor)
            .filter(|&&(t, _)| t <= t_us)
            .map(|&(_, v)| v)
    }

    /// Whether `p` (outside every zone) lies within `border_mm` of a zone.
    fn near_a_zone(&self, p: &PunctureRow) -> bool {
        let b = self.border_mm;
        if b <= 0.0 {
            return false;
        }
        let q = [f64::from(p.x_mm), f64::from(p.y_mm)];
        self.zones.iter().any(|z| {
            let [lo, hi] = z.bbox_mm;
            q[0] >= lo[0] - b
                && q[0] <= hi[0] + b
                && q[1] >= lo[1] - b
                && q[1] <= hi[1] + b
                && boundary_distance_mm(&z.limits.outline_mm, q) <= b
        })
    }

    /// One puncture in zone `zone` (`None`: outside every zone), in time order.
    #[inline]
    pub(crate) fn add(&mut self, p: &PunctureRow, zone: Option<usize>) {
        self.punctures += 1;
        let Some(z) = zone.filter(|&z| z < self.zones.len()) else {
            if self.near_a_zone(p) {
                self.outside_spill += 1;
                self.first_outside_spill.get_or_insert_with(|| at(p));
            } else {
                self.outside += 1;
                self.first_outside.get_or_insert_with(|| at(p));
            }
            return;
        };
        if self.planned && !self.zones[z].treated {
            self.off_plan += 1;
            self.first_off_plan.get_or_insert_with(|| at(p));
        }
        let exposure = Self::step_at(&self.exposures, &mut self.exposure_cursor, p.t_us);
        let during = Self::step_at(&self.starts, &mut self.start_cursor, p.t_us);
        let state = &mut self.zones[z];
        let before = state.depth.in_forbidden;
        state.depth.add(p);
        state.cells.add(p);
        state.judge_depth(p, exposure.map(f64::from), during);
        if before == 0 && state.depth.in_forbidden == 1 {
            state.forbidden_exposure_um = exposure.map(f64::from);
            state.forbidden_during = during;
        }
    }

    pub(crate) fn verdicts(&self, expect: &Expect, out: &mut Vec<Verdict>) {
        verdicts::all(self, expect, out);
    }
}
