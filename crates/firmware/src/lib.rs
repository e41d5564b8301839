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
//! # The contract
//! What this firmware does — buttons and states, speed levels, every fault with its cause,
//! threshold, timing bound and reaction, indicators, the cartridge lockout, the events — is
//! the pen contract every pen must meet, written once in `FIRMWARE.md` at the repository
//! root. Its tables are this crate's defaults ([`FirmwareConfig::default`]) and
//! [`FAULT_TABLE`]; a test (`tests/it/contract.rs`) holds them together. This page only adds
//! what is particular to this implementation.
//!
//! # Speed control
//! Feed-forward plus PI with a soft start, as FIRMWARE.md §4 describes ([`SpeedController`]).
//! Against the plant model of the integration tests (`tests/it/plant.rs`: a coreless motor
//! with R ≈ 1.2 Ω and kt ≈ ke ≈ 3 mNm/A, 0.6 mNm needle load, 4.0 V battery with 0.1 Ω), with the default gains:
//!
//! | figure | measured | test bound |
//! |---|---|---|
//! | steady state, every level (each stroke, 1–2 s after start) | within ±0.1 % | ±3 % |
//! | from the start press to every stroke within ±3 % | 0.37 s | — |
//! | +50 % load step at 110 Hz: dip, then back within ±1 % | −2.9 %, 92 ms | 150 ms |
//! | overshoot after 1 s saturated (125 Hz of 150) and release | +2.3 % (+15.6 % without anti-windup) | +5 % |
//! | inrush during a soft start to 150 Hz | 0.84 A | 1.5 A (cut-off 2.5 A) |
//!
//! # Lockout table
//! The last [`CARTRIDGE_TABLE_LEN`] cartridge ids in an LRU table ([`CartridgeTable`]); it
//! survives [`Firmware::on_session_start`], like flash.
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
