//! Seeded spatial variation of skin thickness.
//!
//! The local thickness of every layer is the site's times a factor `1 + σ·g(x, y)`, where `g`
//! is a smooth random field of unit variance built from eight plane waves of random direction
//! and phase with wavelengths around the correlation length (a standard spectral
//! construction of a Gaussian-like random field). Same seed, same skin.

use rand::Rng;
use std::f64::consts::TAU;

/// A smooth random thickness factor over the skin surface.
#[derive(Debug, Clone)]
pub struct ThicknessField {
    sigma: f64,
    waves: Vec<([f64; 2], f64)>,
}

const WAVES: usize = 8;

impl ThicknessField {
    /// Relative standard deviation `sigma` (0 = uniform skin), correlation length `length_mm`.
    pub fn new(sigma: f64, length_mm: f64, rng: &mut impl Rng) -> Self {
        let waves = (0..WAVES)
            .map(|_| {
                let k = TAU / (length_mm.max(0.1) * rng.random_range(0.6..1.6));
                let dir = rng.random_range(0.0..TAU);
                ([k * dir.cos(), k * dir.sin()], rng.random_range(0.0..TAU))
            })
            .collect();
        ThicknessField { sigma, waves }
    }

    /// The thickness factor at `p_mm`, kept within 0.5–1.5.
    pub fn factor_at(&self, p_mm: [f64; 2]) -> f64 {
        if self.sigma == 0.0 {
            return 1.0;
        }
        // Each cosine has variance 1/2, so the sum of WAVES has variance WAVES/2.
        let norm = (WAVES as f64 / 2.0).sqrt();
        let g: f64 = self
            .waves
            .iter()
            .map(|(k, ph)| (k[0] * p_mm[0] + k[1] * p_mm[1] + ph).cos())
            .sum();
        (1.0 + self.sigma * g / norm).clamp(0.5, 1.5)
    }
}
