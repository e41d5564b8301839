//! Opening a window where there is no display: a clear error and exit code 1, before any
//! work is done (nothing loaded, nothing recorded), never winit's panic.

use needlebench_viewer::app::window_unavailable;
use std::ffi::OsString;
use std::process::Command;

#[test]
fn window_needs_a_display_on_unix_desktops() {
    let env = |pairs: &'static [(&'static str, &'static str)]| {
        move |name: &str| {
            pairs
                .iter()
                .find(|(k, _)| *k == name)
                .map(|(_, v)| OsString::from(v))
        }
    };
    assert!(window_unavailable(env(&[("DISPLAY", ":0")])).is_none());
    assert!(window_unavailable(env(&[("WAYLAND_DISPLAY", "wayland-0")])).is_none());
    let none = window_unavailable(env(&[("DISPLAY", "")]));
    if cfg!(target_os = "linux") {
        let why = none.expect("an empty DISPLAY is no display");
        assert!(
            why.contains("DISPLAY") && why.contains("--screenshot"),
            "{why}"
        );
    }
}

#[cfg(target_os = "linux")]
fn viewer_without_display(args: &[&str]) -> (Option<i32>, String) {
    let out = Command::new(env!("CARGO_BIN_EXE_needlebench-viewer"))
        .args(args)
        .env_remove("DISPLAY")
        .env_remove("WAYLAND_DISPLAY")
        .output()
        .expect("start needlebench-viewer");
    (
        out.status.code(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

#[cfg(target_os = "linux")]
#[test]
fn practice_without_a_display_says_so_and_records_nothing() {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("session");
    let (code, stderr) = viewer_without_display(&["--practice", "--out", out.to_str().unwrap()]);
    assert_eq!(code, Some(1), "{stderr}");
    assert!(stderr.contains("no display"), "{stderr}");
    assert!(!stderr.contains("panicked"), "{stderr}");
    assert!(!out.exists(), "a session was started without a window");
}

#[cfg(target_os = "linux")]
#[test]
fn replay_window_without_a_display_fails_before_running_the_scenario() {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("rec");
    let scenario = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../scenarios/practice-left-cheek.toml"
    );
    let (code, stderr) = viewer_without_display(&[scenario, "--out", out.to_str().unwrap()]);
    assert_eq!(code, Some(1), "{stderr}");
    assert!(stderr.contains("xvfb-run"), "{stderr}");
    assert!(
        !out.exists(),
        "the scenario ran although no window could show it"
    );
}
