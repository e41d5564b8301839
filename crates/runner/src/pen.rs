//! Choosing and reaching the pen a run talks to.

use needlebench_bridge::{
    ClockMode, EmulatorTransport, InProcessTransport, Link, LinkError, LinkOptions,
    SerialTransport, Transport,
};
use needlebench_firmware::{Firmware, FirmwareConfig};
use needlebench_scenario::{FirmwareLink, Scenario};
use std::path::PathBuf;

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

/// Open the transport and run the handshake. The in-process pen runs `config`; the emulator
/// child is told the one setting scenarios override (`--cartridge-limit-s`); a real pen runs
/// its own firmware.
pub fn open_link(
    choice: &PenChoice,
    config: FirmwareConfig,
    opts: LinkOptions,
) -> Result<Link, LinkError> {
    let transport: Box<dyn Transport> = match choice {
        PenChoice::InProcess => {
            let firmware = Firmware::new(config).map_err(|e| LinkError::EmulatorStart {
                program: "the in-process firmware".to_owned(),
                detail: e.to_string(),
            })?;
            Box::new(InProcessTransport::new(firmware))
        }
        PenChoice::Pty { program } => {
            let limit_s = config.cartridge_max_run_s.to_string();
            let mut args = vec!["emulate", "--pty"];
            if config.cartridge_max_run_s != FirmwareConfig::default().cartridge_max_run_s {
                args.extend(["--cartridge-limit-s", &limit_s]);
            }
            Box::new(EmulatorTransport::spawn(program, &args)?)
        }
        PenChoice::Serial { port, baud } => Box::new(SerialTransport::open(port, *baud)?),
    };
    Link::connect(transport, opts)
}
