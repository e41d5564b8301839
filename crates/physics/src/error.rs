//! The one error type of the crate: every variant names the offending field or choice.

use thiserror::Error;

/// Anything the physics refuses: unknown names, out-of-range or non-physical values.
///
/// Messages name the field the way a user writes it in a site file, e.g.
/// `layers.papillary_dermis.thickness_um must be > 0, got -5`.
#[derive(Debug, Clone, PartialEq, Error)]
pub enum PhysicsError {
    /// A site name that is not built in.
    #[error("unknown site `{name}`; valid sites: {valid}")]
    UnknownSite {
        /// The name asked for.
        name: String,
        /// Comma-separated list of the built-in site names.
        valid: String,
    },
    /// A cartridge name that does not exist.
    #[error("unknown cartridge `{name}`; valid cartridges: {valid}")]
    UnknownCartridge {
        /// The name asked for.
        name: String,
        /// Comma-separated list of the cartridge names.
        valid: String,
    },
    /// A custom site has an empty name.
    #[error("name must not be empty")]
    EmptyName,
    /// A custom site lacks one of the five layers.
    #[error(
        "missing layer `{field}`: a site needs all of stratum_corneum, viable_epidermis, papillary_dermis, reticular_dermis, hypodermis"
    )]
    MissingLayer {
        /// Path of the missing layer, e.g. `layers.hypodermis`.
        field: String,
    },
    /// A numeric value outside its physical or supported range (NaN included).
    #[error("{field} must be {requirement}, got {value}")]
    OutOfRange {
        /// Path of the field, e.g. `layers.hypodermis.modulus_pa` or `exposure_um`.
        field: String,
        /// The rule it broke, e.g. `> 0` or `in 0..=3000`.
        requirement: String,
        /// The value given.
        value: f64,
    },
}

impl PhysicsError {
    /// Shorthand for [`PhysicsError::OutOfRange`].
    pub fn out_of_range(
        field: impl Into<String>,
        requirement: impl Into<String>,
        value: f64,
    ) -> Self {
        PhysicsError::OutOfRange {
            field: field.into(),
            requirement: requirement.into(),
            value,
        }
    }
}

/// Check that `value` lies in `[min, max]` (NaN fails); `field` names it in the error.
pub(crate) fn check_range(field: &str, value: f64, min: f64, max: f64) -> Result<(), PhysicsError> {
    check_range_with(|| field.to_owned(), value, min, max)
}

/// [`check_range`] with the field name built only on error.
pub(crate) fn check_range_with(
    field: impl FnOnce() -> String,
    value: f64,
    min: f64,
    max: f64,
) -> Result<(), PhysicsError> {
    if value >= min && value <= max {
        Ok(())
    } else {
        Err(PhysicsError::out_of_range(
            field(),
            format!("in {min}..={max}"),
            value,
        ))
    }
}

/// Check that `value` is finite, `> 0` and `<= max`; `field` names it.
pub(crate) fn check_positive(field: &str, value: f64, max: f64) -> Result<(), PhysicsError> {
    check_positive_with(|| field.to_owned(), value, max)
}

/// [`check_positive`] with the field name built only on error.
pub(crate) fn check_positive_with(
    field: impl FnOnce() -> String,
    value: f64,
    max: f64,
) -> Result<(), PhysicsError> {
    if value.is_nan() || value <= 0.0 {
        Err(PhysicsError::out_of_range(field(), "> 0", value))
    } else if value > max {
        Err(PhysicsError::out_of_range(
            field(),
            format!("<= {max} (non-physical)"),
            value,
        ))
    } else {
        Ok(())
    }
}
