//! Builders of small synthetic inputs.

use needlebench_physics::Layer;
use needlebench_score::{Puncture, Sample, ScoreInput, ZoneInput, ZoneTarget};

/// A square zone `[x0, x0 + side]²` named `id`.
pub fn square(id: &str, x0: f64, side: f64, target: Option<ZoneTarget>) -> ZoneInput {
    ZoneInput {
        id: id.to_owned(),
        label: id.replace('_', " "),
        outline_mm: vec![[x0, 0.0], [x0 + side, 0.0], [x0 + side, side], [x0, side]],
        depth_mm: [0.25, 0.5],
        density_per_cm2: [50.0, 1000.0],
        target,
    }
}

/// A rectangle zone `[0, w] × [0, h]`.
pub fn rect(id: &str, w: f64, h: f64, target: ZoneTarget) -> ZoneInput {
    ZoneInput {
        outline_mm: vec![[0.0, 0.0], [w, 0.0], [w, h], [0.0, h]],
        ..square(id, 0.0, w, Some(target))
    }
}

/// Targets: glide 10 mm/s, force 2 N, 1 pass of 1 sweep at 2 mm, tilt 0, 10 s, 30 /cm²,
/// exposure 0.5 mm.
pub fn target() -> ZoneTarget {
    ZoneTarget {
        exposure_mm: 0.5,
        glide_mm_s: Some(10.0),
        force_n: 2.0,
        passes: 1,
        sweeps_per_pass: 1,
        line_spacing_mm: Some(2.0),
        tilt_deg: 0.0,
        planned_s: Some(10.0),
        density_per_cm2: 30.0,
    }
}

/// A sample on the skin at `t_ms` and `pos`, 2 N, no tilt, 0.5 mm exposure.
pub fn sample(t_ms: u64, pos: [f64; 2]) -> Sample {
    Sample {
        t_us: t_ms * 1000,
        pos_mm: pos,
        force_n: 2.0,
        tilt_deg: 0.0,
        exposure_um: 500.0,
        skin_contact: true,
    }
}

/// A puncture at `t_ms`, `pos`, 300 µm deep, in zone `zone`.
pub fn puncture(t_ms: u64, pos: [f64; 2], zone: Option<usize>) -> Puncture {
    Puncture {
        t_us: t_ms * 1000,
        pos_mm: pos,
        depth_um: 300.0,
        layer: Layer::PapillaryDermis,
        zone,
    }
}

/// An input of `zones` with 2 mm cells.
pub fn input(
    zones: Vec<ZoneInput>,
    samples: Vec<Sample>,
    mut punctures: Vec<Puncture>,
) -> ScoreInput {
    punctures.sort_by_key(|p| p.t_us);
    ScoreInput {
        zones,
        samples,
        punctures,
        cell_mm: 2.0,
        outside_strays: true,
    }
}
