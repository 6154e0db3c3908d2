//! Growth references: LMS tables with their source, L, M and S at an age
//! (by the engine's four-point Lagrange scheme), SDS and the value at an SDS.

use super::{GrowthError, Measurement};
use crate::lms::lagrange;
use crate::lms::{Lms, LmsRow, age_range};
use crate::vocab::Sex;

/// What a reference is and where it comes from, to be shown with every
/// result computed on it.
#[derive(Debug, Clone, PartialEq)]
pub struct ReferenceInfo {
    /// Short stable id, e.g. `cdc2000-height`.
    pub id: String,
    /// Human-readable name.
    pub(crate) name: String,
    /// What it measures (and so its unit).
    pub(crate) measurement: Measurement,
    /// The published source.
    pub(crate) citation: String,
    /// Terms of use and required credit.
    pub(crate) licence: String,
    /// The file the table was converted from, if stated.
    pub source_file: Option<String>,
    /// Hex SHA-256 of that file, if stated.
    pub source_sha256: Option<String>,
}

/// A growth reference: its description and its LMS rows by sex, each in
/// strictly increasing age with finite L, positive M and S (checked by
/// [`GrowthReference::new`]).
#[derive(Debug, Clone, PartialEq)]
pub struct GrowthReference {
    /// Name, source and licence.
    pub info: ReferenceInfo,
    female: Vec<LmsRow>,
    male: Vec<LmsRow>,
}

impl GrowthReference {
    /// Builds a reference; refuses no rows at all, non-finite numbers, M or
    /// S not positive, and ages that do not strictly increase within a sex.
    pub(crate) fn new(
        info: ReferenceInfo,
        female: Vec<LmsRow>,
        male: Vec<LmsRow>,
    ) -> Result<GrowthReference, GrowthError> {
        if female.is_empty() && male.is_empty() {
            return Err(GrowthError::InvalidTable(format!("{}: no rows", info.name)));
        }
        for rows in [&female, &male] {
            let mut previous = f64::NEG_INFINITY;
            for r in rows {
                let finite = [r.age_years, r.l, r.m, r.s].iter().all(|x| x.is_finite());
                if !finite || r.m <= 0.0 || r.s <= 0.0 || r.age_years <= previous {
                    return Err(GrowthError::InvalidTable(format!(
                        "{}: the row at age {} years needs finite L, positive M and S, \
                         and an age above the previous row's",
                        info.name, r.age_years
                    )));
                }
                previous = r.age_years;
            }
        }
        Ok(GrowthReference { info, female, male })
    }

    /// The rows for a sex (empty when the reference has none).
    pub fn rows(&self, sex: Sex) -> &[LmsRow] {
        match sex {
            Sex::Female => &self.female,
            Sex::Male => &self.male,
        }
    }

    /// The youngest and oldest ages covered for a sex.
    pub(crate) fn age_range(&self, sex: Sex) -> Option<(f64, f64)> {
        age_range(self.rows(sex))
    }

    /// L, M and S at an age in years: the row at a table age, four-point
    /// Lagrange interpolation between rows, linear in the first and last
    /// interval. Refused outside the table's ages.
    pub fn lms_at(&self, sex: Sex, age_years: f64) -> Result<Lms, GrowthError> {
        let Some((min_years, max_years)) = self.age_range(sex) else {
            return Err(GrowthError::NoRowsForSex {
                reference: self.info.name.clone(),
                sex,
            });
        };
        let lms = lagrange(self.rows(sex), age_years).ok_or_else(|| {
            GrowthError::AgeOutsideReference {
                reference: self.info.name.clone(),
                sex,
                age_years,
                min_years,
                max_years,
            }
        })?;
        // A table with abrupt changes could make the cubic overshoot.
        let finite = [lms.l, lms.m, lms.s].iter().all(|x| x.is_finite());
        if !(finite && lms.m > 0.0 && lms.s > 0.0) {
            return Err(GrowthError::InvalidTable(format!(
                "{}: interpolation at age {age_years} years gives L = {}, M = {}, S = {}",
                self.info.name, lms.l, lms.m, lms.s
            )));
        }
        Ok(lms)
    }

    /// SDS of a measurement (in the reference's unit) at an age.
    pub fn sds(&self, sex: Sex, age_years: f64, value: f64) -> Result<f64, GrowthError> {
        if !(value.is_finite() && value > 0.0) {
            return Err(GrowthError::InvalidValue {
                what: "a measurement",
                value,
                allowed: "a positive number",
            });
        }
        let z = self.lms_at(sex, age_years)?.sds(value);
        if z.is_finite() {
            Ok(z)
        } else {
            Err(GrowthError::InvalidValue {
                what: "a measurement",
                value,
                allowed: "within the range the reference can score",
            })
        }
    }

    /// The measurement at an SDS and age (a point of a centile curve).
    pub fn value_at_sds(&self, sex: Sex, age_years: f64, sds: f64) -> Result<f64, GrowthError> {
        let lms = self.lms_at(sex, age_years)?;
        lms.value_at(sds).ok_or_else(|| GrowthError::NoValueAtSds {
            reference: self.info.name.clone(),
            age_years,
            sds,
        })
    }
}

#[cfg(test)]
mod tests;
