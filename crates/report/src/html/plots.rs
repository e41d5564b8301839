//! Two plots of a scenario, as inline SVG: the density heat map with the allowed range, and
//! the depth histogram with layer boundaries, the depth limits and the forbidden layers (the
//! time series is in [`super::series`]).

use super::svg::{Frame, escape, okabe_ito as oi, tick_label, ticks, viridis};
use crate::PlotLimits;
use needlebench_checks::{DensityGrid, DepthHistogram};
use std::fmt::Write;

/// Placeholder when a plot has nothing to show.
pub(super) fn empty(what: &str) -> String {
    format!(r#"<p class="nodata">{}</p>"#, escape(what))
}

/// The density heat map: one `<rect class="cell…">` per grid cell (cells outside the treated
/// area are grey and carry the class `out`; treated cells outside the allowed `range` are
/// outlined and carry `over` or `under`), viridis over 0 to the largest in-area density, a
/// colour bar with the range's bounds as lines, axes in mm. Each cell has a tooltip with its
/// position and density.
pub fn heat_map(g: &DensityGrid, range: Option<[f64; 2]>) -> String {
    let cells = g.cols.saturating_mul(g.rows);
    if cells == 0
        || g.per_cm2.len() != cells
        || g.in_area.len() != cells
        || !g.cell_mm.is_finite()
        || g.cell_mm <= 0.0
    {
        return empty("no density grid in this report");
    }
    let vmax = (0..cells)
        .filter(|&i| g.in_area[i] && g.per_cm2[i].is_finite())
        .map(|i| g.per_cm2[i])
        .fold(0.0, f64::max);
    let scale_max = if vmax > 0.0 { vmax } else { 1.0 };
    // Cells are square on screen: fit the grid into 380 × 300 px.
    let cell_px = (380.0 / g.cols as f64).min(300.0 / g.rows as f64);
    let (w, h) = (cell_px * g.cols as f64, cell_px * g.rows as f64);
    let [x0, y0] = g.origin_mm;
    let f = Frame {
        left: 62.0,
        top: 12.0,
        width: w,
        height: h,
        x: (x0, x0 + g.cell_mm * g.cols as f64),
        y: (y0, y0 + g.cell_mm * g.rows as f64),
    };
    let total_w = f.left + w + 110.0;
    let total_h = f.top + h + 46.0;
    let mut s = format!(
        r#"<svg class="plot heatmap" xmlns="http://www.w3.org/2000/svg" width="{total_w:.0}" height="{total_h:.0}" viewBox="0 0 {total_w:.0} {total_h:.0}" role="img"><title>Punctures per cm² over the treated area</title>"#
    );
    for row in 0..g.rows {
        for col in 0..g.cols {
            let i = row * g.cols + col;
            let (cx, cy) = (x0 + col as f64 * g.cell_mm, y0 + row as f64 * g.cell_mm);
            let (px, py) = (f.px(cx), f.py(cy + g.cell_mm));
            let v = g.per_cm2[i];
            let (class, fill) = match (g.in_area[i], range) {
                (false, _) => ("cell out", "#e4e4e4".to_owned()),
                (true, Some([_, hi])) if v > hi => ("cell over", viridis(v / scale_max)),
                (true, Some([lo, _])) if v < lo => ("cell under", viridis(v / scale_max)),
                (true, _) => ("cell", viridis(v / scale_max)),
            };
            let note = match class {
                "cell out" => " (outside the area)",
                "cell over" => " (over the allowed maximum)",
                "cell under" => " (under the allowed minimum)",
                _ => "",
            };
            let _ = write!(
                s,
                r#"<rect class="{class}" x="{px:.2}" y="{py:.2}" width="{cell_px:.2}" height="{cell_px:.2}" fill="{fill}"><title>x {cx:.1}–{:.1} mm, y {cy:.1}–{:.1} mm: {v:.0} /cm²{}</title></rect>"#,
                cx + g.cell_mm,
                cy + g.cell_mm,
                note
            );
        }
    }
    f.axes(
        &mut s,
        "x (mm)",
        "y (mm)",
        &ticks(f.x.0, f.x.1, 5),
        &ticks(f.y.0, f.y.1, 5),
    );
    // Colour bar.
    let bar = Frame {
        left: f.left + w + 18.0,
        top: f.top,
        width: 14.0,
        height: h,
        x: (0.0, 1.0),
        y: (0.0, scale_max),
    };
    let _ = write!(
        s,
        r#"<defs><linearGradient id="vir" x1="0" y1="1" x2="0" y2="0">"#
    );
    for k in 0..=10 {
        let t = f64::from(k) / 10.0;
        let _ = write!(s, r#"<stop offset="{t:.1}" stop-color="{}"/>"#, viridis(t));
    }
    let _ = write!(
        s,
        r##"</linearGradient></defs><rect x="{:.1}" y="{:.1}" width="{:.1}" height="{:.1}" fill="url(#vir)" stroke="#666"/>"##,
        bar.left, bar.top, bar.width, bar.height
    );
    let bt = ticks(0.0, scale_max, 5);
    for &v in &bt {
        let y = bar.py(v);
        let _ = write!(
            s,
            r#"<line x1="{:.1}" y1="{y:.1}" x2="{:.1}" y2="{y:.1}" class="tick"/><text x="{:.1}" y="{:.1}" class="tl">{}</text>"#,
            bar.left + bar.width,
            bar.left + bar.width + 4.0,
            bar.left + bar.width + 6.0,
            y + 4.0,
            tick_label(v, &bt)
        );
    }
    let mut legend = String::new();
    if let Some([lo, hi]) = range {
        for (v, name) in [(lo, "min"), (hi, "max")] {
            if !(v.is_finite() && (0.0..=scale_max).contains(&v)) {
                continue;
            }
            let y = bar.py(v);
            let _ = write!(
                s,
                r#"<g class="limit"><line x1="{:.1}" y1="{y:.1}" x2="{:.1}" y2="{y:.1}"/><text x="{:.1}" y="{:.1}">{name}</text></g>"#,
                bar.left - 5.0,
                bar.left + bar.width + 5.0,
                bar.left + bar.width + 40.0,
                y + 4.0
            );
        }
        let count = |c: &str| s.matches(&format!(r#"<rect class="cell {c}""#)).count();
        let _ = write!(
            legend,
            r#"<p class="legend">allowed {lo:.0}–{hi:.0} /cm²: {} cells over, {} under (outlined)</p>"#,
            count("over"),
            count("under")
        );
    }
    let (lx, ly) = (bar.left + 7.0, f.top + h + 30.0);
    let _ = write!(
        s,
        r#"<text x="{lx:.1}" y="{ly:.1}" class="at" text-anchor="middle">/cm²</text></svg>"#
    );
    s + &legend
}

/// Short and long names of the layers, surface first (indexed like `Layer::ALL`).
const LAYERS: [(&str, &str); 8] = [
    ("SC", "stratum corneum"),
    ("VE", "viable epidermis"),
    ("PD", "papillary dermis"),
    ("RD", "reticular dermis"),
    ("HD", "hypodermis (fat)"),
    ("MU", "muscle"),
    ("CA", "cartilage"),
    ("BO", "bone"),
];

/// The depth histogram: bars per bin, layers as shaded bands with their short names (the
/// forbidden ones in red), layer boundaries as dashed lines, the depth limits of `limits`
/// (resolved) and the top of the shallowest forbidden layer as solid lines, and a legend
/// naming each layer with its depth range.
pub fn depth_histogram(d: &DepthHistogram, limits: &PlotLimits) -> String {
    let last = d.counts.iter().rposition(|&c| c > 0);
    let (Some(last), true) = (last, d.bin_um > 0.0 && d.bin_um.is_finite()) else {
        return empty("no punctures: no depth histogram");
    };
    let b = &d.layer_boundaries_um;
    let forbidden = |k: usize| limits.forbidden_layers.contains(&k);
    let forbidden_from = (0..b.len().saturating_sub(1))
        .find(|&k| forbidden(k))
        .map(|k| b[k])
        .filter(|v| v.is_finite());
    let mut lines: Vec<(f64, String)> = [
        (limits.depth_max_um, "depth limit"),
        (limits.depth_fail_um, "fail above"),
        (limits.site_max_um, "site maximum"),
        (forbidden_from, "forbidden layer"),
    ]
    .into_iter()
    .filter_map(|(v, what)| v.filter(|v| v.is_finite() && *v > 0.0).map(|v| (v, what)))
    .map(|(v, what)| (v, format!("{what} {v:.0} µm")))
    .collect();
    let data_max = ((last + 1) as f64 * d.bin_um * 1.2).max(100.0);
    // Limits far beyond the data (a forbidden fat layer 2 mm down) would squash the bars:
    // they are named in a note instead.
    let (shown, far): (Vec<_>, Vec<_>) = lines.drain(..).partition(|(v, _)| *v <= 3.0 * data_max);
    let x_max = shown.iter().map(|(v, _)| v * 1.08).fold(data_max, f64::max);
    let c_max = d.counts.iter().copied().max().unwrap_or(1).max(1) as f64;
    let f = Frame {
        left: 66.0,
        top: 26.0,
        width: 410.0,
        height: 250.0,
        x: (0.0, x_max),
        y: (0.0, c_max * 1.08),
    };
    let mut s = format!(
        r#"<svg class="plot histogram" xmlns="http://www.w3.org/2000/svg" width="496" height="320" viewBox="0 0 496 320" role="img"><title>Depth reached, punctures per {:.0} µm bin</title>"#,
        d.bin_um
    );
    // Layer bands behind the bars.
    for (k, pair) in b.windows(2).enumerate() {
        let (top_um, bottom_um) = (pair[0].max(0.0), pair[1].min(x_max));
        if top_um.is_nan() || bottom_um.is_nan() || top_um >= bottom_um {
            continue;
        }
        let (x1, x2) = (f.px(top_um), f.px(bottom_um));
        let shade = if forbidden(k) {
            "forbidden"
        } else if k % 2 == 0 {
            "band0"
        } else {
            "band1"
        };
        let _ = write!(
            s,
            r#"<rect x="{x1:.1}" y="{:.1}" width="{:.1}" height="{:.1}" class="{shade}"/>"#,
            f.top,
            x2 - x1,
            f.height
        );
        if x2 - x1 >= 18.0 {
            let short = LAYERS.get(k).map_or("?", |l| l.0);
            let _ = write!(
                s,
                r#"<text x="{:.1}" y="{:.1}" class="layer" text-anchor="middle">{short}</text>"#,
                (x1 + x2) / 2.0,
                f.top - 8.0
            );
        }
    }
    let (x_ticks, y_ticks) = (ticks(0.0, x_max, 6), ticks(0.0, c_max, 5));
    f.grid(&mut s, &[], &y_ticks);
    for (i, &c) in d.counts.iter().enumerate() {
        let lo = i as f64 * d.bin_um;
        if c == 0 || lo >= x_max {
            continue;
        }
        let (x1, x2) = (f.px(lo), f.px((lo + d.bin_um).min(x_max)));
        let y = f.py(c as f64);
        let _ = write!(
            s,
            r#"<rect class="bar" x="{x1:.2}" y="{y:.2}" width="{:.2}" height="{:.2}" fill="{}"><title>{lo:.0}–{:.0} µm: {c} punctures</title></rect>"#,
            (x2 - x1 - 0.5).max(0.5),
            f.top + f.height - y,
            oi::BLUE,
            lo + d.bin_um
        );
    }
    for &um in b.iter().filter(|&&um| um > 0.0 && um < x_max) {
        let x = f.px(um);
        let _ = write!(
            s,
            r#"<line x1="{x:.1}" y1="{:.1}" x2="{x:.1}" y2="{:.1}" class="boundary"><title>layer boundary at {um:.0} µm</title></line>"#,
            f.top - 4.0,
            f.top + f.height
        );
    }
    for (i, (um, label)) in shown.iter().enumerate() {
        let x = f.px(*um);
        let anchor = if x > f.left + f.width * 0.6 {
            "end"
        } else {
            "start"
        };
        let dx = if anchor == "end" { -3.0 } else { 3.0 };
        let _ = write!(
            s,
            r#"<g class="limit"><line x1="{x:.1}" y1="{:.1}" x2="{x:.1}" y2="{:.1}"/><text x="{:.1}" y="{:.1}" text-anchor="{anchor}">{}</text></g>"#,
            f.top,
            f.top + f.height,
            x + dx,
            f.top + 12.0 + 13.0 * i as f64,
            escape(label)
        );
    }
    f.axes(
        &mut s,
        "depth below the surface (µm)",
        "punctures",
        &x_ticks,
        &y_ticks,
    );
    s.push_str("</svg>");
    let mut legend = String::from(r#"<p class="legend">"#);
    for (k, pair) in b.windows(2).enumerate() {
        let (short, long) = LAYERS.get(k).copied().unwrap_or(("?", "layer"));
        if d.floor.is_some_and(|f| f.index() == k) {
            let _ = write!(
                legend,
                "<span><b>{short}</b> {long}: the floor from {:.0} µm, no needle passes{}</span> ",
                pair[0],
                if forbidden(k) { " (forbidden)" } else { "" }
            );
            continue;
        }
        if pair[1] <= pair[0] {
            continue; // not at this site
        }
        let _ = write!(
            legend,
            "<span><b>{short}</b> {long} {:.0}–{:.0} µm{}</span> ",
            pair[0],
            pair[1],
            if forbidden(k) { " (forbidden)" } else { "" }
        );
    }
    for (_, label) in &far {
        let _ = write!(legend, "<span>{} (beyond the plot)</span> ", escape(label));
    }
    legend.push_str("</p>");
    s + &legend
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::fixture;

    #[test]
    fn heat_map_has_one_cell_per_grid_cell() {
        let r = fixture::report("x", vec![], 5, 3);
        let svg = heat_map(&r.density, None);
        assert_eq!(svg.matches(r#"<rect class="cell"#).count(), 15);
        let out = r.density.in_area.iter().filter(|a| !**a).count();
        assert_eq!(svg.matches(r#"<rect class="cell out""#).count(), out);
        // The densest in-area cell gets the top of the scale.
        assert!(svg.contains(r##"fill="#fde725""##));
    }

    #[test]
    fn heat_map_refuses_inconsistent_grid() {
        let mut r = fixture::report("x", vec![], 5, 3);
        r.density.per_cm2.pop();
        let html = heat_map(&r.density, None);
        assert!(html.contains("nodata") && !html.contains("<svg"));
    }

    #[test]
    fn histogram_draws_bars_and_visible_boundaries() {
        let r = fixture::report("x", vec![], 2, 2);
        let svg = depth_histogram(&r.depths, &PlotLimits::default());
        let bars = r.depths.counts.iter().filter(|c| **c > 0).count();
        assert_eq!(svg.matches(r#"class="bar""#).count(), bars);
        // Data ends at 250 µm → x up to 300 µm: boundaries 15, 90, 250 are drawn, 1900 is not.
        assert_eq!(svg.matches(r#"class="boundary""#).count(), 3);
        assert!(svg.contains("layer boundary at 250 µm"));
        assert!(svg.contains("<b>RD</b> reticular dermis 250–1900 µm"));
    }

    #[test]
    fn heat_map_outlines_cells_outside_the_range_and_marks_it_on_the_bar() {
        // Cells hold 0, 1000, …, 5000 /cm²; cell 3 is outside the area.
        let r = fixture::report("x", vec![], 3, 2);
        let svg = heat_map(&r.density, Some([1500.0, 4500.0]));
        assert_eq!(svg.matches(r#"<rect class="cell over""#).count(), 1);
        assert_eq!(svg.matches(r#"<rect class="cell under""#).count(), 2);
        assert_eq!(svg.matches(r#"<g class="limit">"#).count(), 2);
        assert!(svg.contains("allowed 1500–4500 /cm²: 1 cells over, 2 under"));
        // A bound above the scale draws no line.
        let svg = heat_map(&r.density, Some([100.0, 100_000.0]));
        assert_eq!(svg.matches(r#"<g class="limit">"#).count(), 1);
    }

    #[test]
    fn histogram_draws_depth_limits_and_the_forbidden_layer() {
        let r = fixture::report("x", vec![], 2, 2);
        let limits = PlotLimits {
            depth_max_um: Some(250.0),
            depth_fail_um: Some(300.0),
            forbidden_layers: vec![3, 4],
            ..PlotLimits::default()
        };
        let svg = depth_histogram(&r.depths, &limits);
        // Forbidden from 250 µm (top of the reticular dermis), within reach of the data.
        assert_eq!(svg.matches(r#"<g class="limit">"#).count(), 3);
        assert!(svg.contains(">depth limit 250 µm<") && svg.contains(">fail above 300 µm<"));
        assert!(svg.contains(">forbidden layer 250 µm<"));
        assert_eq!(svg.matches(r#"class="forbidden""#).count(), 1);
        assert!(svg.contains("reticular dermis 250–1900 µm (forbidden)"));
        // Only the hypodermis forbidden: 1900 µm is far beyond the data, named in the legend.
        let deep = PlotLimits {
            forbidden_layers: vec![4],
            ..PlotLimits::default()
        };
        let svg = depth_histogram(&r.depths, &deep);
        assert!(!svg.contains(r#"<g class="limit">"#));
        assert!(svg.contains("forbidden layer 1900 µm (beyond the plot)"));
    }

    #[test]
    fn histogram_without_punctures_says_so() {
        let mut r = fixture::report("x", vec![], 2, 2);
        r.depths.counts = vec![0; 4];
        assert!(depth_histogram(&r.depths, &PlotLimits::default()).contains("no punctures"));
    }
}
