//! Choosing and reaching a pen: the flags `link-test` and `run` share.

use crate::exit::{self, Coded, Failure, WithCode};
use clap::{Args, ValueEnum};
use needlebench_bridge::{ClockMode, Link, LinkOptions};
use needlebench_firmware::FirmwareConfig;
use needlebench_runner::pen::{PenChoice, open_link};
use std::path::PathBuf;

/// Which emulated pen to use when no `--port` is given.
#[derive(ValueEnum, Debug, Clone, Copy, PartialEq, Eq)]
pub enum EmulatorKind {
    /// The reference firmware in this process (fastest; same bytes as on a wire).
    Inprocess,
    /// `needlebench emulate --pty` in a child process, through its pseudo-terminal.
    Pty,
}

/// `--mode`: the protocol's [`ClockMode`] by its name (`lockstep`, `realtime`), the one clock
/// enum of needlebench, so the flag, scenario files and `meta.toml` spell it alike.
pub fn clock_parser() -> impl clap::builder::TypedValueParser<Value = ClockMode> {
    use clap::builder::{PossibleValue, PossibleValuesParser, TypedValueParser};
    PossibleValuesParser::new(ClockMode::ALL.map(|m| {
        PossibleValue::new(m.name()).help(match m {
            ClockMode::Lockstep => {
                "The bench grants time tick by tick: deterministic, as fast as the pen answers"
            }
            ClockMode::RealTime => "Ticks paced to the wall clock at the firmware's tick rate",
        })
    }))
    .try_map(|name| ClockMode::from_name(&name).ok_or("unknown clock mode"))
}

/// Where the pen is and how to drive it. Unset flags fall back to the scenario (for `run`)
/// or to the in-process pen in lockstep.
#[derive(Args, Debug, Clone)]
pub struct PenArgs {
    /// Serial device of a real pen (e.g. /dev/ttyACM0).
    #[arg(long, value_name = "DEV", conflicts_with = "emulator")]
    pub port: Option<String>,
    /// Baud rate for --port.
    #[arg(long, default_value_t = 115_200, requires = "port")]
    pub baud: u32,
    /// Emulated pen to use when no --port is given [default: inprocess].
    #[arg(long, value_enum)]
    pub emulator: Option<EmulatorKind>,
    /// Clock mode [default: lockstep].
    #[arg(long, value_name = "MODE", value_parser = clock_parser())]
    pub mode: Option<ClockMode>,
    /// Write the exact byte streams each way (to_pen.bin, from_pen.bin) into DIR.
    #[arg(long, value_name = "DIR")]
    pub capture: Option<PathBuf>,
    /// Real time: the link fails (exit 4) when it lags its schedule by more than this many
    /// milliseconds [default: the scenario's `expect.max_lag_ms`; 50 where there is none].
    #[arg(long, value_name = "MS")]
    pub max_lag_ms: Option<u64>,
}

impl PenArgs {
    /// The pen the flags name, if they name one.
    pub fn choice(&self) -> Result<Option<PenChoice>, Failure> {
        Ok(match (&self.port, self.emulator) {
            (Some(port), _) => Some(PenChoice::Serial {
                port: port.clone(),
                baud: self.baud,
            }),
            (None, Some(EmulatorKind::Inprocess)) => Some(PenChoice::InProcess),
            (None, Some(EmulatorKind::Pty)) => Some(PenChoice::Pty {
                program: self_exe()?,
            }),
            (None, None) => None,
        })
    }

    /// The clock the flags name, if they name one.
    pub fn clock(&self) -> Option<ClockMode> {
        self.mode
    }

    /// Link options for `clock`; `scenario_max_lag_ms` is the scenario's `expect.max_lag_ms`
    /// (the lag bound unless `--max-lag-ms` overrides it).
    pub fn options(&self, clock: ClockMode, scenario_max_lag_ms: Option<f64>) -> LinkOptions {
        let bound_us = match (self.max_lag_ms, scenario_max_lag_ms) {
            (Some(ms), _) => ms.saturating_mul(1000),
            (None, Some(ms)) => (ms * 1000.0).round() as u64,
            (None, None) => needlebench_scenario::Expect::MAX_LAG_MS as u64 * 1000,
        };
        LinkOptions {
            clock,
            lag_bound_us: bound_us,
            capture: self.capture.clone(),
            ..LinkOptions::default()
        }
    }

    /// Open the pen the flags name (default: in-process, lockstep) and run the handshake.
    pub fn connect(&self) -> Result<Link, Failure> {
        let choice = self.choice()?.unwrap_or(PenChoice::InProcess);
        let clock = self.clock().unwrap_or(ClockMode::Lockstep);
        open_link(
            &choice,
            FirmwareConfig::default(),
            self.options(clock, None),
        )
        .coded()
    }
}

/// This executable, to start `needlebench emulate --pty` from.
pub fn self_exe() -> Result<PathBuf, Failure> {
    std::env::current_exe().code(exit::INTERNAL)
}
