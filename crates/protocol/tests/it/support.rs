//! Helpers shared by the test modules.

use needlebench_protocol::{
    CRC_LEN, Decoded, Decoder, DecoderStats, HEADER_LEN, MAX_FRAME_LEN, Message, crc32,
    encode_frame,
};

/// A decoded item, owned so that it outlives the decoder borrow.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Item {
    /// A frame: sequence number and the message's `Debug` text (every field).
    Frame { seq: u16, msg: String },
    /// An error.
    Error(needlebench_protocol::FrameError),
}

/// Feeds every chunk and collects what comes out.
pub fn feed_all<'c>(
    decoder: &mut Decoder,
    chunks: impl IntoIterator<Item = &'c [u8]>,
) -> Vec<Item> {
    let mut items = Vec::new();
    for chunk in chunks {
        let mut input = chunk;
        while !input.is_empty() {
            match decoder.feed(&mut input) {
                Some(Decoded::Frame { seq, msg }) => items.push(Item::Frame {
                    seq,
                    msg: format!("{msg:?}"),
                }),
                Some(Decoded::Error(e)) => items.push(Item::Error(e)),
                None => assert!(input.is_empty(), "None must mean the input was used up"),
            }
        }
    }
    items
}

/// The item a valid frame of `msg` must decode to.
pub fn frame_item(seq: u16, msg: &Message<'_>) -> Item {
    Item::Frame {
        seq,
        msg: format!("{msg:?}"),
    }
}

/// Encodes one frame into a fresh vector.
pub fn frame(seq: u16, msg: &Message<'_>) -> Vec<u8> {
    let mut out = [0u8; MAX_FRAME_LEN];
    let len = encode_frame(seq, msg, &mut out).expect("message fits");
    out[..len].to_vec()
}

/// Builds a frame around arbitrary payload bytes, with a correct CRC.
pub fn frame_with_payload(seq: u16, payload: &[u8]) -> Vec<u8> {
    let mut raw = seq.to_le_bytes().to_vec();
    raw.extend_from_slice(payload);
    let crc = crc32(&raw);
    raw.extend_from_slice(&crc.to_le_bytes());
    assert!(raw.len() >= HEADER_LEN + CRC_LEN);
    let mut out = vec![0u8; raw.len() + 2];
    let n = cobs::encode(&raw, &mut out);
    out.truncate(n);
    out.push(0);
    out
}

/// Errors counted in `stats`.
pub fn error_count(stats: &DecoderStats) -> u64 {
    stats.crc_errors + stats.oversize + stats.unknown_type + stats.malformed
}
