//! The pure dosing core.
//!
//! Inputs are typed requests plus a loaded [`RuleSet`]; the output is a typed
//! [`Outcome`] with the recommendation, flags, rationale and sources. Nothing
//! here parses command lines, reads files or the clock, or prints: the as-of
//! date is an input like any other, and every clinical number comes from the
//! rule set.

mod device;
mod flags;
pub mod igf1;
mod patient;
mod start;
mod titrate;
pub mod types;

pub use patient::{AgeInput, Measured, Patient, PatientInput};
pub use start::start;
pub use titrate::{CurrentDose, TitrateRequest, titrate};

use crate::rules::RuleSet;
use crate::rules::products::Region;
use chrono::NaiveDate;
use serde::Serialize;
use serde_json::value::RawValue;
use std::sync::Arc;
use types::{Action, FlagCode, Micrograms, MilliIu, NgPerKg, Population, Severity};

/// `gh-dose start`: a starting dose for an indication.
#[derive(Debug, Clone, PartialEq)]
pub struct StartRequest {
    /// Indication id from the rule set.
    pub indication: String,
    /// The decision date.
    pub as_of: NaiveDate,
    /// The patient as given.
    pub patient: PatientInput,
    /// Injections per week (daily somatropin: 6 or 7; default from the rules).
    pub injections_per_week: Option<u8>,
    /// A chosen intensity in mg/kg/week instead of the suggested start
    /// (weight-based indications only).
    pub mg_per_kg_week: Option<f64>,
    /// Product id from the product table.
    pub product: Option<String>,
    /// Force this presentation of the product.
    pub device: Option<String>,
    /// Which label region's ranges to use.
    pub region: Region,
    /// Count the devices that cover this many days.
    pub supply_days: Option<u32>,
}

impl StartRequest {
    /// A request with the defaults of the command line: no product, the US
    /// label region, default injections, the suggested start.
    pub fn new(indication: &str, as_of: NaiveDate, patient: PatientInput) -> StartRequest {
        StartRequest {
            indication: indication.to_string(),
            as_of,
            patient,
            injections_per_week: None,
            mg_per_kg_week: None,
            product: None,
            device: None,
            region: Region::Us,
            supply_days: None,
        }
    }
}

/// The indication an outcome is for.
#[derive(Debug, Clone, PartialEq, Serialize, schemars::JsonSchema)]
pub struct IndicationRef {
    pub id: String,
    pub name: String,
    pub population: Population,
    /// The adult dosing group used, or null.
    pub group: Option<String>,
}

/// A computed dose.
#[derive(Debug, Clone, PartialEq, Serialize, schemars::JsonSchema)]
pub struct Dose {
    pub mg_per_week: Micrograms,
    /// Null for adults on a non-weight-based regimen.
    pub mg_per_kg_per_week: Option<NgPerKg>,
    pub injections_per_week: u8,
    pub mg_per_injection: Micrograms,
    /// Daily somatropin only.
    pub iu_per_injection: Option<MilliIu>,
    /// The dose on a real device (with `--product`).
    pub deliverable: Option<Deliverable>,
}

/// A dose rounded to a real device.
#[derive(Debug, Clone, PartialEq, Serialize, schemars::JsonSchema)]
pub struct Deliverable {
    /// Per injection, as dialled or as the cartridge holds.
    pub mg_per_injection: Micrograms,
    pub mg_per_week: Micrograms,
    /// The effective intensity after rounding (weight-based doses).
    pub mg_per_kg_per_week: Option<NgPerKg>,
    /// Presentation id (for cartridge products, the cartridge).
    pub device: String,
    pub device_name: String,
    /// Dose step of the device; null when no source states it.
    pub increment_mg: Option<Micrograms>,
    /// Injections (or cartridges) per dose: 2 for split doses.
    pub injections_per_dose: u8,
    /// Volume per injection, when the concentration is known.
    pub volume_ml: Option<f64>,
    /// Deliverable minus target, per week.
    pub difference_mg_per_week: f64,
}

/// The product in an outcome.
#[derive(Debug, Clone, PartialEq, Serialize, schemars::JsonSchema)]
pub struct ProductRef {
    pub id: String,
    pub name: String,
    pub molecule: String,
    pub schedule: String,
    pub region: Region,
    /// Whether the label covers this indication (and age) in the region.
    pub labelled: bool,
}

impl ProductRef {
    /// The product as an outcome reports it.
    pub fn of(p: &crate::rules::products::Product, region: Region, labelled: bool) -> ProductRef {
        ProductRef {
            id: p.id.clone(),
            name: p.name.clone(),
            molecule: p.molecule.to_string(),
            schedule: p.schedule.to_string(),
            region,
            labelled,
        }
    }
}

/// The product label's own range, reported beside the recommended range.
#[derive(Debug, Clone, PartialEq, Serialize, schemars::JsonSchema)]
pub struct LabelRange {
    pub region: Region,
    pub mg_per_kg_per_week: Option<Span<NgPerKg>>,
    pub mg_per_day: Option<Span<Micrograms>>,
    pub mg_per_week: Option<Span<Micrograms>>,
}

/// How many devices cover a period.
#[derive(Debug, Clone, PartialEq, Serialize, schemars::JsonSchema)]
pub struct Supply {
    pub days: u32,
    pub injections: u32,
    pub device: String,
    pub doses_per_device: u32,
    pub devices: u32,
}

/// A range whose lower end may be absent ("up to max").
#[derive(Debug, Clone, Copy, PartialEq, Serialize, schemars::JsonSchema)]
pub struct Span<T> {
    pub min: Option<T>,
    pub max: T,
}

/// The recommended range in every unit that applies.
#[derive(Debug, Clone, PartialEq, Serialize, schemars::JsonSchema)]
pub struct DoseRange {
    pub mg_per_kg_per_week: Option<Span<NgPerKg>>,
    pub mg_per_week: Option<Span<Micrograms>>,
    pub mg_per_injection: Option<Span<Micrograms>>,
    pub mg_per_day: Option<Span<Micrograms>>,
}

/// A dose change (titrate).
#[derive(Debug, Clone, PartialEq, Serialize, schemars::JsonSchema)]
pub struct Change {
    pub from_mg_per_week: Micrograms,
    pub to_mg_per_week: Micrograms,
    pub percent: f64,
}

/// When to see the patient next and what to measure.
#[derive(Debug, Clone, PartialEq, Serialize, schemars::JsonSchema)]
pub struct NextReview {
    pub earliest: NaiveDate,
    pub latest: NaiveDate,
    pub what: Vec<String>,
}

/// What to do.
#[derive(Debug, Clone, PartialEq, Serialize, schemars::JsonSchema)]
pub struct Recommendation {
    pub action: Action,
    pub dose: Option<Dose>,
    pub range: DoseRange,
    pub change: Option<Change>,
    pub next_review: Option<NextReview>,
    /// The product label's range (with `--product`).
    pub label_range: Option<LabelRange>,
    /// Devices for `--supply-days`.
    pub supply: Option<Supply>,
}

/// A safety or context flag.
#[derive(Debug, Clone, Serialize, schemars::JsonSchema)]
pub struct Flag {
    pub code: FlagCode,
    pub severity: Severity,
    pub message: String,
    pub source: String,
    /// This flag already serialized (the rule set caches it); not part of the output.
    #[serde(skip)]
    #[schemars(skip)]
    pub raw: Option<Arc<RawValue>>,
}

/// A source behind a number in the outcome.
#[derive(Debug, Clone, Serialize, schemars::JsonSchema)]
pub struct SourceRef {
    pub id: String,
    pub citation: String,
    pub url: Option<String>,
    pub grade: types::Grade,
    /// This source already serialized (the rule set caches it); not part of the output.
    #[serde(skip)]
    #[schemars(skip)]
    pub raw: Option<Arc<RawValue>>,
}

impl PartialEq for Flag {
    fn eq(&self, o: &Self) -> bool {
        (self.code, self.severity, &self.message, &self.source)
            == (o.code, o.severity, &o.message, &o.source)
    }
}

impl PartialEq for SourceRef {
    fn eq(&self, o: &Self) -> bool {
        (&self.id, &self.citation, &self.url, self.grade) == (&o.id, &o.citation, &o.url, o.grade)
    }
}

/// A list of flags or sources, each from its cache.
/// Something the rule set may have serialized already.
pub trait Cached: Serialize {
    fn raw(&self) -> Option<&RawValue>;
}

impl Cached for Flag {
    fn raw(&self) -> Option<&RawValue> {
        self.raw.as_deref()
    }
}

impl Cached for SourceRef {
    fn raw(&self) -> Option<&RawValue> {
        self.raw.as_deref()
    }
}

/// A list of flags or sources, each from its cached JSON when there is one:
/// long messages and citations are escaped once per rule set, not per output.
pub fn serialize_cached<T: Cached, S: serde::Serializer>(
    list: &[T],
    s: S,
) -> Result<S::Ok, S::Error> {
    use serde::ser::SerializeSeq;
    let mut seq = s.serialize_seq(Some(list.len()))?;
    for x in list {
        match x.raw() {
            Some(r) => seq.serialize_element(r)?,
            None => seq.serialize_element(x)?,
        }
    }
    seq.end()
}

/// The engine's answer.
#[derive(Debug, Clone, PartialEq)]
pub struct Outcome {
    pub patient: Patient,
    pub indication: IndicationRef,
    pub product: Option<ProductRef>,
    pub recommendation: Recommendation,
    pub flags: Vec<Flag>,
    pub rationale: Vec<String>,
    pub sources: Vec<SourceRef>,
}

impl Outcome {
    /// Whether a `block` flag withheld the dose.
    pub fn withheld(&self) -> bool {
        self.recommendation.action == Action::Withhold
    }

    /// Whether a `block` flag withheld or stopped treatment (exit code 4).
    pub fn stopped(&self) -> bool {
        matches!(self.recommendation.action, Action::Withhold | Action::Stop)
    }
}

/// Collects source ids in first-use order, without repeats.
#[derive(Debug, Default)]
pub struct SourceList(Vec<String>);

impl SourceList {
    /// Adds ids not yet listed.
    pub fn add<'a>(&mut self, ids: impl IntoIterator<Item = &'a String>) {
        for id in ids {
            if !self.0.contains(id) {
                self.0.push(id.clone());
            }
        }
    }

    /// Adds ids and returns them (for listings that show ids per row).
    pub fn cite(&mut self, ids: &[String]) -> Vec<String> {
        self.add(ids);
        ids.to_vec()
    }

    /// The listed sources with their citations, in first-use order.
    pub fn resolve(self, rules: &RuleSet) -> Vec<SourceRef> {
        self.0
            .iter()
            .filter_map(|id| rules.source(id))
            .map(|s| SourceRef {
                id: s.id.clone(),
                citation: s.citation.clone(),
                url: s.url.clone(),
                grade: s.grade,
                raw: rules.raw_source(&s.id),
            })
            .collect()
    }
}

/// The adult hard cap per day and how it was found: weight-based by age when
/// the weight is known (rounded down, never above), otherwise the fixed cap.
fn adult_cap(
    weight: Option<types::Grams>,
    age: f64,
    t: &crate::rules::AdultTitration,
) -> (Micrograms, String) {
    let row = t
        .caps
        .iter()
        .find(|(at_most, _)| at_most.is_none_or(|a| age <= a));
    match (weight, row) {
        (Some(w), Some((_, per_kg))) => {
            let cap = Micrograms((i128::from(per_kg.0) * i128::from(w.0) / 1_000_000) as i64);
            (
                cap,
                format!(
                    "hard cap {} mg/kg/day x {w} kg = {cap} mg/day",
                    types::fmt_decimal(per_kg.0, 6)
                ),
            )
        }
        _ => (
            t.cap_without_weight,
            format!("hard cap without weight: {} mg/day", t.cap_without_weight),
        ),
    }
}
