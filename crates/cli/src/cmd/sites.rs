//! `needlebench sites`: the built-in anatomical sites and their layer thicknesses.

use crate::exit::{self, Failure, WithCode};
use clap::Args;
use needlebench_physics::{BUILTIN_SITES, Layer};

/// List built-in sites with their layer thicknesses (µm).
#[derive(Args, Debug)]
pub struct SitesArgs {
    /// Print JSON instead of a table.
    #[arg(long)]
    json: bool,
}

/// Run the subcommand.
pub fn run(args: SitesArgs) -> Result<u8, Failure> {
    if args.json {
        let sites: Vec<_> = BUILTIN_SITES
            .iter()
            .map(|s| {
                let mut layers = serde_json::Map::new();
                for l in Layer::ALL {
                    layers.insert(l.name().to_owned(), s.thickness_um[l.index()].into());
                }
                serde_json::json!({
                    "site": s.name,
                    "thickness_um": layers,
                    "total_um": s.thickness_um.iter().sum::<f64>(),
                    "source": s.source,
                })
            })
            .collect();
        println!(
            "{}",
            serde_json::to_string_pretty(&sites).code(exit::INTERNAL)?
        );
        return Ok(exit::OK);
    }
    println!("layer thicknesses in µm (SC stratum corneum, VE viable epidermis, PD papillary");
    println!(
        "dermis, RD reticular dermis, HD hypodermis); sources in the needlebench-physics docs"
    );
    println!();
    println!(
        "{:<12} {:>6} {:>6} {:>6} {:>7} {:>7} {:>8}  source",
        "site", "SC", "VE", "PD", "RD", "HD", "total"
    );
    for s in &BUILTIN_SITES {
        let t = s.thickness_um;
        println!(
            "{:<12} {:>6.1} {:>6.1} {:>6.0} {:>7.0} {:>7.0} {:>8.0}  {}",
            s.name,
            t[0],
            t[1],
            t[2],
            t[3],
            t[4],
            t.iter().sum::<f64>(),
            s.source
        );
    }
    Ok(exit::OK)
}
