//! Ctrl-C and SIGTERM during `run` and `regress`: every signal asks every run to stop at its
//! next tick; its recording is then flushed and finished as incomplete with reason
//! "interrupted". However many signals arrive, the process never exits from the handler, so
//! no row is ever cut mid-line and the reason is always "interrupted". A stop is prompt: the
//! run checks the flag every tick, and every wait on a pen is bounded by the link's timeouts.
//!
//! Not installed for `emulate`, which handles its signals in its own event loop.

use std::sync::atomic::{AtomicBool, AtomicU32, Ordering};

static STOP: AtomicBool = AtomicBool::new(false);
static SIGNALS: AtomicU32 = AtomicU32::new(0);

/// Install the handler (idempotent; a failure to install only loses graceful stopping).
pub fn install() {
    let _ = ctrlc::set_handler(|| {
        STOP.store(true, Ordering::SeqCst);
        if SIGNALS.fetch_add(1, Ordering::SeqCst) == 0 {
            eprintln!("\ninterrupted: finishing the recording");
        } else {
            eprintln!("interrupted again: still finishing the recording, nothing is lost");
        }
    });
}

/// The flag runs poll.
pub fn stop_flag() -> &'static AtomicBool {
    &STOP
}
