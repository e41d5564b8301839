//! Density criteria over a grid of square cells: `density.range`, `density.coverage`,
//! `density.tram_tracks`.
//!
//! The grid covers the bounding box of `meta.setup.area`, from its lower-left corner, in
//! cells of `density_cell_mm`. A cell is *in the area* if its centre lies in the polygon
//! (or on its edge); it is *whole* if all four of its corners do (exact for convex areas such
//! as the rectangles, ellipses and polygons the patterns glide over). Density of a cell =
//! punctures in it / the cell's full area in cm².
//!
//! * `density.range`: every whole cell within `[min, max]`, and no in-area cell above `max`
//!   (edge cells are partly treated by design, so they are not held to `min`; an over-dense
//!   edge cell is over-dense whatever its share of the area). Pass when all are within,
//!   acceptable when all are within `[0.9·min, 1.1·max]`, fail otherwise. Actual: the worst
//!   cell (furthest outside its bound, relative to it).
//! * `density.coverage`: share of whole cells (in-area cells if none is whole) with at least
//!   one puncture and at or above `min`. Pass ≥ `min_coverage`, acceptable within 0.05 below, fail below that.
//! * `density.tram_tracks`: maximal runs of ≥ `tram_track_cells` adjacent in-area cells above
//!   `max` along a row or a column (the glide directions of raster patterns). Any fails.

pub use crate::cells::{MAX_CELLS, point_in_polygon};

use crate::cells::Cells;
use crate::error::CheckError;
use crate::limits::at_least;
use crate::metrics;
use crate::verdict::{DensityGrid, Outcome, Verdict};
use needlebench_recording::PunctureRow;
use needlebench_scenario::Expect;

/// Coverage band below the floor that is still acceptable.
pub(crate) const COVERAGE_BAND: f64 = 0.05;

/// Streaming state of the density criteria over the treated area.
#[derive(Debug)]
pub(crate) struct DensityCheck {
    cells: Cells,
}

impl DensityCheck {
    pub(crate) fn new(area: &[[f64; 2]], expect: &Expect) -> Result<Self, CheckError> {
        let band = [expect.density_min_per_cm2, expect.density_max_per_cm2];
        Ok(DensityCheck {
            cells: Cells::new(area, expect.density_cell_mm, band)?,
        })
    }

    /// Account for one puncture.
    #[inline]
    pub(crate) fn add(&mut self, p: &PunctureRow) {
        self.cells.add(p);
    }

    pub(crate) fn grid(&self) -> DensityGrid {
        self.cells.grid()
    }

    pub(crate) fn verdicts(&self, expect: &Expect, out: &mut Vec<Verdict>) {
        if !self.cells.has_area() {
            for (criterion, description) in [
                (
                    "density.range",
                    "Punctures per cm² in every cell of the treated area",
                ),
                (
                    "density.coverage",
                    "Share of the treated area's cells that were treated",
                ),
                (
                    "density.tram_tracks",
                    "Lines of over-dense cells along the glide",
                ),
            ] {
                out.push(Verdict {
                    criterion: criterion.to_owned(),
                    description: description.to_owned(),
                    actual: 0.0,
                    actual_text: "no treated area in meta.toml".to_owned(),
                    expected: "an area polygon of ≥ 3 points".to_owned(),
                    unit: String::new(),
                    outcome: Outcome::NotApplicable,
                    first_failure: None,
                    metrics: metrics(&[]),
                });
            }
            return;
        }
        let grid = self.grid();
        out.push(self.range_verdict(expect, &grid));
        out.push(self.coverage_verdict(expect, &grid));
        out.push(self.tram_verdict(expect, &grid));
    }

    fn range_verdict(&self, expect: &Expect, grid: &DensityGrid) -> Verdict {
        let (min, max) = (expect.density_min_per_cm2, expect.density_max_per_cm2);
        let f = self.cells.range(grid);
        let (actual, lo, hi) = (f.actual_per_cm2, f.lo_per_cm2, f.hi_per_cm2);
        let (over, under) = (f.cells_over, f.cells_under);
        Verdict {
            criterion: "density.range".to_owned(),
            description: format!(
                "Punctures per cm² in every {} mm cell of the treated area",
                self.cells.cell_mm()
            ),
            actual,
            actual_text: format!(
                "worst {actual:.0} /cm² (min {lo:.0}, max {hi:.0}; {over} cells over, {under} under)"
            ),
            expected: format!("[{min:.0}, {max:.0}] /cm²"),
            unit: "/cm²".to_owned(),
            outcome: f.outcome,
            first_failure: f.first_failure,
            metrics: metrics(&[
                ("min_per_cm2", lo),
                ("max_per_cm2", hi),
                ("cells_over", over as f64),
                ("cells_under", under as f64),
                ("cells_checked", f.cells_checked as f64),
                ("punctures_outside_grid", self.cells.outside() as f64),
            ]),
        }
    }

    fn coverage_verdict(&self, expect: &Expect, grid: &DensityGrid) -> Verdict {
        let min = expect.density_min_per_cm2;
        let f = self.cells.coverage(grid, min);
        let floor = expect.min_coverage;
        let outcome = if f.cells == 0 {
            Outcome::Acceptable
        } else {
            at_least(f.share, floor, floor - COVERAGE_BAND)
        };
        Verdict {
            criterion: "density.coverage".to_owned(),
            description: format!("Share of the area's cells treated to at least {min:.0} /cm²"),
            actual: f.share,
            actual_text: if f.cells == 0 {
                "no cell in the area".to_owned()
            } else {
                format!(
                    "{:.1} % ({} of {} cells)",
                    f.share * 100.0,
                    f.treated,
                    f.cells
                )
            },
            expected: format!("≥ {:.1} %", floor * 100.0),
            unit: String::new(),
            outcome,
            first_failure: if outcome == Outcome::Pass {
                None
            } else {
                f.first_untreated
            },
            metrics: metrics(&[
                ("coverage", f.share),
                ("cells", f.cells as f64),
                ("cells_treated", f.treated as f64),
            ]),
        }
    }

    fn tram_verdict(&self, expect: &Expect, grid: &DensityGrid) -> Verdict {
        let max = expect.density_max_per_cm2;
        let need = expect.tram_track_cells.max(1) as usize;
        let f = self.cells.tracks(grid, need);
        let (count, longest) = (f.tracks, f.longest_cells);
        let outcome = if count == 0 {
            Outcome::Pass
        } else {
            Outcome::Fail
        };
        Verdict {
            criterion: "density.tram_tracks".to_owned(),
            description: format!(
                "No line of ≥ {need} adjacent cells above {max:.0} /cm² along a row or column"
            ),
            actual: count as f64,
            actual_text: if count == 0 {
                "0 tracks".to_owned()
            } else {
                format!("{count} tracks (longest {longest} cells)")
            },
            expected: "0 tracks".to_owned(),
            unit: String::new(),
            outcome,
            first_failure: f.first,
            metrics: metrics(&[("tracks", count as f64), ("longest_cells", longest as f64)]),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::point_in_polygon;

    #[test]
    fn polygon_contains_interior_and_edges_only() {
        let sq = [[0.0, 0.0], [4.0, 0.0], [4.0, 2.0], [0.0, 2.0]];
        assert!(point_in_polygon([1.0, 1.0], &sq));
        assert!(point_in_polygon([4.0, 2.0], &sq));
        assert!(point_in_polygon([2.0, 0.0], &sq));
        assert!(!point_in_polygon([4.1, 1.0], &sq));
        assert!(!point_in_polygon([1.0, -0.1], &sq));
        let tri = [[0.0, 0.0], [4.0, 0.0], [0.0, 4.0]];
        assert!(!point_in_polygon([3.0, 3.0], &tri));
        assert!(!point_in_polygon([1.0, 1.0], &tri[..2]));
    }
}
