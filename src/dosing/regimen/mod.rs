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
//!
//! [`Proposal`]: super::proposal::Proposal
//! [`Kind`]: super::proposal::Kind

mod adult_daily;
mod weekly_adult;
mod weekly_pediatric;
mod weight_based;

// Each regimen's start and titration, named by its regimen, for the
// orchestrators.
pub(super) use adult_daily::{start as adult_daily_start, titrate as adult_daily_titrate};
pub(super) use weekly_adult::{start as weekly_adult_start, titrate as weekly_adult_titrate};
pub(super) use weekly_pediatric::{
    start as weekly_pediatric_start, titrate as weekly_pediatric_titrate,
};
pub(super) use weight_based::{start as weight_based_start, titrate as weight_based_titrate};

use super::error::{Error, Field, Result};
use super::patient::Igf1;
use super::request::{CurrentDose, TitrateRequest};
use crate::rules::SdsStep;
use crate::units::Micrograms;

/// A follow-up visit: the request, the current dose and the IGF-1 facts.
pub(super) struct Visit<'a> {
    pub(crate) req: &'a TitrateRequest,
    pub(crate) current: CurrentDose,
    pub(crate) igf1: Igf1,
}

/// The first step whose bound the SDS is below (steps ordered by increasing SDS).
pub(super) fn step_below(steps: &[SdsStep], sds: f64) -> Option<Micrograms> {
    steps.iter().find(|s| sds < s.sds).map(|s| s.step)
}

/// The first step whose bound the SDS is above (steps ordered by decreasing SDS).
pub(super) fn step_above(steps: &[SdsStep], sds: f64) -> Option<Micrograms> {
    steps.iter().find(|s| sds > s.sds).map(|s| s.step)
}

/// The current weekly dose in µg, with `n` injections a week.
pub(super) fn current_weekly(current: CurrentDose, n: u8) -> Micrograms {
    match current {
        CurrentDose::PerWeek(w) => Micrograms::round_mg(w).unwrap_or_default(),
        CurrentDose::PerDay(d) => Micrograms::round_mg(d)
            .unwrap_or_default()
            .times(i64::from(n)),
    }
}

/// The weekly dose of a weekly product; a per-day dose is refused.
pub(super) fn weekly_dose(current: CurrentDose, product: &str) -> Result<Micrograms> {
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::dosing::proposal::action_for;
    use crate::vocab::Action;

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
