//! Renderers: the JSON contract (schema_version 1) and the human table, both
//! from typed outcomes and listings. No clinical logic lives here.
//!
//! JSON numbers are in the unit their field name says: mg and mg/kg to at
//! most 3 decimals, SDS to 2. Fields that do not apply are `null`, never absent.

pub mod growth;
pub mod human;
pub mod json;
mod listing;
pub mod record;

pub use listing::{IndicationsDocument, ProductsDocument, RulesCheckDocument};

use crate::dosing::{Flag, IndicationRef, Outcome, Patient, ProductRef, Recommendation, SourceRef};
use crate::rules::RuleSet;
use chrono::NaiveDate;
use serde::Serialize;

/// The JSON schema version of every output document.
pub const SCHEMA_VERSION: u32 = 1;

/// The running gh-dose version.
pub const VERSION: &str = env!("CARGO_PKG_VERSION");

/// Which rules produced an output.
#[derive(Debug, Clone, Serialize, PartialEq, schemars::JsonSchema)]
pub struct RulesInfo {
    pub source: String,
    pub version: String,
    pub sha256: String,
    /// The product table in use.
    pub products: Option<TableInfo>,
}

/// One table's provenance.
#[derive(Debug, Clone, Serialize, PartialEq, schemars::JsonSchema)]
pub struct TableInfo {
    pub source: String,
    pub version: String,
    pub sha256: String,
}

impl RulesInfo {
    pub fn of(rules: &RuleSet) -> RulesInfo {
        RulesInfo {
            source: rules.origin.source.clone(),
            version: rules.origin.version.clone(),
            sha256: rules.origin.sha256.clone(),
            products: rules.products.as_ref().map(|p| TableInfo {
                source: p.origin.source.clone(),
                version: p.origin.version.clone(),
                sha256: p.origin.sha256.clone(),
            }),
        }
    }
}

/// The output of `start` and `titrate` (schema_version 1).
#[derive(Debug, Clone, Serialize, PartialEq, schemars::JsonSchema)]
pub struct Document {
    pub schema_version: u32,
    pub gh_dose_version: &'static str,
    pub command: &'static str,
    pub as_of: NaiveDate,
    pub rules: RulesInfo,
    pub patient: Patient,
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
            schema_version: SCHEMA_VERSION,
            gh_dose_version: VERSION,
            command,
            as_of,
            rules: RulesInfo::of(rules),
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
