//! Failures that must be specific: absent and unopenable ports, silent, wrong and
//! garbage-spewing pens (fakes behind the `Transport` trait).

use needlebench_bridge::{Link, LinkError, LinkOptions, SerialTransport, Transport};
use needlebench_protocol::{Capabilities, DepthControl, Encoder, MAX_FRAME_LEN, Message, PenHello};
use std::io;
use std::time::{Duration, Instant};

#[test]
fn absent_device_path_is_port_not_found() {
    match SerialTransport::open("/dev/needlebench-no-such-port", 115_200) {
        Err(LinkError::PortNotFound { path }) => assert!(path.ends_with("no-such-port")),
        other => panic!("expected PortNotFound, got {other:?}"),
    }
}

#[test]
fn regular_file_is_not_a_serial_port() {
    let file = std::env::temp_dir().join(format!("nb-not-a-port-{}", std::process::id()));
    std::fs::write(&file, b"hello").unwrap();
    let path = file.to_str().unwrap().to_owned();
    let result = SerialTransport::open(&path, 115_200);
    let _ = std::fs::remove_file(&file);
    match result {
        Err(LinkError::NotASerialPort { path: p, .. }) => assert_eq!(p, path),
        other => panic!("expected NotASerialPort, got {other:?}"),
    }
}

/// A fake pen: answers the hello with a scripted frame, or says nothing, or spews garbage.
struct FakePen {
    answer: Vec<u8>,
    garbage: bool,
    seed: u64,
}

impl Transport for FakePen {
    fn send(&mut self, _bytes: &[u8]) -> io::Result<()> {
        Ok(())
    }
    fn recv(&mut self, buf: &mut Vec<u8>, timeout: Duration) -> io::Result<usize> {
        if self.garbage {
            let mut n = 0;
            for _ in 0..1024 {
                self.seed = self
                    .seed
                    .wrapping_mul(6364136223846793005)
                    .wrapping_add(1442695040888963407);
                buf.push((self.seed >> 56) as u8 | 1); // never a frame delimiter
                n += 1;
            }
            return Ok(n);
        }
        if self.answer.is_empty() {
            std::thread::sleep(timeout.min(Duration::from_millis(20)));
            return Ok(0);
        }
        let n = self.answer.len();
        buf.append(&mut self.answer);
        Ok(n)
    }
    fn describe(&self) -> String {
        "a fake pen".into()
    }
}

fn hello_frame(version: u16, lockstep: bool) -> Vec<u8> {
    let mut out = [0u8; MAX_FRAME_LEN];
    let msg = Message::PenHello(PenHello {
        protocol_version: version,
        firmware_name: "fake",
        firmware_version: "0.0.1",
        capabilities: Capabilities {
            lockstep,
            tick_rate_hz: 1000,
            depth_control: DepthControl::ManualDial,
        },
    });
    let n = Encoder::new().encode(&msg, &mut out).unwrap();
    out[..n].to_vec()
}

#[test]
fn protocol_version_mismatch_names_both_versions() {
    let fake = FakePen {
        answer: hello_frame(99, true),
        garbage: false,
        seed: 0,
    };
    match Link::connect(Box::new(fake), LinkOptions::default()) {
        Err(e @ LinkError::VersionMismatch { pen: 99, .. }) => {
            assert!(
                e.to_string().contains("99") && e.to_string().contains("fake"),
                "{e}"
            );
        }
        other => panic!("expected VersionMismatch, got {other:?}"),
    }
}

#[test]
fn pen_without_lockstep_is_refused_in_lockstep_mode() {
    let fake = FakePen {
        answer: hello_frame(1, false),
        garbage: false,
        seed: 0,
    };
    assert!(matches!(
        Link::connect(Box::new(fake), LinkOptions::default()),
        Err(LinkError::Unsupported { .. })
    ));
}

#[test]
fn silent_pen_times_out_the_handshake_within_its_bound() {
    let fake = FakePen {
        answer: Vec::new(),
        garbage: false,
        seed: 0,
    };
    let opts = LinkOptions {
        handshake_timeout: Duration::from_millis(300),
        ..LinkOptions::default()
    };
    let begin = Instant::now();
    let err = Link::connect(Box::new(fake), opts).unwrap_err();
    assert!(matches!(err, LinkError::HandshakeTimeout { .. }), "{err}");
    assert!(begin.elapsed() < Duration::from_secs(2));
    // in words, not Debug output (the message can reach events.csv and reports)
    assert!(err.to_string().contains("within 0.300 s"), "{err}");
}

#[test]
fn stream_of_garbage_is_reported_as_garbage() {
    let fake = FakePen {
        answer: Vec::new(),
        garbage: true,
        seed: 3,
    };
    match Link::connect(Box::new(fake), LinkOptions::default()) {
        Err(LinkError::Garbage { bytes, .. }) => assert!(bytes > 64 * 1024),
        other => panic!("expected Garbage, got {other:?}"),
    }
}
