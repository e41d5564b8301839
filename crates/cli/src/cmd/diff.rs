//! `needlebench diff`: compare two recordings column by column.

use crate::exit::{self, Coded, Failure};
use clap::Args;
use needlebench_checks::{ColumnTolerance, Tolerances, diff};
use std::path::PathBuf;

/// Compare two recordings row by row and column by column; report the first divergence.
#[derive(Args, Debug)]
pub struct DiffArgs {
    /// Recording directory A.
    a: PathBuf,
    /// Recording directory B.
    b: PathBuf,
    /// Absolute tolerance for float columns (integers and names are exact).
    #[arg(long, default_value_t = 1e-3, value_name = "X")]
    abs: f64,
    /// Relative tolerance for float columns.
    #[arg(long, default_value_t = 1e-6, value_name = "Y")]
    rel: f64,
}

/// Run the subcommand: 0 same, 1 differ, 2 bad tolerance, 3 unreadable recording.
pub fn run(args: DiffArgs) -> Result<u8, Failure> {
    for (name, v) in [("--abs", args.abs), ("--rel", args.rel)] {
        if !(v.is_finite() && v >= 0.0) {
            return Err(Failure::usage(format!(
                "{name} must be a finite number ≥ 0, got {v}"
            )));
        }
    }
    let tol = Tolerances {
        float: ColumnTolerance {
            abs: args.abs,
            rel: args.rel,
        },
        ..Tolerances::default()
    };
    let report = diff(&args.a, &args.b, tol).coded()?;
    print!("{}", report.render());
    Ok(if report.is_same() {
        exit::OK
    } else {
        exit::CHECK_FAILED
    })
}
