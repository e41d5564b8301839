//! `diff` between recordings and the `golden` criterion.

use crate::support::{clean, expect, given, tmp_run, verdict};
use needlebench_checks::{ColumnTolerance, Outcome, Tolerances, check, diff};

#[test]
fn identical_recordings_are_the_same_and_pass_golden() {
    let (_ta, a) = tmp_run();
    let (_tb, b) = tmp_run();
    let rec = clean().write(&a);
    clean().write(&b);
    let d = diff(&a, &b, Tolerances::default()).expect("diff");
    assert!(d.is_same(), "{}", d.render());
    assert_eq!(d.files[1].rows_a, 1600);
    let report = check(&rec, &given(&expect()), Some(&b)).expect("check");
    assert_eq!(verdict(&report, "golden").outcome, Outcome::Pass);
}

#[test]
fn the_first_divergence_names_file_row_column_and_both_values() {
    let (_ta, a) = tmp_run();
    let (_tb, b) = tmp_run();
    let rec = clean().write(&a);
    let mut s = clean();
    s.punctures[9].depth_um = 312.5;
    s.punctures[20].depth_um = 299.0;
    s.write(&b);
    let d = diff(&a, &b, Tolerances::default()).expect("diff");
    assert!(!d.is_same());
    let first = d.first_divergence().expect("divergence");
    assert_eq!(
        (
            first.file.as_str(),
            first.row,
            first.column.as_str(),
            first.a.as_str(),
            first.b.as_str()
        ),
        ("punctures.csv", 10, "depth_um", "300", "312.5")
    );
    assert_eq!(first.t_us, Some(1_000_000 + 9 * 250));
    assert_eq!(d.files[1].differing_values, 2);
    assert!(d.files[0].first.is_none() && d.files[2].first.is_none());
    let golden = verdict(
        &check(&rec, &given(&expect()), Some(&b)).expect("check"),
        "golden",
    )
    .clone();
    assert_eq!((golden.outcome, golden.actual), (Outcome::Fail, 2.0));
    // a loose enough tolerance accepts it
    let loose = Tolerances {
        float: ColumnTolerance {
            abs: 13.0,
            rel: 0.0,
        },
        ..Default::default()
    };
    assert!(diff(&a, &b, loose).expect("diff").is_same());
}

#[test]
fn float_noise_within_tolerance_is_the_same_but_integers_are_exact() {
    let (_ta, a) = tmp_run();
    let (_tb, b) = tmp_run();
    clean().write(&a);
    clean().write(&b);
    let path = b.join("punctures.csv");
    let text = std::fs::read_to_string(&path).expect("read");
    // 300 → 300.0004 in one row (below abs 1e-3): same
    let edited = text.replacen(",300,", ",300.0004,", 1);
    std::fs::write(&path, &edited).expect("write");
    assert!(diff(&a, &b, Tolerances::default()).expect("diff").is_same());
    // t_us 1000000 → 1000001: differs
    std::fs::write(&path, edited.replacen("\n1000000,", "\n1000001,", 1)).expect("write");
    let d = diff(&a, &b, Tolerances::default()).expect("diff");
    let first = d.first_divergence().expect("divergence");
    assert_eq!((first.row, first.column.as_str()), (1, "t_us"));
}

#[test]
fn a_missing_row_is_a_divergence() {
    let (_ta, a) = tmp_run();
    let (_tb, b) = tmp_run();
    clean().write(&a);
    let mut s = clean();
    s.punctures.pop();
    s.write(&b);
    let d = diff(&a, &b, Tolerances::default()).expect("diff");
    let f = &d.files[1];
    assert_eq!((f.rows_a, f.rows_b), (1600, 1599));
    let first = f.first.as_ref().expect("divergence");
    assert_eq!(
        (first.row, first.column.as_str(), first.b.as_str()),
        (1600, "(row)", "absent")
    );
}
