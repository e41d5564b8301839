//! Needle geometry, cartridges and the hand's effect on the effective exposure.
//!
//! * Standard needles: 0.25 mm shaft (the notes: "needles ~0.25–0.3 mm diameter", pen
//!   manufacturers' data), tip radius 4 µm — what Kalluri 2011 (AAPS J 13:473,
//!   doi:10.1208/s12248-011-9288-3) measured by SEM on steel roller needles; no measurement of
//!   pen needles was found, so pen tips are assumed alike — and tip half-angle 15°
//!   (**estimate**).
//! * Roller needles ([`Needle::ROLLER`]): Kalluri 2011's DermaRoller needle, 140 µm base
//!   width, 4 µm tip radius, tapering over its 770 µm length (half-angle atan(70/770) ≈ 5.2°).
//! * "Nano" cartridges carry a grid of short conical pins: 0.1 mm base, 2 µm tip radius
//!   (**estimate**), 7 × 7 at 0.6 mm pitch.
//! * Layouts are centred square-ish grids (9 = 3×3, 12 = 3×4, 16 = 4×4, 24 = 4×6, 36 = 6×6,
//!   42 = 6×7) at 1.0 mm pitch (0.9 mm for 36 and 42), wider than the ~150 µm below which
//!   neighbouring needles interact (Olatunji 2013, J Pharm Sci 102:1209), so each needle is
//!   treated independently.
//!
//! # Hand
//! The guard rests on the skin. With little pressing force the skin inside the guard does not
//! seat fully against it, and tilting lifts part of the guard off: both leave a gap between the
//! guard plane and the skin surface under a needle, which the needle must travel before it
//! touches skin. The gap is
//! `(GAP_FREE_UM + lever_mm·1000·tan(tilt)) · F_SEAT_N / (F_SEAT_N + force_n)` with
//! `lever_mm` the needle's distance from the guard rim that stays on the skin. Both constants
//! are **calibrated guesses** (no measurement found): 150 µm free gap and 1 N seating force,
//! so that firm pressure (3–5 N) loses ~25–40 µm and 10° tilt at 1 N loses ~0.4 mm.

use crate::error::{PhysicsError, check_positive, check_range};

/// Largest supported exposure setting, µm (pens go to 2.5 mm in 0.25 mm steps; some to 3.0).
pub const EXPOSURE_MAX_UM: f64 = 3000.0;
/// Free guard-to-skin gap with no pressing force, µm (calibrated guess, see module docs).
pub const GAP_FREE_UM: f64 = 150.0;
/// Pressing force at which half the gap is closed, N (calibrated guess).
pub const F_SEAT_N: f64 = 1.0;
/// Largest supported pressing force, N.
pub const FORCE_MAX_N: f64 = 50.0;
/// Largest supported tilt, degrees.
pub const TILT_MAX_DEG: f64 = 45.0;

/// Geometry of one needle.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Needle {
    /// Shaft diameter, µm.
    pub shaft_diameter_um: f64,
    /// Tip radius of curvature, µm.
    pub tip_radius_um: f64,
    /// Half-angle of the conical tip, degrees.
    pub tip_half_angle_deg: f64,
}

impl Needle {
    /// A standard pen needle (see module docs).
    pub const STANDARD: Needle = Needle {
        shaft_diameter_um: 250.0,
        tip_radius_um: 4.0,
        tip_half_angle_deg: 15.0,
    };
    /// A derma-roller needle (Kalluri 2011, see module docs).
    pub const ROLLER: Needle = Needle {
        shaft_diameter_um: 140.0,
        tip_radius_um: 4.0,
        tip_half_angle_deg: 5.2,
    };
    /// A "nano" pin (see module docs).
    pub const NANO: Needle = Needle {
        shaft_diameter_um: 100.0,
        tip_radius_um: 2.0,
        tip_half_angle_deg: 20.0,
    };

    /// Check the geometry; errors name `needle.<field>`.
    pub fn validate(&self) -> Result<(), PhysicsError> {
        check_positive("needle.shaft_diameter_um", self.shaft_diameter_um, 2000.0)?;
        check_positive(
            "needle.tip_radius_um",
            self.tip_radius_um,
            self.shaft_diameter_um / 2.0,
        )?;
        check_range(
            "needle.tip_half_angle_deg",
            self.tip_half_angle_deg,
            1.0,
            60.0,
        )?;
        Ok(())
    }

    /// Interfacial area of the tip, m² (π·r²): the area the rupture force scales with.
    pub fn tip_area_m2(&self) -> f64 {
        let r = self.tip_radius_um * 1e-6;
        std::f64::consts::PI * r * r
    }
}

/// The cartridge names, in the order the CLI lists them.
pub const CARTRIDGE_NAMES: [&str; 7] = ["9", "12", "16", "24", "36", "42", "nano"];

/// A needle cartridge: needle geometry and needle positions.
#[derive(Debug, Clone, PartialEq)]
pub struct Cartridge {
    name: &'static str,
    needle: Needle,
    positions_mm: Vec<[f64; 2]>,
}

impl Cartridge {
    /// The cartridge called `name` (`"9"`, `"12"`, `"16"`, `"24"`, `"36"`, `"42"`, `"nano"`).
    pub fn from_name(name: &str) -> Result<Cartridge, PhysicsError> {
        let (cols, rows, pitch_mm, needle) = match name {
            "9" => (3, 3, 1.0, Needle::STANDARD),
            "12" => (4, 3, 1.0, Needle::STANDARD),
            "16" => (4, 4, 1.0, Needle::STANDARD),
            "24" => (6, 4, 1.0, Needle::STANDARD),
            "36" => (6, 6, 0.9, Needle::STANDARD),
            "42" => (7, 6, 0.9, Needle::STANDARD),
            "nano" => (7, 7, 0.6, Needle::NANO),
            _ => {
                return Err(PhysicsError::UnknownCartridge {
                    name: name.to_owned(),
                    valid: CARTRIDGE_NAMES.join(", "),
                });
            }
        };
        let canonical = CARTRIDGE_NAMES
            .iter()
            .copied()
            .find(|n| *n == name)
            .unwrap_or("36");
        let mut positions_mm = Vec::with_capacity(cols * rows);
        for r in 0..rows {
            for c in 0..cols {
                let x = (c as f64 - (cols as f64 - 1.0) / 2.0) * pitch_mm;
                let y = (r as f64 - (rows as f64 - 1.0) / 2.0) * pitch_mm;
                positions_mm.push([x, y]);
            }
        }
        Ok(Cartridge {
            name: canonical,
            needle,
            positions_mm,
        })
    }

    /// The cartridge's name.
    pub fn name(&self) -> &'static str {
        self.name
    }

    /// Geometry of its needles (all alike).
    pub fn needle(&self) -> Needle {
        self.needle
    }

    /// Number of needles.
    pub fn needle_count(&self) -> usize {
        self.positions_mm.len()
    }

    /// Needle positions, mm, relative to the cartridge centre (x = the tilt axis direction).
    pub fn positions_mm(&self) -> &[[f64; 2]] {
        &self.positions_mm
    }

    /// Radius of the guard opening, mm: the farthest needle plus 1 mm.
    pub fn guard_radius_mm(&self) -> f64 {
        let far = self
            .positions_mm
            .iter()
            .map(|p| p[0].hypot(p[1]))
            .fold(0.0, f64::max);
        far + 1.0
    }
}

/// Gap between guard plane and skin surface under a needle, µm (see module docs).
///
/// `lever_mm` is the needle's distance from the guard rim that stays on the skin when tilted
/// (≥ 0). Assumes validated inputs; non-negative and finite for them.
pub fn guard_gap_um(force_n: f64, tilt_deg: f64, lever_mm: f64) -> f64 {
    let lift_um = lever_mm.max(0.0) * 1000.0 * tilt_deg.abs().to_radians().tan();
    (GAP_FREE_UM + lift_um) * F_SEAT_N / (F_SEAT_N + force_n.max(0.0))
}

/// Check hand inputs; errors name `hand_force_n` / `tilt_deg`.
pub fn validate_hand(force_n: f64, tilt_deg: f64) -> Result<(), PhysicsError> {
    check_range("hand_force_n", force_n, 0.0, FORCE_MAX_N)?;
    check_range("tilt_deg", tilt_deg, 0.0, TILT_MAX_DEG)?;
    Ok(())
}
