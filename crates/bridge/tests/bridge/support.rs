//! Shared helpers: a sensor script, a pty emulator thread, a seeded corrupting relay.

#![allow(dead_code)]

use needlebench_bridge::emulate::{EmulatorPort, serve};
use needlebench_bridge::{Link, TickReply};
use needlebench_firmware::{Firmware, FirmwareConfig};
use needlebench_protocol::{CartridgeInfo, SensorFrame, buttons};
use serialport::SerialPort;
use std::io::{Read, Write};
use std::sync::mpsc;
use std::sync::{Arc, Mutex};
use std::thread::JoinHandle;
use std::time::Duration;

/// The reference firmware with default settings.
pub fn firmware() -> Firmware {
    Firmware::new(FirmwareConfig::default()).expect("default config is valid")
}

/// A sensor script that makes the firmware do something: power on, start, run.
pub fn sensors_for(tick: u32) -> SensorFrame {
    let press = |at: u32| (at..at + 30).contains(&tick);
    let held = if press(10) || press(100) {
        buttons::POWER
    } else {
        0
    };
    let running = tick > 100;
    SensorFrame {
        tick,
        motor_current_ma: if running { 600 } else { 0 },
        hall_period_us: if running { 8_000 } else { 0 },
        battery_mv: 3_900,
        depth_um: 500,
        buttons: held,
        cartridge: CartridgeInfo {
            present: true,
            id: 7,
            needle_count: 36,
        },
        skin_contact: running,
    }
}

/// Run `ticks` ticks of the script and keep every reply.
pub fn run_script(link: &mut Link, ticks: u32) -> Vec<TickReply> {
    (0..ticks)
        .map(|t| {
            link.tick(Some(&sensors_for(t)))
                .expect("tick completes")
                .clone()
        })
        .collect()
}

/// An emulated pen on a real pty, served from a thread. Dropping it stops the pen.
pub struct PtyPen {
    pub path: String,
    stop: Option<tokio::sync::oneshot::Sender<()>>,
    thread: Option<JoinHandle<()>>,
}

impl PtyPen {
    pub fn start() -> Self {
        let (path_tx, path_rx) = mpsc::channel();
        let (stop_tx, stop_rx) = tokio::sync::oneshot::channel::<()>();
        let thread = std::thread::spawn(move || {
            let shutdown = async move {
                let _ = stop_rx.await;
            };
            serve(
                EmulatorPort::Pty,
                firmware(),
                |p| path_tx.send(p.to_owned()).unwrap(),
                shutdown,
            )
            .expect("emulator serves");
        });
        let path = path_rx
            .recv_timeout(Duration::from_secs(5))
            .expect("pty path announced");
        PtyPen {
            path,
            stop: Some(stop_tx),
            thread: Some(thread),
        }
    }

    /// Stop the pen now, as if it were unplugged.
    pub fn kill(&mut self) {
        if let Some(stop) = self.stop.take() {
            let _ = stop.send(());
        }
        if let Some(t) = self.thread.take() {
            let _ = t.join();
        }
    }
}

impl Drop for PtyPen {
    fn drop(&mut self) {
        self.kill();
    }
}

/// What the relay did to the bytes.
#[derive(Debug, Default, Clone, Copy)]
pub struct Damage {
    pub flipped: u64,
    pub dropped: u64,
    pub inserted: u64,
}

/// A relay between a bench-side pty it creates and `pen_path`, damaging bytes both ways
/// with a seeded generator: about one byte in `one_in` is flipped, dropped or gets a
/// random byte inserted after it.
pub struct Relay {
    pub path: String,
    pub damage: Arc<Mutex<Damage>>,
    _bench_side: serialport::TTYPort,
}

impl Relay {
    pub fn start(pen_path: &str, seed: u64, one_in: u64) -> Self {
        let (ours, theirs) = serialport::TTYPort::pair().expect("pty pair");
        let path = theirs.name().expect("pty name");
        let pen = serialport::new(pen_path, 115_200)
            .timeout(Duration::from_millis(20))
            .open_native()
            .expect("open pen pty");
        let damage = Arc::new(Mutex::new(Damage::default()));
        let mut ours_r = ours.try_clone_native().expect("clone");
        let mut pen_w = pen.try_clone_native().expect("clone");
        let mut pen_r = pen;
        let mut ours_w = ours;
        ours_r.set_timeout(Duration::from_millis(20)).unwrap();
        let d1 = damage.clone();
        let d2 = damage.clone();
        std::thread::spawn(move || pump(&mut ours_r, &mut pen_w, seed, one_in, &d1));
        std::thread::spawn(move || pump(&mut pen_r, &mut ours_w, seed ^ 0x9E37_79B9, one_in, &d2));
        Relay {
            path,
            damage,
            _bench_side: theirs,
        }
    }
}

fn pump(from: &mut dyn Read, to: &mut dyn Write, seed: u64, one_in: u64, damage: &Mutex<Damage>) {
    let mut rng = SplitMix(seed);
    let mut buf = [0u8; 512];
    let mut out = Vec::with_capacity(1024);
    loop {
        let n = match from.read(&mut buf) {
            Ok(0) => return,
            Ok(n) => n,
            Err(e) if e.kind() == std::io::ErrorKind::TimedOut => continue,
            Err(_) => return,
        };
        out.clear();
        for &b in &buf[..n] {
            let roll = rng.next() % (one_in * 3);
            let mut d = damage.lock().unwrap();
            match roll {
                0 => {
                    d.flipped += 1;
                    out.push(b ^ (1 << (rng.next() % 8)));
                }
                1 => d.dropped += 1,
                2 => {
                    d.inserted += 1;
                    out.push(b);
                    out.push(rng.next() as u8);
                }
                _ => out.push(b),
            }
        }
        if to.write_all(&out).is_err() {
            return;
        }
    }
}

/// A tiny seeded generator (SplitMix64), so the relay's damage is reproducible.
pub struct SplitMix(pub u64);

impl SplitMix {
    pub fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }
}
