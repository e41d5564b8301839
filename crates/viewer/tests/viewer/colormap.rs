use needlebench_viewer::colormap::{ColorScale, luminance, viridis, viridis_rgba8};

#[test]
fn endpoints_match_viridis() {
    // matplotlib's viridis: #440154 at 0, #21918c at 0.5, #fde725 at 1 (the polynomial fit is
    // within ±5 per channel).
    for (t, want) in [
        (0.0, [0x44, 0x01, 0x54]),
        (0.5, [0x21, 0x91, 0x8c]),
        (1.0, [0xfd, 0xe7, 0x25]),
    ] {
        let got = viridis_rgba8(t);
        for k in 0..3 {
            assert!(
                (i32::from(got[k]) - want[k]).abs() <= 5,
                "t={t}: {got:?} vs {want:?}"
            );
        }
    }
}

#[test]
fn lightness_rises_monotonically() {
    let mut prev = -1.0;
    for i in 0..=100 {
        let l = luminance(viridis(i as f32 / 100.0));
        assert!(l > prev, "luminance not increasing at {i}");
        prev = l;
    }
}

#[test]
fn out_of_range_and_nan_are_clamped() {
    assert_eq!(viridis_rgba8(-3.0), viridis_rgba8(0.0));
    assert_eq!(viridis_rgba8(7.0), viridis_rgba8(1.0));
    assert_eq!(viridis_rgba8(f32::NAN), viridis_rgba8(0.0));
}

#[test]
fn scale_normalises_and_ticks() {
    let s = ColorScale {
        min: 0.0,
        max: 750.0,
        unit: "µm",
    };
    assert!((s.normalise(375.0) - 0.5).abs() < 1e-6);
    assert!(s.normalise(-5.0).abs() < 1e-6);
    assert!((s.normalise(1e9) - 1.0).abs() < 1e-6);
    assert!(s.normalise(f64::NAN).abs() < 1e-6);
    let ticks = s.ticks(4);
    assert_eq!(ticks.len(), 4);
    assert!((ticks[3].0 - 750.0).abs() < 1e-9 && (ticks[3].1 - 1.0).abs() < 1e-6);
    let degenerate = ColorScale {
        min: 5.0,
        max: 5.0,
        unit: "",
    };
    assert!(degenerate.normalise(5.0).abs() < 1e-6);
}
