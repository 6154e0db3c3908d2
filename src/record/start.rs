//! A start on a record: a first dose, a restart after a stop or withhold
//! (with the stop's flags and the dose before, [`dosing::Restart`]), or a
//! switch to another molecule; a patient on a dose of the same molecule is
//! titrated instead. Pure: the caller has read the record.

use super::belongs::{belongs, refusal};
use super::fill::molecule;
use super::prior::Prior;
use super::read::Course;
use super::visit::Identity;
use crate::dosing::{self, AgeInput, Field, Restart, StartRequest};
use crate::rules::RuleSet;
use crate::units::Micrograms;

/// Places a start in the course of `course` (the record `name`): the
/// request gets the record's identity and, after a stop, the restart; the
/// identity and the note that places the start come back.
pub(crate) fn place(
    req: &mut StartRequest,
    course: &Course,
    name: &str,
    rules: &RuleSet,
) -> Result<(Identity, Option<String>), dosing::Error> {
    let as_of = req.subject.as_of;
    let who = belongs(&req.subject.patient, course, as_of)?;
    req.subject.patient.sex = Some(who.sex);
    req.subject.patient.age = Some(AgeInput::BirthDate(who.birth_date));
    let now = molecule(req.subject.product.product.as_deref(), rules);
    let Some(last) = course.last() else {
        return Ok((who, None));
    };
    let Some(d) = &last.visit.dose else {
        let shortest = rules.plausibility.min_velocity_interval_years;
        let restart = Prior::of(course, as_of, shortest).and_then(|prior| {
            let off = prior.off?;
            let dose_before = prior
                .given
                .filter(|g| molecule(g.value.product.as_deref(), rules) == now)
                .and_then(|g| Micrograms::round_mg(g.value.mg_per_week));
            Some(Restart {
                stopped_on: off.at.date,
                known_from: format!("{}, line {}", name, off.at.line),
                stopped_for: off.flags,
                dose_before,
            })
        });
        let note = format!(
            "the record's last visit ({}, line {}) gave no dose ({}); this start is the restart",
            last.visit.date, last.number, last.visit.decision.action
        );
        req.restart = restart;
        return Ok((who, Some(note)));
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
    // The reduction does not carry across molecules: said, so the first
    // IGF-1 on the new product is looked at with it in mind.
    let reduced = course
        .lines
        .iter()
        .rev()
        .find(|l| l.visit.decision.action.changes() || l.visit.command == "start")
        .filter(|l| l.visit.decision.reduced_for_igf1)
        .and_then(|l| Some((l, l.visit.igf1.as_ref()?.sds?)))
        .map(|(l, sds)| {
            format!(
                " (its last change, {} line {}, was a reduction for IGF-1 SDS {sds:+}: it does not carry over; check IGF-1 on the new product)",
                l.visit.date, l.number
            )
        })
        .unwrap_or_default();
    let note = format!(
        "switch: the record's last visit ({}, line {}) gave {} mg/week of {}{reduced}; this starts another molecule",
        last.visit.date,
        last.number,
        d.mg_per_week,
        d.product.as_deref().unwrap_or("daily somatropin")
    );
    Ok((who, Some(note)))
}
