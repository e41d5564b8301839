//! Numbers and times for people.

/// A time since the start as `m:ss` (minutes may exceed 59), whole seconds rounded down, or
/// up when `up`.
pub fn clock(t_us: u64, up: bool) -> String {
    let s = if up {
        t_us.div_ceil(1_000_000)
    } else {
        t_us / 1_000_000
    };
    format!("{}:{:02}", s / 60, s % 60)
}

/// A value for a sentence: whole numbers from 10 up, two significant digits below
/// (`4.2`, `0.25`, `20`), `–` when not a number.
pub fn num(v: f64) -> String {
    if !v.is_finite() {
        return "–".to_owned();
    }
    let a = v.abs();
    let text = if a >= 10.0 || a == 0.0 {
        format!("{v:.0}")
    } else {
        // two significant digits: decimals = 1 − floor(log10 |v|)
        let decimals = (1 - a.log10().floor() as i32).clamp(0, 6) as usize;
        let s = format!("{v:.decimals$}");
        let s = s.trim_end_matches('0').trim_end_matches('.');
        s.to_owned()
    };
    if text == "-0" { "0".to_owned() } else { text }
}

/// A share as a whole percentage (`62%`), `–` when not a number.
pub fn pct(v: f64) -> String {
    if v.is_finite() {
        format!("{:.0}%", v * 100.0)
    } else {
        "–".to_owned()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn clock_times_round_start_down_and_end_up() {
        assert_eq!(clock(42_300_000, false), "0:42");
        assert_eq!(clock(46_100_000, true), "0:47");
        assert_eq!(clock(47_000_000, true), "0:47");
        assert_eq!(clock(3_725_000_000, false), "62:05");
    }

    #[test]
    fn numbers_keep_two_significant_digits_below_ten() {
        assert_eq!(num(4.149), "4.1");
        assert_eq!(num(0.25), "0.25");
        assert_eq!(num(2.5), "2.5");
        assert_eq!(num(3.0), "3");
        assert_eq!(num(20.4), "20");
        assert_eq!(num(0.0), "0");
        assert_eq!(num(f64::NAN), "–");
        assert_eq!(pct(0.624), "62%");
    }
}
