//! What `start` and `titrate` share (and `measure` in part): the indication
//! a request names and as an outcome reports it, the unusual inputs in the
//! rationale, the guard around device rounding, and the outcome assembled
//! once from the proposal and what the orchestration decided.

use super::device::{OnProduct, deliverable};
use super::error::{Error, Field, Result};
use super::guard::{Facts, Guard, device_flags};
use super::outcome::{
    Change, CurrentDoseEcho, IndicationRef, Outcome, ProductRef, Recommendation, Supply,
};
use super::patient::{Findings, Patient, PatientEcho};
use super::proposal::Proposal;
use super::request::Subject;
use super::trail::Notes;
use crate::rules::{Indication, RuleSet};

/// The indication a request names.
pub(super) fn indication<'a>(id: &str, rules: &'a RuleSet) -> Result<&'a Indication> {
    rules.indication(id.trim()).ok_or_else(|| {
        Error::unknown(
            Field::Indication,
            id,
            "indication",
            rules.indications.iter().map(|i| i.id.as_str()),
        )
    })
}

/// The guard before rounding, the rounding (in the direction the guard
/// set), the flags of the presentation, and the guard after rounding.
pub(super) fn settle_and_round(
    proposal: &mut Proposal,
    facts: &Facts,
    on: Option<&OnProduct>,
    patient: &Patient,
    notes: &mut Notes,
) -> Result<()> {
    let env = Guard { facts, notes }.settle(proposal);
    if let (Some(on), Some(target)) = (on, proposal.target) {
        proposal.dose.deliverable = deliverable(on, target, patient.weight, notes)?;
    }
    Guard { facts, notes }.verify(proposal, Some(&env), on);
    device_flags(
        on,
        proposal.dose.deliverable.as_ref(),
        patient,
        facts.rules,
        notes,
    );
    Ok(())
}

/// The indication as an outcome reports it.
pub(super) fn indication_ref(ind: &Indication, group: Option<String>) -> IndicationRef {
    IndicationRef {
        id: ind.id.clone(),
        name: ind.name.clone(),
        population: ind.population,
        group,
    }
}

/// One rationale line per unusual input, with the plausibility source.
pub(super) fn unusual_notes(f: &Findings, rules: &RuleSet, notes: &mut Notes) {
    if !f.unusual.is_empty() {
        notes.cite(&rules.plausibility.cited.sources);
    }
    for line in &f.unusual {
        notes.why(format!("unusual input: {line}"));
    }
}

/// What the orchestration decided beyond the proposal: whether the dose is
/// given, the change from the current dose, the supply and, at a visit, the
/// dose the patient is on.
pub(crate) struct Decided {
    pub(crate) gives: bool,
    pub(crate) change: Option<Change>,
    pub(crate) supply: Option<Supply>,
    pub(crate) current_dose: Option<CurrentDoseEcho>,
}

/// What the outcome of a decision names besides the patient and the
/// proposal: the rule set, the indication, the request's subject and the
/// product.
pub(crate) struct Assembly<'a> {
    pub(crate) rules: &'a RuleSet,
    pub(crate) ind: &'a Indication,
    pub(crate) subject: &'a Subject,
    pub(crate) on: Option<&'a OnProduct<'a>>,
}

impl Assembly<'_> {
    /// The outcome of a start or a titration, assembled once: the patient
    /// echoed from what was given and what was found, the product as
    /// reported, the trail resolved against the rule set, the proposal's
    /// parts and what the orchestration decided.
    pub(crate) fn outcome(
        &self,
        (patient, found): (&Patient, &Findings),
        proposal: Proposal,
        notes: Notes,
        decided: Decided,
    ) -> Outcome {
        let product = self
            .on
            .map(|o| ProductRef::of(o.product, self.subject.product.region, proposal.labelled));
        let (flags, rationale, sources) = notes.finish(self.rules);
        let Proposal {
            action,
            dose,
            range,
            label_range,
            group,
            review,
            ..
        } = proposal;
        Outcome {
            patient: PatientEcho::of(patient, found),
            indication: indication_ref(self.ind, group),
            product,
            recommendation: Recommendation {
                action,
                dose: decided.gives.then_some(dose),
                range,
                change: decided.change,
                next_review: review,
                label_range,
                supply: decided.supply,
                current_dose: decided.current_dose,
            },
            flags,
            rationale,
            sources,
        }
    }
}
