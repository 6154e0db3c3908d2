//! The output of `gh-dose growth` (schema_version 1): what was measured,
//! scored on the references named, with their provenance.

use super::DecisionHeader;
use crate::dosing::{Flag, IndicationRef, PatientEcho, SourceRef};
use crate::dosing::{Growth, GrowthOutcome, ReferenceRef};
use crate::rules::RuleSet;
use crate::vocab::Sex;
use chrono::NaiveDate;
use serde::Serialize;

/// The patient as measured (after unit conversion; the original kept).
#[derive(Debug, Clone, Serialize, PartialEq, schemars::JsonSchema)]
pub(crate) struct GrowthPatient {
    pub(crate) sex: Option<Sex>,
    pub(crate) age_years: Option<f64>,
    pub(crate) birth_date: Option<NaiveDate>,
    pub(crate) height_cm: Option<f64>,
    pub(crate) height_input: Option<String>,
    pub(crate) weight_kg: Option<f64>,
    pub(crate) weight_input: Option<String>,
    pub(crate) previous_height_cm: Option<f64>,
    pub(crate) previous_height_date: Option<NaiveDate>,
}

impl GrowthPatient {
    fn of(p: &PatientEcho) -> GrowthPatient {
        GrowthPatient {
            sex: p.sex,
            age_years: p.age_years,
            birth_date: p.birth_date,
            height_cm: p.height_cm,
            height_input: p.height_input.clone(),
            weight_kg: p.weight_kg,
            weight_input: p.weight_input.clone(),
            previous_height_cm: p.previous_height_cm,
            previous_height_date: p.previous_height_date,
        }
    }
}

/// The `growth` document.
#[derive(Debug, Clone, Serialize, PartialEq, schemars::JsonSchema)]
#[schemars(transform = command_is_growth)]
pub(crate) struct GrowthDocument {
    #[serde(flatten)]
    pub(crate) head: DecisionHeader,
    pub(crate) patient: GrowthPatient,
    pub(crate) indication: Option<IndicationRef>,
    pub(crate) growth: Growth,
    /// The growth references used, with citation and licence.
    pub(crate) references: Vec<ReferenceRef>,
    pub(crate) flags: Vec<Flag>,
    pub(crate) rationale: Vec<String>,
    pub(crate) sources: Vec<SourceRef>,
}

/// The schema says what the shared header cannot: the command is always
/// `growth`.
fn command_is_growth(schema: &mut schemars::Schema) {
    if let Some(serde_json::Value::Object(command)) = schema.pointer_mut("/properties/command") {
        command.insert("description".into(), "Always `growth`.".into());
    }
}

impl GrowthDocument {
    pub(crate) fn new(as_of: NaiveDate, rules: &RuleSet, o: GrowthOutcome) -> GrowthDocument {
        GrowthDocument {
            head: DecisionHeader::new("growth", as_of, rules),
            patient: GrowthPatient::of(&o.patient),
            indication: o.indication,
            growth: o.growth,
            references: o.references,
            flags: o.flags,
            rationale: o.rationale,
            sources: o.sources,
        }
    }
}
