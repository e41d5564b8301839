//! `check_with` reads with any number of threads and gives the same report, and the same error
//! for a bad row, as reading on one thread; parsing only the checked columns changes nothing.

use crate::support::{Synth, clean, expect, given, tmp_run};
use needlebench_checks::{CheckReport, Checker, ExpectationSource, Outcome, check_with};
use needlebench_recording::{
    EventKind, EventRow, EventSource, FaultCode, FirmwareState, Layer, PunctureRow, ReadOptions,
    Recording,
};
use std::path::Path;

/// A small deterministic generator (xorshift64*), so each seed gives other rows.
struct Gen(u64);

impl Gen {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }

    fn below(&mut self, n: u64) -> u64 {
        self.next() % n
    }
}

/// The clean recording with ~20 000 seeded punctures from 0.2 s to 2.8 s: some too deep, some
/// in a forbidden layer, crowded into a few cells, and some after a stall fault at 2 s.
fn seeded(seed: u64) -> Synth {
    let mut s = clean();
    let mut g = Gen(seed.wrapping_mul(0x9E37_79B9_7F4A_7C15) | 1);
    s.events.push(EventRow {
        t_us: 2_000_000,
        tick: 2000,
        source: EventSource::Firmware,
        kind: EventKind::FaultRaised,
        code: "stall".into(),
        detail: String::new(),
    });
    s.ticks(2_000_000, 3_000_000, |r| {
        r.state = FirmwareState::Fault;
        r.fault = FaultCode::Stall;
        r.motor_duty = 0.0;
    });
    s.punctures = (0..20_000u64)
        .map(|i| {
            let crowded = g.below(4) == 0;
            PunctureRow {
                t_us: 200_000 + i * 130 + g.below(100),
                stroke: i / 12,
                needle: (i % 12) as u16,
                x_mm: if crowded {
                    5.0
                } else {
                    g.below(8200) as f32 / 1000.0
                },
                y_mm: g.below(4100) as f32 / 1000.0,
                depth_um: 250.0 + g.below(3200) as f32 / 10.0,
                layer: match g.below(100) {
                    0..2 => Layer::Hypodermis,
                    2..10 => Layer::PapillaryDermis,
                    _ => Layer::ReticularDermis,
                },
                peak_force_n: g.below(1000) as f32 / 1e5,
                tenting_um: g.below(2000) as f32 / 10.0,
                bleeding: g.below(2) == 0,
                zone: needlebench_recording::ZoneRef::NOT_RECORDED,
            }
        })
        .collect();
    s
}

fn options(threads: usize, chunk_bytes: u64) -> ReadOptions {
    ReadOptions {
        threads,
        chunk_bytes,
    }
}

/// The report of a checker fed every row, every column parsed, on one thread.
fn full_rows_report(rec: &Recording) -> CheckReport {
    let source = ExpectationSource::File {
        path: "test".to_owned(),
    };
    let mut checker = Checker::new(rec.meta(), &expect(), source).expect("checker");
    if let Some(t) = rec.timing().expect("timing") {
        checker.timing(t);
    }
    for e in rec.events().expect("events") {
        checker.event(&e.expect("event"));
    }
    for r in rec.telemetry().expect("telemetry") {
        checker.tick(&r.expect("tick"));
    }
    for p in rec.punctures().expect("punctures") {
        checker.puncture(&p.expect("puncture"));
    }
    checker.finish(rec.dir())
}

#[test]
fn one_thread_and_four_give_the_same_report() {
    for seed in 1..=4 {
        let (_tmp, dir) = tmp_run();
        let rec = seeded(seed).write(&dir);
        let one =
            check_with(&rec, &given(&expect()), None, ReadOptions::sequential()).expect("check");
        // the data exercises the order-dependent parts: first failures and punctures in fault
        let failed: Vec<&str> = one
            .verdicts
            .iter()
            .filter(|v| v.outcome != Outcome::Pass && v.first_failure.is_some())
            .map(|v| v.criterion.as_str())
            .collect();
        for criterion in [
            "depth.max",
            "depth.forbidden_layer",
            "firmware.no_motion_in_fault",
        ] {
            assert!(failed.contains(&criterion), "seed {seed}: {failed:?}");
        }
        assert_eq!(one.punctures, 20_000);
        for opts in [options(4, 1000), options(4, 64 << 10), options(2, 333)] {
            let many = check_with(&rec, &given(&expect()), None, opts).expect("check");
            assert!(many == one, "seed {seed}, {opts:?}: reports differ");
        }
        assert!(
            full_rows_report(&rec) == one,
            "seed {seed}: projection changed the report"
        );
    }
}

/// Replace field `column` of data row `row` (1-based) of `file` with `value`.
fn corrupt(dir: &Path, file: &str, row: usize, column: usize, value: &str) {
    let path = dir.join(file);
    let text = std::fs::read_to_string(&path).expect("read");
    let lines: Vec<String> = text
        .lines()
        .enumerate()
        .map(|(i, l)| {
            if i == row {
                let mut fields: Vec<&str> = l.split(',').collect();
                fields[column] = value;
                fields.join(",")
            } else {
                l.to_owned()
            }
        })
        .collect();
    std::fs::write(&path, lines.join("\n") + "\n").expect("write");
}

#[test]
fn a_bad_row_in_the_middle_gives_the_same_error_with_any_thread_count() {
    let (_tmp, dir) = tmp_run();
    let rec = seeded(7).write(&dir);
    corrupt(&dir, "punctures.csv", 12_345, 5, "6o0.1");
    corrupt(&dir, "punctures.csv", 15_000, 3, "x");
    let one =
        check_with(&rec, &given(&expect()), None, ReadOptions::sequential()).expect_err("bad row");
    let text = one.to_string();
    assert!(
        text.contains("punctures.csv: row 12345 (line 12346), column depth_um"),
        "{text}"
    );
    for opts in [options(4, 1000), options(3, 50_000)] {
        let many = check_with(&rec, &given(&expect()), None, opts).expect_err("bad row");
        assert_eq!(many.to_string(), text, "{opts:?}");
    }
    // every column is read (run.consistency holds every number to being finite): a bad value
    // in any column is an error naming it, with any thread count; so is a cut row
    let (_tmp2, dir2) = tmp_run();
    let rec2 = seeded(8).write(&dir2);
    corrupt(&dir2, "punctures.csv", 9_000, 7, "not-a-force");
    for opts in [ReadOptions::sequential(), options(4, 1000)] {
        let e = check_with(&rec2, &given(&expect()), None, opts).expect_err("bad force");
        assert!(
            e.to_string()
                .contains("punctures.csv: row 9000 (line 9001), column peak_force_n"),
            "{e}"
        );
    }
    corrupt(&dir2, "punctures.csv", 9_000, 7, "0.03");
    corrupt(&dir2, "telemetry.csv", 2_500, 16, "none,extra");
    for opts in [ReadOptions::sequential(), options(4, 1000)] {
        let e = check_with(&rec2, &given(&expect()), None, opts).expect_err("extra field");
        assert!(
            e.to_string()
                .contains("telemetry.csv: row 2500 (line 2501): expected 17 fields"),
            "{e}"
        );
    }
}
