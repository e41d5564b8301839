//! Integration tests of the runner: hand motion, skin variation, and whole runs against the
//! in-process firmware (and a link that dies).

mod hand;
mod runs;
