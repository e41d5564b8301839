//! Byte transports behind one interface: a serial device (also what a pen command's pty is
//! reached through, `crate::PenCommandTransport`), and the reference firmware in the same
//! process.

use crate::error::LinkError;
use crate::pen::EmulatedPen;
use needlebench_firmware::Firmware;
use needlebench_protocol::ClockMode;
use std::io;
use std::path::Path;
use std::time::{Duration, Instant};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio_serial::{SerialPort, SerialPortBuilderExt, SerialStream};

/// A byte pipe to a pen. The link drives it; it knows nothing of frames.
pub trait Transport: Send {
    /// Write every byte.
    fn send(&mut self, bytes: &[u8]) -> io::Result<()>;
    /// Append what arrives to `buf`, waiting at most `timeout` for the first byte.
    /// `Ok(0)` means nothing arrived in time; an error means the pen is gone
    /// (end of file reads as [`io::ErrorKind::UnexpectedEof`]).
    fn recv(&mut self, buf: &mut Vec<u8>, timeout: Duration) -> io::Result<usize>;
    /// What this transport is connected to, for messages.
    fn describe(&self) -> String;
}

/// The reference firmware in this process, still spoken to through encoded frames, so the
/// bytes are the same as on a wire. Lockstep costs no system call and no task switch.
#[derive(Debug)]
pub struct InProcessTransport {
    pen: EmulatedPen,
    out: Vec<u8>,
    started: Instant,
}

impl InProcessTransport {
    /// `firmware` in this process.
    pub fn new(firmware: Firmware) -> Self {
        InProcessTransport {
            pen: EmulatedPen::new(firmware),
            out: Vec::new(),
            started: Instant::now(),
        }
    }

    /// The pen at the other end.
    pub fn pen(&self) -> &EmulatedPen {
        &self.pen
    }

    fn now_us(&self) -> u64 {
        u64::try_from(self.started.elapsed().as_micros()).unwrap_or(u64::MAX)
    }
}

impl Transport for InProcessTransport {
    fn send(&mut self, bytes: &[u8]) -> io::Result<()> {
        // In lockstep the pen's time is the granted tick: reading the clock is only needed
        // before a session and in real time.
        let now_us = match self.pen.clock() {
            Some(ClockMode::Lockstep) => 0,
            _ => self.now_us(),
        };
        self.pen.on_bytes(bytes, now_us, &mut self.out);
        Ok(())
    }

    fn recv(&mut self, buf: &mut Vec<u8>, timeout: Duration) -> io::Result<usize> {
        let realtime = self.pen.clock() == Some(ClockMode::RealTime);
        let mut now_us = 0;
        if realtime {
            now_us = self.now_us();
            self.pen.poll(now_us, &mut self.out);
        }
        if self.out.is_empty() {
            // Real time: sleep until the pen's next tick (or the timeout); lockstep: nothing
            // will come without more input, so the whole timeout passes.
            let wait_us = match self.pen.next_deadline_us() {
                Some(deadline_us) => deadline_us.saturating_sub(now_us),
                None => u64::MAX,
            };
            let wait = timeout.min(Duration::from_micros(wait_us));
            if !wait.is_zero() {
                std::thread::sleep(wait);
            }
            if realtime {
                now_us = self.now_us();
                self.pen.poll(now_us, &mut self.out);
            }
        }
        let n = self.out.len();
        buf.append(&mut self.out);
        Ok(n)
    }

    fn describe(&self) -> String {
        "the reference firmware in-process".to_owned()
    }
}

/// A serial port (a USB serial pen, or the emulator's pty) driven through tokio.
#[derive(Debug)]
pub struct SerialTransport {
    rt: tokio::runtime::Runtime,
    port: SerialStream,
    path: String,
    read_buf: Box<[u8]>,
}

impl SerialTransport {
    /// Open `path` at `baud` for exclusive use, with stale input discarded.
    pub fn open(path: &str, baud: u32) -> Result<Self, LinkError> {
        let rt = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .map_err(|e| LinkError::io("starting the I/O runtime", e))?;
        let port = {
            let _guard = rt.enter();
            open_serial_stream(path, baud)?
        };
        Ok(SerialTransport {
            rt,
            port,
            path: path.to_owned(),
            read_buf: vec![0; 4096].into(),
        })
    }
}

/// Open a serial device for tokio, mapping each failure to its specific [`LinkError`].
/// Must be called inside a tokio runtime.
pub fn open_serial_stream(path: &str, baud: u32) -> Result<SerialStream, LinkError> {
    if !Path::new(path).exists() {
        return Err(LinkError::PortNotFound {
            path: path.to_owned(),
        });
    }
    let mut port = tokio_serial::new(path, baud)
        .open_native_async()
        .map_err(|e| classify_open_error(path, &e))?;
    port.set_exclusive(true)
        .map_err(|e| classify_open_error(path, &e))?;
    port.clear(tokio_serial::ClearBuffer::All)
        .map_err(|e| classify_open_error(path, &e))?;
    Ok(port)
}

fn classify_open_error(path: &str, e: &tokio_serial::Error) -> LinkError {
    use tokio_serial::ErrorKind as K;
    let path = path.to_owned();
    match e.kind() {
        K::NoDevice => LinkError::PortBusy { path },
        K::Io(io::ErrorKind::NotFound) => LinkError::PortNotFound { path },
        K::Io(io::ErrorKind::PermissionDenied) => LinkError::PermissionDenied { path },
        K::Io(io::ErrorKind::WouldBlock) => LinkError::PortBusy { path },
        _ => LinkError::NotASerialPort {
            path,
            detail: e.description.clone(),
        },
    }
}

impl Transport for SerialTransport {
    fn send(&mut self, bytes: &[u8]) -> io::Result<()> {
        let port = &mut self.port;
        self.rt.block_on(async {
            port.write_all(bytes).await?;
            port.flush().await
        })
    }

    fn recv(&mut self, buf: &mut Vec<u8>, timeout: Duration) -> io::Result<usize> {
        let port = &mut self.port;
        let read_buf = &mut self.read_buf;
        self.rt.block_on(async {
            match tokio::time::timeout(timeout, port.read(read_buf)).await {
                Err(_elapsed) => Ok(0),
                Ok(Ok(0)) => Err(io::Error::new(
                    io::ErrorKind::UnexpectedEof,
                    "the port closed",
                )),
                Ok(Ok(n)) => {
                    buf.extend_from_slice(&read_buf[..n]);
                    Ok(n)
                }
                Ok(Err(e)) => Err(e),
            }
        })
    }

    fn describe(&self) -> String {
        format!("serial port {}", self.path)
    }
}
