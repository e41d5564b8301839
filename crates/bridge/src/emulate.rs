//! `needlebench emulate`: the reference firmware behind a serial port, as a real pen.
//!
//! With a pty the emulator keeps its own handle on the terminal's far side, so a bench that
//! closes the port does not end the emulator: the next bench that opens the path says hello
//! and starts a fresh session, as with a powered pen on a USB port. It stops on SIGINT or
//! SIGTERM, or when `shutdown` resolves.

use crate::error::LinkError;
use crate::pen::{EmulatedPen, PenStats};
use crate::transport::open_serial_stream;
use needlebench_firmware::Firmware;
use std::future::Future;
use std::time::{Duration, Instant};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio_serial::SerialStream;

/// Where the emulated pen listens.
#[derive(Debug, Clone)]
pub enum EmulatorPort {
    /// Create a pseudo-terminal; its path is announced through the `on_ready` callback.
    Pty,
    /// Use a real serial device.
    Device {
        /// Device path.
        path: String,
        /// Baud rate.
        baud: u32,
    },
}

/// Run the emulated pen until SIGINT, SIGTERM or `shutdown`. `on_ready` receives the path
/// of the port (the pty's far side) once it is open. Returns the pen's counters.
pub fn serve(
    port: EmulatorPort,
    firmware: Firmware,
    on_ready: impl FnOnce(&str),
    shutdown: impl Future<Output = ()>,
) -> Result<PenStats, LinkError> {
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .map_err(|e| LinkError::io("starting the I/O runtime", e))?;
    rt.block_on(async move {
        // `_far_side` keeps the pty's bench side open while no bench has it, so the
        // emulator's side never sees end-of-file between benches.
        let (stream, _far_side, path) = match port {
            EmulatorPort::Pty => {
                let (ours, theirs) = SerialStream::pair()
                    .map_err(|e| LinkError::io("creating a pseudo-terminal", e.into()))?;
                let path = tokio_serial::SerialPort::name(&theirs).unwrap_or_default();
                (ours, Some(theirs), path)
            }
            EmulatorPort::Device { path, baud } => (open_serial_stream(&path, baud)?, None, path),
        };
        on_ready(&path);
        run_pen(stream, EmulatedPen::new(firmware), shutdown).await
    })
}

async fn run_pen(
    mut stream: SerialStream,
    mut pen: EmulatedPen,
    shutdown: impl Future<Output = ()>,
) -> Result<PenStats, LinkError> {
    let started = Instant::now();
    let now_us = move || u64::try_from(started.elapsed().as_micros()).unwrap_or(u64::MAX);
    let mut sigterm = tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate())
        .map_err(|e| LinkError::io("installing the SIGTERM handler", e))?;
    tokio::pin!(shutdown);
    let mut buf = vec![0u8; 4096];
    let mut out = Vec::with_capacity(4096);
    loop {
        let deadline = pen
            .next_deadline_us()
            .map(|d| tokio::time::Instant::from_std(started + Duration::from_micros(d)));
        tokio::select! {
            read = stream.read(&mut buf) => match read {
                Ok(0) => tokio::time::sleep(Duration::from_millis(5)).await,
                Ok(n) => pen.on_bytes(&buf[..n], now_us(), &mut out),
                // EIO: no bench has the port open right now; wait for the next one.
                Err(e) if e.raw_os_error() == Some(5) => {
                    tokio::time::sleep(Duration::from_millis(5)).await;
                }
                Err(e) => return Err(LinkError::io("reading the port", e)),
            },
            () = sleep_until_opt(deadline) => pen.poll(now_us(), &mut out),
            _ = tokio::signal::ctrl_c() => break,
            _ = sigterm.recv() => break,
            () = &mut shutdown => break,
        }
        if !out.is_empty() {
            // A write to a port nobody reads may fail or block briefly; the pen goes on.
            let _ = tokio::time::timeout(Duration::from_millis(100), stream.write_all(&out)).await;
            out.clear();
        }
    }
    Ok(pen.stats())
}

async fn sleep_until_opt(deadline: Option<tokio::time::Instant>) {
    match deadline {
        Some(d) => tokio::time::sleep_until(d).await,
        None => std::future::pending().await,
    }
}
