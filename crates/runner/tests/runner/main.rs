//! Integration tests of the runner: hand motion, skin variation, and whole runs against the
//! in-process firmware (and a link that dies).

// Exact float equality is the point of several tests here: same seed, same bits.
#![allow(clippy::float_cmp)]

mod devices;
mod hand;
mod live;
mod plan;
mod runs;
