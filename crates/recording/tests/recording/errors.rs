//! Damaged and hand-written recordings give errors that name the file, row, line and column.

use crate::{puncture_row, read_all, sample_meta, telemetry_row};
use needlebench_recording::{
    EventKind, EventRow, Layer, META_FILE, Meta, PunctureRow, Recording, RecordingError,
    RecordingWriter, Row, RowPos, RunStatus, TelemetryRow,
};
use std::path::{Path, PathBuf};

/// A finished recording with `n` punctures and `n` telemetry rows.
fn recording(dir: &Path, n: u32) {
    let mut w = RecordingWriter::create(dir, sample_meta()).unwrap();
    for i in 0..n {
        w.puncture(&puncture_row(u64::from(i))).unwrap();
        w.telemetry(&telemetry_row(i)).unwrap();
    }
    w.finish(RunStatus::Complete).unwrap();
}

/// The error ending the stream of `R` rows, and how many good rows came before it.
fn first_error<R: Row>(path: &Path) -> (usize, RecordingError) {
    let mut good = 0;
    for row in needlebench_recording::Rows::<R>::open(path).unwrap() {
        match row {
            Ok(_) => good += 1,
            Err(e) => return (good, e),
        }
    }
    panic!("{}: no error after {good} rows", path.display());
}

fn replace_in(path: &PathBuf, line_no: usize, f: impl Fn(&str) -> String) {
    let text = std::fs::read_to_string(path).unwrap();
    let lines: Vec<String> = text
        .split_inclusive('\n')
        .enumerate()
        .map(|(i, l)| if i + 1 == line_no { f(l) } else { l.to_owned() })
        .collect();
    std::fs::write(path, lines.concat()).unwrap();
}

#[test]
fn a_file_cut_anywhere_in_its_last_row_names_the_file_and_row() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("run");
    recording(&dir, 20);
    let path = dir.join(PunctureRow::FILE);
    let full = std::fs::read(&path).unwrap();
    let last_row_start = full[..full.len() - 1]
        .iter()
        .rposition(|&b| b == b'\n')
        .unwrap()
        + 1;
    // every cut that leaves part of row 20 (but not its line end)
    for cut in last_row_start + 1..full.len() {
        std::fs::write(&path, &full[..cut]).unwrap();
        let (good, e) = first_error::<PunctureRow>(&path);
        assert_eq!(good, 19, "cut at byte {cut}");
        assert_eq!(e.path(), path);
        assert_eq!(
            e.row_pos(),
            Some(RowPos { row: 20, line: 21 }),
            "cut at byte {cut}: {e}"
        );
        let text = e.to_string();
        assert!(
            text.contains("punctures.csv") && text.contains("row 20"),
            "{text}"
        );
    }
    // the whole file reads
    std::fs::write(&path, &full).unwrap();
    assert_eq!(read_all::<PunctureRow>(&path).unwrap().len(), 20);
}

#[test]
fn a_row_with_too_few_fields_in_the_middle_is_reported() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("run");
    recording(&dir, 10);
    let path = dir.join(TelemetryRow::FILE);
    replace_in(&path, 5, |l| format!("{}\n", &l[..l.len() / 2]));
    let (good, e) = first_error::<TelemetryRow>(&path);
    assert_eq!(good, 3);
    assert!(matches!(e, RecordingError::Truncated { .. }), "{e:?}");
    assert_eq!(e.row_pos(), Some(RowPos { row: 4, line: 5 }));
    assert!(e.to_string().contains("expected 17 fields"), "{e}");
}

#[test]
fn a_malformed_value_names_row_and_column() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("run");
    recording(&dir, 10);
    let path = dir.join(PunctureRow::FILE);
    // line 8 = row 7; depth_um is the 6th column
    replace_in(&path, 8, |l| {
        let mut fields: Vec<&str> = l.trim_end().split(',').collect();
        fields[5] = "abc";
        format!("{}\n", fields.join(","))
    });
    let (good, e) = first_error::<PunctureRow>(&path);
    assert_eq!(good, 6);
    assert_eq!(e.column(), Some("depth_um"));
    assert_eq!(e.row_pos(), Some(RowPos { row: 7, line: 8 }));
    let text = e.to_string();
    assert!(
        text.ends_with("row 7 (line 8), column depth_um: expected a number, got 'abc'"),
        "{text}"
    );
}

#[test]
fn integers_out_of_range_or_signed_are_rejected() {
    let tmp = tempfile::tempdir().unwrap();
    let path = tmp.path().join(PunctureRow::FILE);
    let header = PunctureRow::COLUMNS.join(",");
    std::fs::write(
        &path,
        format!("{header}\n1,2,65536,0,0,0,hypodermis,0,0,false,\n"),
    )
    .unwrap();
    let (_, e) = first_error::<PunctureRow>(&path);
    assert_eq!(e.column(), Some("needle"));
    assert!(
        e.to_string().contains("from 0 to 65535, got '65536'"),
        "{e}"
    );
    std::fs::write(
        &path,
        format!("{header}\n-1,2,3,0,0,0,hypodermis,0,0,false,\n"),
    )
    .unwrap();
    assert_eq!(first_error::<PunctureRow>(&path).1.column(), Some("t_us"));
}

#[test]
fn a_missing_column_is_named() {
    let tmp = tempfile::tempdir().unwrap();
    let path = tmp.path().join(PunctureRow::FILE);
    std::fs::write(
        &path,
        "t_us,stroke,needle,x_mm,y_mm,layer,peak_force_n,tenting_um,bleeding\n1,2,3,0,0,hypodermis,0,0,false\n",
    )
    .unwrap();
    let e = needlebench_recording::Rows::<PunctureRow>::open(&path)
        .err()
        .unwrap();
    assert!(
        matches!(
            e,
            RecordingError::MissingColumn {
                column: "depth_um",
                ..
            }
        ),
        "{e:?}"
    );
    assert!(e.to_string().contains("no column `depth_um`"), "{e}");
}

#[test]
fn an_empty_file_says_what_header_it_needs() {
    let tmp = tempfile::tempdir().unwrap();
    let path = tmp.path().join(PunctureRow::FILE);
    std::fs::write(&path, "").unwrap();
    let e = needlebench_recording::Rows::<PunctureRow>::open(&path)
        .err()
        .unwrap();
    assert!(matches!(e, RecordingError::EmptyFile { .. }), "{e:?}");
    assert!(e.to_string().contains("t_us,stroke,needle"), "{e}");
}

#[test]
fn an_unknown_layer_lists_the_valid_ones() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("run");
    recording(&dir, 3);
    let path = dir.join(PunctureRow::FILE);
    replace_in(&path, 3, |l| {
        let mut fields: Vec<&str> = l.trim_end().split(',').collect();
        fields[6] = "dermis";
        format!("{}\n", fields.join(","))
    });
    let (good, e) = first_error::<PunctureRow>(&path);
    assert_eq!(good, 1);
    assert_eq!(e.column(), Some("layer"));
    let text = e.to_string();
    assert!(text.contains("unknown layer 'dermis'"), "{text}");
    for layer in Layer::ALL {
        assert!(text.contains(layer.name()), "{text} lacks {}", layer.name());
    }
}

#[test]
fn unknown_state_and_fault_names_list_the_valid_ones() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("run");
    recording(&dir, 3);
    let path = dir.join(TelemetryRow::FILE);
    let good_text = std::fs::read_to_string(&path).unwrap();
    replace_in(&path, 2, |l| l.replacen(",idle,", ",Idle,", 1));
    let e = first_error::<TelemetryRow>(&path).1;
    assert_eq!(e.column(), Some("state"));
    assert!(
        e.to_string().contains("valid: off, idle, running, fault"),
        "{e}"
    );

    std::fs::write(&path, &good_text).unwrap();
    replace_in(&path, 2, |l| l.replacen(",none\n", ",overcurrent\n", 1));
    let e = first_error::<TelemetryRow>(&path).1;
    assert_eq!(e.column(), Some("fault"));
    assert!(
        e.to_string().contains("over_current") && e.to_string().contains("cartridge_expired"),
        "{e}"
    );
}

#[test]
fn a_bad_meta_value_names_line_and_column() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("run");
    recording(&dir, 1);
    let path = dir.join(META_FILE);
    let text = std::fs::read_to_string(&path).unwrap();
    let line = text
        .lines()
        .position(|l| l.starts_with("needle_count"))
        .unwrap()
        + 1;
    std::fs::write(
        &path,
        text.replace("needle_count = 36", "needle_count = \"many\""),
    )
    .unwrap();
    let e = Recording::open(&dir).err().unwrap();
    match &e {
        RecordingError::MetaParse {
            path: p,
            line: l,
            column,
            message,
        } => {
            assert_eq!(p, &path);
            assert_eq!(*l, Some(line));
            assert_eq!(*column, Some("needle_count = ".len() + 1));
            assert!(message.contains("invalid type"), "{message}");
        }
        other => panic!("{other:?}"),
    }
    assert!(
        e.to_string().contains(&format!("meta.toml:{line}:16")),
        "{e}"
    );
}

#[test]
fn a_meta_syntax_error_or_unknown_key_is_located() {
    let tmp = tempfile::tempdir().unwrap();
    let path = tmp.path().join(META_FILE);
    let good = sample_meta().to_toml_string(&path).unwrap();
    let broken = good.replacen("[firmware]\n", "[firmware]\nname = = 1\n", 1);
    let line = broken.lines().position(|l| l == "name = = 1").unwrap() + 1;
    let e = Meta::from_toml_str(&broken, &path).err().unwrap();
    assert!(
        matches!(e, RecordingError::MetaParse { line: Some(l), .. } if l == line),
        "{e:?}"
    );

    let typo = good.replacen("[firmware]\n", "[firmware]\nvresion = \"1\"\n", 1);
    let e = Meta::from_toml_str(&typo, &path).err().unwrap();
    assert!(e.to_string().contains("vresion"), "{e}");
}

#[test]
fn an_unsupported_format_version_is_refused() {
    let tmp = tempfile::tempdir().unwrap();
    let path = tmp.path().join(META_FILE);
    let text = sample_meta()
        .to_toml_string(&path)
        .unwrap()
        .replace("format_version = 4", "format_version = 5");
    let e = Meta::from_toml_str(&text, &path).err().unwrap();
    assert!(
        matches!(&e, RecordingError::MetaInvalid { field, .. } if field == "format_version"),
        "{e:?}"
    );
    let text = text.replace("format_version = 5", "format_version = 0");
    assert!(
        Meta::from_toml_str(&text, &path).is_err(),
        "format 0 never existed"
    );
}

#[test]
fn missing_files_are_named() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("run");
    let e = Recording::open(&dir).err().unwrap();
    assert_eq!(e.path(), dir.join(META_FILE));
    assert!(matches!(e, RecordingError::Io { .. }));

    recording(&dir, 1);
    std::fs::remove_file(dir.join(PunctureRow::FILE)).unwrap();
    let rec = Recording::open(&dir).unwrap();
    assert_eq!(
        rec.punctures().err().unwrap().path(),
        dir.join(PunctureRow::FILE)
    );
    assert_eq!(rec.telemetry().unwrap().count(), 1);
}

#[test]
fn a_file_without_line_ends_is_refused_not_swallowed() {
    let tmp = tempfile::tempdir().unwrap();
    let path = tmp.path().join(PunctureRow::FILE);
    let mut text = PunctureRow::COLUMNS.join(",");
    text.push('\n');
    text.push_str(&"7".repeat(17 << 20));
    std::fs::write(&path, text).unwrap();
    let e = first_error::<PunctureRow>(&path).1;
    assert!(matches!(e, RecordingError::Io { .. }), "{e:?}");
    assert!(e.to_string().contains("row longer than"), "{e}");
}

#[test]
fn an_unknown_event_kind_names_file_row_column_and_the_valid_kinds() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("run");
    let mut w = RecordingWriter::create(&dir, sample_meta()).unwrap();
    for i in 0..3 {
        w.event(&crate::event_row(i)).unwrap();
    }
    w.finish(RunStatus::Complete).unwrap();
    let path = dir.join(EventRow::FILE);
    let text = std::fs::read_to_string(&path).unwrap();
    let second = EventKind::ALL[1].name();
    std::fs::write(
        &path,
        text.replacen(&format!(",{second},"), ",fault_rised,", 1),
    )
    .unwrap();
    let (good, e) = first_error::<EventRow>(&path);
    assert_eq!(good, 1);
    assert_eq!(e.column(), Some("kind"));
    let message = e.to_string();
    assert!(message.contains("events.csv"), "{message}");
    assert!(
        message.contains("unknown event kind 'fault_rised'"),
        "{message}"
    );
    for kind in EventKind::ALL {
        assert!(message.contains(kind.name()), "{message} lacks {kind}");
    }
}

#[test]
fn a_telemetry_file_written_before_needle_peak_um_reads_with_the_column_not_recorded() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("run");
    recording(&dir, 10);
    let path = dir.join(TelemetryRow::FILE);
    let at = TelemetryRow::COLUMNS
        .iter()
        .position(|&c| c == "needle_peak_um")
        .unwrap();
    // drop the column from every line, as an older writer wrote the file
    let text = std::fs::read_to_string(&path).unwrap();
    let old: String = text
        .lines()
        .map(|l| {
            let mut fields: Vec<&str> = l.split(',').collect();
            fields.remove(at);
            fields.join(",") + "\n"
        })
        .collect();
    std::fs::write(&path, old).unwrap();
    let rows = read_all::<TelemetryRow>(&path).unwrap();
    assert_eq!(rows.len(), 10);
    assert!(rows.iter().all(|r| r.needle_peak_um.is_nan()));
    assert_eq!(rows[3].tick, telemetry_row(3).tick);
    assert_eq!(
        rows[3].exposure_um.to_bits(),
        telemetry_row(3).rounded().exposure_um.to_bits()
    );
    // any other missing column is still an error naming it
    let text = std::fs::read_to_string(&path).unwrap();
    std::fs::write(&path, text.replacen("exposure_um", "exposure", 1)).unwrap();
    let e = read_all::<TelemetryRow>(&path).unwrap_err();
    assert!(e.to_string().contains("exposure_um"), "{e}");
}
