//! Choosing and reaching a pen: the flags `link-test` and `run` share.

use crate::exit::{self, Coded, Failure, WithCode};
use clap::{Args, ValueEnum};
use needlebench_bridge::PenOutput;
use needlebench_bridge::{ClockMode, Link, LinkOptions};
use needlebench_firmware::FirmwareConfig;
use needlebench_runner::pen::{PenChoice, open_link_logged};
use std::path::PathBuf;
use std::time::Duration;

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
    #[arg(long, value_name = "DEV", conflicts_with_all = ["emulator", "pen_cmd"])]
    pub port: Option<String>,
    /// Start this shell command as the pen (`sh -c`, in its own process group) and talk to it
    /// over the pty it prints: a line that is just the path (`/dev/pts/7`), or QEMU's
    /// `char device redirected to /dev/pts/7 (label serial0)`, on stdout or stderr. It is
    /// ended (SIGTERM to its group, SIGKILL 2 s later) when the run is done; what it wrote is
    /// kept in the recording (pen-stdout.log, pen-stderr.log). `{cartridge_limit_s}` in
    /// COMMAND, and NEEDLEBENCH_CARTRIDGE_LIMIT_S in its environment, give the scenario's
    /// single-use limit per cartridge in seconds. See README "Bring your own firmware".
    #[arg(long, value_name = "COMMAND", conflicts_with = "emulator")]
    pub pen_cmd: Option<String>,
    /// How long --pen-cmd gets to print its pty path, seconds.
    #[arg(long, value_name = "S", default_value_t = 10.0, requires = "pen_cmd",
          value_parser = pty_timeout_parser)]
    pub pen_cmd_timeout_s: f64,
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
        if let Some(command) = &self.pen_cmd {
            return Ok(Some(PenChoice::Command {
                command: command.clone(),
                pty_timeout: Duration::from_secs_f64(self.pen_cmd_timeout_s),
            }));
        }
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

    /// Open the pen the flags name (default: in-process, lockstep) and run the handshake;
    /// what a pen command writes goes to `output`.
    pub fn connect(&self, output: &PenOutput) -> Result<Link, Failure> {
        let choice = self.choice()?.unwrap_or(PenChoice::InProcess);
        let clock = self.clock().unwrap_or(ClockMode::Lockstep);
        let link = open_link_logged(
            &choice,
            FirmwareConfig::default(),
            self.options(clock, None),
            output,
        )
        .coded()?;
        warn_if_line_too_slow(&choice, &link);
        Ok(link)
    }

    /// These flags with no pen and no clock: a suite's roller and stamp scenarios run without
    /// firmware whatever pen the suite's pen scenarios use.
    pub fn without_pen(&self) -> PenArgs {
        PenArgs {
            port: None,
            pen_cmd: None,
            emulator: None,
            mode: None,
            ..self.clone()
        }
    }

    /// Whether any flag names a pen or a clock (a roller or stamp scenario takes none).
    pub fn names_a_pen(&self) -> bool {
        self.port.is_some()
            || self.emulator.is_some()
            || self.mode.is_some()
            || self.pen_cmd.is_some()
    }
}

/// Warns when a UART at `choice`'s baud rate cannot carry real time at the pen's tick rate
/// (`WIRE.md` §1.1). Only a warning: USB CDC ignores the baud rate, and a line that does fall
/// behind fails the run on its lag bound.
pub fn warn_if_line_too_slow(choice: &PenChoice, link: &Link) {
    let PenChoice::Serial { port, baud } = choice else {
        return;
    };
    let tick_rate_hz = link.pen().capabilities.tick_rate_hz;
    let least = needlebench_protocol::least_realtime_baud(tick_rate_hz);
    if link.lag_bound_us().is_some() && u64::from(*baud) < least {
        eprintln!(
            "warning: real time at {tick_rate_hz} Hz needs at least {least} baud towards the \
             pen on a UART; {port} is set to {baud}. A USB CDC pen ignores the baud rate; a \
             UART pen will fall behind and fail the run on its lag bound (see WIRE.md §1.1)."
        );
    }
}

/// This executable, to start `needlebench emulate --pty` from.
pub fn self_exe() -> Result<PathBuf, Failure> {
    std::env::current_exe().code(exit::INTERNAL)
}

/// `--pen-cmd-timeout-s`: a finite number of seconds in 0.1..=600.
fn pty_timeout_parser(text: &str) -> Result<f64, String> {
    let s: f64 = text
        .parse()
        .map_err(|_| format!("`{text}` is not a number of seconds"))?;
    if (0.1..=600.0).contains(&s) {
        Ok(s)
    } else {
        Err(format!("{s} s is out of range 0.1..=600"))
    }
}
