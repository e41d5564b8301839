//! Integration tests of needlebench-scenario: the shipped library, every error class, helpers.

// Parsed values are copies of the literals in the file (no arithmetic), so they compare
// exactly; computed values are compared with a tolerance.
#![allow(clippy::float_cmp)]

mod errors;
mod helpers;
mod library;
mod matrix;
mod plan;

use needlebench_scenario::{Scenario, ScenarioError};

/// A minimal valid scenario; line numbers matter to the error tests:
/// 1 name, 2 [skin], 3 site, 4 [pen], 5 cartridge, 6 exposure_mm, 7 speed_level, 8 [hand],
/// 9 area, 10 pattern.
pub const BASE: &str = r#"name = "t"
[skin]
site = "forehead"
[pen]
cartridge = "12"
exposure_mm = 0.5
speed_level = 6
[hand]
area = { rect = { x_mm = 0.0, y_mm = 0.0, width_mm = 20.0, height_mm = 10.0 } }
pattern = "straight"
"#;

/// Parses `text` as if read from `s/t.toml`.
pub fn parse(text: &str) -> Result<Scenario, ScenarioError> {
    Scenario::from_str(text, "s/t.toml".as_ref())
}

/// The error `text` must produce, as displayed.
pub fn error(text: &str) -> String {
    match parse(text) {
        Ok(s) => panic!("expected an error, parsed {:?}", s.name),
        Err(e) => e.to_string(),
    }
}
