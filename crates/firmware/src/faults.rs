//! The fault table of the reference firmware as data, for reports to quote. `FIRMWARE.md`
//! (the pen contract) quotes it word for word; `tests/it/contract.rs` holds the two together.

use needlebench_protocol::FaultCode;

/// What one [`FaultCode`] means in the reference firmware (default configuration, 1 kHz).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct FaultDoc {
    /// The code.
    pub code: FaultCode,
    /// What causes it.
    pub cause: &'static str,
    /// Trigger threshold and timing bound.
    pub trigger: &'static str,
    /// How it clears.
    pub clears: &'static str,
}

/// One entry per [`FaultCode::ALL`], in the same (wire) order.
pub const FAULT_TABLE: [FaultDoc; FaultCode::ALL.len()] = [
    FaultDoc {
        code: FaultCode::None,
        cause: "no fault",
        trigger: "-",
        clears: "-",
    },
    FaultDoc {
        code: FaultCode::Stall,
        cause: "stall or excessive pressure",
        trigger: "measured stroke frequency < 40 % of the setpoint while duty >= 900 permille \
                  for 100 consecutive ticks: duty 0 at the 100th (<= 100 ms after the collapse)",
        clears: "power press",
    },
    FaultDoc {
        code: FaultCode::OverCurrent,
        cause: "motor current too high (short, locked rotor)",
        trigger: "> 2500 mA for 5 consecutive samples in idle or running: duty 0 at the 5th \
                  (<= 5 ms after the first)",
        clears: "power press once the current reads <= 2500 mA",
    },
    FaultDoc {
        code: FaultCode::LinkLoss,
        cause: "no sensor frame from the bench",
        trigger: "10 consecutive ticks without a frame while running: duty held for 9, 0 at the \
                  10th",
        clears: "power press (carried by a frame, so the link is back)",
    },
    FaultDoc {
        code: FaultCode::LowBattery,
        cause: "battery too low",
        trigger: "start refused below 3400 mV; running: < 3200 mV for 50 consecutive samples, \
                  duty 0 at the 50th (<= 50 ms)",
        clears: "power press with the battery >= 3400 mV",
    },
    FaultDoc {
        code: FaultCode::CartridgeAbsent,
        cause: "no cartridge seated",
        trigger: "start refused; removed while running: duty 0 in the same tick",
        clears: "power press with a cartridge seated",
    },
    FaultDoc {
        code: FaultCode::CartridgeExpired,
        cause: "cartridge single-use limit reached",
        trigger: "30 min running or 250000 strokes per cartridge id: start refused, or duty 0 in \
                  the tick the limit is reached",
        clears: "power press with a cartridge within its limits seated",
    },
    FaultDoc {
        code: FaultCode::Watchdog,
        cause: "the firmware loop overran",
        trigger: "a tick more than 5000 us after the previous one (or earlier than it), in any \
                  state but off: duty 0 in that tick",
        clears: "power press",
    },
    FaultDoc {
        code: FaultCode::Internal,
        cause: "internal error",
        trigger: "not raised by the reference firmware (reserved)",
        clears: "power press",
    },
];

/// The [`FaultDoc`] of `code`.
pub fn fault_doc(code: FaultCode) -> &'static FaultDoc {
    let index = FaultCode::ALL.iter().position(|&c| c == code).unwrap_or(0);
    &FAULT_TABLE[index]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn table_has_one_entry_per_code_in_wire_order() {
        for (doc, code) in FAULT_TABLE.iter().zip(FaultCode::ALL) {
            assert_eq!(doc.code, code);
            assert_eq!(fault_doc(code).code, code);
        }
    }
}
