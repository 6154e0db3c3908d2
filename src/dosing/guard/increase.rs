//! What holds an increase back (invariants 1, 11, 14, 21 and 22): an IGF-1 at
//! or above the ceiling, today's or the record's unanswered one; a confirmed
//! weight beyond any child's; a reduction for a high IGF-1 that growth does
//! not undo; a dose that put IGF-1 above the range; growth nearly complete.

use super::{Guard, round_at_most};
use crate::dosing::patient::fmt_sds;
use crate::dosing::proposal::{Proposal, Raise};
use crate::units::{Exact, Micrograms};
use crate::vocab::FlagCode;

impl Guard<'_, '_> {
    /// Invariant 1: IGF-1 at or above the ceiling never gives an increase.
    pub(super) fn no_raise_at_ceiling(&mut self, p: &mut Proposal, now: Micrograms) -> bool {
        let Some(s) = self.facts.igf1.and_then(|i| i.sds) else {
            return false;
        };
        let at = s >= self.facts.ceiling;
        if at && p.dose.mg_per_week > now {
            self.corrected(format!(
                "IGF-1 SDS {} is at or above the ceiling {}: no increase; the current {now} mg/week is kept",
                fmt_sds(s),
                fmt_sds(self.facts.ceiling)
            ));
            self.set_weekly(p, now);
        }
        at
    }

    /// Invariant 14: a child's weight confirmed beyond any child's of the
    /// age (DOSE_KEPT_AT_EXTREME_WEIGHT) never raises the dose: a dose per
    /// kg of it is outside every label's evidence.
    pub(super) fn no_raise_on_extreme_weight(&mut self, p: &mut Proposal, now: Micrograms) -> bool {
        if !self.notes.raised.has(FlagCode::DoseKeptAtExtremeWeight) {
            return false;
        }
        if p.dose.mg_per_week > now {
            self.notes.why(format!(
                "the weight is confirmed beyond any child's of the age: no increase on it; the current {now} mg/week is kept"
            ));
            self.set_weekly(p, now);
        }
        true
    }

    /// Invariant 22: near final height (NEAR_FINAL_HEIGHT: a low velocity
    /// once growth is nearly complete) the dose is never raised: the visit is
    /// a question of stopping, or of re-testing for adult treatment.
    pub(super) fn no_raise_near_final_height(&mut self, p: &mut Proposal, now: Micrograms) -> bool {
        if !self.notes.raised.has(FlagCode::NearFinalHeight) {
            return false;
        }
        if p.dose.mg_per_week > now {
            self.notes.why(format!(
                "growth is nearly complete (NEAR_FINAL_HEIGHT): no increase; the current {now} mg/week is kept until stopping or re-testing is decided"
            ));
            self.set_weekly(p, now);
        }
        true
    }

    /// Invariant 1 over the course: the record's latest IGF-1 at or above
    /// the ceiling, not followed by a decrease and not repeated today, is
    /// still the IGF-1 of this patient: no increase until it is repeated.
    pub(super) fn unanswered_high_igf1(&mut self, p: &mut Proposal, now: Micrograms) -> bool {
        let Some((date, s, line)) = self.facts.igf1_unanswered else {
            return false;
        };
        if s < self.facts.ceiling {
            return false;
        }
        if p.dose.mg_per_week > now {
            self.notes.why(format!(
                "the record's latest IGF-1 (SDS {}, sampled {date}, line {line}) is at or above the ceiling {} and no decrease followed it: no increase until it is repeated; the current {now} mg/week is kept",
                fmt_sds(s),
                fmt_sds(self.facts.ceiling)
            ));
            self.set_weekly(p, now);
        }
        true
    }

    /// Invariant 11: a reduction for a high IGF-1 is not undone by growth.
    /// The bound is the reduced weekly dose scaled by today's weight over the
    /// weight then (the reduced dose itself when either is unknown).
    pub(super) fn reduction_kept(
        &mut self,
        p: &mut Proposal,
        now: Micrograms,
    ) -> Option<Micrograms> {
        let r = self.facts.reduction?;
        let Some(Raise::Growth(bound)) = p.raise else {
            return None;
        };
        let kept = match (r.weight, self.facts.weight) {
            (Some(then), Some(today)) if then.0 > 0 => Exact {
                num: i128::from(r.mg_per_week.0).saturating_mul(i128::from(today.0)),
                den: i128::from(then.0),
            }
            .round(),
            _ => r.mg_per_week,
        };
        let to = kept.max(now);
        // Rounding onto a device does not go past it either.
        round_at_most(p, to);
        if let Some(t) = p.target.as_mut() {
            // The reduced dose sits below the range as a decrease may: the
            // range's lower end yields (the direction still holds).
            t.lo = None;
        }
        if p.dose.mg_per_week > to {
            self.notes.why(format!(
                "the dose was reduced on {} for IGF-1 SDS {} (visit record): growth takes it no higher than that intensity on today's weight, {to} mg/week",
                r.date,
                fmt_sds(r.igf1_sds)
            ));
            p.raise = Some(Raise::Growth(bound.min(to)));
            self.set_weekly(p, to);
        }
        Some(to)
    }

    /// Invariant 21: a dose that put IGF-1 above the range (the dose a
    /// reduction for a high IGF-1 came down from) is not proposed again for
    /// an IGF-1 that is low but not below the low threshold: a half step
    /// toward it at most, the overshoot named. Returns the bound (one
    /// microgram below the overshoot dose).
    pub(super) fn no_return_to_overshoot(
        &mut self,
        p: &mut Proposal,
        now: Micrograms,
    ) -> Option<Micrograms> {
        let r = self.facts.reduction?;
        // At the dose that overshot already (given again), no higher either.
        let from = r.from.filter(|f| *f >= now)?;
        // Growth is bounded by the reduction's intensity instead; an IGF-1
        // below the low threshold on treatment is a reason to go back.
        if !matches!(p.raise, Some(Raise::Igf1Low(_)))
            || self.notes.raised.has(FlagCode::Igf1LowOnTreatment)
        {
            return None;
        }
        if p.dose.mg_per_week < from {
            return Some(Micrograms(from.0 - 1));
        }
        let half = Micrograms(now.0 + (from.0 - now.0) / 2);
        let n = i64::from(p.dose.injections_per_week.max(1));
        // Daily doses in the prescription's unit, mg/day.
        let each = |w: Micrograms| {
            if n == 7 {
                format!("{} mg/day ({w} mg/week)", Micrograms(w.0 / n))
            } else {
                format!("{w} mg/week ({} mg an injection)", Micrograms(w.0 / n))
            }
        };
        self.notes.why(format!(
            "{} put IGF-1 above the range (SDS {}, reduced on {}, visit record): not proposed again; a half step toward it at most, {}",
            each(from),
            fmt_sds(r.igf1_sds),
            r.date,
            each(half)
        ));
        self.set_weekly(p, half);
        Some(Micrograms(from.0 - 1))
    }
}
