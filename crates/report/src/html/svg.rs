//! Small SVG helpers: escaping, nice ticks, a plot frame with axes, colour scales.

use std::fmt::Write;

/// Escape text for HTML and XML, in text and in attribute values.
pub fn escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

/// Okabe–Ito colours (safe for the common colour-vision deficiencies).
pub mod okabe_ito {
    /// Orange.
    pub const ORANGE: &str = "#E69F00";
    /// Sky blue.
    pub const SKY_BLUE: &str = "#56B4E9";
    /// Bluish green.
    pub const GREEN: &str = "#009E73";
    /// Blue.
    pub const BLUE: &str = "#0072B2";
    /// Vermillion.
    pub const VERMILLION: &str = "#D55E00";
    /// Reddish purple.
    pub const PURPLE: &str = "#CC79A7";
}

/// Viridis at ten evenly spaced points (matplotlib's values).
const VIRIDIS: [[u8; 3]; 10] = [
    [0x44, 0x01, 0x54],
    [0x48, 0x28, 0x78],
    [0x3E, 0x4A, 0x89],
    [0x31, 0x68, 0x8E],
    [0x26, 0x82, 0x8E],
    [0x1F, 0x9E, 0x89],
    [0x35, 0xB7, 0x79],
    [0x6D, 0xCD, 0x59],
    [0xB4, 0xDE, 0x2C],
    [0xFD, 0xE7, 0x25],
];

/// Viridis colour for `f` in 0–1 (clamped; NaN is the low end), as `#rrggbb`.
pub fn viridis(f: f64) -> String {
    let f = if f.is_nan() { 0.0 } else { f.clamp(0.0, 1.0) };
    let pos = f * (VIRIDIS.len() - 1) as f64;
    let i = (pos.floor() as usize).min(VIRIDIS.len() - 2);
    let frac = pos - i as f64;
    let mix = |k: usize| {
        let a = f64::from(VIRIDIS[i][k]);
        let b = f64::from(VIRIDIS[i + 1][k]);
        (a + (b - a) * frac).round() as u8
    };
    format!("#{:02x}{:02x}{:02x}", mix(0), mix(1), mix(2))
}

/// Round tick values covering `lo..=hi`, about `target` of them (1, 2 or 5 × 10ⁿ apart).
pub fn ticks(lo: f64, hi: f64, target: usize) -> Vec<f64> {
    if !(lo.is_finite() && hi.is_finite()) || hi <= lo || target == 0 {
        return vec![];
    }
    let raw = (hi - lo) / target as f64;
    let mag = 10f64.powf(raw.log10().floor());
    let step = [1.0, 2.0, 5.0, 10.0]
        .iter()
        .map(|m| m * mag)
        .find(|s| *s >= raw)
        .unwrap_or(10.0 * mag);
    let first = (lo / step).ceil() as i64;
    let last = (hi / step + 1e-9).floor() as i64;
    (first..=last).map(|k| k as f64 * step).collect()
}

/// A tick label: as many decimals as the tick spacing needs.
pub fn tick_label(v: f64, ticks: &[f64]) -> String {
    let step = match ticks {
        [a, b, ..] => (b - a).abs(),
        _ => 1.0,
    };
    let v = if v.abs() < step * 1e-9 { 0.0 } else { v };
    if step >= 10_000.0 && v != 0.0 {
        // Big round numbers: thousands as `k` keep the labels short.
        return format!("{:.0}k", v / 1000.0);
    }
    let decimals = if step >= 1.0 {
        0
    } else {
        (-step.log10()).ceil() as usize
    };
    format!("{v:.decimals$}")
}

/// A rectangle of the picture (px) showing a data range.
#[derive(Debug, Clone, Copy)]
pub struct Frame {
    /// Left edge, px.
    pub left: f64,
    /// Top edge, px.
    pub top: f64,
    /// Width, px.
    pub width: f64,
    /// Height, px.
    pub height: f64,
    /// Data range along x.
    pub x: (f64, f64),
    /// Data range along y.
    pub y: (f64, f64),
}

impl Frame {
    /// Picture x of data `v`.
    pub fn px(&self, v: f64) -> f64 {
        let (a, b) = self.x;
        self.left + (v - a) / (b - a) * self.width
    }

    /// Picture y of data `v` (up is larger).
    pub fn py(&self, v: f64) -> f64 {
        let (a, b) = self.y;
        self.top + self.height - (v - a) / (b - a) * self.height
    }

    /// Light grid lines at `x_ticks` and `y_ticks` (draw before the data).
    pub fn grid(&self, out: &mut String, x_ticks: &[f64], y_ticks: &[f64]) {
        for &v in x_ticks {
            let x = self.px(v);
            let _ = write!(
                out,
                r##"<line x1="{x:.1}" y1="{:.1}" x2="{x:.1}" y2="{:.1}" class="grid"/>"##,
                self.top,
                self.top + self.height
            );
        }
        for &v in y_ticks {
            let y = self.py(v);
            let _ = write!(
                out,
                r##"<line x1="{:.1}" y1="{y:.1}" x2="{:.1}" y2="{y:.1}" class="grid"/>"##,
                self.left,
                self.left + self.width
            );
        }
    }

    /// Frame, ticks with labels, and axis titles (draw after the data).
    pub fn axes(
        &self,
        out: &mut String,
        x_title: &str,
        y_title: &str,
        x_ticks: &[f64],
        y_ticks: &[f64],
    ) {
        let (l, t, w, h) = (self.left, self.top, self.width, self.height);
        let _ = write!(
            out,
            r##"<rect x="{l:.1}" y="{t:.1}" width="{w:.1}" height="{h:.1}" class="frame"/>"##
        );
        for &v in x_ticks {
            let x = self.px(v);
            let b = t + h;
            let _ = write!(
                out,
                r##"<line x1="{x:.1}" y1="{b:.1}" x2="{x:.1}" y2="{:.1}" class="tick"/><text x="{x:.1}" y="{:.1}" class="tl" text-anchor="middle">{}</text>"##,
                b + 4.0,
                b + 16.0,
                tick_label(v, x_ticks)
            );
        }
        for &v in y_ticks {
            let y = self.py(v);
            let _ = write!(
                out,
                r##"<line x1="{:.1}" y1="{y:.1}" x2="{l:.1}" y2="{y:.1}" class="tick"/><text x="{:.1}" y="{:.1}" class="tl" text-anchor="end">{}</text>"##,
                l - 4.0,
                l - 6.0,
                y + 4.0,
                tick_label(v, y_ticks)
            );
        }
        if !x_title.is_empty() {
            let _ = write!(
                out,
                r##"<text x="{:.1}" y="{:.1}" class="at" text-anchor="middle">{}</text>"##,
                l + w / 2.0,
                t + h + 32.0,
                escape(x_title)
            );
        }
        if !y_title.is_empty() {
            let (cx, cy) = (l - 44.0, t + h / 2.0);
            let _ = write!(
                out,
                r##"<text x="{cx:.1}" y="{cy:.1}" class="at" text-anchor="middle" transform="rotate(-90 {cx:.1} {cy:.1})">{}</text>"##,
                escape(y_title)
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_markup_and_quotes() {
        assert_eq!(escape(r#"a<b>&"c"'"#), "a&lt;b&gt;&amp;&quot;c&quot;&#39;");
        assert_eq!(escape("µm ≤ 5"), "µm ≤ 5");
    }

    #[test]
    fn ticks_are_round_and_inside() {
        assert_eq!(ticks(0.0, 10.0, 5), vec![0.0, 2.0, 4.0, 6.0, 8.0, 10.0]);
        assert_eq!(ticks(0.3, 1.0, 3), vec![0.5, 1.0]);
        assert_eq!(ticks(0.0, 950.0, 4), vec![0.0, 500.0]);
        assert!(ticks(1.0, 1.0, 5).is_empty());
        assert!(ticks(0.0, f64::NAN, 5).is_empty());
        let t = ticks(0.0, 0.3, 3);
        assert_eq!(tick_label(t[1], &t), "0.1");
        let t = ticks(0.0, 3000.0, 3);
        assert_eq!(tick_label(t[1], &t), "1000");
        let t = ticks(0.0, 120_000.0, 5);
        assert_eq!(tick_label(t[1], &t), "50k");
        assert_eq!(tick_label(t[0], &t), "0");
    }

    #[test]
    fn viridis_ends_and_clamps() {
        assert_eq!(viridis(0.0), "#440154");
        assert_eq!(viridis(1.0), "#fde725");
        assert_eq!(viridis(7.0), "#fde725");
        assert_eq!(viridis(f64::NAN), "#440154");
        assert_ne!(viridis(0.5), viridis(0.6));
    }

    #[test]
    fn frame_maps_data_to_pixels() {
        let f = Frame {
            left: 10.0,
            top: 20.0,
            width: 100.0,
            height: 50.0,
            x: (0.0, 10.0),
            y: (0.0, 5.0),
        };
        assert!((f.px(5.0) - 60.0).abs() < 1e-9);
        assert!((f.py(0.0) - 70.0).abs() < 1e-9);
        assert!((f.py(5.0) - 20.0).abs() < 1e-9);
    }
}
