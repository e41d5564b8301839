//! A simple pen plant for closed-loop tests, and a bench that runs the firmware against it.
//!
//! Motor: coreless DC, R = 1.2 Ω, ke = kt = 3 mNm/A, no inductance (current follows
//! `(V·duty − ke·ω) / R`), one-way drive (a low-side switch with a freewheel diode cannot
//! brake), inertia 1.5e-7 kg·m² (mechanical time constant ≈ 20 ms), viscous friction
//! 1 µNm·s/rad (unloaded at 100 % duty from 4.0 V: ≈ 185 strokes/s). Load: a constant torque
//! opposing motion (a 36-needle cartridge in skin ≈ 0.6 mNm). Battery: open-circuit voltage
//! with an internal resistance of 0.1 Ω, drawn by duty × motor current. Hall: one pulse per
//! revolution; the period is the time between the last two pulses, 0 after 100 ms without one.

use needlebench_firmware::{ActuatorFrame, Firmware, FirmwareConfig, SensorFrame};
use needlebench_protocol::{CartridgeInfo, buttons};

use std::f64::consts::TAU;

const SUBSTEPS: u32 = 20;
const HALL_TIMEOUT_S: f64 = 0.1;

/// The pen's motor, cam and battery.
#[derive(Debug, Clone)]
pub struct Plant {
    pub r_ohm: f64,
    pub ke_v_s_per_rad: f64,
    pub kt_nm_per_a: f64,
    pub inertia_kg_m2: f64,
    pub viscous_nm_s_per_rad: f64,
    pub load_nm: f64,
    pub battery_ocv_v: f64,
    pub battery_r_ohm: f64,
    pub omega_rad_s: f64,
    angle_rad: f64,
    t_s: f64,
    current_a: f64,
    battery_v: f64,
    last_pulse_s: Option<f64>,
    period_s: Option<f64>,
    /// Time of every hall pulse, s.
    pub pulses_s: Vec<f64>,
}

impl Default for Plant {
    fn default() -> Self {
        Self {
            r_ohm: 1.2,
            ke_v_s_per_rad: 0.003,
            kt_nm_per_a: 0.003,
            inertia_kg_m2: 1.5e-7,
            viscous_nm_s_per_rad: 1.0e-6,
            load_nm: 0.6e-3,
            battery_ocv_v: 4.0,
            battery_r_ohm: 0.1,
            omega_rad_s: 0.0,
            angle_rad: 0.0,
            t_s: 0.0,
            current_a: 0.0,
            battery_v: 4.0,
            last_pulse_s: None,
            period_s: None,
            pulses_s: Vec::new(),
        }
    }
}

impl Plant {
    /// Advances `dt_s` with the motor driven at `duty_permille`.
    pub fn advance(&mut self, duty_permille: u16, dt_s: f64) {
        let duty = f64::from(duty_permille.min(1000)) / 1000.0;
        let h = dt_s / f64::from(SUBSTEPS);
        for _ in 0..SUBSTEPS {
            let back_emf_v = self.ke_v_s_per_rad * self.omega_rad_s;
            let current_a = ((duty * self.battery_ocv_v - back_emf_v)
                / (self.r_ohm + duty * duty * self.battery_r_ohm))
                .max(0.0);
            self.current_a = current_a;
            self.battery_v = self.battery_ocv_v - duty * current_a * self.battery_r_ohm;
            let drive_nm = self.kt_nm_per_a * current_a;
            let torque_nm = drive_nm - self.viscous_nm_s_per_rad * self.omega_rad_s - self.load_nm;
            self.omega_rad_s = (self.omega_rad_s + torque_nm / self.inertia_kg_m2 * h).max(0.0);
            let step_rad = self.omega_rad_s * h;
            self.angle_rad += step_rad;
            self.t_s += h;
            if self.angle_rad >= TAU {
                self.angle_rad -= TAU;
                let pulse_s = self.t_s - h * self.angle_rad / step_rad;
                if let Some(last) = self.last_pulse_s {
                    self.period_s = Some(pulse_s - last);
                }
                self.last_pulse_s = Some(pulse_s);
                self.pulses_s.push(pulse_s);
            }
        }
    }

    /// Hall period as the pen's sensor reports it, µs.
    pub fn hall_period_us(&self) -> u32 {
        match (self.last_pulse_s, self.period_s) {
            (Some(last), Some(period)) if self.t_s - last <= HALL_TIMEOUT_S => {
                (period * 1e6).round() as u32
            }
            _ => 0,
        }
    }

    /// Mean stroke frequency over the pulses in `[from_s, to_s]`, Hz.
    pub fn mean_hz(&self, from_s: f64, to_s: f64) -> f64 {
        let inside: Vec<f64> = self
            .pulses_s
            .iter()
            .copied()
            .filter(|t| (from_s..=to_s).contains(t))
            .collect();
        match (inside.first(), inside.last()) {
            (Some(first), Some(last)) if inside.len() >= 2 => {
                (inside.len() - 1) as f64 / (last - first)
            }
            _ => 0.0,
        }
    }

    /// Stroke frequency of each revolution ending in `[from_s, to_s]`, Hz, with its end time.
    pub fn stroke_hz(&self, from_s: f64, to_s: f64) -> Vec<(f64, f64)> {
        self.pulses_s
            .windows(2)
            .filter(|w| (from_s..=to_s).contains(&w[1]))
            .map(|w| (w[1], 1.0 / (w[1] - w[0])))
            .collect()
    }
}

/// One tick as the bench saw it.
#[derive(Debug, Clone, Copy)]
pub struct Record {
    pub sensors: SensorFrame,
    pub out: ActuatorFrame,
}

/// The firmware in the loop with a [`Plant`], at 1 kHz in lockstep.
pub struct Bench {
    pub fw: Firmware,
    pub plant: Plant,
    pub tick: u32,
    pub buttons: u8,
    pub cartridge: CartridgeInfo,
    /// Sensor frames reach the firmware.
    pub link_up: bool,
    /// Added to the sensed motor current, mA (fault injection).
    pub extra_current_ma: u16,
    pub records: Vec<Record>,
}

pub const CARTRIDGE_36: CartridgeInfo = CartridgeInfo {
    present: true,
    id: 36_001,
    needle_count: 36,
};

impl Bench {
    pub fn new() -> Self {
        Self::with_config(FirmwareConfig::default())
    }

    pub fn with_config(config: FirmwareConfig) -> Self {
        Self {
            fw: Firmware::new(config).expect("valid config"),
            plant: Plant::default(),
            tick: 0,
            buttons: 0,
            cartridge: CARTRIDGE_36,
            link_up: true,
            extra_current_ma: 0,
            records: Vec::new(),
        }
    }

    /// The sensor frame for the present tick.
    pub fn sensors(&self) -> SensorFrame {
        SensorFrame {
            tick: self.tick,
            motor_current_ma: (self.plant.current_a * 1000.0).round() as u16
                + self.extra_current_ma,
            hall_period_us: self.plant.hall_period_us(),
            battery_mv: (self.plant.battery_v * 1000.0).round() as u16,
            depth_um: 1000,
            buttons: self.buttons,
            cartridge: self.cartridge,
            skin_contact: true,
        }
    }

    /// One tick: sense, run the firmware, drive the plant for 1 ms.
    pub fn step(&mut self) -> ActuatorFrame {
        let sensors = self.sensors();
        let now_us = u64::from(self.tick) * 1000;
        let out = self
            .fw
            .tick(now_us, if self.link_up { Some(&sensors) } else { None });
        self.plant.advance(out.motor_duty_permille, 1e-3);
        self.records.push(Record { sensors, out });
        self.tick += 1;
        out
    }

    pub fn run_ms(&mut self, ms: u32) {
        for _ in 0..ms {
            self.step();
        }
    }

    /// Presses `button` for one tick and releases it for one.
    pub fn press(&mut self, button: u8) -> ActuatorFrame {
        self.buttons |= button;
        let out = self.step();
        self.buttons &= !button;
        self.step();
        out
    }

    /// Off → Idle → Running at `level`.
    pub fn start_at(&mut self, level: u8) {
        self.press(buttons::POWER);
        for _ in 1..level {
            self.press(buttons::SPEED_UP);
        }
        self.press(buttons::POWER);
    }

    /// Time of the present tick, s.
    pub fn now_s(&self) -> f64 {
        f64::from(self.tick) * 1e-3
    }
}
