//! The simulated world of a pen run, tick by tick: [`Ticker`] advances the plant, the hand,
//! the skin, the injected faults and the plan one firmware tick at a time over the link,
//! writing each tick's rows. [`crate::run()`] ticks a whole scenario through it;
//! [`crate::live::LiveSession`] ticks it as a trainee's input arrives. One loop body for both,
//! so a live session and the replay of its path give the same rows.

use crate::RunError;
use crate::field::ThicknessField;
use crate::hand::{HandPath, Tremor};
use crate::operator::Operator;
use crate::plan_run::PlanRun;
use crate::run::{AFTER_FAULT_S, FRESH_SKIN_MM, JAM_TORQUE_NM, interrupted, link_failed};
use crate::setup::{RunSetup, SeededWorld, active};
use needlebench_bridge::{Link, PenEvent};
use needlebench_physics::{Contact, PenParams, PenPlant, PlantTick};
use needlebench_protocol::{
    CartridgeInfo, FaultCode, FirmwareState, MAX_HALL_PERIOD_US, SensorFrame,
};
use needlebench_recording::{PunctureRow, RecordingWriter, TelemetryRow, ZoneRef};
use needlebench_scenario::{InjectedFault, Sensor};
use rand::Rng;
use rand_chacha::ChaCha8Rng;
use std::sync::atomic::{AtomicBool, Ordering};

/// The simulated world around the pen: plant, hand, skin and injected faults.
pub(crate) struct World {
    /// One tick, µs.
    period_us: u64,
    /// One tick, µs, as the plant takes it.
    dt_us: u32,
    /// The tick each of the scenario's injections starts at (in its order).
    inject_ticks: Vec<u64>,
    /// The pen's exposure without a plan, µm.
    pen_exposure_um: f64,
    pub(crate) hand: HandPath,
    tremor: Tremor,
    field: ThicknessField,
    pub(crate) operator: Operator,
    rng: ChaCha8Rng,
    stuck: [Option<f64>; 3],
    fresh_from_mm: [f64; 2],
    stroke: u64,
    /// The skin under the pen this tick (the site scaled to the local thickness), reused.
    local_site: needlebench_physics::Site,
    /// The injections in force this tick.
    active: Active,
    /// The treatment plan, when the scenario is one.
    pub(crate) plan: Option<PlanRun>,
}

/// The injections in force at one tick, found in one pass over the scenario's list.
#[derive(Debug, Clone, Copy, Default)]
struct Active {
    removed: bool,
    jam: bool,
    link_drop: bool,
    force_spike_n: Option<f64>,
    battery_sag_mv: Option<f64>,
    /// Per sensor (hall, current, battery): stuck at its last reading.
    stuck: [bool; 3],
    /// Some sensor-noise injection is in force (its draws are made in file order).
    noise: bool,
}

impl Active {
    fn at(inject: &[needlebench_scenario::Injection], t_s: f64) -> Active {
        let mut a = Active::default();
        for inj in inject.iter().filter(|i| active(i, t_s)) {
            match inj.fault {
                InjectedFault::CartridgeRemoved { .. } => a.removed = true,
                InjectedFault::CartridgeJam { .. } => a.jam = true,
                InjectedFault::LinkDrop { .. } => a.link_drop = true,
                InjectedFault::ForceSpike { force_n, .. } => {
                    a.force_spike_n.get_or_insert(force_n);
                }
                InjectedFault::BatterySag { drop_mv, .. } => {
                    a.battery_sag_mv.get_or_insert(drop_mv);
                }
                InjectedFault::SensorStuck { sensor, .. } => a.stuck[sensor_index(sensor)] = true,
                InjectedFault::SensorNoise { .. } => a.noise = true,
                InjectedFault::LinkGarbage { .. } => {}
            }
        }
        a
    }
}

fn sensor_index(s: Sensor) -> usize {
    match s {
        Sensor::Hall => 0,
        Sensor::Current => 1,
        Sensor::Battery => 2,
    }
}

/// One tick of the world, as recorded.
struct Sample {
    pen_mm: [f64; 2],
    force_n: f64,
    /// Tilt from the skin normal, degrees.
    tilt_deg: f64,
    on_skin: bool,
    /// False while a `cartridge_removed` injection is active.
    cartridge_present: bool,
}

/// A pen run in progress: the world, the plant, and the firmware's last answer.
pub(crate) struct Ticker {
    pub(crate) world: World,
    plant: PenPlant,
    duty_permille: u16,
    last: (FirmwareState, FaultCode, u8),
    /// After a pen fault: the tick the run ends at, and why.
    pub(crate) fault_end: Option<(u64, String)>,
    /// The next tick to run.
    pub(crate) tick: u64,
    /// One tick, µs.
    pub(crate) period_us: u64,
    /// Ticks per simulated second.
    pub(crate) ticks_per_s: u64,
    /// A copy of every puncture row written, kept for a live session to take
    /// ([`crate::live::LiveSession::drain_punctures`]); `None` (a plain run): none kept.
    pub(crate) tap: Option<Vec<PunctureRow>>,
}

impl Ticker {
    /// The world of `setup` over `link`, the hand following `hand` (with `plan`'s state for a
    /// treatment plan); the operator presses start at once and stops the pen at `stop_s`
    /// (`None`: not yet known; see [`Operator::stop_at`]).
    pub(crate) fn new(
        setup: &RunSetup<'_>,
        link: &Link,
        hand: HandPath,
        plan: Option<PlanRun>,
        operator: Operator,
    ) -> Result<Ticker, RunError> {
        let scenario = setup.scenario;
        let SeededWorld {
            rng,
            field,
            tremor,
            spread_seed,
        } = SeededWorld::of(scenario);
        let params = PenParams {
            battery_soc: setup.pen.battery_soc,
            ..PenParams::default()
        };
        let mut plant = PenPlant::new(params, setup.cartridge.clone())?;
        // Per-puncture spread (local thickness, force, relief) from its own draw of the seed.
        plant.set_spread_seed(spread_seed);
        let period_us = link.tick_period_us().max(1);
        let world = World {
            period_us,
            dt_us: u32::try_from(period_us).unwrap_or(u32::MAX),
            inject_ticks: scenario
                .inject
                .iter()
                .map(|inj| (inj.at_s * 1e6 / period_us as f64).round() as u64)
                .collect(),
            pen_exposure_um: setup.pen.exposure_um(),
            hand,
            tremor,
            field,
            operator,
            rng,
            stuck: [None; 3],
            fresh_from_mm: [f64::MAX, f64::MAX],
            stroke: 0,
            local_site: scenario.skin.site.clone(),
            active: Active::default(),
            plan,
        };
        plant.set_exposure_um(world.exposure_um())?;
        Ok(Ticker {
            tap: None,
            world,
            plant,
            duty_permille: 0,
            last: (FirmwareState::Off, FaultCode::None, 0),
            fault_end: None,
            tick: 0,
            period_us,
            ticks_per_s: (1_000_000 / period_us).max(1),
        })
    }

    /// Start of tick `tick`, s.
    pub(crate) fn t_s_of(&self, tick: u64) -> f64 {
        t_us_of(tick, self.period_us) as f64 / 1e6
    }

    /// Run the next tick; `Some(status)` when the run ends here instead (the grace after a
    /// pen fault is over, `stop` is set, the link failed), with nothing of this tick recorded
    /// but a link failure.
    pub(crate) fn tick(
        &mut self,
        setup: &RunSetup<'_>,
        link: &mut Link,
        writer: &mut RecordingWriter,
        stop: &AtomicBool,
    ) -> Result<Option<crate::RunStatus>, RunError> {
        let tick = self.tick;
        let period_us = self.period_us;
        if self.fault_end.as_ref().is_some_and(|(end, _)| tick >= *end) {
            return Ok(Some(crate::RunStatus::Complete));
        }
        if stop.load(Ordering::Relaxed) {
            return Ok(Some(interrupted(t_us_of(tick, period_us))));
        }
        let world = &mut self.world;
        let scenario = setup.scenario;
        let t_us = tick * period_us;
        let t_s = t_us as f64 / 1e6;
        if let Err(e) = world.start_injections(setup, tick, link, writer) {
            return link_failed(writer, tick, period_us, &e, stop).map(Some);
        }
        world.active = if scenario.inject.is_empty() {
            Active::default()
        } else {
            Active::at(&scenario.inject, t_s)
        };
        if let Some(plan) = &mut world.plan {
            for row in plan.events_due(t_s, tick, t_us) {
                writer.event(&row)?;
            }
            if let Some(exposure_um) = plan.exposure_change(t_s) {
                self.plant.set_exposure_um(exposure_um)?;
            }
        }
        let (mut telemetry, sensors) = {
            let (sample, out) = world.step(setup, &mut self.plant, t_s, self.duty_permille)?;
            for p in out.punctures {
                let offset = setup
                    .cartridge
                    .positions_mm()
                    .get(usize::from(p.needle_index));
                let offset = offset.copied().unwrap_or([0.0, 0.0]);
                let at_mm = [sample.pen_mm[0] + offset[0], sample.pen_mm[1] + offset[1]];
                let row = PunctureRow {
                    t_us,
                    stroke: world.stroke,
                    needle: p.needle_index,
                    x_mm: at_mm[0] as f32,
                    y_mm: at_mm[1] as f32,
                    depth_um: p.depth_um as f32,
                    layer: p.layer,
                    peak_force_n: p.peak_force_n as f32,
                    tenting_um: p.tenting_um as f32,
                    bleeding: p.bleeding,
                    zone: world
                        .plan
                        .as_ref()
                        .map_or(ZoneRef::NOT_RECORDED, |plan| plan.zone_of(at_mm)),
                };
                writer.puncture(&row)?;
                if let Some(tap) = &mut self.tap {
                    tap.push(row);
                }
            }
            world.stroke += u64::from(!out.punctures.is_empty());
            (
                telemetry_row(tick, t_us, &sample, &out, world.exposure_um()),
                world.sensors(setup, t_s, &out, &sample),
            )
        };
        let reply = match link.tick((!world.active.link_drop).then_some(&sensors)) {
            Ok(reply) => reply,
            Err(e) => {
                for ev in link.partial_events().to_vec() {
                    writer.event(&crate::events::firmware_event(tick, t_us, &ev))?;
                }
                fill_firmware(&mut telemetry, self.duty_permille, self.last);
                writer.telemetry(&telemetry)?;
                return link_failed(writer, tick, period_us, &e, stop).map(Some);
            }
        };
        self.duty_permille = reply.actuators.motor_duty_permille;
        self.last = (
            reply.actuators.state,
            reply.actuators.fault,
            reply.actuators.speed_level,
        );
        for ev in &reply.events {
            writer.event(&crate::events::firmware_event(tick, t_us, ev))?;
            if let (PenEvent::FaultRaised { code, .. }, None) = (ev, &self.fault_end) {
                let reason = format!("pen fault {} at t = {t_s:.3} s", code.name());
                let after_ticks = (AFTER_FAULT_S * self.ticks_per_s as f64) as u64;
                self.fault_end = Some((tick + after_ticks, reason));
            }
        }
        fill_firmware(&mut telemetry, self.duty_permille, self.last);
        writer.telemetry(&telemetry)?;
        self.tick += 1;
        Ok(None)
    }
}

impl World {
    /// Record injections that start at `tick`; write one-shot line noise.
    fn start_injections(
        &mut self,
        setup: &RunSetup<'_>,
        tick: u64,
        link: &mut Link,
        writer: &mut RecordingWriter,
    ) -> Result<(), needlebench_bridge::LinkError> {
        let starting = setup.scenario.inject.iter().zip(&self.inject_ticks);
        for (inj, _) in starting.filter(|(_, at)| **at == tick) {
            let row =
                crate::events::injection_event(tick, t_us_of(tick, self.period_us), &inj.fault);
            // A recording error here resurfaces at the next write.
            let _ = writer.event(&row);
            if let InjectedFault::LinkGarbage { bytes } = inj.fault {
                let garbage: Vec<u8> = (0..bytes).map(|_| self.rng.random::<u8>()).collect();
                link.inject_line_noise(&garbage)?;
            }
        }
        Ok(())
    }

    /// Advance the plant one tick at `t_s` under `duty_permille`.
    fn step<'p>(
        &mut self,
        setup: &RunSetup<'_>,
        plant: &'p mut PenPlant,
        t_s: f64,
        duty_permille: u16,
    ) -> Result<(Sample, PlantTick<'p>), RunError> {
        let scenario = setup.scenario;
        let at = self.hand.at(t_s);
        let wobble = self.tremor.at(t_s);
        let pen_mm = [at.pos_mm[0] + wobble[0], at.pos_mm[1] + wobble[1]];
        let active = self.active;
        let removed = active.removed;
        let on_skin = at.on_skin && !removed;
        let (plan_force_n, tilt_deg) = match &self.plan {
            Some(plan) => plan.path.force_tilt(self.hand.cursor()),
            None => (0.0, scenario.hand.tilt_deg),
        };
        let mut force_n = match (at.on_skin, &self.plan) {
            (false, _) => 0.0,
            (true, Some(_)) => plan_force_n,
            (true, None) => scenario.hand.force_at_s(t_s - self.operator.hand_start_s),
        };
        if let Some(spike) = active.force_spike_n {
            force_n = spike;
        }
        plant.set_jam_torque_nm(if active.jam { JAM_TORQUE_NM } else { 0.0 });
        if !on_skin || dist(pen_mm, self.fresh_from_mm) >= FRESH_SKIN_MM {
            plant.reset_precompression();
            self.fresh_from_mm = pen_mm;
        }
        let contact = match (on_skin, &mut self.plan) {
            (false, _) => Contact::OFF,
            (true, Some(plan)) => {
                let factor = self.field.factor_at(pen_mm);
                let offsets = setup.cartridge.positions_mm();
                let (site, needle_sites) = plan.skins(pen_mm, offsets, factor)?;
                Contact {
                    site: Some(site),
                    needle_sites,
                    hand_force_n: force_n,
                    tilt_deg,
                }
            }
            (true, None) => {
                let factor = self.field.factor_at(pen_mm);
                scenario
                    .skin
                    .site
                    .scale_into(factor, &mut self.local_site)?;
                Contact {
                    site: Some(&self.local_site),
                    needle_sites: None,
                    hand_force_n: force_n,
                    tilt_deg,
                }
            }
        };
        let out = plant.step(duty_permille, self.dt_us, &contact)?;
        Ok((
            Sample {
                pen_mm,
                force_n,
                tilt_deg,
                on_skin,
                cartridge_present: !removed,
            },
            out,
        ))
    }

    /// The exposure set on the pen now, µm: the plan's, else the scenario's.
    pub(crate) fn exposure_um(&self) -> f64 {
        self.plan
            .as_ref()
            .map_or(self.pen_exposure_um, |p| p.exposure_um)
    }

    /// What the pen's sensors read, with injected faults applied.
    fn sensors(
        &mut self,
        setup: &RunSetup<'_>,
        t_s: f64,
        out: &PlantTick<'_>,
        sample: &Sample,
    ) -> SensorFrame {
        let scenario = setup.scenario;
        let mut readings = [
            f64::from(out.hall_period_us),
            f64::from(out.motor_current_ma.max(0)),
            f64::from(out.battery_mv),
        ];
        let now = self.active;
        for (i, sensor) in [Sensor::Hall, Sensor::Current, Sensor::Battery]
            .into_iter()
            .enumerate()
        {
            if now.stuck[i] {
                readings[i] = *self.stuck[i].get_or_insert(readings[i]);
            } else {
                self.stuck[i] = None;
            }
            if !now.noise {
                continue;
            }
            for inj in &scenario.inject {
                if let InjectedFault::SensorNoise {
                    sensor: s,
                    amplitude,
                    ..
                } = inj.fault
                    && s == sensor
                    && active(inj, t_s)
                {
                    readings[i] += self.rng.random_range(-1.0..=1.0) * amplitude;
                }
            }
        }
        if let Some(drop_mv) = now.battery_sag_mv {
            readings[2] -= drop_mv;
        }
        SensorFrame {
            tick: 0,
            motor_current_ma: to_u16(readings[1]),
            hall_period_us: hall_reading_us(readings[0]),
            battery_mv: to_u16(readings[2]),
            depth_um: to_u16(self.exposure_um()),
            buttons: self.operator.buttons_at(t_s),
            cartridge: CartridgeInfo {
                present: sample.cartridge_present,
                id: setup.pen.cartridge_id,
                needle_count: u8::try_from(setup.cartridge.needle_count()).unwrap_or(u8::MAX),
            },
            skin_contact: sample.on_skin,
        }
    }
}

fn dist(a: [f64; 2], b: [f64; 2]) -> f64 {
    (a[0] - b[0]).hypot(a[1] - b[1])
}

fn to_u16(v: f64) -> u16 {
    v.round().clamp(0.0, f64::from(u16::MAX)) as u16
}

/// A hall reading as the wire carries it (`WIRE.md` §5.3): 0 or 1..=[`MAX_HALL_PERIOD_US`];
/// a longer period (the first pulse after a standstill measures the standstill) reads as 0.
fn hall_reading_us(reading_us: f64) -> u32 {
    let us = reading_us.round();
    if us > f64::from(MAX_HALL_PERIOD_US) || us.is_nan() {
        0
    } else {
        us.max(0.0) as u32
    }
}

/// Start of `tick`, µs.
pub(crate) fn t_us_of(tick: u64, period_us: u64) -> u64 {
    tick * period_us
}

fn telemetry_row(
    tick: u64,
    t_us: u64,
    s: &Sample,
    out: &PlantTick<'_>,
    exposure_um: f64,
) -> TelemetryRow {
    let stroke_hz = if out.hall_period_us > 0 {
        1e6 / f64::from(out.hall_period_us)
    } else {
        0.0
    };
    TelemetryRow {
        t_us,
        tick: tick as u32,
        pen_x_mm: s.pen_mm[0] as f32,
        pen_y_mm: s.pen_mm[1] as f32,
        hand_force_n: s.force_n as f32,
        tilt_deg: s.tilt_deg as f32,
        skin_contact: s.on_skin,
        needle_z_um: out.needle_z_um as f32,
        needle_peak_um: out.needle_peak_um as f32,
        exposure_um: exposure_um as f32,
        motor_duty: 0.0,
        motor_current_ma: out.motor_current_ma as f32,
        stroke_hz: stroke_hz as f32,
        battery_mv: out.battery_mv as f32,
        speed_level: 0,
        state: FirmwareState::Off,
        fault: FaultCode::None,
    }
}

/// The firmware's side of a telemetry row: what it commanded and its state after the tick.
fn fill_firmware(row: &mut TelemetryRow, duty_permille: u16, last: (FirmwareState, FaultCode, u8)) {
    row.motor_duty = f32::from(duty_permille) / 1000.0;
    (row.state, row.fault, row.speed_level) = last;
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hall_reading_over_100_ms_reads_as_stopped() {
        // The first pulse after a 36 s standstill, and one just past the 100 ms timeout.
        assert_eq!(hall_reading_us(36_000_000.0), 0);
        assert_eq!(hall_reading_us(102_600.0), 0);
        assert_eq!(hall_reading_us(100_000.0), 100_000);
        assert_eq!(hall_reading_us(7_692.4), 7_692);
        assert_eq!(hall_reading_us(-40.0), 0);
        assert_eq!(hall_reading_us(f64::NAN), 0);
    }
}
