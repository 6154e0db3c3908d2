//! One line of a visit record (`record_version` 1): what was measured, the
//! IGF-1 as given and as SDS, the dose given from this visit on, and the
//! decision with the rule set that made it. Written by `start`/`titrate
//! --record`, read back by `titrate --record`, `record` and `chart`.
//!
//! Doses are in mg (to the microgram, as the output writes them); the reader
//! turns them back into whole micrograms. Fields that do not apply are
//! `null`, never absent; a field the format does not know is refused.

use crate::report::Document;
use crate::units::{Micrograms, NgPerKg};
use crate::vocab::{Action, FlagCode, Region, Sex};
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

/// The version of the line format this build writes and reads.
pub const RECORD_VERSION: u32 = 1;

/// What the record is: the value of every line's `record` field.
pub const RECORD_KIND: &str = "gh-dose-visit";

/// One visit.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Visit {
    /// Always `gh-dose-visit`.
    pub record: String,
    /// The line format's version: 1.
    pub record_version: u32,
    /// The visit (decision) date.
    pub date: NaiveDate,
    /// `start` or `titrate`.
    pub command: String,
    /// Who the record is for: every line carries the same.
    pub patient: Identity,
    /// Indication id.
    pub indication: String,
    pub measurements: Measurements,
    /// The IGF-1 the decision read, or null.
    pub igf1: Option<Igf1Given>,
    /// Titrate: the dose the patient was on when the visit began, or null.
    pub dose_before: Option<GivenDose>,
    /// The dose given from this visit on; null when it was withheld or
    /// stopped.
    pub dose: Option<GivenDose>,
    pub decision: Decision,
    /// The tables that made the decision.
    pub rules: RulesUsed,
    /// The gh-dose version that wrote the line.
    pub gh_dose_version: String,
}

/// Sex and birth date: a record is one patient's.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Identity {
    pub sex: Sex,
    pub birth_date: NaiveDate,
}

/// What was measured at the visit.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Measurements {
    pub weight_kg: Option<f64>,
    pub height_cm: Option<f64>,
    /// Height SDS the decision used, or null.
    pub height_sds: Option<f64>,
    /// The reference it was computed on, or `given`.
    pub height_sds_source: Option<String>,
    pub bmi: Option<f64>,
    pub pubertal: bool,
}

/// The IGF-1 as given and as the decision read it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Igf1Given {
    /// As given: `+2.6 SDS` or `412 ng/mL` (with its unit).
    pub given: String,
    /// The concentration in ng/mL, or null when an SDS was given.
    pub ng_ml: Option<f64>,
    pub sds: Option<f64>,
    /// `reported`, `lab-range-lognormal`, `lab-range-boxcox`, `lms-reference`.
    pub method: Option<String>,
    /// The reference the SDS was computed on, or null.
    pub reference: Option<String>,
    /// The sampling date.
    pub date: Option<NaiveDate>,
}

/// A dose on a product and device, or a computed dose without one.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct GivenDose {
    pub product: Option<String>,
    pub device: Option<String>,
    pub region: Region,
    pub injections_per_week: u8,
    pub mg_per_injection: f64,
    pub mg_per_week: f64,
    /// The intensity on the visit's weight (weight-based doses), or null.
    pub mg_per_kg_per_week: Option<f64>,
}

impl GivenDose {
    /// The weekly dose in whole micrograms (the format writes mg to 3 decimals).
    pub fn weekly(&self) -> Option<Micrograms> {
        Micrograms::round_mg(self.mg_per_week)
    }
}

/// What gh-dose decided.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Decision {
    pub action: Action,
    /// The change in percent of the weekly dose (titrate, a change), or null.
    pub change_percent: Option<f64>,
    /// A decrease made because IGF-1 was above the range: the next visit
    /// does not undo it without a reason.
    pub reduced_for_igf1: bool,
    /// The flags raised, by code.
    pub flags: Vec<FlagCode>,
    pub next_review: Option<Window>,
    /// The request fields that were read from the record (titrate).
    pub from_record: Vec<String>,
    /// Fields given on the command line that differ from the record.
    pub overridden: Vec<String>,
}

/// A review window.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Window {
    pub earliest: NaiveDate,
    pub latest: NaiveDate,
}

/// The rule and product tables behind the decision.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct RulesUsed {
    pub source: String,
    pub version: String,
    pub sha256: String,
    /// The product table's sha256, when a product was used.
    pub products_sha256: Option<String>,
}

/// What the caller knows that the document does not say: the device asked
/// for and what came from the record.
#[derive(Debug, Clone, Default)]
pub struct Provenance {
    /// The device on which the current dose was given (titrate).
    pub device_before: Option<String>,
    pub from_record: Vec<String>,
    pub overridden: Vec<String>,
}

impl Visit {
    /// The visit a dosing document records. `None` when the patient's
    /// identity (sex and birth date) is not in the document.
    pub fn of(doc: &Document, how: &Provenance) -> Option<Visit> {
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
                    mg_per_injection: dl.mg_per_injection.mg(),
                    mg_per_week: dl.mg_per_week.mg(),
                    mg_per_kg_per_week: dl.mg_per_kg_per_week.map(NgPerKg::mg_per_kg),
                },
                None => GivenDose {
                    product: product_id.clone(),
                    device: None,
                    region,
                    injections_per_week: d.injections_per_week,
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
            },
            igf1: igf1_of(p),
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
                from_record: how.from_record.clone(),
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
}

fn igf1_of(p: &crate::dosing::Patient) -> Option<Igf1Given> {
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
        date: p.igf1_date,
    })
}
