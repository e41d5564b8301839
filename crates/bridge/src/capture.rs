//! `--capture DIR`: the exact byte streams each way, for inspection or byte-for-byte replay.

use std::fs::File;
use std::io::{self, BufWriter, Write};
use std::path::{Path, PathBuf};

/// Writes `to_pen.bin` and `from_pen.bin` in a directory. Buffered; flushed by
/// [`Capture::flush`] and on drop, so a run that fails still leaves its bytes on disk.
#[derive(Debug)]
pub struct Capture {
    dir: PathBuf,
    to_pen: BufWriter<File>,
    from_pen: BufWriter<File>,
}

impl Capture {
    /// Create `dir` (if needed) and both files (truncated).
    pub fn create(dir: &Path) -> io::Result<Self> {
        std::fs::create_dir_all(dir)?;
        Ok(Capture {
            dir: dir.to_owned(),
            to_pen: BufWriter::new(File::create(dir.join("to_pen.bin"))?),
            from_pen: BufWriter::new(File::create(dir.join("from_pen.bin"))?),
        })
    }

    /// The directory written to.
    pub fn dir(&self) -> &Path {
        &self.dir
    }

    /// Bytes the bench sent.
    pub fn to_pen(&mut self, bytes: &[u8]) -> io::Result<()> {
        self.to_pen.write_all(bytes)
    }

    /// Bytes the bench received.
    pub fn from_pen(&mut self, bytes: &[u8]) -> io::Result<()> {
        self.from_pen.write_all(bytes)
    }

    /// Push everything to disk.
    pub fn flush(&mut self) -> io::Result<()> {
        self.to_pen.flush()?;
        self.from_pen.flush()
    }
}

impl Drop for Capture {
    fn drop(&mut self) {
        let _ = self.flush();
    }
}
