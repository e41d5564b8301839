//! `[plan]`: a whole-face treatment on a face map — the model, defaults, and every error
//! with its position.

use crate::{error, parse};
use needlebench_scenario::{
    DEFAULT_DEPTH_CHANGE_S, DEFAULT_PAUSE_S, ExpandOptions, FaceMap, Pattern, Scenario,
    ScenarioError, ScenarioFile,
};
use std::path::{Path, PathBuf};

/// A two-zone plan on the default map. `[[plan.zone]]` #0 starts on line 10, #1 on 15.
const PLAN: &str = r#"name = "p"
[pen]
cartridge = "12"
speed_level = 6
[hand]
tilt_deg = 5.0
tremor_mm = 0.1
[plan]
pause_s = 1.5
[[plan.zone]]
zone = "forehead"
exposure_mm = 0.5
pattern = "crosshatch"
line_spacing_mm = 4.0
[[plan.zone]]
zone = "left_cheek"
exposure_mm = 1.0
pattern = "straight"
glide_mm_s = 20.0
passes = 2
force_n = 2.5
offset_mm = [0.0, -3.0]
overshoot_mm = 1.0
"#;

/// A throw-away directory for scenarios that read files.
fn dir(name: &str) -> PathBuf {
    let d = Path::new(env!("CARGO_TARGET_TMPDIR")).join(name);
    std::fs::create_dir_all(&d).expect("tmp dir");
    d
}

#[test]
fn a_plan_names_zones_of_the_default_map_in_order() {
    let s = parse(PLAN).unwrap_or_else(|e| panic!("{e}"));
    let plan = s.plan.as_ref().expect("a plan");
    assert_eq!(plan.face_map_ref, FaceMap::DEFAULT);
    assert_eq!(plan.face_map.name, "adult-frontal");
    assert_eq!(plan.pause_s, 1.5);
    assert_eq!(plan.depth_change_s, DEFAULT_DEPTH_CHANGE_S);
    assert_eq!(plan.zones.len(), 2);
    let [forehead, cheek] = [&plan.zones[0], &plan.zones[1]];
    assert_eq!(plan.zone_of(forehead).id, "forehead");
    assert_eq!(plan.zone_of(cheek).id, "left_cheek");
    assert_eq!(forehead.pattern, Pattern::Crosshatch);
    assert_eq!(forehead.angles_deg, vec![0.0, 90.0]);
    assert_eq!(forehead.line_spacing_mm, 4.0);
    // Defaults: glide, passes and force as [hand]'s; tilt from [hand]; no trainee error.
    assert_eq!(
        forehead.glide_mm_s,
        needlebench_scenario::DEFAULT_GLIDE_MM_S
    );
    assert_eq!(forehead.passes, 1);
    assert_eq!(forehead.force_n, needlebench_scenario::DEFAULT_FORCE_N);
    assert_eq!(forehead.tilt_deg, 5.0);
    assert_eq!(
        (forehead.offset_mm, forehead.overshoot_mm),
        ([0.0, 0.0], 0.0)
    );
    assert_eq!(
        (cheek.exposure_mm, cheek.glide_mm_s, cheek.passes),
        (1.0, 20.0, 2)
    );
    assert_eq!(
        (cheek.force_n, cheek.offset_mm, cheek.overshoot_mm),
        (2.5, [0.0, -3.0], 1.0)
    );
}

#[test]
fn a_plan_scenario_starts_with_the_first_zones_skin_exposure_and_motion() {
    let s = parse(PLAN).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(s.skin.site.name, "forehead");
    assert!(s.skin.builtin);
    assert_eq!(s.pen().expect("pen").exposure_mm, 0.5);
    let outline = s.plan.as_ref().expect("plan").face_map.outline_mm.clone();
    assert_eq!(s.hand.area, needlebench_scenario::Area::Polygon(outline));
    assert_eq!(s.hand.pattern, Pattern::Crosshatch);
    assert_eq!((s.hand.tilt_deg, s.hand.tremor_mm), (5.0, 0.1));
    assert!(s.source.files.is_empty(), "a built-in map is no file");
}

#[test]
fn a_plan_needs_neither_hand_nor_skin_and_defaults_its_pauses() {
    let text = PLAN
        .replace("[hand]\ntilt_deg = 5.0\ntremor_mm = 0.1\n", "")
        .replace("pause_s = 1.5\n", "");
    let s = parse(&text).unwrap_or_else(|e| panic!("{e}"));
    let plan = s.plan.expect("plan");
    assert_eq!(plan.pause_s, DEFAULT_PAUSE_S);
    assert_eq!(plan.zones[0].tilt_deg, 0.0);
    assert_eq!(s.skin.thickness_variation, 0.0);
}

#[test]
fn an_unknown_zone_names_the_map_and_lists_its_zones() {
    let e = error(&PLAN.replace("\"left_cheek\"", "\"cheeks\""));
    let ids = FaceMap::builtin(FaceMap::DEFAULT).expect("map").zone_ids();
    assert_eq!(
        e,
        format!(
            "s/t.toml:16:1: plan.zone[1].zone = \"cheeks\": face map `adult-frontal` has no such zone; its zones: {ids}"
        )
    );
    assert!(ids.starts_with("forehead, glabella, right_temple"));
}

#[test]
fn a_missing_face_map_file_is_an_error_at_the_key() {
    let e = error(&PLAN.replace("[plan]\n", "[plan]\nface_map = \"maps/none.toml\"\n"));
    assert!(
        e.starts_with(
            "s/t.toml:9:1: plan.face_map = \"maps/none.toml\": not a built-in face map (adult-frontal) and s/maps/none.toml: cannot read: "
        ),
        "{e}"
    );
}

/// A one-zone face map whose zone `spot` is a 10 mm square.
const CUSTOM_MAP: &str = r#"name = "custom"
outline = [[0.0, 0.0], [50.0, 0.0], [50.0, 50.0], [0.0, 50.0], [0.0, 0.0]]
[[zone]]
id = "spot"
label = "spot"
site = "cheek"
depth_mm = [0.5, 1.0]
density_per_cm2 = [1000.0, 5000.0]
outline = [[10.0, 10.0], [20.0, 10.0], [20.0, 20.0], [10.0, 20.0], [10.0, 10.0]]
"#;

fn custom_plan(map_text: &str, name: &str) -> (PathBuf, Result<Scenario, ScenarioError>) {
    let d = dir(name);
    std::fs::write(d.join("face.toml"), map_text).expect("write map");
    let text = "name = \"c\"\n[pen]\ncartridge = \"12\"\nspeed_level = 6\n[plan]\nface_map = \"face.toml\"\n[[plan.zone]]\nzone = \"spot\"\nexposure_mm = 0.75\npattern = \"spiral\"\n";
    let path = d.join("c.toml");
    std::fs::write(&path, text).expect("write scenario");
    (d, Scenario::from_path(&path))
}

#[test]
fn a_custom_face_map_file_is_read_and_listed_among_the_files() {
    let (d, s) = custom_plan(CUSTOM_MAP, "plan-custom-map");
    let s = s.unwrap_or_else(|e| panic!("{e}"));
    let plan = s.plan.as_ref().expect("plan");
    assert_eq!(plan.face_map_ref, "face.toml");
    assert_eq!(plan.face_map.name, "custom");
    assert_eq!(plan.face_map.text, CUSTOM_MAP);
    assert_eq!(s.skin.site.name, "cheek");
    assert_eq!(
        s.source.files,
        vec![("face.toml".to_owned(), d.join("face.toml"))]
    );
}

#[test]
fn a_bad_face_map_reports_its_own_file_line_and_column() {
    let bad = CUSTOM_MAP.replace("site = \"cheek\"", "site = \"cheeck\"");
    let (d, s) = custom_plan(&bad, "plan-bad-map");
    let e = s.expect_err("bad map");
    let loc = e.location();
    assert_eq!(
        (loc.file.clone(), loc.line, loc.column),
        (d.join("face.toml"), 6, 8)
    );
    let shown = e.to_string();
    assert!(
        shown.starts_with(&format!(
            "{}:6:8: zone `spot`: site = \"cheeck\" is not a built-in site",
            d.join("face.toml").display()
        )),
        "{shown}"
    );
    assert!(
        shown.ends_with(&format!(
            "(plan.face_map at {}:6:1)",
            d.join("c.toml").display()
        )),
        "{shown}"
    );
    assert!(matches!(e, ScenarioError::FaceMap { ref source, .. }
        if source.kind == needlebench_scenario::FaceMapErrorKind::UnknownSite));
}

#[test]
fn hand_and_skin_may_not_set_what_the_plan_sets() {
    let e = error(&PLAN.replace("[hand]\n", "[hand]\nglide_mm_s = 5.0\n"));
    assert_eq!(
        e,
        "s/t.toml:6:1: hand.glide_mm_s: not allowed with [plan]: each [[plan.zone]] sets its own motion; with [plan], [hand] takes only tremor_mm, tremor_hz, tilt_deg"
    );
    let e = error(&PLAN.replace("[pen]\n", "[skin]\nsite = \"cheek\"\n[pen]\n"));
    assert!(
        e.starts_with("s/t.toml:3:1: skin.site: not allowed with [plan]: each zone's site comes from the face map"),
        "{e}"
    );
    let s = parse(&PLAN.replace("[pen]\n", "[skin]\nthickness_variation = 0.2\n[pen]\n"))
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(s.skin.thickness_variation, 0.2);
    let e = error(&PLAN.replace("speed_level = 6\n", "speed_level = 6\nexposure_mm = 0.5\n"));
    assert!(
        e.starts_with("s/t.toml:5:1: pen.exposure_mm: not allowed with [plan]"),
        "{e}"
    );
}

#[test]
fn plan_zone_pattern_keys_are_checked_as_hands_are() {
    let e = error(&PLAN.replace("passes = 2\n", "passes = 2\nstamp_pitch_mm = 3.0\n"));
    assert_eq!(
        e,
        "s/t.toml:21:1: plan.zone[1].stamp_pitch_mm: not used by pattern = \"straight\" (only by stamping)"
    );
    let e = error(&PLAN.replace("passes = 2", "passes = 0"));
    assert_eq!(
        e,
        "s/t.toml:20:1: plan.zone[1].passes = 0 out of range 1–1000"
    );
    let e = error(&PLAN.replace("line_spacing_mm = 4.0\n", "angles_deg = [45.0]\n"));
    assert_eq!(
        e,
        "s/t.toml:14:1: plan.zone[0].angles_deg: crosshatch needs at least 2 directions, has 1"
    );
    let e = error(
        &PLAN
            .replace("\"crosshatch\"", "\"freehand\"")
            .replace("line_spacing_mm = 4.0\n", ""),
    );
    assert!(
        e.starts_with("s/t.toml:13:1: plan.zone[0]: pattern = \"freehand\" needs `waypoints_csv`"),
        "{e}"
    );
}

#[test]
fn plan_zone_values_are_range_checked_at_their_key() {
    let e = error(&PLAN.replace("exposure_mm = 1.0", "exposure_mm = 0.33"));
    assert_eq!(
        e,
        "s/t.toml:17:1: plan.zone[1].exposure_mm = 0.33: must be a multiple of 0.05 mm"
    );
    let e = error(&PLAN.replace("force_n = 2.5", "force_n = 80.0"));
    assert_eq!(
        e,
        "s/t.toml:21:1: plan.zone[1].force_n = 80.0 out of range 0.0–50.0"
    );
    let e = error(&PLAN.replace("[0.0, -3.0]", "[0.0, -300.0]"));
    assert_eq!(
        e,
        "s/t.toml:22:19: plan.zone[1].offset_mm[1] = -300.0 out of range -100.0–100.0"
    );
    let e = error(&PLAN.replace("pause_s = 1.5", "pause_s = -1.0"));
    assert_eq!(
        e,
        "s/t.toml:9:1: plan.pause_s = -1.0 out of range 0.0–3600.0"
    );
}

#[test]
fn unknown_keys_in_a_plan_zone_list_the_allowed_keys() {
    let e = error(&PLAN.replace("passes = 2\n", "passes = 2\nspeed = 3\n"));
    assert!(
        e.starts_with("s/t.toml:21:1: unknown key `speed` in [plan.zone[1]]; allowed: zone, exposure_mm, pattern, glide_mm_s"),
        "{e}"
    );
}

#[test]
fn a_plan_needs_a_zone_and_a_pen() {
    let head = PLAN.split("[[plan.zone]]").next().expect("head");
    let e = error(head);
    assert!(
        e.starts_with("s/t.toml:8:2: plan: needs at least one [[plan.zone]]"),
        "{e}"
    );
    let no_pen = PLAN.replace("[pen]\ncartridge = \"12\"\nspeed_level = 6\n", "");
    assert_eq!(
        error(&no_pen),
        "s/t.toml:1:1: a pen scenario needs a [pen] table (cartridge, speed; the plan sets the exposure)"
    );
    let e = error(&PLAN.replace("[pen]\n", "[device]\nkind = \"roller\"\n[pen]\n"));
    assert!(
        e.starts_with("s/t.toml:3:1: device.kind = \"roller\": a [plan] is carried out with a pen"),
        "{e}"
    );
}

#[test]
fn a_freehand_zone_reads_a_path_file_with_force_and_tilt_columns() {
    let d = dir("plan-freehand");
    std::fs::write(
        d.join("path.csv"),
        "t_s,x_mm,y_mm,force_n,tilt_deg\n0.0,100.0,120.0,2.0,5.0\n0.5,110.0,120.0,0.0,10.0\n",
    )
    .expect("csv");
    let text = PLAN.replace("\"straight\"", "\"freehand\"\nwaypoints_csv = \"path.csv\"");
    let path = d.join("p.toml");
    std::fs::write(&path, &text).expect("scenario");
    let s = Scenario::from_path(&path).unwrap_or_else(|e| panic!("{e}"));
    let Pattern::Freehand { waypoints, .. } = &s.plan.as_ref().expect("plan").zones[1].pattern
    else {
        panic!("freehand expected");
    };
    assert_eq!(waypoints[1].force_n, Some(0.0));
    assert_eq!(waypoints[1].tilt_deg, Some(10.0));
    assert_eq!(
        s.source.files,
        vec![("path.csv".to_owned(), d.join("path.csv"))]
    );
    // A force beyond 50 N is a row error naming the plan key.
    std::fs::write(
        d.join("path.csv"),
        "t_s,x_mm,y_mm,force_n\n0.0,100.0,120.0,2.0\n0.5,110.0,120.0,70.0\n",
    )
    .expect("csv");
    let e = Scenario::from_path(&path).expect_err("bad row").to_string();
    assert!(
        e.contains("path.csv:3:1: waypoints row 2: force_n = 70 out of range 0–50 (plan.zone[1].waypoints_csv at "),
        "{e}"
    );
}

#[test]
fn a_matrix_can_vary_plan_keys() {
    let text = format!("{PLAN}[matrix]\n\"plan.depth_change_s\" = [2.0, 6.0]\n");
    let f = ScenarioFile::from_str(&text, "s/t.toml".as_ref(), ExpandOptions::default())
        .unwrap_or_else(|e| panic!("{e}"));
    let s = f.unit(1).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(s.plan.expect("plan").depth_change_s, 6.0);
}

#[test]
fn without_a_plan_hand_and_skin_stay_required() {
    let e = error(
        "name = \"t\"\n[skin]\nsite = \"cheek\"\n[pen]\ncartridge = \"12\"\nexposure_mm = 0.5\nspeed_level = 6\n",
    );
    assert_eq!(e, "s/t.toml:1:1: missing key `hand` in the top level");
    let e = error(&crate::BASE.replace(
        "area = { rect = { x_mm = 0.0, y_mm = 0.0, width_mm = 20.0, height_mm = 10.0 } }\n",
        "",
    ));
    assert_eq!(e, "s/t.toml:8:2: missing key `area` in [hand]");
    let e = error(&crate::BASE.replace("exposure_mm = 0.5\n", ""));
    assert_eq!(e, "s/t.toml:4:2: missing key `exposure_mm` in [pen]");
}

#[test]
fn a_trainees_actual_glide_and_force_move_the_hand_and_leave_the_targets() {
    let cheek = |s: &Scenario| s.plan.as_ref().expect("plan").zones[1].clone();
    let planned = cheek(&parse(PLAN).unwrap_or_else(|e| panic!("{e}")));
    assert_eq!(
        (planned.actual_glide_mm_s, planned.actual_force_n),
        (None, None)
    );
    assert_eq!(planned.hand_glide_mm_s(), 20.0);
    assert_eq!(planned.hand_force_n(), 2.5);
    let text = PLAN.replace(
        "overshoot_mm = 1.0\n",
        "overshoot_mm = 1.0\nactual_glide_mm_s = 6.5\nactual_force_n = 6.0\n",
    );
    let trainee = cheek(&parse(&text).unwrap_or_else(|e| panic!("{e}")));
    // The targets stay the plan's; the hand follows the deviations.
    assert_eq!((trainee.glide_mm_s, trainee.force_n), (20.0, 2.5));
    assert_eq!(trainee.hand_glide_mm_s(), 6.5);
    assert_eq!(trainee.hand_force_n(), 6.0);
    let e = error(&PLAN.replace(
        "overshoot_mm = 1.0\n",
        "overshoot_mm = 1.0\nactual_force_n = 70.0\n",
    ));
    assert_eq!(
        e,
        "s/t.toml:24:1: plan.zone[1].actual_force_n = 70.0 out of range 0.0–50.0"
    );
}
