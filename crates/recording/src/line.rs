//! [`Line`]: the fused fast path of `Codec::decode_line`, which parses a line's fields while
//! it finds their commas (one pass, no field table), and passes over runs of columns the
//! reader does not use 8 bytes at a time. It gives `None` for anything but the plain forms the
//! writer produces; the caller then takes the general path (split, then `Dec`), which decides
//! and reports errors exactly.

use crate::codec::{Ctx, decimal_f32};
use crate::zone::{ZoneIds, ZoneRef};

/// Powers of ten up to 10^15 as integers.
const POW10_U64: [u64; 16] = [
    1,
    10,
    100,
    1_000,
    10_000,
    100_000,
    1_000_000,
    10_000_000,
    100_000_000,
    1_000_000_000,
    10_000_000_000,
    100_000_000_000,
    1_000_000_000_000,
    10_000_000_000_000,
    100_000_000_000_000,
    1_000_000_000_000_000,
];

/// A line read field by field, for `Codec::decode_line`: every method gives `None` where the
/// general path must decide. Runs of skipped columns are passed over together, 8 bytes at a
/// time.
pub(crate) struct Line<'a> {
    rest: &'a [u8],
    /// The last field was read.
    done: bool,
    skip: u32,
    /// The current column (the next one a method reads).
    column: usize,
    /// Skipped columns already passed over by a run.
    passed: usize,
    /// Columns from this one on are absent from the file (trailing optional columns).
    present: usize,
    zones: &'a ZoneIds,
}

impl<'a> Line<'a> {
    /// `line` of a row type with `columns` columns; bit `k` of `skip` set: column `k` is
    /// skipped; `ctx` the file's zone list and the columns it has.
    #[inline]
    pub(crate) fn new(line: &'a [u8], skip: u32, columns: usize, ctx: &'a Ctx) -> Self {
        let present = ctx.present.min(columns);
        // the absent columns are not on the line: nothing to pass over
        let columns = present;
        let mask = if columns >= 32 {
            u32::MAX
        } else {
            (1 << columns) - 1
        };
        Line {
            rest: line,
            done: false,
            skip: skip & mask,
            column: 0,
            passed: 0,
            present,
            zones: &ctx.zones,
        }
    }

    /// The current column is one the file lacks (now passed).
    #[inline(always)]
    fn absent(&mut self) -> bool {
        if self.column >= self.present {
            self.column += 1;
            true
        } else {
            false
        }
    }

    /// Move to the next column; `Some(true)` if it is skipped (and now passed over).
    #[inline(always)]
    fn start(&mut self) -> Option<bool> {
        let column = self.column;
        self.column += 1;
        if column >= self.present {
            return None;
        }
        if column >= 32 || (self.skip >> column) & 1 == 0 {
            return if self.done { None } else { Some(false) };
        }
        self.pass(column).map(|()| true)
    }

    /// Pass over skipped `column`: done already if a run covered it, else pass over the run of
    /// skipped columns it starts.
    #[inline]
    fn pass(&mut self, column: usize) -> Option<()> {
        if self.passed > 0 {
            self.passed -= 1;
            return Some(());
        }
        if self.done {
            return None;
        }
        let run = (self.skip >> column).trailing_ones() as usize;
        self.passed = run - 1;
        self.pass_fields(run)
    }

    /// Pass over `run` ≥ 1 fields: up to the `run`-th comma, or to the end of the line after
    /// `run - 1` commas. `None` at a quote or when the line has fewer fields.
    #[inline]
    fn pass_fields(&mut self, run: usize) -> Option<()> {
        let rest = self.rest;
        let mut need = run;
        let mut base = 0;
        while let Some(chunk) = rest.get(base..base + 8) {
            let word = u64::from_le_bytes(<[u8; 8]>::try_from(chunk).ok()?);
            if crate::source::bytes_equal(word, b'"') != 0 {
                return None;
            }
            let mut commas = crate::source::bytes_equal(word, b',');
            while commas != 0 {
                need -= 1;
                if need == 0 {
                    let at = base + (commas.trailing_zeros() / 8) as usize;
                    self.rest = rest.get(at + 1..)?;
                    return Some(());
                }
                commas &= commas - 1;
            }
            base += 8;
        }
        for (i, &b) in rest.get(base..)?.iter().enumerate() {
            if b == b'"' {
                return None;
            }
            if b == b',' {
                need -= 1;
                if need == 0 {
                    self.rest = rest.get(base + i + 1..)?;
                    return Some(());
                }
            }
        }
        // the line ends: the run's last field is the line's last
        if need != 1 {
            return None;
        }
        self.done = true;
        self.rest = &[];
        Some(())
    }

    /// The current field (up to the next comma or the end); `None` at a quote.
    #[inline]
    fn field(&mut self) -> Option<&'a [u8]> {
        let rest = self.rest;
        let mut i = 0;
        while let Some(&b) = rest.get(i) {
            if b == b',' {
                break;
            }
            if b == b'"' {
                return None;
            }
            i += 1;
        }
        self.end_field(i)?;
        rest.get(..i)
    }

    /// The current field ends at `rest[i]`, which must be a comma or the end of the line.
    #[inline]
    fn end_field(&mut self, i: usize) -> Option<()> {
        match self.rest.get(i) {
            None => {
                self.done = true;
                self.rest = &[];
            }
            Some(b',') => self.rest = self.rest.get(i + 1..)?,
            Some(_) => return None,
        }
        Some(())
    }

    /// Digits from `rest[i]` on: (value, wrapping past 19 digits; how many; index after them).
    #[inline]
    fn digits(&self, mut i: usize) -> (u64, usize, usize) {
        let start = i;
        let mut v: u64 = 0;
        while let Some(&c) = self.rest.get(i) {
            let d = c.wrapping_sub(b'0');
            if d > 9 {
                break;
            }
            v = v.wrapping_mul(10).wrapping_add(u64::from(d));
            i += 1;
        }
        (v, i - start, i)
    }

    #[inline(always)]
    pub(crate) fn uint<T: TryFrom<u64>>(&mut self) -> Option<T> {
        if self.start()? {
            return T::try_from(0).ok();
        }
        // 1–19 digits cannot overflow u64 (the general path takes 20)
        let (v, n, i) = self.digits(0);
        if n == 0 || n > 19 {
            return None;
        }
        self.end_field(i)?;
        T::try_from(v).ok()
    }

    /// `[-]digits[.digits]` with 1–15 digits, parsed as `codec::fast_f32` does, in one pass.
    #[inline(always)]
    pub(crate) fn float(&mut self) -> Option<f32> {
        if self.absent() {
            return Some(f32::NAN);
        }
        if self.start()? {
            return Some(0.0);
        }
        let negative = self.rest.first() == Some(&b'-');
        let (int, int_digits, mut i) = self.digits(usize::from(negative));
        let (mut mantissa, mut frac_digits) = (int, 0);
        if self.rest.get(i) == Some(&b'.') {
            let (frac, n, j) = self.digits(i + 1);
            if n > 15 {
                return None;
            }
            mantissa = int.wrapping_mul(*POW10_U64.get(n)?).wrapping_add(frac);
            frac_digits = n;
            i = j;
        }
        let n_digits = int_digits + frac_digits;
        if n_digits == 0 || n_digits > 15 {
            return None;
        }
        self.end_field(i)?;
        decimal_f32(negative, mantissa, frac_digits)
    }

    #[inline]
    pub(crate) fn boolean(&mut self) -> Option<bool> {
        if self.start()? {
            return Some(false);
        }
        match self.field()? {
            b"true" | b"1" => Some(true),
            b"false" | b"0" => Some(false),
            _ => None,
        }
    }

    #[inline]
    pub(crate) fn named<T: Copy>(
        &mut self,
        all: &[T],
        name: impl Fn(T) -> &'static str,
    ) -> Option<T> {
        if self.start()? {
            return all.first().copied();
        }
        let field = self.field()?;
        // the first byte and the length tell most names apart without a comparison call
        let first = field.first();
        all.iter().copied().find(|&x| {
            let n = name(x).as_bytes();
            n.len() == field.len() && n.first() == first && n == field
        })
    }

    /// A zone id of the file's zone list, empty for outside every zone; not recorded where the
    /// file has no `zone` column.
    #[inline]
    pub(crate) fn zone(&mut self) -> Option<ZoneRef> {
        if self.absent() {
            return Some(ZoneRef::NOT_RECORDED);
        }
        if self.start()? {
            return Some(ZoneRef::NOT_RECORDED);
        }
        let field = self.field()?;
        self.zones.lookup(field)
    }

    /// Every field was read (the line has no more).
    #[inline]
    pub(crate) fn at_end(&self) -> bool {
        self.done && self.passed == 0
    }
}
