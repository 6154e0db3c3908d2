//! One line of a visit record (`record_version` 1): what was measured, the
//! IGF-1 as given and as SDS, the dose given from this visit on, and the
//! decision with the rule set that made it. Written by `start`/`titrate
//! --record`, read back by `titrate --record`, `record` and `chart`.
//!
//! Doses are in mg (to the microgram, as the output writes them); the reader
//! turns them back into whole micrograms. Fields that do not apply are
//! `null`, never absent; a field the format does not know is refused.

use crate::vocab::{Action, Condition, Confirm, Fact, FlagCode, Region, Sex};
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

/// The version of the line format this build writes and reads.
pub const RECORD_VERSION: u32 = 1;

/// What the record is: the value of every line's `record` field.
pub const RECORD_KIND: &str = "gh-dose-visit";

/// One visit.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
#[serde(expecting = "struct Visit")]
#[schemars(rename = "Visit")]
pub struct VisitLine {
    /// Always `gh-dose-visit`.
    pub record: String,
    /// The line format's version: 1.
    pub record_version: u32,
    /// The visit (decision) date.
    pub date: NaiveDate,
    /// `start` or `titrate`.
    pub command: String,
    /// Who the record is for: every line carries the same.
    pub patient: Identity,
    /// Indication id.
    pub indication: String,
    pub measurements: Measurements,
    /// The patient's conditions and treatment facts as they stand after this
    /// visit (given, or carried from the record); always written, absent
    /// from lines written before it.
    #[serde(default)]
    pub patient_facts: Option<PatientFacts>,
    /// The IGF-1 the decision read, or null.
    pub igf1: Option<Igf1Given>,
    /// Titrate: the dose the patient was on when the visit began, or null.
    pub dose_before: Option<GivenDose>,
    /// The dose given from this visit on; null when it was withheld or
    /// stopped.
    pub dose: Option<GivenDose>,
    pub decision: Decision,
    /// The tables that made the decision.
    pub rules: RulesUsed,
    /// The gh-dose version that wrote the line.
    pub gh_dose_version: String,
}

/// Sex and birth date: a record is one patient's.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Identity {
    pub sex: Sex,
    pub birth_date: NaiveDate,
}

/// What was measured at the visit.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Measurements {
    pub weight_kg: Option<f64>,
    pub height_cm: Option<f64>,
    /// Height SDS the decision used, or null.
    pub height_sds: Option<f64>,
    /// The reference it was computed on, or `given`.
    pub height_sds_source: Option<String>,
    pub bmi: Option<f64>,
    pub pubertal: bool,
    /// Measurements confirmed as real with `--confirm` (weight, height);
    /// always written (`[]` for none); absent from lines written before it.
    #[serde(default)]
    pub confirmed: Vec<Confirm>,
}

/// What the record keeps of the patient from visit to visit: the conditions
/// (`--condition`) and the treatment facts that change dosing, as they stand
/// after the visit, and what the visit said no longer holds (`--resolved`).
/// Symptoms are of the visit and are not kept here.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct PatientFacts {
    pub conditions: Vec<Condition>,
    pub oral_estrogen: bool,
    pub diabetes: bool,
    /// Obesity as given (`--obesity`), not as computed from the BMI.
    pub obesity: bool,
    /// What this visit said no longer holds.
    pub resolved: Vec<Fact>,
}

/// The IGF-1 as given and as the decision read it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Igf1Given {
    /// As given: `+2.6 SDS` or `412 ng/mL` (with its unit).
    pub given: String,
    /// The concentration in ng/mL, or null when an SDS was given.
    pub ng_ml: Option<f64>,
    pub sds: Option<f64>,
    /// `reported`, `lab-range-lognormal`, `lab-range-boxcox`, `lms-reference`.
    pub method: Option<String>,
    /// The reference the SDS was computed on, or null.
    pub reference: Option<String>,
    /// The sampling date.
    pub date: Option<NaiveDate>,
}

/// A dose on a product and device, or a computed dose without one.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct GivenDose {
    pub product: Option<String>,
    pub device: Option<String>,
    pub region: Region,
    pub injections_per_week: u8,
    /// Injections (or cartridges) per dose: 2 for a split dose.
    pub injections_per_dose: u8,
    pub mg_per_injection: f64,
    pub mg_per_week: f64,
    /// The intensity on the visit's weight (weight-based doses), or null.
    pub mg_per_kg_per_week: Option<f64>,
}

/// What gh-dose decided.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Decision {
    pub action: Action,
    /// The change in percent of the weekly dose (titrate, a change), or null.
    pub change_percent: Option<f64>,
    /// A decrease made because IGF-1 was above the range: the next visit
    /// does not undo it without a reason.
    pub reduced_for_igf1: bool,
    /// The flags raised, by code.
    pub flags: Vec<FlagCode>,
    pub next_review: Option<Window>,
    /// The request fields that were read from the record (titrate).
    pub from_record: Vec<String>,
    /// Fields given on the command line that differ from the record.
    pub overridden: Vec<String>,
}

/// A review window.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Window {
    pub earliest: NaiveDate,
    pub latest: NaiveDate,
}

/// The rule and product tables behind the decision.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct RulesUsed {
    pub source: String,
    pub version: String,
    pub sha256: String,
    /// The product table's sha256, when a product was used.
    pub products_sha256: Option<String>,
}

/// What the caller knows that the document does not say: the device asked
/// for and what came from the record.
#[derive(Debug, Clone, Default)]
pub struct Provenance {
    /// The device on which the current dose was given (titrate).
    pub device_before: Option<String>,
    /// Each request field read from the record, and its line.
    pub from_record: Vec<(String, usize)>,
    pub overridden: Vec<String>,
}

/// What a correction line is: the value of its `record` field.
pub const VOID_KIND: &str = "gh-dose-void";

/// The status a correction line gives the visit it names (FHIR's
/// `entered-in-error`): the visit should not have been recorded.
pub const ENTERED_IN_ERROR: &str = "entered-in-error";

/// The longest reason a correction line holds, in characters.
pub const MAX_REASON_CHARS: usize = 500;

/// A correction: the visit on line `voids` was entered in error. Appended by
/// `gh-dose record void`; the visit stays in the file, readers skip it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Void {
    /// Always `gh-dose-void`.
    pub record: String,
    /// The line format's version: 1.
    pub record_version: u32,
    /// Always `entered-in-error`.
    pub status: String,
    /// The line number (1-based) of the visit entered in error.
    pub voids: usize,
    /// Why, as the clinician gave it.
    pub reason: String,
    /// The date the correction was made.
    pub date: NaiveDate,
    /// The gh-dose version that wrote the line.
    pub gh_dose_version: String,
}

/// One line of a record, for its JSON Schema: a visit or a correction.
#[derive(schemars::JsonSchema)]
#[serde(untagged)]
#[allow(dead_code, clippy::large_enum_variant)]
pub(crate) enum Entry {
    Visit(VisitLine),
    Void(Void),
}
