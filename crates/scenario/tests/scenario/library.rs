//! The shipped scenario library in `scenarios/`: every file parses, and the files keep the
//! promises the issue makes about them.

use needlebench_firmware::FirmwareConfig;
use needlebench_physics::{Needle, PenParams, StrokeInput, stroke};
use needlebench_scenario::{
    ExpandOptions, FaultCode, InjectedFault, Pattern, Scenario, ScenarioFile, Speed, find_scenarios,
};
use std::path::{Path, PathBuf};

fn library_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../scenarios")
}

/// Every scenario of the library, each variant of a matrix file one by one.
fn library() -> Vec<Scenario> {
    let files = find_scenarios(&[library_dir()]).unwrap();
    let mut out = Vec::new();
    for f in &files {
        let file = ScenarioFile::read(f, ExpandOptions::default())
            .unwrap_or_else(|e| panic!("shipped scenario broken: {e}"));
        for unit in 0..file.len() {
            out.push(
                file.unit(unit)
                    .unwrap_or_else(|e| panic!("shipped scenario broken: {e}")),
            );
        }
    }
    out
}

fn get(name: &str) -> Scenario {
    library()
        .into_iter()
        .find(|s| s.name == name)
        .unwrap_or_else(|| panic!("no scenario {name}"))
}

/// The firmware's stroke frequency for the pen's speed (nearest level for `stroke_hz`).
fn stroke_hz(speed: Speed) -> f64 {
    let levels = FirmwareConfig::default().speed_levels_hz.map(f64::from);
    levels[usize::from(speed.level_for(&levels)) - 1]
}

#[test]
fn every_shipped_scenario_parses_and_is_named_after_its_file() {
    let files = find_scenarios(&[library_dir()]).unwrap();
    assert!(
        files.len() >= 13,
        "the library needs at least 13 scenarios, has {}",
        files.len()
    );
    for f in &files {
        let file =
            ScenarioFile::read(f, ExpandOptions::default()).unwrap_or_else(|e| panic!("{e}"));
        let s = file.unit(0).unwrap_or_else(|e| panic!("{e}"));
        // A matrix file is named after its base name; its variants add their values.
        let base = s.variant.as_ref().map_or(&s.name, |v| &v.base_name);
        assert_eq!(
            Some(base.as_str()),
            f.file_stem().and_then(|n| n.to_str()),
            "{}",
            f.display()
        );
        assert!(
            s.source.text.starts_with('#'),
            "{}: needs a header comment",
            f.display()
        );
        assert!(
            s.description.len() > 40,
            "{}: needs a description",
            f.display()
        );
    }
}

#[test]
fn seeds_are_distinct() {
    let mut seeds: Vec<u64> = library().iter().map(|s| s.seed).collect();
    let n = seeds.len();
    seeds.sort_unstable();
    seeds.dedup();
    assert_eq!(seeds.len(), n, "every scenario gets its own seed");
}

#[test]
fn the_issue_s_treatments_are_all_there() {
    let want = [
        ("forehead-fine-lines-0.5mm", "forehead", 0.5),
        ("periorbital-0.25mm", "periorbital", 0.25),
        ("cheek-acne-scars-1.5mm", "cheek", 1.5),
        ("upper-lip-0.5mm", "upper_lip", 0.5),
        ("neck-0.75mm", "neck", 0.75),
        ("abdomen-stretch-marks-2.0mm", "abdomen", 2.0),
    ];
    for (name, site, exposure_mm) in want {
        let s = get(name);
        assert_eq!(
            (s.skin.site.name.as_str(), pen(&s).exposure_mm),
            (site, exposure_mm),
            "{name}"
        );
    }
    assert_eq!(
        get("forehead-fine-lines-0.5mm").hand.pattern,
        Pattern::Crosshatch
    );
    assert_eq!(get("cheek-acne-scars-1.5mm").hand.passes, 3);
    assert_eq!(
        get("glabella-stamping-0.5mm").hand.pattern,
        Pattern::Stamping
    );
    assert!(
        matches!(get("cheek-freehand-1.0mm").hand.pattern, Pattern::Freehand { ref waypoints, .. } if waypoints.len() > 2)
    );
}

#[test]
fn full_face_plan_treats_every_zone_of_the_default_map_for_ten_minutes_at_chart_depths() {
    let s = get("full-face-plan-10min");
    let plan = s.plan.as_ref().expect("a treatment plan");
    assert_eq!(plan.face_map.name, needlebench_scenario::FaceMap::DEFAULT);
    let mut zones: Vec<usize> = plan.zones.iter().map(|z| z.zone).collect();
    zones.sort_unstable();
    assert_eq!(zones, (0..plan.face_map.zones.len()).collect::<Vec<_>>());
    for step in &plan.zones {
        let [lo, hi] = plan.zone_of(step).depth_mm;
        assert!(
            (lo..=hi).contains(&step.exposure_mm),
            "{}: {} mm outside the chart's {lo}–{hi} mm",
            plan.zone_of(step).id,
            step.exposure_mm
        );
    }
    assert_eq!(pen(&s).cartridge.needle_count(), 36);
    assert_eq!(pen(&s).speed, Speed::Level(6));
    assert_eq!(stroke_hz(pen(&s).speed), 150.0);
    // the raster lines alone (no turns, travel, pauses or depth changes): most of 10 minutes
    let glide_s: f64 = plan
        .zones
        .iter()
        .map(|z| {
            plan.zone_of(z).area_mm2() / z.line_spacing_mm / z.glide_mm_s
                * z.angles_deg.len() as f64
                * f64::from(z.passes)
        })
        .sum();
    assert!(
        (450.0..=600.0).contains(&glide_s),
        "~{glide_s:.0} s of gliding"
    );
    assert!(s.expect.faults.is_empty());
    // the face-wide density limit lies well above each zone's nominal density
    let needles = pen(&s).cartridge.needle_count() as f64;
    for z in &plan.zones {
        let per_cm2 = stroke_hz(pen(&s).speed) * needles * 100.0
            / (z.glide_mm_s * z.line_spacing_mm)
            * z.angles_deg.len() as f64
            * f64::from(z.passes);
        assert!(
            s.expect.density_max_per_cm2 >= 2.5 * per_cm2,
            "{}",
            plan.zone_of(z).id
        );
    }
}

#[test]
fn fault_scenarios_expect_exactly_their_fault() {
    let stall = get("excessive-pressure-stall");
    assert_eq!(stall.expect.faults, vec![FaultCode::Stall]);
    // The spike is far beyond normal use (the hand's own force), long enough for the 100 ms
    // stall debounce.
    let InjectedFault::ForceSpike {
        force_n,
        duration_s,
    } = stall.inject[0].fault
    else {
        panic!("the stall scenario must inject a force_spike")
    };
    assert!(
        force_n >= 4.0 * stall.hand.force_at_s(stall.inject[0].at_s),
        "{force_n} N"
    );
    assert!(duration_s >= 0.5);
    let expired = get("expired-cartridge-refused");
    assert_eq!(expired.expect.faults, vec![FaultCode::CartridgeExpired]);
    let limit_s = expired.firmware.cartridge_limit_s.unwrap();
    assert!(
        limit_s < expired.duration_s.unwrap(),
        "the cartridge must expire during the run"
    );
    let link = get("link-drop-mid-run");
    assert_eq!(link.expect.faults, vec![FaultCode::LinkLoss]);
    // The firmware declares link loss after 10 ticks (10 ms); the drop is far longer.
    assert!(link.inject[0].fault.duration_s() > 0.1);
    let battery = get("battery-sag");
    assert_eq!(battery.expect.faults, vec![FaultCode::LowBattery]);
    let fw = FirmwareConfig::default();
    let InjectedFault::BatterySag {
        drop_mv,
        duration_s,
    } = battery.inject[0].fault
    else {
        panic!("battery-sag must inject a battery_sag")
    };
    // The resting cell starts (≥ the start threshold) and sags clearly below the run threshold
    // (even before the motor's load pulls it lower), for longer than the debounce.
    let ocv_mv = PenParams::default().open_circuit_v(pen(&battery).battery_soc) * 1000.0;
    assert!(ocv_mv >= f64::from(fw.battery_start_min_mv), "{ocv_mv} mV");
    assert!(
        ocv_mv - drop_mv < f64::from(fw.battery_run_min_mv) - 100.0,
        "{ocv_mv} mV"
    );
    assert!(duration_s * 1000.0 > f64::from(fw.battery_run_low_ms) * 2.0);
    assert!(get("link-garbage-recovers").expect.faults.is_empty());
}

#[test]
fn the_over_treatment_scenario_is_marked_negative_and_exceeds_its_density_limit() {
    let s = get("over-treatment-slow-glide");
    assert!(s.tags.iter().any(|t| t == "negative"));
    assert!(
        s.description.contains("density_max_per_cm2") && s.description.contains("tram_track_cells")
    );
    let needles = pen(&s).cartridge.needle_count() as f64;
    let nominal =
        100.0 * stroke_hz(pen(&s).speed) * needles / (s.hand.glide_mm_s * s.hand.line_spacing_mm);
    assert!(
        nominal > 3.0 * s.expect.density_max_per_cm2,
        "nominal {nominal} /cm²"
    );
    // Only that scenario is negative.
    let negatives: Vec<_> = library()
        .into_iter()
        .filter(|s| s.tags.iter().any(|t| t == "negative"))
        .map(|s| s.name)
        .collect();
    assert_eq!(
        negatives,
        vec![
            "full-face-trainee-flawed".to_owned(),
            "over-treatment-slow-glide".to_owned()
        ]
    );
}

/// The scenario's pen (every scenario these tests name is a pen scenario).
fn pen(s: &Scenario) -> &needlebench_scenario::Pen {
    s.pen()
        .unwrap_or_else(|| panic!("{} is not a pen scenario", s.name))
}

/// Rough length of a scenario's motion, s (no turns), capped by `duration_s`; a plan's is
/// the sum over its zones (each zone's area, line spacing, directions, passes and glide) and
/// the pauses between them.
fn nominal_length_s(s: &Scenario) -> f64 {
    if let Some(plan) = &s.plan {
        let zones: f64 = plan
            .zones
            .iter()
            .map(|z| {
                let area_mm2 = plan.face_map.zones[z.zone].area_mm2();
                area_mm2 / z.line_spacing_mm / z.glide_mm_s
                    * z.angles_deg.len().max(1) as f64
                    * f64::from(z.passes)
            })
            .sum();
        return zones + plan.pause_s * plan.zones.len().saturating_sub(1) as f64;
    }
    let h = &s.hand;
    let area_mm2 = h.area.area_mm2();
    let one_pass = match &h.pattern {
        Pattern::Straight | Pattern::Spiral => area_mm2 / h.line_spacing_mm / h.glide_mm_s,
        Pattern::Crosshatch => {
            area_mm2 / h.line_spacing_mm / h.glide_mm_s * h.angles_deg.len() as f64
        }
        Pattern::Stamping => {
            let stamps = area_mm2 / (h.stamp_pitch_mm * h.stamp_pitch_mm);
            stamps * (h.stamp_dwell_ms / 1000.0 + h.stamp_pitch_mm / h.glide_mm_s)
        }
        Pattern::Freehand { waypoints, .. } => waypoints.last().map_or(0.0, |w| w.t_s),
    };
    let total = one_pass * f64::from(h.passes);
    s.duration_s.map_or(total, |d| total.min(d))
}

#[test]
fn runs_are_short_except_the_long_session() {
    for s in library() {
        let t = nominal_length_s(&s);
        if s.tags.iter().any(|t| t == "long") {
            continue;
        }
        assert!((3.0..=60.0).contains(&t), "{}: ~{t:.0} s of motion", s.name);
    }
}

/// One stroke of the scenario's pen into its (uniform) site: the depth chart the files'
/// expectations were written from. A recalibrated physics that moves a library scenario's
/// punctures out of its target layers fails here first.
#[test]
fn a_single_stroke_ends_in_a_target_layer_and_respects_the_depth_limits() {
    let mut checked = 0;
    for s in library() {
        // rollers and stamps are held to their limits by their runs (tests/scenarios)
        let Some(p) = s.pen() else { continue };
        if s.expect.target_layers.is_empty() {
            continue;
        }
        let cartridge = &p.cartridge;
        let needle = if cartridge.name() == "nano" {
            Needle::NANO
        } else {
            Needle::STANDARD
        };
        let hz = stroke_hz(p.speed);
        for lever_mm in [0.0, cartridge.guard_radius_mm()] {
            let r = stroke(&StrokeInput {
                site: &s.skin.site,
                needle,
                exposure_um: p.exposure_um(),
                tip_speed_m_s: std::f64::consts::PI * hz * 3e-3,
                cam_throw_um: 3000.0,
                thickness_scale: 1.0,
                hand_force_n: s.hand.force_at_s(0.0),
                tilt_deg: s.hand.tilt_deg,
                lever_mm,
                precompression_um: 0.0,
            })
            .unwrap();
            let e = &s.expect;
            assert!(r.punctured, "{}: no puncture", s.name);
            assert!(
                e.target_layers.contains(&r.layer),
                "{}: ends in {:?} at {:.0} µm",
                s.name,
                r.layer,
                r.reached_depth_um
            );
            assert!(
                !e.forbidden_layers.contains(&r.layer),
                "{}: forbidden {:?}",
                s.name,
                r.layer
            );
            assert!(
                r.reached_depth_um <= p.exposure_um() + e.depth_tolerance_um,
                "{}",
                s.name
            );
            assert!(
                e.max_depth_um.is_none_or(|m| r.reached_depth_um <= m),
                "{}: {:.0} µm",
                s.name,
                r.reached_depth_um
            );
        }
        checked += 1;
    }
    assert!(checked >= 10, "only {checked} scenarios have target layers");
}

/// Nominal punctures per cm² over the whole run: stroke_hz · needles · time on the skin / area.
fn nominal_density_per_cm2(s: &Scenario) -> f64 {
    let h = &s.hand;
    let on_skin_s = match h.pattern {
        Pattern::Stamping => {
            let stamps = h.area.area_mm2() / (h.stamp_pitch_mm * h.stamp_pitch_mm);
            stamps * h.stamp_dwell_ms / 1000.0 * f64::from(h.passes)
        }
        _ => nominal_length_s(s),
    };
    let needles = pen(s).cartridge.needle_count() as f64;
    stroke_hz(pen(s).speed) * needles * on_skin_s / h.area.area_cm2()
}

#[test]
fn density_limits_bracket_the_nominal_density() {
    let mut checked = 0;
    for s in library() {
        let e = &s.expect;
        if s.tags.iter().any(|t| t == "negative") || e.density_min_per_cm2 <= 0.0 {
            continue;
        }
        if s.pen().is_none() {
            continue; // a roller's or stamp's density follows from its run, not a stroke rate
        }
        let nominal = nominal_density_per_cm2(&s);
        assert!(
            e.density_min_per_cm2 <= 0.3 * nominal,
            "{}: min vs nominal {nominal:.0}",
            s.name
        );
        assert!(
            e.density_max_per_cm2 >= 2.5 * nominal,
            "{}: max vs nominal {nominal:.0}",
            s.name
        );
        checked += 1;
    }
    // the full-face plan sets no face-wide minimum (its grid covers the untreated gaps between
    // zones); its maximum is held to its zones' nominal density in its own test
    assert!(checked >= 9, "only {checked} scenarios set density limits");
}
