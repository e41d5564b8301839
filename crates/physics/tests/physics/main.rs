//! Integration tests of needlebench-physics.
mod devices;
mod done_when;
mod plant;
mod sites;
mod stroke;
mod validation;
