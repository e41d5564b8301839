//! The receiving half of a link: a sans-IO, zero-copy, allocation-free frame decoder.

use crate::frame::{
    CRC_LEN, HEADER_LEN, MAX_ENCODED_LEN, MAX_FRAME_LEN, MAX_RAW_LEN, MIN_RAW_LEN, TooLong, crc32,
};
use crate::messages::{Message, MessageKind};

/// Number of message kinds; a tag at or above it is unknown.
const KIND_COUNT: u32 = MessageKind::Event as u32 + 1;

/// Bytes the decoder keeps of the current (not yet delimited) frame: twice the longest
/// encoded frame, so an overlong run can slide without moving bytes on every push.
const WINDOW_LEN: usize = 2 * MAX_FRAME_LEN;

/// Shortest COBS encoding of a valid raw frame.
const MIN_ENCODED_LEN: usize = MIN_RAW_LEN + 1;

/// Why a delimited run of bytes did not yield a message.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum FrameError {
    /// More than [`MAX_ENCODED_LEN`] bytes arrived without a delimiter and no valid frame
    /// was found at their end. Counted in [`DecoderStats::oversize`].
    #[error("{len_bytes} bytes without a delimiter, over the maximum frame length")]
    Oversize {
        /// Bytes between the two delimiters.
        len_bytes: usize,
    },
    /// The bytes are not valid COBS. Counted in [`DecoderStats::malformed`].
    #[error("invalid COBS encoding in a {len_bytes}-byte frame")]
    Cobs {
        /// Bytes between the two delimiters.
        len_bytes: usize,
    },
    /// The decoded frame is shorter than header + one payload byte + CRC.
    /// Counted in [`DecoderStats::malformed`].
    #[error("frame of {len_bytes} bytes after COBS is too short")]
    TooShort {
        /// Length after COBS decoding, bytes.
        len_bytes: usize,
    },
    /// The CRC-32 trailer does not match. Counted in [`DecoderStats::crc_errors`].
    #[error("CRC mismatch: frame says {received:#010x}, bytes give {computed:#010x}")]
    Crc {
        /// The trailer as received.
        received: u32,
        /// The CRC computed over the received header and payload.
        computed: u32,
    },
    /// A well-formed frame whose message tag is not a known [`MessageKind`].
    /// Counted in [`DecoderStats::unknown_type`].
    #[error("frame {seq}: unknown message tag {tag}")]
    UnknownType {
        /// The frame's sequence number.
        seq: u16,
        /// The tag (postcard varint) found.
        tag: u32,
    },
    /// A well-formed frame whose payload does not decode as its message type (bad field
    /// value, a varint too long or too large for its type — a text length is a `u32` —,
    /// truncated, trailing bytes, invalid UTF-8). Counted in [`DecoderStats::malformed`].
    #[error("frame {seq}: malformed {} payload", kind.name())]
    Payload {
        /// The frame's sequence number.
        seq: u16,
        /// The kind the tag announced.
        kind: MessageKind,
    },
    /// A well-formed frame whose text field is over its limit. Counted in
    /// [`DecoderStats::malformed`].
    #[error("frame {seq}: {} is {} bytes, over the limit of {}", .limit.field, .limit.len_bytes, .limit.max_bytes)]
    TextTooLong {
        /// The frame's sequence number.
        seq: u16,
        /// Which field, and by how much.
        limit: TooLong,
    },
}

/// What [`Decoder::feed`] found at a frame delimiter.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Decoded<'d> {
    /// A valid frame. Text fields of `msg` borrow from the decoder's buffer.
    Frame {
        /// The frame's sequence number.
        seq: u16,
        /// The message.
        msg: Message<'d>,
    },
    /// The bytes up to this delimiter were thrown away.
    Error(FrameError),
}

/// Link health counters of a [`Decoder`]. Every byte fed ends up in exactly one of
/// `bytes_ok`, `bytes_discarded`, `empty_frames` or [`Decoder::buffered_len`].
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash)]
pub struct DecoderStats {
    /// Frames decoded into a message.
    pub frames_ok: u64,
    /// Frames whose CRC did not match.
    pub crc_errors: u64,
    /// Runs over [`MAX_FRAME_LEN`] without a delimiter (and with no valid frame at their end).
    pub oversize: u64,
    /// CRC-valid frames with a message tag out of range.
    pub unknown_type: u64,
    /// Frames with invalid COBS, too short, or a CRC-valid payload that does not decode.
    pub malformed: u64,
    /// Times the decoder lost sync and threw bytes away up to the next frame: every
    /// oversize, COBS, too-short and CRC error, and every valid frame recovered from
    /// behind garbage in the same delimited run.
    pub resyncs: u64,
    /// Bytes thrown away (delimiters of bad frames included).
    pub bytes_discarded: u64,
    /// Frames missing according to sequence numbers: for each CRC-valid frame, how far its
    /// sequence number is ahead of previous + 1 (mod 65536, when less than 32768).
    /// Hellos restart the count (a peer may reset its counter with a new session).
    pub seq_gaps: u64,
    /// CRC-valid frames whose sequence number is behind previous + 1 (duplicated or
    /// reordered, 32768 or more ahead mod 65536).
    pub seq_rewinds: u64,
    /// Bytes of frames decoded into a message, delimiters included.
    pub bytes_ok: u64,
    /// Delimiters with no byte before them (`0x00 0x00`), which are ignored.
    pub empty_frames: u64,
}

/// Sans-IO frame decoder: push received bytes in, take messages out.
///
/// Holds about 400 bytes of state (a 256-byte window and a 128-byte frame buffer), never allocates and never panics.
/// Feed it byte chunks of any size, as they arrive; each call consumes input up to and
/// including one frame delimiter and reports what it found, or consumes everything and
/// returns `None` when no delimiter was in the input.
///
/// ```
/// use needlebench_protocol::{Decoded, Decoder, Encoder, Grant, Message, MAX_FRAME_LEN};
///
/// let mut wire = [0u8; 2 * MAX_FRAME_LEN];
/// let mut encoder = Encoder::new();
/// let n1 = encoder.encode(&Message::Grant(Grant { until_tick: 9, with_sensors: true }), &mut wire)?;
/// let n2 = encoder.encode(&Message::Grant(Grant { until_tick: 10, with_sensors: true }), &mut wire[n1..])?;
///
/// let mut decoder = Decoder::new();
/// let mut ticks = Vec::new();
/// // Bytes arrive in arbitrary chunks, here 5 at a time.
/// for chunk in wire[..n1 + n2].chunks(5) {
///     let mut input = chunk;
///     while !input.is_empty() {
///         match decoder.feed(&mut input) {
///             Some(Decoded::Frame { seq, msg: Message::Grant(g) }) => ticks.push((seq, g.until_tick)),
///             Some(Decoded::Frame { .. }) => unreachable!("only grants were sent"),
///             Some(Decoded::Error(e)) => eprintln!("dropped a frame: {e}"),
///             None => {} // input used up; wait for more bytes
///         }
///     }
/// }
/// assert_eq!(ticks, [(0, 9), (1, 10)]);
/// assert_eq!(decoder.stats().frames_ok, 2);
/// # Ok::<(), needlebench_protocol::EncodeError>(())
/// ```
#[derive(Debug, Clone)]
pub struct Decoder {
    /// The last bytes of the current run (since the last delimiter).
    window: [u8; WINDOW_LEN],
    /// Bytes in `window`.
    window_len: usize,
    /// Bytes received since the last delimiter (more than `window_len` once bytes slid out).
    run_len: usize,
    /// The COBS-decoded frame; messages borrow from it.
    raw: [u8; MAX_FRAME_LEN],
    /// Sequence number of the last CRC-valid frame.
    last_seq: Option<u16>,
    stats: DecoderStats,
}

impl Default for Decoder {
    fn default() -> Self {
        Self::new()
    }
}

impl Decoder {
    /// A decoder at the start of a stream (the first byte starts a frame).
    pub const fn new() -> Self {
        Self {
            window: [0; WINDOW_LEN],
            window_len: 0,
            run_len: 0,
            raw: [0; MAX_FRAME_LEN],
            last_seq: None,
            stats: DecoderStats {
                frames_ok: 0,
                crc_errors: 0,
                oversize: 0,
                unknown_type: 0,
                malformed: 0,
                resyncs: 0,
                bytes_discarded: 0,
                seq_gaps: 0,
                seq_rewinds: 0,
                bytes_ok: 0,
                empty_frames: 0,
            },
        }
    }

    /// The counters so far.
    pub const fn stats(&self) -> DecoderStats {
        self.stats
    }

    /// Bytes received since the last delimiter that are still held.
    pub const fn buffered_len(&self) -> usize {
        self.window_len
    }

    /// Forgets the partial frame and the last sequence number (e.g. when the port is
    /// re-opened); the partial bytes count as discarded. Keeps the counters.
    pub fn reset(&mut self) {
        self.stats.bytes_discarded += self.window_len as u64;
        self.window_len = 0;
        self.run_len = 0;
        self.last_seq = None;
    }

    /// Consumes `input` up to and including the next `0x00` delimiter and returns what the
    /// bytes before it held; or consumes all of `input` and returns `None` when it holds no
    /// delimiter (the bytes are kept for the next call). Empty frames (`0x00 0x00`) are
    /// skipped. Call it again while `input` is not empty.
    pub fn feed<'d>(&'d mut self, input: &mut &[u8]) -> Option<Decoded<'d>> {
        loop {
            let Some(pos) = memchr::memchr(0, input) else {
                self.push(input);
                *input = &[];
                return None;
            };
            let (chunk, rest) = input.split_at(pos);
            self.push(chunk);
            *input = rest.get(1..).unwrap_or_default();
            if self.run_len == 0 {
                self.stats.empty_frames += 1;
                continue;
            }
            return Some(self.finish_frame());
        }
    }

    /// Appends bytes of the current run, sliding the oldest out when the window is full.
    fn push(&mut self, chunk: &[u8]) {
        self.run_len = self.run_len.saturating_add(chunk.len());
        let end = self.window_len + chunk.len();
        if let Some(dst) = self.window.get_mut(self.window_len..end) {
            dst.copy_from_slice(chunk);
            self.window_len = end;
            return;
        }
        // Keep only the last MAX_ENCODED_LEN bytes of (window ++ chunk): no valid frame is
        // longer, so the rest can only be garbage.
        let dropped = end - MAX_ENCODED_LEN;
        self.stats.bytes_discarded += dropped as u64;
        if chunk.len() >= MAX_ENCODED_LEN {
            self.window[..MAX_ENCODED_LEN].copy_from_slice(&chunk[chunk.len() - MAX_ENCODED_LEN..]);
        } else {
            let keep_old = MAX_ENCODED_LEN - chunk.len();
            self.window
                .copy_within(self.window_len - keep_old..self.window_len, 0);
            self.window[keep_old..MAX_ENCODED_LEN].copy_from_slice(chunk);
        }
        self.window_len = MAX_ENCODED_LEN;
    }

    /// Handles a delimiter that ends a non-empty run.
    fn finish_frame(&mut self) -> Decoded<'_> {
        let len = self.window_len;
        let overflowed = self.run_len > MAX_ENCODED_LEN;
        let run_len = self.run_len;
        self.window_len = 0;
        self.run_len = 0;

        let whole = if overflowed {
            Err(FrameError::Oversize { len_bytes: run_len })
        } else {
            unframe(&self.window[..len], &mut self.raw)
        };
        let (skipped, raw_len) = match whole {
            Ok(raw_len) => (0, raw_len),
            Err(error) => {
                self.stats.resyncs += 1;
                match self.recover_suffix(len, overflowed) {
                    Some((skipped, raw_len)) => {
                        self.stats.bytes_discarded += skipped as u64;
                        (skipped, raw_len)
                    }
                    None => {
                        self.stats.bytes_discarded += len as u64 + 1;
                        match error {
                            FrameError::Oversize { .. } => self.stats.oversize += 1,
                            FrameError::Crc { .. } => self.stats.crc_errors += 1,
                            _ => self.stats.malformed += 1,
                        }
                        return Decoded::Error(error);
                    }
                }
            }
        };
        let frame_bytes = (len - skipped) as u64 + 1;

        // The frame is CRC-valid: its sequence number is trustworthy.
        let raw = &self.raw[..raw_len];
        let seq = u16::from_le_bytes([raw[0], raw[1]]);
        let payload = &raw[HEADER_LEN..raw_len - CRC_LEN];
        let result = parse_payload(seq, payload);
        let is_hello = matches!(result, Ok(Message::BenchHello(_) | Message::PenHello(_)));
        if let Some(last) = self.last_seq.filter(|_| !is_hello) {
            let ahead = seq.wrapping_sub(last.wrapping_add(1));
            if ahead < 0x8000 {
                self.stats.seq_gaps += u64::from(ahead);
            } else {
                self.stats.seq_rewinds += 1;
            }
        }
        self.last_seq = Some(seq);
        match result {
            Ok(msg) => {
                self.stats.frames_ok += 1;
                self.stats.bytes_ok += frame_bytes;
                Decoded::Frame { seq, msg }
            }
            Err(error) => {
                self.stats.bytes_discarded += frame_bytes;
                if let FrameError::UnknownType { .. } = error {
                    self.stats.unknown_type += 1;
                } else {
                    self.stats.malformed += 1;
                }
                Decoded::Error(error)
            }
        }
    }

    /// Looks for a valid frame at the end of a bad run (garbage, or a frame cut short,
    /// followed by a good frame with no delimiter between). Returns the bytes skipped and
    /// the raw length of the frame, decoded into `self.raw`.
    fn recover_suffix(&mut self, len: usize, overflowed: bool) -> Option<(usize, usize)> {
        // An overflowed run was not tried at all, and only its last MAX_ENCODED_LEN bytes
        // can hold a frame; otherwise the whole run (skip 0) was just tried.
        let first = if overflowed {
            len.saturating_sub(MAX_ENCODED_LEN)
        } else {
            1
        };
        let last = len.checked_sub(MIN_ENCODED_LEN)?;
        for skip in first..=last {
            if let Ok(raw_len) = unframe(&self.window[skip..len], &mut self.raw) {
                return Some((skip, raw_len));
            }
        }
        None
    }
}

/// COBS-decodes `encoded` (no delimiter) into `raw` and checks length and CRC; returns the
/// raw length.
fn unframe(encoded: &[u8], raw: &mut [u8; MAX_FRAME_LEN]) -> Result<usize, FrameError> {
    let len_bytes = encoded.len();
    if len_bytes > MAX_ENCODED_LEN {
        return Err(FrameError::Oversize { len_bytes });
    }
    // Copy, then decode in place: the window must stay intact for the suffix search, and
    // cobs' in-place decoder is a plain loop per block, faster than its byte state machine.
    let raw = &mut raw[..len_bytes];
    raw.copy_from_slice(encoded);
    let raw_len = cobs::decode_in_place(raw).map_err(|_| FrameError::Cobs { len_bytes })?;
    if !(MIN_RAW_LEN..=MAX_RAW_LEN).contains(&raw_len) {
        return Err(FrameError::TooShort { len_bytes: raw_len });
    }
    let (body, trailer) = raw[..raw_len].split_at(raw_len - CRC_LEN);
    let received = u32::from_le_bytes([trailer[0], trailer[1], trailer[2], trailer[3]]);
    let computed = crc32(body);
    if received != computed {
        return Err(FrameError::Crc { received, computed });
    }
    Ok(raw_len)
}

/// Decodes the postcard payload of a CRC-valid frame.
fn parse_payload(seq: u16, payload: &[u8]) -> Result<Message<'_>, FrameError> {
    let tag = match postcard::take_from_bytes::<u32>(payload) {
        Ok((tag, _)) => tag,
        // A varint that does not fit a u32 is no known tag either.
        Err(_) => u32::MAX,
    };
    if tag >= KIND_COUNT {
        return Err(FrameError::UnknownType { seq, tag });
    }
    let kind = KINDS[tag as usize];
    if text_lengths_fit_u32(kind, payload).is_none() {
        return Err(FrameError::Payload { seq, kind });
    }
    let msg = match postcard::take_from_bytes::<Message<'_>>(payload) {
        Ok((msg, [])) => msg,
        _ => return Err(FrameError::Payload { seq, kind }),
    };
    msg.check_lengths()
        .map_err(|limit| FrameError::TextTooLong { seq, limit })?;
    Ok(msg)
}

/// The variant index of [`crate::Event::Log`], the one event that carries text.
const EVENT_LOG_INDEX: u32 = 3;

/// Reads the length varints of a payload's text fields by the `u32` rules of WIRE.md §4.1 (at
/// most 5 bytes, the 5th at most `0x0F`): `None` when one breaks them (or the payload ends
/// first). postcard reads a string's length as a `usize`, so on a 64-bit bench it would take
/// a 6- to 10-byte non-shortest length that a 32-bit pen (the C SDK reads a `u32`) refuses;
/// this walk, done before postcard's, makes both ends refuse the same frames. It reads only the
/// fields before and between the texts of the two messages that carry text (`PenHello`,
/// `Event::Log`); every other field it passes is a varint that also fits a `u32` when it is
/// valid, so it never refuses a payload postcard would accept with `u32` lengths.
fn text_lengths_fit_u32(kind: MessageKind, payload: &[u8]) -> Option<()> {
    fn varint(rest: &mut &[u8]) -> Option<u32> {
        let (value, after) = postcard::take_from_bytes::<u32>(rest).ok()?;
        *rest = after;
        Some(value)
    }
    fn text(rest: &mut &[u8]) -> Option<()> {
        let len = usize::try_from(varint(rest)?).ok()?;
        *rest = rest.get(len..)?;
        Some(())
    }
    if !matches!(kind, MessageKind::PenHello | MessageKind::Event) {
        return Some(()); // no text
    }
    let mut rest = payload;
    varint(&mut rest)?; // the tag
    match kind {
        MessageKind::PenHello => {
            varint(&mut rest)?; // protocol_version
            text(&mut rest)?; // firmware_name
            text(&mut rest) // firmware_version
        }
        MessageKind::Event if varint(&mut rest)? == EVENT_LOG_INDEX => {
            varint(&mut rest)?; // tick
            varint(&mut rest)?; // level
            text(&mut rest)
        }
        _ => Some(()),
    }
}

/// Message kinds by tag.
const KINDS: [MessageKind; KIND_COUNT as usize] = [
    MessageKind::BenchHello,
    MessageKind::PenHello,
    MessageKind::Sensors,
    MessageKind::Actuators,
    MessageKind::Grant,
    MessageKind::Reached,
    MessageKind::Event,
];
