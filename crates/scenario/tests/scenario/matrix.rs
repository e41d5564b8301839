//! `[matrix]`: expansion (product, exclude, include), names, seeds, directory names, errors.

use crate::BASE;
use needlebench_scenario::{
    ExpandOptions, ScenarioError, ScenarioFile, VARIANT_LIMIT, Variant, variant_seed,
};

fn file(matrix: &str) -> Result<ScenarioFile, ScenarioError> {
    let text = format!("{BASE}{matrix}");
    ScenarioFile::from_str(&text, "s/t.toml".as_ref(), ExpandOptions::default())
}

fn names(f: &ScenarioFile) -> Vec<String> {
    f.variants()
        .map(|v| v.map(|v| v.name).collect())
        .unwrap_or_default()
}

fn err(matrix: &str) -> String {
    match file(matrix) {
        Ok(f) => panic!("expected an error, got {:?}", names(&f)),
        Err(e) => e.to_string(),
    }
}

#[test]
fn product_is_enumerated_first_axis_outermost_with_names_in_file_order() {
    let f =
        file("[matrix]\n\"pen.exposure_mm\" = [0.25, 1]\n\"pen.speed_level\" = [1, 3]\n").unwrap();
    assert_eq!(
        names(&f),
        [
            "t[exposure_mm=0.25,speed_level=1]",
            "t[exposure_mm=0.25,speed_level=3]",
            "t[exposure_mm=1,speed_level=1]",
            "t[exposure_mm=1,speed_level=3]",
        ]
    );
    let s = f.variant(&f.variant_at(2).unwrap()).unwrap();
    assert_eq!(s.pen().unwrap().exposure_mm, 1.0);
    assert_eq!(s.name, "t[exposure_mm=1,speed_level=1]");
    assert_eq!(s.variant.as_ref().unwrap().index, 2);
}

#[test]
fn nested_table_keys_are_axes_like_quoted_dotted_keys() {
    let f = file("[matrix]\nhand.force_n = [1.0, 3.0]\nskin.site = [\"cheek\", \"forehead\"]\n")
        .unwrap();
    assert_eq!(
        names(&f),
        [
            "t[force_n=1.0,site=cheek]",
            "t[force_n=1.0,site=forehead]",
            "t[force_n=3.0,site=cheek]",
            "t[force_n=3.0,site=forehead]",
        ]
    );
    let s = f.unit(1).unwrap();
    assert_eq!(s.skin.site.name, "forehead");
}

#[test]
fn exclude_drops_matching_combinations_and_include_adds_keys_or_combinations() {
    let f = file(
        r#"[matrix]
"pen.exposure_mm" = [0.5, 1.0]
"pen.speed_level" = [1, 3]
exclude = [{ "pen.exposure_mm" = 1.0, "pen.speed_level" = 1 }]
include = [
  { "pen.exposure_mm" = 1, "expect.max_depth_um" = 1500.0 },
  { "pen.exposure_mm" = 1.0, "expect.max_depth_um" = 1600.0 },
  { "pen.exposure_mm" = 2.0, "pen.speed_level" = 6, "hand.force_n" = 4.0 },
]
"#,
    )
    .unwrap();
    assert_eq!(
        names(&f),
        [
            "t[exposure_mm=0.5,speed_level=1]",
            "t[exposure_mm=0.5,speed_level=3]",
            "t[exposure_mm=1.0,speed_level=3]",
            "t[exposure_mm=2.0,speed_level=6,force_n=4.0]",
        ]
    );
    let v = &f.variant_at(2).unwrap();
    // A later include entry overwrites what an earlier one added (1 matches 1.0).
    assert_eq!(
        v.value("expect.max_depth_um"),
        Some(&toml::Value::Float(1600.0))
    );
    assert_eq!(f.variant(v).unwrap().expect.max_depth_um, Some(1600.0));
    assert_eq!(f.variant_at(0).unwrap().value("expect.max_depth_um"), None);
    let created = f.unit(3).unwrap();
    assert_eq!(created.hand.force.at_s(0.0), 4.0);
}

#[test]
fn seed_is_sha256_of_base_seed_and_name_unless_the_matrix_sets_it() {
    let text = format!("seed = 7\n{BASE}[matrix]\n\"pen.speed_level\" = [2]\n");
    let f = ScenarioFile::from_str(&text, "s/t.toml".as_ref(), ExpandOptions::default()).unwrap();
    let v = &f.variant_at(0).unwrap();
    // printf '%s' '7 t[speed_level=2]' | sha256sum | cut -c1-16
    assert_eq!(v.seed, 0x16ff800777a97a5c_u64);
    assert_eq!(v.seed, variant_seed(7, "t[speed_level=2]"));
    assert_ne!(v.seed, variant_seed(8, "t[speed_level=2]"));
    assert_eq!(f.unit(0).unwrap().seed, v.seed);
    let f = file("[matrix]\nseed = [11, 12]\n").unwrap();
    assert_eq!(f.unit(1).unwrap().seed, 12);
}

#[test]
fn directory_names_are_shell_and_filesystem_safe_and_distinct() {
    let f = file("[matrix]\n\"skin.site\" = [\"forehead\", \"a b/c\"]\n").unwrap();
    let v: Vec<Variant> = f.variants().unwrap().collect();
    assert_eq!(v[0].dir_name(), "t@site=forehead");
    assert_eq!(v[1].name, "t[site=\"a b/c\"]");
    assert_eq!(v[1].dir_name(), "t@site=%22a%20b%2Fc%22");
}

#[test]
fn shared_last_segments_use_the_whole_dotted_key() {
    let f = file(
        "[matrix]\n\"hand.force_n\" = [1.0]\n\"pen.battery_soc\" = [0.5]\ninclude = [{ \"pen.speed_level\" = 2, \"expect.force_n\" = 1 }]\n",
    );
    // `expect.force_n` does not exist; only the name matters here.
    let f = f.unwrap();
    assert_eq!(names(&f), ["t[hand.force_n=1.0,battery_soc=0.5]"]);
}

#[test]
fn a_bad_value_is_the_keys_own_error_in_that_variant_at_the_matrix() {
    let f = file("[matrix]\n\"pen.exposure_mm\" = [0.5, 3.5]\n").unwrap();
    assert!(f.unit(0).is_ok());
    let e = f.unit(1).unwrap_err();
    let text = e.to_string();
    assert!(
        text.starts_with("s/t.toml:12:1: pen.exposure_mm = 3.5 out of range"),
        "{text}"
    );
    assert!(
        text.ends_with("(in variant `t[exposure_mm=3.5]`)"),
        "{text}"
    );
    let f = file("[matrix]\n\"pen.speed_level\" = [2, \"fast\"]\n").unwrap();
    let text = f.unit(1).unwrap_err().to_string();
    assert!(text.starts_with("s/t.toml:12:25:"), "{text}");
    assert!(text.contains("speed_level"), "{text}");
}

#[test]
fn an_unknown_matrix_key_is_named_at_the_matrix() {
    let f = file("[matrix]\n\"pen.exposur_mm\" = [0.5]\n").unwrap();
    let text = f.unit(0).unwrap_err().to_string();
    assert!(
        text.starts_with("s/t.toml:12:1: unknown key `exposur_mm` in [pen]"),
        "{text}"
    );
}

#[test]
fn malformed_matrices_are_refused_with_file_line_and_key() {
    let e = err("[matrix]\n\"pen.exposure_mm\" = []\n");
    assert!(
        e.starts_with("s/t.toml:12:1: matrix.pen.exposure_mm = []"),
        "{e}"
    );
    let e = err("[matrix]\n\"pen.exposure_mm\" = 0.5\n");
    assert!(e.contains("expected a list of values"), "{e}");
    let e = err("[matrix]\nname = [\"a\"]\n");
    assert!(e.contains("the name cannot vary"), "{e}");
    let e = err("[matrix]\n\"pen.speed_level\" = [1]\nexclude = [{ \"pen.exposure_mm\" = 0.5 }]\n");
    assert!(e.contains("not an axis of the matrix"), "{e}");
    let e = err("[matrix]\n\"pen.speed_level\" = [1]\nexclude = [{ \"pen.speed_level\" = 1 }]\n");
    assert!(e.contains("every combination is excluded"), "{e}");
    let e = err("[matrix]\n\"pen.speed_level\" = [[1]]\n");
    assert!(
        e.contains("must be a string, integer, float or boolean"),
        "{e}"
    );
    let e = err("[matrix]\npen = [1]\n\"pen.speed_level\" = [1]\n");
    assert!(e.contains("overlaps the axis `pen`"), "{e}");
    let e = err("[matrix]\n");
    assert!(e.contains("nothing to expand"), "{e}");
}

#[test]
fn include_entries_that_create_the_same_name_are_refused() {
    let e = err(
        "[matrix]\n\"pen.speed_level\" = [1]\ninclude = [{ \"pen.speed_level\" = 2 }, { \"pen.speed_level\" = 2 }]\n",
    );
    assert!(e.contains("are both named `t[speed_level=2]`"), "{e}");
    assert!(e.starts_with("s/t.toml:13:39:"), "{e}");
}

#[test]
fn more_than_the_limit_needs_allow_large() {
    let list = (1..=101)
        .map(|i| i.to_string())
        .collect::<Vec<_>>()
        .join(",");
    let m = format!("[matrix]\n\"hand.passes\" = [{list}]\n\"pen.cartridge_id\" = [{list}]\n");
    let e = err(&m);
    assert!(
        e.contains(&format!(
            "10201 variants; more than {VARIANT_LIMIT} need --allow-large"
        )),
        "{e}"
    );
    let text = format!("{BASE}{m}");
    let f = ScenarioFile::from_str(
        &text,
        "t.toml".as_ref(),
        ExpandOptions { allow_large: true },
    )
    .unwrap();
    assert_eq!(f.len(), 10_201);
    let big = format!("[matrix]\na.x = [{list}]\na.y = [{list}]\na.z = [{list}]\na.w = [{list}]\n");
    let text = format!("{BASE}{big}");
    let e = ScenarioFile::from_str(
        &text,
        "t.toml".as_ref(),
        ExpandOptions { allow_large: true },
    )
    .unwrap_err();
    assert!(
        e.to_string().contains("at most 10000000 are allowed"),
        "{e}"
    );
}

#[test]
fn a_matrix_file_is_not_one_scenario_and_selection_finds_variants() {
    let f = file("[matrix]\n\"pen.speed_level\" = [1, 2]\n").unwrap();
    let e = f.scenario().unwrap_err().to_string();
    assert!(e.contains("list them with `needlebench list FILE`"), "{e}");
    assert_eq!(
        f.select(Some("t[speed_level=2]")).unwrap().seed,
        f.unit(1).unwrap().seed
    );
    let e = f.select(Some("t[speed_level=9]")).unwrap_err().to_string();
    assert!(e.contains("no variant `t[speed_level=9]`"), "{e}");
    let plain = file("").unwrap();
    assert!(plain.variants().is_none() && plain.variant_count().is_none());
    assert_eq!(f.variant_count(), Some(2));
    assert!(f.variant_at(2).is_none());
    assert_eq!(plain.len(), 1);
    assert!(plain.select(Some("t[x=1]")).is_err());
    assert_eq!(plain.unit(0).unwrap().name, "t");
}
