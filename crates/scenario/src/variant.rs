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
use crate::matrix::{Ctx, ExpandOptions, Pick, Plan, set};
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
/// `[matrix]`. The matrix is expanded when the file is read (so its errors, its size and
/// duplicate names are known at once), but each combination is kept as a few indexes (tens of
/// bytes): a [`Variant`] is built when asked for ([`ScenarioFile::variant_at`]) and its
/// scenario validated when it runs ([`ScenarioFile::variant`]), so even a million variants
/// cost little memory.
#[derive(Debug, Clone)]
pub struct ScenarioFile {
    path: PathBuf,
    text: String,
    redirects: BTreeMap<String, PathBuf>,
    matrix: Option<Expanded>,
}

/// A value the matrix may set: its dotted key, its label in names, the value.
#[derive(Debug, Clone)]
struct Owned {
    key: String,
    label: String,
    value: toml::Value,
}

/// An expanded matrix, compactly: the values it may set, and each combination as a run of
/// picks into them.
#[derive(Debug, Clone)]
struct Expanded {
    base_name: String,
    base_seed: u64,
    /// `axes[axis][index]`.
    axes: Vec<Vec<Owned>>,
    /// `include[entry][pair]`.
    include: Vec<Vec<Owned>>,
    /// Every combination's picks, back to back.
    picks: Vec<Pick>,
    /// Per combination: start in `picks`, picks in the name, picks after them.
    combos: Vec<(usize, u16, u16)>,
}

impl Expanded {
    fn owned(&self, pick: Pick) -> &Owned {
        match pick {
            Pick::Axis { axis, index } => &self.axes[axis][index],
            Pick::Include { entry, pair } => &self.include[entry][pair],
        }
    }

    /// The name of combination `i` (module docs).
    fn name(&self, i: usize) -> String {
        let (start, named, _) = self.combos[i];
        let pairs: Vec<String> = self.picks[start..start + usize::from(named)]
            .iter()
            .map(|p| {
                let o = self.owned(*p);
                format!("{}={}", o.label, name_value(&o.value))
            })
            .collect();
        format!("{}[{}]", self.base_name, pairs.join(","))
    }

    /// Variant `i`.
    fn variant(&self, i: usize) -> Variant {
        let (start, named, extra) = self.combos[i];
        let picks = &self.picks[start..start + usize::from(named) + usize::from(extra)];
        let values: Vec<MatrixValue> = picks
            .iter()
            .enumerate()
            .map(|(k, p)| {
                let o = self.owned(*p);
                MatrixValue {
                    key: o.key.clone(),
                    value: o.value.clone(),
                    in_name: k < usize::from(named),
                }
            })
            .collect();
        let name = self.name(i);
        let seed = match values.iter().find(|v| v.key == "seed").map(|v| &v.value) {
            Some(toml::Value::Integer(s)) => u64::try_from(*s).unwrap_or(0),
            _ => variant_seed(self.base_seed, &name),
        };
        Variant {
            base_name: self.base_name.clone(),
            name,
            seed,
            values,
            index: i,
            picks: picks.to_vec(),
        }
    }
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
        let matrix = expand(&text, path, options)?;
        Ok(ScenarioFile {
            path: path.to_owned(),
            text,
            redirects,
            matrix,
        })
    }

    /// The file's path, as given.
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// How many variants the file's matrix has; `None` for a file without `[matrix]`.
    pub fn variant_count(&self) -> Option<usize> {
        self.matrix.as_ref().map(|m| m.combos.len())
    }

    /// Variant `i` (0-based, in the matrix's order); `None` past the end or without
    /// `[matrix]`.
    pub fn variant_at(&self, i: usize) -> Option<Variant> {
        let m = self.matrix.as_ref()?;
        (i < m.combos.len()).then(|| m.variant(i))
    }

    /// The variants, in order, each built as it is reached; `None` for a file without
    /// `[matrix]`.
    pub fn variants(&self) -> Option<impl Iterator<Item = Variant> + '_> {
        let m = self.matrix.as_ref()?;
        Some((0..m.combos.len()).map(|i| m.variant(i)))
    }

    /// How many scenarios the file holds: its variants, or 1.
    pub fn len(&self) -> usize {
        self.variant_count().unwrap_or(1)
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
        match self.variant_at(unit) {
            Some(v) => self.variant(&v),
            None => self.scenario(),
        }
    }

    /// The scenario named `variant` (a variant's full name), or the file's own scenario when
    /// `variant` is `None`; an error names the file when the two do not fit (a variant of a
    /// file without `[matrix]`, no variant of a matrix, a name the matrix does not make).
    pub fn select(&self, variant: Option<&str>) -> Result<Scenario, ScenarioError> {
        let (Some(name), Some(m)) = (variant, &self.matrix) else {
            return match variant {
                Some(name) => Err(self.file_error(format!(
                    "variant `{name}` asked for, but the file has no [matrix]"
                ))),
                None => self.scenario(),
            };
        };
        match (0..m.combos.len()).find(|i| m.name(*i) == name) {
            Some(i) => self.variant(&m.variant(i)),
            None => Err(self.file_error(format!(
                "the matrix has no variant `{name}` ({} variants; `needlebench list {}` names \
                 them)",
                m.combos.len(),
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

/// The expanded matrix of the file `text` (from `path`), `None` without `[matrix]`.
fn expand(
    text: &str,
    path: &Path,
    options: ExpandOptions,
) -> Result<Option<Expanded>, ScenarioError> {
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
    let own = |key: &crate::matrix::Key, value: &toml::Value| Owned {
        key: key.dotted.clone(),
        label: labels.get(&key.dotted).unwrap_or(&key.dotted).clone(),
        value: value.clone(),
    };
    let mut m = Expanded {
        base_name,
        base_seed,
        axes: plan
            .axes
            .iter()
            .map(|a| a.owned.iter().map(|v| own(&a.key, v)).collect())
            .collect(),
        include: plan
            .include
            .iter()
            .map(|e| {
                e.pairs
                    .iter()
                    .zip(&e.owned)
                    .map(|((k, _), v)| own(k, v))
                    .collect()
            })
            .collect(),
        picks: Vec::new(),
        combos: Vec::with_capacity(combos.len()),
    };
    let mut created_by = Vec::new();
    for combo in combos {
        let narrow = |n: usize| u16::try_from(n).unwrap_or(u16::MAX);
        m.combos.push((
            m.picks.len(),
            narrow(combo.named.len()),
            narrow(combo.extra.len()),
        ));
        m.picks.extend(combo.named);
        m.picks.extend(combo.extra);
        created_by.push(combo.created_by);
    }
    // Duplicate names, by a hash of each name (a collision is confirmed on the names).
    let mut seen: std::collections::HashMap<u64, Vec<usize>> = std::collections::HashMap::new();
    for (index, created_by) in created_by.iter().enumerate() {
        let name = m.name(index);
        let hash = {
            use std::hash::{Hash, Hasher};
            let mut h = std::collections::hash_map::DefaultHasher::new();
            name.hash(&mut h);
            h.finish()
        };
        let same = seen.entry(hash).or_default();
        if let Some(&first) = same.iter().find(|&&i| m.name(i) == name) {
            let at = created_by.map_or(matrix_span.clone(), |e| plan.include[e].span.clone());
            let msg = format!(
                "matrix: variants {} and {} are both named `{name}` (include entries that \
                 create combinations must differ in what they set)",
                first + 1,
                index + 1,
            );
            return Err(ctx.err(&at, "matrix", msg));
        }
        same.push(index);
    }
    Ok(Some(m))
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
