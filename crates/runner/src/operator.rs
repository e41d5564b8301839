//! The virtual operator: the button presses that turn the pen on, pick the speed level,
//! start the motor before the needles touch the skin, and stop it at the end.

use needlebench_protocol::buttons;

/// How long a press is held, s.
const PRESS_S: f64 = 0.06;
/// Gap between presses, s.
const GAP_S: f64 = 0.06;
/// Spin-up time between the start press and the first touch of the skin, s.
pub const SPIN_UP_S: f64 = 0.6;

/// The operator's script.
#[derive(Debug, Clone)]
pub struct Operator {
    presses: Vec<(f64, u8)>,
    /// When the hand may put the pen on the skin, s.
    pub hand_start_s: f64,
}

impl Operator {
    /// Power on, step from level `from_level` to `level`, start. `from_level` is the
    /// firmware's power-on level.
    pub fn new(level: u8, from_level: u8) -> Self {
        let mut presses = vec![(0.05, buttons::POWER)];
        let mut t = 0.05 + PRESS_S + GAP_S;
        let (button, steps) = if level >= from_level {
            (buttons::SPEED_UP, level - from_level)
        } else {
            (buttons::SPEED_DOWN, from_level - level)
        };
        for _ in 0..steps {
            presses.push((t, button));
            t += PRESS_S + GAP_S;
        }
        presses.push((t, buttons::POWER));
        Operator {
            presses,
            hand_start_s: t + SPIN_UP_S,
        }
    }

    /// Add a stop press at `t_s` (after the hand lifts for the last time).
    pub fn stop_at(&mut self, t_s: f64) {
        self.presses.push((t_s, buttons::POWER));
    }

    /// The buttons held at `t_s`.
    pub fn buttons_at(&self, t_s: f64) -> u8 {
        self.presses
            .iter()
            .filter(|(at, _)| (*at..*at + PRESS_S).contains(&t_s))
            .fold(0, |held, (_, b)| held | b)
    }
}
