//! Off-screen rendering: no window and no windowing system — the camera renders into an
//! image, which is read back (`Screenshot::image`). Used by `--screenshot` and the frame-time
//! bench; needs a Vulkan (or other wgpu) adapter, e.g. Mesa's lavapipe on a machine without
//! a GPU.
//!
//! With [`Panels::Shown`] the egui panels (transport bar, scrub bar and plots, the right-hand
//! panel with the legend, cross-section inset and verdicts) are drawn into the same image as
//! the interactive window shows them: the off-screen camera carries the primary egui context
//! (bevy_egui attaches it to the first camera, whatever its render target), so egui paints
//! over the 3D view in the camera's own render pass and the capture holds both.

use super::camera::{CameraPlugin, ViewPreset, camera_bundle};
use super::scene::ScenePlugin;
use super::ui::UiPlugin;
use super::{LiveClock, ReplayPlugin};
use crate::data::Replay;
use bevy::camera::RenderTarget;
use bevy::prelude::*;
use bevy::render::RenderPlugin;
use bevy::render::render_resource::TextureFormat;
use bevy::render::view::screenshot::{Screenshot, ScreenshotCaptured};
use bevy::window::ExitCondition;
use bevy::winit::WinitPlugin;
use std::path::Path;
use std::sync::{Arc, Mutex};

/// Frames rendered before the capture (meshes and textures uploaded, pipelines compiled).
pub const WARM_UP_FRAMES: u32 = 6;

/// Most frames to wait for the capture to come back.
pub const MAX_FRAMES: u32 = 600;

/// What can go wrong rendering off-screen.
#[derive(Debug, thiserror::Error)]
pub enum ShotError {
    /// No frame came back (no usable adapter, or rendering stalled).
    #[error(
        "no frame came back after {0} frames (is there a Vulkan/GL adapter? try WGPU_BACKEND=vulkan with mesa-vulkan-drivers)"
    )]
    NoFrame(u32),
    /// The captured frame could not be converted or written.
    #[error("cannot write {path}: {detail}")]
    Write {
        /// Output file.
        path: String,
        /// Why.
        detail: String,
    },
}

/// Whether an off-screen frame shows the egui panels over the 3D view.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Panels {
    /// The 3D view and the panels, as in the window.
    Shown,
    /// The 3D view alone (`--no-panels`).
    Hidden,
}

/// The image the off-screen camera renders into.
#[derive(Resource, Debug, Clone)]
pub struct OffscreenTarget(pub Handle<Image>);

/// A headless app showing `replay` at `at_s` into a `size` image from `preset` (with the
/// egui panels or not), with pipelines compiled synchronously (lavapipe compiles slowly;
/// asynchronous compilation gives black frames). `replay = None` gives an empty scene
/// (camera only, no panels), for the bench.
pub fn headless_app(
    replay: Option<Arc<Replay>>,
    at_s: f64,
    size: UVec2,
    preset: ViewPreset,
    panels: Panels,
) -> App {
    let mut app = App::new();
    app.add_plugins(
        DefaultPlugins
            .set(WindowPlugin {
                primary_window: None,
                exit_condition: ExitCondition::DontExit,
                ..default()
            })
            .set(RenderPlugin {
                synchronous_pipeline_compilation: true,
                ..default()
            })
            .disable::<WinitPlugin>(),
    );
    if let Some(replay) = replay {
        app.add_plugins(ReplayPlugin {
            replay,
            at_s: Some(at_s),
        })
        .add_plugins(ScenePlugin)
        .add_plugins(CameraPlugin {
            preset,
            interactive: false,
        });
        if panels == Panels::Shown {
            app.add_plugins(UiPlugin);
        }
    }
    app.insert_resource(LiveClock(false));
    let target = {
        let mut images = app.world_mut().resource_mut::<Assets<Image>>();
        let image = Image::new_target_texture(
            size.x.max(1),
            size.y.max(1),
            TextureFormat::Rgba8UnormSrgb,
            None,
        );
        images.add(image)
    };
    app.insert_resource(OffscreenTarget(target.clone()));
    app.world_mut().spawn((
        camera_bundle(),
        RenderTarget::Image(target.into()),
        Transform::from_xyz(0.0, 40.0, 60.0).looking_at(Vec3::ZERO, Vec3::Y),
    ));
    app
}

/// Finish a built app's plugins so `update` can be called by hand.
pub fn start(app: &mut App) {
    while app.plugins_state() == bevy::app::PluginsState::Adding {
        bevy::tasks::tick_global_task_pools_on_main_thread();
    }
    app.finish();
    app.cleanup();
}

/// Render `app` (from [`headless_app`]) and return the frame as tightly packed RGBA8 rows.
pub fn capture(app: &mut App) -> Result<(UVec2, Vec<u8>), ShotError> {
    start(app);
    for _ in 0..WARM_UP_FRAMES {
        app.update();
    }
    let slot: Arc<Mutex<Option<Image>>> = Arc::default();
    let sink = slot.clone();
    let target = app.world().resource::<OffscreenTarget>().0.clone();
    app.world_mut()
        .spawn(Screenshot::image(target))
        .observe(move |ev: On<ScreenshotCaptured>| {
            if let Ok(mut s) = sink.lock() {
                *s = Some(ev.image.clone());
            }
        });
    for frame in 0..MAX_FRAMES {
        app.update();
        let got = slot.lock().ok().and_then(|mut s| s.take());
        if let Some(image) = got {
            let size = image.size();
            let dynamic = image.try_into_dynamic().map_err(|e| ShotError::Write {
                path: String::new(),
                detail: e.to_string(),
            })?;
            return Ok((size, dynamic.to_rgba8().into_raw()));
        }
        let _ = frame;
    }
    Err(ShotError::NoFrame(MAX_FRAMES))
}

/// Render one frame of `replay` at `at_s` (with the panels or not) and write it to `path`
/// (PNG).
pub fn screenshot(
    replay: Arc<Replay>,
    at_s: f64,
    size: UVec2,
    preset: ViewPreset,
    panels: Panels,
    path: &Path,
) -> Result<(), ShotError> {
    if let Some(slot) = &replay.score {
        // the score panel is part of the picture: wait for the score
        slot.wait();
    }
    let mut app = headless_app(Some(replay), at_s, size, preset, panels);
    let (size, rgba) = capture(&mut app)?;
    let write_err = |detail: String| ShotError::Write {
        path: path.display().to_string(),
        detail,
    };
    let image = Image::new(
        bevy::render::render_resource::Extent3d {
            width: size.x,
            height: size.y,
            depth_or_array_layers: 1,
        },
        bevy::render::render_resource::TextureDimension::D2,
        rgba,
        TextureFormat::Rgba8UnormSrgb,
        bevy::asset::RenderAssetUsages::default(),
    );
    let dynamic = image
        .try_into_dynamic()
        .map_err(|e| write_err(e.to_string()))?;
    dynamic
        .to_rgb8()
        .save(path)
        .map_err(|e| write_err(e.to_string()))
}
