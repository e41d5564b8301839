//! Putting a new recording in place without losing anything: what is at the target already,
//! a temporary name beside it, and the final rename.

use crate::error::RecordingError;
use crate::meta::META_FILE;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};

/// What is at a recording's target path before it is written.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Existing {
    /// Nothing.
    Nothing,
    /// An empty directory.
    EmptyDir,
    /// A recording (a directory with `meta.toml`).
    Recording,
    /// A directory with other files in it.
    OtherDir,
    /// A file, link or other non-directory.
    NotADir,
}

pub(crate) fn inspect(dir: &Path) -> Result<Existing, RecordingError> {
    let meta = match std::fs::symlink_metadata(dir) {
        Ok(m) => m,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(Existing::Nothing),
        Err(e) => return Err(RecordingError::io(dir, "inspect", e)),
    };
    if !meta.is_dir() {
        return Ok(Existing::NotADir);
    }
    if dir.join(META_FILE).is_file() {
        return Ok(Existing::Recording);
    }
    let mut entries = std::fs::read_dir(dir).map_err(|e| RecordingError::io(dir, "read", e))?;
    Ok(if entries.next().is_none() {
        Existing::EmptyDir
    } else {
        Existing::OtherDir
    })
}

impl Existing {
    /// Whether a new recording may go to `dir` over this.
    pub(crate) fn check(self, dir: &Path, replace: bool) -> Result<(), RecordingError> {
        let what = match self {
            Existing::Nothing | Existing::EmptyDir => return Ok(()),
            Existing::Recording if replace => return Ok(()),
            Existing::Recording => "a recording is already there (use --force to replace it)",
            Existing::OtherDir => {
                "a directory with other files is there (choose an empty or new directory; \
                 --force only replaces recordings)"
            }
            Existing::NotADir => "something that is not a directory is there",
        };
        Err(RecordingError::Exists {
            path: dir.to_owned(),
            what,
        })
    }
}

/// A fresh, unused directory beside `dir`: `.NAME.KIND-PID-N`, created.
pub(crate) fn temporary_sibling(dir: &Path, kind: &str) -> Result<PathBuf, RecordingError> {
    static COUNTER: AtomicU64 = AtomicU64::new(0);
    let parent = match dir.parent() {
        Some(p) if !p.as_os_str().is_empty() => p.to_owned(),
        _ => PathBuf::from("."),
    };
    std::fs::create_dir_all(&parent)
        .map_err(|e| RecordingError::io(&parent, "create directory", e))?;
    let name = dir
        .file_name()
        .map_or_else(|| "recording".into(), |n| n.to_string_lossy().into_owned());
    loop {
        let n = COUNTER.fetch_add(1, Ordering::Relaxed);
        let tmp = parent.join(format!(".{name}.{kind}-{}-{n}", std::process::id()));
        match std::fs::create_dir(&tmp) {
            Ok(()) => return Ok(tmp),
            Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => continue,
            Err(e) => return Err(RecordingError::io(&tmp, "create directory", e)),
        }
    }
}

/// Rename the finished-enough recording `tmp` to `dir`. An existing recording at `dir` is
/// moved aside first and deleted only once the new one is in place.
pub(crate) fn move_into_place(
    tmp: &Path,
    dir: &Path,
    existing: Existing,
) -> Result<(), RecordingError> {
    let rename = |from: &Path, to: &Path| {
        std::fs::rename(from, to).map_err(|e| RecordingError::io(to, "rename into place", e))
    };
    match existing {
        Existing::Recording => {
            let old = temporary_sibling(dir, "replaced")?;
            // `old` exists and is empty: rename(2) replaces an empty directory.
            rename(dir, &old)?;
            if let Err(e) = rename(tmp, dir) {
                let _ = std::fs::rename(&old, dir);
                return Err(e);
            }
            std::fs::remove_dir_all(&old).map_err(|e| RecordingError::io(&old, "remove", e))
        }
        Existing::EmptyDir | Existing::Nothing => rename(tmp, dir),
        Existing::OtherDir | Existing::NotADir => Err(RecordingError::Exists {
            path: dir.to_owned(),
            what: "something appeared there while the recording was being created",
        }),
    }
}
