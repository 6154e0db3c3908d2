//! What the core answers: the recommendation with its dose, range, change
//! and review, the flags, the rationale and the sources behind every number.
//! The report layer renders these; nothing here knows how.

use super::patient::{NextReview, PatientEcho};
use super::trail::{Flag, SourceRef};
use crate::rules::products::Product;
use crate::units::{Micrograms, MilliIu, NgPerKg};
use crate::vocab::{Action, DeviceKind, Population, Region};
use serde::Serialize;

/// The indication an outcome is for.
#[derive(Debug, Clone, PartialEq, Serialize, schemars::JsonSchema)]
pub(crate) struct IndicationRef {
    pub(crate) id: String,
    pub(crate) name: String,
    pub(crate) population: Population,
    /// The adult dosing group used, or null.
    pub(crate) group: Option<String>,
}

/// A computed dose.
#[derive(Debug, Clone, PartialEq, Serialize, schemars::JsonSchema)]
pub struct Dose {
    pub mg_per_week: Micrograms,
    /// Null for adults on a non-weight-based regimen.
    pub(crate) mg_per_kg_per_week: Option<NgPerKg>,
    pub injections_per_week: u8,
    pub(crate) mg_per_injection: Micrograms,
    /// Daily somatropin only.
    pub(crate) iu_per_injection: Option<MilliIu>,
    /// The dose on a real device (with `--product`).
    pub deliverable: Option<Deliverable>,
}

impl Dose {
    /// The weekly dose the patient gets: the deliverable one on a product.
    pub fn given_per_week(&self) -> Micrograms {
        self.deliverable
            .as_ref()
            .map_or(self.mg_per_week, |d| d.mg_per_week)
    }
}

/// A dose rounded to a real device.
#[derive(Debug, Clone, PartialEq, Serialize, schemars::JsonSchema)]
pub struct Deliverable {
    /// Per injection, as dialled or as the cartridge holds.
    pub mg_per_injection: Micrograms,
    pub mg_per_week: Micrograms,
    /// The effective intensity after rounding (weight-based doses).
    pub(crate) mg_per_kg_per_week: Option<NgPerKg>,
    /// Presentation id (for cartridge products, the cartridge).
    pub device: String,
    pub(crate) device_name: String,
    /// Dose step of the device; null when no source states it.
    pub(crate) increment_mg: Option<Micrograms>,
    /// Injections (or cartridges) per dose: 2 for split doses.
    pub injections_per_dose: u8,
    /// Volume per injection, when the concentration is known.
    pub(crate) volume_ml: Option<f64>,
    /// Deliverable minus target, per week.
    pub(crate) difference_mg_per_week: f64,
    /// What kind of presentation gives it: a single-dose one (a cartridge,
    /// a MiniQuick) is given whole, never dialled. Not in the JSON (the
    /// product table names each device's kind).
    #[serde(skip)]
    #[schemars(skip)]
    pub(crate) kind: DeviceKind,
}

/// The product in an outcome.
#[derive(Debug, Clone, PartialEq, Serialize, schemars::JsonSchema)]
pub(crate) struct ProductRef {
    pub(crate) id: String,
    pub(crate) name: String,
    pub(crate) molecule: String,
    pub(crate) schedule: String,
    pub(crate) region: Region,
    /// Whether the label covers this indication (and age) in the region.
    pub(crate) labelled: bool,
}

impl ProductRef {
    /// The product as an outcome reports it.
    pub(crate) fn of(p: &Product, region: Region, labelled: bool) -> ProductRef {
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
pub(crate) struct LabelRange {
    pub(crate) region: Region,
    pub(crate) mg_per_kg_per_week: Option<Span<NgPerKg>>,
    pub(crate) mg_per_day: Option<Span<Micrograms>>,
    pub(crate) mg_per_week: Option<Span<Micrograms>>,
}

/// How many devices cover a period.
#[derive(Debug, Clone, PartialEq, Serialize, schemars::JsonSchema)]
pub(crate) struct Supply {
    pub(crate) days: u32,
    pub(crate) injections: u32,
    pub(crate) device: String,
    pub(crate) doses_per_device: u32,
    pub(crate) devices: u32,
}

/// A range whose lower end may be absent ("up to max").
#[derive(Debug, Clone, Copy, PartialEq, Serialize, schemars::JsonSchema)]
pub(crate) struct Span<T> {
    pub(crate) min: Option<T>,
    pub(crate) max: T,
}

/// The range in every unit that applies, and what kind of range it is.
#[derive(Debug, Clone, PartialEq, Serialize, schemars::JsonSchema)]
pub(crate) struct DoseRange {
    pub(crate) mg_per_kg_per_week: Option<Span<NgPerKg>>,
    pub(crate) mg_per_week: Option<Span<Micrograms>>,
    pub(crate) mg_per_injection: Option<Span<Micrograms>>,
    pub(crate) mg_per_day: Option<Span<Micrograms>>,
    /// `recommended` (the indication's or label's range), `limits` (the
    /// lowest dose to the hard cap, for adults at a visit) or `weight-band`
    /// (a label's weight-band dose).
    pub(crate) basis: RangeBasis,
}

crate::vocab::named_enum!(
    /// What a range is.
    pub(crate) RangeBasis {
        Recommended => "recommended",
        Limits => "limits",
        WeightBand => "weight-band",
    }
);

/// The current dose at a visit, as the decision read it.
#[derive(Debug, Clone, PartialEq, Serialize, schemars::JsonSchema)]
#[schemars(rename = "CurrentDose")]
pub struct CurrentDoseEcho {
    pub mg_per_week: Micrograms,
    pub(crate) mg_per_injection: Micrograms,
    pub(crate) injections_per_week: u8,
}

/// A dose change (titrate).
#[derive(Debug, Clone, PartialEq, Serialize, schemars::JsonSchema)]
pub struct Change {
    pub(crate) from_mg_per_week: Micrograms,
    pub to_mg_per_week: Micrograms,
    pub(crate) percent: f64,
}

/// What to do.
#[derive(Debug, Clone, PartialEq, Serialize, schemars::JsonSchema)]
pub struct Recommendation {
    pub action: Action,
    pub dose: Option<Dose>,
    pub(crate) range: DoseRange,
    pub change: Option<Change>,
    pub next_review: Option<NextReview>,
    /// The product label's range (with `--product`).
    pub(crate) label_range: Option<LabelRange>,
    /// Devices for `--supply-days`.
    pub(crate) supply: Option<Supply>,
    /// Titrate: the dose the patient is on (kept as is by `recheck`).
    pub current_dose: Option<CurrentDoseEcho>,
}

/// The engine's answer.
#[derive(Debug, Clone, PartialEq)]
pub struct Outcome {
    pub patient: PatientEcho,
    pub(crate) indication: IndicationRef,
    pub(crate) product: Option<ProductRef>,
    pub recommendation: Recommendation,
    pub flags: Vec<Flag>,
    pub rationale: Vec<String>,
    pub(crate) sources: Vec<SourceRef>,
}

impl Outcome {
    /// Whether a `block` flag withheld the dose or stopped treatment (exit code 4).
    pub(crate) fn stopped(&self) -> bool {
        self.recommendation.action.stops()
    }
}
