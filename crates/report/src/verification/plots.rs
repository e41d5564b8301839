//! The report's plots, inline SVG: depth excursion vs setting with the tolerance band (DV-1),
//! loaded rate vs nominal with its band (DV-2), deepest excursion vs the labelled maximum
//! (DV-3), fault latency vs bound (DV-4).

use super::RequirementResult;
use crate::html::svg::{Frame, escape, okabe_ito, ticks};
use std::fmt::Write as _;

const W: f64 = 560.0;
const H: f64 = 260.0;

struct Point {
    x: f64,
    y: f64,
    lo: f64,
    hi: f64,
    label: String,
}

fn metric(m: &std::collections::BTreeMap<String, f64>, k: &str) -> Option<f64> {
    m.get(k).copied().filter(|v| v.is_finite())
}

/// The plot of one requirement (empty when nothing was judged).
pub(super) fn for_requirement(q: &RequirementResult) -> String {
    let mut pts = Vec::new();
    let (x_title, y_title, band_title);
    match q.def.id {
        "DV-1" => {
            (x_title, y_title, band_title) =
                ("setting, µm", "excursion − setting, µm", "±tolerance");
            for e in &q.evidence {
                let m = &e.metrics;
                if let (Some(set), Some(mean), Some(min), Some(max), Some(tol)) = (
                    metric(m, "set_um"),
                    metric(m, "mean_um"),
                    metric(m, "min_um"),
                    metric(m, "max_um"),
                    metric(m, "tolerance_um"),
                ) {
                    pts.push((
                        Point {
                            x: set,
                            y: mean - set,
                            lo: min - set,
                            hi: max - set,
                            label: e.variant.clone(),
                        },
                        tol,
                    ));
                }
            }
        }
        "DV-2" => {
            (x_title, y_title, band_title) =
                ("nominal rate, Hz", "loaded rate − nominal, %", "±tolerance");
            for e in &q.evidence {
                let m = &e.metrics;
                if let (Some(hz), Some(dev), Some(worst), Some(tol)) = (
                    metric(m, "nominal_hz"),
                    metric(m, "mean_deviation_pct"),
                    metric(m, "worst_block_deviation_pct"),
                    metric(m, "tolerance_pct"),
                ) {
                    pts.push((
                        Point {
                            x: hz,
                            y: dev,
                            lo: -worst,
                            hi: worst,
                            label: e.variant.clone(),
                        },
                        tol,
                    ));
                }
            }
        }
        "DV-3" => {
            (x_title, y_title, band_title) =
                ("variant", "deepest excursion − labelled max, µm", "limit");
            for (i, e) in q.evidence.iter().enumerate() {
                if let (Some(d), Some(max)) = (
                    metric(&e.metrics, "deepest_um"),
                    metric(&e.metrics, "labelled_max_um"),
                ) {
                    pts.push((
                        Point {
                            x: i as f64 + 1.0,
                            y: d - max,
                            lo: d - max,
                            hi: d - max,
                            label: e.variant.clone(),
                        },
                        0.0,
                    ));
                }
            }
        }
        _ => {
            (x_title, y_title, band_title) = (
                "fault variant (hover a point for its fault)",
                "latency / bound",
                "bound",
            );
            let mut i = 0.0;
            for e in &q.evidence {
                let before = pts.len();
                for (k, v) in &e.metrics {
                    let Some(fault) = k.strip_suffix(".detect_ms") else {
                        continue;
                    };
                    if let Some(b) =
                        metric(&e.metrics, &format!("{fault}.detect_bound_ms")).filter(|b| *b > 0.0)
                    {
                        pts.push((
                            Point {
                                x: i + 1.0,
                                y: v / b,
                                lo: v / b,
                                hi: v / b,
                                label: format!("{fault} detection {v:.0} ms / {b} ms"),
                            },
                            1.0,
                        ));
                    }
                    if let (Some(s), Some(sb)) = (
                        metric(&e.metrics, &format!("{fault}.stop_ms")),
                        metric(&e.metrics, &format!("{fault}.stop_bound_ms")),
                    ) {
                        pts.push((
                            Point {
                                x: i + 1.2,
                                y: s / sb,
                                lo: s / sb,
                                hi: s / sb,
                                label: format!("{fault} stop {s:.0} ms / {sb} ms"),
                            },
                            1.0,
                        ));
                    }
                }
                if pts.len() > before {
                    i += 1.0;
                }
            }
        }
    }
    if pts.is_empty() {
        return String::new();
    }
    let ratio = q.def.id == "DV-4";
    let x_lo = pts.iter().map(|p| p.0.x).fold(f64::INFINITY, f64::min);
    let x_hi = pts.iter().map(|p| p.0.x).fold(f64::NEG_INFINITY, f64::max);
    let band = pts.iter().map(|p| p.1).fold(0.0, f64::max);
    let y_abs = pts
        .iter()
        .map(|p| p.0.lo.abs().max(p.0.hi.abs()))
        .fold(band, f64::max)
        .max(1e-3)
        * 1.15;
    let pad = ((x_hi - x_lo) * 0.06).max(0.5);
    let f = Frame {
        left: 70.0,
        top: 14.0,
        width: W - 90.0,
        height: H - 60.0,
        x: (x_lo - pad, x_hi + pad),
        y: if ratio {
            (0.0, y_abs.max(1.2))
        } else {
            (-y_abs, y_abs)
        },
    };
    let xt = ticks(f.x.0, f.x.1, 6);
    let yt = ticks(f.y.0, f.y.1, 5);
    let mut o = String::new();
    let _ = write!(
        o,
        r#"<svg xmlns="http://www.w3.org/2000/svg" width="{W}" height="{H}" role="img" aria-label="{}">"#,
        escape(y_title)
    );
    f.grid(&mut o, &xt, &yt);
    // the acceptance band (or line)
    let (b_top, b_bot) = if ratio { (band, 0.0) } else { (band, -band) };
    let _ = write!(
        o,
        r#"<rect x="{:.1}" y="{:.1}" width="{:.1}" height="{:.1}" fill="{}" fill-opacity="0.15"><title>{}</title></rect>"#,
        f.left,
        f.py(b_top),
        f.width,
        (f.py(b_bot) - f.py(b_top)).max(1.0),
        okabe_ito::GREEN,
        escape(band_title)
    );
    for (p, _) in &pts {
        let (x, y) = (f.px(p.x), f.py(p.y));
        let _ = write!(
            o,
            r#"<line x1="{x:.1}" y1="{:.1}" x2="{x:.1}" y2="{:.1}" stroke="{c}"/><circle cx="{x:.1}" cy="{y:.1}" r="3.5" fill="{c}"><title>{}</title></circle>"#,
            f.py(p.lo),
            f.py(p.hi),
            escape(&p.label),
            c = okabe_ito::BLUE,
        );
    }
    f.axes(&mut o, x_title, y_title, &xt, &yt);
    o.push_str("</svg>");
    o
}
