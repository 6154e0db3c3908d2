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
    let min_days = dosing::igf1::min_days_after_change(population, rules);
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
