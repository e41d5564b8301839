//! A pty whose far side echoes every byte straight back: the floor of any link over a pty.
//! The link benchmarks (`benches/link.rs` here, `crates/sdk-c/benches/pens.rs`) time one
//! lockstep tick's bytes ([`lockstep_tick_bytes`]) round-tripped through it as `bare_echo`,
//! and report each pen's tick against that.

use crate::{LinkError, SerialTransport, Transport};
use needlebench_protocol::{Encoder, Grant, MAX_FRAME_LEN, Message, SensorFrame};
use serialport::{SerialPort, TTYPort};
use std::io::{Read, Write};
use std::time::Duration;

/// The host's side of one lockstep tick as it goes on the wire: `sensors` and the grant of
/// the next tick, encoded.
pub fn lockstep_tick_bytes(sensors: &SensorFrame) -> Vec<u8> {
    let mut bytes = Vec::new();
    let mut enc = Encoder::new();
    let mut buf = [0u8; MAX_FRAME_LEN];
    for msg in [
        Message::Sensors(*sensors),
        Message::Grant(Grant {
            until_tick: 0,
            with_sensors: true,
        }),
    ] {
        // Both messages are fixed-size and far under MAX_FRAME_LEN: encoding cannot fail.
        if let Ok(n) = enc.encode(&msg, &mut buf) {
            bytes.extend_from_slice(&buf[..n]);
        }
    }
    bytes
}

/// A pty pair: this end through a [`SerialTransport`], the far end echoed by a thread
/// until the pair is dropped.
pub struct EchoPty {
    transport: SerialTransport,
    // Keeps the far side open while the transport lives.
    _slave: TTYPort,
}

impl EchoPty {
    /// Open the pair and start echoing.
    pub fn open() -> Result<EchoPty, LinkError> {
        let (mut master, slave) =
            TTYPort::pair().map_err(|e| LinkError::io("opening a pty pair", e.into()))?;
        let path = slave
            .name()
            .ok_or_else(|| LinkError::io("naming the pty", std::io::Error::other("no name")))?;
        master
            .set_timeout(Duration::from_secs(3600))
            .map_err(|e| LinkError::io("setting the pty's timeout", e.into()))?;
        std::thread::spawn(move || {
            let mut b = [0u8; 4096];
            while let Ok(n) = master.read(&mut b) {
                if n == 0 || master.write_all(&b[..n]).is_err() {
                    return;
                }
            }
        });
        Ok(EchoPty {
            transport: SerialTransport::open(&path, 115_200)?,
            _slave: slave,
        })
    }

    /// Send `bytes` and read until as many came back into `rx` (cleared first), each read
    /// bounded by `timeout`.
    pub fn round_trip(
        &mut self,
        bytes: &[u8],
        rx: &mut Vec<u8>,
        timeout: Duration,
    ) -> std::io::Result<()> {
        self.transport.send(bytes)?;
        rx.clear();
        while rx.len() < bytes.len() {
            if self.transport.recv(rx, timeout)? == 0 {
                return Err(std::io::Error::new(
                    std::io::ErrorKind::TimedOut,
                    "the echo did not come back",
                ));
            }
        }
        Ok(())
    }
}
