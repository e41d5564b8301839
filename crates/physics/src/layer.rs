//! The five skin layers and their mechanical parameters.
//!
//! Each layer carries its thickness and the parameters the penetration model
//! ([`crate::stroke`](mod@crate::stroke)) needs. Defaults and where they come from:
//!
//! | layer | `modulus_pa` (quasi-static E) | `viscosity_pa_s` | `rupture_stress_pa` | `fracture_energy_j_m2` | `friction_steel` |
//! |---|---|---|---|---|---|
//! | stratum corneum | 1.5 MPa — Geerligs 2011, J Biomech 44:1176 (1–2 MPa) | 1500, calibrated¹ | 150 MPa, calibrated² | 10 — Meliga 2017, Acta Biomater | 0.5 — Derler & Gerhardt 2012 (dry skin) |
//! | viable epidermis | 1.5 MPa — Geerligs 2011 | 1000, calibrated¹ | 20 MPa, calibrated² | 5, calibrated³ | 0.3, calibrated⁴ |
//! | papillary dermis | 1.0 MPa — Hendriks 2006, Med Eng Phys 28:259 (E ≈ 6·C10) | 600, calibrated¹ | 60 MPa, calibrated² | 20, calibrated³ | 0.4, calibrated⁴ |
//! | reticular dermis | 0.96 MPa — Hendriks 2006 (C10 ≈ 0.16 MPa, E ≈ 6·C10) | 600, calibrated¹ | 40 MPa, calibrated² | 30, calibrated³ | 0.4, calibrated⁴ |
//! | hypodermis | 2 kPa — Sims 2010 (shear 0.5–0.75 kPa, E ≈ 3G) | 35, calibrated¹ | 1 MPa, calibrated² | 1, calibrated³ | 0.2, calibrated⁴ |
//!
//! 1. **calibrated**: Kelvin–Voigt viscosity, so that E(rate) = E + η·rate rises several-fold
//!    between quasi-static and pen strain rates (~5000 /s), as Shergold 2006 (Int J Impact
//!    Eng 32) reports for skin between 0.004 and 4000 /s; the fat value is chosen so that the
//!    depth reached is ~60–75 % of the exposure at pen speeds (see [`crate::stroke`](mod@crate::stroke)).
//! 2. **calibrated**: no puncture force is published for 0.25–0.3 mm pen needles in skin. The
//!    stratum corneum value gives ~0.03 N at slow speed for a 10 µm tip radius, the per-needle
//!    force Olatunji 2013 (J Pharm Sci 102:1209) measured at 0.5 mm/s; the others are set
//!    relative to it (living epidermis weak, dermis tough, fat weak).
//! 3. **calibrated**: only ~10 J/m² at fast loading is published (Meliga 2017); the other layers
//!    are scaled from it by their relative toughness.
//! 4. **calibrated**: no shaft-in-tissue friction is published; values are below the dry
//!    surface value of Derler & Gerhardt 2012 so that friction is ~20 % of insertion work
//!    (Barnett 2015: ~21 % friction).

use crate::error::{PhysicsError, check_positive_with, check_range_with};
use serde::{Deserialize, Serialize};

/// One of the five skin layers, from the surface down.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Layer {
    /// The dead, horny surface layer (10–20 µm).
    StratumCorneum,
    /// The living epidermis below it.
    ViableEpidermis,
    /// The upper dermis holding the capillary loops (reaching it bleeds).
    PapillaryDermis,
    /// The dense collagen of the lower dermis.
    ReticularDermis,
    /// Subcutaneous fat (muscle and bone below it are not modelled).
    Hypodermis,
}

impl Layer {
    /// All layers, surface first.
    pub const ALL: [Layer; 5] = [
        Layer::StratumCorneum,
        Layer::ViableEpidermis,
        Layer::PapillaryDermis,
        Layer::ReticularDermis,
        Layer::Hypodermis,
    ];

    /// The snake_case name used in files, JSON and the CLI.
    pub fn name(self) -> &'static str {
        match self {
            Layer::StratumCorneum => "stratum_corneum",
            Layer::ViableEpidermis => "viable_epidermis",
            Layer::PapillaryDermis => "papillary_dermis",
            Layer::ReticularDermis => "reticular_dermis",
            Layer::Hypodermis => "hypodermis",
        }
    }

    /// Position from the surface, 0 = stratum corneum.
    pub fn index(self) -> usize {
        self as usize
    }

    /// The layer with this snake_case name.
    pub fn from_name(name: &str) -> Option<Layer> {
        Layer::ALL.into_iter().find(|l| l.name() == name)
    }

    /// The layer at `index` (0 = surface); indices past the end give the hypodermis.
    pub fn from_index(index: usize) -> Layer {
        Layer::ALL[index.min(4)]
    }

    /// The default mechanical parameters of this layer (see the module table) with the given
    /// thickness.
    pub fn default_props(self, thickness_um: f64) -> LayerProps {
        let (modulus_pa, viscosity_pa_s, rupture_stress_pa, fracture_energy_j_m2, friction_steel) =
            match self {
                Layer::StratumCorneum => (1.5e6, 1500.0, 150e6, 10.0, 0.5),
                Layer::ViableEpidermis => (1.5e6, 1000.0, 20e6, 5.0, 0.3),
                Layer::PapillaryDermis => (1.0e6, 600.0, 60e6, 20.0, 0.4),
                Layer::ReticularDermis => (0.96e6, 600.0, 40e6, 30.0, 0.4),
                Layer::Hypodermis => (2.0e3, 35.0, 1e6, 1.0, 0.2),
            };
        LayerProps {
            thickness_um,
            modulus_pa,
            viscosity_pa_s,
            rupture_stress_pa,
            fracture_energy_j_m2,
            friction_steel,
        }
    }
}

impl std::fmt::Display for Layer {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.name())
    }
}

/// Thickness and mechanical parameters of one layer at one site.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct LayerProps {
    /// Thickness, µm.
    pub thickness_um: f64,
    /// Quasi-static Young's modulus, Pa.
    pub modulus_pa: f64,
    /// Kelvin–Voigt viscosity (damping), Pa·s: the modulus at strain rate r is `E + η·r`.
    pub viscosity_pa_s: f64,
    /// Stress under the tip at which the layer's top surface ruptures, Pa (calibrated).
    pub rupture_stress_pa: f64,
    /// Fracture energy, J/m²: sets the cutting force (crack as wide as the shaft).
    pub fracture_energy_j_m2: f64,
    /// Friction coefficient of the tissue against stainless steel (dimensionless).
    pub friction_steel: f64,
}

impl LayerProps {
    /// Check every value is physical; errors name `layers.<layer>.<field>`.
    pub fn validate(&self, layer: Layer) -> Result<(), PhysicsError> {
        let field = |f: &'static str| move || format!("layers.{}.{f}", layer.name());
        check_positive_with(field("thickness_um"), self.thickness_um, 50_000.0)?;
        check_range_with(field("modulus_pa"), self.modulus_pa, 100.0, 1e9)?;
        check_range_with(field("viscosity_pa_s"), self.viscosity_pa_s, 0.0, 1e6)?;
        check_positive_with(field("rupture_stress_pa"), self.rupture_stress_pa, 1e10)?;
        check_positive_with(
            field("fracture_energy_j_m2"),
            self.fracture_energy_j_m2,
            1e5,
        )?;
        check_range_with(field("friction_steel"), self.friction_steel, 0.0, 5.0)?;
        Ok(())
    }

    /// Young's modulus at strain rate `rate_per_s` (Kelvin–Voigt), Pa.
    pub fn modulus_at_rate_pa(&self, rate_per_s: f64) -> f64 {
        self.modulus_pa + self.viscosity_pa_s * rate_per_s.max(0.0)
    }
}
