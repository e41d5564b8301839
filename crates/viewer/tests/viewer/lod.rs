//! Level of detail: which punctures a frame draws one by one.

use needlebench_viewer::lod::{CHUNK_PUNCTURES, WINDOW_PUNCTURES, drawn_range, window};

#[test]
fn window_is_the_most_recent_punctures_before_the_cursor() {
    assert_eq!(window(10, WINDOW_PUNCTURES), 0..10);
    assert_eq!(
        window(WINDOW_PUNCTURES + 5, WINDOW_PUNCTURES),
        5..WINDOW_PUNCTURES + 5
    );
    assert_eq!(window(0, WINDOW_PUNCTURES), 0..0);
}

#[test]
fn drawn_range_holds_the_window_in_whole_chunks_and_stays_bounded() {
    let len = 3_214_224;
    for visible in [0, 1, CHUNK_PUNCTURES, 100_000, 1_600_001, len] {
        let d = drawn_range(visible, len);
        let w = window(visible, WINDOW_PUNCTURES);
        assert!(d.start <= w.start && w.end <= d.end, "{d:?} misses {w:?}");
        assert!(d.start.is_multiple_of(CHUNK_PUNCTURES));
        assert!(d.end.is_multiple_of(CHUNK_PUNCTURES) || d.end == len);
        assert!(d.len() <= WINDOW_PUNCTURES + 2 * CHUNK_PUNCTURES, "{d:?}");
    }
    // Playing forward inside one chunk keeps the same range: no rebuild.
    assert_eq!(
        drawn_range(100_000, len),
        drawn_range(100_001, len),
        "a rebuild for one puncture"
    );
    // Past the end of the punctures it is clamped.
    assert_eq!(drawn_range(len + 10, len).end, len);
}
