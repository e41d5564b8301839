//! The parsed TOML document with every key's position, used to point errors at keys.
//!
//! The typed structs carry no positions; when a rule fails after deserialising, the validator
//! names the key by its path (`["hand", "glide_mm_s"]`) and this module finds where that key
//! is written.

use crate::error::Location;
use std::ops::Range;
use std::path::PathBuf;
use toml::Spanned;
use toml::de::{DeTable, DeValue};

/// One step of a key path: a table key or an array index.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Seg {
    /// A key of a table.
    Key(String),
    /// An element of an array (0-based).
    Index(usize),
}

/// Shorthand for [`Seg::Key`].
pub(crate) fn k(key: &str) -> Seg {
    Seg::Key(key.to_owned())
}

/// Dotted display of a path: `hand.area.polygon[1]`.
pub(crate) fn dotted(path: &[Seg]) -> String {
    let mut s = String::new();
    for seg in path {
        match seg {
            Seg::Key(key) => {
                if !s.is_empty() {
                    s.push('.');
                }
                s.push_str(key);
            }
            Seg::Index(i) => s.push_str(&format!("[{i}]")),
        }
    }
    s
}

/// The source text, its file name and its parsed tree.
pub(crate) struct Doc<'i> {
    pub(crate) file: PathBuf,
    pub(crate) text: &'i str,
    pub(crate) root: Spanned<DeTable<'i>>,
}

impl<'i> Doc<'i> {
    /// The location of a byte offset.
    pub(crate) fn loc_at(&self, offset: usize) -> Location {
        Location::from_offset(&self.file, self.text, offset)
    }

    /// Span of the key at the end of `path` (of an array element for an index); where the
    /// path is only partly present, the span of its deepest present part (the file start if
    /// none).
    pub(crate) fn span_of(&self, path: &[Seg]) -> Range<usize> {
        let mut best = 0..0;
        let mut table: Option<&DeTable<'i>> = Some(self.root.get_ref());
        let mut value: Option<&Spanned<DeValue<'i>>> = None;
        for seg in path {
            match seg {
                Seg::Key(key) => {
                    let t = match (table, value) {
                        (Some(t), None) => t,
                        (_, Some(v)) => match v.get_ref().as_table() {
                            Some(t) => t,
                            None => break,
                        },
                        (None, None) => break,
                    };
                    let Some((kspan, v)) = t.get_key_value(key.as_str()) else {
                        break;
                    };
                    best = kspan.span();
                    table = None;
                    value = Some(v);
                }
                Seg::Index(i) => {
                    let Some(arr) = value.and_then(|v| v.get_ref().as_array()) else {
                        break;
                    };
                    let Some(el) = arr.get(*i) else { break };
                    best = el.span();
                    value = Some(el);
                }
            }
        }
        best
    }

    /// Location of the key at the end of `path` (see [`Doc::span_of`]).
    pub(crate) fn loc(&self, path: &[Seg]) -> Location {
        self.loc_at(self.span_of(path).start)
    }

    /// The path of the innermost key or array element whose key or value contains `offset`.
    pub(crate) fn path_at(&self, offset: usize) -> Vec<Seg> {
        let mut out = Vec::new();
        walk_table(self.root.get_ref(), offset, &mut out);
        out
    }
}

fn contains(span: &Range<usize>, offset: usize) -> bool {
    span.start <= offset && offset < span.end.max(span.start + 1)
}

fn walk_table(t: &DeTable<'_>, offset: usize, out: &mut Vec<Seg>) {
    for (key, value) in t.iter() {
        if contains(&key.span(), offset) {
            out.push(Seg::Key(key.get_ref().to_string()));
            return;
        }
        if contains(&value.span(), offset) {
            out.push(Seg::Key(key.get_ref().to_string()));
            walk_value(value.get_ref(), offset, out);
            return;
        }
    }
    // Tables written as `[a.b]` headers have spans of the header only; search inside them.
    for (key, value) in t.iter() {
        let mut inner = Vec::new();
        match value.get_ref() {
            DeValue::Table(sub) => walk_table(sub, offset, &mut inner),
            DeValue::Array(arr) => walk_array(arr, offset, &mut inner),
            _ => {}
        }
        if !inner.is_empty() {
            out.push(Seg::Key(key.get_ref().to_string()));
            out.extend(inner);
            return;
        }
    }
}

fn walk_array(arr: &toml::de::DeArray<'_>, offset: usize, out: &mut Vec<Seg>) {
    for (i, el) in arr.iter().enumerate() {
        let mut inner = Vec::new();
        if let DeValue::Table(sub) = el.get_ref() {
            walk_table(sub, offset, &mut inner);
        }
        if !inner.is_empty() || contains(&el.span(), offset) {
            out.push(Seg::Index(i));
            if inner.is_empty() {
                walk_value(el.get_ref(), offset, &mut inner);
            }
            out.extend(inner);
            return;
        }
    }
}

fn walk_value(v: &DeValue<'_>, offset: usize, out: &mut Vec<Seg>) {
    match v {
        DeValue::Table(t) => walk_table(t, offset, out),
        DeValue::Array(a) => walk_array(a, offset, out),
        _ => {}
    }
}
