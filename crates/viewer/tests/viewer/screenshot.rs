//! Real frames: run a shipped scenario into a recording, render it off-screen with
//! `needlebench-viewer --screenshot`, and assert on the pixels.
//!
//! Needs a wgpu adapter (on a machine without a GPU: Mesa's lavapipe, package
//! `mesa-vulkan-drivers`); no X server is needed (rendering is off-screen). Without one the
//! tests print `SKIPPED: no renderer …` and pass — unless `CI` is set, then they fail.

use crate::fixture;
use bevy::asset::RenderAssetUsages;
use bevy::image::{CompressedImageFormats, Image, ImageSampler, ImageType};
use needlebench_recording::Layer;
use needlebench_viewer::colormap::viridis_rgba8;
use needlebench_viewer::palette::{MARKER_SRGB, layer_srgb, srgb8};
use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::OnceLock;

/// The shipped scenario rendered: a slow glide over the forehead (muscle under the fat, a
/// bone floor) that over-treats (against the copy of its `[expect]` in the recording,
/// density.range fails at 3.378 s at (0.76, 0.45) mm).
const SCENARIO: &str = "scenarios/over-treatment-slow-glide.toml";
/// Before the first violation / after the end of the passes.
const BEFORE_S: &str = "3.0";
const END_S: &str = "37.0";

fn recording() -> &'static Path {
    static REC: OnceLock<(tempfile::TempDir, PathBuf)> = OnceLock::new();
    let (_, dir) = REC.get_or_init(|| {
        let tmp = tempfile::tempdir().unwrap();
        let dir = tmp.path().join("rec");
        let scenario = Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("../..")
            .join(SCENARIO);
        needlebench_viewer::scenario::run_scenario(&scenario, &dir)
            .expect("run the shipped scenario");
        (tmp, dir)
    });
    dir
}

struct Frame {
    w: usize,
    h: usize,
    rgba: Vec<u8>,
}

impl Frame {
    fn px(&self, x: usize, y: usize) -> [u8; 3] {
        let i = (y * self.w + x) * 4;
        [self.rgba[i], self.rgba[i + 1], self.rgba[i + 2]]
    }
    fn matching(&self, pred: impl Fn([u8; 3]) -> bool) -> Vec<(usize, usize)> {
        let mut out = Vec::new();
        for y in 0..self.h {
            for x in 0..self.w {
                if pred(self.px(x, y)) {
                    out.push((x, y));
                }
            }
        }
        out
    }
}

fn near(a: [u8; 3], b: [u8; 3], tol: i32) -> bool {
    (0..3).all(|k| (i32::from(a[k]) - i32::from(b[k])).abs() <= tol)
}

fn is_viridis(p: [u8; 3]) -> bool {
    (0..=255).any(|i| {
        let v = viridis_rgba8(i as f32 / 255.0);
        near(p, [v[0], v[1], v[2]], 6)
    })
}

/// Render the shipped scenario's recording; `None` when there is no renderer (and `CI` is
/// not set).
fn render(at_s: &str, view: &str) -> Option<Frame> {
    render_dir(recording(), at_s, view)
}

/// Render the 3D view alone (`--no-panels`) of the recording `rec` at 480×320; `None` when
/// there is no renderer (and `CI` is not set).
fn render_dir(rec: &Path, at_s: &str, view: &str) -> Option<Frame> {
    shoot(
        rec,
        &["--at", at_s, "--view", view, "--no-panels"],
        (480, 320),
    )
}

/// Run `needlebench-viewer REC --screenshot PNG --size WxH ARGS…` and decode the PNG.
fn shoot(rec: &Path, args: &[&str], wanted: (u32, u32)) -> Option<Frame> {
    let tmp = tempfile::tempdir().unwrap();
    let png = tmp.path().join("shot.png");
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_needlebench-viewer"));
    cmd.arg(rec)
        .args(["--screenshot"])
        .arg(&png)
        .args(["--size", &format!("{}x{}", wanted.0, wanted.1)])
        .args(args);
    if std::env::var_os("WGPU_BACKEND").is_none() {
        cmd.env("WGPU_BACKEND", "vulkan");
    }
    let out = cmd.output().expect("start needlebench-viewer");
    let text = format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    if !out.status.success() {
        let no_renderer = [
            "Unable to find a GPU",
            "no frame came back",
            "Failed to create wgpu instance",
        ]
        .iter()
        .any(|m| text.contains(m));
        if no_renderer && std::env::var_os("CI").is_none() {
            eprintln!(
                "SKIPPED: no renderer (install mesa-vulkan-drivers + libvulkan1: lavapipe; rendering is off-screen, no X/xvfb needed)"
            );
            return None;
        }
        panic!(
            "needlebench-viewer --screenshot failed ({}):\n{text}",
            out.status
        );
    }
    let bytes = std::fs::read(&png).expect("screenshot written");
    let image = Image::from_buffer(
        &bytes,
        ImageType::Extension("png"),
        CompressedImageFormats::NONE,
        true,
        ImageSampler::Default,
        RenderAssetUsages::default(),
    )
    .expect("decode png");
    let size = image.size();
    let data = image.data.expect("pixels");
    assert_eq!(data.len(), (size.x * size.y * 4) as usize, "RGBA8 expected");
    assert_eq!((size.x, size.y), wanted, "--size honoured");
    Some(Frame {
        w: size.x as usize,
        h: size.y as usize,
        rgba: data,
    })
}

/// Pixels of `layer`'s colour.
fn layer_pixels(f: &Frame, layer: Layer) -> Vec<(usize, usize)> {
    f.matching(|p| near(p, srgb8(layer_srgb(layer)), 4))
}

fn mean_y(hits: &[(usize, usize)]) -> f64 {
    hits.iter().map(|h| h.1 as f64).sum::<f64>() / hits.len() as f64
}

fn lowest_row(hits: &[(usize, usize)]) -> usize {
    hits.iter().map(|h| h.1).max().unwrap_or(0)
}

/// Asserts that each of `layers` covers pixels, in this order from top to bottom, and that the
/// last one reaches lowest of all the layers present.
fn assert_stacked(f: &Frame, layers: &[Layer]) {
    let total = (f.w * f.h) as f64;
    let mut means = Vec::new();
    let mut lowest = Vec::new();
    for &layer in layers {
        let hits = layer_pixels(f, layer);
        assert!(
            hits.len() as f64 > total * 0.001,
            "{}: {} pixels",
            layer.name(),
            hits.len()
        );
        means.push(mean_y(&hits));
        lowest.push(lowest_row(&hits));
    }
    assert!(
        means.windows(2).all(|w| w[0] < w[1]),
        "layers out of order {layers:?}: mean rows {means:?}"
    );
    let bottom = *lowest.last().unwrap();
    assert!(
        lowest.iter().all(|&y| y <= bottom),
        "{:?} is not the block's bottom: lowest rows {lowest:?}",
        layers.last()
    );
}

#[test]
fn side_view_stacks_the_layers_down_to_the_bone_floor() {
    let Some(f) = render(END_S, "side") else {
        return;
    };
    // Forehead: papillary and reticular dermis, fat, muscle, then bone; the thin upper
    // layers cover too few pixels to count.
    assert_stacked(
        &f,
        &[
            Layer::PapillaryDermis,
            Layer::ReticularDermis,
            Layer::Hypodermis,
            Layer::Muscle,
            Layer::Bone,
        ],
    );
    assert!(
        layer_pixels(&f, Layer::Cartilage).is_empty(),
        "no cartilage on the forehead"
    );
}

#[test]
fn fixture_with_muscle_and_bone_floor_shows_the_floor_at_the_bottom() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("rec");
    fixture::write(&dir);
    let Some(f) = render_dir(&dir, "1.0", "side") else {
        return;
    };
    assert_stacked(
        &f,
        &[
            Layer::ReticularDermis,
            Layer::Hypodermis,
            Layer::Muscle,
            Layer::Bone,
        ],
    );
}

#[test]
fn fixture_without_a_floor_ends_in_the_fat() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("rec");
    fixture::write_with(
        &dir,
        &fixture::Options {
            layers: fixture::layers_without_floor(),
            ..fixture::Options::default()
        },
    );
    let Some(f) = render_dir(&dir, "1.0", "side") else {
        return;
    };
    assert_stacked(&f, &[Layer::ReticularDermis, Layer::Hypodermis]);
    for layer in [Layer::Muscle, Layer::Cartilage, Layer::Bone] {
        assert!(
            layer_pixels(&f, layer).is_empty(),
            "{} drawn without a floor",
            layer.name()
        );
    }
}

#[test]
fn top_view_shows_the_heat_map_over_the_treated_area() {
    let Some(f) = render(END_S, "top") else {
        return;
    };
    let hits = f.matching(is_viridis);
    // The 12 × 6 mm area fills about a tenth of the frame; heat map and punctures are viridis.
    assert!(
        hits.len() > f.w * f.h / 20,
        "only {} viridis pixels",
        hits.len()
    );
    let distinct: std::collections::BTreeSet<[u8; 3]> =
        hits.iter().map(|&(x, y)| f.px(x, y)).collect();
    assert!(
        distinct.len() >= 2,
        "a heat map of one colour: {distinct:?}"
    );
    // Centred on the area: the viridis pixels' centroid is near the image centre.
    let cx = hits.iter().map(|h| h.0 as f64).sum::<f64>() / hits.len() as f64;
    let cy = hits.iter().map(|h| h.1 as f64).sum::<f64>() / hits.len() as f64;
    assert!((cx - f.w as f64 / 2.0).abs() < f.w as f64 * 0.15, "cx {cx}");
    assert!((cy - f.h as f64 / 2.0).abs() < f.h as f64 * 0.15, "cy {cy}");
}

#[test]
fn violation_marker_appears_where_and_when_the_recording_has_one() {
    let marker = srgb8(MARKER_SRGB);
    let Some(before) = render(BEFORE_S, "top") else {
        return;
    };
    assert!(
        before.matching(|p| near(p, marker, 8)).is_empty(),
        "marker shown before the violation"
    );
    let Some(after) = render(END_S, "top") else {
        return;
    };
    let hits = after.matching(|p| near(p, marker, 8));
    assert!(!hits.is_empty(), "no violation marker after the violation");
    // The violation is at (0.8, 0.4) mm of a 12 × 6 mm area: lower left in a top view.
    let cx = hits.iter().map(|h| h.0 as f64).sum::<f64>() / hits.len() as f64;
    let cy = hits.iter().map(|h| h.1 as f64).sum::<f64>() / hits.len() as f64;
    assert!(
        cx < after.w as f64 / 2.0 && cy > after.h as f64 / 2.0,
        "marker at ({cx}, {cy})"
    );
}

/// egui's dark theme panel fill (`Visuals::dark().panel_fill`).
const PANEL_FILL: [u8; 3] = [27, 27, 27];

/// The 3D view's background (`ClearColor` of the scene, sRGB 0.12, 0.13, 0.15).
const CLEAR: [u8; 3] = [31, 33, 38];

fn count_in(
    f: &Frame,
    xs: std::ops::Range<usize>,
    ys: std::ops::Range<usize>,
    pred: impl Fn([u8; 3]) -> bool,
) -> usize {
    ys.flat_map(|y| xs.clone().map(move |x| (x, y)))
        .filter(|&(x, y)| pred(f.px(x, y)))
        .count()
}

#[test]
fn screenshot_includes_the_panels_over_the_3d_view() {
    let Some(f) = shoot(recording(), &["--at", END_S, "--view", "side"], (1280, 720)) else {
        return;
    };
    // The right-hand panel (300 px wide by default): its fill; in it the cross-section
    // inset (the layers the needle crosses, in their colours) and the legend's two viridis
    // colour scales (depth, density).
    let right = f.w - 280..f.w;
    let all = 0..f.h;
    let fill = count_in(&f, right.clone(), all.clone(), |p| near(p, PANEL_FILL, 2));
    assert!(fill > 280 * f.h / 4, "right-hand panel fill: {fill} pixels");
    for layer in [Layer::PapillaryDermis, Layer::ReticularDermis] {
        let inset = count_in(&f, right.clone(), all.clone(), |p| {
            near(p, srgb8(layer_srgb(layer)), 3)
        });
        assert!(
            inset >= 500,
            "cross-section inset, {}: {inset} pixels",
            layer.name()
        );
    }
    let scale = count_in(&f, right, all, is_viridis);
    assert!(scale >= 200, "legend colour scales: {scale} viridis pixels");
    // The bottom panel (scrub bar and plots) spans the width under the 3D view: its fill
    // and the plots' dark backgrounds, none of the 3D view's background.
    let (xs, ys) = (0..f.w - 320, f.h - 150..f.h - 20);
    let n = xs.len() * ys.len();
    let bottom = count_in(&f, xs.clone(), ys.clone(), |p| near(p, PANEL_FILL, 2));
    assert!(bottom > n / 10, "bottom panel fill: {bottom} of {n} pixels");
    let clear = count_in(&f, xs, ys, |p| near(p, CLEAR, 2));
    assert!(
        clear < n / 50,
        "3D background under the bottom panel: {clear} pixels"
    );
    // And the 3D view is still there, between the panels: the block's layers.
    let middle = count_in(&f, 0..f.w - 320, 60..f.h - 240, |p| {
        near(p, srgb8(layer_srgb(Layer::Hypodermis)), 4)
    });
    assert!(middle > 1000, "3D view: {middle} pixels of fat");
}

#[test]
fn no_panels_leaves_the_3d_view_alone() {
    let Some(f) = shoot(
        recording(),
        &["--at", END_S, "--view", "side", "--no-panels"],
        (1280, 720),
    ) else {
        return;
    };
    let right = count_in(&f, f.w - 280..f.w, 0..f.h, |p| near(p, PANEL_FILL, 2));
    let clear = count_in(&f, f.w - 280..f.w, 0..f.h, |p| near(p, CLEAR, 2));
    assert!(
        clear > 280 * f.h / 4,
        "3D background at the right: {clear} pixels"
    );
    assert!(
        right < 280 * f.h / 20,
        "panel fill without panels: {right} pixels"
    );
}

/// A one-zone plan on the default face map (the glabella, 0.5 mm, one crosshatch).
const PLAN: &str = r#"name = "viewer-glabella-plan"
description = "One zone of the default face map, for the zone overlay's pixel tests."
seed = 3

[pen]
cartridge = "12"
speed_level = 6

[plan]
face_map = "adult-frontal"

[[plan.zone]]
zone = "glabella"
exposure_mm = 0.5
pattern = "crosshatch"
angles_deg = [0.0, 90.0]
line_spacing_mm = 4.0
glide_mm_s = 20.0
force_n = 2.0
"#;

pub(crate) fn plan_recording() -> &'static Path {
    static REC: OnceLock<(tempfile::TempDir, PathBuf)> = OnceLock::new();
    let (_, dir) = REC.get_or_init(|| {
        let tmp = tempfile::tempdir().unwrap();
        let scenario = tmp.path().join("plan.toml");
        std::fs::write(&scenario, PLAN).unwrap();
        let dir = tmp.path().join("rec");
        needlebench_viewer::scenario::run_scenario(&scenario, &dir).expect("run the plan");
        (tmp, dir)
    });
    dir
}

/// Where a face-map point lands in a top view: the linear map that takes the face's zones'
/// bounding box onto the box of the pixels in any zone colour.
fn face_to_px(f: &Frame, map: &needlebench_face::FaceMap) -> impl Fn([f64; 2]) -> (usize, usize) {
    use needlebench_viewer::zones::zone_srgb;
    let colours: Vec<[u8; 3]> = (0..map.zones.len()).map(|i| srgb8(zone_srgb(i))).collect();
    let hits = f.matching(|p| colours.iter().any(|&c| near(p, c, 3)));
    assert!(hits.len() > 1000, "zone pixels: {}", hits.len());
    let (px0, px1) = (
        hits.iter().map(|h| h.0).min().unwrap(),
        hits.iter().map(|h| h.0).max().unwrap(),
    );
    let (py0, py1) = (
        hits.iter().map(|h| h.1).min().unwrap(),
        hits.iter().map(|h| h.1).max().unwrap(),
    );
    let (mut lo, mut hi) = ([f64::MAX; 2], [f64::MIN; 2]);
    for p in map.zones.iter().flat_map(|z| z.outline_mm.iter()) {
        for k in 0..2 {
            lo[k] = lo[k].min(p[k]);
            hi[k] = hi[k].max(p[k]);
        }
    }
    move |[x, y]: [f64; 2]| {
        let u = (x - lo[0]) / (hi[0] - lo[0]);
        let v = (hi[1] - y) / (hi[1] - lo[1]); // y up in the top view
        (
            (px0 as f64 + u * (px1 - px0) as f64).round() as usize,
            (py0 as f64 + v * (py1 - py0) as f64).round() as usize,
        )
    }
}

#[test]
fn top_view_draws_each_zone_in_its_colour_and_leaves_the_eyes_bare() {
    use needlebench_viewer::zones::zone_srgb;
    let Some(f) = shoot(
        plan_recording(),
        &["--at", "0", "--view", "top", "--no-panels"],
        (640, 720),
    ) else {
        return;
    };
    let map = needlebench_viewer::Replay::open(plan_recording(), None)
        .expect("open")
        .face_map
        .expect("a plan recording holds its face map");
    let to_px = face_to_px(&f, &map);
    for id in ["left_cheek", "right_cheek", "forehead", "chin"] {
        let i = map.zone_index(id).unwrap();
        let (x, y) = to_px(map.zones[i].centroid_mm());
        assert!(
            near(f.px(x, y), srgb8(zone_srgb(i)), 3),
            "{id} at ({x}, {y}): {:?}",
            f.px(x, y)
        );
    }
    // The patient's right eye (a gap between zones): skin, not any zone's colour.
    let (x, y) = to_px([49.0, 170.0]);
    let eye = f.px(x, y);
    assert!(
        near(eye, srgb8(layer_srgb(Layer::StratumCorneum)), 3),
        "eye at ({x}, {y}): {eye:?}"
    );
}

/// The plan recording from the top at 0 s with the panels, 1280×900: rendered once for the
/// tests that read it (`None` without a renderer).
fn plan_panel_shot() -> Option<&'static Frame> {
    static SHOT: OnceLock<Option<Frame>> = OnceLock::new();
    SHOT.get_or_init(|| {
        shoot(
            plan_recording(),
            &["--at", "0", "--view", "top"],
            (1280, 900),
        )
    })
    .as_ref()
}

#[test]
fn panel_screenshot_writes_the_zone_captions_over_the_3d_view() {
    // The left cheek's caption is centred on the cheek, in the outline's dark shade: the
    // middle of the cheek's fill holds text pixels, far from its outline.
    use needlebench_viewer::zones::{zone_line_srgb, zone_srgb};
    let Some(f) = plan_panel_shot() else {
        return;
    };
    let map = needlebench_viewer::Replay::open(plan_recording(), None)
        .unwrap()
        .face_map
        .unwrap();
    let i = map.zone_index("left_cheek").unwrap();
    let fill = f.matching(|p| near(p, srgb8(zone_srgb(i)), 3));
    assert!(fill.len() > 500, "left cheek fill: {} pixels", fill.len());
    let cx = fill.iter().map(|h| h.0).sum::<usize>() / fill.len();
    let cy = fill.iter().map(|h| h.1).sum::<usize>() / fill.len();
    let text = count_in(f, cx - 25..cx + 25, cy - 6..cy + 6, |p| {
        near(p, srgb8(zone_line_srgb(i)), 40)
    });
    assert!(text >= 20, "caption pixels around ({cx}, {cy}): {text}");
}

/// Rows of text in one colour within `xs`: the y ranges (top, bottom) of pixel rows holding
/// at least 3 pixels near `colour`, rows less than 3 px apart merged.
fn text_lines(f: &Frame, xs: std::ops::Range<usize>, colour: [u8; 3]) -> Vec<(usize, usize)> {
    let mut lines: Vec<(usize, usize)> = Vec::new();
    for y in 0..f.h {
        if count_in(f, xs.clone(), y..y + 1, |p| near(p, colour, 12)) < 3 {
            continue;
        }
        match lines.last_mut() {
            Some(last) if y <= last.1 + 3 => last.1 = y,
            _ => lines.push((y, y)),
        }
    }
    lines
}

#[test]
fn score_panel_shows_the_overall_score_and_a_row_per_zone_in_pass_and_fail_colours() {
    use needlebench_checks::Outcome;
    use needlebench_viewer::palette::outcome_srgb;
    let card = needlebench_viewer::scorecard::score_dir(plan_recording()).expect("scored");
    assert!(!card.rows.is_empty());
    let Some(f) = plan_panel_shot() else {
        return;
    };
    // The right-hand panel: its score block is the first run of outcome-coloured lines,
    // each line under the previous one (the verdicts further down come after the
    // cross-section and the legend, a long way below).
    let xs = f.w * 3 / 4..f.w;
    let pass = srgb8(outcome_srgb(Outcome::Pass));
    let fail = srgb8(outcome_srgb(Outcome::Fail));
    let mut lines: Vec<(usize, bool)> = text_lines(f, xs.clone(), pass)
        .into_iter()
        .map(|l| (l.0, true))
        .chain(text_lines(f, xs, fail).into_iter().map(|l| (l.0, false)))
        .collect();
    lines.sort_unstable();
    let block_end = lines
        .windows(2)
        .position(|w| w[1].0 - w[0].0 > 40)
        .map_or(lines.len(), |i| i + 1);
    let block: Vec<bool> = lines[..block_end].iter().map(|l| l.1).collect();
    // Expected, top to bottom: the overall outcome, then each row's, and for a row with a
    // critical metric its critical line (one or two lines: it may wrap) in the same colour.
    let criticals = card
        .rows
        .iter()
        .filter(|r| !r.critical_text().is_empty())
        .count();
    let rows = 1 + card.rows.len();
    assert!(
        (rows..=rows + 2 * criticals).contains(&block.len()),
        "{} outcome-coloured lines in the score block, card has {rows} rows and {criticals} critical lines: {lines:?}",
        block.len()
    );
    let mut expected = vec![card.passed];
    expected.extend(card.rows.iter().map(|r| r.passed));
    let compress = |v: &[bool]| {
        let mut c = v.to_vec();
        c.dedup();
        c
    };
    assert_eq!(
        compress(&block),
        compress(&expected),
        "colours top to bottom"
    );
    assert_eq!(block[0], card.passed, "the overall line's colour");
}
