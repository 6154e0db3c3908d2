//! The patient as every output echoes it, built once from what was given
//! ([`Patient`]) and what the stages found ([`Findings`]).

use super::Patient;
use super::findings::Findings;
use crate::units::{SCORE_DECIMALS, round_to};
use crate::vocab::{Condition, Confirm, Sex, Symptom};
use chrono::NaiveDate;
use serde::Serialize;

/// The validated patient, echoed in the output.
#[derive(Debug, Clone, PartialEq, Serialize, schemars::JsonSchema)]
#[schemars(rename = "Patient")]
pub struct PatientEcho {
    pub(crate) weight_kg: Option<f64>,
    pub(crate) weight_input: Option<String>,
    pub(crate) height_cm: Option<f64>,
    pub(crate) height_input: Option<String>,
    pub(crate) age_years: Option<f64>,
    pub(crate) birth_date: Option<NaiveDate>,
    pub(crate) sex: Option<Sex>,
    pub(crate) height_sds: Option<f64>,
    /// Where the height SDS comes from: the reference id it was computed on
    /// from the height, or `given` when typed; null when there is none.
    pub(crate) height_sds_source: Option<String>,
    pub(crate) pubertal: bool,
    pub(crate) bmi: Option<f64>,
    /// `reported` or `computed` (from weight and height).
    pub(crate) bmi_source: Option<&'static str>,
    /// BMI SDS on CDC 2000 BMI-for-age (children aged 2-20 with a sex), or null.
    pub(crate) bmi_sds: Option<f64>,
    /// Body surface area (Mosteller), when weight and height are known.
    pub(crate) bsa_m2: Option<f64>,
    pub(crate) oral_estrogen: bool,
    pub(crate) diabetes: bool,
    pub(crate) obesity: bool,
    pub(crate) switching_from_daily: bool,
    pub(crate) conditions: Vec<Condition>,
    pub(crate) symptoms: Vec<Symptom>,
    /// Measurements confirmed as real with `--confirm` (echoed whether or
    /// not a check needed them; the rationale says which did).
    pub(crate) confirmed: Vec<Confirm>,
    /// The IGF-1 SDS the decision used (titrate), or null.
    pub igf1_sds: Option<f64>,
    /// IGF-1 concentration in ng/mL (after conversion), or null.
    pub(crate) igf1_ng_ml: Option<f64>,
    /// The concentration as given when another unit was used (`19.6 nmol/L`).
    pub(crate) igf1_input: Option<String>,
    /// The reference the SDS was computed against, or null.
    pub(crate) igf1_reference: Option<String>,
    /// How the SDS was obtained: `reported`, `lab-range-lognormal`, `lab-range-boxcox`, `lms-reference`.
    pub(crate) igf1_sds_method: Option<&'static str>,
    /// From two dated heights (titrate), or null.
    pub(crate) height_velocity_cm_per_year: Option<f64>,
    /// Titrate inputs, echoed (null for start).
    pub(crate) previous_weight_kg: Option<f64>,
    /// The date the previous weight is judged from (given, or the last dose
    /// change), or null.
    pub(crate) previous_weight_date: Option<NaiveDate>,
    pub(crate) previous_height_cm: Option<f64>,
    pub(crate) previous_height_date: Option<NaiveDate>,
    pub(crate) igf1_date: Option<NaiveDate>,
    pub(crate) last_dose_change: Option<NaiveDate>,
    pub(crate) last_injection: Option<NaiveDate>,
    pub(crate) treatment_start: Option<NaiveDate>,
    pub(crate) pretreatment_hv_cm_per_year: Option<f64>,
    pub(crate) bone_age_years: Option<f64>,
}

impl PatientEcho {
    /// The echo of a decision: the given values as validated, the height
    /// SDS the decision used (computed, or as given), the scores and
    /// readings found, and the visit's dates.
    pub(crate) fn of(p: &Patient, f: &Findings) -> PatientEcho {
        let s = &f.stature;
        let igf1 = f.igf1.as_ref();
        let v = &f.visit;
        PatientEcho {
            weight_kg: p.weight_kg,
            weight_input: p.weight_input.clone(),
            height_cm: p.height_cm,
            height_input: p.height_input.clone(),
            age_years: p.age_years,
            birth_date: p.birth_date,
            sex: p.sex,
            height_sds: s.height_sds.map(|h| h.sds),
            height_sds_source: s.height_sds.map(|h| h.source.as_str().to_string()),
            pubertal: p.pubertal,
            bmi: p.bmi,
            bmi_source: p.bmi_source.map(|b| b.as_str()),
            bmi_sds: s.bmi_sds,
            bsa_m2: p.bsa_m2,
            oral_estrogen: p.oral_estrogen,
            diabetes: p.diabetes,
            obesity: p.obesity || s.obesity,
            switching_from_daily: p.switching_from_daily,
            conditions: p.conditions.clone(),
            symptoms: p.symptoms.clone(),
            confirmed: p.confirmed.clone(),
            igf1_sds: igf1.map(|r| round_to(r.sds, SCORE_DECIMALS)),
            igf1_ng_ml: igf1.and_then(|r| r.ng_ml),
            igf1_input: igf1.and_then(|r| r.input.clone()),
            igf1_reference: igf1.and_then(|r| r.reference.clone()),
            igf1_sds_method: igf1.map(|r| r.method.as_str()),
            height_velocity_cm_per_year: f.velocity.cm_per_year,
            previous_weight_kg: f.previous_weight.map(|g| g.kg()),
            previous_weight_date: v.previous_weight_date,
            previous_height_cm: f.velocity.previous_height_cm,
            previous_height_date: v.previous_height_date,
            igf1_date: v.igf1_date,
            last_dose_change: v.last_dose_change,
            last_injection: v.last_injection,
            treatment_start: v.treatment_start,
            pretreatment_hv_cm_per_year: v.pretreatment_hv_cm_per_year,
            bone_age_years: v.bone_age_years,
        }
    }
}

#[cfg(test)]
mod tests;
