//! The column the viewer draws: present layers, the floor slab, legend, inset bands, lookup.

use crate::fixture;
use needlebench_recording::{Layer, LayersUm};
use needlebench_viewer::column::{
    FLOOR_SLAB_MM, block_depth, block_slabs, depth_bands, layer_at_depth, legend, present_layers,
};

const SKIN: [Layer; 5] = [
    Layer::StratumCorneum,
    Layer::ViableEpidermis,
    Layer::PapillaryDermis,
    Layer::ReticularDermis,
    Layer::Hypodermis,
];

/// A nose-like column: no muscle, a cartilage floor.
fn cartilage_floor() -> LayersUm {
    LayersUm {
        floor: Some(Layer::Cartilage),
        ..fixture::layers_without_floor()
    }
}

#[test]
fn only_present_layers_then_the_floor_are_drawn() {
    let mut with_muscle = SKIN.to_vec();
    with_muscle.extend([Layer::Muscle, Layer::Bone]);
    assert_eq!(present_layers(&fixture::layers()), with_muscle);
    let mut nose = SKIN.to_vec();
    nose.push(Layer::Cartilage);
    assert_eq!(present_layers(&cartilage_floor()), nose);
    assert_eq!(present_layers(&fixture::layers_without_floor()), SKIN);
}

#[test]
fn slabs_stack_without_gaps_and_the_floor_keeps_its_thickness() {
    let l = fixture::layers();
    for exaggeration in [1.0f32, 3.0, 20.0] {
        let slabs = block_slabs(&l, exaggeration);
        assert_eq!(slabs.len(), 7);
        assert!(slabs[0].top.abs() < 1e-6, "the block starts at the surface");
        for pair in slabs.windows(2) {
            assert!((pair[0].bottom() - pair[1].top).abs() < 1e-4, "{pair:?}");
        }
        let muscle = slabs[5];
        assert_eq!(muscle.layer, Layer::Muscle);
        assert!(
            (muscle.height - 1.0 * exaggeration).abs() < 1e-4,
            "{muscle:?}"
        );
        let floor = slabs[6];
        assert!(floor.is_floor && floor.layer == Layer::Bone);
        assert!((floor.height - FLOOR_SLAB_MM).abs() < 1e-6, "{floor:?}");
        assert!(slabs[..6].iter().all(|s| !s.is_floor));
        let column_mm = (l.floor_depth_um() / 1000.0) as f32 * exaggeration;
        assert!(
            (floor.top + column_mm).abs() < 1e-3,
            "floor under the column"
        );
        assert!((block_depth(&l, exaggeration) - column_mm - FLOOR_SLAB_MM).abs() < 1e-3);
    }
    let no_floor = block_slabs(&fixture::layers_without_floor(), 3.0);
    assert_eq!(no_floor.last().map(|s| s.layer), Some(Layer::Hypodermis));
    assert!(no_floor.iter().all(|s| !s.is_floor));
}

#[test]
fn legend_lists_present_layers_and_names_the_floor() {
    let entries = legend(&fixture::layers());
    let layers: Vec<Layer> = entries.iter().map(|e| e.layer).collect();
    assert_eq!(layers, present_layers(&fixture::layers()));
    assert_eq!(entries[5].text, "muscle 1000 µm");
    let floor = &entries[6].text;
    assert!(
        floor.starts_with("bone") && floor.contains("cannot pass") && floor.contains("5.4 mm"),
        "{floor}"
    );
    assert!(entries[..6].iter().all(|e| !e.text.contains("floor")));
    let plain = legend(&fixture::layers_without_floor());
    assert_eq!(plain.len(), 5);
    assert!(plain.iter().all(|e| !e.text.contains("floor")));
}

#[test]
fn inset_bands_end_in_an_endless_floor() {
    let bands = depth_bands(&fixture::layers());
    assert_eq!(bands.len(), 7);
    assert_eq!(bands[0], (Layer::StratumCorneum, 0.0, 15.0));
    assert_eq!(bands[5], (Layer::Muscle, 4425.0, 5425.0));
    assert_eq!(bands[6], (Layer::Bone, 5425.0, f64::INFINITY));
    let plain = depth_bands(&fixture::layers_without_floor());
    assert_eq!(plain.last(), Some(&(Layer::Hypodermis, 1425.0, 4425.0)));
}

#[test]
fn depth_lookup_reaches_the_floor_below_the_column() {
    let l = fixture::layers();
    assert_eq!(layer_at_depth(&l, -5.0), Layer::StratumCorneum);
    assert_eq!(layer_at_depth(&l, 0.0), Layer::StratumCorneum);
    assert_eq!(layer_at_depth(&l, 14.9), Layer::StratumCorneum);
    assert_eq!(layer_at_depth(&l, 15.0), Layer::ViableEpidermis);
    assert_eq!(layer_at_depth(&l, 224.0), Layer::PapillaryDermis);
    assert_eq!(layer_at_depth(&l, 900.0), Layer::ReticularDermis);
    assert_eq!(layer_at_depth(&l, 4424.9), Layer::Hypodermis);
    assert_eq!(layer_at_depth(&l, 4425.0), Layer::Muscle);
    assert_eq!(layer_at_depth(&l, 5425.0), Layer::Bone);
    assert_eq!(layer_at_depth(&l, 99_999.0), Layer::Bone);
    assert_eq!(
        layer_at_depth(&cartilage_floor(), 99_999.0),
        Layer::Cartilage
    );
    // A recording without a floor (format 1) knows nothing below the fat.
    let plain = fixture::layers_without_floor();
    assert_eq!(layer_at_depth(&plain, 99_999.0), Layer::Hypodermis);
}
