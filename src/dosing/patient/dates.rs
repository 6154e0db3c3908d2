//! Dates: offsets from a date, review windows, the next sampling window of a
//! weekly product, and the cross-checks between the dates of a visit.

use crate::dosing::error::{Error, Field, Result, msg};
use crate::dosing::request::{AgeInput, TitrateRequest};
use crate::dosing::trail::Notes;
use crate::rules::{Offset, RuleSet};
use chrono::{Days, Months, NaiveDate};
use serde::Serialize;

/// When to see the patient next and what to measure.
#[derive(Debug, Clone, PartialEq, Serialize, schemars::JsonSchema)]
pub struct NextReview {
    pub earliest: NaiveDate,
    pub latest: NaiveDate,
    pub(crate) what: Vec<String>,
}

/// A date plus an offset; month ends clamp (Jan 31 + 1 month = Feb 28).
pub(crate) fn add(date: NaiveDate, offset: Offset) -> Option<NaiveDate> {
    match offset {
        Offset::Days(d) => date.checked_add_days(Days::new(u64::from(d))),
        Offset::Weeks(w) => date.checked_add_days(Days::new(u64::from(w) * 7)),
        Offset::Months(m) => date.checked_add_months(Months::new(m)),
    }
}

/// `date` plus whole days (the date itself at the end of the calendar).
pub(crate) fn plus(date: NaiveDate, days: u64) -> NaiveDate {
    date.checked_add_days(Days::new(days)).unwrap_or(date)
}

/// The review window `id` counted from `from`; cites its sources.
pub(crate) fn review(
    rules: &RuleSet,
    id: &str,
    from: NaiveDate,
    notes: &mut Notes,
) -> Option<NextReview> {
    let r = rules.review(id)?;
    notes.cite(&r.cited.sources);
    Some(NextReview {
        earliest: add(from, r.earliest)?,
        latest: add(from, r.latest)?,
        what: r.what.clone(),
    })
}

/// The next sampling window after the next injection on or after `as_of`.
pub(crate) fn next_window(last: NaiveDate, as_of: NaiveDate, (lo, hi): (u32, u32)) -> NextReview {
    let behind = (as_of - last).num_days().max(0);
    let weeks = u64::try_from((behind + 6) / 7).unwrap_or(0);
    let next = plus(last, weeks * 7);
    NextReview {
        earliest: plus(next, u64::from(lo)),
        latest: plus(next, u64::from(hi)),
        what: vec![format!(
            "IGF-1 on day {} after the injection of {next}",
            if lo == hi {
                lo.to_string()
            } else {
                format!("{lo}-{hi}")
            }
        )],
    }
}

pub(crate) use crate::units::{DATE_YEARS as YEARS, in_years};

/// Refuses a date outside [`YEARS`].
pub(crate) fn check_years(field: Field, d: NaiveDate) -> Result<()> {
    if in_years(d) {
        return Ok(());
    }
    Err(Error::says(
        field,
        format!(
            "{d} is outside the years {}-{} (dates are YYYY-MM-DD within them)",
            YEARS.0, YEARS.1
        ),
    ))
}

/// `FIELD A is WORDS FIELD B: WHY`, naming both dates.
fn pair(a: (Field, NaiveDate), words: &'static str, b: (Field, NaiveDate), why: &str) -> Error {
    Error::new(
        a.0,
        msg![
            a.0,
            format!(" {} is {words} ", a.1),
            b.0,
            format!(" {}{why}", b.1)
        ],
    )
}

/// The dates of a visit: each within [`YEARS`], none after the as-of date
/// or before the birth date, in the order the decision needs. Every refusal
/// names both dates.
pub(crate) fn check(req: &TitrateRequest) -> Result<()> {
    let as_of = req.subject.as_of;
    let dated = [
        (Field::Igf1Date, req.igf1_date),
        (Field::LastDoseChange, req.last_dose_change),
        (Field::LastInjection, req.last_injection),
        (Field::TreatmentStart, req.treatment_start),
        (Field::PreviousHeightDate, req.previous_height_date),
        (Field::PreviousWeightDate, req.previous_weight_date),
    ];
    let given = || dated.iter().filter_map(|(f, d)| d.map(|d| (*f, d)));
    for (field, d) in given() {
        check_years(field, d)?;
    }
    for (field, d) in given().filter(|(f, _)| *f != Field::PreviousHeightDate) {
        if d > as_of {
            return Err(Error::says(
                field,
                format!(
                    "{d} is after the as-of date {as_of} (dates must be on or before the as-of date)"
                ),
            ));
        }
    }
    if let Some(d) = req.previous_height_date
        && d >= as_of
    {
        return Err(Error::says(
            Field::PreviousHeightDate,
            format!("{d} must be before the current height's date {as_of} (the as-of date)"),
        ));
    }
    if let Some(AgeInput::BirthDate(birth)) = req.subject.patient.age {
        for (field, d) in given() {
            if d < birth {
                return Err(pair((field, d), "before", (Field::BirthDate, birth), ""));
            }
        }
    }
    order(req)
}

/// The order between the dates of a treatment: treatment start, then dose
/// changes and injections, then the sample that reflects them.
fn order(req: &TitrateRequest) -> Result<()> {
    if let Some(start) = req.treatment_start {
        for (field, d, why) in [
            (
                Field::LastDoseChange,
                req.last_dose_change,
                ": the dose cannot change before treatment started",
            ),
            (
                Field::LastInjection,
                req.last_injection,
                ": no injection comes before treatment started",
            ),
            (
                Field::Igf1Date,
                req.igf1_date,
                ": the sample does not reflect treatment",
            ),
        ] {
            if let Some(d) = d
                && d < start
            {
                return Err(pair(
                    (field, d),
                    "before",
                    (Field::TreatmentStart, start),
                    why,
                ));
            }
        }
    }
    if let (Some(sample), Some(change)) = (req.igf1_date, req.last_dose_change)
        && sample < change
    {
        return Err(pair(
            (Field::Igf1Date, sample),
            "before",
            (Field::LastDoseChange, change),
            ": the sample does not reflect the current dose",
        ));
    }
    if req.previous_height_cm.is_some() != req.previous_height_date.is_some() {
        return Err(Error::new(
            Field::PreviousHeightCm,
            msg![
                Field::PreviousHeightCm,
                " and ",
                Field::PreviousHeightDate,
                " go together (height velocity needs both)"
            ],
        ));
    }
    Ok(())
}

#[cfg(test)]
mod tests;
