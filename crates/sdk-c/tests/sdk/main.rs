//! The C SDK and the C reference pen, tested from cargo: the C unit tests (built with
//! AddressSanitizer and UBSan) against WIRE.md's golden vectors, the Rust ↔ C cross-check
//! on random messages, and the C pens (host pty and QEMU Cortex-M) answering tick for tick
//! as the Rust reference does. Each test needs its toolchain (`gcc`, `arm-none-eabi-gcc`,
//! `qemu-system-arm`); without one it is skipped with a note, and with `CI` set it fails.

#[path = "../../../protocol/tests/common/arb.rs"]
mod arb;
mod c_unit;
mod crosscheck;
mod pens;
mod support;
