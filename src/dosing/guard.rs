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
//! A correction that means a regimen proposed something it should not have
//! raises SAFETY_CHECK with the reason in the rationale.

use super::dates;
use super::device::{Target, Toward};
use super::igf1::{Igf1, fmt_sds};
use super::outcome::NextReview;
use super::regimen::weight_based::iu;
use super::regimen::{Proposal, Raise, action_for};
use super::request::Reduction;
use super::trail::Notes;
use crate::rules::RuleSet;
use crate::units::{Exact, Grams, Micrograms, NgPerKg};
use crate::vocab::{Action, FlagCode};
use chrono::NaiveDate;
use std::ops::Range;

/// What the guard checks an outcome against.
pub struct Facts<'a> {
    pub rules: &'a RuleSet,
    pub as_of: NaiveDate,
    pub weight: Option<Grams>,
    /// Titrate: the current weekly dose, in the regimen's own mg.
    pub current: Option<Micrograms>,
    /// Titrate: the IGF-1 facts the decision had.
    pub igf1: Option<Igf1>,
    /// IGF-1 SDS at or above which a dose never goes up.
    pub ceiling: f64,
    /// The review after a dose change.
    pub after_change: &'a str,
    /// Titrate with a record: the last change was a reduction for a high IGF-1.
    pub reduction: Option<Reduction>,
}

/// The guard over one outcome.
pub struct Guard<'a, 'n> {
    pub facts: &'a Facts<'a>,
    pub notes: &'n mut Notes,
}

impl Guard<'_, '_> {
    /// Before device rounding: limits, reasons, the action from the target,
    /// and the direction rounding must keep.
    pub fn settle(&mut self, p: &mut Proposal) {
        self.within_limit(p);
        let Some(now) = self.facts.current else {
            return;
        };
        if !matches!(
            p.action,
            Action::Increase | Action::Decrease | Action::Maintain
        ) {
            return;
        }
        self.no_raise_at_ceiling(p, now);
        self.reduction_kept(p, now);
        self.raise_has_a_reason(p, now);
        p.action = action_for(now, p.dose.mg_per_week);
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

    /// After device rounding: the deliverable dose within the limit, the
    /// words, the review.
    pub fn verify(&mut self, p: &mut Proposal) {
        if let Some(d) = &p.dose.deliverable
            && d.mg_per_week > p.limit.max_per_week
        {
            // Rounding is bounded by the limit; a deliverable above it is a defect.
            self.corrected(format!(
                "the deliverable {} mg/week is above {}: not given",
                d.mg_per_week, p.limit.why
            ));
            p.dose.deliverable = None;
        }
        self.words_match_the_change(p);
        self.review_follows_the_decision(p);
    }

    /// Invariant 5: a block flag withholds the start or stops treatment.
    pub fn blocks_stop(&mut self, p: &mut Proposal, start: bool, steps: Range<usize>) -> bool {
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
        let n = p.dose.injections_per_week.max(1);
        if let Some(t) = p.target.as_mut() {
            let max = Exact {
                num: i128::from(limit.max_per_week.0),
                den: i128::from(n),
            };
            if max.num * t.hi.den < t.hi.num * max.den {
                t.hi = max;
            }
        }
    }

    /// Invariant 1: IGF-1 at or above the ceiling never gives an increase.
    fn no_raise_at_ceiling(&mut self, p: &mut Proposal, now: Micrograms) {
        let Some(s) = self.facts.igf1.and_then(|i| i.sds) else {
            return;
        };
        if s >= self.facts.ceiling && p.dose.mg_per_week > now {
            self.corrected(format!(
                "IGF-1 SDS {} is at or above the ceiling {}: no increase; the current {now} mg/week is kept",
                fmt_sds(s),
                fmt_sds(self.facts.ceiling)
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

    /// Invariant 11: a reduction for a high IGF-1 is not undone by growth.
    /// The bound is the reduced weekly dose scaled by today's weight over the
    /// weight then (the reduced dose itself when either is unknown).
    fn reduction_kept(&mut self, p: &mut Proposal, now: Micrograms) {
        let Some(r) = self.facts.reduction else {
            return;
        };
        let Some(Raise::Growth(bound)) = p.raise else {
            return;
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
        let n = p.dose.injections_per_week.max(1);
        if let Some(t) = p.target.as_mut() {
            let max = Exact {
                num: i128::from(to.0),
                den: i128::from(n),
            };
            if max.num * t.hi.den < t.hi.num * max.den {
                t.hi = max;
            }
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
    }

    /// Invariant 2: the action word is the change from the current dose to
    /// the dose given (the deliverable one on a product).
    fn words_match_the_change(&mut self, p: &mut Proposal) {
        let Some(now) = self.facts.current else {
            return;
        };
        if !matches!(
            p.action,
            Action::Increase | Action::Decrease | Action::Maintain
        ) {
            return;
        }
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
            let after = dates::review(f.rules, f.after_change, f.as_of, self.notes);
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

/// Shifts a window that would start before the decision date to start on it,
/// keeping its length.
fn not_before(r: &mut NextReview, as_of: NaiveDate) {
    if r.earliest < as_of {
        let length = (r.latest - r.earliest).num_days().max(0);
        r.earliest = as_of;
        r.latest = dates::plus(as_of, u64::try_from(length).unwrap_or(0));
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::dosing::outcome::{Dose, DoseRange};
    use crate::dosing::regimen::Limit;
    use crate::dosing::test_support::RULES;

    fn proposal(action: Action, weekly: i64, raise: Option<Raise>, limit: i64) -> Proposal {
        Proposal {
            action,
            dose: Dose {
                mg_per_week: Micrograms(weekly),
                mg_per_kg_per_week: None,
                injections_per_week: 7,
                mg_per_injection: Micrograms(weekly / 7),
                iu_per_injection: None,
                deliverable: None,
            },
            range: DoseRange {
                mg_per_kg_per_week: None,
                mg_per_week: None,
                mg_per_injection: None,
                mg_per_day: None,
                basis: crate::dosing::outcome::RangeBasis::Recommended,
            },
            label_range: None,
            target: Some(Target {
                dose: Exact::ug(Micrograms(weekly / 7)),
                lo: None,
                hi: Exact::ug(Micrograms(weekly)),
                injections_per_week: 7,
                toward: None,
            }),
            review: None,
            group: None,
            labelled: true,
            raise,
            limit: Limit {
                max_per_week: Micrograms(limit),
                why: "the test limit".into(),
                sources: Vec::new(),
                flag: None,
            },
        }
    }

    fn facts(current: Option<i64>, sds: Option<f64>) -> Facts<'static> {
        Facts {
            rules: &RULES,
            as_of: "2026-11-22".parse().unwrap(),
            weight: None,
            current: current.map(Micrograms),
            igf1: sds.map(|s| Igf1 {
                sds: Some(s),
                not_steady: false,
                mistimed: false,
                stale: false,
            }),
            ceiling: 2.0,
            after_change: "adult-after-change",
            reduction: None,
        }
    }

    fn reduced(mg_per_week: i64, then_g: Option<i64>) -> Reduction {
        Reduction {
            date: "2026-07-10".parse().unwrap(),
            igf1_sds: 2.6,
            mg_per_week: Micrograms(mg_per_week),
            weight: then_g.map(Grams),
        }
    }

    #[test]
    fn growth_does_not_undo_a_reduction_for_a_high_igf1() {
        // Reduced to 6825 ug/week at 26 kg; today 28 kg: the same intensity
        // is 6825 x 28/26 = 7350 ug/week, whatever the regimen's bound.
        let mut f = facts(Some(6825), Some(1.0));
        f.weight = Some(Grams(28_000));
        f.reduction = Some(reduced(6825, Some(26_000)));
        let mut p = proposal(
            Action::Increase,
            9240,
            Some(Raise::Growth(Micrograms(9240))),
            20_000,
        );
        let notes = run(&mut p, &f);
        assert_eq!(p.dose.mg_per_week, Micrograms(7350));
        assert_eq!(p.action, Action::Increase);
        assert!(!notes.raised.has(FlagCode::SafetyCheck));
        assert!(
            notes.rationale.iter().any(|l| l.contains(
                "reduced on 2026-07-10 for IGF-1 SDS +2.6 (visit record): growth takes it no higher than that intensity on today's weight, 7.35 mg/week"
            )),
            "{:?}",
            notes.rationale
        );
        // Within the bound: untouched; the bound itself is allowed.
        let mut p = proposal(
            Action::Increase,
            7350,
            Some(Raise::Growth(Micrograms(9240))),
            20_000,
        );
        let notes = run(&mut p, &f);
        assert_eq!(p.dose.mg_per_week, Micrograms(7350));
        assert!(!notes.rationale.iter().any(|l| l.contains("visit record")));
        // Rounding is bounded by the reduced intensity (7350/7 per injection),
        // and a lower bound already there (a label's) is kept.
        let mut p = proposal(
            Action::Increase,
            9240,
            Some(Raise::Growth(Micrograms(9240))),
            20_000,
        );
        let mut n = Notes::default();
        Guard {
            facts: &f,
            notes: &mut n,
        }
        .settle(&mut p);
        assert_eq!(p.target.unwrap().hi, Exact { num: 7350, den: 7 });
        let mut p = proposal(
            Action::Increase,
            7000,
            Some(Raise::Growth(Micrograms(9240))),
            20_000,
        );
        if let Some(t) = p.target.as_mut() {
            t.hi = Exact {
                num: 10_000,
                den: 10,
            };
        }
        Guard {
            facts: &f,
            notes: &mut n,
        }
        .settle(&mut p);
        assert_eq!(
            p.target.unwrap().hi,
            Exact {
                num: 10_000,
                den: 10
            }
        );
        assert_eq!(p.target.unwrap().lo, None);
        // Without either weight the reduced dose itself is the bound.
        f.weight = None;
        let mut p = proposal(
            Action::Increase,
            9240,
            Some(Raise::Growth(Micrograms(9240))),
            20_000,
        );
        run(&mut p, &f);
        assert_eq!(p.dose.mg_per_week, Micrograms(6825));
        assert_eq!(p.action, Action::Maintain);
        // A weight then of 0 g (a slip in a hand-edited record) scales nothing:
        // the reduced dose itself is the bound.
        let mut f0 = facts(Some(6825), Some(1.0));
        f0.weight = Some(Grams(28_000));
        f0.reduction = Some(reduced(6825, Some(0)));
        let mut p = proposal(
            Action::Increase,
            9240,
            Some(Raise::Growth(Micrograms(9240))),
            20_000,
        );
        run(&mut p, &f0);
        assert_eq!(p.dose.mg_per_week, Micrograms(6825));
        // Never below the current dose: a current dose above the bound is kept.
        let mut f = facts(Some(8050), Some(1.0));
        f.reduction = Some(reduced(6825, None));
        let mut p = proposal(
            Action::Increase,
            9240,
            Some(Raise::Growth(Micrograms(9240))),
            20_000,
        );
        run(&mut p, &f);
        assert_eq!(p.dose.mg_per_week, Micrograms(8050));
    }

    #[test]
    fn a_low_igf1_is_a_reason_to_go_past_a_reduction() {
        let mut f = facts(Some(6825), Some(-1.5));
        f.reduction = Some(reduced(6825, None));
        let mut p = proposal(Action::Increase, 7800, Some(Raise::Igf1Low(-1.5)), 20_000);
        let notes = run(&mut p, &f);
        assert_eq!(p.dose.mg_per_week, Micrograms(7800));
        assert!(!notes.rationale.iter().any(|l| l.contains("visit record")));
        // A decrease is never touched.
        let mut p = proposal(Action::Decrease, 6000, None, 20_000);
        run(&mut p, &f);
        assert_eq!(p.dose.mg_per_week, Micrograms(6000));
    }

    fn run(p: &mut Proposal, f: &Facts) -> Notes {
        let mut notes = Notes::default();
        let mut g = Guard {
            facts: f,
            notes: &mut notes,
        };
        g.settle(p);
        g.verify(p);
        notes
    }

    #[test]
    fn a_dose_above_the_limit_is_capped() {
        let mut p = proposal(Action::Start, 21_000, None, 18_900);
        let notes = run(&mut p, &facts(None, None));
        assert_eq!(p.dose.mg_per_week, Micrograms(18_900));
        assert_eq!(p.dose.mg_per_injection, Micrograms(2700));
        assert!(notes.raised.has(FlagCode::DoseCapped));
        assert!(!notes.raised.has(FlagCode::SafetyCheck));
    }

    #[test]
    fn rounding_is_never_allowed_above_the_limit() {
        let settle = |hi: Exact| {
            let mut p = proposal(Action::Start, 14_000, None, 18_900);
            if let Some(t) = p.target.as_mut() {
                t.hi = hi;
            }
            let mut notes = Notes::default();
            Guard {
                facts: &facts(None, None),
                notes: &mut notes,
            }
            .settle(&mut p);
            p.target.map(|t| t.hi)
        };
        // 18.9 mg/week over 7 injections: at most 2.7 mg per injection.
        let max = Exact {
            num: 18_900,
            den: 7,
        };
        assert_eq!(settle(Exact::ug(Micrograms(21_000))), Some(max));
        let below = Exact::ug(Micrograms(2000));
        assert_eq!(settle(below), Some(below));
        // An equal bound is left as it is (the same value, written otherwise).
        let equal = Exact { num: 5400, den: 2 };
        assert_eq!(settle(equal), Some(equal));
    }

    #[test]
    fn a_capped_dose_moves_the_range_floor_down_to_it() {
        let capped = |lo: Exact| {
            let mut p = proposal(Action::Start, 21_000, None, 18_900);
            if let Some(t) = p.target.as_mut() {
                t.lo = Some(lo);
            }
            run(&mut p, &facts(None, None));
            p.target.and_then(|t| t.lo)
        };
        // Capped at 18.9 mg/week = 2.7 mg per injection: a floor of 3 mg
        // comes down to it; a floor of 2 mg stays; an equal one is kept as written.
        let exact = Exact {
            num: 18_900,
            den: 7,
        };
        assert_eq!(capped(Exact::ug(Micrograms(3000))), Some(exact));
        assert_eq!(
            capped(Exact::ug(Micrograms(2000))),
            Some(Exact::ug(Micrograms(2000)))
        );
        let equal = Exact { num: 5400, den: 2 };
        assert_eq!(capped(equal), Some(equal));
    }

    #[test]
    fn no_increase_at_or_above_the_ceiling() {
        let mut p = proposal(Action::Increase, 4200, Some(Raise::Igf1Low(-1.0)), 99_000);
        let notes = run(&mut p, &facts(Some(2100), Some(2.0)));
        assert_eq!(p.action, Action::Maintain);
        assert_eq!(p.dose.mg_per_week, Micrograms(2100));
        assert!(notes.raised.has(FlagCode::SafetyCheck));
    }

    #[test]
    fn an_increase_needs_a_reason_within_its_bound() {
        let mut p = proposal(Action::Increase, 4200, None, 99_000);
        run(&mut p, &facts(Some(2100), Some(0.5)));
        assert_eq!(
            (p.action, p.dose.mg_per_week),
            (Action::Maintain, Micrograms(2100))
        );
        let mut p = proposal(
            Action::Increase,
            4200,
            Some(Raise::Growth(Micrograms(2800))),
            99_000,
        );
        run(&mut p, &facts(Some(2100), None));
        assert_eq!(
            (p.action, p.dose.mg_per_week),
            (Action::Increase, Micrograms(2800))
        );
        let mut p = proposal(Action::Increase, 3500, Some(Raise::Igf1Low(-4.5)), 99_000);
        run(&mut p, &facts(Some(2100), Some(-4.5)));
        assert_eq!(p.action, Action::Maintain);
        // Exactly the growth bound: kept, nothing corrected.
        let mut p = proposal(
            Action::Increase,
            2800,
            Some(Raise::Growth(Micrograms(2800))),
            99_000,
        );
        let notes = run(&mut p, &facts(Some(2100), None));
        assert_eq!(p.dose.mg_per_week, Micrograms(2800));
        assert!(!notes.raised.has(FlagCode::SafetyCheck));
        // A low IGF-1 raises only from a sample that can be read: each of
        // mistimed, not at steady state and stale keeps the current dose.
        let low = |edit: fn(&mut Igf1)| {
            let mut p = proposal(Action::Increase, 3500, Some(Raise::Igf1Low(-1.5)), 99_000);
            let mut f = facts(Some(2100), Some(-1.5));
            if let Some(i) = f.igf1.as_mut() {
                edit(i);
            }
            run(&mut p, &f);
            (p.action, p.dose.mg_per_week)
        };
        assert_eq!(low(|_| {}), (Action::Increase, Micrograms(3500)));
        let kept = (Action::Maintain, Micrograms(2100));
        assert_eq!(low(|i| i.mistimed = true), kept);
        assert_eq!(low(|i| i.not_steady = true), kept);
        assert_eq!(low(|i| i.stale = true), kept);
    }

    #[test]
    fn the_word_is_the_change_and_rounding_keeps_the_direction() {
        let mut p = proposal(Action::Increase, 2100, Some(Raise::Igf1Low(-1.0)), 99_000);
        let f = facts(Some(2100), Some(-1.0));
        let mut notes = Notes::default();
        Guard {
            facts: &f,
            notes: &mut notes,
        }
        .settle(&mut p);
        assert_eq!(p.action, Action::Maintain);
        let mut p = proposal(Action::Decrease, 1400, None, 99_000);
        Guard {
            facts: &f,
            notes: &mut notes,
        }
        .settle(&mut p);
        assert_eq!(
            p.target.unwrap().toward,
            Some(Toward::Below(Exact { num: 2100, den: 7 }))
        );
    }

    #[test]
    fn a_change_gets_the_after_change_review_and_no_window_is_in_the_past() {
        let mut p = proposal(Action::Decrease, 1400, None, 99_000);
        p.review = Some(NextReview {
            earliest: "2027-02-22".parse().unwrap(),
            latest: "2027-05-22".parse().unwrap(),
            what: vec![],
        });
        run(&mut p, &facts(Some(2100), Some(2.5)));
        let r = p.review.unwrap();
        assert_eq!(r.earliest.to_string(), "2026-12-20");
        let mut r = NextReview {
            earliest: "2026-11-01".parse().unwrap(),
            latest: "2026-11-15".parse().unwrap(),
            what: vec![],
        };
        not_before(&mut r, "2026-11-22".parse().unwrap());
        assert_eq!(
            (r.earliest.to_string(), r.latest.to_string()),
            ("2026-11-22".into(), "2026-12-06".into())
        );
    }
}
