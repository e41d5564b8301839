//! `needlebench view`: starts `needlebench-viewer` from beside the binary or from PATH, and
//! says how to build it when it is missing.

use crate::support::needlebench;

#[test]
fn view_without_the_viewer_says_how_to_build_it() {
    let exe = std::path::Path::new(env!("CARGO_BIN_EXE_needlebench"));
    let beside = exe.with_file_name(format!(
        "needlebench-viewer{}",
        std::env::consts::EXE_SUFFIX
    ));
    let on_path = std::env::var_os("PATH")
        .is_some_and(|p| std::env::split_paths(&p).any(|d| d.join("needlebench-viewer").is_file()));
    if beside.is_file() || on_path {
        eprintln!(
            "needlebench-viewer is installed here; the missing-viewer message is not testable"
        );
        return;
    }
    let out = needlebench(&["view", "recordings/none"]);
    assert_eq!(out.status.code(), Some(3), "{out:?}");
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("cargo build -p needlebench-viewer"), "{err}");
}

#[test]
fn view_needs_a_recording() {
    let out = needlebench(&["view"]);
    assert_eq!(out.status.code(), Some(2), "{out:?}");
}
