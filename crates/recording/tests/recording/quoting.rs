//! Files that need (or just use) CSV quoting, Windows line ends and a byte-order mark: what
//! exporters from other tools produce.

use crate::{event_row, puncture_row, read_all, sample_meta};
use needlebench_recording::{
    EventRow, PunctureRow, RecordingError, RecordingWriter, Row, RowPos, RunStatus,
};

#[test]
fn fully_quoted_and_crlf_puncture_files_read_like_plain_ones() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("run");
    let mut w = RecordingWriter::create(&dir, sample_meta()).unwrap();
    for i in 0..5 {
        w.puncture(&puncture_row(i)).unwrap();
    }
    w.finish(RunStatus::Complete).unwrap();
    let path = dir.join(PunctureRow::FILE);
    let plain = read_all::<PunctureRow>(&path).unwrap();
    assert_eq!(plain.len(), 5);
    let text = std::fs::read_to_string(&path).unwrap();

    // Windows line ends and a UTF-8 byte-order mark (spreadsheet exports)
    std::fs::write(&path, format!("\u{feff}{}", text.replace('\n', "\r\n"))).unwrap();
    assert_eq!(read_all::<PunctureRow>(&path).unwrap(), plain);

    // every field quoted from row 3 on (e.g. Python's csv.QUOTE_ALL): the csv reader takes over
    let quoted: String = text
        .lines()
        .enumerate()
        .map(|(i, l)| {
            if i >= 3 {
                l.split(',')
                    .map(|f| format!("\"{f}\""))
                    .collect::<Vec<_>>()
                    .join(",")
                    + "\n"
            } else {
                format!("{l}\n")
            }
        })
        .collect();
    std::fs::write(&path, &quoted).unwrap();
    assert_eq!(read_all::<PunctureRow>(&path).unwrap(), plain);

    // a bad value after the switch still names row, line and column
    std::fs::write(&path, quoted.replace("\"papillary_dermis\"", "\"dermis\"")).unwrap();
    let bad_row = plain
        .iter()
        .position(|r| r.layer == needlebench_recording::Layer::PapillaryDermis);
    let bad_row = bad_row.unwrap() as u64 + 1;
    assert!(
        bad_row >= 3,
        "the damaged row must come after the switch to the csv reader"
    );
    let e = read_all::<PunctureRow>(&path).err().unwrap();
    assert_eq!(
        e.row_pos(),
        Some(RowPos {
            row: bad_row,
            line: bad_row + 1
        }),
        "{e}"
    );
    assert_eq!(e.column(), Some("layer"));
}

#[test]
fn rows_after_multi_line_fields_are_located_by_file_line() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("run");
    let mut w = RecordingWriter::create(&dir, sample_meta()).unwrap();
    for i in 0..4 {
        w.event(&event_row(i)).unwrap(); // each detail spans two lines
    }
    w.finish(RunStatus::Complete).unwrap();
    let path = dir.join(EventRow::FILE);
    let text = std::fs::read_to_string(&path).unwrap();
    // row 3 starts on line 1 + 2 + 2 + 1 = 6; break its source
    let lines: Vec<&str> = text.split('\n').collect();
    assert!(lines[5].starts_with("20000,20,link,"), "{}", lines[5]);
    std::fs::write(&path, text.replacen("20000,20,link,", "20000,20,radio,", 1)).unwrap();
    let e = read_all::<EventRow>(&path).err().unwrap();
    assert_eq!(e.row_pos(), Some(RowPos { row: 3, line: 6 }), "{e}");
    assert!(
        e.to_string()
            .contains("valid: firmware, injected, link, runner"),
        "{e}"
    );
}

#[test]
fn an_events_file_cut_anywhere_in_its_last_row_is_reported() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("run");
    let mut w = RecordingWriter::create(&dir, sample_meta()).unwrap();
    for i in 0..3 {
        w.event(&event_row(i)).unwrap();
    }
    w.finish(RunStatus::Complete).unwrap();
    let path = dir.join(EventRow::FILE);
    let full = std::fs::read(&path).unwrap();
    let last_start = full.windows(6).rposition(|w| w == b"\n20000").unwrap() + 1;
    for cut in last_start + 1..full.len() {
        std::fs::write(&path, &full[..cut]).unwrap();
        let rows: Vec<_> = needlebench_recording::Rows::<EventRow>::open(&path)
            .unwrap()
            .collect();
        assert_eq!(rows.len(), 3, "cut at {cut}");
        assert!(rows[..2].iter().all(Result::is_ok), "cut at {cut}");
        let e = rows[2]
            .as_ref()
            .err()
            .unwrap_or_else(|| panic!("cut at {cut} not detected"));
        assert!(
            matches!(
                e,
                RecordingError::Truncated { .. } | RecordingError::Value { .. }
            ),
            "{e:?}"
        );
        assert_eq!(e.row_pos().map(|p| p.row), Some(3), "cut at {cut}: {e}");
    }
    std::fs::write(&path, &full).unwrap();
    assert_eq!(read_all::<EventRow>(&path).unwrap().len(), 3);
}
