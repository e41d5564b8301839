//! The 3D scene: the tissue block, the puncture cloud (recent punctures one by one, older
//! ones through the heat map: [`crate::lod`]), the pen and the violation markers. All
//! materials are unlit so colours on screen are the colours of the legend.
//!
//! The block is two draws, whatever the number of layers and zones: its walls, one band per
//! layer present at the site (thickness × exaggeration, and under them the floor as a band of
//! a fixed thickness, see [`crate::column`]) coloured per vertex, and its top, the skin's
//! surface ([`super::skin::SkinMaterial`]: the top layer's colour under the zone tint under
//! the heat map). Its outline is the face map's outline, else the treated area's box.

use super::block::{Block, block_mesh};
use super::flat::{FlatMaterial, FlatPlugin};
use super::points::{PointsPlugin, PunctureMaterial, puncture_mesh, t_s_f32};
use super::skin::{SkinMaterial, SkinPlugin};
use super::zones::ZonesPlugin;
use super::{Cursor, Heat, ReplayData, ReplaySet, ViewSettings};
use crate::column::block_slabs;
use crate::lod;
use crate::palette::MARKER_SRGB;
use crate::zones::ZoneTint;
use bevy::asset::RenderAssetUsages;
use bevy::camera::visibility::NoFrustumCulling;
use bevy::image::ImageSampler;
use bevy::prelude::*;
use bevy::render::render_resource::{Extent3d, TextureDimension, TextureFormat};

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

/// The pen.
#[derive(Component, Debug)]
pub struct Pen;

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
        app.add_plugins((PointsPlugin, FlatPlugin, SkinPlugin, ZonesPlugin))
            .insert_resource(frame)
            .insert_resource(ClearColor(Color::srgb(0.12, 0.13, 0.15)))
            .add_systems(Startup, spawn_scene)
            .add_systems(
                Update,
                (
                    rebuild_block,
                    move_pen,
                    update_points,
                    update_surface,
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

#[allow(clippy::too_many_arguments)] // a startup system: one parameter per asset store
fn spawn_scene(
    mut commands: Commands,
    data: Res<ReplayData>,
    frame: Res<SceneFrame>,
    settings: Res<ViewSettings>,
    heat: Option<Res<Heat>>,
    mut meshes: ResMut<Assets<Mesh>>,
    mut materials: ResMut<Assets<FlatMaterial>>,
    mut skin_materials: ResMut<Assets<SkinMaterial>>,
    mut point_materials: ResMut<Assets<PunctureMaterial>>,
    mut images: ResMut<Assets<Image>>,
) {
    let replay = &data.0;
    let outline = slab_outline(replay, &frame);
    let heat_image = match &heat {
        Some(heat) => {
            let g = &heat.grid;
            texture(
                [g.cols, g.rows],
                g.to_rgba8_with(&replay.density_scale, replay.face_map.is_some()),
            )
        }
        None => texture([1, 1], vec![0; 4]),
    };
    let (tint, zone_image) = match replay.face_map.as_ref().map(ZoneTint::new) {
        Some(t) => (Some(t.grid), texture([t.grid.cols, t.grid.rows], t.rgba8)),
        None => (None, texture([1, 1], vec![0; 4])),
    };
    let heat_image = images.add(heat_image);
    let mut material = SkinMaterial {
        show: Vec4::ZERO,
        heat: heat_image.clone(),
        zones: images.add(zone_image),
    };
    material.set_shown(true, true);
    let material = skin_materials.add(material);
    let exaggeration = settings.exaggeration;
    let slabs = block_slabs(&replay.meta.setup.layers_um, exaggeration);
    let mesh = block_mesh(
        &frame,
        &outline,
        &slabs,
        heat.as_ref().map(|h| &h.grid),
        tint.as_ref(),
    );
    commands.spawn((
        Block {
            heat: heat_image,
            material: material.clone(),
            exaggeration,
            tint,
        },
        Mesh3d(meshes.add(mesh)),
        MeshMaterial3d(material),
        Transform::default(),
    ));

    let cloud_material = point_materials.add(PunctureMaterial {
        params: Vec4::new(-1.0, replay.depth_scale.max as f32, 1.0, 0.0),
    });
    let cloud_mesh = meshes.add(puncture_mesh(&replay.punctures, 0..0, 1.0, |x, y| (x, y)));
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

/// An sRGB RGBA8 texture of `size` texels (row 0 at min y), sampled nearest.
fn texture(size: [usize; 2], rgba8: Vec<u8>) -> Image {
    let mut image = Image::new(
        Extent3d {
            width: size[0] as u32,
            height: size[1] as u32,
            depth_or_array_layers: 1,
        },
        TextureDimension::D2,
        rgba8,
        TextureFormat::Rgba8UnormSrgb,
        RenderAssetUsages::default(),
    );
    image.sampler = ImageSampler::nearest();
    image
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

/// Rebuild the block's mesh when the exaggeration changes (a new asset, not one replaced in
/// place: the old one is freed when its handle drops).
fn rebuild_block(
    settings: Res<ViewSettings>,
    data: Res<ReplayData>,
    frame: Res<SceneFrame>,
    heat: Option<Res<Heat>>,
    mut blocks: Query<(&mut Block, &mut Mesh3d)>,
    mut meshes: ResMut<Assets<Mesh>>,
) {
    for (mut block, mut mesh3d) in &mut blocks {
        if block.exaggeration.to_bits() == settings.exaggeration.to_bits() {
            continue;
        }
        block.exaggeration = settings.exaggeration;
        let replay = &data.0;
        let slabs = block_slabs(&replay.meta.setup.layers_um, settings.exaggeration);
        mesh3d.0 = meshes.add(block_mesh(
            &frame,
            &slab_outline(replay, &frame),
            &slabs,
            heat.as_ref().map(|h| &h.grid),
            block.tint.as_ref(),
        ));
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
    mut clouds: Query<(&mut PunctureCloud, &mut Mesh3d, &mut Visibility)>,
    mut meshes: ResMut<Assets<Mesh>>,
    mut materials: ResMut<Assets<PunctureMaterial>>,
) {
    if !cursor.is_changed() && !settings.is_changed() {
        return;
    }
    let p = &data.0.punctures;
    let window = lod::window(cursor.visible_punctures, lod::WINDOW_PUNCTURES);
    let window_start_s = p.t_us.get(window.start).map_or(0.0, |&t| t_s_f32(t));
    let depth_max_um = data.0.depth_scale.max as f32;
    let frame = *frame;
    for (mut cloud, mut mesh3d, mut vis) in &mut clouds {
        vis.set_if_neq(if settings.show_punctures && !window.is_empty() {
            Visibility::Inherited
        } else {
            Visibility::Hidden
        });
        let want = lod::drawn_range(cursor.visible_punctures, p.len());
        if cloud.drawn != want {
            let mesh = puncture_mesh(p, want.clone(), depth_max_um, |x, y| {
                frame.world_xz(f64::from(x), f64::from(y))
            });
            // A new asset, not one replaced in place (bevy's mesh allocator logged a
            // use-after-free for a render-world-only mesh replaced under the same id); the
            // old one is freed when its handle drops.
            cloud.mesh = meshes.add(mesh);
            mesh3d.0 = cloud.mesh.clone();
            cloud.drawn = want;
        }
        if let Some(mut m) = materials.get_mut(&cloud.material) {
            m.params.x = t_s_f32(cursor.t_us);
            m.params.z = if settings.show_punctures { 1.0 } else { 0.0 };
            m.params.w = window_start_s;
        }
    }
}

/// Keep the surface's heat texture at the heat grid, and what it shows at the settings.
fn update_surface(
    mut heat: Option<ResMut<Heat>>,
    data: Res<ReplayData>,
    settings: Res<ViewSettings>,
    blocks: Query<&Block>,
    mut images: ResMut<Assets<Image>>,
    mut materials: ResMut<Assets<SkinMaterial>>,
) {
    // The heat grid's new pixels, when they changed (then the flag is cleared).
    let pixels = heat.as_mut().filter(|h| h.dirty).map(|h| {
        h.dirty = false;
        h.grid
            .to_rgba8_with(&data.0.density_scale, data.0.face_map.is_some())
    });
    if pixels.is_none() && !settings.is_changed() {
        return;
    }
    let zones = settings.show_zones && data.0.face_map.is_some();
    for block in &blocks {
        if let (Some(pixels), Some(mut image)) = (&pixels, images.get_mut(&block.heat)) {
            image.data = Some(pixels.clone());
        }
        // Touching the material also makes its bind group pick up the new texture.
        if let Some(mut m) = materials.get_mut(&block.material) {
            m.set_shown(settings.show_heat, zones);
        }
    }
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
