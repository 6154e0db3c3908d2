//! The regimens: one file per clinical table, each holding that table's
//! start and its titration, with unit tests beside them.
//!
//! - [`weight_based`]: daily somatropin in children, mg/kg/week;
//! - [`weekly_pediatric`]: weekly analogues in children (per kg, or a
//!   weight-band table of cartridges);
//! - [`adult_daily`]: adults on daily somatropin, mg/day by group;
//! - [`weekly_adult`]: adults on a weekly analogue, the label's start table.
//!
//! A regimen returns a [`Proposal`]; orchestration ([`super::start`],
//! [`super::titrate`]) rounds it to a device, adds the safety flags and
//! passes it through the guard. A new regimen is a new file and a new arm of
//! [`Kind`].

pub mod adult_daily;
pub mod weekly_adult;
pub mod weekly_pediatric;
pub mod weight_based;

use super::device::Target;
use super::error::{Error, Field, Result};
use super::igf1::Igf1;
use super::outcome::{Dose, DoseRange, LabelRange, NextReview};
use super::product::OnProduct;
use super::request::{CurrentDose, Subject, TitrateRequest};
use super::trail::Notes;
use crate::rules::{Indication, Regimen, RuleSet, SdsStep};
use crate::units::Micrograms;
use crate::vocab::Action;

/// What every regimen reads: the rules, the indication, the request's
/// subject, the product, and the trail it writes to.
pub struct Ctx<'a> {
    pub rules: &'a RuleSet,
    pub ind: &'a Indication,
    pub subject: &'a Subject,
    pub on: Option<&'a OnProduct<'a>>,
    pub notes: &'a mut Notes,
}

/// A follow-up visit: the request, the current dose and the IGF-1 facts.
pub struct Visit<'a> {
    pub req: &'a TitrateRequest,
    pub current: CurrentDose,
    pub igf1: Igf1,
}

/// What a regimen proposes, before device rounding, safety flags and the
/// guard decide what is given.
#[derive(Debug, Clone, PartialEq)]
pub struct Proposal {
    pub action: Action,
    pub dose: Dose,
    pub range: DoseRange,
    pub label_range: Option<LabelRange>,
    /// Exact per-injection target and range, for device rounding; `None`
    /// when a label table fixes the presentation (the deliverable is set).
    pub target: Option<Target>,
    pub review: Option<NextReview>,
    pub group: Option<String>,
    /// Whether the product's label covers the indication and age.
    pub labelled: bool,
    /// Titrate: why the dose may go up, if it does.
    pub raise: Option<Raise>,
    /// The most this patient may receive a week on this route, and why.
    pub limit: Limit,
}

/// Why a titrated dose may be higher than the current one. Anything else
/// (a dose moved up into a range, a reduction undone) is no reason: the
/// guard keeps the current dose.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Raise {
    /// The same mg/kg/week on a heavier child (a previous weight, or a
    /// prescribed intensity): at most this much a week.
    Growth(Micrograms),
    /// IGF-1 SDS below the target band, in the label's steps.
    Igf1Low(f64),
}

/// A hard maximum per week and why.
#[derive(Debug, Clone, PartialEq)]
pub struct Limit {
    pub max_per_week: Micrograms,
    pub why: String,
    /// Source ids behind it.
    pub sources: Vec<String>,
    /// A flag of its own to raise when it binds (a regional cap).
    pub flag: Option<crate::vocab::FlagCode>,
}

impl Limit {
    /// The stricter of two limits.
    pub fn min(self, other: Limit) -> Limit {
        if other.max_per_week < self.max_per_week {
            other
        } else {
            self
        }
    }
}

/// Which regimen doses an indication on a product.
#[derive(Debug, Clone, Copy)]
pub enum Kind<'a> {
    WeightBased(&'a crate::rules::WeightBased),
    WeeklyPediatric(&'a OnProduct<'a>),
    AdultDaily(&'a [crate::rules::AdultGroup]),
    WeeklyAdult(&'a OnProduct<'a>),
}

impl<'a> Kind<'a> {
    /// The regimen of an indication: weekly products use their own label.
    pub fn of(ind: &'a Indication, on: Option<&'a OnProduct<'a>>) -> Kind<'a> {
        match (&ind.regimen, on.filter(|o| o.weekly())) {
            (Regimen::WeightBased(wb), None) => Kind::WeightBased(wb),
            (Regimen::WeightBased(_), Some(on)) => Kind::WeeklyPediatric(on),
            (Regimen::FixedDaily(groups), None) => Kind::AdultDaily(groups),
            (Regimen::FixedDaily(_), Some(on)) => Kind::WeeklyAdult(on),
        }
    }
}

/// The first step whose bound the SDS is below (steps ordered by increasing SDS).
pub fn step_below(steps: &[SdsStep], sds: f64) -> Option<Micrograms> {
    steps.iter().find(|s| sds < s.sds).map(|s| s.step)
}

/// The first step whose bound the SDS is above (steps ordered by decreasing SDS).
pub fn step_above(steps: &[SdsStep], sds: f64) -> Option<Micrograms> {
    steps.iter().find(|s| sds > s.sds).map(|s| s.step)
}

/// The current weekly dose in µg, with `n` injections a week.
pub fn current_weekly(current: CurrentDose, n: u8) -> Micrograms {
    match current {
        CurrentDose::PerWeek(w) => Micrograms::round_mg(w).unwrap_or_default(),
        CurrentDose::PerDay(d) => Micrograms::round_mg(d)
            .unwrap_or_default()
            .times(i64::from(n)),
    }
}

/// The weekly dose of a weekly product; a per-day dose is refused.
pub fn weekly_dose(current: CurrentDose, product: &str) -> Result<Micrograms> {
    match current {
        CurrentDose::PerWeek(w) => Ok(Micrograms::round_mg(w).unwrap_or_default()),
        CurrentDose::PerDay(_) => Err(Error::new(
            Field::CurrentMgPerDay,
            super::error::msg![
                format!("{product} is weekly: give "),
                Field::CurrentMgPerWeek,
                ", not ",
                Field::CurrentMgPerDay
            ],
        )),
    }
}

/// The action that names the change from `now` to `new`.
pub fn action_for(now: Micrograms, new: Micrograms) -> Action {
    match new.cmp(&now) {
        std::cmp::Ordering::Greater => Action::Increase,
        std::cmp::Ordering::Less => Action::Decrease,
        std::cmp::Ordering::Equal => Action::Maintain,
    }
}

/// The weight a weight-based regimen needs.
pub fn weight_of(p: &super::patient::Patient, ind: &Indication) -> Result<crate::units::Grams> {
    p.weight.ok_or_else(|| {
        Error::new(
            Field::WeightKg,
            super::error::msg![
                Field::WeightKg,
                " (or ",
                Field::WeightLb,
                format!(") is required for {} (a weight-based indication)", ind.id)
            ],
        )
    })
}

/// The age an adult regimen needs.
pub fn age_of(p: &super::patient::Patient, ind: &Indication) -> Result<f64> {
    p.age_exact.ok_or_else(|| {
        Error::new(
            Field::AgeYears,
            super::error::msg![
                Field::AgeYears,
                " or ",
                Field::BirthDate,
                format!(
                    " is required for {} (the starting dose depends on age)",
                    ind.id
                )
            ],
        )
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn steps_are_chosen_by_distance() {
        let up = [
            SdsStep {
                sds: -1.0,
                step: Micrograms(200),
            },
            SdsStep {
                sds: 0.0,
                step: Micrograms(100),
            },
        ];
        assert_eq!(step_below(&up, -1.5), Some(Micrograms(200)));
        assert_eq!(step_below(&up, -1.0), Some(Micrograms(100)));
        assert_eq!(step_below(&up, 0.0), None);
        let down = [
            SdsStep {
                sds: 3.0,
                step: Micrograms(200),
            },
            SdsStep {
                sds: 2.0,
                step: Micrograms(100),
            },
        ];
        assert_eq!(step_above(&down, 3.0), Some(Micrograms(100)));
        assert_eq!(step_above(&down, 3.01), Some(Micrograms(200)));
        assert_eq!(step_above(&down, 2.0), None);
    }

    #[test]
    fn current_doses_convert_to_the_week() {
        assert_eq!(
            current_weekly(CurrentDose::PerDay(0.3), 7),
            Micrograms(2100)
        );
        assert_eq!(
            current_weekly(CurrentDose::PerWeek(7.2), 7),
            Micrograms(7200)
        );
        assert_eq!(action_for(Micrograms(1), Micrograms(2)), Action::Increase);
        assert_eq!(action_for(Micrograms(2), Micrograms(1)), Action::Decrease);
        assert_eq!(action_for(Micrograms(2), Micrograms(2)), Action::Maintain);
        assert!(weekly_dose(CurrentDose::PerDay(1.0), "ngenla").is_err());
    }
}
