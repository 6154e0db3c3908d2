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

use super::error::{Error, Field, Result, msg};
use super::regimen::{Limit, Proposal};
use super::request::StartRequest;
use super::trail::Notes;
use crate::rules::RuleSet;
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
            red.date, red.igf1_sds, red.mg_per_week
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
    if safety.is_empty() {
        if req.signs_resolved {
            notes.why(
                "signs resolved stated: the stop was not for a reason the rule set restarts lower after",
            );
        }
        return Ok(());
    }
    let reasons = safety.join(", ");
    if !req.signs_resolved {
        return Err(Error::new(
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
        ));
    }
    notes.raise(FlagCode::RestartAfterSafetyStop);
    notes.cite(&rule.cited.sources);
    let Some(before) = r.dose_before else {
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
        return Ok(());
    };
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
    Ok(())
}
