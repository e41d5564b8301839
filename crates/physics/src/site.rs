//! Anatomical sites: a column of layers from the surface to a floor, built in or from data.
//!
//! Every site has the five skin layers, an optional muscle layer under the fat, and a
//! **floor** — bone or cartilage — that a needle cannot pass: the reached depth never exceeds
//! [`Site::floor_depth_um`]. Which layers exist where:
//!
//! * all sites: stratum corneum, viable epidermis, papillary dermis, reticular dermis,
//!   hypodermis, muscle;
//! * floor **cartilage**: nose; floor **bone**: every other site (on the body the bone lies
//!   under a thick deep muscle that no needle reaches).
//!
//! # Built-in thicknesses (µm) and their sources
//!
//! * **C15** = Chopra 2015, Aesthet Surg J 35:1007, doi:10.1093/asj/sjv079 (histology of 10
//!   cadaver heads, 39 facial subunits: epidermis 29.6 µm behind the ear … 62.6 µm upper lip;
//!   dermis 758.9 µm upper medial eyelid … 1969.2 µm lower nasal sidewall).
//! * **B22** = Meng et al. 2022, BMC Med Imaging 22:113, doi:10.1186/s12880-022-00839-w, Table 2 (high-frequency ultrasound, n = 118, men and
//!   women; the value used is the mean of the M and F means).
//! * **I18** = Iyengar 2018, Dermatol Surg (subcutaneous fat ~2 mm forehead, ~5 mm chin, ~6 mm
//!   temple and under the chin).
//! * **SM03** = Sandby-Møller 2003, Acta Derm Venereol 83:410 (stratum corneum 18.3 / 11.0 /
//!   14.9 µm and viable epidermis 56.6 / 70.3 / 81.5 µm on forearm / shoulder / buttock).
//! * **O18** = Oltulu 2018, Turk J Plast Surg 26:56, doi:10.4103/tjps.TJPS_2_17 (histometry of
//!   archive samples, n = 180, 90 M / 90 F; dermis 2115 ± 946 µm on the dorsum of the hand in
//!   women, the thinnest of its six body regions).
//! * **L02** = Lee 2002, Surg Radiol Anat 24:183 "Skin thickness of Korean adults" (histology,
//!   452 biopsies, 28 regions, M and F: back dermis 1942 µm, the thickest; epidermis of the
//!   dorsum of the hand 138–189 µm range).
//! * **S-face** = Selcuk Med J, "six different face regions" (histology, 90 F / 90 M: thinnest
//!   female epidermis on the scalp, 65.9 ± 14.4 µm; female dermis 1150–1498 µm).
//! * **est** = estimate (no site-specific measurement found), inside the published range.
//!   Muscle thicknesses are all estimates (mimic muscles ~0.5–1.5 mm; body muscle ≥ 10 mm).
//!
//! The papillary dermis is 15 % of the dermis, clamped to 100–300 µm; the reticular dermis is
//! the rest. Facial stratum corneum is an estimate (9–12 µm) near SM03's thinnest value.
//!
//! | site | SC | VE | dermis | fat | muscle | floor | sources |
//! |---|---|---|---|---|---|---|---|
//! | forehead | 12 | 38 | 1015 | 2000 | 1000 | bone | dermis B22; fat I18; epidermis, muscle est |
//! | glabella | 12 | 40 | 1020 | 2000 | 1500 | bone | dermis B22; rest est |
//! | temple | 11 | 34 | 930 | 6000 | 10000 | bone | dermis B22; fat I18; rest est |
//! | periorbital | 9 | 26 | 625 | 500 | 500 | bone | dermis B22 eyelid; rest est (C15 minimum epidermis) |
//! | nose | 12 | 43 | 980 | 1000 | 500 | cartilage | dermis B22 nasal dorsum; rest est |
//! | cheek | 12 | 45 | 1005 | 4000 | 5000 | bone | dermis B22 zygoma; rest est |
//! | upper_lip | 12 | 50.6 | 1200 | 3000 | 5000 | bone | epidermis C15 (62.6); rest est |
//! | chin | 12 | 45 | 965 | 5000 | 5000 | bone | dermis B22 submandibular; fat I18; rest est |
//! | neck | 11 | 35 | 985 | 3000 | 10000 | bone | dermis B22 neck; rest est |
//! | decollete | 11 | 70.3 | 1500 | 5000 | 15000 | bone | SC, VE SM03 shoulder; rest est |
//! | abdomen | 15 | 75 | 2200 | 15000 | 10000 | bone | all est (inside the O18 body dermis range 2115–5888) |
//! | thigh | 15 | 66 | 1800 | 10000 | 30000 | bone | SC/VE est from SM03; rest est |
//! | scalp | 12 | 54 | 1150 | 3000 | 1000 | bone | epidermis S-face (65.9, F); dermis est (S-face range); rest est |
//! | dorsal_hand | 20 | 140 | 2115 | 1500 | 2000 | bone | dermis O18 (F); epidermis L02 range; rest est |
//! | upper_arm | 12 | 60 | 1200 | 8000 | 20000 | bone | all est (SC/VE near SM03 shoulder) |
//! | back | 15 | 70 | 1942 | 10000 | 20000 | bone | dermis L02; SC/VE est from SM03; rest est |
//!
//! Mechanical parameters are the per-layer defaults of [`crate::layer`].

use crate::error::PhysicsError;
use crate::layer::{LAYER_COUNT, Layer, LayerProps};
use serde::{Deserialize, Serialize};

/// Thickness given to a floor layer (informational: the needle never enters it), µm.
pub const FLOOR_THICKNESS_UM: f64 = 2000.0;

/// One anatomical site: a column of layers, surface first, ending in a floor.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Site {
    /// Site name (built-in names are snake_case ASCII).
    pub name: String,
    /// All layers, indexed by [`Layer::index`]; thickness 0 = absent. Layers from the floor
    /// down are not penetrable.
    pub layers: [LayerProps; LAYER_COUNT],
    /// The layer the needle cannot pass (bone or cartilage).
    pub floor: Layer,
}

/// A built-in site's layer thicknesses and where they come from.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct BuiltinSite {
    /// Site name as used on the command line.
    pub name: &'static str,
    /// Stratum corneum, viable epidermis, papillary dermis, reticular dermis, hypodermis,
    /// muscle (µm).
    pub thickness_um: [f64; 6],
    /// The floor under the muscle.
    pub floor: Layer,
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

#[allow(clippy::too_many_arguments)]
const fn row(
    name: &'static str,
    sc: f64,
    ve: f64,
    dermis: f64,
    fat: f64,
    muscle: f64,
    floor: Layer,
    source: &'static str,
) -> BuiltinSite {
    let (pd, rd) = split_dermis(dermis);
    BuiltinSite {
        name,
        thickness_um: [sc, ve, pd, rd, fat, muscle],
        floor,
        source,
    }
}

/// The built-in sites (thicknesses and sources in the module docs).
pub const BUILTIN_SITES: [BuiltinSite; 16] = [
    row(
        "forehead",
        12.0,
        38.0,
        1015.0,
        2000.0,
        1000.0,
        Layer::Bone,
        "dermis B22; fat I18; epidermis, muscle est",
    ),
    row(
        "glabella",
        12.0,
        40.0,
        1020.0,
        2000.0,
        1500.0,
        Layer::Bone,
        "dermis B22; epidermis, fat, muscle est",
    ),
    row(
        "temple",
        11.0,
        34.0,
        930.0,
        6000.0,
        10000.0,
        Layer::Bone,
        "dermis B22; fat I18; epidermis, muscle est",
    ),
    row(
        "periorbital",
        9.0,
        26.0,
        625.0,
        500.0,
        500.0,
        Layer::Bone,
        "dermis B22 eyelid; epidermis est (C15 min); fat, muscle est",
    ),
    row(
        "nose",
        12.0,
        43.0,
        980.0,
        1000.0,
        500.0,
        Layer::Cartilage,
        "dermis B22 nasal dorsum; epidermis, fat, muscle est",
    ),
    row(
        "cheek",
        12.0,
        45.0,
        1005.0,
        4000.0,
        5000.0,
        Layer::Bone,
        "dermis B22 zygoma; epidermis, fat, muscle est",
    ),
    row(
        "upper_lip",
        12.0,
        50.6,
        1200.0,
        3000.0,
        5000.0,
        Layer::Bone,
        "epidermis C15 (62.6 um); dermis, fat, muscle est",
    ),
    row(
        "chin",
        12.0,
        45.0,
        965.0,
        5000.0,
        5000.0,
        Layer::Bone,
        "dermis B22 submandibular; fat I18; epidermis, muscle est",
    ),
    row(
        "neck",
        11.0,
        35.0,
        985.0,
        3000.0,
        10000.0,
        Layer::Bone,
        "dermis B22 neck; epidermis, fat, muscle est",
    ),
    row(
        "decollete",
        11.0,
        70.3,
        1500.0,
        5000.0,
        15000.0,
        Layer::Bone,
        "epidermis SM03 shoulder; dermis, fat, muscle est",
    ),
    row(
        "abdomen",
        15.0,
        75.0,
        2200.0,
        15000.0,
        10000.0,
        Layer::Bone,
        "all est (dermis inside the O18 body range 2115-5888 um)",
    ),
    row(
        "thigh",
        15.0,
        66.0,
        1800.0,
        10000.0,
        30000.0,
        Layer::Bone,
        "SC/VE est from SM03; dermis, fat, muscle est",
    ),
    row(
        "scalp",
        12.0,
        54.0,
        1150.0,
        3000.0,
        1000.0,
        Layer::Bone,
        "epidermis S-face scalp (65.9 um, F); dermis est (S-face range); fat, galea est",
    ),
    row(
        "dorsal_hand",
        20.0,
        140.0,
        2115.0,
        1500.0,
        2000.0,
        Layer::Bone,
        "dermis O18 dorsum of hand (F); epidermis L02 range; fat, tendon est",
    ),
    row(
        "upper_arm",
        12.0,
        60.0,
        1200.0,
        8000.0,
        20000.0,
        Layer::Bone,
        "all est (SC/VE near SM03 shoulder)",
    ),
    row(
        "back",
        15.0,
        70.0,
        1942.0,
        10000.0,
        20000.0,
        Layer::Bone,
        "dermis L02 back; SC/VE est from SM03; fat, muscle est",
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
        let mut layers = [Layer::StratumCorneum.default_props(0.0); LAYER_COUNT];
        for layer in Layer::ALL {
            let t = if layer.index() < 6 {
                b.thickness_um[layer.index()]
            } else if layer == b.floor {
                FLOOR_THICKNESS_UM
            } else {
                0.0
            };
            layers[layer.index()] = layer.default_props(t);
        }
        Site {
            name: b.name.to_owned(),
            layers,
            floor: b.floor,
        }
    }

    /// Check every layer's values; the error names `layers.<layer>.<field>`.
    pub fn validate(&self) -> Result<(), PhysicsError> {
        if !self.floor.is_floor_only() {
            return Err(PhysicsError::out_of_range(
                "floor",
                "cartilage or bone",
                self.floor.index() as f64,
            ));
        }
        for layer in Layer::ALL {
            self.layers[layer.index()].validate(layer)?;
        }
        for layer in &Layer::ALL[..5] {
            if self.layers[layer.index()].thickness_um <= 0.0 {
                return Err(PhysicsError::out_of_range(
                    format!("layers.{}.thickness_um", layer.name()),
                    "> 0",
                    self.layers[layer.index()].thickness_um,
                ));
            }
        }
        Ok(())
    }

    /// The parameters of one layer.
    pub fn layer(&self, layer: Layer) -> &LayerProps {
        &self.layers[layer.index()]
    }

    /// The penetrable layers (above the floor), surface first.
    pub fn penetrable(&self) -> impl Iterator<Item = Layer> + '_ {
        Layer::ALL[..self.floor.index()].iter().copied()
    }

    /// Depth of the top of each layer, µm, plus the bottom of the last one as the final entry;
    /// absent layers have zero thickness (equal consecutive entries).
    pub fn boundaries_um(&self) -> [f64; LAYER_COUNT + 1] {
        let mut b = [0.0; LAYER_COUNT + 1];
        for i in 0..LAYER_COUNT {
            b[i + 1] = b[i] + self.layers[i].thickness_um;
        }
        b
    }

    /// Depth of the top of the floor, µm: no needle gets deeper.
    pub fn floor_depth_um(&self) -> f64 {
        self.penetrable().map(|l| self.layer(l).thickness_um).sum()
    }

    /// Thickness of the penetrable column (same as [`Site::floor_depth_um`]), µm.
    pub fn total_thickness_um(&self) -> f64 {
        self.floor_depth_um()
    }

    /// The layer at `depth_um` below the surface (a depth exactly on a boundary belongs to the
    /// upper layer; at or below the top of the floor it is the floor).
    pub fn layer_at_depth(&self, depth_um: f64) -> Layer {
        let mut top = 0.0;
        for l in self.penetrable() {
            let t = self.layer(l).thickness_um;
            if t > 0.0 && depth_um <= top + t {
                return l;
            }
            top += t;
        }
        self.floor
    }

    /// [`Site::scaled`] into `out`, reusing its storage (no allocation once `out` has held a
    /// site of this name): for per-tick use.
    pub fn scale_into(&self, factor: f64, out: &mut Site) -> Result<(), PhysicsError> {
        if factor.is_nan() || factor <= 0.05 || factor > 20.0 {
            return Err(PhysicsError::out_of_range(
                "thickness_scale",
                "in 0.05..=20",
                factor,
            ));
        }
        out.name.clone_from(&self.name);
        out.floor = self.floor;
        for (o, l) in out.layers.iter_mut().zip(&self.layers) {
            *o = *l;
            o.thickness_um *= factor;
        }
        Ok(())
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
/// default (see [`crate::layer`]). The five skin layers are required; `muscle` is optional
/// (absent: the floor lies right under the fat) and `floor` defaults to `bone`.
///
/// ```toml
/// name = "scar"
/// floor = "bone"
/// [layers.stratum_corneum]
/// thickness_um = 15
/// [layers.viable_epidermis]
/// thickness_um = 60
/// # … papillary_dermis, reticular_dermis, hypodermis, optional muscle
/// ```
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SiteSpec {
    /// Site name.
    pub name: String,
    /// The layers by name.
    pub layers: LayerSpecs,
    /// The floor: `bone` (default) or `cartilage`.
    #[serde(default)]
    pub floor: Option<Layer>,
}

/// The layers of a [`SiteSpec`], each optional so that a missing one is a typed error.
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
    /// Muscle under the fat (optional).
    #[serde(default)]
    pub muscle: Option<LayerSpec>,
}

/// One layer of a [`SiteSpec`]; fields as in [`LayerProps`].
#[derive(Debug, Clone, Copy, PartialEq, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LayerSpec {
    /// Thickness, µm (required).
    pub thickness_um: f64,
    /// Quasi-static Young's modulus, Pa.
    pub modulus_pa: Option<f64>,
    /// Bound of the rate stiffening (≥ 1).
    pub rate_stiffening_max: Option<f64>,
    /// Rupture stress under the tip, Pa.
    pub rupture_stress_pa: Option<f64>,
    /// Fracture energy, J/m².
    pub fracture_energy_j_m2: Option<f64>,
    /// Friction coefficient against steel.
    pub friction_steel: Option<f64>,
}

fn props_from_spec(layer: Layer, s: LayerSpec) -> LayerProps {
    let d = layer.default_props(s.thickness_um);
    LayerProps {
        thickness_um: s.thickness_um,
        modulus_pa: s.modulus_pa.unwrap_or(d.modulus_pa),
        rate_stiffening_max: s.rate_stiffening_max.unwrap_or(d.rate_stiffening_max),
        rupture_stress_pa: s.rupture_stress_pa.unwrap_or(d.rupture_stress_pa),
        fracture_energy_j_m2: s.fracture_energy_j_m2.unwrap_or(d.fracture_energy_j_m2),
        friction_steel: s.friction_steel.unwrap_or(d.friction_steel),
    }
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
        let floor = spec.floor.unwrap_or(Layer::Bone);
        let mut layers = [Layer::StratumCorneum.default_props(0.0); LAYER_COUNT];
        for layer in Layer::ALL {
            layers[layer.index()] = layer.default_props(0.0);
        }
        for (layer, spec) in Layer::ALL.into_iter().zip(given) {
            let s = spec.ok_or_else(|| PhysicsError::MissingLayer {
                field: format!("layers.{}", layer.name()),
            })?;
            layers[layer.index()] = props_from_spec(layer, s);
        }
        if let Some(m) = l.muscle {
            layers[Layer::Muscle.index()] = props_from_spec(Layer::Muscle, m);
        }
        if floor.is_floor_only() {
            layers[floor.index()].thickness_um = FLOOR_THICKNESS_UM;
        }
        let site = Site {
            name: spec.name,
            layers,
            floor,
        };
        site.validate()?;
        Ok(site)
    }
}
