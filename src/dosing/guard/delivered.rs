//! The guard's last word is on what the patient receives: the delivered
//! dose (after the choice of pen, cartridge, strength and injections, or a
//! regimen's own table of cartridges) against every bound of the decision.
//!
//! [`Envelope`] is set when the guard settles the proposal: the most the
//! patient may receive a week (the route's hard limit, the reason's bound for
//! an increase, the reduction kept, the current dose at the IGF-1 ceiling or
//! for a maintain) and the side of the current dose the decision is on. After
//! rounding, [`Guard::delivered_within`] checks the delivered dose against it;
//! a delivered dose outside is placed again, the closest inside; where no
//! presentation gives one, an increase is a maintain of the current dose and
//! a reduction is a recheck ([`FlagCode::NoDeliverableDose`]). No regimen
//! needs code of its own for this: it holds for every product and table.

use super::Guard;
use super::envelope::Envelope;
use crate::dosing::device::{OnProduct, Target, closest_within, describe, fixed_dose};
use crate::dosing::outcome::Deliverable;
use crate::dosing::proposal::Proposal;
use crate::units::Micrograms;
use crate::vocab::{Action, FlagCode};

impl Guard<'_, '_> {
    /// The delivered dose inside every bound of the decision, or placed again
    /// inside them; where no presentation can, the decision says so.
    pub(crate) fn delivered_within(
        &mut self,
        p: &mut Proposal,
        env: &Envelope,
        on: Option<&OnProduct>,
    ) {
        let Some(on) = on else {
            self.without_product(p, env);
            return;
        };
        let given = p.dose.given_per_week();
        let delivered = p.dose.deliverable.is_some();
        if delivered && env.holds(given) {
            return;
        }
        if !delivered && env.side.is_none() {
            // A start no presentation gives: the exact dose inside its limit
            // stands, with DEVICE_CANNOT_DELIVER (no search away from the
            // range the regimen set).
            return;
        }
        let n = p.dose.injections_per_week.max(1);
        let keep = p.dose.deliverable.as_ref().map(|d| d.device.clone());
        let goal = p.dose.mg_per_week;
        let t = env.target(goal, env.side, n);
        // A pen the patient keeps is a choice of pen; a cartridge of one
        // strength is a choice of dose: the search takes any strength.
        let forced = on.device.filter(|d| fixed_dose(d).is_none());
        let weekly = |pl: &crate::dosing::device::Placed| {
            pl.per_injection
                .times(i64::from(pl.injections_per_dose))
                .times(i64::from(n))
        };
        let maintain = matches!(env.side, Some((_, Action::Maintain)));
        let found = closest_within(on.product, forced, keep.as_deref(), &t)
            .filter(|pl| !maintain && env.holds(weekly(pl)));
        if let Some(placed) = found {
            self.first_rounding_replaced(p, env);
            let d = describe(placed, &t, self.facts.weight, self.notes);
            self.explain_placed(env, &d, delivered, given);
            p.dose.deliverable = Some(d);
            return;
        }
        match env.side {
            Some((now, action @ (Action::Increase | Action::Maintain))) => {
                self.first_rounding_replaced(p, env);
                if action == Action::Increase {
                    self.notes.why(format!(
                        "no presentation of {} gives a dose above the current {now} mg/week and at most {} mg/week ({}): the current dose is kept",
                        on.product.name, env.max, env.why
                    ));
                }
                self.keep_current(p, on, now, keep.as_deref());
            }
            Some(_) => {
                self.first_rounding_replaced(p, env);
                self.nothing_deliverable(p, on, env, &t);
            }
            // A start whose delivered dose broke its bound (one that gave
            // none returned above).
            None => self.start_beyond_bound(p, env, on, given),
        }
    }

    /// Without a product the dose given is the exact dose: outside the
    /// decision's bounds it is not given.
    fn without_product(&mut self, p: &mut Proposal, env: &Envelope) {
        // Without a product the dose given is the exact dose, which the
        // guard settled inside the envelope.
        if !env.holds(p.dose.mg_per_week) && p.action != Action::Start {
            self.corrected(format!(
                "{} mg/week is outside the decision's bounds (at most {}): not given",
                p.dose.mg_per_week, env.why
            ));
            self.unchanged(p, env);
        }
    }

    /// Why the dose was placed again inside the decision's bounds.
    fn explain_placed(
        &mut self,
        env: &Envelope,
        d: &Deliverable,
        delivered: bool,
        given: Micrograms,
    ) {
        if delivered {
            self.notes.why(format!(
                "the delivered {given} mg/week is outside the decision's bounds (at most {} mg/week: {}{}): {} mg/week is the closest dose a presentation gives inside them",
                env.max,
                env.why,
                side_text(env),
                d.mg_per_week
            ));
        } else {
            self.notes.raised.lower(FlagCode::DeviceCannotDeliver);
            self.notes.why(format!(
                "{} mg/week is the closest dose a presentation gives inside the decision's bounds (at most {} mg/week{})",
                d.mg_per_week,
                env.max,
                side_text(env)
            ));
        }
    }

    /// A start whose table dose is above a bound (a restart's cap, a label
    /// maximum) and no presentation gives a dose inside it: shown unrounded.
    fn start_beyond_bound(
        &mut self,
        p: &mut Proposal,
        env: &Envelope,
        on: &OnProduct,
        given: Micrograms,
    ) {
        self.first_rounding_replaced(p, env);
        self.notes.raise(FlagCode::NoDeliverableDose);
        self.notes.raise(FlagCode::DeviceCannotDeliver);
        self.notes.why(format!(
            "the table's {given} mg/week is above {} ({} mg/week), and no presentation of {} gives a dose at most that: the dose is shown unrounded",
            env.why, env.max, on.product.name
        ));
        p.dose.deliverable = None;
    }

    /// A maintain: the current dose itself, on a presentation that gives it
    /// (the patient's own first); when none does, the current dose unrounded
    /// with DEVICE_CANNOT_DELIVER, never a step below it (a rounding is not a
    /// decision).
    fn keep_current(
        &mut self,
        p: &mut Proposal,
        on: &OnProduct,
        now: Micrograms,
        keep: Option<&str>,
    ) {
        let n = p.dose.injections_per_week.max(1);
        let at = Envelope {
            max: now,
            min: None,
            why: "the current dose".into(),
            side: Some((now, Action::Maintain)),
            mark: 0,
        };
        let t = at.target(now, at.side, n);
        self.set_weekly(p, now);
        p.action = Action::Maintain;
        let forced = on.device.filter(|d| fixed_dose(d).is_none());
        match closest_within(on.product, forced, keep, &t).filter(|pl| {
            i128::from(pl.per_injection.0) * i128::from(pl.injections_per_dose) * t.dose.den
                == t.dose.num
        }) {
            Some(placed) => {
                self.notes.raised.lower(FlagCode::DeviceCannotDeliver);
                self.notes.why(format!(
                    "maintain: the current {now} mg/week itself, on a presentation that gives it"
                ));
                p.dose.deliverable = Some(describe(placed, &t, self.facts.weight, self.notes));
            }
            None => {
                self.notes.raise(FlagCode::DeviceCannotDeliver);
                self.notes.why(format!(
                    "no presentation of {} gives the current {now} mg/week exactly: it is kept as it is, unrounded",
                    on.product.name
                ));
                p.dose.deliverable = None;
            }
        }
    }

    /// The first rounding's lines, replaced by what it gave: the dose is
    /// placed again.
    fn first_rounding_replaced(&mut self, p: &Proposal, env: &Envelope) {
        let first = match &p.dose.deliverable {
            Some(d) => format!(
                "first rounding: {} mg/week on {} (replaced below)",
                d.mg_per_week, d.device_name
            ),
            None => "first rounding: no presentation gave the target (replaced below)".into(),
        };
        self.notes.retract(env.mark..self.notes.mark(), first);
    }

    /// The dose given below the range's minimum says so (DOSE_BELOW_RANGE),
    /// whatever the target was: a rounding or a kept dose may sit below it.
    pub(crate) fn below_range_said(&mut self, p: &Proposal) {
        if !matches!(
            p.action,
            Action::Increase | Action::Decrease | Action::Maintain
        ) {
            return;
        }
        let Some(min) = p.range.mg_per_week.as_ref().and_then(|s| s.min) else {
            return;
        };
        let given = p.dose.given_per_week();
        // Each injection is held to the microgram: a week of them may fall
        // short of the range's minimum by less than one microgram each.
        let n = i64::from(p.dose.injections_per_week.max(1));
        if given.0.saturating_add(n) > min.0 {
            return;
        }
        if self.one_step_below(p, given, min) {
            return;
        }
        let raised = &self.notes.raised;
        if given < min
            && !raised.has(FlagCode::DoseBelowRange)
            && !raised.has(FlagCode::RoundedOutsideRange)
        {
            self.notes.raise(FlagCode::DoseBelowRange);
            self.notes.why(format!(
                "the dose given, {given} mg/week, is below the range's minimum {min} mg/week"
            ));
        }
    }

    /// A maintain or an increase delivered below the range's minimum where
    /// the presentation has no dose inside the range (the next step is above
    /// its maximum, as Ngenla's 19.8 mg on 0.5 mg steps is 19.5 or 20): the
    /// tool's own rounding, not a dose below the range to warn about at every
    /// visit. A reduction kept for a high IGF-1 still is. Says so; whether it
    /// applied.
    fn one_step_below(&mut self, p: &Proposal, given: Micrograms, min: Micrograms) -> bool {
        if self.facts.reduction.is_some() || p.action == Action::Decrease {
            return false;
        }
        let Some(d) = &p.dose.deliverable else {
            return false;
        };
        let Some(inc) = d.increment_mg else {
            return false;
        };
        let per_week = i64::from(p.dose.injections_per_week.max(1))
            .saturating_mul(i64::from(d.injections_per_dose.max(1)));
        // The next step up is above the range's maximum: no dose of this
        // presentation lies inside the range.
        let next = given.0.saturating_add(inc.0.saturating_mul(per_week));
        let max = p.range.mg_per_week.as_ref().map_or(min, |s| s.max);
        if next <= max.0 {
            return false;
        }
        self.notes.raised.lower(FlagCode::DoseBelowRange);
        self.notes.why(format!(
            "{given} mg/week is below the range's minimum {min} mg/week and {} ({inc} mg steps) gives no dose inside the range: the nearest dose below it, not a dose below the range",
            d.device_name
        ));
        true
    }

    /// A reduction for a high IGF-1 that is not given (the lowest strength or
    /// step already) is a recheck with the reason, never a plain maintain
    /// beside a flag that says "reduce".
    pub(crate) fn reduction_given(&mut self, p: &mut Proposal) {
        let Some(now) = self.titrated(p) else {
            return;
        };
        if !self.notes.raised.has(FlagCode::Igf1AboveRange) {
            return;
        }
        let given = p.dose.given_per_week();
        if given < now {
            return;
        }
        self.notes.raise(FlagCode::NoDeliverableDose);
        self.notes.why(format!(
            "IGF-1 above the range asks for a reduction, and no dose below the current {now} mg/week can be given on this product and presentation: recheck (nothing is changed); review the product or presentation with the clinician or pharmacist"
        ));
        p.action = Action::Recheck;
        p.dose.deliverable = None;
    }

    /// No presentation gives a dose inside the bounds on the decision's
    /// side: nothing is changed (recheck, with the reason).
    fn nothing_deliverable(
        &mut self,
        p: &mut Proposal,
        on: &OnProduct,
        env: &Envelope,
        t: &Target,
    ) {
        self.notes.raise(FlagCode::NoDeliverableDose);
        let (whose, other) = match on.device {
            // The presentation the patient uses cannot; another may.
            Some(d) => {
                let n = i64::from(p.dose.injections_per_week.max(1));
                let other = closest_within(on.product, None, None, t)
                    .map(|pl| {
                        (
                            pl.device,
                            pl.per_injection.times(i64::from(pl.injections_per_dose)),
                        )
                    })
                    .filter(|(_, per)| env.holds(per.times(n)))
                    .map(|(dev, per)| {
                        format!(
                            "; {} gives {} mg per injection ({} mg/week) inside them",
                            dev.name,
                            per,
                            per.times(n)
                        )
                    })
                    .unwrap_or_default();
                (d.name.clone(), other)
            }
            None => (
                format!("presentation of {}", on.product.name),
                String::new(),
            ),
        };
        self.notes.why(format!(
            "no {whose} gives a dose at most {} mg/week ({}){}{other}: recheck (nothing is changed)",
            env.max,
            env.why,
            side_text(env)
        ));
        self.unchanged(p, env);
    }

    /// The current dose kept and nothing given: a recheck.
    fn unchanged(&mut self, p: &mut Proposal, env: &Envelope) {
        if let Some((now, _)) = env.side {
            self.set_weekly(p, now);
            p.action = Action::Recheck;
        }
        p.dose.deliverable = None;
    }
}

/// The side of the current dose a decision needs, for the rationale.
fn side_text(env: &Envelope) -> String {
    match env.side {
        Some((now, Action::Increase)) => format!(", above the current {now} mg/week"),
        Some((now, Action::Decrease)) => match env.min {
            Some(m) => format!(
                ", below the current {now} mg/week and at least {m} mg/week (the target less one step of the finest presentation: a rounding is not a decision)"
            ),
            None => format!(", below the current {now} mg/week"),
        },
        Some((now, Action::Maintain)) => format!(", the current {now} mg/week itself"),
        _ => String::new(),
    }
}

#[cfg(test)]
mod maintain_tests;
#[cfg(test)]
mod tests;
