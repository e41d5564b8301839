//! Format 4's zones: the face map copy, `punctures.csv`'s `zone` column, and older recordings
//! (no zone column) reading as "not recorded".

use crate::{puncture_row, sample_meta};
use needlebench_recording::{
    CreateOptions, EventKind, EventRow, FACE_MAP_FILE, FaceMapCopy, META_FILE, PunctureRow,
    ReadOptions, Recording, RecordingWriter, Row, RunStatus, ZoneRef, scenario_hash,
};
use std::path::{Path, PathBuf};

const FACE_MAP: &str = "name = \"two-zones\"\n\
    [[zone]]\nid = \"left_cheek\"\nsite = \"cheek\"\n\
    [[zone]]\nid = \"nose\"\nsite = \"nose\"\n";

/// Zone of row `i`: left cheek, nose, outside, in turn.
fn zone_of(i: u64) -> ZoneRef {
    [ZoneRef::zone(0), ZoneRef::zone(1), ZoneRef::OUTSIDE][(i % 3) as usize]
}

fn zoned_recording(dir: &Path, n: u64) -> PathBuf {
    let dir = dir.join("run");
    let options = CreateOptions {
        face_map: Some(FaceMapCopy {
            name: "two-zones",
            text: FACE_MAP,
        }),
        ..CreateOptions::default()
    };
    let mut w = RecordingWriter::create_with(&dir, sample_meta(), options).unwrap();
    for i in 0..n {
        let row = PunctureRow {
            zone: zone_of(i),
            ..puncture_row(i)
        };
        w.puncture(&row).unwrap();
    }
    w.finish(RunStatus::Complete).unwrap();
    dir
}

#[test]
fn a_plan_recording_keeps_its_face_map_and_each_punctures_zone() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = zoned_recording(tmp.path(), 6);
    assert_eq!(
        std::fs::read_to_string(dir.join(FACE_MAP_FILE)).unwrap(),
        FACE_MAP
    );
    let rec = Recording::open(&dir).unwrap();
    assert_eq!(rec.meta().format_version, 4);
    assert_eq!(rec.meta().scenario.face_map, "two-zones");
    assert_eq!(
        rec.meta().scenario.face_map_sha256,
        scenario_hash(FACE_MAP.as_bytes())
    );
    assert_eq!(rec.zone_ids(), ["left_cheek", "nose"]);
    assert_eq!(rec.face_map_text().unwrap().as_deref(), Some(FACE_MAP));
    let text = std::fs::read_to_string(dir.join(PunctureRow::FILE)).unwrap();
    let lines: Vec<&str> = text.lines().collect();
    assert!(lines[0].ends_with(",bleeding,zone"), "{}", lines[0]);
    assert!(lines[1].ends_with(",left_cheek"), "{}", lines[1]);
    assert!(lines[2].ends_with(",nose"), "{}", lines[2]);
    assert!(
        lines[3].ends_with("e,"),
        "outside is an empty field: {}",
        lines[3]
    );
    let rows: Vec<PunctureRow> = rec.punctures().unwrap().map(Result::unwrap).collect();
    for (i, row) in rows.iter().enumerate() {
        assert_eq!(row.zone, zone_of(i as u64), "row {i}");
    }
    assert_eq!(rec.zone_id(rows[1].zone), Some("nose"));
    assert_eq!(rec.zone_id(rows[2].zone), None);
    assert!(rows[2].zone.is_outside());
}

#[test]
fn the_parallel_reader_interns_the_same_zones_as_the_sequential_one() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = zoned_recording(tmp.path(), 30_000);
    let rec = Recording::open(&dir).unwrap();
    let mut got = Vec::new();
    let options = ReadOptions {
        threads: 3,
        chunk_bytes: 64 << 10,
    };
    rec.punctures()
        .unwrap()
        .for_each_batch(options, |batch| got.extend(batch.iter().map(|p| p.zone)))
        .unwrap();
    let want: Vec<ZoneRef> = (0..30_000).map(zone_of).collect();
    assert_eq!(got, want);
}

#[test]
fn the_face_map_copy_parses_into_the_face_map_with_zones_in_the_recordings_order() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("run");
    let map = needlebench_face::FaceMap::builtin(needlebench_face::FaceMap::DEFAULT).unwrap();
    let options = CreateOptions {
        face_map: Some(FaceMapCopy {
            name: &map.name,
            text: &map.text,
        }),
        ..CreateOptions::default()
    };
    let mut w = RecordingWriter::create_with(&dir, sample_meta(), options).unwrap();
    w.puncture(&PunctureRow {
        zone: ZoneRef::zone(3),
        ..puncture_row(0)
    })
    .unwrap();
    w.finish(RunStatus::Complete).unwrap();
    let rec = Recording::open(&dir).unwrap();
    let parsed = rec.face_map().expect("a face map").unwrap();
    assert_eq!(parsed.text, map.text);
    let ids: Vec<&str> = parsed.zones.iter().map(|z| z.id.as_str()).collect();
    assert_eq!(rec.zone_ids(), ids.as_slice());
    let row = rec.punctures().unwrap().next().unwrap().unwrap();
    assert_eq!(parsed.zones[row.zone.index().unwrap()].id, map.zones[3].id);
    let plain = zoned_recording(&tmp.path().join("b"), 0);
    std::fs::remove_file(plain.join(FACE_MAP_FILE)).unwrap();
    let meta = std::fs::read_to_string(plain.join(META_FILE)).unwrap();
    let meta: String = meta
        .lines()
        .filter(|l| !l.starts_with("face_map"))
        .map(|l| {
            format!(
                "{l}
"
            )
        })
        .collect();
    std::fs::write(plain.join(META_FILE), meta).unwrap();
    assert!(Recording::open(&plain).unwrap().face_map().is_none());
}

#[test]
fn a_zone_the_face_map_lacks_names_row_column_and_the_valid_zones() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = zoned_recording(tmp.path(), 3);
    let path = dir.join(PunctureRow::FILE);
    let text = std::fs::read_to_string(&path).unwrap();
    std::fs::write(&path, text.replacen(",nose\n", ",forehead\n", 1)).unwrap();
    let rec = Recording::open(&dir).unwrap();
    let e = rec
        .punctures()
        .unwrap()
        .find_map(Result::err)
        .expect("an error");
    let message = e.to_string();
    assert!(message.contains("row 2 (line 3), column zone"), "{message}");
    assert!(
        message.contains("unknown zone 'forehead'; the face map's zones: left_cheek, nose"),
        "{message}"
    );
}

#[test]
fn a_run_without_a_face_map_has_no_zone_column_and_reads_not_recorded() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("run");
    let mut w = RecordingWriter::create(&dir, sample_meta()).unwrap();
    w.puncture(&puncture_row(0)).unwrap();
    w.finish(RunStatus::Complete).unwrap();
    let text = std::fs::read_to_string(dir.join(PunctureRow::FILE)).unwrap();
    assert!(text.starts_with("t_us,") && text.lines().next().unwrap().ends_with(",bleeding"));
    let meta = std::fs::read_to_string(dir.join(META_FILE)).unwrap();
    assert!(
        !meta.contains("zone") && !meta.contains("face_map"),
        "{meta}"
    );
    let rec = Recording::open(&dir).unwrap();
    assert!(rec.zone_ids().is_empty());
    assert_eq!(rec.face_map_text().unwrap(), None);
    let row = rec.punctures().unwrap().next().unwrap().unwrap();
    assert_eq!(row.zone, ZoneRef::NOT_RECORDED);
    assert_eq!(row, puncture_row(0).rounded());
}

#[test]
fn a_format_3_recording_reads_and_its_punctures_zones_are_not_recorded() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("run");
    let mut w = RecordingWriter::create(&dir, sample_meta()).unwrap();
    for i in 0..5 {
        w.puncture(&puncture_row(i)).unwrap();
    }
    w.finish(RunStatus::Complete).unwrap();
    let path = dir.join(META_FILE);
    let meta = std::fs::read_to_string(&path).unwrap();
    std::fs::write(
        &path,
        meta.replace("format_version = 4", "format_version = 3"),
    )
    .unwrap();
    let rec = Recording::open(&dir).unwrap();
    assert_eq!(rec.meta().format_version, 3);
    let rows: Vec<PunctureRow> = rec.punctures().unwrap().map(Result::unwrap).collect();
    assert_eq!(rows.len(), 5);
    assert!(rows.iter().all(|r| r.zone == ZoneRef::NOT_RECORDED));
    assert_eq!(rows[4], puncture_row(4).rounded());
}

#[test]
fn a_face_map_named_in_meta_but_missing_is_refused() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = zoned_recording(tmp.path(), 1);
    std::fs::remove_file(dir.join(FACE_MAP_FILE)).unwrap();
    let e = Recording::open(&dir).expect_err("refused");
    assert!(
        e.to_string()
            .contains("names face map 'two-zones' but the recording has no face-map.toml"),
        "{e}"
    );
}

#[test]
fn writing_a_zone_past_the_face_maps_list_is_an_error() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("run");
    let options = CreateOptions {
        face_map: Some(FaceMapCopy {
            name: "two-zones",
            text: FACE_MAP,
        }),
        ..CreateOptions::default()
    };
    let mut w = RecordingWriter::create_with(&dir, sample_meta(), options).unwrap();
    let row = PunctureRow {
        zone: ZoneRef::zone(2),
        ..puncture_row(0)
    };
    let e = w.puncture(&row).expect_err("refused");
    assert!(e.to_string().contains("face map has 2 zones"), "{e}");
}

#[test]
fn plan_events_have_stable_names_and_read_back() {
    let start = EventRow::zone_start(7, 7000, "left_cheek", 1.5, 2);
    assert_eq!(
        (
            start.kind.name(),
            start.code.as_str(),
            start.detail.as_str()
        ),
        ("zone_start", "left_cheek", "exposure_mm=1.5 step=2")
    );
    let change = EventRow::depth_change(9, 9000, 0.5, 1.0, 4.0);
    assert_eq!(
        (change.kind, change.code.as_str()),
        (EventKind::DepthChange, "0.50->1.00")
    );
    assert_eq!(change.depth_change_mm(), Some((0.5, 1.0)));
    assert_eq!(start.depth_change_mm(), None);
    assert!(!EventKind::ZoneStart.is_injection() && !EventKind::DepthChange.is_injection());
}
