//! Penetration of one needle in one stroke: tenting, progressive rupture, cutting, friction.
//!
//! # Model
//! One dimension along the needle, quasi-static at the instantaneous rate of the stroke,
//! evaluated once per needle per stroke with its events located in closed form (no time step):
//!
//! * **Tenting** ([`crate::mechanics`]): before the surface ruptures the conical tip indents
//!   the layered column (Sneddon cone on the Odemark–Boussinesq effective modulus); afterwards
//!   the shaft carries the load like a flat punch of its own radius, stiffness `k`. The moduli
//!   follow the bounded rate law at the strain rate of the tip.
//! * **Instantaneous speed.** On a cam the tip slows to zero at full extension: the speed at a
//!   tip position `s` above the bottom of the stroke is `v_peak·2·√(u(1 − u))`, `u = s/throw`
//!   (held at `v_peak` from half the throw up, where the rate law has saturated). The surface
//!   ruptures where the tenting force first reaches the rupture force *at the speed the tip has
//!   there*; the rest of the stroke uses the moduli and rupture forces at that speed
//!   ([`StrokeResult::rupture_speed_m_s`]). With no cam (`cam_throw_um` = 0: rollers, stamps)
//!   the speed is constant.
//! * **Progressive rupture.** Each layer's top ruptures by its own force criterion
//!   `g(v)·(σ_i·π·r_tip² + G_i·2π·r_tip)`; while blocked the depth stays at the layer top and
//!   the tent grows. Inside a layer the tip needs the cutting force `G_i·D` (a crack as wide as
//!   the shaft, Okamura 2004) plus Coulomb friction on the embedded shaft,
//!   `μ_i·q_i·π·D` per unit length with clamping pressure `q_i = CLAMP_FRACTION·E_i(rate)`.
//!   Equilibrium `k·(z − d) = G_i·D + friction(d)` is linear in the tip position `z`, so the
//!   reached depth `d` rises continuously with `z` at slope `k/(k + f_i) ≤ 1`, and a channel
//!   can end in any layer.
//! * **Floor.** Bone or cartilage stops the tip: the reached depth never exceeds the top of the
//!   floor; the layer reported is the last one above it (e.g. muscle) and
//!   [`StrokeResult::at_floor`] says the floor was hit.
//!
//! # Bound on the jump between settings
//! Raising the tip travel by `Δ` raises the reached depth by at most `Δ` plus what ruptures
//! release: cutting segments have slope `k/(k + f) ≤ 1`; the surface rupture releases at most
//! its tent ([`StrokeResult::tenting_um`]); a deeper layer top releases at most
//! `(F_r,i − G_i·D − friction)/(k + f_i) < F_r,i/k`, under 50 µm at pen speeds (rupture forces
//! of a few mN against k ≈ 0.3 mN/µm). Between adjacent 0.25 mm settings the reached depth
//! therefore rises by at most `250 µm + tenting_um + 50 µm`, and the surface tent stays below
//! 350 µm at every built-in site at 60–150 Hz and 1–6 N (both tested).
//!
//! # Calibration
//! `CLAMP_FRACTION` is **calibrated** so that pens at 100–150 Hz bury about half the travel in
//! the dermis — Lam 2008 (steel needles < 1 mm bury less than 50 %, pig skin) and Lima 2013
//! (0.5 mm reaches the papillary dermis only, porcine histology). Lima 2013 is therefore a
//! calibration case in the validation table, not an independent one.
//!
//! # Pre-compression
//! Relaxation is far slower than a stroke (τ ≈ 0.5 s: Crichton 2013, Wang 2015 give 0.2–1.9 s;
//! ~40 % of the force relaxes), so part of each stroke's tenting survives to the next:
//! [`Precompression`] carries it and it lowers the surface the next stroke meets.

use crate::error::{PhysicsError, check_range};
use crate::layer::{LAYER_COUNT, Layer, RATE_KNEE_PER_S};
use crate::mechanics::{
    Column, cone_coefficient_n_per_m2, punch_stiffness_n_per_m, rupture_speed_factor,
};
use crate::needle::{EXPOSURE_MAX_UM, Needle, guard_gap_um, validate_hand};
pub use crate::precompression::{Precompression, RELAX_TAU_S, VISCOUS_SHARE, contact_fraction};
use crate::site::Site;

/// Shaft clamping pressure as a fraction of the layer modulus (calibrated, module docs).
pub const CLAMP_FRACTION: f64 = 0.25;
/// Largest supported tip speed, m/s.
pub const TIP_SPEED_MAX_M_S: f64 = 20.0;
/// Most penetrable layers in a column (stratum corneum … muscle).
const MAXL: usize = 6;
/// Speed grid of the stiffness tables.
const NV: usize = 9;
/// Samples of the search for the surface rupture.
const SCAN: usize = 5;

/// Everything one needle's stroke depends on.
#[derive(Debug, Clone, Copy)]
pub struct StrokeInput<'a> {
    /// The skin.
    pub site: &'a Site,
    /// The needle.
    pub needle: Needle,
    /// Exposure setting: how far the tip passes the guard plane at full extension, µm (0–3000).
    pub exposure_um: f64,
    /// Peak tip speed of the stroke (`π·f·throw` on a cam), m/s.
    pub tip_speed_m_s: f64,
    /// Cam throw, µm, for the instantaneous speed; 0 = constant speed (rollers, stamps).
    pub cam_throw_um: f64,
    /// Pressing force of the hand on the guard, N.
    pub hand_force_n: f64,
    /// Tilt of the pen from the skin normal, degrees (0 = upright).
    pub tilt_deg: f64,
    /// Distance of this needle from the guard rim that stays on the skin when tilted, mm.
    pub lever_mm: f64,
    /// Surface depression left by earlier strokes, µm ([`Precompression::residual_um`]).
    pub precompression_um: f64,
    /// Local thickness of the skin relative to the site (1 = nominal; spread, 0.5–2).
    pub thickness_scale: f64,
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
    /// Whether the tip came to rest on the floor (bone or cartilage).
    pub at_floor: bool,
    /// Surface deflection when the surface ruptured (the whole travel if it did not), µm.
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
    /// Tip speed at the surface rupture (or at first contact when none), m/s.
    pub rupture_speed_m_s: f64,
}

/// Constants of the cutting phase at one speed.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Segment {
    pub(crate) k: f64,
    pub(crate) rupture_n: [f64; MAXL],
    pub(crate) fric: [f64; MAXL],
    pub(crate) fric_top: [f64; MAXL + 1],
}

/// Per-site, per-needle, per-speed constants of the stroke; build once, run for every needle.
#[derive(Debug, Clone, PartialEq)]
pub struct StrokeModel {
    pub(crate) n: usize,
    pub(crate) tag: [Layer; MAXL],
    floor: Layer,
    /// Top of each penetrable layer; `bound_um[n]` is the top of the floor.
    pub(crate) bound_um: [f64; MAXL + 1],
    base_rupture_n: [f64; MAXL],
    pub(crate) cut_n: [f64; MAXL],
    fric_qs_n_per_um: [f64; MAXL],
    rate_max: [f64; MAXL],
    shaft_radius_m: f64,
    v_peak_m_s: f64,
    throw_um: f64,
    grid_g: [f64; NV],
    grid_kc: [f64; NV],
    grid_kp: [f64; NV],
    cone_end_um: f64,
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
        if self.len < 32 && (self.len == 0 || z_um >= self.z_um[self.len - 1]) {
            self.z_um[self.len] = z_um;
            self.force_n[self.len] = force_n;
            self.len += 1;
        }
    }
}

impl StrokeModel {
    /// Constants for `needle` into `site` with peak tip speed `tip_speed_m_s` on a cam of
    /// `cam_throw_um` (0 = constant speed); validates all inputs.
    pub fn new(
        site: &Site,
        needle: &Needle,
        tip_speed_m_s: f64,
        cam_throw_um: f64,
    ) -> Result<Self, PhysicsError> {
        site.validate()?;
        needle.validate()?;
        check_range("tip_speed_m_s", tip_speed_m_s, 0.0, TIP_SPEED_MAX_M_S)?;
        check_range("cam_throw_um", cam_throw_um, 0.0, 20_000.0)?;
        let d_m = needle.shaft_diameter_um * 1e-6;
        let a_m = d_m / 2.0;
        let r_tip_m = needle.tip_radius_um * 1e-6;
        let tan_a = needle.tip_half_angle_deg.to_radians().tan();
        let mut m = StrokeModel {
            n: 0,
            tag: [Layer::StratumCorneum; MAXL],
            floor: site.floor,
            bound_um: [0.0; MAXL + 1],
            base_rupture_n: [0.0; MAXL],
            cut_n: [0.0; MAXL],
            fric_qs_n_per_um: [0.0; MAXL],
            rate_max: [1.0; MAXL],
            shaft_radius_m: a_m,
            v_peak_m_s: tip_speed_m_s,
            throw_um: cam_throw_um,
            grid_g: [1.0; NV],
            grid_kc: [0.0; NV],
            grid_kp: [0.0; NV],
            cone_end_um: a_m / tan_a * 1e6,
        };
        for l in site.penetrable() {
            let p = site.layer(l);
            if p.thickness_um <= 0.0 || m.n >= MAXL {
                continue;
            }
            let i = m.n;
            m.tag[i] = l;
            m.bound_um[i + 1] = m.bound_um[i] + p.thickness_um;
            m.base_rupture_n[i] = p.rupture_stress_pa * std::f64::consts::PI * r_tip_m * r_tip_m
                + p.fracture_energy_j_m2 * std::f64::consts::TAU * r_tip_m;
            m.cut_n[i] = p.fracture_energy_j_m2 * d_m;
            m.fric_qs_n_per_um[i] = p.friction_steel
                * CLAMP_FRACTION
                * p.modulus_pa
                * std::f64::consts::PI
                * d_m
                * 1e-6;
            m.rate_max[i] = p.rate_stiffening_max;
            m.n += 1;
        }
        for j in 0..NV {
            let v = m.grid_speed(j);
            let col = Column::new(site, v / a_m, 1.0);
            let g = rupture_speed_factor(v);
            let kp = punch_stiffness_n_per_m(a_m, col.effective_modulus_pa(a_m)) * 1e-6;
            // Cone: contact radius at the rupture tent, found by one fixed-point pass.
            let f_r = g * m.base_rupture_n[0];
            let mut a_c = a_m / 2.0;
            let mut kc = 0.0;
            for _ in 0..2 {
                kc = cone_coefficient_n_per_m2(tan_a, col.effective_modulus_pa(a_c)) * 1e-12;
                let delta_um = (f_r / kc).sqrt();
                a_c = (delta_um * 1e-6 * tan_a).clamp(r_tip_m, a_m);
            }
            m.grid_g[j] = g;
            m.grid_kc[j] = kc;
            m.grid_kp[j] = kp;
        }
        Ok(m)
    }

    fn grid_speed(&self, j: usize) -> f64 {
        let t = j as f64 / (NV - 1) as f64;
        self.v_peak_m_s * t * t
    }

    /// Interpolate the speed tables at `v`: (g, cone coefficient N/µm², punch stiffness N/µm).
    fn at_speed(&self, v: f64) -> (f64, f64, f64) {
        if self.v_peak_m_s <= 0.0 {
            return (self.grid_g[0], self.grid_kc[0], self.grid_kp[0]);
        }
        let u = (v / self.v_peak_m_s).clamp(0.0, 1.0).sqrt() * (NV - 1) as f64;
        let j = (u as usize).min(NV - 2);
        let t = u - j as f64;
        let lerp = |a: &[f64; NV]| a[j] + (a[j + 1] - a[j]) * t;
        (lerp(&self.grid_g), lerp(&self.grid_kc), lerp(&self.grid_kp))
    }

    /// Tip speed `s_um` above the bottom of the stroke, m/s (module docs).
    pub fn speed_at_m_s(&self, s_um: f64) -> f64 {
        if self.throw_um <= 0.0 {
            return self.v_peak_m_s;
        }
        let u = (s_um / self.throw_um).clamp(0.0, 0.5);
        self.v_peak_m_s * 2.0 * (u * (1.0 - u)).sqrt()
    }

    /// Constants of the cutting phase at speed `v`.
    pub(crate) fn segment(&self, v: f64) -> Segment {
        let (g, _, k) = self.at_speed(v);
        let rate = v / self.shaft_radius_m;
        let x = rate / (rate + RATE_KNEE_PER_S);
        let mut s = Segment {
            k,
            rupture_n: [0.0; MAXL],
            fric: [0.0; MAXL],
            fric_top: [0.0; MAXL + 1],
        };
        for i in 0..self.n {
            s.rupture_n[i] = g * self.base_rupture_n[i];
            s.fric[i] = self.fric_qs_n_per_um[i] * (1.0 + (self.rate_max[i] - 1.0) * x);
            s.fric_top[i + 1] =
                s.fric_top[i] + s.fric[i] * (self.bound_um[i + 1] - self.bound_um[i]);
        }
        s
    }

    /// Tenting force of the intact surface at deflection `delta_um`, N.
    fn tent_force_n(&self, kc: f64, kp: f64, delta_um: f64) -> f64 {
        let d = delta_um.max(0.0);
        if d <= self.cone_end_um {
            kc * d * d
        } else {
            kc * self.cone_end_um * self.cone_end_um + kp * (d - self.cone_end_um)
        }
    }

    /// Surplus of tenting force over rupture force with the tip at `z` of a stroke to `z_max`.
    pub(crate) fn surface_surplus(&self, z: f64, z_max: f64) -> f64 {
        let (g, kc, kp) = self.at_speed(self.speed_at_m_s(z_max - z));
        let f_r = (g * self.base_rupture_n[0]).max(self.cut_n[0]);
        self.tent_force_n(kc, kp, z) - f_r
    }

    /// Surface tent at which the rupture force is reached at peak speed, µm: a lower bound of
    /// the rupture point at any lower speed (softer skin, higher rupture force).
    fn min_tent_um(&self) -> f64 {
        let (g, kc, kp) = (
            self.grid_g[NV - 1],
            self.grid_kc[NV - 1],
            self.grid_kp[NV - 1],
        );
        let f_r = (g * self.base_rupture_n[0]).max(self.cut_n[0]);
        let f_s = kc * self.cone_end_um * self.cone_end_um;
        if f_r <= f_s {
            (f_r / kc).sqrt()
        } else {
            self.cone_end_um + (f_r - f_s) / kp
        }
    }

    /// Root of the surface surplus in `[lo, hi]` (`f_lo < 0 ≤ f_hi`), to 0.02 µm.
    fn first_root(
        &self,
        mut lo: f64,
        mut f_lo: f64,
        mut hi: f64,
        mut f_hi: f64,
        z_max: f64,
    ) -> f64 {
        let mut side = 0;
        for _ in 0..24 {
            if hi - lo < 0.02 {
                break;
            }
            let z = (lo * f_hi - hi * f_lo) / (f_hi - f_lo);
            let z = if z > lo && z < hi { z } else { 0.5 * (lo + hi) };
            let f_z = self.surface_surplus(z, z_max);
            if f_z >= 0.0 {
                (hi, f_hi) = (z, f_z);
                if side == 1 {
                    f_lo *= 0.5;
                }
                side = 1;
            } else {
                (lo, f_lo) = (z, f_z);
                if side == -1 {
                    f_hi *= 0.5;
                }
                side = -1;
            }
        }
        hi
    }

    /// Punch stiffness after the surface has broken at peak speed, N/µm.
    pub fn stiffness_n_per_um(&self) -> f64 {
        self.grid_kp[NV - 1]
    }

    /// Force at which the top of `layer` ruptures at tip speed `speed_m_s`, N (0 if the layer
    /// is not in the column).
    pub fn rupture_force_n(&self, layer: Layer, speed_m_s: f64) -> f64 {
        let g = rupture_speed_factor(speed_m_s);
        (0..self.n)
            .find(|&i| self.tag[i] == layer)
            .map_or(0.0, |i| g * self.base_rupture_n[i])
    }

    /// Top of each penetrable layer, µm, and the top of the floor; (layers, count).
    pub fn bounds(&self) -> (&[f64], &[Layer]) {
        (&self.bound_um[..=self.n], &self.tag[..self.n])
    }

    /// Depth of the top of the floor, µm.
    pub fn floor_depth_um(&self) -> f64 {
        self.bound_um[self.n]
    }

    /// One stroke whose tip travels `travel_um` past the surface it meets, with the local
    /// thickness scaled by `thickness_scale` (1 = nominal).
    ///
    /// `travel_um ≤ 0` means no contact. Pure and total: finite for finite input.
    pub fn run(&self, travel_um: f64, thickness_scale: f64) -> StrokeResult {
        self.walk(travel_um, thickness_scale, &mut ())
    }

    /// Force on the needle while it retracts from `result` with the tip at `z_um` (tissue
    /// coordinates), N: the tent springs back, then friction reverses.
    pub fn retract_force_n(&self, z_um: f64, result: &StrokeResult) -> f64 {
        let seg = self.segment(result.rupture_speed_m_s);
        self.retract_with(&seg, z_um, result.reached_depth_um, 1.0)
    }

    pub(crate) fn retract_with(
        &self,
        seg: &Segment,
        z_um: f64,
        reached_um: f64,
        scale: f64,
    ) -> f64 {
        if reached_um <= 0.0 {
            return (seg.k * z_um).max(0.0);
        }
        let spring = seg.k * (z_um - reached_um);
        if spring >= 0.0 {
            return spring;
        }
        spring.max(-self.friction_n(seg, z_um.max(0.0), scale))
    }

    pub(crate) fn friction_n(&self, seg: &Segment, depth_um: f64, scale: f64) -> f64 {
        let d = depth_um.max(0.0);
        let mut i = 0;
        while i + 1 < self.n && d >= self.bound_um[i + 1] * scale {
            i += 1;
        }
        seg.fric_top[i] * scale + seg.fric[i] * (d - self.bound_um[i] * scale).max(0.0)
    }

    pub(crate) fn path(&self, travel_um: f64, scale: f64, path: &mut ForcePath) -> StrokeResult {
        path.len = 0;
        self.walk(travel_um, scale, path)
    }

    /// The event walk: surface tent → rupture → cutting → next layer … → floor.
    fn walk(&self, z_max: f64, scale: f64, sink: &mut impl PathSink) -> StrokeResult {
        let z_max = if z_max.is_finite() {
            z_max.max(0.0)
        } else {
            0.0
        };
        let scale = if scale.is_finite() {
            scale.clamp(0.5, 2.0)
        } else {
            1.0
        };
        sink.vertex(0.0, 0.0);
        let contact_v = self.speed_at_m_s(z_max);
        // Surface rupture: first sample with a surplus, then Illinois regula falsi.
        let mut z_r = None;
        if z_max > 0.0 && self.n > 0 {
            // No rupture before the tent needed at peak speed (stiffest, weakest skin).
            let lo0 = self.min_tent_um().min(z_max);
            let (mut lo, mut f_lo) = (lo0, self.surface_surplus(lo0, z_max));
            if f_lo >= 0.0 {
                (lo, f_lo) = (0.0, self.surface_surplus(0.0, z_max));
            }
            for m in 1..=SCAN {
                let z = lo0 + (z_max - lo0) * m as f64 / SCAN as f64;
                let f_z = self.surface_surplus(z, z_max);
                if f_z >= 0.0 {
                    z_r = Some(self.first_root(lo, f_lo, z, f_z, z_max));
                    break;
                }
                (lo, f_lo) = (z, f_z);
            }
        }
        let Some(z_r) = z_r else {
            let (_, kc, kp) = self.at_speed(contact_v);
            for m in 1..=4 {
                let z = z_max * f64::from(m) / 4.0;
                sink.vertex(z, self.tent_force_n(kc, kp, z));
            }
            let f = self.tent_force_n(kc, kp, z_max);
            return StrokeResult {
                reached_depth_um: 0.0,
                layer: Layer::StratumCorneum,
                punctured: false,
                at_floor: false,
                tenting_um: z_max,
                end_tenting_um: z_max,
                peak_force_n: f,
                end_force_n: f,
                bleeding: false,
                travel_um: z_max,
                rupture_speed_m_s: contact_v,
            };
        };
        let v_r = self.speed_at_m_s(z_max - z_r);
        let (_, kc, kp) = self.at_speed(v_r);
        for m in 1..=3 {
            let z = z_r * f64::from(m) / 4.0;
            sink.vertex(z, self.tent_force_n(kc, kp, z));
        }
        let f_pop = self.tent_force_n(kc, kp, z_r);
        sink.vertex(z_r, f_pop);
        let seg = self.segment(v_r);
        let k = seg.k;
        let b = |i: usize| self.bound_um[i] * scale;
        let fric_top = |i: usize| seg.fric_top[i] * scale;
        let mut peak = f_pop;
        let (mut z, mut d, mut i) = (z_r, 0.0_f64, 0_usize);
        let mut at_floor = false;
        loop {
            // Cutting in layer i (just ruptured at depth d = top): k·(z − d) = c0 + f·d.
            let f = seg.fric[i];
            let c0 = self.cut_n[i] + fric_top(i) - f * b(i);
            let d_top = d;
            let d_eq = |z: f64| ((k * z - c0) / (k + f)).max(d_top);
            d = d_eq(z).min(b(i + 1));
            sink.vertex(z, k * (z - d));
            if d < b(i + 1) {
                let z_end = b(i + 1) + (c0 + f * b(i + 1)) / k;
                if z_max < z_end {
                    d = d_eq(z_max).min(b(i + 1));
                    break;
                }
                z = z_end;
                d = b(i + 1);
                sink.vertex(z, k * (z - d));
            }
            if i + 1 >= self.n {
                at_floor = true;
                break;
            }
            // Blocked at the top of layer i + 1.
            i += 1;
            let threshold = seg.rupture_n[i].max(self.cut_n[i] + self.friction_n(&seg, d, scale));
            let z_b = (d + threshold / k).max(z);
            if z_max < z_b {
                break;
            }
            z = z_b;
            let f_b = k * (z - d);
            sink.vertex(z, f_b);
            peak = peak.max(f_b);
        }
        let end_force = k * (z_max - d);
        sink.vertex(z_max, end_force);
        peak = peak.max(end_force);
        // The layer the tip is in: a depth exactly on a top belongs to the layer above.
        let mut li = 0;
        while li + 1 < self.n && d > b(li + 1) {
            li += 1;
        }
        let layer = self.tag[li];
        StrokeResult {
            reached_depth_um: d,
            layer,
            punctured: true,
            at_floor: at_floor || d >= b(self.n) - 1e-9,
            tenting_um: z_r,
            end_tenting_um: z_max - d,
            peak_force_n: peak,
            end_force_n: end_force,
            bleeding: layer.bleeds(),
            travel_um: z_max,
            rupture_speed_m_s: v_r,
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
        check_range("thickness_scale", self.thickness_scale, 0.5, 2.0)?;
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
    let model = StrokeModel::new(
        input.site,
        &input.needle,
        input.tip_speed_m_s,
        input.cam_throw_um,
    )?;
    Ok(model.run(input.travel_um(), input.thickness_scale))
}

#[allow(dead_code)]
const _: () = assert!(MAXL + 2 == LAYER_COUNT);
