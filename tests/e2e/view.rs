//! `needlebench view`: starts `needlebench-viewer` from `$NEEDLEBENCH_VIEWER`, beside the
//! binary or from PATH, says exactly which command builds it when it is missing, and warns
//! when it is older than `needlebench`.

use crate::support::needlebench;
use std::process::{Command, Output};

fn view_with_viewer(viewer: &std::path::Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_needlebench"))
        .arg("view")
        .args(args)
        .env("NEEDLEBENCH_VIEWER", viewer)
        .output()
        .expect("run needlebench")
}

#[test]
fn view_without_the_viewer_names_the_command_that_builds_it() {
    let tmp = tempfile::tempdir().unwrap();
    let missing = tmp.path().join("needlebench-viewer");
    let out = view_with_viewer(&missing, &["recordings/none"]);
    assert_eq!(out.status.code(), Some(3), "{out:?}");
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("is not a file"), "{err}");
    // The command that builds the viewer with the test command's features — never
    // `cargo build -p needlebench-viewer`, which builds bevy a second time.
    assert!(err.contains("`cargo test --workspace --no-run`"), "{err}");
    assert!(!err.contains("cargo build -p"), "{err}");
}

#[cfg(unix)]
#[test]
fn view_warns_when_the_viewer_is_older_than_needlebench_and_passes_its_exit_code() {
    use std::os::unix::fs::PermissionsExt;
    let tmp = tempfile::tempdir().unwrap();
    let fake = tmp.path().join("needlebench-viewer");
    std::fs::write(&fake, "#!/bin/sh\necho \"viewer got $*\"\nexit 7\n").unwrap();
    std::fs::set_permissions(&fake, std::fs::Permissions::from_mode(0o755)).unwrap();
    // Built an hour before `needlebench`: stale.
    let exe = std::fs::metadata(env!("CARGO_BIN_EXE_needlebench"))
        .and_then(|m| m.modified())
        .unwrap();
    let old = exe - std::time::Duration::from_secs(3600);
    std::fs::File::options()
        .write(true)
        .open(&fake)
        .unwrap()
        .set_modified(old)
        .unwrap();
    let out = view_with_viewer(&fake, &["rec", "--at", "2"]);
    assert_eq!(out.status.code(), Some(7), "{out:?}");
    assert_eq!(
        String::from_utf8_lossy(&out.stdout),
        "viewer got rec --at 2\n"
    );
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("is older than") && err.contains("may be stale"),
        "{err}"
    );
    assert!(err.contains("`cargo test --workspace --no-run`"), "{err}");
    // A viewer built after `needlebench`: no warning.
    std::fs::File::options()
        .write(true)
        .open(&fake)
        .unwrap()
        .set_modified(exe + std::time::Duration::from_secs(60))
        .unwrap();
    let out = view_with_viewer(&fake, &["rec"]);
    assert_eq!(out.status.code(), Some(7), "{out:?}");
    assert!(
        out.stderr.is_empty(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
}

#[test]
fn view_needs_a_recording() {
    let out = needlebench(&["view"]);
    assert_eq!(out.status.code(), Some(2), "{out:?}");
}
