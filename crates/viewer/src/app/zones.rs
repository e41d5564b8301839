//! The zone overlay of a recording made on a face map: each zone's outline in a darker shade
//! of its colour just above the skin, and its caption (label and recommended depth) written by
//! egui at the zone's centroid projected through the camera. The fills are the skin surface's
//! zone tint ([`crate::zones::ZoneTint`], drawn by [`super::skin::SkinMaterial`]). Z hides and
//! shows them all ([`super::ViewSettings::show_zones`]). Without a face map nothing is spawned.

use super::camera::ViewerCamera;
use super::flat::FlatMaterial;
use super::scene::SceneFrame;
use super::{ReplayData, ReplaySet, ViewSettings};
use crate::zones::{open_ring, zone_caption, zone_line_srgb};
use bevy::asset::RenderAssetUsages;
use bevy::mesh::{Indices, PrimitiveTopology};
use bevy::prelude::*;
use bevy_egui::egui;

/// Height of the zone outlines above the skin surface, world units (mm).
const LINE_Y: f32 = 0.04;

/// The zone outlines: one line-list mesh, each zone's ring in its own shade (per vertex).
#[derive(Component, Debug, Clone, Copy)]
pub struct ZoneOutlines;

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
    let rings: Vec<&[[f64; 2]]> = map.zones.iter().map(|z| z.outline_mm.as_slice()).collect();
    commands.spawn((
        ZoneOutlines,
        Mesh3d(meshes.add(outlines_mesh(&frame, &rings))),
        MeshMaterial3d(materials.add(FlatMaterial::opaque(Color::WHITE))),
        Transform::default(),
    ));
}

/// Every zone's outline as closed rings of one line list at [`LINE_Y`], ring `i` in
/// [`zone_line_srgb`]`(i)` (linear, per vertex).
fn outlines_mesh(frame: &SceneFrame, rings: &[&[[f64; 2]]]) -> Mesh {
    let mut positions: Vec<[f32; 3]> = Vec::new();
    let mut colours: Vec<[f32; 4]> = Vec::new();
    let mut indices: Vec<u32> = Vec::new();
    for (i, ring) in rings.iter().enumerate() {
        let [r, g, b] = zone_line_srgb(i);
        let colour = Color::srgb(r, g, b).to_linear().to_f32_array();
        let ring = open_ring(ring);
        let first = positions.len() as u32;
        let n = ring.len() as u32;
        for p in ring {
            let (wx, wz) = frame.world_xz(p[0], p[1]);
            positions.push([wx, LINE_Y, wz]);
            colours.push(colour);
        }
        indices.extend((0..n).flat_map(|k| [first + k, first + (k + 1) % n]));
    }
    let n = positions.len();
    Mesh::new(PrimitiveTopology::LineList, RenderAssetUsages::default())
        .with_inserted_attribute(Mesh::ATTRIBUTE_POSITION, positions)
        .with_inserted_attribute(Mesh::ATTRIBUTE_NORMAL, vec![[0.0f32, 1.0, 0.0]; n])
        .with_inserted_attribute(Mesh::ATTRIBUTE_COLOR, colours)
        .with_inserted_indices(Indices::U32(indices))
}

fn show_zones(
    settings: Res<ViewSettings>,
    mut overlays: Query<&mut Visibility, With<ZoneOutlines>>,
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
