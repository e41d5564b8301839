//! The score panel's rows come from `needlebench-score`, planned zones only.

use crate::fixture;
use needlebench_recording::Recording;
use needlebench_score::{CRITICAL_FLOOR, from_recording, score};
use needlebench_viewer::scorecard::{format_score, score_dir};

#[test]
fn panel_rows_are_the_score_crates_planned_zones() {
    let dir = crate::screenshot::plan_recording();
    let card = score_dir(dir).expect("a plan recording scores");
    let rec = Recording::open(dir).unwrap();
    let s = score(&from_recording(&rec, None).unwrap().input).unwrap();
    let glabella = s.zones.iter().find(|z| z.id == "glabella").unwrap();
    assert!(glabella.planned && glabella.score.is_some());
    // One planned zone: one row, with the crate's figures; the other zones have none.
    assert_eq!(card.rows.len(), 1, "{:?}", card.rows);
    assert_eq!(card.rows[0].label, glabella.label);
    assert_eq!(card.rows[0].score, glabella.score);
    assert_eq!(card.rows[0].passed, glabella.passed);
    let critical: Vec<_> = glabella
        .metrics
        .iter()
        .filter(|m| m.name.is_critical() && m.score.is_some_and(|v| v < CRITICAL_FLOOR))
        .map(|m| (m.name, m.score.unwrap()))
        .collect();
    assert_eq!(card.rows[0].critical, critical);
    if card.rows[0].score.is_some_and(|v| v >= card.pass_mark) && !card.rows[0].passed {
        assert!(
            !critical.is_empty(),
            "a failing zone at a passing score names why"
        );
    }
    assert_eq!(card.overall, s.overall.score);
    assert_eq!(card.passed, s.overall.passed);
    assert_eq!(card.pass_mark.to_bits(), s.pass_mark.to_bits());
}

#[test]
fn a_recording_without_a_scenario_copy_says_why_it_has_no_score() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = fixture::write_without_scenario(tmp.path());
    let why = score_dir(&dir).unwrap_err();
    assert!(why.contains("scenario"), "{why}");
}

#[test]
fn critical_metrics_are_named_in_words_with_their_sub_scores() {
    use needlebench_score::MetricName;
    use needlebench_viewer::scorecard::ScoreRow;
    let row = ScoreRow {
        label: "nose".into(),
        score: Some(80.0),
        passed: false,
        critical: vec![(MetricName::HotSpots, 12.4), (MetricName::ForceN, 30.0)],
    };
    assert_eq!(row.critical_text(), "hot spots 12, force 30");
}

#[test]
fn scores_are_whole_numbers_rounded_down_or_a_dash() {
    // As `needlebench score` writes them: 69.7 against a pass mark of 70 must not read "70".
    assert_eq!(format_score(Some(86.6)), "86");
    assert_eq!(format_score(Some(69.7)), "69");
    assert_eq!(format_score(Some(100.0)), "100");
    assert_eq!(format_score(None), "–");
}
