//! Builds the C SDK (`sdk/c`: `needlebench.h`, `needlebench.c`) and the C reference pen from
//! cargo, and spells the QEMU pen's command, for this crate's tests and benchmarks and the
//! workspace's end-to-end tests (which start pen commands with the bridge's
//! `PenCommandTransport`, as `--pen-cmd` does). The C code itself lives in `sdk/c`; this crate only drives
//! `sdk/c/build.sh`, which builds into a directory of the caller's choice (the target
//! directory), never into the source tree.
//!
//! Toolchains: `gcc` for the tests and the host pen, `arm-none-eabi-gcc` for the Cortex-M pen,
//! `qemu-system-arm` to run it. [`require`] says whether one is on `PATH`; with `CI` set a
//! missing one is an error, never a silent skip.

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

/// Something `sdk/c/build.sh` can build.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Artifact {
    /// `test_sdk` and `crosscheck`, with AddressSanitizer and UBSan (gcc).
    Tests,
    /// `pen-host`: the C reference pen serving a pty (gcc).
    HostPen,
    /// `pen-lm3s6965.elf`: the C reference pen for QEMU's `lm3s6965evb` (arm-none-eabi-gcc).
    QemuPen,
}

impl Artifact {
    /// The name `build.sh` takes.
    pub fn target(self) -> &'static str {
        match self {
            Artifact::Tests => "tests",
            Artifact::HostPen => "host",
            Artifact::QemuPen => "qemu",
        }
    }

    /// The compiler it needs.
    pub fn compiler(self) -> &'static str {
        match self {
            Artifact::Tests | Artifact::HostPen => "gcc",
            Artifact::QemuPen => "arm-none-eabi-gcc",
        }
    }
}

/// Why a build failed.
#[derive(Debug, thiserror::Error)]
pub enum SdkError {
    /// `build.sh` could not be started.
    #[error("cannot run {script}: {source}")]
    Spawn {
        /// The script or command.
        script: String,
        /// The OS error.
        source: std::io::Error,
    },
    /// The build failed; the compiler's output.
    #[error("building the C {target} failed:\n{output}")]
    Build {
        /// The build.sh target.
        target: &'static str,
        /// stdout and stderr of the build.
        output: String,
    },
}

/// `sdk/c` in this workspace.
pub fn sdk_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../sdk/c")
}

/// `crates/protocol/WIRE.md`, which the C tests read their golden vectors from.
pub fn wire_md() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../protocol/WIRE.md")
}

/// Whether `tool` is on `PATH`.
pub fn tool_available(tool: &str) -> bool {
    Command::new(tool)
        .arg("--version")
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status()
        .is_ok_and(|s| s.success())
}

/// Whether `tool` can be used: true if it is on `PATH`. If it is not, panics when the `CI`
/// environment variable is set (CI installs it, so its absence is a failure), and otherwise
/// prints why the caller skips and returns false.
pub fn require(tool: &str) -> bool {
    if tool_available(tool) {
        return true;
    }
    assert!(
        std::env::var_os("CI").is_none(),
        "{tool} is not installed, and CI is set: the C SDK and QEMU tests must run here \
         (.ci/run installs gcc, gcc-arm-none-eabi, libnewlib-arm-none-eabi and qemu-system-arm)"
    );
    eprintln!("SKIPPED: {tool} is not installed (set CI to make this a failure)");
    false
}

/// Builds `what` into `out_dir` with `sdk/c/build.sh` and returns the path of the main
/// artifact (`test_sdk` for [`Artifact::Tests`]).
pub fn build(out_dir: &Path, what: Artifact) -> Result<PathBuf, SdkError> {
    let script = sdk_dir().join("build.sh");
    let output = Command::new("sh")
        .arg(&script)
        .arg(out_dir)
        .arg(what.target())
        .output()
        .map_err(|source| SdkError::Spawn {
            script: script.display().to_string(),
            source,
        })?;
    if !output.status.success() {
        return Err(SdkError::Build {
            target: what.target(),
            output: format!(
                "{}{}",
                String::from_utf8_lossy(&output.stdout),
                String::from_utf8_lossy(&output.stderr)
            ),
        });
    }
    Ok(out_dir.join(match what {
        Artifact::Tests => "test_sdk",
        Artifact::HostPen => "pen-host",
        Artifact::QemuPen => "pen-lm3s6965.elf",
    }))
}

/// The shell command that runs the QEMU pen `elf` on `lm3s6965evb` with its UART on a new
/// pty, told the scenario's cartridge limit through `--pen-cmd`'s `{cartridge_limit_s}`
/// (a configuration block at the top of SRAM; see `sdk/c/examples/pen/lm3s6965/port_lm3s6965.c`).
pub fn qemu_pen_command(elf: &Path) -> String {
    format!(
        "exec qemu-system-arm -M lm3s6965evb -kernel '{}' -serial pty -nographic -monitor none \
         -device loader,addr=0x2000FF00,data=0x4643424E,data-len=4 \
         -device loader,addr=0x2000FF04,data={{cartridge_limit_s}},data-len=4",
        elf.display()
    )
}
