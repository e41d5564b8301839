use needlebench_viewer::plot::decimate_min_max;

#[test]
fn keeps_spikes_and_bounds_the_point_count() {
    let t: Vec<u64> = (0..100_000u64).map(|i| i * 10).collect();
    let mut v: Vec<f32> = (0..100_000).map(|i| (i % 7) as f32).collect();
    v[54_321] = 1000.0;
    v[77_777] = -50.0;
    let out = decimate_min_max(&t, &v, 0, 1_000_000, 200);
    assert!(out.len() <= 400, "{} points", out.len());
    assert!(
        out.iter().any(|p| (p[1] - 1000.0).abs() < 1e-9),
        "spike lost"
    );
    assert!(out.iter().any(|p| (p[1] + 50.0).abs() < 1e-9), "dip lost");
    assert!(
        out.windows(2).all(|w| w[0][0] <= w[1][0]),
        "not in time order"
    );
}

#[test]
fn window_selects_and_small_series_pass_through() {
    let t = [0u64, 1_000_000, 2_000_000, 3_000_000];
    let v = [1.0f32, f32::NAN, 3.0, 4.0];
    let out = decimate_min_max(&t, &v, 1_000_000, 2_500_000, 100);
    assert_eq!(out, vec![[2.0, 3.0]], "NaN skipped, window applied");
    assert!(decimate_min_max(&t, &v, 5_000_000, 6_000_000, 10).is_empty());
}
