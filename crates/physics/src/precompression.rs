//! Pre-compression: the surface depression one needle's strokes leave for the next.
//!
//! Relaxation is far slower than a stroke (τ ≈ 0.5 s: Crichton 2013, Wang 2015 give 0.2–1.9 s;
//! ~40 % of the force relaxes), so part of each stroke's end tenting survives to the next and
//! lowers the surface the next stroke meets.

use crate::stroke::StrokeResult;

/// Relaxation time of the pre-compression, s (Crichton 2013; Wang 2015: 0.2–1.9 s).
pub const RELAX_TAU_S: f64 = 0.5;
/// Share of tenting that relaxes viscously rather than springing back (Crichton 2013: ~40 %).
pub const VISCOUS_SHARE: f64 = 0.4;

/// Surface depression carried from stroke to stroke by one needle (see module docs).
#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub struct Precompression {
    /// Current depression of the surface under the needle, µm (≥ 0).
    pub residual_um: f64,
}

impl Precompression {
    /// Account for one stroke: loaded for `contact_s` with the stroke's tenting, then unloaded
    /// for the rest of `period_s`. Stays within `0..=VISCOUS_SHARE·tenting`-ish bounds.
    pub fn update(&mut self, result: &StrokeResult, contact_s: f64, period_s: f64) {
        let contact_s = contact_s.clamp(0.0, period_s.max(0.0));
        let target = VISCOUS_SHARE * result.end_tenting_um.max(0.0);
        let load = 1.0 - (-contact_s / RELAX_TAU_S).exp();
        let mut p = self.residual_um + (target - self.residual_um) * load;
        p *= (-(period_s - contact_s).max(0.0) / RELAX_TAU_S).exp();
        self.residual_um = if p.is_finite() { p.max(0.0) } else { 0.0 };
    }

    /// Let the surface relax with no needle for `dt_s`.
    pub fn relax(&mut self, dt_s: f64) {
        self.residual_um *= (-dt_s.max(0.0) / RELAX_TAU_S).exp();
    }
}

/// Fraction of a cam revolution during which a tip with `travel_um` past the surface (at full
/// extension) is in the skin, for a cam of `throw_um`.
pub fn contact_fraction(travel_um: f64, throw_um: f64) -> f64 {
    if travel_um.is_nan() || throw_um.is_nan() || travel_um <= 0.0 || throw_um <= 0.0 {
        return 0.0;
    }
    let c = (2.0 * travel_um / throw_um - 1.0).clamp(-1.0, 1.0);
    1.0 - c.acos() / std::f64::consts::PI
}
