//! The tissue layers, from the surface down to the floor, and their mechanical parameters.
//!
//! Every site is a column of these layers (see [`crate::site`]): the five skin layers, then
//! muscle where it lies under the fat, then a **floor** (bone or cartilage) that a needle
//! cannot pass. Body sites whose bone lies far deeper than any needle reaches end in a thick
//! deep muscle instead, and the floor is that muscle's fascia.
//!
//! | layer | `modulus_pa` (quasi-static E) | `rate_stiffening_max` | `rupture_stress_pa` | `fracture_energy_j_m2` | `friction_steel` |
//! |---|---|---|---|---|---|
//! | stratum corneum | 1.5 MPa — Geerligs 2011, J Biomech 44:1176 (1–2 MPa, in vitro indentation) | 10, calibrated¹ | 590 MPa, calibrated² | 10 — Meliga 2017, Acta Biomater | 0.5 — Derler & Gerhardt 2012 (dry skin) |
//! | viable epidermis | 1.5 MPa — Geerligs 2011 | 10, calibrated¹ | 150 MPa, calibrated² | 5, calibrated³ | 0.3, calibrated⁴ |
//! | papillary dermis | 0.3 MPa, **estimate**⁵ | 10, calibrated¹ | 150 MPa, calibrated² | 60, calibrated⁶ | 0.6, calibrated⁶ |
//! | reticular dermis | 0.96 MPa — Hendriks 2006, Med Eng Phys 28:259 (C10 = 0.16 MPa, E ≈ 6·C10) | 10, calibrated¹ | 300 MPa, calibrated² | 30, calibrated³ | 0.4, calibrated⁴ |
//! | hypodermis | 2 kPa — Sims 2010 (shear 0.5–0.75 kPa, E ≈ 3G) | 1.6 — Sims 2010 (α ≈ 0.39) | 20 MPa, calibrated² | 1, calibrated³ | 0.2, calibrated⁴ |
//! | muscle | 30 kPa, **estimate** (resting muscle, tens of kPa) | 3, **estimate** | 100 MPa, **estimate** (fascia) | 5, **estimate** | 0.3, **estimate** |
//! | cartilage | floor: not penetrable | — | — | — | — |
//! | bone | floor: not penetrable | — | — | — | — |
//!
//! 1. **calibrated**: bounded rate law `E(r) = E·(1 + (R − 1)·r/(r + r_c))` with strain rate
//!    `r = v/a` (tip speed over shaft radius) and `r_c` = [`RATE_KNEE_PER_S`]. Shergold 2006
//!    (Int J Impact Eng 32:1384) reports pig skin stiffening over the whole range
//!    0.004–4000 /s with a bounded (Ogden shear modulus) increase; `R = 10` and `r_c` were
//!    chosen so that pen strokes (≥ 0.3 m/s) meet a skin several-fold stiffer than hand-speed
//!    devices (≤ 0.05 m/s) — what Verbaan 2008 (J Control Release 128:80) observed:
//!    arrays that pierce at 1–3 m/s but not when pressed by hand. The fat's ratio 1.6 is the
//!    instantaneous/long-term ratio implied by Sims 2010's α ≈ 0.39, not a fit.
//! 2. **calibrated**: the stratum corneum value makes the rupture force of the standard tip
//!    (4 µm radius, Kalluri 2011) 0.030 N at 0.5 mm/s, Olatunji 2013's per-needle force
//!    (J Pharm Sci 102:1209, doi:10.1002/jps.23439; polymer microneedles in porcine skin). The deeper values are relative: living epidermis and papillary
//!    dermis weak, reticular dermis tough, fat weak, fascia tough.
//! 3. **calibrated**: only ~10 J/m² at fast loading is published (Meliga 2017); the other layers
//!    are scaled from it by their relative toughness.
//! 4. **calibrated**: no shaft-in-tissue friction is published; values lie below the dry
//!    surface value of Derler & Gerhardt 2012. The clamping pressure is calibrated in
//!    [`crate::stroke`](mod@crate::stroke).
//! 5. Hendriks 2006 found the upper layer (epidermis + papillary dermis) far *softer* than the
//!    reticular dermis (C10 = 0.11 kPa vs 0.16 MPa, one subject); Geerligs 2011 found the
//!    epidermis itself 1–2 MPa, so the softness is the papillary dermis's. 0.3 MPa keeps it
//!    a third of the reticular dermis without the 0.11 kPa extreme that Hendriks themselves
//!    flagged as causing convergence problems (the old 1.0 MPa, stiffer than the reticular
//!    dermis, contradicted the source it cited).
//! 6. **calibrated**: papillary cutting energy and friction set so that 0.5 mm pen settings on
//!    the face end in the papillary dermis, as Lima 2013 found for 0.5 mm needles (porcine
//!    histology; a calibration case in the validation table).

use crate::error::{PhysicsError, check_positive_with, check_range_with};
use serde::{Deserialize, Serialize};

/// Strain rate at which a layer has gained half its rate stiffening, 1/s (calibrated, see the
/// module docs).
pub const RATE_KNEE_PER_S: f64 = 3000.0;

/// One tissue layer, from the surface down.
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
    /// Subcutaneous fat.
    Hypodermis,
    /// Muscle under the fat (mimic muscles on the face, deep muscle on the body).
    Muscle,
    /// Cartilage (nose): a floor the needle cannot pass.
    Cartilage,
    /// Bone (forehead, scalp, periorbital rim …): a floor the needle cannot pass.
    Bone,
}

/// Number of [`Layer`] variants.
pub const LAYER_COUNT: usize = 8;

impl Layer {
    /// All layers, surface first.
    pub const ALL: [Layer; LAYER_COUNT] = [
        Layer::StratumCorneum,
        Layer::ViableEpidermis,
        Layer::PapillaryDermis,
        Layer::ReticularDermis,
        Layer::Hypodermis,
        Layer::Muscle,
        Layer::Cartilage,
        Layer::Bone,
    ];

    /// The snake_case name used in files, JSON and the CLI.
    pub fn name(self) -> &'static str {
        match self {
            Layer::StratumCorneum => "stratum_corneum",
            Layer::ViableEpidermis => "viable_epidermis",
            Layer::PapillaryDermis => "papillary_dermis",
            Layer::ReticularDermis => "reticular_dermis",
            Layer::Hypodermis => "hypodermis",
            Layer::Muscle => "muscle",
            Layer::Cartilage => "cartilage",
            Layer::Bone => "bone",
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

    /// The layer at `index` (0 = surface); indices past the end give bone.
    pub fn from_index(index: usize) -> Layer {
        Layer::ALL[index.min(LAYER_COUNT - 1)]
    }

    /// Whether this layer lies below the subcutaneous fat (muscle, cartilage, bone).
    pub fn is_below_hypodermis(self) -> bool {
        self > Layer::Hypodermis
    }

    /// Whether this layer can only be a floor (cartilage, bone): a needle stops on it.
    pub fn is_floor_only(self) -> bool {
        matches!(self, Layer::Cartilage | Layer::Bone)
    }

    /// Whether reaching this layer opens the papillary capillaries (pinpoint bleeding).
    pub fn bleeds(self) -> bool {
        self >= Layer::PapillaryDermis
    }

    /// The default mechanical parameters of this layer (see the module table) with the given
    /// thickness. Floor-only layers get very stiff, unbreakable values; the model never cuts
    /// into them.
    pub fn default_props(self, thickness_um: f64) -> LayerProps {
        let (modulus_pa, rate_stiffening_max, rupture_stress_pa, fracture_energy_j_m2, friction) =
            match self {
                Layer::StratumCorneum => (1.5e6, 10.0, 590e6, 10.0, 0.5),
                Layer::ViableEpidermis => (1.5e6, 10.0, 150e6, 5.0, 0.3),
                Layer::PapillaryDermis => (0.3e6, 10.0, 150e6, 60.0, 0.6),
                Layer::ReticularDermis => (0.96e6, 10.0, 300e6, 30.0, 0.4),
                Layer::Hypodermis => (2.0e3, 1.6, 20e6, 1.0, 0.2),
                Layer::Muscle => (30e3, 3.0, 100e6, 5.0, 0.3),
                Layer::Cartilage => (10e6, 1.0, 1e10, 1e5, 0.5),
                Layer::Bone => (1e9, 1.0, 1e10, 1e5, 0.5),
            };
        LayerProps {
            thickness_um,
            modulus_pa,
            rate_stiffening_max,
            rupture_stress_pa,
            fracture_energy_j_m2,
            friction_steel: friction,
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
    /// Thickness, µm (0: the layer is absent at this site).
    pub thickness_um: f64,
    /// Quasi-static Young's modulus, Pa.
    pub modulus_pa: f64,
    /// Bound of the rate stiffening: the modulus at very high strain rate over the
    /// quasi-static one (≥ 1).
    pub rate_stiffening_max: f64,
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
        if self.thickness_um.is_nan() || self.thickness_um < 0.0 {
            return Err(PhysicsError::out_of_range(
                field("thickness_um")(),
                ">= 0",
                self.thickness_um,
            ));
        }
        check_range_with(field("thickness_um"), self.thickness_um, 0.0, 100_000.0)?;
        check_range_with(field("modulus_pa"), self.modulus_pa, 100.0, 1e10)?;
        check_range_with(
            field("rate_stiffening_max"),
            self.rate_stiffening_max,
            1.0,
            100.0,
        )?;
        check_positive_with(field("rupture_stress_pa"), self.rupture_stress_pa, 1e11)?;
        check_positive_with(
            field("fracture_energy_j_m2"),
            self.fracture_energy_j_m2,
            1e6,
        )?;
        check_range_with(field("friction_steel"), self.friction_steel, 0.0, 5.0)?;
        Ok(())
    }

    /// Young's modulus at strain rate `rate_per_s` (bounded rate law, module docs), Pa.
    pub fn modulus_at_rate_pa(&self, rate_per_s: f64) -> f64 {
        let r = rate_per_s.max(0.0);
        self.modulus_pa * (1.0 + (self.rate_stiffening_max - 1.0) * r / (r + RATE_KNEE_PER_S))
    }
}
