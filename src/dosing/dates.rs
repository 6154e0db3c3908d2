//! Dates: offsets from a date, review windows, the next sampling window of a
//! weekly product, and the cross-checks between the dates of a visit.

use super::error::{Error, Field, Result, msg};
use super::outcome::NextReview;
use super::request::TitrateRequest;
use super::trail::Notes;
use crate::rules::{Offset, RuleSet};
use chrono::{Days, Months, NaiveDate};

/// A date plus an offset; month ends clamp (Jan 31 + 1 month = Feb 28).
pub fn add(date: NaiveDate, offset: Offset) -> Option<NaiveDate> {
    match offset {
        Offset::Days(d) => date.checked_add_days(Days::new(u64::from(d))),
        Offset::Weeks(w) => date.checked_add_days(Days::new(u64::from(w) * 7)),
        Offset::Months(m) => date.checked_add_months(Months::new(m)),
    }
}

/// `date` plus whole days (the date itself at the end of the calendar).
pub fn plus(date: NaiveDate, days: u64) -> NaiveDate {
    date.checked_add_days(Days::new(days)).unwrap_or(date)
}

/// The review window `id` counted from `from`; cites its sources.
pub fn review(rules: &RuleSet, id: &str, from: NaiveDate, notes: &mut Notes) -> Option<NextReview> {
    let r = rules.review(id)?;
    notes.cite(&r.cited.sources);
    Some(NextReview {
        earliest: add(from, r.earliest)?,
        latest: add(from, r.latest)?,
        what: r.what.clone(),
    })
}

/// The next sampling window after the next injection on or after `as_of`.
pub fn next_window(last: NaiveDate, as_of: NaiveDate, (lo, hi): (u32, u32)) -> NextReview {
    let behind = (as_of - last).num_days().max(0);
    let weeks = u64::try_from((behind + 6) / 7).unwrap_or(0);
    let next = plus(last, weeks * 7);
    NextReview {
        earliest: plus(next, u64::from(lo)),
        latest: plus(next, u64::from(hi)),
        what: vec![format!(
            "IGF-1 on day {lo}-{hi} after the injection of {next}"
        )],
    }
}

/// The dates of a visit: none after the as-of date, in the order the
/// decision needs.
pub fn check(req: &TitrateRequest) -> Result<()> {
    let as_of = req.subject.as_of;
    for (field, date) in [
        (Field::Igf1Date, req.igf1_date),
        (Field::LastDoseChange, req.last_dose_change),
        (Field::LastInjection, req.last_injection),
        (Field::TreatmentStart, req.treatment_start),
    ] {
        if let Some(d) = date
            && d > as_of
        {
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
    if let (Some(sample), Some(change)) = (req.igf1_date, req.last_dose_change)
        && sample < change
    {
        return Err(Error::new(
            Field::Igf1Date,
            msg![
                Field::Igf1Date,
                format!(" {sample} is before "),
                Field::LastDoseChange,
                format!(" {change}: the sample does not reflect the current dose")
            ],
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
mod tests {
    use super::*;

    fn d(s: &str) -> NaiveDate {
        s.parse().unwrap()
    }

    #[test]
    fn month_arithmetic_clamps_to_month_end() {
        let x = d("2026-08-31");
        assert_eq!(add(x, Offset::Months(6)).unwrap().to_string(), "2027-02-28");
        assert_eq!(add(x, Offset::Weeks(4)).unwrap().to_string(), "2026-09-28");
        assert_eq!(add(x, Offset::Days(1)).unwrap().to_string(), "2026-09-01");
    }

    #[test]
    fn the_next_window_follows_the_next_injection() {
        // Injection on Monday 16th, as of Sunday 22nd: next injection 23rd.
        let w = next_window(d("2026-11-16"), d("2026-11-22"), (3, 4));
        assert_eq!((w.earliest, w.latest), (d("2026-11-26"), d("2026-11-27")));
        // Injection today: today's window.
        let w = next_window(d("2026-11-22"), d("2026-11-22"), (4, 4));
        assert_eq!(w.earliest, d("2026-11-26"));
        // A week ago to the day: today is the next injection.
        let w = next_window(d("2026-11-15"), d("2026-11-22"), (4, 5));
        assert_eq!((w.earliest, w.latest), (d("2026-11-26"), d("2026-11-27")));
    }
}
