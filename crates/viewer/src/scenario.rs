//! Opening a scenario file: run it first into a recording directory — a pen scenario against
//! the in-process reference pen (lockstep, deterministic), a roller or stamp scenario (no
//! firmware) with the device runner — then replay that recording.

use crate::error::ViewerError;
use needlebench_bridge::{ClockMode, LinkOptions};
use needlebench_runner::pen::{PenChoice, firmware_config, open_link};
use needlebench_runner::{DeviceSetup, RunSetup, run_device};
use needlebench_scenario::Scenario;
use std::path::Path;
use std::sync::atomic::AtomicBool;

/// Run the scenario at `path` (a pen's against the in-process pen) into the recording
/// directory `out`.
/// The recording holds an exact copy of the scenario (and of the files it read), which
/// [`crate::Replay::open`] checks it against.
pub fn run_scenario(path: &Path, out: &Path) -> Result<(), ViewerError> {
    run_scenario_into(path, out, false)
}

/// [`run_scenario`]; with `replace`, an earlier recording at `out` is replaced (the viewer's
/// own temporary directory for a scenario opened again), never a directory of other files.
pub fn run_scenario_into(path: &Path, out: &Path, replace: bool) -> Result<(), ViewerError> {
    let scenario = Scenario::from_path(path)?;
    let fail = |detail: String| ViewerError::Run {
        path: path.to_owned(),
        detail,
    };
    if !scenario.device.kind().has_firmware() {
        let setup = DeviceSetup::new(&scenario).map_err(|e| fail(e.to_string()))?;
        let writer = setup
            .create_recording(out, replace)
            .map_err(|e| fail(e.to_string()))?;
        run_device(&setup, writer, |_| {}, &AtomicBool::new(false))
            .map_err(|e| fail(e.to_string()))?;
        return Ok(());
    }
    let config = firmware_config(&scenario);
    let setup = RunSetup::new(&scenario, &config).map_err(|e| fail(e.to_string()))?;
    let opts = LinkOptions {
        clock: ClockMode::Lockstep,
        ..LinkOptions::default()
    };
    let mut link =
        open_link(&PenChoice::InProcess, config, opts).map_err(|e| fail(e.to_string()))?;
    let meta = setup.recording_meta(
        &link,
        &PenChoice::InProcess.transport_name(),
        ClockMode::Lockstep,
    );
    let writer = setup
        .create_recording(out, meta, replace)
        .map_err(|e| fail(e.to_string()))?;
    needlebench_runner::run(&setup, &mut link, writer, |_| {}).map_err(|e| fail(e.to_string()))?;
    Ok(())
}
