//! The bench ↔ pen wire protocol: message types, framing, and a sans-IO codec.
//!
//! `#![no_std]`, no allocation, no clock: the firmware (a C or Rust program on a
//! microcontroller) and the bench both link it, or implement `WIRE.md` beside this crate,
//! the byte-level spec with golden vectors that the tests check against this code.
//!
//! * [`messages`]: what is said ([`Message`] and its parts).
//! * [`Encoder`] / [`encode_frame`]: a message → one frame, into the caller's buffer.
//! * [`Decoder`]: received bytes in, [`Decoded`] frames or errors out, with
//!   [`DecoderStats`] link counters. It resynchronises after garbage, recovers a valid frame
//!   that follows garbage even without a delimiter between them, and never panics.
//!
//! A frame is `COBS( seq_u16_le | postcard(Message) | crc32_le ) 0x00`, at most
//! [`MAX_FRAME_LEN`] bytes.
//!
//! # Why these crates
//! * [`postcard`] for the payload: a documented, stable (1.x) wire format of plain varints
//!   that a C engineer can write by hand, serde-derived so the message types are the
//!   schema, zero-copy for `&str`.
//! * [`cobs`] for byte stuffing: the COBS implementation postcard itself depends on
//!   (maintained by postcard's author), `no_std`, with fallible encode/decode into caller
//!   buffers; postcard's own `CobsAccumulator` is not used because it fails the whole
//!   frame on overflow and cannot recover a frame behind garbage.
//! * [`crc`] for CRC-32/ISO-HDLC: the standard catalogue CRC, table-driven, `no_std`.
//!
//! # Features
//! * `fast-crc`: slice-by-16 CRC tables (16 KiB instead of 1 KiB) for about 20 % more
//!   frames per second; for hosts (bench, bridge), not microcontrollers.
//! * `std`: nothing yet; the error types implement `core::error::Error` without it.
#![no_std]

mod decoder;
mod frame;
pub mod messages;

pub use decoder::{Decoded, Decoder, DecoderStats, FrameError};
pub use frame::{
    CRC_LEN, EncodeError, Encoder, HEADER_LEN, MAX_ENCODED_LEN, MAX_FRAME_LEN, MAX_PAYLOAD_LEN,
    MAX_RAW_LEN, MIN_RAW_LEN, TooLong, crc32, encode_frame,
};
pub use messages::*;
