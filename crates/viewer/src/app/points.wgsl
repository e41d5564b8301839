// Puncture cloud: one point per puncture of the recent window. uv_0 = (t_s, depth_um), the
// colour (viridis of depth, linear) computed when the mesh was built.
// params = (t_now_s, unused, visible 0/1, window_start_s). Punctures after the cursor
// or before the recent window (the heat map shows those) are moved outside the clip volume.
#import bevy_pbr::mesh_functions::{get_world_from_local, mesh_position_local_to_clip}

@group(#{MATERIAL_BIND_GROUP}) @binding(0) var<uniform> params: vec4<f32>;

struct Vertex {
    @builtin(instance_index) instance_index: u32,
    @location(0) position: vec3<f32>,
    @location(1) time_depth: vec2<f32>,
    @location(2) color: vec4<f32>,
};

struct VertexOutput {
    @builtin(position) clip_position: vec4<f32>,
    @location(0) color: vec4<f32>,
};

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
    out.color = vertex.color;
    return out;
}

@fragment
fn fragment(input: VertexOutput) -> @location(0) vec4<f32> {
    return input.color;
}
