//! The site's column as the viewer draws it: the layers that have a thickness at the site,
//! surface first, then the floor (bone or cartilage) that no needle passes.
//!
//! The 3D block stacks one slab per present layer at its real thickness times the depth
//! exaggeration, and under them the floor as a slab of a fixed thickness
//! ([`FLOOR_SLAB_MM`]): the floor has no thickness in the recording (the column ends there).
//! The legend lists the same layers. A recording without a floor (format 1) shows the five
//! skin layers only.

use needlebench_recording::{Layer, LayersUm};

/// Thickness of the floor's slab in the 3D block, mm (world units), whatever the
/// exaggeration: enough to be seen, not a measurement.
pub const FLOOR_SLAB_MM: f32 = 2.0;

/// The layers drawn for `layers_um`, surface first: those with a thickness, then the floor
/// if the recording knows it.
pub fn present_layers(layers_um: &LayersUm) -> Vec<Layer> {
    layers_um
        .stack()
        .filter(|&l| Some(l) == layers_um.floor || layers_um.get(l) > 0.0)
        .collect()
}

/// One slab of the 3D block.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Slab {
    /// Its layer.
    pub layer: Layer,
    /// World y of its top (0 at the skin surface, negative below), mm.
    pub top: f32,
    /// Its height, mm (> 0).
    pub height: f32,
    /// Whether it is the floor (drawn [`FLOOR_SLAB_MM`] thick).
    pub is_floor: bool,
}

impl Slab {
    /// World y of its bottom, mm.
    pub fn bottom(&self) -> f32 {
        self.top - self.height
    }
}

/// The slabs of the block for `layers_um` at `exaggeration`, surface first, each starting
/// where the one above ends; the floor (if known) last, [`FLOOR_SLAB_MM`] thick.
pub fn block_slabs(layers_um: &LayersUm, exaggeration: f32) -> Vec<Slab> {
    let mut top = 0.0f32;
    present_layers(layers_um)
        .into_iter()
        .map(|layer| {
            let is_floor = Some(layer) == layers_um.floor;
            let height = if is_floor {
                FLOOR_SLAB_MM
            } else {
                (layers_um.get(layer) / 1000.0) as f32 * exaggeration
            };
            let slab = Slab {
                layer,
                top,
                height,
                is_floor,
            };
            top -= height;
            slab
        })
        .collect()
}

/// Depth of the block's bottom below the surface, world mm (the floor slab included).
pub fn block_depth(layers_um: &LayersUm, exaggeration: f32) -> f32 {
    block_slabs(layers_um, exaggeration)
        .last()
        .map_or(0.0, |s| -s.bottom())
}

/// One legend line: the layer and its text.
#[derive(Debug, Clone, PartialEq)]
pub struct LegendEntry {
    /// The layer (its colour is [`crate::palette::layer_srgb`]).
    pub layer: Layer,
    /// `reticular_dermis 1200 µm`, or for the floor `bone: floor at 4.1 mm, needles cannot
    /// pass`.
    pub text: String,
}

/// The legend's layer lines for `layers_um`: one per present layer, then the floor.
pub fn legend(layers_um: &LayersUm) -> Vec<LegendEntry> {
    present_layers(layers_um)
        .into_iter()
        .map(|layer| {
            let text = if Some(layer) == layers_um.floor {
                format!(
                    "{}: floor at {:.1} mm, needles cannot pass",
                    layer.name(),
                    layers_um.floor_depth_um() / 1000.0
                )
            } else {
                format!("{} {:.0} µm", layer.name(), layers_um.get(layer))
            };
            LegendEntry { layer, text }
        })
        .collect()
}

/// The cross-section inset's bands, µm below the surface: (layer, top, bottom) for each
/// present layer, and the floor from its top down without end (`f64::INFINITY`).
pub fn depth_bands(layers_um: &LayersUm) -> Vec<(Layer, f64, f64)> {
    let mut top = 0.0;
    present_layers(layers_um)
        .into_iter()
        .map(|layer| {
            let bottom = if Some(layer) == layers_um.floor {
                f64::INFINITY
            } else {
                top + layers_um.get(layer)
            };
            let band = (layer, top, bottom);
            top = bottom;
            band
        })
        .collect()
}

/// The layer a depth below the surface lies in, for the column `layers_um` (the stratum
/// corneum for depths ≤ 0; below the column the floor, or for a recording without one the
/// deepest layer it has).
pub fn layer_at_depth(layers_um: &LayersUm, depth_um: f64) -> Layer {
    let mut deepest = Layer::Hypodermis;
    for (layer, _, bottom) in depth_bands(layers_um) {
        if depth_um < bottom {
            return layer;
        }
        deepest = layer;
    }
    deepest
}
