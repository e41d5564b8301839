//! Positions in files and the error type of face maps: every error names a file, line and
//! column (rustc style), and says what kind of mistake it is. [`Location`] and [`number`]
//! are shared with the scenario crate's messages.

use std::fmt;
use std::path::PathBuf;
use thiserror::Error;

/// A position in a file: 1-based line and column (columns count characters, not bytes).
///
/// Line and column 0 mean "the file as a whole" (it could not be read).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Location {
    /// The file, as the caller named it (not canonicalised).
    pub file: PathBuf,
    /// Line, 1-based.
    pub line: usize,
    /// Column, 1-based, in characters.
    pub column: usize,
}

impl Location {
    /// The location of byte `offset` in `text` (clamped to the text's end).
    pub fn from_offset(file: impl Into<PathBuf>, text: &str, offset: usize) -> Location {
        let mut offset = offset.min(text.len());
        while !text.is_char_boundary(offset) {
            offset -= 1;
        }
        let before = &text[..offset];
        let line = before.matches('\n').count() + 1;
        let line_start = before.rfind('\n').map_or(0, |i| i + 1);
        let column = text[line_start..offset].chars().count() + 1;
        Location {
            file: file.into(),
            line,
            column,
        }
    }
}

impl fmt::Display for Location {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}:{}:{}", self.file.display(), self.line, self.column)
    }
}

/// A float as written in messages: always with a decimal point (`3.0`, `0.25`), never an
/// exponent.
pub fn number(v: f64) -> String {
    let text = v.to_string();
    if v.is_finite() && !text.contains('.') {
        text + ".0"
    } else {
        text
    }
}

/// What is wrong with a face map (stable snake_case names: [`FaceMapErrorKind::name`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum FaceMapErrorKind {
    /// The file could not be read.
    Io,
    /// The text is not valid TOML.
    Syntax,
    /// A key the format does not have (the message lists the allowed keys).
    UnknownKey,
    /// A missing key or a value of the wrong type.
    Schema,
    /// A map name or zone id with characters outside the allowed set.
    BadName,
    /// Two zones with the same id.
    DuplicateId,
    /// A map without any `[[zone]]`.
    NoZones,
    /// A coordinate that is not finite or lies outside 0–1000 mm.
    BadCoordinate,
    /// A ring whose last point is not its first.
    OpenRing,
    /// A ring with fewer than 3 distinct points.
    TooFewPoints,
    /// A ring whose edges cross or touch away from their shared corners.
    SelfCrossing,
    /// A ring that encloses no area (points collinear).
    ZeroArea,
    /// A zone that reaches outside the face outline.
    OutsideFace,
    /// Two zones whose interiors overlap (shared borders are fine).
    Overlap,
    /// A `site` that is not a built-in site.
    UnknownSite,
    /// A zone with both or neither of `site` and `[zone.custom]`, or a custom stack the
    /// physics rejects.
    BadSite,
    /// A `[lo, hi]` range with `lo > hi` or values outside the allowed span.
    BadRange,
}

impl FaceMapErrorKind {
    /// The stable name (`open_ring`, `overlap`, …).
    pub fn name(self) -> &'static str {
        match self {
            FaceMapErrorKind::Io => "io",
            FaceMapErrorKind::Syntax => "syntax",
            FaceMapErrorKind::UnknownKey => "unknown_key",
            FaceMapErrorKind::Schema => "schema",
            FaceMapErrorKind::BadName => "bad_name",
            FaceMapErrorKind::DuplicateId => "duplicate_id",
            FaceMapErrorKind::NoZones => "no_zones",
            FaceMapErrorKind::BadCoordinate => "bad_coordinate",
            FaceMapErrorKind::OpenRing => "open_ring",
            FaceMapErrorKind::TooFewPoints => "too_few_points",
            FaceMapErrorKind::SelfCrossing => "self_crossing",
            FaceMapErrorKind::ZeroArea => "zero_area",
            FaceMapErrorKind::OutsideFace => "outside_face",
            FaceMapErrorKind::Overlap => "overlap",
            FaceMapErrorKind::UnknownSite => "unknown_site",
            FaceMapErrorKind::BadSite => "bad_site",
            FaceMapErrorKind::BadRange => "bad_range",
        }
    }
}

impl fmt::Display for FaceMapErrorKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// Anything wrong with a face map file.
///
/// Display is `file:line:column: message` (for [`FaceMapErrorKind::Io`], `file: message`).
#[derive(Debug, Error)]
#[error("{}", self.render())]
pub struct FaceMapError {
    /// What kind of mistake.
    pub kind: FaceMapErrorKind,
    /// Where: the offending key, value or point.
    pub at: Location,
    /// What is wrong and what is allowed.
    pub message: String,
}

impl FaceMapError {
    /// An error of `kind` at `at`.
    pub fn new(kind: FaceMapErrorKind, at: Location, message: impl Into<String>) -> FaceMapError {
        FaceMapError {
            kind,
            at,
            message: message.into(),
        }
    }

    fn render(&self) -> String {
        if self.at.line == 0 {
            format!("{}: {}", self.at.file.display(), self.message)
        } else {
            format!("{}: {}", self.at, self.message)
        }
    }
}
