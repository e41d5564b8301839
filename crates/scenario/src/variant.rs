//! Matrix variants: their names, seeds and directory names, and [`ScenarioFile`], a scenario
//! file read as the units a suite runs (one scenario, or one per matrix variant).
//!
//! - **Name**: `BASE[LABEL=VALUE,…]`. The pairs are the combination's axis values in axis
//!   order; a combination an `include` entry created lists every key of that entry (axes in
//!   axis order, then its other keys in the entry's order). Values set on a combination by
//!   matching `include` entries are not in the name (so adding an expectation renames
//!   nothing). `LABEL` is the key's last segment (`exposure_mm` for `pen.exposure_mm`),
//!   unless another key anywhere in the file's `[matrix]` has the same last segment, then
//!   the whole dotted key. `VALUE`: integers in decimal, floats in the shortest form that
//!   reads back exactly with at least one decimal (`0.5`, `1.0`), booleans `true`/`false`,
//!   strings bare when they are non-empty and only `A-Z a-z 0-9 . _ - / : +`, otherwise as a
//!   TOML basic string (`"a b"`, with `\"`, `\\` and `\uXXXX` escapes).
//! - **Seed**: the combination's own `seed` when the matrix sets one; otherwise the first 8
//!   bytes, big-endian, of SHA-256 over the UTF-8 text `"{base_seed} {name}"` (the file's
//!   `seed`, default 0, in decimal, one space, the variant's name):
//!   `printf '%s' '7 demo[exposure_mm=0.5]' | sha256sum | cut -c1-16` is the seed in hex.
//! - **Directory name** (a variant's recording): `BASE@` followed by the text between the
//!   brackets, where every byte other than `A-Z a-z 0-9 . _ - = ,` is written `%XX`
//!   (uppercase hex of each UTF-8 byte): `demo@exposure_mm=0.5,speed_level=3`. Safe in file
//!   names on Linux, macOS and Windows and in shells without quoting, and one-to-one.

use crate::error::ScenarioError;
use crate::matrix::{Combo, Ctx, ExpandOptions, Pick, Plan, set};
use crate::model::Scenario;
use crate::validate::{num, parse_root, validate_root};
use sha2::{Digest, Sha256};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

/// One value a matrix sets on a variant.
#[derive(Debug, Clone, PartialEq)]
pub struct MatrixValue {
    /// The dotted scenario key, `pen.exposure_mm`.
    pub key: String,
    /// The value, as written in the matrix.
    pub value: toml::Value,
    /// Whether the value is part of the variant's name.
    pub in_name: bool,
}

/// One variant of a matrix scenario.
#[derive(Debug, Clone, PartialEq)]
pub struct Variant {
    /// The file's `name`, `forehead-fine-lines`.
    pub base_name: String,
    /// `forehead-fine-lines[exposure_mm=0.5,speed_level=3]` (module docs).
    pub name: String,
    /// The variant's seed (module docs).
    pub seed: u64,
    /// What the matrix sets: the values in the name first, in name order, then the others
    /// in the order they were set.
    pub values: Vec<MatrixValue>,
    /// Position in the file's list of variants, 0-based.
    pub index: usize,
    /// Where each value comes from, parallel to `values`.
    pub(crate) picks: Vec<Pick>,
}

impl Variant {
    /// The directory name of the variant's recording (module docs).
    pub fn dir_name(&self) -> String {
        let inner = self
            .name
            .strip_prefix(&self.base_name)
            .and_then(|s| s.strip_prefix('['))
            .and_then(|s| s.strip_suffix(']'))
            .unwrap_or(&self.name);
        let mut out = format!("{}@", self.base_name);
        for b in inner.bytes() {
            if b.is_ascii_alphanumeric() || b".-_=,".contains(&b) {
                out.push(char::from(b));
            } else {
                out.push_str(&format!("%{b:02X}"));
            }
        }
        out
    }

    /// The value the matrix sets for `key` (dotted), if it sets one.
    pub fn value(&self, key: &str) -> Option<&toml::Value> {
        self.values.iter().find(|v| v.key == key).map(|v| &v.value)
    }
}

/// The seed of the variant `name` of a file whose `seed` is `base_seed` (module docs).
pub fn variant_seed(base_seed: u64, name: &str) -> u64 {
    let digest = Sha256::digest(format!("{base_seed} {name}").as_bytes());
    let mut first = [0u8; 8];
    first.copy_from_slice(&digest[..8]);
    u64::from_be_bytes(first)
}

/// A value as written in a variant name (module docs).
pub fn name_value(v: &toml::Value) -> String {
    match v {
        toml::Value::String(s) => {
            let bare = !s.is_empty()
                && s.chars()
                    .all(|c| c.is_ascii_alphanumeric() || "._-/:+".contains(c));
            if bare {
                s.clone()
            } else {
                let mut out = String::from("\"");
                for c in s.chars() {
                    match c {
                        '"' => out.push_str("\\\""),
                        '\\' => out.push_str("\\\\"),
                        c if c.is_control() => out.push_str(&format!("\\u{:04X}", u32::from(c))),
                        c => out.push(c),
                    }
                }
                out.push('"');
                out
            }
        }
        toml::Value::Integer(i) => i.to_string(),
        toml::Value::Float(f) => num(*f),
        toml::Value::Boolean(b) => b.to_string(),
        other => other.to_string(),
    }
}

/// A scenario file read as the units a suite runs: one scenario, or one per variant of its
/// `[matrix]`. Variants are listed when the file is read; each variant's scenario is built
/// and validated on demand ([`ScenarioFile::variant`]), so a large matrix costs little until
/// it runs.
#[derive(Debug, Clone)]
pub struct ScenarioFile {
    path: PathBuf,
    text: String,
    redirects: BTreeMap<String, PathBuf>,
    variants: Option<Vec<Variant>>,
}

impl ScenarioFile {
    /// Reads the file at `path` and expands its matrix, if any.
    pub fn read(path: &Path, options: ExpandOptions) -> Result<ScenarioFile, ScenarioError> {
        let text = std::fs::read_to_string(path).map_err(|source| ScenarioError::Io {
            path: path.to_owned(),
            source,
        })?;
        ScenarioFile::new(text, path, BTreeMap::new(), options)
    }

    /// `text` as if read from `origin` (see [`Scenario::from_str`]).
    #[allow(clippy::should_implement_trait)]
    pub fn from_str(
        text: &str,
        origin: &Path,
        options: ExpandOptions,
    ) -> Result<ScenarioFile, ScenarioError> {
        ScenarioFile::new(text.to_owned(), origin, BTreeMap::new(), options)
    }

    /// The scenario copy in a recording (see [`Scenario::from_copy`]); a matrix of any size
    /// is expanded (it ran once already).
    pub fn from_copy(
        copy: &Path,
        files: &BTreeMap<String, PathBuf>,
    ) -> Result<ScenarioFile, ScenarioError> {
        let text = std::fs::read_to_string(copy).map_err(|source| ScenarioError::Io {
            path: copy.to_owned(),
            source,
        })?;
        let options = ExpandOptions { allow_large: true };
        ScenarioFile::new(text, copy, files.clone(), options)
    }

    fn new(
        text: String,
        path: &Path,
        redirects: BTreeMap<String, PathBuf>,
        options: ExpandOptions,
    ) -> Result<ScenarioFile, ScenarioError> {
        let variants = expand(&text, path, options)?;
        Ok(ScenarioFile {
            path: path.to_owned(),
            text,
            redirects,
            variants,
        })
    }

    /// The file's path, as given.
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// The variants, in order; `None` for a file without `[matrix]`.
    pub fn variants(&self) -> Option<&[Variant]> {
        self.variants.as_deref()
    }

    /// How many scenarios the file holds: its variants, or 1.
    pub fn len(&self) -> usize {
        self.variants.as_ref().map_or(1, Vec::len)
    }

    /// Never true: a file holds at least one scenario (a matrix without variants is an
    /// error).
    pub fn is_empty(&self) -> bool {
        false
    }

    /// The scenario of a file without `[matrix]` (an error for a matrix).
    pub fn scenario(&self) -> Result<Scenario, ScenarioError> {
        crate::validate::parse(&self.text, &self.path, &self.redirects)
    }

    /// Scenario `unit` of the file (0-based): the file's own scenario for unit 0 of a file
    /// without `[matrix]`, else the variant at that index.
    pub fn unit(&self, unit: usize) -> Result<Scenario, ScenarioError> {
        match self.variants.as_ref().and_then(|v| v.get(unit)) {
            Some(v) => self.variant(v),
            None => self.scenario(),
        }
    }

    /// The scenario named `variant` (a variant's full name), or the file's own scenario when
    /// `variant` is `None`; an error names the file when the two do not fit (a variant of a
    /// file without `[matrix]`, no variant of a matrix, a name the matrix does not make).
    pub fn select(&self, variant: Option<&str>) -> Result<Scenario, ScenarioError> {
        let (Some(name), Some(variants)) = (variant, &self.variants) else {
            return match variant {
                Some(name) => Err(self.file_error(format!(
                    "variant `{name}` asked for, but the file has no [matrix]"
                ))),
                None => self.scenario(),
            };
        };
        match variants.iter().find(|v| v.name == name) {
            Some(v) => self.variant(v),
            None => Err(self.file_error(format!(
                "the matrix has no variant `{name}` ({} variants; `needlebench list {}` names \
                 them)",
                variants.len(),
                self.path.display()
            ))),
        }
    }

    fn file_error(&self, message: String) -> ScenarioError {
        ScenarioError::Invalid {
            at: crate::error::Location::from_offset(&self.path, &self.text, 0),
            key: "matrix".to_owned(),
            message,
        }
    }

    /// The scenario of variant `v` (one of [`ScenarioFile::variants`]): the file with the
    /// matrix's values set and `[matrix]` removed, validated; errors are those of any
    /// scenario, wrapped in [`ScenarioError::Variant`], and point at the matrix key that set
    /// a bad value (or at the value itself for a wrong type).
    pub fn variant(&self, v: &Variant) -> Result<Scenario, ScenarioError> {
        let wrap = |source: ScenarioError| ScenarioError::Variant {
            variant: v.name.clone(),
            source: Box::new(source),
        };
        let mut root = parse_root(&self.text, &self.path)?;
        let ctx = Ctx {
            file: &self.path,
            text: &self.text,
        };
        let Some(plan) = Plan::read(root.get_ref(), &ctx)? else {
            return Err(self.file_error("the file has no [matrix]".to_owned()));
        };
        let mut sets = Vec::with_capacity(v.picks.len());
        for pick in &v.picks {
            let (key, value, _) = plan.pick(*pick);
            sets.push((key.clone(), value.clone()));
        }
        drop(plan);
        root.get_mut().remove("matrix");
        for (key, value) in sets {
            set(root.get_mut(), &key.path, &key.span, value).map_err(|table| {
                wrap(ctx.err(
                    &key.span,
                    &key.dotted,
                    format!(
                        "matrix key `{}`: `{table}` in the scenario is not a table",
                        key.dotted
                    ),
                ))
            })?;
        }
        let mut s = validate_root(&self.text, &self.path, &self.redirects, root).map_err(wrap)?;
        s.name = v.name.clone();
        s.seed = v.seed;
        s.variant = Some(v.clone());
        Ok(s)
    }
}

/// The variants of the file `text` (from `path`), `None` without `[matrix]`.
fn expand(
    text: &str,
    path: &Path,
    options: ExpandOptions,
) -> Result<Option<Vec<Variant>>, ScenarioError> {
    let root = parse_root(text, path)?;
    let ctx = Ctx { file: path, text };
    let Some(plan) = Plan::read(root.get_ref(), &ctx)? else {
        return Ok(None);
    };
    let matrix_span = root
        .get_ref()
        .get_key_value("matrix")
        .map_or(0..0, |(k, _)| k.span());
    let base_name = match root.get_ref().get("name").map(|v| v.get_ref()) {
        Some(toml::de::DeValue::String(s)) => s.to_string(),
        _ => {
            let msg =
                "a scenario with a [matrix] needs `name = \"…\"` (variants are named after it)";
            return Err(ctx.err(&(0..0), "name", msg.to_owned()));
        }
    };
    let base_seed = match root.get_ref().get("seed").map(|v| owned_of(v.get_ref())) {
        Some(toml::Value::Integer(i)) => u64::try_from(i).unwrap_or(0),
        _ => 0,
    };
    let combos = plan.combos(options, &ctx, &matrix_span)?;
    let labels = labels(&plan);
    let mut variants = Vec::with_capacity(combos.len());
    let mut seen: BTreeMap<String, usize> = BTreeMap::new();
    for (index, combo) in combos.into_iter().enumerate() {
        let at = combo
            .created_by
            .map_or(matrix_span.clone(), |e| plan.include[e].span.clone());
        let v = variant(&plan, &labels, &base_name, base_seed, index, combo);
        if let Some(first) = seen.insert(v.name.clone(), index) {
            let msg = format!(
                "matrix: variants {} and {} are both named `{}` (include entries that create \
                 combinations must differ in what they set)",
                first + 1,
                index + 1,
                v.name
            );
            return Err(ctx.err(&at, "matrix", msg));
        }
        variants.push(v);
    }
    Ok(Some(variants))
}

fn owned_of(v: &toml::de::DeValue<'_>) -> toml::Value {
    crate::matrix::owned(v)
}

/// The label of each dotted key the matrix names (module docs: last segment unless shared).
fn labels(plan: &Plan<'_>) -> BTreeMap<String, String> {
    let keys: Vec<&crate::matrix::Key> = plan
        .axes
        .iter()
        .map(|a| &a.key)
        .chain(
            plan.include
                .iter()
                .chain(&plan.exclude)
                .flat_map(|e| e.pairs.iter().map(|p| &p.0)),
        )
        .collect();
    let mut out = BTreeMap::new();
    for k in &keys {
        let last = k.path.last().cloned().unwrap_or_default();
        let shared = keys
            .iter()
            .any(|o| o.path != k.path && o.path.last() == k.path.last());
        out.insert(
            k.dotted.clone(),
            if shared { k.dotted.clone() } else { last },
        );
    }
    out
}

fn variant(
    plan: &Plan<'_>,
    labels: &BTreeMap<String, String>,
    base_name: &str,
    base_seed: u64,
    index: usize,
    combo: Combo,
) -> Variant {
    let mut values = Vec::new();
    let mut pairs = Vec::new();
    for (pick, in_name) in combo
        .named
        .iter()
        .map(|p| (p, true))
        .chain(combo.extra.iter().map(|p| (p, false)))
    {
        let (key, _, value) = plan.pick(*pick);
        if in_name {
            let label = labels.get(&key.dotted).unwrap_or(&key.dotted);
            pairs.push(format!("{label}={}", name_value(value)));
        }
        values.push(MatrixValue {
            key: key.dotted.clone(),
            value: value.clone(),
            in_name,
        });
    }
    let name = format!("{base_name}[{}]", pairs.join(","));
    let seed = match values.iter().find(|v| v.key == "seed").map(|v| &v.value) {
        Some(toml::Value::Integer(i)) => u64::try_from(*i).unwrap_or(0),
        _ => variant_seed(base_seed, &name),
    };
    Variant {
        base_name: base_name.to_owned(),
        name,
        seed,
        values,
        index,
        picks: combo.named.into_iter().chain(combo.extra).collect(),
    }
}
