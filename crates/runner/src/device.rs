//! Running a derma roller or a derma stamp: the same hand, skin and recording as a pen run,
//! with no firmware and no link.
//!
//! Per tick (1 ms, like a pen run so recordings line up): the hand's position, force and tilt
//! are evaluated; a roller rolls the distance the hand moved on the skin since the last tick
//! (its rolling speed is that distance per tick), a stamp is pressed at the scenario's press
//! speed whenever the hand is on the skin and re-armed when it lifts (the `stamping` pattern's
//! stops); the device's punctures are placed at the hand's position plus each needle's offset
//! (turned to the direction of travel for a roller). Telemetry rows carry the hand and skin
//! columns; the motor columns are 0 and the firmware state `off` (there is none). The
//! recording says so: `[setup] device`, `[firmware] name = "none"`, no link counters, no
//! `timing.toml`. Randomness comes from the scenario's seed, drawn in the same order as a pen
//! run (thickness field, tremor, spread).

use crate::events::injection_event;
use crate::hand::HandPath;
use crate::setup::{SeededWorld, base_meta, create_recording, motion_of};
use crate::{Progress, RunError, RunStatus, RunSummary};
use needlebench_physics::{DevicePuncture, HandState, RollerPlant, StampPlant};
use needlebench_protocol::ClockMode;
use needlebench_recording::{
    FaultCode, FirmwareMeta, FirmwareState, Meta, PunctureRow, RecordingWriter, TelemetryRow,
};
use needlebench_scenario::{Device, InjectedFault, Scenario};
use std::path::Path;
use std::sync::atomic::{AtomicBool, Ordering};

/// Simulated time after the hand's path ends, s.
const TAIL_S: f64 = 0.2;

/// A roller or stamp scenario, ready to record.
#[derive(Debug, Clone)]
pub struct DeviceSetup<'s> {
    /// The scenario (its device is a roller or a stamp).
    pub scenario: &'s Scenario,
}

impl<'s> DeviceSetup<'s> {
    /// `scenario`, which must have a roller or a stamp; a pen is [`RunError::NotAPen`]'s
    /// opposite and is refused the same way.
    pub fn new(scenario: &'s Scenario) -> Result<Self, RunError> {
        match scenario.device {
            Device::Pen(_) => Err(RunError::NeedsFirmware),
            _ => Ok(DeviceSetup { scenario }),
        }
    }

    /// `meta.toml` of its recording: no firmware, no link.
    pub fn recording_meta(&self) -> Meta {
        let mut meta = base_meta(self.scenario);
        meta.firmware = FirmwareMeta {
            name: "none".to_owned(),
            version: String::new(),
            protocol_version: 0,
            transport: format!("none ({}: no firmware)", self.scenario.device.kind().name()),
            clock: ClockMode::Lockstep,
        };
        meta
    }

    /// Start its recording at `out` (see [`create_recording`]).
    pub fn create_recording(&self, out: &Path, replace: bool) -> Result<RecordingWriter, RunError> {
        create_recording(self.scenario, out, self.recording_meta(), replace)
    }
}

/// The device's plant.
enum Plant {
    Roller(RollerPlant),
    Stamp {
        plant: StampPlant,
        press_speed_m_s: f64,
    },
}

/// Run a roller or stamp scenario into `writer`, which is finished whatever happens; stops
/// at the next tick once `stop` is set (recorded as interrupted).
pub fn run_device(
    setup: &DeviceSetup<'_>,
    mut writer: RecordingWriter,
    mut progress: impl FnMut(Progress),
    stop: &AtomicBool,
) -> Result<RunSummary, RunError> {
    let scenario = setup.scenario;
    let skin = &scenario.skin;
    let SeededWorld {
        field,
        tremor,
        spread_seed,
        ..
    } = SeededWorld::of(scenario);
    let mut plant = match &scenario.device {
        Device::Roller(params) => Plant::Roller(RollerPlant::new(*params)?),
        Device::Stamp {
            params,
            press_speed_m_s,
        } => Plant::Stamp {
            plant: StampPlant::new(*params)?,
            press_speed_m_s: *press_speed_m_s,
        },
        Device::Pen(_) => return Err(RunError::NeedsFirmware),
    };
    match &mut plant {
        Plant::Roller(p) => p.set_spread_seed(spread_seed),
        Plant::Stamp { plant, .. } => plant.set_spread_seed(spread_seed),
    }
    let mut hand = HandPath::new(&motion_of(scenario), 0.0);
    let natural_end_s = hand.end_s() + TAIL_S;
    let end_s = scenario
        .duration_s
        .map_or(natural_end_s, |d| d.min(natural_end_s));
    let total_ticks = (end_s * 1000.0).ceil() as u64;
    let travel_um = scenario.device.needle_travel_um();
    let tilt_deg = scenario.hand.tilt_deg;
    let (mut rolled_mm, mut last_mm, mut stroke) = (0.0_f64, None::<[f64; 2]>, 0_u64);
    let mut status = RunStatus::Complete;
    // the skin under the device this tick (the site scaled to the local thickness), reused
    let mut local_site = skin.site.clone();
    for tick in 0..total_ticks {
        if stop.load(Ordering::Relaxed) {
            status = crate::run::interrupted(tick * 1000);
            break;
        }
        let t_s = tick as f64 / 1000.0;
        for inj in &scenario.inject {
            if (inj.at_s * 1000.0).round() as u64 == tick {
                writer.event(&injection_event(tick, tick * 1000, &inj.fault))?;
            }
        }
        let at = hand.at(t_s);
        let wobble = tremor.at(t_s);
        let pen_mm = [at.pos_mm[0] + wobble[0], at.pos_mm[1] + wobble[1]];
        let mut force_n = if at.on_skin {
            scenario.hand.force_at_s(t_s)
        } else {
            0.0
        };
        if let Some(spike) = scenario.inject.iter().find_map(|i| match i.fault {
            InjectedFault::ForceSpike { force_n, .. } if crate::setup::active(i, t_s) => {
                Some(force_n)
            }
            _ => None,
        }) {
            force_n = spike;
        }
        if at.on_skin {
            skin.site
                .scale_into(field.factor_at(pen_mm), &mut local_site)?;
        }
        let local_site = at.on_skin.then_some(&local_site);
        // Direction of travel (a roller's axis is across it).
        let moved = last_mm.map_or([0.0, 0.0], |l: [f64; 2]| {
            [pen_mm[0] - l[0], pen_mm[1] - l[1]]
        });
        let step_mm = moved[0].hypot(moved[1]);
        let dir = if step_mm > 1e-9 {
            [moved[0] / step_mm, moved[1] / step_mm]
        } else {
            at.dir
        };
        last_mm = Some(pen_mm);
        let punctures: &[DevicePuncture] = match &mut plant {
            Plant::Roller(p) => {
                if at.on_skin {
                    rolled_mm += step_mm;
                }
                p.step(&HandState {
                    site: local_site,
                    position_mm: rolled_mm,
                    speed_m_s: if at.on_skin { step_mm } else { 0.0 },
                    force_n,
                    tilt_deg,
                })?
            }
            Plant::Stamp {
                plant,
                press_speed_m_s,
            } => plant.step(&HandState {
                site: local_site,
                position_mm: 0.0,
                speed_m_s: *press_speed_m_s,
                force_n,
                tilt_deg,
            })?,
        };
        for d in punctures {
            // offset: x along the travel, y across it
            let (ox, oy) = (d.offset_mm[0], d.offset_mm[1]);
            let x = pen_mm[0] + ox * dir[0] - oy * dir[1];
            let y = pen_mm[1] + ox * dir[1] + oy * dir[0];
            let p = &d.puncture;
            writer.puncture(&PunctureRow {
                t_us: tick * 1000,
                stroke,
                needle: p.needle_index,
                x_mm: x as f32,
                y_mm: y as f32,
                depth_um: p.depth_um as f32,
                layer: p.layer,
                peak_force_n: p.peak_force_n as f32,
                tenting_um: p.tenting_um as f32,
                bleeding: p.bleeding,
                zone: needlebench_recording::ZoneRef::NOT_RECORDED,
            })?;
        }
        stroke += u64::from(!punctures.is_empty());
        writer.telemetry(&TelemetryRow {
            t_us: tick * 1000,
            tick: tick as u32,
            pen_x_mm: pen_mm[0] as f32,
            pen_y_mm: pen_mm[1] as f32,
            hand_force_n: force_n as f32,
            tilt_deg: tilt_deg as f32,
            skin_contact: at.on_skin,
            needle_z_um: 0.0,
            needle_peak_um: 0.0,
            exposure_um: travel_um as f32,
            motor_duty: 0.0,
            motor_current_ma: 0.0,
            stroke_hz: 0.0,
            battery_mv: 0.0,
            speed_level: 0,
            state: FirmwareState::Off,
            fault: FaultCode::None,
        })?;
        if (tick + 1).is_multiple_of(1000) {
            progress(Progress {
                sim_s: t_s,
                total_s: end_s,
                punctures: writer.meta().run.punctures,
            });
        }
    }
    let meta = writer.finish(status.clone())?;
    Ok(RunSummary {
        status,
        ticks: meta.run.ticks,
        punctures: meta.run.punctures,
        link: needlebench_bridge::LinkStats::default(),
        meta,
    })
}
