//! `needlebench stroke`: what one needle does at a site and depth setting.

use crate::exit::{self, Failure, WithCode};
use clap::Args;
use needlebench_physics::{
    CARTRIDGE_NAMES, Cartridge, EXPOSURE_MAX_UM, Layer, Precompression, Site, StrokeInput,
    StrokeResult, contact_fraction, stroke,
};

/// Cam throw used to turn a stroke rate into a tip speed, µm (the pen plant's default).
const THROW_UM: f64 = 3000.0;

/// Simulate strokes of one needle at a site and show where the tip stops.
#[derive(Args, Debug)]
pub struct StrokeArgs {
    /// Built-in site (see `needlebench sites`).
    #[arg(long)]
    site: String,
    /// Exposure (depth) setting, mm, 0–3.0.
    #[arg(long = "depth-mm")]
    depth_mm: f64,
    /// Stroke rate, Hz (20–250).
    #[arg(long = "speed-hz", default_value_t = 150.0)]
    speed_hz: f64,
    /// Pressing force of the hand, N (0–50).
    #[arg(long = "force-n", default_value_t = 2.0)]
    force_n: f64,
    /// Tilt of the pen from upright, degrees (0–45).
    #[arg(long = "tilt-deg", default_value_t = 0.0)]
    tilt_deg: f64,
    /// Cartridge: 9, 12, 16, 24, 36, 42 or nano (sets the needle geometry).
    #[arg(long, default_value = "36")]
    cartridge: String,
    /// Strokes on the same spot (pre-compression builds up); the last one is reported.
    #[arg(long, default_value_t = 1)]
    strokes: u32,
    /// Print one JSON object instead of a table.
    #[arg(long)]
    json: bool,
}

fn check(flag: &str, value: f64, min: f64, max: f64) -> Result<(), Failure> {
    if value >= min && value <= max {
        Ok(())
    } else {
        Err(Failure::usage(format!(
            "{flag} must be in {min}..={max}, got {value}"
        )))
    }
}

/// Run the subcommand.
pub fn run(args: StrokeArgs) -> Result<u8, Failure> {
    let site = Site::builtin(&args.site).map_err(Failure::usage)?;
    let cartridge = Cartridge::from_name(&args.cartridge).map_err(|_| {
        Failure::usage(format!(
            "unknown cartridge `{}`; valid cartridges: {}",
            args.cartridge,
            CARTRIDGE_NAMES.join(", ")
        ))
    })?;
    check("--depth-mm", args.depth_mm, 0.0, EXPOSURE_MAX_UM / 1000.0)?;
    check("--speed-hz", args.speed_hz, 20.0, 250.0)?;
    check("--force-n", args.force_n, 0.0, 50.0)?;
    check("--tilt-deg", args.tilt_deg, 0.0, 45.0)?;
    if !(1..=100_000).contains(&args.strokes) {
        return Err(Failure::usage(format!(
            "--strokes must be in 1..=100000, got {}",
            args.strokes
        )));
    }
    let tip_speed_m_s = std::f64::consts::PI * args.speed_hz * THROW_UM * 1e-6;
    let period_s = 1.0 / args.speed_hz;
    let mut pre = Precompression::default();
    let mut result: Option<StrokeResult> = None;
    for _ in 0..args.strokes {
        let input = StrokeInput {
            site: &site,
            needle: cartridge.needle(),
            exposure_um: args.depth_mm * 1000.0,
            tip_speed_m_s,
            hand_force_n: args.force_n,
            tilt_deg: args.tilt_deg,
            lever_mm: cartridge.guard_radius_mm(),
            precompression_um: pre.residual_um,
            cam_throw_um: THROW_UM,
            thickness_scale: 1.0,
        };
        let r = stroke(&input).code(exit::USAGE)?;
        let contact = contact_fraction(r.travel_um, THROW_UM);
        pre.update(&r, contact * period_s, period_s);
        result = Some(r);
    }
    let Some(r) = result else { return Ok(exit::OK) };
    let set_depth_um = args.depth_mm * 1000.0;
    let bounds = site.boundaries_um();
    // The column as it is at this site: layers with a thickness, then the floor (no bottom).
    let column: Vec<(Layer, f64, Option<f64>)> = Layer::ALL
        .into_iter()
        .filter(|&l| l == site.floor || (l < site.floor && site.layer(l).thickness_um > 0.0))
        .map(|l| {
            let to = (l != site.floor).then(|| bounds[l.index() + 1]);
            (l, bounds[l.index()], to)
        })
        .collect();
    if args.json {
        let layers: Vec<_> = column
            .iter()
            .map(|(l, from, to)| {
                serde_json::json!({
                    "layer": l.name(),
                    "from_um": from,
                    "to_um": to,
                    "floor": *l == site.floor,
                })
            })
            .collect();
        let out = serde_json::json!({
            "site": site.name,
            "cartridge": cartridge.name(),
            "set_depth_um": set_depth_um,
            "speed_hz": args.speed_hz,
            "tip_speed_m_s": tip_speed_m_s,
            "force_n": args.force_n,
            "tilt_deg": args.tilt_deg,
            "strokes": args.strokes,
            "reached_depth_um": r.reached_depth_um,
            "layer": r.layer.name(),
            "punctured": r.punctured,
            "at_floor": r.at_floor,
            "below_hypodermis": r.layer.is_below_hypodermis(),
            "rupture_speed_m_s": r.rupture_speed_m_s,
            "tenting_um": r.tenting_um,
            "peak_force_n": r.peak_force_n,
            "bleeding": r.bleeding,
            "travel_um": r.travel_um,
            "precompression_um": pre.residual_um,
            "layers": layers,
        });
        println!(
            "{}",
            serde_json::to_string_pretty(&out).code(exit::INTERNAL)?
        );
        return Ok(exit::OK);
    }
    println!(
        "site {}, cartridge {}, exposure {:.2} mm, {} Hz (tip {:.2} m/s), force {} N, tilt {}°",
        site.name,
        cartridge.name(),
        args.depth_mm,
        args.speed_hz,
        tip_speed_m_s,
        args.force_n,
        args.tilt_deg
    );
    println!();
    println!("{:<18} {:>9} {:>9}", "layer", "from µm", "to µm");
    for &(l, from, to) in &column {
        let here = if r.punctured && l == r.layer {
            "  <- tip stopped here"
        } else {
            ""
        };
        let to = to.map_or_else(|| "(floor)".to_owned(), |t| format!("{t:.1}"));
        println!("{:<18} {:>9.1} {:>9}{here}", l.name(), from, to);
    }
    println!();
    let percent = if set_depth_um > 0.0 {
        100.0 * r.reached_depth_um / set_depth_um
    } else {
        0.0
    };
    if r.punctured {
        println!(
            "depth reached  {:.0} µm ({percent:.0} % of the setting)",
            r.reached_depth_um
        );
    } else {
        println!("depth reached  0 µm: the surface tented but did not rupture");
    }
    if r.layer.is_below_hypodermis() {
        println!(
            "below the fat  the tip reached {}{}",
            r.layer.name(),
            if r.at_floor {
                ", resting on the floor"
            } else {
                ""
            }
        );
    }
    println!(
        "tenting        {:.0} µm (surface ruptured at {:.2} m/s)",
        r.tenting_um, r.rupture_speed_m_s
    );
    println!("peak force     {:.3} N", r.peak_force_n);
    println!(
        "bleeding       {}",
        if r.bleeding {
            "yes (papillary capillaries reached)"
        } else {
            "no"
        }
    );
    if args.strokes > 1 {
        println!(
            "pre-compression after {} strokes  {:.0} µm",
            args.strokes, pre.residual_um
        );
    }
    Ok(exit::OK)
}
