//! Renderers: the JSON contract (schema_version 1) and the human table, both
//! from typed outcomes and listings. No clinical logic lives here.
//!
//! JSON numbers are in the unit their field name says: mg and mg/kg to at
//! most 3 decimals, SDS and centiles to 4. Fields that do not apply are `null`, never absent.

pub mod growth;
mod header;
pub mod human;
pub mod json;
mod listing;
pub mod record;

pub use header::{DecisionHeader, Header, RulesInfo, SCHEMA_VERSION, TableInfo, VERSION};
pub use listing::{IndicationsDocument, ProductsDocument, RulesCheckDocument};

use crate::dosing::{
    Flag, IndicationRef, Outcome, PatientEcho, ProductRef, Recommendation, SourceRef,
};
use crate::rules::RuleSet;
use chrono::NaiveDate;
use serde::Serialize;

/// The output of `start` and `titrate` (schema_version 1).
#[derive(Debug, Clone, Serialize, PartialEq, schemars::JsonSchema)]
pub struct Document {
    #[serde(flatten)]
    pub head: DecisionHeader,
    pub patient: PatientEcho,
    pub indication: IndicationRef,
    pub product: Option<ProductRef>,
    pub recommendation: Recommendation,
    pub flags: Vec<Flag>,
    pub rationale: Vec<String>,
    pub sources: Vec<SourceRef>,
}

impl Document {
    pub fn new(
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
