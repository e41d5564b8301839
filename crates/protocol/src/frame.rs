//! Frame layout, CRC, text-length rules and the encoder.
//!
//! A frame on the wire is
//!
//! ```text
//! COBS( seq_u16_le | postcard(Message) | crc32_le ) 0x00
//! ```
//!
//! where the CRC-32/ISO-HDLC covers `seq | postcard(Message)`. See `WIRE.md`.

use crc::{CRC_32_ISO_HDLC, Crc};

use crate::messages::{Event, MAX_LOG_LEN, MAX_NAME_LEN, Message};

/// Longest encoded frame in bytes, COBS overhead and the trailing `0x00` delimiter included.
pub const MAX_FRAME_LEN: usize = 128;

/// Longest COBS-encoded frame body (everything before the `0x00` delimiter), in bytes.
pub const MAX_ENCODED_LEN: usize = MAX_FRAME_LEN - 1;

/// Longest frame before COBS (`seq | payload | crc`), in bytes.
///
/// COBS adds exactly one byte to any block of at most 254 bytes, so a raw frame of this
/// length encodes to [`MAX_ENCODED_LEN`] bytes.
pub const MAX_RAW_LEN: usize = MAX_ENCODED_LEN - 1;

/// Length of the frame header (the little-endian `u16` sequence number), in bytes.
pub const HEADER_LEN: usize = 2;

/// Length of the CRC-32 trailer, in bytes.
pub const CRC_LEN: usize = 4;

/// Longest postcard payload that fits in a frame, in bytes.
pub const MAX_PAYLOAD_LEN: usize = MAX_RAW_LEN - HEADER_LEN - CRC_LEN;

/// Shortest raw frame: header, a one-byte payload, CRC.
pub const MIN_RAW_LEN: usize = HEADER_LEN + 1 + CRC_LEN;

/// The CRC implementation: a 256-entry table (1 KiB), small enough for a microcontroller,
/// or with the `fast-crc` feature slice-by-16 (16 KiB of tables, about 20 % more frames/s).
#[cfg(not(feature = "fast-crc"))]
type CrcImpl = crc::Table<1>;
#[cfg(feature = "fast-crc")]
type CrcImpl = crc::Table<16>;

/// CRC-32/ISO-HDLC (zlib, Ethernet): poly `0x04C11DB7` reflected, init and xorout
/// `0xFFFF_FFFF`.
pub(crate) const CRC32: Crc<u32, CrcImpl> = Crc::<u32, CrcImpl>::new(&CRC_32_ISO_HDLC);

/// CRC-32/ISO-HDLC of `bytes`, as written in a frame's trailer.
pub fn crc32(bytes: &[u8]) -> u32 {
    CRC32.checksum(bytes)
}

/// A field or message that does not fit the protocol's size limits.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct TooLong {
    /// Dotted name of the field, e.g. `"event.log.text"`; `"message"` for a whole message.
    pub field: &'static str,
    /// Its length, bytes.
    pub len_bytes: usize,
    /// The limit, bytes.
    pub max_bytes: usize,
}

impl Message<'_> {
    /// Checks the text-length limits ([`MAX_NAME_LEN`], [`MAX_LOG_LEN`]).
    ///
    /// The encoder refuses, and the decoder rejects, a message that breaks them.
    pub fn check_lengths(&self) -> Result<(), TooLong> {
        let check = |field: &'static str, text: &str, max_bytes: usize| {
            if text.len() > max_bytes {
                Err(TooLong {
                    field,
                    len_bytes: text.len(),
                    max_bytes,
                })
            } else {
                Ok(())
            }
        };
        match self {
            Message::PenHello(hello) => {
                check("pen_hello.firmware_name", hello.firmware_name, MAX_NAME_LEN)?;
                check(
                    "pen_hello.firmware_version",
                    hello.firmware_version,
                    MAX_NAME_LEN,
                )
            }
            Message::Event(Event::Log { text, .. }) => check("event.log.text", text, MAX_LOG_LEN),
            _ => Ok(()),
        }
    }
}

/// Why a message could not be encoded.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum EncodeError {
    /// The caller's buffer cannot hold the frame.
    #[error(
        "output buffer too small: the frame needs {needed_bytes} bytes, {available_bytes} available"
    )]
    BufferTooSmall {
        /// Length of the complete frame, delimiter included, bytes.
        needed_bytes: usize,
        /// Length of the caller's buffer, bytes.
        available_bytes: usize,
    },
    /// A text field (or the whole message) is over its limit; see [`MAX_FRAME_LEN`].
    #[error("{} is {} bytes, over the limit of {} bytes", .0.field, .0.len_bytes, .0.max_bytes)]
    TooLong(TooLong),
}

/// Encodes `msg` with sequence number `seq` into `out` as one complete frame, trailing
/// `0x00` included, and returns the frame's length in bytes (at most [`MAX_FRAME_LEN`]).
///
/// A buffer of [`MAX_FRAME_LEN`] bytes is always large enough.
pub fn encode_frame(seq: u16, msg: &Message<'_>, out: &mut [u8]) -> Result<usize, EncodeError> {
    msg.check_lengths().map_err(EncodeError::TooLong)?;
    let mut raw = [0u8; MAX_RAW_LEN];
    raw[..HEADER_LEN].copy_from_slice(&seq.to_le_bytes());
    let payload_len =
        match postcard::to_slice(msg, &mut raw[HEADER_LEN..HEADER_LEN + MAX_PAYLOAD_LEN]) {
            Ok(payload) => payload.len(),
            Err(_) => {
                let len_bytes =
                    postcard::serialize_with_flavor(msg, postcard::ser_flavors::Size::default())
                        .unwrap_or(usize::MAX);
                return Err(EncodeError::TooLong(TooLong {
                    field: "message",
                    len_bytes,
                    max_bytes: MAX_PAYLOAD_LEN,
                }));
            }
        };
    let crc_at = HEADER_LEN + payload_len;
    let crc = crc32(&raw[..crc_at]);
    raw[crc_at..crc_at + CRC_LEN].copy_from_slice(&crc.to_le_bytes());
    let raw = &raw[..crc_at + CRC_LEN];

    let too_small = |out_len: usize| {
        let mut scratch = [0u8; MAX_FRAME_LEN];
        let needed = cobs::try_encode(raw, &mut scratch).map_or(MAX_FRAME_LEN, |n| n + 1);
        EncodeError::BufferTooSmall {
            needed_bytes: needed,
            available_bytes: out_len,
        }
    };
    let Some((_, body)) = out.split_last_mut() else {
        return Err(too_small(0));
    };
    let encoded_len = cobs::try_encode(raw, body).map_err(|_| too_small(out.len()))?;
    // `encoded_len < out.len()` because `body` is one byte shorter than `out`.
    out[encoded_len] = 0;
    Ok(encoded_len + 1)
}

/// The sending half of a link: stamps each frame with the next sequence number.
///
/// Each direction has its own counter. It starts at 0, goes up by one for every frame
/// encoded and wraps from 65535 to 0.
///
/// ```
/// use needlebench_protocol::{Encoder, Grant, Message, MAX_FRAME_LEN};
///
/// let mut encoder = Encoder::new();
/// let mut out = [0u8; MAX_FRAME_LEN];
/// let len = encoder.encode(&Message::Grant(Grant { until_tick: 5, with_sensors: false }), &mut out)?;
/// assert_eq!(out[len - 1], 0x00); // delimiter
/// assert_eq!(encoder.next_seq(), 1);
/// # Ok::<(), needlebench_protocol::EncodeError>(())
/// ```
#[derive(Debug, Clone, Default)]
pub struct Encoder {
    next_seq: u16,
}

impl Encoder {
    /// An encoder whose first frame carries sequence number 0.
    pub const fn new() -> Self {
        Self { next_seq: 0 }
    }

    /// An encoder whose first frame carries sequence number `seq`.
    pub const fn starting_at(seq: u16) -> Self {
        Self { next_seq: seq }
    }

    /// The sequence number the next frame will carry.
    pub const fn next_seq(&self) -> u16 {
        self.next_seq
    }

    /// Encodes `msg` into `out` (see [`encode_frame`]) and, on success only, advances the
    /// sequence number.
    pub fn encode(&mut self, msg: &Message<'_>, out: &mut [u8]) -> Result<usize, EncodeError> {
        let len = encode_frame(self.next_seq, msg, out)?;
        self.next_seq = self.next_seq.wrapping_add(1);
        Ok(len)
    }
}
