//! FIRMWARE.md (the pen contract) against the reference firmware: its speed-level table,
//! fault table and key figures must be the code's, so the document cannot drift.

use needlebench_firmware::{FAULT_TABLE, FirmwareConfig};

const FIRMWARE_MD: &str = include_str!("../../../../FIRMWARE.md");

/// The cells of every row of the table whose header row starts with `header`.
fn table(header: &str) -> Vec<Vec<&'static str>> {
    let mut lines = FIRMWARE_MD
        .lines()
        .skip_while(|l| !l.starts_with(header))
        .skip(2);
    let mut rows = Vec::new();
    for line in lines.by_ref() {
        let Some(inner) = line.strip_prefix("| ").and_then(|l| l.strip_suffix(" |")) else {
            break;
        };
        rows.push(inner.split(" | ").collect());
    }
    assert!(!rows.is_empty(), "no table `{header}` in FIRMWARE.md");
    rows
}

fn config_value(config: &FirmwareConfig, field: &str) -> u64 {
    match field {
        "tick_rate_hz" => u64::from(config.tick_rate_hz),
        "default_speed_level" => u64::from(config.default_speed_level),
        "soft_start_ms" => u64::from(config.soft_start_ms),
        "long_press_ms" => u64::from(config.long_press_ms),
        "stall_speed_percent" => u64::from(config.stall_speed_percent),
        "stall_min_duty_permille" => u64::from(config.stall_min_duty_permille),
        "stall_time_ms" => u64::from(config.stall_time_ms),
        "over_current_ma" => u64::from(config.over_current_ma),
        "over_current_time_ms" => u64::from(config.over_current_time_ms),
        "link_loss_ticks" => u64::from(config.link_loss_ticks),
        "battery_start_min_mv" => u64::from(config.battery_start_min_mv),
        "battery_run_min_mv" => u64::from(config.battery_run_min_mv),
        "battery_run_low_ms" => u64::from(config.battery_run_low_ms),
        "battery_warn_mv" => u64::from(config.battery_warn_mv),
        "watchdog_timeout_us" => config.watchdog_timeout_us,
        "cartridge_max_run_s" => u64::from(config.cartridge_max_run_s),
        "cartridge_max_strokes" => u64::from(config.cartridge_max_strokes),
        other => panic!("FIRMWARE.md names an unknown config field `{other}`"),
    }
}

#[test]
fn firmware_md_tables_are_the_reference_firmware() {
    let config = FirmwareConfig::default();

    let levels = table("| level | stroke rate, Hz |");
    assert_eq!(levels.len(), config.speed_levels_hz.len());
    for (row, (i, hz)) in levels.iter().zip(config.speed_levels_hz.iter().enumerate()) {
        assert_eq!(
            row[..],
            [(i + 1).to_string(), hz.to_string()],
            "level {}",
            i + 1
        );
    }

    let figures = table("| figure | field | value |");
    assert_eq!(figures.len(), 17, "every key figure");
    for row in &figures {
        let field = row[1].trim_matches('`');
        assert_eq!(row[2], config_value(&config, field).to_string(), "{field}");
    }

    let faults = table("| code | cause |");
    assert_eq!(
        faults.len(),
        FAULT_TABLE.len() - 1,
        "every fault but `none`"
    );
    let bound_ticks = |ms: u32| config.ms_to_ticks(ms).to_string();
    for (row, doc) in faults.iter().zip(&FAULT_TABLE[1..]) {
        let code = doc.code.name();
        assert_eq!(row[0], format!("`{code}`"));
        assert_eq!(
            (row[1], row[2], row[4]),
            (doc.cause, doc.trigger, doc.clears),
            "{code}"
        );
        let ticks = match code {
            "stall" => bound_ticks(config.stall_time_ms),
            "over_current" => bound_ticks(config.over_current_time_ms),
            "link_loss" => config.link_loss_ticks.to_string(),
            "low_battery" => bound_ticks(config.battery_run_low_ms),
            "internal" => "—".to_owned(),
            _ => "1".to_owned(),
        };
        assert_eq!(row[3], ticks, "{code}: bound in ticks");
    }
}
