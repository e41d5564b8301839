//! Choosing and reaching the pen a run talks to.

use needlebench_bridge::{
    ClockMode, DEFAULT_PTY_TIMEOUT, InProcessTransport, Link, LinkError, LinkOptions,
    PenCommandTransport, PenOutput, SerialTransport, Transport,
};
use needlebench_firmware::{Firmware, FirmwareConfig};
use needlebench_scenario::{FirmwareLink, Scenario};
use std::path::{Path, PathBuf};
use std::time::Duration;

/// Which pen a run talks to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PenChoice {
    /// The reference firmware in this process.
    InProcess,
    /// `PROGRAM emulate --pty` in a child process, through its pty.
    Pty {
        /// The `needlebench` executable to start.
        program: PathBuf,
    },
    /// Any pen command (`--pen-cmd`): started under `sh -c` in its own process group, reached
    /// through the pty it announces (see [`needlebench_bridge::parse_pty_line`]).
    Command {
        /// The shell command.
        command: String,
        /// How long it gets to announce its pty.
        pty_timeout: Duration,
    },
    /// A pen on a serial port.
    Serial {
        /// Device path.
        port: String,
        /// Baud rate.
        baud: u32,
    },
}

impl PenChoice {
    /// What a scenario asks for; `program` is the `needlebench` executable for the pty case.
    pub fn from_scenario(scenario: &Scenario, program: PathBuf) -> Self {
        match &scenario.firmware.link {
            FirmwareLink::Emulated => PenChoice::InProcess,
            FirmwareLink::EmulatorPty => PenChoice::Pty { program },
            FirmwareLink::Serial { port, baud } => PenChoice::Serial {
                port: port.clone(),
                baud: *baud,
            },
        }
    }

    /// How the recording names the transport.
    pub fn transport_name(&self) -> String {
        match self {
            PenChoice::InProcess => "in-process".to_owned(),
            PenChoice::Pty { .. } => "pty".to_owned(),
            PenChoice::Command { command, .. } => format!("command:{command}"),
            PenChoice::Serial { port, .. } => format!("serial:{port}"),
        }
    }
}

/// The clock mode a scenario asks for.
pub fn clock_of(scenario: &Scenario) -> ClockMode {
    scenario.firmware.clock
}

/// The emulated firmware's configuration for a scenario (its overrides applied).
pub fn firmware_config(scenario: &Scenario) -> FirmwareConfig {
    let mut config = FirmwareConfig::default();
    if let Some(limit_s) = scenario.firmware.cartridge_limit_s {
        config.cartridge_max_run_s = limit_s.ceil().clamp(1.0, f64::from(u32::MAX)) as u32;
    }
    config
}

/// In a `--pen-cmd` command, replaced by the scenario's single-use limit per cartridge, s
/// (`[firmware] cartridge_limit_s`, else the reference's 1800), so a pen can be told the one
/// firmware setting scenarios override — e.g. poked into a QEMU machine's memory with
/// `-device loader`.
pub const CARTRIDGE_LIMIT_PLACEHOLDER: &str = "{cartridge_limit_s}";

/// The same value, in the pen command's environment.
pub const CARTRIDGE_LIMIT_ENV: &str = "NEEDLEBENCH_CARTRIDGE_LIMIT_S";

/// The shell command that runs `program emulate --pty` with the one setting scenarios
/// override (`--cartridge-limit-s`): the `--emulator pty` pen is a pen command like any other.
pub fn emulator_command(program: &Path, config: &FirmwareConfig) -> String {
    let mut command = format!(
        "exec {} emulate --pty",
        shell_quote(&program.to_string_lossy())
    );
    if config.cartridge_max_run_s != FirmwareConfig::default().cartridge_max_run_s {
        command.push_str(&format!(
            " --cartridge-limit-s {}",
            config.cartridge_max_run_s
        ));
    }
    command
}

/// `text` as one single-quoted `sh` word.
fn shell_quote(text: &str) -> String {
    format!("'{}'", text.replace('\'', "'\\''"))
}

/// [`open_link_logged`] without keeping what a pen command writes.
pub fn open_link(
    choice: &PenChoice,
    config: FirmwareConfig,
    opts: LinkOptions,
) -> Result<Link, LinkError> {
    open_link_logged(choice, config, opts, &PenOutput::default())
}

/// Open the transport and run the handshake. The in-process pen runs `config`; the emulator
/// child is told the one setting scenarios override (`--cartridge-limit-s`); a real pen or a
/// pen command runs its own firmware. What a pen command (the emulator included) writes goes
/// to `output`, which the caller keeps in the recording even when this fails.
pub fn open_link_logged(
    choice: &PenChoice,
    config: FirmwareConfig,
    opts: LinkOptions,
    output: &PenOutput,
) -> Result<Link, LinkError> {
    let transport: Box<dyn Transport> = match choice {
        PenChoice::InProcess => {
            let firmware = Firmware::new(config).map_err(|e| LinkError::EmulatorStart {
                program: "the in-process firmware".to_owned(),
                detail: e.to_string(),
            })?;
            Box::new(InProcessTransport::new(firmware))
        }
        PenChoice::Pty { program } => Box::new(PenCommandTransport::spawn(
            &emulator_command(program, &config),
            &[],
            DEFAULT_PTY_TIMEOUT,
            output.clone(),
        )?),
        PenChoice::Command {
            command,
            pty_timeout,
        } => {
            let limit_s = config.cartridge_max_run_s.to_string();
            Box::new(PenCommandTransport::spawn(
                &command.replace(CARTRIDGE_LIMIT_PLACEHOLDER, &limit_s),
                &[(CARTRIDGE_LIMIT_ENV, limit_s.clone())],
                *pty_timeout,
                output.clone(),
            )?)
        }
        PenChoice::Serial { port, baud } => Box::new(SerialTransport::open(port, *baud)?),
    };
    Link::connect(transport, opts)
}
