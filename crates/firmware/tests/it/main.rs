//! Integration tests of the reference firmware: closed loop against a plant model, every
//! safety bound, the UI state machine and the cartridge lockout.

mod contract;
mod control;
mod plant;
mod safety;
mod ui;
