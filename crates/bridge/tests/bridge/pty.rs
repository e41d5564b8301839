//! Real pseudo-terminals: the emulated pen served on a pty, a corrupting relay, a vanishing pen.

use crate::support::{PtyPen, Relay, firmware, run_script, sensors_for};
use needlebench_bridge::{
    ClockMode, InProcessTransport, Link, LinkError, LinkOptions, SerialTransport,
};
use std::time::{Duration, Instant};

fn over_pty(path: &str, opts: LinkOptions) -> Link {
    let transport = SerialTransport::open(path, 115_200).expect("open pty");
    Link::connect(Box::new(transport), opts).expect("handshake over pty")
}

#[test]
fn lockstep_over_a_pty_matches_the_in_process_run_exactly() {
    let pen = PtyPen::start();
    let mut link = over_pty(&pen.path, LinkOptions::default());
    let over_wire = run_script(&mut link, 400);
    let mut local = Link::connect(
        Box::new(InProcessTransport::new(firmware())),
        LinkOptions::default(),
    )
    .unwrap();
    assert_eq!(over_wire, run_script(&mut local, 400));
    let s = link.stats();
    assert!(s.rtt_us_p50 > 0 && s.rtt_us_p50 <= s.rtt_us_p99 && s.rtt_us_p99 <= s.rtt_us_max);
}

#[test]
fn emulator_accepts_a_new_bench_after_the_first_closes_the_port() {
    let pen = PtyPen::start();
    let first = {
        let mut link = over_pty(&pen.path, LinkOptions::default());
        run_script(&mut link, 150)
    };
    let mut link = over_pty(&pen.path, LinkOptions::default());
    assert_eq!(
        run_script(&mut link, 150)[..50],
        first[..50],
        "a fresh session starts at tick 0"
    );
}

#[test]
fn port_held_by_a_bench_is_busy_for_a_second_one() {
    let pen = PtyPen::start();
    let _first = SerialTransport::open(&pen.path, 115_200).expect("first open");
    match SerialTransport::open(&pen.path, 115_200) {
        Err(LinkError::PortBusy { path }) => assert_eq!(path, pen.path),
        other => panic!("expected PortBusy, got {other:?}"),
    }
}

#[test]
fn corrupting_relay_costs_retransmits_but_never_exactness() {
    let pen = PtyPen::start();
    let relay = Relay::start(&pen.path, 42, 400);
    let opts = LinkOptions {
        retransmit_after: Duration::from_millis(15),
        ..LinkOptions::default()
    };
    let mut link = over_pty(&relay.path, opts);
    let ticks = 1_500;
    let damaged = run_script(&mut link, ticks);
    let mut local = Link::connect(
        Box::new(InProcessTransport::new(firmware())),
        LinkOptions::default(),
    )
    .unwrap();
    let clean = run_script(&mut local, ticks);
    assert_eq!(damaged, clean, "every decoded reply equals the clean run's");
    let s = link.stats();
    let d = *relay.damage.lock().unwrap();
    assert!(
        d.flipped + d.dropped + d.inserted > 20,
        "the relay did damage: {d:?}"
    );
    assert!(
        s.crc_errors + s.malformed + s.resyncs > 0,
        "the damage was seen: {s:?}"
    );
    assert!(
        s.retransmits > 0,
        "lost frames were recovered by re-sending: {s:?}"
    );
}

#[test]
fn realtime_over_a_pty_measures_latency_and_lag() {
    let pen = PtyPen::start();
    let opts = LinkOptions {
        clock: ClockMode::RealTime,
        // generous: the test measures latency and lag; a loaded machine must not fail it
        lag_bound_us: 2_000_000,
        ..LinkOptions::default()
    };
    let mut link = over_pty(&pen.path, opts);
    for t in 0..300 {
        link.tick(Some(&sensors_for(t))).expect("real-time tick");
    }
    let s = link.stats();
    assert_eq!(s.ticks, 300);
    assert!(s.frames_from_pen > 200, "{s:?}");
    assert!(s.rtt_us_max > 0, "round trips measured: {s:?}");
}

#[test]
fn pen_vanishing_mid_run_is_a_clear_error_and_keeps_what_arrived() {
    let mut pen = PtyPen::start();
    let dir = std::env::temp_dir().join(format!("nb-vanish-{}", std::process::id()));
    let opts = LinkOptions {
        capture: Some(dir.clone()),
        ..LinkOptions::default()
    };
    let mut link = over_pty(&pen.path, opts);
    run_script(&mut link, 200);
    pen.kill();
    let begin = Instant::now();
    let err = (200..10_000)
        .find_map(|t| link.tick(Some(&sensors_for(t))).err())
        .expect("the link fails once the pen is gone");
    assert!(
        begin.elapsed() < Duration::from_secs(5),
        "failed within the timeout"
    );
    assert!(
        matches!(
            err,
            LinkError::PenDisappeared { .. } | LinkError::PenNotAnswering { .. }
        ),
        "{err}"
    );
    assert!(link.stats().ticks >= 200);
    let from_pen = std::fs::metadata(dir.join("from_pen.bin")).unwrap().len();
    assert!(
        from_pen > 200 * 10,
        "the capture kept the bytes received before the failure"
    );
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn echo_pty_returns_a_lockstep_ticks_bytes_which_decode_to_sensors_then_grant() {
    use needlebench_bridge::echo::{EchoPty, lockstep_tick_bytes};
    use needlebench_protocol::{Decoded, Decoder, Message};
    let sensors = sensors_for(42);
    let bytes = lockstep_tick_bytes(&sensors);
    // What the benchmarks' floor sends is one real tick: Sensors, then the Grant for it.
    let mut decoder = Decoder::new();
    let mut input = bytes.as_slice();
    let mut msgs = Vec::new();
    while !input.is_empty() {
        match decoder.feed(&mut input) {
            Some(Decoded::Frame {
                msg: Message::Sensors(s),
                ..
            }) => msgs.push(format!("sensors {}", s == sensors)),
            Some(Decoded::Frame {
                msg: Message::Grant(g),
                ..
            }) => msgs.push(format!("grant {}", g.with_sensors)),
            Some(Decoded::Frame { .. }) => msgs.push("other".to_owned()),
            Some(Decoded::Error(e)) => panic!("{e}"),
            None => break,
        }
    }
    assert_eq!(msgs, ["sensors true", "grant true"]);
    // The far side echoes them back, byte for byte, as many times as asked.
    let mut echo = EchoPty::open().expect("echo pty");
    let mut rx = Vec::new();
    for _ in 0..3 {
        echo.round_trip(&bytes, &mut rx, Duration::from_secs(2))
            .expect("echoed");
        assert_eq!(rx, bytes);
    }
}
