//! The density heat map on the skin surface: a grid of puncture counts over the treated
//! area's bounding box, kept equal to "the punctures at or before the cursor" and coloured
//! with the fixed colormap.
//!
//! [`HeatGrid::set_visible`] moves between cursor times by adding or removing only the
//! punctures in between (integer counts, so going backwards is exact), which makes scrubbing a
//! 3-million-puncture recording cheap.

use crate::colormap::ColorScale;
use crate::error::ViewerError;

/// Most cells along either side of the grid (the texture stays small).
pub const MAX_CELLS_PER_SIDE: usize = 256;

/// Margin around the treated area's bounding box, in cells.
const MARGIN_CELLS: usize = 1;

/// Puncture counts per cell over the treated area.
#[derive(Debug, Clone, PartialEq)]
pub struct HeatGrid {
    /// Lower-left corner (min x, min y) of cell (0, 0), mm.
    pub origin_mm: [f64; 2],
    /// Cell side, mm.
    pub cell_mm: f64,
    /// Cells along x.
    pub cols: usize,
    /// Cells along y.
    pub rows: usize,
    /// Whether each cell's centre is inside the treated area (row-major, row 0 at min y).
    pub in_area: Vec<bool>,
    counts: Vec<u32>,
    visible: usize,
}

impl HeatGrid {
    /// A grid of `cell_mm` cells (enlarged so no side has more than [`MAX_CELLS_PER_SIDE`])
    /// over the bounding box of `area` (a polygon of at least 3 finite points).
    pub fn new(area: &[[f64; 2]], cell_mm: f64) -> Result<HeatGrid, ViewerError> {
        if area.len() < 3 {
            return Err(ViewerError::Area(format!(
                "needs at least 3 points, has {}",
                area.len()
            )));
        }
        if let Some(i) = area
            .iter()
            .position(|p| !(p[0].is_finite() && p[1].is_finite()))
        {
            return Err(ViewerError::Area(format!("point {} is not finite", i + 1)));
        }
        if !(cell_mm > 0.0 && cell_mm.is_finite()) {
            return Err(ViewerError::Area(format!(
                "density cell {cell_mm} mm is not positive"
            )));
        }
        let (mut lo, mut hi) = ([f64::MAX; 2], [f64::MIN; 2]);
        for p in area {
            for k in 0..2 {
                lo[k] = lo[k].min(p[k]);
                hi[k] = hi[k].max(p[k]);
            }
        }
        let extent = (hi[0] - lo[0]).max(hi[1] - lo[1]);
        if extent.is_nan() || extent <= 0.0 {
            return Err(ViewerError::Area("has no extent".to_owned()));
        }
        let usable = (MAX_CELLS_PER_SIDE - 2 * MARGIN_CELLS) as f64;
        let cell_mm = cell_mm.max(extent / usable);
        let margin_mm = MARGIN_CELLS as f64 * cell_mm;
        let origin_mm = [lo[0] - margin_mm, lo[1] - margin_mm];
        let cols = ((hi[0] - lo[0]) / cell_mm).ceil() as usize + 2 * MARGIN_CELLS;
        let rows = ((hi[1] - lo[1]) / cell_mm).ceil() as usize + 2 * MARGIN_CELLS;
        let (cols, rows) = (cols.max(1), rows.max(1));
        let mut in_area = Vec::with_capacity(cols * rows);
        for r in 0..rows {
            for c in 0..cols {
                let x = origin_mm[0] + (c as f64 + 0.5) * cell_mm;
                let y = origin_mm[1] + (r as f64 + 0.5) * cell_mm;
                in_area.push(point_in_polygon([x, y], area));
            }
        }
        Ok(HeatGrid {
            origin_mm,
            cell_mm,
            cols,
            rows,
            in_area,
            counts: vec![0; cols * rows],
            visible: 0,
        })
    }

    /// The cell holding a point, if on the grid.
    pub fn cell_of(&self, x_mm: f64, y_mm: f64) -> Option<usize> {
        let c = ((x_mm - self.origin_mm[0]) / self.cell_mm).floor();
        let r = ((y_mm - self.origin_mm[1]) / self.cell_mm).floor();
        if !(c >= 0.0 && r >= 0.0 && (c as usize) < self.cols && (r as usize) < self.rows) {
            return None;
        }
        Some(r as usize * self.cols + c as usize)
    }

    /// Punctures counted in each cell (row-major).
    pub fn counts(&self) -> &[u32] {
        &self.counts
    }

    /// How many punctures (a prefix of the time-sorted arrays) are counted.
    pub fn visible(&self) -> usize {
        self.visible
    }

    /// Count exactly the first `n` punctures of `x_mm`/`y_mm` (clamped to their length),
    /// adding or removing only those between the old and the new `n`. Returns whether any
    /// count changed.
    pub fn set_visible(&mut self, x_mm: &[f32], y_mm: &[f32], n: usize) -> bool {
        let n = n.min(x_mm.len()).min(y_mm.len());
        let before = self.visible;
        let mut old = before;
        if old > n && old - n > n {
            // Far back: recounting the first `n` is cheaper than removing `old - n`.
            self.counts.fill(0);
            old = 0;
        }
        if n > old {
            for i in old..n {
                if let Some(cell) = self.cell_of(f64::from(x_mm[i]), f64::from(y_mm[i])) {
                    self.counts[cell] += 1;
                }
            }
        } else {
            for i in n..old {
                if let Some(cell) = self.cell_of(f64::from(x_mm[i]), f64::from(y_mm[i])) {
                    self.counts[cell] -= 1;
                }
            }
        }
        self.visible = n;
        n != before
    }

    /// Density of a cell, punctures per cm².
    pub fn per_cm2(&self, cell: usize) -> f64 {
        f64::from(self.counts[cell]) / (self.cell_mm * self.cell_mm / 100.0)
    }

    /// RGBA8 pixels, one per cell, row 0 at min y: cells in the treated area coloured by
    /// density with `scale`; cells outside it transparent.
    pub fn to_rgba8(&self, scale: &ColorScale) -> Vec<u8> {
        self.to_rgba8_with(scale, false)
    }

    /// [`HeatGrid::to_rgba8`], with the cells no puncture reached transparent too when
    /// `untouched_transparent`: on a face map, whose treated area is the whole face, the
    /// zones under the heat map stay visible where nothing has been treated yet.
    pub fn to_rgba8_with(&self, scale: &ColorScale, untouched_transparent: bool) -> Vec<u8> {
        let mut out = Vec::with_capacity(self.counts.len() * 4);
        for cell in 0..self.counts.len() {
            if self.in_area[cell] && !(untouched_transparent && self.counts[cell] == 0) {
                out.extend_from_slice(&scale.rgba8(self.per_cm2(cell)));
            } else {
                out.extend_from_slice(&[0, 0, 0, 0]);
            }
        }
        out
    }
}

/// Even-odd point-in-polygon test.
pub fn point_in_polygon(p: [f64; 2], poly: &[[f64; 2]]) -> bool {
    let mut inside = false;
    let mut j = poly.len().wrapping_sub(1);
    for i in 0..poly.len() {
        let (a, b) = (poly[i], poly[j]);
        if (a[1] > p[1]) != (b[1] > p[1]) {
            let x = a[0] + (p[1] - a[1]) / (b[1] - a[1]) * (b[0] - a[0]);
            if p[0] < x {
                inside = !inside;
            }
        }
        j = i;
    }
    inside
}
