//! `needlebench zones`: a face map's zones — the built-in default, another built-in map, or
//! a face map file, which is validated (exit 3 with file:line:column on an error).

use crate::exit::{self, Coded, Failure, WithCode};
use clap::Args;
use needlebench_face::FaceMap;
use std::path::Path;

/// List a face map's zones (id, label, site, chart depth, density band, area).
#[derive(Args, Debug)]
pub struct ZonesArgs {
    /// A built-in face map's name or a face map file (TOML, crates/face/FACEMAP.md).
    #[arg(default_value = FaceMap::DEFAULT, value_name = "MAP")]
    map: String,
    /// Print JSON instead of a table.
    #[arg(long)]
    json: bool,
}

/// Run the subcommand.
pub fn run(args: ZonesArgs) -> Result<u8, Failure> {
    let map = match FaceMap::builtin(&args.map) {
        Some(map) => map,
        None => FaceMap::load(Path::new(&args.map)).coded()?,
    };
    if args.json {
        let zones: Vec<_> = map
            .zones
            .iter()
            .map(|z| {
                serde_json::json!({
                    "id": z.id,
                    "label": z.label,
                    "site": z.site_name,
                    "depth_mm": z.depth_mm,
                    "density_per_cm2": z.density_per_cm2,
                    "area_cm2": z.area_mm2() / 100.0,
                    "centroid_mm": z.centroid_mm(),
                    "outline_mm": z.outline_mm,
                })
            })
            .collect();
        let doc = serde_json::json!({
            "name": map.name,
            "description": map.description,
            "sources": map.sources,
            "outline_mm": map.outline_mm,
            "zones": zones,
        });
        println!(
            "{}",
            serde_json::to_string_pretty(&doc).code(exit::INTERNAL)?
        );
        return Ok(exit::OK);
    }
    let n = map.zones.len();
    let plural = if n == 1 { "" } else { "s" };
    println!("face map {}: {n} zone{plural}", map.name);
    if !map.description.is_empty() {
        println!("{}", map.description);
    }
    println!(
        "coordinates in mm: x toward the patient's left, y up; depth = recommended exposure (a depth chart)"
    );
    println!();
    println!(
        "{:<18} {:<18} {:<12} {:>11} {:>16} {:>9}",
        "zone", "label", "site", "depth mm", "density /cm²", "area cm²"
    );
    for z in &map.zones {
        println!(
            "{:<18} {:<18} {:<12} {:>11} {:>16} {:>9.1}",
            z.id,
            z.label,
            z.site_name,
            format!("{:.2}–{:.2}", z.depth_mm[0], z.depth_mm[1]),
            format!("{:.0}–{:.0}", z.density_per_cm2[0], z.density_per_cm2[1]),
            z.area_mm2() / 100.0
        );
    }
    if !map.sources.is_empty() {
        println!();
        println!("sources:");
        for s in &map.sources {
            println!("  {s}");
        }
    }
    Ok(exit::OK)
}
