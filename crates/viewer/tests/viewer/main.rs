//! Integration tests of needlebench-viewer: the plain-Rust core (no bevy), the replay systems
//! under `MinimalPlugins`, and screenshots of real frames (skipped without a renderer unless
//! `CI` is set).

// Mesh attributes and texture coordinates are compared exactly with the same computation
// on the same inputs.
#![allow(clippy::float_cmp)]

mod colormap;
mod column;
mod data;
mod fixture;
mod heatmap;
mod lod;
mod meshes;
mod palette;
mod plot;
mod polygon;
mod practice;
mod replay;
mod scorecard;
mod screenshot;
mod systems;
mod violations;
mod window;
mod zones;
