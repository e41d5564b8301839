//! End-to-end tests of the `needlebench` binary: real processes, real files.
//!
//! One test binary for the whole workspace; each module covers one subcommand.

mod c_pen;
mod check;
mod link;
mod matrix;
mod pen_cmd;
mod regress;
mod run;
mod stroke;
mod support;
mod trust;
mod verify;
mod view;
mod zones;
