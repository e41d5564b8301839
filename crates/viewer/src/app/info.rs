//! The right-hand panel: what was recorded and checked against what, the cross-section
//! inset at the cursor, the legend (colour scales, the layers present at the site and the
//! floor) and the verdict list (click → first failure).

use super::ui::c32;
use super::{Clock, Cursor};
use crate::colormap::{ColorScale, viridis_rgba8};
use crate::column::{depth_bands, legend};
use crate::data::Replay;
use crate::palette::{MARKER_SRGB, layer_srgb, outcome_srgb};
use crate::replay::format_time;
use crate::scorecard::{ScoreCard, format_score};
use bevy_egui::egui;
use egui::{Align2, Color32, FontId, Pos2, Rect, Sense, Stroke, Ui, Vec2};
use needlebench_checks::Outcome;

/// Amber for warnings in the panel (incomplete recording, no expectations).
const WARN: Color32 = Color32::from_rgb(255, 170, 40);

fn c32a(rgba: [u8; 4]) -> Color32 {
    Color32::from_rgb(rgba[0], rgba[1], rgba[2])
}

/// The panel's content.
pub(super) fn info(ui: &mut Ui, clock: &mut Clock, replay: &Replay, cursor: &Cursor) {
    let meta = &replay.meta;
    ui.heading(&meta.scenario.name);
    ui.label(format!(
        "site {} · {} · exposure {:.0} µm · {}",
        meta.setup.site, meta.setup.cartridge, meta.setup.exposure_um, meta.firmware.transport
    ));
    if meta.run.is_complete() {
        ui.label("recording complete");
    } else {
        ui.colored_label(WARN, format!("INCOMPLETE: {}", meta.run.reason));
    }
    ui.label(format!(
        "checked against {}",
        replay.expectations.describe()
    ));
    if !replay.has_expectations() {
        ui.colored_label(
            WARN,
            "No expectations: the criteria that need them are NOT CHECKED and their \
             violations (depth, forbidden layers, density…) are not shown. \
             Open with --scenario FILE to check against a scenario.",
        );
    }
    ui.label(format!(
        "punctures {} / {} · violations {} / {}",
        cursor.visible_punctures,
        replay.punctures.len(),
        cursor.visible_violations,
        replay.violations.len()
    ));
    if let Some(slot) = &replay.score {
        ui.separator();
        score_panel(ui, slot.get());
    }
    ui.separator();
    ui.strong("Cross-section at the cursor");
    cross_section(ui, replay, cursor.t_us);
    ui.separator();
    ui.strong("Legend");
    gradient(ui, "depth", &replay.depth_scale);
    gradient(ui, "density", &replay.density_scale);
    for entry in legend(&meta.setup.layers_um) {
        ui.horizontal(|ui| {
            let (r, p) = ui.allocate_painter(Vec2::new(14.0, 14.0), Sense::hover());
            p.rect_filled(r.rect, 2.0, c32(layer_srgb(entry.layer)));
            ui.label(entry.text);
        });
    }
    ui.horizontal(|ui| {
        let (r, p) = ui.allocate_painter(Vec2::new(14.0, 14.0), Sense::hover());
        p.circle_filled(r.rect.center(), 6.0, c32(MARKER_SRGB));
        ui.label("violation");
    });
    ui.separator();
    ui.strong("Verdicts (click to jump)");
    for v in &replay.verdicts {
        let color = c32(outcome_srgb(v.outcome));
        let text = format!(
            "{:<11} {} — {}",
            v.outcome.label(),
            v.criterion,
            v.actual_text
        );
        let t = v.first_failure.as_ref().and_then(|w| w.t_us);
        let resp =
            ui.add(egui::Label::new(egui::RichText::new(text).color(color)).sense(Sense::click()));
        if let Some(t) = t
            && resp
                .on_hover_text(format!("first failure at {}", format_time(t)))
                .clicked()
        {
            clock.0.set_playing(false);
            clock.0.seek(t);
        }
    }
}

/// The per-zone score (`needlebench score`'s figures): overall, then one row per planned zone.
pub(super) fn score_panel(ui: &mut Ui, card: Option<&Result<ScoreCard, String>>) {
    let pass = |passed: bool| {
        let outcome = if passed { Outcome::Pass } else { Outcome::Fail };
        (outcome.label(), c32(outcome_srgb(outcome)))
    };
    match card {
        None => {
            ui.strong("Score");
            ui.label("scoring…");
        }
        Some(Err(why)) => {
            ui.strong("Score");
            ui.colored_label(WARN, format!("not scored: {why}"));
        }
        Some(Ok(card)) => {
            let (text, color) = pass(card.passed);
            ui.horizontal(|ui| {
                ui.strong(format!(
                    "Score {} / 100 (pass mark {:.0})",
                    format_score(card.overall),
                    card.pass_mark
                ));
                ui.colored_label(color, text);
            });
            for row in &card.rows {
                let (text, color) = pass(row.passed);
                ui.horizontal(|ui| {
                    ui.label(format!("{} {}", row.label, format_score(row.score)));
                    ui.colored_label(color, text);
                });
                let why = row.critical_text();
                if !why.is_empty() {
                    ui.add(
                        egui::Label::new(
                            egui::RichText::new(format!("  critical: {why}")).color(color),
                        )
                        .wrap(),
                    );
                }
            }
        }
    }
}

fn gradient(ui: &mut Ui, name: &str, scale: &ColorScale) {
    ui.label(format!("{name} ({})", scale.unit));
    let (resp, p) = ui.allocate_painter(
        Vec2::new(ui.available_width().min(260.0), 28.0),
        Sense::hover(),
    );
    let r = resp.rect;
    let bar = Rect::from_min_size(r.min, Vec2::new(r.width(), 12.0));
    let n = 64;
    for i in 0..n {
        let f0 = i as f32 / n as f32;
        let cell = Rect::from_x_y_ranges(
            bar.left() + f0 * bar.width()..=bar.left() + (f0 + 1.0 / n as f32) * bar.width() + 0.5,
            bar.y_range(),
        );
        p.rect_filled(cell, 0.0, c32a(viridis_rgba8(f0 + 0.5 / n as f32)));
    }
    for (value, f) in scale.ticks(4) {
        let x = bar.left() + f * bar.width();
        let align = if f < 0.01 {
            Align2::LEFT_TOP
        } else if f > 0.99 {
            Align2::RIGHT_TOP
        } else {
            Align2::CENTER_TOP
        };
        p.text(
            Pos2::new(x, bar.bottom() + 1.0),
            align,
            format!("{value:.0}"),
            FontId::proportional(10.0),
            Color32::LIGHT_GRAY,
        );
    }
}

/// The inset: layers at true scale, the needle at its current travel, the surface tented by
/// the latest puncture's tenting while the needle presses, and the depth and layer it reached.
fn cross_section(ui: &mut Ui, replay: &Replay, t_us: u64) {
    let cs = replay.cross_section(t_us);
    let layers = &replay.meta.setup.layers_um;
    let span_um = (replay.meta.setup.exposure_um * 1.8).max(600.0);
    let above_um = span_um * 0.25;
    let (resp, p) = ui.allocate_painter(
        Vec2::new(ui.available_width().min(280.0), 190.0),
        Sense::hover(),
    );
    let r = resp.rect;
    let y_of = |depth_um: f64| {
        r.top() + ((depth_um + above_um) / (span_um + above_um)) as f32 * r.height()
    };
    p.rect_filled(
        Rect::from_x_y_ranges(r.x_range(), r.top()..=y_of(0.0)),
        0.0,
        Color32::from_gray(30),
    );
    for (layer, top_um, bottom_um) in depth_bands(layers) {
        let y0 = y_of(top_um).min(r.bottom());
        let y1 = y_of(bottom_um).min(r.bottom());
        if y1 > y0 {
            p.rect_filled(
                Rect::from_x_y_ranges(r.x_range(), y0..=y1),
                0.0,
                c32(layer_srgb(layer)),
            );
        }
        if Some(layer) == layers.floor && y0 < r.bottom() - 12.0 {
            p.text(
                Pos2::new(r.right() - 4.0, y0 + 1.0),
                Align2::RIGHT_TOP,
                format!("{}: no needle passes", layer.name()),
                FontId::proportional(10.0),
                Color32::BLACK,
            );
        }
    }
    let cx = r.center().x;
    let needle_um = if cs.skin_contact {
        f64::from(cs.needle_z_um)
    } else {
        f64::from(cs.needle_z_um) - above_um * 0.6
    };
    let (tent_um, reached) = match cs.last {
        Some((depth, tenting, layer)) => (f64::from(tenting), Some((f64::from(depth), layer))),
        None => (0.0, None),
    };
    // Tenting: while the tip presses but has not gone deeper than the tent, the surface dents.
    let dent_um = if cs.skin_contact && needle_um > 0.0 {
        needle_um.min(tent_um)
    } else {
        0.0
    };
    let surface = Stroke::new(2.0, Color32::from_rgb(250, 240, 220));
    let half_w = 40.0;
    p.line_segment(
        [
            Pos2::new(r.left(), y_of(0.0)),
            Pos2::new(cx - half_w, y_of(0.0)),
        ],
        surface,
    );
    p.line_segment(
        [
            Pos2::new(cx - half_w, y_of(0.0)),
            Pos2::new(cx, y_of(dent_um)),
        ],
        surface,
    );
    p.line_segment(
        [
            Pos2::new(cx, y_of(dent_um)),
            Pos2::new(cx + half_w, y_of(0.0)),
        ],
        surface,
    );
    p.line_segment(
        [
            Pos2::new(cx + half_w, y_of(0.0)),
            Pos2::new(r.right(), y_of(0.0)),
        ],
        surface,
    );
    let tip = Pos2::new(cx, y_of(needle_um).clamp(r.top(), r.bottom()));
    p.line_segment(
        [Pos2::new(cx, r.top()), tip],
        Stroke::new(3.0, Color32::from_gray(200)),
    );
    p.add(egui::Shape::convex_polygon(
        vec![
            Pos2::new(cx - 3.0, tip.y - 8.0),
            Pos2::new(cx + 3.0, tip.y - 8.0),
            tip,
        ],
        Color32::from_gray(230),
        Stroke::NONE,
    ));
    if let Some((depth, layer)) = reached {
        let y = y_of(depth).min(r.bottom());
        p.line_segment(
            [Pos2::new(cx - 60.0, y), Pos2::new(cx + 60.0, y)],
            Stroke::new(1.0, Color32::WHITE),
        );
        p.text(
            Pos2::new(r.left() + 4.0, r.top() + 2.0),
            Align2::LEFT_TOP,
            format!(
                "last: {depth:.0} µm in {}, tent {tent_um:.0} µm",
                layer.name()
            ),
            FontId::proportional(11.0),
            Color32::WHITE,
        );
    }
    p.text(
        Pos2::new(r.right() - 4.0, r.bottom() - 2.0),
        Align2::RIGHT_BOTTOM,
        format!("needle {:.0} µm", cs.needle_z_um),
        FontId::proportional(11.0),
        Color32::WHITE,
    );
}
