//! `needlebench-viewer`: a bevy replay of the needle passes of one recording.
//!
//! A block of tissue at the recording's site, cut to show the layers present there at their
//! real thicknesses (with a vertical exaggeration) above the floor no needle passes, the pen
//! moving as the telemetry says, every puncture appearing as it happens coloured by depth, a
//! density heat map over the treated area, violation markers, plots of depth and motor
//! current, and a cross-section inset of one needle — all drawn at the time of one
//! [`replay::ReplayClock`].
//!
//! The parts that decide *what* is shown are plain Rust, tested without a GPU:
//! [`replay`] (the clock), [`data`] (the recording as compact time-sorted arrays),
//! [`heatmap`] (the density grid), [`lod`] (which punctures are drawn one by one),
//! [`violations`] (sorted violations, next/previous), [`colormap`] (viridis), [`column`] (the
//! layers drawn and where), [`palette`] (layer, marker and outcome colours), [`plot`]
//! (decimation), [`zones`] (the zone overlay's colours, captions and tint texture),
//! [`scorecard`] (the score panel's rows) and [`practice`] (practice mode's driver: pointer,
//! keys or tablet → the live session). [`app`] is the bevy side: the scene (the block in one
//! draw, [`app::block`]; the recent punctures as one point mesh, [`app::points`]), the egui
//! panels, the camera, the practice window, and off-screen screenshots ([`app::shot`]).

#![allow(
    elided_lifetimes_in_paths,
    reason = "bevy system parameters (Res, Query, Commands) are written without lifetimes, as bevy documents them"
)]

pub mod app;
pub mod colormap;
pub mod column;
pub mod data;
pub mod error;
pub mod heatmap;
pub mod lod;
pub mod palette;
pub mod plot;
pub mod polygon;
pub mod practice;
pub mod replay;
pub mod scenario;
pub mod scorecard;
pub mod violations;
pub mod zones;

pub use data::Replay;
pub use error::ViewerError;
pub use replay::ReplayClock;
