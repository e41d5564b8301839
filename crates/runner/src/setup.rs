//! A scenario resolved for the simulation: the cartridge object, the speed level the
//! operator selects, the hand's path specification, and the recording's start.

use crate::RunError;
use crate::hand::{MotionSpec, Pattern};
use crate::plan::{PlanSpec, PlanStep, StepPattern, Waypoint};
use needlebench_bridge::{ClockMode, Link, LinkError};
use needlebench_firmware::FirmwareConfig;
use needlebench_physics::Cartridge;
use needlebench_recording::{
    CreateOptions, EndReason, FaceMapCopy, FirmwareMeta, LayersUm, META_FILE, Meta, RecordingError,
    RecordingWriter, RunStatus, ScenarioCopy, ScenarioMeta, SetupMeta, scenario_hash,
};
use needlebench_scenario::{Injection, Pattern as ScenarioPattern, Pen, Scenario};
use std::path::Path;

/// What a pen run needs beyond the scenario itself.
#[derive(Debug, Clone)]
pub struct RunSetup<'s> {
    /// The scenario.
    pub scenario: &'s Scenario,
    /// Its pen.
    pub pen: &'s Pen,
    /// The cartridge.
    pub cartridge: Cartridge,
    /// The speed level the operator selects, 1–6.
    pub speed_level: u8,
    /// The stroke frequency of that level, Hz.
    pub target_stroke_hz: f64,
    /// The hand's path (of a single-area scenario; unused with a plan).
    pub motion: MotionSpec,
    /// The treatment plan, when the scenario is one.
    pub plan: Option<PlanSetup>,
}

/// A treatment plan resolved for a run: its steps and the face map they lie on.
#[derive(Debug, Clone)]
pub struct PlanSetup {
    /// The steps, pauses and depth changes.
    pub spec: PlanSpec,
    /// The face map.
    pub face_map: std::sync::Arc<needlebench_face::FaceMap>,
    /// The face map as the plan names it (a built-in's name or the file as written); the
    /// recording's `[scenario] face_map`.
    pub face_map_ref: String,
}

/// The hand's path specification of `scenario`.
pub fn motion_of(scenario: &Scenario) -> MotionSpec {
    let hand = &scenario.hand;
    let pattern = match &hand.pattern {
        ScenarioPattern::Straight => Pattern::Straight {
            angle_deg: hand.angles_deg.first().copied().unwrap_or(0.0),
        },
        ScenarioPattern::Crosshatch => Pattern::Crosshatch {
            angles_deg: hand.angles_deg.clone(),
        },
        ScenarioPattern::Spiral => Pattern::Spiral,
        ScenarioPattern::Stamping => Pattern::Stamping {
            pitch_mm: hand.stamp_pitch_mm,
            dwell_s: hand.stamp_dwell_ms / 1000.0,
        },
        ScenarioPattern::Freehand { waypoints, .. } => Pattern::Freehand {
            waypoints: waypoints.iter().map(|w| (w.t_s, w.x_mm, w.y_mm)).collect(),
        },
    };
    MotionSpec {
        area: hand.area.polygon(),
        pattern,
        glide_mm_s: hand.glide_mm_s,
        passes: hand.passes,
        line_spacing_mm: hand.line_spacing_mm,
    }
}

/// The treatment plan of `scenario` resolved for the runner; `None` for a one-area scenario.
/// The pen starts at `pen`'s exposure (the first zone's unless `[pen] exposure_mm` says
/// otherwise).
pub fn plan_of(scenario: &Scenario, pen: &Pen) -> Option<PlanSetup> {
    let plan = scenario.plan.as_ref()?;
    let steps = plan
        .zones
        .iter()
        .map(|z| PlanStep {
            zone: z.zone,
            exposure_um: z.exposure_mm * 1000.0,
            pattern: match &z.pattern {
                ScenarioPattern::Straight => StepPattern::Area(Pattern::Straight {
                    angle_deg: z.angles_deg.first().copied().unwrap_or(0.0),
                }),
                ScenarioPattern::Crosshatch => StepPattern::Area(Pattern::Crosshatch {
                    angles_deg: z.angles_deg.clone(),
                }),
                ScenarioPattern::Spiral => StepPattern::Area(Pattern::Spiral),
                ScenarioPattern::Stamping => StepPattern::Area(Pattern::Stamping {
                    pitch_mm: z.stamp_pitch_mm,
                    dwell_s: z.stamp_dwell_ms / 1000.0,
                }),
                ScenarioPattern::Freehand { waypoints, .. } => StepPattern::Freehand(
                    waypoints
                        .iter()
                        .map(|w| Waypoint {
                            t_s: w.t_s,
                            pos_mm: [w.x_mm, w.y_mm],
                            force_n: w.force_n,
                            tilt_deg: w.tilt_deg,
                        })
                        .collect(),
                ),
            },
            line_spacing_mm: z.line_spacing_mm,
            // The hand's own glide and force: a trainee's deviation from the plan's target
            // when the scenario writes one (the target is what checks and scores judge).
            glide_mm_s: z.hand_glide_mm_s(),
            passes: z.passes,
            force_n: z.hand_force_n(),
            tilt_deg: z.tilt_deg,
            offset_mm: z.offset_mm,
            overshoot_mm: z.overshoot_mm,
        })
        .collect();
    Some(PlanSetup {
        spec: PlanSpec {
            steps,
            pause_s: plan.pause_s,
            depth_change_s: plan.depth_change_s,
            start_exposure_um: pen.exposure_um(),
        },
        face_map: plan.face_map.clone(),
        face_map_ref: plan.face_map_ref.clone(),
    })
}

impl<'s> RunSetup<'s> {
    /// Resolve a pen `scenario` against the firmware's speed levels; a roller or stamp
    /// scenario is [`RunError::NotAPen`] (run it with [`crate::run_device`]).
    pub fn new(scenario: &'s Scenario, firmware: &FirmwareConfig) -> Result<Self, RunError> {
        let Some(pen) = scenario.pen() else {
            return Err(RunError::NotAPen(scenario.device.kind()));
        };
        let levels = firmware.speed_levels_hz;
        let levels_hz: Vec<f64> = levels.iter().map(|&hz| f64::from(hz)).collect();
        let speed_level = pen.speed.level_for(&levels_hz);
        let target_stroke_hz = f64::from(levels[usize::from(speed_level - 1)]);
        Ok(RunSetup {
            scenario,
            pen,
            cartridge: pen.cartridge.clone(),
            speed_level,
            target_stroke_hz,
            motion: motion_of(scenario),
            plan: plan_of(scenario, pen),
        })
    }

    /// The `meta.toml` a recording of this run starts with: the scenario's identity, the pen
    /// the link reached over `transport` (as [`crate::pen::PenChoice::transport_name`] names
    /// it) under `clock`, and the setup the checker and viewer need.
    pub fn recording_meta(&self, link: &Link, transport: &str, clock: ClockMode) -> Meta {
        let pen = link.pen();
        let mut meta = base_meta(self.scenario);
        meta.firmware = FirmwareMeta {
            name: pen.firmware_name.clone(),
            version: pen.firmware_version.clone(),
            protocol_version: u32::from(pen.protocol_version),
            transport: transport.to_owned(),
            clock,
        };
        meta.setup.target_stroke_hz = self.target_stroke_hz;
        meta
    }

    /// The recording of a run whose pen was never reached (a pen command that printed no
    /// pty, a pen of another protocol version, no answer to the hello): no tick, a link
    /// failure event, and `meta.toml` marked incomplete (`link_failure`) with `error` as the
    /// reason, so the run leaves the same trace as one that failed later. The pen's name and
    /// versions are `unknown` / 0 unless the error says them.
    pub fn record_unreached(
        &self,
        out: &Path,
        transport: &str,
        clock: ClockMode,
        replace: bool,
        error: &LinkError,
    ) -> Result<Meta, RunError> {
        let (name, protocol_version) = match error {
            LinkError::VersionMismatch { firmware, pen, .. } => (firmware.clone(), u32::from(*pen)),
            _ => ("unknown".to_owned(), 0),
        };
        let mut meta = base_meta(self.scenario);
        meta.firmware = FirmwareMeta {
            name,
            version: "unknown".to_owned(),
            protocol_version,
            transport: transport.to_owned(),
            clock,
        };
        meta.setup.target_stroke_hz = self.target_stroke_hz;
        let mut writer = self.create_recording(out, meta, replace)?;
        writer.event(&crate::events::link_failure_event(0, 0, error))?;
        let status = RunStatus::Incomplete {
            end: EndReason::LinkFailure,
            reason: format!("link failure before the first tick: {error}"),
        };
        Ok(writer.finish(status)?)
    }

    /// Start the recording of this run at `out` ([`create_recording`]).
    pub fn create_recording(
        &self,
        out: &Path,
        meta: Meta,
        replace: bool,
    ) -> Result<RecordingWriter, RunError> {
        create_recording(self.scenario, out, meta, replace)
    }
}

/// The part of `meta.toml` any device's recording shares: the scenario's identity and the
/// setup the checker and viewer need (device, needles, travel, area, the skin's column).
pub fn base_meta(scenario: &Scenario) -> Meta {
    let device = &scenario.device;
    Meta {
        scenario: ScenarioMeta {
            name: scenario.name.clone(),
            path: scenario.source.path.display().to_string(),
            hash: scenario_hash(scenario.source.text.as_bytes()),
            seed: scenario.seed,
            variant: scenario
                .variant
                .as_ref()
                .map(|v| v.name.clone())
                .unwrap_or_default(),
            ..ScenarioMeta::default()
        },
        setup: SetupMeta {
            device: device.kind(),
            site: scenario.skin.site.name.clone(),
            cartridge: device.needles_name(),
            needle_count: u16::try_from(device.needle_count()).unwrap_or(u16::MAX),
            exposure_um: device.needle_travel_um(),
            target_stroke_hz: 0.0,
            area: scenario.hand.area.polygon(),
            layers_um: LayersUm::from_site(&scenario.skin.site),
        },
        ..Meta::default()
    }
}

/// Start the recording of a run of `scenario` at `out`: `meta` plus an exact copy of the
/// scenario file and of every file it read, so the recording can be checked anywhere later.
/// `replace` allows replacing an existing recording at `out` (never a directory of other
/// files; see [`RecordingWriter::create_with`]).
pub fn create_recording(
    scenario: &Scenario,
    out: &Path,
    meta: Meta,
    replace: bool,
) -> Result<RecordingWriter, RunError> {
    let source = &scenario.source;
    let read = |path: &Path| {
        std::fs::read(path).map_err(|e| RecordingError::Io {
            path: path.to_owned(),
            action: "read",
            source: e,
        })
    };
    let mut files = Vec::new();
    for (written, path) in &source.files {
        if path.is_dir() {
            // A golden recording: its meta and rows (not its own scenario copy).
            for name in [META_FILE, "telemetry.csv", "punctures.csv", "events.csv"] {
                let file = path.join(name);
                if file.is_file() {
                    files.push((format!("{written}/{name}"), read(&file)?));
                }
            }
        } else {
            files.push((written.clone(), read(path)?));
        }
    }
    let options = CreateOptions {
        replace,
        scenario: Some(ScenarioCopy {
            text: source.text.as_bytes(),
            files: &files,
        }),
        face_map: scenario.plan.as_ref().map(|plan| FaceMapCopy {
            name: &plan.face_map_ref,
            text: &plan.face_map.text,
        }),
    };
    Ok(RecordingWriter::create_with(out, meta, options)?)
}

/// The seeded parts of a run's world, drawn in this order from the scenario's seed by every
/// kind of run (pen, roller, stamp): the skin's thickness field, the hand's tremor, and the
/// seed of the per-puncture spread; then the stream that is left (sensor noise, line noise).
pub struct SeededWorld {
    /// What is left of the stream.
    pub rng: rand_chacha::ChaCha8Rng,
    /// Local thickness over the skin.
    pub field: crate::field::ThicknessField,
    /// The hand's tremor.
    pub tremor: crate::hand::Tremor,
    /// Seed of the physics' per-puncture spread.
    pub spread_seed: u64,
}

impl SeededWorld {
    /// Draw the world of `scenario`.
    pub fn of(scenario: &Scenario) -> Self {
        use rand::{Rng, SeedableRng};
        let mut rng = rand_chacha::ChaCha8Rng::seed_from_u64(scenario.seed);
        let skin = &scenario.skin;
        let field = crate::field::ThicknessField::new(
            skin.thickness_variation,
            skin.variation_length_mm,
            &mut rng,
        );
        let tremor =
            crate::hand::Tremor::new(scenario.hand.tremor_mm, scenario.hand.tremor_hz, &mut rng);
        let spread_seed = rng.random::<u64>();
        SeededWorld {
            rng,
            field,
            tremor,
            spread_seed,
        }
    }
}

/// Whether `injection` is active at `t_s` (one-shot faults are never "active").
pub fn active(injection: &Injection, t_s: f64) -> bool {
    t_s >= injection.at_s && t_s < injection.at_s + injection.fault.duration_s()
}
