//! Safety flags: which codes a patient and indication raise. Severities,
//! messages and sources come from the rule set.

use super::types::{Condition, FlagCode, Population, Severity, Symptom};
use super::{Flag, Patient};
use crate::rules::{Indication, RuleSet};

/// Flag codes in the order they were raised, without repeats.
#[derive(Debug, Default)]
pub struct Raised(Vec<FlagCode>);

impl Raised {
    pub fn raise(&mut self, code: FlagCode) {
        if !self.0.contains(&code) {
            self.0.push(code);
        }
    }

    pub fn raise_if(&mut self, cond: bool, code: FlagCode) {
        if cond {
            self.raise(code);
        }
    }

    /// Resolved flags, most severe first (raising order within a severity).
    pub fn resolve(&self, rules: &RuleSet) -> Vec<Flag> {
        let mut out: Vec<Flag> = self
            .0
            .iter()
            .filter_map(|code| {
                rules.flag(*code).map(|def| Flag {
                    code: *code,
                    severity: def.severity,
                    message: def.message.clone(),
                    source: def.source.clone(),
                    raw: rules.raw_flag(*code),
                })
            })
            .collect();
        out.sort_by_key(|f| f.severity);
        out
    }

    /// Whether any raised flag is a `block` in this rule set.
    pub fn blocks(&self, rules: &RuleSet) -> Vec<FlagCode> {
        self.0
            .iter()
            .copied()
            .filter(|c| {
                rules
                    .flag(*c)
                    .is_some_and(|d| d.severity == Severity::Block)
            })
            .collect()
    }
}

/// Whether the patient counts as obese: `--obesity`, or an adult BMI at or
/// above the rule set's threshold.
pub fn obese(p: &Patient, population: Population, rules: &RuleSet) -> bool {
    p.obesity
        || (population == Population::Adult
            && p.bmi_exact
                .is_some_and(|b| b >= rules.conventions.adult_obesity_bmi_at_least))
}

/// Whether the patient has diabetes or glucose intolerance.
pub fn diabetic(p: &Patient) -> bool {
    p.diabetes || p.has(Condition::GlucoseIntolerance)
}

/// Flags that apply before a first dose (section 6 of the rule set).
pub fn start_flags(p: &Patient, ind: &Indication, rules: &RuleSet, raised: &mut Raised) {
    raised.raise_if(ind.pws_checks, FlagCode::PwsScreening);
    safety_flags(p, ind, rules, raised);
    raised.raise(FlagCode::Fundoscopy);
}

/// Flags that apply at every decision: contraindications, warnings, monitoring.
pub fn safety_flags(p: &Patient, ind: &Indication, rules: &RuleSet, raised: &mut Raised) {
    raised.raise_if(!p.unusual.is_empty(), FlagCode::UnusualInput);
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
    raised.raise_if(
        p.reports(Symptom::Papilledema)
            || p.reports(Symptom::VisualChange)
            || p.reports(Symptom::Headache),
        FlagCode::IntracranialHypertension,
    );
    raised.raise_if(
        p.has(Condition::MalignancyHistory) || p.has(Condition::CranialIrradiation),
        FlagCode::MalignancyHistory,
    );
    raised.raise_if(
        ind.glucose_monitoring || diabetic(p) || obese(p, ind.population, rules),
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
    if let Some(age) = p.age_exact {
        let adult_age = rules.conventions.adult_age_years;
        raised.raise_if(
            (ind.population == Population::Adult && age < adult_age)
                || (pediatric && age >= adult_age),
            FlagCode::AgeIndicationMismatch,
        );
    }
}
