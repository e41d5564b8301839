//! Penetration of one needle in one stroke: tenting, layer-by-layer rupture, cutting, friction.
//!
//! # Model
//! One dimension, quasi-static at the rate of the stroke, evaluated once per needle per stroke
//! with its events located exactly (no time step):
//!
//! * **Tenting.** The tip pushes the surface (or the top of the layer it is blocked at) down
//!   against a foundation of stiffness `k = 2·a·E_f/(1−ν²)` (rigid punch of radius `a` = shaft
//!   radius on a half-space, ν = 0.5), where `E_f` is the series (thickness-weighted harmonic)
//!   combination of the moduli of the epidermis, the dermis and the top 4 mm below the dermis,
//!   each at the strain rate of the stroke (`rate = v/D`, Kelvin–Voigt `E + η·rate`); where the
//!   fat is thinner than 4 mm the tissue under it (muscle, fascia, bone) counts as a stiff 1 MPa
//!   (both **calibrated**: depth of the deformed zone and the stand-in modulus). Faster strokes are therefore stiffer and tent
//!   less (Mahvash & Dupont 2010, IEEE TBME 57(4); Shergold 2006). Soft, thick fat makes a soft
//!   foundation: a thick site tents more than a thin one over bone.
//! * **Rupture.** While blocked at the top of layer *i* the force is `k·(z − d)`; the layer
//!   ruptures when it reaches `F_r = g(v)·(σ_i·A_tip + G_i·2π·r_tip)`: proportional to the tip's
//!   interfacial area (Davis 2004, J Biomech 37:1155) plus a fracture-energy term (Shergold &
//!   Fleck 2005), falling with speed by `g(v) = 0.6 + 0.4/(1 + v/1 mm/s)` (**calibrated** to the
//!   fall Olatunji 2013 reports between 0.5 and 1 mm/s, floored at 0.6; Mahvash & Dupont 2010:
//!   rupture force falls with speed). Rupture is unstable (Fregonese & Bacca 2021): the tip jumps
//!   forward until the force balance with cutting holds again and the tent partly recovers.
//! * **Cutting and friction.** Inside a layer the tip needs the cutting force `G_i·D` (a crack as
//!   wide as the shaft, Okamura 2004: constant for a tissue) plus Coulomb friction on the
//!   embedded shaft, `μ_i·q_i·π·D` per unit length with clamping pressure `q_i = 0.02·E_i(rate)`
//!   (**calibrated**, friction ≈ 20 % of the insertion work; Barnett 2015). With the tip at `z`
//!   (below the undeformed surface) and in-tissue depth `d`, equilibrium is
//!   `k·(z − d) = G_i·D + friction(d)`, linear in `z`, so each segment is solved in closed form.
//!   Friction reverses on retraction ([`StrokeModel::retract_force_n`]).
//! * **Pre-compression.** Relaxation is far slower than a stroke (τ ≈ 0.5 s: Crichton 2013,
//!   Wang 2015 give 0.2–1.9 s; ~40 % of the force relaxes), so part of each stroke's tenting
//!   survives to the next: [`Precompression`] carries it and it lowers the surface the next
//!   stroke meets.
//!
//! Depth reached is the in-tissue depth `d` at the deepest tip position; the tip position is the
//! exposure minus the guard gap ([`crate::needle::guard_gap_um`]) minus the pre-compression, so
//! depth ≤ exposure always.
//!
//! # Calibration and limits
//! **Calibrated** to the pen regime: at 150 Hz (1.4 m/s), 2 N and a 1.0 mm setting the
//! defaults reach 64 % of the exposure on the cheek, 74 % on the forehead and 88 % on thin
//! periorbital skin, with ~0.03 N peak force per needle and 0.1–0.35 mm tenting — between
//! rollers (~20 %, Kalluri 2011, AAPS J 13:473) and slow polymer needles (~77 %), and more than
//! half as Lam 2008 and the notes expect for fast strikes. Settings of 0.25 mm break the
//! surface only on thin, stiff sites (periorbital, nose); 0.5 mm reaches the papillary or upper
//! reticular dermis on the face. **Not reproduced**: roller-like slow insertion (≤ 0.5 m/s,
//! i.e. below ~50 Hz) tents the soft fat so much that the model does not puncture at ≤ 1 mm;
//! the rate dependence (linear Kelvin–Voigt) is too steep far below pen speeds. Tip angle is
//! carried in [`Needle`] but the 1-D model uses only tip radius and shaft diameter.

use crate::error::{PhysicsError, check_range};
use crate::layer::Layer;
use crate::needle::{EXPOSURE_MAX_UM, Needle, guard_gap_um, validate_hand};
use crate::site::Site;

/// Poisson's ratio of skin (nearly incompressible).
const POISSON: f64 = 0.5;
/// Depth below the dermis over which the tent deforms the fat (and, if the fat is thinner,
/// the tissue under it), µm (calibrated).
const FAT_DEPTH_UM: f64 = 4000.0;
/// Modulus of the tissue under the hypodermis (muscle, fascia, bone), Pa (calibrated
/// stand-in: stiffer than fat at pen rates, so thin sites over bone tent less).
const DEEP_MODULUS_PA: f64 = 1.0e6;
/// Rupture-force speed factor at high speed (calibrated, see module docs).
const RUPTURE_FACTOR_FAST: f64 = 0.6;
/// Speed at which the rupture force has fallen half-way, m/s (calibrated).
const RUPTURE_SPEED_M_S: f64 = 1e-3;
/// Shaft clamping pressure as a fraction of the layer modulus (calibrated).
const CLAMP_FRACTION: f64 = 0.02;
/// Relaxation time of the pre-compression, s (Crichton 2013; Wang 2015: 0.2–1.9 s).
pub const RELAX_TAU_S: f64 = 0.5;
/// Share of tenting that relaxes viscously rather than springing back (Crichton 2013: ~40 %).
pub const VISCOUS_SHARE: f64 = 0.4;
/// Largest supported tip speed, m/s.
pub const TIP_SPEED_MAX_M_S: f64 = 20.0;

/// Everything one needle's stroke depends on.
#[derive(Debug, Clone, Copy)]
pub struct StrokeInput<'a> {
    /// The skin.
    pub site: &'a Site,
    /// The needle.
    pub needle: Needle,
    /// Exposure setting: how far the tip passes the guard plane at full extension, µm (0–3000).
    pub exposure_um: f64,
    /// Tip speed of the stroke (peak cam speed, `π·f·throw`), m/s.
    pub tip_speed_m_s: f64,
    /// Pressing force of the hand on the guard, N.
    pub hand_force_n: f64,
    /// Tilt of the pen from the skin normal, degrees (0 = upright).
    pub tilt_deg: f64,
    /// Distance of this needle from the guard rim that stays on the skin when tilted, mm.
    pub lever_mm: f64,
    /// Surface depression left by earlier strokes, µm ([`Precompression::residual_um`]).
    pub precompression_um: f64,
}

/// What one needle did in one stroke.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct StrokeResult {
    /// Deepest in-tissue depth of the tip below the (undeformed) surface, µm.
    pub reached_depth_um: f64,
    /// Deepest layer the tip entered (stratum corneum if it never broke the surface).
    pub layer: Layer,
    /// Whether the surface was broken at all.
    pub punctured: bool,
    /// Largest surface deflection during the stroke (tenting before a rupture), µm.
    pub tenting_um: f64,
    /// Deflection left at the deepest point, µm.
    pub end_tenting_um: f64,
    /// Largest force on the needle, N.
    pub peak_force_n: f64,
    /// Force on the needle at the deepest point, N.
    pub end_force_n: f64,
    /// Whether the papillary capillaries were reached (pinpoint bleeding).
    pub bleeding: bool,
    /// How far the tip travelled past the (pre-compressed) surface, µm: exposure − gap − pre.
    pub travel_um: f64,
}

/// Per-site, per-needle, per-speed constants of the stroke; build once, run for every needle.
#[derive(Debug, Clone, PartialEq)]
pub struct StrokeModel {
    /// Top of each layer and bottom of the stack, µm (the last one is +∞: fat extends).
    bound_um: [f64; 6],
    /// Foundation stiffness, N/µm.
    k_n_per_um: f64,
    rupture_n: [f64; 5],
    cut_n: [f64; 5],
    fric_n_per_um: [f64; 5],
    /// Friction force of a shaft embedded down to the top of each layer, N.
    fric_top_n: [f64; 5],
}

/// Sink for the vertices of the force–position path of a stroke.
trait PathSink {
    fn vertex(&mut self, z_um: f64, force_n: f64);
}

impl PathSink for () {
    #[inline]
    fn vertex(&mut self, _: f64, _: f64) {}
}

/// Vertices of the piecewise-linear force over tip position (in tissue coordinates).
#[derive(Debug, Clone, Copy)]
pub(crate) struct ForcePath {
    pub(crate) z_um: [f64; 32],
    pub(crate) force_n: [f64; 32],
    pub(crate) len: usize,
}

impl ForcePath {
    pub(crate) const fn new() -> Self {
        ForcePath {
            z_um: [0.0; 32],
            force_n: [0.0; 32],
            len: 0,
        }
    }
}

impl PathSink for ForcePath {
    fn vertex(&mut self, z_um: f64, force_n: f64) {
        if self.len < 32 {
            self.z_um[self.len] = z_um;
            self.force_n[self.len] = force_n;
            self.len += 1;
        }
    }
}

impl StrokeModel {
    /// Constants for `needle` into `site` at `tip_speed_m_s`; validates all three.
    pub fn new(site: &Site, needle: &Needle, tip_speed_m_s: f64) -> Result<Self, PhysicsError> {
        site.validate()?;
        needle.validate()?;
        check_range("tip_speed_m_s", tip_speed_m_s, 0.0, TIP_SPEED_MAX_M_S)?;
        let d_m = needle.shaft_diameter_um * 1e-6;
        let rate_per_s = tip_speed_m_s / d_m;
        let mut bound_um = site.boundaries_um();
        let fat_um = site.layers[4].thickness_um.min(FAT_DEPTH_UM);
        let mut compliance = (FAT_DEPTH_UM - fat_um) / DEEP_MODULUS_PA;
        bound_um[5] = f64::INFINITY;
        let mut rupture_n = [0.0; 5];
        let mut cut_n = [0.0; 5];
        let mut fric_n_per_um = [0.0; 5];
        let mut fric_top_n = [0.0; 5];
        let g = RUPTURE_FACTOR_FAST
            + (1.0 - RUPTURE_FACTOR_FAST) / (1.0 + tip_speed_m_s / RUPTURE_SPEED_M_S);
        let r_tip_m = needle.tip_radius_um * 1e-6;
        for (i, l) in site.layers.iter().enumerate() {
            let e_pa = l.modulus_at_rate_pa(rate_per_s);
            let counted_um = if i == 4 { fat_um } else { l.thickness_um };
            compliance += counted_um / e_pa;
            rupture_n[i] = g
                * (l.rupture_stress_pa * needle.tip_area_m2()
                    + l.fracture_energy_j_m2 * std::f64::consts::TAU * r_tip_m);
            cut_n[i] = l.fracture_energy_j_m2 * d_m;
            fric_n_per_um[i] =
                l.friction_steel * CLAMP_FRACTION * e_pa * std::f64::consts::PI * d_m * 1e-6;
            if i < 4 {
                fric_top_n[i + 1] = fric_top_n[i] + fric_n_per_um[i] * l.thickness_um;
            }
        }
        // Effective modulus of a reference 5 mm column with this compliance.
        let e_found_pa = 5000.0 / compliance;
        let k_n_per_m = 2.0 * (d_m / 2.0) * e_found_pa / (1.0 - POISSON * POISSON);
        Ok(StrokeModel {
            bound_um,
            k_n_per_um: k_n_per_m * 1e-6,
            rupture_n,
            cut_n,
            fric_n_per_um,
            fric_top_n,
        })
    }

    /// Foundation (tenting) stiffness, N/µm.
    pub fn stiffness_n_per_um(&self) -> f64 {
        self.k_n_per_um
    }

    /// Force at which the top of `layer` ruptures, N.
    pub fn rupture_force_n(&self, layer: Layer) -> f64 {
        self.rupture_n[layer.index()]
    }

    /// Top of each layer, µm, and +∞ as the bottom of the (unbounded) hypodermis.
    pub fn bounds(&self) -> [f64; 6] {
        self.bound_um
    }

    /// Force needed to rupture (or keep cutting into) the top of layer `index` with the tip
    /// blocked at `depth_um`, N.
    pub fn rupture_threshold_n(&self, index: usize, depth_um: f64) -> f64 {
        let i = index.min(4);
        self.rupture_n[i].max(self.cut_n[i] + self.friction_n(depth_um))
    }

    /// In-tissue depth at which cutting in layer `index` balances the foundation with the tip
    /// at `z_um`, µm (unclamped).
    pub fn cut_equilibrium_um(&self, index: usize, z_um: f64) -> f64 {
        let i = index.min(4);
        let (k, f) = (self.k_n_per_um, self.fric_n_per_um[i]);
        let c0 = self.cut_n[i] + self.fric_top_n[i] - f * self.bound_um[i];
        (k * z_um - c0) / (k + f)
    }

    /// Friction on a shaft embedded to `depth_um`, N.
    pub fn friction_n(&self, depth_um: f64) -> f64 {
        let d = depth_um.max(0.0);
        let mut i = 0;
        while i < 4 && d >= self.bound_um[i + 1] {
            i += 1;
        }
        self.fric_top_n[i] + self.fric_n_per_um[i] * (d - self.bound_um[i])
    }

    /// One stroke whose tip travels `travel_um` past the surface it meets.
    ///
    /// `travel_um ≤ 0` means no contact. Pure and total: finite for finite input.
    pub fn run(&self, travel_um: f64) -> StrokeResult {
        self.walk(travel_um, &mut ())
    }

    /// Force on the needle while it retracts from `reached_depth_um` with the tip at `z_um`
    /// (tissue coordinates), N: the tent springs back, then friction reverses and pulls on the
    /// shaft as it slides out.
    pub fn retract_force_n(&self, z_um: f64, reached_depth_um: f64) -> f64 {
        if reached_depth_um <= 0.0 {
            return (self.k_n_per_um * z_um).max(0.0);
        }
        let spring = self.k_n_per_um * (z_um - reached_depth_um);
        spring.max(-self.friction_n(z_um.clamp(0.0, reached_depth_um)))
    }

    pub(crate) fn path(&self, travel_um: f64, path: &mut ForcePath) -> StrokeResult {
        path.len = 0;
        self.walk(travel_um, path)
    }

    /// The event walk: blocked at a layer top → rupture → cutting → next layer … until the tip
    /// stops at `z_max`.
    fn walk(&self, z_max: f64, sink: &mut impl PathSink) -> StrokeResult {
        let k = self.k_n_per_um;
        let b = &self.bound_um;
        let z_max = if z_max.is_finite() {
            z_max.max(0.0)
        } else {
            0.0
        };
        sink.vertex(0.0, 0.0);
        let (mut z, mut d, mut i) = (0.0_f64, 0.0_f64, 0_usize);
        let mut peak = 0.0_f64;
        let mut max_tent = 0.0_f64;
        let mut entered: Option<usize> = None;
        loop {
            // Blocked at the top of layer i, tip at z: force k·(z − d).
            let threshold = self.rupture_threshold_n(i, d);
            let z_r = (d + threshold / k).max(z);
            if z_max < z_r {
                break;
            }
            z = z_r;
            let f_r = k * (z - d);
            sink.vertex(z, f_r);
            peak = peak.max(f_r);
            max_tent = max_tent.max(z - d);
            entered = Some(i);
            // Cutting in layer i: k·(z − d) = c0 + f·d.
            let f = self.fric_n_per_um[i];
            let c0 = self.cut_n[i] + self.fric_top_n[i] - f * b[i];
            let d_top = d;
            let d_eq = |z: f64| ((k * z - c0) / (k + f)).max(d_top);
            d = d_eq(z).min(b[i + 1]);
            sink.vertex(z, k * (z - d));
            if d < b[i + 1] {
                let z_end = b[i + 1] + (c0 + f * b[i + 1]) / k;
                if z_max < z_end {
                    d = d_eq(z_max).min(b[i + 1]);
                    break;
                }
                z = z_end;
                d = b[i + 1];
                sink.vertex(z, k * (z - d));
            }
            i += 1;
            if i >= 5 {
                // Unreachable for finite input (the hypodermis extends to +∞); stay total.
                break;
            }
        }
        let end_force = k * (z_max - d);
        sink.vertex(z_max, end_force);
        peak = peak.max(end_force);
        max_tent = max_tent.max(z_max - d);
        let layer = Layer::from_index(entered.unwrap_or(0));
        StrokeResult {
            reached_depth_um: d,
            layer,
            punctured: entered.is_some(),
            tenting_um: max_tent,
            end_tenting_um: z_max - d,
            peak_force_n: peak,
            end_force_n: end_force,
            bleeding: layer >= Layer::PapillaryDermis,
            travel_um: z_max,
        }
    }
}

impl StrokeInput<'_> {
    /// Check the inputs that are not part of the site or needle.
    pub fn validate(&self) -> Result<(), PhysicsError> {
        check_range("exposure_um", self.exposure_um, 0.0, EXPOSURE_MAX_UM)?;
        validate_hand(self.hand_force_n, self.tilt_deg)?;
        check_range("lever_mm", self.lever_mm, 0.0, 100.0)?;
        check_range(
            "precompression_um",
            self.precompression_um,
            0.0,
            EXPOSURE_MAX_UM,
        )?;
        Ok(())
    }

    /// How far the tip travels past the surface it meets, µm (may be ≤ 0: no contact).
    pub fn travel_um(&self) -> f64 {
        self.exposure_um
            - guard_gap_um(self.hand_force_n, self.tilt_deg, self.lever_mm)
            - self.precompression_um
    }
}

/// Simulate one stroke of one needle: the pure per-needle, per-stroke function.
pub fn stroke(input: &StrokeInput<'_>) -> Result<StrokeResult, PhysicsError> {
    input.validate()?;
    let model = StrokeModel::new(input.site, &input.needle, input.tip_speed_m_s)?;
    Ok(model.run(input.travel_um()))
}

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
        let target = VISCOUS_SHARE * result.tenting_um.max(0.0);
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
