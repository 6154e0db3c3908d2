//! Measures built on a growth reference: decimal age, height velocity,
//! change in SDS and mid-parental target height.

use super::lms::GrowthReference;
use super::{GrowthError, Measurement};
use crate::vocab::Sex;
use chrono::NaiveDate;

/// Days per year in decimal age.
pub const DAYS_PER_YEAR: f64 = 365.25;

/// The numbers of the mid-parental target height (from the rule set:
/// Tanner 13 cm, a range of +/- 8.5 cm, SDS at 20 years).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Tanner {
    /// The sex difference in adult height added to (boys) or taken off
    /// (girls) the sum of the parents' heights, cm.
    pub sex_difference_cm: f64,
    /// Half-width of the target range, cm.
    pub range_cm: f64,
    /// The age at which the target's SDS is taken on the adult reference.
    pub adult_age_years: f64,
}

/// A measurement at an age.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Observation {
    /// Decimal age in years.
    pub age_years: f64,
    /// The value, in the unit of the reference it is scored on (cm for height).
    pub value: f64,
}

/// Change in SDS between two measurements on one reference.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct DeltaSds {
    /// SDS at the earlier measurement.
    pub from_sds: f64,
    /// SDS at the later measurement.
    pub to_sds: f64,
    /// Later minus earlier SDS.
    pub total: f64,
    /// The change per year of the interval.
    pub per_year: f64,
    /// Years between the measurements.
    pub interval_years: f64,
}

/// Mid-parental target height (Tanner) and its SDS on the adult reference.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct TargetHeight {
    /// Mid-parental height corrected for sex, cm.
    pub cm: f64,
    /// Lower end of the target range (cm - 8.5).
    pub low_cm: f64,
    /// Upper end of the target range (cm + 8.5).
    pub high_cm: f64,
    /// SDS of `cm` at 20 years on the reference used.
    pub sds: f64,
}

/// Decimal age at a measurement: whole days since birth / 365.25.
pub fn decimal_age(birth: NaiveDate, measured: NaiveDate) -> Result<f64, GrowthError> {
    if measured < birth {
        return Err(GrowthError::MeasuredBeforeBirth { birth, measured });
    }
    Ok((measured - birth).num_days() as f64 / DAYS_PER_YEAR)
}

/// Height velocity in cm/year between two measurements of height (or
/// length) in cm; refused when the later one is less than
/// `min_interval_years` after the earlier (e.g. 0.5). A later height below
/// the earlier gives a negative velocity: reported, not hidden.
pub fn height_velocity(
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
pub fn delta_sds(
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
pub fn parent_height(cm: f64) -> Result<f64, GrowthError> {
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
pub fn target_height(
    sex: Sex,
    father_cm: f64,
    mother_cm: f64,
    adult: &GrowthReference,
    t: &Tanner,
) -> Result<TargetHeight, GrowthError> {
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
    Ok(TargetHeight {
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
mod tests {
    use super::*;
    use crate::growth::Builtin;

    const TANNER: Tanner = Tanner {
        sex_difference_cm: 13.0,
        range_cm: 8.5,
        adult_age_years: 20.0,
    };

    fn at(age_years: f64, value: f64) -> Observation {
        Observation { age_years, value }
    }

    fn date(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).unwrap()
    }

    #[test]
    fn decimal_age_is_days_over_365_25() {
        // 2016-01-01 to 2024-01-01: 2922 days = 8.0 years exactly.
        assert_eq!(decimal_age(date(2016, 1, 1), date(2024, 1, 1)), Ok(8.0));
        assert_eq!(decimal_age(date(2024, 1, 1), date(2024, 1, 1)), Ok(0.0));
        // 2015-03-01 to 2024-03-01: 3288 days / 365.25 = 9.002053388...
        let age = decimal_age(date(2015, 3, 1), date(2024, 3, 1)).unwrap();
        assert!((age - 3288.0 / 365.25).abs() < 1e-15);
        let e = decimal_age(date(2024, 1, 2), date(2024, 1, 1)).unwrap_err();
        assert!(e.to_string().contains("before the birth date"), "{e}");
    }

    #[test]
    fn velocity_over_an_interval() {
        // Born 2015-03-01: 110.0 cm at 8.0 y (2023-03-01), 115.2 cm at
        // 9.002053 y (2024-03-01, 366 days later): 5.2 / (366/365.25)
        // = 5.189344 cm/year.
        let (a, b) = (2922.0 / 365.25, 3288.0 / 365.25);
        let v = height_velocity(at(a, 110.0), at(b, 115.2), 0.5).unwrap();
        assert!((v - 5.189344).abs() < 1e-6, "{v}");
        // Too short, reversed, or a bad minimum: refused.
        let e = height_velocity(at(8.0, 110.0), at(8.4, 112.0), 0.5).unwrap_err();
        assert_eq!(
            e.to_string(),
            "the later measurement must be at least 0.5 years after the earlier one; \
             it is 0.4 years after it"
        );
        assert!(height_velocity(at(9.0, 115.0), at(8.0, 110.0), 0.5).is_err());
        for min in [0.0, -1.0, f64::NAN] {
            assert!(height_velocity(at(8.0, 110.0), at(9.0, 115.0), min).is_err());
        }
        assert!(height_velocity(at(f64::NAN, 110.0), at(9.0, 115.0), 0.5).is_err());
        assert!(height_velocity(at(8.0, 0.0), at(9.0, 115.0), 0.5).is_err());
    }

    #[test]
    fn delta_sds_on_the_turner_reference() {
        // Turner rows (L = 1, S = 0.047): M = 110.67 at 8 y, 115.13 at 9 y.
        // 110.0 cm at 8.0 y: (110/110.67 - 1)/0.047 = -0.128809245;
        // 115.2 cm at 9.0 y: (115.2/115.13 - 1)/0.047 = +0.012936348;
        // change +0.141745593 over 1.0 year.
        let turner = Builtin::TurnerHeight.reference().unwrap();
        let d = delta_sds(turner, Sex::Female, at(8.0, 110.0), at(9.0, 115.2), 0.5).unwrap();
        assert!((d.from_sds + 0.128809245).abs() < 1e-9, "{d:?}");
        assert!((d.to_sds - 0.012936348).abs() < 1e-9, "{d:?}");
        assert!((d.total - 0.141745593).abs() < 1e-9, "{d:?}");
        assert_eq!(d.per_year, d.total);
        // Half a year: the change per year doubles.
        let half = delta_sds(turner, Sex::Female, at(8.5, 112.0), at(9.0, 115.2), 0.5).unwrap();
        assert!((half.per_year - 2.0 * half.total).abs() < 1e-12);
        assert!(delta_sds(turner, Sex::Male, at(8.0, 110.0), at(9.0, 115.2), 0.5).is_err());
        assert!(delta_sds(turner, Sex::Female, at(8.0, 110.0), at(8.2, 111.0), 0.5).is_err());
    }

    #[test]
    fn target_height_by_the_tanner_method() {
        let cdc = Builtin::CdcHeight.reference().unwrap();
        // Father 180, mother 165. Boy: (180 + 165 + 13)/2 = 179.0, range
        // 170.5-187.5; CDC boys 240 months: L = 1.167279219, M = 176.8492322,
        // S = 0.040369574: ((179/176.8492)^1.16728 - 1)/(1.16728*0.04037) = 0.301562.
        let boy = target_height(Sex::Male, 180.0, 165.0, cdc, &TANNER).unwrap();
        assert_eq!((boy.cm, boy.low_cm, boy.high_cm), (179.0, 170.5, 187.5));
        assert!((boy.sds - 0.301562).abs() < 1e-6, "{boy:?}");
        // Girl: (180 + 165 - 13)/2 = 166.0; girls 240 months: L = 1.108046193,
        // M = 163.338251, S = 0.039636316: SDS = 0.411497.
        let girl = target_height(Sex::Female, 180.0, 165.0, cdc, &TANNER).unwrap();
        assert_eq!((girl.cm, girl.low_cm, girl.high_cm), (166.0, 157.5, 174.5));
        assert!((girl.sds - 0.411497).abs() < 1e-6, "{girl:?}");
        for bad in [f64::NAN, 99.0, 251.0] {
            assert!(target_height(Sex::Male, bad, 165.0, cdc, &TANNER).is_err());
        }
        let weight = Builtin::CdcWeight.reference().unwrap();
        let e = target_height(Sex::Male, 180.0, 165.0, weight, &TANNER).unwrap_err();
        assert!(matches!(e, GrowthError::WrongMeasurement { .. }), "{e}");
        // The length table does not reach 20 years: refused, with its range.
        let e = target_height(
            Sex::Male,
            180.0,
            165.0,
            Builtin::CdcLength.reference().unwrap(),
            &TANNER,
        );
        assert!(e.is_err());
    }
}
