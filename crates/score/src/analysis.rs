//! The per-zone measurements every metric and every feedback line is taken from: cell counts
//! and visits, the pen's on-skin path in segments, dwell spots.

use crate::geometry::{Grid, Polygon};
use crate::input::{Puncture, Sample, ScoreInput};
use crate::{DWELL_RADIUS_MM, DWELL_S, HOT_FACTOR, OFF_PLAN_S, SPEED_STEP_S, VISIT_GAP_S};

/// Microseconds per second.
pub(crate) const US: f64 = 1e6;
/// Samples further apart than this, µs, do not stand for the time between them (a gap in
/// the data): a sample stands for at most this long.
pub(crate) const MAX_SAMPLE_GAP_US: u64 = 100_000;

/// A piece of the pen's on-skin path inside one zone, between two samples
/// ≥ [`SPEED_STEP_S`] apart.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Segment {
    pub(crate) t0_us: u64,
    pub(crate) t1_us: u64,
    pub(crate) zone: usize,
    pub(crate) len_mm: f64,
}

impl Segment {
    pub(crate) fn dt_s(&self) -> f64 {
        (self.t1_us - self.t0_us) as f64 / US
    }
}

/// Where the pen stayed within [`DWELL_RADIUS_MM`] for at least [`DWELL_S`].
#[derive(Debug, Clone, Copy)]
pub(crate) struct Dwell {
    pub(crate) t0_us: u64,
    pub(crate) t1_us: u64,
    pub(crate) zone: usize,
    pub(crate) pos_mm: [f64; 2],
}

/// One zone's grid and counts.
#[derive(Debug, Clone)]
pub(crate) struct ZoneCells {
    pub(crate) area_mm2: f64,
    pub(crate) grid: Grid,
    /// Punctures of the zone per cell.
    pub(crate) counts: Vec<u32>,
    /// Separate pen visits per cell (puncture runs more than [`VISIT_GAP_S`] apart).
    pub(crate) visits: Vec<u32>,
    /// Hot spot per cell (over-dense or dwelt on).
    pub(crate) hot: Vec<bool>,
}

impl ZoneCells {
    /// Cells in the zone.
    pub(crate) fn inside(&self) -> impl Iterator<Item = usize> + '_ {
        (0..self.grid.len()).filter(|&i| self.grid.inside[i])
    }

    /// Density of cell `i`, punctures per cm².
    pub(crate) fn density(&self, i: usize) -> f64 {
        f64::from(self.counts[i]) / self.grid.cell_cm2()
    }
}

/// Everything measured once and shared by the metrics and the feedback.
#[derive(Debug)]
pub(crate) struct Analysis<'a> {
    pub(crate) input: &'a ScoreInput,
    /// Per sample: the zone its pen centre lies in.
    pub(crate) sample_zone: Vec<Option<usize>>,
    /// Per sample: the time it stands for, µs (to the next sample, capped at 0.1 s).
    pub(crate) sample_dt_us: Vec<u64>,
    pub(crate) segments: Vec<Segment>,
    pub(crate) dwells: Vec<Dwell>,
    /// Stretches of at least [`OFF_PLAN_S`] with the pen's centre on the skin in a zone the
    /// plan leaves out, or outside every zone when [`ScoreInput::outside_strays`]: (place,
    /// first µs, last µs).
    pub(crate) strays: Vec<(Option<usize>, u64, u64)>,
    /// Per zone: the stray time, s, charged to it (the planned zone the pen was last on
    /// before the stray, else the next one after it).
    pub(crate) stray_s: Vec<f64>,
    pub(crate) zones: Vec<ZoneCells>,
    /// Per puncture: its cell in its zone's grid (`None`: outside every zone, or in no cell
    /// of the zone).
    pub(crate) puncture_cell: Vec<Option<usize>>,
}

impl<'a> Analysis<'a> {
    /// Measure `input` (already validated).
    pub(crate) fn new(input: &'a ScoreInput) -> Self {
        let polys: Vec<Polygon<'_>> = input
            .zones
            .iter()
            .map(|z| Polygon::new(&z.outline_mm))
            .collect();
        let sample_zone: Vec<Option<usize>> = input
            .samples
            .iter()
            .map(|s| polys.iter().position(|p| p.contains(s.pos_mm)))
            .collect();
        let sample_dt_us = sample_dts(&input.samples);
        let kept = decimate(&input.samples);
        let segments = segments(&input.samples, &sample_zone, &kept);
        let dwells = dwells(&input.samples, &sample_zone, &kept);
        let mut zones: Vec<ZoneCells> = polys
            .iter()
            .map(|p| {
                let grid = Grid::new(p, input.cell_mm);
                let n = grid.len();
                ZoneCells {
                    area_mm2: p.area(),
                    grid,
                    counts: vec![0; n],
                    visits: vec![0; n],
                    hot: vec![false; n],
                }
            })
            .collect();
        let puncture_cell = count_punctures(&input.punctures, &mut zones);
        for (zi, z) in zones.iter_mut().enumerate() {
            let Some(target) = input.zones[zi].target else {
                continue;
            };
            let limit = HOT_FACTOR * target.density_per_cm2;
            for i in 0..z.grid.len() {
                z.hot[i] = z.grid.inside[i] && z.density(i) > limit;
            }
        }
        for d in &dwells {
            let z = &mut zones[d.zone];
            if let Some(i) = z.grid.cell_of(d.pos_mm).filter(|&i| z.grid.inside[i]) {
                z.hot[i] = true;
            }
        }
        let strays = strays(input, &sample_zone);
        let stray_s = stray_charge(input, &sample_zone, &strays);
        Analysis {
            input,
            strays,
            stray_s,
            sample_zone,
            sample_dt_us,
            segments,
            dwells,
            zones,
            puncture_cell,
        }
    }

    /// Whether sample `i` is on the skin in zone `zone`.
    pub(crate) fn on_skin_in(&self, i: usize, zone: usize) -> bool {
        self.input.samples[i].skin_contact && self.sample_zone[i] == Some(zone)
    }
}

/// The stretches of [`Analysis::strays`].
fn strays(input: &ScoreInput, zone: &[Option<usize>]) -> Vec<(Option<usize>, u64, u64)> {
    let off_plan = |z: Option<usize>| match z {
        Some(z) => input.zones[z].target.is_none(),
        None => input.outside_strays,
    };
    let samples = &input.samples;
    let mut out = Vec::new();
    let mut i = 0;
    while i < samples.len() {
        let place = zone[i];
        if !(samples[i].skin_contact && off_plan(place)) {
            i += 1;
            continue;
        }
        let mut j = i;
        while j + 1 < samples.len()
            && samples[j + 1].skin_contact
            && zone[j + 1] == place
            && samples[j + 1].t_us - samples[j].t_us <= MAX_SAMPLE_GAP_US
        {
            j += 1;
        }
        let (t0, t1) = (samples[i].t_us, samples[j].t_us);
        if (t1 - t0) as f64 >= OFF_PLAN_S * US {
            out.push((place, t0, t1));
        }
        i = j + 1;
    }
    out
}

/// Stray seconds per zone: each stray charged to the planned zone the pen was last on the skin
/// in before it, else the first one after it.
fn stray_charge(
    input: &ScoreInput,
    zone: &[Option<usize>],
    strays: &[(Option<usize>, u64, u64)],
) -> Vec<f64> {
    let mut out = vec![0.0; input.zones.len()];
    let samples = &input.samples;
    let planned =
        |i: usize| zone[i].filter(|&z| samples[i].skin_contact && input.zones[z].target.is_some());
    for &(_, t0, t1) in strays {
        let start = samples.partition_point(|s| s.t_us < t0);
        let end = samples.partition_point(|s| s.t_us <= t1);
        let before = (0..start).rev().find_map(planned);
        let charged = before.or_else(|| (end..samples.len()).find_map(planned));
        if let Some(z) = charged {
            out[z] += (t1 - t0) as f64 / US;
        }
    }
    out
}

fn sample_dts(samples: &[Sample]) -> Vec<u64> {
    let mut dts: Vec<u64> = samples
        .windows(2)
        .map(|w| (w[1].t_us - w[0].t_us).min(MAX_SAMPLE_GAP_US))
        .collect();
    // the last sample stands for as long as the one before it
    if !samples.is_empty() {
        dts.push(dts.last().copied().unwrap_or(0));
    }
    dts
}

/// Indexes of the samples at least [`SPEED_STEP_S`] apart, from the first.
fn decimate(samples: &[Sample]) -> Vec<usize> {
    let step_us = (SPEED_STEP_S * US) as u64;
    let mut kept = Vec::new();
    let mut next = 0u64;
    for (i, s) in samples.iter().enumerate() {
        if kept.is_empty() || s.t_us >= next {
            kept.push(i);
            next = s.t_us + step_us;
        }
    }
    kept
}

/// The path between consecutive kept samples that are both on the skin in the same zone and
/// no more than two steps apart.
fn segments(samples: &[Sample], zone: &[Option<usize>], kept: &[usize]) -> Vec<Segment> {
    let max_gap_us = (2.0 * SPEED_STEP_S * US) as u64;
    kept.windows(2)
        .filter_map(|w| {
            let (a, b) = (&samples[w[0]], &samples[w[1]]);
            let z = zone[w[0]]?;
            (a.skin_contact && b.skin_contact && zone[w[1]] == Some(z))
                .then_some(())
                .filter(|()| b.t_us - a.t_us <= max_gap_us)?;
            Some(Segment {
                t0_us: a.t_us,
                t1_us: b.t_us,
                zone: z,
                len_mm: dist(a.pos_mm, b.pos_mm),
            })
        })
        .collect()
}

/// Runs of kept on-skin samples within [`DWELL_RADIUS_MM`] of the run's first one lasting at
/// least [`DWELL_S`]; a dwell's place is its first sample, its zone that sample's.
fn dwells(samples: &[Sample], zone: &[Option<usize>], kept: &[usize]) -> Vec<Dwell> {
    let dwell_us = (DWELL_S * US) as u64;
    let mut out = Vec::new();
    let mut k = 0;
    while k < kept.len() {
        let start = &samples[kept[k]];
        let Some(z) = zone[kept[k]].filter(|_| start.skin_contact) else {
            k += 1;
            continue;
        };
        let mut end = k;
        while end + 1 < kept.len() {
            let s = &samples[kept[end + 1]];
            if !s.skin_contact || dist(s.pos_mm, start.pos_mm) > DWELL_RADIUS_MM {
                break;
            }
            end += 1;
        }
        let t1 = samples[kept[end]].t_us;
        if t1 - start.t_us >= dwell_us {
            out.push(Dwell {
                t0_us: start.t_us,
                t1_us: t1,
                zone: z,
                pos_mm: start.pos_mm,
            });
            k = end + 1;
        } else {
            k += 1;
        }
    }
    out
}

/// Count each puncture in its zone's cell (punctures and visits); return each one's cell.
fn count_punctures(punctures: &[Puncture], zones: &mut [ZoneCells]) -> Vec<Option<usize>> {
    let gap_us = (VISIT_GAP_S * US) as u64;
    let mut last: Vec<Vec<Option<u64>>> = zones.iter().map(|z| vec![None; z.grid.len()]).collect();
    punctures
        .iter()
        .map(|p| {
            let zi = p.zone?;
            let z = &mut zones[zi];
            let cell = z.grid.cell_of(p.pos_mm).filter(|&i| z.grid.inside[i])?;
            z.counts[cell] += 1;
            let seen = &mut last[zi][cell];
            if seen.is_none_or(|t| p.t_us - t > gap_us) {
                z.visits[cell] += 1;
            }
            *seen = Some(p.t_us);
            Some(cell)
        })
        .collect()
}

pub(crate) fn dist(a: [f64; 2], b: [f64; 2]) -> f64 {
    (a[0] - b[0]).hypot(a[1] - b[1])
}
