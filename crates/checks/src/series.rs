//! The decimated time series (≤ [`MAX_POINTS`] points) drawn by the reports, built in one
//! streaming pass: fixed-width windows whose width doubles (merging neighbours) whenever the
//! run outgrows them, so memory stays flat whatever the run's length.

use crate::verdict::SeriesPoint;
use needlebench_recording::TelemetryRow;

/// Most points in the series.
pub const MAX_POINTS: usize = 2000;

#[derive(Debug, Clone, Copy, Default)]
struct Window {
    current_ma: f64,
    stroke_hz: f64,
    battery_mv: f64,
    hand_force_n: f64,
    ticks: u32,
    max_depth_um: f64,
}

impl Window {
    fn merge(self, o: Window) -> Window {
        Window {
            current_ma: self.current_ma + o.current_ma,
            stroke_hz: self.stroke_hz + o.stroke_hz,
            battery_mv: self.battery_mv + o.battery_mv,
            hand_force_n: self.hand_force_n + o.hand_force_n,
            ticks: self.ticks + o.ticks,
            max_depth_um: self.max_depth_um.max(o.max_depth_um),
        }
    }
}

/// Windows of `width_us` from t = 0.
#[derive(Debug)]
pub(crate) struct Series {
    width_us: u64,
    windows: Vec<Window>,
}

impl Series {
    /// Windows sized for a run of `duration_us` (if known), at least 1 ms wide.
    pub(crate) fn new(duration_us: u64) -> Self {
        let width_us = (duration_us / MAX_POINTS as u64 + 1).max(1000);
        Series {
            width_us,
            windows: Vec::new(),
        }
    }

    fn slot(&mut self, t_us: u64) -> &mut Window {
        let mut i = t_us / self.width_us;
        while i >= MAX_POINTS as u64 {
            let merged: Vec<Window> = self
                .windows
                .chunks(2)
                .map(|c| c.iter().fold(Window::default(), |a, &b| a.merge(b)))
                .collect();
            self.windows = merged;
            self.width_us = self.width_us.saturating_mul(2);
            i = t_us / self.width_us;
        }
        let i = i as usize;
        if i >= self.windows.len() {
            self.windows.resize(i + 1, Window::default());
        }
        &mut self.windows[i]
    }

    /// One telemetry tick.
    #[inline]
    pub(crate) fn tick(&mut self, r: &TelemetryRow) {
        let w = self.slot(r.t_us);
        w.current_ma += f64::from(r.motor_current_ma);
        w.stroke_hz += f64::from(r.stroke_hz);
        w.battery_mv += f64::from(r.battery_mv);
        w.hand_force_n += f64::from(r.hand_force_n);
        w.ticks += 1;
    }

    /// One puncture.
    #[inline]
    pub(crate) fn puncture(&mut self, t_us: u64, depth_um: f32) {
        let d = f64::from(depth_um);
        let w = self.slot(t_us);
        if d > w.max_depth_um {
            w.max_depth_um = d;
        }
    }

    pub(crate) fn points(&self) -> Vec<SeriesPoint> {
        self.windows
            .iter()
            .enumerate()
            .map(|(i, w)| {
                let n = f64::from(w.ticks.max(1));
                // A window without ticks has no battery or force reading: NaN, which the
                // plots show as a gap.
                let mean = |sum: f64| if w.ticks == 0 { f64::NAN } else { sum / n };
                SeriesPoint {
                    t_s: (i as f64 + 0.5) * self.width_us as f64 / 1e6,
                    motor_current_ma: w.current_ma / n,
                    stroke_hz: w.stroke_hz / n,
                    max_depth_um: w.max_depth_um,
                    battery_mv: mean(w.battery_mv),
                    hand_force_n: mean(w.hand_force_n),
                }
            })
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_run_longer_than_planned_stays_within_the_cap() {
        let mut s = Series::new(1_000_000);
        for tick in 0..100_000u64 {
            s.tick(&TelemetryRow {
                t_us: tick * 1000,
                motor_current_ma: 100.0,
                stroke_hz: 120.0,
                battery_mv: 3700.0,
                hand_force_n: 2.0,
                ..TelemetryRow::default()
            });
        }
        s.puncture(99_999_000, 400.0);
        let p = s.points();
        assert!(
            p.len() <= MAX_POINTS && p.len() > MAX_POINTS / 4,
            "{}",
            p.len()
        );
        assert!(p.iter().all(|p| (p.stroke_hz - 120.0).abs() < 1e-9));
        assert!(p.iter().all(|p| (p.battery_mv - 3700.0).abs() < 1e-9));
        assert!(p.iter().all(|p| (p.hand_force_n - 2.0).abs() < 1e-9));
        assert!((p.last().map_or(0.0, |p| p.max_depth_um) - 400.0).abs() < 1e-9);
    }
}
