//! Comparisons at limits, with `approx` so that a value equal to its limit up to float
//! rounding (e.g. 550.0000001 against 550) counts as within it.

use crate::verdict::Outcome;
use approx::relative_eq;

/// Relative tolerance for "equal to the limit".
const MAX_RELATIVE: f64 = 1e-9;
/// Absolute tolerance for "equal to the limit" near 0.
const EPSILON: f64 = 1e-9;

/// `value ≤ limit`, or equal to it up to float rounding. NaN is never within.
pub fn within_max(value: f64, limit: f64) -> bool {
    value <= limit || relative_eq!(value, limit, epsilon = EPSILON, max_relative = MAX_RELATIVE)
}

/// `value ≥ limit`, or equal to it up to float rounding. NaN is never within.
pub fn within_min(value: f64, limit: f64) -> bool {
    value >= limit || relative_eq!(value, limit, epsilon = EPSILON, max_relative = MAX_RELATIVE)
}

/// Pass when `value ≤ pass_limit`, acceptable when `≤ fail_limit`, fail beyond (and for NaN).
pub fn at_most(value: f64, pass_limit: f64, fail_limit: f64) -> Outcome {
    if within_max(value, pass_limit) {
        Outcome::Pass
    } else if within_max(value, fail_limit) {
        Outcome::Acceptable
    } else {
        Outcome::Fail
    }
}

/// Pass when `value ≥ pass_limit`, acceptable when `≥ fail_limit`, fail below (and for NaN).
pub fn at_least(value: f64, pass_limit: f64, fail_limit: f64) -> Outcome {
    if within_min(value, pass_limit) {
        Outcome::Pass
    } else if within_min(value, fail_limit) {
        Outcome::Acceptable
    } else {
        Outcome::Fail
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn limits_are_inclusive_up_to_rounding() {
        assert_eq!(at_most(550.0, 550.0, 600.0), Outcome::Pass);
        assert_eq!(at_most(550.000_000_1, 550.0, 600.0), Outcome::Pass);
        assert_eq!(at_most(550.1, 550.0, 600.0), Outcome::Acceptable);
        assert_eq!(at_most(600.1, 550.0, 600.0), Outcome::Fail);
        assert_eq!(at_most(f64::NAN, 550.0, 600.0), Outcome::Fail);
        assert_eq!(at_least(0.9, 0.9, 0.85), Outcome::Pass);
        assert_eq!(at_least(0.86, 0.9, 0.85), Outcome::Acceptable);
        assert_eq!(at_least(0.5, 0.9, 0.85), Outcome::Fail);
        assert_eq!(at_least(f64::NAN, 0.9, 0.85), Outcome::Fail);
    }
}
