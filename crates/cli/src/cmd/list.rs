//! `needlebench list`: the scenarios a suite holds, matrix variants one by one, in the order
//! `regress` runs them (and `--shard` counts them): name, seed, recording directory and the
//! values the matrix set. Every scenario is also validated, so `list` finds a bad value in
//! any variant without running anything.

use super::suite::{Unit, dir_name, units};
use crate::exit::{self, Failure, WithCode};
use clap::Args;
use needlebench_scenario::{ExpandOptions, name_value};
use std::path::PathBuf;

/// Exit codes of `list`, shown by `needlebench list --help`.
const EXIT_HELP: &str = "\
Exit codes:
  0   every scenario is valid
  2   usage error
  3   a file or a variant is invalid (a matrix that does not expand, more than 10000
      variants without --allow-large, a bad value in some variant); the others are listed";

/// List the scenarios (matrix variants one by one) of scenario files or directories.
#[derive(Args, Debug)]
#[command(after_help = EXIT_HELP)]
pub struct ListArgs {
    /// Scenario files or directories (every *.toml below) [default: scenarios/].
    paths: Vec<PathBuf>,
    /// Print JSON: a list of { file, unit, name, dir, seed, values: [{ key, value, in_name }],
    /// error }.
    #[arg(long)]
    json: bool,
    /// Allow a [matrix] of more than 10000 variants (up to 10000000).
    #[arg(long)]
    allow_large: bool,
}

/// What `list` says about one unit.
struct Line {
    file: String,
    name: String,
    dir: String,
    seed: Option<u64>,
    /// Dotted key, the value as JSON, as written in names, whether in the name.
    values: Vec<(String, serde_json::Value, String, bool)>,
    error: Option<String>,
}

fn line(unit: &Unit) -> Line {
    let file = unit.path.display().to_string();
    let values = unit
        .variant()
        .map(|v| {
            v.values
                .iter()
                .map(|m| {
                    let json = serde_json::to_value(&m.value).unwrap_or_default();
                    (m.key.clone(), json, name_value(&m.value), m.in_name)
                })
                .collect()
        })
        .unwrap_or_default();
    match unit.scenario() {
        Ok(s) => Line {
            file,
            dir: dir_name(&s),
            name: s.name,
            seed: Some(s.seed),
            values,
            error: None,
        },
        Err(f) => Line {
            file,
            name: unit.name_hint(),
            dir: unit.variant().map(|v| v.dir_name()).unwrap_or_default(),
            seed: unit.variant().map(|v| v.seed),
            values,
            error: Some(format!("{:#}", f.error)),
        },
    }
}

/// Run the subcommand.
pub fn run(args: ListArgs) -> Result<u8, Failure> {
    let options = ExpandOptions {
        allow_large: args.allow_large,
    };
    let lines: Vec<Line> = units(&args.paths, options)?.iter().map(line).collect();
    if args.json {
        let doc: Vec<serde_json::Value> = lines
            .iter()
            .enumerate()
            .map(|(unit, l)| {
                let values: Vec<serde_json::Value> = l
                    .values
                    .iter()
                    .map(|(key, value, _, in_name)| {
                        serde_json::json!({ "key": key, "value": value, "in_name": in_name })
                    })
                    .collect();
                serde_json::json!({
                    "file": l.file,
                    "unit": unit,
                    "name": l.name,
                    "dir": l.dir,
                    "seed": l.seed,
                    "values": values,
                    "error": l.error,
                })
            })
            .collect();
        println!(
            "{}",
            serde_json::to_string_pretty(&doc).code(exit::INTERNAL)?
        );
    } else {
        for l in &lines {
            let values: Vec<String> = l
                .values
                .iter()
                .map(|(key, _, shown, _)| format!("{key}={shown}"))
                .collect();
            let seed = l.seed.map_or_else(|| "-".to_owned(), |s| s.to_string());
            println!("{}  seed {seed}  {}", l.name, values.join(" "));
        }
    }
    let mut code = exit::OK;
    for l in &lines {
        if let Some(e) = &l.error {
            eprintln!("error: {} ({}): {e}", l.name, l.file);
            code = exit::BAD_INPUT;
        }
    }
    Ok(code)
}
