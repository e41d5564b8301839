//! Lockstep tick rate over a pty against each kind of pen, in one run so the figures compare:
//! - `pty/bare_echo`: the floor — one tick's bytes (Sensors + Grant) written to a pty whose far
//!   side echoes them straight back;
//! - `pty/rust_emulator_tick`: one lockstep tick against the Rust reference pen served on a pty
//!   by a process of its own, as `needlebench emulate --pty` does (this benchmark binary
//!   started again with `NEEDLEBENCH_SDKC_SERVE_RUST_PEN` set runs that same serve loop), so
//!   every pen pays the same process-to-process wake-ups;
//! - `pty/c_host_pen_tick`: against the C reference pen's host build (`pen-host`, a process);
//! - `pty/qemu_pen_tick`: against the C reference pen on QEMU's `lm3s6965evb` (a process).
//!
//! Target: the C host pen within 1.3× of the Rust emulator's tick time. The C pens are built
//! into the target directory first (`sdk/c/build.sh`); a missing toolchain skips its figure.

use criterion::{Criterion, Throughput, criterion_group};
use needlebench_bridge::echo::{EchoPty, lockstep_tick_bytes};
use needlebench_bridge::emulate::{EmulatorPort, serve};
use needlebench_bridge::{Link, LinkOptions, PenCommandTransport, PenOutput};
use needlebench_firmware::{Firmware, FirmwareConfig};
use needlebench_protocol::{CartridgeInfo, SensorFrame};
use needlebench_sdk_c::{Artifact, build, qemu_pen_command, tool_available};
use std::io::Write;
use std::path::PathBuf;
use std::time::Duration;

fn sensors() -> SensorFrame {
    SensorFrame {
        tick: 0,
        motor_current_ma: 640,
        hall_period_us: 6_667,
        battery_mv: 3_900,
        depth_um: 1_000,
        buttons: 0,
        cartridge: CartridgeInfo {
            present: true,
            id: 12_345,
            needle_count: 36,
        },
        skin_contact: true,
    }
}

fn out_dir() -> PathBuf {
    let exe = std::env::current_exe().expect("bench path");
    exe.parent()
        .and_then(|deps| deps.parent())
        .map_or_else(std::env::temp_dir, |profile| profile.join("sdk-c-bench"))
}

/// Starts `command` as `--pen-cmd` does (its own process group, ended when the link is
/// dropped) and connects to the pty it announces.
fn connect(command: &str) -> Link {
    let transport =
        PenCommandTransport::spawn(command, &[], Duration::from_secs(10), PenOutput::default())
            .expect("the pen starts and its pty opens");
    Link::connect(Box::new(transport), LinkOptions::default()).expect("handshake")
}

fn bench_link(c: &mut Criterion, name: &str, link: &mut Link) {
    let s = sensors();
    let mut group = c.benchmark_group("pty");
    group.throughput(Throughput::Elements(1));
    group.bench_function(name, |b| {
        b.iter(|| std::hint::black_box(link.tick(Some(&s)).expect("tick").actuators));
    });
    group.finish();
}

fn bench_bare_echo(c: &mut Criterion) {
    let tick_bytes = lockstep_tick_bytes(&sensors());
    let mut echo = EchoPty::open().expect("echo pty");
    let mut rx = Vec::with_capacity(4096);
    let mut group = c.benchmark_group("pty");
    group.throughput(Throughput::Elements(1));
    group.bench_function("bare_echo", |b| {
        b.iter(|| {
            echo.round_trip(&tick_bytes, &mut rx, Duration::from_secs(1))
                .expect("echo");
            std::hint::black_box(&rx);
        });
    });
    group.finish();
}

/// With this variable set the benchmark binary is the Rust pen: it serves the reference
/// firmware on a pty (the serve loop of `needlebench emulate --pty`), prints the path, and
/// runs until SIGTERM.
const SERVE_RUST_PEN: &str = "NEEDLEBENCH_SDKC_SERVE_RUST_PEN";

fn serve_rust_pen() {
    let firmware = Firmware::new(FirmwareConfig::default()).expect("default config");
    let served = serve(
        EmulatorPort::Pty,
        firmware,
        |path| {
            println!("{path}");
            let _ = std::io::stdout().flush();
        },
        std::future::pending(),
    );
    if let Err(e) = served {
        eprintln!("serving the Rust pen: {e}");
        std::process::exit(1);
    }
}

fn bench_rust_emulator(c: &mut Criterion) {
    let exe = std::env::current_exe().expect("bench path");
    let command = format!("{SERVE_RUST_PEN}=1 exec '{}'", exe.display());
    bench_link(c, "rust_emulator_tick", &mut connect(&command));
}

fn bench_c_pens(c: &mut Criterion) {
    if tool_available("gcc") {
        let pen = build(&out_dir(), Artifact::HostPen).unwrap_or_else(|e| panic!("{e}"));
        let command = format!("exec '{}'", pen.display());
        bench_link(c, "c_host_pen_tick", &mut connect(&command));
    } else {
        eprintln!("pty/c_host_pen_tick: skipped, gcc is not installed");
    }
    if tool_available("arm-none-eabi-gcc") && tool_available("qemu-system-arm") {
        let elf = build(&out_dir(), Artifact::QemuPen).unwrap_or_else(|e| panic!("{e}"));
        let command = qemu_pen_command(&elf).replace("{cartridge_limit_s}", "1800");
        bench_link(c, "qemu_pen_tick", &mut connect(&command));
    } else {
        eprintln!("pty/qemu_pen_tick: skipped, arm-none-eabi-gcc or qemu-system-arm is missing");
    }
}

criterion_group!(benches, bench_bare_echo, bench_rust_emulator, bench_c_pens);

fn main() {
    if std::env::var_os(SERVE_RUST_PEN).is_some() {
        serve_rust_pen();
        return;
    }
    benches();
    Criterion::default().configure_from_args().final_summary();
}
