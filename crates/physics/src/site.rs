//! Anatomical sites: five layer thicknesses each, built in or loaded from data.
//!
//! # Built-in thicknesses (µm) and their sources
//!
//! Abbreviations: **C15** = Chopra 2015, Aesthet Surg J 35:1007 (facial histology, 39
//! subunits: epidermis 29.6 µm behind the ear … 62.6 µm upper lip; dermis 758.9 µm upper inner
//! eyelid … 1969.2 µm lower nasal sidewall). **B22** = BMC Med Imaging 2022;22:113, Table 2
//! (high-frequency ultrasound, n = 118; dermis M/F per region, the value used is the mean of
//! M and F). **I18** = Iyengar 2018, Dermatol Surg (subcutaneous fat ~2 mm forehead, ~5 mm
//! chin, ~6 mm temple and under the chin). **SM03** = Sandby-Møller 2003, Acta Derm Venereol
//! 83:410 (stratum corneum 18.3 / 11.0 / 14.9 µm and viable epidermis 56.6 / 70.3 / 81.5 µm on
//! forearm / shoulder / buttock). **HR** = body histology review quoted in the research notes
//! (epidermis 77–267 µm, dermis 2115–5888 µm; unconfirmed for single body sites).
//! **est** = estimate (no site-specific measurement found) inside the published range.
//!
//! The papillary dermis is taken as 15 % of the dermis, clamped to 100–300 µm (the notes: "the
//! upper ~0.1–0.3 mm of the dermis"); the reticular dermis is the rest. Facial stratum corneum
//! is an estimate (10–12 µm) close to SM03's thinnest (shoulder) value; viable epidermis =
//! epidermis − stratum corneum.
//!
//! | site | SC | VE | dermis (PD + RD) | hypodermis | sources |
//! |---|---|---|---|---|---|
//! | forehead | 12 | 38 | 1015 | 2000 | epidermis est in C15 range; dermis B22 (1.17/0.86 mm); fat I18 |
//! | glabella | 12 | 40 | 1020 | 2000 | epidermis est; dermis B22 (1.14/0.90); fat est = forehead (I18) |
//! | temple | 11 | 34 | 930 | 6000 | epidermis est; dermis B22 (1.06/0.80); fat I18 |
//! | periorbital | 9 | 26 | 625 | 500 | epidermis est near C15 minimum; dermis B22 eyelid (0.67/0.58); fat est |
//! | nose | 12 | 43 | 980 | 1000 | epidermis est; dermis B22 nasal dorsum (1.03/0.93); fat est |
//! | cheek | 12 | 45 | 1005 | 4000 | epidermis est; dermis B22 zygoma (1.14/0.87); fat est between I18 values |
//! | upper_lip | 12 | 50.6 | 1200 | 3000 | epidermis C15 upper lip 62.6; dermis est in C15 range; fat est |
//! | chin | 12 | 45 | 965 | 5000 | epidermis est; dermis B22 submandibular (1.02/0.91); fat I18 |
//! | neck | 11 | 35 | 985 | 3000 | epidermis est; dermis B22 neck (0.98/0.99); fat est |
//! | decollete | 11 | 70.3 | 1500 | 5000 | SC and VE SM03 shoulder; dermis est; fat est |
//! | abdomen | 15 | 75 | 2115 | 15000 | epidermis HR lower range; dermis HR lower bound; fat est |
//! | thigh | 15 | 66 | 1800 | 10000 | SC/VE est from SM03 forearm/buttock; dermis est in HR range; fat est |
//!
//! Mechanical parameters are the per-layer defaults of [`crate::layer`].

use crate::error::PhysicsError;
use crate::layer::{Layer, LayerProps};
use serde::{Deserialize, Serialize};

/// One anatomical site: five layers, surface first.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Site {
    /// Site name (built-in names are snake_case ASCII).
    pub name: String,
    /// The five layers, indexed by [`Layer::index`].
    pub layers: [LayerProps; 5],
}

/// A built-in site's layer thicknesses and where they come from.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct BuiltinSite {
    /// Site name as used on the command line.
    pub name: &'static str,
    /// Stratum corneum, viable epidermis, papillary dermis, reticular dermis, hypodermis (µm).
    pub thickness_um: [f64; 5],
    /// Short citation of the thicknesses (see the module docs for full references).
    pub source: &'static str,
}

/// Papillary / reticular split of a dermis thickness (see the module docs).
const fn split_dermis(dermis_um: f64) -> (f64, f64) {
    let mut pd = dermis_um * 0.15;
    if pd < 100.0 {
        pd = 100.0;
    }
    if pd > 300.0 {
        pd = 300.0;
    }
    (pd, dermis_um - pd)
}

const fn row(
    name: &'static str,
    sc: f64,
    ve: f64,
    dermis: f64,
    fat: f64,
    source: &'static str,
) -> BuiltinSite {
    let (pd, rd) = split_dermis(dermis);
    BuiltinSite {
        name,
        thickness_um: [sc, ve, pd, rd, fat],
        source,
    }
}

/// The built-in sites (thicknesses and sources in the module docs).
pub const BUILTIN_SITES: [BuiltinSite; 12] = [
    row(
        "forehead",
        12.0,
        38.0,
        1015.0,
        2000.0,
        "dermis B22; fat I18; epidermis est (C15 range)",
    ),
    row(
        "glabella",
        12.0,
        40.0,
        1020.0,
        2000.0,
        "dermis B22; fat est (I18 forehead); epidermis est",
    ),
    row(
        "temple",
        11.0,
        34.0,
        930.0,
        6000.0,
        "dermis B22; fat I18; epidermis est",
    ),
    row(
        "periorbital",
        9.0,
        26.0,
        625.0,
        500.0,
        "dermis B22 eyelid; epidermis est (C15 min); fat est",
    ),
    row(
        "nose",
        12.0,
        43.0,
        980.0,
        1000.0,
        "dermis B22 nasal dorsum; epidermis and fat est",
    ),
    row(
        "cheek",
        12.0,
        45.0,
        1005.0,
        4000.0,
        "dermis B22 zygoma; epidermis and fat est",
    ),
    row(
        "upper_lip",
        12.0,
        50.6,
        1200.0,
        3000.0,
        "epidermis C15 (62.6 um); dermis and fat est",
    ),
    row(
        "chin",
        12.0,
        45.0,
        965.0,
        5000.0,
        "dermis B22 submandibular; fat I18; epidermis est",
    ),
    row(
        "neck",
        11.0,
        35.0,
        985.0,
        3000.0,
        "dermis B22 neck; epidermis and fat est",
    ),
    row(
        "decollete",
        11.0,
        70.3,
        1500.0,
        5000.0,
        "epidermis SM03 shoulder; dermis and fat est",
    ),
    row(
        "abdomen",
        15.0,
        75.0,
        2115.0,
        15000.0,
        "epidermis and dermis HR lower range; fat est",
    ),
    row(
        "thigh",
        15.0,
        66.0,
        1800.0,
        10000.0,
        "SC/VE est from SM03; dermis est (HR range); fat est",
    ),
];

/// Comma-separated names of the built-in sites (for error messages).
pub fn builtin_site_names() -> String {
    BUILTIN_SITES
        .iter()
        .map(|s| s.name)
        .collect::<Vec<_>>()
        .join(", ")
}

/// Every built-in site with default mechanical parameters.
pub fn builtin_sites() -> impl Iterator<Item = Site> {
    BUILTIN_SITES.iter().map(Site::from_builtin)
}

impl Site {
    /// The built-in site called `name` (ASCII `decollete` for décolleté; `décolleté` is also
    /// accepted).
    pub fn builtin(name: &str) -> Result<Site, PhysicsError> {
        let wanted = if name == "décolleté" {
            "decollete"
        } else {
            name
        };
        BUILTIN_SITES
            .iter()
            .find(|s| s.name == wanted)
            .map(Site::from_builtin)
            .ok_or_else(|| PhysicsError::UnknownSite {
                name: name.to_owned(),
                valid: builtin_site_names(),
            })
    }

    fn from_builtin(b: &BuiltinSite) -> Site {
        let mut layers = [Layer::StratumCorneum.default_props(0.0); 5];
        for (props, layer) in layers.iter_mut().zip(Layer::ALL) {
            *props = layer.default_props(b.thickness_um[layer.index()]);
        }
        Site {
            name: b.name.to_owned(),
            layers,
        }
    }

    /// Check every layer's values; the error names `layers.<layer>.<field>`.
    pub fn validate(&self) -> Result<(), PhysicsError> {
        for layer in Layer::ALL {
            self.layers[layer.index()].validate(layer)?;
        }
        Ok(())
    }

    /// The parameters of one layer.
    pub fn layer(&self, layer: Layer) -> &LayerProps {
        &self.layers[layer.index()]
    }

    /// Depth of the top of each layer, µm, plus the bottom of the hypodermis as the 6th entry.
    pub fn boundaries_um(&self) -> [f64; 6] {
        let mut b = [0.0; 6];
        for i in 0..5 {
            b[i + 1] = b[i] + self.layers[i].thickness_um;
        }
        b
    }

    /// Sum of all five thicknesses, µm.
    pub fn total_thickness_um(&self) -> f64 {
        self.layers.iter().map(|l| l.thickness_um).sum()
    }

    /// The layer at `depth_um` below the surface (a depth exactly on a boundary belongs to the
    /// upper layer; anything below the stack counts as hypodermis).
    pub fn layer_at_depth(&self, depth_um: f64) -> Layer {
        let b = self.boundaries_um();
        (0..4)
            .find(|&i| depth_um <= b[i + 1])
            .map_or(Layer::Hypodermis, Layer::from_index)
    }

    /// A copy with every thickness multiplied by `factor` (local variation across a site).
    pub fn scaled(&self, factor: f64) -> Result<Site, PhysicsError> {
        if factor.is_nan() || factor <= 0.05 || factor > 20.0 {
            return Err(PhysicsError::out_of_range(
                "thickness_scale",
                "in 0.05..=20",
                factor,
            ));
        }
        let mut site = self.clone();
        for l in &mut site.layers {
            l.thickness_um *= factor;
        }
        Ok(site)
    }
}

/// A custom site as written in a data file (TOML/JSON).
///
/// Only `thickness_um` is required per layer; any mechanical field left out takes the layer's
/// default (see [`crate::layer`]).
///
/// ```toml
/// name = "scar"
/// [layers.stratum_corneum]
/// thickness_um = 15
/// [layers.viable_epidermis]
/// thickness_um = 60
/// # … papillary_dermis, reticular_dermis, hypodermis
/// ```
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SiteSpec {
    /// Site name.
    pub name: String,
    /// The layers by name; all five must be present.
    pub layers: LayerSpecs,
}

/// The five layers of a [`SiteSpec`], each optional so that a missing one is a typed error.
#[derive(Debug, Clone, PartialEq, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LayerSpecs {
    /// Stratum corneum.
    pub stratum_corneum: Option<LayerSpec>,
    /// Viable epidermis.
    pub viable_epidermis: Option<LayerSpec>,
    /// Papillary dermis.
    pub papillary_dermis: Option<LayerSpec>,
    /// Reticular dermis.
    pub reticular_dermis: Option<LayerSpec>,
    /// Hypodermis.
    pub hypodermis: Option<LayerSpec>,
}

/// One layer of a [`SiteSpec`]; fields as in [`LayerProps`].
#[derive(Debug, Clone, Copy, PartialEq, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LayerSpec {
    /// Thickness, µm (required).
    pub thickness_um: f64,
    /// Quasi-static Young's modulus, Pa.
    pub modulus_pa: Option<f64>,
    /// Kelvin–Voigt viscosity, Pa·s.
    pub viscosity_pa_s: Option<f64>,
    /// Rupture stress under the tip, Pa.
    pub rupture_stress_pa: Option<f64>,
    /// Fracture energy, J/m².
    pub fracture_energy_j_m2: Option<f64>,
    /// Friction coefficient against steel.
    pub friction_steel: Option<f64>,
}

impl TryFrom<SiteSpec> for Site {
    type Error = PhysicsError;

    fn try_from(spec: SiteSpec) -> Result<Site, PhysicsError> {
        if spec.name.trim().is_empty() {
            return Err(PhysicsError::EmptyName);
        }
        let l = &spec.layers;
        let given = [
            l.stratum_corneum,
            l.viable_epidermis,
            l.papillary_dermis,
            l.reticular_dermis,
            l.hypodermis,
        ];
        let mut layers = [Layer::StratumCorneum.default_props(0.0); 5];
        for (layer, spec) in Layer::ALL.into_iter().zip(given) {
            let s = spec.ok_or_else(|| PhysicsError::MissingLayer {
                field: format!("layers.{}", layer.name()),
            })?;
            let d = layer.default_props(s.thickness_um);
            layers[layer.index()] = LayerProps {
                thickness_um: s.thickness_um,
                modulus_pa: s.modulus_pa.unwrap_or(d.modulus_pa),
                viscosity_pa_s: s.viscosity_pa_s.unwrap_or(d.viscosity_pa_s),
                rupture_stress_pa: s.rupture_stress_pa.unwrap_or(d.rupture_stress_pa),
                fracture_energy_j_m2: s.fracture_energy_j_m2.unwrap_or(d.fracture_energy_j_m2),
                friction_steel: s.friction_steel.unwrap_or(d.friction_steel),
            };
        }
        let site = Site {
            name: spec.name,
            layers,
        };
        site.validate()?;
        Ok(site)
    }
}
