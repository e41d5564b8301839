//! Closed-loop stroke-frequency control: a slew-limited setpoint (soft start), battery-
//! compensated feed-forward, and a PI with clamping anti-windup.

use crate::config::{FirmwareConfig, SPEED_LEVELS};

/// The speed controller. Works in duty as a fraction (0–1); the firmware converts to ‰.
#[derive(Debug, Clone)]
pub struct SpeedController {
    kp_duty_per_hz: f32,
    ki_duty_per_hz_tick: f32,
    ff_hz_per_volt: f32,
    soft_start_ticks: f32,
    top_level_hz: f32,
    target_hz: f32,
    setpoint_hz: f32,
    slew_hz_per_tick: f32,
    integral_duty: f32,
}

impl SpeedController {
    /// A stopped controller with the gains of `config`.
    pub fn new(config: &FirmwareConfig) -> Self {
        let dt_s = 1.0 / config.tick_rate_hz.max(1) as f32;
        Self {
            kp_duty_per_hz: config.kp_duty_per_hz,
            ki_duty_per_hz_tick: config.ki_duty_per_hz_s * dt_s,
            ff_hz_per_volt: config.ff_hz_per_volt,
            soft_start_ticks: config.ms_to_ticks(config.soft_start_ms) as f32,
            top_level_hz: f32::from(config.speed_levels_hz[SPEED_LEVELS - 1]),
            target_hz: 0.0,
            setpoint_hz: 0.0,
            slew_hz_per_tick: 0.0,
            integral_duty: 0.0,
        }
    }

    /// Starts from standstill towards `target_hz`: the setpoint ramps from 0 to the target in
    /// the soft-start time, whatever the target.
    pub fn start(&mut self, target_hz: f32) {
        self.stop();
        self.target_hz = target_hz;
        self.slew_hz_per_tick = target_hz / self.soft_start_ticks;
    }

    /// Changes the target while running: the setpoint slews at the rate of a soft start to the
    /// top level.
    pub fn set_target(&mut self, target_hz: f32) {
        self.target_hz = target_hz;
        self.slew_hz_per_tick = self.top_level_hz / self.soft_start_ticks;
    }

    /// Stops: setpoint, target and integrator to zero.
    pub fn stop(&mut self) {
        self.target_hz = 0.0;
        self.setpoint_hz = 0.0;
        self.slew_hz_per_tick = 0.0;
        self.integral_duty = 0.0;
    }

    /// The (ramped) setpoint, Hz.
    pub fn setpoint_hz(&self) -> f32 {
        self.setpoint_hz
    }

    /// One control step: advances the ramp and returns the duty (0–1) for `measured_hz`
    /// with the battery at `battery_mv`.
    pub fn step(&mut self, measured_hz: f32, battery_mv: u16) -> f32 {
        let delta = self.target_hz - self.setpoint_hz;
        self.setpoint_hz += delta.clamp(-self.slew_hz_per_tick, self.slew_hz_per_tick);

        let battery_v = f32::from(battery_mv) / 1000.0;
        let feed_forward = if self.ff_hz_per_volt > 0.0 && battery_v > 0.5 {
            self.setpoint_hz / (self.ff_hz_per_volt * battery_v)
        } else {
            0.0
        };
        let error_hz = self.setpoint_hz - measured_hz;
        let proportional = self.kp_duty_per_hz * error_hz;
        let candidate = (self.integral_duty + self.ki_duty_per_hz_tick * error_hz).clamp(-1.0, 1.0);
        let unclamped = feed_forward + proportional + candidate;
        // Clamping anti-windup: integrate only while that does not push the output further
        // into saturation.
        let winding_up = (unclamped > 1.0 && error_hz > 0.0) || (unclamped < 0.0 && error_hz < 0.0);
        if !winding_up {
            self.integral_duty = candidate;
        }
        let duty = (feed_forward + proportional + self.integral_duty).clamp(0.0, 1.0);
        if duty.is_finite() { duty } else { 0.0 }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn setpoint_reaches_target_after_soft_start_time() {
        let config = FirmwareConfig::default();
        let mut controller = SpeedController::new(&config);
        controller.start(110.0);
        for _ in 0..150 {
            controller.step(0.0, 4000);
        }
        let halfway = controller.setpoint_hz();
        assert!(
            (halfway - 55.0).abs() < 0.5,
            "setpoint after 150 ms: {halfway}"
        );
        for _ in 0..150 {
            controller.step(0.0, 4000);
        }
        assert!((controller.setpoint_hz() - 110.0).abs() < 1e-3);
    }

    #[test]
    fn integrator_does_not_wind_up_while_saturated() {
        let config = FirmwareConfig::default();
        let mut controller = SpeedController::new(&config);
        controller.start(150.0);
        // The motor never reaches the setpoint: output saturates.
        for _ in 0..5000 {
            assert!(controller.step(60.0, 4000) <= 1.0);
        }
        // At the target the output leaves saturation at once instead of unwinding for seconds.
        let duty = controller.step(150.0, 4000);
        assert!(duty < 1.0, "duty stayed saturated: {duty}");
    }
}
