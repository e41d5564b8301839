//! The replay clock: the one cursor time every view is drawn at.
//!
//! Time is an integer number of microseconds (`t_us`), the unit of the recording, so seeking
//! is exact and every derived view (pen position, visible punctures, heat map, plots) is a
//! pure function of [`ReplayClock::t_us`]: jumping backwards shows exactly what playing up to
//! that time showed. Playing advances by `real seconds × speed`; the sub-microsecond rest is
//! carried so slow speeds do not stall.

use crate::violations::Violations;

/// Speed presets, × real time (index [`ReplayClock::DEFAULT_SPEED`] is 1×).
pub const SPEED_PRESETS: [f64; 10] = [0.01, 0.05, 0.1, 0.25, 0.5, 1.0, 2.0, 5.0, 20.0, 60.0];

/// How far one arrow-key step moves.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Step {
    /// ← / →: 10 ms (about one stroke at 100 Hz).
    Normal,
    /// Shift + ← / →: 1 s.
    Coarse,
    /// Alt + ← / →: 1 ms, one firmware tick.
    Fine,
}

impl Step {
    /// Length of the step in microseconds.
    pub fn us(self) -> u64 {
        match self {
            Step::Normal => 10_000,
            Step::Coarse => 1_000_000,
            Step::Fine => 1_000,
        }
    }
}

/// Play/pause state, cursor time, speed and loop range of a replay.
#[derive(Debug, Clone, PartialEq)]
pub struct ReplayClock {
    t_us: u64,
    duration_us: u64,
    playing: bool,
    speed_index: usize,
    loop_us: Option<(u64, u64)>,
    carry_us: f64,
}

impl ReplayClock {
    /// Index of 1× in [`SPEED_PRESETS`].
    pub const DEFAULT_SPEED: usize = 5;

    /// A paused clock at 0 over a recording `duration_us` long.
    pub fn new(duration_us: u64) -> Self {
        ReplayClock {
            t_us: 0,
            duration_us,
            playing: false,
            speed_index: Self::DEFAULT_SPEED,
            loop_us: None,
            carry_us: 0.0,
        }
    }

    /// Cursor time, µs.
    pub fn t_us(&self) -> u64 {
        self.t_us
    }

    /// Cursor time, s.
    pub fn t_s(&self) -> f64 {
        self.t_us as f64 / 1e6
    }

    /// Length of the recording, µs.
    pub fn duration_us(&self) -> u64 {
        self.duration_us
    }

    /// Whether the clock is playing.
    pub fn is_playing(&self) -> bool {
        self.playing
    }

    /// Start or stop playing. Playing from the very end restarts at the start (or loop start).
    pub fn set_playing(&mut self, playing: bool) {
        if playing && !self.playing {
            let (start, end) = self.bounds();
            if self.t_us >= end {
                self.t_us = start;
            }
        }
        self.playing = playing;
        self.carry_us = 0.0;
    }

    /// Toggle play/pause (Space).
    pub fn toggle(&mut self) {
        self.set_playing(!self.playing);
    }

    /// Current speed, × real time.
    pub fn speed(&self) -> f64 {
        SPEED_PRESETS[self.speed_index]
    }

    /// Index of the current speed in [`SPEED_PRESETS`].
    pub fn speed_index(&self) -> usize {
        self.speed_index
    }

    /// Choose a speed preset (clamped to the table).
    pub fn set_speed_index(&mut self, index: usize) {
        self.speed_index = index.min(SPEED_PRESETS.len() - 1);
    }

    /// Next faster (`+1`) or slower (`-1`) preset.
    pub fn change_speed(&mut self, faster: bool) {
        let i = if faster {
            self.speed_index + 1
        } else {
            self.speed_index.saturating_sub(1)
        };
        self.set_speed_index(i);
    }

    /// Loop range, µs, if looping.
    pub fn loop_range(&self) -> Option<(u64, u64)> {
        self.loop_us
    }

    /// Loop over `start..=end` (µs, clamped to the recording, swapped if reversed); a range
    /// shorter than 1 ms clears the loop. The cursor moves into the range.
    pub fn set_loop(&mut self, range: Option<(u64, u64)>) {
        self.loop_us = range.and_then(|(a, b)| {
            let (a, b) = (
                a.min(b).min(self.duration_us),
                a.max(b).min(self.duration_us),
            );
            (b - a >= 1_000).then_some((a, b))
        });
        if let Some((a, b)) = self.loop_us {
            self.t_us = self.t_us.clamp(a, b);
        }
    }

    fn bounds(&self) -> (u64, u64) {
        self.loop_us.unwrap_or((0, self.duration_us))
    }

    /// Put the cursor at `t_us` exactly (clamped to the recording). Does not change play state.
    pub fn seek(&mut self, t_us: u64) {
        self.t_us = t_us.min(self.duration_us);
        self.carry_us = 0.0;
    }

    /// Seek to a time typed in seconds; NaN or negative is refused with `false`.
    pub fn seek_s(&mut self, t_s: f64) -> bool {
        if !t_s.is_finite() || t_s < 0.0 {
            return false;
        }
        self.seek((t_s * 1e6).round().min(u64::MAX as f64) as u64);
        true
    }

    /// Step forward or backward by `step`; pauses (stepping is frame-by-frame inspection).
    pub fn step(&mut self, step: Step, forward: bool) {
        self.playing = false;
        let t = if forward {
            self.t_us.saturating_add(step.us())
        } else {
            self.t_us.saturating_sub(step.us())
        };
        self.seek(t);
    }

    /// Advance by `real_dt_s` seconds of wall time × speed, if playing. At the end of the loop
    /// range it wraps to the loop start; at the end of the recording (no loop) it stops there
    /// and pauses. Returns whether the cursor moved.
    pub fn advance(&mut self, real_dt_s: f64) -> bool {
        if !self.playing || real_dt_s.is_nan() || real_dt_s <= 0.0 {
            return false;
        }
        let before = self.t_us;
        let exact = real_dt_s * self.speed() * 1e6 + self.carry_us;
        let whole = exact.floor();
        self.carry_us = exact - whole;
        let mut t = self.t_us.saturating_add(whole as u64);
        let (start, end) = self.bounds();
        if t > end {
            if self.loop_us.is_some() {
                let len = end - start;
                t = start + (t - end - 1) % (len + 1);
            } else {
                t = end;
                self.playing = false;
            }
        }
        self.t_us = t;
        self.t_us != before
    }

    /// Seek to the first violation strictly after the cursor; `false` (and no move) if none.
    pub fn next_violation(&mut self, violations: &Violations) -> bool {
        match violations.next_after(self.t_us) {
            Some(v) => {
                self.playing = false;
                self.seek(v.t_us);
                true
            }
            None => false,
        }
    }

    /// Seek to the last violation strictly before the cursor; `false` (and no move) if none.
    pub fn prev_violation(&mut self, violations: &Violations) -> bool {
        match violations.prev_before(self.t_us) {
            Some(v) => {
                self.playing = false;
                self.seek(v.t_us);
                true
            }
            None => false,
        }
    }
}

/// Format `t_us` as `m:ss.mmm` for the transport bar.
pub fn format_time(t_us: u64) -> String {
    let ms = t_us / 1000;
    format!("{}:{:02}.{:03}", ms / 60_000, (ms / 1000) % 60, ms % 1000)
}

/// Parse a typed time: seconds (`12.5`), `m:ss(.fff)` or with a unit suffix `ms`/`s`.
/// Returns microseconds, or `None` for anything else.
pub fn parse_time(text: &str) -> Option<u64> {
    let text = text.trim();
    let secs = if let Some((m, s)) = text.split_once(':') {
        let m: u64 = m.trim().parse().ok()?;
        let s: f64 = s.trim().parse().ok()?;
        if !(0.0..60.0).contains(&s) {
            return None;
        }
        m as f64 * 60.0 + s
    } else if let Some(ms) = text.strip_suffix("ms") {
        ms.trim().parse::<f64>().ok()? / 1000.0
    } else {
        text.strip_suffix('s')
            .unwrap_or(text)
            .trim()
            .parse::<f64>()
            .ok()?
    };
    (secs.is_finite() && secs >= 0.0).then(|| (secs * 1e6).round() as u64)
}
