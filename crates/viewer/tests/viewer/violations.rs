use needlebench_viewer::violations::{Violation, Violations};

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
