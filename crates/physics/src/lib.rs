//! Needle–skin physics and the pen plant of needlebench: pure, deterministic and fast.
//!
//! This crate answers two questions for the simulator: *what does one needle do to the skin in
//! one stroke* ([`stroke()`], [`StrokeModel`]) and *what does the pen's drive do with a PWM duty*
//! ([`PenPlant`]: DC motor, cam, return spring, battery, with every needle's stroke feeding back
//! into the motor's load torque). No I/O, no clocks, no randomness, no allocation per stroke.
//!
//! # Model in brief
//! * **Skin** ([`site`], [`layer`]): five ordered layers (stratum corneum, viable epidermis,
//!   papillary dermis, reticular dermis, hypodermis), each with thickness, quasi-static modulus,
//!   viscosity (rate stiffening), rupture stress, fracture energy and friction against steel.
//!   Twelve built-in anatomical sites with thicknesses from Chopra 2015 (Aesthet Surg J
//!   35:1007), BMC Med Imaging 2022;22:113 Table 2, Iyengar 2018 (Dermatol Surg) and
//!   Sandby-Møller 2003 (Acta Derm Venereol 83:410); custom sites from data ([`SiteSpec`]).
//! * **Needles and hand** ([`needle`]): needle geometry, cartridges (9–42 needles and nano)
//!   and the guard gap that pressing force closes and tilt opens.
//! * **Penetration** ([`stroke`](mod@stroke)): tenting against a rate-dependent foundation,
//!   rupture of each layer by a force that scales with tip area and falls with speed, then
//!   cutting plus shaft friction; the events are found in closed form, so one needle-stroke
//!   costs tens of nanoseconds. Pre-compression carries between strokes. A fixed-step
//!   reference ([`reference::stroke_stepped`]) checks the event solver converges.
//! * **Pen plant** ([`plant`]): the motor's electrical and mechanical equations sub-stepped at
//!   20 µs (exact exponential update of the current), a cam of fixed 3 mm throw, return spring,
//!   battery with internal resistance; outputs what firmware senses (current, hall period,
//!   battery voltage) plus needle position and completed punctures.
//!
//! Every parameter's source is cited in the module that defines it; values marked
//! **calibrated** were chosen to reproduce a published behaviour named next to them, and those
//! marked **estimate** have no published measurement behind them.

pub mod error;
pub mod layer;
pub mod needle;
pub mod plant;
pub mod reference;
pub mod site;
pub mod stroke;

pub use error::PhysicsError;
pub use layer::{Layer, LayerProps};
pub use needle::{CARTRIDGE_NAMES, Cartridge, EXPOSURE_MAX_UM, Needle};
pub use plant::{Contact, PenParams, PenPlant, PlantTick, Puncture};
pub use site::{
    BUILTIN_SITES, LayerSpec, LayerSpecs, Site, SiteSpec, builtin_site_names, builtin_sites,
};
pub use stroke::{
    Precompression, StrokeInput, StrokeModel, StrokeResult, contact_fraction, stroke,
};
