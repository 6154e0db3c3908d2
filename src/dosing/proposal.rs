//! What a regimen hands the guard: the [`Proposal`] with its hard
//! [`Limit`] and the [`Raise`] that justifies an increase, the [`Kind`] of
//! regimen that made it, the [`Ctx`] every regimen reads, and the small
//! pieces both sides share (the action of a change, the weight and age a
//! regimen needs, IU per injection).

use super::device::{OnProduct, Target};
use super::error::{Error, Field, Result};
use super::outcome::{Dose, DoseRange, LabelRange};
use super::patient::NextReview;
use super::request::Subject;
use super::trail::Notes;
use crate::rules::{Indication, Regimen, RuleSet};
use crate::units::{Exact, Micrograms, MilliIu, div_round, saturate};
use crate::vocab::Action;

/// What every regimen reads: the rules, the indication, the request's
/// subject, the product, and the trail it writes to.
pub(super) struct Ctx<'a> {
    pub(crate) rules: &'a RuleSet,
    pub(crate) ind: &'a Indication,
    pub(crate) subject: &'a Subject,
    pub(crate) on: Option<&'a OnProduct<'a>>,
    pub(crate) notes: &'a mut Notes,
}

/// What a regimen proposes, before device rounding, safety flags and the
/// guard decide what is given.
#[derive(Debug, Clone, PartialEq)]
pub(super) struct Proposal {
    pub(crate) action: Action,
    pub(crate) dose: Dose,
    pub(crate) range: DoseRange,
    pub(crate) label_range: Option<LabelRange>,
    /// Exact per-injection target and range, for device rounding; `None`
    /// when a label table fixes the presentation (the deliverable is set).
    pub(crate) target: Option<Target>,
    pub(crate) review: Option<NextReview>,
    pub(crate) group: Option<String>,
    /// Whether the product's label covers the indication and age.
    pub(crate) labelled: bool,
    /// Titrate: why the dose may go up, if it does.
    pub(crate) raise: Option<Raise>,
    /// The most this patient may receive a week on this route, and why.
    pub(crate) limit: Limit,
}

/// Why a titrated dose may be higher than the current one. Anything else
/// (a dose moved up into a range, a reduction undone) is no reason: the
/// guard keeps the current dose.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(super) enum Raise {
    /// The same mg/kg/week on a heavier child (a previous weight, or a
    /// prescribed intensity): at most this much a week.
    Growth(Micrograms),
    /// IGF-1 SDS below the target band, in the label's steps.
    Igf1Low(f64),
}

/// A hard maximum per week and why.
#[derive(Debug, Clone, PartialEq)]
pub(super) struct Limit {
    pub(crate) max_per_week: Micrograms,
    pub(crate) why: String,
    /// Source ids behind it.
    pub(crate) sources: Vec<String>,
    /// A flag of its own to raise when it binds (a regional cap).
    pub(crate) flag: Option<crate::vocab::FlagCode>,
}

impl Limit {
    /// The stricter of two limits.
    pub(super) fn min(self, other: Limit) -> Limit {
        if other.max_per_week < self.max_per_week {
            other
        } else {
            self
        }
    }
}

/// Which regimen doses an indication on a product.
#[derive(Debug, Clone, Copy)]
pub(super) enum Kind<'a> {
    WeightBased(&'a crate::rules::WeightBased),
    WeeklyPediatric(&'a OnProduct<'a>),
    AdultDaily(&'a [crate::rules::AdultGroup]),
    WeeklyAdult(&'a OnProduct<'a>),
}

impl<'a> Kind<'a> {
    /// The regimen of an indication: weekly products use their own label.
    pub(super) fn of(ind: &'a Indication, on: Option<&'a OnProduct<'a>>) -> Kind<'a> {
        match (&ind.regimen, on.filter(|o| o.weekly())) {
            (Regimen::WeightBased(wb), None) => Kind::WeightBased(wb),
            (Regimen::WeightBased(_), Some(on)) => Kind::WeeklyPediatric(on),
            (Regimen::FixedDaily(groups), None) => Kind::AdultDaily(groups),
            (Regimen::FixedDaily(_), Some(on)) => Kind::WeeklyAdult(on),
        }
    }
}

/// The action that names the change from `now` to `new`.
pub(super) fn action_for(now: Micrograms, new: Micrograms) -> Action {
    match new.cmp(&now) {
        std::cmp::Ordering::Greater => Action::Increase,
        std::cmp::Ordering::Less => Action::Decrease,
        std::cmp::Ordering::Equal => Action::Maintain,
    }
}

/// The weight a weight-based regimen needs.
pub(super) fn weight_of(
    p: &super::patient::Patient,
    ind: &Indication,
) -> Result<crate::units::Grams> {
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
pub(super) fn age_of(p: &super::patient::Patient, ind: &Indication) -> Result<f64> {
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

/// IU per injection: per injection (exact) x IU/mg.
pub(super) fn iu(target: Exact, milli_iu_per_mg: i64) -> MilliIu {
    MilliIu(saturate(div_round(
        target.num * i128::from(milli_iu_per_mg),
        target.den * 1000,
    )))
}
