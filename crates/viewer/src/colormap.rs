//! The fixed, colour-blind-safe colormap (viridis) every view uses: puncture depth, the
//! density heat map and the legend.
//!
//! Viridis is perceptually uniform and readable with the common colour-vision deficiencies
//! and in greyscale: its lightness rises monotonically from dark purple (0) to yellow (1).
//! The curve is the published 6th-degree polynomial fit of matplotlib's viridis table (the
//! same polynomial is evaluated in the puncture shader, `points.wgsl`), so the CPU views and
//! the GPU view agree.

/// Polynomial coefficients `c0..c6` (per channel, linear in `t`) of the viridis fit.
const COEFFS: [[f32; 3]; 7] = [
    [0.277_727_33, 0.005_407_344_5, 0.334_099_8],
    [0.105_093_04, 1.404_613_5, 1.384_590_2],
    [-0.330_861_83, 0.214_847_56, 0.095_095_16],
    [-4.634_230_5, -5.799_101, -19.332_441],
    [6.228_27, 14.179_933, 56.690_55],
    [4.776_385, -13.745_145, -65.353_035],
    [-5.435_456, 4.645_852_7, 26.312_435],
];

/// Viridis at `t` (clamped to 0..=1; NaN reads as 0), as sRGB channels in 0..=1.
pub fn viridis(t: f32) -> [f32; 3] {
    let t = if t.is_nan() { 0.0 } else { t.clamp(0.0, 1.0) };
    let mut rgb = [0.0f32; 3];
    for (ch, out) in rgb.iter_mut().enumerate() {
        let mut v = COEFFS[6][ch];
        for k in (0..6).rev() {
            v = COEFFS[k][ch] + t * v;
        }
        *out = v.clamp(0.0, 1.0);
    }
    rgb
}

/// Viridis at `t` as 8-bit sRGBA, opaque.
pub fn viridis_rgba8(t: f32) -> [u8; 4] {
    let [r, g, b] = viridis(t);
    [to_u8(r), to_u8(g), to_u8(b), 255]
}

fn to_u8(v: f32) -> u8 {
    (v * 255.0).round().clamp(0.0, 255.0) as u8
}

/// Relative luminance (Rec. 709 weights on the sRGB channels) — used by tests and the legend
/// to pick a readable text colour.
pub fn luminance(rgb: [f32; 3]) -> f32 {
    0.2126 * rgb[0] + 0.7152 * rgb[1] + 0.0722 * rgb[2]
}

/// A value range mapped onto the colormap, with the unit shown in the legend.
#[derive(Debug, Clone, PartialEq)]
pub struct ColorScale {
    /// Value shown at the dark end.
    pub min: f64,
    /// Value shown at the bright end.
    pub max: f64,
    /// Unit for the legend (`µm`, `/cm²`).
    pub unit: &'static str,
}

impl ColorScale {
    /// Position of `value` on the colormap, 0..=1 (clamped; a degenerate range gives 0).
    pub fn normalise(&self, value: f64) -> f32 {
        let span = self.max - self.min;
        if span.is_nan() || span <= 0.0 || !value.is_finite() {
            return 0.0;
        }
        ((value - self.min) / span).clamp(0.0, 1.0) as f32
    }

    /// Colour of `value`.
    pub fn rgba8(&self, value: f64) -> [u8; 4] {
        viridis_rgba8(self.normalise(value))
    }

    /// `n` evenly spaced legend ticks from `min` to `max` (n ≥ 2), as (value, position 0..=1).
    pub fn ticks(&self, n: usize) -> Vec<(f64, f32)> {
        let n = n.max(2);
        (0..n)
            .map(|i| {
                let f = i as f64 / (n - 1) as f64;
                (self.min + f * (self.max - self.min), f as f32)
            })
            .collect()
    }
}
