//! End-to-end tests of the `needlebench` binary: real processes, real files.
//!
//! One test binary for the whole workspace; each module covers one subcommand.

mod check;
mod link;
mod matrix;
mod regress;
mod run;
mod stroke;
mod support;
mod trust;
mod verify;
mod view;
