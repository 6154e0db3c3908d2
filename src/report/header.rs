//! What every output document opens with: the format's version, the gh-dose
//! that wrote it and the command ([`Header`]); a decision document adds its
//! date and the tables that decided ([`DecisionHeader`]). Flattened into each
//! document, so the fields stay first and in this order.

use crate::rules::RuleSet;
use chrono::NaiveDate;
use serde::Serialize;

/// The JSON schema version of every output document.
pub(crate) const SCHEMA_VERSION: u32 = 1;

/// The running gh-dose version.
pub(crate) const VERSION: &str = env!("CARGO_PKG_VERSION");

/// The opening fields of every output document.
#[derive(Debug, Clone, Serialize, PartialEq, schemars::JsonSchema)]
pub(crate) struct Header {
    pub(crate) schema_version: u32,
    pub(crate) gh_dose_version: &'static str,
    pub(crate) command: &'static str,
}

impl Header {
    /// The header of this version's output for a command.
    pub(crate) fn of(command: &'static str) -> Header {
        Header {
            schema_version: SCHEMA_VERSION,
            gh_dose_version: VERSION,
            command,
        }
    }
}

/// The opening fields of a decision document (`start`, `titrate`,
/// `growth`): the header, the decision date and the rules in use.
#[derive(Debug, Clone, Serialize, PartialEq, schemars::JsonSchema)]
pub(crate) struct DecisionHeader {
    #[serde(flatten)]
    pub(crate) header: Header,
    pub(crate) as_of: NaiveDate,
    pub(crate) rules: RulesInfo,
}

impl DecisionHeader {
    /// The opening of a document decided on `as_of` with `rules`.
    pub(crate) fn new(command: &'static str, as_of: NaiveDate, rules: &RuleSet) -> DecisionHeader {
        DecisionHeader {
            header: Header::of(command),
            as_of,
            rules: RulesInfo::of(rules),
        }
    }
}

/// Which rules produced an output.
#[derive(Debug, Clone, Serialize, PartialEq, schemars::JsonSchema)]
pub(crate) struct RulesInfo {
    pub(crate) source: String,
    pub(crate) version: String,
    pub(crate) sha256: String,
    /// The product table in use.
    pub(crate) products: Option<TableInfo>,
}

/// One table's provenance.
#[derive(Debug, Clone, Serialize, PartialEq, schemars::JsonSchema)]
pub(crate) struct TableInfo {
    pub(crate) source: String,
    pub(crate) version: String,
    pub(crate) sha256: String,
}

impl RulesInfo {
    pub(crate) fn of(rules: &RuleSet) -> RulesInfo {
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_header_opens_every_document_in_order() {
        let rules = RuleSet::built_in().unwrap();
        let as_of = "2026-11-22".parse().unwrap();
        let json = serde_json::to_string(&DecisionHeader::new("growth", as_of, &rules)).unwrap();
        let head = format!(
            r#"{{"schema_version":1,"gh_dose_version":"{VERSION}","command":"growth","as_of":"2026-11-22","rules":{{"source":"built-in","#
        );
        assert!(json.starts_with(&head), "{json}");
        assert_eq!(
            serde_json::to_string(&Header::of("record check")).unwrap(),
            format!(
                r#"{{"schema_version":1,"gh_dose_version":"{VERSION}","command":"record check"}}"#
            )
        );
    }
}
