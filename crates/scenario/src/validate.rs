//! From text to a checked [`Scenario`]: TOML parsing, schema errors rewritten to say what is
//! allowed, and every semantic rule pointed at the offending key.

use crate::doc::{Doc, Seg, dotted, k};
use crate::error::ScenarioError;
use crate::model::{Firmware, FirmwareLink, INJECTION_KINDS, Pen, Scenario, Skin, Source, Speed};
use crate::raw::{RawFirmware, RawFirmwareKind, RawPen, RawScenario, RawSkin};
use needlebench_physics::{Cartridge, PhysicsError, Site, builtin_site_names};
use serde::Deserialize;
use std::cell::RefCell;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use toml::de::DeTable;

/// Longest simulated run a scenario may ask for, s (one day).
pub(crate) const DURATION_MAX_S: f64 = 86_400.0;

/// Parses `text` into a TOML tree with positions; `origin` names the file in errors.
pub(crate) fn parse_root<'i>(
    text: &'i str,
    origin: &Path,
) -> Result<toml::Spanned<DeTable<'i>>, ScenarioError> {
    DeTable::parse(text).map_err(|e| ScenarioError::Syntax {
        at: crate::error::Location::from_offset(origin, text, e.span().map_or(0, |s| s.start)),
        message: e.message().trim().to_owned(),
    })
}

/// Parses and validates `text`; `origin` names the file in errors and anchors relative paths,
/// except those in `redirects` (path as written → where the file is), which a scenario copy
/// inside a recording uses to find the copies of the files it read.
///
/// A file with a `[matrix]` table is refused here: it is many scenarios
/// ([`crate::ScenarioFile`] expands it).
pub(crate) fn parse(
    text: &str,
    origin: &Path,
    redirects: &BTreeMap<String, PathBuf>,
) -> Result<Scenario, ScenarioError> {
    let root = parse_root(text, origin)?;
    if let Some((key, _)) = root.get_ref().get_key_value("matrix") {
        return Err(ScenarioError::Invalid {
            at: crate::error::Location::from_offset(origin, text, key.span().start),
            key: "matrix".to_owned(),
            message: "this file has a [matrix]: it is a set of variants, not one scenario; \
                      list them with `needlebench list FILE`, run them with `needlebench \
                      regress FILE`, or one with `needlebench run FILE --variant NAME`"
                .to_owned(),
        });
    }
    validate_root(text, origin, redirects, root)
}

/// Validates a parsed tree (`root`, from `text`, possibly with values set by a matrix).
pub(crate) fn validate_root<'i>(
    text: &'i str,
    origin: &Path,
    redirects: &BTreeMap<String, PathBuf>,
    root: toml::Spanned<DeTable<'i>>,
) -> Result<Scenario, ScenarioError> {
    let doc = Doc {
        file: origin.to_owned(),
        text,
        root,
    };
    let de = toml::de::Deserializer::from(doc.root.clone());
    let raw = RawScenario::deserialize(de).map_err(|e| schema_error(&doc, &e))?;
    let dir = origin.parent().map_or_else(PathBuf::new, Path::to_path_buf);
    let v = Validator {
        doc: &doc,
        dir,
        redirects,
        read: RefCell::new(Vec::new()),
    };
    v.scenario(raw, text, origin)
}

/// Turns serde's messages into ones that name the table and list what is allowed.
fn schema_error(doc: &Doc<'_>, e: &toml::de::Error) -> ScenarioError {
    let msg = e.message().trim();
    let span = e.span().unwrap_or(0..0);
    let offset = span.start;
    // An error about the whole document (a missing top-level key) has the root's span.
    let whole = span == doc.root.span() || (span.start == 0 && span.end >= doc.text.len());
    let mut path = if whole {
        Vec::new()
    } else {
        doc.path_at(offset)
    };
    let in_inject = matches!(path.first(), Some(Seg::Key(key)) if key == "inject");
    let table_name = |p: &[Seg]| {
        if p.is_empty() {
            "the top level".to_owned()
        } else {
            format!("[{}]", dotted(p))
        }
    };
    if let Some(rest) = msg.strip_prefix("unknown field `") {
        let (key, rest) = rest.split_once('`').unwrap_or((rest, ""));
        if matches!(path.last(), Some(Seg::Key(last)) if last == key) {
            path.pop();
        }
        let mut allowed = backticked(rest);
        if in_inject {
            allowed.insert(0, "kind".to_owned());
        }
        let mut key_path = path.clone();
        key_path.push(k(key));
        let allowed = if allowed.is_empty() {
            "none".to_owned()
        } else {
            allowed.join(", ")
        };
        return ScenarioError::Schema {
            at: doc.loc(&key_path),
            message: format!(
                "unknown key `{key}` in {}; allowed: {allowed}",
                table_name(&path)
            ),
        };
    }
    if let Some(rest) = msg.strip_prefix("unknown variant `") {
        let (value, rest) = rest.split_once('`').unwrap_or((rest, ""));
        let allowed = backticked(rest).join(", ");
        if in_inject && matches!(path.last(), Some(Seg::Index(_))) {
            path.push(k("kind"));
        }
        // An externally tagged table (`area = { circle = … }`): the key is the variant.
        let message = if matches!(path.last(), Some(Seg::Key(last)) if last == value) {
            path.pop();
            format!(
                "{} = {{ {value} = … }}: expected one of {allowed}",
                dotted(&path)
            )
        } else {
            format!("{} = \"{value}\": expected one of {allowed}", dotted(&path))
        };
        return ScenarioError::Schema {
            at: doc.loc_at(offset),
            message,
        };
    }
    if let Some(rest) = msg.strip_prefix("missing field `") {
        let key = rest.split_once('`').map_or(rest, |(key, _)| key);
        let mut message = format!("missing key `{key}` in {}", table_name(&path));
        if in_inject && key == "kind" {
            message.push_str(&format!("; kind is one of {}", INJECTION_KINDS.join(", ")));
        }
        return ScenarioError::Schema {
            at: doc.loc_at(offset),
            message,
        };
    }
    let message = if path.is_empty() {
        msg.to_owned()
    } else {
        format!("{}: {msg}", dotted(&path))
    };
    ScenarioError::Schema {
        at: doc.loc_at(offset),
        message,
    }
}

/// The words between backticks in serde's "expected one of `a`, `b`".
fn backticked(s: &str) -> Vec<String> {
    s.split('`').skip(1).step_by(2).map(str::to_owned).collect()
}

/// A float as written in messages (shared with the face maps' messages).
pub(crate) use needlebench_face::error::number as num;

/// A path of table keys.
pub(crate) fn keys(ks: &[&str]) -> Vec<Seg> {
    ks.iter().map(|s| k(s)).collect()
}

/// `path` with `key` appended.
pub(crate) fn join(path: &[Seg], key: &str) -> Vec<Seg> {
    let mut p = path.to_vec();
    p.push(k(key));
    p
}

/// Semantic checks with the document at hand to point at keys.
pub(crate) struct Validator<'a, 'i> {
    pub(crate) doc: &'a Doc<'i>,
    /// Directory of the scenario file: relative paths in it start here.
    pub(crate) dir: PathBuf,
    /// Paths as written → where the file really is (a scenario copy in a recording).
    pub(crate) redirects: &'a BTreeMap<String, PathBuf>,
    /// Files read so far: path as written, path resolved.
    pub(crate) read: RefCell<Vec<(String, PathBuf)>>,
}

impl Validator<'_, '_> {
    /// An error at `path` with a message that should start with the key's name.
    pub(crate) fn invalid(&self, path: &[Seg], message: String) -> ScenarioError {
        ScenarioError::Invalid {
            at: self.doc.loc(path),
            key: dotted(path),
            message,
        }
    }

    /// `value` must be finite and in `[min, max]`.
    pub(crate) fn range(
        &self,
        path: &[Seg],
        value: f64,
        min: f64,
        max: f64,
    ) -> Result<f64, ScenarioError> {
        if value >= min && value <= max {
            Ok(value)
        } else {
            let msg = format!(
                "{} = {} out of range {}–{}",
                dotted(path),
                num(value),
                num(min),
                num(max)
            );
            Err(self.invalid(path, msg))
        }
    }

    /// `value` must be finite, `> 0` and `<= max`.
    pub(crate) fn pos(&self, path: &[Seg], value: f64, max: f64) -> Result<f64, ScenarioError> {
        if value > 0.0 && value <= max {
            Ok(value)
        } else {
            let msg = format!(
                "{} = {} out of range: must be > 0 and <= {}",
                dotted(path),
                num(value),
                num(max)
            );
            Err(self.invalid(path, msg))
        }
    }

    /// An optional value with a default, checked by `check`.
    pub(crate) fn opt(
        &self,
        path: &[Seg],
        value: Option<f64>,
        default: f64,
        check: impl FnOnce(&Self, &[Seg], f64) -> Result<f64, ScenarioError>,
    ) -> Result<f64, ScenarioError> {
        match value {
            Some(v) => check(self, path, v),
            None => Ok(default),
        }
    }

    /// A path in the file resolved against the scenario's directory (or redirected).
    pub(crate) fn resolve(&self, rel: &str) -> PathBuf {
        if let Some(p) = self.redirects.get(rel) {
            return p.clone();
        }
        // A directory the scenario read (a golden recording) is copied file by file: its
        // copy is the directory holding the copy of its meta.toml.
        if let Some(p) = self.redirects.get(&format!("{rel}/meta.toml"))
            && let Some(dir) = p.parent()
        {
            return dir.to_owned();
        }
        self.dir.join(rel)
    }

    /// [`Validator::resolve`] for a file (or a golden recording's directory) the scenario
    /// reads: remembered in [`Source::files`] so a recording can store a copy.
    pub(crate) fn resolve_read(&self, rel: &str) -> PathBuf {
        let path = self.resolve(rel);
        self.read.borrow_mut().push((rel.to_owned(), path.clone()));
        path
    }

    fn scenario(
        &self,
        raw: RawScenario,
        text: &str,
        origin: &Path,
    ) -> Result<Scenario, ScenarioError> {
        let name_ok = !raw.name.is_empty()
            && raw
                .name
                .bytes()
                .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-' || b == b'.')
            && !raw.name.starts_with(['.', '-']);
        if !name_ok {
            let msg = format!(
                "name = \"{}\": must be non-empty, only a-z, 0-9, - and . and not start with - or .",
                raw.name
            );
            return Err(self.invalid(&keys(&["name"]), msg));
        }
        let duration_s = match raw.duration_s {
            Some(d) => Some(self.pos(&keys(&["duration_s"]), d, DURATION_MAX_S)?),
            None => None,
        };
        let plan = match &raw.plan {
            Some(plan) => Some(self.plan(plan, raw.hand.as_ref())?),
            None => None,
        };
        let skin = match &plan {
            Some(plan) => self.plan_skin(raw.skin.as_ref(), plan)?,
            None => self.skin(
                raw.skin
                    .as_ref()
                    .ok_or_else(|| self.missing_table("skin"))?,
            )?,
        };
        let first_exposure_mm = plan.as_ref().map(|p| p.zones[0].exposure_mm);
        let device = self.device(&raw.device, raw.pen.as_ref(), first_exposure_mm)?;
        let firmware = self.firmware(&raw.firmware)?;
        let hand = match &plan {
            Some(plan) => self.plan_hand(raw.hand.as_ref(), plan)?,
            None => self.hand(
                raw.hand
                    .as_ref()
                    .ok_or_else(|| self.missing_table("hand"))?,
            )?,
        };
        let inject = raw
            .inject
            .iter()
            .enumerate()
            .map(|(i, r)| self.injection(i, r, duration_s))
            .collect::<Result<Vec<_>, _>>()?;
        self.device_without_firmware(&device, &firmware, &inject)?;
        let mut expect = self.expect(&raw.expect, &skin)?;
        expect.cartridge_limit_s = firmware.cartridge_limit_s;
        let source = Source {
            path: origin.to_owned(),
            text: text.to_owned(),
            files: self.read.take(),
        };
        Ok(Scenario {
            name: raw.name,
            description: raw.description,
            tags: raw.tags,
            seed: raw.seed,
            duration_s,
            skin,
            device,
            firmware,
            hand,
            plan,
            inject,
            expect,
            source,
            variant: None,
        })
    }

    /// The error for a required top-level table that is missing.
    fn missing_table(&self, key: &str) -> ScenarioError {
        ScenarioError::Schema {
            at: self.doc.loc(&[]),
            message: format!("missing key `{key}` in the top level"),
        }
    }

    fn skin(&self, raw: &RawSkin) -> Result<Skin, ScenarioError> {
        let (site, builtin) = match (&raw.site, &raw.custom) {
            (Some(_), Some(_)) => {
                let msg = "skin: give either `site` or a [skin.custom] table, not both".to_owned();
                return Err(self.invalid(&keys(&["skin", "custom"]), msg));
            }
            (None, None) => {
                let msg = format!(
                    "skin: needs `site` (one of {}) or a [skin.custom] table",
                    builtin_site_names()
                );
                return Err(self.invalid(&keys(&["skin"]), msg));
            }
            (Some(name), None) => match Site::builtin(name) {
                Ok(site) => (site, true),
                Err(_) => {
                    let msg = format!(
                        "skin.site = \"{name}\": expected one of {}",
                        builtin_site_names()
                    );
                    return Err(self.invalid(&keys(&["skin", "site"]), msg));
                }
            },
            (None, Some(spec)) => match Site::try_from(spec.clone()) {
                Ok(site) => (site, false),
                Err(source) => return Err(self.site_error(source)),
            },
        };
        let (thickness_variation, variation_length_mm) = self.skin_variation(raw)?;
        Ok(Skin {
            site,
            builtin,
            thickness_variation,
            variation_length_mm,
        })
    }

    /// `skin.thickness_variation` and `skin.variation_length_mm`, with their defaults.
    pub(crate) fn skin_variation(&self, raw: &RawSkin) -> Result<(f64, f64), ScenarioError> {
        let thickness_variation = self.opt(
            &keys(&["skin", "thickness_variation"]),
            raw.thickness_variation,
            0.0,
            |v, p, x| v.range(p, x, 0.0, 0.5),
        )?;
        let variation_length_mm = self.opt(
            &keys(&["skin", "variation_length_mm"]),
            raw.variation_length_mm,
            5.0,
            |v, p, x| v.pos(p, x, 1000.0),
        )?;
        Ok((thickness_variation, variation_length_mm))
    }

    /// A physics error about `[skin.custom]`, pointed at the field it names.
    fn site_error(&self, source: PhysicsError) -> ScenarioError {
        let field = match &source {
            PhysicsError::OutOfRange { field, .. } | PhysicsError::MissingLayer { field } => {
                field.as_str()
            }
            _ => "",
        };
        let mut path = keys(&["skin", "custom"]);
        path.extend(field.split('.').filter(|s| !s.is_empty()).map(k));
        ScenarioError::Site {
            at: self.doc.loc(&path),
            source,
        }
    }

    /// `[pen]`; `plan_exposure_mm` is the first plan zone's exposure, which a plan's pen
    /// starts at (then `pen.exposure_mm` is not allowed).
    pub(crate) fn pen(
        &self,
        raw: &RawPen,
        plan_exposure_mm: Option<f64>,
    ) -> Result<Pen, ScenarioError> {
        let cartridge = match Cartridge::from_name(&raw.cartridge) {
            Ok(c) => c,
            Err(_) => {
                let msg = format!(
                    "pen.cartridge = \"{}\": expected one of {}",
                    raw.cartridge,
                    needlebench_physics::CARTRIDGE_NAMES.join(", ")
                );
                return Err(self.invalid(&keys(&["pen", "cartridge"]), msg));
            }
        };
        let p = keys(&["pen", "exposure_mm"]);
        let exposure_mm = match (raw.exposure_mm, plan_exposure_mm) {
            (Some(_), Some(_)) => {
                let msg = "pen.exposure_mm: not allowed with [plan]: each [[plan.zone]] sets \
                           `exposure_mm`, and the pen starts at the first zone's"
                    .to_owned();
                return Err(self.invalid(&p, msg));
            }
            (Some(e), None) => self.exposure(&p, e)?,
            (None, Some(e)) => e,
            (None, None) => {
                return Err(ScenarioError::Schema {
                    at: self.doc.loc(&keys(&["pen"])),
                    message: "missing key `exposure_mm` in [pen]".to_owned(),
                });
            }
        };
        let speed = match (raw.speed_level, raw.stroke_hz) {
            (Some(_), Some(_)) => {
                let msg = "pen: give exactly one of `speed_level` (1–6) or `stroke_hz`, not both";
                return Err(self.invalid(&keys(&["pen", "stroke_hz"]), msg.to_owned()));
            }
            (None, None) => {
                let msg = "pen: needs one of `speed_level` (1–6) or `stroke_hz`";
                return Err(self.invalid(&keys(&["pen"]), msg.to_owned()));
            }
            (Some(level), None) => match u8::try_from(level) {
                Ok(l @ 1..=6) => Speed::Level(l),
                _ => {
                    let msg = format!("pen.speed_level = {level} out of range 1–6");
                    return Err(self.invalid(&keys(&["pen", "speed_level"]), msg));
                }
            },
            (None, Some(hz)) => {
                Speed::StrokeHz(self.pos(&keys(&["pen", "stroke_hz"]), hz, 250.0)?)
            }
        };
        let battery_soc = self.opt(
            &keys(&["pen", "battery_soc"]),
            raw.battery_soc,
            0.9,
            |v, p, x| v.range(p, x, 0.0, 1.0),
        )?;
        Ok(Pen {
            cartridge,
            exposure_mm,
            speed,
            battery_soc,
            cartridge_id: raw.cartridge_id.unwrap_or(1),
        })
    }

    /// An exposure setting at `path`: 0–3.0 mm, a multiple of 0.05 mm (the pens' dial).
    pub(crate) fn exposure(&self, path: &[Seg], value: f64) -> Result<f64, ScenarioError> {
        let exposure_mm = self.range(path, value, 0.0, 3.0)?;
        let steps = exposure_mm / 0.05;
        if (steps - steps.round()).abs() > 1e-6 {
            let msg = format!(
                "{} = {}: must be a multiple of 0.05 mm",
                dotted(path),
                num(exposure_mm)
            );
            return Err(self.invalid(path, msg));
        }
        Ok(exposure_mm)
    }

    fn firmware(&self, raw: &RawFirmware) -> Result<Firmware, ScenarioError> {
        let serial = raw.kind == RawFirmwareKind::Serial;
        if !serial {
            for (key, given) in [("port", raw.port.is_some()), ("baud", raw.baud.is_some())] {
                if given {
                    let msg = format!("firmware.{key}: only allowed with kind = \"serial\"");
                    return Err(self.invalid(&keys(&["firmware", key]), msg));
                }
            }
        }
        let link = match raw.kind {
            RawFirmwareKind::Emulated => FirmwareLink::Emulated,
            RawFirmwareKind::EmulatorPty => FirmwareLink::EmulatorPty,
            RawFirmwareKind::Serial => {
                let Some(port) = raw.port.clone().filter(|p| !p.trim().is_empty()) else {
                    let msg =
                        "firmware.kind = \"serial\" needs `port` (e.g. port = \"/dev/ttyACM0\")";
                    return Err(self.invalid(&keys(&["firmware", "kind"]), msg.to_owned()));
                };
                let baud = raw.baud.unwrap_or(115_200);
                if baud == 0 {
                    let msg = "firmware.baud = 0 out of range: must be > 0".to_owned();
                    return Err(self.invalid(&keys(&["firmware", "baud"]), msg));
                }
                FirmwareLink::Serial { port, baud }
            }
        };
        let p = keys(&["firmware", "cartridge_limit_s"]);
        let cartridge_limit_s = match raw.cartridge_limit_s {
            Some(_) if serial => {
                let msg = "firmware.cartridge_limit_s: only for the emulated firmware (kind = \"emulated\" or \"emulator-pty\"), not kind = \"serial\"";
                return Err(self.invalid(&p, msg.to_owned()));
            }
            Some(s) => Some(self.pos(&p, s, 1e6)?),
            None => None,
        };
        Ok(Firmware {
            link,
            clock: raw.clock,
            cartridge_limit_s,
        })
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn numbers_in_messages_have_a_decimal_point_and_no_exponent() {
        assert_eq!(super::num(3.0), "3.0");
        assert_eq!(super::num(0.25), "0.25");
        assert_eq!(super::num(-1.0), "-1.0");
        assert_eq!(super::num(1e20), "100000000000000000000.0");
        assert_eq!(super::num(f64::INFINITY), "inf");
    }
}
