//! The run loop: one iteration per firmware tick (1 ms of simulated time).
//!
//! Per tick: the operator's buttons and the hand's position, force and tilt are evaluated;
//! the pen plant advances 1 ms under the duty the firmware commanded on the previous tick
//! (a zero-order hold, as a PWM peripheral holds its last compare value); the sensor frame
//! is built from the plant's outputs, with any injected fault applied; the link carries it
//! to the firmware and returns the actuator frame and events; everything is streamed to the
//! recording. No wall clock enters the simulation, and every random draw comes from the
//! seed, so a lockstep run is reproducible byte for byte.

use crate::field::ThicknessField;
use crate::hand::{HandPath, Tremor};
use crate::operator::Operator;
use crate::setup::{InjectionKind, RunSetup, Sensor};
use crate::{RunError, RunStatus, RunSummary};
use needlebench_bridge::{Link, PenEvent};
use needlebench_physics::{Contact, PenParams, PenPlant};
use needlebench_protocol::{CartridgeInfo, FaultCode, FirmwareState, SensorFrame};
use needlebench_recording::{EventRow, EventSource, PunctureRow, RecordingWriter, TelemetryRow};
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;

/// Simulated time after a pen fault during which the run goes on recording (to show the
/// motor stopping), s.
pub const AFTER_FAULT_S: f64 = 0.5;
/// Simulated time after the hand's last lift before the run ends, s.
const TAIL_S: f64 = 0.4;
/// Load torque of a jammed needle carriage, N·m (several times the motor's stall torque).
pub const JAM_TORQUE_NM: f64 = 0.05;

/// Progress, reported about once per simulated second.
#[derive(Debug, Clone, Copy)]
pub struct Progress {
    /// Simulated time so far, s.
    pub sim_s: f64,
    /// Simulated time the run will take if nothing ends it early, s.
    pub total_s: f64,
    /// Punctures so far.
    pub punctures: u64,
}

/// Run `setup` over `link`, streaming into `writer`. The writer is finished (and its meta
/// marked complete or incomplete with the reason) whatever happens.
pub fn run(
    setup: &RunSetup,
    link: &mut Link,
    mut writer: RecordingWriter,
    mut progress: impl FnMut(Progress),
) -> Result<RunSummary, RunError> {
    let mut rng = ChaCha8Rng::seed_from_u64(setup.seed);
    let field = ThicknessField::new(setup.thickness_variation, setup.variation_length_mm, &mut rng);
    let tremor = Tremor::new(setup.tremor_mm, setup.tremor_hz, &mut rng);
    let params = PenParams { battery_soc: setup.battery_soc, ..PenParams::default() };
    let mut plant = PenPlant::new(params, setup.cartridge.clone()).map_err(RunError::Setup)?;
    plant.set_exposure_um(setup.exposure_um).map_err(RunError::Setup)?;
    let positions: Vec<[f64; 2]> = setup.cartridge.positions_mm().to_vec();

    let mut operator = Operator::new(setup.speed_level, 1);
    let mut hand = HandPath::new(&setup.motion, operator.hand_start_s);
    let hand_end_s = hand.end_s();
    operator.stop_at(hand_end_s + 0.05);
    let natural_end_s = hand_end_s + TAIL_S;
    let end_s = setup.duration_s.map_or(natural_end_s, |d| d.min(natural_end_s));
    let total_ticks = (end_s * 1000.0).ceil() as u64;

    let mut duty_permille: u16 = 0;
    let mut state = FirmwareState::Off;
    let mut fault = FaultCode::None;
    let mut stuck: [Option<f64>; 3] = [None; 3];
    let mut stroke: u64 = 0;
    let mut punctures: u64 = 0;
    let mut fault_end_tick: Option<(u64, String)> = None;
    let mut outcome = RunStatus::Complete;
    let mut last_speed_level: u8 = 0;

    let mut tick: u64 = 0;
    while tick < total_ticks {
        let t_us = tick * 1000;
        let t_s = tick as f64 / 1000.0;
        if let Some((end, _)) = &fault_end_tick
            && tick >= *end
        {
            break;
        }

        // Injections starting now become events.
        for inj in &setup.injections {
            let start_tick = (inj.at_s * 1000.0).round() as u64;
            if start_tick == tick {
                let detail = format!("{:?}", inj.kind);
                writer.event(&EventRow::new(t_us, tick as u32, EventSource::Injected, inj.name(), "", &detail))?;
                if let InjectionKind::LinkGarbage { bytes } = inj.kind {
                    let garbage: Vec<u8> = (0..bytes).map(|_| rng.random::<u8>()).collect();
                    if let Err(e) = link.inject_line_noise(&garbage) {
                        outcome = link_failed(&mut writer, t_us, tick, &e)?;
                        break;
                    }
                }
            }
        }
        let active = |kind: fn(&InjectionKind) -> bool| {
            setup.injections.iter().find(|i| i.active(t_s) && kind(&i.kind)).map(|i| i.kind)
        };

        // The hand.
        let at = hand.at(t_s);
        let wobble = tremor.at(t_s);
        let pen_mm = [at.pos_mm[0] + wobble[0], at.pos_mm[1] + wobble[1]];
        let mut force_n = if at.on_skin { setup.force.at(t_s - operator.hand_start_s) } else { 0.0 };
        if let Some(InjectionKind::ForceSpike { force_n: f }) =
            active(|k| matches!(k, InjectionKind::ForceSpike { .. }))
        {
            force_n = f;
        }
        let removed = active(|k| matches!(k, InjectionKind::CartridgeRemoved)).is_some();
        let on_skin = at.on_skin && !removed;
        let local_site;
        let contact = if on_skin {
            local_site = setup.site.scaled(field.factor_at(pen_mm)).map_err(RunError::Setup)?;
            Contact { site: Some(&local_site), hand_force_n: force_n, tilt_deg: setup.tilt_deg }
        } else {
            Contact::OFF
        };
        let jam = active(|k| matches!(k, InjectionKind::CartridgeJam)).is_some();
        plant.set_jam_torque_nm(if jam { JAM_TORQUE_NM } else { 0.0 });

        // The pen plant, under last tick's duty.
        let out = plant.step(duty_permille, 1000, &contact).map_err(RunError::Setup)?;
        for p in out.punctures {
            let offset = positions.get(usize::from(p.needle_index)).copied().unwrap_or([0.0, 0.0]);
            writer.puncture(&PunctureRow {
                t_us,
                stroke,
                needle: p.needle_index,
                x_mm: (pen_mm[0] + offset[0]) as f32,
                y_mm: (pen_mm[1] + offset[1]) as f32,
                depth_um: p.depth_um as f32,
                layer: p.layer,
                peak_force_n: p.peak_force_n as f32,
                tenting_um: p.tenting_um as f32,
                bleeding: p.bleeding,
            })?;
            punctures += 1;
        }
        if !out.punctures.is_empty() {
            stroke += 1;
        }

        // What the pen's sensors read.
        let mut readings = [
            f64::from(out.hall_period_us),
            f64::from(out.motor_current_ma.max(0)),
            f64::from(out.battery_mv),
        ];
        for (i, sensor) in [Sensor::Hall, Sensor::Current, Sensor::Battery].into_iter().enumerate() {
            let is_stuck = setup.injections.iter().any(|inj| {
                inj.active(t_s) && matches!(inj.kind, InjectionKind::SensorStuck { sensor: s } if s == sensor)
            });
            if is_stuck {
                readings[i] = *stuck[i].get_or_insert(readings[i]);
            } else {
                stuck[i] = None;
            }
            for inj in &setup.injections {
                if let InjectionKind::SensorNoise { sensor: s, amplitude } = inj.kind
                    && s == sensor
                    && inj.active(t_s)
                {
                    readings[i] += rng.random_range(-1.0..=1.0) * amplitude;
                }
            }
        }
        if let Some(InjectionKind::BatterySag { drop_mv }) =
            active(|k| matches!(k, InjectionKind::BatterySag { .. }))
        {
            readings[2] -= drop_mv;
        }
        let sensors = SensorFrame {
            tick: 0,
            motor_current_ma: to_u16(readings[1]),
            hall_period_us: readings[0].round().clamp(0.0, f64::from(u32::MAX)) as u32,
            battery_mv: to_u16(readings[2]),
            depth_um: to_u16(setup.exposure_um),
            buttons: operator.buttons_at(t_s),
            cartridge: CartridgeInfo {
                present: !removed,
                id: setup.cartridge_id,
                needle_count: u8::try_from(setup.cartridge.needle_count()).unwrap_or(u8::MAX),
            },
            skin_contact: on_skin,
        };
        let dropped = active(|k| matches!(k, InjectionKind::LinkDrop)).is_some();

        // The firmware, over the link.
        let reply = match link.tick((!dropped).then_some(&sensors)) {
            Ok(r) => r,
            Err(e) => {
                for ev in link.partial_events().to_vec() {
                    writer.event(&firmware_event(t_us, tick, &ev))?;
                }
                outcome = link_failed(&mut writer, t_us, tick, &e)?;
                write_telemetry(&mut writer, tick, t_us, pen_mm, force_n, setup, on_skin, &out, duty_permille, state, fault, last_speed_level)?;
                break;
            }
        };
        duty_permille = reply.actuators.motor_duty_permille;
        state = reply.actuators.state;
        fault = reply.actuators.fault;
        last_speed_level = reply.actuators.speed_level;
        for ev in &reply.events {
            writer.event(&firmware_event(t_us, tick, ev))?;
            if let PenEvent::FaultRaised { code, .. } = ev
                && fault_end_tick.is_none()
            {
                let reason = format!("pen fault `{}` at t = {:.3} s", code.name(), t_s);
                fault_end_tick = Some((tick + (AFTER_FAULT_S * 1000.0) as u64, reason));
            }
        }
        write_telemetry(&mut writer, tick, t_us, pen_mm, force_n, setup, on_skin, &out, duty_permille, state, fault, last_speed_level)?;

        tick += 1;
        if tick % 1000 == 0 {
            progress(Progress { sim_s: tick as f64 / 1000.0, total_s: end_s, punctures });
        }
    }
    if let (RunStatus::Complete, Some((_, reason))) = (&outcome, fault_end_tick) {
        outcome = RunStatus::Incomplete { reason };
    }
    let stats = link.stats();
    let meta = writer.finish(outcome.clone(), &stats, tick, punctures)?;
    Ok(RunSummary { status: outcome, ticks: tick, punctures, link: stats, meta })
}

fn to_u16(v: f64) -> u16 {
    v.round().clamp(0.0, f64::from(u16::MAX)) as u16
}

fn link_failed(
    writer: &mut RecordingWriter,
    t_us: u64,
    tick: u64,
    e: &needlebench_bridge::LinkError,
) -> Result<RunStatus, RunError> {
    let reason = format!("link failure at t = {:.3} s: {e}", tick as f64 / 1000.0);
    writer.event(&EventRow::new(t_us, tick as u32, EventSource::Link, "link_failure", "", &e.to_string()))?;
    Ok(RunStatus::Incomplete { reason })
}

fn firmware_event(t_us: u64, tick: u64, ev: &PenEvent) -> EventRow {
    let tick = tick as u32;
    match ev {
        PenEvent::StateChanged { from, to, .. } => EventRow::new(
            t_us,
            tick,
            EventSource::Firmware,
            "state_changed",
            &format!("{}->{}", from.name(), to.name()),
            "",
        ),
        PenEvent::FaultRaised { code, .. } => {
            EventRow::new(t_us, tick, EventSource::Firmware, "fault_raised", code.name(), "")
        }
        PenEvent::FaultCleared { code, .. } => {
            EventRow::new(t_us, tick, EventSource::Firmware, "fault_cleared", code.name(), "")
        }
        PenEvent::Log { level, text, .. } => EventRow::new(
            t_us,
            tick,
            EventSource::Firmware,
            "log",
            &format!("{level:?}").to_lowercase(),
            text,
        ),
    }
}

#[allow(clippy::too_many_arguments)]
fn write_telemetry(
    writer: &mut RecordingWriter,
    tick: u64,
    t_us: u64,
    pen_mm: [f64; 2],
    force_n: f64,
    setup: &RunSetup,
    on_skin: bool,
    out: &needlebench_physics::PlantTick<'_>,
    duty_permille: u16,
    state: FirmwareState,
    fault: FaultCode,
    speed_level: u8,
) -> Result<(), RunError> {
    let stroke_hz = if out.hall_period_us > 0 { 1e6 / f64::from(out.hall_period_us) } else { 0.0 };
    writer.telemetry(&TelemetryRow {
        t_us,
        tick: tick as u32,
        pen_x_mm: pen_mm[0] as f32,
        pen_y_mm: pen_mm[1] as f32,
        hand_force_n: force_n as f32,
        tilt_deg: setup.tilt_deg as f32,
        skin_contact: on_skin,
        needle_z_um: out.needle_z_um as f32,
        exposure_um: setup.exposure_um as f32,
        motor_duty: f32::from(duty_permille) / 1000.0,
        motor_current_ma: out.motor_current_ma as f32,
        stroke_hz: stroke_hz as f32,
        battery_mv: out.battery_mv as f32,
        speed_level,
        state,
        fault,
    })?;
    Ok(())
}
