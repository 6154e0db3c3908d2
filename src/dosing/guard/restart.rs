//! A start after a stop: after a stop for a safety reason the rule set
//! names (intracranial hypertension), the labels say treatment may restart
//! at a lower dose once the signs have resolved. The visit must state that
//! they have (`--signs-resolved`), the restart is flagged
//! (RESTART_AFTER_SAFETY_STOP, fundoscopy in its message), and on the
//! molecule given before the stop it goes no higher than the dose before
//! the stop reduced by the rule's percentage, and on another molecule no
//! higher than that molecule's start reduced by the same percentage (limits
//! the guard and device rounding keep). After any stop, a reduction for a
//! high IGF-1 that was the last change on the molecule started now is kept:
//! the restart goes no higher than it on today's weight.

use crate::dosing::error::{Error, Field, Result, msg};
use crate::dosing::patient::dates_review;
use crate::dosing::proposal::{Limit, Proposal};
use crate::dosing::request::{Reduction, Restart, StartRequest};
use crate::dosing::trail::Notes;
use crate::rules::{RestartRule, RuleSet};
use crate::units::{Exact, Grams, Micrograms};
use crate::vocab::FlagCode;

/// Applies the restart rule to a start's proposal (before the guard).
pub(crate) fn lower(
    req: &StartRequest,
    rules: &RuleSet,
    weight: Option<Grams>,
    proposal: &mut Proposal,
    notes: &mut Notes,
) -> Result<()> {
    let Some(r) = &req.restart else {
        if req.signs_resolved {
            notes.why(
                "signs resolved stated: no stop of treatment is known (no visit record with one), so it changes nothing",
            );
        }
        return Ok(());
    };
    let rule = &rules.restart;
    let safety: Vec<&str> = r
        .stopped_for
        .iter()
        .filter(|c| rule.after.contains(c))
        .map(|c| c.as_str())
        .collect();
    let all: Vec<&str> = r.stopped_for.iter().map(|c| c.as_str()).collect();
    notes.why(format!(
        "restart: treatment was stopped on {} ({}{})",
        r.stopped_on,
        r.known_from,
        if all.is_empty() {
            String::new()
        } else {
            format!(": {}", all.join(", "))
        }
    ));
    if let Some(red) = &r.reduction {
        keep_reduction(red, weight, proposal, notes);
    }
    if safety.is_empty() {
        if req.signs_resolved {
            notes.why(
                "signs resolved stated: the stop was not for a reason the rule set restarts lower after",
            );
        }
        return Ok(());
    }
    let reasons = safety.join(", ");
    signs_resolved(req.signs_resolved, r, &reasons)?;
    notes.raise(FlagCode::RestartAfterSafetyStop);
    notes.cite(&rule.cited.sources);
    // Intracranial hypertension comes early: the restart is seen sooner
    // than the indication's usual review, when the rule set says when.
    if let Some(id) = &rule.review {
        proposal.review = dates_review(rules, id, req.subject.as_of, notes);
        notes.why(format!(
            "restart after {reasons}: reviewed in the rule set's {id} window"
        ));
    }
    match r.dose_before {
        Some(before) => cap_below_dose_before(rule, &reasons, before, proposal, notes),
        None => cap_on_another_molecule(rule, &reasons, proposal, notes),
    }
    Ok(())
}

/// Keeps a reduction for a high IGF-1 that was the last change before the
/// stop: the restart goes no higher than it on today's weight.
fn keep_reduction(
    red: &Reduction,
    weight: Option<Grams>,
    proposal: &mut Proposal,
    notes: &mut Notes,
) {
    // The reduced dose on today's weight (the reduced dose itself when a
    // weight is unknown).
    let kept = match (red.weight, weight) {
        (Some(then), Some(today)) if then.0 > 0 => Exact {
            num: i128::from(red.mg_per_week.0).saturating_mul(i128::from(today.0)),
            den: i128::from(then.0),
        }
        .round(),
        _ => red.mg_per_week,
    };
    let why = format!(
        "the reduction of {} for IGF-1 SDS {:+} ({} mg/week) on today's weight, {kept} mg/week",
        red.date,
        crate::units::round_to(red.igf1_sds, 2),
        red.mg_per_week
    );
    if proposal.dose.mg_per_week > kept {
        notes.why(format!(
            "restart: the last change before the stop was a reduction for a high IGF-1: no higher than {why}"
        ));
        proposal.limit = proposal.limit.clone().min(Limit {
            max_per_week: kept,
            why,
            sources: Vec::new(),
            flag: None,
        });
    }
}

/// After a stop for a safety reason, a restart needs the signs stated
/// resolved (`--signs-resolved`).
fn signs_resolved(stated: bool, r: &Restart, reasons: &str) -> Result<()> {
    if stated {
        return Ok(());
    }
    Err(Error::new(
        Field::SignsResolved,
        msg![
            Field::SignsResolved,
            format!(
                " is required: treatment was stopped on {} for {reasons} ({}); it restarts, at a lower dose, only once the signs have resolved (fundoscopy): give ",
                r.stopped_on, r.known_from
            ),
            Field::SignsResolved,
            " when they have"
        ],
    ))
}

/// The restart ceiling on another molecule (mg not comparable): this
/// molecule's start less the rule's percentage.
fn cap_on_another_molecule(
    rule: &RestartRule,
    reasons: &str,
    proposal: &mut Proposal,
    notes: &mut Notes,
) {
    // Another molecule: mg are not comparable, so the restart is lower
    // than this molecule's own start by the rule's percentage.
    let start = proposal.dose.mg_per_week;
    let cap = rule.reduce_from_dose_before.reduce(start);
    let why = format!(
        "the restart ceiling after a stop for {reasons} on another molecule (this molecule's start {start} mg/week less {} %, {cap} mg/week)",
        rule.reduce_from_dose_before
    );
    notes.why(format!(
        "restart after a stop for {reasons}, signs resolved: the dose before the stop was of another molecule (not comparable mg-for-mg): {why}"
    ));
    proposal.limit = proposal.limit.clone().min(Limit {
        max_per_week: cap,
        why,
        sources: rule.cited.sources.clone(),
        flag: Some(FlagCode::RestartAfterSafetyStop),
    });
}

/// The restart ceiling on the molecule given before the stop: strictly
/// below the dose before it, less the rule's percentage.
fn cap_below_dose_before(
    rule: &RestartRule,
    reasons: &str,
    before: Micrograms,
    proposal: &mut Proposal,
    notes: &mut Notes,
) {
    let reduced = rule.reduce_from_dose_before.reduce(before);
    // Strictly lower than before, whatever the rounding of the percentage.
    let cap = reduced.min(Micrograms(before.0.saturating_sub(1)));
    let why = format!(
        "the restart ceiling after a stop for {reasons} (the {before} mg/week given before the stop less {} %, {cap} mg/week)",
        rule.reduce_from_dose_before
    );
    if proposal.dose.mg_per_week > cap {
        proposal.limit = proposal.limit.clone().min(Limit {
            max_per_week: cap,
            why,
            sources: rule.cited.sources.clone(),
            flag: Some(FlagCode::RestartAfterSafetyStop),
        });
    } else {
        notes.why(format!(
            "{why}: the start dose {} mg/week is already at or below it",
            proposal.dose.mg_per_week
        ));
    }
}

#[cfg(test)]
mod tests;
