//! The tissue block as one mesh drawn in one pass ([`SkinMaterial`]): its top, the skin's
//! surface (the top layer's colour under the zone tint under the heat map), and its walls,
//! one band per layer present at the site (thickness × exaggeration; under them the floor as
//! a band of a fixed thickness, see [`crate::column`]) coloured per vertex. Its outline is
//! the face map's outline, else the treated area's box.
//!
//! Why one mesh: on a software rasteriser (lavapipe) every draw and every pixel counts. The
//! block drawn as a slab per layer, a fill per zone and a blended heat-map quad was five to
//! twenty draws, most of them covering the whole block, and the loaded scene cost well over
//! twice an empty one; as one draw sampling two small textures it costs a fraction of that.

use super::scene::SceneFrame;
use super::skin::SkinMaterial;
use crate::column::Slab;
use crate::heatmap::HeatGrid;
use crate::palette::layer_srgb;
use crate::zones::{TintGrid, open_ring};
use bevy::asset::RenderAssetUsages;
use bevy::mesh::{Indices, PrimitiveTopology};
use bevy::prelude::*;

/// The block: its heat-map image and material, and the exaggeration its mesh was built for.
#[derive(Component, Debug)]
pub struct Block {
    /// The heat map the surface samples (rewritten as the cursor moves).
    pub heat: Handle<Image>,
    /// The block's material.
    pub material: Handle<SkinMaterial>,
    /// The exaggeration the mesh was built for.
    pub exaggeration: f32,
    /// Where the zone tint's texels lie (a face map's recording), for rebuilding the mesh.
    pub tint: Option<TintGrid>,
}

/// Texture coordinates that fall outside every texture: the walls sample none.
const NO_UV: [f32; 2] = [-1.0, -1.0];

/// The block for `outline_mm` (recording mm) and `slabs` (surface first): the top at world
/// y = 0 facing up (counter-clockwise seen from above; back faces are culled) with `uv_0` the
/// heat grid's coordinates and `uv_1` the zone tint's (0..1 over each), then every slab's
/// band along every edge, drawn from both sides (they face the camera whatever the
/// outline's winding). Colours are linear, per vertex: the top is the first slab's layer.
pub fn block_mesh(
    frame: &SceneFrame,
    outline_mm: &[[f64; 2]],
    slabs: &[Slab],
    heat: Option<&HeatGrid>,
    tint: Option<&TintGrid>,
) -> Mesh {
    let ring = open_ring(outline_mm);
    let colour = |s: &Slab| {
        let [r, g, b] = layer_srgb(s.layer);
        Color::srgb(r, g, b).to_linear().to_f32_array()
    };
    let top_colour = slabs.first().map_or([0.6, 0.5, 0.4, 1.0], colour);
    let mut positions: Vec<[f32; 3]> = Vec::new();
    let mut colours: Vec<[f32; 4]> = Vec::new();
    let mut heat_uv: Vec<[f32; 2]> = Vec::new();
    let mut tint_uv: Vec<[f32; 2]> = Vec::new();
    let mut indices: Vec<u32> = Vec::new();

    for &p in ring {
        let (x, z) = frame.world_xz(p[0], p[1]);
        positions.push([x, 0.0, z]);
        colours.push(top_colour);
        heat_uv.push(heat.map_or(NO_UV, |g| {
            [
                ((p[0] - g.origin_mm[0]) / (g.cols as f64 * g.cell_mm)) as f32,
                ((p[1] - g.origin_mm[1]) / (g.rows as f64 * g.cell_mm)) as f32,
            ]
        }));
        tint_uv.push(tint.map_or(NO_UV, |t| t.uv(p)));
    }
    for [a, b, c] in crate::polygon::triangulate(ring) {
        let (pa, pb, pc) = (
            positions[a as usize],
            positions[b as usize],
            positions[c as usize],
        );
        // Seen from +y (x right, z down the screen), counter-clockwise is a negative cross
        // product in (x, z).
        let cross = (pb[0] - pa[0]) * (pc[2] - pa[2]) - (pb[2] - pa[2]) * (pc[0] - pa[0]);
        if cross <= 0.0 {
            indices.extend([a, b, c]);
        } else {
            indices.extend([a, c, b]);
        }
    }

    let world: Vec<(f32, f32)> = ring.iter().map(|p| frame.world_xz(p[0], p[1])).collect();
    let n = world.len();
    for slab in slabs {
        let c = colour(slab);
        let (lo, hi) = (slab.bottom(), slab.top);
        for i in 0..n {
            let ((ax, az), (bx, bz)) = (world[i], world[(i + 1) % n]);
            let b = positions.len() as u32;
            positions.extend([[ax, lo, az], [bx, lo, bz], [bx, hi, bz], [ax, hi, az]]);
            colours.extend([c; 4]);
            heat_uv.extend([NO_UV; 4]);
            tint_uv.extend([NO_UV; 4]);
            indices.extend([b, b + 1, b + 2, b, b + 2, b + 3]);
            indices.extend([b, b + 2, b + 1, b, b + 3, b + 2]);
        }
    }
    let count = positions.len();
    Mesh::new(
        PrimitiveTopology::TriangleList,
        RenderAssetUsages::default(),
    )
    .with_inserted_attribute(Mesh::ATTRIBUTE_POSITION, positions)
    .with_inserted_attribute(Mesh::ATTRIBUTE_NORMAL, vec![[0.0f32, 1.0, 0.0]; count])
    .with_inserted_attribute(Mesh::ATTRIBUTE_UV_0, heat_uv)
    .with_inserted_attribute(Mesh::ATTRIBUTE_UV_1, tint_uv)
    .with_inserted_attribute(Mesh::ATTRIBUTE_COLOR, colours)
    .with_inserted_indices(Indices::U32(indices))
}
