//! The writer's promises about incomplete runs: nothing recorded is lost, and meta.toml says
//! honestly how the run ended.

use crate::{event_row, puncture_row, read_all, sample_meta, telemetry_row};
use needlebench_recording::{
    Completion, EventRow, LinkValue, META_FILE, Meta, PunctureRow, REASON_NOT_FINISHED, Recording,
    RecordingWriter, Row, RunStatus, TelemetryRow,
};
use std::collections::BTreeMap;

#[test]
fn meta_says_running_from_the_start() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("nested/run");
    let w = RecordingWriter::create(&dir, sample_meta()).unwrap();
    let rec = Recording::open(&dir).unwrap();
    assert_eq!(rec.meta().run.status, Completion::Incomplete);
    assert_eq!(rec.meta().run.reason, "running");
    assert_eq!(rec.meta().scenario, sample_meta().scenario);
    // headers are on disk: the CSVs read as empty
    assert_eq!(rec.punctures().unwrap().count(), 0);
    assert_eq!(rec.telemetry().unwrap().count(), 0);
    assert_eq!(rec.events().unwrap().count(), 0);
    drop(w);
}

#[test]
fn a_dropped_writer_leaves_every_row_readable_and_the_meta_incomplete() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("run");
    let mut w = RecordingWriter::create(&dir, sample_meta()).unwrap();
    // more than the 64 KiB buffer, and an unflushed tail
    for i in 0..3000 {
        w.puncture(&puncture_row(i)).unwrap();
    }
    for i in 0..200 {
        w.telemetry(&telemetry_row(i)).unwrap();
    }
    w.event(&event_row(1)).unwrap();
    drop(w);

    let rec = Recording::open(&dir).unwrap();
    assert!(!rec.is_complete());
    assert_eq!(rec.meta().run.reason, REASON_NOT_FINISHED);
    assert_eq!(rec.meta().run.punctures, 3000);
    assert_eq!(rec.meta().run.ticks, 200);
    let pun: Vec<PunctureRow> = rec.punctures().unwrap().collect::<Result<_, _>>().unwrap();
    assert_eq!(pun.len(), 3000);
    assert_eq!(pun[2999], puncture_row(2999).rounded());
    assert_eq!(rec.telemetry().unwrap().count(), 200);
    assert_eq!(
        rec.events()
            .unwrap()
            .collect::<Result<Vec<_>, _>>()
            .unwrap(),
        vec![event_row(1)]
    );
}

#[test]
fn a_killed_process_leaves_flushed_rows_and_reason_running() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("run");
    let mut w = RecordingWriter::create(&dir, sample_meta()).unwrap();
    for i in 0..100 {
        w.puncture(&puncture_row(i)).unwrap();
    }
    w.flush().unwrap();
    // No Drop, no finish: as if the process died here.
    std::mem::forget(w);
    let rec = Recording::open(&dir).unwrap();
    assert_eq!(rec.meta().run.reason, "running");
    assert!(!rec.is_complete());
    assert_eq!(
        read_all::<PunctureRow>(&dir.join(PunctureRow::FILE))
            .unwrap()
            .len(),
        100
    );
}

#[test]
fn finish_records_status_reason_counts_and_link_stats() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("run");
    let mut w = RecordingWriter::create(&dir, sample_meta()).unwrap();
    for i in 0..10 {
        w.telemetry(&telemetry_row(i)).unwrap();
    }
    w.puncture(&puncture_row(7)).unwrap();
    let link = BTreeMap::from([
        ("crc_errors".to_owned(), LinkValue::Count(3)),
        ("rtt_us_p99".to_owned(), LinkValue::Value(812.25)),
    ]);
    let reason = "link failure: no frame from the pen for 50 ms".to_owned();
    let meta = w
        .finish(
            RunStatus::Incomplete {
                reason: reason.clone(),
            },
            link.clone(),
        )
        .unwrap();

    let rec = Recording::open(&dir).unwrap();
    assert_eq!(rec.meta(), &meta);
    assert_eq!(meta.run.status, Completion::Incomplete);
    assert_eq!(meta.run.reason, reason);
    assert_eq!(meta.run.ticks, 10);
    assert_eq!(meta.run.punctures, 1);
    assert_eq!(meta.run.sim_duration_us, 9000);
    assert_eq!(meta.link, link);
    assert_eq!(rec.telemetry().unwrap().count(), 10);
    assert!(
        !dir.join("meta.toml.tmp").exists(),
        "temporary meta left behind"
    );
}

#[test]
fn a_finished_complete_recording_is_not_overwritten_by_drop() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("run");
    let w = RecordingWriter::create(&dir, sample_meta()).unwrap();
    w.finish(RunStatus::Complete, BTreeMap::new()).unwrap();
    let meta = Meta::read(&dir.join(META_FILE)).unwrap();
    assert!(meta.run.is_complete());
    assert_eq!(meta.run.reason, "");
}

#[test]
fn create_replaces_an_older_recording() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("run");
    let mut w = RecordingWriter::create(&dir, sample_meta()).unwrap();
    for i in 0..50 {
        w.puncture(&puncture_row(i)).unwrap();
    }
    w.finish(RunStatus::Complete, BTreeMap::new()).unwrap();
    let w = RecordingWriter::create(&dir, sample_meta()).unwrap();
    w.finish(RunStatus::Complete, BTreeMap::new()).unwrap();
    let rec = Recording::open(&dir).unwrap();
    assert_eq!(rec.punctures().unwrap().count(), 0);
    assert_eq!(rec.meta().run.punctures, 0);
    assert_eq!(
        read_all::<TelemetryRow>(&dir.join(TelemetryRow::FILE))
            .unwrap()
            .len(),
        0
    );
    assert_eq!(
        read_all::<EventRow>(&dir.join(EventRow::FILE))
            .unwrap()
            .len(),
        0
    );
}
