//! From text to a checked [`FaceMap`]: TOML with positions (`toml::Spanned`), schema errors
//! rewritten to list what is allowed, and every geometric rule pointed at the offending point
//! or ring.

use crate::error::{FaceMapError, FaceMapErrorKind as Kind, Location, number as num};
use crate::geometry::{
    EPS_MM, area_mm2, bbox_mm, boundary_distance_mm, contains, overlap_mid, proper_crossing,
    scanline_intervals, scanlines, self_crossing, uncovered_mid,
};
use crate::{FaceMap, Zone};
use needlebench_physics::{Site, SiteSpec, builtin_site_names};
use serde::Deserialize;
use std::ops::Range;
use std::path::Path;
use toml::Spanned;

/// Largest coordinate of a face map, mm (coordinates are in 0–1000 mm).
pub const COORD_MAX_MM: f64 = 1000.0;
/// Deepest recommended exposure a zone may name, mm (the pens' mechanical maximum).
pub const DEPTH_MAX_MM: f64 = needlebench_physics::EXPOSURE_MAX_UM / 1000.0;
/// Highest density a zone's band may name, punctures/cm².
pub const DENSITY_MAX_PER_CM2: f64 = 1e6;
/// Largest gap between the scanlines of the overlap and containment checks, mm.
const SCAN_PITCH_MM: f64 = 0.05;

type Ring = Spanned<Vec<Spanned<[f64; 2]>>>;

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
#[serde(expecting = "a face map table")]
struct RawMap {
    name: Spanned<String>,
    #[serde(default)]
    description: String,
    #[serde(default)]
    sources: Vec<String>,
    outline: Ring,
    #[serde(default)]
    zone: Vec<RawZone>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
#[serde(expecting = "a [[zone]] table")]
struct RawZone {
    id: Spanned<String>,
    label: String,
    site: Option<Spanned<String>>,
    custom: Option<Spanned<SiteSpec>>,
    depth_mm: Spanned<[f64; 2]>,
    density_per_cm2: Spanned<[f64; 2]>,
    outline: Ring,
}

/// A point as written in messages, rounded to 0.01 mm: `[12.5, 30.0]`.
fn pt(p: [f64; 2]) -> String {
    let r = |v: f64| num((v * 100.0).round() / 100.0);
    format!("[{}, {}]", r(p[0]), r(p[1]))
}

/// Whether two points are the same as written: a ring closes only on exactly its first
/// point, so the file says unambiguously where it ends.
#[allow(clippy::float_cmp)]
fn same(a: [f64; 2], b: [f64; 2]) -> bool {
    a == b
}

struct Parser<'a> {
    text: &'a str,
    path: &'a Path,
}

impl Parser<'_> {
    fn at(&self, span: Range<usize>) -> Location {
        Location::from_offset(self.path, self.text, span.start)
    }

    fn err(&self, kind: Kind, span: Range<usize>, message: String) -> FaceMapError {
        FaceMapError::new(kind, self.at(span), message)
    }

    /// A schema error from serde, with "unknown field" and "missing field" said plainly.
    fn schema(&self, e: &toml::de::Error) -> FaceMapError {
        let msg = e.message().trim();
        let span = e.span().unwrap_or(0..0);
        if let Some(rest) = msg.strip_prefix("unknown field `") {
            let (key, rest) = rest.split_once('`').unwrap_or((rest, ""));
            let allowed: Vec<&str> = rest.split('`').skip(1).step_by(2).collect();
            let message = format!("unknown key `{key}`; allowed: {}", allowed.join(", "));
            return self.err(Kind::UnknownKey, span, message);
        }
        if let Some(rest) = msg.strip_prefix("missing field `") {
            let key = rest.split_once('`').map_or(rest, |(key, _)| key);
            return self.err(Kind::Schema, span, format!("missing key `{key}`"));
        }
        self.err(Kind::Schema, span, msg.to_owned())
    }

    fn map(&self) -> Result<FaceMap, FaceMapError> {
        let root = toml::de::DeTable::parse(self.text).map_err(|e| {
            let span = e.span().unwrap_or(0..0);
            self.err(
                Kind::Syntax,
                span,
                format!("TOML syntax error: {}", e.message().trim()),
            )
        })?;
        let raw =
            RawMap::deserialize(toml::de::Deserializer::from(root)).map_err(|e| self.schema(&e))?;
        let name_ok = !raw.name.get_ref().is_empty()
            && raw.name.get_ref().bytes().all(|b| {
                b.is_ascii_lowercase() || b.is_ascii_digit() || matches!(b, b'-' | b'_' | b'.')
            });
        if !name_ok {
            let msg = format!(
                "name = \"{}\": must be non-empty, only a-z, 0-9, -, _ and .",
                raw.name.get_ref()
            );
            return Err(self.err(Kind::BadName, raw.name.span(), msg));
        }
        let outline_mm = self.ring("outline", &raw.outline)?;
        if raw.zone.is_empty() {
            let msg = "a face map needs at least one [[zone]]".to_owned();
            return Err(self.err(Kind::NoZones, 0..0, msg));
        }
        let mut zones: Vec<Zone> = Vec::with_capacity(raw.zone.len());
        for z in &raw.zone {
            let zone = self.zone(z, &zones)?;
            self.inside_face(&zone, z, &outline_mm)?;
            zones.push(zone);
        }
        for j in 0..zones.len() {
            for i in 0..j {
                if let Some(p) = overlap(&zones[i].outline_mm, &zones[j].outline_mm) {
                    let msg = format!(
                        "zones `{}` and `{}` overlap, e.g. at {} (they may share borders, not area)",
                        zones[i].id,
                        zones[j].id,
                        pt(p)
                    );
                    return Err(self.err(Kind::Overlap, raw.zone[j].outline.span(), msg));
                }
            }
        }
        Ok(FaceMap::assemble(
            raw.name.into_inner(),
            raw.description,
            raw.sources,
            outline_mm,
            zones,
            self.text.to_owned(),
        ))
    }

    /// A closed ring as written → its points without the closing one.
    fn ring(&self, what: &str, ring: &Ring) -> Result<Vec<[f64; 2]>, FaceMapError> {
        let points = ring.get_ref();
        for p in points {
            let [x, y] = *p.get_ref();
            if !(0.0..=COORD_MAX_MM).contains(&x) || !(0.0..=COORD_MAX_MM).contains(&y) {
                let msg = format!(
                    "{what}: point [{}, {}] out of range: coordinates are in 0.0–{} mm (origin at the layout's bottom-left corner)",
                    num(x),
                    num(y),
                    num(COORD_MAX_MM)
                );
                return Err(self.err(Kind::BadCoordinate, p.span(), msg));
            }
        }
        let (Some(first), Some(last)) = (points.first(), points.last()) else {
            let msg = format!(
                "{what}: an empty ring; needs at least 3 distinct points and the first repeated at the end"
            );
            return Err(self.err(Kind::TooFewPoints, ring.span(), msg));
        };
        if points.len() < 2 || !same(*first.get_ref(), *last.get_ref()) {
            let msg = format!(
                "{what}: open ring: the last point {} is not the first {}; repeat the first point at the end to close it",
                pt(*last.get_ref()),
                pt(*first.get_ref())
            );
            return Err(self.err(Kind::OpenRing, last.span(), msg));
        }
        // The ring without its closing point and without repeated consecutive points; each
        // point keeps the index of its span.
        let mut kept: Vec<([f64; 2], usize)> = Vec::with_capacity(points.len());
        for (i, p) in points[..points.len() - 1].iter().enumerate() {
            if kept.last().is_none_or(|(q, _)| !same(*q, *p.get_ref())) {
                kept.push((*p.get_ref(), i));
            }
        }
        if let (Some(a), Some(b)) = (kept.first(), kept.last())
            && kept.len() > 1
            && same(a.0, b.0)
        {
            kept.pop();
        }
        let mut distinct: Vec<[f64; 2]> = kept.iter().map(|k| k.0).collect();
        distinct.sort_by(|a, b| a[0].total_cmp(&b[0]).then(a[1].total_cmp(&b[1])));
        distinct.dedup();
        if distinct.len() < 3 {
            let msg = format!(
                "{what}: needs at least 3 distinct points, has {}",
                distinct.len()
            );
            return Err(self.err(Kind::TooFewPoints, ring.span(), msg));
        }
        let out: Vec<[f64; 2]> = kept.iter().map(|k| k.0).collect();
        if area_mm2(&out) < 1e-6 {
            let msg = format!("{what}: encloses no area (its points are collinear)");
            return Err(self.err(Kind::ZeroArea, ring.span(), msg));
        }
        if let Some((i, j, at)) = self_crossing(&out) {
            let n = out.len();
            let msg = format!(
                "{what}: not a simple ring: edge {}–{} meets edge {}–{} at {}",
                pt(out[i]),
                pt(out[(i + 1) % n]),
                pt(out[j]),
                pt(out[(j + 1) % n]),
                pt(at)
            );
            return Err(self.err(Kind::SelfCrossing, points[kept[j].1].span(), msg));
        }
        Ok(out)
    }

    fn zone(&self, z: &RawZone, before: &[Zone]) -> Result<Zone, FaceMapError> {
        let id = z.id.get_ref();
        let id_ok = !id.is_empty()
            && id
                .bytes()
                .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'_');
        if !id_ok {
            let msg = format!("zone id = \"{id}\": must be non-empty, only a-z, 0-9 and _");
            return Err(self.err(Kind::BadName, z.id.span(), msg));
        }
        if before.iter().any(|b| &b.id == id) {
            let msg = format!("zone id = \"{id}\": a zone with this id is already defined");
            return Err(self.err(Kind::DuplicateId, z.id.span(), msg));
        }
        let (site, site_name) = match (&z.site, &z.custom) {
            (Some(_), Some(c)) => {
                let msg =
                    format!("zone `{id}`: give either `site` or a [zone.custom] table, not both");
                return Err(self.err(Kind::BadSite, c.span(), msg));
            }
            (None, None) => {
                let msg = format!(
                    "zone `{id}`: needs `site` (one of {}) or a [zone.custom] table",
                    builtin_site_names()
                );
                return Err(self.err(Kind::BadSite, z.id.span(), msg));
            }
            (Some(name), None) => match Site::builtin(name.get_ref()) {
                Ok(site) => {
                    let name = site.name.clone();
                    (site, name)
                }
                Err(_) => {
                    let msg = format!(
                        "zone `{id}`: site = \"{}\" is not a built-in site; expected one of {} (or a [zone.custom] table)",
                        name.get_ref(),
                        builtin_site_names()
                    );
                    return Err(self.err(Kind::UnknownSite, name.span(), msg));
                }
            },
            (None, Some(spec)) => match Site::try_from(spec.get_ref().clone()) {
                Ok(site) => (site, "custom".to_owned()),
                Err(e) => {
                    let msg = format!("zone `{id}`: custom: {e}");
                    return Err(self.err(Kind::BadSite, spec.span(), msg));
                }
            },
        };
        let depth_mm = self.range(id, "depth_mm", &z.depth_mm, DEPTH_MAX_MM, false)?;
        let density_per_cm2 = self.range(
            id,
            "density_per_cm2",
            &z.density_per_cm2,
            DENSITY_MAX_PER_CM2,
            true,
        )?;
        let outline_mm = self.ring(&format!("zone `{id}` outline"), &z.outline)?;
        Ok(Zone {
            id: id.clone(),
            label: z.label.clone(),
            site,
            site_name,
            depth_mm,
            density_per_cm2,
            outline_mm,
        })
    }

    /// `[lo, hi]` with `lo <= hi`, both in `(0, max]` (`[0, max]` when `zero_ok`).
    fn range(
        &self,
        id: &str,
        key: &str,
        v: &Spanned<[f64; 2]>,
        max: f64,
        zero_ok: bool,
    ) -> Result<[f64; 2], FaceMapError> {
        let [lo, hi] = *v.get_ref();
        let lo_ok = if zero_ok { lo >= 0.0 } else { lo > 0.0 };
        if !(lo_ok && lo <= hi && hi <= max) {
            let lower = if zero_ok { "0.0 <= lo" } else { "0.0 < lo" };
            let msg = format!(
                "zone `{id}`: {key} = [{}, {}]: needs {lower} <= hi <= {}",
                num(lo),
                num(hi),
                num(max)
            );
            return Err(self.err(Kind::BadRange, v.span(), msg));
        }
        Ok([lo, hi])
    }

    /// The zone must lie inside the face outline (its border may run along the outline's).
    fn inside_face(
        &self,
        zone: &Zone,
        raw: &RawZone,
        face: &[[f64; 2]],
    ) -> Result<(), FaceMapError> {
        let outside = |p: [f64; 2]| -> String {
            format!(
                "zone `{}` reaches outside the face outline, e.g. at {}",
                zone.id,
                pt(p)
            )
        };
        for p in raw.outline.get_ref() {
            let q = *p.get_ref();
            if !contains(face, q) && boundary_distance_mm(face, q) > EPS_MM {
                return Err(self.err(Kind::OutsideFace, p.span(), outside(q)));
            }
        }
        let span = raw.outline.span();
        if let Some(q) = ring_crossing(&zone.outline_mm, face) {
            return Err(self.err(Kind::OutsideFace, span, outside(q)));
        }
        let [lo, hi] = bbox_mm(&zone.outline_mm);
        for y in scanlines(lo[1], hi[1], SCAN_PITCH_MM) {
            let mine = scanline_intervals(&zone.outline_mm, y);
            if let Some(x) = uncovered_mid(&mine, &scanline_intervals(face, y), EPS_MM) {
                return Err(self.err(Kind::OutsideFace, span, outside([x, y])));
            }
        }
        Ok(())
    }
}

/// A point where two rings' edges properly cross, if any.
fn ring_crossing(a: &[[f64; 2]], b: &[[f64; 2]]) -> Option<[f64; 2]> {
    let (na, nb) = (a.len(), b.len());
    for i in 0..na {
        for j in 0..nb {
            if let Some(p) = proper_crossing(a[i], a[(i + 1) % na], b[j], b[(j + 1) % nb]) {
                return Some(p);
            }
        }
    }
    None
}

/// A point inside both polygons, if their interiors overlap (shared borders do not count):
/// an edge crossing, a corner of one strictly inside the other, or, for overlaps whose
/// borders only touch (identical or nested rings), a scanline interval both cover.
fn overlap(a: &[[f64; 2]], b: &[[f64; 2]]) -> Option<[f64; 2]> {
    let (ba, bb) = (bbox_mm(a), bbox_mm(b));
    let y0 = ba[0][1].max(bb[0][1]);
    let y1 = ba[1][1].min(bb[1][1]);
    if ba[0][0].max(bb[0][0]) >= ba[1][0].min(bb[1][0]) || y0 >= y1 {
        return None;
    }
    if let Some(p) = ring_crossing(a, b) {
        return Some(p);
    }
    let strictly_inside = |poly: &[[f64; 2]], q: [f64; 2]| {
        contains(poly, q) && boundary_distance_mm(poly, q) > EPS_MM
    };
    if let Some(&q) = a.iter().find(|&&q| strictly_inside(b, q)) {
        return Some(q);
    }
    if let Some(&q) = b.iter().find(|&&q| strictly_inside(a, q)) {
        return Some(q);
    }
    scanlines(y0, y1, SCAN_PITCH_MM).find_map(|y| {
        let (ia, ib) = (scanline_intervals(a, y), scanline_intervals(b, y));
        overlap_mid(&ia, &ib, EPS_MM).map(|x| [x, y])
    })
}

/// Parses and validates a face map; `path` names the file in errors.
pub(crate) fn parse(text: &str, path: &Path) -> Result<FaceMap, FaceMapError> {
    Parser { text, path }.map()
}
