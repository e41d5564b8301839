//! The metrics of one zone (formulas and bands in the crate docs).

use crate::analysis::{Analysis, US};
use crate::input::ZoneTarget;
use crate::metric::{Band, Metric, MetricName};

/// Time-weighted mean and coefficient of variation of `(value, weight)` pairs; `NaN` for
/// both when the weights sum to zero, `NaN` CV when the mean is zero.
pub(crate) fn mean_cv(pairs: impl Iterator<Item = (f64, f64)>) -> (f64, f64) {
    let pairs: Vec<(f64, f64)> = pairs.collect();
    let w: f64 = pairs.iter().map(|p| p.1).sum();
    if w <= 0.0 {
        return (f64::NAN, f64::NAN);
    }
    let mean = pairs.iter().map(|p| p.0 * p.1).sum::<f64>() / w;
    let var = pairs
        .iter()
        .map(|p| (p.0 - mean).powi(2) * p.1)
        .sum::<f64>()
        / w;
    let cv = if mean == 0.0 {
        f64::NAN
    } else {
        var.sqrt() / mean.abs()
    };
    (mean, cv)
}

/// The bands of a zone with target `t`, chart depth `depth_mm` and density band `density`.
pub(crate) fn band(
    name: MetricName,
    t: &ZoneTarget,
    depth_mm: [f64; 2],
    density: [f64; 2],
) -> Band {
    let rel = |x: f64| Band::new(0.8 * x, 1.2 * x, 0.5 * x);
    match name {
        MetricName::Coverage => Band::new(0.9, 1.0, 0.4),
        MetricName::Uniformity => Band::new(0.7, 1.0, 0.4),
        MetricName::DensityPerCm2 => Band {
            lo: density[0],
            hi: density[1],
            zero_below: density[0].max(f64::MIN_POSITIVE),
            zero_above: density[1].max(f64::MIN_POSITIVE),
        },
        MetricName::Passes => rel(f64::from(t.passes)),
        MetricName::Overlap => Band {
            lo: 1.0,
            hi: 3.0,
            zero_below: 1.0,
            zero_above: 3.0,
        },
        MetricName::GlideMmS => rel(t.glide_mm_s.unwrap_or(f64::NAN)),
        MetricName::GlideCv => Band::new(0.0, 0.3, 0.5),
        MetricName::ForceN => rel(t.force_n),
        MetricName::ForceCv => Band::new(0.0, 0.2, 0.4),
        MetricName::TiltDeg => Band::new(t.tilt_deg - 5.0, t.tilt_deg + 5.0, 15.0),
        MetricName::HotSpots => Band::new(0.0, 0.02, 0.2),
        MetricName::DepthInRange => Band::new(0.95, 1.0, 0.45),
        MetricName::ExposureMm => Band::new(depth_mm[0], depth_mm[1], 0.5),
        MetricName::TimeS => {
            let p = t.planned_s.unwrap_or(f64::NAN);
            Band::new(0.8 * p, 1.25 * p, 0.5 * p)
        }
        MetricName::Strays => Band {
            lo: 0.0,
            hi: 0.02,
            zero_below: 1.0,
            zero_above: 0.1,
        },
    }
}

/// The measured values of zone `zi` (`NaN` where there is nothing to judge), in
/// [`MetricName::ALL`] order.
pub(crate) fn values(a: &Analysis<'_>, zi: usize, t: &ZoneTarget) -> Vec<(MetricName, f64)> {
    let zone = &a.input.zones[zi];
    let cells = &a.zones[zi];
    let inside: Vec<usize> = cells.inside().collect();
    let n_cells = inside.len() as f64;
    let nan_if_empty = |v: f64| if inside.is_empty() { f64::NAN } else { v };
    let covered: Vec<usize> = inside
        .iter()
        .copied()
        .filter(|&i| cells.counts[i] > 0)
        .collect();
    let coverage = nan_if_empty(covered.len() as f64 / n_cells);
    let total: f64 = inside.iter().map(|&i| f64::from(cells.counts[i])).sum();
    let density = nan_if_empty(total / (n_cells * cells.grid.cell_cm2()));
    // uniformity over the interior cells (edge cells are partly outside the zone), or all
    // cells of the zone when fewer than 4 are interior
    let interior: Vec<usize> = inside
        .iter()
        .copied()
        .filter(|&i| cells.grid.interior[i])
        .collect();
    let judged = if interior.len() >= 4 {
        &interior
    } else {
        &inside
    };
    let (_, cv) = mean_cv(judged.iter().map(|&i| (f64::from(cells.counts[i]), 1.0)));
    let uniformity = if cv.is_nan() { cv } else { (1.0 - cv).max(0.0) };
    let segs = a.segments.iter().filter(|s| s.zone == zi);
    let (len_mm, dt_s) = segs
        .clone()
        .fold((0.0, 0.0), |acc, s| (acc.0 + s.len_mm, acc.1 + s.dt_s()));
    let passes = t.line_spacing_mm.map_or(f64::NAN, |sp| {
        len_mm * sp / (cells.area_mm2 * f64::from(t.sweeps_per_pass))
    });
    let sweeps = f64::from(t.passes * t.sweeps_per_pass);
    let overlap = if covered.is_empty() {
        f64::NAN
    } else {
        covered
            .iter()
            .map(|&i| f64::from(cells.visits[i]))
            .sum::<f64>()
            / covered.len() as f64
            / sweeps
    };
    let glide_mean = if dt_s > 0.0 { len_mm / dt_s } else { f64::NAN };
    let (_, glide_cv) = mean_cv(segs.map(|s| (s.len_mm / s.dt_s(), s.dt_s())));
    let (glide_mean, glide_cv) = match t.glide_mm_s {
        Some(_) => (glide_mean, glide_cv),
        None => (f64::NAN, f64::NAN),
    };
    let on_skin = || {
        (0..a.input.samples.len())
            .filter(move |&i| a.on_skin_in(i, zi))
            .map(|i| (&a.input.samples[i], a.sample_dt_us[i] as f64 / US))
    };
    let (force, force_cv) = mean_cv(on_skin().map(|(s, w)| (s.force_n, w)));
    let (tilt, _) = mean_cv(on_skin().map(|(s, w)| (s.tilt_deg, w)));
    let (exposure_um, _) = mean_cv(on_skin().map(|(s, w)| (s.exposure_um, w)));
    let time_s: f64 = on_skin().map(|(_, w)| w).sum();
    let hot = nan_if_empty(inside.iter().filter(|&&i| cells.hot[i]).count() as f64 / n_cells);
    let deepest_um = zone.depth_mm[1] * 1000.0;
    let (in_range, all) = a
        .input
        .punctures
        .iter()
        .filter(|p| p.zone == Some(zi))
        .fold((0u64, 0u64), |acc, p| {
            (acc.0 + u64::from(p.depth_um <= deepest_um), acc.1 + 1)
        });
    let depth = if all == 0 {
        f64::NAN
    } else {
        in_range as f64 / all as f64
    };
    let stray = a.stray_s[zi];
    // nowhere to stray to: one treated area without a face map
    let can_stray = a.input.outside_strays || a.input.zones.iter().any(|z| z.target.is_none());
    let strays = if can_stray && stray + time_s > 0.0 {
        stray / (stray + time_s)
    } else {
        f64::NAN
    };
    let planned_time = if t.planned_s.is_some() {
        time_s
    } else {
        f64::NAN
    };
    vec![
        (MetricName::Coverage, coverage),
        (MetricName::Uniformity, uniformity),
        (MetricName::DensityPerCm2, density),
        (MetricName::Passes, passes),
        (MetricName::Overlap, overlap),
        (MetricName::GlideMmS, glide_mean),
        (MetricName::GlideCv, glide_cv),
        (MetricName::ForceN, force),
        (MetricName::ForceCv, force_cv),
        (MetricName::TiltDeg, tilt),
        (MetricName::HotSpots, hot),
        (MetricName::DepthInRange, depth),
        (MetricName::ExposureMm, exposure_um / 1000.0),
        (MetricName::TimeS, planned_time),
        (MetricName::Strays, strays),
    ]
}

/// The metrics of planned zone `zi`.
pub(crate) fn metrics(a: &Analysis<'_>, zi: usize, t: &ZoneTarget) -> Vec<Metric> {
    let zone = &a.input.zones[zi];
    values(a, zi, t)
        .into_iter()
        .map(|(name, v)| Metric::new(name, v, band(name, t, zone.depth_mm, zone.density_per_cm2)))
        .collect()
}
