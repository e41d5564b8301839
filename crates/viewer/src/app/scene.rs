//! The 3D scene: the tissue block (one slab per layer present at the site, thickness ×
//! exaggeration, the front face showing the strata, and under them the floor as a slab of a
//! fixed thickness, see [`crate::column`]), the heat-map texture on the surface over the
//! treated area, the puncture cloud (recent punctures one by one, older ones through the heat
//! map: [`crate::lod`]), the pen and the violation markers. All materials are unlit
//! ([`super::flat::FlatMaterial`]) so colours on screen are the colours of the legend.

use super::flat::{FlatMaterial, FlatPlugin};
use super::points::{PointsPlugin, PunctureMaterial, puncture_mesh, t_s_f32};
use super::zones::ZonesPlugin;
use super::{Cursor, Heat, ReplayData, ReplaySet, ViewSettings};
use crate::column::{block_slabs, present_layers};
use crate::lod;
use crate::palette::{MARKER_SRGB, layer_srgb};
use bevy::asset::RenderAssetUsages;
use bevy::camera::visibility::NoFrustumCulling;
use bevy::image::ImageSampler;
use bevy::mesh::{Indices, PrimitiveTopology};
use bevy::prelude::*;
use bevy::render::render_resource::{Extent3d, TextureDimension, TextureFormat};
use needlebench_recording::Layer;

/// Margin of skin around the treated area's bounding box, mm.
pub const BLOCK_MARGIN_MM: f32 = 6.0;

/// The pen's tip, drawn as a cylinder (radius, length), mm.
pub const PEN_RADIUS_MM: f32 = 1.5;
/// See [`PEN_RADIUS_MM`].
pub const PEN_LENGTH_MM: f32 = 10.0;

/// Most violation markers drawn (the first ones in time that have a place).
pub const MAX_MARKERS: usize = 2_000;

/// Where the recording's plane sits in the world: 1 world unit = 1 mm, x → x,
/// y → −z (so a top view shows y up), the skin surface at world y = 0.
#[derive(Resource, Debug, Clone, Copy, PartialEq)]
pub struct SceneFrame {
    /// Recording coordinates of the world origin, mm.
    pub centre_mm: [f64; 2],
    /// Half the block's size along x and y, mm.
    pub half_mm: [f32; 2],
}

impl SceneFrame {
    /// Frame centred on the treated area's bounding box (the punctures' if it has none).
    pub fn new(area: &[[f64; 2]]) -> SceneFrame {
        let (mut lo, mut hi) = ([f64::MAX; 2], [f64::MIN; 2]);
        for p in area.iter().filter(|p| p[0].is_finite() && p[1].is_finite()) {
            for k in 0..2 {
                lo[k] = lo[k].min(p[k]);
                hi[k] = hi[k].max(p[k]);
            }
        }
        if lo[0] > hi[0] {
            (lo, hi) = ([0.0; 2], [20.0; 2]);
        }
        let half = |k: usize| ((hi[k] - lo[k]) / 2.0) as f32 + BLOCK_MARGIN_MM;
        SceneFrame {
            centre_mm: [(lo[0] + hi[0]) / 2.0, (lo[1] + hi[1]) / 2.0],
            half_mm: [half(0), half(1)],
        }
    }

    /// World x, z of a point in recording coordinates.
    pub fn world_xz(&self, x_mm: f64, y_mm: f64) -> (f32, f32) {
        (
            (x_mm - self.centre_mm[0]) as f32,
            -(y_mm - self.centre_mm[1]) as f32,
        )
    }
}

/// One layer's slab (the floor's too).
#[derive(Component, Debug, Clone, Copy)]
pub struct LayerSlab(pub Layer);

/// The pen.
#[derive(Component, Debug)]
pub struct Pen;

/// The heat-map quad; holds its image and material.
#[derive(Component, Debug)]
pub struct HeatMapQuad {
    image: Handle<Image>,
    material: Handle<FlatMaterial>,
}

/// The puncture cloud ([`crate::lod`]): one point mesh of the punctures `drawn` (indices
/// into the time-sorted arrays), rebuilt when the recent window leaves it.
#[derive(Component, Debug, Clone)]
pub struct PunctureCloud {
    /// Its mesh.
    pub mesh: Handle<Mesh>,
    /// Its material.
    pub material: Handle<PunctureMaterial>,
    /// The punctures the mesh holds now.
    pub drawn: std::ops::Range<usize>,
}

/// A violation marker: index into the replay's violations.
#[derive(Component, Debug, Clone, Copy)]
pub struct ViolationMarker(pub usize);

/// Spawns and updates the scene.
pub struct ScenePlugin;

impl Plugin for ScenePlugin {
    fn build(&self, app: &mut App) {
        let frame = app
            .world()
            .get_resource::<ReplayData>()
            .map(|d| match &d.0.face_map {
                Some(map) => SceneFrame::new(&map.outline_mm),
                None => SceneFrame::new(&d.0.meta.setup.area),
            })
            .unwrap_or_else(|| SceneFrame::new(&[]));
        app.add_plugins((PointsPlugin, FlatPlugin, ZonesPlugin))
            .insert_resource(frame)
            .insert_resource(ClearColor(Color::srgb(0.12, 0.13, 0.15)))
            .add_systems(Startup, spawn_scene)
            .add_systems(
                Update,
                (
                    layout_layers,
                    move_pen,
                    update_points,
                    upload_heat,
                    show_markers,
                )
                    .in_set(ReplaySet::Apply),
            );
    }
}

fn unlit(color: Color) -> FlatMaterial {
    FlatMaterial::opaque(color)
}

fn srgb(c: [f32; 3]) -> Color {
    Color::srgb(c[0], c[1], c[2])
}

fn spawn_scene(
    mut commands: Commands,
    data: Res<ReplayData>,
    frame: Res<SceneFrame>,
    heat: Option<Res<Heat>>,
    mut meshes: ResMut<Assets<Mesh>>,
    mut materials: ResMut<Assets<FlatMaterial>>,
    mut point_materials: ResMut<Assets<PunctureMaterial>>,
    mut images: ResMut<Assets<Image>>,
) {
    let replay = &data.0;
    let slab = meshes.add(slab_mesh(&frame, &slab_outline(replay, &frame)));
    for layer in present_layers(&replay.meta.setup.layers_um) {
        commands.spawn((
            LayerSlab(layer),
            Mesh3d(slab.clone()),
            MeshMaterial3d(materials.add(unlit(srgb(layer_srgb(layer))))),
            Transform::default(),
        ));
    }

    if let Some(heat) = heat {
        let g = &heat.grid;
        let mut image = Image::new(
            Extent3d {
                width: g.cols as u32,
                height: g.rows as u32,
                depth_or_array_layers: 1,
            },
            TextureDimension::D2,
            g.to_rgba8_with(&replay.density_scale, replay.face_map.is_some()),
            TextureFormat::Rgba8UnormSrgb,
            RenderAssetUsages::default(),
        );
        image.sampler = ImageSampler::nearest();
        let image = images.add(image);
        let material = materials.add(FlatMaterial {
            color: LinearRgba::WHITE,
            texture: Some(image.clone()),
            blend: true,
        });
        let w = g.cols as f64 * g.cell_mm;
        let h = g.rows as f64 * g.cell_mm;
        let quad = rect_mesh(&frame, g.origin_mm, [w, h], 0.02);
        commands.spawn((
            HeatMapQuad {
                image,
                material: material.clone(),
            },
            Mesh3d(meshes.add(quad)),
            MeshMaterial3d(material),
            Transform::default(),
        ));
    }

    let cloud_material = point_materials.add(PunctureMaterial {
        params: Vec4::new(-1.0, replay.depth_scale.max as f32, 1.0, 0.0),
    });
    let cloud_mesh = meshes.add(puncture_mesh(&replay.punctures, 0..0, |x, y| (x, y)));
    commands.spawn((
        PunctureCloud {
            mesh: cloud_mesh.clone(),
            material: cloud_material.clone(),
            drawn: 0..0,
        },
        Mesh3d(cloud_mesh),
        MeshMaterial3d(cloud_material),
        Transform::default(),
        // Its bounds change with every rebuild: never culled on stale bounds.
        NoFrustumCulling,
    ));

    commands.spawn((
        Pen,
        Mesh3d(meshes.add(Cylinder::new(PEN_RADIUS_MM, PEN_LENGTH_MM))),
        MeshMaterial3d(materials.add(unlit(Color::srgb(0.55, 0.6, 0.68)))),
        Transform::from_xyz(0.0, 25.0, 0.0),
        Visibility::Hidden,
    ));

    let marker_mesh = meshes.add(Sphere::new(0.6));
    let marker_material = materials.add(unlit(srgb(MARKER_SRGB)));
    let placed = replay
        .violations
        .all()
        .iter()
        .enumerate()
        .filter(|(_, v)| v.pos_mm.is_some());
    for (i, v) in placed.take(MAX_MARKERS) {
        let Some([x, y]) = v.pos_mm else { continue };
        let (wx, wz) = frame.world_xz(x, y);
        commands.spawn((
            ViolationMarker(i),
            Mesh3d(marker_mesh.clone()),
            MeshMaterial3d(marker_material.clone()),
            Transform::from_xyz(wx, 0.6, wz),
            Visibility::Hidden,
        ));
    }
}

/// A horizontal rectangle at height `y`, from recording point `origin_mm` spanning
/// `size_mm`, with uv (0,0) at the origin and v along +y (image row 0 = min y), facing up
/// (counter-clockwise seen from above: back faces are culled).
fn rect_mesh(frame: &SceneFrame, origin_mm: [f64; 2], size_mm: [f64; 2], y: f32) -> Mesh {
    let corners = [[0.0, 0.0], [1.0, 0.0], [1.0, 1.0], [0.0, 1.0]];
    let mut positions = Vec::new();
    let mut uvs = Vec::new();
    for [u, v] in corners {
        let (x, z) = frame.world_xz(origin_mm[0] + u * size_mm[0], origin_mm[1] + v * size_mm[1]);
        positions.push([x, y, z]);
        uvs.push([u as f32, v as f32]);
    }
    Mesh::new(
        PrimitiveTopology::TriangleList,
        RenderAssetUsages::default(),
    )
    .with_inserted_attribute(Mesh::ATTRIBUTE_POSITION, positions)
    .with_inserted_attribute(Mesh::ATTRIBUTE_NORMAL, vec![[0.0f32, 1.0, 0.0]; 4])
    .with_inserted_attribute(Mesh::ATTRIBUTE_UV_0, uvs)
    .with_inserted_indices(Indices::U32(vec![0, 1, 2, 0, 2, 3]))
}

/// The slabs' outline in recording coordinates, mm: the face map's outline, else the
/// frame's rectangle.
fn slab_outline(replay: &crate::data::Replay, frame: &SceneFrame) -> Vec<[f64; 2]> {
    if let Some(map) = &replay.face_map {
        return map.outline_mm.clone();
    }
    let [cx, cy] = frame.centre_mm;
    let [hx, hy] = frame.half_mm.map(f64::from);
    vec![
        [cx - hx, cy - hy],
        [cx + hx, cy - hy],
        [cx + hx, cy + hy],
        [cx - hx, cy + hy],
    ]
}

/// A slab of unit height (world y −0.5..0.5; [`layout_layers`] scales and places it) with
/// the polygon `outline_mm` as its shape: the top ([`crate::polygon::triangulate`]) and the
/// walls, drawn from both sides (they face the camera whatever the outline's winding); no
/// bottom.
fn slab_mesh(frame: &SceneFrame, outline_mm: &[[f64; 2]]) -> Mesh {
    let ring = crate::zones::open_ring(outline_mm);
    let world: Vec<(f32, f32)> = ring.iter().map(|p| frame.world_xz(p[0], p[1])).collect();
    let mut positions: Vec<[f32; 3]> = world.iter().map(|&(x, z)| [x, 0.5, z]).collect();
    let mut indices: Vec<u32> = crate::polygon::triangulate(ring)
        .into_iter()
        .flatten()
        .collect();
    let n = world.len();
    for i in 0..n {
        let ((ax, az), (bx, bz)) = (world[i], world[(i + 1) % n]);
        let b = positions.len() as u32;
        positions.extend([[ax, -0.5, az], [bx, -0.5, bz], [bx, 0.5, bz], [ax, 0.5, az]]);
        indices.extend([
            b,
            b + 1,
            b + 2,
            b,
            b + 2,
            b + 3,
            b,
            b + 2,
            b + 1,
            b,
            b + 3,
            b + 2,
        ]);
    }
    let count = positions.len();
    Mesh::new(
        PrimitiveTopology::TriangleList,
        RenderAssetUsages::default(),
    )
    .with_inserted_attribute(Mesh::ATTRIBUTE_POSITION, positions)
    .with_inserted_attribute(Mesh::ATTRIBUTE_NORMAL, vec![[0.0f32, 1.0, 0.0]; count])
    .with_inserted_attribute(Mesh::ATTRIBUTE_UV_0, vec![[0.0f32, 0.0]; count])
    .with_inserted_indices(Indices::U32(indices))
}

fn layout_layers(
    settings: Res<ViewSettings>,
    data: Res<ReplayData>,
    mut slabs: Query<(&LayerSlab, &mut Transform)>,
    mut laid_out: Local<Option<f32>>,
) {
    if *laid_out == Some(settings.exaggeration) {
        return;
    }
    *laid_out = Some(settings.exaggeration);
    let stack = block_slabs(&data.0.meta.setup.layers_um, settings.exaggeration);
    for (slab, mut t) in &mut slabs {
        let Some(s) = stack.iter().find(|s| s.layer == slab.0) else {
            continue;
        };
        let h = s.height.max(1e-4);
        t.translation = Vec3::new(0.0, s.top - h / 2.0, 0.0);
        t.scale = Vec3::new(1.0, h, 1.0);
    }
}

fn move_pen(
    cursor: Res<Cursor>,
    settings: Res<ViewSettings>,
    frame: Res<SceneFrame>,
    mut pen: Query<(&mut Transform, &mut Visibility), With<Pen>>,
) {
    if !cursor.is_changed() && !settings.is_changed() {
        return;
    }
    for (mut t, mut vis) in &mut pen {
        match cursor.pen_mm {
            Some([x, y]) if settings.show_pen => {
                let (wx, wz) = frame.world_xz(f64::from(x), f64::from(y));
                let lift = if cursor.pen_contact { 0.3 } else { 4.0 };
                t.translation = Vec3::new(wx, lift + PEN_LENGTH_MM / 2.0, wz);
                *vis = Visibility::Inherited;
            }
            _ => *vis = Visibility::Hidden,
        }
    }
}

/// Keep the cloud's mesh at [`lod::drawn_range`] and set the shader's cursor and
/// window-start times.
fn update_points(
    cursor: Res<Cursor>,
    settings: Res<ViewSettings>,
    data: Res<ReplayData>,
    frame: Res<SceneFrame>,
    mut clouds: Query<(&mut PunctureCloud, &mut Visibility)>,
    mut meshes: ResMut<Assets<Mesh>>,
    mut materials: ResMut<Assets<PunctureMaterial>>,
) {
    if !cursor.is_changed() && !settings.is_changed() {
        return;
    }
    let p = &data.0.punctures;
    let window = lod::window(cursor.visible_punctures, lod::WINDOW_PUNCTURES);
    let window_start_s = p.t_us.get(window.start).map_or(0.0, |&t| t_s_f32(t));
    let frame = *frame;
    for (mut cloud, mut vis) in &mut clouds {
        vis.set_if_neq(if settings.show_punctures && !window.is_empty() {
            Visibility::Inherited
        } else {
            Visibility::Hidden
        });
        let want = lod::drawn_range(cursor.visible_punctures, p.len());
        if cloud.drawn != want {
            let mesh = puncture_mesh(p, want.clone(), |x, y| {
                frame.world_xz(f64::from(x), f64::from(y))
            });
            // The handle is the cloud's own: replacing its asset cannot fail.
            let _ = meshes.insert(cloud.mesh.id(), mesh);
            cloud.drawn = want;
        }
        if let Some(mut m) = materials.get_mut(&cloud.material) {
            m.params.x = t_s_f32(cursor.t_us);
            m.params.z = if settings.show_punctures { 1.0 } else { 0.0 };
            m.params.w = window_start_s;
        }
    }
}

fn upload_heat(
    heat: Option<ResMut<Heat>>,
    data: Res<ReplayData>,
    settings: Res<ViewSettings>,
    mut quads: Query<(&HeatMapQuad, &mut Visibility)>,
    mut images: ResMut<Assets<Image>>,
    mut materials: ResMut<Assets<FlatMaterial>>,
) {
    let Some(mut heat) = heat else { return };
    for (quad, mut vis) in &mut quads {
        let want = if settings.show_heat {
            Visibility::Inherited
        } else {
            Visibility::Hidden
        };
        vis.set_if_neq(want);
        if !heat.dirty {
            continue;
        }
        if let Some(mut image) = images.get_mut(&quad.image) {
            image.data = Some(
                heat.grid
                    .to_rgba8_with(&data.0.density_scale, data.0.face_map.is_some()),
            );
        }
        // Touch the material so its bind group picks up the new texture.
        if let Some(material) = materials.get_mut(&quad.material) {
            material.into_inner();
        }
    }
    heat.dirty = false;
}

fn show_markers(cursor: Res<Cursor>, mut markers: Query<(&ViolationMarker, &mut Visibility)>) {
    if !cursor.is_changed() {
        return;
    }
    for (m, mut vis) in &mut markers {
        let want = if m.0 < cursor.visible_violations {
            Visibility::Inherited
        } else {
            Visibility::Hidden
        };
        vis.set_if_neq(want);
    }
}
