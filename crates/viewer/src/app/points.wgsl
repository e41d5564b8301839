// Puncture cloud: one point per puncture, uploaded once. uv_0 = (t_s, depth_um).
// params = (t_now_s, depth_max_um, visible 0/1, window_start_s). Punctures after the cursor
// or before the recent window (the heat map shows those) are moved outside the clip volume.
#import bevy_pbr::mesh_functions::{get_world_from_local, mesh_position_local_to_clip}

@group(#{MATERIAL_BIND_GROUP}) @binding(0) var<uniform> params: vec4<f32>;

struct Vertex {
    @builtin(instance_index) instance_index: u32,
    @location(0) position: vec3<f32>,
    @location(1) time_depth: vec2<f32>,
};

struct VertexOutput {
    @builtin(position) clip_position: vec4<f32>,
    @location(0) color: vec4<f32>,
};

// The same polynomial viridis fit as colormap.rs (sRGB out).
fn viridis(t_in: f32) -> vec3<f32> {
    let t = clamp(t_in, 0.0, 1.0);
    let c0 = vec3<f32>(0.27772733, 0.0054073445, 0.3340998);
    let c1 = vec3<f32>(0.10509304, 1.4046135, 1.3845902);
    let c2 = vec3<f32>(-0.33086183, 0.21484756, 0.09509516);
    let c3 = vec3<f32>(-4.6342305, -5.799101, -19.332441);
    let c4 = vec3<f32>(6.22827, 14.179933, 56.69055);
    let c5 = vec3<f32>(4.776385, -13.745145, -65.353035);
    let c6 = vec3<f32>(-5.435456, 4.6458527, 26.312435);
    return clamp(c0 + t * (c1 + t * (c2 + t * (c3 + t * (c4 + t * (c5 + t * c6))))), vec3<f32>(0.0), vec3<f32>(1.0));
}

fn srgb_to_linear(c: vec3<f32>) -> vec3<f32> {
    let lo = c / 12.92;
    let hi = pow((c + 0.055) / 1.055, vec3<f32>(2.4));
    return select(hi, lo, c <= vec3<f32>(0.04045));
}

@vertex
fn vertex(vertex: Vertex) -> VertexOutput {
    var out: VertexOutput;
    out.clip_position = mesh_position_local_to_clip(
        get_world_from_local(vertex.instance_index),
        vec4<f32>(vertex.position, 1.0),
    );
    if (vertex.time_depth.x > params.x || vertex.time_depth.x < params.w || params.z < 0.5) {
        out.clip_position = vec4<f32>(4.0, 4.0, 4.0, 1.0);
    }
    out.color = vec4<f32>(srgb_to_linear(viridis(vertex.time_depth.y / max(params.y, 1.0))), 1.0);
    return out;
}

@fragment
fn fragment(input: VertexOutput) -> @location(0) vec4<f32> {
    return input.color;
}
