//! The fixed colours: every layer (the floor's too) can be told from the others, from the
//! viridis colours and from the marker; every outcome has its own colour.

use needlebench_checks::Outcome;
use needlebench_recording::Layer;
use needlebench_viewer::colormap::viridis_rgba8;
use needlebench_viewer::palette::{MARKER_SRGB, layer_srgb, outcome_srgb, srgb8};

/// Least difference (largest channel, 8-bit) between two colours that must not be confused;
/// the pixel tests match colours within 8.
const DISTINCT: i32 = 40;

fn dist(a: [u8; 3], b: [u8; 3]) -> i32 {
    (0..3)
        .map(|k| (i32::from(a[k]) - i32::from(b[k])).abs())
        .max()
        .unwrap_or(0)
}

#[test]
fn layer_colours_differ_from_each_other_viridis_and_the_marker() {
    for (i, a) in Layer::ALL.into_iter().enumerate() {
        let ca = srgb8(layer_srgb(a));
        for b in Layer::ALL.into_iter().skip(i + 1) {
            let d = dist(ca, srgb8(layer_srgb(b)));
            assert!(d >= DISTINCT, "{} vs {}: {d}", a.name(), b.name());
        }
        let nearest_viridis = (0..=255)
            .map(|k| {
                let v = viridis_rgba8(k as f32 / 255.0);
                dist(ca, [v[0], v[1], v[2]])
            })
            .min()
            .unwrap();
        assert!(nearest_viridis >= DISTINCT, "{} vs viridis", a.name());
        assert!(
            dist(ca, srgb8(MARKER_SRGB)) >= DISTINCT,
            "{} vs marker",
            a.name()
        );
    }
}

#[test]
fn every_outcome_has_its_own_colour_and_only_fail_uses_the_marker_red() {
    let all = [
        Outcome::NotApplicable,
        Outcome::Pass,
        Outcome::Acceptable,
        Outcome::NotChecked,
        Outcome::Fail,
    ];
    for (i, a) in all.into_iter().enumerate() {
        for b in all.into_iter().skip(i + 1) {
            let d = dist(srgb8(outcome_srgb(a)), srgb8(outcome_srgb(b)));
            assert!(d >= DISTINCT, "{} vs {}: {d}", a.name(), b.name());
        }
    }
    assert_eq!(srgb8(outcome_srgb(Outcome::Fail)), srgb8(MARKER_SRGB));
}
