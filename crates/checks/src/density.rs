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

use crate::error::CheckError;
use crate::limits::{at_least, within_max, within_min};
use crate::metrics;
use crate::verdict::{DensityGrid, Outcome, Verdict, Where};
use needlebench_recording::PunctureRow;
use needlebench_scenario::Expect;

/// Most cells a grid may have (a 2 mm grid over 4 m × 4 m).
pub const MAX_CELLS: usize = 4_000_000;
/// Relative band around the density bounds that is still acceptable.
const RANGE_BAND: f64 = 0.1;
/// Coverage band below the floor that is still acceptable.
const COVERAGE_BAND: f64 = 0.05;

/// Streaming state of the density criteria.
#[derive(Debug)]
pub(crate) struct DensityCheck {
    origin_mm: [f64; 2],
    cell_mm: f64,
    cols: usize,
    rows: usize,
    counts: Vec<u32>,
    in_area: Vec<bool>,
    whole: Vec<bool>,
    /// Count at which a cell is above `max` / above `1.1·max`.
    over_count: u64,
    over_band_count: u64,
    first_over: Option<Where>,
    first_over_band: Option<Where>,
    outside: u64,
    has_area: bool,
}

/// Whether `p` lies inside `poly` or on its boundary (even-odd rule; edges within 1e-9 mm).
pub fn point_in_polygon(p: [f64; 2], poly: &[[f64; 2]]) -> bool {
    let n = poly.len();
    if n < 3 {
        return false;
    }
    let mut inside = false;
    for i in 0..n {
        let a = poly[i];
        let b = poly[(i + 1) % n];
        // on the edge?
        let cross = (b[0] - a[0]) * (p[1] - a[1]) - (b[1] - a[1]) * (p[0] - a[0]);
        let len = ((b[0] - a[0]).powi(2) + (b[1] - a[1]).powi(2)).sqrt();
        if cross.abs() <= 1e-9 * len.max(1.0)
            && p[0] >= a[0].min(b[0]) - 1e-9
            && p[0] <= a[0].max(b[0]) + 1e-9
            && p[1] >= a[1].min(b[1]) - 1e-9
            && p[1] <= a[1].max(b[1]) + 1e-9
        {
            return true;
        }
        if (a[1] > p[1]) != (b[1] > p[1]) {
            let x = a[0] + (p[1] - a[1]) * (b[0] - a[0]) / (b[1] - a[1]);
            if p[0] < x {
                inside = !inside;
            }
        }
    }
    inside
}

impl DensityCheck {
    pub(crate) fn new(area: &[[f64; 2]], expect: &Expect) -> Result<Self, CheckError> {
        let cell_mm = expect.density_cell_mm;
        if !(cell_mm.is_finite() && cell_mm > 0.0) {
            return Err(CheckError::InvalidExpect {
                field: "density_cell_mm",
                message: format!("must be a positive number of mm, got {cell_mm}"),
            });
        }
        let finite = area.iter().all(|p| p[0].is_finite() && p[1].is_finite());
        let has_area = area.len() >= 3 && finite;
        let (mut lo, mut hi) = ([0.0f64; 2], [0.0f64; 2]);
        if has_area {
            lo = [f64::INFINITY; 2];
            hi = [f64::NEG_INFINITY; 2];
            for p in area {
                for k in 0..2 {
                    lo[k] = lo[k].min(p[k]);
                    hi[k] = hi[k].max(p[k]);
                }
            }
        }
        // 1e-9: a 30 mm side in 2 mm cells is 15 cells, not 16.
        let cols = (((hi[0] - lo[0]) / cell_mm) - 1e-9)
            .ceil()
            .max(if has_area { 1.0 } else { 0.0 });
        let rows = (((hi[1] - lo[1]) / cell_mm) - 1e-9)
            .ceil()
            .max(if has_area { 1.0 } else { 0.0 });
        if cols * rows > MAX_CELLS as f64 {
            return Err(CheckError::InvalidExpect {
                field: "density_cell_mm",
                message: format!(
                    "{cell_mm} mm cells over a {:.1} × {:.1} mm area make {cols} × {rows} cells, more than {MAX_CELLS}",
                    hi[0] - lo[0],
                    hi[1] - lo[1]
                ),
            });
        }
        let (cols, rows) = (cols as usize, rows as usize);
        let mut in_area = vec![false; cols * rows];
        let mut whole = vec![false; cols * rows];
        for r in 0..rows {
            for c in 0..cols {
                let x0 = lo[0] + c as f64 * cell_mm;
                let y0 = lo[1] + r as f64 * cell_mm;
                let centre = [x0 + cell_mm / 2.0, y0 + cell_mm / 2.0];
                in_area[r * cols + c] = point_in_polygon(centre, area);
                whole[r * cols + c] = [
                    [x0, y0],
                    [x0 + cell_mm, y0],
                    [x0, y0 + cell_mm],
                    [x0 + cell_mm, y0 + cell_mm],
                ]
                .iter()
                .all(|&p| point_in_polygon(p, area));
            }
        }
        let cell_cm2 = cell_mm * cell_mm / 100.0;
        let max = expect.density_max_per_cm2;
        // smallest count whose density is above the bound
        let over = |bound: f64| {
            let c = (bound * cell_cm2).floor();
            if c.is_finite() {
                (c.max(0.0) as u64).saturating_add(1)
            } else {
                u64::MAX
            }
        };
        Ok(DensityCheck {
            origin_mm: lo,
            cell_mm,
            cols,
            rows,
            counts: vec![0; cols * rows],
            in_area,
            whole,
            over_count: over(max),
            over_band_count: over(max * (1.0 + RANGE_BAND)),
            first_over: None,
            first_over_band: None,
            outside: 0,
            has_area,
        })
    }

    /// Account for one puncture.
    #[inline]
    pub(crate) fn add(&mut self, p: &PunctureRow) {
        let fx = (f64::from(p.x_mm) - self.origin_mm[0]) / self.cell_mm;
        let fy = (f64::from(p.y_mm) - self.origin_mm[1]) / self.cell_mm;
        // NaN fails both comparisons and lands outside
        if !(fx >= 0.0 && fy >= 0.0) {
            self.outside += 1;
            return;
        }
        let (c, r) = (fx as usize, fy as usize);
        // a puncture exactly on the far edge belongs to the last cell
        let c = if c == self.cols && fx <= self.cols as f64 + 1e-9 {
            c.wrapping_sub(1)
        } else {
            c
        };
        let r = if r == self.rows && fy <= self.rows as f64 + 1e-9 {
            r.wrapping_sub(1)
        } else {
            r
        };
        if c >= self.cols || r >= self.rows {
            self.outside += 1;
            return;
        }
        let i = r * self.cols + c;
        let n = self.counts[i].saturating_add(1);
        self.counts[i] = n;
        if u64::from(n) == self.over_count && self.first_over.is_none() && self.in_area[i] {
            self.first_over = Some(at(p));
        }
        if u64::from(n) == self.over_band_count && self.first_over_band.is_none() && self.in_area[i]
        {
            self.first_over_band = Some(at(p));
        }
    }

    fn centre(&self, i: usize) -> Where {
        let (r, c) = (i / self.cols, i % self.cols);
        Where {
            t_us: None,
            x_mm: Some(self.origin_mm[0] + (c as f64 + 0.5) * self.cell_mm),
            y_mm: Some(self.origin_mm[1] + (r as f64 + 0.5) * self.cell_mm),
        }
    }

    pub(crate) fn grid(&self) -> DensityGrid {
        let cell_cm2 = self.cell_mm * self.cell_mm / 100.0;
        DensityGrid {
            origin_mm: self.origin_mm,
            cell_mm: self.cell_mm,
            cols: self.cols,
            rows: self.rows,
            per_cm2: self
                .counts
                .iter()
                .map(|&n| f64::from(n) / cell_cm2)
                .collect(),
            in_area: self.in_area.clone(),
        }
    }

    pub(crate) fn verdicts(&self, expect: &Expect, out: &mut Vec<Verdict>) {
        if !self.has_area {
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
        let (mut over, mut over_band, mut under, mut under_band, mut checked) =
            (0u64, 0u64, 0u64, 0u64, 0u64);
        let (mut lo, mut hi) = (f64::INFINITY, f64::NEG_INFINITY);
        let mut worst: Option<(f64, usize)> = None; // (relative excess, cell)
        let mut first_under: Option<usize> = None;
        for (i, &d) in grid.per_cm2.iter().enumerate() {
            if !self.in_area[i] {
                continue;
            }
            checked += 1;
            hi = hi.max(d);
            let mut excess = 0.0;
            if !within_max(d, max) {
                over += 1;
                if !within_max(d, max * (1.0 + RANGE_BAND)) {
                    over_band += 1;
                }
                excess = (d - max) / max.max(f64::MIN_POSITIVE);
            }
            if self.whole[i] {
                lo = lo.min(d);
                if !within_min(d, min) {
                    under += 1;
                    first_under.get_or_insert(i);
                    if !within_min(d, min * (1.0 - RANGE_BAND)) {
                        under_band += 1;
                    }
                    excess = (min - d) / min.max(f64::MIN_POSITIVE);
                }
            }
            if excess > 0.0 && worst.is_none_or(|(e, _)| excess > e) {
                worst = Some((excess, i));
            }
        }
        let outcome = if over == 0 && under == 0 {
            Outcome::Pass
        } else if over_band == 0 && under_band == 0 {
            Outcome::Acceptable
        } else {
            Outcome::Fail
        };
        let actual = match worst {
            Some((_, i)) => grid.per_cm2[i],
            None if checked > 0 => hi,
            None => 0.0,
        };
        let first_failure = match outcome {
            Outcome::Pass => None,
            _ => {
                let first = if outcome == Outcome::Fail {
                    self.first_over_band
                } else {
                    self.first_over
                };
                // over-density has a moment; under-density only a place
                first
                    .or(worst.map(|(_, i)| self.centre(i)))
                    .or(first_under.map(|i| self.centre(i)))
            }
        };
        let lo = if lo.is_finite() { lo } else { 0.0 };
        let hi = if hi.is_finite() { hi } else { 0.0 };
        Verdict {
            criterion: "density.range".to_owned(),
            description: format!(
                "Punctures per cm² in every {} mm cell of the treated area",
                self.cell_mm
            ),
            actual,
            actual_text: format!(
                "worst {actual:.0} /cm² (min {lo:.0}, max {hi:.0}; {over} cells over, {under} under)"
            ),
            expected: format!("[{min:.0}, {max:.0}] /cm²"),
            unit: "/cm²".to_owned(),
            outcome,
            first_failure,
            metrics: metrics(&[
                ("min_per_cm2", lo),
                ("max_per_cm2", hi),
                ("cells_over", over as f64),
                ("cells_under", under as f64),
                ("cells_checked", checked as f64),
                ("punctures_outside_grid", self.outside as f64),
            ]),
        }
    }

    fn coverage_verdict(&self, expect: &Expect, grid: &DensityGrid) -> Verdict {
        let min = expect.density_min_per_cm2;
        let any_whole = self.whole.iter().any(|&w| w);
        let (mut cells, mut treated, mut first_untreated) = (0u64, 0u64, None);
        for (i, &d) in grid.per_cm2.iter().enumerate() {
            let counted = if any_whole {
                self.whole[i]
            } else {
                self.in_area[i]
            };
            if !counted {
                continue;
            }
            cells += 1;
            if d > 0.0 && within_min(d, min) {
                treated += 1;
            } else {
                first_untreated.get_or_insert(i);
            }
        }
        let share = if cells == 0 {
            0.0
        } else {
            treated as f64 / cells as f64
        };
        let floor = expect.min_coverage;
        let outcome = if cells == 0 {
            Outcome::Acceptable
        } else {
            at_least(share, floor, floor - COVERAGE_BAND)
        };
        Verdict {
            criterion: "density.coverage".to_owned(),
            description: format!("Share of the area's cells treated to at least {min:.0} /cm²"),
            actual: share,
            actual_text: if cells == 0 {
                "no cell in the area".to_owned()
            } else {
                format!("{:.1} % ({treated} of {cells} cells)", share * 100.0)
            },
            expected: format!("≥ {:.1} %", floor * 100.0),
            unit: String::new(),
            outcome,
            first_failure: if outcome == Outcome::Pass {
                None
            } else {
                first_untreated.map(|i| self.centre(i))
            },
            metrics: metrics(&[
                ("coverage", share),
                ("cells", cells as f64),
                ("cells_treated", treated as f64),
            ]),
        }
    }

    fn tram_verdict(&self, expect: &Expect, grid: &DensityGrid) -> Verdict {
        let max = expect.density_max_per_cm2;
        let need = expect.tram_track_cells.max(1) as usize;
        let over = |i: usize| self.in_area[i] && !within_max(grid.per_cm2[i], max);
        let (mut count, mut longest, mut first) = (0u64, 0usize, None::<usize>);
        let mut scan = |cells: &mut dyn Iterator<Item = usize>| {
            let (mut run, mut start) = (0usize, 0usize);
            let mut close = |run: usize, start: usize| {
                if run >= need {
                    count += 1;
                    longest = longest.max(run);
                    if first.is_none_or(|f| start < f) {
                        first = Some(start);
                    }
                }
            };
            for i in cells {
                if over(i) {
                    if run == 0 {
                        start = i;
                    }
                    run += 1;
                } else {
                    close(run, start);
                    run = 0;
                }
            }
            close(run, start);
        };
        for r in 0..self.rows {
            scan(&mut (0..self.cols).map(|c| r * self.cols + c));
        }
        for c in 0..self.cols {
            scan(&mut (0..self.rows).map(|r| r * self.cols + c));
        }
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
            first_failure: first.map(|i| self.centre(i)),
            metrics: metrics(&[("tracks", count as f64), ("longest_cells", longest as f64)]),
        }
    }
}

fn at(p: &PunctureRow) -> Where {
    Where {
        t_us: Some(p.t_us),
        x_mm: Some(f64::from(p.x_mm)),
        y_mm: Some(f64::from(p.y_mm)),
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
