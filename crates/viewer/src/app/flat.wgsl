// Flat unlit colour, times the vertex colour if the mesh has one (the block's walls: a band
// per layer), else times a texture if it has uvs (white when none is bound): the walls, the
// pen, the markers, the zone outlines. The smallest fragment shader that does the job: a
// software rasteriser (lavapipe) pays per pixel for every instruction, and
// StandardMaterial's, even unlit, cost several times the whole frame budget.
#import bevy_pbr::forward_io::VertexOutput

@group(#{MATERIAL_BIND_GROUP}) @binding(0) var<uniform> color: vec4<f32>;
@group(#{MATERIAL_BIND_GROUP}) @binding(1) var color_texture: texture_2d<f32>;
@group(#{MATERIAL_BIND_GROUP}) @binding(2) var color_sampler: sampler;

@fragment
fn fragment(in: VertexOutput) -> @location(0) vec4<f32> {
#ifdef VERTEX_COLORS
    return color * in.color;
#else
#ifdef VERTEX_UVS_A
    return color * textureSample(color_texture, color_sampler, in.uv);
#else
    return color;
#endif
#endif
}
