//! The zone of a puncture (`punctures.csv`'s `zone` column, format 4): [`ZoneRef`], an index
//! into the recording's zone list, and [`ZoneIds`], that list as the reader and the writer
//! share it.
//!
//! The zone list is the face map's zones in the face map's order: the `id` of every `[[zone]]`
//! table of `face-map.toml` ([`FACE_MAP_FILE`]). The column holds a zone's id, or nothing for a
//! puncture outside every zone; a recording without a face map (every format-3 and older
//! recording, and a format-4 run that was not a treatment plan) has no `zone` column at all and
//! its rows read [`ZoneRef::NOT_RECORDED`]. Ids are interned: a row holds a two-byte index, and
//! the reader compares a field's bytes with the (few) ids, never allocating.

use crate::error::RecordingError;
use serde::{Deserialize, Serialize};
use std::path::Path;

/// The copy of the face map a treatment-plan recording was made on, inside the recording.
pub const FACE_MAP_FILE: &str = "face-map.toml";

/// Which zone of the recording's face map a puncture lies in: an index into
/// [`Recording::zone_ids`](crate::Recording::zone_ids), [`ZoneRef::OUTSIDE`] (outside every
/// zone) or [`ZoneRef::NOT_RECORDED`] (the recording has no zone column).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub struct ZoneRef(u16);

impl ZoneRef {
    /// The recording has no zones (no face map: format 3 and older, or not a treatment plan).
    pub const NOT_RECORDED: ZoneRef = ZoneRef(u16::MAX);
    /// Outside every zone of the face map (an empty `zone` field).
    pub const OUTSIDE: ZoneRef = ZoneRef(u16::MAX - 1);
    /// The most zones a face map can have in a recording.
    pub const MAX_ZONES: usize = u16::MAX as usize - 1;

    /// Zone `index` of the recording's zone list (`index` < [`ZoneRef::MAX_ZONES`]; larger
    /// indexes saturate to [`ZoneRef::OUTSIDE`]).
    pub const fn zone(index: usize) -> ZoneRef {
        if index < ZoneRef::MAX_ZONES {
            ZoneRef(index as u16)
        } else {
            ZoneRef::OUTSIDE
        }
    }

    /// The index into the zone list, or `None` outside every zone and where not recorded.
    pub const fn index(self) -> Option<usize> {
        if (self.0 as usize) < ZoneRef::MAX_ZONES {
            Some(self.0 as usize)
        } else {
            None
        }
    }

    /// Outside every zone of the face map.
    pub const fn is_outside(self) -> bool {
        self.0 == ZoneRef::OUTSIDE.0
    }

    /// The recording has no zones (for serde's `skip_serializing_if`).
    pub fn not_recorded(zone: &ZoneRef) -> bool {
        !zone.is_recorded()
    }

    /// The recording says which zone (or none) the puncture lies in.
    pub const fn is_recorded(self) -> bool {
        self.0 != ZoneRef::NOT_RECORDED.0
    }
}

impl Default for ZoneRef {
    /// [`ZoneRef::NOT_RECORDED`].
    fn default() -> Self {
        ZoneRef::NOT_RECORDED
    }
}

/// The zone list a `zone` column is read and written against, in face-map order.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ZoneIds {
    ids: Vec<String>,
}

/// `face-map.toml`, only as far as the zone ids go (the face map crate reads the rest).
#[derive(Deserialize)]
struct IdsOnly {
    #[serde(default)]
    zone: Vec<IdOnly>,
}

#[derive(Deserialize)]
struct IdOnly {
    id: String,
}

impl ZoneIds {
    /// The ids of the zones of a face map's TOML text (`path` names it in errors), in its order.
    pub fn from_face_map_text(text: &str, path: &Path) -> Result<ZoneIds, RecordingError> {
        let invalid = |message: String| RecordingError::MetaInvalid {
            path: path.to_owned(),
            field: "zone".to_owned(),
            message,
        };
        let parsed: IdsOnly = toml::from_str(text).map_err(|e| invalid(e.message().to_owned()))?;
        let ids: Vec<String> = parsed.zone.into_iter().map(|z| z.id).collect();
        if ids.len() > ZoneRef::MAX_ZONES {
            return Err(invalid(format!(
                "{} zones; a recording holds at most {}",
                ids.len(),
                ZoneRef::MAX_ZONES
            )));
        }
        for (i, id) in ids.iter().enumerate() {
            if id.is_empty() || id.bytes().any(|b| matches!(b, b',' | b'"' | b'\n' | b'\r')) {
                return Err(invalid(format!(
                    "zone id '{id}' cannot be written in a CSV field as it is"
                )));
            }
            if ids[..i].contains(id) {
                return Err(invalid(format!("zone id '{id}' appears twice")));
            }
        }
        Ok(ZoneIds { ids })
    }

    /// The zone ids of the face map copy in recording directory `dir`; empty when it has none.
    pub(crate) fn in_dir(dir: &Path) -> Result<ZoneIds, RecordingError> {
        let path = dir.join(FACE_MAP_FILE);
        match std::fs::read_to_string(&path) {
            Ok(text) => ZoneIds::from_face_map_text(&text, &path),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(ZoneIds::default()),
            Err(e) => Err(RecordingError::io(&path, "read", e)),
        }
    }

    /// The ids, in face-map order.
    pub fn ids(&self) -> &[String] {
        &self.ids
    }

    /// The id `zone` refers to (`None` outside every zone, not recorded, or out of range).
    pub fn id(&self, zone: ZoneRef) -> Option<&str> {
        zone.index()
            .and_then(|i| self.ids.get(i))
            .map(String::as_str)
    }

    /// The zone whose id is `field`'s bytes; an empty field is [`ZoneRef::OUTSIDE`]; `None`
    /// for an unknown id. The length and first byte tell most ids apart without a comparison.
    #[inline]
    pub(crate) fn lookup(&self, field: &[u8]) -> Option<ZoneRef> {
        if field.is_empty() {
            return Some(ZoneRef::OUTSIDE);
        }
        let first = field.first();
        self.ids
            .iter()
            .position(|id| {
                let id = id.as_bytes();
                id.len() == field.len() && id.first() == first && id == field
            })
            .map(ZoneRef::zone)
    }

    /// Why `field` is not a zone of this list, for error messages.
    pub(crate) fn unknown(&self, field: &str) -> String {
        if self.ids.is_empty() {
            format!(
                "zone '{field}' but the recording has no face map ({FACE_MAP_FILE}) to name zones"
            )
        } else {
            format!(
                "unknown zone '{field}'; the face map's zones: {}, or empty for outside every zone",
                self.ids.join(", ")
            )
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn zone_refs_tell_zones_outside_and_not_recorded_apart() {
        assert_eq!(ZoneRef::zone(3).index(), Some(3));
        assert_eq!(ZoneRef::OUTSIDE.index(), None);
        assert!(ZoneRef::OUTSIDE.is_outside() && ZoneRef::OUTSIDE.is_recorded());
        assert!(!ZoneRef::NOT_RECORDED.is_recorded());
        assert!(!ZoneRef::zone(0).is_outside());
        assert_eq!(ZoneRef::default(), ZoneRef::NOT_RECORDED);
    }

    #[test]
    fn zone_ids_come_from_the_face_map_in_its_order() {
        let text = "name = \"m\"\n[[zone]]\nid = \"nose\"\nsite = \"nose\"\n\
                    [[zone]]\nid = \"chin\"\nlabel = \"chin\"\n";
        let ids = ZoneIds::from_face_map_text(text, Path::new("f.toml")).unwrap();
        assert_eq!(ids.ids(), ["nose", "chin"]);
        assert_eq!(ids.lookup(b"chin"), Some(ZoneRef::zone(1)));
        assert_eq!(ids.lookup(b""), Some(ZoneRef::OUTSIDE));
        assert_eq!(ids.lookup(b"chim"), None);
        assert_eq!(ids.id(ZoneRef::zone(0)), Some("nose"));
        let dup = "[[zone]]\nid = \"a\"\n[[zone]]\nid = \"a\"\n";
        let e = ZoneIds::from_face_map_text(dup, Path::new("f.toml")).unwrap_err();
        assert!(e.to_string().contains("'a' appears twice"), "{e}");
    }
}
