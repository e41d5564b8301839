//! Integration tests of needlebench-physics.
mod plant;
mod sites;
mod stroke;
