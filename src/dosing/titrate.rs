//! `titrate`: the decision at a follow-up visit from the current dose, the
//! latest IGF-1 and dates (and, for children, weight and growth).
//! Orchestration only.
//!
//! Order of precedence: a block flag stops treatment; a mistimed or
//! too-early IGF-1 sample gives `recheck` (except that a decrease for IGF-1
//! above the ceiling or dose-related symptoms is allowed at any time); then
//! the titration table of the regimen.

use super::assembly::{Assembly, Decided, indication, settle_and_round, unusual_notes};
use super::device::{OnProduct, dose_step, finest_step, on_product, supply_for};
use super::error::{Error, Field, Result, msg};
use super::guard::{
    Facts, Guard, after_change, dose_confirmed, igf1_ceiling, pediatric_in_adult,
    plausible_current_dose, safety_flags,
};
use super::outcome::{Change, CurrentDoseEcho, Outcome};
use super::patient::{Findings, Patient, PreviousWeight, Stature, Velocity};
use super::patient::{
    applies_check, course_titrate, dates_check, growth_assess, igf1_sds, igf1_timing, stature_score,
};
use super::patient::{check_visit, fmt_num, validate};
use super::proposal::{Ctx, Kind, Proposal};
use super::regimen::{
    Visit, adult_daily_titrate, current_weekly, weekly_adult_titrate, weekly_pediatric_titrate,
    weight_based_titrate,
};
use super::request::{self, TitrateRequest};
use super::trail::Notes;
use crate::rules::products::Product;
use crate::rules::{Indication, RuleSet};
use crate::units::{Exact, Micrograms, NgPerKg, round_to};
use crate::vocab::{Action, FlagCode, Population};
use std::ops::Range;

/// Decides at a follow-up visit. Errors are refused requests (exit code 2).
pub fn titrate(req: &TitrateRequest, rules: &RuleSet) -> Result<Outcome> {
    let subject = &req.subject;
    let ind = indication(&subject.indication, rules)?;
    let patient = validate(&subject.patient, subject.as_of, rules)?;
    pediatric_in_adult(ind, &patient, rules)?;
    let on = on_product(subject, req.supply_days, ind, rules)?;
    dates_check(req)?;
    let current = current_dose(req, rules)?;
    // After the range checks of every value (check_visit).
    let child_only = (req.pretreatment_hv_cm_per_year, req.bone_age_years);
    applies_check(&subject.patient, ind, child_only)?;
    let kind = Kind::of(ind, on.as_ref());
    daily_last_injection(req, kind)?;
    let mut notes = Notes::default();
    missed_weekly_dose(req, kind, &mut notes);
    course_titrate(req, &patient, ind, rules, &mut notes)?;
    plausible_current_dose(kind, current, &patient, rules)?;
    if let Some(line) = dose_confirmed(kind, current, &patient, rules) {
        notes.why(line);
    }
    for line in req.history.iter().flat_map(|h| &h.notes) {
        notes.why(line.clone());
    }
    let stature = stature_score(&patient, &subject.patient, ind, rules, &mut notes)?;
    let reading = igf1_sds(req, &patient, rules, &mut notes)?;
    let sds = reading.as_ref().map(|r| r.sds);
    let weekly = weekly_product(kind);
    cite_indication(weekly, ind, &mut notes);
    let visit = Visit {
        req,
        current,
        igf1: igf1_timing(req, sds, weekly, ind, rules, &mut notes)?,
    };
    let mut cx = Ctx {
        rules,
        ind,
        subject,
        on: on.as_ref(),
        notes: &mut notes,
    };
    let steps_from = cx.notes.mark();
    let (mut proposal, previous) = propose(&mut cx, kind, &patient, &stature, &visit)?;
    let steps = steps_from..notes.mark();
    let velocity = velocity(req, &patient, ind, rules, &mut notes)?;
    let found = Findings::of_visit(req, &patient, stature, reading, previous, velocity);
    safety_flags(&patient, &found, ind, on.as_ref(), rules, &mut notes);
    unusual_notes(&found, rules, &mut notes);
    let n = proposal.dose.injections_per_week;
    let now = current_weekly(current, n);
    let facts = guard_facts(rules, kind, on.as_ref(), &patient, &visit, now);
    let gives = guard_and_round(
        &mut proposal,
        &facts,
        on.as_ref(),
        &patient,
        &mut notes,
        steps,
    )?;
    let change = change(&proposal, now);
    if on.is_none() && gives {
        notes.raise(FlagCode::NoDeviceRounding);
    }
    let supply = if gives {
        supply_for(req.supply_days, on.as_ref(), &proposal.dose, &mut notes)?
    } else {
        None
    };
    let decided = Decided {
        gives,
        change,
        supply,
        current_dose: Some(current_dose_echo(now, n)),
    };
    let at = Assembly {
        rules,
        ind,
        subject,
        on: on.as_ref(),
    };
    Ok(at.outcome((&patient, &found), proposal, notes, decided))
}

/// The weekly product given, if any (it times the IGF-1 sample).
fn weekly_product<'a>(kind: Kind<'a>) -> Option<&'a Product> {
    match kind {
        Kind::WeeklyPediatric(o) | Kind::WeeklyAdult(o) => Some(o.product),
        _ => None,
    }
}

/// Growth velocity, assessed for a child only.
fn velocity(
    req: &TitrateRequest,
    patient: &Patient,
    ind: &Indication,
    rules: &RuleSet,
    notes: &mut Notes,
) -> Result<Velocity> {
    Ok(if ind.population == Population::Pediatric {
        growth_assess(req, patient, ind, rules, notes)?
    } else {
        Velocity::default()
    })
}

/// The regimen's proposal for the visit, with the weight the last decision
/// was made on (pediatric regimens only).
fn propose(
    cx: &mut Ctx,
    kind: Kind,
    p: &Patient,
    stature: &Stature,
    visit: &Visit,
) -> Result<(Proposal, Option<PreviousWeight>)> {
    Ok(match kind {
        Kind::WeightBased(wb) => weight_based_titrate(cx, wb, p, visit)?,
        Kind::WeeklyPediatric(o) => weekly_pediatric_titrate(cx, o, p, visit)?,
        Kind::AdultDaily(groups) => (adult_daily_titrate(cx, groups, p, stature, visit)?, None),
        Kind::WeeklyAdult(o) => (weekly_adult_titrate(cx, o, p, visit)?, None),
    })
}

/// The facts the guard settles a follow-up decision with: today's dose and
/// IGF-1, the regimen's ceiling and review, the record's last reduction.
fn guard_facts<'a>(
    rules: &'a RuleSet,
    kind: Kind<'a>,
    on: Option<&OnProduct>,
    patient: &Patient,
    visit: &Visit,
    now: Micrograms,
) -> Facts<'a> {
    let req = visit.req;
    Facts {
        rules,
        as_of: req.subject.as_of,
        weight: patient.weight,
        current: Some(now),
        igf1: Some(visit.igf1),
        ceiling: igf1_ceiling(kind, rules),
        after_change: after_change(kind, rules),
        reduction: req.history.as_ref().and_then(|h| h.reduction),
        prescribed: req
            .prescribed_mg_per_kg_week
            .and_then(NgPerKg::round_mg_per_kg)
            .filter(|i| i.0 > 0),
        step: dose_step(rules, on),
        finest: on.and_then(|o| finest_step(&o.product.devices)),
        // Only without an IGF-1 today. However old, a high result never
        // acted on is not outgrown: it stands until a new sample is given.
        igf1_unanswered: req
            .history
            .as_ref()
            .and_then(|h| h.igf1_unanswered)
            .filter(|_| visit.igf1.sds.is_none()),
    }
}

/// Stops on a blocking flag; else settles and rounds a dose to give, or
/// verifies a recheck. Whether a dose is given.
fn guard_and_round(
    proposal: &mut Proposal,
    facts: &Facts,
    on: Option<&OnProduct>,
    patient: &Patient,
    notes: &mut Notes,
    steps: Range<usize>,
) -> Result<bool> {
    let stopped = Guard { facts, notes }.blocks_stop(proposal, false, steps);
    let mut gives = !stopped && proposal.action != Action::Recheck;
    if gives {
        settle_and_round(proposal, facts, on, patient, notes)?;
        // The guard may find no dose to give on the decision's side.
        gives = proposal.action != Action::Recheck;
    } else if !stopped {
        Guard { facts, notes }.verify(proposal, None, on);
    }
    Ok(gives)
}

/// The current dose as the outcome echoes it: per week, per injection and
/// injections per week.
fn current_dose_echo(now: Micrograms, n: u8) -> CurrentDoseEcho {
    CurrentDoseEcho {
        mg_per_week: now,
        mg_per_injection: Exact {
            num: i128::from(now.0),
            den: i128::from(n.max(1)),
        }
        .round(),
        injections_per_week: n,
    }
}

/// The current dose, required and within the limits, after the visit's
/// other numbers ([`check_visit`]).
fn current_dose(req: &TitrateRequest, rules: &RuleSet) -> Result<request::CurrentDose> {
    check_visit(req, rules)?;
    let current = req.current.ok_or_else(|| {
        Error::new(
            Field::CurrentMgPerDay,
            msg![
                Field::CurrentMgPerDay,
                " or ",
                Field::CurrentMgPerWeek,
                " is required for titrate (the dose now given)"
            ],
        )
    })?;
    let (field, value) = current.given();
    let limit = rules.limits.dose_mg;
    if !(value.is_finite() && value > limit.min && value <= limit.max) {
        return Err(Error::says(
            field,
            format!(
                "must be a positive number of mg up to {} (got {})",
                limit.max,
                fmt_num(value)
            ),
        ));
    }
    Ok(current)
}

/// `--last-injection` times a weekly product's IGF-1 sample and a missed
/// weekly dose; for a daily dose it is refused, never silently ignored.
fn daily_last_injection(req: &TitrateRequest, kind: Kind) -> Result<()> {
    let weekly = matches!(kind, Kind::WeeklyPediatric(_) | Kind::WeeklyAdult(_));
    if weekly || req.last_injection.is_none() {
        return Ok(());
    }
    Err(Error::new(
        Field::LastInjection,
        msg![
            Field::LastInjection,
            " applies to the weekly products (the IGF-1 sample's day after the injection, a missed weekly dose); this dose is daily: leave it out"
        ],
    ))
}

/// The indication's own sources are the daily labels': a weekly product's
/// numbers come from its own label, cited by its regimen.
fn cite_indication(weekly: Option<&Product>, ind: &Indication, notes: &mut Notes) {
    if weekly.is_none() {
        notes.cite(&ind.cited.sources);
    }
}

/// "1 day", "3 days".
fn days(n: i64) -> String {
    if n == 1 {
        "1 day".into()
    } else {
        format!("{n} days")
    }
}

/// More than a week since a weekly product's last injection: a missed dose,
/// named with the label's rule (given late within its days, else skipped).
fn missed_weekly_dose(req: &TitrateRequest, kind: Kind, notes: &mut Notes) {
    let (Kind::WeeklyPediatric(o) | Kind::WeeklyAdult(o)) = kind else {
        return;
    };
    let Some(last) = req.last_injection else {
        return;
    };
    let since = (req.subject.as_of - last).num_days();
    let late = since - 7;
    if late <= 0 {
        return;
    }
    let name = &o.product.name;
    notes.raise(FlagCode::MissedWeeklyDose);
    notes.why(match o.product.missed_dose_within_days {
        Some(d) if late <= i64::from(d) => format!(
            "{since} days since the last injection ({last}): the weekly dose is {} late; the {name} label gives a missed dose within {d} days: give it now, then keep the usual day",
            days(late)
        ),
        Some(d) => format!(
            "{since} days since the last injection ({last}): the weekly dose is {} late; the {name} label gives a missed dose only within {d} days: skip it and give the next dose on the usual day",
            days(late)
        ),
        None => format!(
            "{since} days since the last injection ({last}): a weekly dose was missed; follow the {name} label's missed-dose rule"
        ),
    });
}

/// From the current dose to the dose given (the deliverable one on a
/// product), for an increase or a decrease.
fn change(p: &Proposal, now: Micrograms) -> Option<Change> {
    if !p.action.changes() {
        return None;
    }
    let to = p.dose.given_per_week();
    Some(Change {
        from_mg_per_week: now,
        to_mg_per_week: to,
        percent: round_to(
            to.0.saturating_sub(now.0) as f64 * 100.0 / now.0.max(1) as f64,
            1,
        ),
    })
}

#[cfg(test)]
mod tests;
