//! The writer's promises about incomplete runs: nothing recorded is lost, and meta.toml says
//! honestly how the run ended.

use crate::{event_row, puncture_row, read_all, sample_meta, telemetry_row};
use needlebench_recording::{
    Completion, CreateOptions, EndReason, EventRow, LinkCounters, META_FILE, Meta, PunctureRow,
    REASON_NOT_FINISHED, Recording, RecordingError, RecordingWriter, Row, RunStatus, TelemetryRow,
    Timing,
};

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
fn finish_records_status_reason_and_counts_and_timing_holds_the_link_stats() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("run");
    let mut w = RecordingWriter::create(&dir, sample_meta()).unwrap();
    for i in 0..10 {
        w.telemetry(&telemetry_row(i)).unwrap();
    }
    w.puncture(&puncture_row(7)).unwrap();
    let link = LinkCounters {
        crc_errors: 3,
        frames_from_pen: 812,
        ..LinkCounters::default()
    };
    let reason = "link failure: no frame from the pen for 50 ms".to_owned();
    let meta = w
        .finish(RunStatus::Incomplete {
            end: EndReason::LinkFailure,
            reason: reason.clone(),
        })
        .unwrap();
    let timing = Timing {
        rtt_us_max: 900,
        link: Some(link),
        ..Timing::default()
    };
    timing.write(&dir).unwrap();

    let rec = Recording::open(&dir).unwrap();
    assert_eq!(rec.meta(), &meta);
    assert_eq!(meta.run.status, Completion::Incomplete);
    assert_eq!(meta.run.reason, reason);
    assert_eq!(meta.run.ticks, 10);
    assert_eq!(meta.run.punctures, 1);
    assert_eq!(meta.run.sim_duration_us, 9000);
    assert_eq!(meta.legacy_link, None);
    let text = std::fs::read_to_string(dir.join(META_FILE)).unwrap();
    assert!(
        !text.contains("[link]"),
        "meta.toml holds no link counters: {text}"
    );
    assert_eq!(rec.timing().unwrap(), Some(timing));
    assert_eq!(rec.link_counters().unwrap(), Some(link));
    assert_eq!(meta.run.end, EndReason::LinkFailure);
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
    w.finish(RunStatus::Complete).unwrap();
    let meta = Meta::read(&dir.join(META_FILE)).unwrap();
    assert!(meta.run.is_complete());
    assert_eq!(meta.run.reason, "");
}

#[test]
fn create_refuses_an_existing_recording_and_keeps_it_whole() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("run");
    let mut w = RecordingWriter::create(&dir, sample_meta()).unwrap();
    for i in 0..50 {
        w.puncture(&puncture_row(i)).unwrap();
    }
    w.finish(RunStatus::Complete).unwrap();
    let err = RecordingWriter::create(&dir, sample_meta())
        .err()
        .expect("refused");
    assert!(matches!(err, RecordingError::Exists { .. }), "{err}");
    assert!(err.is_write());
    assert!(err.to_string().contains("use --force"), "{err}");
    assert_eq!(Recording::open(&dir).unwrap().meta().run.punctures, 50);
    // no temporary directory is left beside it
    let names: Vec<_> = std::fs::read_dir(tmp.path())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    assert_eq!(names, ["run"]);
}

#[test]
fn create_refuses_a_directory_of_other_files_even_when_replacing() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("notes");
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::write(dir.join("todo.txt"), "mine").unwrap();
    let options = CreateOptions {
        replace: true,
        scenario: None,
        face_map: None,
    };
    let err = RecordingWriter::create_with(&dir, sample_meta(), options)
        .err()
        .expect("refused");
    assert!(matches!(err, RecordingError::Exists { .. }), "{err}");
    assert_eq!(
        std::fs::read_to_string(dir.join("todo.txt")).unwrap(),
        "mine"
    );
    assert!(!dir.join(META_FILE).exists());
}

#[test]
fn an_empty_directory_takes_a_new_recording() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("empty");
    std::fs::create_dir_all(&dir).unwrap();
    let w = RecordingWriter::create(&dir, sample_meta()).unwrap();
    w.finish(RunStatus::Complete).unwrap();
    assert!(Recording::open(&dir).unwrap().is_complete());
}

#[test]
fn replace_swaps_in_the_new_recording_whole() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("run");
    let mut w = RecordingWriter::create(&dir, sample_meta()).unwrap();
    for i in 0..50 {
        w.puncture(&puncture_row(i)).unwrap();
    }
    w.finish(RunStatus::Complete).unwrap();
    let options = CreateOptions {
        replace: true,
        scenario: None,
        face_map: None,
    };
    let w = RecordingWriter::create_with(&dir, sample_meta(), options).unwrap();
    w.finish(RunStatus::Complete).unwrap();
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

#[test]
fn a_cut_last_row_of_an_incomplete_recording_is_left_out_with_a_warning() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("run");
    let mut w = RecordingWriter::create(&dir, sample_meta()).unwrap();
    for i in 0..100 {
        w.telemetry(&telemetry_row(i)).unwrap();
    }
    w.flush().unwrap();
    // the process is killed mid-row: meta still says "running", the last row is cut
    std::mem::forget(w);
    let path = dir.join(TelemetryRow::FILE);
    let text = std::fs::read_to_string(&path).unwrap();
    std::fs::write(&path, &text[..text.len() - 7]).unwrap();
    let rec = Recording::open(&dir).unwrap();
    assert!(!rec.is_complete());
    assert_eq!(rec.warnings().len(), 1, "{:?}", rec.warnings());
    assert!(
        rec.warnings()[0].contains("telemetry.csv: the last row is cut"),
        "{:?}",
        rec.warnings()
    );
    let rows: Vec<TelemetryRow> = rec.telemetry().unwrap().map(Result::unwrap).collect();
    assert_eq!(
        rows.len(),
        99,
        "every whole row is read, the cut one left out"
    );
    // the parallel reader agrees
    let mut n = 0;
    rec.telemetry()
        .unwrap()
        .for_each_batch(
            needlebench_recording::ReadOptions {
                threads: 3,
                chunk_bytes: 256,
            },
            |b| n += b.len(),
        )
        .unwrap();
    assert_eq!(n, 99);
}

#[test]
fn a_cut_last_row_of_a_complete_recording_is_an_error() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("run");
    let mut w = RecordingWriter::create(&dir, sample_meta()).unwrap();
    for i in 0..10 {
        w.telemetry(&telemetry_row(i)).unwrap();
    }
    w.finish(RunStatus::Complete).unwrap();
    let path = dir.join(TelemetryRow::FILE);
    let text = std::fs::read_to_string(&path).unwrap();
    std::fs::write(&path, &text[..text.len() - 3]).unwrap();
    let rec = Recording::open(&dir).unwrap();
    assert!(rec.warnings().is_empty());
    let err = rec
        .telemetry()
        .unwrap()
        .find_map(Result::err)
        .expect("cut row reported");
    assert!(err.to_string().contains("cut short"), "{err}");
}

/// A complete recording of [`sample_meta`] in `tmp`: its directory, meta path and meta text.
fn finished_recording(tmp: &std::path::Path) -> (std::path::PathBuf, std::path::PathBuf, String) {
    let dir = tmp.join("run");
    let w = RecordingWriter::create(&dir, sample_meta()).unwrap();
    w.finish(RunStatus::Complete).unwrap();
    let path = dir.join(META_FILE);
    let text = std::fs::read_to_string(&path).unwrap();
    (dir, path, text)
}

#[test]
fn a_format_1_recording_still_reads() {
    let tmp = tempfile::tempdir().unwrap();
    let (dir, path, text) = finished_recording(tmp.path());
    // format 1 had no scenario copy and no run.end
    let v1: String = text
        .replace("format_version = 4", "format_version = 1")
        .lines()
        .filter(|l| !l.starts_with("end = ") && !l.starts_with("copy = "))
        .map(|l| format!("{l}\n"))
        .collect();
    std::fs::write(&path, v1).unwrap();
    let rec = Recording::open(&dir).unwrap();
    assert_eq!(rec.meta().format_version, 1);
    assert_eq!(rec.meta().run.end, EndReason::Complete);
    assert!(rec.scenario_copy().is_none());
    // a newer format is refused with the reason
    let newer = text.replace("format_version = 4", "format_version = 5");
    std::fs::write(&path, newer).unwrap();
    let err = Recording::open(&dir).expect_err("refused");
    assert!(
        err.to_string().contains("a newer needlebench wrote it"),
        "{err}"
    );
}

/// A format-2 `meta.toml`: the current one with `[link]` appended and the version set back.
fn format_2_meta(current: &str) -> String {
    format!(
        "{}\n[link]\nticks = 10\nframes_to_pen = 20\nframes_from_pen = 30\nbytes_to_pen = 400\n\
         bytes_from_pen = 500\ncrc_errors = 2\nresyncs = 1\noversize = 0\nunknown_type = 0\n\
         malformed = 0\ndropped_frames = 0\nretransmits = 3\n",
        current.replace("format_version = 4", "format_version = 2")
    )
}

#[test]
fn a_format_2_recording_keeps_its_link_counters_in_meta_and_they_still_read() {
    let tmp = tempfile::tempdir().unwrap();
    let (dir, path, current) = finished_recording(tmp.path());
    std::fs::write(&path, format_2_meta(&current)).unwrap();
    // format 2's timing.toml had no [link]
    std::fs::write(
        dir.join("timing.toml"),
        "rtt_us_p50 = 1\nrtt_us_p99 = 2\nrtt_us_max = 3\nlag_us_max = 0\n",
    )
    .unwrap();
    let rec = Recording::open(&dir).unwrap();
    assert_eq!(rec.meta().format_version, 2);
    let expected = LinkCounters {
        ticks: 10,
        frames_to_pen: 20,
        frames_from_pen: 30,
        bytes_to_pen: 400,
        bytes_from_pen: 500,
        crc_errors: 2,
        resyncs: 1,
        retransmits: 3,
        ..LinkCounters::default()
    };
    assert_eq!(rec.meta().legacy_link, Some(expected));
    assert_eq!(rec.timing().unwrap().and_then(|t| t.link), None);
    assert_eq!(rec.link_counters().unwrap(), Some(expected));
    // without timing.toml too
    std::fs::remove_file(dir.join("timing.toml")).unwrap();
    assert_eq!(rec.link_counters().unwrap(), Some(expected));
}

#[test]
fn a_format_3_meta_with_link_counters_is_refused_naming_timing_toml() {
    let tmp = tempfile::tempdir().unwrap();
    let path = tmp.path().join(META_FILE);
    let text = sample_meta().to_toml_string(&path).unwrap();
    let wrong = format_2_meta(&text).replace("format_version = 2", "format_version = 4");
    let e = Meta::from_toml_str(&wrong, &path).err().unwrap();
    assert!(
        matches!(&e, RecordingError::MetaInvalid { field, .. } if field == "link"),
        "{e:?}"
    );
    assert!(e.to_string().contains("timing.toml"), "{e}");
}
