//! Level of detail of the puncture cloud, so a frame costs the same at 3 000 punctures and at
//! 3 million.
//!
//! Individual punctures are drawn only for a recent window: the last [`WINDOW_PUNCTURES`]
//! punctures at or before the cursor. Everything older is shown by the density heat map (the
//! texture on the skin, [`crate::heatmap`]), which costs the same whatever the count.
//!
//! The GPU holds one point mesh of the punctures [`drawn_range`]: the window widened to
//! whole chunks of [`CHUNK_PUNCTURES`] (at most `WINDOW_PUNCTURES + 2 × CHUNK_PUNCTURES`
//! points), and the shader hides the ones outside the window. While playing, the window
//! slides inside that range and only two uniforms change; the mesh is rebuilt (at most
//! 16 000 points) only when the window crosses a chunk boundary or the cursor jumps.
//! So neither the vertices a frame draws nor what it uploads grow with the recording.
//! (Uploading all punctures once and hiding most in the shader, as before, made the
//! software rasteriser process every one of 3.2 million vertices each frame; one mesh per
//! chunk, toggled by visibility, was slower still on lavapipe.)
//!
//! Why a window of the most recent punctures and not a spatial scheme: a trainer watches the
//! pen, and the punctures it just made are the ones to see one by one (their depth colour);
//! what was done before is a question of coverage and density, which the heat map answers.
//!
//! Why 8 000: about two seconds of a 36-needle cartridge at 120 Hz, the stretch of a pass a
//! trainer follows behind the pen. A point is not free on a software rasteriser (each is
//! set up and binned on its own, about 0.2 µs on lavapipe here): 24 000 points cost about
//! a third of an empty frame, 8 000 a sixth, which keeps playing within the frame bench's
//! bound with room for a loaded machine.

use std::ops::Range;

/// The mesh holds whole chunks of this many punctures (so playing rebuilds it rarely).
pub const CHUNK_PUNCTURES: usize = 4_096;

/// Most recent punctures drawn one by one (older ones: the heat map).
pub const WINDOW_PUNCTURES: usize = 8_000;

/// The punctures drawn one by one when the first `visible` are at or before the cursor: the
/// last `window` of them.
pub fn window(visible: usize, window: usize) -> Range<usize> {
    visible.saturating_sub(window)..visible
}

/// The punctures the GPU mesh holds when the first `visible` of `len` are at or before the
/// cursor: [`window`] widened to whole chunks (clamped to `len`).
pub fn drawn_range(visible: usize, len: usize) -> Range<usize> {
    let w = window(visible.min(len), WINDOW_PUNCTURES);
    let start = w.start / CHUNK_PUNCTURES * CHUNK_PUNCTURES;
    let end = (w.end.div_ceil(CHUNK_PUNCTURES) * CHUNK_PUNCTURES).min(len);
    start..end
}
