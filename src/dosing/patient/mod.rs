//! Patient inputs checked against the rule set's limits: the validated
//! [`Patient`], never changed afterwards.
//!
//! The folder holds what is known about the patient, no decision: the dates
//! ([`dates`]), the stature and BMI scores ([`stature`]), height velocity
//! ([`growth`]), the IGF-1 reading ([`igf1`]), the course checks ([`course`],
//! [`trajectory`], the slips they name in [`slip`]) and whether the inputs
//! belong to the indication's population ([`applies`]). Each stage returns
//! what it computed as a small typed value; the orchestration gathers them
//! into the [`Findings`], and the output echo
//! ([`PatientEcho`]) is built once from the patient and its findings.

mod applies;
mod course;
mod dates;
mod echo;
mod findings;
mod growth;
mod igf1;
mod slip;
mod stature;
mod trajectory;

// What the other stages of `dosing` read. A function that was called through
// its file's name keeps that name in front (`course::start` is `course_start`).
pub(super) use applies::{check as applies_check, named as applies_named};
pub(super) use course::{start as course_start, titrate as course_titrate};
pub(super) use dates::{
    NextReview, check as dates_check, next_window as dates_next_window, plus as dates_plus,
    review as dates_review,
};
pub(crate) use dates::{YEARS as DATE_YEARS, in_years};
pub(crate) use echo::PatientEcho;
pub(super) use findings::{Findings, PreviousWeight, VisitEcho};
pub(super) use growth::{Velocity, assess as growth_assess};
pub(crate) use igf1::min_days_after_change;
pub(super) use igf1::{Igf1, fmt_sds, sds as igf1_sds, timing as igf1_timing};
pub(crate) use stature::height_reference;
pub(super) use stature::{Stature, score as stature_score};

use super::error::{Error, Field, Result, msg};
use super::request::{AgeInput, Measured, PatientInput, TitrateRequest};
use crate::growth::Builtin;
use crate::rules::{Bounds, RuleSet};
use crate::units::{Grams, round_to};
use crate::vocab::{Condition, Confirm, Sex, Symptom};
use chrono::NaiveDate;
use dates::check_years;

/// The validated patient: what was given, checked against the rule set's
/// limits, and never changed after [`validate`]. What the stages compute
/// from it is returned as [`Findings`]; the output echoes both
/// ([`PatientEcho`]).
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Patient {
    pub(crate) weight_kg: Option<f64>,
    pub(crate) weight_input: Option<String>,
    pub(crate) height_cm: Option<f64>,
    pub(crate) height_input: Option<String>,
    pub(crate) age_years: Option<f64>,
    pub(crate) birth_date: Option<NaiveDate>,
    pub(crate) sex: Option<Sex>,
    /// The height SDS as given (rounded); the decision uses the one
    /// [`stature_score`] returns.
    pub(crate) height_sds: Option<f64>,
    pub(crate) pubertal: bool,
    pub(crate) bmi: Option<f64>,
    pub(crate) bmi_source: Option<BmiSource>,
    /// Body surface area (Mosteller), when weight and height are known.
    pub(crate) bsa_m2: Option<f64>,
    pub(crate) oral_estrogen: bool,
    pub(crate) diabetes: bool,
    /// Obesity as given (`--obesity`); obesity found by BMI SDS is in the
    /// findings.
    pub(crate) obesity: bool,
    pub(crate) switching_from_daily: bool,
    pub(crate) conditions: Vec<Condition>,
    pub(crate) symptoms: Vec<Symptom>,
    /// Measurements confirmed as real with `--confirm`.
    pub(crate) confirmed: Vec<Confirm>,
    /// Weight in grams for dose arithmetic.
    pub(crate) weight: Option<Grams>,
    /// Unrounded decimal age for comparisons.
    pub(crate) age_exact: Option<f64>,
    /// Unrounded BMI for comparisons.
    pub(crate) bmi_exact: Option<f64>,
    /// Unusual but possible values found by validation (the coarse age
    /// bands), one sentence each.
    pub(crate) unusual: Vec<String>,
}

/// Where a BMI comes from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum BmiSource {
    /// Given with `--bmi`.
    Reported,
    /// Computed from the weight and the height.
    Computed,
}

impl BmiSource {
    /// The name the output echoes.
    pub(crate) fn as_str(self) -> &'static str {
        match self {
            BmiSource::Reported => "reported",
            BmiSource::Computed => "computed",
        }
    }
}

impl Patient {
    /// Whether a measurement was confirmed as real.
    pub(crate) fn confirms(&self, c: Confirm) -> bool {
        self.confirmed.contains(&c)
    }

    /// Whether a condition was given.
    pub(crate) fn has(&self, c: Condition) -> bool {
        self.conditions.contains(&c)
    }

    /// Whether a symptom was given.
    pub(crate) fn reports(&self, s: Symptom) -> bool {
        self.symptoms.contains(&s)
    }
}

/// The numbers of a visit that are not the patient's own (those are checked
/// by [`validate`]), each against its limit whenever it is given, whatever
/// the indication uses: a previous weight or height, the pre-treatment
/// height velocity, a prescribed intensity.
pub(crate) fn check_visit(req: &TitrateRequest, rules: &RuleSet) -> Result<()> {
    let l = &rules.limits;
    // A date of no weight: refused on every route, as the command line
    // refuses the flag alone.
    if req.previous_weight_date.is_some() && req.previous_weight_kg.is_none() {
        return Err(Error::new(
            Field::PreviousWeightDate,
            msg![
                Field::PreviousWeightKg,
                " is required with ",
                Field::PreviousWeightDate,
                " (the date is the previous weight's)"
            ],
        ));
    }
    if let Some(w) = req.previous_weight_kg {
        check(Field::PreviousWeightKg, w, l.weight_kg, "kg")?;
    }
    if let Some(h) = &req.previous_height_cm {
        check_measured(h, l.height_cm, "cm")?;
    }
    if let Some(v) = req.bone_age_years {
        let b = crate::bands::BONE_AGE_YEARS;
        check(
            Field::BoneAgeYears,
            v,
            Bounds {
                min: b.lo,
                max: b.hi,
            },
            b.unit,
        )?;
    }
    if let Some(v) = req.pretreatment_hv_cm_per_year {
        check(
            Field::PretreatmentHvCmPerYear,
            v,
            l.height_velocity_cm_per_year,
            "cm/year",
        )?;
    }
    if let Some(x) = req.prescribed_mg_per_kg_week {
        check(
            Field::PrescribedMgPerKgWeek,
            x,
            l.current_child_mg_per_kg_week,
            "mg/kg/week",
        )?;
    }
    Ok(())
}

/// Checks a plain number against a limit; non-finite values are refused.
/// An adult's weight and height whose BMI no body has (the limits' band)
/// are a slip, refused with the likely one named (a tenfold weight or a
/// height in the wrong unit), unless the weight is confirmed as real. A
/// child's weight is read against the age's references instead.
fn adult_body(
    bmi: f64,
    w: f64,
    h: f64,
    age: Option<f64>,
    input: &PatientInput,
    rules: &RuleSet,
) -> Result<()> {
    let b = rules.limits.bmi;
    let adult = age.is_some_and(|a| a >= rules.conventions.adult_age_years);
    if !adult || b.contains(bmi) || input.confirm.contains(&Confirm::Weight) {
        return Ok(());
    }
    let at = |kg: f64| kg / (h / 100.0).powi(2);
    let hint = [w * 10.0, w / 10.0]
        .into_iter()
        .find(|kg| b.contains(at(*kg)))
        .map_or_else(
            || "check the weight and the height".to_string(),
            |kg| format!("likely slip: tenfold ({} kg)?", fmt_num(round_to(kg, 1))),
        );
    Err(Error::new(
        Field::WeightKg,
        msg![
            Field::WeightKg,
            format!(
                " {} kg with a height of {} cm is a BMI of {}, outside the plausible {}-{} kg/m2 for an adult; {hint}; if it is real, add ",
                fmt_num(w),
                fmt_num(h),
                fmt_num(round_to(bmi, 1)),
                b.min,
                b.max
            ),
            Field::Confirm,
            " weight"
        ],
    ))
}

pub(crate) fn check(field: Field, x: f64, b: Bounds, unit: &str) -> Result<f64> {
    if !x.is_finite() {
        let unit = if unit.is_empty() {
            String::new()
        } else {
            format!(" {unit}")
        };
        return Err(Error::says(
            field,
            format!(
                "must be a finite number between {} and {}{unit} (got {x})",
                b.min, b.max
            ),
        ));
    }
    if !b.contains(x) {
        return Err(Error::out_of_range(field, &fmt_num(x), b.min, b.max, unit));
    }
    Ok(x)
}

/// Checks a measurement; a converted one names its original in the error.
pub(crate) fn check_measured(m: &Measured, b: Bounds, unit: &str) -> Result<f64> {
    if !m.value.is_finite() {
        return Err(Error::says(
            m.field,
            format!(
                "must be a finite number between {} and {} {unit} (got {})",
                b.min,
                b.max,
                m.original.clone().unwrap_or_else(|| fmt_num(m.value))
            ),
        ));
    }
    if b.contains(m.value) {
        return Ok(m.value);
    }
    let got = match &m.original {
        Some(orig) => {
            // Rounded for reading; a huge value as it is (rounding would overflow).
            let v = if m.value.abs() < 1e12 {
                round_to(m.value, 2)
            } else {
                m.value
            };
            format!("{orig} = {} {unit}", fmt_num(v))
        }
        None => fmt_num(m.value),
    };
    Err(Error::out_of_range(m.field, &got, b.min, b.max, unit))
}

/// Shortest plain rendering of a number; very large or very small ones in
/// exponent form (`1e308`), so that a mistyped value stays one short line.
pub(crate) fn fmt_num(x: f64) -> String {
    let a = x.abs();
    if a.is_finite() && (a >= 1e15 || (a > 0.0 && a < 1e-6)) {
        format!("{x:e}")
    } else {
        format!("{x}")
    }
}

/// Decimal age in years between two dates.
pub(crate) fn decimal_age(birth: NaiveDate, as_of: NaiveDate, days_per_year: f64) -> f64 {
    (as_of - birth).num_days() as f64 / days_per_year
}

fn age(input: Option<AgeInput>, as_of: NaiveDate, rules: &RuleSet) -> Result<Option<f64>> {
    let limits = &rules.limits;
    match input {
        None => Ok(None),
        Some(AgeInput::Years(y)) => Ok(Some(check(Field::AgeYears, y, limits.age_years, "years")?)),
        Some(AgeInput::BirthDate(b)) => {
            check_years(Field::BirthDate, b)?;
            if b > as_of {
                return Err(Error::says(
                    Field::BirthDate,
                    format!(
                        "{b} is after the as-of date {as_of} (the birth date must be on or before the as-of date)"
                    ),
                ));
            }
            let age = decimal_age(b, as_of, rules.conventions.days_per_year);
            if !limits.age_years.contains(age) {
                return Err(Error::says(
                    Field::BirthDate,
                    format!(
                        "{b} gives an age of {} years on {as_of}; ages must be between {} and {} years",
                        fmt_num(round_to(age, 2)),
                        limits.age_years.min,
                        limits.age_years.max
                    ),
                ));
            }
            Ok(Some(age))
        }
    }
}

/// Validates the inputs against the rule set's limits (and the decision
/// date against the years dates may take).
pub(crate) fn validate(input: &PatientInput, as_of: NaiveDate, rules: &RuleSet) -> Result<Patient> {
    check_years(Field::AsOf, as_of)?;
    let limits = &rules.limits;
    let weight_kg = match &input.weight_kg {
        Some(m) => Some(check_measured(m, limits.weight_kg, "kg")?),
        None => None,
    };
    let height_cm = match &input.height_cm {
        Some(m) => Some(check_measured(m, limits.height_cm, "cm")?),
        None => None,
    };
    let age_exact = age(input.age, as_of, rules)?;
    let birth_date = match input.age {
        Some(AgeInput::BirthDate(b)) => Some(b),
        _ => None,
    };
    let height_sds = match input.height_sds {
        Some(s) => Some(check(Field::HeightSds, s, limits.height_sds, "")?),
        None => None,
    };
    let (bmi_exact, bmi_source) = match (input.bmi, weight_kg, height_cm) {
        (Some(b), _, _) => (
            Some(check(Field::Bmi, b, limits.bmi, "kg/m2")?),
            Some(BmiSource::Reported),
        ),
        (None, Some(w), Some(h)) => (Some(w / (h / 100.0).powi(2)), Some(BmiSource::Computed)),
        _ => (None, None),
    };
    if let (Some(b), Some(w), Some(h), Some(BmiSource::Computed)) =
        (bmi_exact, weight_kg, height_cm, bmi_source)
    {
        adult_body(b, w, h, age_exact, input, rules)?;
    }
    let bsa = match (weight_kg, height_cm) {
        (Some(w), Some(h)) => Some(round_to((h * w / 3600.0).sqrt(), 2)),
        _ => None,
    };
    let weight = weight_kg.map(Grams::from_kg);
    let mut conditions = input.conditions.clone();
    conditions.sort();
    conditions.dedup();
    let mut symptoms = input.symptoms.clone();
    symptoms.sort();
    symptoms.dedup();
    let mut confirmed = input.confirm.clone();
    confirmed.sort();
    confirmed.dedup();
    Ok(Patient {
        weight_kg: weight.map(Grams::kg),
        weight_input: input.weight_kg.as_ref().and_then(|m| m.original.clone()),
        height_cm: height_cm.map(|h| round_to(h, 1)),
        height_input: input.height_cm.as_ref().and_then(|m| m.original.clone()),
        age_years: age_exact.map(|a| round_to(a, 2)),
        birth_date,
        sex: input.sex,
        height_sds: height_sds.map(|s| round_to(s, 2)),
        pubertal: input.pubertal,
        bmi: bmi_exact.map(|b| round_to(b, 1)),
        bmi_source,
        bsa_m2: bsa,
        oral_estrogen: input.oral_estrogen,
        diabetes: input.diabetes,
        obesity: input.obesity,
        switching_from_daily: input.switching_from_daily,
        conditions,
        symptoms,
        confirmed,
        weight,
        age_exact,
        bmi_exact,
        unusual: if referenced(input.sex, age_exact) {
            // Judged by their SDS on the growth references instead.
            Vec::new()
        } else {
            unusual(weight_kg, height_cm, age_exact, rules)
        },
    })
}

/// Advisory checks against the rule set's plausibility bands.
fn unusual(
    weight: Option<f64>,
    height: Option<f64>,
    age: Option<f64>,
    rules: &RuleSet,
) -> Vec<String> {
    let mut out = Vec::new();
    let Some(age) = age else {
        return out;
    };
    let p = &rules.plausibility;
    if let (Some(w), Some(b)) = (weight, p.weight_at(age))
        && !b.contains(w)
    {
        out.push(format!(
            "weight {} kg is unusual at {} years (usual {}-{} kg)",
            round_to(w, 2),
            round_to(age, 1),
            b.min,
            b.max
        ));
    }
    if let (Some(h), Some(b)) = (height, p.height_at(age))
        && !b.contains(h)
    {
        out.push(format!(
            "height {} cm is unusual at {} years (usual {}-{} cm)",
            round_to(h, 1),
            round_to(age, 1),
            b.min,
            b.max
        ));
    }
    out
}

/// Whether the built-in references can judge this patient's weight and
/// height (then the coarse age bands are not used): a sex, and an age the
/// CDC 2000 weight and stature tables both cover.
pub(crate) fn referenced(sex: Option<Sex>, age: Option<f64>) -> bool {
    let (Some(sex), Some(age)) = (sex, age) else {
        return false;
    };
    [Builtin::cdc_weight(age), Builtin::cdc_stature(age)]
        .iter()
        .all(|b| {
            b.reference()
                .ok()
                .and_then(|r| r.age_range(sex))
                .is_some_and(|(lo, hi)| (lo..=hi).contains(&age))
        })
}

#[cfg(test)]
mod tests;
