//! `meta.toml`: what was run, on what, how it ended, and what the reader needs to interpret the
//! CSV files without the scenario.

use crate::error::RecordingError;
use crate::link::LinkCounters;
use crate::rows::{EventRow, PunctureRow, Row, TelemetryRow};
use needlebench_physics::Layer;
use needlebench_protocol::ClockMode;
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use std::collections::BTreeMap;
use std::io::Write;
use std::path::Path;

/// The format version this crate writes. Version 1 recordings (no scenario copy, no `run.end`)
/// and version 2 recordings (`[link]` in `meta.toml`) still read: see FORMAT.md, "Versions".
pub const FORMAT_VERSION: u32 = 4;

/// The oldest format version this crate reads.
pub const FORMAT_VERSION_MIN: u32 = 1;

/// The directory inside a recording that holds the exact copy of the scenario it ran
/// ([`SCENARIO_COPY`]) and of every file that scenario read.
pub const SCENARIO_DIR: &str = "scenario";

/// The scenario copy's path inside a recording.
pub const SCENARIO_COPY: &str = "scenario/scenario.toml";

/// The meta file's name inside a recording directory.
pub const META_FILE: &str = "meta.toml";

/// Hex SHA-256 of a scenario file's bytes, as stored in `scenario.hash` (the same as
/// `sha256sum scenario.toml` prints).
pub fn scenario_hash(scenario_bytes: &[u8]) -> String {
    Sha256::digest(scenario_bytes)
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

/// The whole of `meta.toml`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Meta {
    /// [`FORMAT_VERSION`] when written; [`FORMAT_VERSION_MIN`] to it when read.
    pub format_version: u32,
    /// `[scenario]`: what was run.
    pub scenario: ScenarioMeta,
    /// `[firmware]`: the firmware under test and how it was reached.
    pub firmware: FirmwareMeta,
    /// `[needlebench]`: the tool that recorded.
    pub needlebench: NeedlebenchMeta,
    /// `[setup]`: skin site, cartridge and treated area, to interpret the rows.
    pub setup: SetupMeta,
    /// `[units]`: file (`telemetry`, `punctures`, `events`) → column → unit. The writer fills
    /// it with [`default_units`].
    #[serde(default)]
    pub units: BTreeMap<String, BTreeMap<String, String>>,
    /// `[run]`: how the run ended and how much it recorded.
    pub run: RunMeta,
    /// `[link]` of a format 1 or 2 recording: the line counters, which format 3 moved to
    /// `timing.toml` (they depend on the wall clock). Read, never written; a format-3
    /// `meta.toml` with `[link]` is refused. Use [`crate::Recording::link_counters`], which
    /// looks in both places.
    #[serde(rename = "link", default, skip_serializing)]
    pub legacy_link: Option<LinkCounters>,
}

impl Default for Meta {
    /// Format version 1, this crate's version as `needlebench.version`, the run marked
    /// incomplete with reason `running`, everything else empty or zero.
    fn default() -> Self {
        Meta {
            format_version: FORMAT_VERSION,
            scenario: ScenarioMeta::default(),
            firmware: FirmwareMeta::default(),
            needlebench: NeedlebenchMeta {
                version: env!("CARGO_PKG_VERSION").to_owned(),
            },
            setup: SetupMeta::default(),
            units: default_units(),
            run: RunMeta::default(),
            legacy_link: None,
        }
    }
}

/// `[scenario]`.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ScenarioMeta {
    /// The scenario's name.
    pub name: String,
    /// The scenario file as given on the command line (empty for a real pen session).
    pub path: String,
    /// Hex SHA-256 of the scenario file's bytes ([`scenario_hash`]).
    pub hash: String,
    /// The random seed. Written as a TOML integer, or as a decimal string above
    /// 9223372036854775807 (TOML integers are signed 64-bit); both forms are read.
    #[serde(with = "seed_serde")]
    pub seed: u64,
    /// Where the exact copy of the scenario file lives inside the recording
    /// ([`SCENARIO_COPY`]); empty when the recording holds none (format 1, a real pen's export).
    #[serde(default)]
    pub copy: String,
    /// Every other file the scenario read (e.g. `hand.waypoints_csv`): the path as written in
    /// the scenario → its copy's path inside the recording.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub files: BTreeMap<String, String>,
    /// The matrix variant run (its full name, also in `name`), when the scenario file has a
    /// `[matrix]`: the copy is the whole file, and this selects the variant in it. Empty (and
    /// absent from the file) otherwise.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub variant: String,
    /// The face map a treatment plan ran on (format 4): its name as the plan gives it (a
    /// built-in's name or the file as written). Its exact copy is `face-map.toml`
    /// ([`crate::FACE_MAP_FILE`]). Empty (and absent from the file) for a run without a plan.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub face_map: String,
    /// Hex SHA-256 of `face-map.toml`'s bytes; empty (absent) without a face map.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub face_map_sha256: String,
}

/// `[firmware]`.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FirmwareMeta {
    /// Firmware name as it reports itself.
    pub name: String,
    /// Firmware version as it reports itself.
    pub version: String,
    /// Wire protocol version spoken.
    pub protocol_version: u32,
    /// How the firmware was reached: `in-process`, `pty`, `serial:/dev/ttyACM0`, …
    pub transport: String,
    /// Whether the bench and pen ran tick by tick (`lockstep`) or in real time (`realtime`).
    pub clock: ClockMode,
}

/// `[needlebench]`.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct NeedlebenchMeta {
    /// Version of the needlebench that wrote the recording.
    pub version: String,
}

/// `[setup]`: what the checker and the viewer need without the scenario file.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SetupMeta {
    /// What treated the skin: `pen` (format 1: always), `roller` or `stamp`. A roller or
    /// stamp has no firmware: `[firmware]` says `none` and there are no link counters.
    #[serde(default)]
    pub device: needlebench_physics::DeviceKind,
    /// Anatomical site name (e.g. `forehead`).
    pub site: String,
    /// Cartridge name (e.g. `36`), or the needle set of a roller (`roller-24x8`) or stamp
    /// (`stamp-6x6`).
    pub cartridge: String,
    /// Needles in the cartridge.
    pub needle_count: u16,
    /// Needle exposure the scenario set (a roller's or stamp's needle length), µm.
    pub exposure_um: f64,
    /// Stroke frequency the scenario asked for, Hz (0 for a roller or stamp).
    pub target_stroke_hz: f64,
    /// Treated area: polygon of `[x_mm, y_mm]` points, in the frame of the rows' positions.
    pub area: Vec<[f64; 2]>,
    /// `[setup.layers_um]`: thickness of each skin layer at the site, µm.
    pub layers_um: LayersUm,
}

/// Thickness of each skin layer, µm (`[setup.layers_um]`).
#[derive(Debug, Clone, Copy, PartialEq, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LayersUm {
    /// Stratum corneum, µm.
    pub stratum_corneum: f64,
    /// Viable epidermis, µm.
    pub viable_epidermis: f64,
    /// Papillary dermis, µm.
    pub papillary_dermis: f64,
    /// Reticular dermis, µm.
    pub reticular_dermis: f64,
    /// Hypodermis, µm.
    pub hypodermis: f64,
    /// Muscle under the fat, µm (format 2; 0 where there is none, and in format 1).
    #[serde(default)]
    pub muscle: f64,
    /// Cartilage above the floor, µm (format 2; 0 where there is none).
    #[serde(default)]
    pub cartilage: f64,
    /// The layer the column ends in, which no needle passes (`bone` or `cartilage`; format 2).
    /// Format 1 recordings did not model below the fat: absent.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub floor: Option<Layer>,
}

impl LayersUm {
    /// The thickness of `layer`, µm (0 for the floor and for bone: the column ends there).
    pub fn get(&self, layer: Layer) -> f64 {
        if Some(layer) == self.floor {
            return 0.0;
        }
        match layer {
            Layer::StratumCorneum => self.stratum_corneum,
            Layer::ViableEpidermis => self.viable_epidermis,
            Layer::PapillaryDermis => self.papillary_dermis,
            Layer::ReticularDermis => self.reticular_dermis,
            Layer::Hypodermis => self.hypodermis,
            Layer::Muscle => self.muscle,
            Layer::Cartilage => self.cartilage,
            Layer::Bone => 0.0,
        }
    }

    /// Thicknesses from a function of the layer (the floor is not set).
    pub fn from_fn(mut thickness_um: impl FnMut(Layer) -> f64) -> Self {
        LayersUm {
            stratum_corneum: thickness_um(Layer::StratumCorneum),
            viable_epidermis: thickness_um(Layer::ViableEpidermis),
            papillary_dermis: thickness_um(Layer::PapillaryDermis),
            reticular_dermis: thickness_um(Layer::ReticularDermis),
            hypodermis: thickness_um(Layer::Hypodermis),
            muscle: thickness_um(Layer::Muscle),
            cartilage: thickness_um(Layer::Cartilage),
            floor: None,
        }
    }

    /// The column of a physics site: every layer's thickness above its floor, and the floor.
    pub fn from_site(site: &needlebench_physics::Site) -> Self {
        LayersUm {
            floor: Some(site.floor),
            ..LayersUm::from_fn(|l| {
                if l >= site.floor {
                    0.0
                } else {
                    site.layer(l).thickness_um
                }
            })
        }
    }

    /// The layers that have a thickness in this column, surface first, then the floor (if
    /// known): what a depth axis shows.
    pub fn stack(&self) -> impl Iterator<Item = Layer> + '_ {
        Layer::ALL.into_iter().filter(move |&l| {
            Some(l) == self.floor || (l <= Layer::Hypodermis || self.get(l) > 0.0)
        })
    }

    /// Depth of the floor's top (the whole penetrable column), µm.
    pub fn floor_depth_um(&self) -> f64 {
        Layer::ALL.into_iter().map(|l| self.get(l)).sum()
    }
}

/// Whether a run recorded everything it set out to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Completion {
    /// The run ended as the scenario planned.
    Complete,
    /// The run stopped early (link failure, pen fault, crash, kill); `run.reason` says why.
    #[default]
    Incomplete,
}

/// Why a run ended, typed (`run.end` in `meta.toml`); `run.reason` says it in words.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum EndReason {
    /// The run went to its planned end.
    Complete,
    /// Still being recorded (or the process was killed before it could say otherwise).
    #[default]
    Running,
    /// The writer was dropped without being finished (an error or panic in the recorder).
    NotFinished,
    /// Stopped by Ctrl-C or SIGTERM.
    Interrupted,
    /// The pen raised a fault; the run recorded half a second more and stopped.
    PenFault,
    /// The link to the pen failed (pen vanished, no answer, lag over its bound).
    LinkFailure,
    /// A format-1 recording, which did not say.
    Unknown,
}

impl EndReason {
    /// The snake_case name written to `meta.toml`.
    pub fn name(self) -> &'static str {
        match self {
            EndReason::Complete => "complete",
            EndReason::Running => "running",
            EndReason::NotFinished => "not_finished",
            EndReason::Interrupted => "interrupted",
            EndReason::PenFault => "pen_fault",
            EndReason::LinkFailure => "link_failure",
            EndReason::Unknown => "unknown",
        }
    }
}

/// How a run ended, given to [`crate::RecordingWriter::finish`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RunStatus {
    /// The run ended as planned.
    Complete,
    /// The run stopped early.
    Incomplete {
        /// Why, typed.
        end: EndReason,
        /// Why, for people: `link failure at t = 1.234 s: …`, `pen fault `stall` at …`.
        reason: String,
    },
}

impl RunStatus {
    /// The typed end reason.
    pub fn end(&self) -> EndReason {
        match self {
            RunStatus::Complete => EndReason::Complete,
            RunStatus::Incomplete { end, .. } => *end,
        }
    }
}

/// `[run]`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RunMeta {
    /// `complete` or `incomplete`.
    pub status: Completion,
    /// Why the run is incomplete (`running` while it is being recorded); empty when complete.
    pub reason: String,
    /// Why the run ended, typed. Format 1 recordings lack it: `complete` or `unknown`.
    #[serde(default = "EndReason::unknown")]
    pub end: EndReason,
    /// Telemetry rows written.
    pub ticks: u64,
    /// The largest `t_us` written to any file, µs.
    pub sim_duration_us: u64,
    /// Puncture rows written.
    pub punctures: u64,
}

impl Default for RunMeta {
    fn default() -> Self {
        RunMeta {
            status: Completion::Incomplete,
            reason: "running".to_owned(),
            end: EndReason::Running,
            ticks: 0,
            sim_duration_us: 0,
            punctures: 0,
        }
    }
}

impl RunMeta {
    /// The run recorded everything it set out to.
    pub fn is_complete(&self) -> bool {
        self.status == Completion::Complete
    }
}

impl EndReason {
    fn unknown() -> EndReason {
        EndReason::Unknown
    }
}

/// The `[units]` table of the current format: file stem → column → unit.
pub fn default_units() -> BTreeMap<String, BTreeMap<String, String>> {
    fn table<R: Row>() -> BTreeMap<String, String> {
        R::COLUMNS
            .iter()
            .zip(R::UNITS)
            .map(|(c, u)| ((*c).to_owned(), (*u).to_owned()))
            .collect()
    }
    BTreeMap::from([
        ("telemetry".to_owned(), table::<TelemetryRow>()),
        ("punctures".to_owned(), table::<PunctureRow>()),
        ("events".to_owned(), table::<EventRow>()),
    ])
}

impl Meta {
    /// Parse `meta.toml` text; `path` is only used in errors. Checks `format_version`.
    pub fn from_toml_str(text: &str, path: &Path) -> Result<Meta, RecordingError> {
        let mut meta: Meta = parse_toml(text, path)?;
        if !(FORMAT_VERSION_MIN..=FORMAT_VERSION).contains(&meta.format_version) {
            return Err(RecordingError::MetaInvalid {
                path: path.to_owned(),
                field: "format_version".to_owned(),
                message: format!(
                    "unsupported version {} (this needlebench reads {FORMAT_VERSION_MIN} to \
                     {FORMAT_VERSION}; a newer needlebench wrote it)",
                    meta.format_version
                ),
            });
        }
        if meta.format_version >= 3 && meta.legacy_link.is_some() {
            return Err(RecordingError::MetaInvalid {
                path: path.to_owned(),
                field: "link".to_owned(),
                message: format!(
                    "format {} keeps the link counters in timing.toml, not in meta.toml",
                    meta.format_version
                ),
            });
        }
        if meta.run.end == EndReason::Unknown && meta.run.is_complete() {
            meta.run.end = EndReason::Complete;
        }
        Ok(meta)
    }

    /// Read and check `meta.toml` at `path`.
    pub fn read(path: &Path) -> Result<Meta, RecordingError> {
        let text =
            std::fs::read_to_string(path).map_err(|e| RecordingError::io(path, "read", e))?;
        Meta::from_toml_str(&text, path)
    }

    /// The TOML text of this meta; `path` is only used in errors.
    pub fn to_toml_string(&self, path: &Path) -> Result<String, RecordingError> {
        toml::to_string(self).map_err(|e| RecordingError::MetaWrite {
            path: path.to_owned(),
            message: e.to_string(),
        })
    }

    /// Write to `path` atomically: a temporary file next to it, synced, then renamed over it,
    /// so a reader never sees a half-written meta.
    pub fn write_atomic(&self, path: &Path) -> Result<(), RecordingError> {
        let text = self.to_toml_string(path)?;
        write_file_atomic(path, text.as_bytes())
    }
}

/// Parse TOML `text` of `path` into `T`; errors carry the line and column.
pub(crate) fn parse_toml<T: serde::de::DeserializeOwned>(
    text: &str,
    path: &Path,
) -> Result<T, RecordingError> {
    toml::from_str(text).map_err(|e| {
        let (line, column) = match e.span() {
            Some(span) => {
                let (l, c) = line_col(text, span.start);
                (Some(l), Some(c))
            }
            None => (None, None),
        };
        RecordingError::MetaParse {
            path: path.to_owned(),
            line,
            column,
            message: e.message().trim_end().to_owned(),
        }
    })
}

/// Write `bytes` to `path` atomically: a temporary file next to it, synced, then renamed over
/// it, so a reader never sees a half-written file.
pub(crate) fn write_file_atomic(path: &Path, bytes: &[u8]) -> Result<(), RecordingError> {
    let mut tmp = path.as_os_str().to_owned();
    tmp.push(".tmp");
    let tmp = std::path::PathBuf::from(tmp);
    let mut file =
        std::fs::File::create(&tmp).map_err(|e| RecordingError::io(&tmp, "create", e))?;
    file.write_all(bytes)
        .and_then(|()| file.sync_all())
        .map_err(|e| RecordingError::io(&tmp, "write", e))?;
    drop(file);
    std::fs::rename(&tmp, path).map_err(|e| RecordingError::io(path, "replace", e))
}

/// 1-based line and column (in characters) of byte offset `at` in `text`.
fn line_col(text: &str, at: usize) -> (usize, usize) {
    let before = text.get(..at.min(text.len())).unwrap_or(text);
    let line = before.matches('\n').count() + 1;
    let line_start = before.rfind('\n').map_or(0, |i| i + 1);
    (line, before[line_start..].chars().count() + 1)
}

mod seed_serde {
    use serde::{Deserialize, Deserializer, Serializer};

    pub(super) fn serialize<S: Serializer>(seed: &u64, s: S) -> Result<S::Ok, S::Error> {
        match i64::try_from(*seed) {
            Ok(v) => s.serialize_i64(v),
            Err(_) => s.serialize_str(&seed.to_string()),
        }
    }

    #[derive(Deserialize)]
    #[serde(untagged)]
    enum Seed {
        Int(u64),
        Text(String),
    }

    pub(super) fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<u64, D::Error> {
        match Seed::deserialize(d)? {
            Seed::Int(v) => Ok(v),
            Seed::Text(t) => t.parse().map_err(|_| {
                serde::de::Error::custom(format!(
                    "seed: expected a whole number from 0 to {}, got '{t}'",
                    u64::MAX
                ))
            }),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn line_col_counts_lines_and_characters() {
        let text = "a = 1\nµb = 2\n";
        assert_eq!(line_col(text, 0), (1, 1));
        assert_eq!(line_col(text, 6), (2, 1));
        // 'µ' is two bytes but one column
        assert_eq!(line_col(text, 8), (2, 2));
    }

    #[test]
    fn scenario_hash_is_sha256_hex() {
        assert_eq!(
            scenario_hash(b"abc"),
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
        );
    }
}
