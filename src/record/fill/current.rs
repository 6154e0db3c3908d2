//! The current dose at a visit on the record: the record's, or the one
//! given (named when it differs), a given dose that is the unit slip it
//! looks like refused, and how a recorded dose is named.

use super::{Taken, differs, fmt};
use crate::dosing::{self, CurrentDose, Field, TitrateRequest};
use crate::record::belongs::refusal;
use crate::record::prior::At;
use crate::record::visit::GivenDose;
use crate::vocab::Confirm;
use chrono::NaiveDate;

/// How a recorded dose is named: a daily dose per day (as it is dialled and
/// prescribed), with its week; a weekly one per week, with its injections.
pub(super) fn dose_words(d: &GivenDose, since: NaiveDate) -> String {
    let injections = u32::from(d.injections_per_week) * u32::from(d.injections_per_dose);
    if d.injections_per_week == 7 {
        let per_day = d.mg_per_injection * f64::from(d.injections_per_dose);
        format!(
            "current dose {} mg/day ({} mg/week) since {since}",
            fmt(per_day),
            fmt(d.mg_per_week)
        )
    } else {
        format!(
            "current dose {} mg/week ({} mg x {injections} a week) since {since}",
            fmt(d.mg_per_week),
            fmt(d.mg_per_injection)
        )
    }
}

/// The current dose: the record's, or the one given (named when it differs).
pub(super) fn current(
    req: &mut TitrateRequest,
    t: &mut Taken,
    dose: At<&GivenDose>,
    name: &dyn Fn(Field) -> String,
) -> Result<(), dosing::Error> {
    let d = dose.value;
    if let Some(note) = unit_slip(req, dose, name)? {
        t.notes.push(note);
    }
    match req.current {
        None => {
            req.current = Some(CurrentDose::PerWeek(d.mg_per_week));
            if d.injections_per_week > 1 && req.subject.injections_per_week.is_none() {
                req.subject.injections_per_week = Some(d.injections_per_week);
            }
            t.took(Field::CurrentMgPerWeek, dose_words(d, dose.date), dose.line);
        }
        Some(CurrentDose::PerDay(v)) if differs(v, d.mg_per_injection) => t.overrode(
            Field::CurrentMgPerDay,
            format!(
                "{} {} given: overrides the record's {} mg per injection (line {})",
                name(Field::CurrentMgPerDay),
                fmt(v),
                fmt(d.mg_per_injection),
                dose.line
            ),
        ),
        Some(CurrentDose::PerWeek(v)) if differs(v, d.mg_per_week) => t.overrode(
            Field::CurrentMgPerWeek,
            format!(
                "{} {} given: overrides the record's {} mg/week (line {})",
                name(Field::CurrentMgPerWeek),
                fmt(v),
                fmt(d.mg_per_week),
                dose.line
            ),
        ),
        _ => {}
    }
    Ok(())
}

/// A dose given a seventh (or seven times) the record's is the unit slip it
/// looks like (a daily dose typed per week, or the reverse), not a new dose:
/// refused, naming it, unless confirmed with `--confirm dose` (then named).
pub(super) fn unit_slip(
    req: &TitrateRequest,
    dose: At<&GivenDose>,
    name: &dyn Fn(Field) -> String,
) -> Result<Option<String>, dosing::Error> {
    let d = dose.value;
    let Some(given) = req.current else {
        return Ok(None);
    };
    if d.mg_per_week <= 0.0 {
        return Ok(None);
    }
    let (field, v, week, other, words) = match given {
        CurrentDose::PerWeek(v) => (
            Field::CurrentMgPerWeek,
            v,
            v,
            Field::CurrentMgPerDay,
            "a seventh of",
        ),
        CurrentDose::PerDay(v) => (
            Field::CurrentMgPerDay,
            v,
            v * f64::from(d.injections_per_week.max(1)),
            Field::CurrentMgPerWeek,
            "seven times",
        ),
    };
    let ratio = week / d.mg_per_week;
    let seventh = (ratio * 7.0 - 1.0).abs() < 0.15;
    let sevenfold = (ratio / 7.0 - 1.0).abs() < 0.15;
    let slipped = match given {
        CurrentDose::PerWeek(_) => seventh,
        CurrentDose::PerDay(_) => sevenfold && d.injections_per_week > 1,
    };
    if !slipped {
        return Ok(None);
    }
    if req.subject.patient.confirm.contains(&Confirm::Dose) {
        return Ok(Some(format!(
            "{} {} confirmed as real ({} dose): {words} the record's {} mg/week (line {})",
            name(field),
            fmt(v),
            name(Field::Confirm),
            fmt(d.mg_per_week),
            dose.line
        )));
    }
    Err(refusal(
        field,
        format!(
            "{} is {words} the record's {} mg/week (line {}): a {} typed per {}? did you mean {} {}; leave it out to take the record's dose, or if it is the real dose add {} dose",
            fmt(v),
            fmt(d.mg_per_week),
            dose.line,
            if matches!(given, CurrentDose::PerWeek(_)) {
                "daily dose"
            } else {
                "weekly dose"
            },
            if matches!(given, CurrentDose::PerWeek(_)) {
                "week"
            } else {
                "day"
            },
            name(other),
            fmt(v),
            name(Field::Confirm),
        ),
    ))
}
