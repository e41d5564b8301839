//! Integration tests of `needlebench-protocol`: golden vectors from `WIRE.md`, decoder
//! behaviour on damaged input, and property tests.

#[path = "../common/arb.rs"]
mod arb;
mod decoder;
mod golden;
mod props;
mod rules;
mod support;
