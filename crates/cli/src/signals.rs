//! Ctrl-C and SIGTERM during `run` and `regress`: the first asks every run to stop at its
//! next tick (its recording is flushed and marked incomplete, reason "interrupted"); a
//! second one exits at once with 130.
//!
//! Not installed for `emulate`, which handles its signals in its own event loop.

use std::sync::atomic::{AtomicBool, Ordering};

static STOP: AtomicBool = AtomicBool::new(false);

/// Install the handler (idempotent; a failure to install only loses graceful stopping).
pub fn install() {
    let _ = ctrlc::set_handler(|| {
        if STOP.swap(true, Ordering::SeqCst) {
            std::process::exit(130);
        }
        eprintln!("\ninterrupted: finishing the recording (Ctrl-C again to quit at once)");
    });
}

/// The flag runs poll.
pub fn stop_flag() -> &'static AtomicBool {
    &STOP
}
