//! `growth`: what the nurse measured, scored. The patient is validated as
//! for a dose (the same limits and units), then height, weight and BMI are
//! scored on the references that fit (Turner for Turner syndrome, CDC 2000
//! otherwise, or the user's file), with height velocity, the change in
//! height SDS and the mid-parental target height. Orchestration only: the
//! arithmetic is in [`crate::growth`].

use super::assembly::{indication, indication_ref, unusual_notes};
use super::error::{Error, Field, Result, msg};
use super::outcome::IndicationRef;
use super::patient::{Findings, PatientEcho, Velocity, VisitEcho};
use super::patient::{Patient, check_measured, validate};
use super::request::{Measured, PatientInput};
use super::trail::Notes;
use super::trail::{Flag, SourceRef};
use crate::growth::{
    self, Assessment, AssessmentSettings, GrowthError, GrowthInput, GrowthReference,
    HeightReference, Observation, Tanner, decimal_age,
};
use crate::rules::RuleSet;
use crate::units::{SCORE_DECIMALS, round_to};
use crate::vocab::FlagCode;
use chrono::NaiveDate;
use serde::Serialize;
use std::sync::Arc;

/// Which height reference to score on.
#[derive(Debug, Clone, Default)]
pub(crate) enum ReferenceChoice {
    /// Turner for `--indication turner`, CDC 2000 otherwise.
    #[default]
    Auto,
    Cdc,
    Turner,
    /// A reference file of the user's (its measurement decides what it scores).
    File(Arc<GrowthReference>),
}

/// A growth request.
#[derive(Debug, Clone)]
pub(crate) struct GrowthRequest {
    pub(crate) as_of: NaiveDate,
    pub(crate) patient: PatientInput,
    pub(crate) indication: Option<String>,
    pub(crate) reference: ReferenceChoice,
    pub(crate) previous_height_cm: Option<Measured>,
    pub(crate) previous_height_date: Option<NaiveDate>,
    pub(crate) father_height_cm: Option<f64>,
    pub(crate) mother_height_cm: Option<f64>,
}

impl GrowthRequest {
    /// A request with nothing measured yet.
    #[cfg(test)]
    pub(crate) fn new(as_of: NaiveDate) -> GrowthRequest {
        GrowthRequest {
            as_of,
            patient: PatientInput::default(),
            indication: None,
            reference: ReferenceChoice::Auto,
            previous_height_cm: None,
            previous_height_date: None,
            father_height_cm: None,
            mother_height_cm: None,
        }
    }
}

/// A measurement scored (`value` in the unit its name says).
#[derive(Debug, Clone, PartialEq, Serialize, schemars::JsonSchema)]
pub(crate) struct HeightScore {
    pub(crate) value_cm: f64,
    pub(crate) sds: f64,
    /// 0-100, 4 decimals (the human table shows 1).
    pub(crate) centile: f64,
    /// The reference's id.
    pub(crate) reference: String,
}

/// A weight scored.
#[derive(Debug, Clone, PartialEq, Serialize, schemars::JsonSchema)]
pub(crate) struct WeightScore {
    pub(crate) value_kg: f64,
    pub(crate) sds: f64,
    pub(crate) centile: f64,
    pub(crate) reference: String,
}

/// A BMI scored.
#[derive(Debug, Clone, PartialEq, Serialize, schemars::JsonSchema)]
pub(crate) struct BmiScore {
    pub(crate) value_kg_m2: f64,
    pub(crate) sds: f64,
    pub(crate) centile: f64,
    pub(crate) reference: String,
    /// Computed from weight and height (else given).
    pub(crate) computed: bool,
    /// Whether the CDC 2022 extended method was used above the 95th
    /// centile: always false (not implemented; `note` says so).
    pub(crate) extended: bool,
    pub(crate) note: Option<String>,
}

/// Height velocity between the previous height and today's.
#[derive(Debug, Clone, PartialEq, Serialize, schemars::JsonSchema)]
pub(crate) struct HeightVelocity {
    pub(crate) cm_per_year: f64,
    pub(crate) interval_years: f64,
}

/// The change in height SDS over the same interval.
#[derive(Debug, Clone, PartialEq, Serialize, schemars::JsonSchema)]
pub(crate) struct DeltaHeightSds {
    pub(crate) total: f64,
    pub(crate) per_year: f64,
    pub(crate) interval_years: f64,
}

/// An inclusive range in cm.
#[derive(Debug, Clone, PartialEq, Serialize, schemars::JsonSchema)]
pub(crate) struct RangeCm {
    pub(crate) min: f64,
    pub(crate) max: f64,
}

/// Mid-parental target height.
#[derive(Debug, Clone, PartialEq, Serialize, schemars::JsonSchema)]
pub(crate) struct TargetHeight {
    pub(crate) cm: f64,
    pub(crate) sds: f64,
    pub(crate) range_cm: RangeCm,
    /// The source id of the method.
    pub(crate) source: String,
}

/// Everything measured, scored.
#[derive(Debug, Clone, PartialEq, Serialize, schemars::JsonSchema, Default)]
pub(crate) struct Growth {
    pub(crate) height: Option<HeightScore>,
    /// The CDC 2000 score alongside a Turner one.
    pub(crate) height_cdc: Option<HeightScore>,
    pub(crate) weight: Option<WeightScore>,
    pub(crate) bmi: Option<BmiScore>,
    pub(crate) height_velocity: Option<HeightVelocity>,
    pub(crate) delta_height_sds: Option<DeltaHeightSds>,
    pub(crate) target_height: Option<TargetHeight>,
}

/// A growth reference used, with its provenance.
#[derive(Debug, Clone, PartialEq, Serialize, schemars::JsonSchema)]
pub(crate) struct ReferenceRef {
    pub(crate) id: String,
    pub(crate) name: String,
    pub(crate) citation: String,
    pub(crate) licence: String,
}

/// The outcome of `growth`.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct GrowthOutcome {
    pub(crate) patient: PatientEcho,
    pub(crate) indication: Option<IndicationRef>,
    pub(crate) growth: Growth,
    pub(crate) references: Vec<ReferenceRef>,
    pub(crate) flags: Vec<Flag>,
    pub(crate) rationale: Vec<String>,
    pub(crate) sources: Vec<SourceRef>,
}

/// The rule set's growth numbers for the engine.
pub(crate) fn conventions(rules: &RuleSet) -> AssessmentSettings {
    let g = &rules.growth;
    AssessmentSettings {
        min_velocity_interval_years: rules.plausibility.min_velocity_interval_years,
        tanner: Tanner {
            sex_difference_cm: g.target_sex_difference_cm,
            range_cm: g.target_range_cm,
            adult_age_years: g.target_adult_age_years,
        },
        warn_sds: g.warn_sds,
        refuse_sds: g.refuse_sds,
    }
}

/// Scores what was measured. Errors are refused requests (exit code 2).
pub(crate) fn measure(req: &GrowthRequest, rules: &RuleSet) -> Result<GrowthOutcome> {
    let ind = req
        .indication
        .as_deref()
        .map(|id| indication(id, rules))
        .transpose()?;
    let patient = validate(&req.patient, req.as_of, rules)?;
    let Some(sex) = patient.sex else {
        return Err(Error::says(
            Field::Sex,
            "is required for growth (the references differ by sex)",
        ));
    };
    let Some(age) = patient.age_exact else {
        return Err(Error::new(
            Field::AgeYears,
            msg![
                Field::AgeYears,
                " or ",
                Field::BirthDate,
                " is required for growth"
            ],
        ));
    };
    let height_reference = match (&req.reference, ind.map(|i| i.id.as_str())) {
        (ReferenceChoice::File(r), _) => HeightReference::File(r),
        (ReferenceChoice::Turner, _) | (ReferenceChoice::Auto, Some("turner")) => {
            HeightReference::Turner
        }
        _ => HeightReference::Cdc,
    };
    let input = GrowthInput {
        sex,
        age_years: age,
        height_cm: patient.height_cm,
        weight_kg: patient.weight_kg,
        bmi: req.patient.bmi,
        height_reference,
        other_reference: match &req.reference {
            ReferenceChoice::File(r) => Some(r),
            _ => None,
        },
        previous_height: previous(req, &patient, age, rules)?,
        parents_cm: parents(req)?,
    };
    let mut notes = Notes::default();
    let a = growth::assess(&input, &conventions(rules)).map_err(|e| refused(req, e))?;
    notes.cite(&rules.growth.cited.sources);
    for line in &a.why {
        notes.why(line.clone());
    }
    let found = found(req, &patient, input.previous_height.as_ref(), &a.unusual);
    if !found.unusual.is_empty() {
        notes.raise(FlagCode::UnusualInput);
    }
    unusual_notes(&found, rules, &mut notes);
    let growth = report(&a, rules);
    let references = references(&a, &input);
    let (flags, rationale, sources) = notes.finish(rules);
    Ok(GrowthOutcome {
        patient: PatientEcho::of(&patient, &found),
        indication: ind.map(|i| indication_ref(i, None)),
        growth,
        references,
        flags,
        rationale,
        sources,
    })
}

/// What `growth` finds beside its scores, for the echo and the unusual
/// values: the previous height read, and the unusual values of the
/// validation and of the assessment.
fn found(
    req: &GrowthRequest,
    p: &Patient,
    previous: Option<&Observation>,
    unusual: &[String],
) -> Findings {
    Findings {
        velocity: Velocity {
            previous_height_cm: previous.map(|o| round_to(o.value, 1)),
            cm_per_year: None,
        },
        visit: VisitEcho {
            previous_height_date: previous.and(req.previous_height_date),
            ..VisitEcho::default()
        },
        unusual: p.unusual.iter().chain(unusual).cloned().collect(),
        ..Findings::default()
    }
}

/// The previous height at its age (from the birth date, or the age today
/// less the years since).
fn previous(
    req: &GrowthRequest,
    p: &Patient,
    age_now: f64,
    rules: &RuleSet,
) -> Result<Option<Observation>> {
    let (Some(m), Some(date)) = (&req.previous_height_cm, req.previous_height_date) else {
        if req.previous_height_cm.is_some() {
            return Err(Error::new(
                Field::PreviousHeightDate,
                msg![
                    Field::PreviousHeightDate,
                    " is required with ",
                    Field::PreviousHeightCm
                ],
            ));
        }
        return Ok(None);
    };
    if p.height_cm.is_none() {
        return Err(Error::new(
            Field::HeightCm,
            msg![
                Field::HeightCm,
                " is required with ",
                Field::PreviousHeightCm
            ],
        ));
    }
    if date >= req.as_of {
        return Err(Error::says(
            Field::PreviousHeightDate,
            format!("{date} must be before the as-of date {}", req.as_of),
        ));
    }
    let cm = check_measured(m, rules.limits.height_cm, "cm")?;
    let age = match p.birth_date {
        Some(b) => decimal_age(b, date)
            .map_err(|e| Error::says(Field::PreviousHeightDate, e.to_string()))?,
        None => age_now - (req.as_of - date).num_days() as f64 / growth::DAYS_PER_YEAR,
    };
    if age < 0.0 {
        return Err(Error::says(
            Field::PreviousHeightDate,
            format!("{date} is before the patient was born"),
        ));
    }
    Ok(Some(Observation {
        age_years: age,
        value: cm,
    }))
}

fn parents(req: &GrowthRequest) -> Result<Option<(f64, f64)>> {
    match (req.father_height_cm, req.mother_height_cm) {
        (Some(f), Some(m)) => Ok(Some((f, m))),
        (None, None) => Ok(None),
        (Some(_), None) => Err(Error::new(
            Field::MotherHeightCm,
            msg![
                Field::MotherHeightCm,
                " is required with ",
                Field::FatherHeightCm
            ],
        )),
        (None, Some(_)) => Err(Error::new(
            Field::FatherHeightCm,
            msg![
                Field::FatherHeightCm,
                " is required with ",
                Field::MotherHeightCm
            ],
        )),
    }
}

/// A refused measurement, named by the field it came from.
fn refused(req: &GrowthRequest, r: growth::Refused) -> Error {
    let field = match r.what {
        "height" => req
            .patient
            .height_cm
            .as_ref()
            .map_or(Field::HeightCm, |m| m.field),
        "weight" => req
            .patient
            .weight_kg
            .as_ref()
            .map_or(Field::WeightKg, |m| m.field),
        "bmi" => {
            if req.patient.bmi.is_some() {
                Field::Bmi
            } else {
                Field::WeightKg
            }
        }
        "previous_height" => Field::PreviousHeightCm,
        "parents" => Field::FatherHeightCm,
        _ => Field::Reference,
    };
    let why = match &r.error {
        GrowthError::NoRowsForSex { .. } | GrowthError::WrongMeasurement { .. } => {
            format!("cannot be scored: {}", r.error)
        }
        other => format!("refused: {other}"),
    };
    Error::says(field, why)
}

fn report(a: &Assessment, rules: &RuleSet) -> Growth {
    let height = |s: &growth::Scored| HeightScore {
        value_cm: round_to(s.value, 1),
        sds: round_to(s.sds, SCORE_DECIMALS),
        centile: round_to(s.centile, SCORE_DECIMALS),
        reference: s.reference.clone(),
    };
    Growth {
        height: a.height.as_ref().map(height),
        height_cdc: a.height_cdc.as_ref().map(height),
        weight: a.weight.as_ref().map(|s| WeightScore {
            value_kg: round_to(s.value, 2),
            sds: round_to(s.sds, SCORE_DECIMALS),
            centile: round_to(s.centile, SCORE_DECIMALS),
            reference: s.reference.clone(),
        }),
        bmi: a.bmi.as_ref().map(|b| BmiScore {
            value_kg_m2: round_to(b.scored.value, 2),
            sds: round_to(b.scored.sds, SCORE_DECIMALS),
            centile: round_to(b.scored.centile, SCORE_DECIMALS),
            reference: b.scored.reference.clone(),
            computed: b.computed,
            extended: b.score.extended,
            note: b.score.note.map(str::to_string),
        }),
        height_velocity: a.velocity.as_ref().map(|v| HeightVelocity {
            cm_per_year: round_to(v.cm_per_year, 2),
            interval_years: round_to(v.interval_years, 2),
        }),
        delta_height_sds: a.velocity.as_ref().map(|v| DeltaHeightSds {
            total: round_to(v.delta_sds.total, SCORE_DECIMALS),
            per_year: round_to(v.delta_sds.per_year, SCORE_DECIMALS),
            interval_years: round_to(v.interval_years, 2),
        }),
        target_height: a.target.map(|t| TargetHeight {
            cm: round_to(t.cm, 1),
            sds: round_to(t.sds, SCORE_DECIMALS),
            range_cm: RangeCm {
                min: round_to(t.low_cm, 1),
                max: round_to(t.high_cm, 1),
            },
            source: rules
                .growth
                .cited
                .sources
                .first()
                .cloned()
                .unwrap_or_default(),
        }),
    }
}

fn references(a: &Assessment, input: &GrowthInput) -> Vec<ReferenceRef> {
    a.references
        .iter()
        .filter_map(|id| {
            let r: &GrowthReference = match (input.height_reference, input.other_reference) {
                (HeightReference::File(f), _) if &f.info.id == id => f,
                (_, Some(f)) if &f.info.id == id => f,
                _ => id.parse::<growth::Builtin>().ok()?.reference().ok()?,
            };
            Some(ReferenceRef {
                id: r.info.id.clone(),
                name: r.info.name.clone(),
                citation: r.info.citation.clone(),
                licence: r.info.licence.clone(),
            })
        })
        .collect()
}
