//! Polygons and the square cell grid of a zone.

use needlebench_face::geometry;

/// A simple polygon with its bounding box, for fast point tests.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Polygon<'a> {
    points: &'a [[f64; 2]],
    min: [f64; 2],
    max: [f64; 2],
}

impl<'a> Polygon<'a> {
    /// The polygon through `points` (implicitly closed).
    pub(crate) fn new(points: &'a [[f64; 2]]) -> Self {
        let mut min = [f64::INFINITY; 2];
        let mut max = [f64::NEG_INFINITY; 2];
        for p in points {
            for k in 0..2 {
                min[k] = min[k].min(p[k]);
                max[k] = max[k].max(p[k]);
            }
        }
        Polygon { points, min, max }
    }

    /// Lower-left and upper-right corners of the bounding box, mm.
    pub(crate) fn bbox(&self) -> ([f64; 2], [f64; 2]) {
        (self.min, self.max)
    }

    /// Whether `p` lies inside (the face crate's crossing rule, after a bounding-box test).
    pub(crate) fn contains(&self, p: [f64; 2]) -> bool {
        p[0] >= self.min[0]
            && p[0] <= self.max[0]
            && p[1] >= self.min[1]
            && p[1] <= self.max[1]
            && geometry::contains(self.points, p)
    }

    /// Area, mm² (shoelace formula, either orientation).
    pub(crate) fn area(&self) -> f64 {
        geometry::area_mm2(self.points)
    }
}

/// How far inside a cell its corners are tested, mm.
const EDGE_MM: f64 = 1e-6;

/// The square cells over a zone's bounding box, from its lower-left corner. A cell is *in*
/// the zone when its centre is; *interior* when its four corners are too (on the edge counts).
#[derive(Debug, Clone)]
pub(crate) struct Grid {
    origin: [f64; 2],
    cell_mm: f64,
    cols: usize,
    rows: usize,
    /// Per cell: in the zone.
    pub(crate) inside: Vec<bool>,
    /// Per cell: interior.
    pub(crate) interior: Vec<bool>,
}

impl Grid {
    /// The grid of `poly` in cells of `cell_mm`.
    pub(crate) fn new(poly: &Polygon<'_>, cell_mm: f64) -> Self {
        let (min, max) = poly.bbox();
        // float → count: sizes are finite and small (a face is ≤ 0.3 m across)
        let count = |k: usize| (((max[k] - min[k]) / cell_mm).ceil() as usize).max(1);
        let (cols, rows) = (count(0), count(1));
        let mut inside = vec![false; cols * rows];
        let mut interior = vec![false; cols * rows];
        for r in 0..rows {
            for c in 0..cols {
                let x0 = min[0] + cell_mm * c as f64;
                let y0 = min[1] + cell_mm * r as f64;
                let centre = poly.contains([x0 + cell_mm / 2.0, y0 + cell_mm / 2.0]);
                inside[r * cols + c] = centre;
                // corners pulled a hair inwards, so a cell whose edge lies on the zone's edge
                // counts as interior
                let (near, far) = (EDGE_MM, cell_mm - EDGE_MM);
                interior[r * cols + c] = centre
                    && [[near, near], [far, near], [near, far], [far, far]]
                        .iter()
                        .all(|d| poly.contains([x0 + d[0], y0 + d[1]]));
            }
        }
        Grid {
            origin: min,
            cell_mm,
            cols,
            rows,
            inside,
            interior,
        }
    }

    /// Number of cells (in the zone or not).
    pub(crate) fn len(&self) -> usize {
        self.cols * self.rows
    }

    /// The cell holding `p`, if it is on the grid.
    pub(crate) fn cell_of(&self, p: [f64; 2]) -> Option<usize> {
        let fx = (p[0] - self.origin[0]) / self.cell_mm;
        let fy = (p[1] - self.origin[1]) / self.cell_mm;
        if !(fx >= 0.0 && fy >= 0.0) {
            return None;
        }
        // non-negative and finite here; out-of-range values are rejected below
        let (c, r) = (fx as usize, fy as usize);
        (c < self.cols && r < self.rows).then_some(r * self.cols + c)
    }

    /// Area of one cell, cm².
    pub(crate) fn cell_cm2(&self) -> f64 {
        self.cell_mm * self.cell_mm / 100.0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const SQUARE: [[f64; 2]; 4] = [[0.0, 0.0], [10.0, 0.0], [10.0, 10.0], [0.0, 10.0]];

    #[test]
    fn a_square_has_its_shoelace_area_and_holds_its_inside() {
        let p = Polygon::new(&SQUARE);
        assert!((p.area() - 100.0).abs() < 1e-12);
        assert!(p.contains([5.0, 5.0]));
        assert!(!p.contains([10.5, 5.0]));
    }

    #[test]
    fn grid_cells_are_in_the_zone_by_their_centre_and_interior_by_their_corners() {
        // a right triangle x + y < 11 on 6×6 cells of 2 mm: a centre (2c+1, 2r+1) is inside
        // when 2(c + r) + 2 < 11, c + r ≤ 4: 15 cells
        let tri = [[0.0, 0.0], [11.0, 0.0], [0.0, 11.0]];
        let g = Grid::new(&Polygon::new(&tri), 2.0);
        assert_eq!(g.len(), 36);
        assert_eq!(g.inside.iter().filter(|&&b| b).count(), 15);
        // cell (c 1, r 1): farthest corner (4, 4) inside; cell (c 4, r 0): corner (10, 2) not
        assert!(g.interior[7] && g.inside[4] && !g.interior[4]);
        assert_eq!(g.cell_of([3.0, 1.0]), Some(1));
        assert_eq!(g.cell_of([-0.1, 1.0]), None);
    }
}
