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
    let all = Violations::new(vec![v(30, "c"), v(10, "a"), v(30, "d"), v(20, "b")]);
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
