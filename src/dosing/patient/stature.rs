//! Growth references in a dosing decision: the height SDS computed from the
//! measurement (Turner for Turner syndrome, CDC 2000 otherwise) rather than
//! typed, a typed one that disagrees flagged; weight, height and BMI judged
//! by their SDS (unusual beyond +/-4, refused beyond +/-8); BMI SDS for
//! obesity in children (the Prader-Willi warning and, at severe obesity, its
//! contraindication; glucose monitoring), judged for both sexes when the sex
//! is not given.

use super::{Patient, referenced};
use crate::dosing::error::{Error, Field, Result};
use crate::dosing::request::PatientInput;
use crate::dosing::trail::Notes;
use crate::growth::{Builtin, GrowthReference, centile};
use crate::rules::{Indication, RuleSet};
use crate::units::{SCORE_DECIMALS, round_to};
use crate::vocab::{FlagCode, Population, Sex};

/// The built-in height reference for a patient at an age: Turner syndrome
/// (Lyon 1985) for a girl with Turner syndrome, CDC 2000 otherwise (length
/// under 2 years).
pub(crate) fn height_reference(ind: &Indication, sex: Sex, age: f64) -> Builtin {
    if ind.id == "turner" && sex == Sex::Female {
        Builtin::TurnerHeight
    } else {
        Builtin::cdc_stature(age)
    }
}

/// Where the height SDS a decision uses comes from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum HeightSdsSource {
    /// Typed with `--height-sds`.
    Given,
    /// Computed from the height on this built-in reference.
    Reference(Builtin),
}

impl HeightSdsSource {
    /// The name the output echoes: `given`, or the reference id.
    pub(crate) fn as_str(self) -> &'static str {
        match self {
            HeightSdsSource::Given => "given",
            HeightSdsSource::Reference(b) => b.as_str(),
        }
    }
}

/// The height SDS a decision uses (rounded to 2 decimals) and its source.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) struct HeightSds {
    pub(crate) sds: f64,
    pub(crate) source: HeightSdsSource,
}

/// What the growth references say of a patient's measurements.
#[derive(Debug, Clone, Default, PartialEq)]
pub(crate) struct Stature {
    /// Computed from the height when the references cover the patient,
    /// else as given; none without either.
    pub(crate) height_sds: Option<HeightSds>,
    /// BMI SDS on CDC 2000 BMI-for-age (rounded to 2 decimals).
    pub(crate) bmi_sds: Option<f64>,
    /// A child's obesity found by BMI SDS (for both sexes when the sex is
    /// not given); obesity as given is the patient's own.
    pub(crate) obesity: bool,
    /// Weight, height or BMI beyond the warning SDS, one sentence each.
    pub(crate) unusual: Vec<String>,
}

impl Stature {
    /// The height SDS the decision uses.
    pub(crate) fn height_sds(&self) -> Option<f64> {
        self.height_sds.map(|h| h.sds)
    }
}

/// Scores a child's measurements: the height SDS the decision uses, the
/// BMI SDS, obesity found and unusual values.
pub(crate) fn score(
    p: &Patient,
    input: &PatientInput,
    ind: &Indication,
    rules: &RuleSet,
    notes: &mut Notes,
) -> Result<Stature> {
    let mut out = Stature {
        height_sds: p.height_sds.map(|sds| HeightSds {
            sds,
            source: HeightSdsSource::Given,
        }),
        ..Stature::default()
    };
    let Some(age) = p.age_exact else {
        return Ok(out);
    };
    let Some(sex) = p.sex else {
        out.obesity = without_sex(p, ind, age, rules, notes);
        return Ok(out);
    };
    if !referenced(p.sex, p.age_exact) {
        return Ok(out);
    }
    let field = |m: &Option<crate::dosing::request::Measured>, default: Field| {
        m.as_ref().map_or(default, |m| m.field)
    };
    if let Some(kg) = p.weight_kg {
        judge(
            &mut out,
            Builtin::cdc_weight(age),
            sex,
            age,
            kg,
            "weight",
            rules,
        )
        .map_err(|e| e.at(field(&input.weight_kg, Field::WeightKg)))?;
    }
    let height_ref = height_reference(ind, sex, age);
    if let Some(cm) = p.height_cm
        && let Some(sds) = judge(&mut out, height_ref, sex, age, cm, "height", rules)
            .map_err(|e| e.at(field(&input.height_cm, Field::HeightCm)))?
    {
        let id = height_ref.as_str();
        if let Some(typed) = input.height_sds {
            height_sds_mismatch(typed, (cm, sds), id, rules, notes);
        }
        // The reference is named in the line; the growth table is cited
        // only where its numbers decide something (above and below).
        notes.why(format!(
            "height {cm} cm at {} years: SDS {} (centile {}) on {id}",
            round_to(age, 2),
            round_to(sds, 2),
            round_to(centile(sds), 1)
        ));
        out.height_sds = Some(HeightSds {
            sds: round_to(sds, SCORE_DECIMALS),
            source: HeightSdsSource::Reference(height_ref),
        });
    }
    if let Some(bmi) = p.bmi_exact
        && let Some(sds) =
            judge(&mut out, Builtin::CdcBmi, sex, age, bmi, "BMI", rules).map_err(|e| {
                e.at(if input.bmi.is_some() {
                    Field::Bmi
                } else {
                    Field::WeightKg
                })
            })?
    {
        out.bmi_sds = Some(round_to(sds, SCORE_DECIMALS));
        out.obesity = obesity(p, ind, sds, age, sex, rules, notes);
    }
    Ok(out)
}

/// HEIGHT_SDS_MISMATCH: a height SDS given that differs from the one
/// computed from the height (`cm`, `sds`) by more than the rule set allows.
fn height_sds_mismatch(
    typed: f64,
    (cm, sds): (f64, f64),
    id: &str,
    rules: &RuleSet,
    notes: &mut Notes,
) {
    let g = &rules.growth;
    if (typed - sds).abs() > g.height_sds_disagreement {
        notes.raise(FlagCode::HeightSdsMismatch);
        notes.cite(&g.cited.sources);
        notes.why(format!(
            "the height SDS given ({}) differs from the one computed from {cm} cm on {id} ({}) by more than {}: the computed one is used",
            round_to(typed, 2),
            round_to(sds, 2),
            g.height_sds_disagreement
        ));
    }
}

/// A refusal before its field is known.
struct Refusal(String);

impl Refusal {
    fn at(self, field: Field) -> Error {
        Error::says(field, self.0)
    }
}

/// The SDS of a measurement on a built-in reference: `None` when the
/// reference does not cover the age; refused beyond the refusal SDS; noted
/// as unusual beyond the warning SDS.
fn judge(
    out: &mut Stature,
    b: Builtin,
    sex: Sex,
    age: f64,
    value: f64,
    what: &str,
    rules: &RuleSet,
) -> std::result::Result<Option<f64>, Refusal> {
    let Ok(r) = b.reference() else {
        return Ok(None);
    };
    let Ok(sds) = r.sds(sex, age, value) else {
        return Ok(None);
    };
    let g = &rules.growth;
    if sds.abs() > g.refuse_sds {
        return Err(Refusal(format!(
            "{} {} is a {what} of {} SDS at {} years on {}, beyond +/-{}: check the value and its unit",
            round_to(value, 2),
            r.info.measurement.unit(),
            round_to(sds, 1),
            round_to(age, 2),
            r.info.id,
            g.refuse_sds
        )));
    }
    if sds.abs() > g.warn_sds {
        out.unusual.push(format!(
            "{what} {} {} is {} SDS at {} years on {} (beyond +/-{})",
            round_to(value, 2),
            r.info.measurement.unit(),
            round_to(sds, 2),
            round_to(age, 2),
            r.info.id,
            g.warn_sds
        ));
    }
    Ok(Some(sds))
}

/// A child's BMI at or above the obesity centile: obese for the glucose
/// warning; in Prader-Willi syndrome PWS_OBESITY, and at or above the
/// severe-obesity threshold PWS_CONTRAINDICATION (a block: severe obesity in
/// Prader-Willi syndrome is a label contraindication). Whether obesity was
/// found.
fn obesity(
    p: &Patient,
    ind: &Indication,
    sds: f64,
    age: f64,
    sex: Sex,
    rules: &RuleSet,
    notes: &mut Notes,
) -> bool {
    let g = &rules.growth;
    if ind.population != Population::Pediatric || sds < g.obesity_bmi_sds {
        return false;
    }
    let Some(bmi) = p.bmi_exact else {
        return false;
    };
    let percent = percent_of_p95(bmi, sex, age, rules);
    notes.why(format!(
        "BMI {} kg/m2 is SDS {} (centile {}): obesity (at or above SDS {}){}",
        round_to(bmi, 1),
        round_to(sds, 2),
        round_to(centile(sds), 1),
        g.obesity_bmi_sds,
        percent
            .map(|x| format!(", {} % of the 95th centile", round_to(x, 0)))
            .unwrap_or_default()
    ));
    obese(ind, percent, rules, notes);
    true
}

/// The BMI as a percentage of the 95th centile for a sex and age.
fn percent_of_p95(bmi: f64, sex: Sex, age: f64, rules: &RuleSet) -> Option<f64> {
    Builtin::CdcBmi
        .reference()
        .ok()
        .and_then(|r: &GrowthReference| r.value_at_sds(sex, age, rules.growth.obesity_bmi_sds).ok())
        .filter(|v| *v > 0.0)
        .map(|v| 100.0 * bmi / v)
}

/// Obesity found (for the sex, or for both sexes when the sex is not
/// given): the glucose warning; in Prader-Willi syndrome PWS_OBESITY, and
/// PWS_CONTRAINDICATION (block) at or above the severe-obesity threshold.
fn obese(ind: &Indication, percent: Option<f64>, rules: &RuleSet, notes: &mut Notes) {
    let g = &rules.growth;
    notes.cite(&g.cited.sources);
    if ind.pws_checks {
        notes.raise(FlagCode::PwsObesity);
        if percent.is_some_and(|x| x >= g.severe_obesity_percent_of_p95) {
            notes.raise(FlagCode::PwsContraindication);
            notes.why(format!(
                "at or above {} % of the 95th centile: severe obesity by that definition; severe obesity in Prader-Willi syndrome is a contraindication (PWS_CONTRAINDICATION)",
                g.severe_obesity_percent_of_p95
            ));
        }
    }
}

/// A child's BMI when the sex is not given: scored against both sexes'
/// references; obesity (and severe obesity) when it is reached for both,
/// and the sex named as needed when it is reached for one only. Whether
/// obesity was found.
fn without_sex(
    p: &Patient,
    ind: &Indication,
    age: f64,
    rules: &RuleSet,
    notes: &mut Notes,
) -> bool {
    let g = &rules.growth;
    let Some(bmi) = p.bmi_exact else {
        return false;
    };
    if ind.population != Population::Pediatric {
        return false;
    }
    let Ok(r) = Builtin::CdcBmi.reference() else {
        return false;
    };
    let both = [Sex::Male, Sex::Female].map(|sex| {
        r.sds(sex, age, bmi)
            .ok()
            .map(|sds| (sds, percent_of_p95(bmi, sex, age, rules)))
    });
    let [Some((boy, boy_pct)), Some((girl, girl_pct))] = both else {
        return false;
    };
    let above = |s: f64| s >= g.obesity_bmi_sds;
    match (above(boy), above(girl)) {
        (true, true) => {
            let percent = boy_pct.zip(girl_pct).map(|(a, b)| a.min(b));
            notes.why(format!(
                "BMI {} kg/m2 at {} years, sex not given: SDS {} for a boy and {} for a girl, at or above SDS {} (the 95th centile) for both sexes: obesity{}",
                round_to(bmi, 1),
                round_to(age, 2),
                round_to(boy, 2),
                round_to(girl, 2),
                g.obesity_bmi_sds,
                percent
                    .map(|x| format!(", at least {} % of the 95th centile", round_to(x, 0)))
                    .unwrap_or_default()
            ));
            obese(ind, percent, rules, notes);
            true
        }
        (false, false) => false,
        (b, _) => {
            notes.cite(&g.cited.sources);
            notes.why(format!(
                "BMI {} kg/m2 at {} years is at or above the 95th centile for a {} but not for a {}: the sex is needed to judge obesity",
                round_to(bmi, 1),
                round_to(age, 2),
                if b { "boy" } else { "girl" },
                if b { "girl" } else { "boy" },
            ));
            false
        }
    }
}

#[cfg(test)]
mod tests;
