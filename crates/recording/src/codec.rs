//! Field-level encoding and decoding shared by the writer and the reader: numbers are formatted
//! into stack buffers (itoa, ryu) and parsed straight from the CSV record's bytes, so neither
//! side allocates per row; error messages are only built when a field is bad.
//!
//! This module is private: [`Codec`] seals [`crate::Row`].

use crate::rows::round_to;
use crate::zone::{ZoneIds, ZoneRef};
use std::io::Write;
use std::sync::Arc;

/// Encoding into and decoding from CSV fields. Sealed: the module is private.
pub trait Codec {
    /// Write this row's fields (not the record terminator).
    fn encode<W: Write>(&self, e: &mut Enc<'_, W>) -> csv::Result<()>;
    /// Read a row from a record whose columns `d` maps.
    fn decode(d: &Dec<'_>) -> Result<Self, FieldErr>
    where
        Self: Sized;

    /// The fast path of [`Codec::decode`] for a line whose columns are in `COLUMNS` order,
    /// split while it is parsed; columns with their bit set in `skip` are not parsed. `None`
    /// for anything but the plain forms the writer produces (a quote, an exponent, a bad value,
    /// a wrong field count): the caller then splits the line and calls [`Codec::decode`],
    /// which gives the same row or the exact error. `Some` only where `decode` gives the same.
    #[inline]
    fn decode_line(_line: &[u8], _skip: u32, _ctx: &Ctx) -> Option<Self>
    where
        Self: Sized,
    {
        None
    }
}

/// What decoding one file's rows needs beyond their bytes: the recording's zone list, and how
/// many of the row type's columns the file has in order before trailing optional ones it lacks
/// (those read as "not recorded" on the fused path too).
#[derive(Debug, Clone)]
pub struct Ctx {
    pub(crate) zones: Arc<ZoneIds>,
    /// The fused path reads columns `0..present`; later ones are absent.
    pub(crate) present: usize,
}

impl Default for Ctx {
    /// No zone list, every column present.
    fn default() -> Ctx {
        Ctx::new(Arc::default())
    }
}

impl Ctx {
    /// Every column present, the zone list `zones`.
    pub(crate) fn new(zones: Arc<ZoneIds>) -> Ctx {
        Ctx {
            zones,
            present: usize::MAX,
        }
    }
}

/// Writes the fields of one row.
pub struct Enc<'a, W: Write> {
    w: &'a mut csv::Writer<W>,
    ints: itoa::Buffer,
    floats: ryu::Buffer,
    /// The zone list of a recording with a `zone` column; `None`: the column is not written.
    zones: Option<&'a ZoneIds>,
}

impl<'a, W: Write> Enc<'a, W> {
    /// Writes into `w`; a `zone` column only when `zones` is given.
    pub(crate) fn new(w: &'a mut csv::Writer<W>, zones: Option<&'a ZoneIds>) -> Self {
        Enc {
            w,
            ints: itoa::Buffer::new(),
            floats: ryu::Buffer::new(),
            zones,
        }
    }

    /// A zone's id, empty outside every zone; nothing at all (not even the field) when the
    /// recording has no zone list. [`ZoneRef::NOT_RECORDED`] or an index past the list is an
    /// error where a zone list is written.
    pub(crate) fn zone(&mut self, v: ZoneRef) -> csv::Result<()> {
        let Some(zones) = self.zones else {
            return Ok(());
        };
        if v.is_outside() {
            return self.w.write_field("");
        }
        match zones.id(v) {
            Some(id) => self.w.write_field(id),
            None => Err(csv::Error::from(std::io::Error::new(
                std::io::ErrorKind::InvalidInput,
                format!(
                    "a puncture's zone is {} but the recording's face map has {} zones",
                    v.index()
                        .map_or("not recorded".to_owned(), |i| format!("zone {i}")),
                    zones.ids().len()
                ),
            ))),
        }
    }

    /// An unsigned integer in decimal.
    pub(crate) fn uint<T: itoa::Integer>(&mut self, v: T) -> csv::Result<()> {
        self.w.write_field(self.ints.format(v))
    }

    /// A float rounded to `1 / steps`, in the shortest form that reads back to the same `f32`;
    /// a trailing `.0` is dropped (`12` rather than `12.0`).
    pub(crate) fn float(&mut self, v: f32, steps: f64) -> csv::Result<()> {
        let r = round_to(v, steps);
        let mut fixed = [0u8; 40];
        if let Some(text) = fixed_decimal(r, steps, &mut fixed) {
            return self.w.write_field(text);
        }
        let text = self.floats.format(r);
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

/// `r` (already rounded to `1 / steps`, `steps` a power of ten from 10 to 10⁵) written with
/// at most that many decimals, trailing zeros and point dropped — the same text as the
/// shortest round-trip form (`ryu`, less a trailing `.0`), found without its search. Only
/// where that is provably the same: the f32 spacing at `r` is finer than the decimal step
/// (`|r|·steps < 2²³`), so the one decimal on the step's grid within half a spacing of `r` is
/// the shortest that reads back to it; `None` elsewhere (the caller falls back to `ryu`).
fn fixed_decimal(r: f32, steps: f64, buf: &mut [u8; 40]) -> Option<&str> {
    let decimals: usize = match steps as u64 {
        10 => 1,
        100 => 2,
        1_000 => 3,
        10_000 => 4,
        100_000 => 5,
        _ => return None,
    };
    let x = f64::from(r);
    if !x.is_finite()
        || (steps - (steps as u64) as f64).abs() > 0.0
        || x.abs() * steps >= 8_388_608.0
    {
        return None;
    }
    let n = (x * steps).round() as i64;
    // the value on the grid must read back to `r` exactly (it does, by how `r` was rounded)
    if ((n as f64 / steps) as f32).to_bits() != r.to_bits() {
        return None;
    }
    let mut digits = itoa::Buffer::new();
    let magnitude = digits.format(n.unsigned_abs());
    let len = magnitude.len();
    let (int, frac) = if len > decimals {
        magnitude.split_at(len - decimals)
    } else {
        ("0", magnitude)
    };
    let frac_pad = decimals - frac.len();
    let frac_trimmed = frac.trim_end_matches('0');
    let mut at = 0;
    let mut put = |bytes: &[u8]| {
        buf[at..at + bytes.len()].copy_from_slice(bytes);
        at += bytes.len();
    };
    if n < 0 {
        put(b"-");
    }
    put(int.as_bytes());
    if !frac_trimmed.is_empty() {
        put(b".");
        for _ in 0..frac_pad {
            put(b"0");
        }
        put(frac_trimmed.as_bytes());
    }
    std::str::from_utf8(&buf[..at]).ok()
}

/// A bad field: which of the row type's columns and what is wrong with it.
#[derive(Debug)]
pub struct FieldErr {
    /// Index into the row type's `COLUMNS`.
    pub(crate) column: usize,
    /// What was expected and what was found.
    pub(crate) message: String,
}

/// Reads the fields of one record: field `i` is `data[bounds[i].0..bounds[i].1]`, and `idx[k]`
/// is the field position of the row type's column `k`. Columns whose bit is set in `skip` are
/// not parsed (nor checked): they read as 0, `false`, `""` or the first name.
pub struct Dec<'a> {
    data: &'a [u8],
    bounds: &'a [(usize, usize)],
    idx: &'a [usize],
    skip: u32,
    zones: &'a ZoneIds,
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
    pub(crate) fn new(
        data: &'a [u8],
        bounds: &'a [(usize, usize)],
        idx: &'a [usize],
        skip: u32,
        zones: &'a ZoneIds,
    ) -> Self {
        Dec {
            data,
            bounds,
            idx,
            skip,
            zones,
        }
    }

    /// Column `k` is not to be parsed.
    #[inline]
    fn skipped(&self, k: usize) -> bool {
        k < 32 && (self.skip >> k) & 1 == 1
    }

    #[inline]
    fn field(&self, k: usize) -> &'a [u8] {
        self.idx
            .get(k)
            .and_then(|&i| self.bounds.get(i))
            .and_then(|&(start, end)| self.data.get(start..end))
            .unwrap_or(b"")
    }

    /// An unsigned decimal integer that fits `T`.
    #[inline]
    pub(crate) fn uint<T: TryFrom<u64>>(&self, k: usize) -> Result<T, FieldErr> {
        let bytes = if self.skipped(k) { b"0" } else { self.field(k) };
        parse_u64(bytes)
            .and_then(|v| T::try_from(v).ok())
            .ok_or_else(|| FieldErr {
                column: k,
                message: format!(
                    "expected a whole number from 0 to {}, got '{}'",
                    max_of::<T>(),
                    shown(bytes)
                ),
            })
    }

    /// A decimal number (`12`, `-0.5`, `1e-5`, `NaN`, `inf`).
    #[inline]
    pub(crate) fn float(&self, k: usize) -> Result<f32, FieldErr> {
        if self.skipped(k) {
            return Ok(0.0);
        }
        if self.idx.get(k) == Some(&crate::reader::ABSENT) {
            // an optional column this (older) file lacks: not recorded
            return Ok(f32::NAN);
        }
        let bytes = self.field(k);
        parse_f32(bytes).ok_or_else(|| FieldErr {
            column: k,
            message: format!("expected a number, got '{}'", shown(bytes)),
        })
    }

    /// `true`/`false` (also `1`/`0`).
    #[inline]
    pub(crate) fn boolean(&self, k: usize) -> Result<bool, FieldErr> {
        if self.skipped(k) {
            return Ok(false);
        }
        match self.field(k) {
            b"true" | b"1" => Ok(true),
            b"false" | b"0" => Ok(false),
            other => Err(FieldErr {
                column: k,
                message: format!("expected true or false, got '{}'", shown(other)),
            }),
        }
    }

    /// A zone id of the recording's zone list, empty for outside every zone; a column the file
    /// lacks (format 3 and older, no face map) reads [`ZoneRef::NOT_RECORDED`].
    #[inline]
    pub(crate) fn zone(&self, k: usize) -> Result<ZoneRef, FieldErr> {
        if self.skipped(k) || self.idx.get(k) == Some(&crate::reader::ABSENT) {
            return Ok(ZoneRef::NOT_RECORDED);
        }
        let bytes = self.field(k);
        self.zones.lookup(bytes).ok_or_else(|| FieldErr {
            column: k,
            message: self.zones.unknown(&shown(bytes)),
        })
    }

    /// UTF-8 text.
    pub(crate) fn text(&self, k: usize) -> Result<&'a str, FieldErr> {
        if self.skipped(k) {
            return Ok("");
        }
        let bytes = self.field(k);
        std::str::from_utf8(bytes).map_err(|_| FieldErr {
            column: k,
            message: format!("not valid UTF-8: '{}'", shown(bytes)),
        })
    }

    /// One of `all`, by its snake_case `name` (compared as bytes: no UTF-8 check on the hot path).
    #[inline]
    pub(crate) fn named<T: Copy>(
        &self,
        k: usize,
        all: &[T],
        name: impl Fn(T) -> &'static str,
        what: &str,
    ) -> Result<T, FieldErr> {
        let bytes = if self.skipped(k) {
            all.first().map_or(&b""[..], |&x| name(x).as_bytes())
        } else {
            self.field(k)
        };
        all.iter()
            .copied()
            .find(|&x| name(x).as_bytes() == bytes)
            .ok_or_else(|| {
                let valid: Vec<&str> = all.iter().map(|&x| name(x)).collect();
                FieldErr {
                    column: k,
                    message: format!(
                        "unknown {what} '{}'; valid: {}",
                        shown(bytes),
                        valid.join(", ")
                    ),
                }
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

/// A decimal number to the nearest `f32`, as `str::parse::<f32>` does: a fast path for plain
/// `-ddd.ddd` with at most 15 digits (what the writer produces), the standard parser otherwise.
#[inline]
pub(crate) fn parse_f32(bytes: &[u8]) -> Option<f32> {
    fast_f32(bytes).or_else(|| std::str::from_utf8(bytes).ok()?.parse().ok())
}

/// Exact powers of ten up to 10^15 (all exactly representable in `f64`).
const POW10: [f64; 16] = [
    1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15,
];

/// Powers of ten exactly representable in `f32`.
const POW10_F32: [f32; 11] = [1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10];

/// `[-]digits[.digits]` with 1–15 digits: the digits as an exact `f64` integer divided by an
/// exact power of ten is the correctly rounded `f64`; rounding that to `f32` is correct unless
/// it lies exactly halfway between two `f32`s (then `None`, and the standard parser decides).
#[inline]
fn fast_f32(bytes: &[u8]) -> Option<f32> {
    let (negative, digits) = match bytes.split_first()? {
        (b'-', rest) => (true, rest),
        _ => (false, bytes),
    };
    let mut mantissa: u64 = 0;
    let mut n_digits = 0usize;
    let mut frac_digits = 0usize;
    let mut seen_dot = false;
    for &c in digits {
        match c {
            b'0'..=b'9' => {
                mantissa = mantissa.wrapping_mul(10).wrapping_add(u64::from(c - b'0'));
                n_digits += 1;
                frac_digits += usize::from(seen_dot);
            }
            b'.' if !seen_dot => seen_dot = true,
            _ => return None,
        }
    }
    if n_digits == 0 || n_digits > 15 {
        return None;
    }
    decimal_f32(negative, mantissa, frac_digits)
}

/// `±mantissa / 10^frac_digits` (mantissa < 10^15) to the nearest `f32`; `None` where that is
/// exactly halfway between two `f32` (the standard parser decides those).
#[inline(always)]
pub(crate) fn decimal_f32(negative: bool, mantissa: u64, frac_digits: usize) -> Option<f32> {
    if mantissa <= 1 << 24 {
        // Both exact in f32 (10^10 = 2^10 · 5^10, 5^10 < 2^24): one correctly rounded division.
        if let Some(&scale) = POW10_F32.get(frac_digits) {
            let value = mantissa as f32 / scale;
            return Some(if negative { -value } else { value });
        }
    }
    let value = mantissa as f64 / *POW10.get(frac_digits)?;
    // Halfway between two f32 (values here are 0 or ≥ 1e-15, so normal f32): the low 29 of the
    // 52 mantissa bits are exactly 1000…0.
    if value.to_bits() & 0x1FFF_FFFF == 0x1000_0000 {
        return None;
    }
    let value = value as f32;
    Some(if negative { -value } else { value })
}

/// Plain decimal digits to `u64`; `None` if empty, not all digits or too large.
#[inline]
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

    proptest::proptest! {
        #[test]
        fn fast_float_parse_equals_the_standard_parser(
            text in "-?[0-9]{0,9}(\\.[0-9]{0,9})?",
            bits in proptest::prelude::any::<u32>(),
        ) {
            let std_parse = |t: &str| t.parse::<f32>().ok().map(f32::to_bits);
            proptest::prop_assert_eq!(parse_f32(text.as_bytes()).map(f32::to_bits), std_parse(&text));
            let x = f32::from_bits(bits);
            let shortest = ryu::Buffer::new().format(x).to_owned();
            proptest::prop_assert_eq!(
                parse_f32(shortest.as_bytes()).map(f32::to_bits),
                std_parse(&shortest),
                "{}", shortest
            );
        }
    }

    #[test]
    fn fast_float_parse_defers_halfway_cases() {
        // 16777217 = 2^24 + 1 is exactly halfway between two f32; ties go to even (2^24).
        assert_eq!(parse_f32(b"16777217"), Some(16_777_216.0));
        assert_eq!(parse_f32(b"16777219"), Some(16_777_220.0));
        assert_eq!(parse_f32(b"-0"), Some(-0.0));
        assert_eq!(parse_f32(b"1e-5"), Some(1e-5));
        assert_eq!(parse_f32(b""), None);
        assert_eq!(parse_f32(b"-"), None);
        assert_eq!(parse_f32(b"1.2.3"), None);
    }

    /// The zone list the tests read `zone` columns against.
    fn test_ctx() -> Ctx {
        let text = "[[zone]]\nid = \"cheek\"\n[[zone]]\nid = \"chin\"\n";
        let zones = ZoneIds::from_face_map_text(text, std::path::Path::new("f")).unwrap();
        Ctx::new(Arc::new(zones))
    }

    /// The general path: split, check the field count, decode.
    fn general<R: Codec + crate::rows::Row>(line: &str, skip: u32) -> Option<R> {
        let mut bounds = Vec::new();
        if !crate::source::split_unquoted(line.as_bytes(), &mut bounds)
            || bounds.len() != R::COLUMNS.len()
        {
            return None;
        }
        let idx: Vec<usize> = (0..bounds.len()).collect();
        R::decode(&Dec::new(
            line.as_bytes(),
            &bounds,
            &idx,
            skip,
            &test_ctx().zones,
        ))
        .ok()
    }

    fn field() -> impl proptest::strategy::Strategy<Value = String> {
        proptest::prop_oneof![
            "[0-9]{1,6}",
            "-?[0-9]{0,9}(\\.[0-9]{0,9})?",
            "[0-9]{17,21}",
            "reticular_dermis|running|none|over_current|true|false|1|0|cheek|chin|chim",
            "1e5|NaN|inf|\"1\"|\"|x|",
        ]
    }

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig::with_cases(2048))]
        #[test]
        fn the_fused_decoder_agrees_with_the_general_path(
            edits in proptest::collection::vec((0usize..18, field()), 0..3),
            extra in proptest::option::of(field()),
            skip in proptest::prelude::any::<u32>(),
        ) {
            use crate::rows::{PunctureRow, TelemetryRow};
            let ctx = test_ctx();
            // valid rows with up to two fields replaced, maybe a field more
            for valid in [
                "1374000,0,7,27.022,-1.336,618.6,reticular_dermis,0.02866,348.2,true,chin",
                "1374000,0,7,27.022,-1.336,618.6,reticular_dermis,0.02866,348.2,true,",
                "5,5,29.556,0.965,0,3,false,-2000,1000,1000,0.5,1.5,150.01,4200,6,running,stall",
            ] {
                let mut fields: Vec<String> = valid.split(',').map(str::to_owned).collect();
                for (at, text) in &edits {
                    let n = fields.len();
                    fields[at % n] = text.clone();
                }
                fields.extend(extra.clone());
                let line = fields.join(",");
                if let Some(row) = PunctureRow::decode_line(line.as_bytes(), skip, &ctx) {
                    proptest::prop_assert_eq!(Some(row), general(&line, skip), "{}", line);
                }
                if let Some(row) = TelemetryRow::decode_line(line.as_bytes(), skip, &ctx) {
                    proptest::prop_assert_eq!(Some(row), general(&line, skip), "{}", line);
                }
                if edits.is_empty() && extra.is_none() {
                    let fused = (PunctureRow::decode_line(line.as_bytes(), skip, &ctx).is_some(),
                        TelemetryRow::decode_line(line.as_bytes(), skip, &ctx).is_some());
                    proptest::prop_assert!(fused.0 || fused.1, "{}", line);
                }
            }
        }

        #[test]
        fn the_fused_decoder_takes_what_the_writer_writes(
            t_us in 0u64..10_000_000_000_000_000_000, x in -1e4f32..1e4, depth in 0f32..3000.0, skip in 0u32..1024,
        ) {
            use crate::rows::{PunctureRow, Row};
            let ctx = test_ctx();
            let zone = [ZoneRef::OUTSIDE, ZoneRef::zone(0), ZoneRef::zone(1)][(t_us % 3) as usize];
            let row = PunctureRow { t_us, x_mm: x, y_mm: -x, depth_um: depth, zone, ..Default::default() };
            let mut csv = csv::Writer::from_writer(Vec::new());
            row.encode(&mut Enc::new(&mut csv, Some(&ctx.zones))).unwrap();
            csv.write_record(None::<&[u8]>).unwrap();
            let text = String::from_utf8(csv.into_inner().unwrap()).unwrap();
            let line = text.trim_end();
            let fused = PunctureRow::decode_line(line.as_bytes(), skip, &ctx);
            proptest::prop_assert!(fused.is_some(), "{}", line);
            proptest::prop_assert_eq!(fused, general::<PunctureRow>(line, skip));
            if skip == 0 {
                proptest::prop_assert_eq!(fused, Some(row.rounded()));
            }
        }
    }

    #[test]
    fn max_of_names_the_type_range() {
        assert_eq!(max_of::<u8>(), 255);
        assert_eq!(max_of::<u16>(), 65_535);
        assert_eq!(max_of::<u64>(), u64::MAX);
    }
}

#[cfg(test)]
mod fixed_decimal_tests {
    use super::*;
    use proptest::prelude::*;

    /// What the writer wrote before the fixed-decimal path: ryu, less a trailing `.0`.
    fn shortest(r: f32) -> String {
        let mut b = ryu::Buffer::new();
        let t = b.format(r);
        t.strip_suffix(".0").unwrap_or(t).to_owned()
    }

    proptest! {
        #![proptest_config(ProptestConfig { cases: 20_000, ..ProptestConfig::default() })]
        #[test]
        fn fixed_decimals_equal_the_shortest_round_trip_form(
            v in prop_oneof![-1e4f32..1e4f32, -1e7f32..1e7f32, -1.0f32..1.0f32],
            k in 1u32..=5,
        ) {
            let steps = 10f64.powi(k as i32);
            let r = round_to(v, steps);
            let mut buf = [0u8; 40];
            if let Some(text) = fixed_decimal(r, steps, &mut buf) {
                let want = shortest(r);
                prop_assert_eq!(text, want.as_str(), "{} at 1e-{}", r, k);
            }
        }
    }

    #[test]
    fn the_fast_path_covers_the_usual_values_and_leaves_the_rest_to_ryu() {
        let mut buf = [0u8; 40];
        assert_eq!(fixed_decimal(612.3, 10.0, &mut buf), Some("612.3"));
        assert_eq!(fixed_decimal(0.00001, 1e5, &mut buf), Some("0.00001"));
        assert_eq!(fixed_decimal(-2.5, 1e3, &mut buf), Some("-2.5"));
        assert_eq!(fixed_decimal(12.0, 1e2, &mut buf), Some("12"));
        assert_eq!(fixed_decimal(0.0, 1e4, &mut buf), Some("0"));
        // too coarse an f32 spacing for the step: ryu decides
        assert_eq!(fixed_decimal(1.0e7, 10.0, &mut buf), None);
        assert_eq!(fixed_decimal(f32::NAN, 10.0, &mut buf), None);
        assert_eq!(fixed_decimal(1.5, 2.0, &mut buf), None);
    }
}
