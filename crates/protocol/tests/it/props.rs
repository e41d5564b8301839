//! Property tests: any message round-trips, any byte stream is survivable, a valid frame
//! after garbage is recovered, and a frame split anywhere decodes.

use needlebench_protocol::{Decoder, Encoder, Grant, MAX_FRAME_LEN, Message};
use proptest::prelude::*;

use crate::arb::arb_message;
use crate::support::{Item, error_count, feed_all, frame, frame_item};

/// Cuts `bytes` into chunks at the given (sorted, deduplicated) positions.
fn chunks<'b>(bytes: &'b [u8], cuts: &[usize]) -> Vec<&'b [u8]> {
    let mut positions: Vec<usize> = cuts.iter().map(|c| c % (bytes.len() + 1)).collect();
    positions.sort_unstable();
    positions.dedup();
    let mut out = Vec::new();
    let mut start = 0;
    for p in positions.into_iter().chain([bytes.len()]) {
        out.push(&bytes[start..p]);
        start = p;
    }
    out
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(512))]

    /// Any message encodes into at most MAX_FRAME_LEN bytes, with 0x00 only at the end, and
    /// decodes back to itself with its sequence number.
    #[test]
    fn any_message_round_trips(arb in arb_message(), seq in any::<u16>()) {
        let msg = arb.as_message();
        let bytes = frame(seq, &msg);
        prop_assert!(bytes.len() <= MAX_FRAME_LEN);
        prop_assert_eq!(bytes.iter().position(|&b| b == 0), Some(bytes.len() - 1));
        let mut decoder = Decoder::new();
        let items = feed_all(&mut decoder, [bytes.as_slice()]);
        prop_assert_eq!(items, vec![frame_item(seq, &msg)]);
        prop_assert_eq!(decoder.stats().bytes_ok, bytes.len() as u64);
    }

    /// A stream of messages, delivered in arbitrary chunks, decodes in order with no gap.
    #[test]
    fn a_chunked_stream_decodes_in_order(
        msgs in prop::collection::vec(arb_message(), 1..20),
        cuts in prop::collection::vec(any::<usize>(), 0..30),
        first_seq in any::<u16>(),
    ) {
        let mut encoder = Encoder::starting_at(first_seq);
        let mut stream = Vec::new();
        let mut expected = Vec::new();
        let mut out = [0u8; MAX_FRAME_LEN];
        for arb in &msgs {
            let msg = arb.as_message();
            expected.push(frame_item(encoder.next_seq(), &msg));
            let len = encoder.encode(&msg, &mut out).expect("fits");
            stream.extend_from_slice(&out[..len]);
        }
        let mut decoder = Decoder::new();
        let items = feed_all(&mut decoder, chunks(&stream, &cuts));
        prop_assert_eq!(items, expected);
        let stats = decoder.stats();
        prop_assert_eq!(stats.frames_ok, msgs.len() as u64);
        prop_assert_eq!(stats.bytes_ok, stream.len() as u64);
        // Hellos restart the count, so a stream of any messages has no gap or rewind.
        prop_assert_eq!((stats.seq_gaps, stats.seq_rewinds, error_count(&stats)), (0, 0, 0));
    }

    /// Any bytes, in any chunks: no panic, one item per counted frame or error, and every
    /// byte accounted for.
    #[test]
    fn any_byte_stream_is_survivable(
        bytes in prop::collection::vec(
            prop_oneof![4 => any::<u8>(), 1 => Just(0u8)], 0..2000),
        cuts in prop::collection::vec(any::<usize>(), 0..40),
    ) {
        let mut decoder = Decoder::new();
        let items = feed_all(&mut decoder, chunks(&bytes, &cuts));
        let stats = decoder.stats();
        let frames = items.iter().filter(|i| matches!(i, Item::Frame { .. })).count() as u64;
        prop_assert_eq!(stats.frames_ok, frames);
        prop_assert_eq!(error_count(&stats), items.len() as u64 - frames);
        prop_assert_eq!(
            stats.bytes_ok + stats.bytes_discarded + stats.empty_frames
                + decoder.buffered_len() as u64,
            bytes.len() as u64
        );
        prop_assert!(decoder.buffered_len() <= 2 * MAX_FRAME_LEN);
    }

    /// A valid frame right after any garbage (with or without delimiters, of any length) is
    /// recovered exactly, and so is the frame after it.
    #[test]
    fn a_valid_frame_after_garbage_is_recovered(
        garbage in prop::collection::vec(any::<u8>(), 0..600),
        arb in arb_message(),
        seq in any::<u16>(),
        cuts in prop::collection::vec(any::<usize>(), 0..10),
    ) {
        let msg = arb.as_message();
        let next = Message::Grant(Grant { until_tick: 1, with_sensors: false });
        let mut stream = garbage.clone();
        stream.extend(frame(seq, &msg));
        stream.extend(frame(seq.wrapping_add(1), &next));
        let mut decoder = Decoder::new();
        let items = feed_all(&mut decoder, chunks(&stream, &cuts));
        prop_assert!(items.len() >= 2);
        prop_assert_eq!(
            &items[items.len() - 2..],
            &[frame_item(seq, &msg), frame_item(seq.wrapping_add(1), &next)]
        );
        prop_assert_eq!(decoder.buffered_len(), 0);
    }

    /// Two frames split into two feeds at every possible position both decode.
    #[test]
    fn a_frame_split_anywhere_decodes(a in arb_message(), b in arb_message()) {
        let (a, b) = (a.as_message(), b.as_message());
        let mut stream = frame(7, &a);
        stream.extend(frame(8, &b));
        for split in 0..=stream.len() {
            let mut decoder = Decoder::new();
            let items = feed_all(&mut decoder, [&stream[..split], &stream[split..]]);
            prop_assert_eq!(items, vec![frame_item(7, &a), frame_item(8, &b)], "split at {}", split);
        }
    }
}
