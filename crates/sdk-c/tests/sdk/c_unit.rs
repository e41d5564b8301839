//! The C unit tests (`sdk/c/tests/test_sdk.c`), built with `-std=c99 -Wall -Wextra -Werror
//! -pedantic` under AddressSanitizer and UBSan, run against WIRE.md.

use crate::support::built;
use needlebench_sdk_c::{Artifact, require, wire_md};
use std::process::Command;

#[test]
fn c_sdk_unit_tests_pass_against_wire_md_golden_vectors_under_sanitizers() {
    if !require("gcc") {
        return;
    }
    let test_sdk = built(Artifact::Tests);
    let out = Command::new(&test_sdk)
        .arg(wire_md())
        .output()
        .expect("run test_sdk");
    let stdout = String::from_utf8_lossy(&out.stdout);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        out.status.success(),
        "C unit tests failed:\n{stdout}\n{stderr}"
    );
    // The C test counts its checks; hundreds run (golden vectors decoded whole and byte by
    // byte, varint table, rejections, decoder recovery, the pen link).
    let checks: u32 = stdout
        .split_whitespace()
        .next()
        .and_then(|n| n.parse().ok())
        .unwrap_or(0);
    assert!(checks >= 400, "only {checks} C checks ran:\n{stdout}");
    assert!(stdout.contains(" 0 failed"), "{stdout}");
}

#[test]
fn c_unit_tests_fail_when_a_golden_vector_in_wire_md_changes() {
    if !require("gcc") {
        return;
    }
    let test_sdk = built(Artifact::Tests);
    let wire = std::fs::read_to_string(wire_md()).expect("read WIRE.md");
    // Flip the Grant golden vector's with_sensors byte: the CRC no longer matches.
    let tampered = wire.replacen(
        "02 03 09 04 e9 07 01 24 09 41 26 00",
        "02 03 09 04 e9 07 00 24 09 41 26 00",
        1,
    );
    assert_ne!(tampered, wire, "the grant golden vector moved in WIRE.md");
    let dir = tempfile_dir();
    let path = dir.join("WIRE.md");
    std::fs::write(&path, tampered).expect("write tampered WIRE.md");
    let out = Command::new(&test_sdk).arg(&path).output().expect("run");
    assert!(
        !out.status.success(),
        "a wrong golden vector went unnoticed"
    );
    assert!(String::from_utf8_lossy(&out.stderr).contains("golden grant"));
}

fn tempfile_dir() -> std::path::PathBuf {
    let dir = crate::support::out_dir().join("tampered");
    std::fs::create_dir_all(&dir).expect("create dir");
    dir
}
