//! The listings: `indications`, `products` and `rules check` as documents.

use super::{Header, RulesInfo};
use crate::dosing::{SourceList, SourceRef, Span};
use crate::rules::products::{Label, LabelDosing};
use crate::rules::{Regimen, RuleSet};
use crate::units::{Micrograms, NgPerKg};
use crate::vocab::{Grade, Population};
use serde::Serialize;

/// One adult group in the indications listing.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub(crate) struct GroupEntry {
    pub(crate) id: String,
    pub(crate) name: String,
    pub(crate) mg_per_day: Span<Micrograms>,
    pub(crate) start_mg_per_day: Micrograms,
    pub(crate) grade: Grade,
    pub(crate) sources: Vec<String>,
}

/// One indication in the listing.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub(crate) struct IndicationEntry {
    pub(crate) id: String,
    pub(crate) name: String,
    pub(crate) population: Population,
    pub(crate) mg_per_kg_per_week: Option<Span<NgPerKg>>,
    pub(crate) start_mg_per_kg_per_week: Option<NgPerKg>,
    pub(crate) ceiling_mg_per_kg_per_week: Option<NgPerKg>,
    pub(crate) groups: Vec<GroupEntry>,
    pub(crate) note: Option<String>,
    pub(crate) grade: Grade,
    pub(crate) sources: Vec<String>,
}

/// The output of `gh-dose indications`.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub(crate) struct IndicationsDocument {
    #[serde(flatten)]
    pub(crate) header: Header,
    pub(crate) rules: RulesInfo,
    pub(crate) indications: Vec<IndicationEntry>,
    pub(crate) sources: Vec<SourceRef>,
}

impl IndicationsDocument {
    pub(crate) fn new(rules: &RuleSet) -> IndicationsDocument {
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
            header: Header::of("indications"),
            rules: RulesInfo::of(rules),
            indications,
            sources,
        }
    }
}

/// One presentation in the products listing.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub(crate) struct DeviceEntry {
    pub(crate) id: String,
    pub(crate) name: String,
    pub(crate) kind: String,
    pub(crate) strength_mg: Micrograms,
    pub(crate) volume_ml: Option<f64>,
    pub(crate) increment_mg: Option<Micrograms>,
    pub(crate) min_dose_mg: Option<Micrograms>,
    pub(crate) max_dose_mg: Option<Micrograms>,
    pub(crate) grade: Grade,
    pub(crate) sources: Vec<String>,
}

/// One label row in the products listing.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub(crate) struct LabelEntry {
    pub(crate) indication: String,
    pub(crate) region: String,
    pub(crate) mg_per_kg_per_week: Option<Span<NgPerKg>>,
    pub(crate) mg_per_day: Option<Span<Micrograms>>,
    pub(crate) adult_weekly_start_mg_per_week: Option<Micrograms>,
    pub(crate) weight_bands: bool,
    pub(crate) min_age_years: Option<f64>,
    pub(crate) max_age_years: Option<f64>,
    pub(crate) grade: Grade,
    pub(crate) sources: Vec<String>,
}

/// One product in the listing.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub(crate) struct ProductEntry {
    pub(crate) id: String,
    pub(crate) name: String,
    pub(crate) maker: String,
    pub(crate) molecule: String,
    pub(crate) schedule: String,
    pub(crate) injections_per_week: Vec<u8>,
    pub(crate) indications: Vec<String>,
    pub(crate) labels: Vec<LabelEntry>,
    pub(crate) devices: Vec<DeviceEntry>,
    pub(crate) note: Option<String>,
    /// The label revision each region's rows were read from, and the
    /// current one.
    pub(crate) label_revisions: Vec<RevisionEntry>,
    /// Indications a current label adds whose dosing is not in the rule set.
    pub(crate) not_encoded: Vec<NotEncodedEntry>,
}

/// The label revision a region's rows were read from.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub(crate) struct RevisionEntry {
    pub(crate) region: String,
    pub(crate) read: String,
    pub(crate) current: String,
    pub(crate) note: Option<String>,
}

/// A labelled indication whose dose is not in the rule set.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub(crate) struct NotEncodedEntry {
    pub(crate) indication: String,
    pub(crate) region: String,
    pub(crate) why: String,
}

/// The output of `gh-dose products`.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub(crate) struct ProductsDocument {
    #[serde(flatten)]
    pub(crate) header: Header,
    pub(crate) rules: RulesInfo,
    pub(crate) products: Vec<ProductEntry>,
    pub(crate) sources: Vec<SourceRef>,
}

impl ProductsDocument {
    pub(crate) fn new(rules: &RuleSet) -> ProductsDocument {
        let list = rules.all_products();
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
                labels: p.labels.iter().map(|l| label_entry(l, &mut used)).collect(),
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
                label_revisions: p
                    .revisions
                    .iter()
                    .map(|r| RevisionEntry {
                        region: r.region.to_string(),
                        read: r.read.clone(),
                        current: r.current.clone(),
                        note: r.note.clone(),
                    })
                    .collect(),
                not_encoded: p
                    .not_encoded
                    .iter()
                    .map(|(i, r, why)| NotEncodedEntry {
                        indication: i.clone(),
                        region: r.to_string(),
                        why: why.clone(),
                    })
                    .collect(),
            })
            .collect();
        let sources = used.resolve(rules);
        ProductsDocument {
            header: Header::of("products"),
            rules: RulesInfo::of(rules),
            products,
            sources,
        }
    }
}

/// One label row of a product, its sources added to the listing's.
fn label_entry(l: &Label, used: &mut SourceList) -> LabelEntry {
    let (kg, day, weekly, bands) = match &l.dosing {
        LabelDosing::WeightBased {
            min, max, bands, ..
        } => (
            Some(Span {
                min: *min,
                max: *max,
            }),
            None,
            None,
            bands.is_some(),
        ),
        LabelDosing::Daily { min, max, .. } => (
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
}

/// The output of `gh-dose rules check` in JSON.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub(crate) struct RulesCheckDocument {
    #[serde(flatten)]
    pub(crate) header: Header,
    pub(crate) file: String,
    /// `indications` or `products`.
    pub(crate) kind: &'static str,
    pub(crate) valid: bool,
    pub(crate) name: String,
    pub(crate) version: String,
    pub(crate) sha256: String,
    /// The indication or product ids the file defines.
    pub(crate) ids: Vec<String>,
    /// Rows beyond the built-in tables' labelled limits, or safety checks the
    /// file weakens (the file is valid; outputs on it carry RULES_OUTSIDE_LABEL).
    pub(crate) outside_label: Vec<String>,
}
