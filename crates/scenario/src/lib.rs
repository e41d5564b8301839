//! Scenario files of needlebench: the TOML schema, parsing with precise errors, validation.
//!
//! A scenario describes one simulated treatment: the skin ([`Skin`]), the pen and its settings
//! ([`Pen`]), which firmware the bench talks to ([`Firmware`]), how the hand moves and presses
//! ([`Hand`]), which faults are injected when ([`Injection`]) and what the checker must hold
//! the run to ([`Expect`]). The runner turns a [`Scenario`] into a simulation; the checker
//! evaluates its [`Expect`] against the recording. The schema reference for people who write
//! scenarios is `scenarios/README.md`.
//!
//! ```
//! use needlebench_scenario::Scenario;
//! let text = r#"
//! name = "demo"
//! [skin]
//! site = "forehead"
//! [pen]
//! cartridge = "12"
//! exposure_mm = 0.5
//! speed_level = 6
//! [hand]
//! area = { rect = { x_mm = 0.0, y_mm = 0.0, width_mm = 20.0, height_mm = 10.0 } }
//! pattern = "straight"
//! "#;
//! let s = Scenario::from_str(text, "demo.toml".as_ref()).unwrap();
//! assert_eq!(s.hand.area.area_cm2(), 2.0);
//! ```
//!
//! # Treatment plans
//! A scenario with `[plan]` is a whole-face treatment ([`Plan`]): zones of a face map
//! (`needlebench-face`; the built-in `adult-frontal` or a file) treated in order, each with
//! its exposure and technique ([`PlanZone`]), with the operator's pauses and depth changes
//! between zones. `[hand]` then holds only tremor and tilt, `[skin]` only the thickness
//! variation, and `[pen]` no exposure; [`Scenario::skin`] and [`Scenario::hand`] describe
//! the first zone (see their docs). An error in a face map file keeps the face map file's
//! own position ([`ScenarioError::FaceMap`]).
//!
//! # Matrices
//! A file with a `[matrix]` table is a set of variants (GitHub Actions' matrix semantics):
//! [`ScenarioFile`] reads any file and lists its variants ([`Variant`]: name, seed, values),
//! and builds each variant's [`Scenario`] on demand. [`Scenario::from_path`] refuses such a
//! file. The rules (names, seeds, directory names) are in [`variant`] and [`matrix`].
//!
//! # Errors
//! Every [`ScenarioError`] names the file, line and column of the offending key or value and
//! says what is allowed, rustc style (`scenarios/foo.toml:12:5: unknown key `glide_speed` in
//! [hand]; allowed: area, pattern, glide_mm_s, …`). Unknown keys are errors everywhere.
//!
//! # Paths
//! Relative paths in a scenario (`hand.waypoints_csv`, `plan.face_map`, a plan zone's
//! `waypoints_csv`, `expect.golden`) are resolved against
//! the directory of the scenario file.

mod describe;
pub mod device;
mod doc;
pub mod error;
pub mod expect;
pub mod matrix;
pub mod model;
pub mod plan;
mod raw;
mod validate;
mod validate_device;
mod validate_hand;
mod validate_inject_expect;
mod validate_plan;
pub mod variant;
pub mod waypoints;

pub use error::{Location, ScenarioError};
pub use expect::{BELOW_HYPODERMIS, Expect, NON_FACIAL_SITES};
pub use matrix::{ExpandOptions, VARIANT_HARD_LIMIT, VARIANT_LIMIT};
pub use model::{
    Area, BoundingBox, Device, Firmware, FirmwareLink, Force, Hand, INJECTION_KINDS, InjectedFault,
    Injection, Pattern, Pen, Plan, PlanZone, Scenario, Sensor, Skin, Source, Speed, Waypoint,
};
pub use needlebench_face::{FaceMap, FaceMapError, FaceMapErrorKind, Zone};
pub use needlebench_protocol::{ClockMode, FaultCode};
pub use validate_device::STAMP_PRESS_MM_S;
pub use validate_hand::{DEFAULT_FORCE_N, DEFAULT_GLIDE_MM_S};
pub use validate_plan::{DEFAULT_DEPTH_CHANGE_S, DEFAULT_PAUSE_S};
pub use variant::{MatrixValue, ScenarioFile, Variant, name_value, variant_seed};
pub use waypoints::{load_path, load_waypoints, parse_path, parse_waypoints};

use std::path::{Path, PathBuf};

impl Scenario {
    /// Reads and validates the scenario file at `path`.
    pub fn from_path(path: &Path) -> Result<Scenario, ScenarioError> {
        let text = std::fs::read_to_string(path).map_err(|source| ScenarioError::Io {
            path: path.to_owned(),
            source,
        })?;
        Scenario::from_str(&text, path)
    }

    /// Parses and validates `text`; `origin` names the file in errors and is the base of the
    /// relative paths in it (it need not exist if the scenario has none).
    #[allow(clippy::should_implement_trait)]
    pub fn from_str(text: &str, origin: &Path) -> Result<Scenario, ScenarioError> {
        validate::parse(text, origin, &std::collections::BTreeMap::new())
    }

    /// Reads the scenario copy stored in a recording: `copy` is the copy's path, and
    /// `files` maps each path as written in the scenario to its copy (so the copy finds the
    /// copies of the files it read, wherever the recording now lies). Paths not in `files`
    /// resolve against the copy's directory, as for [`Scenario::from_path`].
    pub fn from_copy(
        copy: &Path,
        files: &std::collections::BTreeMap<String, PathBuf>,
    ) -> Result<Scenario, ScenarioError> {
        let text = std::fs::read_to_string(copy).map_err(|source| ScenarioError::Io {
            path: copy.to_owned(),
            source,
        })?;
        validate::parse(&text, copy, files)
    }
}

/// The scenario files named by `paths`: files as given (any extension), directories searched
/// recursively for `*.toml`, skipping directories that are recordings (they hold a
/// `meta.toml`); sorted and without duplicates.
///
/// A path that does not exist or a directory that cannot be read is an error.
pub fn find_scenarios<P: AsRef<Path>>(paths: &[P]) -> Result<Vec<PathBuf>, ScenarioError> {
    let mut out = Vec::new();
    for p in paths {
        let p = p.as_ref();
        let meta = std::fs::metadata(p).map_err(|source| ScenarioError::Io {
            path: p.to_owned(),
            source,
        })?;
        if meta.is_dir() {
            walk(p, &mut out)?;
        } else {
            out.push(p.to_owned());
        }
    }
    out.sort();
    out.dedup();
    Ok(out)
}

fn walk(dir: &Path, out: &mut Vec<PathBuf>) -> Result<(), ScenarioError> {
    let io = |source| ScenarioError::Io {
        path: dir.to_owned(),
        source,
    };
    for entry in std::fs::read_dir(dir).map_err(io)? {
        let path = entry.map_err(io)?.path();
        if path.is_dir() {
            // A recording (it holds meta.toml) is data, not scenarios: its scenario copy and
            // meta.toml are never taken for scenarios to run.
            if !path.join("meta.toml").is_file() {
                walk(&path, out)?;
            }
        } else if path.extension().is_some_and(|e| e == "toml") {
            out.push(path);
        }
    }
    Ok(())
}
