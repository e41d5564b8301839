//! The zone lookup index: a uniform grid over the face map's bounding box; each cell lists
//! the zones whose bounding boxes touch it, in map order. A lookup reads one cell and runs
//! the exact point-in-polygon test on its few candidates.

use crate::geometry::bbox_mm;

/// Target cell size, mm (a face's zones are tens of mm across).
const CELL_MM: f64 = 4.0;
/// Most cells along one axis.
const MAX_CELLS: usize = 256;

/// Zone candidates per grid cell, stored flat (cell `c`'s zones are
/// `items[starts[c]..starts[c + 1]]`).
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct GridIndex {
    min: [f64; 2],
    cell: [f64; 2],
    n: [usize; 2],
    starts: Vec<u32>,
    items: Vec<u32>,
}

impl GridIndex {
    /// An index of `zones` (rings) over the box `bounds`.
    pub(crate) fn build<'a>(
        bounds: [[f64; 2]; 2],
        zones: impl Iterator<Item = &'a [[f64; 2]]>,
    ) -> GridIndex {
        let mut n = [1; 2];
        let mut cell = [1.0; 2];
        for k in 0..2 {
            let extent = (bounds[1][k] - bounds[0][k]).max(1e-9);
            n[k] = ((extent / CELL_MM).ceil() as usize).clamp(1, MAX_CELLS);
            cell[k] = extent / n[k] as f64;
        }
        let mut lists: Vec<Vec<u32>> = vec![Vec::new(); n[0] * n[1]];
        let mut index = GridIndex {
            min: bounds[0],
            cell,
            n,
            starts: Vec::new(),
            items: Vec::new(),
        };
        for (z, ring) in zones.enumerate() {
            let [lo, hi] = bbox_mm(ring);
            let [x0, y0] = index.cell_of(lo);
            let [x1, y1] = index.cell_of(hi);
            for cy in y0..=y1 {
                for cx in x0..=x1 {
                    lists[cy * n[0] + cx].push(z as u32);
                }
            }
        }
        index.starts.push(0);
        for list in lists {
            index.items.extend(list);
            index.starts.push(index.items.len() as u32);
        }
        index
    }

    /// The cell holding `p`, clamped to the grid.
    fn cell_of(&self, p: [f64; 2]) -> [usize; 2] {
        let mut c = [0; 2];
        for k in 0..2 {
            let f = ((p[k] - self.min[k]) / self.cell[k]).floor();
            c[k] = if f <= 0.0 {
                0
            } else {
                (f as usize).min(self.n[k] - 1)
            };
        }
        c
    }

    /// The first zone (in map order) whose bounding box's cells hold `p` and for which
    /// `inside(zone, p)` holds.
    pub(crate) fn find(
        &self,
        p: [f64; 2],
        inside: impl Fn(usize, [f64; 2]) -> bool,
    ) -> Option<usize> {
        let inside_grid = (0..2)
            .all(|k| p[k] >= self.min[k] && p[k] <= self.min[k] + self.cell[k] * self.n[k] as f64);
        if !inside_grid {
            return None;
        }
        let [cx, cy] = self.cell_of(p);
        let c = cy * self.n[0] + cx;
        self.items[self.starts[c] as usize..self.starts[c + 1] as usize]
            .iter()
            .map(|&z| z as usize)
            .find(|&z| inside(z, p))
    }
}
