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
                // the layers above the floor, surface first (the floor has no thickness)
                for (l, t) in Layer::ALL.into_iter().zip(s.thickness_um) {
                    layers.insert(l.name().to_owned(), t.into());
                }
                serde_json::json!({
                    "site": s.name,
                    "thickness_um": layers,
                    "floor": s.floor.name(),
                    "floor_depth_um": s.thickness_um.iter().sum::<f64>(),
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
        "dermis, RD reticular dermis, HD hypodermis, MU muscle; the column ends on its floor, \
         bone or cartilage, which no needle passes); sources in the needlebench-physics docs"
    );
    println!();
    println!(
        "{:<12} {:>6} {:>6} {:>6} {:>7} {:>7} {:>6} {:>8} {:<9}  source",
        "site", "SC", "VE", "PD", "RD", "HD", "MU", "floor at", "floor"
    );
    for s in &BUILTIN_SITES {
        let t = s.thickness_um;
        println!(
            "{:<12} {:>6.1} {:>6.1} {:>6.0} {:>7.0} {:>7.0} {:>6.0} {:>8.0} {:<9}  {}",
            s.name,
            t[0],
            t[1],
            t[2],
            t[3],
            t[4],
            t[5],
            t.iter().sum::<f64>(),
            s.floor.name(),
            s.source
        );
    }
    Ok(exit::OK)
}
