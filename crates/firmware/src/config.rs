//! Firmware configuration: every tunable, threshold and timing bound in one place.

use needlebench_protocol::MAX_NAME_LEN;

/// Number of speed levels the pen offers (buttons select 1 to this).
pub const SPEED_LEVELS: usize = 6;

/// Every tunable of the reference firmware. [`Default`] gives the values the reference pen
/// ships with (1S Li-ion, coreless motor with R ≈ 1.2 Ω, kt ≈ ke ≈ 3 mNm/A, cam on the
/// motor shaft so one revolution = one needle stroke).
///
/// Times are in firmware ticks' units named by the field (`_ms` fields are converted to ticks
/// with [`FirmwareConfig::tick_rate_hz`], rounding up, and are never less than one tick).
#[derive(Debug, Clone, PartialEq)]
pub struct FirmwareConfig {
    /// Rate at which [`crate::Firmware::tick`] is called, Hz. Default 1000.
    pub tick_rate_hz: u32,
    /// Stroke frequency of speed levels 1–6, Hz, strictly ascending and > 0.
    /// Default 80, 95, 110, 125, 138, 150.
    pub speed_levels_hz: [u16; SPEED_LEVELS],
    /// Speed level selected at power-on, 1–6. Default 1 (slowest).
    pub default_speed_level: u8,
    /// Proportional gain, duty (0–1) per Hz of stroke-frequency error. Default 0.004.
    pub kp_duty_per_hz: f32,
    /// Integral gain, duty (0–1) per Hz·s of accumulated error. Default 0.12.
    pub ki_duty_per_hz_s: f32,
    /// Feed-forward: stroke frequency the unloaded motor reaches per volt of average drive
    /// (duty × battery), Hz/V. The controller starts from `setpoint / (this × battery)` and
    /// the PI adds what the load needs. Default 46 Hz/V; 0 disables feed-forward.
    pub ff_hz_per_volt: f32,
    /// Soft start: on every start the setpoint ramps linearly from 0 to the selected level in
    /// this time, ms; level changes while running slew at the same rate as a start to level 6.
    /// Default 300.
    pub soft_start_ms: u32,
    /// Holding the power button this long switches the pen off, ms. Default 1500.
    pub long_press_ms: u32,
    /// Stall: the measured stroke frequency below this percentage of the setpoint … Default 40.
    pub stall_speed_percent: u8,
    /// … while the commanded duty is at least this, ‰ … Default 900.
    pub stall_min_duty_permille: u16,
    /// … for this long (consecutive ticks) → motor off and `Stall` latched, ms. Default 100.
    pub stall_time_ms: u32,
    /// Over-current: motor current above this, mA … Default 2500.
    pub over_current_ma: u16,
    /// … for this long (consecutive samples) → motor off and `OverCurrent` latched, ms.
    /// Default 5.
    pub over_current_time_ms: u32,
    /// Link loss: this many consecutive ticks without a sensor frame → motor off and
    /// `LinkLoss` latched (while running). Default 10 (10 ms at 1 kHz).
    pub link_loss_ticks: u32,
    /// Battery below this refuses a start (`LowBattery`), and a `LowBattery` fault clears only
    /// at or above it, mV. Default 3400.
    pub battery_start_min_mv: u16,
    /// Battery below this while running … mV. Default 3200.
    pub battery_run_min_mv: u16,
    /// … for this long (consecutive samples) → motor off and `LowBattery` latched, ms.
    /// Default 50.
    pub battery_run_low_ms: u32,
    /// Battery below this shows the indicator amber instead of green, mV. Default 3500.
    pub battery_warn_mv: u16,
    /// Watchdog: a gap between two ticks' `now_us` longer than this (or a clock that runs
    /// backwards) latches `Watchdog`, µs. Default 5000 (five tick periods: lets a real-time
    /// bench's host jitter through, far inside the 100 ms stall bound).
    pub watchdog_timeout_us: u64,
    /// Single-use lockout: running time allowed per cartridge, s. Default 1800 (30 min).
    pub cartridge_max_run_s: u32,
    /// Single-use lockout: strokes allowed per cartridge. Default 250 000 (≈ 28 min at 150 Hz).
    pub cartridge_max_strokes: u32,
    /// Firmware name for the hello, at most [`MAX_NAME_LEN`] bytes. Default
    /// `"needlebench-reference"`.
    pub firmware_name: &'static str,
    /// Firmware version for the hello, at most [`MAX_NAME_LEN`] bytes. Default: this crate's
    /// version.
    pub firmware_version: &'static str,
}

impl Default for FirmwareConfig {
    fn default() -> Self {
        Self {
            tick_rate_hz: 1000,
            speed_levels_hz: [80, 95, 110, 125, 138, 150],
            default_speed_level: 1,
            kp_duty_per_hz: 0.004,
            ki_duty_per_hz_s: 0.12,
            ff_hz_per_volt: 46.0,
            soft_start_ms: 300,
            long_press_ms: 1500,
            stall_speed_percent: 40,
            stall_min_duty_permille: 900,
            stall_time_ms: 100,
            over_current_ma: 2500,
            over_current_time_ms: 5,
            link_loss_ticks: 10,
            battery_start_min_mv: 3400,
            battery_run_min_mv: 3200,
            battery_run_low_ms: 50,
            battery_warn_mv: 3500,
            watchdog_timeout_us: 5000,
            cartridge_max_run_s: 1800,
            cartridge_max_strokes: 250_000,
            firmware_name: "needlebench-reference",
            firmware_version: env!("CARGO_PKG_VERSION"),
        }
    }
}

/// A [`FirmwareConfig`] field that cannot work; the variant names the field.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum ConfigError {
    /// `tick_rate_hz` is not a rate a pen may announce (100..=10000 Hz and a divisor of
    /// 1 000 000, [`needlebench_protocol::tick_rate_is_valid`]).
    #[error("tick_rate_hz must be 100..=10000 and divide 1000000, got {0}")]
    TickRate(u32),
    /// `speed_levels_hz[index]` is 0 or not above the level before it.
    #[error("speed_levels_hz[{index}] must be > 0 and above the level before it")]
    SpeedLevels {
        /// Index of the offending level (0-based).
        index: usize,
    },
    /// `default_speed_level` is not 1–6.
    #[error("default_speed_level must be 1..=6, got {0}")]
    DefaultSpeedLevel(u8),
    /// A gain (`kp_duty_per_hz`, `ki_duty_per_hz_s`, `ff_hz_per_volt`) is negative or not finite.
    #[error("{0} must be finite and >= 0")]
    Gain(&'static str),
    /// A percentage or ‰ field is out of range.
    #[error("{0} is out of range")]
    Range(&'static str),
    /// A time or count field that must be at least one tick is 0.
    #[error("{0} must be > 0")]
    Zero(&'static str),
    /// `firmware_name` or `firmware_version` is empty or longer than [`MAX_NAME_LEN`] bytes.
    #[error("{0} must be 1..={MAX_NAME_LEN} bytes")]
    Name(&'static str),
}

impl FirmwareConfig {
    /// Checks every field; the error names the first bad one.
    pub fn validate(&self) -> Result<(), ConfigError> {
        if !needlebench_protocol::tick_rate_is_valid(self.tick_rate_hz) {
            return Err(ConfigError::TickRate(self.tick_rate_hz));
        }
        let mut previous = 0u16;
        for (index, &hz) in self.speed_levels_hz.iter().enumerate() {
            if hz <= previous {
                return Err(ConfigError::SpeedLevels { index });
            }
            previous = hz;
        }
        if !(1..=SPEED_LEVELS as u8).contains(&self.default_speed_level) {
            return Err(ConfigError::DefaultSpeedLevel(self.default_speed_level));
        }
        for (name, gain) in [
            ("kp_duty_per_hz", self.kp_duty_per_hz),
            ("ki_duty_per_hz_s", self.ki_duty_per_hz_s),
            ("ff_hz_per_volt", self.ff_hz_per_volt),
        ] {
            if !gain.is_finite() || gain < 0.0 {
                return Err(ConfigError::Gain(name));
            }
        }
        if self.stall_speed_percent == 0 || self.stall_speed_percent > 100 {
            return Err(ConfigError::Range("stall_speed_percent"));
        }
        if self.stall_min_duty_permille > 1000 {
            return Err(ConfigError::Range("stall_min_duty_permille"));
        }
        for (name, value) in [
            ("soft_start_ms", u64::from(self.soft_start_ms)),
            ("long_press_ms", u64::from(self.long_press_ms)),
            ("stall_time_ms", u64::from(self.stall_time_ms)),
            ("over_current_time_ms", u64::from(self.over_current_time_ms)),
            ("link_loss_ticks", u64::from(self.link_loss_ticks)),
            ("battery_run_low_ms", u64::from(self.battery_run_low_ms)),
            ("watchdog_timeout_us", self.watchdog_timeout_us),
            ("cartridge_max_run_s", u64::from(self.cartridge_max_run_s)),
            (
                "cartridge_max_strokes",
                u64::from(self.cartridge_max_strokes),
            ),
        ] {
            if value == 0 {
                return Err(ConfigError::Zero(name));
            }
        }
        for (name, text) in [
            ("firmware_name", self.firmware_name),
            ("firmware_version", self.firmware_version),
        ] {
            if text.is_empty() || text.len() > MAX_NAME_LEN {
                return Err(ConfigError::Name(name));
            }
        }
        Ok(())
    }

    /// Nominal tick period, µs (rounded down).
    pub fn tick_period_us(&self) -> u64 {
        1_000_000 / u64::from(self.tick_rate_hz.max(1))
    }

    /// `ms` converted to ticks, rounded up, at least 1.
    pub fn ms_to_ticks(&self, ms: u32) -> u32 {
        let ticks = (u64::from(ms) * u64::from(self.tick_rate_hz)).div_ceil(1000);
        u32::try_from(ticks).unwrap_or(u32::MAX).max(1)
    }

    /// Stroke frequency of `level` (1–6), Hz; 0 for a level out of range.
    pub fn level_hz(&self, level: u8) -> u16 {
        usize::from(level)
            .checked_sub(1)
            .and_then(|i| self.speed_levels_hz.get(i))
            .copied()
            .unwrap_or(0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn default_config_is_valid() {
        assert_eq!(FirmwareConfig::default().validate(), Ok(()));
    }

    #[test]
    fn non_ascending_levels_are_named_by_index() {
        let mut config = FirmwareConfig::default();
        config.speed_levels_hz[3] = 110;
        assert_eq!(
            config.validate(),
            Err(ConfigError::SpeedLevels { index: 3 })
        );
    }

    #[test]
    fn ms_to_ticks_rounds_up() {
        let config = FirmwareConfig {
            tick_rate_hz: 400,
            ..FirmwareConfig::default()
        };
        assert_eq!(config.ms_to_ticks(3), 2);
        assert_eq!(config.ms_to_ticks(0), 1);
    }
}
