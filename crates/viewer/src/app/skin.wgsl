// The tissue block in one pass: the vertex colour (its layer's), under the zone tint (a face
// map's zones: opaque texels inside a zone), under the density heat map (transparent where
// nothing was punctured). uv_0 = heat-map coordinates, uv_1 = zone-tint coordinates; outside
// 0..1 a texture does not apply (the walls have -1). Sampled at level 0 (no mips; allowed
// outside uniform control flow). show = (heat 0/1, zones 0/1, -, -).
// Its own vertex stage passes on only what the fragment needs (a software rasteriser
// interpolates every output for every pixel).
#import bevy_pbr::mesh_functions::{get_world_from_local, mesh_position_local_to_clip}

@group(#{MATERIAL_BIND_GROUP}) @binding(0) var<uniform> show: vec4<f32>;
@group(#{MATERIAL_BIND_GROUP}) @binding(1) var heat_texture: texture_2d<f32>;
@group(#{MATERIAL_BIND_GROUP}) @binding(2) var heat_sampler: sampler;
@group(#{MATERIAL_BIND_GROUP}) @binding(3) var zone_texture: texture_2d<f32>;
@group(#{MATERIAL_BIND_GROUP}) @binding(4) var zone_sampler: sampler;

struct Vertex {
    @builtin(instance_index) instance_index: u32,
    @location(0) position: vec3<f32>,
    @location(1) heat_uv: vec2<f32>,
    @location(2) zone_uv: vec2<f32>,
    @location(3) color: vec4<f32>,
};

struct VertexOutput {
    @builtin(position) clip_position: vec4<f32>,
    @location(0) color: vec3<f32>,
    @location(1) heat_uv: vec2<f32>,
    @location(2) zone_uv: vec2<f32>,
};

@vertex
fn vertex(vertex: Vertex) -> VertexOutput {
    var out: VertexOutput;
    out.clip_position = mesh_position_local_to_clip(
        get_world_from_local(vertex.instance_index),
        vec4<f32>(vertex.position, 1.0),
    );
    out.color = vertex.color.rgb;
    out.heat_uv = vertex.heat_uv;
    out.zone_uv = vertex.zone_uv;
    return out;
}

fn inside(uv: vec2<f32>) -> bool {
    return all(uv >= vec2<f32>(0.0)) && all(uv <= vec2<f32>(1.0));
}

@fragment
fn fragment(in: VertexOutput) -> @location(0) vec4<f32> {
    var c = in.color;
    if (show.y > 0.5 && inside(in.zone_uv)) {
        let z = textureSampleLevel(zone_texture, zone_sampler, in.zone_uv, 0.0);
        c = mix(c, z.rgb, z.a);
    }
    if (show.x > 0.5 && inside(in.heat_uv)) {
        let h = textureSampleLevel(heat_texture, heat_sampler, in.heat_uv, 0.0);
        c = mix(c, h.rgb, h.a);
    }
    return vec4<f32>(c, 1.0);
}
