//! Practice mode's driver (no GPU): the pointer ray → face mm, the force keys, and a whole
//! session driven by a virtual clock through the code the window's system calls.

use bevy::math::Vec3;
use needlebench_scenario::Scenario;
use needlebench_viewer::practice::{
    FORCE_MAX_N, FORCE_MIN_N, FORCE_START_N, PRESSURE_CONTACT, PenInput, PracticeDriver,
    pressure_force_n, skin_point_mm, step_force, tilt_of_altitude_deg, world_of_mm,
};
use std::path::Path;

const SCENARIO: &str = include_str!("../../../../scenarios/practice-left-cheek.toml");

fn assert_close(got: f64, want: f64) {
    assert!((got - want).abs() < 1e-9, "{got} ≠ {want}");
}

#[test]
fn a_ray_straight_down_meets_the_skin_under_the_camera() {
    // world x = face x, world z = −face y, the skin at y = 0
    let p = skin_point_mm(Vec3::new(40.0, 300.0, -120.0), Vec3::NEG_Y).unwrap();
    assert_close(p[0], 40.0);
    assert_close(p[1], 120.0);
}

#[test]
fn an_oblique_ray_meets_the_skin_where_the_plane_cuts_it() {
    // from (0, 100, 0) along (1, −2, 0.5)/|…|: reaches y = 0 after 50 units of x-rate 1
    let dir = Vec3::new(1.0, -2.0, 0.5).normalize();
    let p = skin_point_mm(Vec3::new(0.0, 100.0, 0.0), dir).unwrap();
    assert!(
        (p[0] - 50.0).abs() < 1e-3 && (p[1] + 25.0).abs() < 1e-3,
        "{p:?}"
    );
    assert_eq!(
        skin_point_mm(world_of_mm([12.0, 34.0]) + Vec3::Y, Vec3::NEG_Y),
        Some([12.0, 34.0])
    );
}

#[test]
fn a_ray_parallel_to_or_away_from_the_skin_meets_nothing() {
    assert_eq!(skin_point_mm(Vec3::new(0.0, 10.0, 0.0), Vec3::X), None);
    assert_eq!(skin_point_mm(Vec3::new(0.0, 10.0, 0.0), Vec3::Y), None);
}

#[test]
fn force_keys_step_by_half_a_newton_within_half_to_six() {
    assert_close(step_force(2.5, 1), 3.0);
    assert_close(step_force(2.5, -1), 2.0);
    assert_close(step_force(5.5, 3), FORCE_MAX_N);
    assert_close(step_force(1.0, -5), FORCE_MIN_N);
    assert_close(step_force(FORCE_MAX_N, 0), 6.0);
    assert_close(step_force(FORCE_MIN_N, 0), 0.5);
}

#[test]
fn a_session_driven_by_a_virtual_clock_records_punctures_and_scores() {
    let tmp = tempfile::tempdir().unwrap();
    let scenario = Scenario::from_str(SCENARIO, Path::new("practice-left-cheek.toml")).unwrap();
    let out = tmp.path().join("rec");
    let mut driver = PracticeDriver::start(&scenario, &out).unwrap();
    assert_eq!(driver.face_map().zones[driver.zone()].id, "left_cheek");
    let [[x0, y0], [x1, y1]] = driver.face_map().zones[driver.zone()].bbox_mm();
    // no pointer yet: nothing happens
    driver.frame(1.0 / 60.0, None, false, 0).unwrap();
    assert!(driver.path().is_empty());
    // hover in, then press and glide across the zone's middle at 60 frames a second
    let y = (y0 + y1) / 2.0;
    driver
        .frame(1.0 / 60.0, Some([x0 + 5.0, y]), false, 0)
        .unwrap();
    assert_eq!(driver.punctures(), 0);
    driver.frame(0.0, None, true, -1).unwrap();
    assert_close(driver.force_n(), FORCE_START_N - 0.5);
    let frames = 180;
    for i in 0..=frames {
        let x = x0 + 5.0 + (x1 - x0 - 10.0) * f64::from(i) / f64::from(frames);
        driver.frame(1.0 / 60.0, Some([x, y]), true, 0).unwrap();
    }
    let pressed = driver.punctures();
    assert!(pressed > 1000, "{pressed} punctures in a 3 s stroke");
    // every puncture is there to draw, under the stroke, no deeper than the exposure
    assert_eq!(driver.live_punctures().len() as u64, pressed);
    for p in driver.live_punctures() {
        assert!((f64::from(p.pos_mm[1]) - y).abs() < 5.0, "{p:?}");
        assert!(p.depth_um > 0.0 && f64::from(p.depth_um) <= driver.exposure_mm() * 1000.0);
    }
    // released: the pen lifts, no more punctures
    driver.frame(0.5, None, false, 0).unwrap();
    let lifted = driver.punctures();
    driver.frame(0.5, None, false, 0).unwrap();
    assert_eq!(driver.punctures(), lifted);
    let report = driver.finish().unwrap();
    assert_eq!(report.dir, out);
    assert!(report.punctures >= pressed);
    let card = report.card.as_ref().unwrap();
    assert_eq!(card.rows.len(), 1);
    assert_eq!(card.rows[0].label, "left cheek");
    assert!(card.overall.is_some());
    let path = std::fs::read_to_string(out.join("hand-path.csv")).unwrap();
    assert!(
        path.lines().count() > frames as usize,
        "{} rows",
        path.lines().count()
    );
    assert!(out.join("replay.toml").is_file());
    let text = report.text();
    assert!(text.contains(&format!(
        "needlebench run {}",
        out.join("replay.toml").display()
    )));
    assert!(text.contains("score: "), "{text}");
}

#[test]
fn tablet_pressure_sets_the_force_and_a_feather_touch_stays_lifted() {
    assert_eq!(pressure_force_n(PRESSURE_CONTACT / 2.0), None);
    assert_eq!(pressure_force_n(f64::NAN), None);
    assert_close(pressure_force_n(0.5).unwrap(), FORCE_MAX_N / 2.0);
    assert_close(pressure_force_n(1.0).unwrap(), FORCE_MAX_N);
    assert_close(pressure_force_n(3.0).unwrap(), FORCE_MAX_N);
    // just over the contact threshold: the lightest force the keys allow
    assert_close(pressure_force_n(PRESSURE_CONTACT).unwrap(), FORCE_MIN_N);
}

#[test]
fn stylus_altitude_gives_tilt_from_vertical_within_the_path_limit() {
    assert_close(tilt_of_altitude_deg(std::f64::consts::FRAC_PI_2), 0.0);
    assert_close(tilt_of_altitude_deg(std::f64::consts::FRAC_PI_3), 30.0);
    let max = needlebench_runner::live::TILT_MAX_DEG;
    assert_close(tilt_of_altitude_deg(0.0), max);
    assert_close(tilt_of_altitude_deg(f64::NAN), 0.0);
}

#[test]
fn a_pen_over_the_panel_never_presses_and_tablet_pressure_is_recorded_as_force() {
    let tmp = tempfile::tempdir().unwrap();
    let scenario = Scenario::from_str(SCENARIO, Path::new("practice-left-cheek.toml")).unwrap();
    let out = tmp.path().join("rec");
    let mut driver = PracticeDriver::start(&scenario, &out).unwrap();
    let [[x0, y0], [x1, y1]] = driver.face_map().zones[driver.zone()].bbox_mm();
    let y = (y0 + y1) / 2.0;
    let at = |i: u32| Some([x0 + 5.0 + (x1 - x0 - 10.0) * f64::from(i) / 120.0, y]);
    // Clicking on the panel while the cursor's ray lies on the face: nothing starts.
    let on_panel = PenInput {
        pointer_mm: at(0),
        pressed: true,
        over_panel: true,
        ..PenInput::default()
    };
    for _ in 0..30 {
        driver.frame_input(1.0 / 60.0, on_panel).unwrap();
    }
    assert!(
        driver.path().is_empty(),
        "the pen followed a pointer on the panel"
    );
    // A touch too light to count: the pen moves, lifted.
    for i in 0..30 {
        let feather = PenInput {
            pointer_mm: at(i),
            pressed: true,
            pressure: Some(PRESSURE_CONTACT / 4.0),
            ..PenInput::default()
        };
        driver.frame_input(1.0 / 60.0, feather).unwrap();
    }
    assert_eq!(driver.punctures(), 0);
    assert!(driver.path().iter().all(|p| !p.pressed));
    // Half pressure with the stylus 30° from vertical: punctures, at half the top force.
    for i in 30..=120 {
        let pen = PenInput {
            pointer_mm: at(i),
            pressed: true,
            pressure: Some(0.5),
            tilt_deg: Some(tilt_of_altitude_deg(std::f64::consts::FRAC_PI_3)),
            ..PenInput::default()
        };
        driver.frame_input(1.0 / 60.0, pen).unwrap();
    }
    assert!(driver.punctures() > 100, "{} punctures", driver.punctures());
    assert_close(driver.force_n(), FORCE_MAX_N / 2.0);
    // Back on the panel mid-stroke: the pen lifts where it was.
    let last = driver.path().last().unwrap().pos_mm;
    driver
        .frame_input(
            1.0 / 60.0,
            PenInput {
                pointer_mm: Some([x0, y0]),
                pressed: true,
                pressure: Some(1.0),
                over_panel: true,
                ..PenInput::default()
            },
        )
        .unwrap();
    let p = *driver.path().last().unwrap();
    assert_eq!(p.pos_mm, last);
    assert!(!p.pressed);
    driver.finish().unwrap();
    // The hand path carries the pressure's force and the stylus's tilt.
    let path = std::fs::read_to_string(out.join("hand-path.csv")).unwrap();
    let pressed_rows: Vec<&str> = path
        .lines()
        .skip(1)
        .filter(|l| {
            l.split(',')
                .nth(3)
                .is_some_and(|f| f.parse::<f64>().unwrap() > 0.0)
        })
        .collect();
    assert!(!pressed_rows.is_empty(), "{path}");
    for row in pressed_rows {
        let f: Vec<f64> = row.split(',').map(|v| v.parse().unwrap()).collect();
        assert_close(f[3], FORCE_MAX_N / 2.0);
        assert!((f[4] - 30.0).abs() < 1e-6, "{row}");
    }
}

#[test]
fn a_pointer_that_jumps_and_presses_puts_the_pen_down_where_it_lands_not_dragged_there() {
    let tmp = tempfile::tempdir().unwrap();
    let scenario = Scenario::from_str(SCENARIO, Path::new("practice-left-cheek.toml")).unwrap();
    let mut driver = PracticeDriver::start(&scenario, &tmp.path().join("rec")).unwrap();
    let [[x0, y0], [x1, y1]] = driver.face_map().zones[driver.zone()].bbox_mm();
    let y = (y0 + y1) / 2.0;
    // Hovering far off the cheek (over the other side of the face), then the button goes
    // down with the pointer on the cheek: one frame lands the pen there, lifted.
    driver
        .frame(1.0 / 60.0, Some([x0 - 60.0, y]), false, 0)
        .unwrap();
    let cheek = [x0 + 5.0, y];
    driver.frame(0.5, Some(cheek), true, 0).unwrap();
    let landed = *driver.path().last().unwrap();
    assert_eq!(landed.pos_mm, cheek);
    assert!(!landed.pressed, "pressed while jumping across the face");
    assert_eq!(driver.punctures(), 0, "punctures on the way");
    // Held: it presses from the next frame, and every puncture is on the cheek's stroke.
    for i in 1..=60 {
        let x = x0 + 5.0 + (x1 - x0 - 10.0) * f64::from(i) / 60.0;
        driver.frame(1.0 / 60.0, Some([x, y]), true, 0).unwrap();
    }
    assert!(driver.path().last().unwrap().pressed);
    assert!(driver.punctures() > 100, "{} punctures", driver.punctures());
    for p in driver.live_punctures() {
        assert!(
            f64::from(p.pos_mm[0]) > x0 - 5.0,
            "a puncture off the stroke: {p:?}"
        );
    }
}
