//! The IGF-1 part of a child's decision at a visit.

use crate::dosing::patient::{Igf1, fmt_sds};
use crate::dosing::trail::Notes;
use crate::units::{Grams, Micrograms, NgPerKg, Percent};
use crate::vocab::FlagCode;

/// A child's IGF-1 rule.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Igf1Rule {
    /// Above this the dose is reduced, from the current dose.
    pub(crate) ceiling: f64,
    /// Below this: the low-IGF-1 checklist, no automatic increase.
    pub(crate) low: f64,
    pub(crate) reduce: Percent,
    /// Beyond +/- this the value is implausible.
    pub(crate) beyond: f64,
}

/// The current dose and the same intensity on today's weight.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Doses {
    pub(crate) now: Micrograms,
    pub(crate) rescaled: Micrograms,
}

/// What the IGF-1 part of a child's decision settles on.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) struct Step {
    pub(crate) new: Micrograms,
    /// The sample must be repeated before anything changes.
    pub(crate) recheck: bool,
    /// A review other than the usual one.
    pub(crate) review: Option<ReviewId>,
}

/// The IGF-1 part of a child's decision: above the ceiling a percentage
/// reduction of the current dose (at any time); at the ceiling no increase
/// for weight; below the low bound the checklist but no increase; an
/// implausible value is repeated (low) or reduced for and repeated soon
/// (high); a mistimed sample is repeated.
pub(crate) fn igf1_step(
    d: Doses,
    (max, weight): (NgPerKg, Grams),
    igf1: &Igf1,
    rule: Igf1Rule,
    notes: &mut Notes,
) -> Step {
    let by_weight = Step {
        new: d.rescaled,
        recheck: false,
        review: None,
    };
    if igf1.mistimed {
        return Step {
            new: d.now,
            recheck: true,
            review: None,
        };
    }
    let Some(s) = igf1.sds else {
        return by_weight;
    };
    if s > rule.ceiling {
        return above_ceiling(&d, s, &rule, notes);
    }
    if s < -rule.beyond {
        notes.why(format!(
            "IGF-1 SDS {} is implausible: repeat it before deciding; the dose is kept",
            fmt_sds(s)
        ));
        return Step {
            new: d.now,
            recheck: true,
            review: Some(ReviewId::Repeat),
        };
    }
    if !igf1.interpretable() {
        notes.why("IGF-1 not interpretable (too soon after a change, or too old): dose by weight only; repeat IGF-1");
        return by_weight;
    }
    if s >= rule.ceiling {
        notes.why(format!(
            "IGF-1 SDS {} is at the ceiling {}: the dose is not raised for weight",
            fmt_sds(s),
            fmt_sds(rule.ceiling)
        ));
        return Step {
            new: d.rescaled.min(d.now),
            ..by_weight
        };
    }
    if s < rule.low {
        notes.raise(FlagCode::Igf1LowOnTreatment);
        let headroom = Micrograms(max.times(weight).0.saturating_sub(d.rescaled.0).max(0));
        notes.why(format!(
            "IGF-1 SDS {} is below {}: no automatic increase; headroom to the range maximum {max} mg/kg/week: {headroom} mg/week",
            fmt_sds(s),
            fmt_sds(rule.low)
        ));
    }
    by_weight
}

/// IGF-1 above the ceiling: a percentage reduction of the lower of the
/// current and the weight-based dose; an implausibly high one is repeated soon.
fn above_ceiling(d: &Doses, s: f64, rule: &Igf1Rule, notes: &mut Notes) -> Step {
    notes.raise(FlagCode::Igf1AboveRange);
    // Reduce from the lower of the current and the weight-based dose, so
    // a higher IGF-1 never ends above what a lower one would give.
    let base = d.now.min(d.rescaled);
    let new = rule.reduce.reduce(base);
    let which = if base < d.now {
        "the weight-based dose"
    } else {
        "the current dose"
    };
    notes.why(format!(
        "IGF-1 SDS {} is above {}: reduce {which} by {} %: {base} -> {new} mg/week",
        fmt_sds(s),
        fmt_sds(rule.ceiling),
        rule.reduce,
    ));
    let extreme = s > rule.beyond;
    if extreme {
        notes.why("an implausibly high IGF-1: repeat it soon");
    }
    Step {
        new,
        recheck: false,
        review: extreme.then_some(ReviewId::Repeat),
    }
}

/// Which review a step asks for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum ReviewId {
    /// An early repeat of an implausible IGF-1.
    Repeat,
}
