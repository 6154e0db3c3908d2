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
use crate::vocab::{Condition, Population};

/// A pediatric indication is not dosed in an adult: refused above the rule
/// set's age (withheld instead when the epiphyses are closed).
pub fn pediatric_in_adult(ind: &Indication, p: &Patient, rules: &RuleSet) -> Result<()> {
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
pub fn current_dose(kind: Kind, current: CurrentDose, p: &Patient, rules: &RuleSet) -> Result<()> {
    let l = &rules.limits;
    let (field, v) = current.given();
    match kind {
        Kind::AdultDaily(_) => {
            let per_day = match current {
                CurrentDose::PerDay(d) => d,
                CurrentDose::PerWeek(w) => w / 7.0,
            };
            if l.current_adult_mg_per_day.contains(per_day) {
                return Ok(());
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
            let Some(weight) = p.weight else {
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
mod tests {
    use crate::dosing::CurrentDose;
    use crate::dosing::test_support::*;

    #[test]
    fn a_weekly_dose_typed_per_day_is_refused_with_the_slip_named() {
        let mut q = visit("ghd", 26.0, 7.0);
        q.current = Some(CurrentDose::PerDay(7.0));
        assert_eq!(
            titrate_err(q),
            "--current-mg-per-day 7 is 1.885 mg/kg/week on 26 kg, outside the plausible 0.02-1 mg/kg/week for a child: a weekly dose typed per day? did you mean --current-mg-per-week 7"
        );
    }

    #[test]
    fn an_adult_dose_far_outside_any_regimen_is_refused() {
        let q = adult_visit(45.0, 50.0, 0.0);
        assert!(titrate_err(q).starts_with(
            "--current-mg-per-day 50 is 50 mg/day, outside the plausible 0.05-3 mg/day"
        ));
        let mut q = adult_visit(45.0, 0.3, 0.0);
        q.current = Some(CurrentDose::PerWeek(0.3));
        assert_eq!(
            titrate_err(q),
            "--current-mg-per-week 0.3 is 0.043 mg/day, outside the plausible 0.05-3 mg/day for an adult on daily somatropin: a daily dose typed per week? did you mean --current-mg-per-day 0.3"
        );
    }

    #[test]
    fn each_likely_slip_is_named_and_only_when_it_fits() {
        let at = |kg: f64, current: CurrentDose| {
            let mut q = visit("ghd", kg, 7.0);
            q.current = Some(current);
            titrate_err(q)
        };
        let child = |current: CurrentDose| at(26.0, current);
        // Micrograms typed as mg (up to the 100 mg input limit): 100 per day
        // is 0.7 mg/week as µg; 100 per week on 5 kg is 0.02 mg/kg/week as µg.
        assert!(
            child(CurrentDose::PerDay(100.0)).ends_with("micrograms typed as mg? 0.1 mg is 100 µg"),
            "{}",
            child(CurrentDose::PerDay(100.0))
        );
        assert!(
            at(5.0, CurrentDose::PerWeek(100.0))
                .ends_with("micrograms typed as mg? 0.1 mg is 100 µg"),
            "{}",
            at(5.0, CurrentDose::PerWeek(100.0))
        );
        // A daily dose typed per week: 0.35 mg/week is 0.013 mg/kg/week;
        // 0.35 x 7 = 2.45 mg/week fits as a daily dose.
        assert!(
            child(CurrentDose::PerWeek(0.35))
                .ends_with("a daily dose typed per week? did you mean --current-mg-per-day 0.35"),
            "{}",
            child(CurrentDose::PerWeek(0.35))
        );
        // Nothing fits: no guess.
        assert!(child(CurrentDose::PerDay(50.0)).ends_with(": check the dose and its unit"));
        assert!(child(CurrentDose::PerWeek(90.0)).ends_with(": check the dose and its unit"));
        // An adult's weekly dose typed per day: 3.5 mg/day is 0.5 mg/day a week over.
        let mut q = adult_visit(45.0, 3.5, 0.0);
        q.current = Some(CurrentDose::PerDay(3.5));
        assert!(titrate_err(q).ends_with("did you mean --current-mg-per-week 3.5"));
    }

    #[test]
    fn a_pediatric_indication_is_not_dosed_in_an_adult() {
        let mut q = child("ghd", 70.0);
        q.subject.patient.age = Some(crate::dosing::AgeInput::Years(45.0));
        let e = start_err(q.clone());
        assert!(
            e.starts_with("--indication ghd is a pediatric indication and the patient is 45 years"),
            "{e}"
        );
        assert!(e.contains("adult-ghd") && e.contains("transition"));
        q.subject.patient.conditions = vec![crate::vocab::Condition::ClosedEpiphyses];
        assert_eq!(
            start_ok(q).recommendation.action,
            crate::vocab::Action::Withhold
        );
    }
}
