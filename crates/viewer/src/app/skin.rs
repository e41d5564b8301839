//! [`SkinMaterial`]: the tissue block ([`super::block`]) in one pass: the vertex colour (a
//! layer's), under the zone tint ([`crate::zones::ZoneTint`]) under the density heat map
//! ([`crate::heatmap`]) where the vertex has texture coordinates (the top; the walls have
//! none).

use bevy::asset::uuid_handle;
use bevy::mesh::MeshVertexBufferLayoutRef;
use bevy::pbr::{MaterialPipeline, MaterialPipelineKey};
use bevy::prelude::*;
use bevy::render::render_resource::{
    AsBindGroup, RenderPipelineDescriptor, SpecializedMeshPipelineError,
};
use bevy::shader::{Shader, ShaderRef};

/// The embedded WGSL of [`SkinMaterial`].
pub const SKIN_SHADER: Handle<Shader> = uuid_handle!("9d3a6b52-1c7e-4f08-a2d4-5e8b0c6f7a39");

/// The zone tint and the heat map, and which of them show.
#[derive(Asset, TypePath, AsBindGroup, Debug, Clone)]
pub struct SkinMaterial {
    /// (heat map shown 0/1, zones shown 0/1, unused, unused).
    #[uniform(0)]
    pub show: Vec4,
    /// The heat map, sampled at `uv_0` (nearest).
    #[texture(1)]
    #[sampler(2)]
    pub heat: Handle<Image>,
    /// The zone tint, sampled at `uv_1` (nearest); a transparent texel when there is no
    /// face map.
    #[texture(3)]
    #[sampler(4)]
    pub zones: Handle<Image>,
}

impl SkinMaterial {
    /// Whether the heat map and the zones show.
    pub fn set_shown(&mut self, heat: bool, zones: bool) {
        self.show = Vec4::new(
            f32::from(u8::from(heat)),
            f32::from(u8::from(zones)),
            0.0,
            0.0,
        );
    }
}

impl Material for SkinMaterial {
    fn vertex_shader() -> ShaderRef {
        ShaderRef::Handle(SKIN_SHADER)
    }

    fn fragment_shader() -> ShaderRef {
        ShaderRef::Handle(SKIN_SHADER)
    }

    fn specialize(
        _pipeline: &MaterialPipeline,
        descriptor: &mut RenderPipelineDescriptor,
        layout: &MeshVertexBufferLayoutRef,
        _key: MaterialPipelineKey<Self>,
    ) -> Result<(), SpecializedMeshPipelineError> {
        super::points::vertex_attributes(
            descriptor,
            layout,
            &[
                Mesh::ATTRIBUTE_POSITION,
                Mesh::ATTRIBUTE_UV_0,
                Mesh::ATTRIBUTE_UV_1,
                Mesh::ATTRIBUTE_COLOR,
            ],
        )
    }

    fn enable_prepass() -> bool {
        false
    }

    fn enable_shadows() -> bool {
        false
    }
}

/// Registers [`SkinMaterial`] and its shader.
pub struct SkinPlugin;

impl Plugin for SkinPlugin {
    fn build(&self, app: &mut App) {
        let shader = Shader::from_wgsl(include_str!("skin.wgsl"), "needlebench_viewer/skin.wgsl");
        if let Some(mut shaders) = app.world_mut().get_resource_mut::<Assets<Shader>>() {
            // Inserting at a fixed id cannot clash: the id is this crate's own UUID.
            let _ = shaders.insert(SKIN_SHADER.id(), shader);
        }
        app.add_plugins(MaterialPlugin::<SkinMaterial>::default());
    }
}
