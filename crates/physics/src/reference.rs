//! A time-stepped reference integrator of the stroke, for checking the event-based solver.
//!
//! [`stroke_stepped`] samples the cam kinematics every `dt_us` over one revolution and updates
//! the same blocked / rupture / cutting state machine as [`crate::stroke::StrokeModel::run`] at
//! each sample, with no event location. Halving the step must change the depth reached by less
//! than 1 µm, and it must converge to the event-based result (the crate's tests check both).
//! It is slow (hundreds of steps per stroke) and meant for tests and diagnostics only.

use crate::error::{PhysicsError, check_range};
use crate::layer::Layer;
use crate::stroke::{StrokeInput, StrokeModel, StrokeResult};

/// Simulate one stroke by fixed time steps of `dt_us` for a cam of `throw_um`.
///
/// The stroke frequency follows from the input's tip speed: `f = v / (π·throw)`.
pub fn stroke_stepped(
    input: &StrokeInput<'_>,
    throw_um: f64,
    dt_us: f64,
) -> Result<StrokeResult, PhysicsError> {
    input.validate()?;
    check_range("throw_um", throw_um, 100.0, 10_000.0)?;
    check_range("dt_us", dt_us, 0.01, 1000.0)?;
    check_range("tip_speed_m_s", input.tip_speed_m_s, 1e-3, 20.0)?;
    let model = StrokeModel::new(input.site, &input.needle, input.tip_speed_m_s)?;
    let travel = input.travel_um();
    let omega = 2.0 * input.tip_speed_m_s / (throw_um * 1e-6); // v = ω·throw/2
    let dtheta = omega * dt_us * 1e-6;
    let steps = (std::f64::consts::PI / dtheta).ceil() as usize;
    let b = model.bounds();
    let k = model.stiffness_n_per_um();
    let (mut d, mut i, mut blocked) = (0.0_f64, 0_usize, true);
    let (mut peak, mut tent, mut z_deep, mut entered) = (0.0_f64, 0.0_f64, 0.0_f64, None);
    for n in 0..=steps.min(10_000_000) {
        let theta = n as f64 * dtheta;
        // Tip position past the surface: travel at θ = π, travel − throw at θ = 0.
        let z = travel - throw_um * (1.0 + theta.cos()) / 2.0;
        if z <= 0.0 || z < z_deep {
            continue;
        }
        z_deep = z;
        loop {
            if blocked {
                let f = k * (z - d);
                if f < model.rupture_threshold_n(i, d) || i >= 5 {
                    break;
                }
                peak = peak.max(f);
                tent = tent.max(z - d);
                entered = Some(i);
                blocked = false;
            } else {
                let d_new = model.cut_equilibrium_um(i, z).max(d).min(b[i + 1]);
                d = d_new;
                if d >= b[i + 1] && i < 4 {
                    i += 1;
                    blocked = true;
                    continue;
                }
                break;
            }
        }
        let f = k * (z - d);
        peak = peak.max(f);
        tent = tent.max(z - d);
    }
    let layer = Layer::from_index(entered.unwrap_or(0));
    let end = (z_deep - d).max(0.0);
    Ok(StrokeResult {
        reached_depth_um: d,
        layer,
        punctured: entered.is_some(),
        tenting_um: tent,
        end_tenting_um: end,
        peak_force_n: peak,
        end_force_n: k * end,
        bleeding: layer >= Layer::PapillaryDermis,
        travel_um: z_deep,
    })
}
