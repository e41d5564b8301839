//! Motor current, stroke frequency, deepest puncture, battery voltage and hand force over
//! time: five panels sharing the time axis, with limit lines where the scenario has a limit
//! and every firmware or injected event as a labelled vertical line through all panels.

use super::plots::empty;
use super::svg::{Frame, escape, okabe_ito as oi, ticks};
use crate::PlotLimits;
use needlebench_checks::{EventKind, Marker, SeriesPoint};
use std::fmt::Write;

/// One trace of the time series.
struct Trace {
    title: &'static str,
    colour: &'static str,
    value: fn(&SeriesPoint) -> f64,
    /// Its limits: lines at `[lo, hi]` with the band between shaded, or one line.
    limits: fn(&PlotLimits) -> Vec<(f64, String)>,
}

const TRACES: [Trace; 5] = [
    Trace {
        title: "motor current (mA)",
        colour: oi::VERMILLION,
        value: |p| p.motor_current_ma,
        limits: |_| Vec::new(),
    },
    Trace {
        title: "stroke frequency (Hz)",
        colour: oi::BLUE,
        value: |p| p.stroke_hz,
        limits: |l| {
            l.stroke_hz
                .map(|[lo, hi]| {
                    vec![
                        (lo, format!("expected ≥ {lo:.1} Hz")),
                        (hi, format!("expected ≤ {hi:.1} Hz")),
                    ]
                })
                .unwrap_or_default()
        },
    },
    Trace {
        title: "deepest puncture (µm)",
        colour: oi::GREEN,
        value: |p| p.max_depth_um,
        limits: |l| {
            let mut v = Vec::new();
            if let Some(d) = l.depth_max_um {
                v.push((d, format!("depth limit {d:.0} µm")));
            }
            if let Some(d) = l.site_max_um {
                v.push((d, format!("site maximum {d:.0} µm")));
            }
            v
        },
    },
    Trace {
        title: "battery voltage (mV)",
        colour: oi::PURPLE,
        value: |p| p.battery_mv,
        limits: |_| Vec::new(),
    },
    Trace {
        title: "hand force (N)",
        colour: oi::SKY_BLUE,
        value: |p| p.hand_force_n,
        limits: |_| Vec::new(),
    },
];

/// An event marker in words for people: `fault raised: stall`, `fault cleared: over
/// current`, `link failure: …`, `injected: cartridge jam` (an injection's label is the
/// injection in words already, e.g. `cartridge jam for 0.5 s`). The one place event kinds are
/// turned into text, from [`EventKind::words`].
pub fn event_words(kind: EventKind, label: &str) -> String {
    let detail = label.trim().replace('_', " ");
    if kind.is_injection() {
        return join(&format!("injected: {}", kind.words()), &detail);
    }
    join(kind.words(), &detail)
}

fn join(what: &str, detail: &str) -> String {
    if detail.is_empty() {
        what.to_owned()
    } else {
        format!("{what}: {detail}")
    }
}

/// Colour and dash of a marker line by kind.
fn marker_style(kind: EventKind) -> (&'static str, &'static str) {
    match kind {
        EventKind::FaultRaised => (oi::VERMILLION, ""),
        EventKind::FaultCleared => (oi::GREEN, "6 3"),
        EventKind::LinkFailure => (oi::PURPLE, ""),
        _ => (oi::ORANGE, "2 3"),
    }
}

/// The five panels, limit lines from `limits` (resolved), and the markers.
pub fn time_series(series: &[SeriesPoint], markers: &[Marker], limits: &PlotLimits) -> String {
    let points: Vec<&SeriesPoint> = series.iter().filter(|p| p.t_s.is_finite()).collect();
    let t_end = points
        .iter()
        .map(|p| p.t_s)
        .chain(markers.iter().map(|m| m.t_s).filter(|t| t.is_finite()))
        .fold(0.0, f64::max);
    if points.is_empty() || t_end <= 0.0 {
        return empty("no time series in this report");
    }
    let (left, width, panel_h, gap) = (70.0, 1060.0, 96.0, 30.0);
    let panels = TRACES.len() as f64;
    let label_rows = 3usize.min(markers.len());
    let label_band = 16.0 * label_rows as f64 + 8.0;
    let top0 = label_band + 20.0;
    let bottom = top0 + panels * panel_h + (panels - 1.0) * gap;
    let height = bottom + 46.0;
    let total_w = left + width + 20.0;
    let mut s = format!(
        r#"<svg class="plot series" xmlns="http://www.w3.org/2000/svg" width="{total_w:.0}" height="{height:.0}" viewBox="0 0 {total_w:.0} {height:.0}" role="img"><title>Motor current, stroke frequency, depth, battery voltage and hand force over time</title>"#
    );
    let t_ticks = ticks(0.0, t_end, 10);
    for (k, trace) in TRACES.iter().enumerate() {
        let values: Vec<f64> = points.iter().map(|p| (trace.value)(p)).collect();
        let lines: Vec<(f64, String)> = (trace.limits)(limits)
            .into_iter()
            .filter(|(v, _)| v.is_finite())
            .collect();
        let recorded = values.iter().any(|v| v.is_finite());
        let (lo, hi) = values
            .iter()
            .chain(lines.iter().map(|(v, _)| v))
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
        let last = k == TRACES.len() - 1;
        let y_ticks = ticks(lo, hi, 4);
        f.grid(&mut s, &t_ticks, &y_ticks);
        if let [(a, _), (b, _)] = lines.as_slice() {
            let (y1, y2) = (f.py(a.max(*b)), f.py(a.min(*b)));
            let _ = write!(
                s,
                r#"<rect class="band" x="{:.1}" y="{y1:.1}" width="{:.1}" height="{:.1}"/>"#,
                f.left,
                f.width,
                y2 - y1
            );
        }
        f.axes(
            &mut s,
            if last { "time (s)" } else { "" },
            "",
            if last { &t_ticks } else { &[] },
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
        if !recorded {
            let _ = write!(
                s,
                r#"<text x="{:.1}" y="{:.1}" class="nodata-svg" text-anchor="middle">not recorded</text>"#,
                f.left + f.width / 2.0,
                f.top + f.height / 2.0
            );
        }
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
        let band_low = match lines.as_slice() {
            [(a, _), (b, _)] => Some(a.min(*b)),
            _ => None,
        };
        for (v, label) in &lines {
            let y = f.py(*v);
            // A band's lower bound is labelled below its line, so the two labels do not meet.
            let ty = if band_low == Some(*v) {
                y + 12.0
            } else {
                y - 3.0
            };
            let _ = write!(
                s,
                r#"<g class="limit"><line x1="{:.1}" y1="{y:.1}" x2="{:.1}" y2="{y:.1}"/><text x="{:.1}" y="{:.1}" text-anchor="end">{}</text></g>"#,
                f.left,
                f.left + f.width,
                f.left + f.width - 4.0,
                ty,
                escape(label)
            );
        }
    }
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
        let label = event_words(m.kind, &m.label);
        let anchor = if x > left + width * 0.8 {
            "end"
        } else {
            "start"
        };
        let dx = if anchor == "end" { -3.0 } else { 3.0 };
        let _ = write!(
            s,
            r#"<g class="marker"><line x1="{x:.1}" y1="{:.1}" x2="{x:.1}" y2="{bottom:.1}" stroke="{colour}" stroke-dasharray="{dash}"/><text x="{:.1}" y="{ly:.1}" fill="{colour}" text-anchor="{anchor}" class="mk">{}</text><title>{:.3} s: {} ({})</title></g>"#,
            ly + 3.0,
            x + dx,
            escape(&label),
            m.t_s,
            escape(&label),
            escape(&m.label)
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
    fn events_are_named_in_words() {
        use EventKind as K;
        assert_eq!(event_words(K::FaultRaised, "stall"), "fault raised: stall");
        assert_eq!(
            event_words(K::FaultCleared, "over_current"),
            "fault cleared: over current"
        );
        assert_eq!(
            event_words(K::CartridgeJam, "for 0.5 s"),
            "injected: cartridge jam: for 0.5 s"
        );
        assert_eq!(
            event_words(K::LinkFailure, "no reply"),
            "link failure: no reply"
        );
        assert_eq!(event_words(K::FaultRaised, ""), "fault raised");
    }

    #[test]
    fn series_has_five_traces_and_escaped_markers_in_words() {
        let r = fixture::report("x", vec![], 2, 2);
        let svg = time_series(&r.series, &r.markers, &PlotLimits::default());
        assert_eq!(svg.matches(r#"class="trace""#).count(), 5);
        assert!(svg.contains("battery voltage (mV)") && svg.contains("hand force (N)"));
        assert_eq!(svg.matches(r#"<g class="marker">"#).count(), 2);
        assert!(svg.contains(">fault raised: stall</text>"), "{svg}");
        assert!(
            svg.contains("injected: cartridge jam: stall &lt;jam&gt;"),
            "{svg}"
        );
        assert!(!svg.contains("<jam>") && !svg.contains(">fault_raised"));
    }

    #[test]
    fn stroke_band_and_depth_limit_are_drawn_and_in_range() {
        let r = fixture::report("x", vec![], 2, 2);
        let limits = PlotLimits {
            stroke_hz: Some([131.1, 144.9]),
            depth_max_um: Some(550.0),
            ..PlotLimits::default()
        };
        let svg = time_series(&r.series, &r.markers, &limits);
        assert_eq!(svg.matches(r#"<g class="limit">"#).count(), 3);
        assert_eq!(svg.matches(r#"class="band""#).count(), 1);
        assert!(svg.contains("expected ≥ 131.1 Hz") && svg.contains("depth limit 550 µm"));
        // The depth panel reaches up to the limit (data only reach 200 µm): a 400 tick.
        let none = time_series(&r.series, &r.markers, &PlotLimits::default());
        assert!(!none.contains(r#"class="limit""#));
        assert!(svg.matches(">400</text>").count() > none.matches(">400</text>").count());
    }

    #[test]
    fn series_breaks_the_line_at_missing_values_and_says_not_recorded() {
        let mut r = fixture::report("x", vec![], 2, 2);
        r.series[50].motor_current_ma = f64::NAN;
        for p in &mut r.series {
            p.battery_mv = f64::NAN;
        }
        let svg = time_series(&r.series, &[], &PlotLimits::default());
        let current = svg.split(r#"<path d=""#).nth(1).expect("first trace");
        assert_eq!(
            current.split('"').next().expect("d").matches('M').count(),
            2
        );
        assert_eq!(svg.matches("not recorded").count(), 1);
    }
}
