//! [`Cells`]: punctures counted in square cells over a polygon, and the rules the density
//! criteria apply to them (range, coverage, tracks). `density.*` holds one grid over the
//! treated area ([`crate::density`]), `zone.*` one per zone of a face map ([`crate::zones`]):
//! the same code judges both.

use crate::error::CheckError;
use crate::limits::{within_max, within_min};
use crate::verdict::{DensityGrid, Outcome, Where};
use needlebench_recording::PunctureRow;

/// Most cells a grid may have (a 2 mm grid over 4 m × 4 m).
pub const MAX_CELLS: usize = 4_000_000;
/// Relative band around the density bounds that is still acceptable.
pub(crate) const RANGE_BAND: f64 = 0.1;

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

/// Punctures counted in square cells over a polygon: the grid, its masks and the figures the
/// density criteria judge. [`DensityCheck`] holds one over the treated area; the per-zone
/// checks ([`crate::zones`]) one per zone of a face map, so the rules are the same code.
#[derive(Debug)]
pub(crate) struct Cells {
    origin_mm: [f64; 2],
    cell_mm: f64,
    cols: usize,
    rows: usize,
    counts: Vec<u32>,
    in_area: Vec<bool>,
    whole: Vec<bool>,
    /// The density band cells are held to, /cm².
    band_per_cm2: [f64; 2],
    /// Count at which a cell is above `max` / above `1.1·max`.
    over_count: u64,
    over_band_count: u64,
    first_over: Option<Where>,
    first_over_band: Option<Where>,
    outside: u64,
    has_area: bool,
}

/// What [`Cells::range`] found: the `density.range` rule over the cells.
#[derive(Debug, Clone, Copy)]
pub(crate) struct RangeFigures {
    pub outcome: Outcome,
    /// The worst cell's density (the densest when none is outside the band), /cm².
    pub actual_per_cm2: f64,
    /// Least dense whole cell and densest in-area cell, /cm² (0 without cells).
    pub lo_per_cm2: f64,
    pub hi_per_cm2: f64,
    pub cells_over: u64,
    pub cells_under: u64,
    pub cells_checked: u64,
    pub first_failure: Option<Where>,
}

/// What [`Cells::coverage`] found.
#[derive(Debug, Clone, Copy)]
pub(crate) struct CoverageFigures {
    /// Cells counted (whole cells, or in-area cells when none is whole).
    pub cells: u64,
    /// Of those, cells with at least one puncture and at least the minimum density.
    pub treated: u64,
    /// `treated / cells` (0 without cells).
    pub share: f64,
    pub first_untreated: Option<Where>,
}

/// What [`Cells::tracks`] found.
#[derive(Debug, Clone, Copy)]
pub(crate) struct TrackFigures {
    pub tracks: u64,
    pub longest_cells: usize,
    pub first: Option<Where>,
}

impl Cells {
    /// Cells of `cell_mm` over the bounding box of `area`, held to `band_per_cm2`.
    pub(crate) fn new(
        area: &[[f64; 2]],
        cell_mm: f64,
        band_per_cm2: [f64; 2],
    ) -> Result<Self, CheckError> {
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
        let max = band_per_cm2[1];
        // smallest count whose density is above the bound
        let over = |bound: f64| {
            let c = (bound * cell_cm2).floor();
            if c.is_finite() {
                (c.max(0.0) as u64).saturating_add(1)
            } else {
                u64::MAX
            }
        };
        Ok(Cells {
            origin_mm: lo,
            cell_mm,
            cols,
            rows,
            counts: vec![0; cols * rows],
            in_area,
            whole,
            band_per_cm2,
            over_count: over(max),
            over_band_count: over(max * (1.0 + RANGE_BAND)),
            first_over: None,
            first_over_band: None,
            outside: 0,
            has_area,
        })
    }

    /// Whether the polygon had ≥ 3 finite points (else there is no grid).
    pub(crate) fn has_area(&self) -> bool {
        self.has_area
    }

    /// The cell edge, mm.
    pub(crate) fn cell_mm(&self) -> f64 {
        self.cell_mm
    }

    /// Punctures that fell outside the grid.
    pub(crate) fn outside(&self) -> u64 {
        self.outside
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

    /// The `density.range` rule: every whole cell within the band, no in-area cell above it;
    /// ±10 % is acceptable. `grid` is [`Cells::grid`].
    pub(crate) fn range(&self, grid: &DensityGrid) -> RangeFigures {
        let [min, max] = self.band_per_cm2;
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
        RangeFigures {
            outcome,
            actual_per_cm2: actual,
            lo_per_cm2: if lo.is_finite() { lo } else { 0.0 },
            hi_per_cm2: if hi.is_finite() { hi } else { 0.0 },
            cells_over: over,
            cells_under: under,
            cells_checked: checked,
            first_failure,
        }
    }

    /// Share of the whole cells (in-area cells if none is whole) with at least one puncture
    /// and at least `min_per_cm2`.
    pub(crate) fn coverage(&self, grid: &DensityGrid, min_per_cm2: f64) -> CoverageFigures {
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
            if d > 0.0 && within_min(d, min_per_cm2) {
                treated += 1;
            } else {
                first_untreated.get_or_insert(i);
            }
        }
        CoverageFigures {
            cells,
            treated,
            share: if cells == 0 {
                0.0
            } else {
                treated as f64 / cells as f64
            },
            first_untreated: first_untreated.map(|i| self.centre(i)),
        }
    }

    /// Maximal runs of ≥ `need` adjacent in-area cells above the band's maximum along a row
    /// or a column.
    pub(crate) fn tracks(&self, grid: &DensityGrid, need: usize) -> TrackFigures {
        let max = self.band_per_cm2[1];
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
        TrackFigures {
            tracks: count,
            longest_cells: longest,
            first: first.map(|i| self.centre(i)),
        }
    }
}

/// Where and when `p` happened.
pub(crate) fn at(p: &PunctureRow) -> Where {
    Where {
        t_us: Some(p.t_us),
        x_mm: Some(f64::from(p.x_mm)),
        y_mm: Some(f64::from(p.y_mm)),
    }
}
