//! The record source under [`crate::Rows`]: splits a CSV file into records and fields.
//!
//! Fast path: rows without a `"` are split by hand (memchr for line ends and commas) straight
//! out of a 256 KiB read buffer, with no copying and no per-row allocation — this is what makes
//! puncture files read at millions of rows per second. The first row that contains a quote
//! hands the rest of the file, from that row on, to the `csv` crate's reader, which handles
//! quoted fields, embedded commas and line breaks (needed by `events.csv`'s free text).
//!
//! For files whose header is exactly the row type's columns in order, [`Source::lazy`] leaves
//! the splitting to the caller: `Codec::decode_line` parses the fields while it finds their
//! commas, and only a line it does not take (a quote, an unusual number, a bad value) is split
//! here ([`Source::split`]) and decoded field by field, which gives the exact error.

use crate::error::{RecordingError, RowPos};
use std::fs::File;
use std::io::{self, Chain, Cursor, Read, Seek, SeekFrom};
use std::path::{Path, PathBuf};

/// Initial read buffer; doubled when one line does not fit.
const BUFFER_BYTES: usize = 1 << 18;

/// Longest row accepted (so a file that is not CSV cannot make the reader eat all memory).
pub(crate) const MAX_ROW_BYTES: usize = 1 << 24;

/// `0x01` in every byte.
const LO: u64 = u64::from_le_bytes([0x01; 8]);
/// `0x7F` in every byte.
const LOW7: u64 = u64::from_le_bytes([0x7F; 8]);

/// `0x80` in each byte of `word` that equals `byte`, 0 elsewhere (exact, no false positives).
#[inline]
pub(crate) fn bytes_equal(word: u64, byte: u8) -> u64 {
    let x = word ^ (LO * u64::from(byte));
    !(((x & LOW7) + LOW7) | x | LOW7)
}

/// Split a line without quotes at its commas into `bounds` (8 bytes at a time); `false` if the
/// line contains a `"` (then `bounds` is meaningless and the csv reader must take over).
pub(crate) fn split_unquoted(line: &[u8], bounds: &mut Vec<(usize, usize)>) -> bool {
    bounds.clear();
    let mut field_start = 0;
    let mut chunks = line.chunks_exact(8);
    let mut base = 0;
    for chunk in &mut chunks {
        let mut word = [0u8; 8];
        word.copy_from_slice(chunk);
        let word = u64::from_le_bytes(word);
        if bytes_equal(word, b'"') != 0 {
            return false;
        }
        let mut commas = bytes_equal(word, b',');
        while commas != 0 {
            let at = base + (commas.trailing_zeros() / 8) as usize;
            bounds.push((field_start, at));
            field_start = at + 1;
            commas &= commas - 1;
        }
        base += 8;
    }
    for (i, &byte) in chunks.remainder().iter().enumerate() {
        if byte == b',' {
            bounds.push((field_start, base + i));
            field_start = base + i + 1;
        } else if byte == b'"' {
            return false;
        }
    }
    bounds.push((field_start, line.len()));
    true
}

/// What [`Source::next`] found.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Got {
    /// A record ending with a line end.
    Record,
    /// A record at the end of the file without a line end: the file was cut.
    Unterminated,
    /// No more records.
    End,
}

/// Hand-split lines from the read buffer.
pub(crate) struct Fast {
    file: File,
    pub(crate) buf: Vec<u8>,
    /// Unread bytes are `buf[start..end]`.
    start: usize,
    end: usize,
    eof: bool,
    /// File offset of `buf[0]`.
    consumed: u64,
    /// Bytes of the file that count: reading stops here (the file's length, or the end of
    /// its last complete line when a cut last row is dropped).
    limit: u64,
    /// 1-based line number of the line at `start`.
    next_line: u64,
}

impl Fast {
    /// Lines of `file` from byte `offset` on (the caller knows that a line starts there).
    /// Reading stops at byte `limit` of the file.
    pub(crate) fn at(mut file: File, offset: u64, limit: u64) -> io::Result<Fast> {
        file.seek(SeekFrom::Start(offset))?;
        Ok(Fast {
            file,
            buf: vec![0; BUFFER_BYTES],
            start: 0,
            end: 0,
            eof: false,
            consumed: offset,
            limit,
            next_line: 1,
        })
    }

    /// Move to byte `offset` of the file, keeping the buffer.
    pub(crate) fn seek(&mut self, offset: u64) -> io::Result<()> {
        self.file.seek(SeekFrom::Start(offset))?;
        self.start = 0;
        self.end = 0;
        self.eof = false;
        self.consumed = offset;
        Ok(())
    }

    /// File offset of the next unread byte (the start of the next line).
    pub(crate) fn offset(&self) -> u64 {
        self.consumed + self.start as u64
    }

    /// The next line's `(start, end)` in `buf` (without its `\n`) and whether it had one.
    pub(crate) fn next_line(&mut self) -> io::Result<Option<(usize, usize, bool)>> {
        loop {
            if let Some(i) = memchr::memchr(b'\n', &self.buf[self.start..self.end]) {
                let line = (self.start, self.start + i, true);
                self.start += i + 1;
                return Ok(Some(line));
            }
            if self.eof {
                if self.start < self.end {
                    let line = (self.start, self.end, false);
                    self.start = self.end;
                    return Ok(Some(line));
                }
                return Ok(None);
            }
            self.refill()?;
        }
    }

    fn refill(&mut self) -> io::Result<()> {
        if self.start > 0 {
            self.buf.copy_within(self.start..self.end, 0);
            self.consumed += self.start as u64;
            self.end -= self.start;
            self.start = 0;
        }
        if self.end == self.buf.len() {
            if self.buf.len() >= MAX_ROW_BYTES {
                return Err(io::Error::new(
                    io::ErrorKind::InvalidData,
                    format!("a row longer than {MAX_ROW_BYTES} bytes: not a recording CSV file"),
                ));
            }
            self.buf.resize(self.buf.len() * 2, 0);
        }
        let left = self.limit.saturating_sub(self.consumed + self.end as u64);
        let room = (self.buf.len() - self.end).min(usize::try_from(left).unwrap_or(usize::MAX));
        if room == 0 {
            self.eof = true;
            return Ok(());
        }
        loop {
            match self.file.read(&mut self.buf[self.end..self.end + room]) {
                Ok(0) => self.eof = true,
                Ok(n) => self.end += n,
                Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
                Err(e) => return Err(e),
            }
            return Ok(());
        }
    }
}

/// The `csv` crate's reader, from the first quoted row on.
struct Quoted {
    csv: csv::Reader<Chain<Cursor<Vec<u8>>, io::Take<File>>>,
    record: csv::ByteRecord,
    /// File offset and line number where `csv` started.
    base_byte: u64,
    base_line: u64,
}

enum Mode {
    Fast(Fast),
    Quoted(Box<Quoted>),
    /// Between modes, or after an I/O error.
    Broken,
}

/// Records of one CSV file.
pub(crate) struct Source {
    path: PathBuf,
    /// Bytes that count: the file's length, or less when a cut last row is dropped.
    file_len: u64,
    /// Bytes past `file_len` left out: a cut last row that was dropped (0 if none).
    dropped_tail: u64,
    ends_with_newline: bool,
    mode: Mode,
    /// Fields of the current record: `data()[bounds[i].0..bounds[i].1]`.
    pub(crate) bounds: Vec<(usize, usize)>,
    /// The current record in the fast buffer.
    cur: (usize, usize),
    /// 1-based line where the current record starts.
    pub(crate) line: u64,
    /// Fast-path lines are not split by [`Source::next`]: the caller tries
    /// `Codec::decode_line` on [`Source::data`] and calls [`Source::split`] if that fails.
    pub(crate) lazy: bool,
}

impl Source {
    /// The records of `path`; with `drop_cut_tail`, a last row without its line end (a file
    /// cut while it was written) is left out instead of reported ([`Source::dropped_tail`]).
    pub(crate) fn open(path: &Path, drop_cut_tail: bool) -> Result<Source, RecordingError> {
        Source::open_at(path, 0, 1, drop_cut_tail)
    }

    /// The records of `path` from byte `offset` on, where line `line` (1-based) starts.
    pub(crate) fn open_at(
        path: &Path,
        offset: u64,
        line: u64,
        drop_cut_tail: bool,
    ) -> Result<Source, RecordingError> {
        let io = |action| move |e| RecordingError::io(path, action, e);
        let mut file = File::open(path).map_err(io("open"))?;
        let full_len = file.metadata().map_err(io("read"))?.len();
        let mut file_len = full_len;
        let mut ends_with_newline = if file_len == 0 {
            false
        } else {
            let mut last = [0u8; 1];
            file.seek(SeekFrom::Start(file_len - 1))
                .and_then(|_| file.read_exact(&mut last))
                .and_then(|()| file.seek(SeekFrom::Start(0)))
                .map_err(io("read"))?;
            last[0] == b'\n'
        };
        if drop_cut_tail && !ends_with_newline && file_len > 0 {
            file_len = end_of_last_line(&mut file, file_len).map_err(io("read"))?;
            ends_with_newline = file_len > 0;
        }
        let mut fast = Fast::at(file, offset, file_len).map_err(io("read"))?;
        fast.next_line = line;
        Ok(Source {
            path: path.to_owned(),
            file_len,
            dropped_tail: full_len - file_len,
            ends_with_newline,
            mode: Mode::Fast(fast),
            bounds: Vec::with_capacity(32),
            cur: (0, 0),
            line: 0,
            lazy: false,
        })
    }

    /// The current record's bytes (fields are [`Source::bounds`] into it).
    pub(crate) fn data(&self) -> &[u8] {
        match &self.mode {
            Mode::Fast(f) => f.buf.get(self.cur.0..self.cur.1).unwrap_or(b""),
            Mode::Quoted(q) => q.record.as_slice(),
            Mode::Broken => b"",
        }
    }

    /// The file being read.
    pub(crate) fn path(&self) -> &Path {
        &self.path
    }

    /// Length of the file when it was opened, bytes (without a dropped cut last row).
    pub(crate) fn file_len(&self) -> u64 {
        self.file_len
    }

    /// Bytes of a cut last row that were left out (0 if none).
    pub(crate) fn dropped_tail(&self) -> u64 {
        self.dropped_tail
    }

    /// While rows are still split by hand: the file offset of the next unread line and its
    /// 1-based line number (`None` once the `csv` reader has taken over).
    pub(crate) fn fast_position(&self) -> Option<(u64, u64)> {
        match &self.mode {
            Mode::Fast(f) => Some((f.offset(), f.next_line)),
            _ => None,
        }
    }

    /// Move to the next record; `row` is its 1-based data row, for errors.
    pub(crate) fn next(&mut self, row: u64) -> Result<Got, RecordingError> {
        loop {
            match &mut self.mode {
                Mode::Broken => return Ok(Got::End),
                Mode::Quoted(_) => return self.next_quoted(row),
                Mode::Fast(fast) => {
                    let line_no = fast.next_line;
                    let next = fast.next_line();
                    let Some((start, mut end, terminated)) =
                        next.map_err(|e| RecordingError::io(&self.path, "read", e))?
                    else {
                        return Ok(Got::End);
                    };
                    fast.next_line += 1;
                    if end > start && fast.buf[end - 1] == b'\r' {
                        end -= 1;
                    }
                    if start == end {
                        continue; // blank line
                    }
                    if self.lazy {
                        self.bounds.clear();
                    } else if !split_unquoted(&fast.buf[start..end], &mut self.bounds) {
                        self.switch_to_quoted(start, line_no);
                        continue;
                    }
                    self.cur = (start, end);
                    self.line = line_no;
                    return Ok(if terminated {
                        Got::Record
                    } else {
                        Got::Unterminated
                    });
                }
            }
        }
    }

    /// Split the current record (read while [`Source::lazy`]) into [`Source::bounds`]. `None`:
    /// done, the record stands; `Some(got)`: it holds a quote, and the `csv` reader (which reads
    /// the rest of the file) read it again, with `got`. `row` is its 1-based data row.
    pub(crate) fn split(&mut self, row: u64) -> Result<Option<Got>, RecordingError> {
        let Mode::Fast(fast) = &self.mode else {
            return Ok(None);
        };
        let (start, end) = self.cur;
        if split_unquoted(fast.buf.get(start..end).unwrap_or(b""), &mut self.bounds) {
            return Ok(None);
        }
        self.switch_to_quoted(start, self.line);
        self.next_quoted(row).map(Some)
    }

    /// Hand the file from `buf[start]` (the start of line `line_no`) to the csv reader.
    fn switch_to_quoted(&mut self, start: usize, line_no: u64) {
        if let Mode::Fast(fast) = std::mem::replace(&mut self.mode, Mode::Broken) {
            let rest = fast.buf[start..fast.end].to_vec();
            let unread = fast.limit.saturating_sub(fast.consumed + fast.end as u64);
            let csv = csv::ReaderBuilder::new()
                .has_headers(false)
                .flexible(true)
                .from_reader(Cursor::new(rest).chain(fast.file.take(unread)));
            self.mode = Mode::Quoted(Box::new(Quoted {
                csv,
                record: csv::ByteRecord::new(),
                base_byte: fast.consumed + start as u64,
                base_line: line_no,
            }));
        }
    }

    fn next_quoted(&mut self, row: u64) -> Result<Got, RecordingError> {
        let Mode::Quoted(q) = &mut self.mode else {
            return Ok(Got::End);
        };
        match q.csv.read_byte_record(&mut q.record) {
            Ok(false) => Ok(Got::End),
            Ok(true) => {
                self.line = q.base_line + q.record.position().map_or(1, csv::Position::line) - 1;
                self.bounds.clear();
                let mut offset = 0;
                for field in q.record.iter() {
                    self.bounds.push((offset, offset + field.len()));
                    offset += field.len();
                }
                let at_end = q.base_byte + q.csv.position().byte() >= self.file_len;
                if !at_end {
                    return Ok(Got::Record);
                }
                // The last record: cut if the file lacks its final line end, or ends inside a
                // quoted field (which the csv reader accepts at end of input).
                let start = q.base_byte + q.record.position().map_or(0, csv::Position::byte);
                let cut = !self.ends_with_newline
                    || quotes_unbalanced(&self.path, start)
                        .map_err(|e| RecordingError::io(&self.path, "read", e))?;
                Ok(if cut { Got::Unterminated } else { Got::Record })
            }
            Err(e) => {
                let line = e.position().map(|p| q.base_line + p.line() - 1);
                let pos = line.map(|line| RowPos { row, line });
                self.mode = Mode::Broken;
                Err(match e.into_kind() {
                    csv::ErrorKind::Io(source) => RecordingError::io(&self.path, "read", source),
                    other => RecordingError::Csv {
                        path: self.path.clone(),
                        pos,
                        message: crate::error::csv_words(&other),
                    },
                })
            }
        }
    }
}

/// The offset just past the last `\n` of a file of `len` bytes (0 if it has none); leaves the
/// file at offset 0.
fn end_of_last_line(file: &mut File, len: u64) -> io::Result<u64> {
    const BLOCK: u64 = 1 << 16;
    let mut end = len;
    let mut buf = vec![0u8; BLOCK as usize];
    while end > 0 {
        let start = end.saturating_sub(BLOCK);
        let n = (end - start) as usize;
        file.seek(SeekFrom::Start(start))?;
        file.read_exact(&mut buf[..n])?;
        if let Some(i) = memchr::memrchr(b'\n', &buf[..n]) {
            file.seek(SeekFrom::Start(0))?;
            return Ok(start + i as u64 + 1);
        }
        end = start;
    }
    file.seek(SeekFrom::Start(0))?;
    Ok(0)
}

/// Whether the file from byte `start` to its end has an odd number of `"` (an unclosed quote:
/// escaped quotes come in pairs, and so do the quotes around a field).
fn quotes_unbalanced(path: &Path, start: u64) -> io::Result<bool> {
    let mut file = File::open(path)?;
    file.seek(SeekFrom::Start(start))?;
    let mut tail = Vec::new();
    file.read_to_end(&mut tail)?;
    Ok(memchr::memchr_iter(b'"', &tail).count() % 2 == 1)
}

#[cfg(test)]
mod tests {
    use super::*;

    proptest::proptest! {
        #[test]
        fn split_matches_a_plain_split(line in "[a-z0-9,.\"-]{0,40}") {
            let mut bounds = Vec::new();
            let ok = split_unquoted(line.as_bytes(), &mut bounds);
            proptest::prop_assert_eq!(ok, !line.contains('"'));
            if ok {
                let fields: Vec<&str> = bounds.iter().map(|&(a, b)| &line[a..b]).collect();
                proptest::prop_assert_eq!(fields, line.split(',').collect::<Vec<_>>());
            }
        }
    }
}
