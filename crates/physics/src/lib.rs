//! Needle–skin physics and the devices of needlebench: pure, deterministic and fast.
//!
//! This crate answers: *what does one needle do to the skin in one stroke* ([`stroke()`],
//! [`StrokeModel`]), *what does the pen's drive do with a PWM duty* ([`PenPlant`]: DC motor,
//! cam, return spring, battery, with every needle's stroke feeding back into the motor's load),
//! *what do a derma roller and a derma stamp do* ([`device`]), and *how well does the model
//! match published measurements* ([`validation`]). No I/O, no clocks, no global randomness, no
//! allocation per stroke.
//!
//! # Model in brief
//! * **Tissue** ([`site`], [`layer`]): a column per site — stratum corneum, viable epidermis,
//!   papillary and reticular dermis, hypodermis, muscle — ending in a floor of bone or
//!   cartilage that no needle passes. Sixteen built-in sites, every thickness cited or
//!   labelled an estimate; custom sites from data ([`SiteSpec`]).
//! * **Local mechanics** ([`mechanics`]): tenting against the stiffness of the layered column
//!   under a punch of the needle's size (Odemark equivalent thickness + Boussinesq on-axis
//!   weighting, so strain within a few shaft radii dominates); a Sneddon cone before the
//!   surface breaks; a bounded rate law for the moduli; rupture forces that fall with speed
//!   as Olatunji 2013 measured.
//! * **Penetration** ([`stroke`](mod@stroke)): the instantaneous cam speed at the surface
//!   rupture, progressive rupture of each layer by its own criterion, cutting plus shaft
//!   friction solved in closed form, so depth rises continuously with the setting and can end
//!   in any layer; pre-compression carries between strokes. A fixed-step reference
//!   ([`reference::stroke_stepped`]) checks the event solver converges.
//! * **Spread** ([`spread`]): seeded, counter-based per-puncture variation of local thickness
//!   and force, calibrated to Kalluri 2011's histological standard deviation.
//! * **Pen plant** ([`plant`]): motor, cam of fixed 3 mm throw, return spring, battery.
//! * **Rollers and stamps** ([`device`]): plants with no firmware, stepped with the hand state.
//! * **Validation** ([`validation`]): published cases in `validation/cases.toml` run against
//!   the model with a tolerance each; `needlebench validate [--json FILE] [--html FILE]`
//!   prints the table (case, published, model, tolerance, verdict, the reason of each miss),
//!   and `cargo test -p needlebench-physics` holds every case to it.
//!
//! # What the defaults give (pen, 36 needles, 3 mm cam, 2 N, upright; µm and layer)
//! | site | 0.25 mm @100 Hz | 0.25 mm @150 Hz |
//! |---|---|---|
//! | forehead | 74 papillary | 76 papillary |
//! | glabella | 71 papillary | 73 papillary |
//! | temple | 45 viable epidermis | 45 viable epidermis |
//! | periorbital | 96 papillary | 98 papillary |
//! | nose | 98 papillary | 100 papillary |
//! | cheek | 57 viable epidermis | 57 viable epidermis |
//! | upper_lip | 63 viable epidermis | 63 viable epidermis |
//! | chin | 55 viable epidermis | 53 viable epidermis |
//!
//! Cheek at 150 Hz: 0.5 mm → 171 papillary, 1.0 mm → 369, 1.5 mm → 458, 2.0 mm → 547,
//! 2.5 mm → 902 (all reticular). Periorbital 2.5 mm → 1660 µm, muscle, resting on the bone of
//! the orbital rim. A 0.25 mm step raises the depth by at most 264 µm at any built-in site,
//! 60–150 Hz, 1–6 N. Every "done when" item of issue 11 is a test in
//! `tests/physics/done_when.rs`; the published cases are in [`validation`].
//!
//! # Known limits
//! * Rollers bury ~65 % of the needle where Kalluri 2011 measured ~20 % (rat): a known miss
//!   in the validation table, with the reason.
//! * At a shaft-size punch the fat carries only a few per cent of the strain, but being
//!   ~3000× softer than the dermis at pen rates it still supplies a large share of the
//!   tenting compliance: doubling 4 mm of fat lowers the effective modulus by ~28 %.
//! * The guard's static pre-stress of the fat under the hand force is not modelled (no
//!   published strain-stiffening data for facial fat was found).
//! * Thinner skin over the same fat can tent more and break later (softer at the tip scale).
//!
//! # Performance (criterion, `cargo bench -p needlebench-physics -- --warm-up-time 1
//! --measurement-time 3`, one core of a loaded 2-core machine)
//! * `penetration/cartridge_stroke_36`: ~1.7 M needle-strokes/s (model built per stroke);
//!   `burst_1s_150hz`: ~2.1 M/s. (The v1 model did ~18 M/s with no layered mechanics.)
//! * `plant/plant_1s_1khz` (36 needles, 150 Hz, cheek): ~5.6 µs per 1 kHz tick, most of it
//!   the 36 needle-strokes per revolution; with the old 20 µs explicit motor integration
//!   and the same penetration model it was ~9.0 µs.
//! * `plant/plant_1s_1khz_air` (motor, cam and battery alone): ~0.85 µs per tick with the
//!   exact 100 µs sub-steps, ~3.2 µs with the old 20 µs explicit sub-steps.
//!
//! Every parameter's source is cited in the module that defines it; values marked
//! **calibrated** were chosen to reproduce a published behaviour named next to them, and those
//! marked **estimate** have no published measurement behind them.

pub mod device;
pub mod error;
pub mod layer;
pub mod mechanics;
pub mod motor;
pub mod needle;
pub mod pen_params;
pub mod plant;
pub mod precompression;
pub mod reference;
pub mod site;
pub mod spread;
pub mod stroke;
pub mod validation;

pub use device::{
    DeviceKind, DevicePuncture, HandState, RollerParams, RollerPlant, StampParams, StampPlant,
};
pub use error::PhysicsError;
pub use layer::{LAYER_COUNT, Layer, LayerProps};
pub use needle::{CARTRIDGE_NAMES, Cartridge, EXPOSURE_MAX_UM, Needle};
pub use plant::{Contact, NeedleSites, PenParams, PenPlant, PlantTick, Puncture};
pub use site::{
    BUILTIN_SITES, LayerSpec, LayerSpecs, Site, SiteSpec, builtin_site_names, builtin_sites,
};
pub use spread::SpreadDraw;
pub use stroke::{
    Precompression, StrokeInput, StrokeModel, StrokeResult, contact_fraction, stroke,
};
pub use validation::{Case, ValidationRow, Verdict, validate};
