//! Renderers: the JSON contract (schema_version 1) and the human table, both
//! from the typed outcome. No clinical logic lives here.
//!
//! JSON numbers are in the unit their field name says: mg and mg/kg to at
//! most 3 decimals, SDS to 2. Fields that do not apply are `null`, never absent.

mod human;

use crate::dosing::types::{Grade, Micrograms, NgPerKg, Population};
use crate::dosing::{
    Flag, IndicationRef, Outcome, Patient, ProductRef, Recommendation, SourceList, SourceRef, Span,
};
use crate::rules::{Regimen, RuleSet};
use chrono::NaiveDate;
use serde::Serialize;

pub use human::{
    render_document as human_document, render_indications as human_indications,
    render_products as human_products,
};

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
    // Long messages are escaped once per rule set (cached JSON), not per output.
    #[serde(serialize_with = "crate::dosing::serialize_cached")]
    pub flags: Vec<Flag>,
    pub rationale: Vec<String>,
    #[serde(serialize_with = "crate::dosing::serialize_cached")]
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

/// One adult group in the indications listing.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct GroupEntry {
    pub id: String,
    pub name: String,
    pub mg_per_day: Span<Micrograms>,
    pub start_mg_per_day: Micrograms,
    pub grade: Grade,
    pub sources: Vec<String>,
}

/// One indication in the listing.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct IndicationEntry {
    pub id: String,
    pub name: String,
    pub population: Population,
    pub mg_per_kg_per_week: Option<Span<NgPerKg>>,
    pub start_mg_per_kg_per_week: Option<NgPerKg>,
    pub ceiling_mg_per_kg_per_week: Option<NgPerKg>,
    pub groups: Vec<GroupEntry>,
    pub note: Option<String>,
    pub grade: Grade,
    pub sources: Vec<String>,
}

/// The output of `gh-dose indications`.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct IndicationsDocument {
    pub schema_version: u32,
    pub gh_dose_version: &'static str,
    pub command: &'static str,
    pub rules: RulesInfo,
    pub indications: Vec<IndicationEntry>,
    pub sources: Vec<SourceRef>,
}

impl IndicationsDocument {
    pub fn new(rules: &RuleSet) -> IndicationsDocument {
        let mut used = SourceList::default();
        let indications = rules
            .indications
            .iter()
            .map(|ind| {
                let (range, start, ceiling, groups) = match &ind.regimen {
                    Regimen::WeightBased(wb) => (
                        Some(Span {
                            min: wb.min,
                            max: wb.max,
                        }),
                        Some(wb.start),
                        Some(wb.ceiling),
                        Vec::new(),
                    ),
                    Regimen::FixedDaily(groups) => (
                        None,
                        None,
                        None,
                        groups
                            .iter()
                            .map(|g| GroupEntry {
                                id: g.id.clone(),
                                name: g.name.clone(),
                                mg_per_day: Span {
                                    min: Some(g.min_per_day),
                                    max: g.max_per_day,
                                },
                                start_mg_per_day: g.start_per_day,
                                grade: g.cited.grade,
                                sources: used.cite(&g.cited.sources),
                            })
                            .collect(),
                    ),
                };
                IndicationEntry {
                    id: ind.id.clone(),
                    name: ind.name.clone(),
                    population: ind.population,
                    mg_per_kg_per_week: range,
                    start_mg_per_kg_per_week: start,
                    ceiling_mg_per_kg_per_week: ceiling,
                    groups,
                    note: ind.note.clone(),
                    grade: ind.cited.grade,
                    sources: used.cite(&ind.cited.sources),
                }
            })
            .collect();
        let sources = used.resolve(rules);
        IndicationsDocument {
            schema_version: SCHEMA_VERSION,
            gh_dose_version: VERSION,
            command: "indications",
            rules: RulesInfo::of(rules),
            indications,
            sources,
        }
    }
}

/// One presentation in the products listing.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct DeviceEntry {
    pub id: String,
    pub name: String,
    pub kind: String,
    pub strength_mg: Micrograms,
    pub volume_ml: Option<f64>,
    pub increment_mg: Option<Micrograms>,
    pub min_dose_mg: Option<Micrograms>,
    pub max_dose_mg: Option<Micrograms>,
    pub grade: Grade,
    pub sources: Vec<String>,
}

/// One label row in the products listing.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct LabelEntry {
    pub indication: String,
    pub region: String,
    pub mg_per_kg_per_week: Option<Span<NgPerKg>>,
    pub mg_per_day: Option<Span<Micrograms>>,
    pub adult_weekly_start_mg_per_week: Option<Micrograms>,
    pub weight_bands: bool,
    pub min_age_years: Option<f64>,
    pub max_age_years: Option<f64>,
    pub grade: Grade,
    pub sources: Vec<String>,
}

/// One product in the listing.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct ProductEntry {
    pub id: String,
    pub name: String,
    pub maker: String,
    pub molecule: String,
    pub schedule: String,
    pub injections_per_week: Vec<u8>,
    pub indications: Vec<String>,
    pub labels: Vec<LabelEntry>,
    pub devices: Vec<DeviceEntry>,
    pub note: Option<String>,
}

/// The output of `gh-dose products`.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct ProductsDocument {
    pub schema_version: u32,
    pub gh_dose_version: &'static str,
    pub command: &'static str,
    pub rules: RulesInfo,
    pub products: Vec<ProductEntry>,
    pub sources: Vec<SourceRef>,
}

impl ProductsDocument {
    pub fn new(rules: &RuleSet) -> ProductsDocument {
        use crate::rules::products::LabelDosing;
        let list = rules
            .products
            .as_ref()
            .map(|p| p.products.as_slice())
            .unwrap_or_default();
        let mut used = SourceList::default();
        let products = list
            .iter()
            .map(|p| ProductEntry {
                id: p.id.clone(),
                name: p.name.clone(),
                maker: p.maker.clone(),
                molecule: p.molecule.to_string(),
                schedule: p.schedule.to_string(),
                injections_per_week: p.injections_per_week.clone(),
                indications: p.indications().iter().map(|s| s.to_string()).collect(),
                labels: p
                    .labels
                    .iter()
                    .map(|l| {
                        let (kg, day, weekly, bands) = match &l.dosing {
                            LabelDosing::WeightBased { min, max, bands } => (
                                Some(Span {
                                    min: *min,
                                    max: *max,
                                }),
                                None,
                                None,
                                bands.is_some(),
                            ),
                            LabelDosing::Daily { min, max } => (
                                None,
                                Some(Span {
                                    min: Some(*min),
                                    max: *max,
                                }),
                                None,
                                false,
                            ),
                            LabelDosing::AdultWeekly(aw) => (None, None, Some(aw.start), false),
                        };
                        LabelEntry {
                            indication: l.indication.clone(),
                            region: l.region.to_string(),
                            mg_per_kg_per_week: kg,
                            mg_per_day: day,
                            adult_weekly_start_mg_per_week: weekly,
                            weight_bands: bands,
                            min_age_years: l.min_age_years,
                            max_age_years: l.max_age_years,
                            grade: l.cited.grade,
                            sources: used.cite(&l.cited.sources),
                        }
                    })
                    .collect(),
                devices: p
                    .devices
                    .iter()
                    .map(|d| DeviceEntry {
                        id: d.id.clone(),
                        name: d.name.clone(),
                        kind: d.kind.to_string(),
                        strength_mg: d.strength,
                        volume_ml: d.volume_ml,
                        increment_mg: d.increment,
                        min_dose_mg: d.min_dose,
                        max_dose_mg: d.max_dose,
                        grade: d.cited.grade,
                        sources: used.cite(&d.cited.sources),
                    })
                    .collect(),
                note: p.note.clone(),
            })
            .collect();
        let sources = used.resolve(rules);
        ProductsDocument {
            schema_version: SCHEMA_VERSION,
            gh_dose_version: VERSION,
            command: "products",
            rules: RulesInfo::of(rules),
            products,
            sources,
        }
    }
}

/// The output of `gh-dose rules check` in JSON.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct RulesCheckDocument {
    pub schema_version: u32,
    pub gh_dose_version: &'static str,
    pub command: &'static str,
    pub file: String,
    /// `indications` or `products`.
    pub kind: &'static str,
    pub valid: bool,
    pub name: String,
    pub version: String,
    pub sha256: String,
    /// The indication or product ids the file defines.
    pub ids: Vec<String>,
}

/// Pretty JSON with a trailing newline.
pub fn to_json<T: Serialize>(doc: &T) -> Result<String, serde_json::Error> {
    serde_json::to_string_pretty(doc).map(|s| s + "\n")
}

/// The JSON Schema (draft 2020-12) of the `start`/`titrate` output document.
/// Every property is required: fields that do not apply are null, never absent.
pub fn schema() -> Result<String, crate::error::Error> {
    let mut schema = serde_json::to_value(schemars::schema_for!(Document))
        .map_err(|e| crate::error::Error::Internal(format!("cannot build the schema: {e}")))?;
    require_all(&mut schema);
    serde_json::to_string_pretty(&schema)
        .map(|s| s + "\n")
        .map_err(|e| crate::error::Error::Internal(format!("cannot serialize the schema: {e}")))
}

/// Marks every property of every object schema as required.
fn require_all(v: &mut serde_json::Value) {
    match v {
        serde_json::Value::Object(map) => {
            if let Some(serde_json::Value::Object(props)) = map.get("properties") {
                let names: Vec<serde_json::Value> = props
                    .keys()
                    .cloned()
                    .map(serde_json::Value::String)
                    .collect();
                map.insert("required".to_string(), serde_json::Value::Array(names));
            }
            map.values_mut().for_each(require_all);
        }
        serde_json::Value::Array(items) => items.iter_mut().for_each(require_all),
        _ => {}
    }
}
