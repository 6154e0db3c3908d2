//! Implausible inputs refused, not dosed, with the likely slip named: a
//! current dose far outside any regimen (a weekly dose typed per day, a dose
//! typed in the wrong unit), a previous weight that makes the current dose a
//! tenfold intensity, a pediatric indication for an adult.

use crate::dosing::error::{Error, Field, Result, msg};
use crate::dosing::patient::{Patient, fmt_num};
use crate::dosing::proposal::Kind;
use crate::dosing::request::CurrentDose;
use crate::rules::{Bounds, Indication, RuleSet};
use crate::units::{Micrograms, NgPerKg, round_to};
use crate::vocab::{Condition, Confirm, Population};

/// A pediatric indication is not dosed in an adult: refused above the rule
/// set's age (withheld instead when the epiphyses are closed).
pub(crate) fn pediatric_in_adult(ind: &Indication, p: &Patient, rules: &RuleSet) -> Result<()> {
    let max = rules.conventions.pediatric_indication_max_age_years;
    match p.age_exact {
        Some(age)
            if ind.population == Population::Pediatric
                && age >= max
                && !p.has(Condition::ClosedEpiphyses) =>
        {
            Err(Error::says(
                Field::Indication,
                format!(
                    "{} is a pediatric indication and the patient is {} years (at {max} or over): use adult-ghd (adult-onset GHD) or transition (childhood-onset GHD, growth complete); with closed epiphyses add --condition closed-epiphyses",
                    ind.id,
                    fmt_num(round_to(age, 1))
                ),
            ))
        }
        _ => Ok(()),
    }
}

/// The current dose plausible for the regimen it is given in.
pub(crate) fn current_dose(
    kind: Kind,
    current: CurrentDose,
    p: &Patient,
    rules: &RuleSet,
) -> Result<()> {
    let l = &rules.limits;
    let (field, v) = current.given();
    match kind {
        Kind::AdultDaily(_) => {
            let per_day = match current {
                CurrentDose::PerDay(d) => d,
                CurrentDose::PerWeek(w) => w / 7.0,
            };
            if l.current_adult_mg_per_day.contains(per_day) {
                return above_any_cap(current, p, rules);
            }
            let hint = slip(
                current,
                |w| l.current_adult_mg_per_day.contains(w / 7.0),
                7.0,
            );
            Err(refuse(
                field,
                v,
                format!("{} mg/day", fmt_num(round_to(per_day, 3))),
                l.current_adult_mg_per_day,
                "mg/day for an adult on daily somatropin",
                hint,
            ))
        }
        Kind::WeightBased(_) | Kind::WeeklyPediatric(_) => {
            // A weight confirmed as real but beyond the references makes a
            // dose per kg of it meaningless: the dose is read as given.
            let Some(weight) = p.weight.filter(|_| !p.confirms(Confirm::Weight)) else {
                return Ok(());
            };
            let n = if matches!(kind, Kind::WeeklyPediatric(_)) {
                1.0
            } else {
                7.0
            };
            let weekly = match current {
                CurrentDose::PerDay(d) => d * n,
                CurrentDose::PerWeek(w) => w,
            };
            let per_kg = |x: f64| {
                NgPerKg::of(Micrograms::round_mg(x).unwrap_or_default(), weight).mg_per_kg()
            };
            let b = l.current_child_mg_per_kg_week;
            if b.contains(per_kg(weekly)) {
                return Ok(());
            }
            let hint = slip(current, |x| b.contains(per_kg(x)), n);
            Err(refuse(
                field,
                v,
                format!("{} mg/kg/week on {weight} kg", fmt_num(per_kg(weekly))),
                b,
                "mg/kg/week for a child",
                hint,
            ))
        }
        Kind::WeeklyAdult(_) => {
            let b = l.current_weekly_adult_mg_per_week;
            if matches!(current, CurrentDose::PerDay(_)) || b.contains(v) {
                return Ok(());
            }
            Err(refuse(
                field,
                v,
                format!("{} mg/week", fmt_num(v)),
                b,
                "mg/week for an adult on a weekly product",
                None,
            ))
        }
    }
}

/// An adult's daily dose above the labels' cap without weight, which read
/// per week would be an ordinary one: refused as the likely slip (a weekly
/// dose typed per day) unless confirmed with `--confirm dose`.
fn above_any_cap(current: CurrentDose, p: &Patient, rules: &RuleSet) -> Result<()> {
    if slip_above_cap(current, rules).is_none() || p.confirms(Confirm::Dose) {
        return Ok(());
    }
    let (CurrentDose::PerDay(d) | CurrentDose::PerWeek(d)) = current;
    let cap = rules.titration.adult_daily.cap_without_weight.mg();
    Err(Error::new(
        Field::CurrentMgPerDay,
        msg![
            Field::CurrentMgPerDay,
            format!(
                " {} is above {cap} mg/day, the labels' adult maximum without weight: a weekly dose typed per day? did you mean ",
                fmt_num(d)
            ),
            Field::CurrentMgPerWeek,
            format!(
                " {} ({} mg/day); if it is the real dose, add ",
                fmt_num(d),
                fmt_num(round_to(d / 7.0, 3))
            ),
            Field::Confirm,
            " dose"
        ],
    ))
}

/// Whether an adult's daily dose is above the cap without weight: inside
/// the plausible band per day (checked before), read per week it is an
/// ordinary dose (the built-in cap, 1.33 mg/day, is above seven times the
/// band's lowest), so a weekly dose typed per day is the likely slip.
fn slip_above_cap(current: CurrentDose, rules: &RuleSet) -> Option<f64> {
    let cap = rules.titration.adult_daily.cap_without_weight.mg();
    let CurrentDose::PerDay(d) = current else {
        return None;
    };
    (d > cap).then_some(d)
}

/// The rationale line of `--confirm dose` when it let an adult's dose above
/// the cap through (a dose the record confirms is named by the record).
pub(crate) fn dose_confirmed(
    kind: Kind,
    current: CurrentDose,
    p: &Patient,
    rules: &RuleSet,
) -> Option<String> {
    if !p.confirms(Confirm::Dose) {
        return None;
    }
    match (kind, slip_above_cap(current, rules)) {
        (Kind::AdultDaily(_), Some(d)) => Some(format!(
            "current dose {} mg/day confirmed as real (--confirm dose): above the labels' adult maximum without weight",
            fmt_num(d)
        )),
        _ => None,
    }
}

/// The likely slip: the same number as per week instead of per day (or the
/// reverse), or micrograms typed as mg; `fits` says whether a weekly dose
/// would be plausible, and `n` is injections a week.
fn slip(
    current: CurrentDose,
    fits: impl Fn(f64) -> bool,
    n: f64,
) -> Option<Vec<crate::dosing::error::Piece>> {
    match current {
        CurrentDose::PerDay(d) if fits(d) => Some(msg![
            "a weekly dose typed per day? did you mean ",
            Field::CurrentMgPerWeek,
            format!(" {}", fmt_num(d))
        ]),
        CurrentDose::PerWeek(w) if fits(w * n) => Some(msg![
            "a daily dose typed per week? did you mean ",
            Field::CurrentMgPerDay,
            format!(" {}", fmt_num(w))
        ]),
        CurrentDose::PerDay(x) if fits(x * n / 1000.0) => Some(msg![format!(
            "micrograms typed as mg? {} mg is {} µg",
            fmt_num(x / 1000.0),
            fmt_num(x)
        )]),
        CurrentDose::PerWeek(x) if fits(x / 1000.0) => Some(msg![format!(
            "micrograms typed as mg? {} mg is {} µg",
            fmt_num(x / 1000.0),
            fmt_num(x)
        )]),
        _ => None,
    }
}

fn refuse(
    field: Field,
    v: f64,
    is: String,
    b: Bounds,
    unit: &str,
    hint: Option<Vec<crate::dosing::error::Piece>>,
) -> Error {
    let mut m = msg![
        field,
        format!(
            " {} is {is}, outside the plausible {}-{} {unit}",
            fmt_num(v),
            b.min,
            b.max
        )
    ];
    match hint {
        Some(h) => {
            m.push(": ".into());
            m.extend(h);
        }
        None => m.push(": check the dose and its unit".into()),
    }
    Error::new(field, m)
}

#[cfg(test)]
mod tests;
