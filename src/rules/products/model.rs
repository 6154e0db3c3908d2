//! The compiled product model: products, their labels per indication and
//! region, presentations, weight-band tables and adult weekly tables.

use crate::rules::model::{Bounds, Cited, Origin, SdsStep, Source};
use crate::units::{Grams, Micrograms, NgPerKg, Percent};
use crate::vocab::{Condition, DeviceKind, FlagCode, Molecule, Region, Schedule};

/// The age from which a label's older-patient start applies: "older than
/// 65" (exclusive) or "60 years and older" (inclusive).
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) struct OlderAge {
    pub(crate) years: f64,
    pub(crate) inclusive: bool,
}

impl OlderAge {
    /// Whether the label counts this age as older.
    pub(crate) fn applies(self, age: f64) -> bool {
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
    pub(crate) from: Grams,
    pub(crate) to: Grams,
    pub per_week: Micrograms,
    pub(crate) cartridges: u8,
}

/// A weight-band table (Skytrofa).
#[derive(Debug, Clone, PartialEq)]
pub struct BandTable {
    pub(crate) id: String,
    pub bands: Vec<Band>,
    pub(crate) cited: Cited,
}

impl BandTable {
    /// The band a weight falls in: from its `from` up to the next band's
    /// `from`; the last band ends at its `to`.
    pub(crate) fn band(&self, weight: Grams) -> Option<&Band> {
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
    pub(crate) id: String,
    /// The dosing group named in outputs.
    pub(crate) group: String,
    pub(crate) start: Micrograms,
    /// Patients of this age start at `older_start` and step up less.
    pub(crate) older: OlderAge,
    pub(crate) older_start: Micrograms,
    pub(crate) oral_estrogen_start: Micrograms,
    pub(crate) switch_start: Option<Micrograms>,
    pub(crate) switch_older_start: Option<Micrograms>,
    pub(crate) switch_oral_estrogen_start: Option<Micrograms>,
    pub(crate) hepatic_moderate_start: Micrograms,
    pub(crate) hepatic_moderate_max: Micrograms,
    pub(crate) max: Micrograms,
    /// IGF-1 SDS target band.
    pub(crate) target: Bounds,
    /// Ordered by increasing SDS: the first whose `sds` the value is below.
    pub(crate) step_up: Vec<SdsStep>,
    pub(crate) step_up_max_older: Micrograms,
    /// Ordered by decreasing SDS: the first whose `sds` the value is above.
    pub(crate) step_down: Vec<SdsStep>,
    pub(crate) min_weeks_between_increases: u32,
    /// Review id (in the rule file) after a dose change.
    pub(crate) review_after_change: String,
    pub(crate) cited: Cited,
}

/// A whole-strength move by IGF-1 SDS (Skytrofa EU table).
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) struct StrengthStep {
    pub(crate) sds_above: f64,
    pub(crate) steps: i32,
}

/// A percentage reduction above an IGF-1 SDS (Ngenla EU).
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) struct Reduce {
    pub(crate) sds: f64,
    pub(crate) percent: Percent,
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
    /// mg/day (adults on daily somatropin); `max_per_kg` the label's
    /// weight-based maximum, when it states one.
    Daily {
        min: Micrograms,
        max: Micrograms,
        max_per_kg: Option<NgPerKg>,
    },
    /// Adult weekly starts.
    AdultWeekly(AdultWeekly),
}

#[derive(Debug, Clone, PartialEq)]
pub struct Label {
    pub(crate) indication: String,
    pub(crate) region: Region,
    pub dosing: LabelDosing,
    pub(crate) min_age_years: Option<f64>,
    pub(crate) max_age_years: Option<f64>,
    pub(crate) cited: Cited,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Device {
    pub id: String,
    pub(crate) name: String,
    pub(crate) kind: DeviceKind,
    pub(crate) strength: Micrograms,
    /// Volume of the whole presentation (for mL per dose).
    pub(crate) volume_ml: Option<f64>,
    /// Fixed volume per dose (single-dose syringes).
    pub(crate) dose_volume_ml: Option<f64>,
    /// Dose step; `None` when no source states it.
    pub increment: Option<Micrograms>,
    pub(crate) min_dose: Option<Micrograms>,
    pub(crate) max_dose: Option<Micrograms>,
    /// Days a presentation may be used after first use, when stated.
    pub(crate) in_use_days: Option<u32>,
    /// The presentation (or its diluent) contains benzyl alcohol.
    pub(crate) benzyl_alcohol: bool,
    pub(crate) cited: Cited,
}

impl Device {
    /// The largest dose one injection from this device can give.
    pub(crate) fn max_one_injection(&self) -> Micrograms {
        self.max_dose.unwrap_or(self.strength).min(self.strength)
    }

    /// mL for a dose, when the concentration is known.
    pub(crate) fn volume_for(&self, dose: Micrograms) -> Option<f64> {
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
    pub(crate) name: String,
    pub(crate) maker: String,
    pub(crate) molecule: Molecule,
    pub schedule: Schedule,
    pub(crate) injections_per_week: Vec<u8>,
    pub(crate) max_injections_per_dose: u8,
    /// Days after the injection when IGF-1 may be drawn (weekly products).
    pub(crate) igf1_sample_days: Option<(u32, u32)>,
    /// A switch from another weekly product: at least this many days after
    /// its last dose.
    pub(crate) switch_after_weekly_days: Option<u32>,
    /// A missed weekly dose: given if at most this many days late, else
    /// skipped.
    pub(crate) missed_dose_within_days: Option<u32>,
    /// Ordered by decreasing `sds_above`; the last covers everything below.
    pub(crate) igf1_strength_steps: Vec<StrengthStep>,
    pub(crate) reduce_above_sds: Option<Reduce>,
    pub(crate) note: Option<String>,
    pub(crate) adult_refusal: Option<String>,
    /// (indication, region, why): labelled now, dosing not in the rule set.
    pub(crate) not_encoded: Vec<(String, Region, String)>,
    /// The label revision read per region.
    pub(crate) revisions: Vec<Revision>,
    /// Where and since when the product is no longer marketed.
    pub(crate) discontinued: Option<(Region, chrono::NaiveDate)>,
    /// Conditions under which the label does not recommend the product, and
    /// the (block) flag they raise.
    pub(crate) blocked_conditions: Vec<(Condition, FlagCode)>,
    pub(crate) labels: Vec<Label>,
    pub devices: Vec<Device>,
    pub(crate) cited: Cited,
}

/// The label revision a region's rows were read from, and the current one.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Revision {
    pub(crate) region: Region,
    pub(crate) read: String,
    pub(crate) current: String,
    pub(crate) note: Option<String>,
}

impl Product {
    /// Why the product's current label for an indication is not dosed, when
    /// the rule set lists it as not encoded.
    pub(crate) fn not_encoded(&self, indication: &str, region: Region) -> Option<&str> {
        self.not_encoded
            .iter()
            .find(|(i, r, _)| i == indication && *r == region)
            .map(|(_, _, why)| why.as_str())
    }

    /// The revision read for a region.
    pub(crate) fn revision(&self, region: Region) -> Option<&Revision> {
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
    pub(crate) fn indications(&self) -> Vec<&str> {
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
#[derive(Debug, Clone, PartialEq)]
pub struct ProductSet {
    pub(crate) origin: Origin,
    pub(crate) sources: Vec<Source>,
    pub(crate) products: Vec<Product>,
    /// Where this table goes beyond the built-in product table's labelled
    /// limits (one line per row; empty for the built-in table).
    pub(crate) outside_label: Vec<String>,
}
