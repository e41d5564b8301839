//! Integration tests of the bridge: in-process and real-pty links, a corrupting relay,
//! a pen that vanishes, ports that cannot be opened, and fake pens behind the trait.

mod support;

mod errors;
mod inprocess;
mod pty;
mod rules;
