//! The camera: orbit (left drag), pan (right or middle drag), zoom (wheel), and presets for
//! a top, side and cross-section view. [`Orbit`] is the state; the camera's transform is a
//! pure function of it ([`Orbit::transform`]).

use super::InputBlock;
use super::scene::SceneFrame;
use bevy::core_pipeline::tonemapping::{DebandDither, Tonemapping};
use bevy::input::mouse::{AccumulatedMouseMotion, AccumulatedMouseScroll};
use bevy::prelude::*;
use bevy::render::view::NoIndirectDrawing;
use std::f32::consts::FRAC_PI_2;

/// Camera presets.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum ViewPreset {
    /// Three-quarter view from the front right, above.
    #[default]
    Perspective,
    /// Straight down onto the treated area.
    Top,
    /// Level with the skin, looking at the cut face (layers at their thicknesses).
    Side,
    /// Close to the cut face, slightly above: the layers and the surface together.
    Section,
}

impl ViewPreset {
    /// Parse `perspective`, `top`, `side`, `section`.
    pub fn from_name(name: &str) -> Option<ViewPreset> {
        match name {
            "perspective" => Some(ViewPreset::Perspective),
            "top" => Some(ViewPreset::Top),
            "side" => Some(ViewPreset::Side),
            "section" => Some(ViewPreset::Section),
            _ => None,
        }
    }
}

/// Orbit state: the camera looks at `target` from `distance`, turned by `yaw` about +Y and
/// tilted by `pitch` (negative = looking down).
#[derive(Resource, Debug, Clone, Copy, PartialEq)]
pub struct Orbit {
    /// Point looked at (world).
    pub target: Vec3,
    /// Radians about +Y.
    pub yaw: f32,
    /// Radians; −π/2 is straight down.
    pub pitch: f32,
    /// Distance from the target, world units (mm).
    pub distance: f32,
}

impl Orbit {
    /// The preset's orbit for a block of half size `half_mm` and depth `depth` (floor slab
    /// included).
    pub fn preset(preset: ViewPreset, half_mm: [f32; 2], depth: f32) -> Orbit {
        let size = half_mm[0].max(half_mm[1]) * 2.0;
        match preset {
            ViewPreset::Perspective => Orbit {
                target: Vec3::new(0.0, -depth * 0.5, 0.0),
                yaw: 0.6,
                pitch: -0.6,
                distance: (size * 1.6).max(depth * 3.0),
            },
            ViewPreset::Top => Orbit {
                target: Vec3::ZERO,
                yaw: 0.0,
                pitch: -FRAC_PI_2 + 1e-3,
                distance: size * 1.25,
            },
            ViewPreset::Side => Orbit {
                target: Vec3::new(0.0, -depth * 0.5, half_mm[1]),
                yaw: 0.0,
                pitch: 0.0,
                // A deep column (body sites: thick muscle over the floor) stays in frame.
                distance: (size * 1.3).max(depth * 2.0),
            },
            ViewPreset::Section => Orbit {
                target: Vec3::new(0.0, -depth * 0.4, half_mm[1]),
                yaw: 0.25,
                pitch: -0.3,
                distance: (depth * 3.0).max(size * 0.5),
            },
        }
    }

    /// The camera transform for this orbit.
    pub fn transform(&self) -> Transform {
        let rotation = Quat::from_euler(EulerRot::YXZ, self.yaw, self.pitch, 0.0);
        let mut t = Transform::from_rotation(rotation);
        t.translation = self.target - t.forward() * self.distance;
        t
    }

    /// Orbit by a mouse delta in pixels.
    pub fn rotate(&mut self, delta_px: Vec2) {
        self.yaw -= delta_px.x * 0.005;
        self.pitch = (self.pitch - delta_px.y * 0.005).clamp(-FRAC_PI_2 + 1e-3, FRAC_PI_2 - 1e-3);
    }

    /// Pan by a mouse delta in pixels (scaled with the distance).
    pub fn pan(&mut self, delta_px: Vec2) {
        let t = self.transform();
        let k = self.distance * 0.0015;
        self.target += (t.left() * delta_px.x + t.up() * delta_px.y) * k;
    }

    /// Zoom by wheel lines (positive = closer).
    pub fn zoom(&mut self, lines: f32) {
        self.distance = (self.distance * 0.9f32.powf(lines)).clamp(0.5, 5_000.0);
    }
}

/// A request to jump the camera to a preset.
#[derive(Resource, Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct PresetRequest(pub Option<ViewPreset>);

/// Marks the viewer's camera.
#[derive(Component, Debug)]
pub struct ViewerCamera;

/// Spawns the camera (into the window, or onto `target` off-screen) and drives it.
pub struct CameraPlugin {
    /// First view.
    pub preset: ViewPreset,
    /// Mouse control (off for screenshots and benches).
    pub interactive: bool,
}

impl Plugin for CameraPlugin {
    fn build(&self, app: &mut App) {
        app.insert_resource(PresetRequest(Some(self.preset)))
            .add_systems(Update, apply_orbit.after(super::ReplaySet::Derive));
        if self.interactive {
            app.add_systems(Update, mouse_orbit.before(apply_orbit));
        }
    }
}

/// The components every viewer camera gets: exact colours (no tonemapping, no dithering,
/// no MSAA, so one-pixel punctures keep their colour), and direct draws (no indirect
/// drawing: the scene is a handful of meshes, for which the GPU culling and indirect-draw
/// passes cost more than they save; on a software adapter about 3 ms a frame).
pub fn camera_bundle() -> impl Bundle {
    (
        ViewerCamera,
        NoIndirectDrawing,
        Camera3d::default(),
        Tonemapping::None,
        DebandDither::Disabled,
        Msaa::Off,
    )
}

fn depth_of(data: &super::ReplayData, settings: &super::ViewSettings) -> f32 {
    crate::column::block_depth(&data.0.meta.setup.layers_um, settings.exaggeration)
}

fn apply_orbit(
    mut commands: Commands,
    mut request: ResMut<PresetRequest>,
    orbit: Option<ResMut<Orbit>>,
    frame: Res<SceneFrame>,
    data: Res<super::ReplayData>,
    settings: Res<super::ViewSettings>,
    mut cameras: Query<&mut Transform, With<ViewerCamera>>,
) {
    let next = match (request.0.take(), orbit) {
        (Some(p), _) => {
            let o = Orbit::preset(p, frame.half_mm, depth_of(&data, &settings));
            commands.insert_resource(o);
            o
        }
        (None, Some(o)) => {
            if !o.is_changed() {
                return;
            }
            *o
        }
        (None, None) => return,
    };
    for mut t in &mut cameras {
        *t = next.transform();
    }
}

fn mouse_orbit(
    block: Res<InputBlock>,
    buttons: Res<ButtonInput<MouseButton>>,
    motion: Res<AccumulatedMouseMotion>,
    scroll: Res<AccumulatedMouseScroll>,
    orbit: Option<ResMut<Orbit>>,
) {
    let Some(mut orbit) = orbit else { return };
    if block.pointer {
        return;
    }
    if motion.delta != Vec2::ZERO {
        if buttons.pressed(MouseButton::Left) {
            orbit.rotate(motion.delta);
        } else if buttons.any_pressed([MouseButton::Right, MouseButton::Middle]) {
            orbit.pan(motion.delta);
        }
    }
    if scroll.delta.y != 0.0 {
        orbit.zoom(scroll.delta.y.signum() * scroll.delta.y.abs().min(5.0));
    }
}
