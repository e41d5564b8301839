//! The scene's meshes as data (no renderer): the block in one mesh, the puncture cloud's
//! vertices.

use bevy::color::ColorToComponents;
use bevy::mesh::{Indices, Mesh, VertexAttributeValues};
use bevy::prelude::Color;
use needlebench_recording::Layer;
use needlebench_viewer::app::block::block_mesh;
use needlebench_viewer::app::points::{HIDDEN_T_S, point_colour, puncture_mesh};
use needlebench_viewer::app::scene::SceneFrame;
use needlebench_viewer::colormap::viridis;
use needlebench_viewer::column::block_slabs;
use needlebench_viewer::data::Punctures;
use needlebench_viewer::heatmap::HeatGrid;
use needlebench_viewer::palette::layer_srgb;
use needlebench_viewer::zones::TintGrid;

fn floats2(mesh: &Mesh, attr: bevy::mesh::MeshVertexAttribute) -> Vec<[f32; 2]> {
    match mesh.attribute(attr) {
        Some(VertexAttributeValues::Float32x2(v)) => v.clone(),
        other => panic!("{} is {other:?}", attr.name),
    }
}

fn floats3(mesh: &Mesh, attr: bevy::mesh::MeshVertexAttribute) -> Vec<[f32; 3]> {
    match mesh.attribute(attr) {
        Some(VertexAttributeValues::Float32x3(v)) => v.clone(),
        other => panic!("{} is {other:?}", attr.name),
    }
}

fn floats4(mesh: &Mesh, attr: bevy::mesh::MeshVertexAttribute) -> Vec<[f32; 4]> {
    match mesh.attribute(attr) {
        Some(VertexAttributeValues::Float32x4(v)) => v.clone(),
        other => panic!("{} is {other:?}", attr.name),
    }
}

fn linear(layer: Layer) -> [f32; 4] {
    let [r, g, b] = layer_srgb(layer);
    Color::srgb(r, g, b).to_linear().to_f32_array()
}

#[test]
fn block_is_one_mesh_with_the_surface_on_top_and_a_band_per_layer() {
    let square = [
        [0.0, 0.0],
        [20.0, 0.0],
        [20.0, 10.0],
        [0.0, 10.0],
        [0.0, 0.0],
    ];
    let frame = SceneFrame::new(&square);
    let layers = crate::fixture::layers();
    let slabs = block_slabs(&layers, 3.0);
    let heat = HeatGrid::new(&square[..4], 1.0).unwrap();
    let mesh = block_mesh(&frame, &square, &slabs, Some(&heat), None);

    let pos = floats3(&mesh, Mesh::ATTRIBUTE_POSITION);
    let heat_uv = floats2(&mesh, Mesh::ATTRIBUTE_UV_0);
    let tint_uv = floats2(&mesh, Mesh::ATTRIBUTE_UV_1);
    let colour = floats4(&mesh, Mesh::ATTRIBUTE_COLOR);
    // 4 surface corners (the repeated closing point dropped), then 4 edges × 4 corners per slab.
    assert_eq!(pos.len(), 4 + slabs.len() * 16);
    // The surface: at y = 0, the top layer's colour, heat uv inside 0..1 (the grid has a
    // margin), no zone tint (no face map).
    for i in 0..4 {
        assert_eq!(pos[i][1], 0.0);
        assert_eq!(colour[i], linear(slabs[0].layer));
        assert!(
            heat_uv[i].iter().all(|&u| u > 0.0 && u < 1.0),
            "{:?}",
            heat_uv[i]
        );
        assert!(tint_uv[i].iter().all(|&u| u < 0.0));
    }
    // The corner at recording (0, 0) maps to the heat grid's cell of (0, 0).
    let g = &heat;
    let want = [
        (-g.origin_mm[0] / (g.cols as f64 * g.cell_mm)) as f32,
        (-g.origin_mm[1] / (g.rows as f64 * g.cell_mm)) as f32,
    ];
    assert!((heat_uv[0][0] - want[0]).abs() < 1e-6 && (heat_uv[0][1] - want[1]).abs() < 1e-6);
    // The walls: each slab's band spans its top to its bottom in its layer's colour and
    // samples no texture.
    for (k, slab) in slabs.iter().enumerate() {
        let band = 4 + k * 16..4 + (k + 1) * 16;
        let ys: Vec<f32> = band.clone().map(|i| pos[i][1]).collect();
        let (lo, hi) = ys
            .iter()
            .fold((f32::MAX, f32::MIN), |(a, b), &y| (a.min(y), b.max(y)));
        assert!(
            (hi - slab.top).abs() < 1e-6 && (lo - slab.bottom()).abs() < 1e-6,
            "{k}"
        );
        assert!(band.clone().all(|i| colour[i] == linear(slab.layer)));
        assert!(
            band.clone()
                .all(|i| heat_uv[i] == [-1.0, -1.0] && tint_uv[i] == [-1.0, -1.0])
        );
    }
    // The surface's two triangles face up: counter-clockwise seen from above (x right,
    // world z down the screen) is a negative cross product in (x, z).
    let Some(Indices::U32(idx)) = mesh.indices() else {
        panic!("u32 indices")
    };
    for t in idx[..6].chunks(3) {
        let [a, b, c] = [pos[t[0] as usize], pos[t[1] as usize], pos[t[2] as usize]];
        let cross = (b[0] - a[0]) * (c[2] - a[2]) - (b[2] - a[2]) * (c[0] - a[0]);
        assert!(cross < 0.0, "surface triangle {t:?} faces down");
    }
    // Walls are drawn from both sides: 12 indices per edge and slab.
    assert_eq!(idx.len(), 6 + slabs.len() * 4 * 12);

    // With a face map's tint, the surface's uv_1 places each corner on the tint's grid.
    let grid = TintGrid {
        origin_mm: [-10.0, -5.0],
        texel_mm: 0.5,
        cols: 80,
        rows: 40,
    };
    let tinted = block_mesh(&frame, &square, &slabs, Some(&heat), Some(&grid));
    let tint_uv = floats2(&tinted, Mesh::ATTRIBUTE_UV_1);
    for (i, corner) in square[..4].iter().enumerate() {
        assert_eq!(tint_uv[i], grid.uv(*corner), "corner {i}");
    }
    assert_eq!(
        tint_uv[2],
        [0.75, 0.75],
        "(20, 10) mm on a 40 × 20 mm grid from (−10, −5)"
    );
    assert!(
        tint_uv[4..].iter().all(|&uv| uv == [-1.0, -1.0]),
        "walls sample no tint"
    );
}

#[test]
fn puncture_cloud_colours_each_point_by_depth_and_an_empty_range_hides_its_one_vertex() {
    let p = Punctures {
        t_us: vec![1_000_000, 2_000_000, 3_000_000],
        x_mm: vec![1.0, 2.0, 3.0],
        y_mm: vec![4.0, 5.0, 6.0],
        depth_um: vec![0.0, 250.0, 500.0],
        tenting_um: vec![0.0; 3],
        layer: vec![Layer::PapillaryDermis; 3],
    };
    let mesh = puncture_mesh(&p, 1..3, 500.0, |x, y| (x * 10.0, -y));
    let pos = floats3(&mesh, Mesh::ATTRIBUTE_POSITION);
    let uv = floats2(&mesh, Mesh::ATTRIBUTE_UV_0);
    let colour = floats4(&mesh, Mesh::ATTRIBUTE_COLOR);
    assert_eq!(pos.len(), 2);
    assert_eq!([pos[0][0], pos[0][2]], [20.0, -5.0]);
    assert_eq!(uv[1], [3.0, 500.0]);
    // Half-way down the scale, and the deepest at the top of it; linear colour of viridis.
    for (i, t) in [(0, 0.5f32), (1, 1.0)] {
        let [r, g, b] = viridis(t);
        let want = Color::srgb(r, g, b).to_linear().to_f32_array();
        assert_eq!(colour[i], want);
        assert_eq!(point_colour(p.depth_um[i + 1], 500.0), want);
    }
    // A scale under 1 µm counts as 1 µm (no division by zero).
    assert_eq!(point_colour(0.5, 0.0), point_colour(0.5, 1.0));
    // No punctures in range: one vertex, before any window, so the shader hides it.
    let empty = puncture_mesh(&p, 2..2, 500.0, |x, y| (x, y));
    let uv = floats2(&empty, Mesh::ATTRIBUTE_UV_0);
    assert_eq!(uv.len(), 1);
    assert_eq!(uv[0][0], HIDDEN_T_S);
    assert!(uv[0][0] < 0.0, "before a window starting at time 0");
}
