//! Density range, coverage and tram tracks on the 4 × 2 grid of 2 mm cells.

use crate::support::{CELL_CM2, PER_CELL, Synth, clean, close, expect, not_passed, verdict};
use needlebench_checks::Outcome;
use needlebench_recording::PunctureRow;
use needlebench_scenario::Expect;

/// Add `n` punctures to cell (`col`, `row`) from t = 1.5 s, 100 µs apart.
fn pile_on(s: &mut Synth, col: u32, row: u32, n: u32, t0_us: u64) {
    let template = s.punctures[0];
    for k in 0..n {
        s.punctures.push(PunctureRow {
            t_us: t0_us + u64::from(k) * 100,
            x_mm: col as f32 * 2.0 + 1.0,
            y_mm: row as f32 * 2.0 + 1.0,
            ..template
        });
    }
}

#[test]
fn the_clean_grid_is_even() {
    let report = clean().check(&expect());
    let g = &report.density;
    assert_eq!(
        (g.cols, g.rows, g.cell_mm, g.origin_mm),
        (4, 2, 2.0, [0.0, 0.0])
    );
    let each = f64::from(PER_CELL) / CELL_CM2;
    assert!(g.per_cm2.iter().all(|&d| close(d, each)), "{:?}", g.per_cm2);
    assert!(g.in_area.iter().all(|&a| a));
    assert!(close(verdict(&report, "density.range").actual, each));
    assert!(close(verdict(&report, "density.coverage").actual, 1.0));
}

#[test]
fn an_over_dense_cell_fails_the_range_with_its_density_and_first_moment() {
    let mut s = clean();
    pile_on(&mut s, 2, 1, 2000, 1_500_000);
    let report = s.check(&expect());
    let v = verdict(&report, "density.range");
    assert_eq!(v.outcome, Outcome::Fail);
    assert!(close(v.actual, 2200.0 / CELL_CM2), "{}", v.actual);
    assert_eq!(v.metrics["cells_over"], 1.0);
    // 44 000 /cm² (max + 10 %) is 1760 punctures: the 1761st in the cell, the 1561st added
    let at = v.first_failure.expect("where");
    assert_eq!(at.t_us, Some(1_500_000 + 1560 * 100));
    assert_eq!((at.x_mm, at.y_mm), (Some(5.0), Some(3.0)));
    assert_eq!(report.density.per_cm2[6], 2200.0 / CELL_CM2);
    assert_eq!(not_passed(&report), vec![("density.range", Outcome::Fail)]);
}

#[test]
fn slightly_over_the_maximum_is_acceptable() {
    let mut s = clean();
    // 1700 punctures = 42 500 /cm²: above 40 000, within 44 000
    pile_on(&mut s, 0, 0, 1500, 1_500_000);
    let v = verdict(&s.check(&expect()), "density.range").clone();
    assert_eq!(v.outcome, Outcome::Acceptable);
    assert!(close(v.actual, 1700.0 / CELL_CM2));
}

#[test]
fn a_row_of_over_dense_cells_is_a_tram_track() {
    let mut s = clean();
    for col in 0..4 {
        pile_on(&mut s, col, 0, 2000, 1_500_000 + u64::from(col) * 300_000);
    }
    let report = s.check(&expect());
    let v = verdict(&report, "density.tram_tracks");
    assert_eq!(v.outcome, Outcome::Fail);
    assert_eq!(v.actual, 1.0);
    assert_eq!(v.metrics["longest_cells"], 4.0);
    let at = v.first_failure.expect("where");
    assert_eq!((at.x_mm, at.y_mm), (Some(1.0), Some(1.0)));
    // one cell short of a track
    let e = Expect {
        tram_track_cells: 5,
        ..expect()
    };
    assert_eq!(
        verdict(&s.check(&e), "density.tram_tracks").outcome,
        Outcome::Pass
    );
    // a column of 2 over-dense cells is a track of 2
    let mut s = clean();
    pile_on(&mut s, 1, 0, 2000, 1_500_000);
    pile_on(&mut s, 1, 1, 2000, 1_800_000);
    let e = Expect {
        tram_track_cells: 2,
        ..expect()
    };
    let v = verdict(&s.check(&e), "density.tram_tracks").clone();
    assert_eq!(v.actual, 1.0);
    assert_eq!((v.first_failure.and_then(|w| w.x_mm)), Some(3.0));
}

#[test]
fn an_untreated_cell_lowers_coverage_and_fails_the_range() {
    let mut s = clean();
    s.punctures.retain(|p| !(p.x_mm >= 6.0 && p.y_mm < 2.0));
    let e = Expect {
        min_coverage: 0.9,
        ..expect()
    };
    let report = s.check(&e);
    let cov = verdict(&report, "density.coverage");
    assert!(close(cov.actual, 7.0 / 8.0), "{}", cov.actual);
    assert_eq!(cov.outcome, Outcome::Acceptable);
    let at = cov.first_failure.expect("where");
    assert_eq!((at.x_mm, at.y_mm), (Some(7.0), Some(1.0)));
    let range = verdict(&report, "density.range");
    assert_eq!((range.outcome, range.actual), (Outcome::Fail, 0.0));
    let e = Expect {
        min_coverage: 0.95,
        ..expect()
    };
    assert_eq!(
        verdict(&s.check(&e), "density.coverage").outcome,
        Outcome::Fail
    );
}

#[test]
fn partly_covered_edge_cells_are_not_held_to_the_minimum() {
    let mut s = clean();
    // 9 mm wide: a fifth column of cells, half inside the area, never treated
    s.meta.setup.area = vec![[0.0, 0.0], [9.0, 0.0], [9.0, 4.0], [0.0, 4.0]];
    let report = s.check(&expect());
    assert_eq!(report.density.cols, 5);
    assert!(
        report.density.in_area[4],
        "the centre (9, 1) lies on the edge"
    );
    assert_eq!(not_passed(&report), vec![]);
    assert!(close(verdict(&report, "density.coverage").actual, 1.0));
}

#[test]
fn a_recording_without_an_area_reports_density_as_not_applicable() {
    let mut s = clean();
    s.meta.setup.area.clear();
    let report = s.check(&expect());
    assert_eq!(not_passed(&report), vec![]);
    for criterion in ["density.range", "density.coverage", "density.tram_tracks"] {
        assert_eq!(
            verdict(&report, criterion).outcome,
            Outcome::NotApplicable,
            "{criterion}"
        );
    }
    assert_eq!(
        verdict(&report, "density.range").actual_text,
        "no treated area in meta.toml"
    );
    assert_eq!((report.density.cols, report.density.rows), (0, 0));
    assert_eq!(report.outcome(), Outcome::Pass);
}
