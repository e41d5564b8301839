//! Integration tests of `needlebench-checks`: small synthetic recordings written with
//! `RecordingWriter`, so every actual value is known exactly.

#![allow(
    clippy::float_cmp,
    reason = "counts and written values (300, 330 µm) are exact in f64: equality is the claim"
)]

mod criteria;
mod density;
mod diff;
mod firmware;
mod parallel;
mod support;
mod trust;
mod verification;
mod zones;
