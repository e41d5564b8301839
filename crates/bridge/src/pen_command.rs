//! Any pen as a command: `--pen-cmd 'COMMAND'` starts `sh -c COMMAND` in its own process
//! group, finds the pty path it prints, and talks to it over the serial transport.
//!
//! The command may be the C reference pen, a QEMU machine with its UART on a pty, or
//! `needlebench emulate --pty` — anything that serves the wire protocol (`WIRE.md`) on a
//! pseudo-terminal and says where. Accepted announcements, one per line on stdout **or**
//! stderr, compared exactly (no regular expressions; a trailing `\r` is dropped):
//!
//! | line | example | printed by |
//! |---|---|---|
//! | an absolute path alone: starts with `/`, no blank in it | `/dev/pts/7` | `needlebench emulate --pty`, the C host pen |
//! | `char device redirected to PATH (label NAME)` | `char device redirected to /dev/pts/7 (label serial0)` | `qemu-system-arm -serial pty` |
//!
//! The first such line wins; every byte the command writes (before and after it, on both
//! streams) is kept in [`PenOutput`] for the recording (`pen-stdout.log`, `pen-stderr.log`).
//! When the transport is dropped the whole group gets `SIGTERM`, then, after
//! [`TERM_GRACE`], `SIGKILL`; the child is always reaped.

use crate::error::LinkError;
use crate::transport::{SerialTransport, Transport};
use std::io::{self, BufRead, BufReader, Read};
use std::os::unix::process::CommandExt;
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::sync::mpsc::{self, RecvTimeoutError};
use std::sync::{Arc, Mutex, PoisonError};
use std::time::{Duration, Instant};

/// How long the command gets to print its pty path by default.
pub const DEFAULT_PTY_TIMEOUT: Duration = Duration::from_secs(10);

/// How long the command's group gets between `SIGTERM` and `SIGKILL`.
pub const TERM_GRACE: Duration = Duration::from_secs(2);

/// Most bytes kept per stream; what comes after is counted, not kept.
const MAX_KEPT_BYTES: usize = 16 << 20;

/// The pty path announced by one line of a pen command's output, if it announces one.
///
/// ```
/// use needlebench_bridge::parse_pty_line;
/// assert_eq!(parse_pty_line("/dev/pts/7\n"), Some("/dev/pts/7"));
/// assert_eq!(
///     parse_pty_line("char device redirected to /dev/pts/3 (label serial0)"),
///     Some("/dev/pts/3")
/// );
/// assert_eq!(parse_pty_line("booting…"), None);
/// ```
pub fn parse_pty_line(line: &str) -> Option<&str> {
    let line = line.strip_suffix('\n').unwrap_or(line);
    let line = line.strip_suffix('\r').unwrap_or(line);
    let is_path = |p: &str| p.len() > 1 && p.starts_with('/') && !p.contains(char::is_whitespace);
    if is_path(line) {
        return Some(line);
    }
    let rest = line.strip_prefix("char device redirected to ")?;
    let (path, label) = rest.split_once(' ')?;
    (is_path(path) && label.starts_with("(label ") && label.ends_with(')')).then_some(path)
}

/// Everything a pen command wrote, shared between its reader threads and the bench.
#[derive(Debug, Clone, Default)]
pub struct PenOutput(Arc<Mutex<Streams>>);

#[derive(Debug, Default)]
struct Streams {
    stdout: Vec<u8>,
    stderr: Vec<u8>,
    dropped_bytes: u64,
    /// Streams of the command still being read.
    open: u8,
}

/// Which of the command's streams.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Stream {
    Stdout,
    Stderr,
}

impl PenOutput {
    fn append(&self, stream: Stream, bytes: &[u8]) {
        let mut s = self.0.lock().unwrap_or_else(PoisonError::into_inner);
        let Streams {
            stdout,
            stderr,
            dropped_bytes,
            ..
        } = &mut *s;
        let buf = match stream {
            Stream::Stdout => stdout,
            Stream::Stderr => stderr,
        };
        let room = MAX_KEPT_BYTES.saturating_sub(buf.len()).min(bytes.len());
        buf.extend_from_slice(&bytes[..room]);
        *dropped_bytes += (bytes.len() - room) as u64;
    }

    fn opened(&self) {
        self.0.lock().unwrap_or_else(PoisonError::into_inner).open += 1;
    }

    fn closed(&self) {
        let mut s = self.0.lock().unwrap_or_else(PoisonError::into_inner);
        s.open = s.open.saturating_sub(1);
    }

    /// Waits up to `timeout` for the command's streams to reach their end (once the command
    /// has been ended), so its last words are kept too.
    pub fn wait_closed(&self, timeout: Duration) {
        let deadline = Instant::now() + timeout;
        while self.0.lock().unwrap_or_else(PoisonError::into_inner).open > 0
            && Instant::now() < deadline
        {
            std::thread::sleep(Duration::from_millis(5));
        }
    }

    /// What the command wrote to stdout so far.
    pub fn stdout(&self) -> Vec<u8> {
        self.0
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .stdout
            .clone()
    }

    /// What the command wrote to stderr so far.
    pub fn stderr(&self) -> Vec<u8> {
        self.0
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .stderr
            .clone()
    }

    /// Bytes past the 16 MiB kept per stream, counted and thrown away.
    pub fn dropped_bytes(&self) -> u64 {
        self.0
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .dropped_bytes
    }

    /// Write `pen-stdout.log` and `pen-stderr.log` into `dir` (the recording).
    pub fn write_into(&self, dir: &Path) -> io::Result<()> {
        std::fs::write(dir.join(PEN_STDOUT_LOG), self.stdout())?;
        std::fs::write(dir.join(PEN_STDERR_LOG), self.stderr())
    }

    /// The last `n` lines of stderr, for error messages.
    pub fn stderr_tail(&self, n: usize) -> String {
        let text = String::from_utf8_lossy(&self.stderr()).into_owned();
        let lines: Vec<&str> = text.lines().filter(|l| !l.trim().is_empty()).collect();
        lines[lines.len().saturating_sub(n)..].join(" | ")
    }
}

/// File name of the pen command's stdout in a recording.
pub const PEN_STDOUT_LOG: &str = "pen-stdout.log";
/// File name of the pen command's stderr in a recording.
pub const PEN_STDERR_LOG: &str = "pen-stderr.log";

/// What a reader thread saw.
enum Seen {
    Line(String),
    Closed,
}

/// A pen started as `sh -c COMMAND`, reached through the pty it announced.
#[derive(Debug)]
pub struct PenCommandTransport {
    serial: SerialTransport,
    child: Child,
    command: String,
    path: String,
}

impl PenCommandTransport {
    /// Start `command` under `sh -c` in its own process group, with `env` added to its
    /// environment, wait up to `pty_timeout` for it to announce its pty ([`parse_pty_line`])
    /// and open that pty. Everything the command writes goes to `output`. Errors name the
    /// command; the child is ended on every error.
    pub fn spawn(
        command: &str,
        env: &[(&str, String)],
        pty_timeout: Duration,
        output: PenOutput,
    ) -> Result<Self, LinkError> {
        let start_err = |detail: String| LinkError::PenCommand {
            command: command.to_owned(),
            detail,
        };
        // Its own process group: a Ctrl-C at the terminal reaches only the bench, which ends
        // the pen itself once the recording is finished; and the whole group (QEMU under a
        // shell, a pen under a script) is ended together.
        let mut child = Command::new("sh")
            .arg("-c")
            .arg(command)
            .envs(env.iter().map(|(k, v)| (*k, v.as_str())))
            .process_group(0)
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .map_err(|e| start_err(format!("could not start `sh`: {e}")))?;
        let (tx, rx) = mpsc::channel();
        let stdout = child
            .stdout
            .take()
            .map(|s| Box::new(s) as Box<dyn Read + Send>);
        let stderr = child
            .stderr
            .take()
            .map(|s| Box::new(s) as Box<dyn Read + Send>);
        for (stream, pipe) in [(Stream::Stdout, stdout), (Stream::Stderr, stderr)] {
            if let Some(pipe) = pipe {
                output.opened();
                spawn_reader(stream, pipe, output.clone(), tx.clone());
            }
        }
        drop(tx);
        let path = match wait_for_path(&rx, pty_timeout) {
            Ok(path) => path,
            Err(why) => {
                let status = end_group(&mut child);
                // its last words: the readers may still be copying what it wrote
                output.wait_closed(TERM_GRACE);
                let tail = output.stderr_tail(3);
                let mut detail = match why {
                    NoPath::Exited => format!("it exited ({status}) before printing a pty path"),
                    NoPath::Timeout => format!(
                        "it printed no pty path within {:.1} s (expected a line `/dev/pts/N` \
                         or `char device redirected to /dev/pts/N (label NAME)`)",
                        pty_timeout.as_secs_f64()
                    ),
                };
                if !tail.is_empty() {
                    detail.push_str(&format!("; its stderr ends: {tail}"));
                }
                return Err(start_err(detail));
            }
        };
        // Nobody listens for lines any more: the readers go on copying the streams into
        // `output` (so the child never blocks on a full pipe) without sending lines.
        drop(rx);
        match SerialTransport::open(&path, 115_200) {
            Ok(serial) => Ok(PenCommandTransport {
                serial,
                child,
                command: command.to_owned(),
                path,
            }),
            Err(e) => {
                end_group(&mut child);
                output.wait_closed(TERM_GRACE);
                Err(start_err(format!(
                    "it announced {path}, which cannot be opened: {e}"
                )))
            }
        }
    }

    /// The child's process id (its process group id too).
    pub fn child_id(&self) -> u32 {
        self.child.id()
    }
}

enum NoPath {
    Exited,
    Timeout,
}

fn wait_for_path(rx: &mpsc::Receiver<Seen>, timeout: Duration) -> Result<String, NoPath> {
    let deadline = Instant::now() + timeout;
    let mut open_streams = 2;
    loop {
        let left = deadline.saturating_duration_since(Instant::now());
        match rx.recv_timeout(left) {
            Ok(Seen::Line(line)) => {
                if let Some(path) = parse_pty_line(&line) {
                    return Ok(path.to_owned());
                }
            }
            Ok(Seen::Closed) => {
                open_streams -= 1;
                if open_streams == 0 {
                    return Err(NoPath::Exited);
                }
            }
            Err(RecvTimeoutError::Timeout) => return Err(NoPath::Timeout),
            Err(RecvTimeoutError::Disconnected) => return Err(NoPath::Exited),
        }
    }
}

/// Copies one of the child's streams into `output`, reporting its lines until nobody listens.
fn spawn_reader(
    stream: Stream,
    pipe: Box<dyn Read + Send>,
    output: PenOutput,
    tx: mpsc::Sender<Seen>,
) {
    std::thread::spawn(move || {
        let mut reader = BufReader::new(pipe);
        let mut line = Vec::with_capacity(256);
        let mut listening = true;
        loop {
            line.clear();
            match reader.read_until(b'\n', &mut line) {
                Ok(0) | Err(_) => break,
                Ok(_) => {
                    output.append(stream, &line);
                    if listening {
                        let text = String::from_utf8_lossy(&line).into_owned();
                        listening = tx.send(Seen::Line(text)).is_ok();
                    }
                }
            }
        }
        output.closed();
        let _ = tx.send(Seen::Closed);
    });
}

/// `SIGTERM` to the child's group, up to [`TERM_GRACE`] for the whole group to exit, then
/// `SIGKILL`; reaps the child and says how it ended.
///
/// The whole group, not just the child: with `sh -c 'pen …'` the shell dies of the `SIGTERM`
/// at once while the pen it started is still saying goodbye, and killing the group as soon
/// as the shell is gone would cut the pen's last words off.
fn end_group(child: &mut Child) -> String {
    if let Ok(Some(status)) = child.try_wait() {
        signal_group(child.id(), rustix::process::Signal::KILL);
        return status.to_string();
    }
    signal_group(child.id(), rustix::process::Signal::TERM);
    let deadline = Instant::now() + TERM_GRACE;
    let mut status = None;
    while Instant::now() < deadline {
        if status.is_none() {
            status = child.try_wait().ok().flatten();
        }
        // Reaped first: the group of a zombie leader still answers.
        if status.is_some() && !group_alive(child.id()) {
            break;
        }
        std::thread::sleep(Duration::from_millis(10));
    }
    // Whatever of the group is left after the grace.
    signal_group(child.id(), rustix::process::Signal::KILL);
    match status.map_or_else(|| child.wait(), Ok) {
        Ok(status) => status.to_string(),
        Err(e) => format!("status unknown: {e}"),
    }
}

/// Whether any process of the group `pid` is left.
fn group_alive(pid: u32) -> bool {
    i32::try_from(pid)
        .ok()
        .and_then(rustix::process::Pid::from_raw)
        .is_some_and(|pid| rustix::process::test_kill_process_group(pid).is_ok())
}

fn signal_group(pid: u32, signal: rustix::process::Signal) {
    if let Some(pid) = i32::try_from(pid)
        .ok()
        .and_then(rustix::process::Pid::from_raw)
    {
        // The group may be gone already (ESRCH): nothing to end.
        let _ = rustix::process::kill_process_group(pid, signal);
    }
}

impl Drop for PenCommandTransport {
    fn drop(&mut self) {
        end_group(&mut self.child);
    }
}

impl Transport for PenCommandTransport {
    fn send(&mut self, bytes: &[u8]) -> io::Result<()> {
        self.serial.send(bytes)
    }

    fn recv(&mut self, buf: &mut Vec<u8>, timeout: Duration) -> io::Result<usize> {
        self.serial.recv(buf, timeout)
    }

    fn describe(&self) -> String {
        format!(
            "the pen command `{}` (pid {}) on {}",
            self.command,
            self.child.id(),
            self.path
        )
    }
}
