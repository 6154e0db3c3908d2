//! `start`: the first dose for an indication, generic or on a product.
//! Orchestration only: look up and validate, let the regimen propose, raise
//! the safety flags, pass the guard, round to the device, assemble.

use super::assembly::{Assembly, Decided, indication, settle_and_round, unusual_notes};
use super::device::{on_product, supply_for};
use super::error::Result;
use super::guard::{Facts, Guard, pediatric_in_adult, restart_lower, start_flags};
use super::outcome::Outcome;
use super::patient::{Findings, Patient, Stature, validate};
use super::patient::{applies_check, applies_named, course_start, dates_review, stature_score};
use super::proposal::{Ctx, Kind, Proposal};
use super::regimen::{
    adult_daily_start, weekly_adult_start, weekly_pediatric_start, weight_based_start,
};
use super::request::StartRequest;
use super::trail::Notes;
use crate::rules::{Indication, RuleSet};
use crate::units::Grams;
use crate::vocab::{Action, FlagCode, Molecule};
use chrono::NaiveDate;

/// Computes a starting dose. Errors are refused requests (exit code 2).
pub fn start(req: &StartRequest, rules: &RuleSet) -> Result<Outcome> {
    let subject = &req.subject;
    let ind = indication(&subject.indication, rules)?;
    applies_check(&subject.patient, ind, (None, None))?;
    let patient = validate(&subject.patient, subject.as_of, rules)?;
    pediatric_in_adult(ind, &patient, rules)?;
    let on = on_product(subject, req.supply_days, ind, rules)?;
    let mut notes = Notes::default();
    course_start(
        &patient,
        &subject.patient,
        ind,
        rules,
        &mut notes,
        subject.as_of,
        req.restart.as_ref(),
    )?;
    applies_named(&subject.patient, ind, &mut notes);
    let stature = stature_score(&patient, &subject.patient, ind, rules, &mut notes)?;
    let kind = Kind::of(ind, on.as_ref());
    let mut cx = Ctx {
        rules,
        ind,
        subject,
        on: on.as_ref(),
        notes: &mut notes,
    };
    let steps_from = cx.notes.mark();
    let mut proposal = propose(&mut cx, kind, &patient, &stature, req)?;
    let steps = steps_from..notes.mark();
    restart_lower(req, rules, patient.weight, &mut proposal, &mut notes)?;
    let found = Findings::of_start(&patient, stature);
    start_flags(&patient, &found, ind, on.as_ref(), rules, &mut notes);
    unusual_notes(&found, rules, &mut notes);
    let facts = start_facts(rules, ind, subject.as_of, patient.weight);
    let withheld = Guard {
        facts: &facts,
        notes: &mut notes,
    }
    .blocks_stop(&mut proposal, true, steps);
    let mut supply = None;
    if !withheld {
        match &on {
            None => notes.raise(FlagCode::NoDeviceRounding),
            Some(o) if o.product.molecule != Molecule::Somatropin => notes.why(format!(
                "weekly analogue: dosed in {}'s own mg by its own label, never converted mg-for-mg from another growth hormone (daily somatropin or another weekly product)",
                o.product.name
            )),
            Some(_) => {}
        }
        settle_and_round(&mut proposal, &facts, on.as_ref(), &patient, &mut notes)?;
        if proposal.review.is_none() {
            proposal.review = dates_review(rules, &ind.review, subject.as_of, &mut notes);
        }
        supply = supply_for(req.supply_days, on.as_ref(), &proposal.dose, &mut notes)?;
    }
    let decided = Decided {
        gives: proposal.action == Action::Start,
        change: None,
        supply,
        current_dose: None,
    };
    let at = Assembly {
        rules,
        ind,
        subject,
        on: on.as_ref(),
    };
    Ok(at.outcome((&patient, &found), proposal, notes, decided))
}

/// The regimen's starting proposal.
fn propose(
    cx: &mut Ctx,
    kind: Kind,
    patient: &Patient,
    stature: &Stature,
    req: &StartRequest,
) -> Result<Proposal> {
    match kind {
        Kind::WeightBased(wb) => weight_based_start(cx, wb, patient, stature, req),
        Kind::WeeklyPediatric(o) => weekly_pediatric_start(cx, o, patient, req),
        Kind::AdultDaily(groups) => adult_daily_start(cx, groups, patient, stature, req),
        Kind::WeeklyAdult(o) => weekly_adult_start(cx, o, patient),
    }
}

/// The facts the guard settles a start with: no current dose, no IGF-1, no
/// ceiling; the indication's review.
fn start_facts<'a>(
    rules: &'a RuleSet,
    ind: &'a Indication,
    as_of: NaiveDate,
    weight: Option<Grams>,
) -> Facts<'a> {
    Facts {
        rules,
        as_of,
        weight,
        current: None,
        igf1: None,
        ceiling: f64::INFINITY,
        after_change: &ind.review,
        reduction: None,
        prescribed: None,
        step: None,
        finest: None,
        igf1_unanswered: None,
    }
}

#[cfg(test)]
mod tests;
