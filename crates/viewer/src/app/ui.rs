//! The egui panels: transport bar (play/pause, speed, typed time, loop, violation jumps),
//! scrub bar with violation ticks and event lines, depth and motor-current plots that follow
//! the cursor (decimated); the right-hand panel (legend, verdicts, cross-section inset) is
//! the `info` module.

use super::camera::{PresetRequest, ViewPreset};
use super::scene::SceneFrame;
use super::zones;
use super::{Clock, Cursor, InputBlock, ReplayData, ReplaySet, ViewSettings};
use crate::data::Replay;
use crate::palette::{MARKER_SRGB, srgb8};
use crate::plot::decimate_min_max;
use crate::replay::{SPEED_PRESETS, format_time, parse_time};
use bevy::prelude::*;
use bevy_egui::input::EguiWantsInput;
use bevy_egui::{EguiContexts, EguiPlugin, EguiPrimaryContextPass, egui};
use egui::{Color32, Pos2, Rect, Sense, Stroke, Ui, UiBuilder, Vec2};
use egui_plot::{Line, Plot, VLine};

/// Plot window: this long before the cursor …
const PLOT_BEFORE_US: u64 = 4_000_000;
/// … and this long after it.
const PLOT_AFTER_US: u64 = 1_000_000;
/// Buckets per plot (≤ 2 points each).
const PLOT_BUCKETS: usize = 600;

/// The egui side of the viewer.
pub struct UiPlugin;

impl Plugin for UiPlugin {
    fn build(&self, app: &mut App) {
        app.add_plugins(EguiPlugin::default())
            .init_resource::<UiState>()
            .add_systems(Update, sync_block.before(ReplaySet::Input))
            .add_systems(EguiPrimaryContextPass, panels);
    }
}

/// Text being typed and the loop start mark.
#[derive(Resource, Debug, Default)]
struct UiState {
    time_text: String,
    loop_a_us: Option<u64>,
}

fn sync_block(wants: Option<Res<EguiWantsInput>>, mut block: ResMut<InputBlock>) {
    let next = wants.map_or(InputBlock::default(), |w| InputBlock {
        pointer: w.wants_any_pointer_input(),
        keyboard: w.wants_any_keyboard_input(),
    });
    block.set_if_neq(next);
}

pub(super) fn c32(rgb: [f32; 3]) -> Color32 {
    let [r, g, b] = srgb8(rgb);
    Color32::from_rgb(r, g, b)
}

#[allow(clippy::too_many_arguments)]
fn panels(
    mut contexts: EguiContexts,
    mut clock: ResMut<Clock>,
    data: Res<ReplayData>,
    cursor: Res<Cursor>,
    mut settings: ResMut<ViewSettings>,
    mut preset: ResMut<PresetRequest>,
    mut state: ResMut<UiState>,
    frame: Res<SceneFrame>,
    cameras: zones::CameraQuery,
) -> Result {
    let ctx = contexts.ctx_mut()?.clone();
    zones::paint_captions(&ctx, &data, &settings, &frame, cameras.iter().next());
    let replay = &*data.0;
    let mut root = Ui::new(
        ctx.clone(),
        "viewer-root".into(),
        UiBuilder::new()
            .layer_id(egui::LayerId::background())
            .max_rect(ctx.viewport_rect()),
    );
    egui::Panel::top("transport").show(&mut root, |ui| {
        transport(
            ui,
            &mut clock,
            replay,
            &mut state,
            &mut settings,
            &mut preset,
        );
    });
    egui::Panel::bottom("timeline")
        .resizable(true)
        .default_size(230.0)
        .show(&mut root, |ui| {
            scrub_bar(ui, &mut clock, replay);
            plots(ui, replay, cursor.t_us);
        });
    egui::Panel::right("info")
        .resizable(true)
        .default_size(300.0)
        .show(&mut root, |ui| {
            egui::ScrollArea::vertical().show(ui, |ui| {
                super::info::info(ui, &mut clock, replay, &cursor);
            });
        });
    Ok(())
}

fn transport(
    ui: &mut Ui,
    clock: &mut Clock,
    replay: &Replay,
    state: &mut UiState,
    settings: &mut ViewSettings,
    preset: &mut PresetRequest,
) {
    let c = &mut clock.0;
    ui.horizontal_wrapped(|ui| {
        if ui
            .button("⏮ violation")
            .on_hover_text("previous violation (PageUp / P)")
            .clicked()
        {
            c.prev_violation(&replay.violations);
        }
        let label = if c.is_playing() {
            "⏸ pause"
        } else {
            "▶ play"
        };
        if ui.button(label).on_hover_text("Space").clicked() {
            c.toggle();
        }
        if ui
            .button("violation ⏭")
            .on_hover_text("next violation (PageDown / N)")
            .clicked()
        {
            c.next_violation(&replay.violations);
        }
        let mut speed = c.speed_index();
        egui::ComboBox::from_id_salt("speed")
            .selected_text(format!("{}×", SPEED_PRESETS[speed]))
            .show_ui(ui, |ui| {
                for (i, s) in SPEED_PRESETS.iter().enumerate() {
                    ui.selectable_value(&mut speed, i, format!("{s}×"));
                }
            });
        c.set_speed_index(speed);
        ui.label(format!(
            "{} / {}",
            format_time(c.t_us()),
            format_time(c.duration_us())
        ));
        let edit = ui.add(
            egui::TextEdit::singleline(&mut state.time_text)
                .desired_width(70.0)
                .hint_text("go to s"),
        );
        let go = ui.button("go").clicked();
        if (go || (edit.lost_focus() && ui.input(|i| i.key_pressed(egui::Key::Enter))))
            && let Some(t) = parse_time(&state.time_text)
        {
            c.seek(t);
        }
        ui.separator();
        if ui
            .button("loop A")
            .on_hover_text("mark the loop start at the cursor")
            .clicked()
        {
            state.loop_a_us = Some(c.t_us());
        }
        if ui
            .button("loop B")
            .on_hover_text("loop from A to the cursor")
            .clicked()
        {
            let a = state.loop_a_us.unwrap_or(0);
            c.set_loop(Some((a, c.t_us())));
        }
        if ui.button("no loop").clicked() {
            c.set_loop(None);
            state.loop_a_us = None;
        }
        if let Some((a, b)) = c.loop_range() {
            ui.label(format!("loop {}–{}", format_time(a), format_time(b)));
        }
        ui.separator();
        for (name, p) in [
            ("3D", ViewPreset::Perspective),
            ("top", ViewPreset::Top),
            ("side", ViewPreset::Side),
            ("section", ViewPreset::Section),
        ] {
            if ui.button(name).clicked() {
                preset.0 = Some(p);
            }
        }
        ui.add(egui::Slider::new(&mut settings.exaggeration, 1.0..=20.0).text("depth ×"));
        ui.checkbox(&mut settings.show_heat, "heat map");
        ui.checkbox(&mut settings.show_punctures, "punctures");
        ui.checkbox(&mut settings.show_pen, "pen");
    });
}

fn scrub_bar(ui: &mut Ui, clock: &mut Clock, replay: &Replay) {
    let c = &mut clock.0;
    let width = ui.available_width();
    let (resp, painter) = ui.allocate_painter(Vec2::new(width, 26.0), Sense::click_and_drag());
    let r = resp.rect;
    let dur = c.duration_us().max(1) as f64;
    let x_of = |t_us: u64| r.left() + (t_us as f64 / dur) as f32 * r.width();
    painter.rect_filled(r, 2.0, Color32::from_gray(40));
    if let Some((a, b)) = c.loop_range() {
        let lr = Rect::from_x_y_ranges(x_of(a)..=x_of(b), r.y_range());
        painter.rect_filled(lr, 0.0, Color32::from_rgba_unmultiplied(90, 140, 255, 60));
    }
    for e in &replay.events {
        let x = x_of(e.t_us);
        painter.line_segment(
            [Pos2::new(x, r.top()), Pos2::new(x, r.bottom())],
            Stroke::new(1.0, Color32::from_rgb(255, 170, 40)),
        );
    }
    // One tick per pixel column at most, whatever the number of violations.
    let mut last_col = f32::NEG_INFINITY;
    for v in replay.violations.all() {
        let x = x_of(v.t_us).round();
        if x > last_col {
            last_col = x;
            painter.line_segment(
                [Pos2::new(x, r.top()), Pos2::new(x, r.center().y)],
                Stroke::new(1.0, c32(MARKER_SRGB)),
            );
        }
    }
    let x = x_of(c.t_us());
    painter.line_segment(
        [Pos2::new(x, r.top()), Pos2::new(x, r.bottom())],
        Stroke::new(2.0, Color32::WHITE),
    );
    if (resp.clicked() || resp.dragged())
        && let Some(p) = resp.interact_pointer_pos()
    {
        let f = f64::from(((p.x - r.left()) / r.width()).clamp(0.0, 1.0));
        c.seek((f * dur).round() as u64);
    }
}

fn plots(ui: &mut Ui, replay: &Replay, t_us: u64) {
    let t0 = t_us.saturating_sub(PLOT_BEFORE_US);
    let t1 = t_us.saturating_add(PLOT_AFTER_US);
    let p = &replay.punctures;
    let tel = &replay.telemetry;
    let depth = decimate_min_max(&p.t_us, &p.depth_um, t0, t1, PLOT_BUCKETS);
    let current = decimate_min_max(&tel.t_us, &tel.motor_current_ma, t0, t1, PLOT_BUCKETS);
    let cursor_s = t_us as f64 / 1e6;
    let events: Vec<(f64, String)> = replay
        .events
        .iter()
        .filter(|e| e.t_us >= t0 && e.t_us <= t1)
        .map(|e| {
            (
                e.t_us as f64 / 1e6,
                format!("{} {}", e.kind.words(), e.label),
            )
        })
        .collect();
    let limit = replay.meta.setup.exposure_um;
    let h = (ui.available_height() - 8.0).max(80.0);
    let w = ui.available_width() / 2.0 - 8.0;
    ui.horizontal(|ui| {
        for (id, name, series, color) in [
            ("depth", "depth µm", depth, Color32::from_rgb(120, 200, 255)),
            (
                "current",
                "motor current mA",
                current,
                Color32::from_rgb(255, 200, 120),
            ),
        ] {
            let events = events.clone();
            Plot::new(id)
                .width(w)
                .height(h)
                .include_x(t0 as f64 / 1e6)
                .include_x(t1 as f64 / 1e6)
                .y_axis_label(name)
                .allow_drag(false)
                .allow_zoom(false)
                .allow_scroll(false)
                .show(ui, |plot_ui| {
                    plot_ui.line(Line::new(name, series).stroke((1.0, color)));
                    if id == "depth" {
                        plot_ui
                            .hline(egui_plot::HLine::new("exposure", limit).color(Color32::GRAY));
                    }
                    for (t, label) in events {
                        plot_ui.vline(VLine::new(label, t).color(Color32::from_rgb(255, 170, 40)));
                    }
                    plot_ui.vline(VLine::new("cursor", cursor_s).color(Color32::WHITE));
                });
        }
    });
}
