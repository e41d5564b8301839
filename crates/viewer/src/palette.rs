//! The fixed colours of everything that is not on the viridis scale: the tissue layers (the
//! 3D block, the legend and the cross-section inset share them), the violation markers and
//! the verdict outcomes.
//!
//! Every layer colour, the floor's included, stays clear of the others, of every viridis
//! colour (punctures, heat map) and of the marker red, so a pixel's colour says what it is.

use needlebench_checks::Outcome;
use needlebench_physics::LAYER_COUNT;
use needlebench_recording::Layer;

/// Marker colour (sRGB): a red outside the viridis range and the layer colours.
pub const MARKER_SRGB: [f32; 3] = [1.0, 0.0, 0.15];

/// Colour of each layer (sRGB), indexed by [`Layer::index`] (surface first).
pub const LAYER_SRGB: [[f32; 3]; LAYER_COUNT] = [
    [0.95, 0.90, 0.79], // stratum corneum: cream
    [0.91, 0.69, 0.60], // viable epidermis: pale pink
    [0.85, 0.41, 0.42], // papillary dermis: pink-red
    [0.64, 0.23, 0.33], // reticular dermis: dark rose
    [0.96, 0.84, 0.43], // hypodermis: fat yellow
    [0.45, 0.13, 0.10], // muscle: dark brown-red
    [0.52, 0.74, 0.93], // cartilage: pale blue
    [0.74, 0.75, 0.76], // bone: grey
];

/// The colour of `layer` (sRGB).
pub fn layer_srgb(layer: Layer) -> [f32; 3] {
    LAYER_SRGB[layer.index()]
}

/// The colour of a verdict's outcome in the verdict list (sRGB): grey for not applicable,
/// green for pass, amber for acceptable, blue for not checked (nothing was judged), the
/// marker red for fail.
pub fn outcome_srgb(outcome: Outcome) -> [f32; 3] {
    match outcome {
        Outcome::NotApplicable => [0.62, 0.62, 0.62],
        Outcome::Pass => [0.47, 0.78, 0.47],
        Outcome::Acceptable => [0.90, 0.78, 0.31],
        Outcome::NotChecked => [0.45, 0.65, 1.0],
        Outcome::Fail => MARKER_SRGB,
    }
}

/// sRGB channels in 0..=1 as 8-bit values.
pub fn srgb8(c: [f32; 3]) -> [u8; 3] {
    c.map(|v| (v * 255.0).round().clamp(0.0, 255.0) as u8)
}
