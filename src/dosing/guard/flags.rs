//! Safety flags: which codes a patient and indication raise, the same at
//! start and at every visit. Severities, messages and sources come from the
//! rule set; so do the symptom rules of an indication.

use crate::dosing::device::OnProduct;
use crate::dosing::outcome::Deliverable;
use crate::dosing::patient::{Findings, Patient, Stature};
use crate::dosing::trail::{Notes, Raised};
use crate::rules::{Indication, RuleSet};
use crate::units::years;
use crate::vocab::{Condition, FlagCode, Population, Symptom};

/// Whether the patient counts as obese: `--obesity`, a child's BMI SDS
/// found at or above the obesity threshold, or an adult BMI at or above the
/// rule set's threshold.
pub(crate) fn obese(p: &Patient, s: &Stature, population: Population, rules: &RuleSet) -> bool {
    p.obesity
        || s.obesity
        || (population == Population::Adult
            && p.bmi_exact
                .is_some_and(|b| b >= rules.conventions.adult_obesity_bmi_at_least))
}

/// Whether the patient has diabetes or glucose intolerance.
pub(crate) fn diabetic(p: &Patient) -> bool {
    p.diabetes || p.has(Condition::GlucoseIntolerance)
}

/// Flags that apply before a first dose (section 6 of the rule set).
pub(crate) fn start_flags(
    p: &Patient,
    f: &Findings,
    ind: &Indication,
    on: Option<&OnProduct>,
    rules: &RuleSet,
    notes: &mut Notes,
) {
    notes
        .raised
        .raise_if(ind.pws_checks, FlagCode::PwsScreening);
    safety_flags(p, f, ind, on, rules, notes);
    notes.raise(FlagCode::Fundoscopy);
}

/// Flags that apply at every decision: contraindications, warnings,
/// monitoring, and the indication's symptom rules.
pub(crate) fn safety_flags(
    p: &Patient,
    f: &Findings,
    ind: &Indication,
    on: Option<&OnProduct>,
    rules: &RuleSet,
    notes: &mut Notes,
) {
    let raised = &mut notes.raised;
    raised.raise_if(!f.unusual.is_empty(), FlagCode::UnusualInput);
    contraindications(p, ind, raised);
    warnings(p, f, ind, rules, raised);
    if let Some(age) = p.age_exact {
        age_mismatch(age, ind, rules, notes);
    }
    for rule in &ind.symptom_rules {
        if p.reports(rule.symptom) {
            notes.raise(rule.flag);
            notes.cite(&rule.cited.sources);
            notes.why(rule.note.clone());
        }
    }
    if let Some(o) = on {
        product_flags(o, p, notes);
    }
    outside_label(rules, notes);
}

/// The contraindications: conditions that stop treatment.
fn contraindications(p: &Patient, ind: &Indication, raised: &mut Raised) {
    let pediatric = ind.population == Population::Pediatric;
    raised.raise_if(
        p.has(Condition::ActiveMalignancy),
        FlagCode::ActiveMalignancy,
    );
    raised.raise_if(p.has(Condition::CriticalIllness), FlagCode::CriticalIllness);
    raised.raise_if(
        ind.pws_checks
            && (p.has(Condition::PwsSevereObesity)
                || p.has(Condition::PwsRespiratoryImpairment)
                || p.has(Condition::PwsSleepApnea)
                || p.has(Condition::PwsUpperAirwayObstruction)),
        FlagCode::PwsContraindication,
    );
    raised.raise_if(
        pediatric && p.has(Condition::ClosedEpiphyses),
        FlagCode::ClosedEpiphyses,
    );
    raised.raise_if(
        p.has(Condition::DiabeticRetinopathy),
        FlagCode::DiabeticRetinopathy,
    );
    raised.raise_if(
        p.has(Condition::Hypersensitivity),
        FlagCode::Hypersensitivity,
    );
    raised.raise_if(
        ind.renal_transplant_block && p.has(Condition::RenalTransplant),
        FlagCode::RenalTransplant,
    );
}

/// The warnings and monitoring the patient's symptoms and conditions call for.
fn warnings(p: &Patient, f: &Findings, ind: &Indication, rules: &RuleSet, raised: &mut Raised) {
    let pediatric = ind.population == Population::Pediatric;
    raised.raise_if(
        p.reports(Symptom::Papilledema)
            || p.reports(Symptom::VisualChange)
            || p.reports(Symptom::SevereHeadache),
        FlagCode::IntracranialHypertension,
    );
    raised.raise_if(p.reports(Symptom::Headache), FlagCode::Headache);
    raised.raise_if(
        p.has(Condition::MalignancyHistory) || p.has(Condition::CranialIrradiation),
        FlagCode::MalignancyHistory,
    );
    raised.raise_if(
        ind.glucose_monitoring || diabetic(p) || obese(p, &f.stature, ind.population, rules),
        FlagCode::GlucoseMonitoring,
    );
    raised.raise_if(
        p.has(Condition::Hypopituitarism)
            || p.has(Condition::GlucocorticoidReplacement)
            || p.has(Condition::ThyroidReplacement),
        FlagCode::AdrenalThyroid,
    );
    raised.raise_if(
        pediatric && p.reports(Symptom::Limp),
        FlagCode::ScfeEvaluation,
    );
    raised.raise_if(
        pediatric && p.has(Condition::Scoliosis),
        FlagCode::Scoliosis,
    );
}

/// AGE_INDICATION_MISMATCH: an age outside the indication's usual ages
/// (named in the rationale), else outside its population.
fn age_mismatch(age: f64, ind: &Indication, rules: &RuleSet, notes: &mut Notes) {
    let pediatric = ind.population == Population::Pediatric;
    let adult_age = rules.conventions.adult_age_years;
    match &ind.usual_ages {
        Some(u) => {
            if u.excludes(age) {
                notes.raised.raise(FlagCode::AgeIndicationMismatch);
                notes.cite(&u.cited.sources);
                notes.why(format!(
                    "{} is outside the usual ages of {}: {}",
                    years(crate::units::round_to(age, 1)),
                    ind.id,
                    u.says
                ));
            }
        }
        None => {
            let why = if pediatric {
                (age >= adult_age)
                    .then(|| format!("a pediatric indication at {} or over", years(adult_age)))
            } else {
                (age < adult_age).then(|| format!("an adult indication under {}", years(adult_age)))
            };
            if let Some(why) = why {
                notes.raised.raise(FlagCode::AgeIndicationMismatch);
                notes.why(format!(
                    "{} for {}: {why}",
                    years(crate::units::round_to(age, 1)),
                    ind.id
                ));
            }
        }
    }
}

/// RULES_OUTSIDE_LABEL when the tables in use go beyond the built-in
/// labelled limits, with the rows in the rationale (the first
/// [`OUTSIDE_LABEL_LINES`]; `gh-dose rules check` lists them all).
fn outside_label(rules: &RuleSet, notes: &mut Notes) {
    let rows: Vec<&String> = rules.outside_label().collect();
    if rows.is_empty() {
        return;
    }
    notes.raise(FlagCode::RulesOutsideLabel);
    for row in rows.iter().take(OUTSIDE_LABEL_LINES) {
        notes.why(format!("outside the built-in label limits: {row}"));
    }
    if rows.len() > OUTSIDE_LABEL_LINES {
        notes.why(format!(
            "outside the built-in label limits: {} more rows (gh-dose rules check lists them)",
            rows.len() - OUTSIDE_LABEL_LINES
        ));
    }
}

/// Rationale lines given to a protocol's departures from the labels in one
/// output (a report-length limit, not a clinical number).
const OUTSIDE_LABEL_LINES: usize = 20;

/// The product's own flags: conditions its label does not recommend it for,
/// and discontinuation in the region.
fn product_flags(o: &OnProduct, p: &Patient, notes: &mut Notes) {
    for (condition, flag) in &o.product.blocked_conditions {
        if p.has(*condition) {
            notes.raise(*flag);
            notes.cite(&o.product.cited.sources);
            notes.why(format!(
                "{}: {condition} (the label does not recommend it)",
                o.product.name
            ));
        }
    }
    let region = o.label.map(|l| l.region);
    if let Some((r, date)) = o.product.discontinued
        && region.is_none_or(|x| x == r)
    {
        notes.raise(FlagCode::ProductDiscontinued);
        notes.why(format!(
            "{} was discontinued in the {r} on {date}",
            o.product.name
        ));
    }
}

/// Flags of the presentation given: benzyl alcohol for the youngest.
pub(crate) fn device_flags(
    on: Option<&OnProduct>,
    d: Option<&Deliverable>,
    p: &Patient,
    rules: &RuleSet,
    notes: &mut Notes,
) {
    let (Some(o), Some(d)) = (on, d) else {
        return;
    };
    let Some(device) = o.product.device(&d.device) else {
        return;
    };
    let below = rules.conventions.benzyl_alcohol_below_years;
    if device.benzyl_alcohol && p.age_exact.is_some_and(|a| a < below) {
        notes.raise(FlagCode::BenzylAlcohol);
        notes.cite(&device.cited.sources);
        notes.why(format!(
            "{} contains benzyl alcohol and the patient is under {}",
            device.name,
            years(below)
        ));
    }
}
