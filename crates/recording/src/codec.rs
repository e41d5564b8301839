//! Field-level encoding and decoding shared by the writer and the reader: numbers are formatted
//! into stack buffers (itoa, ryu) and parsed straight from the CSV record's bytes, so neither
//! side allocates per row; error messages are only built when a field is bad.
//!
//! This module is private: [`Codec`] seals [`crate::Row`].

use crate::rows::round_to;
use std::io::Write;

/// Encoding into and decoding from CSV fields. Sealed: the module is private.
pub trait Codec {
    /// Write this row's fields (not the record terminator).
    fn encode<W: Write>(&self, e: &mut Enc<'_, W>) -> csv::Result<()>;
    /// Read a row from a record whose columns `d` maps.
    fn decode(d: &Dec<'_>) -> Result<Self, FieldErr>
    where
        Self: Sized;
}

/// Writes the fields of one row.
pub struct Enc<'a, W: Write> {
    w: &'a mut csv::Writer<W>,
    ints: itoa::Buffer,
    floats: ryu::Buffer,
}

impl<'a, W: Write> Enc<'a, W> {
    pub(crate) fn new(w: &'a mut csv::Writer<W>) -> Self {
        Enc { w, ints: itoa::Buffer::new(), floats: ryu::Buffer::new() }
    }

    /// An unsigned integer in decimal.
    pub(crate) fn uint<T: itoa::Integer>(&mut self, v: T) -> csv::Result<()> {
        self.w.write_field(self.ints.format(v))
    }

    /// A float rounded to `1 / steps`, in the shortest form that reads back to the same `f32`;
    /// a trailing `.0` is dropped (`12` rather than `12.0`).
    pub(crate) fn float(&mut self, v: f32, steps: f64) -> csv::Result<()> {
        let text = self.floats.format(round_to(v, steps));
        let text = text.strip_suffix(".0").unwrap_or(text);
        self.w.write_field(text)
    }

    /// `true` or `false`.
    pub(crate) fn boolean(&mut self, v: bool) -> csv::Result<()> {
        self.w.write_field(if v { "true" } else { "false" })
    }

    /// Text, quoted by the CSV writer where it needs to be.
    pub(crate) fn text(&mut self, v: &str) -> csv::Result<()> {
        self.w.write_field(v)
    }
}

/// A bad field: which of the row type's columns and what is wrong with it.
#[derive(Debug)]
pub struct FieldErr {
    /// Index into the row type's `COLUMNS`.
    pub(crate) column: usize,
    /// What was expected and what was found.
    pub(crate) message: String,
}

/// Reads the fields of one record; `idx[k]` is the record position of the row type's column `k`.
pub struct Dec<'a> {
    rec: &'a csv::ByteRecord,
    idx: &'a [usize],
}

/// Shows a field's bytes in an error message, shortened if long.
fn shown(bytes: &[u8]) -> String {
    let text = String::from_utf8_lossy(bytes);
    if text.chars().count() > 40 {
        format!("{}…", text.chars().take(40).collect::<String>())
    } else {
        text.into_owned()
    }
}

impl<'a> Dec<'a> {
    pub(crate) fn new(rec: &'a csv::ByteRecord, idx: &'a [usize]) -> Self {
        Dec { rec, idx }
    }

    fn field(&self, k: usize) -> &'a [u8] {
        self.idx.get(k).and_then(|&i| self.rec.get(i)).unwrap_or(b"")
    }

    /// An unsigned decimal integer that fits `T`.
    pub(crate) fn uint<T: TryFrom<u64>>(&self, k: usize) -> Result<T, FieldErr> {
        let bytes = self.field(k);
        parse_u64(bytes).and_then(|v| T::try_from(v).ok()).ok_or_else(|| FieldErr {
            column: k,
            message: format!(
                "expected a whole number from 0 to {}, got '{}'",
                max_of::<T>(),
                shown(bytes)
            ),
        })
    }

    /// A decimal number (`12`, `-0.5`, `1e-5`, `NaN`, `inf`).
    pub(crate) fn float(&self, k: usize) -> Result<f32, FieldErr> {
        let bytes = self.field(k);
        std::str::from_utf8(bytes).ok().and_then(|s| s.parse::<f32>().ok()).ok_or_else(|| {
            FieldErr { column: k, message: format!("expected a number, got '{}'", shown(bytes)) }
        })
    }

    /// `true`/`false` (also `1`/`0`).
    pub(crate) fn boolean(&self, k: usize) -> Result<bool, FieldErr> {
        match self.field(k) {
            b"true" | b"1" => Ok(true),
            b"false" | b"0" => Ok(false),
            other => Err(FieldErr {
                column: k,
                message: format!("expected true or false, got '{}'", shown(other)),
            }),
        }
    }

    /// UTF-8 text.
    pub(crate) fn text(&self, k: usize) -> Result<&'a str, FieldErr> {
        let bytes = self.field(k);
        std::str::from_utf8(bytes).map_err(|_| FieldErr {
            column: k,
            message: format!("not valid UTF-8: '{}'", shown(bytes)),
        })
    }

    /// One of a fixed set of snake_case names.
    pub(crate) fn named<T>(
        &self,
        k: usize,
        from_name: impl Fn(&str) -> Option<T>,
        what: &str,
        valid: impl Fn() -> String,
    ) -> Result<T, FieldErr> {
        let text = self.text(k)?;
        from_name(text).ok_or_else(|| FieldErr {
            column: k,
            message: format!("unknown {what} '{}'; valid: {}", shown(text.as_bytes()), valid()),
        })
    }
}

/// The largest value of `T` that a `u64` converts into, for messages.
fn max_of<T: TryFrom<u64>>() -> u64 {
    // T is one of u8/u16/u32/u64: the largest of their maxima that converts.
    [u8::MAX.into(), u16::MAX.into(), u32::MAX.into(), u64::MAX]
        .into_iter()
        .take_while(|&m| T::try_from(m).is_ok())
        .last()
        .unwrap_or(0)
}

/// Plain decimal digits to `u64`; `None` if empty, not all digits or too large.
fn parse_u64(bytes: &[u8]) -> Option<u64> {
    if bytes.is_empty() {
        return None;
    }
    let mut v: u64 = 0;
    for &b in bytes {
        let digit = b.wrapping_sub(b'0');
        if digit > 9 {
            return None;
        }
        v = v.checked_mul(10)?.checked_add(u64::from(digit))?;
    }
    Some(v)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parse_u64_rejects_signs_spaces_and_overflow() {
        assert_eq!(parse_u64(b"0"), Some(0));
        assert_eq!(parse_u64(b"18446744073709551615"), Some(u64::MAX));
        assert_eq!(parse_u64(b"18446744073709551616"), None);
        assert_eq!(parse_u64(b""), None);
        assert_eq!(parse_u64(b"-1"), None);
        assert_eq!(parse_u64(b" 1"), None);
        assert_eq!(parse_u64(b"1.0"), None);
    }

    #[test]
    fn max_of_names_the_type_range() {
        assert_eq!(max_of::<u8>(), 255);
        assert_eq!(max_of::<u16>(), 65_535);
        assert_eq!(max_of::<u64>(), u64::MAX);
    }
}
