//! Arguments to typed requests, once: pounds and inches converted (the
//! original kept for the echo), names trimmed, IGF-1 references assembled.
//! Every field is destructured, so a new flag cannot be forgotten here.

use super::args::{BodyArgs, Igf1Args, PatientArgs, ProductArgs, StartArgs, TitrateArgs};
use crate::dosing::LmsReference;
use crate::dosing::fmt_num;
use crate::dosing::{
    AgeInput, Chosen, CurrentDose, Igf1Input, Igf1Reference, Measured, PatientInput, ProductChoice,
    StartRequest, Subject, TitrateRequest,
};
use crate::dosing::{Error, Field, msg};
use crate::units::{CM_PER_IN, KG_PER_LB};
use chrono::NaiveDate;
use std::sync::Arc;

/// A weight given in kg or in pounds (converted; the original is kept).
pub(crate) fn weight(kg: Option<f64>, lb: Option<f64>) -> Option<Measured> {
    match (kg, lb) {
        (Some(kg), _) => Some(Measured::plain(kg, Field::WeightKg)),
        (None, Some(lb)) => Some(Measured {
            value: lb * KG_PER_LB,
            field: Field::WeightLb,
            original: Some(format!("{} lb", fmt_num(lb))),
        }),
        (None, None) => None,
    }
}

/// A height given in cm or in inches (converted; the original is kept).
pub(crate) fn height(cm: Option<f64>, inches: Option<f64>) -> Option<Measured> {
    match (cm, inches) {
        (Some(cm), _) => Some(Measured::plain(cm, Field::HeightCm)),
        (None, Some(inches)) => Some(Measured {
            value: inches * CM_PER_IN,
            field: Field::HeightIn,
            original: Some(format!("{} in", fmt_num(inches))),
        }),
        (None, None) => None,
    }
}

/// An age given in years or as a birth date.
pub(crate) fn age(years: Option<f64>, birth: Option<NaiveDate>) -> Option<AgeInput> {
    match (years, birth) {
        (Some(y), _) => Some(AgeInput::Years(y)),
        (None, Some(d)) => Some(AgeInput::BirthDate(d)),
        (None, None) => None,
    }
}

impl BodyArgs {
    /// The body in canonical units; converted values keep their original.
    /// Everything else about the patient is left at its default.
    pub(crate) fn to_input(&self) -> PatientInput {
        let BodyArgs {
            weight_kg,
            weight_lb,
            height_cm,
            height_in,
            age_years,
            birth_date,
            sex,
            bmi,
        } = self;
        PatientInput {
            weight_kg: weight(*weight_kg, *weight_lb),
            height_cm: height(*height_cm, *height_in),
            age: age(*age_years, *birth_date),
            sex: *sex,
            bmi: *bmi,
            ..PatientInput::default()
        }
    }
}

impl PatientArgs {
    /// The patient in canonical units; converted values keep their original.
    pub(crate) fn to_input(&self) -> PatientInput {
        let PatientArgs {
            body,
            height_sds,
            pubertal,
            oral_estrogen,
            diabetes,
            obesity,
            condition,
            symptom,
            confirm,
            resolved,
        } = self;
        PatientInput {
            height_sds: *height_sds,
            pubertal: *pubertal,
            oral_estrogen: *oral_estrogen,
            diabetes: *diabetes,
            obesity: *obesity,
            switching_from_daily: false,
            conditions: condition.clone(),
            symptoms: symptom.clone(),
            confirm: confirm.clone(),
            resolved: resolved.clone(),
            ..body.to_input()
        }
    }
}

impl ProductArgs {
    fn to_choice(&self) -> ProductChoice {
        let ProductArgs {
            product,
            device,
            region,
        } = self;
        ProductChoice {
            product: product.as_ref().map(|p| p.trim().to_string()),
            device: device.as_ref().map(|d| d.trim().to_string()),
            region: region.unwrap_or_default(),
        }
    }
}

fn subject(
    indication: &Option<String>,
    as_of: NaiveDate,
    patient: PatientInput,
    injections_per_week: Option<u8>,
    product: &ProductArgs,
) -> Subject {
    Subject {
        indication: indication.as_deref().unwrap_or_default().trim().to_string(),
        as_of,
        patient,
        injections_per_week,
        product: product.to_choice(),
    }
}

impl StartArgs {
    /// The domain request for a decision date.
    pub(crate) fn to_request(&self, as_of: NaiveDate) -> StartRequest {
        let StartArgs {
            indication,
            patient,
            switching_from_daily,
            signs_resolved,
            injections_per_week,
            mg_per_kg_week,
            mg_per_kg_day,
            product,
            supply_days,
            record: _,
            input: _,
            fhir: _,
            as_of: _,
            output: _,
            brief: _,
            tables: _,
        } = self;
        let mut p = patient.to_input();
        p.switching_from_daily = *switching_from_daily;
        let chosen = match (mg_per_kg_week, mg_per_kg_day) {
            (Some(w), _) => Some(Chosen::per_week(*w)),
            (None, Some(d)) => Some(Chosen::per_day(*d)),
            (None, None) => None,
        };
        StartRequest {
            subject: subject(indication, as_of, p, *injections_per_week, product),
            chosen,
            supply_days: *supply_days,
            signs_resolved: *signs_resolved,
            restart: None,
        }
    }
}

impl Igf1Args {
    /// IGF-1 as given: an SDS, or a concentration with its reference (the
    /// LMS file already read, when one was named).
    fn to_input(&self, lms: Option<Arc<LmsReference>>) -> Result<Option<Igf1Input>, Error> {
        let Igf1Args {
            igf1_sds,
            igf1,
            igf1_unit,
            igf1_ref_low,
            igf1_ref_high,
            igf1_ref_kind,
            igf1_ref_lambda,
            igf1_reference,
            igf1_date: _,
        } = self;
        if igf1_ref_lambda.is_some() && igf1_ref_low.is_none() {
            return Err(Error::new(
                Field::Igf1RefLambda,
                msg![
                    Field::Igf1RefLambda,
                    " applies to ",
                    Field::Igf1RefLow,
                    "/",
                    Field::Igf1RefHigh
                ],
            ));
        }
        match (igf1_sds, igf1) {
            (Some(s), _) => Ok(Some(Igf1Input::Sds(*s))),
            (None, Some(value)) => {
                let reference = match (lms, igf1_ref_low, igf1_ref_high) {
                    (Some(r), _, _) => Igf1Reference::Lms(r),
                    (None, Some(low), Some(high)) => Igf1Reference::Lab {
                        low: *low,
                        high: *high,
                        kind: *igf1_ref_kind,
                        lambda: *igf1_ref_lambda,
                    },
                    _ => {
                        return Err(Error::new(
                            Field::Igf1,
                            msg![
                                Field::Igf1,
                                " needs a reference: ",
                                Field::Igf1RefLow,
                                " and ",
                                Field::Igf1RefHigh,
                                ", or ",
                                Field::Igf1Reference,
                                " FILE"
                            ],
                        ));
                    }
                };
                Ok(Some(Igf1Input::Concentration {
                    value: *value,
                    unit: *igf1_unit,
                    reference,
                }))
            }
            (None, None) => {
                if igf1_ref_low.is_some() || igf1_reference.is_some() {
                    return Err(Error::new(
                        Field::Igf1,
                        msg![
                            Field::Igf1RefLow,
                            "/",
                            Field::Igf1RefHigh,
                            "/",
                            Field::Igf1RefLambda,
                            "/",
                            Field::Igf1Reference,
                            " need ",
                            Field::Igf1,
                            " (the concentration)"
                        ],
                    ));
                }
                Ok(None)
            }
        }
    }
}

impl TitrateArgs {
    /// The domain request for a decision date; `lms` is the parsed
    /// `--igf1-reference` file.
    pub(crate) fn to_request(
        &self,
        as_of: NaiveDate,
        lms: Option<Arc<LmsReference>>,
    ) -> Result<TitrateRequest, Error> {
        let TitrateArgs {
            indication,
            patient,
            injections_per_week,
            current_mg_per_day,
            current_mg_per_week,
            prescribed_mg_per_kg_week,
            previous_weight_kg,
            previous_weight_date,
            last_dose_change,
            last_injection,
            igf1,
            previous_height_cm,
            previous_height_date,
            pretreatment_hv_cm_per_year,
            bone_age_years,
            treatment_start,
            product,
            supply_days,
            record: _,
            input: _,
            fhir: _,
            as_of: _,
            output: _,
            brief: _,
            tables: _,
        } = self;
        let current = match (current_mg_per_day, current_mg_per_week) {
            (Some(d), _) => Some(CurrentDose::PerDay(*d)),
            (None, Some(w)) => Some(CurrentDose::PerWeek(*w)),
            (None, None) => None,
        };
        Ok(TitrateRequest {
            subject: subject(
                indication,
                as_of,
                patient.to_input(),
                *injections_per_week,
                product,
            ),
            current,
            prescribed_mg_per_kg_week: *prescribed_mg_per_kg_week,
            previous_weight_kg: *previous_weight_kg,
            previous_weight_date: *previous_weight_date,
            igf1: igf1.to_input(lms)?,
            igf1_date: igf1.igf1_date,
            last_dose_change: *last_dose_change,
            last_injection: *last_injection,
            previous_height_cm: previous_height_cm
                .map(|v| Measured::plain(v, Field::PreviousHeightCm)),
            previous_height_date: *previous_height_date,
            pretreatment_hv_cm_per_year: *pretreatment_hv_cm_per_year,
            bone_age_years: *bone_age_years,
            treatment_start: *treatment_start,
            supply_days: *supply_days,
            history: None,
        })
    }
}

#[cfg(test)]
mod tests;
