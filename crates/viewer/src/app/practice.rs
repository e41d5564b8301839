//! Practice mode's window: a top camera over the face map (face outline and zones drawn as
//! lines, the practised zone in its colour), the pen's path (pressed strokes bright, hovering
//! dim), and a panel with the help, the force, the time and the puncture count; when the
//! session ends, the score panel. Punctures are drawn as they happen, the most recent
//! [`LIVE_PUNCTURES_DRAWN`] as short marks coloured by depth (viridis, 0 to the
//! exposure). Every frame hands the pointer (ray-cast to the skin plane), the left button,
//! ↑/↓, a touch's pressure and a stylus's altitude (bevy's `TouchInput`, where the platform
//! reports them), whether the pointer is over the panel, and the frame's delta to
//! [`PracticeDriver::frame_input`]; Enter or Esc finishes and scores
//! ([`PracticeDriver::finish`]), printing the report to stdout; Enter or Esc again closes the
//! window.

use super::info::score_panel;
use crate::colormap::viridis;
use crate::practice::{
    HELP, LIVE_PUNCTURES_DRAWN, LivePuncture, PathPoint, PenInput, PracticeDriver, PracticeReport,
    skin_point_mm, tilt_of_altitude_deg, world_of_mm,
};
use crate::zones::{open_ring, zone_srgb};
use bevy::input::touch::{ForceTouch, TouchInput, TouchPhase};
use bevy::prelude::*;
use bevy::window::PrimaryWindow;
use bevy_egui::{EguiContexts, EguiPlugin, EguiPrimaryContextPass, egui};
use needlebench_face::FaceMap;
use std::sync::Mutex;

/// The session, or its report once it has ended.
#[derive(Resource)]
struct Practice {
    driver: Mutex<Option<PracticeDriver>>,
    face: FaceMap,
    zone: usize,
    report: Option<PracticeReport>,
    error: Option<String>,
    /// The finished session's path and punctures, still drawn beside its score.
    finished: Option<(Vec<PathPoint>, Vec<LivePuncture>)>,
    /// The plan's exposure, mm (the top of the depth colours).
    exposure_mm: f64,
}

/// The latest touch (a pen on a tablet, a finger on a screen): where, its pressure and
/// altitude when the platform reports them; `None` when nothing touches.
#[derive(Resource, Debug, Default, Clone, Copy)]
struct Touch(Option<TouchNow>);

#[derive(Debug, Clone, Copy)]
struct TouchNow {
    position: Vec2,
    pressure: Option<f64>,
    altitude_rad: Option<f64>,
}

/// Where the panel was drawn last (logical pixels, as the cursor's), and whether egui is
/// using the pointer (dragging the panel). The pen tests the cursor of this frame against
/// the rectangle: egui's own hover state is a frame late, and one frame is enough for a
/// pointer that jumped onto the panel to move the pen.
#[derive(Resource, Debug, Default, Clone, Copy)]
struct PanelArea {
    rect: Option<egui::Rect>,
    in_use: bool,
}

impl PanelArea {
    fn covers(&self, at: Option<Vec2>) -> bool {
        self.in_use
            || at
                .zip(self.rect)
                .is_some_and(|(p, r)| r.expand(2.0).contains(egui::pos2(p.x, p.y)))
    }
}

/// Open the practice window on `driver` and run until it is closed.
pub fn run_practice(driver: PracticeDriver) -> AppExit {
    let face = driver.face_map().clone();
    let zone = driver.zone();
    let exposure_mm = driver.exposure_mm();
    App::new()
        .add_plugins(DefaultPlugins.set(WindowPlugin {
            primary_window: Some(Window {
                title: "needlebench practice".into(),
                resolution: (1400, 950).into(),
                ..default()
            }),
            ..default()
        }))
        .add_plugins(EguiPlugin::default())
        .insert_resource(ClearColor(Color::srgb(0.12, 0.13, 0.15)))
        .insert_resource(Practice {
            driver: Mutex::new(Some(driver)),
            face,
            zone,
            report: None,
            error: None,
            finished: None,
            exposure_mm,
        })
        .init_resource::<Touch>()
        .init_resource::<PanelArea>()
        .add_systems(Startup, spawn_camera)
        .add_systems(Update, ((read_touches, drive).chain(), draw))
        .add_systems(EguiPrimaryContextPass, panel)
        .run()
}

fn spawn_camera(mut commands: Commands, practice: Res<Practice>) {
    let ring = &practice.face.outline_mm;
    let (lo, hi) = ring
        .iter()
        .fold(([f64::MAX; 2], [f64::MIN; 2]), |(lo, hi), p| {
            (
                [lo[0].min(p[0]), lo[1].min(p[1])],
                [hi[0].max(p[0]), hi[1].max(p[1])],
            )
        });
    let centre = world_of_mm([(lo[0] + hi[0]) / 2.0, (lo[1] + hi[1]) / 2.0]);
    let half = ((hi[0] - lo[0]).max(hi[1] - lo[1]) / 2.0) as f32;
    // the default perspective's vertical field is π/4: this height shows the face with a margin
    let height = half * 1.15 / (std::f32::consts::FRAC_PI_8).tan();
    commands.spawn((
        Camera3d::default(),
        Transform::from_translation(centre + Vec3::Y * height).looking_at(centre, Vec3::NEG_Z),
    ));
}

/// Keep [`Touch`] at the latest touch message.
fn read_touches(mut touches: MessageReader<TouchInput>, mut touch: ResMut<Touch>) {
    for t in touches.read() {
        touch.0 = match t.phase {
            TouchPhase::Started | TouchPhase::Moved => {
                let (pressure, altitude_rad) = match t.force {
                    Some(ForceTouch::Normalized(f)) => (Some(f), None),
                    Some(ForceTouch::Calibrated {
                        force,
                        max_possible_force,
                        altitude_angle,
                    }) if max_possible_force > 0.0 => {
                        (Some(force / max_possible_force), altitude_angle)
                    }
                    _ => (None, None),
                };
                Some(TouchNow {
                    position: t.position,
                    pressure,
                    altitude_rad,
                })
            }
            TouchPhase::Ended | TouchPhase::Canceled => None,
        };
    }
}

#[allow(clippy::too_many_arguments)] // a system: one parameter per input it reads
fn drive(
    mut practice: ResMut<Practice>,
    time: Res<Time>,
    keys: Res<ButtonInput<KeyCode>>,
    buttons: Res<ButtonInput<MouseButton>>,
    touch: Res<Touch>,
    panel_area: Res<PanelArea>,
    windows: Query<&Window, With<PrimaryWindow>>,
    cameras: Query<(&Camera, &GlobalTransform)>,
    mut exit: MessageWriter<AppExit>,
) {
    let done = keys.any_just_pressed([KeyCode::Enter, KeyCode::NumpadEnter, KeyCode::Escape]);
    if practice.report.is_some() || practice.error.is_some() {
        if done {
            exit.write(AppExit::Success);
        }
        return;
    }
    // A touch, when there is one, is the pointer; else the mouse cursor.
    let at = touch
        .0
        .map(|t| t.position)
        .or_else(|| windows.iter().next().and_then(Window::cursor_position));
    let pointer_mm = at
        .zip(cameras.iter().next())
        .and_then(|(at, (camera, place))| camera.viewport_to_world(place, at).ok())
        .and_then(|ray| skin_point_mm(ray.origin, *ray.direction));
    let input = PenInput {
        pointer_mm,
        pressed: touch.0.is_some() || buttons.pressed(MouseButton::Left),
        force_steps: i32::from(keys.just_pressed(KeyCode::ArrowUp))
            - i32::from(keys.just_pressed(KeyCode::ArrowDown)),
        pressure: touch.0.and_then(|t| t.pressure),
        tilt_deg: touch
            .0
            .and_then(|t| t.altitude_rad)
            .map(tilt_of_altitude_deg),
        over_panel: panel_area.covers(at),
    };
    let slot = practice.driver.get_mut().unwrap_or_else(|e| e.into_inner());
    let result = match slot.as_mut() {
        Some(driver) if !done => driver
            .frame_input(time.delta_secs_f64(), input)
            .map(|()| None),
        Some(_) => slot.take().map_or(Ok(None), |d| {
            let marks = d.marks();
            d.finish().map(|r| Some((r, marks)))
        }),
        None => Ok(None),
    };
    match result {
        Ok(Some((report, marks))) => {
            print!("{}", report.text());
            practice.report = Some(report);
            practice.finished = Some(marks);
        }
        Ok(None) => {}
        Err(e) => {
            eprintln!("error: {e}");
            practice.error = Some(e.to_string());
        }
    }
}

fn draw(mut gizmos: Gizmos, mut practice: ResMut<Practice>) {
    let strip = |ring: &[[f64; 2]]| {
        let ring = open_ring(ring);
        ring.iter()
            .chain(ring.first())
            .map(|&p| world_of_mm(p))
            .collect::<Vec<_>>()
    };
    gizmos.linestrip(strip(&practice.face.outline_mm), Color::srgb(0.8, 0.8, 0.8));
    for (i, zone) in practice.face.zones.iter().enumerate() {
        let color = if i == practice.zone {
            let [r, g, b] = zone_srgb(i);
            Color::srgb(r, g, b)
        } else {
            Color::srgb(0.4, 0.4, 0.45)
        };
        gizmos.linestrip(strip(&zone.outline_mm), color);
    }
    let zone = practice.zone;
    let deepest_um = (practice.exposure_mm * 1000.0) as f32;
    let practice = &mut *practice;
    let slot = practice.driver.get_mut().unwrap_or_else(|e| e.into_inner());
    let (path, live) = match (slot.as_ref(), &practice.finished) {
        (Some(driver), _) => (driver.path(), driver.live_punctures()),
        (None, Some((path, live))) => (path.as_slice(), live.as_slice()),
        (None, None) => return,
    };
    for pair in path.windows(2) {
        let color = if pair[1].pressed {
            Color::srgb(1.0, 0.25, 0.2)
        } else {
            Color::srgb(0.35, 0.35, 0.35)
        };
        gizmos.line(
            world_of_mm(pair[0].pos_mm),
            world_of_mm(pair[1].pos_mm),
            color,
        );
    }
    for p in &live[live.len().saturating_sub(LIVE_PUNCTURES_DRAWN)..] {
        let [r, g, b] = viridis((p.depth_um / deepest_um).clamp(0.0, 1.0));
        let c = world_of_mm([f64::from(p.pos_mm[0]), f64::from(p.pos_mm[1])]) + Vec3::Y * 0.1;
        gizmos.line(c - Vec3::X * 0.3, c + Vec3::X * 0.3, Color::srgb(r, g, b));
    }
    if let Some(pen) = path.last() {
        let c = world_of_mm(pen.pos_mm);
        let [r, g, b] = zone_srgb(zone);
        let color = Color::srgb(r, g, b);
        gizmos.line(c - Vec3::X * 3.0, c + Vec3::X * 3.0, color);
        gizmos.line(c - Vec3::Z * 3.0, c + Vec3::Z * 3.0, color);
    }
}

fn panel(
    mut contexts: EguiContexts,
    mut practice: ResMut<Practice>,
    mut panel_area: ResMut<PanelArea>,
) -> Result {
    let ctx = contexts.ctx_mut()?.clone();
    panel_area.in_use = ctx.egui_wants_pointer_input();
    let label = practice.face.zones[practice.zone].label.clone();
    let report = practice.report.clone();
    let error = practice.error.clone();
    let slot = practice.driver.get_mut().unwrap_or_else(|e| e.into_inner());
    let shown = egui::Window::new("Practice")
        .default_pos([12.0, 12.0])
        .show(&ctx, |ui| {
            ui.label(HELP);
            ui.separator();
            ui.label(format!("zone: {label}"));
            if let Some(driver) = slot.as_ref() {
                ui.label(format!("force: {:.1} N", driver.force_n()));
                ui.label(format!("time: {:.1} s", driver.sim_time_s()));
                ui.label(format!("punctures: {}", driver.punctures()));
            }
            if let Some(why) = &error {
                ui.colored_label(egui::Color32::LIGHT_RED, format!("error: {why}"));
            }
            if let Some(report) = &report {
                ui.separator();
                score_panel(ui, Some(&report.card));
                ui.label(format!("recording: {}", report.dir.display()));
                ui.label(format!("punctures: {}", report.punctures));
                ui.label("Enter/Esc closes the window");
            }
        });
    panel_area.rect = shown.map(|r| r.response.rect);
    Ok(())
}
