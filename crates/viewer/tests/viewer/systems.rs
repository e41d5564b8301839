//! The replay systems under `MinimalPlugins` (no window, no renderer).

use crate::fixture;
use bevy::prelude::*;
use bevy::time::TimeUpdateStrategy;
use needlebench_viewer::Replay;
use needlebench_viewer::app::{Clock, Cursor, Heat, LiveClock, ReplayPlugin};
use needlebench_viewer::heatmap::HeatGrid;
use std::sync::Arc;
use std::time::Duration;

fn replay() -> (tempfile::TempDir, Arc<Replay>) {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("rec");
    fixture::write(&dir);
    let r = Replay::open(&dir, None).unwrap();
    (tmp, Arc::new(r))
}

fn app(replay: Arc<Replay>, at_s: Option<f64>) -> App {
    let mut app = App::new();
    app.add_plugins(MinimalPlugins)
        .add_plugins(ReplayPlugin { replay, at_s })
        .insert_resource(TimeUpdateStrategy::ManualDuration(Duration::from_millis(
            100,
        )));
    app.update();
    app
}

fn press(app: &mut App, key: KeyCode) {
    app.world_mut()
        .resource_mut::<ButtonInput<KeyCode>>()
        .press(key);
    app.update();
    let mut keys = app.world_mut().resource_mut::<ButtonInput<KeyCode>>();
    keys.release(key);
    keys.clear();
}

#[test]
fn space_plays_and_the_clock_advances_with_time() {
    let (_tmp, r) = replay();
    let mut app = app(r, None);
    assert_eq!(app.world().resource::<Clock>().0.t_us(), 0);
    press(&mut app, KeyCode::Space);
    assert!(app.world().resource::<Clock>().0.is_playing());
    let t0 = app.world().resource::<Clock>().0.t_us();
    app.update();
    app.update();
    let t1 = app.world().resource::<Clock>().0.t_us();
    assert_eq!(t1 - t0, 200_000, "two 100 ms frames at 1×");
    let cursor = app.world().resource::<Cursor>().clone();
    assert_eq!(cursor.t_us, t1);
    assert_eq!(cursor.visible_punctures, fixture::punctures_at(t1));
    app.insert_resource(LiveClock(false));
    app.update();
    assert_eq!(
        app.world().resource::<Clock>().0.t_us(),
        t1,
        "a frozen clock stays"
    );
}

#[test]
fn arrows_step_and_violation_keys_jump() {
    let (_tmp, r) = replay();
    let mut app = app(r, Some(1.0));
    press(&mut app, KeyCode::ArrowRight);
    assert_eq!(app.world().resource::<Clock>().0.t_us(), 1_010_000);
    app.world_mut()
        .resource_mut::<ButtonInput<KeyCode>>()
        .press(KeyCode::ShiftLeft);
    press(&mut app, KeyCode::ArrowLeft);
    app.world_mut()
        .resource_mut::<ButtonInput<KeyCode>>()
        .release(KeyCode::ShiftLeft);
    assert_eq!(app.world().resource::<Clock>().0.t_us(), 10_000);
    press(&mut app, KeyCode::PageDown);
    let t = app.world().resource::<Clock>().0.t_us();
    assert_eq!(
        t,
        fixture::DEEP_T_US,
        "first violation is the deep puncture"
    );
    let cursor = app.world().resource::<Cursor>().clone();
    assert_eq!(cursor.visible_violations, 1);
    press(&mut app, KeyCode::PageDown);
    assert_eq!(
        app.world().resource::<Clock>().0.t_us(),
        fixture::FAULT_T_US
    );
}

#[test]
fn jumping_back_equals_arriving_fresh() {
    let (_tmp, r) = replay();
    let mut a = app(r.clone(), Some(1.9));
    a.world_mut().resource_mut::<Clock>().0.seek(700_000);
    a.update();
    let b = app(r.clone(), Some(0.7));
    assert_eq!(
        a.world().resource::<Cursor>(),
        b.world().resource::<Cursor>()
    );
    let (ga, gb) = (
        &a.world().resource::<Heat>().grid,
        &b.world().resource::<Heat>().grid,
    );
    assert_eq!(ga, gb, "heat grid after scrubbing back equals a fresh one");
    let mut direct = HeatGrid::new(&fixture::AREA, r.density_cell_mm).unwrap();
    direct.set_visible(
        &r.punctures.x_mm,
        &r.punctures.y_mm,
        fixture::punctures_at(700_000),
    );
    assert_eq!(ga.counts(), direct.counts());
    assert!(ga.counts().iter().sum::<u32>() > 0);
}
