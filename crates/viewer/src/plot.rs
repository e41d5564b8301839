//! Plot decimation: at most a few thousand points per series whatever the recording's length,
//! keeping each bucket's minimum and maximum so spikes survive.

/// Decimate `(t_us[i], v[i])` within `t0_us..=t1_us` into at most `2 × buckets` points
/// `[t_s, value]`, in time order: per equal-time bucket, its minimum and maximum (in the order
/// they occur). Non-finite values are skipped. `t_us` must be sorted.
pub fn decimate_min_max(
    t_us: &[u64],
    v: &[f32],
    t0_us: u64,
    t1_us: u64,
    buckets: usize,
) -> Vec<[f64; 2]> {
    let n = t_us.len().min(v.len());
    let t_us = &t_us[..n];
    let lo = t_us.partition_point(|&t| t < t0_us);
    let hi = t_us.partition_point(|&t| t <= t1_us);
    if lo >= hi || buckets == 0 {
        return Vec::new();
    }
    if hi - lo <= 2 * buckets {
        return (lo..hi)
            .filter(|&i| v[i].is_finite())
            .map(|i| [t_us[i] as f64 / 1e6, f64::from(v[i])])
            .collect();
    }
    let span = (t1_us - t0_us).max(1) as f64;
    let mut out = Vec::with_capacity(2 * buckets);
    let mut i = lo;
    for b in 0..buckets {
        let end_t = t0_us as f64 + span * (b + 1) as f64 / buckets as f64;
        let mut min: Option<usize> = None;
        let mut max: Option<usize> = None;
        while i < hi && (t_us[i] as f64) <= end_t {
            if v[i].is_finite() {
                if min.is_none_or(|m| v[i] < v[m]) {
                    min = Some(i);
                }
                if max.is_none_or(|m| v[i] > v[m]) {
                    max = Some(i);
                }
            }
            i += 1;
        }
        match (min, max) {
            (Some(a), Some(b)) if a == b => out.push([t_us[a] as f64 / 1e6, f64::from(v[a])]),
            (Some(a), Some(b)) => {
                let (first, second) = if a < b { (a, b) } else { (b, a) };
                out.push([t_us[first] as f64 / 1e6, f64::from(v[first])]);
                out.push([t_us[second] as f64 / 1e6, f64::from(v[second])]);
            }
            _ => {}
        }
    }
    out
}
