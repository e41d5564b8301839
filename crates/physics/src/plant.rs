//! The pen plant: DC motor, cam, return spring, battery, and the needles' load on the motor.
//!
//! The runner calls [`PenPlant::step`] once per firmware tick (1 kHz) with the PWM duty and the
//! hand state; the plant sub-steps internally (default 100 µs) and returns what firmware would
//! sense plus the needle punctures completed in the tick.
//!
//! # Equations
//! * Battery: open-circuit voltage from state of charge (piecewise-linear typical 1S Li-ion
//!   curve, **estimate**), minus `R_int·I` with `I = duty·i_motor`.
//! * Motor (averaged PWM, non-synchronous bridge so current never goes negative):
//!   `L·di/dt = duty·V_batt − R·i − k_e·ω`, `J·dω/dt = k_t·i − b·ω − τ_load − τ_c·sgn ω`,
//!   advanced by the *exact* discretisation of this linear 2 × 2 system with the nonlinear
//!   loads (needle force tables, spring, Coulomb friction, jam, pressing drag) held over the
//!   sub-step ([`crate::motor`]); stiction holds the rotor while the net torque is below
//!   `τ_c`. Exact for held inputs, so the sub-step is no longer limited by L/R ≈ 40 µs: the
//!   default is 100 µs (was 20 µs explicit), and hall pulses and stroke ends are timed within
//!   the sub-step by interpolating the angle.
//! * Cam on the motor shaft, one stroke per revolution, one hall pulse per revolution at full
//!   retraction (θ = 0): carrier position `s = throw·(1 − cos θ)/2`, tip past the guard plane
//!   `z = exposure − throw + s`.
//! * Load torque `τ_load = (F_needles + F_spring)·ds/dθ` with `ds/dθ = throw/2·sin θ`;
//!   `F_spring = k_s·s + preload` (return spring). The needles' force comes from a per-stroke
//!   table: at each hall pulse every needle's stroke is evaluated once ([`StrokeModel`], at the
//!   tip speed `ω·throw/2`) and its force over tip position is summed into 32 bins for the
//!   extension half and 32 for the retraction half (friction reverses); the sub-steps read the
//!   tables. Punctures are reported when the cam passes full extension (θ = π).
//!
//! # Defaults ([`PenParams::default`])
//! Agreed with the reference firmware: 1S Li-ion 4.2 V full / 3.0 V empty, 0.12 Ω internal
//! resistance; coreless motor R = 1.2 Ω, k_t = k_e = 3 mN·m/A (stall ≈ 3 A). **Estimates**:
//! inductance 50 µH (L/R ≈ 40 µs, typical of 13–16 mm coreless motors), rotor + cam inertia
//! 10⁻⁷ kg·m², Coulomb friction 0.15 mN·m, viscous 2·10⁻⁷ N·m·s (coasts to a stop in < 1 s), spring 0.2 N/mm with 0.5 N
//! preload, carrier 2 g, battery 500 mAh starting at 80 % charge. Unloaded at 100 % duty and
//! 3.7 V this runs at ~187 strokes/s; with 36 needles at 1.5 mm on the cheek 150 Hz takes
//! ~82 % duty at 3.7 V and ~73 % at 4.05 V (k_e = 3 mV·s/rad caps the speed at V/k_e, so at
//! 3.7 V no pen with these constants holds 150 Hz below ~77 % duty).

use crate::error::{PhysicsError, check_range};
use crate::layer::Layer;
use crate::motor::MotorStep;
use crate::needle::{Cartridge, EXPOSURE_MAX_UM, guard_gap_um, validate_hand};
pub use crate::pen_params::PenParams;
use crate::site::Site;
use crate::spread::SpreadDraw;
use crate::stroke::{ForcePath, Precompression, StrokeModel, StrokeResult, contact_fraction};
use std::f64::consts::{PI, TAU};

/// Bins of the per-stroke force tables.
const BINS: usize = 32;
/// Time without a hall pulse after which the hall period reads 0, µs.
pub const HALL_TIMEOUT_US: u64 = 100_000;

/// The hand and skin under the pen during one tick.
#[derive(Debug, Clone, Copy)]
pub struct Contact<'a> {
    /// The skin under the pen (already scaled to the local thickness), or `None` when the pen
    /// is off the skin. Every needle meets it unless [`Contact::needle_sites`] says otherwise.
    pub site: Option<&'a Site>,
    /// The skin under each needle, where the needles of one cartridge stand on different skin
    /// (a cartridge straddling two zones of a face); `None`: every needle meets
    /// [`Contact::site`]. Only read while `site` is `Some` (the pen on the skin).
    pub needle_sites: Option<NeedleSites<'a>>,
    /// Pressing force, N (0–50).
    pub hand_force_n: f64,
    /// Tilt from the skin normal, degrees (0–45).
    pub tilt_deg: f64,
}

impl Contact<'_> {
    /// Pen held in the air.
    pub const OFF: Contact<'static> = Contact {
        site: None,
        needle_sites: None,
        hand_force_n: 0.0,
        tilt_deg: 0.0,
    };
}

/// One skin per needle: the distinct skins under the cartridge, and which of them each needle
/// meets. A stroke builds one [`StrokeModel`] per distinct skin its needles meet, so a cartridge
/// over one skin costs what a single [`Contact::site`] costs.
#[derive(Debug, Clone, Copy)]
pub struct NeedleSites<'a> {
    /// The distinct skins (already scaled to the local thickness).
    pub sites: &'a [Site],
    /// `of_needle[j]`: the index into `sites` of the skin under needle `j`
    /// ([`Cartridge::positions_mm`] order); one entry per needle.
    pub of_needle: &'a [u16],
}

impl NeedleSites<'_> {
    /// Check that there is one entry per needle of a cartridge of `needles`, each naming one of
    /// the sites, and that every site is valid.
    fn validate(&self, needles: usize) -> Result<(), PhysicsError> {
        if self.of_needle.len() != needles {
            return Err(PhysicsError::OutOfRange {
                field: "needle_sites.of_needle".to_owned(),
                requirement: format!("one entry per needle ({needles})"),
                value: self.of_needle.len() as f64,
            });
        }
        if let Some(&bad) = self
            .of_needle
            .iter()
            .find(|&&k| usize::from(k) >= self.sites.len())
        {
            return Err(PhysicsError::OutOfRange {
                field: "needle_sites.of_needle".to_owned(),
                requirement: format!("an index below the number of sites ({})", self.sites.len()),
                value: f64::from(bad),
            });
        }
        self.sites.iter().try_for_each(Site::validate)
    }
}

/// One needle's completed puncture.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Puncture {
    /// Index of the needle in [`Cartridge::positions_mm`].
    pub needle_index: u16,
    /// Depth reached below the undeformed surface, µm.
    pub depth_um: f64,
    /// Deepest layer entered.
    pub layer: Layer,
    /// Peak force on the needle, N.
    pub peak_force_n: f64,
    /// Whether the papillary capillaries were reached.
    pub bleeding: bool,
    /// How far the surface tented before it ruptured, µm.
    pub tenting_um: f64,
    /// Whether the tip came to rest on the floor (bone or cartilage).
    pub at_floor: bool,
}

/// What the plant reports after one tick.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct PlantTick<'a> {
    /// Motor current at the end of the tick, mA.
    pub motor_current_ma: i32,
    /// Time between the last two hall pulses, µs; 0 when stopped (no pulse for 100 ms).
    pub hall_period_us: u32,
    /// Battery terminal voltage under load, mV.
    pub battery_mv: u32,
    /// Needle tip position past the guard plane at the end of the tick, µm (negative: inside).
    pub needle_z_um: i32,
    /// Furthest the needle tip went past the guard plane during the tick, µm: exactly the
    /// exposure when the cam passed full extension (θ = π) in this tick, else the larger end
    /// of the tick's travel (the tip position is monotonic on each half-turn).
    pub needle_peak_um: f64,
    /// Punctures completed during this tick (empty in most ticks).
    pub punctures: &'a [Puncture],
}

/// The simulated pen: motor, cam, spring, battery and cartridge.
#[derive(Debug, Clone)]
pub struct PenPlant {
    params: PenParams,
    cartridge: Cartridge,
    exposure_um: f64,
    t_us: u64,
    theta_rad: f64,
    omega_rad_s: f64,
    current_a: f64,
    battery_current_a: f64,
    soc: f64,
    battery_v: f64,
    last_pulse_us: Option<u64>,
    hall_period_us: u32,
    precompression: Vec<Precompression>,
    pending: Vec<StrokeResult>,
    spread_seed: u64,
    stroke_count: u64,
    pending_contact_s: f64,
    pending_period_s: f64,
    punctures: Vec<Puncture>,
    force_in_n: [f64; BINS],
    force_out_n: [f64; BINS],
    table_active: bool,
    path: ForcePath,
    /// The motor's exact update over one full sub-step ([`crate::motor`]).
    motor: MotorStep,
    /// Extra Coulomb friction of a jammed carriage, N·m.
    jam_torque_nm: f64,
    /// Furthest tip position past the guard in the current tick, µm.
    peak_z_um: f64,
    /// Per-needle skins: the stroke model of each distinct skin the stroke's needles meet
    /// (reused from stroke to stroke, so no stroke allocates).
    models: Vec<Option<StrokeModel>>,
}

impl PenPlant {
    /// A stopped pen with `cartridge` fitted and exposure 0.
    pub fn new(params: PenParams, cartridge: Cartridge) -> Result<Self, PhysicsError> {
        params.validate()?;
        let n = cartridge.needle_count();
        Ok(PenPlant {
            params,
            exposure_um: 0.0,
            t_us: 0,
            theta_rad: 0.0,
            omega_rad_s: 0.0,
            current_a: 0.0,
            battery_current_a: 0.0,
            soc: params.battery_soc,
            battery_v: params.open_circuit_v(params.battery_soc),
            last_pulse_us: None,
            hall_period_us: 0,
            precompression: vec![Precompression::default(); n],
            pending: Vec::with_capacity(n),
            spread_seed: 0,
            stroke_count: 0,
            pending_contact_s: 0.0,
            pending_period_s: 0.0,
            punctures: Vec::with_capacity(n),
            force_in_n: [0.0; BINS],
            force_out_n: [0.0; BINS],
            table_active: false,
            path: ForcePath::new(),
            jam_torque_nm: 0.0,
            peak_z_um: 0.0,
            models: Vec::new(),
            motor: motor_step(&params, f64::from(params.substep_us) * 1e-6),
            cartridge,
        })
    }

    /// Set the exposure (depth dial), µm, 0–3000; takes effect from the next stroke.
    pub fn set_exposure_um(&mut self, exposure_um: f64) -> Result<(), PhysicsError> {
        check_range("exposure_um", exposure_um, 0.0, EXPOSURE_MAX_UM)?;
        self.exposure_um = exposure_um;
        Ok(())
    }

    /// The exposure setting, µm.
    pub fn exposure_um(&self) -> f64 {
        self.exposure_um
    }

    /// The fitted cartridge.
    pub fn cartridge(&self) -> &Cartridge {
        &self.cartridge
    }

    /// The parameters.
    pub fn params(&self) -> &PenParams {
        &self.params
    }

    /// Motor speed, revolutions (= strokes) per second.
    pub fn speed_hz(&self) -> f64 {
        self.omega_rad_s / TAU
    }

    /// Battery state of charge, 0–1.
    pub fn state_of_charge(&self) -> f64 {
        self.soc
    }

    /// Simulated time since creation, µs.
    pub fn time_us(&self) -> u64 {
        self.t_us
    }

    /// Pre-compression under each needle, µm.
    pub fn precompression_um(&self) -> impl Iterator<Item = f64> + '_ {
        self.precompression.iter().map(|p| p.residual_um)
    }

    /// Bind the needle carriage with `torque_nm` of extra Coulomb friction at the motor shaft
    /// (an injected cartridge jam; 0 frees it). Negative or non-finite values count as 0.
    pub fn set_jam_torque_nm(&mut self, torque_nm: f64) {
        self.jam_torque_nm = if torque_nm.is_finite() {
            torque_nm.max(0.0)
        } else {
            0.0
        };
    }

    /// Seed the per-puncture spread (see [`crate::spread`]); the same seed gives the same
    /// punctures. The default seed is 0.
    pub fn set_spread_seed(&mut self, seed: u64) {
        self.spread_seed = seed;
    }

    /// Forget the pre-compression (the pen moved to fresh skin).
    pub fn reset_precompression(&mut self) {
        self.precompression
            .iter_mut()
            .for_each(|p| *p = Precompression::default());
    }

    /// Advance by `dt_us` with PWM duty `duty_permille` (0–1000; larger is clamped) and the
    /// hand state `contact`. An invalid contact (force, tilt or site out of range) is an error
    /// and leaves the plant unchanged.
    pub fn step(
        &mut self,
        duty_permille: u16,
        dt_us: u32,
        contact: &Contact<'_>,
    ) -> Result<PlantTick<'_>, PhysicsError> {
        validate_hand(contact.hand_force_n, contact.tilt_deg)?;
        if let Some(site) = contact.site {
            site.validate()?;
            if let Some(sites) = &contact.needle_sites {
                sites.validate(self.cartridge.needle_count())?;
            }
        }
        self.punctures.clear();
        self.peak_z_um = self.tip_z_um(self.theta_rad);
        let duty = f64::from(duty_permille.min(1000)) / 1000.0;
        let n = dt_us.div_ceil(self.params.substep_us).max(1);
        let mut left_us = dt_us;
        // The state of charge barely moves within a tick: one open-circuit lookup per tick.
        let ocv = self.params.open_circuit_v(self.soc);
        for k in 0..n {
            let h_us = if k + 1 == n {
                left_us
            } else {
                self.params.substep_us.min(left_us)
            };
            left_us -= h_us;
            if h_us > 0 {
                self.substep(duty, ocv, h_us, contact);
            }
        }
        if contact.site.is_none() {
            let dt_s = f64::from(dt_us) * 1e-6;
            self.precompression.iter_mut().for_each(|p| p.relax(dt_s));
        }
        let stopped = self
            .last_pulse_us
            .is_none_or(|t| self.t_us - t > HALL_TIMEOUT_US);
        Ok(PlantTick {
            motor_current_ma: (self.current_a * 1000.0).round() as i32,
            hall_period_us: if stopped { 0 } else { self.hall_period_us },
            battery_mv: (self.battery_v * 1000.0).round().max(0.0) as u32,
            needle_z_um: self.tip_z_um(self.theta_rad).round() as i32,
            needle_peak_um: self.peak_z_um,
            punctures: &self.punctures,
        })
    }

    /// Tip position past the guard plane at cam angle `theta`, µm.
    fn tip_z_um(&self, theta: f64) -> f64 {
        let s = self.params.cam_throw_um * (1.0 - theta.cos()) / 2.0;
        self.exposure_um - self.params.cam_throw_um + s
    }

    fn substep(&mut self, duty: f64, ocv: f64, h_us: u32, contact: &Contact<'_>) {
        let p = self.params;
        let h = f64::from(h_us) * 1e-6;
        // Battery (uses the current of the previous sub-step).
        self.battery_v = (ocv - p.battery_internal_ohm * self.battery_current_a).max(0.0);
        let u = duty * self.battery_v;
        // Loads at the start of the sub-step, held over it.
        let throw_m = p.cam_throw_um * 1e-6;
        let (sin, cos) = self.theta_rad.sin_cos();
        let s_m = throw_m * (1.0 - cos) / 2.0;
        let ds_dtheta = throw_m / 2.0 * sin;
        let f_spring = p.spring_rate_n_per_mm * 1000.0 * s_m + p.spring_preload_n;
        let f_needles = self.needle_force_n(self.theta_rad);
        let tau_load = (f_needles + f_spring) * ds_dtheta;
        let press_nm = if contact.site.is_some() {
            contact.hand_force_n * p.press_drag_nm_per_n
        } else {
            0.0
        };
        let coulomb_nm = p.friction_coulomb_nm + self.jam_torque_nm + press_nm;
        let partial;
        let motor = if h_us == p.substep_us {
            &self.motor
        } else {
            partial = motor_step(&p, h);
            &partial
        };
        let w = self.omega_rad_s;
        let tau_drive = p.motor_kt_nm_per_a * self.current_a - tau_load;
        let (i1, w1, dtheta) = if w == 0.0 && tau_drive.abs() <= coulomb_nm {
            // Stiction: the rotor stays; the current settles at constant (zero) speed.
            let i_ss = u / p.motor_resistance_ohm;
            (
                i_ss + (self.current_a - i_ss) * motor.stalled_decay,
                0.0,
                0.0,
            )
        } else {
            let dir = if w != 0.0 {
                w.signum()
            } else {
                tau_drive.signum()
            };
            let (i1, w1, a) = motor.step(self.current_a, w, u, tau_load + coulomb_nm * dir);
            if w1 * dir < 0.0 {
                // Coulomb friction stops the rotor within the step.
                (
                    i1,
                    0.0,
                    a.max(0.0) * dir.max(0.0) + a.min(0.0) * (-dir).max(0.0),
                )
            } else {
                (i1, w1, a)
            }
        };
        // Non-synchronous bridge: the current never goes negative.
        self.current_a = if i1.is_finite() { i1.max(0.0) } else { 0.0 };
        self.omega_rad_s = if w1.is_finite() { w1 } else { 0.0 };
        self.battery_current_a = duty * self.current_a;
        // Cam angle and events (timed within the sub-step).
        let before = self.theta_rad;
        let mut after = before + if dtheta.is_finite() { dtheta } else { 0.0 };
        let t0 = self.t_us;
        self.t_us += u64::from(h_us);
        // the apex (θ = π) passed in this sub-step, either way round
        if before.min(after) <= PI && PI <= before.max(after) {
            self.peak_z_um = self.peak_z_um.max(self.tip_z_um(PI));
        }
        self.peak_z_um = self.peak_z_um.max(self.tip_z_um(after.rem_euclid(TAU)));
        if before < PI && after >= PI {
            self.complete_stroke();
        }
        if after >= TAU {
            let frac = (TAU - before) / (after - before);
            after -= TAU;
            let t_cross = t0 + (frac.clamp(0.0, 1.0) * f64::from(h_us)).round() as u64;
            self.hall_pulse(contact, t_cross);
        } else if after < 0.0 {
            after += TAU;
        }
        self.theta_rad = after.clamp(0.0, TAU - 1e-12);
        // Battery drain.
        let capacity_as = p.battery_capacity_mah * 3.6;
        self.soc = (self.soc - self.battery_current_a * h / capacity_as).clamp(0.0, 1.0);
    }

    /// Summed needle force at cam angle `theta` from the current stroke's tables, N.
    fn needle_force_n(&self, theta: f64) -> f64 {
        if !self.table_active || self.exposure_um <= 0.0 {
            return 0.0;
        }
        let z = self.tip_z_um(theta);
        if z <= 0.0 {
            return 0.0;
        }
        let u = (z / self.exposure_um * (BINS - 1) as f64).min((BINS - 1) as f64);
        let j = (u as usize).min(BINS - 2);
        let frac = u - j as f64;
        let table = if theta < PI {
            &self.force_in_n
        } else {
            &self.force_out_n
        };
        table[j] + (table[j + 1] - table[j]) * frac
    }

    /// Full retraction passed: hall pulse, and evaluate the coming stroke of every needle.
    fn hall_pulse(&mut self, contact: &Contact<'_>, t_us: u64) {
        if let Some(last) = self.last_pulse_us {
            self.hall_period_us = u32::try_from(t_us.saturating_sub(last)).unwrap_or(u32::MAX);
        }
        self.last_pulse_us = Some(t_us);
        self.pending.clear();
        self.table_active = false;
        self.force_in_n = [0.0; BINS];
        self.force_out_n = [0.0; BINS];
        let Some(site) = contact.site else { return };
        let throw = self.params.cam_throw_um;
        let tip_speed = (self.omega_rad_s * throw * 1e-6 / 2.0).clamp(0.0, 20.0);
        let needle = self.cartridge.needle();
        // One model per distinct skin the needles meet: slot 0 alone for a single site.
        let mut models = std::mem::take(&mut self.models);
        models.clear();
        let of_needle: &[u16] = match &contact.needle_sites {
            None => {
                let Ok(model) = StrokeModel::new(site, &needle, tip_speed, throw) else {
                    self.models = models;
                    return;
                };
                models.push(Some(model));
                &[]
            }
            Some(sites) => {
                models.resize(sites.sites.len(), None);
                for &k in sites.of_needle {
                    let slot = &mut models[usize::from(k)];
                    if slot.is_none() {
                        let Ok(model) = StrokeModel::new(
                            &sites.sites[usize::from(k)],
                            &needle,
                            tip_speed,
                            throw,
                        ) else {
                            self.models = models;
                            return;
                        };
                        *slot = Some(model);
                    }
                }
                sites.of_needle
            }
        };
        self.stroke_count += 1;
        let period_s = if self.omega_rad_s > 0.0 {
            TAU / self.omega_rad_s
        } else {
            0.0
        };
        let guard_r = self.cartridge.guard_radius_mm();
        let bin_dz = self.exposure_um / (BINS - 1) as f64;
        for (j, pos) in self.cartridge.positions_mm().iter().enumerate() {
            let k = of_needle.get(j).map_or(0, |&k| usize::from(k));
            let Some(model) = models.get(k).and_then(Option::as_ref) else {
                continue;
            };
            let lever = guard_r + pos[0];
            let draw = SpreadDraw::new(self.spread_seed, j as u64, self.stroke_count);
            let force = contact.hand_force_n * draw.force_scale;
            let gap = guard_gap_um(force, contact.tilt_deg, lever);
            let offset = gap + self.precompression[j].residual_um;
            let travel = (self.exposure_um - offset + draw.relief_um).min(self.exposure_um);
            let scale = draw.thickness_scale;
            let result = model.path(travel, scale, &mut self.path);
            let seg = model.segment(result.rupture_speed_m_s);
            // Tip position in tissue coordinates = carrier position − shift.
            let shift = self.exposure_um - travel;
            let path = &self.path;
            let mut v = 0;
            for m in 0..BINS {
                let z = m as f64 * bin_dz - shift;
                if z <= 0.0 {
                    continue;
                }
                while v + 1 < path.len && path.z_um[v + 1] <= z {
                    v += 1;
                }
                let f_in = if v + 1 >= path.len {
                    path.force_n[path.len.saturating_sub(1)]
                } else {
                    let (z0, z1) = (path.z_um[v], path.z_um[v + 1]);
                    let t = if z1 > z0 { (z - z0) / (z1 - z0) } else { 1.0 };
                    path.force_n[v] + (path.force_n[v + 1] - path.force_n[v]) * t
                };
                self.force_in_n[m] += f_in;
                self.force_out_n[m] += model.retract_with(&seg, z, result.reached_depth_um, scale);
            }
            self.pending.push(result);
        }
        self.models = models;
        self.pending_period_s = period_s;
        self.pending_contact_s = contact_fraction(self.exposure_um, throw) * period_s;
        self.table_active = true;
    }

    /// Full extension passed: report the stroke's punctures and carry pre-compression.
    fn complete_stroke(&mut self) {
        for (j, r) in self.pending.iter().enumerate() {
            if r.punctured {
                self.punctures.push(Puncture {
                    needle_index: u16::try_from(j).unwrap_or(u16::MAX),
                    depth_um: r.reached_depth_um,
                    layer: r.layer,
                    peak_force_n: r.peak_force_n,
                    bleeding: r.bleeding,
                    tenting_um: r.tenting_um,
                    at_floor: r.at_floor,
                });
            }
            self.precompression[j].update(r, self.pending_contact_s, self.pending_period_s);
        }
        self.pending.clear();
    }
}

/// The motor's exact sub-step update for `params` over `h_s` ([`crate::motor`]).
fn motor_step(params: &PenParams, h_s: f64) -> MotorStep {
    let throw_m = params.cam_throw_um * 1e-6;
    let j = params.rotor_inertia_kg_m2 + params.carrier_mass_g * 1e-3 * throw_m * throw_m / 8.0;
    MotorStep::new(
        params.motor_resistance_ohm,
        params.motor_inductance_uh * 1e-6,
        params.motor_ke_v_s_per_rad,
        params.motor_kt_nm_per_a,
        j,
        params.friction_viscous_nm_s,
        h_s,
    )
}
