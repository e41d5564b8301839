//! Merging the JSON reports of shards (`regress --shard I/N --json`, run on different
//! machines) into the results of one run, from which [`crate::json`], [`crate::junit`] and
//! [`crate::html()`] write the reports a single run would have written (same scenarios, same
//! order, same totals).
//!
//! Refused, naming the files: a file that is not a report, or one written before reports
//! carried every scenario's results; shards from different needlebench versions; a scenario
//! or variant (by name) in two shards; shards of different counts (`--shard I/N` with
//! different `N`), a shard given twice, or one missing. Reports without `--shard` may be
//! merged with each other (only the overlap check applies).
//!
//! The merged run: the common version; hosts in shard order, without repeats, joined with
//! `, `; the earliest start; the longest duration (shards run side by side); the sum of
//! `jobs`; no shard; `suite_size` of the shards (or the number of scenarios when unsharded).
//! Scenarios are ordered by their position in the suite (`unit`), then by file order.

use crate::json::result_from_json;
use crate::{RunInfo, ScenarioResult};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use thiserror::Error;

/// The JSON report of one shard, read.
#[derive(Debug, Clone)]
pub struct Shard {
    /// The file it was read from.
    pub file: PathBuf,
    /// Its run.
    pub info: RunInfo,
    /// Its scenarios, in file order.
    pub results: Vec<ScenarioResult>,
}

/// Why shards could not be merged.
#[derive(Debug, Error)]
pub enum MergeError {
    /// A file is not a needlebench JSON report.
    #[error("{}: not a needlebench JSON report: {message}", file.display())]
    NotAReport {
        /// The file.
        file: PathBuf,
        /// What is wrong.
        message: String,
    },
    /// A scenario entry lacks what a merge needs (a report from an older needlebench).
    #[error(
        "{}: scenario {index} (`{name}`) cannot be merged: {message} (written by an older \
         needlebench? run the shard again)",
        file.display()
    )]
    Incomplete {
        /// The file.
        file: PathBuf,
        /// Position of the scenario in the file, 1-based.
        index: usize,
        /// Its name, as far as known.
        name: String,
        /// What is missing.
        message: String,
    },
    /// Two shards from different needlebench versions.
    #[error(
        "{} was written by needlebench {first_version}, {} by {second_version}: merge only \
         shards of one version",
        first.display(),
        second.display()
    )]
    Version {
        /// The first file.
        first: PathBuf,
        /// Its version.
        first_version: String,
        /// The file that differs.
        second: PathBuf,
        /// Its version.
        second_version: String,
    },
    /// A scenario or variant in two shards.
    #[error(
        "`{name}` is in both {} and {}: shards must not overlap",
        first.display(),
        second.display()
    )]
    Overlap {
        /// The scenario or variant name.
        name: String,
        /// The first file holding it.
        first: PathBuf,
        /// The second.
        second: PathBuf,
    },
    /// The shards do not form one whole suite.
    #[error("{message}")]
    Shards {
        /// Which shard is missing, given twice, or of another count.
        message: String,
    },
    /// Nothing to merge.
    #[error("no shard reports given")]
    Empty,
}

/// Reads a shard's JSON report from `text` (`file` names it in errors).
pub fn read_shard(file: &Path, text: &str) -> Result<Shard, MergeError> {
    let not = |message: String| MergeError::NotAReport {
        file: file.to_owned(),
        message,
    };
    let doc: serde_json::Value = serde_json::from_str(text).map_err(|e| not(e.to_string()))?;
    let run = doc.get("run").ok_or_else(|| not("no `run`".to_owned()))?;
    let info: RunInfo =
        serde_json::from_value(run.clone()).map_err(|e| not(format!("`run`: {e}")))?;
    let scenarios = doc
        .get("scenarios")
        .and_then(|s| s.as_array())
        .ok_or_else(|| not("no `scenarios` list".to_owned()))?;
    let mut results = Vec::with_capacity(scenarios.len());
    for (i, s) in scenarios.iter().enumerate() {
        let r = result_from_json(s).map_err(|message| MergeError::Incomplete {
            file: file.to_owned(),
            index: i + 1,
            name: s
                .get("name")
                .and_then(|n| n.as_str())
                .unwrap_or("?")
                .to_owned(),
            message,
        })?;
        results.push(r);
    }
    Ok(Shard {
        file: file.to_owned(),
        info,
        results,
    })
}

/// Merges `shards` into one run described by `command_line` (module docs); the run's
/// `html_dir` is left empty for the caller.
pub fn merge(
    shards: Vec<Shard>,
    command_line: String,
) -> Result<(RunInfo, Vec<ScenarioResult>), MergeError> {
    let first = shards.first().ok_or(MergeError::Empty)?;
    for s in &shards[1..] {
        if s.info.needlebench_version != first.info.needlebench_version {
            return Err(MergeError::Version {
                first: first.file.clone(),
                first_version: first.info.needlebench_version.clone(),
                second: s.file.clone(),
                second_version: s.info.needlebench_version.clone(),
            });
        }
    }
    check_shards(&shards)?;
    let mut seen: BTreeMap<&str, &Path> = BTreeMap::new();
    for s in &shards {
        for r in &s.results {
            if let Some(prev) = seen.insert(&r.name, &s.file) {
                return Err(MergeError::Overlap {
                    name: r.name.clone(),
                    first: prev.to_owned(),
                    second: s.file.clone(),
                });
            }
        }
    }
    let mut hosts: Vec<&str> = Vec::new();
    for s in &shards {
        if !hosts.contains(&s.info.host.as_str()) {
            hosts.push(&s.info.host);
        }
    }
    let started_utc = shards
        .iter()
        .map(|s| s.info.started_utc.clone())
        .min()
        .unwrap_or_default();
    let sharded = shards.iter().any(|s| s.info.shard.is_some());
    let count: usize = shards.iter().map(|s| s.results.len()).sum();
    let info = RunInfo {
        needlebench_version: first.info.needlebench_version.clone(),
        command_line,
        host: hosts.join(", "),
        started_utc,
        duration_s: shards.iter().map(|s| s.info.duration_s).fold(0.0, f64::max),
        jobs: shards.iter().map(|s| s.info.jobs).sum(),
        html_dir: String::new(),
        shard: None,
        suite_size: if sharded {
            first.info.suite_size
        } else {
            count
        },
    };
    let mut results: Vec<(usize, usize, ScenarioResult)> = Vec::with_capacity(count);
    for (f, s) in shards.into_iter().enumerate() {
        results.extend(s.results.into_iter().map(|r| (r.unit, f, r)));
    }
    results.sort_by_key(|(unit, f, _)| (*unit, *f));
    Ok((info, results.into_iter().map(|(_, _, r)| r).collect()))
}

/// Sharded reports must be shards 1..N of one N, each once.
fn check_shards(shards: &[Shard]) -> Result<(), MergeError> {
    let Some(with) = shards.iter().find(|s| s.info.shard.is_some()) else {
        return Ok(());
    };
    let count = with.info.shard.map_or(0, |s| s.count);
    let mut by_index: BTreeMap<usize, &Path> = BTreeMap::new();
    for s in shards {
        let Some(shard) = s.info.shard else {
            return Err(MergeError::Shards {
                message: format!(
                    "{} is a whole run (no --shard), {} is shard {}/{count}: merge shards of \
                     one suite",
                    s.file.display(),
                    with.file.display(),
                    with.info.shard.map_or(0, |s| s.index)
                ),
            });
        };
        if shard.count != count {
            return Err(MergeError::Shards {
                message: format!(
                    "{} is shard {}/{}, {} is of {count} shards: merge shards of one --shard I/N",
                    s.file.display(),
                    shard.index,
                    shard.count,
                    with.file.display()
                ),
            });
        }
        if s.info.suite_size != with.info.suite_size {
            return Err(MergeError::Shards {
                message: format!(
                    "{} is a shard of a suite of {} scenarios, {} of one of {}: merge shards \
                     of one suite",
                    s.file.display(),
                    s.info.suite_size,
                    with.file.display(),
                    with.info.suite_size
                ),
            });
        }
        if let Some(prev) = by_index.insert(shard.index, &s.file) {
            return Err(MergeError::Shards {
                message: format!(
                    "shard {}/{count} given twice: {} and {}",
                    shard.index,
                    prev.display(),
                    s.file.display()
                ),
            });
        }
    }
    let missing: Vec<String> = (1..=count)
        .filter(|i| !by_index.contains_key(i))
        .map(|i| format!("{i}/{count}"))
        .collect();
    if !missing.is_empty() {
        return Err(MergeError::Shards {
            message: format!(
                "shard {} missing: the merged report would not cover the suite",
                missing.join(", ")
            ),
        });
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{fixture, json, totals};

    fn shard(file: &str, index: usize, count: usize, results: &[ScenarioResult]) -> Shard {
        let mut info = fixture::run_info();
        info.shard = Some(crate::ShardInfo { index, count });
        info.host = format!("host-{index}");
        let text = json(results, &info).to_string();
        read_shard(Path::new(file), &text).expect("a report")
    }

    #[test]
    fn shards_merge_into_the_single_runs_results_and_totals() {
        let all = fixture::suite();
        let odd: Vec<_> = all.iter().step_by(2).cloned().collect();
        let even: Vec<_> = all.iter().skip(1).step_by(2).cloned().collect();
        let (info, merged) = merge(
            vec![shard("b.json", 2, 2, &even), shard("a.json", 1, 2, &odd)],
            "needlebench report merge".to_owned(),
        )
        .expect("merged");
        // Compared as JSON: NaN (a gap in a plot) is not equal to itself.
        let names = |r: &[ScenarioResult]| r.iter().map(|r| r.name.clone()).collect::<Vec<_>>();
        assert_eq!(names(&merged), names(&all));
        assert_eq!(
            json(&merged, &info)["scenarios"],
            json(&all, &info)["scenarios"]
        );
        assert_eq!(totals(&merged), totals(&all));
        assert_eq!(info.host, "host-2, host-1");
        assert_eq!(info.jobs, 4);
        assert_eq!(info.shard, None);
    }

    #[test]
    fn overlapping_shards_are_refused_naming_the_variant_and_files() {
        let all = fixture::suite();
        let e = merge(
            vec![
                shard("a.json", 1, 2, &all[..2]),
                shard("b.json", 2, 2, &all[1..]),
            ],
            String::new(),
        )
        .expect_err("refused");
        let text = e.to_string();
        assert!(text.contains("is in both a.json and b.json"), "{text}");
        assert!(matches!(e, MergeError::Overlap { .. }));
    }

    #[test]
    fn shards_of_suites_of_different_sizes_are_refused() {
        let all = fixture::suite();
        let mut b = shard("b.json", 2, 2, &all[2..]);
        b.info.suite_size += 1;
        let e =
            merge(vec![shard("a.json", 1, 2, &all[..2]), b], String::new()).expect_err("refused");
        assert!(matches!(e, MergeError::Shards { .. }));
        let text = e.to_string();
        assert!(text.contains("b.json is a shard of a suite of"), "{text}");
    }

    #[test]
    fn other_versions_and_missing_or_repeated_shards_are_refused() {
        let all = fixture::suite();
        let mut b = shard("b.json", 2, 2, &all[2..]);
        b.info.needlebench_version = "9.9.9".to_owned();
        let e = merge(vec![shard("a.json", 1, 2, &all[..2]), b], String::new())
            .expect_err("refused")
            .to_string();
        assert!(
            e.contains("a.json was written by needlebench 0.4.0, b.json by 9.9.9"),
            "{e}"
        );
        let e = merge(vec![shard("a.json", 1, 3, &all[..2])], String::new())
            .expect_err("refused")
            .to_string();
        assert!(e.contains("shard 2/3, 3/3 missing"), "{e}");
        let e = merge(
            vec![
                shard("a.json", 1, 2, &all[..2]),
                shard("c.json", 1, 2, &all[2..]),
            ],
            String::new(),
        )
        .expect_err("refused")
        .to_string();
        assert!(
            e.contains("shard 1/2 given twice: a.json and c.json"),
            "{e}"
        );
    }

    #[test]
    fn a_file_that_is_not_a_report_is_named() {
        let e = read_shard(Path::new("x.json"), "{\"a\": 1}").expect_err("refused");
        assert_eq!(
            e.to_string(),
            "x.json: not a needlebench JSON report: no `run`"
        );
    }
}
