//! `Rows::for_each_batch` with several threads gives exactly the sequential reader's rows, in
//! order, and exactly its error.

use crate::{puncture_row, sample_meta, telemetry_row};
use needlebench_recording::{
    PunctureRow, ReadOptions, RecordingError, RecordingWriter, Row, Rows, RunStatus, TelemetryRow,
};
use proptest::prelude::*;
use std::path::Path;

/// A recording with `n` punctures and `n / 10` telemetry rows; the punctures file's path.
fn recording(dir: &Path, n: u64) -> std::path::PathBuf {
    let mut w = RecordingWriter::create(dir, sample_meta()).unwrap();
    for i in 0..n {
        w.puncture(&puncture_row(i)).unwrap();
        if i % 10 == 0 {
            w.telemetry(&telemetry_row((i / 10) as u32)).unwrap();
        }
    }
    w.finish(RunStatus::Complete).unwrap();
    dir.join(PunctureRow::FILE)
}

/// What the iterator gives: the rows before the first error, and that error.
fn sequential<R: Row>(path: &Path) -> (Vec<R>, Option<String>, Option<(u64, u64)>) {
    let mut rows = Vec::new();
    for row in Rows::<R>::open(path).unwrap() {
        match row {
            Ok(r) => rows.push(r),
            Err(e) => {
                let pos = e.row_pos().map(|p| (p.row, p.line));
                return (rows, Some(e.to_string()), pos);
            }
        }
    }
    (rows, None, None)
}

/// What `for_each_batch` gives with `options`, in the same shape; also checks the count.
fn batched<R: Row + Send + Clone>(
    path: &Path,
    options: ReadOptions,
) -> (Vec<R>, Option<String>, Option<(u64, u64)>) {
    let mut rows = Vec::new();
    let got = Rows::<R>::open(path)
        .unwrap()
        .for_each_batch(options, |batch| rows.extend_from_slice(batch));
    match got {
        Ok(n) => {
            assert_eq!(n, rows.len() as u64, "returned count");
            (rows, None, None)
        }
        Err(e) => {
            let pos = e.row_pos().map(|p| (p.row, p.line));
            (rows, Some(e.to_string()), pos)
        }
    }
}

fn options(threads: usize, chunk_bytes: u64) -> ReadOptions {
    ReadOptions {
        threads,
        chunk_bytes,
    }
}

/// Rewrite the file's text with `f`.
fn edit(path: &Path, f: impl FnOnce(String) -> String) {
    let text = std::fs::read_to_string(path).unwrap();
    std::fs::write(path, f(text)).unwrap();
}

/// Replace line `line_no` (1-based) of `path` with `new` (no line end).
fn replace_line(path: &Path, line_no: usize, new: &str) {
    edit(path, |text| {
        text.split_inclusive('\n')
            .enumerate()
            .map(|(i, l)| {
                if i + 1 == line_no {
                    format!("{new}\n")
                } else {
                    l.to_owned()
                }
            })
            .collect()
    });
}

#[test]
fn a_parallel_read_of_100k_rows_equals_the_sequential_read() {
    let tmp = tempfile::tempdir().unwrap();
    let path = recording(&tmp.path().join("run"), 100_000);
    let (want, err, _) = sequential::<PunctureRow>(&path);
    assert_eq!((want.len(), err), (100_000, None));
    for opts in [options(4, 1 << 20), options(3, 64 << 10), options(2, 4096)] {
        let (got, err, _) = batched::<PunctureRow>(&path, opts);
        assert_eq!(err, None, "{opts:?}");
        assert!(got == want, "{opts:?}: {} rows", got.len());
    }
    let telemetry = path.with_file_name(TelemetryRow::FILE);
    let (want, _, _) = sequential::<TelemetryRow>(&telemetry);
    let (got, err, _) = batched::<TelemetryRow>(&telemetry, options(4, 8192));
    assert_eq!(err, None);
    assert!(got == want);
}

#[test]
fn a_malformed_row_in_the_middle_gives_the_same_error_after_the_same_rows() {
    let tmp = tempfile::tempdir().unwrap();
    let path = recording(&tmp.path().join("run"), 100_000);
    // line 61 235 = row 61 234; depth_um is the 6th column
    let line = std::fs::read_to_string(&path)
        .unwrap()
        .lines()
        .nth(61_234)
        .unwrap()
        .to_owned();
    let mut fields: Vec<&str> = line.split(',').collect();
    fields[5] = "12x";
    replace_line(&path, 61_235, &fields.join(","));
    let (want, err, pos) = sequential::<PunctureRow>(&path);
    assert_eq!(want.len(), 61_233);
    assert_eq!(pos, Some((61_234, 61_235)));
    assert!(
        err.as_deref().unwrap_or("").contains("column depth_um"),
        "{err:?}"
    );
    for opts in [options(4, 1 << 20), options(4, 50_000), options(2, 777)] {
        let got = batched::<PunctureRow>(&path, opts);
        assert_eq!((got.1.as_ref(), got.2), (err.as_ref(), pos), "{opts:?}");
        assert!(got.0 == want, "{opts:?}: {} rows", got.0.len());
    }
}

#[test]
fn blank_lines_crlf_and_a_short_row_keep_their_row_and_line_numbers() {
    let tmp = tempfile::tempdir().unwrap();
    let path = recording(&tmp.path().join("run"), 20_000);
    edit(&path, |text| {
        let mut out = String::new();
        for (i, l) in text.split_inclusive('\n').enumerate() {
            if i % 97 == 5 {
                out.push('\n');
            }
            if i % 13 == 2 {
                out.push_str(&l.replace('\n', "\r\n"));
            } else if i == 15_000 {
                out.push_str("1,2,3\n");
            } else {
                out.push_str(l);
            }
        }
        out
    });
    let want = sequential::<PunctureRow>(&path);
    assert!(
        want.1
            .as_deref()
            .unwrap_or("")
            .contains("expected 10 fields"),
        "{:?}",
        want.1
    );
    assert_eq!(want.2.map(|p| p.0), Some(15_000));
    for opts in [options(4, 1000), options(3, 333)] {
        let got = batched::<PunctureRow>(&path, opts);
        assert!(got == want, "{opts:?}: {:?} vs {:?}", got.2, want.2);
    }
}

#[test]
fn a_quoted_row_hands_the_rest_to_the_sequential_reader() {
    let tmp = tempfile::tempdir().unwrap();
    let path = recording(&tmp.path().join("run"), 10_000);
    // quote every field of one row, and the layer of a later one (still valid CSV)
    let line = std::fs::read_to_string(&path)
        .unwrap()
        .lines()
        .nth(4000)
        .unwrap()
        .to_owned();
    let quoted: Vec<String> = line.split(',').map(|f| format!("\"{f}\"")).collect();
    replace_line(&path, 4001, &quoted.join(","));
    let want = sequential::<PunctureRow>(&path);
    assert_eq!((want.0.len(), want.1.as_ref()), (10_000, None));
    let got = batched::<PunctureRow>(&path, options(4, 2048));
    assert!(got == want, "{} rows, {:?}", got.0.len(), got.1);
    // a bad value after the quoted row: same error from the csv path
    replace_line(&path, 7001, "1,2,3,4,5,6,dermis,8,9,true");
    let want = sequential::<PunctureRow>(&path);
    assert_eq!(want.2, Some((7000, 7001)));
    let got = batched::<PunctureRow>(&path, options(4, 2048));
    assert!(got == want, "{:?} vs {:?}", got.1, want.1);
}

#[test]
fn a_file_cut_in_its_last_row_is_reported_by_the_last_chunk() {
    let tmp = tempfile::tempdir().unwrap();
    let path = recording(&tmp.path().join("run"), 5_000);
    edit(&path, |mut text| {
        text.truncate(text.len() - 7);
        text
    });
    let want = sequential::<PunctureRow>(&path);
    assert_eq!(want.2, Some((5_000, 5_001)));
    let got = batched::<PunctureRow>(&path, options(4, 4096));
    assert!(got == want, "{:?} vs {:?}", got.1, want.1);
}

#[test]
fn a_missing_file_or_header_fails_before_any_thread_starts() {
    let tmp = tempfile::tempdir().unwrap();
    let path = recording(&tmp.path().join("run"), 100);
    std::fs::remove_file(&path).unwrap();
    let e = Rows::<PunctureRow>::open(&path).err();
    assert!(matches!(e, Some(RecordingError::Io { .. })), "{e:?}");
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(48))]
    /// Any chunk size and thread count, any damaged row: the same rows and error.
    #[test]
    fn any_chunking_equals_the_sequential_read(
        rows in 1u64..400,
        chunk_bytes in 1u64..3000,
        threads in 2usize..6,
        bad in proptest::option::of((0usize..400, 0usize..10)),
    ) {
        let tmp = tempfile::tempdir().unwrap();
        let path = recording(&tmp.path().join("run"), rows);
        if let Some((row, column)) = bad {
            let row = row % rows as usize;
            let line = std::fs::read_to_string(&path).unwrap().lines().nth(row + 1).unwrap().to_owned();
            let mut fields: Vec<&str> = line.split(',').collect();
            fields[column] = "?";
            replace_line(&path, row + 2, &fields.join(","));
        }
        let want = sequential::<PunctureRow>(&path);
        let got = batched::<PunctureRow>(&path, options(threads, chunk_bytes));
        prop_assert!(got == want, "{:?} vs {:?}", got.1, want.1);
    }
}
