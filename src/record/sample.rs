//! An IGF-1 sample is decided on once: a second decision on the same
//! sample, or on one drawn before a reduction for IGF-1 can show, would
//! apply its change twice. Pure: the caller has read the record.

use super::belongs::refusal;
use super::read::Course;
use crate::dosing::{self, Field, TitrateRequest};
use crate::rules::RuleSet;
use crate::vocab::Population;

/// An IGF-1 sample is decided on once: a second decision on it (the same
/// command run twice, a batch run again) would apply its change twice.
/// `name` is the record as opened, for the commands a refusal suggests.
pub(crate) fn one_decision_per_sample(
    req: &TitrateRequest,
    course: &Course,
    name: &str,
    rules: &RuleSet,
) -> Result<(), dosing::Error> {
    if req.igf1.is_none() {
        return Ok(());
    }
    let sample = req.igf1_date.unwrap_or(req.subject.as_of);
    let used = course
        .lines
        .iter()
        .rev()
        .find(|l| l.visit.igf1.as_ref().and_then(|i| i.date) == Some(sample));
    if let Some(l) = used {
        return Err(refusal(
            Field::Igf1Date,
            format!(
                "{sample} (the IGF-1 sample's date; the as-of date when not given): the sample of that date was decided on at the visit of {} (line {}); a second decision on it would apply its change twice (the same request run again prints that decision again; if that visit was entered in error: gh-dose record void {} --line {} --reason TEXT, then decide again)",
                l.visit.date, l.number, name, l.number
            ),
        ));
    }
    // A sample drawn before the reduced dose can show in IGF-1 is most
    // likely the same result entered again: it would reduce twice.
    let last_change = course.lines.iter().rev().find(|l| {
        l.visit.dose.is_some() && (l.visit.command == "start" || l.visit.decision.action.changes())
    });
    let Some(l) = last_change.filter(|l| l.visit.decision.reduced_for_igf1) else {
        return Ok(());
    };
    let id = req.subject.indication.trim();
    let population = rules
        .indications
        .iter()
        .find(|i| i.id == id)
        .map_or(Population::Pediatric, |i| i.population);
    let min_days = dosing::min_days_after_change(population, rules);
    let days = (sample - l.visit.date).num_days();
    if days < i64::from(min_days) {
        return Err(refusal(
            Field::Igf1Date,
            format!(
                "{sample} (the IGF-1 sample's date; the as-of date when not given) is {days} days after the reduction for IGF-1 of {} (line {}); a sample before {min_days} days cannot show the reduced dose and is likely the same result again: give the date the sample was drawn",
                l.visit.date, l.number
            ),
        ));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used)]

    use super::one_decision_per_sample;
    use crate::dosing::{Field, Igf1Input, PatientInput, Subject, TitrateRequest};
    use crate::record::read;
    use crate::rules::RuleSet;
    use chrono::NaiveDate;

    const VISIT: &str = r#"{"record":"gh-dose-visit","record_version":1,"date":"2026-07-10","command":"titrate","patient":{"sex":"female","birth_date":"2018-03-01"},"indication":"turner","measurements":{"weight_kg":26.0,"height_cm":null,"height_sds":null,"height_sds_source":null,"bmi":null,"pubertal":false},"igf1":{"given":"+2.6 SDS","ng_ml":null,"sds":2.6,"method":"reported","reference":null,"date":"2026-07-08"},"dose_before":null,"dose":{"product":null,"device":null,"region":"US","injections_per_week":7,"injections_per_dose":1,"mg_per_injection":1.0,"mg_per_week":7.0,"mg_per_kg_per_week":null},"decision":{"action":"decrease","change_percent":-13.0,"reduced_for_igf1":true,"flags":["IGF1_ABOVE_RANGE"],"next_review":null,"from_record":[],"overridden":[]},"rules":{"source":"built-in","version":"2026.11","sha256":"ab","products_sha256":null},"gh_dose_version":"0.1.0"}"#;

    fn day(s: &str) -> NaiveDate {
        s.parse().unwrap()
    }

    fn visit(as_of: &str, sample: Option<&str>) -> TitrateRequest {
        let mut r =
            TitrateRequest::new(Subject::new("turner", day(as_of), PatientInput::default()));
        r.igf1 = Some(Igf1Input::Sds(2.0));
        r.igf1_date = sample.map(day);
        r
    }

    #[test]
    fn a_sample_decided_on_or_drawn_before_the_reduction_shows_is_refused() {
        let c = read(&format!("{VISIT}\n"), "p.jsonl").unwrap();
        let rules = RuleSet::built_in().unwrap();
        let e = one_decision_per_sample(
            &visit("2026-08-10", Some("2026-07-08")),
            &c,
            "p.jsonl",
            &rules,
        )
        .unwrap_err();
        assert_eq!(e.field, Field::Igf1Date);
        assert!(e.render(crate::dosing::Route::Flags).contains(
            "the sample of that date was decided on at the visit of 2026-07-10 (line 1)"
        ));
        let e =
            one_decision_per_sample(&visit("2026-07-15", None), &c, "p.jsonl", &rules).unwrap_err();
        assert!(e.render(crate::dosing::Route::Flags).contains(
            "is 5 days after the reduction for IGF-1 of 2026-07-10 (line 1); a sample before 7 days"
        ));
        // Without an IGF-1 there is no sample to decide on twice.
        let mut none = visit("2026-07-20", None);
        none.igf1 = None;
        assert!(one_decision_per_sample(&none, &c, "p.jsonl", &rules).is_ok());
        // Long enough after the reduction, a new sample is decided on.
        assert!(one_decision_per_sample(&visit("2027-01-10", None), &c, "p.jsonl", &rules).is_ok());
    }
}
