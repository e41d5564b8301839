//! `[matrix]`: one scenario file, many variants, with GitHub Actions' matrix semantics.
//!
//! This module reads the `[matrix]` table into a plan (axes, `exclude`, `include`) and expands
//! it into combinations; [`crate::variant`] names them, derives their seeds and builds each
//! variant's [`crate::Scenario`]. The reference for people who write matrices is the
//! "Matrices" section of `scenarios/README.md`; in short:
//!
//! - every key of `[matrix]` other than `include` and `exclude` is an **axis**: a dotted
//!   scenario key (`"pen.exposure_mm"`, or the same written as nested tables,
//!   `pen.exposure_mm = […]` unquoted) and a non-empty list of scalar values (string, integer,
//!   float, boolean). Axes are ordered by where their keys are written in the file.
//! - the **product** of the axes is enumerated like nested loops, the first axis outermost.
//! - `exclude = [{ … }, …]`: a product combination is dropped when it has every key/value
//!   pair of some entry; entry keys must be axes.
//! - `include = [{ … }, …]`, in order, after `exclude`: an entry *matches* a product
//!   combination when every axis key in the entry has the combination's value; the entry's
//!   other keys are then set on that combination (a later entry may overwrite what an
//!   earlier one set; axis values are never overwritten). An entry that matches no product
//!   combination is added as a new combination of its own keys (later entries never match
//!   it).
//! - values compare by type and value, except that an integer equals a float of the same
//!   value (`1 == 1.0`).

use crate::error::{Location, ScenarioError};
use std::ops::Range;
use std::path::Path;
use toml::Spanned;
use toml::de::{DeTable, DeValue};

/// Most variants a matrix may have without `allow_large` (`--allow-large`).
pub const VARIANT_LIMIT: usize = 10_000;

/// Most variants a matrix may have at all (memory for the list of variants).
pub const VARIANT_HARD_LIMIT: usize = 10_000_000;

/// How far a matrix may expand.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct ExpandOptions {
    /// Allow more than [`VARIANT_LIMIT`] variants (up to [`VARIANT_HARD_LIMIT`]).
    pub allow_large: bool,
}

/// A key the matrix sets: its path in the scenario and where the matrix names it.
#[derive(Debug, Clone)]
pub(crate) struct Key {
    /// Segments: `["pen", "exposure_mm"]`.
    pub path: Vec<String>,
    /// `pen.exposure_mm`.
    pub dotted: String,
    /// The key's span in the file.
    pub span: Range<usize>,
}

/// An axis: a key and its values.
pub(crate) struct Axis<'i> {
    pub key: Key,
    pub values: Vec<Spanned<DeValue<'i>>>,
    /// The values as owned TOML values (for comparisons and names).
    pub owned: Vec<toml::Value>,
}

/// An `include` or `exclude` entry: key/value pairs in file order.
pub(crate) struct Entry<'i> {
    pub span: Range<usize>,
    pub pairs: Vec<(Key, Spanned<DeValue<'i>>)>,
    pub owned: Vec<toml::Value>,
}

/// The `[matrix]` table, read.
pub(crate) struct Plan<'i> {
    pub axes: Vec<Axis<'i>>,
    pub exclude: Vec<Entry<'i>>,
    pub include: Vec<Entry<'i>>,
}

/// Where a value of a combination comes from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Pick {
    /// `axes[axis].values[index]`.
    Axis { axis: usize, index: usize },
    /// `include[entry].pairs[pair]`.
    Include { entry: usize, pair: usize },
}

/// One combination: the values it sets, in order, and the include entry that created it.
#[derive(Debug, Clone)]
pub(crate) struct Combo {
    /// The values named in the variant's name, in name order.
    pub named: Vec<Pick>,
    /// The other values (set by include entries), in the order first set.
    pub extra: Vec<Pick>,
    /// The include entry that created the combination (`None`: from the product).
    pub created_by: Option<usize>,
}

/// Errors point into the file: this carries its name and text.
pub(crate) struct Ctx<'a> {
    pub file: &'a Path,
    pub text: &'a str,
}

impl Ctx<'_> {
    pub(crate) fn err(&self, span: &Range<usize>, key: &str, message: String) -> ScenarioError {
        ScenarioError::Invalid {
            at: Location::from_offset(self.file, self.text, span.start),
            key: key.to_owned(),
            message,
        }
    }
}

/// The owned value of a parsed one.
pub(crate) fn owned(v: &DeValue<'_>) -> toml::Value {
    match v {
        DeValue::String(s) => toml::Value::String(s.to_string()),
        DeValue::Integer(i) => {
            let digits = i.as_str().replace('_', "");
            toml::Value::Integer(i64::from_str_radix(&digits, i.radix()).unwrap_or(i64::MAX))
        }
        DeValue::Float(f) => {
            let text = f.as_str().replace('_', "");
            toml::Value::Float(text.parse().unwrap_or(f64::NAN))
        }
        DeValue::Boolean(b) => toml::Value::Boolean(*b),
        DeValue::Datetime(d) => toml::Value::Datetime(*d),
        DeValue::Array(a) => toml::Value::Array(a.iter().map(|e| owned(e.get_ref())).collect()),
        DeValue::Table(t) => toml::Value::Table(
            t.iter()
                .map(|(k, v)| (k.get_ref().to_string(), owned(v.get_ref())))
                .collect(),
        ),
    }
}

/// Whether two matrix values are the same (an integer equals a float of the same value).
// Values as written are compared exactly: `0.5` in an entry means the axis's `0.5`.
#[allow(clippy::float_cmp)]
pub(crate) fn same(a: &toml::Value, b: &toml::Value) -> bool {
    match (a, b) {
        (toml::Value::Integer(i), toml::Value::Float(f))
        | (toml::Value::Float(f), toml::Value::Integer(i)) => *i as f64 == *f,
        _ => a == b,
    }
}

/// `(key, value)` pairs of a table, nested tables flattened to dotted keys, in file order.
fn flatten<'t, 'i>(
    table: &'t DeTable<'i>,
    prefix: &[String],
    ctx: &Ctx<'_>,
    out: &mut Vec<(Key, &'t Spanned<DeValue<'i>>)>,
) -> Result<(), ScenarioError> {
    let mut entries: Vec<_> = table.iter().collect();
    entries.sort_by_key(|(k, _)| k.span().start);
    for (k, v) in entries {
        let mut path = prefix.to_vec();
        path.extend(k.get_ref().split('.').map(str::to_owned));
        let dotted = path.join(".");
        if path.iter().any(String::is_empty) {
            let msg = format!("matrix key `{dotted}`: empty segment in a dotted key");
            return Err(ctx.err(&k.span(), &dotted, msg));
        }
        if let DeValue::Table(sub) = v.get_ref() {
            flatten(sub, &path, ctx, out)?;
        } else {
            out.push((
                Key {
                    path,
                    dotted,
                    span: k.span(),
                },
                v,
            ));
        }
    }
    Ok(())
}

/// Keys a matrix may not set.
fn check_key(key: &Key, ctx: &Ctx<'_>) -> Result<(), ScenarioError> {
    match key.path[0].as_str() {
        "name" => Err(ctx.err(
            &key.span,
            &key.dotted,
            "matrix key `name`: the name cannot vary (each variant is named after the base \
             name and its values)"
                .to_owned(),
        )),
        "matrix" => Err(ctx.err(
            &key.span,
            &key.dotted,
            format!("matrix key `{}`: a matrix cannot set itself", key.dotted),
        )),
        _ => Ok(()),
    }
}

impl<'i> Plan<'i> {
    /// The plan of the `[matrix]` table of `root`, `None` when it has none.
    pub(crate) fn read(
        root: &DeTable<'i>,
        ctx: &Ctx<'_>,
    ) -> Result<Option<Plan<'i>>, ScenarioError> {
        let Some((mkey, matrix)) = root.get_key_value("matrix") else {
            return Ok(None);
        };
        let DeValue::Table(table) = matrix.get_ref() else {
            let msg = "matrix: expected a table `[matrix]` of dotted keys and lists".to_owned();
            return Err(ctx.err(&mkey.span(), "matrix", msg));
        };
        let mut plan = Plan {
            axes: Vec::new(),
            exclude: Vec::new(),
            include: Vec::new(),
        };
        let mut rest = DeTable::new();
        for (k, v) in table {
            match k.get_ref().as_ref() {
                "include" => plan.include = entries(v, "include", ctx)?,
                "exclude" => plan.exclude = entries(v, "exclude", ctx)?,
                _ => {
                    rest.insert(k.clone(), v.clone());
                }
            }
        }
        let mut leaves = Vec::new();
        flatten(&rest, &[], ctx, &mut leaves)?;
        for (key, value) in leaves {
            check_key(&key, ctx)?;
            let DeValue::Array(list) = value.get_ref() else {
                let msg = format!(
                    "matrix.{}: expected a list of values, e.g. `\"{}\" = [1, 2]`",
                    key.dotted, key.dotted
                );
                return Err(ctx.err(&value.span(), &key.dotted, msg));
            };
            if list.is_empty() {
                let msg = format!(
                    "matrix.{} = []: an axis needs at least one value",
                    key.dotted
                );
                return Err(ctx.err(&key.span, &key.dotted, msg));
            }
            for el in list {
                if matches!(
                    el.get_ref(),
                    DeValue::Array(_) | DeValue::Table(_) | DeValue::Datetime(_)
                ) {
                    let msg = format!(
                        "matrix.{}: an axis value must be a string, integer, float or boolean, \
                         not {}",
                        key.dotted,
                        el.get_ref().type_str()
                    );
                    return Err(ctx.err(&el.span(), &key.dotted, msg));
                }
            }
            overlap(
                &plan.axes.iter().map(|a| &a.key).collect::<Vec<_>>(),
                &key,
                ctx,
            )?;
            let owned = list.iter().map(|e| owned(e.get_ref())).collect();
            plan.axes.push(Axis {
                key,
                values: list.iter().cloned().collect(),
                owned,
            });
        }
        if plan.axes.is_empty() && plan.include.is_empty() {
            let msg = "matrix: no axes and no include entries: nothing to expand".to_owned();
            return Err(ctx.err(&mkey.span(), "matrix", msg));
        }
        for (i, e) in plan.exclude.iter().enumerate() {
            for (key, _) in &e.pairs {
                if plan.axis_of(key).is_none() {
                    let msg = format!(
                        "matrix.exclude[{i}]: `{}` is not an axis of the matrix; exclude entries \
                         may only name axes",
                        key.dotted
                    );
                    return Err(ctx.err(&key.span, &key.dotted, msg));
                }
            }
        }
        Ok(Some(plan))
    }

    /// The axis with `key`'s path.
    pub(crate) fn axis_of(&self, key: &Key) -> Option<usize> {
        self.axes.iter().position(|a| a.key.path == key.path)
    }

    /// The key and value a pick refers to.
    pub(crate) fn pick(&self, pick: Pick) -> (&Key, &Spanned<DeValue<'i>>, &toml::Value) {
        match pick {
            Pick::Axis { axis, index } => {
                let a = &self.axes[axis];
                (&a.key, &a.values[index], &a.owned[index])
            }
            Pick::Include { entry, pair } => {
                let e = &self.include[entry];
                (&e.pairs[pair].0, &e.pairs[pair].1, &e.owned[pair])
            }
        }
    }

    /// Every combination, in order: the product (first axis outermost) less the excluded
    /// ones, with include entries applied, then the combinations include entries created.
    pub(crate) fn combos(
        &self,
        options: ExpandOptions,
        ctx: &Ctx<'_>,
        matrix_span: &Range<usize>,
    ) -> Result<Vec<Combo>, ScenarioError> {
        let limit = if options.allow_large {
            VARIANT_HARD_LIMIT
        } else {
            VARIANT_LIMIT
        };
        let too_many = |n: String| {
            let hint = if options.allow_large {
                format!("at most {VARIANT_HARD_LIMIT} are allowed")
            } else {
                format!("more than {VARIANT_LIMIT} need --allow-large")
            };
            ctx.err(
                matrix_span,
                "matrix",
                format!("matrix: {n} variants; {hint}"),
            )
        };
        let product = if self.axes.is_empty() {
            0
        } else {
            self.axes
                .iter()
                .try_fold(1usize, |n, a| n.checked_mul(a.values.len()))
                .unwrap_or(usize::MAX)
        };
        // Without exclusions the product is a lower bound: refuse before enumerating it.
        if product > VARIANT_HARD_LIMIT || (self.exclude.is_empty() && product > limit) {
            return Err(too_many(if product == usize::MAX {
                "too many".to_owned()
            } else {
                product.to_string()
            }));
        }
        let mut combos = Vec::new();
        let mut index = vec![0usize; self.axes.len()];
        for _ in 0..product {
            let value = |a: usize| &self.axes[a].owned[index[a]];
            let excluded = self.exclude.iter().any(|e| {
                e.pairs
                    .iter()
                    .zip(&e.owned)
                    .all(|((key, _), v)| self.axis_of(key).is_some_and(|a| same(value(a), v)))
            });
            if !excluded {
                combos.push(Combo {
                    named: (0..self.axes.len())
                        .map(|axis| Pick::Axis {
                            axis,
                            index: index[axis],
                        })
                        .collect(),
                    extra: Vec::new(),
                    created_by: None,
                });
            }
            // Next index, the last axis fastest.
            for a in (0..self.axes.len()).rev() {
                index[a] += 1;
                if index[a] < self.axes[a].values.len() {
                    break;
                }
                index[a] = 0;
            }
        }
        let from_product = combos.len();
        for (entry, e) in self.include.iter().enumerate() {
            let mut matched = false;
            for combo in &mut combos[..from_product] {
                let fits =
                    e.pairs
                        .iter()
                        .zip(&e.owned)
                        .all(|((key, _), v)| match self.axis_of(key) {
                            Some(a) => combo.named.iter().any(|p| {
                                matches!(*p, Pick::Axis { axis, index } if axis == a
                                && same(&self.axes[a].owned[index], v))
                            }),
                            None => true,
                        });
                if !fits {
                    continue;
                }
                matched = true;
                for (pair, (key, _)) in e.pairs.iter().enumerate() {
                    if self.axis_of(key).is_some() {
                        continue;
                    }
                    let pick = Pick::Include { entry, pair };
                    match combo
                        .extra
                        .iter()
                        .position(|p| self.pick(*p).0.path == key.path)
                    {
                        Some(i) => combo.extra[i] = pick,
                        None => combo.extra.push(pick),
                    }
                }
            }
            if !matched {
                // A combination of its own: axes in axis order, then the other keys.
                let mut named: Vec<(usize, Pick)> = e
                    .pairs
                    .iter()
                    .enumerate()
                    .map(|(pair, (key, _))| {
                        let order = self.axis_of(key).unwrap_or(self.axes.len() + pair);
                        (order, Pick::Include { entry, pair })
                    })
                    .collect();
                named.sort_by_key(|(order, _)| *order);
                combos.push(Combo {
                    named: named.into_iter().map(|(_, p)| p).collect(),
                    extra: Vec::new(),
                    created_by: Some(entry),
                });
            }
        }
        if combos.len() > limit {
            return Err(too_many(combos.len().to_string()));
        }
        if combos.is_empty() {
            let msg = "matrix: every combination is excluded: no variants".to_owned();
            return Err(ctx.err(matrix_span, "matrix", msg));
        }
        Ok(combos)
    }
}

/// Two axes may not set the same key, nor one a table the other sets a key in.
fn overlap(axes: &[&Key], key: &Key, ctx: &Ctx<'_>) -> Result<(), ScenarioError> {
    for other in axes {
        let n = other.path.len().min(key.path.len());
        if other.path[..n] == key.path[..n] {
            let msg = format!(
                "matrix key `{}` overlaps the axis `{}`: each key may be set by one axis",
                key.dotted, other.dotted
            );
            return Err(ctx.err(&key.span, &key.dotted, msg));
        }
    }
    Ok(())
}

/// `include` or `exclude`: a list of tables, each flattened to dotted keys.
fn entries<'i>(
    v: &Spanned<DeValue<'i>>,
    which: &str,
    ctx: &Ctx<'_>,
) -> Result<Vec<Entry<'i>>, ScenarioError> {
    let key = format!("matrix.{which}");
    let Some(list) = v.get_ref().as_array() else {
        let msg = format!("{key}: expected a list of tables, e.g. `{which} = [{{ … }}]`");
        return Err(ctx.err(&v.span(), &key, msg));
    };
    let mut out = Vec::new();
    for (i, el) in list.iter().enumerate() {
        let Some(table) = el.get_ref().as_table() else {
            let msg = format!("{key}[{i}]: expected a table of dotted keys and values");
            return Err(ctx.err(&el.span(), &key, msg));
        };
        let mut leaves = Vec::new();
        flatten(table, &[], ctx, &mut leaves)?;
        if leaves.is_empty() {
            let msg = format!("{key}[{i}]: an empty entry (it would match every combination)");
            return Err(ctx.err(&el.span(), &key, msg));
        }
        let mut pairs: Vec<(Key, Spanned<DeValue<'i>>)> = Vec::new();
        for (k, v) in leaves {
            check_key(&k, ctx)?;
            overlap(&pairs.iter().map(|(k, _)| k).collect::<Vec<_>>(), &k, ctx)?;
            pairs.push((k, v.clone()));
        }
        let owned = pairs.iter().map(|(_, v)| owned(v.get_ref())).collect();
        out.push(Entry {
            span: el.span(),
            pairs,
            owned,
        });
    }
    Ok(out)
}

/// Sets `path` in `table` to `value`, creating tables on the way; the new key carries `span`
/// (the matrix key that set it), so errors about it point into `[matrix]`.
pub(crate) fn set<'i>(
    table: &mut DeTable<'i>,
    path: &[String],
    span: &Range<usize>,
    value: Spanned<DeValue<'i>>,
) -> Result<(), String> {
    let (first, rest) = path.split_first().ok_or_else(String::new)?;
    let key = Spanned::new(span.clone(), std::borrow::Cow::Owned(first.clone()));
    if rest.is_empty() {
        table.remove(first.as_str());
        table.insert(key, value);
        return Ok(());
    }
    if table.get(first.as_str()).is_none() {
        table.insert(
            key,
            Spanned::new(span.clone(), DeValue::Table(DeTable::new())),
        );
    }
    match table.get_mut(first.as_str()).map(Spanned::get_mut) {
        Some(DeValue::Table(sub)) => set(sub, rest, span, value),
        _ => Err(first.clone()),
    }
}
