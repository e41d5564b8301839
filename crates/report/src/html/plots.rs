//! The three plots of a scenario, as inline SVG: density heat map, depth histogram with layer
//! boundaries, and motor current / stroke frequency / depth over time with event markers.

use super::svg::{Frame, escape, okabe_ito as oi, tick_label, ticks, viridis};
use needlebench_checks::{DensityGrid, DepthHistogram, EventKind, Marker, SeriesPoint};
use std::fmt::Write;

/// Placeholder when a plot has nothing to show.
fn empty(what: &str) -> String {
    format!(r#"<p class="nodata">{}</p>"#, escape(what))
}

/// The density heat map: one `<rect class="cell…">` per grid cell (cells outside the treated
/// area are grey and carry the class `out`), viridis over 0 to the largest in-area density,
/// a colour bar, axes in mm. Each cell has a tooltip with its position and density.
pub fn heat_map(g: &DensityGrid) -> String {
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
            let (class, fill) = if g.in_area[i] {
                ("cell", viridis(v / scale_max))
            } else {
                ("cell out", "#e4e4e4".to_owned())
            };
            let _ = write!(
                s,
                r#"<rect class="{class}" x="{px:.2}" y="{py:.2}" width="{cell_px:.2}" height="{cell_px:.2}" fill="{fill}"><title>x {cx:.1}–{:.1} mm, y {cy:.1}–{:.1} mm: {v:.0} /cm²{}</title></rect>"#,
                cx + g.cell_mm,
                cy + g.cell_mm,
                if g.in_area[i] {
                    ""
                } else {
                    " (outside the area)"
                }
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
    let (lx, ly) = (bar.left + 7.0, f.top + h + 30.0);
    let _ = write!(
        s,
        r#"<text x="{lx:.1}" y="{ly:.1}" class="at" text-anchor="middle">/cm²</text></svg>"#
    );
    s
}

/// Short and long names of the five layers, surface first.
const LAYERS: [(&str, &str); 5] = [
    ("SC", "stratum corneum"),
    ("VE", "viable epidermis"),
    ("PD", "papillary dermis"),
    ("RD", "reticular dermis"),
    ("HD", "hypodermis (fat)"),
];

/// The depth histogram: bars per bin, layers as shaded bands with their short names, layer
/// boundaries as dashed lines, and a legend naming each layer with its depth range.
pub fn depth_histogram(d: &DepthHistogram) -> String {
    let last = d.counts.iter().rposition(|&c| c > 0);
    let (Some(last), true) = (last, d.bin_um > 0.0 && d.bin_um.is_finite()) else {
        return empty("no punctures: no depth histogram");
    };
    let x_max = ((last + 1) as f64 * d.bin_um * 1.2).max(100.0);
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
    let b = &d.layer_boundaries_um;
    for (k, pair) in b.windows(2).enumerate() {
        let (top_um, bottom_um) = (pair[0].max(0.0), pair[1].min(x_max));
        if top_um.is_nan() || bottom_um.is_nan() || top_um >= bottom_um {
            continue;
        }
        let (x1, x2) = (f.px(top_um), f.px(bottom_um));
        let shade = if k % 2 == 0 { "band0" } else { "band1" };
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
        let _ = write!(
            legend,
            "<span><b>{short}</b> {long} {:.0}–{:.0} µm</span> ",
            pair[0], pair[1]
        );
    }
    legend.push_str("</p>");
    s + &legend
}

/// One trace of the time series.
struct Trace {
    title: &'static str,
    colour: &'static str,
    value: fn(&SeriesPoint) -> f64,
}

const TRACES: [Trace; 3] = [
    Trace {
        title: "motor current (mA)",
        colour: oi::VERMILLION,
        value: |p| p.motor_current_ma,
    },
    Trace {
        title: "stroke frequency (Hz)",
        colour: oi::BLUE,
        value: |p| p.stroke_hz,
    },
    Trace {
        title: "deepest puncture (µm)",
        colour: oi::GREEN,
        value: |p| p.max_depth_um,
    },
];

/// Colour and dash of a marker line by kind.
fn marker_style(kind: EventKind) -> (&'static str, &'static str) {
    match kind {
        EventKind::FaultRaised => (oi::VERMILLION, ""),
        EventKind::FaultCleared => (oi::GREEN, "6 3"),
        EventKind::LinkFailure => (oi::PURPLE, ""),
        _ => (oi::ORANGE, "2 3"),
    }
}

/// Motor current, stroke frequency and deepest puncture over time, three panels sharing the
/// time axis, with every marker as a labelled vertical line through all panels.
pub fn time_series(series: &[SeriesPoint], markers: &[Marker]) -> String {
    let points: Vec<&SeriesPoint> = series.iter().filter(|p| p.t_s.is_finite()).collect();
    let t_end = points
        .iter()
        .map(|p| p.t_s)
        .chain(markers.iter().map(|m| m.t_s).filter(|t| t.is_finite()))
        .fold(0.0, f64::max);
    if points.is_empty() || t_end <= 0.0 {
        return empty("no time series in this report");
    }
    let (left, width, panel_h, gap) = (70.0, 1060.0, 110.0, 30.0);
    let label_rows = 3usize.min(markers.len());
    let label_band = 16.0 * label_rows as f64 + 8.0;
    let top0 = label_band + 20.0;
    let height = top0 + 3.0 * panel_h + 2.0 * gap + 46.0;
    let mut s = format!(
        r#"<svg class="plot series" xmlns="http://www.w3.org/2000/svg" width="{:.0}" height="{height:.0}" viewBox="0 0 {:.0} {height:.0}" role="img"><title>Motor current, stroke frequency and depth over time</title>"#,
        left + width + 20.0,
        left + width + 20.0
    );
    let t_ticks = ticks(0.0, t_end, 10);
    for (k, trace) in TRACES.iter().enumerate() {
        let values: Vec<f64> = points.iter().map(|p| (trace.value)(p)).collect();
        let (lo, hi) = values
            .iter()
            .filter(|v| v.is_finite())
            .fold((0.0f64, 0.0f64), |(a, b), &v| (a.min(v), b.max(v)));
        let hi = if hi > lo { hi * 1.08 } else { lo + 1.0 };
        let f = Frame {
            left,
            top: top0 + k as f64 * (panel_h + gap),
            width,
            height: panel_h,
            x: (0.0, t_end),
            y: (lo, hi),
        };
        let x_title = if k == TRACES.len() - 1 {
            "time (s)"
        } else {
            ""
        };
        let y_ticks = ticks(lo, hi, 4);
        f.grid(&mut s, &t_ticks, &y_ticks);
        f.axes(
            &mut s,
            x_title,
            "",
            if k == TRACES.len() - 1 { &t_ticks } else { &[] },
            &y_ticks,
        );
        let _ = write!(
            s,
            r#"<text x="{:.1}" y="{:.1}" class="at" fill="{}">{}</text>"#,
            f.left,
            f.top - 7.0,
            trace.colour,
            trace.title
        );
        let mut path = String::new();
        let mut pen_down = false;
        for (p, v) in points.iter().zip(&values) {
            if !v.is_finite() {
                pen_down = false;
                continue;
            }
            let _ = write!(
                path,
                "{}{:.1},{:.1} ",
                if pen_down { "L" } else { "M" },
                f.px(p.t_s),
                f.py(*v)
            );
            pen_down = true;
        }
        let _ = write!(
            s,
            r#"<path d="{}" class="trace" stroke="{}"/>"#,
            path.trim_end(),
            trace.colour
        );
    }
    let bottom = top0 + 3.0 * panel_h + 2.0 * gap;
    let f = Frame {
        left,
        top: top0,
        width,
        height: bottom - top0,
        x: (0.0, t_end),
        y: (0.0, 1.0),
    };
    for (i, m) in markers
        .iter()
        .enumerate()
        .filter(|(_, m)| m.t_s.is_finite())
    {
        let x = f.px(m.t_s);
        let (colour, dash) = marker_style(m.kind);
        let ly = 14.0 + 16.0 * (i % 3) as f64;
        let label = format!("{} {}", m.kind.words(), m.label);
        let anchor = if x > left + width * 0.8 {
            "end"
        } else {
            "start"
        };
        let dx = if anchor == "end" { -3.0 } else { 3.0 };
        let _ = write!(
            s,
            r#"<g class="marker"><line x1="{x:.1}" y1="{:.1}" x2="{x:.1}" y2="{bottom:.1}" stroke="{colour}" stroke-dasharray="{dash}"/><text x="{:.1}" y="{ly:.1}" fill="{colour}" text-anchor="{anchor}" class="mk">{}</text><title>{:.3} s: {}</title></g>"#,
            ly + 3.0,
            x + dx,
            escape(&label),
            m.t_s,
            escape(&label)
        );
    }
    s.push_str("</svg>");
    s
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::fixture;

    #[test]
    fn heat_map_has_one_cell_per_grid_cell() {
        let r = fixture::report("x", vec![], 5, 3);
        let svg = heat_map(&r.density);
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
        let html = heat_map(&r.density);
        assert!(html.contains("nodata") && !html.contains("<svg"));
    }

    #[test]
    fn histogram_draws_bars_and_visible_boundaries() {
        let r = fixture::report("x", vec![], 2, 2);
        let svg = depth_histogram(&r.depths);
        let bars = r.depths.counts.iter().filter(|c| **c > 0).count();
        assert_eq!(svg.matches(r#"class="bar""#).count(), bars);
        // Data ends at 250 µm → x up to 300 µm: boundaries 15, 90, 250 are drawn, 1900 is not.
        assert_eq!(svg.matches(r#"class="boundary""#).count(), 3);
        assert!(svg.contains("layer boundary at 250 µm"));
        assert!(svg.contains("<b>RD</b> reticular dermis 250–1900 µm"));
    }

    #[test]
    fn histogram_without_punctures_says_so() {
        let mut r = fixture::report("x", vec![], 2, 2);
        r.depths.counts = vec![0; 4];
        assert!(depth_histogram(&r.depths).contains("no punctures"));
    }

    #[test]
    fn series_has_three_traces_and_escaped_markers() {
        let r = fixture::report("x", vec![], 2, 2);
        let svg = time_series(&r.series, &r.markers);
        assert_eq!(svg.matches(r#"class="trace""#).count(), 3);
        assert_eq!(svg.matches(r#"<g class="marker">"#).count(), 2);
        assert!(svg.contains("cartridge jam stall &lt;jam&gt;"));
        assert!(!svg.contains("<jam>"));
    }

    #[test]
    fn series_breaks_the_line_at_missing_values() {
        let mut r = fixture::report("x", vec![], 2, 2);
        r.series[50].motor_current_ma = f64::NAN;
        let svg = time_series(&r.series, &[]);
        let current = svg.split(r#"<path d=""#).nth(1).expect("first trace");
        assert_eq!(
            current.split('"').next().expect("d").matches('M').count(),
            2
        );
    }
}
