//! Builds each C artifact once per test binary, into the target directory.

use needlebench_sdk_c::{Artifact, build};
use std::path::PathBuf;
use std::sync::{Mutex, OnceLock};

/// Where this test binary builds the C code.
pub fn out_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("sdk-c")
}

/// `what`, built once (tests run in parallel threads; the first builds, the rest wait).
pub fn built(what: Artifact) -> PathBuf {
    static LOCK: Mutex<()> = Mutex::new(());
    static TESTS: OnceLock<PathBuf> = OnceLock::new();
    static HOST: OnceLock<PathBuf> = OnceLock::new();
    static QEMU: OnceLock<PathBuf> = OnceLock::new();
    let cell = match what {
        Artifact::Tests => &TESTS,
        Artifact::HostPen => &HOST,
        Artifact::QemuPen => &QEMU,
    };
    cell.get_or_init(|| {
        let _guard = LOCK.lock().unwrap_or_else(|e| e.into_inner());
        build(&out_dir(), what).unwrap_or_else(|e| panic!("{e}"))
    })
    .clone()
}
