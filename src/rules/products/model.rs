//! The compiled product model: products, their labels per indication and
//! region, presentations, weight-band tables and adult weekly tables.

use crate::rules::model::{Bounds, Cited, Origin, SdsStep, Source};
use crate::units::{Grams, Micrograms, NgPerKg, Percent};
use crate::vocab::{Condition, DeviceKind, FlagCode, Molecule, Region, Schedule};

/// The age from which a label's older-patient start applies: "older than
/// 65" (exclusive) or "60 years and older" (inclusive).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct OlderAge {
    pub years: f64,
    pub inclusive: bool,
}

impl OlderAge {
    /// Whether the label counts this age as older.
    pub fn applies(self, age: f64) -> bool {
        if self.inclusive {
            age >= self.years
        } else {
            age > self.years
        }
    }
}

impl std::fmt::Display for OlderAge {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        if self.inclusive {
            write!(f, "{} years and older", self.years)
        } else {
            write!(f, "older than {} years", self.years)
        }
    }
}

/// One row of a weight-band table.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Band {
    pub from: Grams,
    pub to: Grams,
    pub per_week: Micrograms,
    pub cartridges: u8,
}

/// A weight-band table (Skytrofa).
#[derive(Debug, Clone, PartialEq)]
pub struct BandTable {
    pub id: String,
    pub bands: Vec<Band>,
    pub cited: Cited,
}

impl BandTable {
    /// The band a weight falls in: from its `from` up to the next band's
    /// `from`; the last band ends at its `to`.
    pub fn band(&self, weight: Grams) -> Option<&Band> {
        let i = self.bands.iter().rposition(|b| weight >= b.from)?;
        let band = &self.bands[i];
        if i + 1 == self.bands.len() && weight > band.to {
            return None;
        }
        Some(band)
    }
}

/// Adult weekly starts (Sogroya).
#[derive(Debug, Clone, PartialEq)]
pub struct AdultWeekly {
    pub id: String,
    /// The dosing group named in outputs.
    pub group: String,
    pub start: Micrograms,
    /// Patients of this age start at `older_start` and step up less.
    pub older: OlderAge,
    pub older_start: Micrograms,
    pub oral_estrogen_start: Micrograms,
    pub switch_start: Option<Micrograms>,
    pub switch_older_start: Option<Micrograms>,
    pub switch_oral_estrogen_start: Option<Micrograms>,
    pub hepatic_moderate_start: Micrograms,
    pub hepatic_moderate_max: Micrograms,
    pub max: Micrograms,
    /// IGF-1 SDS target band.
    pub target: Bounds,
    /// Ordered by increasing SDS: the first whose `sds` the value is below.
    pub step_up: Vec<SdsStep>,
    pub step_up_max_older: Micrograms,
    /// Ordered by decreasing SDS: the first whose `sds` the value is above.
    pub step_down: Vec<SdsStep>,
    pub min_weeks_between_increases: u32,
    /// Review id (in the rule file) after a dose change.
    pub review_after_change: String,
    pub cited: Cited,
}

/// A whole-strength move by IGF-1 SDS (Skytrofa EU table).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct StrengthStep {
    pub sds_above: f64,
    pub steps: i32,
}

/// A percentage reduction above an IGF-1 SDS (Ngenla EU).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Reduce {
    pub sds: f64,
    pub percent: Percent,
}

/// How a label doses an indication.
#[derive(Debug, Clone, PartialEq)]
pub enum LabelDosing {
    /// mg/kg/week; `bands` when the label rounds by a weight-band table.
    WeightBased {
        min: Option<NgPerKg>,
        max: NgPerKg,
        /// A higher maximum the label allows in puberty.
        max_pubertal: Option<NgPerKg>,
        bands: Option<BandTable>,
    },
    /// mg/day (adults on daily somatropin).
    Daily { min: Micrograms, max: Micrograms },
    /// Adult weekly starts.
    AdultWeekly(AdultWeekly),
}

#[derive(Debug, Clone, PartialEq)]
pub struct Label {
    pub indication: String,
    pub region: Region,
    pub dosing: LabelDosing,
    pub min_age_years: Option<f64>,
    pub max_age_years: Option<f64>,
    pub cited: Cited,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Device {
    pub id: String,
    pub name: String,
    pub kind: DeviceKind,
    pub strength: Micrograms,
    /// Volume of the whole presentation (for mL per dose).
    pub volume_ml: Option<f64>,
    /// Fixed volume per dose (single-dose syringes).
    pub dose_volume_ml: Option<f64>,
    /// Dose step; `None` when no source states it.
    pub increment: Option<Micrograms>,
    pub min_dose: Option<Micrograms>,
    pub max_dose: Option<Micrograms>,
    /// Days a presentation may be used after first use, when stated.
    pub in_use_days: Option<u32>,
    /// The presentation (or its diluent) contains benzyl alcohol.
    pub benzyl_alcohol: bool,
    pub cited: Cited,
}

impl Device {
    /// The largest dose one injection from this device can give.
    pub fn max_one_injection(&self) -> Micrograms {
        self.max_dose.unwrap_or(self.strength).min(self.strength)
    }

    /// mL for a dose, when the concentration is known.
    pub fn volume_for(&self, dose: Micrograms) -> Option<f64> {
        if let Some(v) = self.dose_volume_ml {
            return Some(v);
        }
        let v = self.volume_ml?;
        Some(v * dose.0 as f64 / self.strength.0 as f64)
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct Product {
    pub id: String,
    pub name: String,
    pub maker: String,
    pub molecule: Molecule,
    pub schedule: Schedule,
    pub injections_per_week: Vec<u8>,
    pub max_injections_per_dose: u8,
    /// Days after the injection when IGF-1 may be drawn (weekly products).
    pub igf1_sample_days: Option<(u32, u32)>,
    /// A switch from another weekly product: at least this many days after
    /// its last dose.
    pub switch_after_weekly_days: Option<u32>,
    /// A missed weekly dose: given if at most this many days late, else
    /// skipped.
    pub missed_dose_within_days: Option<u32>,
    /// Ordered by decreasing `sds_above`; the last covers everything below.
    pub igf1_strength_steps: Vec<StrengthStep>,
    pub reduce_above_sds: Option<Reduce>,
    pub note: Option<String>,
    pub adult_refusal: Option<String>,
    /// (indication, region, why): labelled now, dosing not in the rule set.
    pub not_encoded: Vec<(String, Region, String)>,
    /// The label revision read per region.
    pub revisions: Vec<Revision>,
    /// Where and since when the product is no longer marketed.
    pub discontinued: Option<(Region, chrono::NaiveDate)>,
    /// Conditions under which the label does not recommend the product, and
    /// the (block) flag they raise.
    pub blocked_conditions: Vec<(Condition, FlagCode)>,
    pub labels: Vec<Label>,
    pub devices: Vec<Device>,
    pub cited: Cited,
}

/// The label revision a region's rows were read from, and the current one.
#[derive(Debug, Clone, PartialEq)]
pub struct Revision {
    pub region: Region,
    pub read: String,
    pub current: String,
    pub note: Option<String>,
}

impl Product {
    /// Why the product's current label for an indication is not dosed, when
    /// the rule set lists it as not encoded.
    pub fn not_encoded(&self, indication: &str, region: Region) -> Option<&str> {
        self.not_encoded
            .iter()
            .find(|(i, r, _)| i == indication && *r == region)
            .map(|(_, _, why)| why.as_str())
    }

    /// The revision read for a region.
    pub fn revision(&self, region: Region) -> Option<&Revision> {
        self.revisions.iter().find(|r| r.region == region)
    }

    /// The label row for an indication in a region.
    pub fn label(&self, indication: &str, region: Region) -> Option<&Label> {
        self.labels
            .iter()
            .find(|l| l.indication == indication && l.region == region)
    }

    /// The presentation with this id.
    pub fn device(&self, id: &str) -> Option<&Device> {
        self.devices.iter().find(|d| d.id == id)
    }

    /// Indications the product is labelled for in any region, in label order.
    pub fn indications(&self) -> Vec<&str> {
        let mut out: Vec<&str> = Vec::new();
        for l in &self.labels {
            if !out.contains(&l.indication.as_str()) {
                out.push(&l.indication);
            }
        }
        out
    }
}

/// A validated product table.
#[derive(Debug, Clone)]
pub struct ProductSet {
    pub origin: Origin,
    pub sources: Vec<Source>,
    pub products: Vec<Product>,
    /// Where this table goes beyond the built-in product table's labelled
    /// limits (one line per row; empty for the built-in table).
    pub outside_label: Vec<String>,
}
