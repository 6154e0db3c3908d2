//! The visit record's side of a dosing document: the line a decision
//! appends (`start`/`titrate --record`), and the `record check` document.

use super::Document;
use crate::record::{
    Decision, GivenDose, Identity, Igf1Given, Measurements, Provenance, RECORD_KIND,
    RECORD_VERSION, RulesUsed, Visit, Window,
};
use crate::units::NgPerKg;
use crate::vocab::{Action, FlagCode, Region};
use serde::Serialize;

/// `gh-dose record check`: a valid record.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct RecordCheckDocument {
    pub schema_version: u32,
    pub gh_dose_version: &'static str,
    pub command: &'static str,
    pub file: String,
    pub valid: bool,
    pub record_version: u32,
    pub visits: usize,
    /// Visits marked entered in error (not counted in `visits`).
    pub entered_in_error: usize,
    pub patient: Option<Identity>,
    pub first: Option<chrono::NaiveDate>,
    pub last: Option<chrono::NaiveDate>,
}

/// `gh-dose record void`: the correction appended.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct RecordVoidDocument {
    pub schema_version: u32,
    pub gh_dose_version: &'static str,
    pub command: &'static str,
    pub file: String,
    /// The line the correction was written on.
    pub line: usize,
    /// The visit it marks entered in error.
    pub voids: usize,
    pub visit_date: chrono::NaiveDate,
    pub status: &'static str,
    pub reason: String,
    pub date: chrono::NaiveDate,
}

/// The visit a dosing document records. `None` when the patient's identity
/// (sex and birth date) is not in the document.
pub fn visit(doc: &Document, how: &Provenance) -> Option<Visit> {
    let p = &doc.patient;
    let patient = Identity {
        sex: p.sex?,
        birth_date: p.birth_date?,
    };
    let r = &doc.recommendation;
    let product = doc.product.as_ref();
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
    let dose = match (&r.dose, r.action) {
        (_, a) if a.stops() => None,
        (Some(d), _) => Some(match &d.deliverable {
            Some(dl) => GivenDose {
                product: product_id.clone(),
                device: Some(dl.device.clone()),
                region,
                injections_per_week: d.injections_per_week,
                injections_per_dose: dl.injections_per_dose,
                mg_per_injection: dl.mg_per_injection.mg(),
                mg_per_week: dl.mg_per_week.mg(),
                mg_per_kg_per_week: dl.mg_per_kg_per_week.map(NgPerKg::mg_per_kg),
            },
            None => GivenDose {
                product: product_id.clone(),
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
    };
    let flags: Vec<FlagCode> = doc.flags.iter().map(|f| f.code).collect();
    let reduced_for_igf1 =
        r.action == Action::Decrease && flags.contains(&FlagCode::Igf1AboveRange);
    Some(Visit {
        record: RECORD_KIND.to_string(),
        record_version: RECORD_VERSION,
        date: doc.as_of,
        command: doc.command.to_string(),
        patient,
        indication: doc.indication.id.clone(),
        measurements: Measurements {
            weight_kg: p.weight_kg,
            height_cm: p.height_cm,
            height_sds: p.height_sds,
            height_sds_source: p.height_sds_source.clone(),
            bmi: p.bmi,
            pubertal: p.pubertal,
            confirmed: p.confirmed.clone(),
        },
        igf1: igf1_of(p, doc.as_of),
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
        rules: RulesUsed {
            source: doc.rules.source.clone(),
            version: doc.rules.version.clone(),
            sha256: doc.rules.sha256.clone(),
            products_sha256: doc.rules.products.as_ref().map(|t| t.sha256.clone()),
        },
        gh_dose_version: doc.gh_dose_version.to_string(),
    })
}

fn igf1_of(p: &crate::dosing::Patient, as_of: chrono::NaiveDate) -> Option<Igf1Given> {
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
        // The sampling date: the as-of date when none was given.
        date: Some(p.igf1_date.unwrap_or(as_of)),
    })
}
