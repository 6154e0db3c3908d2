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
pub fn height_reference(ind: &Indication, sex: Sex, age: f64) -> Builtin {
    if ind.id == "turner" && sex == Sex::Female {
        Builtin::TurnerHeight
    } else {
        Builtin::cdc_stature(age)
    }
}

/// Scores a child's measurements and sets the height SDS the decision uses.
pub fn score(
    p: &mut Patient,
    input: &PatientInput,
    ind: &Indication,
    rules: &RuleSet,
    notes: &mut Notes,
) -> Result<()> {
    if p.height_sds.is_some() {
        p.height_sds_source = Some("given".into());
    }
    let Some(age) = p.age_exact else {
        return Ok(());
    };
    let Some(sex) = p.sex else {
        without_sex(p, ind, age, rules, notes);
        return Ok(());
    };
    if !referenced(p.sex, p.age_exact) {
        return Ok(());
    }
    let g = &rules.growth;
    let field = |m: &Option<crate::dosing::request::Measured>, default: Field| {
        m.as_ref().map_or(default, |m| m.field)
    };
    if let Some(kg) = p.weight_kg {
        judge(p, Builtin::cdc_weight(age), sex, age, kg, "weight", rules)
            .map_err(|e| e.at(field(&input.weight_kg, Field::WeightKg)))?;
    }
    let height_ref = height_reference(ind, sex, age);
    if let Some(cm) = p.height_cm
        && let Some(sds) = judge(p, height_ref, sex, age, cm, "height", rules)
            .map_err(|e| e.at(field(&input.height_cm, Field::HeightCm)))?
    {
        let id = height_ref.as_str();
        if let Some(typed) = input.height_sds
            && (typed - sds).abs() > g.height_sds_disagreement
        {
            notes.raise(FlagCode::HeightSdsMismatch);
            notes.cite(&g.cited.sources);
            notes.why(format!(
                "the height SDS given ({}) differs from the one computed from {cm} cm on {id} ({}) by more than {}: the computed one is used",
                round_to(typed, 2),
                round_to(sds, 2),
                g.height_sds_disagreement
            ));
        }
        // The reference is named in the line; the growth table is cited
        // only where its numbers decide something (above and below).
        notes.why(format!(
            "height {cm} cm at {} years: SDS {} (centile {}) on {id}",
            round_to(age, 2),
            round_to(sds, 2),
            round_to(centile(sds), 1)
        ));
        p.height_sds = Some(round_to(sds, SCORE_DECIMALS));
        p.height_sds_source = Some(id.to_string());
    }
    if let Some(bmi) = p.bmi_exact
        && let Some(sds) = judge(p, Builtin::CdcBmi, sex, age, bmi, "BMI", rules).map_err(|e| {
            e.at(if input.bmi.is_some() {
                Field::Bmi
            } else {
                Field::WeightKg
            })
        })?
    {
        p.bmi_sds = Some(round_to(sds, SCORE_DECIMALS));
        obesity(p, ind, sds, age, sex, rules, notes);
    }
    Ok(())
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
    p: &mut Patient,
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
        p.unusual.push(format!(
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
/// Prader-Willi syndrome is a label contraindication).
fn obesity(
    p: &mut Patient,
    ind: &Indication,
    sds: f64,
    age: f64,
    sex: Sex,
    rules: &RuleSet,
    notes: &mut Notes,
) {
    let g = &rules.growth;
    if ind.population != Population::Pediatric || sds < g.obesity_bmi_sds {
        return;
    }
    let Some(bmi) = p.bmi_exact else {
        return;
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
    obese(p, ind, percent, rules, notes);
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
fn obese(
    p: &mut Patient,
    ind: &Indication,
    percent: Option<f64>,
    rules: &RuleSet,
    notes: &mut Notes,
) {
    let g = &rules.growth;
    p.obesity = true;
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
/// and the sex named as needed when it is reached for one only.
fn without_sex(p: &mut Patient, ind: &Indication, age: f64, rules: &RuleSet, notes: &mut Notes) {
    let g = &rules.growth;
    let Some(bmi) = p.bmi_exact else {
        return;
    };
    if ind.population != Population::Pediatric {
        return;
    }
    let Ok(r) = Builtin::CdcBmi.reference() else {
        return;
    };
    let both = [Sex::Male, Sex::Female].map(|sex| {
        r.sds(sex, age, bmi)
            .ok()
            .map(|sds| (sds, percent_of_p95(bmi, sex, age, rules)))
    });
    let [Some((boy, boy_pct)), Some((girl, girl_pct))] = both else {
        return;
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
            obese(p, ind, percent, rules, notes);
        }
        (false, false) => {}
        (b, _) => {
            notes.cite(&g.cited.sources);
            notes.why(format!(
                "BMI {} kg/m2 at {} years is at or above the 95th centile for a {} but not for a {}: the sex is needed to judge obesity",
                round_to(bmi, 1),
                round_to(age, 2),
                if b { "boy" } else { "girl" },
                if b { "girl" } else { "boy" },
            ));
        }
    }
}
