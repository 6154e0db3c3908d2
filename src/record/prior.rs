//! What a titration takes from the record: the dose the patient is on, the
//! last change (and whether it was a reduction for a high IGF-1), the
//! earlier height, the treatment start. Each value carries the line it came
//! from, so the rationale can cite it.

use super::read::{Course, Line};
use super::visit::{GivenDose, Identity, Visit};
use crate::vocab::Action;
use chrono::NaiveDate;

/// Days per year of a decimal age, as every age in gh-dose is counted.
const DAYS_PER_YEAR: f64 = 365.25;

/// A value and the record line it came from.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct At<T> {
    pub value: T,
    pub line: usize,
    pub date: NaiveDate,
}

/// The last dose change.
#[derive(Debug, Clone, PartialEq)]
pub struct LastChange {
    pub at: At<Action>,
    /// The weight when the dose was set (kg).
    pub weight_kg: Option<f64>,
    /// The IGF-1 SDS that made it a reduction for a high IGF-1.
    pub reduced_for_igf1: Option<f64>,
    /// The weekly dose it set, in mg.
    pub to_mg_per_week: Option<f64>,
    /// The product of that dose.
    pub product: Option<String>,
}

/// What the record says before a visit dated `as_of`.
#[derive(Debug, Clone, PartialEq)]
pub struct Prior<'a> {
    pub identity: Identity,
    pub indication: &'a str,
    /// The latest visit.
    pub last: &'a Line,
    /// The dose given since the latest visit; `None` when that visit
    /// withheld or stopped treatment.
    pub dose: Option<At<&'a GivenDose>>,
    /// The latest dose given at any visit (before a stop, too).
    pub given: Option<At<&'a GivenDose>>,
    pub last_change: Option<LastChange>,
    /// The latest height measured before the visit: at least `shortest`
    /// years earlier when one is, else the latest.
    pub previous_height: Option<At<f64>>,
    /// The latest start not followed by a stop before a restart.
    pub treatment_start: Option<At<()>>,
    /// How many visits the record holds.
    pub visits: usize,
}

impl Prior<'_> {
    /// What the record says before `as_of`; `None` for a record with no
    /// visit. `shortest` is the shortest interval (years) the rules annualise
    /// a height velocity over.
    pub fn of(course: &Course, as_of: NaiveDate, shortest: f64) -> Option<Prior<'_>> {
        let last = course.last()?;
        let at = |l: &Line| (l.number, l.visit.date);
        let dose = last.visit.dose.as_ref().map(|d| {
            let (line, date) = at(last);
            At {
                value: d,
                line,
                date,
            }
        });
        let last_change = course
            .lines
            .iter()
            .rev()
            .find(|l| changed(&l.visit))
            .map(|l| LastChange {
                at: At {
                    value: l.visit.decision.action,
                    line: l.number,
                    date: l.visit.date,
                },
                weight_kg: l.visit.measurements.weight_kg,
                reduced_for_igf1: l
                    .visit
                    .decision
                    .reduced_for_igf1
                    .then(|| l.visit.igf1.as_ref().and_then(|i| i.sds))
                    .flatten(),
                to_mg_per_week: l.visit.dose.as_ref().map(|d| d.mg_per_week),
                product: l.visit.dose.as_ref().and_then(|d| d.product.clone()),
            });
        let given = course.lines.iter().rev().find_map(|l| {
            l.visit.dose.as_ref().map(|d| At {
                value: d,
                line: l.number,
                date: l.visit.date,
            })
        });
        let heights = course.lines.iter().rev().filter_map(|l| {
            let h = l.visit.measurements.height_cm?;
            (l.visit.date < as_of).then_some(At {
                value: h,
                line: l.number,
                date: l.visit.date,
            })
        });
        let previous_height = heights
            .clone()
            .find(|h| (as_of - h.date).num_days() as f64 / DAYS_PER_YEAR >= shortest)
            .or_else(|| heights.clone().next());
        Some(Prior {
            identity: last.visit.patient,
            indication: &last.visit.indication,
            last,
            dose,
            given,
            last_change,
            previous_height,
            treatment_start: treatment_start(course),
            visits: course.lines.len(),
        })
    }
}

/// A visit that set a new dose: a start that gave one, an increase or a
/// decrease.
fn changed(v: &Visit) -> bool {
    v.dose.is_some() && (v.command == "start" || v.decision.action.changes())
}

fn treatment_start(course: &Course) -> Option<At<()>> {
    let mut start: Option<At<()>> = None;
    let mut stopped = false;
    for l in &course.lines {
        let v = &l.visit;
        if v.command == "start" && v.dose.is_some() && (start.is_none() || stopped) {
            start = Some(At {
                value: (),
                line: l.number,
                date: v.date,
            });
            stopped = false;
        }
        if v.decision.action == Action::Stop {
            stopped = true;
        }
    }
    start
}
