//! The zone overlay of a face-map recording, as plain data: a colour per zone and each
//! zone's caption (label and recommended depth), and the zones rasterised into the tint
//! texture the skin surface samples ([`ZoneTint`], on its [`TintGrid`]).

use needlebench_face::{FaceMap, Zone};

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

/// Finest texel of the zone tint, mm: finer than a needle's spacing, so a zone's edge is
/// placed within a quarter millimetre (its outline is drawn as a line on top).
pub const TINT_TEXEL_MM: f64 = 0.25;

/// Most texels along either side of the zone tint (the texel grows for bigger maps).
pub const TINT_MAX_TEXELS: usize = 2048;

/// Where the zone tint's texels lie: texel (0, 0)'s lower-left corner, the texel's side, and
/// the texture's size. All the block's mesh needs of the tint (its texture coordinates).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct TintGrid {
    /// Lower-left corner of texel (0, 0), mm.
    pub origin_mm: [f64; 2],
    /// Texel side, mm.
    pub texel_mm: f64,
    /// Texels along x.
    pub cols: usize,
    /// Texels along y.
    pub rows: usize,
}

impl TintGrid {
    /// The grid over `map`'s bounding box: [`TINT_TEXEL_MM`] texels, coarser if a side would
    /// pass [`TINT_MAX_TEXELS`].
    pub fn new(map: &FaceMap) -> TintGrid {
        let [lo, hi] = map.bbox_mm();
        let extent = (hi[0] - lo[0]).max(hi[1] - lo[1]).max(0.0);
        let texel_mm = TINT_TEXEL_MM.max(extent / TINT_MAX_TEXELS as f64);
        let side =
            |k: usize| (((hi[k] - lo[k]) / texel_mm).ceil() as usize).clamp(1, TINT_MAX_TEXELS);
        TintGrid {
            origin_mm: lo,
            texel_mm,
            cols: side(0),
            rows: side(1),
        }
    }

    /// Texture coordinates of a point, mm (0..1 across the texture, v along +y).
    pub fn uv(&self, p_mm: [f64; 2]) -> [f32; 2] {
        [
            ((p_mm[0] - self.origin_mm[0]) / (self.cols as f64 * self.texel_mm)) as f32,
            ((p_mm[1] - self.origin_mm[1]) / (self.rows as f64 * self.texel_mm)) as f32,
        ]
    }

    /// The texel holding a point, mm, as (column, row) (`None` outside the texture).
    pub fn texel_of(&self, p_mm: [f64; 2]) -> Option<(usize, usize)> {
        let c = ((p_mm[0] - self.origin_mm[0]) / self.texel_mm).floor();
        let r = ((p_mm[1] - self.origin_mm[1]) / self.texel_mm).floor();
        if c < 0.0 || r < 0.0 || c >= self.cols as f64 || r >= self.rows as f64 {
            return None;
        }
        Some((c as usize, r as usize))
    }
}

/// The zones of a face map rasterised for the skin surface's shader: one texel per
/// [`TintGrid`] cell over the map's bounding box, row 0 at min y; a texel whose centre is in
/// zone `i` is [`zone_srgb`]`(i)` opaque, any other is transparent (the layer colour shows).
/// Drawn once when a recording opens: the surface is one draw whatever the number of zones.
#[derive(Debug, Clone, PartialEq)]
pub struct ZoneTint {
    /// Where the texels lie.
    pub grid: TintGrid,
    /// sRGB RGBA8, row-major, row 0 at min y.
    pub rgba8: Vec<u8>,
}

impl ZoneTint {
    /// Rasterise `map` on its [`TintGrid`].
    pub fn new(map: &FaceMap) -> ZoneTint {
        let grid = TintGrid::new(map);
        let colours: Vec<[u8; 4]> = (0..map.zones.len())
            .map(|i| {
                let [r, g, b] = crate::palette::srgb8(zone_srgb(i));
                [r, g, b, 255]
            })
            .collect();
        let mut rgba8 = Vec::with_capacity(grid.cols * grid.rows * 4);
        for r in 0..grid.rows {
            let y = grid.origin_mm[1] + (r as f64 + 0.5) * grid.texel_mm;
            for c in 0..grid.cols {
                let x = grid.origin_mm[0] + (c as f64 + 0.5) * grid.texel_mm;
                let texel = map.zone_at([x, y]).map_or([0; 4], |i| colours[i]);
                rgba8.extend_from_slice(&texel);
            }
        }
        ZoneTint { grid, rgba8 }
    }

    /// The texel at a point, mm (`None` outside the texture).
    pub fn texel_at(&self, p_mm: [f64; 2]) -> Option<[u8; 4]> {
        let (c, r) = self.grid.texel_of(p_mm)?;
        let i = (r * self.grid.cols + c) * 4;
        self.rgba8.get(i..i + 4).map(|t| [t[0], t[1], t[2], t[3]])
    }
}
