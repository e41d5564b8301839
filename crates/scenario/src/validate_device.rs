//! `[device]`: a pen (the default, with its `[pen]` table), a derma roller or a derma stamp.
//!
//! A roller or stamp has no firmware and no cartridge: `[pen]` and a non-default `[firmware]`
//! are errors with it, and so are injections that need a pen or a link (only `force_spike`
//! applies) and expected faults.

use crate::doc::Seg;
use crate::error::ScenarioError;
use crate::model::{Device, Firmware, FirmwareLink, InjectedFault, Injection};
use crate::raw::{RawDevice, RawPen};
use crate::validate::{Validator, keys};
use needlebench_physics::{DeviceKind, RollerParams, StampParams};

/// Default pressing speed of a stamp, mm/s (a deliberate press; **estimate**).
pub const STAMP_PRESS_MM_S: f64 = 20.0;

impl Validator<'_, '_> {
    pub(crate) fn device(
        &self,
        raw: &RawDevice,
        pen: Option<&RawPen>,
        plan_exposure_mm: Option<f64>,
    ) -> Result<Device, ScenarioError> {
        if plan_exposure_mm.is_some() && raw.kind != DeviceKind::Pen {
            let msg = format!(
                "device.kind = \"{}\": a [plan] is carried out with a pen (kind = \"pen\")",
                raw.kind.name()
            );
            return Err(self.invalid(&keys(&["device", "kind"]), msg));
        }
        let d = |k: &str| keys(&["device", k]);
        let only = |allowed: DeviceKind, list: &[(&str, bool)]| -> Result<(), ScenarioError> {
            for &(key, given) in list {
                if given && raw.kind != allowed {
                    let msg = format!(
                        "device.{key}: only for kind = \"{}\" (this device is a {})",
                        allowed.name(),
                        raw.kind.name()
                    );
                    return Err(self.invalid(&d(key), msg));
                }
            }
            Ok(())
        };
        only(
            DeviceKind::Roller,
            &[
                ("drum_radius_mm", raw.drum_radius_mm.is_some()),
                ("rows", raw.rows.is_some()),
                ("needles_per_row", raw.needles_per_row.is_some()),
            ],
        )?;
        only(
            DeviceKind::Stamp,
            &[
                ("grid", raw.grid.is_some()),
                ("pitch_mm", raw.pitch_mm.is_some()),
                ("press_speed_mm_s", raw.press_speed_mm_s.is_some()),
            ],
        )?;
        if raw.kind != DeviceKind::Pen && pen.is_some() {
            let msg = format!(
                "[pen]: a {} has no pen settings; its needles are set in [device]",
                raw.kind.name()
            );
            return Err(self.invalid(&keys(&["pen"]), msg));
        }
        let int = |key: &str, v: Option<i64>, default: u16, max: i64| match v {
            None => Ok(default),
            Some(n) if (1..=max).contains(&n) => Ok(n as u16),
            Some(n) => {
                Err(self.invalid(&d(key), format!("device.{key} = {n} out of range 1–{max}")))
            }
        };
        let length_um = |default_um: f64| match raw.needle_length_mm {
            None => Ok(default_um),
            Some(mm) => self
                .range(&d("needle_length_mm"), mm, 0.05, 3.0)
                .map(|mm| mm * 1000.0),
        };
        match raw.kind {
            DeviceKind::Roller => {
                let base = RollerParams::default();
                Ok(Device::Roller(RollerParams {
                    needle_length_um: length_um(base.needle_length_um)?,
                    drum_radius_mm: match raw.drum_radius_mm {
                        None => base.drum_radius_mm,
                        Some(r) => self.range(&d("drum_radius_mm"), r, 1.0, 100.0)?,
                    },
                    rows: int("rows", raw.rows, base.rows, 360)?,
                    needles_per_row: int(
                        "needles_per_row",
                        raw.needles_per_row,
                        base.needles_per_row,
                        200,
                    )?,
                    ..base
                }))
            }
            DeviceKind::Stamp => {
                let base = StampParams::default();
                Ok(Device::Stamp {
                    params: StampParams {
                        needle_length_um: length_um(base.needle_length_um)?,
                        grid: int("grid", raw.grid, base.grid, 100)?,
                        pitch_mm: match raw.pitch_mm {
                            None => base.pitch_mm,
                            Some(p) => self.range(&d("pitch_mm"), p, 0.1, 20.0)?,
                        },
                        ..base
                    },
                    press_speed_m_s: match raw.press_speed_mm_s {
                        None => STAMP_PRESS_MM_S / 1000.0,
                        Some(v) => self.pos(&d("press_speed_mm_s"), v, 2000.0)? / 1000.0,
                    },
                })
            }
            DeviceKind::Pen => {
                if raw.needle_length_mm.is_some() {
                    let msg = "device.needle_length_mm: a pen's needle travel is `pen.exposure_mm`";
                    return Err(self.invalid(&d("needle_length_mm"), msg.to_owned()));
                }
                let Some(pen) = pen else {
                    let msg = if plan_exposure_mm.is_some() {
                        "a pen scenario needs a [pen] table (cartridge, speed; the plan sets the exposure)"
                    } else {
                        "a pen scenario needs a [pen] table (cartridge, exposure_mm, speed)"
                    };
                    return Err(self.invalid(&keys(&["pen"]), msg.to_owned()));
                };
                self.pen(pen, plan_exposure_mm).map(Device::Pen)
            }
        }
    }

    /// A roller or stamp has no firmware: no `[firmware]` other than the default, no
    /// injection but a force spike.
    pub(crate) fn device_without_firmware(
        &self,
        device: &Device,
        firmware: &Firmware,
        inject: &[Injection],
    ) -> Result<(), ScenarioError> {
        let kind = device.kind();
        if kind.has_firmware() {
            return Ok(());
        }
        if firmware.link != FirmwareLink::Emulated || firmware.cartridge_limit_s.is_some() {
            let msg = format!("[firmware]: a {} has no firmware to talk to", kind.name());
            return Err(self.invalid(&keys(&["firmware"]), msg));
        }
        for (i, inj) in inject.iter().enumerate() {
            if !matches!(inj.fault, InjectedFault::ForceSpike { .. }) {
                let path = [
                    Seg::Key("inject".into()),
                    Seg::Index(i),
                    Seg::Key("kind".into()),
                ];
                let msg = format!(
                    "inject[{i}]: a {} has no motor, sensors or link; only force_spike applies",
                    kind.name()
                );
                return Err(self.invalid(&path, msg));
            }
        }
        Ok(())
    }
}
