//! The worker pool `regress` and `verify` share: how many workers, and a queue they drain.

use super::pen_args::PenArgs;
use std::num::NonZeroUsize;
use std::sync::Mutex;

/// Workers for `units` runs: one for a serial port (a real pen is one pen), else `--jobs`
/// (default: the machine's cores), never more than there are runs, never fewer than one.
pub fn worker_count(pen: &PenArgs, jobs: Option<NonZeroUsize>, units: usize) -> usize {
    if pen.port.is_some() {
        return 1;
    }
    let cores = std::thread::available_parallelism().map_or(1, NonZeroUsize::get);
    jobs.map_or(cores, NonZeroUsize::get).clamp(1, units.max(1))
}

/// Runs `work(worker, job)` for every job on `workers` scoped threads, jobs taken in order
/// from a shared queue (its lock is never held while a job runs). Returns when all are done.
pub fn for_each_parallel<T: Send>(
    workers: usize,
    jobs: impl IntoIterator<Item = T>,
    work: impl Fn(usize, T) + Sync,
) {
    let queue = Mutex::new(jobs.into_iter().collect::<std::collections::VecDeque<T>>());
    std::thread::scope(|scope| {
        for w in 0..workers {
            let (queue, work) = (&queue, &work);
            scope.spawn(move || {
                let next = || queue.lock().ok().and_then(|mut q| q.pop_front());
                while let Some(job) = next() {
                    work(w, job);
                }
            });
        }
    });
}
