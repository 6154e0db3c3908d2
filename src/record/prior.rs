//! What a titration takes from the record: the dose the patient is on, the
//! last change (and whether it was a reduction for a high IGF-1), the
//! earlier height, the treatment start. Each value carries the line it came
//! from, so the rationale can cite it.

use super::read::{Course, Line};
use super::visit::{GivenDose, Identity, VisitLine};
use crate::growth::decimal_age;
use crate::vocab::{Action, FlagCode};
use chrono::NaiveDate;

/// A value and the record line it came from.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) struct At<T> {
    pub(crate) value: T,
    pub(crate) line: usize,
    pub(crate) date: NaiveDate,
}

/// The last dose change.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct LastChange {
    pub(crate) at: At<Action>,
    /// The weight when the dose was set (kg).
    pub(crate) weight_kg: Option<f64>,
    /// The IGF-1 SDS that made it a reduction for a high IGF-1.
    pub(crate) reduced_for_igf1: Option<f64>,
    /// The weekly dose it set, in mg.
    pub(crate) to_mg_per_week: Option<f64>,
    /// The weekly dose given before it (the dose a reduction for a high
    /// IGF-1 came down from), in mg.
    pub(crate) from_mg_per_week: Option<f64>,
    /// The product of that dose.
    pub(crate) product: Option<String>,
}

/// Treatment off since the latest dose given: the first visit that stopped
/// or withheld it, and the flags of every such visit since.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Off {
    pub(crate) at: At<Action>,
    pub(crate) flags: Vec<FlagCode>,
}

/// What the record says before a visit dated `as_of`.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Prior<'a> {
    pub(crate) identity: Identity,
    pub(crate) indication: &'a str,
    /// The latest visit.
    pub(crate) last: &'a Line,
    /// The dose given since the latest visit; `None` when that visit
    /// withheld or stopped treatment.
    pub(crate) dose: Option<At<&'a GivenDose>>,
    /// The latest dose given at any visit (before a stop, too).
    pub(crate) given: Option<At<&'a GivenDose>>,
    pub(crate) last_change: Option<LastChange>,
    /// The latest reduction for a high IGF-1, while no later increase was
    /// for a low IGF-1: growth and weight changes since do not end it.
    pub(crate) reduction: Option<LastChange>,
    /// The latest height measured before the visit: at least `shortest`
    /// years earlier when one is, else the latest.
    pub(crate) previous_height: Option<At<f64>>,
    /// The latest start not followed by a stop before a restart.
    pub(crate) treatment_start: Option<At<()>>,
    /// Treatment stopped or withheld since the latest dose given.
    pub(crate) off: Option<Off>,
    /// How many visits the record holds.
    pub(crate) visits: usize,
    /// The weights and heights measured before the visit, oldest first (the
    /// patient's own trajectory).
    pub(crate) measured: Vec<At<Measures>>,
    /// The latest IGF-1 SDS of the record (its sampling date), when no
    /// decrease followed it: a result not yet acted on.
    pub(crate) igf1_unanswered: Option<At<f64>>,
}

/// A visit's weight and height.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) struct Measures {
    pub(crate) weight_kg: Option<f64>,
    pub(crate) height_cm: Option<f64>,
}

impl Prior<'_> {
    /// What the record says before `as_of`; `None` for a record with no
    /// visit. `shortest` is the shortest interval (years) the rules annualise
    /// a height velocity over.
    pub(crate) fn of(course: &Course, as_of: NaiveDate, shortest: f64) -> Option<Prior<'_>> {
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
            .map(change_of);
        let reduction = last_reduction(course);
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
            .find(|h| decimal_age(h.date, as_of).is_ok_and(|years| years >= shortest))
            .or_else(|| heights.clone().next());
        Some(Prior {
            identity: last.visit.patient,
            indication: &last.visit.indication,
            last,
            dose,
            given,
            last_change,
            reduction,
            previous_height,
            treatment_start: treatment_start(course),
            off: off(course),
            visits: course.lines.len(),
            measured: measured(course, as_of),
            igf1_unanswered: igf1_unanswered(course),
        })
    }
}

/// The latest IGF-1 SDS of the record, unless a decrease was decided at or
/// after its visit.
fn igf1_unanswered(course: &Course) -> Option<At<f64>> {
    let i = course
        .lines
        .iter()
        .rposition(|l| l.visit.igf1.as_ref().and_then(|g| g.sds).is_some())?;
    let l = &course.lines[i];
    let answered = course.lines[i..]
        .iter()
        .any(|l| l.visit.decision.action == crate::vocab::Action::Decrease);
    let g = l.visit.igf1.as_ref()?;
    (!answered).then_some(At {
        value: g.sds?,
        line: l.number,
        date: g.date.unwrap_or(l.visit.date),
    })
}

/// A visit that set a new dose: a start that gave one, an increase or a
/// decrease.
fn changed(v: &VisitLine) -> bool {
    v.dose.is_some() && (v.command == "start" || v.decision.action.changes())
}

/// The weights and heights of the visits before `as_of`, oldest first.
fn measured(course: &Course, as_of: NaiveDate) -> Vec<At<Measures>> {
    course
        .lines
        .iter()
        .filter(|l| l.visit.date < as_of)
        .filter_map(|l| {
            let m = &l.visit.measurements;
            (m.weight_kg.is_some() || m.height_cm.is_some()).then_some(At {
                value: Measures {
                    weight_kg: m.weight_kg,
                    height_cm: m.height_cm,
                },
                line: l.number,
                date: l.visit.date,
            })
        })
        .collect()
}

fn off(course: &Course) -> Option<Off> {
    let since: Vec<&Line> = course
        .lines
        .iter()
        .rev()
        .take_while(|l| l.visit.dose.is_none())
        .collect();
    let first = since.last()?;
    let mut flags: Vec<FlagCode> = Vec::new();
    for l in since.iter().rev() {
        for f in &l.visit.decision.flags {
            if !flags.contains(f) {
                flags.push(*f);
            }
        }
    }
    Some(Off {
        at: At {
            value: first.visit.decision.action,
            line: first.number,
            date: first.visit.date,
        },
        flags,
    })
}

/// The decision of a line that changed the dose, with the weight, the
/// IGF-1 reduced for and the doses before and after.
fn change_of(l: &Line) -> LastChange {
    LastChange {
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
        from_mg_per_week: l.visit.dose_before.as_ref().map(|d| d.mg_per_week),
        product: l.visit.dose.as_ref().and_then(|d| d.product.clone()),
    }
}

/// The last reduction for a high IGF-1, unless an increase for a low IGF-1
/// on treatment came after it.
fn last_reduction(course: &Course) -> Option<LastChange> {
    course
        .lines
        .iter()
        .rev()
        .take_while(|l| {
            !(l.visit.decision.action == Action::Increase
                && l.visit
                    .decision
                    .flags
                    .contains(&FlagCode::Igf1LowOnTreatment))
        })
        .find(|l| changed(&l.visit) && l.visit.decision.reduced_for_igf1)
        .map(change_of)
        .filter(|c| c.reduced_for_igf1.is_some())
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

#[cfg(test)]
mod tests;
