//! The zone overlay of a face-map recording, as plain data: a colour per zone and each
//! zone's caption (label and recommended depth). The polygons are filled by
//! [`crate::polygon::triangulate`].

use needlebench_face::Zone;

/// Zone fill colours (sRGB), cycled by zone index (the default face map's zones each get
/// their own): light tints, clear of the layer colours, of the marker red and of one another.
pub const ZONE_SRGB: [[f32; 3]; 16] = [
    [0.55, 0.80, 1.00], // sky blue
    [0.72, 0.95, 0.55], // lime
    [1.00, 0.70, 0.95], // orchid
    [0.60, 1.00, 0.90], // aquamarine
    [1.00, 0.82, 0.55], // apricot
    [0.80, 0.72, 1.00], // lavender
    [0.95, 1.00, 0.60], // pale lemon
    [0.65, 0.90, 0.70], // mint
    [0.45, 0.85, 0.60], // sea green
    [0.95, 0.60, 0.70], // rose
    [0.70, 0.85, 0.95], // powder blue
    [0.70, 0.55, 0.95], // purple
    [0.55, 0.95, 0.75], // spring green
    [1.00, 0.60, 0.45], // coral
    [0.85, 1.00, 0.85], // honeydew
    [0.60, 0.70, 0.80], // slate
];

/// The fill colour of zone `index` (sRGB).
pub fn zone_srgb(index: usize) -> [f32; 3] {
    ZONE_SRGB[index % ZONE_SRGB.len()]
}

/// The outline colour of zone `index` (sRGB): its fill colour, darker.
pub fn zone_line_srgb(index: usize) -> [f32; 3] {
    zone_srgb(index).map(|c| c * 0.45)
}

/// What the overlay writes at a zone's centroid: its label and its recommended depth range,
/// e.g. `left cheek 1.0–1.5 mm` (one value when the range is a single depth).
pub fn zone_caption(zone: &Zone) -> String {
    let [lo, hi] = zone.depth_mm;
    if (hi - lo).abs() < 1e-9 {
        format!("{} {} mm", zone.label, depth(lo))
    } else {
        format!("{} {}–{} mm", zone.label, depth(lo), depth(hi))
    }
}

/// A depth with one decimal unless it needs two (0.25 mm).
fn depth(mm: f64) -> String {
    if ((mm * 10.0).round() - mm * 10.0).abs() < 1e-9 {
        format!("{mm:.1}")
    } else {
        format!("{mm:.2}")
    }
}

/// The polygon `outline_mm` as a ring without its closing point (face maps repeat the first
/// point at the end, the same point bit for bit), as [`crate::polygon::triangulate`] takes it.
pub fn open_ring(outline_mm: &[[f64; 2]]) -> &[[f64; 2]] {
    match outline_mm {
        [first, .., last] if first.map(f64::to_bits) == last.map(f64::to_bits) => {
            &outline_mm[..outline_mm.len() - 1]
        }
        _ => outline_mm,
    }
}
