//! Measures built on a growth reference: decimal age, height velocity,
//! change in SDS and mid-parental target height.

use super::lms::GrowthReference;
use super::{GrowthError, Measurement};
use crate::vocab::Sex;
use chrono::NaiveDate;

/// Days per year in decimal age.
pub(crate) const DAYS_PER_YEAR: f64 = 365.25;

/// The numbers of the mid-parental target height (from the rule set:
/// Tanner 13 cm, a range of +/- 8.5 cm, SDS at 20 years).
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) struct Tanner {
    /// The sex difference in adult height added to (boys) or taken off
    /// (girls) the sum of the parents' heights, cm.
    pub(crate) sex_difference_cm: f64,
    /// Half-width of the target range, cm.
    pub(crate) range_cm: f64,
    /// The age at which the target's SDS is taken on the adult reference.
    pub(crate) adult_age_years: f64,
}

/// A measurement at an age.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) struct Observation {
    /// Decimal age in years.
    pub(crate) age_years: f64,
    /// The value, in the unit of the reference it is scored on (cm for height).
    pub(crate) value: f64,
}

/// Change in SDS between two measurements on one reference.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) struct DeltaSds {
    /// SDS at the earlier measurement.
    pub(crate) from_sds: f64,
    /// SDS at the later measurement.
    pub(crate) to_sds: f64,
    /// Later minus earlier SDS.
    pub(crate) total: f64,
    /// The change per year of the interval.
    pub(crate) per_year: f64,
    /// Years between the measurements.
    pub(crate) interval_years: f64,
}

/// Mid-parental target height (Tanner) and its SDS on the adult reference.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) struct MidParentalTarget {
    /// Mid-parental height corrected for sex, cm.
    pub(crate) cm: f64,
    /// Lower end of the target range (cm - 8.5).
    pub(crate) low_cm: f64,
    /// Upper end of the target range (cm + 8.5).
    pub(crate) high_cm: f64,
    /// SDS of `cm` at 20 years on the reference used.
    pub(crate) sds: f64,
}

/// Decimal age at a measurement: whole days since birth / 365.25.
pub(crate) fn decimal_age(birth: NaiveDate, measured: NaiveDate) -> Result<f64, GrowthError> {
    if measured < birth {
        return Err(GrowthError::MeasuredBeforeBirth { birth, measured });
    }
    Ok((measured - birth).num_days() as f64 / DAYS_PER_YEAR)
}

/// Height velocity in cm/year between two measurements of height (or
/// length) in cm; refused when the later one is less than
/// `min_interval_years` after the earlier (e.g. 0.5). A later height below
/// the earlier gives a negative velocity: reported, not hidden.
#[cfg(test)]
pub(crate) fn height_velocity(
    earlier: Observation,
    later: Observation,
    min_interval_years: f64,
) -> Result<f64, GrowthError> {
    let interval = interval(earlier, later, min_interval_years)?;
    for o in [earlier, later] {
        positive(o.value, "a height (cm)")?;
    }
    Ok((later.value - earlier.value) / interval)
}

/// Change in SDS between two measurements on a reference, in total and
/// per year; refused below `min_interval_years` as [`height_velocity`].
pub(crate) fn delta_sds(
    reference: &GrowthReference,
    sex: Sex,
    earlier: Observation,
    later: Observation,
    min_interval_years: f64,
) -> Result<DeltaSds, GrowthError> {
    let interval_years = interval(earlier, later, min_interval_years)?;
    let from_sds = reference.sds(sex, earlier.age_years, earlier.value)?;
    let to_sds = reference.sds(sex, later.age_years, later.value)?;
    let total = to_sds - from_sds;
    Ok(DeltaSds {
        from_sds,
        to_sds,
        total,
        per_year: total / interval_years,
        interval_years,
    })
}

/// A parent's height in cm, as the target height takes it.
pub(crate) fn parent_height(cm: f64) -> Result<f64, GrowthError> {
    if cm.is_finite() && (100.0..=250.0).contains(&cm) {
        Ok(cm)
    } else {
        Err(GrowthError::InvalidValue {
            what: "a parent's height (cm)",
            value: cm,
            allowed: "from 100 to 250",
        })
    }
}

/// Mid-parental target height by the Tanner method: (father + mother + d)
/// / 2 for boys, (father + mother - d) / 2 for girls, range +/- r cm, with
/// its SDS at the adult age on `adult` (a height reference covering it).
pub(crate) fn target_height(
    sex: Sex,
    father_cm: f64,
    mother_cm: f64,
    adult: &GrowthReference,
    t: &Tanner,
) -> Result<MidParentalTarget, GrowthError> {
    for cm in [father_cm, mother_cm] {
        parent_height(cm)?;
    }
    if adult.info.measurement != Measurement::Height {
        return Err(GrowthError::WrongMeasurement {
            reference: adult.info.name.clone(),
            expected: Measurement::Height,
            found: adult.info.measurement,
        });
    }
    let sum = father_cm + mother_cm;
    let cm = match sex {
        Sex::Male => (sum + t.sex_difference_cm) / 2.0,
        Sex::Female => (sum - t.sex_difference_cm) / 2.0,
    };
    Ok(MidParentalTarget {
        cm,
        low_cm: cm - t.range_cm,
        high_cm: cm + t.range_cm,
        sds: adult.sds(sex, t.adult_age_years, cm)?,
    })
}

/// Years from `earlier` to `later`, at least `min_years` (itself positive).
fn interval(earlier: Observation, later: Observation, min_years: f64) -> Result<f64, GrowthError> {
    positive(min_years, "the minimum interval (years)")?;
    for o in [earlier, later] {
        if !(o.age_years.is_finite() && o.age_years >= 0.0) {
            return Err(GrowthError::InvalidValue {
                what: "an age (years)",
                value: o.age_years,
                allowed: "a number from 0",
            });
        }
    }
    let interval_years = later.age_years - earlier.age_years;
    if interval_years >= min_years {
        Ok(interval_years)
    } else {
        Err(GrowthError::IntervalTooShort {
            interval_years,
            min_years,
        })
    }
}

/// `x` when finite and above zero.
pub(super) fn positive(x: f64, what: &'static str) -> Result<f64, GrowthError> {
    if x.is_finite() && x > 0.0 {
        Ok(x)
    } else {
        Err(GrowthError::InvalidValue {
            what,
            value: x,
            allowed: "a positive number",
        })
    }
}

#[cfg(test)]
mod tests;
