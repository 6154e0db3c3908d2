//! The guard: the last stage every `start` and `titrate` outcome passes,
//! whatever regimen, product, device or input route produced it. Each
//! invariant is a named check (`docs/safety.md` lists them with their tests):
//!
//! - [`Guard::within_limit`] (invariant 3): no dose above the hard maximum
//!   of the patient's regimen and route (label maxima, the indication's
//!   ceilings, the adult cap, a regional per-day cap); capped with
//!   DOSE_CAPPED, before and after device rounding.
//! - [`Guard::no_raise_at_ceiling`] (1), [`Guard::raise_has_a_reason`] (4,
//!   6, 8): a titrated dose goes up only for a stated reason (growth on a
//!   prescribed or previous-weight intensity, or an interpretable IGF-1
//!   below the target band), never with IGF-1 at or above the ceiling, and
//!   never above the reason's own bound.
//! - [`Guard::reduction_kept`] (11): after a reduction for a high IGF-1
//!   (known from the visit record), growth takes the dose no higher than
//!   the reduced intensity on today's weight; only an IGF-1 below the target
//!   band is a reason to go further.
//! - [`Guard::words_match_the_change`] (2): the action word is the change
//!   from the current dose to the deliverable one; rounding is told the
//!   direction first ([`Toward`]).
//! - [`Guard::blocks_stop`] (5): a block flag withholds the start or stops
//!   treatment, from the same flags at start and at every visit.
//! - [`Guard::review_follows_the_decision`] (9): a change is reviewed in the
//!   after-change window (or sooner), and no window starts before the
//!   decision date.
//!
//! - [`Guard::delivered_within`] (12, `delivered.rs`): the dose the patient
//!   receives, after every choice of pen, cartridge, strength and
//!   injections, inside every bound of the decision ([`Envelope`]); placed
//!   again inside them, or a maintain or recheck where no presentation can.
//! - [`Guard::smaller_than_a_step`] (13): a change smaller than one dose
//!   step of the presentation is a maintain (a rounding is not a decision).
//!
//! A correction that means a regimen proposed something it should not have
//! raises SAFETY_CHECK with the reason in the rationale.
//!
//! Beside it, what must never be, read by the regimens and the orchestration:
//! the hard maximum of every route ([`limits`]), the safety flags ([`flags`]),
//! the implausible inputs ([`plausible`]) and the restart after a stop
//! ([`restart`]).

mod delivered;
mod envelope;
mod flags;
mod increase;
mod limits;
mod plausible;
mod restart;

// What the other stages of `dosing` read. A function that was called through
// its file's name keeps that name in front (`restart::lower` is
// `restart_lower`).
pub(super) use envelope::Envelope;
pub(super) use flags::{device_flags, diabetic, obese, safety_flags, start_flags};
pub(super) use limits::{IntensityOrigin, after_change, child_ceiling, igf1_ceiling, limit};
pub(super) use plausible::{
    current_dose as plausible_current_dose, dose_confirmed, pediatric_in_adult,
};
pub(super) use restart::lower as restart_lower;

use super::device::{OnProduct, Target, Toward};
use super::patient::{Igf1, NextReview, dates_plus, dates_review, fmt_sds};
use super::proposal::{Proposal, Raise, action_for, iu};
use super::request::Reduction;
use super::trail::Notes;
use crate::rules::RuleSet;
use crate::units::{Exact, Grams, Micrograms, NgPerKg};
use crate::vocab::{Action, FlagCode};
use chrono::NaiveDate;
use std::ops::Range;

/// What the guard checks an outcome against.
pub(super) struct Facts<'a> {
    pub(crate) rules: &'a RuleSet,
    pub(crate) as_of: NaiveDate,
    pub(crate) weight: Option<Grams>,
    /// Titrate: the current weekly dose, in the regimen's own mg.
    pub(crate) current: Option<Micrograms>,
    /// Titrate: the IGF-1 facts the decision had.
    pub(crate) igf1: Option<Igf1>,
    /// IGF-1 SDS at or above which a dose never goes up.
    pub(crate) ceiling: f64,
    /// The review after a dose change.
    pub(crate) after_change: &'a str,
    /// Titrate with a record: the last change was a reduction for a high IGF-1.
    pub(crate) reduction: Option<Reduction>,
    /// Titrate: the prescribed intensity, when given (growth never takes the
    /// dose above it on today's weight).
    pub(crate) prescribed: Option<NgPerKg>,
    /// The finest dose step per injection of the presentations the patient
    /// may be given (`None`: whole cartridges or no stated step).
    pub(crate) step: Option<Micrograms>,
    /// The finest dose step per injection of any of the product's
    /// presentations (`None`: no product, whole cartridges or no stated
    /// step): a rounding never moves the dose given further than it from
    /// the decision's target.
    pub(crate) finest: Option<Micrograms>,
    /// Titrate with a record and no IGF-1 today: the record's latest IGF-1
    /// SDS not followed by a decrease, still recent (its date and line).
    pub(crate) igf1_unanswered: Option<(NaiveDate, f64, usize)>,
}

/// The guard over one outcome.
pub(super) struct Guard<'a, 'n> {
    pub(crate) facts: &'a Facts<'a>,
    pub(crate) notes: &'n mut Notes,
}

impl Guard<'_, '_> {
    /// The current weekly dose when the proposal titrates it (an increase,
    /// a decrease or maintain at a visit); `None` at start, for a recheck
    /// and for a stop.
    fn titrated(&self, p: &Proposal) -> Option<Micrograms> {
        let changes = matches!(
            p.action,
            Action::Increase | Action::Decrease | Action::Maintain
        );
        self.facts.current.filter(|_| changes)
    }

    /// Before device rounding: limits, reasons, the action from the target,
    /// and the direction rounding must keep. Returns the bounds the dose the
    /// patient receives must stay in.
    pub(super) fn settle(&mut self, p: &mut Proposal) -> Envelope {
        self.within_limit(p);
        let mut env = Envelope {
            max: p.limit.max_per_week,
            min: None,
            why: p.limit.why.clone(),
            side: None,
            mark: 0,
        };
        let Some(now) = self.titrated(p) else {
            env.mark = self.notes.mark();
            return env;
        };
        let at_ceiling = self.no_raise_at_ceiling(p, now) | self.unanswered_high_igf1(p, now);
        let extreme = self.no_raise_on_extreme_weight(p, now);
        let near_final = self.no_raise_near_final_height(p, now);
        let kept = self.reduction_kept(p, now);
        let overshoot = self.no_return_to_overshoot(p, now);
        self.prescribed_kept(p, now);
        self.raise_has_a_reason(p, now);
        self.smaller_than_a_step(p, now);
        p.action = action_for(now, p.dose.mg_per_week);
        let mut tighten = |max: Micrograms, why: &str| {
            if max < env.max {
                env.max = max;
                env.why = why.to_string();
            }
        };
        if at_ceiling {
            tighten(now, "the current dose: IGF-1 at or above the ceiling");
        }
        if near_final {
            tighten(now, "the current dose: growth is nearly complete");
        }
        if extreme {
            tighten(
                now,
                "the current dose: a confirmed weight beyond any child's",
            );
        }
        match p.action {
            Action::Increase => {
                if let Some(Raise::Growth(b)) = p.raise {
                    tighten(b.max(now), "the same intensity on today's weight");
                }
                if let Some(k) = kept {
                    tighten(k, "the intensity of the reduction for a high IGF-1");
                }
                if let Some(o) = overshoot {
                    tighten(o, "below the dose that put IGF-1 above the range");
                }
            }
            Action::Maintain => tighten(now, "the current dose (maintain)"),
            _ => {}
        }
        env.side = Some((now, p.action));
        round_at_most(p, env.max);
        self.within_a_step_of_target(p, &mut env);
        toward_current(p, now);
        env.mark = self.notes.mark();
        env
    }

    /// A rounding is not a decision: the dose given is within one step of
    /// the product's finest presentation of the target, on either side.
    fn within_a_step_of_target(&self, p: &Proposal, env: &mut Envelope) {
        let n = p.dose.injections_per_week;
        if let Some(step) = self.facts.finest {
            let week = step.times(i64::from(n.max(1)));
            let target = p.dose.mg_per_week;
            match p.action {
                Action::Increase => {
                    let hi = Micrograms(target.0.saturating_add(week.0));
                    if hi < env.max {
                        env.max = hi;
                        env.why = "the target and one step of the finest presentation (a rounding is not a decision)".into();
                    }
                }
                Action::Decrease => {
                    env.min = Some(Micrograms(target.0.saturating_sub(week.0).max(0)))
                }
                _ => {}
            }
        }
    }

    /// After device rounding: the delivered dose inside the decision's
    /// bounds, a reduction for a high IGF-1 given or rechecked, the words,
    /// the review. `env` is `None` for an outcome that gives no dose.
    pub(super) fn verify(
        &mut self,
        p: &mut Proposal,
        env: Option<&Envelope>,
        on: Option<&OnProduct>,
    ) {
        if let Some(d) = &p.dose.deliverable
            && d.mg_per_week > p.limit.max_per_week
            && env.is_none()
        {
            // Rounding is bounded by the limit; a deliverable above it is a defect.
            self.corrected(format!(
                "the deliverable {} mg/week is above {}: not given",
                d.mg_per_week, p.limit.why
            ));
            p.dose.deliverable = None;
        }
        if let Some(env) = env {
            self.delivered_within(p, env, on);
            self.reduction_given(p);
            self.below_range_said(p);
        }
        self.words_match_the_change(p);
        self.review_follows_the_decision(p);
    }

    /// Invariant 5: a block flag withholds the start or stops treatment.
    pub(super) fn blocks_stop(
        &mut self,
        p: &mut Proposal,
        start: bool,
        steps: Range<usize>,
    ) -> bool {
        let blocks = self.notes.raised.blocks(self.facts.rules);
        if blocks.is_empty() {
            return false;
        }
        let codes: Vec<&str> = blocks.iter().map(|c| c.as_str()).collect();
        let (action, words) = if start {
            (Action::Withhold, "dose withheld")
        } else {
            (Action::Stop, "stop")
        };
        // The dose steps computed before the block are not a prescription:
        // none of their numbers is printed.
        self.notes
            .retract(steps, "the dose steps are not shown: no dose is given");
        self.notes.why(format!("{words}: {}", codes.join(", ")));
        p.action = action;
        p.review = None;
        true
    }

    /// Invariant 3: the target within the hard maximum (DOSE_CAPPED), and
    /// rounding never above it.
    fn within_limit(&mut self, p: &mut Proposal) {
        let limit = p.limit.clone();
        if p.dose.mg_per_week > limit.max_per_week {
            self.notes.raise(FlagCode::DoseCapped);
            if let Some(flag) = limit.flag {
                self.notes.raise(flag);
            }
            self.notes.cite(&limit.sources);
            self.notes.why(format!(
                "{} mg/week is above {}: limited to it",
                p.dose.mg_per_week, limit.why
            ));
            self.set_weekly(p, limit.max_per_week);
        }
        round_at_most(p, limit.max_per_week);
    }

    /// A prescribed intensity is the patient's own: growth takes the dose no
    /// higher than it on today's weight, whatever table the regimen reads
    /// (a weight-band table included).
    fn prescribed_kept(&mut self, p: &mut Proposal, now: Micrograms) {
        let (Some(i), Some(w)) = (self.facts.prescribed, self.facts.weight) else {
            return;
        };
        let Some(Raise::Growth(bound)) = p.raise else {
            return;
        };
        let to = i.times(w).max(now);
        p.raise = Some(Raise::Growth(to.min(bound)));
        if p.dose.mg_per_week > to {
            self.notes.why(format!(
                "the prescribed {i} mg/kg/week on today's {w} kg is {to} mg/week: growth takes the dose no higher"
            ));
            self.set_weekly(p, to);
        }
    }

    /// Invariant 13: a change smaller than one dose step of the presentation
    /// (per injection) is a maintain: a rounding is not a decision. A
    /// reduction for a high IGF-1 is always a decision.
    pub(super) fn smaller_than_a_step(&mut self, p: &mut Proposal, now: Micrograms) {
        let Some(step) = self.facts.step else {
            return;
        };
        // A reduction for a high IGF-1, and a current dose above the hard
        // limit, are decisions however small the change.
        if self.notes.raised.has(FlagCode::Igf1AboveRange)
            || p.dose.mg_per_week == now
            || now > p.limit.max_per_week
        {
            return;
        }
        let n = i64::from(p.dose.injections_per_week.max(1));
        let change = p.dose.mg_per_week.0.saturating_sub(now.0).saturating_abs();
        if change < step.0.saturating_mul(n) {
            self.notes.why(format!(
                "the change from {now} to {} mg/week is smaller than one dose step ({step} mg per injection): maintain",
                p.dose.mg_per_week
            ));
            self.set_weekly(p, now);
        }
    }

    /// Invariants 4, 6 and 8: an increase needs a reason, and stays within
    /// it. A reduction kept from an earlier visit is no reason to go back up;
    /// an implausible, stale or mistimed IGF-1 never drives an increase.
    fn raise_has_a_reason(&mut self, p: &mut Proposal, now: Micrograms) {
        if p.dose.mg_per_week <= now {
            return;
        }
        let igf1 = self.facts.igf1;
        let why_not = match p.raise {
            None => Some("no reason to go above the current dose (no weight gain on a known intensity, no IGF-1 below the target)".to_string()),
            Some(Raise::Growth(bound)) if p.dose.mg_per_week > bound => {
                self.corrected(format!(
                    "{} mg/week is above the same intensity on today's weight ({bound} mg/week): limited to it",
                    p.dose.mg_per_week
                ));
                self.set_weekly(p, bound.max(now));
                None
            }
            Some(Raise::Growth(_)) => None,
            Some(Raise::Igf1Low(s)) => {
                let beyond = self.facts.rules.plausibility.igf1_sds_beyond;
                match igf1 {
                    Some(i) if i.mistimed || i.not_steady || i.stale => Some(
                        "the IGF-1 sample cannot be interpreted (timing or age of the sample)"
                            .to_string(),
                    ),
                    _ if s < -beyond => Some(format!(
                        "IGF-1 SDS {} is beyond -{beyond}: implausible",
                        fmt_sds(s)
                    )),
                    _ => None,
                }
            }
        };
        if let Some(why) = why_not {
            self.corrected(format!(
                "no increase: {why}; the current {now} mg/week is kept"
            ));
            self.set_weekly(p, now);
        }
    }

    /// Invariant 2: the action word is the change from the current dose to
    /// the dose given (the deliverable one on a product).
    fn words_match_the_change(&mut self, p: &mut Proposal) {
        let Some(now) = self.titrated(p) else {
            return;
        };
        let given = p.dose.given_per_week();
        let action = action_for(now, given);
        if action != p.action {
            self.notes.why(format!(
                "the dose given is {given} mg/week against the current {now} mg/week: {}",
                action.as_str()
            ));
            p.action = action;
        }
    }

    /// Invariant 9: a change is reviewed in the after-change window or
    /// sooner; no window starts before the decision date.
    fn review_follows_the_decision(&mut self, p: &mut Proposal) {
        let f = self.facts;
        if p.action.changes() {
            let after = dates_review(f.rules, f.after_change, f.as_of, self.notes);
            let sooner = match (&p.review, &after) {
                (Some(r), Some(a)) => r.earliest <= a.earliest,
                (Some(_), None) => true,
                (None, _) => false,
            };
            if !sooner {
                p.review = after;
            }
        }
        if let Some(r) = p.review.as_mut() {
            not_before(r, f.as_of);
        }
    }

    /// A correction of what a regimen proposed: SAFETY_CHECK and the reason.
    fn corrected(&mut self, why: String) {
        self.notes.raise(FlagCode::SafetyCheck);
        self.notes.why(format!("safety check: {why}"));
    }

    /// Sets the weekly dose, keeping the dose's other fields consistent.
    fn set_weekly(&mut self, p: &mut Proposal, weekly: Micrograms) {
        let n = p.dose.injections_per_week.max(1);
        let exact = Exact {
            num: i128::from(weekly.0),
            den: i128::from(n),
        };
        p.dose.mg_per_week = weekly;
        p.dose.mg_per_injection = exact.round();
        if p.dose.mg_per_kg_per_week.is_some()
            && let Some(w) = self.facts.weight
        {
            p.dose.mg_per_kg_per_week = Some(NgPerKg::of(weekly, w));
        }
        if p.dose.iu_per_injection.is_some() {
            p.dose.iu_per_injection = Some(iu(exact, self.facts.rules.conventions.milli_iu_per_mg));
        }
        if let Some(t) = p.target.as_mut() {
            *t = Target {
                dose: exact,
                lo: t.lo.map(|l| {
                    if l.num * exact.den > exact.num * l.den {
                        exact
                    } else {
                        l
                    }
                }),
                hi: t.hi,
                injections_per_week: t.injections_per_week,
                toward: t.toward,
            };
        }
    }
}

/// Device rounding never goes above `max_per_week` (per injection).
pub(super) fn round_at_most(p: &mut Proposal, max_per_week: Micrograms) {
    let n = p.dose.injections_per_week.max(1);
    if let Some(t) = p.target.as_mut() {
        let max = Exact {
            num: i128::from(max_per_week.0),
            den: i128::from(n),
        };
        if max.num * t.hi.den < t.hi.num * max.den {
            t.hi = max;
        }
    }
}

/// Shifts a window that would start before the decision date to start on it,
/// keeping its length.
fn not_before(r: &mut NextReview, as_of: NaiveDate) {
    let length = (r.latest - r.earliest).num_days().max(0);
    r.earliest = r.earliest.max(as_of);
    r.latest = dates_plus(r.earliest, u64::try_from(length).unwrap_or(0));
}

/// The side of the current dose device rounding must keep: above it for an
/// increase, below for a decrease, at it otherwise.
fn toward_current(p: &mut Proposal, now: Micrograms) {
    let n = p.dose.injections_per_week;
    let here = Exact {
        num: i128::from(now.0),
        den: i128::from(n.max(1)),
    };
    if let Some(t) = p.target.as_mut() {
        t.toward = Some(match p.action {
            Action::Increase => Toward::Above(here),
            Action::Decrease => Toward::Below(here),
            _ => Toward::At(here),
        });
    }
}

#[cfg(test)]
mod bounds_tests;
#[cfg(test)]
mod tests;
