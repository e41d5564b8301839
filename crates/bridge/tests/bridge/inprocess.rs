//! The reference firmware in-process: exact, deterministic, counted.

use crate::support::{firmware, run_script, sensors_for};
use needlebench_bridge::{ClockMode, InProcessTransport, Link, LinkOptions};
use needlebench_protocol::FirmwareState;

fn inprocess(opts: LinkOptions) -> Link {
    Link::connect(Box::new(InProcessTransport::new(firmware())), opts).expect("handshake")
}

#[test]
fn lockstep_replies_answer_their_own_tick_and_count_every_frame() {
    let mut link = inprocess(LinkOptions::default());
    assert_eq!(link.pen().firmware_name, firmware().hello().firmware_name);
    let replies = run_script(&mut link, 500);
    for (t, r) in replies.iter().enumerate() {
        assert_eq!(r.tick, t as u32);
        assert_eq!(r.actuators.tick, t as u32, "actuator frame of tick {t}");
        assert!(r.fresh);
    }
    let s = link.stats();
    assert_eq!(s.ticks, 500);
    // hello + (sensors + grant) per tick
    assert_eq!(s.frames_to_pen, 1 + 2 * 500);
    let events: usize = replies.iter().map(|r| r.events.len()).sum();
    // hello + (events + actuators + reached) per tick
    assert_eq!(s.frames_from_pen, 1 + 2 * 500 + events as u64);
    assert_eq!(
        s.crc_errors + s.resyncs + s.dropped_frames + s.retransmits,
        0
    );
}

#[test]
fn lockstep_script_reaches_the_running_state_with_events() {
    let mut link = inprocess(LinkOptions::default());
    let replies = run_script(&mut link, 400);
    assert!(
        replies
            .iter()
            .any(|r| r.actuators.state == FirmwareState::Running),
        "the button script starts the motor"
    );
    assert!(
        replies.iter().any(|r| !r.events.is_empty()),
        "state changes arrive as events"
    );
}

#[test]
fn same_script_gives_byte_identical_captures() {
    let dir = std::env::temp_dir().join(format!("nb-capture-{}", std::process::id()));
    let run = |sub: &str| {
        let opts = LinkOptions {
            capture: Some(dir.join(sub)),
            ..LinkOptions::default()
        };
        let mut link = inprocess(opts);
        run_script(&mut link, 300);
        link.flush().unwrap();
        let to = std::fs::read(dir.join(sub).join("to_pen.bin")).unwrap();
        let from = std::fs::read(dir.join(sub).join("from_pen.bin")).unwrap();
        (to, from)
    };
    let a = run("a");
    let b = run("b");
    assert!(
        a.0.len() > 300 * 10 && a.1.len() > 300 * 10,
        "captures hold every frame"
    );
    assert_eq!(a, b);
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn withheld_sensor_frames_reach_the_firmware_as_link_loss() {
    let mut link = inprocess(LinkOptions::default());
    run_script(&mut link, 300);
    let mut faulted = false;
    for _ in 0..2_000 {
        let r = link
            .tick(None)
            .expect("ticks without sensors still complete");
        if r.actuators.fault == needlebench_protocol::FaultCode::LinkLoss {
            faulted = true;
            assert_eq!(r.actuators.motor_duty_permille, 0);
            break;
        }
    }
    assert!(
        faulted,
        "the firmware raises LinkLoss when the bench withholds sensor frames"
    );
}

#[test]
fn realtime_paces_ticks_to_the_wall_clock() {
    let opts = LinkOptions {
        clock: ClockMode::RealTime,
        // This test is about pacing, not the lag bound: a busy shared machine can stall the
        // test thread for tens of milliseconds, which must not fail it.
        lag_bound_us: 5_000_000,
        ..LinkOptions::default()
    };
    let mut link = inprocess(opts);
    let started = std::time::Instant::now();
    for t in 0..200 {
        link.tick(Some(&sensors_for(t))).expect("real-time tick");
    }
    let elapsed = started.elapsed();
    assert!(
        elapsed >= std::time::Duration::from_millis(190),
        "200 ticks at 1 kHz took {elapsed:?}"
    );
    let s = link.stats();
    assert_eq!(s.ticks, 200);
    assert!(
        s.frames_from_pen >= 150,
        "the pen answered on its own clock: {s:?}"
    );
}

#[test]
fn injected_line_noise_leaves_the_run_exact_and_is_counted() {
    let opts = LinkOptions {
        retransmit_after: std::time::Duration::from_millis(5),
        ..LinkOptions::default()
    };
    let mut noisy = inprocess(opts);
    let mut clean = inprocess(LinkOptions::default());
    let mut a = run_script(&mut noisy, 150);
    // Garbage with no frame delimiter, right before the next tick's frames.
    let garbage: Vec<u8> = (1..=200u8).collect();
    noisy.inject_line_noise(&garbage).unwrap();
    a.extend((150..300).map(|t| noisy.tick(Some(&sensors_for(t))).unwrap().clone()));
    assert_eq!(
        a,
        run_script(&mut clean, 300),
        "every reply equals the clean run's"
    );
    let (n, c) = (noisy.stats(), clean.stats());
    let resent_bytes = n.bytes_to_pen - c.bytes_to_pen - 200;
    assert_eq!(resent_bytes == 0, n.retransmits == 0, "{n:?}");
}
