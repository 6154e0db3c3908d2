//! The line a decision appends to the record (`start`/`titrate --record`),
//! built from the typed outcome and the facts of the request that the
//! outcome does not carry: the date, the command, the patient's identity,
//! the tables in use and what came from the record.

use super::visit::{
    Decision, GivenDose, Identity, Igf1Given, Measurements, PatientFacts, Provenance, RECORD_KIND,
    RECORD_VERSION, RulesUsed, VisitLine, Window,
};
use crate::dosing::{Outcome, PatientEcho, Recommendation};
use crate::rules::RuleSet;
use crate::units::NgPerKg;
use crate::vocab::{Action, FlagCode, Region};
use chrono::NaiveDate;

/// The gh-dose version a line names: the running one.
const GH_DOSE_VERSION: &str = env!("CARGO_PKG_VERSION");

/// What a line says that the outcome does not.
#[derive(Debug, Clone)]
pub(crate) struct Facts<'a> {
    /// The visit (decision) date.
    pub(crate) date: NaiveDate,
    /// `start` or `titrate`.
    pub(crate) command: &'static str,
    /// The patient the record is for.
    pub(crate) identity: Identity,
    /// The device the current dose was given on, and what came from the
    /// record.
    pub(crate) how: &'a Provenance,
    /// The conditions and treatment facts after the visit (given or
    /// carried from the record).
    pub(crate) patient: &'a PatientFacts,
}

impl RulesUsed {
    /// The rule and product tables in use.
    pub(crate) fn of(rules: &RuleSet) -> RulesUsed {
        RulesUsed {
            source: rules.origin.source.clone(),
            version: rules.origin.version.clone(),
            sha256: rules.origin.sha256.clone(),
            products_sha256: rules.products.as_ref().map(|p| p.origin.sha256.clone()),
        }
    }
}

/// The visit a decision records.
pub(crate) fn visit(outcome: &Outcome, facts: &Facts, rules: &RuleSet) -> VisitLine {
    let p = &outcome.patient;
    let how = facts.how;
    let r = &outcome.recommendation;
    let product = outcome.product.as_ref();
    let region = product.map_or(Region::Us, |p| p.region);
    let product_id = product.map(|p| p.id.clone());
    let dose_before = r.current_dose.as_ref().map(|c| GivenDose {
        product: product_id.clone(),
        device: how.device_before.clone(),
        region,
        injections_per_week: c.injections_per_week,
        injections_per_dose: 1,
        mg_per_injection: c.mg_per_injection.mg(),
        mg_per_week: c.mg_per_week.mg(),
        mg_per_kg_per_week: None,
    });
    let dose = dose_given(r, product_id, region, &dose_before);
    let flags: Vec<FlagCode> = outcome.flags.iter().map(|f| f.code).collect();
    let reduced_for_igf1 =
        r.action == Action::Decrease && flags.contains(&FlagCode::Igf1AboveRange);
    VisitLine {
        record: RECORD_KIND.to_string(),
        record_version: RECORD_VERSION,
        date: facts.date,
        command: facts.command.to_string(),
        patient: facts.identity,
        indication: outcome.indication.id.clone(),
        measurements: Measurements {
            weight_kg: p.weight_kg,
            height_cm: p.height_cm,
            height_sds: p.height_sds,
            height_sds_source: p.height_sds_source.clone(),
            bmi: p.bmi,
            pubertal: p.pubertal,
            confirmed: p.confirmed.clone(),
        },
        patient_facts: Some(facts.patient.clone()),
        igf1: igf1_of(p, facts.date),
        dose_before,
        dose,
        decision: Decision {
            action: r.action,
            change_percent: r.change.as_ref().map(|c| c.percent),
            reduced_for_igf1,
            flags,
            next_review: r.next_review.as_ref().map(|n| Window {
                earliest: n.earliest,
                latest: n.latest,
            }),
            from_record: how.from_record.iter().map(|(f, _)| f.clone()).collect(),
            overridden: how.overridden.clone(),
        },
        rules: RulesUsed::of(rules),
        gh_dose_version: GH_DOSE_VERSION.to_string(),
    }
}

/// The dose the decision gives: on the device when one delivers it, the
/// dose before for a recheck, none for a stop.
fn dose_given(
    r: &Recommendation,
    product_id: Option<String>,
    region: Region,
    dose_before: &Option<GivenDose>,
) -> Option<GivenDose> {
    match (&r.dose, r.action) {
        (_, a) if a.stops() => None,
        (Some(d), _) => Some(match &d.deliverable {
            Some(dl) => GivenDose {
                product: product_id,
                device: Some(dl.device.clone()),
                region,
                injections_per_week: d.injections_per_week,
                injections_per_dose: dl.injections_per_dose,
                mg_per_injection: dl.mg_per_injection.mg(),
                mg_per_week: dl.mg_per_week.mg(),
                mg_per_kg_per_week: dl.mg_per_kg_per_week.map(NgPerKg::mg_per_kg),
            },
            None => GivenDose {
                product: product_id,
                device: None,
                region,
                injections_per_week: d.injections_per_week,
                injections_per_dose: 1,
                mg_per_injection: d.mg_per_injection.mg(),
                mg_per_week: d.mg_per_week.mg(),
                mg_per_kg_per_week: d.mg_per_kg_per_week.map(NgPerKg::mg_per_kg),
            },
        }),
        // A recheck keeps the dose the patient is on.
        (None, _) => dose_before.clone(),
    }
}

/// The IGF-1 as given and as the decision read it; dated by its sample, or
/// by the visit when no sampling date was given.
fn igf1_of(p: &PatientEcho, as_of: NaiveDate) -> Option<Igf1Given> {
    let given = match (&p.igf1_input, p.igf1_ng_ml, p.igf1_sds) {
        (Some(text), _, _) => text.clone(),
        (None, Some(ng), _) => format!("{ng} ng/mL"),
        (None, None, Some(sds)) => format!("{sds:+} SDS"),
        (None, None, None) => return None,
    };
    Some(Igf1Given {
        given,
        ng_ml: p.igf1_ng_ml,
        sds: p.igf1_sds,
        method: p.igf1_sds_method.map(str::to_string),
        reference: p.igf1_reference.clone(),
        date: Some(p.igf1_date.unwrap_or(as_of)),
    })
}

#[cfg(test)]
mod tests;
