//! A start on a record: a first dose, a restart after a stop or withhold
//! (with the stop's flags and the dose before, [`dosing::Restart`]), or a
//! switch to another molecule; a patient on a dose of the same molecule is
//! titrated instead. Pure: the caller has read the record.

use super::belongs::{belongs, refusal};
use super::facts::{Carried, carry};
use super::fill::molecule;
use super::prior::Prior;
use super::read::Course;
use super::visit::Identity;
use crate::dosing::{self, AgeInput, Field, Restart, Route, StartRequest};
use crate::rules::RuleSet;
use crate::units::Micrograms;
use crate::vocab::Molecule;
use chrono::NaiveDate;

/// Places a start in the course of `course` (the record `name`): the
/// request gets the record's identity and, after a stop, the restart; the
/// identity, the note that places the start and the conditions and
/// treatment facts carried from the latest visit come back.
pub(crate) fn place(
    req: &mut StartRequest,
    course: &Course,
    name: &str,
    rules: &RuleSet,
    route: Route,
) -> Result<(Identity, Option<String>, Carried), dosing::Error> {
    let as_of = req.subject.as_of;
    let who = belongs(&req.subject.patient, course, as_of)?;
    let carried = carry(&mut req.subject.patient, course.last(), route)?;
    req.subject.patient.sex = Some(who.sex);
    req.subject.patient.age = Some(AgeInput::BirthDate(who.birth_date));
    let now = molecule(req.subject.product.product.as_deref(), rules);
    let Some(last) = course.last() else {
        return Ok((who, None, carried));
    };
    let Some(d) = &last.visit.dose else {
        let restart = restart_of(course, as_of, name, now, rules);
        let note = format!(
            "the record's last visit ({}, line {}) gave no dose ({}); this start is the restart",
            last.visit.date, last.number, last.visit.decision.action
        );
        req.restart = restart;
        return Ok((who, Some(note), carried));
    };
    if molecule(d.product.as_deref(), rules) == now {
        return Err(refusal(
            Field::Record,
            format!(
                "{}: the visit of {} (line {}) gave {} mg/week of {}, the same molecule: a visit on treatment is a titration: gh-dose titrate --record {}; start is for a first dose, a restart after a stop, or a switch to another molecule (a visit entered in error: gh-dose record void {} --line {} --reason TEXT)",
                name,
                last.visit.date,
                last.number,
                d.mg_per_week,
                d.product.as_deref().unwrap_or("daily somatropin"),
                name,
                name,
                last.number
            ),
        ));
    }
    let reduced = reduction_not_carried(course);
    let interval = switch_interval(
        d.product.as_deref(),
        req.subject.product.product.as_deref(),
        rules,
    );
    let note = format!(
        "switch: the record's last visit ({}, line {}) gave {} mg/week of {}{reduced}; this starts another molecule{interval}",
        last.visit.date,
        last.number,
        d.mg_per_week,
        d.product.as_deref().unwrap_or("daily somatropin")
    );
    Ok((who, Some(note), carried))
}

/// The restart after a stop, from the record: when and why treatment was
/// stopped, the dose before it and a reduction kept (of the molecule
/// started now only).
fn restart_of(
    course: &Course,
    as_of: NaiveDate,
    name: &str,
    now: Option<Molecule>,
    rules: &RuleSet,
) -> Option<Restart> {
    let shortest = rules.plausibility.min_velocity_interval_years;
    Prior::of(course, as_of, shortest).and_then(|prior| {
        let earlier = super::fill::earlier(&prior);
        let off = prior.off?;
        let dose_before = prior
            .given
            .filter(|g| molecule(g.value.product.as_deref(), rules) == now)
            .and_then(|g| Micrograms::round_mg(g.value.mg_per_week));
        // A reduction for a high IGF-1 as the last change before the
        // stop, of the molecule started now.
        let reduction = prior
            .reduction
            .as_ref()
            .filter(|c| molecule(c.product.as_deref(), rules) == now)
            .and_then(|c| {
                let sds = c.reduced_for_igf1?;
                Some(dosing::Reduction {
                    date: c.at.date,
                    igf1_sds: sds,
                    mg_per_week: Micrograms::round_mg(c.to_mg_per_week?)?,
                    from: None,
                    weight: c.weight_kg.map(crate::units::Grams::from_kg),
                })
            });
        Some(Restart {
            stopped_on: off.at.date,
            known_from: format!("{}, line {}", name, off.at.line),
            // The stop's reasons are its blocking flags (and any the restart
            // rule names); its warnings (a glucose check, a dose below the
            // range) did not stop it.
            stopped_for: off
                .flags
                .into_iter()
                .filter(|c| {
                    rules.restart.after.contains(c)
                        || rules
                            .flag(*c)
                            .is_none_or(|f| f.severity == crate::vocab::Severity::Block)
                })
                .collect(),
            dose_before,
            earlier,
            reduction,
        })
    })
}

/// The reduction does not carry across molecules: said, so the first
/// IGF-1 on the new product is looked at with it in mind.
fn reduction_not_carried(course: &Course) -> String {
    course
        .lines
        .iter()
        .rev()
        .find(|l| l.visit.decision.action.changes() || l.visit.command == "start")
        .filter(|l| l.visit.decision.reduced_for_igf1)
        .and_then(|l| Some((l, l.visit.igf1.as_ref()?.sds?)))
        .map(|(l, sds)| {
            let sds = crate::units::round_to(sds, 2);
            format!(
                " (its last change, {} line {}, was a reduction for IGF-1 SDS {sds:+}: it does not carry over; check IGF-1 on the new product)",
                l.visit.date, l.number
            )
        })
        .unwrap_or_default()
}

/// From a weekly product to one whose label sets an interval: said.
fn switch_interval(from: Option<&str>, to: Option<&str>, rules: &RuleSet) -> String {
    let product = |id: Option<&str>| {
        rules
            .products
            .as_ref()
            .and_then(|set| set.products.iter().find(|p| Some(p.id.as_str()) == id))
    };
    let from_weekly = product(from).is_some_and(|p| p.schedule == crate::vocab::Schedule::Weekly);
    product(to)
        .filter(|_| from_weekly)
        .and_then(|p| Some((p, p.switch_after_weekly_days?)))
        .map(|(p, days)| {
            format!(
                "; {} starts at least {days} days after the last weekly dose of the product before ({} label)",
                p.name, p.name
            )
        })
        .unwrap_or_default()
}

#[cfg(test)]
mod tests;
