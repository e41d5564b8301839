//! The firmware core: state machine, buttons, safety monitors and the tick loop.

use needlebench_protocol::{
    ActuatorFrame, Capabilities, CartridgeInfo, DepthControl, Event, FaultCode, FirmwareState,
    Indicator, LogLevel, PROTOCOL_VERSION, PenHello, SensorFrame, buttons,
};

use crate::config::{ConfigError, FirmwareConfig, SPEED_LEVELS};
use crate::control::SpeedController;
use crate::events::EventQueue;
use crate::lockout::{CartridgeTable, CartridgeUsage};

/// Hall periods shorter than this (above 500 strokes/s, far beyond the ~190 strokes/s the
/// unloaded motor reaches) are glitches and are ignored, µs.
pub const MIN_HALL_PERIOD_US: u32 = 2_000;

/// Timing bounds of `config` converted to ticks once.
#[derive(Debug, Clone, Copy)]
struct Bounds {
    tick_period_us: u64,
    long_press_ticks: u32,
    stall_ticks: u32,
    over_current_ticks: u32,
    battery_low_ticks: u32,
    max_run_us: u64,
}

/// The reference pen firmware. `FIRMWARE.md` (the pen contract) describes the state
/// machine, the UI and the fault table.
#[derive(Debug, Clone)]
pub struct Firmware {
    config: FirmwareConfig,
    bounds: Bounds,
    controller: SpeedController,
    events: EventQueue,
    cartridges: CartridgeTable,
    /// Usage of the seated cartridge without an id (id 0); reset when it is removed.
    anonymous: CartridgeUsage,
    /// Cached `(id, slot)` of the cartridge being accounted.
    active: Option<(u32, usize)>,
    state: FirmwareState,
    fault: FaultCode,
    speed_level: u8,
    next_tick: u32,
    tick: u32,
    last_now_us: Option<u64>,
    raised_this_tick: bool,
    missed_frames: u32,
    held_buttons: u8,
    power_held_ticks: u32,
    /// The power press being held began in a powered state (so it may become a long press).
    long_press_armed: bool,
    stall_ticks: u32,
    over_current_ticks: u32,
    battery_low_ticks: u32,
    duty_permille: u16,
    measured_hz: f32,
    battery_mv: u16,
    depth_um: u16,
}

impl Firmware {
    /// A firmware in [`FirmwareState::Off`] with an empty lockout table, or the first bad
    /// field of `config`.
    pub fn new(config: FirmwareConfig) -> Result<Self, ConfigError> {
        config.validate()?;
        let bounds = Bounds {
            tick_period_us: config.tick_period_us(),
            long_press_ticks: config.ms_to_ticks(config.long_press_ms),
            stall_ticks: config.ms_to_ticks(config.stall_time_ms),
            over_current_ticks: config.ms_to_ticks(config.over_current_time_ms),
            battery_low_ticks: config.ms_to_ticks(config.battery_run_low_ms),
            max_run_us: u64::from(config.cartridge_max_run_s) * 1_000_000,
        };
        Ok(Self {
            controller: SpeedController::new(&config),
            speed_level: config.default_speed_level,
            bounds,
            config,
            events: EventQueue::default(),
            cartridges: CartridgeTable::default(),
            anonymous: CartridgeUsage::new(0),
            active: None,
            state: FirmwareState::Off,
            fault: FaultCode::None,
            next_tick: 0,
            tick: 0,
            last_now_us: None,
            raised_this_tick: false,
            missed_frames: 0,
            held_buttons: 0,
            power_held_ticks: 0,
            long_press_armed: false,
            stall_ticks: 0,
            over_current_ticks: 0,
            battery_low_ticks: 0,
            duty_permille: 0,
            measured_hz: 0.0,
            battery_mv: 0,
            depth_um: 0,
        })
    }

    /// The greeting this firmware answers a bench hello with.
    pub fn hello(&self) -> PenHello<'static> {
        PenHello {
            protocol_version: PROTOCOL_VERSION,
            firmware_name: self.config.firmware_name,
            firmware_version: self.config.firmware_version,
            capabilities: Capabilities {
                lockstep: true,
                tick_rate_hz: self.config.tick_rate_hz,
                depth_control: DepthControl::ManualDial,
            },
        }
    }

    /// A new bench session (handshake). Resets, as a power-on reset would: state → `Off`,
    /// latched fault, controller, speed level, button and link-loss history, the watchdog's
    /// last tick time, the tick counter and the event ring (no events are emitted). Survives,
    /// like flash: the cartridge lockout table.
    pub fn on_session_start(&mut self) {
        let cartridges = core::mem::take(&mut self.cartridges);
        let config = self.config.clone();
        if let Ok(fresh) = Self::new(config) {
            *self = fresh;
        }
        self.cartridges = cartridges;
    }

    /// One firmware tick at the firmware's own clock `now_us` (µs; in lockstep the pen passes
    /// tick × 1 000 000 / `tick_rate_hz`). `sensors` is `None` when no sensor frame arrived for this tick
    /// (link loss is seen that way). Returns what the pen drives after this tick; its `tick`
    /// is the frame's tick, or the previous tick + 1 when no frame arrived.
    pub fn tick(&mut self, now_us: u64, sensors: Option<&SensorFrame>) -> ActuatorFrame {
        self.tick = sensors.map_or(self.next_tick, |s| s.tick);
        self.next_tick = self.tick.wrapping_add(1);
        self.raised_this_tick = false;

        self.check_watchdog(now_us);
        match sensors {
            Some(frame) => {
                self.missed_frames = 0;
                self.on_frame(frame);
            }
            None => self.on_missing_frame(),
        }
        if self.state != FirmwareState::Running {
            self.duty_permille = 0;
        }
        self.frame()
    }

    /// The oldest event not yet polled. The ring holds [`crate::EVENT_CAPACITY`] events;
    /// when full the oldest is dropped and counted ([`Firmware::events_dropped`]).
    pub fn poll_event(&mut self) -> Option<Event<'static>> {
        self.events.pop()
    }

    /// Events dropped because the ring was full since the session started.
    pub fn events_dropped(&self) -> u32 {
        self.events.dropped()
    }

    /// Current state.
    pub fn state(&self) -> FirmwareState {
        self.state
    }

    /// Latched fault ([`FaultCode::None`] if none).
    pub fn fault(&self) -> FaultCode {
        self.fault
    }

    /// Selected speed level, 1–6.
    pub fn speed_level(&self) -> u8 {
        self.speed_level
    }

    /// The controller's ramped stroke-frequency setpoint, Hz (0 when not running).
    pub fn setpoint_hz(&self) -> f32 {
        self.controller.setpoint_hz()
    }

    /// Stroke frequency measured from the last sensor frame's hall period, Hz.
    pub fn measured_hz(&self) -> f32 {
        self.measured_hz
    }

    /// Lockout record of cartridge `id` (id 0: the seated id-less cartridge).
    pub fn cartridge_usage(&self, id: u32) -> Option<CartridgeUsage> {
        if id == 0 {
            Some(self.anonymous)
        } else {
            self.cartridges.get(id)
        }
    }

    /// The configuration this firmware runs with.
    pub fn config(&self) -> &FirmwareConfig {
        &self.config
    }

    fn frame(&self) -> ActuatorFrame {
        let indicator = match self.state {
            FirmwareState::Off => Indicator::Off,
            FirmwareState::Fault => Indicator::Red,
            FirmwareState::Idle | FirmwareState::Running => {
                if self.battery_mv < self.config.battery_warn_mv {
                    Indicator::Amber
                } else {
                    Indicator::Green
                }
            }
        };
        ActuatorFrame {
            tick: self.tick,
            motor_duty_permille: self.duty_permille,
            depth_setpoint_um: self.depth_um,
            speed_level: if self.state == FirmwareState::Off {
                0
            } else {
                self.speed_level
            },
            indicator,
            state: self.state,
            fault: self.fault,
        }
    }

    fn check_watchdog(&mut self, now_us: u64) {
        let previous = self.last_now_us.replace(now_us);
        if self.state == FirmwareState::Off {
            return;
        }
        if let Some(previous) = previous {
            let late = now_us
                .checked_sub(previous)
                .is_none_or(|gap| gap > self.config.watchdog_timeout_us);
            if late {
                self.raise(FaultCode::Watchdog);
            }
        }
    }

    fn on_missing_frame(&mut self) {
        self.missed_frames = self.missed_frames.saturating_add(1);
        if self.state != FirmwareState::Running {
            return;
        }
        if self.missed_frames >= self.config.link_loss_ticks {
            self.raise(FaultCode::LinkLoss);
            return;
        }
        // The motor keeps the last duty until the bound; the cartridge still wears.
        self.account_usage(None);
    }

    fn on_frame(&mut self, frame: &SensorFrame) {
        if frame.hall_period_us == 0 {
            self.measured_hz = 0.0;
        } else if frame.hall_period_us >= MIN_HALL_PERIOD_US {
            self.measured_hz = 1e6 / frame.hall_period_us as f32;
        } // else: a glitch faster than the motor can turn; keep the last measurement.
        self.battery_mv = frame.battery_mv;
        self.depth_um = frame.depth_um;
        if !frame.cartridge.present {
            self.anonymous = CartridgeUsage::new(0);
        }
        self.handle_buttons(frame);
        self.monitor(frame);
        if self.state == FirmwareState::Running {
            self.control();
        }
    }

    fn handle_buttons(&mut self, frame: &SensorFrame) {
        let pressed = frame.buttons & !self.held_buttons;
        self.held_buttons = frame.buttons;
        if frame.buttons & buttons::POWER == 0 {
            self.power_held_ticks = 0;
            self.long_press_armed = false;
        } else {
            self.power_held_ticks = self.power_held_ticks.saturating_add(1);
        }
        if pressed & buttons::POWER != 0 {
            self.long_press_armed = self.state != FirmwareState::Off;
            self.on_power_press(frame);
        } else if self.long_press_armed && self.power_held_ticks >= self.bounds.long_press_ticks {
            self.long_press_armed = false;
            self.power_off();
        }
        if matches!(self.state, FirmwareState::Off | FirmwareState::Fault) {
            return;
        }
        let mut level = self.speed_level;
        if pressed & buttons::SPEED_UP != 0 {
            level = (level + 1).min(SPEED_LEVELS as u8);
        }
        if pressed & buttons::SPEED_DOWN != 0 {
            level = level.saturating_sub(1).max(1);
        }
        if level != self.speed_level {
            self.speed_level = level;
            self.log(LogLevel::Info, "speed level changed");
            if self.state == FirmwareState::Running {
                let target_hz = f32::from(self.config.level_hz(level));
                self.controller.set_target(target_hz);
            }
        }
    }

    fn on_power_press(&mut self, frame: &SensorFrame) {
        match self.state {
            FirmwareState::Off => {
                self.speed_level = self.config.default_speed_level;
                self.set_state(FirmwareState::Idle);
            }
            FirmwareState::Idle => self.try_start(frame),
            FirmwareState::Running => {
                self.controller.stop();
                self.set_state(FirmwareState::Idle);
            }
            FirmwareState::Fault => self.try_clear(frame),
        }
    }

    fn try_start(&mut self, frame: &SensorFrame) {
        let cartridge = frame.cartridge;
        if !cartridge.present {
            self.log(LogLevel::Warn, "start refused: no cartridge");
            self.raise(FaultCode::CartridgeAbsent);
        } else if self.is_expired(cartridge) {
            self.log(LogLevel::Warn, "start refused: cartridge used up");
            self.raise(FaultCode::CartridgeExpired);
        } else if frame.battery_mv < self.config.battery_start_min_mv {
            self.log(LogLevel::Warn, "start refused: battery low");
            self.raise(FaultCode::LowBattery);
        } else {
            if cartridge.id != 0 {
                let slot = self.cartridges.touch(cartridge.id);
                self.active = Some((cartridge.id, slot));
            }
            self.reset_monitors();
            let target_hz = f32::from(self.config.level_hz(self.speed_level));
            self.controller.start(target_hz);
            self.set_state(FirmwareState::Running);
        }
    }

    fn try_clear(&mut self, frame: &SensorFrame) {
        if self.raised_this_tick {
            return;
        }
        let gone = match self.fault {
            FaultCode::OverCurrent => frame.motor_current_ma <= self.config.over_current_ma,
            FaultCode::LowBattery => frame.battery_mv >= self.config.battery_start_min_mv,
            FaultCode::CartridgeAbsent => frame.cartridge.present,
            FaultCode::CartridgeExpired => {
                frame.cartridge.present && !self.is_expired(frame.cartridge)
            }
            FaultCode::None
            | FaultCode::Stall
            | FaultCode::LinkLoss
            | FaultCode::Watchdog
            | FaultCode::Internal => true,
        };
        if gone {
            self.clear_fault();
            self.set_state(FirmwareState::Idle);
        } else {
            self.log(LogLevel::Warn, "fault not cleared: condition persists");
        }
    }

    fn power_off(&mut self) {
        if self.state == FirmwareState::Off {
            return;
        }
        self.clear_fault();
        self.controller.stop();
        self.set_state(FirmwareState::Off);
    }

    /// Safety monitors that read the frame; each raises its fault at its bound.
    fn monitor(&mut self, frame: &SensorFrame) {
        if self.state == FirmwareState::Off || self.state == FirmwareState::Fault {
            return;
        }
        if frame.motor_current_ma > self.config.over_current_ma {
            self.over_current_ticks = self.over_current_ticks.saturating_add(1);
            if self.over_current_ticks >= self.bounds.over_current_ticks {
                self.raise(FaultCode::OverCurrent);
                return;
            }
        } else {
            self.over_current_ticks = 0;
        }
        if self.state != FirmwareState::Running {
            return;
        }
        if !frame.cartridge.present {
            self.raise(FaultCode::CartridgeAbsent);
            return;
        }
        if frame.battery_mv < self.config.battery_run_min_mv {
            self.battery_low_ticks = self.battery_low_ticks.saturating_add(1);
            if self.battery_low_ticks >= self.bounds.battery_low_ticks {
                self.raise(FaultCode::LowBattery);
                return;
            }
        } else {
            self.battery_low_ticks = 0;
        }
        self.account_usage(Some(frame.cartridge));
        if self.is_expired(frame.cartridge) {
            self.raise(FaultCode::CartridgeExpired);
        }
    }

    /// Runs the controller and the stall monitor on its output.
    fn control(&mut self) {
        let duty = self.controller.step(self.measured_hz, self.battery_mv);
        let duty_permille = (duty * 1000.0 + 0.5) as u16;
        let setpoint_hz = self.controller.setpoint_hz();
        let collapsed =
            self.measured_hz * 100.0 < setpoint_hz * f32::from(self.config.stall_speed_percent);
        if collapsed && duty_permille >= self.config.stall_min_duty_permille {
            self.stall_ticks = self.stall_ticks.saturating_add(1);
            if self.stall_ticks >= self.bounds.stall_ticks {
                self.raise(FaultCode::Stall);
                return;
            }
        } else {
            self.stall_ticks = 0;
        }
        self.duty_permille = duty_permille.min(1000);
    }

    /// Adds one tick of running to the seated cartridge (`None`: the one last seen).
    fn account_usage(&mut self, cartridge: Option<CartridgeInfo>) {
        let run_us = self.bounds.tick_period_us;
        let micro_strokes = (self.measured_hz * run_us as f32) as u64;
        let id = match cartridge {
            Some(info) => info.id,
            None => self.active.map_or(0, |(id, _)| id),
        };
        if id == 0 {
            self.anonymous.add(run_us, micro_strokes);
            return;
        }
        let slot = match self.active {
            Some((active_id, slot)) if active_id == id => slot,
            _ => {
                let slot = self.cartridges.touch(id);
                self.active = Some((id, slot));
                slot
            }
        };
        if let Some(usage) = self.cartridges.slot_mut(slot) {
            usage.add(run_us, micro_strokes);
        }
    }

    fn is_expired(&self, cartridge: CartridgeInfo) -> bool {
        let max_strokes = u64::from(self.config.cartridge_max_strokes);
        self.cartridge_usage(cartridge.id)
            .is_some_and(|usage| usage.is_expired(self.bounds.max_run_us, max_strokes))
    }

    fn reset_monitors(&mut self) {
        self.stall_ticks = 0;
        self.over_current_ticks = 0;
        self.battery_low_ticks = 0;
    }

    /// Latches `code` (the first fault wins until cleared): motor off in this tick.
    fn raise(&mut self, code: FaultCode) {
        if self.state == FirmwareState::Fault {
            return;
        }
        self.controller.stop();
        self.reset_monitors();
        self.duty_permille = 0;
        self.fault = code;
        self.raised_this_tick = true;
        self.events.push(Event::FaultRaised {
            tick: self.tick,
            code,
        });
        self.set_state(FirmwareState::Fault);
    }

    fn clear_fault(&mut self) {
        if self.fault != FaultCode::None {
            self.events.push(Event::FaultCleared {
                tick: self.tick,
                code: self.fault,
            });
            self.fault = FaultCode::None;
        }
    }

    fn set_state(&mut self, to: FirmwareState) {
        if to == self.state {
            return;
        }
        self.events.push(Event::StateChanged {
            tick: self.tick,
            from: self.state,
            to,
        });
        self.state = to;
    }

    fn log(&mut self, level: LogLevel, text: &'static str) {
        self.events.push(Event::Log {
            tick: self.tick,
            level,
            text,
        });
    }
}
