//! Reading one CSV file with several threads, rows delivered in file order:
//! [`Rows::for_each_batch`] with [`ReadOptions`].
//!
//! The data after the header is cut into chunks of [`ReadOptions::chunk_bytes`] aligned to line
//! starts (a chunk owns the lines that *start* inside its byte range; each thread seeks to its
//! chunk, skips the partial line the previous chunk owns, and reads on until the first line
//! starting at or after the chunk's end). Chunk `j` goes to thread `j % threads`; each thread
//! parses its chunks with the same line parser (`Codec::decode_line`, else the hand splitter
//! and field decoder) as the sequential reader and hands each chunk's rows over a channel of
//! capacity one, so at most about `2 × threads`
//! chunks of rows exist at a time (flat memory). The calling thread takes the chunks in order
//! and calls the callback on each.
//!
//! Errors stay exact: a chunk counts its rows and lines, and the caller shifts a chunk's
//! error position by the rows and lines before the chunk, so the error names the same file,
//! row, line and column as the sequential reader's; reading stops at the first bad row in file
//! order. A row with a `"` (a quoted field, which may hold line ends) stops the parallel
//! reading: from that row on, the file is read sequentially, with the `csv` crate as the
//! sequential reader does. Small files (fewer than two chunks) and one thread read
//! sequentially.

use crate::error::{RecordingError, RowPos};
use crate::reader::{Rows, canonical, decode_record};
use crate::rows::Row;
use crate::source::{Fast, split_unquoted};
use std::fs::File;
use std::io;
use std::num::NonZeroUsize;
use std::path::Path;
use std::sync::mpsc::{Receiver, SyncSender, sync_channel};

/// Rows per callback on the sequential path.
const SEQUENTIAL_BATCH: usize = 4096;
/// Most threads [`ReadOptions::default`] uses (each holds up to two chunks of rows).
const MAX_DEFAULT_THREADS: usize = 8;

/// How [`Rows::for_each_batch`] reads a file.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ReadOptions {
    /// Parsing threads; 0 or 1 reads on the calling thread.
    pub threads: usize,
    /// Bytes per chunk (at least 1); files with fewer than two chunks of rows read
    /// sequentially.
    pub chunk_bytes: u64,
}

/// Environment variable that sets [`ReadOptions::default`]'s thread count (e.g. `1` on a
/// shared CI machine); ignored unless it is a whole number.
pub const THREADS_ENV: &str = "NEEDLEBENCH_READ_THREADS";

impl Default for ReadOptions {
    /// [`THREADS_ENV`] threads if set, else [`std::thread::available_parallelism`] (at most 8);
    /// 1 MiB chunks.
    fn default() -> Self {
        let threads = std::env::var(THREADS_ENV)
            .ok()
            .and_then(|v| v.trim().parse::<usize>().ok())
            .unwrap_or_else(|| {
                std::thread::available_parallelism()
                    .map_or(1, NonZeroUsize::get)
                    .min(MAX_DEFAULT_THREADS)
            });
        ReadOptions {
            threads,
            chunk_bytes: 1 << 20,
        }
    }
}

impl ReadOptions {
    /// Read on the calling thread only.
    pub fn sequential() -> Self {
        ReadOptions {
            threads: 1,
            ..ReadOptions::default()
        }
    }

    /// `threads` parsing threads, default chunks.
    pub fn with_threads(threads: usize) -> Self {
        ReadOptions {
            threads,
            ..ReadOptions::default()
        }
    }
}

/// How a chunk ended.
enum ChunkEnd {
    /// At the chunk's end; later chunks go on.
    Done,
    /// At the end of the file.
    Eof,
    /// At a bad row (position relative to the chunk) or a read error.
    Failed(RecordingError),
    /// At a row with a quote, which starts at byte `offset` (the chunk's `lines` lie before it).
    Quoted { offset: u64 },
}

/// One chunk's rows and how it ended.
struct ChunkOut<R> {
    rows: Vec<R>,
    /// Lines of the file the chunk read (blank ones too; not a quoted line it stopped at).
    lines: u64,
    end: ChunkEnd,
}

/// What every thread needs to know about the file.
struct Plan<'a> {
    path: &'a Path,
    idx: &'a [usize],
    header_len: usize,
    skip: u32,
    /// The columns are in `R::COLUMNS` order, none extra: `Codec::decode_line` applies.
    canonical: bool,
    /// The zone list and the columns the fused path reads.
    ctx: &'a crate::codec::Ctx,
    /// Byte offset of the first line after the header.
    data_start: u64,
    /// Bytes of the file that count (a dropped cut last row excluded).
    limit: u64,
    chunk_bytes: u64,
    chunks: u64,
}

impl<R: Row + Send> Rows<R> {
    /// Read the remaining rows, calling `f` with batches of rows in file order (the batches
    /// together are exactly the rows [`Iterator::next`] would give); with
    /// [`ReadOptions::threads`] > 1 and a file of at least two chunks, rows are parsed by that
    /// many threads at once (see the `parallel` module docs). Returns the number of rows
    /// delivered.
    ///
    /// On a bad row, every row before it is delivered first, then its error is returned: the
    /// same error, naming the same row, line and column, as the iterator's.
    pub fn for_each_batch(
        mut self,
        options: ReadOptions,
        mut f: impl FnMut(&[R]),
    ) -> Result<u64, RecordingError> {
        let chunk_bytes = options.chunk_bytes.max(1);
        let parallel = match self.src.fast_position() {
            Some((data_start, next_line)) if self.row == 0 && options.threads > 1 => {
                let data = self.src.file_len().saturating_sub(data_start);
                (data >= 2 * chunk_bytes).then_some((data_start, next_line, data))
            }
            _ => None,
        };
        let Some((data_start, next_line, data)) = parallel else {
            return sequential(&mut self, 0, &mut f);
        };
        let path = self.src.path().to_owned();
        let plan = Plan {
            path: &path,
            idx: &self.idx,
            header_len: self.header_len,
            skip: self.skip,
            canonical: canonical(&self.idx, self.header_len).is_some(),
            ctx: &self.ctx,
            data_start,
            limit: self.src.file_len(),
            chunk_bytes,
            chunks: data.div_ceil(chunk_bytes),
        };
        let threads = options.threads;
        std::thread::scope(|s| {
            let mut links = Vec::with_capacity(threads);
            for first in 0..threads {
                let (tx, rx) = sync_channel(1);
                let (back_tx, back_rx) = sync_channel(2);
                let plan = &plan;
                s.spawn(move || worker::<R>(plan, first as u64, threads as u64, &tx, &back_rx));
                links.push((rx, back_tx));
            }
            let (mut rows_before, mut lines_before) = (0u64, next_line - 1);
            for j in 0..plan.chunks {
                let (rx, back): &(Receiver<ChunkOut<R>>, SyncSender<Vec<R>>) =
                    &links[(j % threads as u64) as usize];
                let Ok(out) = rx.recv() else {
                    let e = io::Error::other("a reader thread stopped");
                    return Err(RecordingError::io(&path, "read", e));
                };
                if !out.rows.is_empty() {
                    f(&out.rows);
                }
                let n = out.rows.len() as u64;
                // a full return channel or a finished thread: the buffer is just dropped
                let _ = back.try_send(out.rows);
                match out.end {
                    ChunkEnd::Done => {}
                    ChunkEnd::Eof => return Ok(rows_before + n),
                    ChunkEnd::Failed(e) => return Err(shifted(e, rows_before, lines_before)),
                    ChunkEnd::Quoted { offset } => {
                        drop(links);
                        let (idx, header_len) = (plan.idx.to_vec(), plan.header_len);
                        let line = lines_before + out.lines + 1;
                        let mut rest = Rows::resume(
                            &path,
                            idx,
                            header_len,
                            plan.skip,
                            offset,
                            line,
                            rows_before + n,
                            self.drop_cut_tail,
                            std::sync::Arc::clone(&plan.ctx.zones),
                        )?;
                        return sequential(&mut rest, rows_before + n, &mut f);
                    }
                }
                rows_before += n;
                lines_before += out.lines;
            }
            Ok(rows_before)
        })
    }
}

/// The rest of `rows` on the calling thread, in batches; `delivered` rows came before.
fn sequential<R: Row>(
    rows: &mut Rows<R>,
    delivered: u64,
    f: &mut impl FnMut(&[R]),
) -> Result<u64, RecordingError> {
    let mut total = delivered;
    let mut batch = Vec::with_capacity(SEQUENTIAL_BATCH);
    for row in rows {
        match row {
            Ok(row) => {
                batch.push(row);
                if batch.len() == SEQUENTIAL_BATCH {
                    f(&batch);
                    total += batch.len() as u64;
                    batch.clear();
                }
            }
            Err(e) => {
                if !batch.is_empty() {
                    f(&batch);
                }
                return Err(e);
            }
        }
    }
    if !batch.is_empty() {
        f(&batch);
        total += batch.len() as u64;
    }
    Ok(total)
}

/// `e` with its position moved from chunk-relative to file-relative.
fn shifted(mut e: RecordingError, rows_before: u64, lines_before: u64) -> RecordingError {
    let shift = |pos: &mut RowPos| {
        pos.row += rows_before;
        pos.line += lines_before;
    };
    match &mut e {
        RecordingError::Value { pos, .. } | RecordingError::Truncated { pos, .. } => shift(pos),
        RecordingError::Csv { pos: Some(pos), .. } => shift(pos),
        _ => {}
    }
    e
}

/// Chunks `first`, `first + step`, … of the plan, each sent on `tx`; stops after a chunk that
/// ends the reading or when the receiver is gone.
fn worker<R: Row>(
    plan: &Plan<'_>,
    first: u64,
    step: u64,
    tx: &SyncSender<ChunkOut<R>>,
    back: &Receiver<Vec<R>>,
) {
    let opened = File::open(plan.path).and_then(|file| Fast::at(file, plan.data_start, plan.limit));
    let mut fast = match opened {
        Ok(fast) => fast,
        Err(e) => {
            let end = ChunkEnd::Failed(RecordingError::io(plan.path, "open", e));
            let _ = tx.send(ChunkOut {
                rows: Vec::new(),
                lines: 0,
                end,
            });
            return;
        }
    };
    let mut bounds = Vec::with_capacity(32);
    let mut j = first;
    while j < plan.chunks {
        let mut rows = back.try_recv().unwrap_or_default();
        rows.clear();
        let out = read_chunk(plan, j, &mut fast, &mut bounds, rows);
        let last = !matches!(out.end, ChunkEnd::Done);
        if tx.send(out).is_err() || last {
            return;
        }
        j += step;
    }
}

/// Read chunk `j`: the lines starting in its byte range (the last chunk: to the end of file).
fn read_chunk<R: Row>(
    plan: &Plan<'_>,
    j: u64,
    fast: &mut Fast,
    bounds: &mut Vec<(usize, usize)>,
    rows: Vec<R>,
) -> ChunkOut<R> {
    let mut out = ChunkOut {
        rows,
        lines: 0,
        end: ChunkEnd::Done,
    };
    let failed = |e| ChunkEnd::Failed(RecordingError::io(plan.path, "read", e));
    let start = plan.data_start + j * plan.chunk_bytes;
    let end = if j + 1 == plan.chunks {
        u64::MAX
    } else {
        start + plan.chunk_bytes
    };
    // chunk 0 starts on a line; the others skip the rest of the line before their start,
    // which the previous chunk owns
    let positioned = if j == 0 {
        fast.seek(start).map(|()| true)
    } else {
        fast.seek(start - 1)
            .and_then(|()| fast.next_line().map(|l| l.is_some()))
    };
    match positioned {
        Ok(true) => {}
        Ok(false) => {
            out.end = ChunkEnd::Eof;
            return out;
        }
        Err(e) => {
            out.end = failed(e);
            return out;
        }
    }
    loop {
        let offset = fast.offset();
        if offset >= end {
            return out;
        }
        let (a, mut b, terminated) = match fast.next_line() {
            Ok(Some(line)) => line,
            Ok(None) => {
                out.end = ChunkEnd::Eof;
                return out;
            }
            Err(e) => {
                out.end = failed(e);
                return out;
            }
        };
        if b > a && fast.buf[b - 1] == b'\r' {
            b -= 1;
        }
        let line = &fast.buf[a..b];
        if line.is_empty() {
            out.lines += 1;
            continue; // blank line
        }
        if plan.canonical
            && terminated
            && let Some(row) = R::decode_line(line, plan.skip, plan.ctx)
        {
            out.lines += 1;
            out.rows.push(row);
            continue;
        }
        if !split_unquoted(line, bounds) {
            out.end = ChunkEnd::Quoted { offset };
            return out;
        }
        out.lines += 1;
        let pos = RowPos {
            row: out.rows.len() as u64 + 1,
            line: out.lines,
        };
        match decode_record::<R>(
            plan.path,
            line,
            bounds,
            plan.idx,
            plan.header_len,
            plan.skip,
            &plan.ctx.zones,
            pos,
            terminated,
        ) {
            Ok(row) => out.rows.push(row),
            Err(e) => {
                out.end = ChunkEnd::Failed(e);
                return out;
            }
        }
    }
}
