//! The bounds of a decision on the dose the patient receives, set when the
//! guard settles the proposal and checked on the delivered dose
//! ([`super::delivered`]).

use crate::dosing::device::{Target, Toward};
use crate::units::{Exact, Micrograms};
use crate::vocab::Action;

/// The bounds of a decision on the dose the patient receives.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Envelope {
    /// The most the patient may receive a week.
    pub(crate) max: Micrograms,
    /// What sets `max`, for the rationale.
    pub(crate) why: String,
    /// The least the patient may receive a week: for a decrease, the target
    /// less one dose step of the product's finest presentation (a rounding
    /// never deepens a decision by more than a step).
    pub(crate) min: Option<Micrograms>,
    /// A titration: the current weekly dose and the side of it the decision
    /// is on (`Increase` strictly above, `Decrease` strictly below,
    /// `Maintain` the current dose itself).
    pub(crate) side: Option<(Micrograms, Action)>,
    /// Where the first rounding's rationale lines start (taken back when
    /// the guard places the dose again).
    pub(crate) mark: usize,
}

impl Envelope {
    /// Whether a weekly dose received is inside every bound.
    pub(crate) fn holds(&self, given: Micrograms) -> bool {
        given <= self.max
            && self.min.is_none_or(|m| given >= m)
            && match self.side {
                Some((now, Action::Increase)) => given > now,
                Some((now, Action::Decrease)) => given < now,
                Some((now, Action::Maintain)) => given == now,
                _ => true,
            }
    }

    /// The per-injection target of a search: `goal` a week within the
    /// envelope, on its side.
    pub(super) fn target(
        &self,
        goal: Micrograms,
        side: Option<(Micrograms, Action)>,
        n: u8,
    ) -> Target {
        let per = |w: Micrograms| Exact {
            num: i128::from(w.0),
            den: i128::from(n.max(1)),
        };
        Target {
            dose: per(goal.min(self.max)),
            lo: None,
            hi: per(self.max),
            injections_per_week: n,
            toward: side.map(|(now, action)| match action {
                Action::Increase => Toward::Above(per(now)),
                Action::Decrease => Toward::Below(per(now)),
                _ => Toward::At(per(now)),
            }),
        }
    }
}
