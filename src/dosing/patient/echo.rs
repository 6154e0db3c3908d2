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
    pub weight_kg: Option<f64>,
    pub weight_input: Option<String>,
    pub height_cm: Option<f64>,
    pub height_input: Option<String>,
    pub age_years: Option<f64>,
    pub birth_date: Option<NaiveDate>,
    pub sex: Option<Sex>,
    pub height_sds: Option<f64>,
    /// Where the height SDS comes from: the reference id it was computed on
    /// from the height, or `given` when typed; null when there is none.
    pub height_sds_source: Option<String>,
    pub pubertal: bool,
    pub bmi: Option<f64>,
    /// `reported` or `computed` (from weight and height).
    pub bmi_source: Option<&'static str>,
    /// BMI SDS on CDC 2000 BMI-for-age (children aged 2-20 with a sex), or null.
    pub bmi_sds: Option<f64>,
    /// Body surface area (Mosteller), when weight and height are known.
    pub bsa_m2: Option<f64>,
    pub oral_estrogen: bool,
    pub diabetes: bool,
    pub obesity: bool,
    pub switching_from_daily: bool,
    pub conditions: Vec<Condition>,
    pub symptoms: Vec<Symptom>,
    /// Measurements confirmed as real with `--confirm` (echoed whether or
    /// not a check needed them; the rationale says which did).
    pub confirmed: Vec<Confirm>,
    /// The IGF-1 SDS the decision used (titrate), or null.
    pub igf1_sds: Option<f64>,
    /// IGF-1 concentration in ng/mL (after conversion), or null.
    pub igf1_ng_ml: Option<f64>,
    /// The concentration as given when another unit was used (`19.6 nmol/L`).
    pub igf1_input: Option<String>,
    /// The reference the SDS was computed against, or null.
    pub igf1_reference: Option<String>,
    /// How the SDS was obtained: `reported`, `lab-range-lognormal`, `lab-range-boxcox`, `lms-reference`.
    pub igf1_sds_method: Option<&'static str>,
    /// From two dated heights (titrate), or null.
    pub height_velocity_cm_per_year: Option<f64>,
    /// Titrate inputs, echoed (null for start).
    pub previous_weight_kg: Option<f64>,
    /// The date the previous weight is judged from (given, or the last dose
    /// change), or null.
    pub previous_weight_date: Option<NaiveDate>,
    pub previous_height_cm: Option<f64>,
    pub previous_height_date: Option<NaiveDate>,
    pub igf1_date: Option<NaiveDate>,
    pub last_dose_change: Option<NaiveDate>,
    pub last_injection: Option<NaiveDate>,
    pub treatment_start: Option<NaiveDate>,
    pub pretreatment_hv_cm_per_year: Option<f64>,
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
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::dosing::patient::findings::VisitEcho;
    use crate::dosing::patient::growth::Velocity;
    use crate::dosing::patient::igf1::{Igf1Method, Igf1Reading};
    use crate::dosing::patient::stature::{HeightSds, HeightSdsSource, Stature};
    use crate::dosing::patient::validate;
    use crate::dosing::request::Measured;
    use crate::dosing::test_support::*;
    use crate::dosing::{AgeInput, Field};
    use crate::growth::Builtin;
    use crate::units::Grams;

    fn patient() -> Patient {
        let mut q = child("turner", 24.0);
        q.subject.patient.height_cm = Some(Measured::plain(118.0, Field::HeightCm));
        q.subject.patient.age = Some(AgeInput::Years(8.0));
        q.subject.patient.height_sds = Some(-1.0);
        validate(&q.subject.patient, q.subject.as_of, &RULES).unwrap()
    }

    #[test]
    fn a_start_echoes_what_was_given_and_no_visit() {
        let p = patient();
        let e = PatientEcho::of(&p, &Findings::default());
        assert_eq!(
            (e.weight_kg, e.height_cm, e.age_years),
            (Some(24.0), Some(118.0), Some(8.0))
        );
        assert_eq!(e.bmi_source, Some("computed"));
        // Without the stature scores, no height SDS is one the decision used.
        assert_eq!((e.height_sds, e.height_sds_source), (None, None));
        assert!(!e.obesity);
        assert_eq!((e.igf1_sds, e.igf1_sds_method), (None, None));
        assert_eq!((e.previous_weight_kg, e.last_dose_change), (None, None));
    }

    #[test]
    fn the_echo_shows_the_scores_and_readings_found() {
        let p = patient();
        let f = Findings {
            stature: Stature {
                height_sds: Some(HeightSds {
                    sds: 0.42,
                    source: HeightSdsSource::Reference(Builtin::TurnerHeight),
                }),
                bmi_sds: Some(1.25),
                obesity: true,
                unusual: Vec::new(),
            },
            igf1: Some(Igf1Reading {
                sds: 2.567,
                method: Igf1Method::LabRangeBoxcox,
                ng_ml: Some(300.0),
                input: Some("39.2 nmol/L".into()),
                reference: Some("laboratory range".into()),
            }),
            velocity: Velocity {
                previous_height_cm: Some(112.0),
                cm_per_year: Some(6.5),
            },
            previous_weight: Some(Grams::from_kg(22.5)),
            visit: VisitEcho {
                last_dose_change: Some(date("2026-05-01")),
                ..VisitEcho::default()
            },
            unusual: vec!["not echoed".into()],
        };
        let e = PatientEcho::of(&p, &f);
        // The computed height SDS replaces the typed one, named by its reference.
        assert_eq!(e.height_sds, Some(0.42));
        assert_eq!(
            e.height_sds_source.as_deref(),
            Some("turner-lyon1985-height")
        );
        assert_eq!(e.bmi_sds, Some(1.25));
        // Obesity found is echoed though not given.
        assert!(!p.obesity && e.obesity);
        // The JSON carries SDS to 4 decimals.
        assert_eq!(e.igf1_sds, Some(2.567));
        assert_eq!(e.igf1_sds_method, Some("lab-range-boxcox"));
        assert_eq!(e.igf1_ng_ml, Some(300.0));
        assert_eq!(e.igf1_input.as_deref(), Some("39.2 nmol/L"));
        assert_eq!(e.igf1_reference.as_deref(), Some("laboratory range"));
        assert_eq!(e.previous_height_cm, Some(112.0));
        assert_eq!(e.height_velocity_cm_per_year, Some(6.5));
        assert_eq!(e.previous_weight_kg, Some(22.5));
        assert_eq!(e.last_dose_change, Some(date("2026-05-01")));
        // A typed height SDS the references did not replace is `given`.
        let f = Findings {
            stature: Stature {
                height_sds: Some(HeightSds {
                    sds: -1.0,
                    source: HeightSdsSource::Given,
                }),
                ..Stature::default()
            },
            ..Findings::default()
        };
        let e = PatientEcho::of(&p, &f);
        assert_eq!(
            (e.height_sds, e.height_sds_source.as_deref()),
            (Some(-1.0), Some("given"))
        );
    }
}
