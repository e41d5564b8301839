//! Integration tests of the face crate.
