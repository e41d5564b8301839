//! [`FlatMaterial`]: an unlit colour, optionally multiplied by a texture, with the smallest
//! fragment shader possible (`flat.wgsl`). Every surface of the scene uses it: on a software
//! rasteriser the fragment shader is the frame's cost, and `StandardMaterial` (even unlit)
//! made a screen-filling block cost ~20× an empty frame on lavapipe.

use bevy::asset::uuid_handle;
use bevy::prelude::*;
use bevy::render::render_resource::AsBindGroup;
use bevy::shader::{Shader, ShaderRef};

/// The embedded WGSL of [`FlatMaterial`].
pub const FLAT_SHADER: Handle<Shader> = uuid_handle!("2b7f4c1e-5d3a-4e8b-9c61-7a0e2f4d9b13");

/// An unlit colour (linear RGBA) times `texture` (white when `None`).
#[derive(Asset, TypePath, AsBindGroup, Debug, Clone)]
pub struct FlatMaterial {
    /// Colour, linear RGBA.
    #[uniform(0)]
    pub color: LinearRgba,
    /// Optional texture, sampled at the mesh's `uv_0`.
    #[texture(1)]
    #[sampler(2)]
    pub texture: Option<Handle<Image>>,
    /// Opaque, or alpha-blended (the heat map: transparent outside the treated area).
    pub blend: bool,
}

impl FlatMaterial {
    /// An opaque colour.
    pub fn opaque(color: Color) -> FlatMaterial {
        FlatMaterial {
            color: color.to_linear(),
            texture: None,
            blend: false,
        }
    }
}

impl Material for FlatMaterial {
    fn fragment_shader() -> ShaderRef {
        ShaderRef::Handle(FLAT_SHADER)
    }

    fn alpha_mode(&self) -> AlphaMode {
        if self.blend {
            AlphaMode::Blend
        } else {
            AlphaMode::Opaque
        }
    }

    fn enable_prepass() -> bool {
        false
    }

    fn enable_shadows() -> bool {
        false
    }
}

/// Registers [`FlatMaterial`] and its shader.
pub struct FlatPlugin;

impl Plugin for FlatPlugin {
    fn build(&self, app: &mut App) {
        let shader = Shader::from_wgsl(include_str!("flat.wgsl"), "needlebench_viewer/flat.wgsl");
        if let Some(mut shaders) = app.world_mut().get_resource_mut::<Assets<Shader>>() {
            // Inserting at a fixed id cannot clash: the id is this crate's own UUID.
            let _ = shaders.insert(FLAT_SHADER.id(), shader);
        }
        app.add_plugins(MaterialPlugin::<FlatMaterial>::default());
    }
}
