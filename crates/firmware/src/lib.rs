//! The reference pen firmware core of needlebench.
//!
//! What a real derma-pen firmware does, written as a real firmware engineer would:
//! `#![no_std]`, no allocation, no clock of its own, no randomness. One call,
//! [`Firmware::tick`], is one step of the firmware's 1 kHz loop: it takes the sensor frame
//! the bench sent for this tick (or `None` when none arrived) and returns the
//! [`ActuatorFrame`] the pen drives. Events (state changes, faults, log lines) queue in a
//! fixed ring that [`Firmware::poll_event`] drains. The bench's bridge (a real serial port)
//! and its in-process emulator both drive this type.
//!
//! ```
//! use needlebench_firmware::{Firmware, FirmwareConfig};
//! use needlebench_protocol::{buttons, CartridgeInfo, FirmwareState, SensorFrame};
//!
//! let mut fw = Firmware::new(FirmwareConfig::default()).expect("default config is valid");
//! let mut frame = SensorFrame {
//!     battery_mv: 4000,
//!     cartridge: CartridgeInfo { present: true, id: 42, needle_count: 36 },
//!     ..SensorFrame::default()
//! };
//! for tick in 0..4u32 {
//!     frame.tick = tick;
//!     // press, release, press: Off → Idle → Running
//!     frame.buttons = if tick % 2 == 0 { buttons::POWER } else { 0 };
//!     let out = fw.tick(u64::from(tick) * 1000, Some(&frame));
//!     assert_eq!(out.tick, tick);
//! }
//! assert_eq!(fw.state(), FirmwareState::Running);
//! while let Some(event) = fw.poll_event() {
//!     let _ = event; // StateChanged Off → Idle, Idle → Running
//! }
//! ```
//!
//! # Sensing
//! - stroke frequency, Hz = 1 000 000 / [`SensorFrame::hall_period_us`] (one hall pulse per
//!   motor revolution, one revolution per needle stroke); a period of 0 reads as 0 Hz, one
//!   below [`MIN_HALL_PERIOD_US`] (> 500 Hz) is a glitch and keeps the last reading;
//! - motor current (mA), battery (mV), depth dial (µm, echoed as the depth setpoint: the
//!   reference pen has a manual dial), buttons, cartridge sensor.
//!
//! # State machine and buttons
//! Buttons act on the press edge (a bit set now and clear in the previous frame).
//!
//! | state | power press | power held 1.5 s | speed up / down |
//! |---|---|---|---|
//! | `Off` | → `Idle`, level = default (1) | — (the press that powered on does not count) | ignored |
//! | `Idle` | start checks, then → `Running` (soft start) or → `Fault` | → `Off` | level ± 1 (1–6) |
//! | `Running` | → `Idle`, motor off in the same tick | → `Off` | level ± 1, setpoint slews |
//! | `Fault` | clears the fault if its condition is gone → `Idle`, else stays | → `Off` (clears) | ignored |
//!
//! Start checks, in order: cartridge seated (`CartridgeAbsent`), cartridge not used up
//! (`CartridgeExpired`), battery ≥ 3.40 V (`LowBattery`). A refused start latches the fault
//! (indicator red) and logs a `Warn` line saying why. Indicator: off in `Off`, red in `Fault`,
//! otherwise green, or amber while the battery reads below 3.50 V.
//!
//! # Speed control
//! Six levels: 80, 95, 110, 125, 138, 150 Hz. Each start ramps the setpoint linearly from 0 to
//! the level in 300 ms (soft start; it keeps the inrush current far below the over-current
//! cut-off); level changes slew at 500 Hz/s. Duty = feed-forward (setpoint / (46 Hz/V ×
//! battery V)) + PI on the stroke-frequency error (kp 0.004 /Hz, ki 0.12 /(Hz·s)) with
//! clamping anti-windup (the integrator stops while the output is saturated in the direction
//! of the error), clamped to 0–1000 ‰.
//!
//! Against the plant model of the integration tests (`tests/it/plant.rs`: the coreless motor
//! above, 0.6 mNm needle load, 4.0 V battery with 0.1 Ω), with the default gains:
//!
//! | figure | measured | test bound |
//! |---|---|---|
//! | steady state, every level (each stroke, 1–2 s after start) | within ±0.1 % | ±3 % |
//! | from the start press to every stroke within ±3 % | 0.37 s | — |
//! | +50 % load step at 110 Hz: dip, then back within ±1 % | −2.9 %, 92 ms | 150 ms |
//! | overshoot after 1 s saturated (125 Hz of 150) and release | +2.3 % (+15.6 % without anti-windup) | +5 % |
//! | inrush during a soft start to 150 Hz | 0.84 A | 1.5 A (cut-off 2.5 A) |
//!
//! # Faults
//! [`FaultCode`] is defined once, in the protocol crate, and re-exported here; the table
//! below is also data ([`FAULT_TABLE`], [`fault_doc`]) for reports to quote. Every fault
//! latches: motor duty 0 in the tick it is raised and every tick after until cleared,
//! indicator red, state `Fault`, events `FaultRaised` then `StateChanged`. While one fault is
//! latched no other is raised. Timing bounds are for the default config at 1 kHz; "sample"
//! is one sensor frame (one tick).
//!
//! | code | cause | trigger and timing bound | clears (power press) when |
//! |---|---|---|---|
//! | `stall` | stall or excessive pressure | measured frequency < 40 % of the setpoint while the duty is ≥ 900 ‰, for 100 consecutive ticks: duty 0 at the 100th tick (≤ 100 ms after the measured collapse; the hall sensor itself reports 0 only 100 ms after the last pulse) | always |
//! | `over_current` | motor current too high (short, locked rotor) | > 2500 mA for 5 consecutive samples, in `Idle` or `Running`: duty 0 at the 5th (≤ 5 ms after the first) | current ≤ 2500 mA |
//! | `link_loss` | no sensor frame | 10 consecutive ticks without a frame while `Running`: duty held for 9, 0 at the 10th | always (a frame carried the press) |
//! | `low_battery` | battery too low | start refused below 3400 mV; while running < 3200 mV for 50 consecutive samples: duty 0 at the 50th (≤ 50 ms) | battery ≥ 3400 mV |
//! | `cartridge_absent` | no cartridge | start refused; removed while running: duty 0 in the same tick | a cartridge is seated |
//! | `cartridge_expired` | single-use limit reached | 30 min running or 250 000 strokes per cartridge id: start refused, or duty 0 in the tick the limit is reached | a cartridge within its limits is seated |
//! | `watchdog` | the firmware's loop overran | `now_us` more than 5000 µs after the previous tick's (or earlier than it), in any state but `Off`: duty 0 in that tick | always |
//! | `internal` | internal error | not raised by the reference firmware (reserved) | always |
//!
//! Holding power for 1.5 s (`Off`) also clears a latched fault, as a power cycle would.
//!
//! # Cartridge lockout
//! A table of the last 16 cartridge ids (LRU) keeps each one's running time and strokes
//! (integrated every running tick from the measured frequency). It survives
//! [`Firmware::on_session_start`], like flash. A cartridge with id 0 (no identity) cannot be
//! remembered: it is counted per seating and its record resets when it is removed.
//!
//! # Events
//! A ring of [`EVENT_CAPACITY`] events; when full the oldest is dropped and counted
//! ([`Firmware::events_dropped`]). Log lines are `&'static str`.
//!
//! # Cost
//! About 33 ns per tick while running and 14 ns while idle on the x86-64 development host
//! (`cargo bench -p needlebench-firmware --bench tick`), i.e. < 0.01 % of the 1 ms tick.
#![no_std]

mod config;
mod control;
mod events;
mod faults;
mod firmware;
mod lockout;

pub use config::{ConfigError, FirmwareConfig, SPEED_LEVELS};
pub use control::SpeedController;
pub use events::{EVENT_CAPACITY, EventQueue};
pub use faults::{FAULT_TABLE, FaultDoc, fault_doc};
pub use firmware::{Firmware, MIN_HALL_PERIOD_US};
pub use lockout::{CARTRIDGE_TABLE_LEN, CartridgeTable, CartridgeUsage};
pub use needlebench_protocol::{ActuatorFrame, Event, FaultCode, FirmwareState, SensorFrame};
