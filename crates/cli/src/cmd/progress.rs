//! `regress`'s progress on stderr: a bar per worker when stderr is a terminal, one line per
//! finished scenario otherwise, nothing with `--quiet`.

use indicatif::{MultiProgress, ProgressBar, ProgressStyle};
use needlebench_report::ScenarioResult;
use std::io::IsTerminal;
use std::sync::Mutex;
use std::time::Duration;

/// Progress on stderr: bars when it is a terminal, one line per finished scenario otherwise.
pub struct Progress {
    enabled: bool,
    bars: Option<(MultiProgress, ProgressBar, Vec<ProgressBar>)>,
    finished: Mutex<usize>,
    total: usize,
}

impl Progress {
    pub fn new(enabled: bool, total: usize, workers: usize) -> Self {
        let bars = (enabled && std::io::stderr().is_terminal()).then(|| {
            let multi = MultiProgress::new();
            let overall = multi.add(ProgressBar::new(total as u64));
            let style =
                ProgressStyle::with_template("{bar:30} {pos}/{len} scenarios · {elapsed} · {msg}")
                    .unwrap_or_else(|_| ProgressStyle::default_bar());
            overall.set_style(style);
            let spinner = ProgressStyle::with_template("  {spinner} {msg} ({elapsed})")
                .unwrap_or_else(|_| ProgressStyle::default_spinner());
            let workers = (0..workers)
                .map(|_| {
                    let b = multi.add(ProgressBar::new_spinner());
                    b.set_style(spinner.clone());
                    b
                })
                .collect();
            (multi, overall, workers)
        });
        Progress {
            enabled,
            bars,
            finished: Mutex::new(0),
            total,
        }
    }

    pub fn start(&self, worker: usize, name: &str) {
        if let Some((_, _, workers)) = &self.bars
            && let Some(b) = workers.get(worker)
        {
            b.reset_elapsed();
            b.set_message(name.to_owned());
            b.enable_steady_tick(Duration::from_millis(120));
        }
    }

    pub fn finish(&self, worker: usize, r: &ScenarioResult) {
        let n = self.finished.lock().map(|mut n| {
            *n += 1;
            *n
        });
        let line = format!(
            "[{}/{}] {} {} ({:.1} s)",
            n.unwrap_or(0),
            self.total,
            r.status().name(),
            r.name,
            r.wall_s
        );
        match &self.bars {
            Some((multi, overall, workers)) => {
                let _ = multi.println(line);
                overall.inc(1);
                if let Some(b) = workers.get(worker) {
                    b.disable_steady_tick();
                    b.set_message("idle");
                }
            }
            None if self.enabled => eprintln!("{line}"),
            None => {}
        }
    }

    /// Remove every bar, so that nothing is drawn after the summary table.
    pub fn clear(&self) {
        if let Some((multi, overall, workers)) = &self.bars {
            for b in workers {
                b.finish_and_clear();
            }
            overall.finish_and_clear();
            let _ = multi.clear();
        }
    }
}
