//! What is written reads back equal after the documented rounding, and identical input gives
//! identical bytes.

use crate::{event_row, puncture_row, read_all, sample_meta, telemetry_row};
use needlebench_recording::{
    EventKind, EventRow, EventSource, FIRMWARE_STATES, FaultCode, Layer, LinkCounters, META_FILE,
    PunctureRow, Recording, RecordingWriter, Row, RunStatus, TelemetryRow, Timing, default_units,
    round_to,
};
use proptest::prelude::*;
use std::path::Path;

fn finite() -> impl Strategy<Value = f32> {
    prop_oneof![
        -1e4f32..1e4f32,
        prop::num::f32::NORMAL | prop::num::f32::SUBNORMAL | prop::num::f32::ZERO,
    ]
}

prop_compose! {
    fn telemetry()(
        t_us in any::<u64>(), tick in any::<u32>(),
        f in prop::array::uniform11(finite()),
        skin_contact in any::<bool>(), speed_level in any::<u8>(),
        state in prop::sample::select(FIRMWARE_STATES.to_vec()),
        fault in prop::sample::select(FaultCode::ALL.to_vec()),
    ) -> TelemetryRow {
        TelemetryRow {
            t_us, tick, pen_x_mm: f[0], pen_y_mm: f[1], hand_force_n: f[2], tilt_deg: f[3],
            skin_contact, needle_z_um: f[4], exposure_um: f[5], motor_duty: f[6],
            motor_current_ma: f[7], stroke_hz: f[8], battery_mv: f[9], needle_peak_um: f[10],
            speed_level, state, fault,
        }
    }
}

prop_compose! {
    fn puncture()(
        t_us in any::<u64>(), stroke in any::<u64>(), needle in any::<u16>(),
        f in prop::array::uniform5(finite()),
        layer in prop::sample::select(Layer::ALL.to_vec()), bleeding in any::<bool>(),
    ) -> PunctureRow {
        PunctureRow {
            t_us, stroke, needle, x_mm: f[0], y_mm: f[1], depth_um: f[2], layer,
            peak_force_n: f[3], tenting_um: f[4], bleeding,
            zone: needlebench_recording::ZoneRef::NOT_RECORDED,
        }
    }
}

/// Text including everything CSV must quote, and non-ASCII.
fn text() -> impl Strategy<Value = String> {
    prop_oneof!["[a-z_>-]{0,12}", "[ a-z,\"\r\n;µ→]{0,16}", "\\PC{0,12}"]
}

prop_compose! {
    fn event()(
        t_us in any::<u64>(), tick in any::<u32>(),
        source in prop::sample::select(EventSource::ALL.to_vec()),
        kind in prop::sample::select(EventKind::ALL.to_vec()),
        code in text(), detail in text(),
    ) -> EventRow {
        EventRow { t_us, tick, source, kind, code, detail }
    }
}

fn write(dir: &Path, tel: &[TelemetryRow], pun: &[PunctureRow], ev: &[EventRow]) {
    let mut w = RecordingWriter::create(dir, sample_meta()).unwrap();
    for r in tel {
        w.telemetry(r).unwrap();
    }
    for r in pun {
        w.puncture(r).unwrap();
    }
    for r in ev {
        w.event(r).unwrap();
    }
    w.finish(RunStatus::Complete).unwrap();
    let link = LinkCounters {
        frames_to_pen: tel.len() as u64,
        ..LinkCounters::default()
    };
    let timing = Timing {
        link: Some(link),
        ..Timing::default()
    };
    timing.write(dir).unwrap();
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 48, ..ProptestConfig::default() })]

    #[test]
    fn every_row_type_reads_back_as_written_after_rounding(
        tel in prop::collection::vec(telemetry(), 0..20),
        pun in prop::collection::vec(puncture(), 0..20),
        ev in prop::collection::vec(event(), 0..20),
    ) {
        let tmp = tempfile::tempdir().unwrap();
        let dir = tmp.path().join("run");
        write(&dir, &tel, &pun, &ev);
        let rec = Recording::open(&dir).unwrap();
        let tel_back: Vec<TelemetryRow> = rec.telemetry().unwrap().collect::<Result<_, _>>().unwrap();
        let pun_back: Vec<PunctureRow> = rec.punctures().unwrap().collect::<Result<_, _>>().unwrap();
        let ev_back: Vec<EventRow> = rec.events().unwrap().collect::<Result<_, _>>().unwrap();
        prop_assert_eq!(tel_back, tel.iter().map(Row::rounded).collect::<Vec<_>>());
        prop_assert_eq!(pun_back, pun.iter().map(Row::rounded).collect::<Vec<_>>());
        prop_assert_eq!(&ev_back, &ev);
        let run = &rec.meta().run;
        prop_assert!(rec.is_complete());
        prop_assert_eq!(run.ticks, tel.len() as u64);
        prop_assert_eq!(run.punctures, pun.len() as u64);
        let max_t = tel.iter().map(|r| r.t_us).chain(pun.iter().map(|r| r.t_us))
            .chain(ev.iter().map(|r| r.t_us)).max().unwrap_or(0);
        prop_assert_eq!(run.sim_duration_us, max_t);
    }

    #[test]
    fn rounding_is_to_the_nearest_step_and_idempotent(x in -1e5f32..1e5f32) {
        let r = round_to(x, 10.0);
        prop_assert!((f64::from(r) - f64::from(x)).abs() <= 0.05 + f64::from(x.abs()) * 1e-7);
        prop_assert_eq!(round_to(r, 10.0).to_bits(), r.to_bits());
    }
}

#[test]
fn identical_input_gives_byte_identical_files() {
    let tel: Vec<_> = (0..500).map(telemetry_row).collect();
    let pun: Vec<_> = (0..2000).map(puncture_row).collect();
    let ev: Vec<_> = (0..50).map(event_row).collect();
    let tmp = tempfile::tempdir().unwrap();
    let (a, b) = (tmp.path().join("a"), tmp.path().join("b"));
    write(&a, &tel, &pun, &ev);
    write(&b, &tel, &pun, &ev);
    for file in [
        META_FILE,
        TelemetryRow::FILE,
        PunctureRow::FILE,
        EventRow::FILE,
    ] {
        let (x, y) = (
            std::fs::read(a.join(file)).unwrap(),
            std::fs::read(b.join(file)).unwrap(),
        );
        assert!(x.len() > 100, "{file} is suspiciously short");
        assert!(x == y, "{file} differs between identical runs");
    }
    // A different row gives different bytes (the comparison above can fail).
    let mut pun2 = pun.clone();
    pun2[1000].depth_um += 0.2;
    let c = tmp.path().join("c");
    write(&c, &tel, &pun2, &ev);
    assert_ne!(
        std::fs::read(a.join(PunctureRow::FILE)).unwrap(),
        std::fs::read(c.join(PunctureRow::FILE)).unwrap()
    );
}

#[test]
fn floats_are_written_short_at_their_resolution() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("run");
    let row = PunctureRow {
        t_us: 250,
        stroke: 3,
        needle: 7,
        x_mm: 12.345_678,
        y_mm: -0.000_4,
        depth_um: 612.0,
        layer: Layer::PapillaryDermis,
        peak_force_n: 0.031_234_5,
        tenting_um: 41.25,
        bleeding: true,
        zone: needlebench_recording::ZoneRef::NOT_RECORDED,
    };
    write(&dir, &[], &[row], &[]);
    let text = std::fs::read_to_string(dir.join(PunctureRow::FILE)).unwrap();
    assert_eq!(
        text,
        "t_us,stroke,needle,x_mm,y_mm,depth_um,layer,peak_force_n,tenting_um,bleeding\n\
         250,3,7,12.346,0,612,papillary_dermis,0.03123,41.3,true\n"
    );
}

#[test]
fn non_finite_values_survive_the_round_trip() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("run");
    let row = PunctureRow {
        depth_um: f32::NAN,
        x_mm: f32::INFINITY,
        y_mm: f32::NEG_INFINITY,
        ..puncture_row(1)
    };
    write(&dir, &[], &[row], &[]);
    let back = read_all::<PunctureRow>(&dir.join(PunctureRow::FILE)).unwrap();
    assert!(back[0].depth_um.is_nan());
    assert_eq!(back[0].x_mm.to_bits(), f32::INFINITY.to_bits());
    assert_eq!(back[0].y_mm.to_bits(), f32::NEG_INFINITY.to_bits());
}

#[test]
fn the_serde_view_of_a_row_matches_the_written_file() {
    // Columns = struct field order, names as serde writes them.
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("run");
    let tel: Vec<_> = (0..4).map(telemetry_row).collect();
    let pun: Vec<_> = (0..4).map(puncture_row).collect();
    let ev: Vec<_> = (0..4).map(event_row).collect();
    write(&dir, &tel, &pun, &ev);
    fn via_serde<R: Row + serde::Serialize>(rows: &[R]) -> String {
        let mut w = csv::WriterBuilder::new()
            .terminator(csv::Terminator::Any(b'\n'))
            .from_writer(vec![]);
        for r in rows {
            w.serialize(r.rounded()).unwrap();
        }
        String::from_utf8(w.into_inner().unwrap())
            .unwrap()
            .replace(".0,", ",")
            .replace(".0\n", "\n")
    }
    let file = |name| std::fs::read_to_string(dir.join(name)).unwrap();
    assert_eq!(file(TelemetryRow::FILE), via_serde(&tel));
    assert_eq!(file(PunctureRow::FILE), via_serde(&pun));
    assert_eq!(file(EventRow::FILE), via_serde(&ev));
}

#[test]
fn units_name_every_column_of_every_file() {
    let units = default_units();
    for (stem, columns) in [
        ("telemetry", TelemetryRow::COLUMNS),
        ("punctures", PunctureRow::COLUMNS),
        ("events", EventRow::COLUMNS),
    ] {
        let table = &units[stem];
        assert_eq!(table.len(), columns.len(), "{stem}");
        for c in columns {
            assert!(!table[*c].is_empty(), "{stem}.{c} has no unit");
        }
    }
    assert_eq!(units["punctures"]["depth_um"], "um");
    assert_eq!(units["telemetry"]["hand_force_n"], "N");
}

#[test]
fn columns_are_found_by_name_in_any_order_with_extra_columns() {
    let tmp = tempfile::tempdir().unwrap();
    let path = tmp.path().join(PunctureRow::FILE);
    std::fs::write(
        &path,
        "firmware_note,bleeding,layer,depth_um,t_us,stroke,needle,x_mm,y_mm,peak_force_n,tenting_um\n\
         hello,1,hypodermis,1800.5,99,2,3,1.5,2.5,0.05,12\n",
    )
    .unwrap();
    let rows = read_all::<PunctureRow>(&path).unwrap();
    assert_eq!(
        rows,
        vec![PunctureRow {
            t_us: 99,
            stroke: 2,
            needle: 3,
            x_mm: 1.5,
            y_mm: 2.5,
            depth_um: 1800.5,
            layer: Layer::Hypodermis,
            peak_force_n: 0.05,
            tenting_um: 12.0,
            bleeding: true,
            zone: needlebench_recording::ZoneRef::NOT_RECORDED,
        }]
    );
}

#[test]
fn large_seeds_round_trip_through_toml() {
    for seed in [0, 42, i64::MAX as u64, i64::MAX as u64 + 1, u64::MAX] {
        let tmp = tempfile::tempdir().unwrap();
        let dir = tmp.path().join("run");
        let mut meta = sample_meta();
        meta.scenario.seed = seed;
        RecordingWriter::create(&dir, meta)
            .unwrap()
            .finish(RunStatus::Complete)
            .unwrap();
        assert_eq!(Recording::open(&dir).unwrap().meta().scenario.seed, seed);
    }
}
