//! The pen's physical parameters and their defaults (sources in [`crate::plant`]).

use crate::error::{PhysicsError, check_positive, check_range};
use crate::needle::EXPOSURE_MAX_UM;

/// Physical parameters of the pen (see module docs for sources).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct PenParams {
    /// Battery voltage when full, V.
    pub battery_full_v: f64,
    /// Battery voltage when empty, V.
    pub battery_empty_v: f64,
    /// Battery internal resistance, Ω.
    pub battery_internal_ohm: f64,
    /// Battery capacity, mAh.
    pub battery_capacity_mah: f64,
    /// Initial state of charge, 0–1.
    pub battery_soc: f64,
    /// Motor winding resistance, Ω.
    pub motor_resistance_ohm: f64,
    /// Motor inductance, µH.
    pub motor_inductance_uh: f64,
    /// Torque constant, N·m/A.
    pub motor_kt_nm_per_a: f64,
    /// Back-EMF constant, V·s/rad.
    pub motor_ke_v_s_per_rad: f64,
    /// Rotor + cam inertia, kg·m².
    pub rotor_inertia_kg_m2: f64,
    /// Coulomb friction torque, N·m.
    pub friction_coulomb_nm: f64,
    /// Drag of the pressed guard on the needle carriage, N·m of Coulomb friction at the
    /// motor shaft per N of pressing force (skin bulging into the cartridge opening rubs the
    /// carriage). **Estimate**, no published measurement: chosen so that normal pressure
    /// (2–5 N) costs under 20 % of the stall torque while ~18 N or more stalls the motor,
    /// as users of 1S pens report for "pressing too hard".
    pub press_drag_nm_per_n: f64,
    /// Viscous friction, N·m·s/rad.
    pub friction_viscous_nm_s: f64,
    /// Cam throw (full stroke of the carrier), µm.
    pub cam_throw_um: f64,
    /// Return spring rate, N/mm.
    pub spring_rate_n_per_mm: f64,
    /// Return spring preload at full retraction, N.
    pub spring_preload_n: f64,
    /// Needle carrier mass, g.
    pub carrier_mass_g: f64,
    /// Internal integration sub-step, µs (default 100; exact motor update, see [`crate::motor`]).
    pub substep_us: u32,
}

impl Default for PenParams {
    fn default() -> Self {
        PenParams {
            battery_full_v: 4.2,
            battery_empty_v: 3.0,
            battery_internal_ohm: 0.12,
            battery_capacity_mah: 500.0,
            battery_soc: 0.8,
            motor_resistance_ohm: 1.2,
            motor_inductance_uh: 50.0,
            motor_kt_nm_per_a: 3e-3,
            motor_ke_v_s_per_rad: 3e-3,
            rotor_inertia_kg_m2: 1e-7,
            friction_coulomb_nm: 1.5e-4,
            press_drag_nm_per_n: 3.0e-4,
            friction_viscous_nm_s: 2e-7,
            cam_throw_um: 3000.0,
            spring_rate_n_per_mm: 0.2,
            spring_preload_n: 0.5,
            carrier_mass_g: 2.0,
            substep_us: 100,
        }
    }
}

impl PenParams {
    /// Check every parameter; errors name `pen.<field>`.
    pub fn validate(&self) -> Result<(), PhysicsError> {
        check_range("pen.battery_empty_v", self.battery_empty_v, 0.5, 20.0)?;
        check_range(
            "pen.battery_full_v",
            self.battery_full_v,
            self.battery_empty_v + 0.01,
            30.0,
        )?;
        check_range(
            "pen.battery_internal_ohm",
            self.battery_internal_ohm,
            0.0,
            10.0,
        )?;
        check_positive("pen.battery_capacity_mah", self.battery_capacity_mah, 1e6)?;
        check_range("pen.battery_soc", self.battery_soc, 0.0, 1.0)?;
        check_positive("pen.motor_resistance_ohm", self.motor_resistance_ohm, 1e3)?;
        check_positive("pen.motor_inductance_uh", self.motor_inductance_uh, 1e6)?;
        check_positive("pen.motor_kt_nm_per_a", self.motor_kt_nm_per_a, 10.0)?;
        check_positive("pen.motor_ke_v_s_per_rad", self.motor_ke_v_s_per_rad, 10.0)?;
        check_positive("pen.rotor_inertia_kg_m2", self.rotor_inertia_kg_m2, 1.0)?;
        check_range(
            "pen.friction_coulomb_nm",
            self.friction_coulomb_nm,
            0.0,
            1.0,
        )?;
        check_range(
            "pen.press_drag_nm_per_n",
            self.press_drag_nm_per_n,
            0.0,
            0.01,
        )?;
        check_range(
            "pen.friction_viscous_nm_s",
            self.friction_viscous_nm_s,
            0.0,
            1.0,
        )?;
        check_range(
            "pen.cam_throw_um",
            self.cam_throw_um,
            EXPOSURE_MAX_UM,
            20_000.0,
        )?;
        check_range(
            "pen.spring_rate_n_per_mm",
            self.spring_rate_n_per_mm,
            0.0,
            100.0,
        )?;
        check_range("pen.spring_preload_n", self.spring_preload_n, 0.0, 100.0)?;
        check_range("pen.carrier_mass_g", self.carrier_mass_g, 0.0, 1000.0)?;
        if !(1..=1000).contains(&self.substep_us) {
            return Err(PhysicsError::out_of_range(
                "pen.substep_us",
                "in 1..=1000",
                f64::from(self.substep_us),
            ));
        }
        Ok(())
    }

    /// Open-circuit battery voltage at state of charge `soc` (0–1), V.
    pub fn open_circuit_v(&self, soc: f64) -> f64 {
        // Typical 1S Li-ion curve on a 3.0–4.2 V scale (estimate), rescaled to the params.
        const SOC: [f64; 8] = [0.0, 0.05, 0.1, 0.2, 0.4, 0.6, 0.8, 1.0];
        const V: [f64; 8] = [3.0, 3.3, 3.45, 3.6, 3.7, 3.8, 3.95, 4.2];
        let s = soc.clamp(0.0, 1.0);
        let j = (1..8).find(|&j| s <= SOC[j]).unwrap_or(7);
        let v = V[j - 1] + (V[j] - V[j - 1]) * (s - SOC[j - 1]) / (SOC[j] - SOC[j - 1]);
        self.battery_empty_v + (v - 3.0) / 1.2 * (self.battery_full_v - self.battery_empty_v)
    }
}
