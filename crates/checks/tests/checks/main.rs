//! Integration tests of `needlebench-checks`: small synthetic recordings written with
//! `RecordingWriter`, so every actual value is known exactly.

mod criteria;
mod density;
mod diff;
mod firmware;
mod support;
