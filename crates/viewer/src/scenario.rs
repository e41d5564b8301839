//! Opening a scenario file: run it first against the in-process reference pen (lockstep,
//! deterministic) into a recording directory, then replay that recording.

use crate::error::ViewerError;
use needlebench_bridge::{ClockMode, LinkOptions};
use needlebench_recording::{
    Clock, FirmwareMeta, LayersUm, Meta, RecordingWriter, ScenarioMeta, SetupMeta,
};
use needlebench_runner::RunSetup;
use needlebench_runner::pen::{PenChoice, firmware_config, open_link};
use needlebench_scenario::{Expect, Scenario};
use std::path::Path;

/// Run the scenario at `path` against the in-process pen into the recording directory `out`;
/// returns the scenario's expectations, to check the recording against.
pub fn run_scenario(path: &Path, out: &Path) -> Result<Expect, ViewerError> {
    let scenario = Scenario::from_path(path)?;
    let fail = |detail: String| ViewerError::Run {
        path: path.to_owned(),
        detail,
    };
    let config = firmware_config(&scenario);
    let setup = RunSetup::new(&scenario, &config).map_err(|e| fail(e.to_string()))?;
    let opts = LinkOptions {
        clock: ClockMode::Lockstep,
        ..LinkOptions::default()
    };
    let mut link =
        open_link(&PenChoice::InProcess, config, opts).map_err(|e| fail(e.to_string()))?;
    let meta = Meta {
        scenario: ScenarioMeta {
            name: scenario.name.clone(),
            path: scenario.source.path.display().to_string(),
            hash: needlebench_recording::scenario_hash(scenario.source.text.as_bytes()),
            seed: scenario.seed,
        },
        firmware: FirmwareMeta {
            name: link.pen().firmware_name.clone(),
            version: link.pen().firmware_version.clone(),
            protocol_version: u32::from(link.pen().protocol_version),
            transport: PenChoice::InProcess.transport_name(),
            clock: Clock::Lockstep,
        },
        setup: SetupMeta {
            site: scenario.skin.site.name.clone(),
            cartridge: setup.cartridge.name().to_owned(),
            needle_count: u16::try_from(setup.cartridge.needle_count()).unwrap_or(u16::MAX),
            exposure_um: scenario.pen.exposure_um(),
            target_stroke_hz: setup.target_stroke_hz,
            area: scenario.hand.area.polygon(),
            layers_um: LayersUm::from_fn(|l| scenario.skin.site.layer(l).thickness_um),
        },
        ..Meta::default()
    };
    let writer = RecordingWriter::create(out, meta).map_err(|source| ViewerError::Recording {
        dir: out.to_owned(),
        source,
    })?;
    needlebench_runner::run(&setup, &mut link, writer, |_| {}).map_err(|e| fail(e.to_string()))?;
    Ok(scenario.expect)
}
