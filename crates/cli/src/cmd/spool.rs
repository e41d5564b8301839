//! Where `regress` keeps finished results while the suite runs, so that its memory does not
//! grow with the number of scenarios: each result's full JSON object goes to an anonymous
//! temporary file as soon as it is known, and only its table row, status and exit code stay
//! in memory. The summary table's rows are kept the same way (a second spool), so the table
//! is written line by line at the end. The reports are written from the file at the end:
//! the JSON report streamed scenario by scenario, JUnit and HTML from the results read back
//! (those two pages are built whole in memory, so they grow with the suite as their files
//! do).

use crate::exit::{self, Failure, WithCode};
use needlebench_report::{ScenarioResult, result_from_json, scenario_json};
use std::fs::File;
use std::io::{Read, Seek, SeekFrom, Write};
use std::sync::Mutex;

/// The temporary file and the end of what is in it.
pub struct Spool {
    file: Mutex<(File, u64)>,
}

/// Where one result's JSON lies in the spool.
#[derive(Debug, Clone, Copy)]
pub struct Entry {
    offset: u64,
    len: usize,
}

impl Spool {
    /// A new, empty spool (an anonymous temporary file, gone when dropped).
    pub fn new() -> Result<Spool, Failure> {
        let file = tempfile::tempfile().code(exit::WRITE)?;
        Ok(Spool {
            file: Mutex::new((file, 0)),
        })
    }

    /// Stores `r`'s JSON object; returns where it lies.
    pub fn put(&self, r: &ScenarioResult) -> Result<Entry, Failure> {
        self.put_text(&scenario_json(r).to_string())
    }

    /// Stores `text`; returns where it lies.
    pub fn put_text(&self, text: &str) -> Result<Entry, Failure> {
        let mut guard = self.file.lock().map_err(|_| poisoned())?;
        let (file, end) = &mut *guard;
        file.seek(SeekFrom::Start(*end)).code(exit::WRITE)?;
        file.write_all(text.as_bytes()).code(exit::WRITE)?;
        let entry = Entry {
            offset: *end,
            len: text.len(),
        };
        *end += text.len() as u64;
        Ok(entry)
    }

    /// The JSON text stored at `e`.
    pub fn text(&self, e: Entry) -> Result<String, Failure> {
        let mut guard = self.file.lock().map_err(|_| poisoned())?;
        let (file, _) = &mut *guard;
        file.seek(SeekFrom::Start(e.offset)).code(exit::WRITE)?;
        let mut buf = vec![0; e.len];
        file.read_exact(&mut buf).code(exit::WRITE)?;
        String::from_utf8(buf).code(exit::INTERNAL)
    }

    /// The result stored at `e`, read back whole.
    pub fn result(&self, e: Entry) -> Result<ScenarioResult, Failure> {
        let value: serde_json::Value = serde_json::from_str(&self.text(e)?).code(exit::INTERNAL)?;
        result_from_json(&value).map_err(|message| Failure {
            code: exit::INTERNAL,
            error: anyhow::anyhow!("reading back a result: {message}"),
        })
    }
}

fn poisoned() -> Failure {
    Failure {
        code: exit::INTERNAL,
        error: anyhow::anyhow!("a worker thread panicked"),
    }
}
