//! The zone overlay of a recording made on a face map: each zone filled with its colour
//! ([`crate::zones::zone_srgb`]) just above the skin, its outline in a darker shade, and its
//! caption (label and recommended depth) written by egui at the zone's centroid projected
//! through the camera. Z hides and shows it ([`super::ViewSettings::show_zones`]). Without a
//! face map nothing is spawned.

use super::camera::ViewerCamera;
use super::flat::FlatMaterial;
use super::scene::SceneFrame;
use super::{ReplayData, ReplaySet, ViewSettings};
use crate::polygon::triangulate;
use crate::zones::{open_ring, zone_caption, zone_line_srgb, zone_srgb};
use bevy::asset::RenderAssetUsages;
use bevy::mesh::{Indices, PrimitiveTopology};
use bevy::prelude::*;
use bevy_egui::egui;

/// Height of the zone fills above the skin surface (under the heat map at 0.02), world units.
const FILL_Y: f32 = 0.01;
/// Height of the zone outlines (over the heat map).
const LINE_Y: f32 = 0.04;

/// A zone's fill or outline: the index of its zone in the face map.
#[derive(Component, Debug, Clone, Copy)]
pub struct ZoneOverlay(pub usize);

/// Spawns the overlay and keeps its visibility at the setting.
pub struct ZonesPlugin;

impl Plugin for ZonesPlugin {
    fn build(&self, app: &mut App) {
        app.add_systems(Startup, spawn_zones)
            .add_systems(Update, show_zones.in_set(ReplaySet::Apply));
    }
}

fn spawn_zones(
    mut commands: Commands,
    data: Res<ReplayData>,
    frame: Res<SceneFrame>,
    mut meshes: ResMut<Assets<Mesh>>,
    mut materials: ResMut<Assets<FlatMaterial>>,
) {
    let Some(map) = &data.0.face_map else { return };
    for (i, zone) in map.zones.iter().enumerate() {
        let [r, g, b] = zone_srgb(i);
        commands.spawn((
            ZoneOverlay(i),
            Mesh3d(meshes.add(fill_mesh(&frame, &zone.outline_mm))),
            MeshMaterial3d(materials.add(FlatMaterial::opaque(Color::srgb(r, g, b)))),
            Transform::default(),
        ));
        let [r, g, b] = zone_line_srgb(i);
        commands.spawn((
            ZoneOverlay(i),
            Mesh3d(meshes.add(line_mesh(&frame, &zone.outline_mm))),
            MeshMaterial3d(materials.add(FlatMaterial::opaque(Color::srgb(r, g, b)))),
            Transform::default(),
        ));
    }
}

/// The zone's polygon as one mesh at [`FILL_Y`], facing up.
fn fill_mesh(frame: &SceneFrame, outline_mm: &[[f64; 2]]) -> Mesh {
    let ring = open_ring(outline_mm);
    let positions: Vec<[f32; 3]> = ring
        .iter()
        .map(|p| {
            let (wx, wz) = frame.world_xz(p[0], p[1]);
            [wx, FILL_Y, wz]
        })
        .collect();
    let indices = triangulate(ring).into_iter().flatten().collect();
    let n = positions.len();
    Mesh::new(
        PrimitiveTopology::TriangleList,
        RenderAssetUsages::default(),
    )
    .with_inserted_attribute(Mesh::ATTRIBUTE_POSITION, positions)
    .with_inserted_attribute(Mesh::ATTRIBUTE_NORMAL, vec![[0.0f32, 1.0, 0.0]; n])
    .with_inserted_attribute(Mesh::ATTRIBUTE_UV_0, vec![[0.0f32, 0.0]; n])
    .with_inserted_indices(Indices::U32(indices))
}

/// The zone's outline as a closed line list at [`LINE_Y`].
fn line_mesh(frame: &SceneFrame, outline_mm: &[[f64; 2]]) -> Mesh {
    let positions: Vec<[f32; 3]> = open_ring(outline_mm)
        .iter()
        .map(|p| {
            let (wx, wz) = frame.world_xz(p[0], p[1]);
            [wx, LINE_Y, wz]
        })
        .collect();
    let n = positions.len() as u32;
    let indices = (0..n).flat_map(|i| [i, (i + 1) % n]).collect();
    Mesh::new(PrimitiveTopology::LineList, RenderAssetUsages::default())
        .with_inserted_attribute(Mesh::ATTRIBUTE_NORMAL, vec![[0.0f32, 1.0, 0.0]; n as usize])
        .with_inserted_attribute(Mesh::ATTRIBUTE_UV_0, vec![[0.0f32, 0.0]; n as usize])
        .with_inserted_attribute(Mesh::ATTRIBUTE_POSITION, positions)
        .with_inserted_indices(Indices::U32(indices))
}

fn show_zones(
    settings: Res<ViewSettings>,
    mut overlays: Query<&mut Visibility, With<ZoneOverlay>>,
) {
    if !settings.is_changed() {
        return;
    }
    let want = if settings.show_zones {
        Visibility::Inherited
    } else {
        Visibility::Hidden
    };
    for mut vis in &mut overlays {
        vis.set_if_neq(want);
    }
}

/// Write each zone's caption at its centroid, on egui's background layer (the panels,
/// painted after, cover captions under them). Called from the egui pass before the panels.
pub(super) fn paint_captions(
    ctx: &egui::Context,
    data: &ReplayData,
    settings: &ViewSettings,
    frame: &SceneFrame,
    camera: Option<(&Camera, &GlobalTransform)>,
) {
    let (Some(map), Some((camera, at)), true) = (&data.0.face_map, camera, settings.show_zones)
    else {
        return;
    };
    let painter = ctx.layer_painter(egui::LayerId::background());
    for (i, zone) in map.zones.iter().enumerate() {
        let [x, y] = zone.centroid_mm();
        let (wx, wz) = frame.world_xz(x, y);
        let Ok(p) = camera.world_to_viewport(at, Vec3::new(wx, LINE_Y, wz)) else {
            continue;
        };
        let [r, g, b] = crate::palette::srgb8(zone_line_srgb(i));
        painter.text(
            egui::pos2(p.x, p.y),
            egui::Align2::CENTER_CENTER,
            zone_caption(zone),
            egui::FontId::proportional(13.0),
            egui::Color32::from_rgb(r, g, b),
        );
    }
}

/// The viewer camera, for [`paint_captions`].
pub(super) type CameraQuery<'w, 's> =
    Query<'w, 's, (&'static Camera, &'static GlobalTransform), With<ViewerCamera>>;
