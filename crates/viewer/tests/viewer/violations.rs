use needlebench_checks::{
    CheckReport, DensityGrid, DepthHistogram, EventKind, ExpectationSource, Marker, Outcome,
    Verdict, Where,
};
use needlebench_viewer::violations::{Violation, Violations};
use std::collections::BTreeMap;

fn v(t_us: u64, label: &str) -> Violation {
    Violation {
        t_us,
        pos_mm: None,
        criterion: "c".into(),
        label: label.into(),
    }
}

#[test]
fn sorted_stably_and_searched() {
    let mut d = v(30, "d");
    d.criterion = "other".into();
    let all = Violations::new(vec![v(30, "c"), v(10, "a"), d, v(20, "b")]);
    let labels: Vec<&str> = all.all().iter().map(|x| x.label.as_str()).collect();
    assert_eq!(labels, ["a", "b", "c", "d"]);
    assert_eq!(all.next_after(0).map(|x| x.t_us), Some(10));
    assert_eq!(all.next_after(10).map(|x| x.t_us), Some(20));
    assert_eq!(all.next_after(30), None);
    assert_eq!(all.prev_before(10), None);
    assert_eq!(all.prev_before(31).map(|x| x.label.as_str()), Some("d"));
    assert_eq!(all.up_to(29).len(), 2);
    assert_eq!(all.up_to(30).len(), 4);
    assert!(Violations::default().next_after(0).is_none());
}

#[test]
fn duplicates_of_one_event_are_merged() {
    let mut first = v(40, "checker");
    first.pos_mm = Some([1.0, 2.0]);
    let mut same = v(40, "puncture");
    same.pos_mm = Some([1.0, 2.0]);
    let mut elsewhere = v(40, "other place");
    elsewhere.pos_mm = Some([3.0, 2.0]);
    let all = Violations::new(vec![first, same, elsewhere]);
    let labels: Vec<&str> = all.all().iter().map(|x| x.label.as_str()).collect();
    assert_eq!(labels, ["checker", "other place"]);
}

fn verdict(criterion: &str, outcome: Outcome, t_us: u64) -> Verdict {
    Verdict {
        criterion: criterion.into(),
        description: String::new(),
        actual: 0.0,
        actual_text: String::new(),
        expected: String::new(),
        unit: String::new(),
        outcome,
        first_failure: Some(Where {
            t_us: Some(t_us),
            x_mm: Some(1.0),
            y_mm: Some(2.0),
        }),
        metrics: BTreeMap::new(),
    }
}

#[test]
fn only_failed_verdicts_and_raised_faults_are_violations() {
    let report = CheckReport {
        scenario: "s".into(),
        recording: "r".into(),
        completion: "complete".into(),
        expectations: ExpectationSource::None,
        verdicts: vec![
            verdict("not_applicable", Outcome::NotApplicable, 10),
            verdict("pass", Outcome::Pass, 20),
            verdict("acceptable", Outcome::Acceptable, 30),
            verdict("not_checked", Outcome::NotChecked, 40),
            verdict("fail", Outcome::Fail, 50),
        ],
        density: DensityGrid {
            origin_mm: [0.0, 0.0],
            cell_mm: 2.0,
            cols: 0,
            rows: 0,
            per_cm2: Vec::new(),
            in_area: Vec::new(),
        },
        depths: DepthHistogram {
            bin_um: 10.0,
            counts: Vec::new(),
            layer_boundaries_um: Vec::new(),
            floor: None,
        },
        series: Vec::new(),
        markers: vec![
            Marker {
                t_s: 0.06,
                kind: EventKind::FaultRaised,
                label: "stall".into(),
            },
            Marker {
                t_s: 0.07,
                kind: EventKind::FaultCleared,
                label: "stall".into(),
            },
        ],
        firmware_log: Vec::new(),
        punctures: 0,
        ticks: 0,
    };
    let found = Violations::from_report(&report);
    let criteria: Vec<(&str, u64)> = found
        .iter()
        .map(|v| (v.criterion.as_str(), v.t_us))
        .collect();
    assert_eq!(criteria, [("fail", 50), ("fault", 60_000)]);
    assert_eq!(found[0].pos_mm, Some([1.0, 2.0]));
    assert!(found[1].label.contains("stall"), "{}", found[1].label);
}
