//! Fuzz target: arbitrary bytes, cut into arbitrary chunks, into the frame decoder.
//!
//! Checks that the decoder never panics, that every item it returns is counted in its
//! statistics, and that every byte fed is accounted for.
#![no_main]

use libfuzzer_sys::fuzz_target;
use needlebench_protocol::{Decoded, Decoder, MAX_FRAME_LEN};

fuzz_target!(|data: &[u8]| {
    // The first byte picks the chunk size (1..=256), the rest is the stream.
    let Some((&chunk_byte, stream)) = data.split_first() else {
        return;
    };
    let chunk_len = usize::from(chunk_byte) + 1;
    let mut decoder = Decoder::new();
    let (mut frames, mut errors) = (0u64, 0u64);
    for chunk in stream.chunks(chunk_len) {
        let mut input = chunk;
        while !input.is_empty() {
            match decoder.feed(&mut input) {
                Some(Decoded::Frame { msg, .. }) => {
                    frames += 1;
                    // Whatever decodes must re-encode.
                    let mut out = [0u8; MAX_FRAME_LEN];
                    assert!(needlebench_protocol::encode_frame(0, &msg, &mut out).is_ok());
                }
                Some(Decoded::Error(_)) => errors += 1,
                None => assert!(input.is_empty()),
            }
        }
    }
    let stats = decoder.stats();
    assert_eq!(stats.frames_ok, frames);
    assert_eq!(
        stats.crc_errors + stats.oversize + stats.unknown_type + stats.malformed,
        errors
    );
    assert_eq!(
        stats.bytes_ok + stats.bytes_discarded + stats.empty_frames + decoder.buffered_len() as u64,
        stream.len() as u64
    );
});
