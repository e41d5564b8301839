//! One test per published case of `validation/cases.toml`: within tolerance, or — for a known
//! miss — still missing (so a fix forces the data file to be updated).

use needlebench_physics::validation::{Verdict, cases, run_case, validate};

fn check(id: &str) {
    let case = cases()
        .into_iter()
        .find(|c| c.id == id)
        .expect("case in the data file");
    let row = run_case(&case);
    match &case.known_miss {
        None => assert_eq!(
            row.verdict,
            Verdict::Pass,
            "{id}: published {} model {} tolerance {}",
            row.published,
            row.model,
            row.tolerance
        ),
        Some(reason) => {
            assert_eq!(
                row.verdict,
                Verdict::Fail,
                "{id} now passes: drop known_miss ({reason})"
            );
            assert_eq!(row.reason.as_deref(), Some(reason.as_str()));
        }
    }
}

macro_rules! cases {
    ($($id:ident),* $(,)?) => {
        $(#[test] fn $id() { check(stringify!($id)); })*
        const LISTED: &[&str] = &[$(stringify!($id)),*];
    };
}

cases!(
    kalluri2011_tip_radius,
    kalluri2011_roller_770_depth,
    kalluri2011_roller_770_depth_sd,
    lima2013_roller_0500_layer,
    lima2013_roller_2000_layer,
    lima2013_roller_2500_layer,
    verbaan2008_impact_1ms,
    verbaan2008_impact_3ms,
    verbaan2008_manual,
    olatunji2013_force_05mm_s,
    olatunji2013_force_ratio,
    lam2008_pen_1000_fraction,
    clinical_025_forehead,
    clinical_025_glabella,
    clinical_025_temple,
    clinical_025_periorbital,
    clinical_025_nose,
    clinical_025_cheek,
    clinical_025_upper_lip,
    clinical_025_chin,
    b22_dermis_forehead,
    b22_dermis_glabella,
    b22_dermis_temple,
    b22_dermis_periorbital,
    b22_dermis_nose,
    b22_dermis_cheek,
    b22_dermis_chin,
    b22_dermis_neck,
    c15_dermis_periorbital,
    c15_epidermis_upper_lip,
    sm03_epidermis_decollete,
    o18_dermis_dorsal_hand,
    l02_dermis_back,
    sface_epidermis_scalp,
    i18_fat_forehead,
    i18_fat_chin,
    i18_fat_temple,
);

#[test]
fn every_case_has_a_test_and_every_test_a_case() {
    let ids: Vec<String> = cases().into_iter().map(|c| c.id).collect();
    assert!(ids.len() >= 30, "data file parsed: {}", ids.len());
    for id in &ids {
        assert!(LISTED.contains(&id.as_str()), "{id} has no test");
    }
    assert_eq!(ids.len(), LISTED.len());
}

#[test]
fn rows_carry_what_the_table_shows_and_serialise() {
    let rows = validate();
    for r in &rows {
        assert!(!r.case.source.is_empty() && !r.model.is_empty() && !r.published.is_empty());
        assert_eq!(r.reason.is_some(), r.verdict == Verdict::Fail);
    }
    let json = serde_json::to_string(&rows).unwrap();
    assert!(json.contains("\"verdict\":\"pass\"") && json.contains("kalluri2011"));
}
