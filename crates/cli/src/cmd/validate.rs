//! `needlebench validate`: the penetration model against every published case of
//! `crates/physics/validation/cases.toml` (compiled in), as a table; `--json` and `--html`
//! write it for a design file.

use crate::exit::{self, Failure, WithCode};
use clap::Args;
use needlebench_physics::validate;
use needlebench_report::{ValidationTotals, validation_html, validation_table};
use std::path::PathBuf;

/// Run the physics model against every published case and print the validation table.
#[derive(Args, Debug)]
#[command(
    after_help = "Exit codes: 0 every case passes or is a listed known miss (with its \
reason); 1 a case the model should reproduce misses (a regression); 6 a report could not be \
written."
)]
pub struct ValidateArgs {
    /// Also write every case with its source, model value, tolerance and verdict as JSON.
    #[arg(long, value_name = "FILE")]
    json: Option<PathBuf>,
    /// Also write the table as one self-contained HTML page.
    #[arg(long, value_name = "FILE")]
    html: Option<PathBuf>,
}

/// Run the subcommand.
pub fn run(args: ValidateArgs) -> Result<u8, Failure> {
    let rows = validate();
    let totals = ValidationTotals::of(&rows);
    if let Some(path) = &args.json {
        let doc = serde_json::json!({
            "needlebench_version": env!("CARGO_PKG_VERSION"),
            "totals": totals,
            "cases": rows,
        });
        let text = serde_json::to_string_pretty(&doc).code(exit::INTERNAL)?;
        exit::write_output(path, &text)?;
        eprintln!("wrote {}", path.display());
    }
    if let Some(path) = &args.html {
        exit::write_output(path, &validation_html(&rows, env!("CARGO_PKG_VERSION")))?;
        eprintln!("wrote {}", path.display());
    }
    print!("{}", validation_table(&rows));
    Ok(if totals.unexpected_misses > 0 {
        exit::CHECK_FAILED
    } else {
        exit::OK
    })
}
