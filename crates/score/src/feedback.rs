//! Plain-language feedback tied to a time window and a place (the algorithm is in the
//! crate docs, `# Feedback`).

use crate::analysis::{Analysis, US};
use crate::input::ZoneTarget;
use crate::metric::{Metric, MetricName};
use crate::render::{band_text, value_text};
use crate::text::{clock, num, pct};
use crate::zone::band;
use crate::{HOT_FACTOR, PASS_MARK, WINDOW_S};
use serde::Serialize;
use std::collections::{BTreeMap, BTreeSet};

/// Most deviating runs reported per zone.
pub const MAX_RUNS_PER_ZONE: usize = 3;
/// Least on-skin time in a zone for a window to be judged, s.
const MIN_WINDOW_S: f64 = 1.0;

/// One line of feedback.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Feedback {
    /// Zone id; `None`: outside every zone.
    pub zone: Option<String>,
    /// Where, in words (the zone's label, or `outside every zone`).
    pub place: String,
    /// Start of the time window, µs (`None`: the zone was never treated).
    pub start_us: Option<u64>,
    /// End of the time window, µs.
    pub end_us: Option<u64>,
    /// What went wrong, most severe first.
    pub issues: Vec<Issue>,
    /// The whole line: `0:42–0:47, left cheek: glide slowed to 4.1 mm/s (target 20)`.
    pub text: String,
}

/// One deviation in a feedback line.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Issue {
    /// The metric it concerns.
    pub metric: MetricName,
    /// The measured value (in the metric's unit; for density, the ratio to the plan's).
    #[serde(serialize_with = "crate::metric::finite_or_null")]
    pub value: f64,
    /// How far outside the band, in zero distances (1 = a sub-score of 0).
    pub severity: f64,
    /// The words.
    pub text: String,
}

/// Sums over the on-skin samples, segments and punctures of one zone in a span of time.
#[derive(Debug, Clone, Default)]
struct Acc {
    len_mm: f64,
    glide_s: f64,
    time_s: f64,
    force: f64,
    tilt: f64,
    exposure_um: f64,
    punctures: u64,
    too_deep: u64,
    cells: BTreeSet<usize>,
    first_us: Option<u64>,
    last_us: u64,
}

impl Acc {
    fn add(&mut self, other: &Acc) {
        self.len_mm += other.len_mm;
        self.glide_s += other.glide_s;
        self.time_s += other.time_s;
        self.force += other.force;
        self.tilt += other.tilt;
        self.exposure_um += other.exposure_um;
        self.punctures += other.punctures;
        self.too_deep += other.too_deep;
        self.cells.extend(other.cells.iter().copied());
        self.first_us = self.first_us.or(other.first_us);
        self.last_us = self.last_us.max(other.last_us);
    }

    /// The deviations of this span, most severe first.
    fn issues(&self, a: &Analysis<'_>, zi: usize, t: &ZoneTarget) -> Vec<Issue> {
        let zone = &a.input.zones[zi];
        let b = |m| band(m, t, zone.depth_mm, zone.density_per_cm2);
        let mut out = Vec::new();
        let mut push = |metric: MetricName, value: f64, dev: f64, text: String| {
            if dev.abs() > 0.0 && value.is_finite() {
                out.push(Issue {
                    metric,
                    value,
                    severity: dev.abs(),
                    text,
                });
            }
        };
        if let Some(g) = t.glide_mm_s.filter(|_| self.glide_s >= MIN_WINDOW_S) {
            let v = self.len_mm / self.glide_s;
            let dev = b(MetricName::GlideMmS).deviation(v);
            let how = if dev < 0.0 { "slowed to" } else { "sped up to" };
            let text = format!("glide {how} {} mm/s (target {})", num(v), num(g));
            push(MetricName::GlideMmS, v, dev, text);
        }
        if self.time_s >= MIN_WINDOW_S {
            let f = self.force / self.time_s;
            let dev = b(MetricName::ForceN).deviation(f);
            let how = if dev < 0.0 { "too lightly" } else { "too hard" };
            let text = format!("pressed {how}: {} N (target {})", num(f), num(t.force_n));
            push(MetricName::ForceN, f, dev, text);
            let tilt = self.tilt / self.time_s;
            let dev = b(MetricName::TiltDeg).deviation(tilt);
            let text = format!("tilted {}° (target {}°)", num(tilt), num(t.tilt_deg));
            push(MetricName::TiltDeg, tilt, dev, text);
            let e = self.exposure_um / self.time_s / 1000.0;
            let dev = b(MetricName::ExposureMm).deviation(e);
            let text = format!(
                "exposure {} mm (chart {}–{} mm)",
                num(e),
                num(zone.depth_mm[0]),
                num(zone.depth_mm[1])
            );
            push(MetricName::ExposureMm, e, dev, text);
        }
        if self.time_s < MIN_WINDOW_S {
            // the pen was not working this zone then (needles at a cartridge's edge)
            out.sort_by(|x, y| y.severity.total_cmp(&x.severity));
            return out;
        }
        if self.punctures > 0 {
            let share = 1.0 - self.too_deep as f64 / self.punctures as f64;
            let dev = b(MetricName::DepthInRange).deviation(share);
            let text = format!(
                "{} of punctures deeper than {} mm",
                pct(1.0 - share),
                num(zone.depth_mm[1])
            );
            push(MetricName::DepthInRange, share, dev, text);
        }
        if !self.cells.is_empty() {
            let cells = &a.zones[zi];
            let mean =
                self.cells.iter().map(|&i| cells.density(i)).sum::<f64>() / self.cells.len() as f64;
            let ratio = mean / t.density_per_cm2;
            let dev = ((ratio - HOT_FACTOR) / HOT_FACTOR).max(0.0);
            let text = format!("density {}× target", num(ratio));
            push(MetricName::DensityPerCm2, ratio, dev, text);
        }
        out.sort_by(|x, y| y.severity.total_cmp(&x.severity));
        out
    }
}

/// Every feedback line for the analysed input, sorted by start time (untimed lines last).
pub(crate) fn feedback(a: &Analysis<'_>, zone_metrics: &[Option<Vec<Metric>>]) -> Vec<Feedback> {
    let mut lines = Vec::new();
    for (zi, zone) in a.input.zones.iter().enumerate() {
        let Some(t) = &zone.target else { continue };
        let windows = windows(a, zi);
        lines.extend(window_lines(a, zi, t, &windows));
        lines.extend(dwell_lines(a, zi));
        let whole = windows.values().fold(Acc::default(), |mut acc, w| {
            acc.add(w);
            acc
        });
        let span = whole.first_us.map(|f| (f, whole.last_us));
        if let Some(metrics) = &zone_metrics[zi] {
            let issues = total_issues(metrics, t, span.is_none());
            if !issues.is_empty() {
                lines.push(line(a, Some(zi), span, issues));
            }
        }
    }
    lines.extend(off_plan_lines(a));
    lines.sort_by_key(|l| (l.start_us.is_none(), l.start_us, l.end_us));
    lines
}

/// The measurements of zone `zi` per window index.
fn windows(a: &Analysis<'_>, zi: usize) -> BTreeMap<u64, Acc> {
    let w_us = (WINDOW_S * US) as u64;
    let mut out: BTreeMap<u64, Acc> = BTreeMap::new();
    for (i, s) in a.input.samples.iter().enumerate() {
        if a.on_skin_in(i, zi) {
            let acc = out.entry(s.t_us / w_us).or_default();
            let w = a.sample_dt_us[i] as f64 / US;
            acc.time_s += w;
            acc.force += s.force_n * w;
            acc.tilt += s.tilt_deg * w;
            acc.exposure_um += s.exposure_um * w;
            acc.first_us.get_or_insert(s.t_us);
            acc.last_us = s.t_us;
        }
    }
    for seg in a.segments.iter().filter(|s| s.zone == zi) {
        let acc = out.entry(seg.t0_us / w_us).or_default();
        acc.len_mm += seg.len_mm;
        acc.glide_s += seg.dt_s();
    }
    let deepest_um = a.input.zones[zi].depth_mm[1] * 1000.0;
    for (p, cell) in a.input.punctures.iter().zip(&a.puncture_cell) {
        if p.zone == Some(zi) {
            let acc = out.entry(p.t_us / w_us).or_default();
            acc.punctures += 1;
            acc.too_deep += u64::from(p.depth_um > deepest_um);
            acc.cells.extend(*cell);
        }
    }
    out
}

/// Runs of consecutive deviating windows, the worst [`MAX_RUNS_PER_ZONE`].
fn window_lines(
    a: &Analysis<'_>,
    zi: usize,
    t: &ZoneTarget,
    windows: &BTreeMap<u64, Acc>,
) -> Vec<Feedback> {
    let mut runs: Vec<(u64, Acc)> = Vec::new(); // (last window index, sums)
    for (&k, acc) in windows {
        if acc.issues(a, zi, t).is_empty() {
            continue;
        }
        match runs.last_mut() {
            Some((last, run)) if *last + 1 == k => {
                run.add(acc);
                *last = k;
            }
            _ => runs.push((k, acc.clone())),
        }
    }
    let mut judged: Vec<(f64, Feedback)> = runs
        .into_iter()
        .filter_map(|(_, run)| {
            let issues: Vec<Issue> = run.issues(a, zi, t).into_iter().take(3).collect();
            let worst = issues.first()?.severity;
            let span = run.first_us.map(|f| (f, run.last_us));
            Some((worst, line(a, Some(zi), span, issues)))
        })
        .collect();
    judged.sort_by(|x, y| y.0.total_cmp(&x.0));
    judged
        .into_iter()
        .take(MAX_RUNS_PER_ZONE)
        .map(|j| j.1)
        .collect()
}

/// Rests of the pen in zone `zi`: rests less than a window apart make one line; the
/// [`MAX_RUNS_PER_ZONE`] runs with the most resting time are kept.
fn dwell_lines(a: &Analysis<'_>, zi: usize) -> Vec<Feedback> {
    let gap_us = (WINDOW_S * US) as u64;
    // (first, last, rests, shortest s, longest s, total s)
    let mut runs: Vec<(u64, u64, usize, f64, f64, f64)> = Vec::new();
    for d in a.dwells.iter().filter(|d| d.zone == zi) {
        let s = (d.t1_us - d.t0_us) as f64 / US;
        match runs.last_mut() {
            Some(r) if d.t0_us <= r.1 + gap_us => {
                *r = (r.0, d.t1_us, r.2 + 1, r.3.min(s), r.4.max(s), r.5 + s);
            }
            _ => runs.push((d.t0_us, d.t1_us, 1, s, s, s)),
        }
    }
    runs.sort_by(|x, y| y.5.total_cmp(&x.5));
    runs.truncate(MAX_RUNS_PER_ZONE);
    runs.into_iter()
        .map(|(t0, t1, n, shortest, longest, total)| {
            let text = if n == 1 {
                format!("pen rested {} s in one spot (tram-track risk)", num(total))
            } else if num(shortest) == num(longest) {
                format!(
                    "pen rested {n} times, {} s each (tram-track risk)",
                    num(longest)
                )
            } else {
                format!(
                    "pen rested {n} times, {}–{} s each (tram-track risk)",
                    num(shortest),
                    num(longest)
                )
            };
            let issue = Issue {
                metric: MetricName::HotSpots,
                value: total,
                severity: 1.0,
                text,
            };
            line(a, Some(zi), Some((t0, t1)), vec![issue])
        })
        .collect()
}

/// Zone totals below the pass mark that windows cannot show.
fn total_issues(metrics: &[Metric], t: &ZoneTarget, untreated: bool) -> Vec<Issue> {
    if untreated {
        let planned = t
            .planned_s
            .map(|s| format!(" (planned {} s)", num(s)))
            .unwrap_or_default();
        return vec![Issue {
            metric: MetricName::TimeS,
            value: 0.0,
            severity: 1.0,
            text: format!("not treated{planned}"),
        }];
    }
    let mut out: Vec<Issue> = metrics
        .iter()
        .filter(|m| m.score.is_some_and(|s| s < PASS_MARK))
        .filter_map(|m| {
            let (lo, hi) = (m.band.lo, m.band.hi);
            let text = match m.name {
                MetricName::Coverage => format!("coverage {} (target ≥ {})", pct(m.value), pct(lo)),
                MetricName::Uniformity => {
                    format!("uniformity {} (target ≥ {})", pct(m.value), pct(lo))
                }
                MetricName::Passes => format!("{} passes (target {})", num(m.value), t.passes),
                MetricName::Overlap => format!(
                    "overlap {}× (target {}–{}×)",
                    num(m.value),
                    num(lo),
                    num(hi)
                ),
                MetricName::HotSpots => format!("{} of the zone in hot spots", pct(m.value)),
                MetricName::Strays => {
                    format!("{} of the pass off the plan's zones", pct(m.value))
                }
                MetricName::DensityPerCm2 => format!(
                    "density {} (target {})",
                    value_text(m.value, m.unit),
                    band_text(lo, hi, m.unit)
                ),
                MetricName::TimeS => format!(
                    "{} s on the skin (planned {} s)",
                    num(m.value),
                    num(t.planned_s.unwrap_or(f64::NAN))
                ),
                _ => return None,
            };
            Some(Issue {
                metric: m.name,
                value: m.value,
                severity: m.band.deviation(m.value).abs(),
                text,
            })
        })
        .collect();
    out.sort_by(|x, y| y.severity.total_cmp(&x.severity));
    out
}

/// Stretches of the pen on the skin, centre outside every zone or in a zone the plan leaves
/// out, lasting at least [`OFF_PLAN_S`]: one line per place for stretches less than a window
/// apart, with the punctures recorded there meanwhile. (Needles at the edge of a cartridge
/// land up to its radius beyond the pen's zone; only the pen's centre says that a pass
/// strayed.)
fn off_plan_lines(a: &Analysis<'_>) -> Vec<Feedback> {
    let gap_us = (WINDOW_S * US) as u64;
    let mut runs: BTreeMap<Option<usize>, Vec<(u64, u64, f64)>> = BTreeMap::new();
    for &(place, t0, t1) in &a.strays {
        let list = runs.entry(place).or_default();
        let s = (t1 - t0) as f64 / US;
        match list.last_mut() {
            Some(r) if t0 <= r.1 + gap_us => *r = (r.0, t1, r.2 + s),
            _ => list.push((t0, t1, s)),
        }
    }
    let mut out = Vec::new();
    for (place, list) in runs {
        for (t0, t1, on_skin_s) in list {
            // punctures are in time order: only those of the span are looked at
            let all = &a.input.punctures;
            let from = all.partition_point(|p| p.t_us < t0);
            let to = all.partition_point(|p| p.t_us <= t1);
            let count = all[from..to].iter().filter(|p| p.zone == place).count();
            let where_ = if place.is_some() {
                " in a zone the plan leaves out"
            } else {
                ""
            };
            let issue = Issue {
                metric: MetricName::TimeS,
                value: on_skin_s,
                severity: 1.0,
                text: format!(
                    "pen on the skin {} s{where_} ({count} punctures)",
                    num(on_skin_s)
                ),
            };
            out.push(line(a, place, Some((t0, t1)), vec![issue]));
        }
    }
    out
}

/// A feedback line at `place` (a zone index or outside every zone) over `span`.
fn line(
    a: &Analysis<'_>,
    place: Option<usize>,
    span: Option<(u64, u64)>,
    issues: Vec<Issue>,
) -> Feedback {
    let (zone, words) = match place {
        Some(zi) => {
            let z = &a.input.zones[zi];
            (Some(z.id.clone()), z.label.clone())
        }
        None => (None, "outside every zone".to_owned()),
    };
    let when = span.map_or_else(String::new, |(s, e)| {
        format!("{}–{}, ", clock(s, false), clock(e, true))
    });
    let what: Vec<&str> = issues.iter().map(|i| i.text.as_str()).collect();
    Feedback {
        zone,
        text: format!("{when}{words}: {}", what.join(", ")),
        place: words,
        start_us: span.map(|s| s.0),
        end_us: span.map(|s| s.1),
        issues,
    }
}
