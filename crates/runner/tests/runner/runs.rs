//! Whole runs against the reference firmware in-process.

use needlebench_bridge::{InProcessTransport, Link, LinkOptions, Transport};
use needlebench_firmware::Firmware;
use needlebench_recording::{
    EndReason, EventKind, EventRow, Meta, Recording, RecordingWriter, Row,
};
use needlebench_runner::pen::firmware_config;
use needlebench_runner::{RunSetup, RunStatus, RunSummary, run};
use needlebench_scenario::Scenario;
use std::path::{Path, PathBuf};

const SCENARIO: &str = r#"
name = "runner-test"
seed = 3
[skin]
site = "cheek"
thickness_variation = 0.05
[pen]
cartridge = "12"
exposure_mm = 1.0
speed_level = 4
[hand]
area = { rect = { x_mm = 0.0, y_mm = 0.0, width_mm = 10.0, height_mm = 6.0 } }
pattern = "straight"
glide_mm_s = 10.0
force_n = 3.0
tremor_mm = 0.1
"#;

fn scenario(extra: &str) -> Scenario {
    Scenario::from_str(&format!("{SCENARIO}{extra}"), Path::new("runner-test.toml"))
        .expect("valid scenario")
}

fn tmp(name: &str) -> PathBuf {
    std::env::temp_dir().join(format!("nb-runner-{}-{name}", std::process::id()))
}

fn run_with(scenario: &Scenario, transport: Box<dyn Transport>, out: &Path) -> RunSummary {
    let config = firmware_config(scenario);
    let setup = RunSetup::new(scenario, &config).unwrap();
    let mut link = Link::connect(transport, LinkOptions::default()).unwrap();
    let writer = RecordingWriter::create(out, Meta::default()).unwrap();
    run(&setup, &mut link, writer, |_| {}).unwrap()
}

fn inprocess(scenario: &Scenario) -> Box<dyn Transport> {
    Box::new(InProcessTransport::new(
        Firmware::new(firmware_config(scenario)).unwrap(),
    ))
}

fn files(dir: &Path) -> Vec<Vec<u8>> {
    ["meta.toml", "telemetry.csv", "punctures.csv", "events.csv"]
        .iter()
        .map(|f| std::fs::read(dir.join(f)).unwrap())
        .collect()
}

#[test]
fn same_scenario_and_seed_give_byte_identical_recordings() {
    let s = scenario("");
    let (a, b) = (tmp("det-a"), tmp("det-b"));
    let first = run_with(&s, inprocess(&s), &a);
    run_with(&s, inprocess(&s), &b);
    assert_eq!(first.status, RunStatus::Complete);
    assert!(first.punctures > 1000, "the pen punctured: {first:?}");
    assert_eq!(files(&a), files(&b));
    let mut other = s.clone();
    other.seed = 4;
    let c = tmp("det-c");
    run_with(&other, inprocess(&other), &c);
    assert_ne!(
        files(&a)[2],
        files(&c)[2],
        "another seed moves the punctures"
    );
    for d in [a, b, c] {
        let _ = std::fs::remove_dir_all(d);
    }
}

#[test]
fn punctures_land_where_the_pen_was_and_reach_the_dermis() {
    let s = scenario("");
    let dir = tmp("where");
    let summary = run_with(&s, inprocess(&s), &dir);
    let rec = Recording::open(&dir).unwrap();
    let mut n = 0;
    for p in rec.punctures().unwrap() {
        let p = p.unwrap();
        assert!(
            (-3.0..13.0).contains(&p.x_mm) && (-3.0..9.0).contains(&p.y_mm),
            "{p:?}"
        );
        assert!(p.depth_um > 0.0 && p.depth_um <= 1000.0, "{p:?}");
        n += 1;
    }
    assert_eq!(n, summary.punctures);
    let running = rec
        .telemetry()
        .unwrap()
        .filter(|r| r.as_ref().unwrap().motor_duty > 0.0)
        .count();
    assert!(running > 1000, "the firmware drove the motor");
    let _ = std::fs::remove_dir_all(dir);
}

/// The in-process pen behind a line that goes dead after `sends` writes.
struct DyingLine {
    inner: InProcessTransport,
    sends: u32,
}

impl Transport for DyingLine {
    fn send(&mut self, bytes: &[u8]) -> std::io::Result<()> {
        if self.sends == 0 {
            return Err(std::io::Error::new(
                std::io::ErrorKind::BrokenPipe,
                "cable pulled",
            ));
        }
        self.sends -= 1;
        self.inner.send(bytes)
    }
    fn recv(&mut self, buf: &mut Vec<u8>, timeout: std::time::Duration) -> std::io::Result<usize> {
        self.inner.recv(buf, timeout)
    }
    fn describe(&self) -> String {
        "a dying line".into()
    }
}

/// The in-process pen behind a line that loses the pen's whole answer to every `every`-th
/// write: the bench hears nothing for that tick and grants it again after its re-send time,
/// as it does when a slow pen answers late.
struct LossyLine {
    inner: InProcessTransport,
    every: u32,
    sends: u32,
}

impl Transport for LossyLine {
    fn send(&mut self, bytes: &[u8]) -> std::io::Result<()> {
        self.inner.send(bytes)?;
        self.sends += 1;
        if self.sends.is_multiple_of(self.every) {
            let mut lost = Vec::new();
            self.inner.recv(&mut lost, std::time::Duration::ZERO)?;
        }
        Ok(())
    }
    fn recv(&mut self, buf: &mut Vec<u8>, timeout: std::time::Duration) -> std::io::Result<usize> {
        self.inner.recv(buf, timeout)
    }
    fn describe(&self) -> String {
        "a lossy line".into()
    }
}

#[test]
fn re_sends_change_timing_toml_only_and_meta_toml_stays_byte_identical() {
    let mut s = scenario("");
    s.duration_s = Some(2.0);
    let (clean, lossy) = (tmp("resend-clean"), tmp("resend-lossy"));
    run_with(&s, inprocess(&s), &clean);
    let line = LossyLine {
        inner: InProcessTransport::new(Firmware::new(firmware_config(&s)).unwrap()),
        every: 400,
        sends: 0,
    };
    let config = firmware_config(&s);
    let setup = RunSetup::new(&s, &config).unwrap();
    let opts = LinkOptions {
        retransmit_after: std::time::Duration::from_millis(5),
        ..LinkOptions::default()
    };
    let mut link = Link::connect(Box::new(line), opts).unwrap();
    let writer = RecordingWriter::create(&lossy, Meta::default()).unwrap();
    let summary = run(&setup, &mut link, writer, |_| {}).unwrap();
    assert_eq!(summary.status, RunStatus::Complete);
    assert!(summary.link.retransmits >= 4, "{:?}", summary.link);
    assert_eq!(
        files(&clean),
        files(&lossy),
        "meta.toml and every data file are byte-identical despite the re-sends"
    );
    let counters = |dir: &Path| {
        Recording::open(dir)
            .unwrap()
            .link_counters()
            .unwrap()
            .expect("timing.toml holds the link counters")
    };
    let (quiet, noisy) = (counters(&clean), counters(&lossy));
    assert_eq!(quiet.retransmits, 0);
    assert_eq!(noisy.retransmits, summary.link.retransmits);
    assert!(
        noisy.frames_to_pen > quiet.frames_to_pen,
        "{noisy:?} vs {quiet:?}"
    );
    assert!(noisy.bytes_to_pen > quiet.bytes_to_pen);
    assert_eq!(noisy.ticks, quiet.ticks);
    assert!(
        !std::fs::read_to_string(clean.join("meta.toml"))
            .unwrap()
            .contains("[link]")
    );
    for d in [clean, lossy] {
        let _ = std::fs::remove_dir_all(d);
    }
}

#[test]
fn link_failure_mid_run_keeps_every_row_and_marks_the_recording_incomplete() {
    let s = scenario("");
    let dir = tmp("dying");
    let line = DyingLine {
        inner: InProcessTransport::new(Firmware::new(firmware_config(&s)).unwrap()),
        sends: 3000,
    };
    let summary = run_with(&s, Box::new(line), &dir);
    let RunStatus::Incomplete { reason, end } = &summary.status else {
        panic!("{:?}", summary.status)
    };
    assert_eq!(*end, EndReason::LinkFailure);
    assert!(
        reason.contains("link failure") && reason.contains("cable pulled"),
        "{reason}"
    );
    let rec = Recording::open(&dir).unwrap();
    assert!(!rec.is_complete());
    assert_eq!(rec.meta().run.reason, *reason);
    let rows = rec.telemetry().unwrap().count() as u64;
    assert_eq!(rows, summary.ticks);
    assert!(
        (2990..=3000).contains(&rows),
        "rows up to the failure: {rows}"
    );
    let events: Vec<_> = rec.events().unwrap().map(|e| e.unwrap()).collect();
    assert!(events.iter().any(|e| e.kind == EventKind::LinkFailure));
    let _ = std::fs::remove_dir_all(dir);
}

#[test]
fn pen_fault_ends_the_run_after_the_grace_period_with_the_fault_as_reason() {
    let s = scenario("[[inject]]\nat_s = 2.0\nkind = \"cartridge_removed\"\nduration_s = 1.0\n");
    let dir = tmp("fault");
    let summary = run_with(&s, inprocess(&s), &dir);
    let RunStatus::Incomplete { reason, end } = &summary.status else {
        panic!("{:?}", summary.status)
    };
    assert_eq!(*end, EndReason::PenFault);
    assert!(reason.contains("cartridge_absent"), "{reason}");
    let rec = Recording::open(&dir).unwrap();
    let fault_tick = rec
        .events()
        .unwrap()
        .map(|e| e.unwrap())
        .find(|e| e.kind == EventKind::FaultRaised)
        .expect("fault event")
        .tick;
    assert_eq!(
        fault_tick, 2000,
        "the firmware cuts the motor the tick the cartridge goes"
    );
    assert_eq!(
        summary.ticks,
        u64::from(fault_tick) + 500,
        "0.5 s of grace recorded"
    );
    let _ = std::fs::remove_dir_all(dir);
}

#[test]
fn a_shorter_duration_caps_the_run() {
    let s = scenario("");
    let mut short = s.clone();
    short.duration_s = Some(1.5);
    let dir = tmp("short");
    let summary = run_with(&short, inprocess(&short), &dir);
    assert_eq!(summary.ticks, 1500);
    let _ = std::fs::remove_dir_all(dir);
}

#[test]
fn events_csv_holds_names_and_words_never_debug_output() {
    let s = scenario(
        "[[inject]]\nat_s = 0.5\nkind = \"battery_sag\"\ndrop_mv = 800.0\nduration_s = 0.4\n\
         [[inject]]\nat_s = 0.7\nkind = \"sensor_noise\"\nsensor = \"current\"\namplitude_ma = 5.0\n\
         duration_s = 0.2\n\
         [[inject]]\nat_s = 1.0\nkind = \"cartridge_removed\"\nduration_s = 1.0\n",
    );
    let dir = tmp("no-debug");
    run_with(&s, inprocess(&s), &dir);
    let text = std::fs::read_to_string(dir.join(EventRow::FILE)).unwrap();
    for artefact in ["{", "}", "::"] {
        assert!(
            !text.contains(artefact),
            "{artefact:?} in events.csv:\n{text}"
        );
    }
    assert!(text.contains("battery sag: −800 mV for 0.4 s"), "{text}");
    let events: Vec<EventRow> = Recording::open(&dir)
        .unwrap()
        .events()
        .unwrap()
        .map(|e| e.unwrap())
        .collect();
    let kinds: Vec<EventKind> = events.iter().map(|e| e.kind).collect();
    for kind in [
        EventKind::StateChanged,
        EventKind::BatterySag,
        EventKind::SensorNoise,
        EventKind::CartridgeRemoved,
        EventKind::FaultRaised,
    ] {
        assert!(kinds.contains(&kind), "no {kind} in {kinds:?}");
    }
    for e in &events {
        match e.kind {
            EventKind::StateChanged => assert!(e.transition().is_some(), "{e:?}"),
            EventKind::FaultRaised | EventKind::FaultCleared => {
                assert!(e.fault_code().is_some(), "{e:?}");
            }
            EventKind::Log => assert!(
                needlebench_recording::LogLevel::ALL
                    .iter()
                    .any(|l| l.name() == e.code),
                "{e:?}"
            ),
            _ => {}
        }
    }
    let _ = std::fs::remove_dir_all(dir);
}

#[test]
fn tick_rate_a_500_hz_pen_is_run_2000_us_per_tick_for_the_same_simulated_time() {
    let s = scenario("");
    let (fast, slow) = (tmp("rate-1000"), tmp("rate-500"));
    let at_1000 = run_with(&s, inprocess(&s), &fast);
    let config = needlebench_firmware::FirmwareConfig {
        tick_rate_hz: 500,
        ..firmware_config(&s)
    };
    let at_500 = run_with(
        &s,
        Box::new(InProcessTransport::new(Firmware::new(config).unwrap())),
        &slow,
    );
    assert_eq!(at_500.ticks * 2, at_1000.ticks + at_1000.ticks % 2);
    let times: Vec<u64> = Recording::open(&slow)
        .unwrap()
        .telemetry()
        .unwrap()
        .map(|r| r.unwrap().t_us)
        .collect();
    assert!(
        times.windows(2).all(|w| w[1] - w[0] == 2000),
        "2000 µs steps"
    );
    assert_eq!(at_500.meta.run.sim_duration_us, times[times.len() - 1]);
    assert!(at_500.punctures > 0, "the 500 Hz pen still ran the motor");
    for d in [fast, slow] {
        let _ = std::fs::remove_dir_all(d);
    }
}

#[test]
fn hall_period_the_bench_sends_is_0_or_at_most_100_ms() {
    use needlebench_protocol::{Decoded, Decoder, MAX_HALL_PERIOD_US, Message};
    // From power-on (stopped) through the run to the stop at the end.
    let s = scenario("");
    let (dir, capture) = (tmp("hall"), tmp("hall-capture"));
    let config = firmware_config(&s);
    let setup = RunSetup::new(&s, &config).unwrap();
    let opts = LinkOptions {
        capture: Some(capture.clone()),
        ..LinkOptions::default()
    };
    let mut link = Link::connect(inprocess(&s), opts).unwrap();
    let writer = RecordingWriter::create(&dir, Meta::default()).unwrap();
    run(&setup, &mut link, writer, |_| {}).unwrap();
    drop(link);
    let bytes = std::fs::read(capture.join("to_pen.bin")).unwrap();
    let mut decoder = Decoder::new();
    let mut input = &bytes[..];
    let (mut turning, mut stopped) = (0, 0);
    while let Some(d) = decoder.feed(&mut input) {
        if let Decoded::Frame {
            msg: Message::Sensors(frame),
            ..
        } = d
        {
            assert!(frame.hall_period_us <= MAX_HALL_PERIOD_US, "{frame:?}");
            if frame.hall_period_us == 0 {
                stopped += 1;
            } else {
                turning += 1;
            }
        }
    }
    assert!(
        turning > 1000 && stopped > 100,
        "{turning} turning, {stopped} stopped"
    );
    for d in [dir, capture] {
        let _ = std::fs::remove_dir_all(d);
    }
}
