//! Whether a visit belongs in a record: the patient's identity (sex and
//! birth date, the record's when the request leaves them out) and a date no
//! earlier than the last visit and no later than today. Pure: the caller
//! has read the record.

use super::read::Course;
use super::visit::Identity;
use crate::dosing::msg;
use crate::dosing::{self, AgeInput, Field, PatientInput};
use chrono::NaiveDate;

/// A refused request field (worded for its route by the caller).
pub(crate) fn refusal(field: Field, words: String) -> dosing::Error {
    dosing::Error::new(field, msg![field, " ", words])
}

/// A record is written only for a visit dated no later than today: a
/// future date would be recorded and then refuse every real visit before it.
pub(crate) fn not_in_the_future(as_of: NaiveDate, today: NaiveDate) -> Result<(), dosing::Error> {
    if as_of > today {
        return Err(refusal(
            Field::AsOf,
            format!(
                "{as_of} is after today ({today}): a visit record takes visits on or before today"
            ),
        ));
    }
    Ok(())
}

/// The visit belongs in the record: the patient's identity (the record's
/// when the request leaves it out) and a date no earlier than the last visit.
pub(crate) fn belongs(
    p: &PatientInput,
    course: &Course,
    as_of: NaiveDate,
) -> Result<Identity, dosing::Error> {
    let first = course.lines.first();
    let (birth, age_given) = match p.age {
        Some(AgeInput::BirthDate(d)) => (Some(d), false),
        Some(AgeInput::Years(_)) => (None, true),
        None => (None, false),
    };
    let who = identity(
        p.sex,
        birth,
        age_given,
        first.map(|l| (l.visit.patient, l.number)),
    )?;
    let last = course.last().map(|l| (l.visit.date, l.number));
    in_order(as_of, last)?;
    Ok(who)
}

/// The sex and birth date of a request that writes a record: required, and
/// the record's when it has visits.
fn identity(
    sex: Option<crate::vocab::Sex>,
    birth: Option<NaiveDate>,
    age_given: bool,
    known: Option<(Identity, usize)>,
) -> Result<Identity, dosing::Error> {
    if age_given {
        return Err(refusal(
            Field::AgeYears,
            "cannot be used with a visit record: give the birth date (the record's identity)"
                .to_string(),
        ));
    }
    let sex = sex.or(known.map(|(k, _)| k.sex));
    let birth = birth.or(known.map(|(k, _)| k.birth_date));
    let (Some(sex), Some(birth_date)) = (sex, birth) else {
        let missing = if sex.is_none() {
            Field::Sex
        } else {
            Field::BirthDate
        };
        return Err(refusal(
            missing,
            "is required with a visit record (sex and birth date identify the patient)".to_string(),
        ));
    };
    if let Some((k, line)) = known {
        if k.sex != sex {
            return Err(refusal(
                Field::Sex,
                format!(
                    "{sex} differs from the record's {} (line {line}): is this the patient's record?",
                    k.sex
                ),
            ));
        }
        if k.birth_date != birth_date {
            return Err(refusal(
                Field::BirthDate,
                format!(
                    "{birth_date} differs from the record's {} (line {line}): is this the patient's record?",
                    k.birth_date
                ),
            ));
        }
    }
    Ok(Identity { sex, birth_date })
}

/// A visit dated before the record's last one is refused.
fn in_order(as_of: NaiveDate, last: Option<(NaiveDate, usize)>) -> Result<(), dosing::Error> {
    match last {
        Some((date, line)) if as_of < date => Err(refusal(
            Field::AsOf,
            format!(
                "{as_of} is before the record's last visit, {date} (line {line}): visits are added in date order"
            ),
        )),
        _ => Ok(()),
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used)]

    use super::{belongs, not_in_the_future};
    use crate::dosing::{AgeInput, Field, PatientInput, Route};
    use crate::record::{Course, read};
    use crate::vocab::Sex;
    use chrono::NaiveDate;

    const START: &str = r#"{"record":"gh-dose-visit","record_version":1,"date":"2026-01-10","command":"start","patient":{"sex":"female","birth_date":"2018-03-01"},"indication":"turner","measurements":{"weight_kg":24.0,"height_cm":118.0,"height_sds":null,"height_sds_source":null,"bmi":null,"pubertal":false},"igf1":null,"dose_before":null,"dose":null,"decision":{"action":"withhold","change_percent":null,"reduced_for_igf1":false,"flags":[],"next_review":null,"from_record":[],"overridden":[]},"rules":{"source":"built-in","version":"2026.11","sha256":"ab","products_sha256":null},"gh_dose_version":"0.1.0"}"#;

    fn day(s: &str) -> NaiveDate {
        s.parse().unwrap()
    }

    fn course() -> Course {
        read(&format!("{START}\n"), "p.jsonl").unwrap()
    }

    #[test]
    fn the_record_gives_the_identity_and_a_different_one_is_refused() {
        let c = course();
        let who = belongs(&PatientInput::default(), &c, day("2026-07-10")).unwrap();
        assert_eq!((who.sex, who.birth_date), (Sex::Female, day("2018-03-01")));
        let male = PatientInput {
            sex: Some(Sex::Male),
            ..Default::default()
        };
        let e = belongs(&male, &c, day("2026-07-10")).unwrap_err();
        assert_eq!(
            e.render(Route::Json),
            "sex male differs from the record's female (line 1): is this the patient's record?"
        );
        let aged = PatientInput {
            age: Some(AgeInput::Years(8.0)),
            ..Default::default()
        };
        assert_eq!(
            belongs(&aged, &c, day("2026-07-10")).unwrap_err().field,
            Field::AgeYears
        );
        // A new record needs both.
        let empty = read("", "new.jsonl").unwrap();
        let e = belongs(&male, &empty, day("2026-07-10")).unwrap_err();
        assert_eq!(e.field, Field::BirthDate);
    }

    #[test]
    fn a_visit_before_the_last_or_after_today_is_refused() {
        let c = course();
        let e = belongs(&PatientInput::default(), &c, day("2026-01-09")).unwrap_err();
        assert_eq!(
            e.render(Route::Flags),
            "--as-of 2026-01-09 is before the record's last visit, 2026-01-10 (line 1): visits are added in date order"
        );
        assert!(belongs(&PatientInput::default(), &c, day("2026-01-10")).is_ok());
        assert!(not_in_the_future(day("2026-01-10"), day("2026-01-10")).is_ok());
        let e = not_in_the_future(day("2026-01-11"), day("2026-01-10")).unwrap_err();
        assert_eq!(e.field, Field::AsOf);
    }
}
