//! Face maps: the face as data, for whole-face treatment plans.
//!
//! A face map is a frontal layout in mm of named **zones** (forehead, cheeks, nose, …), each
//! a simple polygon with its skin (a built-in site of `needlebench-physics` or a custom
//! stack), the exposure range a depth chart recommends for it and the puncture density band
//! a treatment should reach. Scenarios name a face map in `[plan]`; the runner asks
//! [`FaceMap::zone_at`] which zone each needle lands in, the checks and the scorer judge
//! each zone against its own limits, and the viewer draws the zones.
//!
//! # Coordinates
//! x grows toward the viewer's right (the **patient's left**), y grows up (toward the
//! hairline), origin at the bottom-left corner of the layout, so every coordinate is in
//! 0–1000 mm. `left_`/`right_` in zone ids are the patient's left and right (clinical
//! convention): `left_cheek` lies at larger x than `right_cheek`.
//!
//! # The file format
//! TOML, documented in `crates/face/FACEMAP.md`; the built-in maps are compiled in
//! ([`FaceMap::builtin`]). Rings are written closed (the last point repeats the first) and
//! stored without the closing point. Zones may share borders but not area, and lie inside
//! the face `outline`; gaps between zones (eyes, mouth, nostrils) are untreated skin.
//!
//! # Errors
//! Every [`FaceMapError`] names the file, line and column of the offending key, value or
//! point and has a [`FaceMapErrorKind`]; unknown keys are errors.
//!
//! # Lookup
//! [`FaceMap::zone_at`] reads one cell of a uniform grid over the map (cells of about
//! 4 mm, each listing the zones whose bounding boxes touch it) and runs the exact
//! point-in-polygon test on those candidates. A point on a border shared by two zones
//! belongs to exactly one of them ([`geometry`]'s half-open rule), so lookups are
//! deterministic and every puncture is counted once.

pub mod error;
pub mod geometry;
mod index;
mod parse;

pub use error::{FaceMapError, FaceMapErrorKind, Location};
pub use parse::{COORD_MAX_MM, DENSITY_MAX_PER_CM2, DEPTH_MAX_MM};

use index::GridIndex;
use needlebench_physics::Site;
use std::path::Path;
use std::sync::LazyLock;

/// One treatment zone of a face map.
#[derive(Debug, Clone, PartialEq)]
pub struct Zone {
    /// Identifier, `[a-z0-9_]+`, unique in its map (`left_cheek`).
    pub id: String,
    /// Name shown to people (`left cheek`).
    pub label: String,
    /// The skin of the zone.
    pub site: Site,
    /// The built-in site's name, or `custom` for a `[zone.custom]` stack.
    pub site_name: String,
    /// Recommended exposure range for this zone (a depth chart's), mm: `[lo, hi]`.
    pub depth_mm: [f64; 2],
    /// Target puncture density band for one treatment, punctures/cm²: `[lo, hi]`.
    pub density_per_cm2: [f64; 2],
    /// The zone's outline, mm: a simple ring, without the repeated closing point.
    pub outline_mm: Vec<[f64; 2]>,
}

impl Zone {
    /// Area, mm².
    pub fn area_mm2(&self) -> f64 {
        geometry::area_mm2(&self.outline_mm)
    }

    /// Centre of area, mm (for a concave zone it may lie outside the zone).
    pub fn centroid_mm(&self) -> [f64; 2] {
        geometry::centroid_mm(&self.outline_mm)
    }

    /// Whether the point (mm) lies in the zone (borders: see [`geometry`]).
    pub fn contains(&self, p_mm: [f64; 2]) -> bool {
        geometry::contains(&self.outline_mm, p_mm)
    }

    /// Bounding box, mm: `[[min_x, min_y], [max_x, max_y]]`.
    pub fn bbox_mm(&self) -> [[f64; 2]; 2] {
        geometry::bbox_mm(&self.outline_mm)
    }
}

/// A parsed and validated face map.
#[derive(Debug, Clone, PartialEq)]
pub struct FaceMap {
    /// Identifier, `[a-z0-9_.-]+` (`adult-frontal`).
    pub name: String,
    /// Free text: whose face, how it was drawn.
    pub description: String,
    /// Where the dimensions, depths and densities come from.
    pub sources: Vec<String>,
    /// The face's outline, mm: a simple ring, without the repeated closing point.
    pub outline_mm: Vec<[f64; 2]>,
    /// The zones, in file order (zone indexes everywhere refer to this order).
    pub zones: Vec<Zone>,
    /// The file's exact text (recordings store an exact copy).
    pub text: String,
    index: GridIndex,
}

/// The built-in face maps: name and text.
const BUILTIN: [(&str, &str); 1] = [("adult-frontal", include_str!("../maps/adult-frontal.toml"))];

static BUILTIN_NAMES: [&str; 1] = [BUILTIN[0].0];

static BUILTIN_MAPS: LazyLock<Vec<FaceMap>> = LazyLock::new(|| {
    BUILTIN
        .iter()
        .map(|(name, text)| {
            let path = format!("crates/face/maps/{name}.toml");
            FaceMap::parse(text, Path::new(&path))
                .unwrap_or_else(|e| panic!("built-in face map {name} is invalid: {e}"))
        })
        .collect()
});

impl FaceMap {
    /// The name of the default face map.
    pub const DEFAULT: &'static str = "adult-frontal";

    /// The built-in face map called `name`.
    pub fn builtin(name: &str) -> Option<FaceMap> {
        BUILTIN
            .iter()
            .position(|(n, _)| *n == name)
            .map(|i| BUILTIN_MAPS[i].clone())
    }

    /// The names of the built-in face maps.
    pub fn builtin_names() -> &'static [&'static str] {
        &BUILTIN_NAMES
    }

    /// Parses and validates `text`; `path` names the file in errors.
    pub fn parse(text: &str, path: &Path) -> Result<FaceMap, FaceMapError> {
        parse::parse(text, path)
    }

    /// Reads and validates the face map file at `path`.
    pub fn load(path: &Path) -> Result<FaceMap, FaceMapError> {
        let text = std::fs::read_to_string(path).map_err(|e| {
            let at = Location {
                file: path.to_owned(),
                line: 0,
                column: 0,
            };
            FaceMapError::new(FaceMapErrorKind::Io, at, format!("cannot read: {e}"))
        })?;
        FaceMap::parse(&text, path)
    }

    /// A checked map with its lookup index built.
    fn assemble(
        name: String,
        description: String,
        sources: Vec<String>,
        outline_mm: Vec<[f64; 2]>,
        zones: Vec<Zone>,
        text: String,
    ) -> FaceMap {
        let index = GridIndex::build(
            geometry::bbox_mm(&outline_mm),
            zones.iter().map(|z| z.outline_mm.as_slice()),
        );
        FaceMap {
            name,
            description,
            sources,
            outline_mm,
            zones,
            text,
            index,
        }
    }

    /// The zone at `p_mm` (an index into [`FaceMap::zones`]), `None` outside every zone.
    pub fn zone_at(&self, p_mm: [f64; 2]) -> Option<usize> {
        self.index.find(p_mm, |z, p| {
            geometry::contains(&self.zones[z].outline_mm, p)
        })
    }

    /// The zone at `p_mm` or, outside every zone, the zone nearest to it (its border's
    /// distance; the first in map order on a tie). The skin of a needle that lands between
    /// zones is taken from this zone.
    pub fn nearest_zone(&self, p_mm: [f64; 2]) -> usize {
        if let Some(z) = self.zone_at(p_mm) {
            return z;
        }
        let mut best = (0, f64::INFINITY);
        for (i, zone) in self.zones.iter().enumerate() {
            let [lo, hi] = zone.bbox_mm();
            let dx = (lo[0] - p_mm[0]).max(p_mm[0] - hi[0]).max(0.0);
            let dy = (lo[1] - p_mm[1]).max(p_mm[1] - hi[1]).max(0.0);
            if dx.hypot(dy) >= best.1 {
                continue;
            }
            let d = geometry::boundary_distance_mm(&zone.outline_mm, p_mm);
            if d < best.1 {
                best = (i, d);
            }
        }
        best.0
    }

    /// The index of the zone with id `id`.
    pub fn zone_index(&self, id: &str) -> Option<usize> {
        self.zones.iter().position(|z| z.id == id)
    }

    /// Bounding box of the face outline, mm: `[[min_x, min_y], [max_x, max_y]]`.
    pub fn bbox_mm(&self) -> [[f64; 2]; 2] {
        geometry::bbox_mm(&self.outline_mm)
    }

    /// The zone ids in map order, comma-separated (for messages).
    pub fn zone_ids(&self) -> String {
        self.zones
            .iter()
            .map(|z| z.id.as_str())
            .collect::<Vec<_>>()
            .join(", ")
    }
}
