//! Integration tests of the face crate: the default map, lookup, geometry and every error
//! kind with its position.

// Values read from a file are compared exactly with the values written there.
#![allow(clippy::float_cmp)]

mod default_map;
mod errors;
mod geometry;
mod lookup;

use needlebench_face::{FaceMap, FaceMapError};
use std::path::Path;

/// A small valid map: a 100 × 100 mm face with two squares sharing the border x = 50 and a
/// triangle above them. Line numbers matter to the error tests: the `outline` of zone `b`
/// is on line 18.
pub(crate) const SMALL: &str = r#"name = "small"
outline = [[0.0, 0.0], [100.0, 0.0], [100.0, 100.0], [0.0, 100.0], [0.0, 0.0]]

[[zone]]
id = "a"
label = "zone a"
site = "cheek"
depth_mm = [0.5, 1.0]
density_per_cm2 = [1000.0, 2000.0]
outline = [[10.0, 10.0], [50.0, 10.0], [50.0, 50.0], [10.0, 50.0], [10.0, 10.0]]

[[zone]]
id = "b"
label = "zone b"
site = "forehead"
depth_mm = [0.25, 0.5]
density_per_cm2 = [0.0, 2000.0]
outline = [[50.0, 10.0], [90.0, 10.0], [90.0, 50.0], [50.0, 50.0], [50.0, 10.0]]

[[zone]]
id = "c"
label = "zone c"
site = "nose"
depth_mm = [0.25, 0.25]
density_per_cm2 = [10.0, 20.0]
outline = [[20.0, 60.0], [80.0, 60.0], [50.0, 90.0], [20.0, 60.0]]
"#;

/// Parses `text` as `test.toml`.
pub(crate) fn parse(text: &str) -> Result<FaceMap, FaceMapError> {
    FaceMap::parse(text, Path::new("test.toml"))
}

/// The small map.
pub(crate) fn small() -> FaceMap {
    parse(SMALL).unwrap_or_else(|e| panic!("{e}"))
}

/// `SMALL` with the first occurrence of `from` replaced by `to` (which must occur).
pub(crate) fn small_with(from: &str, to: &str) -> String {
    assert!(SMALL.contains(from), "`{from}` not in SMALL");
    SMALL.replacen(from, to, 1)
}
