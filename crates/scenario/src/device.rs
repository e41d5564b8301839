//! What treats the skin: a pen with its settings, a derma roller or a derma stamp.

use crate::model::Pen;
use needlebench_physics::{DeviceKind, RollerParams, StampParams};

/// What treats the skin (`[device]`, with `[pen]` for a pen).
#[derive(Debug, Clone, PartialEq)]
pub enum Device {
    /// A motorised pen with firmware (`[pen]`).
    Pen(Pen),
    /// A derma roller rolled along the hand's path at `hand.glide_mm_s`; no firmware.
    Roller(RollerParams),
    /// A derma stamp pressed at each stop of the hand's path; no firmware.
    Stamp {
        /// Its geometry.
        params: StampParams,
        /// How fast the hand presses it into the skin, m/s.
        press_speed_m_s: f64,
    },
}

impl Device {
    /// The kind.
    pub fn kind(&self) -> DeviceKind {
        match self {
            Device::Pen(_) => DeviceKind::Pen,
            Device::Roller(_) => DeviceKind::Roller,
            Device::Stamp { .. } => DeviceKind::Stamp,
        }
    }

    /// The needle length (roller, stamp) or the exposure setting (pen), µm.
    pub fn needle_travel_um(&self) -> f64 {
        match self {
            Device::Pen(p) => p.exposure_um(),
            Device::Roller(r) => r.needle_length_um,
            Device::Stamp { params, .. } => params.needle_length_um,
        }
    }

    /// A name for the needle set: the cartridge (`36`), `roller-24x8`, `stamp-6x6`.
    pub fn needles_name(&self) -> String {
        match self {
            Device::Pen(p) => p.cartridge.name().to_owned(),
            Device::Roller(r) => format!("roller-{}x{}", r.rows, r.needles_per_row),
            Device::Stamp { params, .. } => format!("stamp-{}x{}", params.grid, params.grid),
        }
    }

    /// Needles on the device.
    pub fn needle_count(&self) -> usize {
        match self {
            Device::Pen(p) => p.cartridge.needle_count(),
            Device::Roller(r) => usize::from(r.rows) * usize::from(r.needles_per_row),
            Device::Stamp { params, .. } => usize::from(params.grid).pow(2),
        }
    }
}
