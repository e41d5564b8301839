//! One test per error class: exact `file:line:column` and the "allowed" text.

use crate::{BASE, error, parse};
use needlebench_physics::PhysicsError;
use needlebench_scenario::{BELOW_HYPODERMIS, Scenario, ScenarioError};

#[test]
fn base_scenario_is_valid() {
    let s = parse(BASE).unwrap();
    assert_eq!(s.name, "t");
}

#[test]
fn unknown_key_at_top_level_lists_the_allowed_keys() {
    let e = error(&format!("bogus = 1\n{BASE}"));
    assert_eq!(
        e,
        "s/t.toml:1:1: unknown key `bogus` in the top level; allowed: name, description, tags, \
         seed, duration_s, skin, device, pen, firmware, hand, plan, inject, expect"
    );
}

#[test]
fn unknown_nested_key_names_its_table_and_position() {
    let e = error(&format!("{BASE}glide_speed = 3.0\n"));
    assert_eq!(
        e,
        "s/t.toml:11:1: unknown key `glide_speed` in [hand]; allowed: area, pattern, glide_mm_s, \
         passes, line_spacing_mm, angles_deg, stamp_pitch_mm, stamp_dwell_ms, waypoints_csv, \
         force_n, force_profile, tilt_deg, tremor_mm, tremor_hz"
    );
    let e = error(&BASE.replace("width_mm = 20.0,", "width_mm = 20.0, w_mm = 1.0,"));
    assert_eq!(
        e,
        "s/t.toml:9:60: unknown key `w_mm` in [hand.area.rect]; allowed: x_mm, y_mm, width_mm, height_mm"
    );
}

#[test]
fn unknown_key_in_an_injection_lists_that_kind_s_keys() {
    let text = format!(
        "{BASE}[[inject]]\nat_s = 1.0\nkind = \"link_drop\"\nduration_s = 1.0\nforce_n = 3.0\n"
    );
    assert_eq!(
        error(&text),
        "s/t.toml:15:1: unknown key `force_n` in [inject[0]]; allowed: kind, at_s, duration_s"
    );
}

#[test]
fn bad_enum_value_lists_the_choices() {
    let e = error(&BASE.replace("\"straight\"", "\"zigzag\""));
    assert_eq!(
        e,
        "s/t.toml:10:11: hand.pattern = \"zigzag\": expected one of straight, crosshatch, spiral, \
         stamping, freehand"
    );
    let e = error(&format!(
        "{BASE}[[inject]]\nat_s = 1.0\nkind = \"link_dro\"\nduration_s = 1.0\n"
    ));
    assert!(e.starts_with("s/t.toml:13:8: inject[0].kind = \"link_dro\": expected one of force_spike, cartridge_jam"), "{e}");
    let e = error(&format!("{BASE}[expect]\nfaults = [\"stal\"]\n"));
    assert!(e.starts_with("s/t.toml:12:11: expect.faults[0] = \"stal\": expected one of stall, over_current, link_loss"), "{e}");
    let e = error(&BASE.replace("rect =", "circle ="));
    assert_eq!(
        e,
        "s/t.toml:9:10: hand.area = { circle = … }: expected one of rect, polygon"
    );
}

#[test]
fn unknown_names_checked_by_the_physics_list_the_choices() {
    let e = error(&BASE.replace("\"forehead\"", "\"elbow\""));
    assert!(
        e.starts_with("s/t.toml:3:1: skin.site = \"elbow\": expected one of forehead, glabella, "),
        "{e}"
    );
    assert!(
        e.ends_with("abdomen, thigh, scalp, dorsal_hand, upper_arm, back"),
        "{e}"
    );
    let e = error(&BASE.replace("\"12\"", "\"7\""));
    assert_eq!(
        e,
        "s/t.toml:5:1: pen.cartridge = \"7\": expected one of 9, 12, 16, 24, 36, 42, nano"
    );
}

#[test]
fn out_of_range_number_names_key_value_and_range() {
    assert_eq!(
        error(&BASE.replace("0.5", "3.5")),
        "s/t.toml:6:1: pen.exposure_mm = 3.5 out of range 0.0–3.0"
    );
    assert_eq!(
        error(&BASE.replace("0.5", "0.33")),
        "s/t.toml:6:1: pen.exposure_mm = 0.33: must be a multiple of 0.05 mm"
    );
    assert_eq!(
        error(&BASE.replace("speed_level = 6", "speed_level = 7")),
        "s/t.toml:7:1: pen.speed_level = 7 out of range 1–6"
    );
    assert_eq!(
        error(&format!("{BASE}glide_mm_s = 0.0\n")),
        "s/t.toml:11:1: hand.glide_mm_s = 0.0 out of range: must be > 0 and <= 100.0"
    );
    let e = error(&format!(
        "{BASE}[[inject]]\nat_s = 1.0\nkind = \"battery_sag\"\ndrop_mv = -5.0\nduration_s = 1.0\n"
    ));
    assert_eq!(
        e,
        "s/t.toml:14:1: inject[0].drop_mv = -5.0 out of range: must be > 0 and <= 4200.0"
    );
}

#[test]
fn wrong_type_and_missing_key_name_the_key() {
    assert_eq!(
        error(&format!("{BASE}passes = 2.5\n")),
        "s/t.toml:11:10: hand.passes: invalid type: floating point `2.5`, expected u32"
    );
    assert_eq!(
        error(&BASE.replace("name = \"t\"\n", "")),
        "s/t.toml:1:1: missing key `name` in the top level"
    );
    let e = error(&format!(
        "{BASE}[[inject]]\nat_s = 1.0\nkind = \"link_drop\"\n"
    ));
    assert_eq!(e, "s/t.toml:11:1: missing key `duration_s` in [inject[0]]");
    let e = error(&format!("{BASE}[[inject]]\nat_s = 1.0\nduration_s = 1.0\n"));
    let kinds = needlebench_scenario::INJECTION_KINDS.join(", ");
    assert_eq!(
        e,
        format!("s/t.toml:11:1: missing key `kind` in [inject[0]]; kind is one of {kinds}")
    );
    assert!(kinds.starts_with("force_spike, cartridge_jam, sensor_stuck"));
}

#[test]
fn toml_syntax_error_has_a_position() {
    let e = parse(&format!("{BASE}x = \n")).unwrap_err();
    assert!(matches!(e, ScenarioError::Syntax { .. }), "{e:?}");
    assert!(
        e.to_string()
            .starts_with("s/t.toml:11:5: TOML syntax error: "),
        "{e}"
    );
}

#[test]
fn both_speed_level_and_stroke_hz_is_an_error() {
    let e = error(&BASE.replace("speed_level = 6", "speed_level = 6\nstroke_hz = 150.0"));
    assert_eq!(
        e,
        "s/t.toml:8:1: pen: give exactly one of `speed_level` (1–6) or `stroke_hz`, not both"
    );
    let e = error(&BASE.replace("speed_level = 6\n", ""));
    assert_eq!(
        e,
        "s/t.toml:4:2: pen: needs one of `speed_level` (1–6) or `stroke_hz`"
    );
}

#[test]
fn serial_without_port_and_emulator_only_keys() {
    let e = error(&format!("{BASE}[firmware]\nkind = \"serial\"\n"));
    assert_eq!(
        e,
        "s/t.toml:12:1: firmware.kind = \"serial\" needs `port` (e.g. port = \"/dev/ttyACM0\")"
    );
    let text = format!(
        "{BASE}[firmware]\nkind = \"serial\"\nport = \"/dev/ttyACM0\"\ncartridge_limit_s = 3.0\n"
    );
    let e = error(&text);
    assert!(
        e.starts_with("s/t.toml:14:1: firmware.cartridge_limit_s: only for the emulated firmware"),
        "{e}"
    );
    let e = error(&format!("{BASE}[firmware]\nport = \"/dev/ttyACM0\"\n"));
    assert_eq!(
        e,
        "s/t.toml:12:1: firmware.port: only allowed with kind = \"serial\""
    );
    let e = error(&format!("{BASE}[firmware]\nkind = \"usb\"\n"));
    assert_eq!(
        e,
        "s/t.toml:12:8: firmware.kind = \"usb\": expected one of emulated, emulator-pty, serial"
    );
}

#[test]
fn custom_site_with_zero_thickness_names_the_field() {
    let custom = "[skin.custom]\nname = \"scar\"\n[skin.custom.layers]\n\
                  stratum_corneum = { thickness_um = 15.0 }\nviable_epidermis = { thickness_um = 60.0 }\n\
                  papillary_dermis = { thickness_um = 0.0 }\nreticular_dermis = { thickness_um = 900.0 }\n\
                  hypodermis = { thickness_um = 3000.0 }";
    let text = BASE.replace("site = \"forehead\"", custom);
    let e = parse(&text).unwrap_err();
    match &e {
        ScenarioError::Site {
            source: PhysicsError::OutOfRange { field, .. },
            ..
        } => {
            assert_eq!(field, "layers.papillary_dermis.thickness_um");
        }
        other => panic!("expected a site error, got {other:?}"),
    }
    // Points at the `thickness_um` key inside the papillary_dermis inline table (line 8).
    assert_eq!(
        e.to_string(),
        "s/t.toml:8:22: skin.custom: layers.papillary_dermis.thickness_um must be > 0, got 0"
    );
    // The same stack with a real thickness parses into a custom site.
    let s = parse(&text.replace("thickness_um = 0.0", "thickness_um = 150.0")).unwrap();
    assert!(!s.skin.builtin);
    assert_eq!(s.skin.site.name, "scar");
    assert_eq!(
        s.expect.forbidden_layers,
        BELOW_HYPODERMIS.to_vec(),
        "custom sites forbid only what lies below the fat by default"
    );
}

#[test]
fn polygon_with_two_points_is_an_error() {
    let area = "{ rect = { x_mm = 0.0, y_mm = 0.0, width_mm = 20.0, height_mm = 10.0 } }";
    let e = error(&BASE.replace(area, "{ polygon = [[0.0, 0.0], [1.0, 1.0]] }"));
    assert_eq!(
        e,
        "s/t.toml:9:10: hand.area.polygon: needs at least 3 points [x_mm, y_mm], has 2"
    );
    let e = error(&BASE.replace(area, "{ polygon = [[0.0, 0.0], [1.0, 1.0], [2.0, 2.0]] }"));
    assert_eq!(
        e,
        "s/t.toml:9:10: hand.area.polygon: has zero area (points collinear or repeated)"
    );
}

#[test]
fn freehand_csv_with_a_bad_row_names_the_file_and_row() {
    let dir = std::path::Path::new(env!("CARGO_TARGET_TMPDIR")).join("freehand-bad-row");
    std::fs::create_dir_all(dir.join("paths")).unwrap();
    std::fs::write(
        dir.join("paths/p.csv"),
        "t_s,x_mm,y_mm\n0.0,1.0,1.0\n1.0,2.0,1.0\n2.0,abc,1.0\n",
    )
    .unwrap();
    let text = BASE.replace(
        "\"straight\"",
        "\"freehand\"\nwaypoints_csv = \"paths/p.csv\"",
    );
    let toml_path = dir.join("t.toml");
    std::fs::write(&toml_path, &text).unwrap();
    let e = Scenario::from_path(&toml_path).unwrap_err();
    match &e {
        ScenarioError::Waypoints {
            csv,
            csv_line,
            row,
            at,
            ..
        } => {
            assert_eq!(csv, &dir.join("paths/p.csv"));
            assert_eq!((*csv_line, *row), (4, 3));
            assert_eq!((at.line, at.column), (11, 1));
        }
        other => panic!("expected a waypoints error, got {other:?}"),
    }
    let shown = e.to_string();
    let want = format!(
        "{}:4:1: waypoints row 3: x_mm = `abc` is not a finite number (hand.waypoints_csv at {}:11:1)",
        dir.join("paths/p.csv").display(),
        toml_path.display()
    );
    assert_eq!(shown, want);
    // Time going backwards is a row error too; a missing file is an error at the key.
    std::fs::write(
        dir.join("paths/p.csv"),
        "t_s,x_mm,y_mm\n0.0,1.0,1.0\n1.0,2.0,1.0\n0.5,2.0,2.0\n",
    )
    .unwrap();
    let e = Scenario::from_path(&toml_path).unwrap_err().to_string();
    assert!(
        e.contains(":4:1: waypoints row 3: t_s = 0.5 must be greater than the previous row's 1"),
        "{e}"
    );
    std::fs::write(&toml_path, text.replace("p.csv", "missing.csv")).unwrap();
    let e = Scenario::from_path(&toml_path).unwrap_err().to_string();
    assert!(
        e.contains("t.toml:11:1: hand.waypoints_csv = \"paths/missing.csv\": cannot read "),
        "{e}"
    );
    // freehand without a CSV, and a CSV on another pattern.
    let e = error(&BASE.replace("\"straight\"", "\"freehand\""));
    assert!(
        e.starts_with("s/t.toml:10:1: hand: pattern = \"freehand\" needs `waypoints_csv`"),
        "{e}"
    );
    let e = error(&format!("{BASE}waypoints_csv = \"p.csv\"\n"));
    assert_eq!(
        e,
        "s/t.toml:11:1: hand.waypoints_csv: not used by pattern = \"straight\" (only by freehand)"
    );
}

#[test]
fn pattern_specific_keys_are_rejected_on_other_patterns() {
    let e = error(&format!("{BASE}stamp_pitch_mm = 3.0\n"));
    assert_eq!(
        e,
        "s/t.toml:11:1: hand.stamp_pitch_mm: not used by pattern = \"straight\" (only by stamping)"
    );
    let e = error(&BASE.replace("\"straight\"", "\"crosshatch\"\nangles_deg = [45.0]"));
    assert_eq!(
        e,
        "s/t.toml:11:1: hand.angles_deg: crosshatch needs at least 2 directions, has 1"
    );
}

#[test]
fn force_rules_point_at_the_offending_point() {
    let e = error(&format!(
        "{BASE}force_n = 2.0\nforce_profile = [[0.0, 2.0]]\n"
    ));
    assert_eq!(
        e,
        "s/t.toml:12:1: hand: give either `force_n` or `force_profile`, not both"
    );
    let e = error(&format!(
        "{BASE}force_profile = [[0.0, 2.0], [5.0, 3.0], [5.0, 4.0]]\n"
    ));
    assert_eq!(
        e,
        "s/t.toml:11:42: hand.force_profile[2]: t_s = 5.0 must be greater than the previous point's 5.0"
    );
    let e = error(&format!(
        "{BASE}force_profile = [[0.0, 2.0], [5.0, 60.0]]\n"
    ));
    assert_eq!(
        e,
        "s/t.toml:11:30: hand.force_profile[1]: force_n = 60.0 out of range 0.0–50.0"
    );
}

#[test]
fn injection_rules() {
    let noise = format!(
        "{BASE}[[inject]]\nat_s = 1.0\nkind = \"sensor_noise\"\nsensor = \"hall\"\namplitude_mv = 3.0\nduration_s = 1.0\n"
    );
    assert_eq!(
        error(&noise),
        "s/t.toml:15:1: inject[0].amplitude_mv: sensor = \"hall\" takes `amplitude_us`"
    );
    let late = format!(
        "duration_s = 5.0\n{BASE}[[inject]]\nat_s = 6.0\nkind = \"cartridge_jam\"\nduration_s = 1.0\n"
    );
    assert_eq!(
        error(&late),
        "s/t.toml:13:1: inject[0].at_s = 6.0: must be before duration_s = 5.0"
    );
}

#[test]
fn expect_rules() {
    let e = error(&format!(
        "{BASE}[expect]\ntarget_layers = [\"hypodermis\"]\n"
    ));
    assert_eq!(
        e,
        "s/t.toml:12:1: expect.target_layers: `hypodermis` is also a forbidden layer (forbidden: hypodermis, muscle, cartilage, bone)"
    );
    let e = error(&format!(
        "{BASE}[expect]\ndensity_min_per_cm2 = 500.0\ndensity_max_per_cm2 = 400.0\n"
    ));
    assert_eq!(
        e,
        "s/t.toml:12:1: expect.density_min_per_cm2 = 500.0 is above density_max_per_cm2 = 400.0"
    );
    let e = error(&format!("{BASE}[expect]\nforbidden_layers = [\"fat\"]\n"));
    assert!(e.starts_with("s/t.toml:12:21: expect.forbidden_layers[0] = \"fat\": expected one of stratum_corneum, viable_epidermis"), "{e}");
    let e = error(&format!("{BASE}[expect]\nmin_coverage = 1.5\n"));
    assert_eq!(
        e,
        "s/t.toml:12:1: expect.min_coverage = 1.5 out of range 0.0–1.0"
    );
}

#[test]
fn bad_name_and_unreadable_file() {
    assert_eq!(
        error(&BASE.replace("\"t\"", "\"Bad Name\"")),
        "s/t.toml:1:1: name = \"Bad Name\": must be non-empty, only a-z, 0-9, - and . and not start with - or ."
    );
    assert!(parse(&BASE.replace("\"t\"", "\"-t\"")).is_err());
    assert_eq!(
        parse(&BASE.replace("\"t\"", "\"cheek-1.5mm\""))
            .unwrap()
            .name,
        "cheek-1.5mm"
    );
    let e = Scenario::from_path("no/such/file.toml".as_ref()).unwrap_err();
    assert!(matches!(e, ScenarioError::Io { .. }));
    assert!(
        e.to_string()
            .starts_with("no/such/file.toml: cannot read: "),
        "{e}"
    );
}

#[test]
fn device_rules_name_the_key_and_why() {
    // a roller with [pen] settings
    let e = error(&BASE.replacen("[pen]", "[device]\nkind = \"roller\"\n\n[pen]", 1));
    assert!(e.contains("[pen]: a roller has no pen settings"), "{e}");
    // a pen without [pen]
    let no_pen: String = BASE
        .lines()
        .take_while(|l| !l.starts_with("[pen]"))
        .chain(BASE.lines().skip_while(|l| !l.starts_with("[hand]")))
        .map(|l| format!("{l}\n"))
        .collect();
    let e = error(&no_pen);
    assert!(e.contains("a pen scenario needs a [pen] table"), "{e}");
    // a roller key on a stamp, with its position
    let stamp = no_pen.replacen(
        "[hand]",
        "[device]\nkind = \"stamp\"\nrows = 10\n\n[hand]",
        1,
    );
    let e = error(&stamp);
    assert!(e.starts_with("s/t.toml:"), "{e}");
    assert!(e.contains("device.rows: only for kind = \"roller\""), "{e}");
    // injections a roller cannot have
    let jam = no_pen.replacen("[hand]", "[device]\nkind = \"roller\"\n\n[hand]", 1)
        + "[[inject]]\nat_s = 1.0\nkind = \"cartridge_jam\"\nduration_s = 0.5\n";
    let e = error(&jam);
    assert!(e.contains("inject[0]: a roller has no motor"), "{e}");
    // out-of-range geometry
    let e = error(&no_pen.replacen(
        "[hand]",
        "[device]\nkind = \"roller\"\nneedle_length_mm = 4.0\n\n[hand]",
        1,
    ));
    assert!(
        e.contains("device.needle_length_mm = 4.0 out of range 0.05–3.0"),
        "{e}"
    );
}
