//! Reading back numbers that JSON wrote as `null`: JSON has no NaN or infinity, so the
//! reports write non-finite numbers as `null`, and a report read back (to merge shards) reads
//! `null` as NaN.

use serde::{Deserialize, Deserializer};
use std::collections::BTreeMap;

/// A number, `null` read as NaN.
pub(crate) fn f64<'de, D: Deserializer<'de>>(d: D) -> Result<f64, D::Error> {
    Ok(Option::<f64>::deserialize(d)?.unwrap_or(f64::NAN))
}

/// A list of numbers, each `null` read as NaN.
pub(crate) fn vec<'de, D: Deserializer<'de>>(d: D) -> Result<Vec<f64>, D::Error> {
    let v = Vec::<Option<f64>>::deserialize(d)?;
    Ok(v.into_iter().map(|x| x.unwrap_or(f64::NAN)).collect())
}

/// Numbers by name, each `null` read as NaN.
pub(crate) fn map<'de, D: Deserializer<'de>>(d: D) -> Result<BTreeMap<String, f64>, D::Error> {
    let m = BTreeMap::<String, Option<f64>>::deserialize(d)?;
    Ok(m.into_iter()
        .map(|(k, x)| (k, x.unwrap_or(f64::NAN)))
        .collect())
}
