//! `needlebench ports`: serial ports on this machine.

use crate::exit::{self, Failure, WithCode};
use clap::Args;

/// List serial ports with what is known about them.
#[derive(Args, Debug)]
pub struct PortsArgs {
    /// Print JSON instead of a table.
    #[arg(long)]
    json: bool,
}

/// Run the subcommand.
pub fn run(args: PortsArgs) -> Result<u8, Failure> {
    let ports = needlebench_bridge::list_ports().code(exit::LINK)?;
    if args.json {
        println!(
            "{}",
            serde_json::to_string_pretty(&ports).code(exit::INTERNAL)?
        );
        return Ok(exit::OK);
    }
    if ports.is_empty() {
        println!("no serial ports found (pseudo-terminals are not listed)");
    }
    for p in &ports {
        let ids = match (p.usb_vid, p.usb_pid) {
            (Some(v), Some(d)) => format!("{v:04x}:{d:04x}"),
            _ => "-".to_owned(),
        };
        let desc = [&p.manufacturer, &p.product, &p.serial_number]
            .iter()
            .filter_map(|s| s.as_deref())
            .collect::<Vec<_>>()
            .join(" ");
        println!("{:<24} {:<9} {:<9} {}", p.path, p.kind, ids, desc);
    }
    Ok(exit::OK)
}
