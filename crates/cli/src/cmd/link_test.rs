//! `needlebench link-test`: exchange N ticks of frames with a pen and report link health.

use super::pen_args::PenArgs;
use crate::exit::{self, Failure};
use clap::Args;
use needlebench_bridge::{Link, LinkStats, PenOutput};
use needlebench_protocol::{CartridgeInfo, SensorFrame};
use std::time::Instant;

/// Exchange frames with a pen and report the link's statistics.
#[derive(Args, Debug)]
pub struct LinkTestArgs {
    #[command(flatten)]
    pen: PenArgs,
    /// Ticks to exchange.
    #[arg(long, default_value_t = 10_000, value_parser = clap::value_parser!(u32).range(1..))]
    ticks: u32,
    /// Print one JSON object instead of a table.
    #[arg(long)]
    json: bool,
}

/// A sensor frame of a pen at rest: battery charged, cartridge seated, no button held.
fn resting_sensors() -> SensorFrame {
    SensorFrame {
        tick: 0,
        motor_current_ma: 0,
        hall_period_us: 0,
        battery_mv: 3_900,
        depth_um: 500,
        buttons: 0,
        cartridge: CartridgeInfo {
            present: true,
            id: 1,
            needle_count: 36,
        },
        skin_contact: false,
    }
}

/// Run the subcommand.
pub fn run(args: LinkTestArgs) -> Result<u8, Failure> {
    let output = PenOutput::default();
    let mut link = args
        .pen
        .connect(&output)
        .inspect_err(|_| echo_pen_stderr(&output))?;
    let sensors = resting_sensors();
    let started = Instant::now();
    let mut failure = None;
    for _ in 0..args.ticks {
        if let Err(e) = link.tick(Some(&sensors)) {
            failure = Some(e);
            break;
        }
    }
    let wall_s = started.elapsed().as_secs_f64();
    link.flush().map_err(|e| Failure {
        code: exit::LINK,
        error: e.into(),
    })?;
    let stats = link.stats();
    if args.json {
        println!("{}", to_json(&link, &stats, wall_s, failure.as_ref()));
    } else {
        print_table(&link, &stats, wall_s);
    }
    match failure {
        Some(e) => Err({
            echo_pen_stderr(&output);
            Failure {
                code: exit::LINK,
                error: e.into(),
            }
        }),
        None => Ok(exit::OK),
    }
}

/// After a failure, what a pen command wrote to stderr (link-test keeps no recording).
fn echo_pen_stderr(output: &PenOutput) {
    let stderr = output.stderr();
    if !stderr.is_empty() {
        eprintln!("--- the pen command's stderr ---");
        eprint!("{}", String::from_utf8_lossy(&stderr));
        eprintln!("--- end of the pen command's stderr ---");
    }
}

fn to_json(
    link: &Link,
    stats: &LinkStats,
    wall_s: f64,
    failure: Option<&needlebench_bridge::LinkError>,
) -> serde_json::Value {
    let mut v = serde_json::to_value(stats).unwrap_or_default();
    if let Some(obj) = v.as_object_mut() {
        obj.insert("link".into(), link.describe().into());
        obj.insert("firmware".into(), link.pen().firmware_name.clone().into());
        obj.insert(
            "firmware_version".into(),
            link.pen().firmware_version.clone().into(),
        );
        obj.insert("wall_s".into(), wall_s.into());
        obj.insert(
            "ticks_per_s".into(),
            (stats.ticks as f64 / wall_s.max(f64::MIN_POSITIVE)).into(),
        );
        obj.insert("ok".into(), failure.is_none().into());
        obj.insert("error".into(), failure.map(|e| e.to_string()).into());
    }
    v
}

fn print_table(link: &Link, s: &LinkStats, wall_s: f64) {
    let pen = link.pen();
    println!("link      {}", link.describe());
    println!(
        "pen       {} {} (protocol {})",
        pen.firmware_name, pen.firmware_version, pen.protocol_version
    );
    println!(
        "ticks     {} in {:.3} s ({:.0} ticks/s)",
        s.ticks,
        wall_s,
        s.ticks as f64 / wall_s.max(f64::MIN_POSITIVE)
    );
    println!(
        "frames    {} to pen, {} from pen",
        s.frames_to_pen, s.frames_from_pen
    );
    println!(
        "bytes     {} to pen, {} from pen",
        s.bytes_to_pen, s.bytes_from_pen
    );
    println!(
        "errors    {} bad CRC, {} resyncs, {} oversize, {} unknown type, {} malformed",
        s.crc_errors, s.resyncs, s.oversize, s.unknown_type, s.malformed
    );
    println!(
        "losses    {} frames dropped, {} ticks re-sent",
        s.dropped_frames, s.retransmits
    );
    println!(
        "rtt       p50 {} µs, p99 {} µs, max {} µs",
        s.rtt_us_p50, s.rtt_us_p99, s.rtt_us_max
    );
    if s.lag_us_max > 0 {
        println!("lag       max {} µs", s.lag_us_max);
    }
}
