//! A time-stepped reference integrator of the stroke, for checking the event-based solver.
//!
//! [`stroke_stepped`] samples the cam kinematics every `dt_us` over the extension half of one
//! revolution and runs the same tent / rupture / cutting / floor state machine as
//! [`crate::stroke::StrokeModel::run`] at each sample, with no event location: the surface
//! ruptures at the first sample whose tenting force reaches the rupture force at the speed of
//! that sample. Halving the step must change the depth reached by less than 1 µm, and it must
//! converge to the event-based result (the crate's tests check both). It is slow and meant for
//! tests and diagnostics only.

use crate::error::{PhysicsError, check_range};
use crate::stroke::{StrokeInput, StrokeModel};

/// Depth reached (µm) and whether the surface broke, by fixed time steps of `dt_us` for a cam
/// of `throw_um` (the input's `cam_throw_um` is ignored).
///
/// The stroke frequency follows from the input's tip speed: `f = v / (π·throw)`.
pub fn stroke_stepped(
    input: &StrokeInput<'_>,
    throw_um: f64,
    dt_us: f64,
) -> Result<(f64, bool), PhysicsError> {
    input.validate()?;
    check_range("throw_um", throw_um, 100.0, 10_000.0)?;
    check_range("dt_us", dt_us, 0.01, 1000.0)?;
    check_range("tip_speed_m_s", input.tip_speed_m_s, 1e-3, 20.0)?;
    let model = StrokeModel::new(input.site, &input.needle, input.tip_speed_m_s, throw_um)?;
    let scale = input.thickness_scale;
    let travel = input.travel_um();
    let omega = 2.0 * input.tip_speed_m_s / (throw_um * 1e-6); // v = ω·throw/2
    let dtheta = omega * dt_us * 1e-6;
    let steps = (std::f64::consts::PI / dtheta).ceil() as usize;
    let b = |i: usize| model.bound_um[i] * scale;
    let mut seg = None;
    let (mut d, mut i, mut blocked) = (0.0_f64, 0_usize, false);
    for n in 0..=steps.min(10_000_000) {
        let theta = (n as f64 * dtheta).min(std::f64::consts::PI);
        // Tip position past the surface: travel at θ = π, travel − throw at θ = 0.
        let z = travel - throw_um * (1.0 + theta.cos()) / 2.0;
        if z <= 0.0 {
            continue;
        }
        let s = match seg {
            None => {
                if model.surface_surplus(z, travel) < 0.0 {
                    continue;
                }
                *seg.insert(model.segment(model.speed_at_m_s(travel - z)))
            }
            Some(s) => s,
        };
        loop {
            if blocked {
                let threshold = s.rupture_n[i].max(model.cut_n[i] + model.friction_n(&s, d, scale));
                if s.k * (z - d) < threshold {
                    break;
                }
                blocked = false;
            }
            let f = s.fric[i];
            let c0 = model.cut_n[i] + s.fric_top[i] * scale - f * b(i);
            d = ((s.k * z - c0) / (s.k + f)).max(d).min(b(i + 1));
            if d >= b(i + 1) && i + 1 < model.n {
                i += 1;
                blocked = true;
                continue;
            }
            break;
        }
    }
    Ok((d, seg.is_some()))
}
