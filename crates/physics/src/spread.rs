//! Deterministic per-puncture spread: a tiny counter-based generator, no global state.
//!
//! Each puncture's random draws come from SplitMix64 (Steele, Lea & Flood 2014) applied to
//! `seed ⊕ needle·φ ⊕ stroke·ψ` (φ, ψ odd 64-bit constants), so the same seed, needle index
//! and stroke count give the same draws on every machine and in any order of evaluation. The
//! runner passes the seed ([`crate::PenPlant::set_spread_seed`] and the device plants).
//!
//! Approximately standard-normal numbers are the Irwin–Hall sum of four 16-bit uniforms,
//! rescaled to unit variance: bounded to ±3.46, which keeps every perturbed input physical.
//!
//! # What varies and by how much
//! * **Local skin thickness**: all layer thicknesses under one needle scale by
//!   `1 + THICKNESS_CV·n₁` (**estimate**: 6 %, below the between-subject spread of the
//!   thickness sources); it moves layer boundaries, so it changes the layer reached more than
//!   the depth.
//! * **Local force**: the share of the hand force under one needle scales by
//!   `1 + FORCE_CV·n₂` (**estimate**: skin relief and the guard's seat), which changes that
//!   needle's guard gap.
//! * **Skin relief**: the surface under one needle lies `RELIEF_SD_UM·n₃` above or below the
//!   mean surface the guard (or drum, or plate) rests on, changing that needle's travel.
//!   **Calibrated** to the standard deviation of channel depth Kalluri 2011 measured by
//!   histology (152.5 ± 9.6 µm for a 770 µm roller), the one published per-channel spread
//!   found; 25 µm also lies within the depth of the skin's primary furrows (tens of µm).
//!   The travel is clamped so that depth ≤ exposure still holds.
//! * Tilt and the needle's place in the cartridge act through the guard gap's lever
//!   ([`crate::needle::guard_gap_um`]), deterministically.

/// Coefficient of variation of the local skin thickness (calibrated, module docs).
pub const THICKNESS_CV: f64 = 0.06;
/// Coefficient of variation of the local force under a needle (estimate).
pub const FORCE_CV: f64 = 0.15;
/// Standard deviation of the skin relief under a needle, µm (calibrated, module docs).
pub const RELIEF_SD_UM: f64 = 25.0;

/// SplitMix64 of `x`.
pub fn splitmix64(x: u64) -> u64 {
    let mut z = x.wrapping_add(0x9E37_79B9_7F4A_7C15);
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    z ^ (z >> 31)
}

/// Approximately standard-normal number from 64 random bits (Irwin–Hall of four 16-bit
/// uniforms; bounded to ±√12).
pub fn normal_from_bits(bits: u64) -> f64 {
    let mut sum = 0.0;
    for k in 0..4 {
        sum += ((bits >> (16 * k)) & 0xFFFF) as f64 / 65535.0;
    }
    (sum - 2.0) * 3.0_f64.sqrt()
}

/// The spread factors of one puncture.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct SpreadDraw {
    /// Local thickness scale (1 = nominal).
    pub thickness_scale: f64,
    /// Local force scale (1 = nominal).
    pub force_scale: f64,
    /// Height of the skin under this needle above the mean surface, µm (adds to the travel).
    pub relief_um: f64,
}

impl SpreadDraw {
    /// No spread.
    pub const NONE: SpreadDraw = SpreadDraw {
        thickness_scale: 1.0,
        force_scale: 1.0,
        relief_um: 0.0,
    };

    /// The draw for `needle` in `stroke` under `seed`.
    pub fn new(seed: u64, needle: u64, stroke: u64) -> SpreadDraw {
        let key = seed
            ^ needle.wrapping_mul(0x9E37_79B9_7F4A_7C15)
            ^ stroke.wrapping_mul(0xD1B5_4A32_D192_ED03);
        let a = splitmix64(key);
        let b = splitmix64(a);
        let c = splitmix64(b);
        SpreadDraw {
            thickness_scale: 1.0 + THICKNESS_CV * normal_from_bits(a),
            force_scale: 1.0 + FORCE_CV * normal_from_bits(b),
            relief_um: RELIEF_SD_UM * normal_from_bits(c),
        }
    }
}
