//! Unit tests of `measures.rs`.

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
