use needlebench_viewer::colormap::ColorScale;
use needlebench_viewer::heatmap::{HeatGrid, MAX_CELLS_PER_SIDE, point_in_polygon};

const SQUARE: [[f64; 2]; 4] = [[0.0, 0.0], [10.0, 0.0], [10.0, 10.0], [0.0, 10.0]];

#[test]
fn counts_follow_the_visible_prefix_exactly() {
    let mut g = HeatGrid::new(&SQUARE, 2.0).unwrap();
    let xs = [1.0f32, 1.5, 9.0, 5.0, 100.0];
    let ys = [1.0f32, 1.2, 9.0, 5.0, 100.0];
    assert!(g.set_visible(&xs, &ys, 3));
    let cell = g.cell_of(1.0, 1.0).unwrap();
    assert_eq!(g.counts()[cell], 2);
    assert!(
        (g.per_cm2(cell) - 50.0).abs() < 1e-9,
        "2 in a 4 mm² cell = 50/cm²"
    );
    g.set_visible(&xs, &ys, 5);
    assert_eq!(
        g.counts().iter().sum::<u32>(),
        4,
        "the off-grid puncture is not counted"
    );
    // Backwards, a little (removing) and far (recounting): both equal a fresh grid built
    // straight to the same prefix.
    g.set_visible(&xs, &ys, 3);
    let mut fresh3 = HeatGrid::new(&SQUARE, 2.0).unwrap();
    fresh3.set_visible(&xs, &ys, 3);
    assert_eq!(g, fresh3);
    g.set_visible(&xs, &ys, 5);
    g.set_visible(&xs, &ys, 1);
    let mut fresh = HeatGrid::new(&SQUARE, 2.0).unwrap();
    fresh.set_visible(&xs, &ys, 1);
    assert_eq!(g, fresh);
    assert!(!g.set_visible(&xs, &ys, 1), "no change reported");
}

#[test]
fn pixels_are_transparent_outside_the_area() {
    let triangle = [[0.0, 0.0], [10.0, 0.0], [0.0, 10.0]];
    let g = HeatGrid::new(&triangle, 1.0).unwrap();
    let scale = ColorScale {
        min: 0.0,
        max: 100.0,
        unit: "/cm²",
    };
    let px = g.to_rgba8(&scale);
    assert_eq!(px.len(), g.cols * g.rows * 4);
    let inside = g.cell_of(1.0, 1.0).unwrap();
    let outside = g.cell_of(9.5, 9.5).unwrap();
    assert_eq!(px[inside * 4 + 3], 255);
    assert_eq!(px[outside * 4 + 3], 0);
}

#[test]
fn untouched_cells_can_be_transparent_for_face_maps() {
    let mut g = HeatGrid::new(&SQUARE, 1.0).unwrap();
    let (xs, ys) = ([1.5f32], [1.5f32]);
    g.set_visible(&xs, &ys, 1);
    let scale = ColorScale {
        min: 0.0,
        max: 100.0,
        unit: "/cm²",
    };
    let hit = g.cell_of(1.5, 1.5).unwrap();
    let empty = g.cell_of(3.5, 3.5).unwrap();
    let plain = g.to_rgba8(&scale);
    assert_eq!(plain[empty * 4 + 3], 255, "inside the area: opaque");
    let face = g.to_rgba8_with(&scale, true);
    assert_eq!(face[empty * 4 + 3], 0, "no puncture: transparent");
    assert_eq!(face[hit * 4 + 3], 255);
    assert_eq!(face[hit * 4..hit * 4 + 3], plain[hit * 4..hit * 4 + 3]);
}

#[test]
fn bad_areas_are_errors_and_big_areas_are_capped() {
    assert!(
        HeatGrid::new(&SQUARE[..2], 1.0)
            .unwrap_err()
            .to_string()
            .contains("3 points")
    );
    assert!(
        HeatGrid::new(&[[0.0, 0.0], [f64::NAN, 1.0], [1.0, 1.0]], 1.0)
            .unwrap_err()
            .to_string()
            .contains("point 2")
    );
    assert!(HeatGrid::new(&SQUARE, 0.0).is_err());
    let huge = [[0.0, 0.0], [10_000.0, 0.0], [10_000.0, 10.0]];
    let g = HeatGrid::new(&huge, 0.5).unwrap();
    assert!(g.cols <= MAX_CELLS_PER_SIDE && g.rows <= MAX_CELLS_PER_SIDE);
}

#[test]
fn polygon_test() {
    assert!(point_in_polygon([5.0, 5.0], &SQUARE));
    assert!(!point_in_polygon([15.0, 5.0], &SQUARE));
    let l_shape = [
        [0.0, 0.0],
        [10.0, 0.0],
        [10.0, 2.0],
        [2.0, 2.0],
        [2.0, 10.0],
        [0.0, 10.0],
    ];
    assert!(point_in_polygon([1.0, 9.0], &l_shape));
    assert!(!point_in_polygon([5.0, 5.0], &l_shape));
}
