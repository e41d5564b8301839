//! The score panel's data: the technique score of a face-map recording (`needlebench-score`,
//! the same figures as `needlebench score`), one row per zone the plan treats and the
//! overall line. Scoring reads the recording a second time, so the window computes it on a
//! thread ([`score_in_background`]) and shows "scoring…" until it is done; a screenshot
//! waits for it.

use needlebench_recording::Recording;
use needlebench_score::{CRITICAL_FLOOR, MetricName, Score, from_recording, score};
use std::path::{Path, PathBuf};
use std::sync::{Arc, OnceLock};

/// One zone's line in the panel.
#[derive(Debug, Clone, PartialEq)]
pub struct ScoreRow {
    /// Zone label.
    pub label: String,
    /// 0–100; `None` when nothing in the zone could be judged.
    pub score: Option<f64>,
    /// The zone passed (score at the pass mark and no critical metric below its floor).
    pub passed: bool,
    /// The critical metrics that scored below [`CRITICAL_FLOOR`] (each fails the zone
    /// whatever its score), with their sub-scores.
    pub critical: Vec<(MetricName, f64)>,
}

/// What the score panel shows.
#[derive(Debug, Clone, PartialEq)]
pub struct ScoreCard {
    /// The zones the plan treats, in the face map's order.
    pub rows: Vec<ScoreRow>,
    /// Area-weighted mean of the zone scores, 0–100.
    pub overall: Option<f64>,
    /// Every planned zone passed.
    pub passed: bool,
    /// The pass mark, 0–100.
    pub pass_mark: f64,
}

impl ScoreCard {
    /// The rows of `score`: its planned zones (zones the plan leaves out are not scored).
    pub fn from_score(score: &Score) -> ScoreCard {
        ScoreCard {
            rows: score
                .zones
                .iter()
                .filter(|z| z.planned)
                .map(|z| ScoreRow {
                    label: z.label.clone(),
                    score: z.score,
                    passed: z.passed,
                    critical: z
                        .metrics
                        .iter()
                        .filter(|m| m.name.is_critical())
                        .filter_map(|m| {
                            m.score.filter(|&s| s < CRITICAL_FLOOR).map(|s| (m.name, s))
                        })
                        .collect(),
                })
                .collect(),
            overall: score.overall.score,
            passed: score.overall.passed,
            pass_mark: score.pass_mark,
        }
    }
}

/// A score being computed: empty until done, then the card or why there is none.
pub type ScoreSlot = Arc<OnceLock<Result<ScoreCard, String>>>;

/// Score the recording in `dir` against its own scenario copy; the error says why not (no
/// scenario copy, a bad row…), as `needlebench score` would.
pub fn score_dir(dir: &Path) -> Result<ScoreCard, String> {
    let rec = Recording::open(dir).map_err(|e| e.to_string())?;
    let loaded = from_recording(&rec, None).map_err(|e| e.to_string())?;
    let s = score(&loaded.input).map_err(|e| e.to_string())?;
    Ok(ScoreCard::from_score(&s))
}

/// Start [`score_dir`] on a thread; its slot fills when it is done.
pub fn score_in_background(dir: PathBuf) -> ScoreSlot {
    let slot: ScoreSlot = Arc::default();
    let out = slot.clone();
    std::thread::spawn(move || {
        let _ = out.set(score_dir(&dir));
    });
    slot
}

impl ScoreRow {
    /// Why a zone with a passing score failed, for the panel: `hot spots 12, force 30`.
    pub fn critical_text(&self) -> String {
        self.critical
            .iter()
            .map(|(name, s)| format!("{} {s:.0}", name.words()))
            .collect::<Vec<_>>()
            .join(", ")
    }
}

/// A score as the score crate writes it ([`needlebench_score::render::score_text`]: whole,
/// rounded down, `–` when none).
pub fn format_score(score: Option<f64>) -> String {
    needlebench_score::render::score_text(score)
}
