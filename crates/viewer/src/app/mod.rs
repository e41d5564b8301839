//! The bevy side of the viewer.
//!
//! [`ReplayPlugin`] holds the replay state and the systems that need no renderer (clock,
//! keys, the derived [`Cursor`], the heat grid) — tested with `MinimalPlugins`.
//! [`scene::ScenePlugin`] draws; [`camera::CameraPlugin`] orbits; [`ui::UiPlugin`] is the egui
//! side (its right-hand panel in `info`); [`shot`] renders one frame off-screen.

pub mod block;
pub mod camera;
pub mod flat;
mod info;
pub mod points;
pub mod practice;
pub mod scene;
pub mod shot;
pub mod skin;
pub mod ui;
pub mod zones;

use crate::data::Replay;
use crate::heatmap::HeatGrid;
use crate::replay::{ReplayClock, Step};
use bevy::prelude::*;
use std::sync::Arc;

/// The loaded recording.
#[derive(Resource, Clone)]
pub struct ReplayData(pub Arc<Replay>);

/// The one replay clock.
#[derive(Resource, Debug, Clone)]
pub struct Clock(pub ReplayClock);

/// What the views show, derived from the clock each frame (a pure function of its time).
#[derive(Resource, Debug, Clone, Default, PartialEq)]
pub struct Cursor {
    /// Cursor time, µs.
    pub t_us: u64,
    /// Punctures at or before the cursor (a prefix of the time-sorted punctures).
    pub visible_punctures: usize,
    /// Violations at or before the cursor.
    pub visible_violations: usize,
    /// Pen position, mm.
    pub pen_mm: Option<[f32; 2]>,
    /// Whether the pen touches the skin.
    pub pen_contact: bool,
}

/// The heat grid, kept at [`Cursor::visible_punctures`]; `dirty` when its pixels changed.
#[derive(Resource, Debug, Clone)]
pub struct Heat {
    /// The grid.
    pub grid: HeatGrid,
    /// Set when counts changed since the texture was last written.
    pub dirty: bool,
}

/// Display settings the panels change.
#[derive(Resource, Debug, Clone, PartialEq)]
pub struct ViewSettings {
    /// Vertical exaggeration of the layer thicknesses (1 = real).
    pub exaggeration: f32,
    /// Show the density heat map.
    pub show_heat: bool,
    /// Show the puncture cloud.
    pub show_punctures: bool,
    /// Show the pen.
    pub show_pen: bool,
    /// Show the zone overlay (fills, outlines, captions) of a face-map recording.
    pub show_zones: bool,
}

impl Default for ViewSettings {
    fn default() -> Self {
        ViewSettings {
            exaggeration: 3.0,
            show_heat: true,
            show_punctures: true,
            show_pen: true,
            show_zones: true,
        }
    }
}

/// Set by the UI when egui is using the pointer or keyboard, so the scene ignores them.
#[derive(Resource, Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct InputBlock {
    /// egui wants the pointer.
    pub pointer: bool,
    /// egui wants the keyboard (typing a time).
    pub keyboard: bool,
}

/// Whether the clock advances with real time (interactive) or stays where it is put
/// (screenshots, benches, tests drive it directly).
#[derive(Resource, Debug, Clone, Copy, PartialEq, Eq)]
pub struct LiveClock(pub bool);

/// System sets, in order.
#[derive(SystemSet, Debug, Clone, PartialEq, Eq, Hash)]
pub enum ReplaySet {
    /// Keys and clock advance.
    Input,
    /// Cursor and heat grid.
    Derive,
    /// Scene updates from the cursor.
    Apply,
}

/// Replay state and the renderer-free systems.
pub struct ReplayPlugin {
    /// The recording.
    pub replay: Arc<Replay>,
    /// Start time, s (clamped to the recording).
    pub at_s: Option<f64>,
}

impl Plugin for ReplayPlugin {
    fn build(&self, app: &mut App) {
        let mut clock = ReplayClock::new(self.replay.duration_us);
        if let Some(at) = self.at_s {
            clock.seek_s(at);
        }
        let cell_mm = self.replay.density_cell_mm;
        let heat = HeatGrid::new(&self.replay.meta.setup.area, cell_mm)
            .or_else(|_| HeatGrid::new(&fallback_area(&self.replay), cell_mm.max(1.0)))
            .or_else(|_| HeatGrid::new(&[[0.0, 0.0], [1.0, 0.0], [1.0, 1.0]], 1.0));
        if let Ok(grid) = heat {
            app.insert_resource(Heat { grid, dirty: true });
        }
        app.insert_resource(ReplayData(self.replay.clone()))
            .insert_resource(Clock(clock))
            .init_resource::<Cursor>()
            .init_resource::<ViewSettings>()
            .init_resource::<InputBlock>()
            .init_resource::<ButtonInput<KeyCode>>()
            .insert_resource(LiveClock(true))
            .configure_sets(
                Update,
                (ReplaySet::Input, ReplaySet::Derive, ReplaySet::Apply).chain(),
            )
            .add_systems(
                Update,
                (keyboard, advance_clock).chain().in_set(ReplaySet::Input),
            )
            .add_systems(
                Update,
                (derive_cursor, update_heat)
                    .chain()
                    .in_set(ReplaySet::Derive),
            );
    }
}

/// The punctures' bounding box as an area, for recordings whose meta has no usable polygon.
fn fallback_area(replay: &Replay) -> Vec<[f64; 2]> {
    let p = &replay.punctures;
    let fold = |v: &[f32]| {
        v.iter().fold((f64::MAX, f64::MIN), |(lo, hi), &x| {
            (lo.min(f64::from(x)), hi.max(f64::from(x)))
        })
    };
    let (x0, x1) = fold(&p.x_mm);
    let (y0, y1) = fold(&p.y_mm);
    if x0 > x1 {
        return Vec::new();
    }
    vec![
        [x0, y0],
        [x1 + 1.0, y0],
        [x1 + 1.0, y1 + 1.0],
        [x0, y1 + 1.0],
    ]
}

/// Space, arrows (Shift/Alt), PageUp/PageDown (violations), +/- (speed), Home/End, Z (zone
/// overlay).
pub fn keyboard(
    keys: Res<ButtonInput<KeyCode>>,
    block: Res<InputBlock>,
    data: Res<ReplayData>,
    mut clock: ResMut<Clock>,
    mut settings: ResMut<ViewSettings>,
) {
    if block.keyboard {
        return;
    }
    if keys.just_pressed(KeyCode::KeyZ) {
        settings.show_zones = !settings.show_zones;
    }
    let clock = &mut clock.0;
    if keys.just_pressed(KeyCode::Space) {
        clock.toggle();
    }
    let step = if keys.any_pressed([KeyCode::ShiftLeft, KeyCode::ShiftRight]) {
        Step::Coarse
    } else if keys.any_pressed([KeyCode::AltLeft, KeyCode::AltRight]) {
        Step::Fine
    } else {
        Step::Normal
    };
    if keys.just_pressed(KeyCode::ArrowRight) {
        clock.step(step, true);
    }
    if keys.just_pressed(KeyCode::ArrowLeft) {
        clock.step(step, false);
    }
    if keys.just_pressed(KeyCode::PageDown) || keys.just_pressed(KeyCode::KeyN) {
        clock.next_violation(&data.0.violations);
    }
    if keys.just_pressed(KeyCode::PageUp) || keys.just_pressed(KeyCode::KeyP) {
        clock.prev_violation(&data.0.violations);
    }
    if keys.just_pressed(KeyCode::Equal) || keys.just_pressed(KeyCode::NumpadAdd) {
        clock.change_speed(true);
    }
    if keys.just_pressed(KeyCode::Minus) || keys.just_pressed(KeyCode::NumpadSubtract) {
        clock.change_speed(false);
    }
    if keys.just_pressed(KeyCode::Home) {
        clock.seek(clock.loop_range().map_or(0, |r| r.0));
    }
    if keys.just_pressed(KeyCode::End) {
        clock.seek(clock.loop_range().map_or(clock.duration_us(), |r| r.1));
    }
}

/// Advance a playing clock by the frame's real time.
pub fn advance_clock(time: Res<Time>, live: Res<LiveClock>, mut clock: ResMut<Clock>) {
    if live.0 {
        clock.0.advance(time.delta_secs_f64());
    }
}

/// Recompute the [`Cursor`] from the clock (only writes when something changed).
pub fn derive_cursor(clock: Res<Clock>, data: Res<ReplayData>, mut cursor: ResMut<Cursor>) {
    let replay = &data.0;
    let t_us = clock.0.t_us();
    let contact = replay
        .telemetry
        .index_at(t_us)
        .is_some_and(|i| replay.telemetry.skin_contact[i]);
    let next = Cursor {
        t_us,
        visible_punctures: replay.punctures.count_at(t_us),
        visible_violations: replay.violations.up_to(t_us).len(),
        pen_mm: replay.pen_at(t_us),
        pen_contact: contact,
    };
    cursor.set_if_neq(next);
}

/// Keep the heat grid at the visible punctures.
pub fn update_heat(cursor: Res<Cursor>, data: Res<ReplayData>, heat: Option<ResMut<Heat>>) {
    let Some(mut heat) = heat else { return };
    if heat.grid.visible() == cursor.visible_punctures {
        return;
    }
    let p = &data.0.punctures;
    let heat = &mut *heat;
    if heat
        .grid
        .set_visible(&p.x_mm, &p.y_mm, cursor.visible_punctures)
    {
        heat.dirty = true;
    }
}

/// Why a window cannot open here, from the environment `var` reads (`None`: it may). On
/// Linux and the BSDs a window needs an X11 or Wayland display: with neither `DISPLAY` nor
/// `WAYLAND_DISPLAY` set, winit would panic; this says so and what to do instead.
pub fn window_unavailable(var: impl Fn(&str) -> Option<std::ffi::OsString>) -> Option<String> {
    if !cfg!(any(
        target_os = "linux",
        target_os = "freebsd",
        target_os = "openbsd",
        target_os = "netbsd",
        target_os = "dragonfly"
    )) {
        return None;
    }
    let set = |name: &str| var(name).is_some_and(|v| !v.is_empty());
    if set("DISPLAY") || set("WAYLAND_DISPLAY") {
        return None;
    }
    Some(
        "no display to open a window on (neither DISPLAY nor WAYLAND_DISPLAY is set): run it \
         in a desktop session or under `xvfb-run`, or render a frame off-screen with \
         `--screenshot FILE.png` (no display needed)"
            .to_owned(),
    )
}

/// Open the interactive viewer window on `replay` at `at_s` and run until it is closed.
pub fn run_window(replay: Arc<Replay>, at_s: Option<f64>, preset: camera::ViewPreset) -> AppExit {
    let title = format!("needlebench viewer — {}", replay.meta.scenario.name);
    App::new()
        .add_plugins(DefaultPlugins.set(WindowPlugin {
            primary_window: Some(Window {
                title,
                resolution: (1600, 950).into(),
                ..default()
            }),
            ..default()
        }))
        .add_plugins(ReplayPlugin { replay, at_s })
        .add_plugins(scene::ScenePlugin)
        .add_plugins(camera::CameraPlugin {
            preset,
            interactive: true,
        })
        .add_plugins(ui::UiPlugin)
        .add_systems(Startup, |mut commands: Commands| {
            commands.spawn((
                camera::camera_bundle(),
                Transform::from_xyz(0.0, 40.0, 60.0),
            ));
        })
        .run()
}
