//! Renderers: the JSON contract (schema_version 1) and the human table, both
//! from typed outcomes and listings. No clinical logic lives here.
//!
//! JSON numbers are in the unit their field name says: mg and mg/kg to at
//! most 3 decimals, SDS and centiles to 4. Fields that do not apply are `null`, never absent.

mod growth;
mod header;
pub(crate) mod human;
mod json;
mod listing;
mod record;

pub(crate) use growth::GrowthDocument;
pub(crate) use header::{DecisionHeader, Header, RulesInfo, VERSION};
pub(crate) use json::{
    JsonCache, growth_schema, record_schema, schema, to_json, write_growth_line, write_line,
};
pub(crate) use listing::{IndicationsDocument, ProductsDocument, RulesCheckDocument};
pub(crate) use record::{RecordCheckDocument, RecordVoidDocument};

use crate::dosing::{
    Flag, IndicationRef, Outcome, PatientEcho, ProductRef, Recommendation, SourceRef,
};
use crate::rules::RuleSet;
use chrono::NaiveDate;
use serde::Serialize;

/// The output of `start` and `titrate` (schema_version 1).
#[derive(Debug, Clone, Serialize, PartialEq, schemars::JsonSchema)]
pub(crate) struct Document {
    #[serde(flatten)]
    pub(crate) head: DecisionHeader,
    pub(crate) patient: PatientEcho,
    pub(crate) indication: IndicationRef,
    pub(crate) product: Option<ProductRef>,
    pub(crate) recommendation: Recommendation,
    pub(crate) flags: Vec<Flag>,
    pub(crate) rationale: Vec<String>,
    pub(crate) sources: Vec<SourceRef>,
}

impl Document {
    pub(crate) fn new(
        command: &'static str,
        as_of: NaiveDate,
        rules: &RuleSet,
        outcome: Outcome,
    ) -> Document {
        Document {
            head: DecisionHeader::new(command, as_of, rules),
            patient: outcome.patient,
            indication: outcome.indication,
            product: outcome.product,
            recommendation: outcome.recommendation,
            flags: outcome.flags,
            rationale: outcome.rationale,
            sources: outcome.sources,
        }
    }
}
