//! Opening a scenario file: run it first against the in-process reference pen (lockstep,
//! deterministic) into a recording directory, then replay that recording.

use crate::error::ViewerError;
use needlebench_bridge::{ClockMode, LinkOptions};
use needlebench_recording::RecordingWriter;
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
    let meta = setup.recording_meta(
        &link,
        &PenChoice::InProcess.transport_name(),
        ClockMode::Lockstep,
    );
    let writer = RecordingWriter::create(out, meta).map_err(|source| ViewerError::Recording {
        dir: out.to_owned(),
        source,
    })?;
    needlebench_runner::run(&setup, &mut link, writer, |_| {}).map_err(|e| fail(e.to_string()))?;
    Ok(scenario.expect)
}
