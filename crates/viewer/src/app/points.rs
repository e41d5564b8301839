//! The puncture cloud: each puncture of the recent window ([`crate::lod`]) is one vertex of a
//! point-list mesh (`RenderAssetUsages::RENDER_WORLD`, so the CPU copy is dropped), with
//! `uv_0 = (t_s, depth_um)` and its colour, viridis of depth ([`crate::colormap::viridis`]),
//! as the vertex colour. [`PunctureMaterial`]'s `params.x` is the cursor time and
//! `params.w` the start of the window: the vertex shader hides punctures outside `[w, x]`,
//! so playing changes two uniforms and the mesh is rebuilt only when the window leaves it.
//! The colour is computed once per puncture when the mesh is built, not per vertex per frame
//! (on a software rasteriser the vertex shader's cost counts).

use crate::data::Punctures;
use bevy::asset::{RenderAssetUsages, uuid_handle};
use bevy::mesh::{MeshVertexBufferLayoutRef, PrimitiveTopology};
use bevy::pbr::{MaterialPipeline, MaterialPipelineKey};
use bevy::prelude::*;
use bevy::render::render_resource::{
    AsBindGroup, RenderPipelineDescriptor, SpecializedMeshPipelineError,
};
use bevy::shader::{Shader, ShaderRef};
use std::ops::Range;

/// The embedded WGSL of the puncture material.
pub const POINTS_SHADER: Handle<Shader> = uuid_handle!("6c1e2f0a-93c4-4d2b-9a57-1f0d3b8e5a21");

/// Height of the puncture points above the skin surface, world units (mm).
pub const POINT_LIFT_MM: f32 = 0.05;

/// Material of the puncture cloud.
#[derive(Asset, TypePath, AsBindGroup, Debug, Clone)]
pub struct PunctureMaterial {
    /// (t_now_s, unused, visible 0/1, window_start_s).
    #[uniform(0)]
    pub params: Vec4,
}

impl Material for PunctureMaterial {
    fn vertex_shader() -> ShaderRef {
        ShaderRef::Handle(POINTS_SHADER)
    }

    fn fragment_shader() -> ShaderRef {
        ShaderRef::Handle(POINTS_SHADER)
    }

    fn enable_prepass() -> bool {
        false
    }

    fn enable_shadows() -> bool {
        false
    }

    fn specialize(
        _pipeline: &MaterialPipeline,
        descriptor: &mut RenderPipelineDescriptor,
        layout: &MeshVertexBufferLayoutRef,
        _key: MaterialPipelineKey<Self>,
    ) -> Result<(), SpecializedMeshPipelineError> {
        vertex_attributes(
            descriptor,
            layout,
            &[
                Mesh::ATTRIBUTE_POSITION,
                Mesh::ATTRIBUTE_UV_0,
                Mesh::ATTRIBUTE_COLOR,
            ],
        )
    }
}

/// Give a pipeline's vertex stage exactly `attributes` of the mesh, at shader locations
/// 0, 1, … in that order (a custom vertex shader's inputs).
pub(super) fn vertex_attributes(
    descriptor: &mut RenderPipelineDescriptor,
    layout: &MeshVertexBufferLayoutRef,
    attributes: &[bevy::mesh::MeshVertexAttribute],
) -> Result<(), SpecializedMeshPipelineError> {
    let wanted: Vec<_> = attributes
        .iter()
        .enumerate()
        .map(|(location, a)| a.at_shader_location(location as u32))
        .collect();
    descriptor.vertex.buffers = vec![layout.0.get_layout(&wanted)?];
    Ok(())
}

/// Registers the material and its shader.
pub struct PointsPlugin;

impl Plugin for PointsPlugin {
    fn build(&self, app: &mut App) {
        let shader = Shader::from_wgsl(
            include_str!("points.wgsl"),
            "needlebench_viewer/points.wgsl",
        );
        if let Some(mut shaders) = app.world_mut().get_resource_mut::<Assets<Shader>>() {
            // Inserting at a fixed id cannot clash: the id is this crate's own UUID.
            let _ = shaders.insert(POINTS_SHADER.id(), shader);
        }
        app.add_plugins(MaterialPlugin::<PunctureMaterial>::default());
    }
}

/// The point-list mesh of the punctures `range` ([`crate::lod::drawn_range`]), coloured by
/// [`point_colour`] against `depth_max_um`; `to_world` maps (x_mm, y_mm) to world x, z. An
/// empty range gives one hidden vertex at [`HIDDEN_T_S`].
pub fn puncture_mesh(
    p: &Punctures,
    range: Range<usize>,
    depth_max_um: f32,
    to_world: impl Fn(f32, f32) -> (f32, f32),
) -> Mesh {
    let range = range.start.min(p.len())..range.end.min(p.len());
    let mut positions = Vec::with_capacity(range.len());
    let mut uvs = Vec::with_capacity(range.len());
    let mut colours = Vec::with_capacity(range.len());
    for i in range {
        let (x, z) = to_world(p.x_mm[i], p.y_mm[i]);
        positions.push([x, POINT_LIFT_MM, z]);
        uvs.push([t_s_f32(p.t_us[i]), p.depth_um[i]]);
        colours.push(point_colour(p.depth_um[i], depth_max_um));
    }
    if positions.is_empty() {
        // bevy's mesh allocator logs a use-after-free for a mesh without vertices: one vertex
        // before every window instead, which the shader hides.
        positions.push([0.0, POINT_LIFT_MM, 0.0]);
        uvs.push([HIDDEN_T_S, 0.0]);
        colours.push([0.0; 4]);
    }
    Mesh::new(
        PrimitiveTopology::PointList,
        RenderAssetUsages::RENDER_WORLD,
    )
    .with_inserted_attribute(Mesh::ATTRIBUTE_POSITION, positions)
    .with_inserted_attribute(Mesh::ATTRIBUTE_UV_0, uvs)
    .with_inserted_attribute(Mesh::ATTRIBUTE_COLOR, colours)
}

/// A puncture's colour, linear RGBA: viridis of `depth_um / depth_max_um` (a maximum under
/// 1 µm counts as 1), the scale the legend shows.
pub fn point_colour(depth_um: f32, depth_max_um: f32) -> [f32; 4] {
    let [r, g, b] = crate::colormap::viridis(depth_um / depth_max_um.max(1.0));
    Color::srgb(r, g, b).to_linear().to_f32_array()
}

/// The time of the placeholder vertex of an empty range: earlier than any window's start.
pub const HIDDEN_T_S: f32 = -1.0e30;

/// Time as the shader compares it: seconds as `f32` (the cursor goes through the same
/// conversion, so a puncture at exactly the cursor time is shown).
pub fn t_s_f32(t_us: u64) -> f32 {
    (t_us as f64 / 1e6) as f32
}
