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
pub(crate) const RECORD_VERSION: u32 = 1;

/// What the record is: the value of every line's `record` field.
pub(crate) const RECORD_KIND: &str = "gh-dose-visit";

/// One visit.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
#[serde(expecting = "struct Visit")]
#[schemars(rename = "Visit")]
pub(crate) struct VisitLine {
    /// Always `gh-dose-visit`.
    pub(crate) record: String,
    /// The line format's version: 1.
    pub(crate) record_version: u32,
    /// The visit (decision) date.
    pub(crate) date: NaiveDate,
    /// `start` or `titrate`.
    pub(crate) command: String,
    /// Who the record is for: every line carries the same.
    pub(crate) patient: Identity,
    /// Indication id.
    pub(crate) indication: String,
    pub(crate) measurements: Measurements,
    /// The patient's conditions and treatment facts as they stand after this
    /// visit (given, or carried from the record); always written, absent
    /// from lines written before it.
    #[serde(default)]
    pub(crate) patient_facts: Option<PatientFacts>,
    /// The IGF-1 the decision read, or null.
    pub(crate) igf1: Option<Igf1Given>,
    /// Titrate: the dose the patient was on when the visit began, or null.
    pub(crate) dose_before: Option<GivenDose>,
    /// The dose given from this visit on; null when it was withheld or
    /// stopped.
    pub(crate) dose: Option<GivenDose>,
    pub(crate) decision: Decision,
    /// The tables that made the decision.
    pub(crate) rules: RulesUsed,
    /// The gh-dose version that wrote the line.
    pub(crate) gh_dose_version: String,
}

/// Sex and birth date: a record is one patient's.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub(crate) struct Identity {
    pub(crate) sex: Sex,
    pub(crate) birth_date: NaiveDate,
}

/// What was measured at the visit.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub(crate) struct Measurements {
    pub(crate) weight_kg: Option<f64>,
    pub(crate) height_cm: Option<f64>,
    /// Height SDS the decision used, or null.
    pub(crate) height_sds: Option<f64>,
    /// The reference it was computed on, or `given`.
    pub(crate) height_sds_source: Option<String>,
    pub(crate) bmi: Option<f64>,
    pub(crate) pubertal: bool,
    /// Measurements confirmed as real with `--confirm` (weight, height);
    /// always written (`[]` for none); absent from lines written before it.
    #[serde(default)]
    pub(crate) confirmed: Vec<Confirm>,
}

/// What the record keeps of the patient from visit to visit: the conditions
/// (`--condition`) and the treatment facts that change dosing, as they stand
/// after the visit, and what the visit said no longer holds (`--resolved`).
/// Symptoms are of the visit and are not kept here.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub(crate) struct PatientFacts {
    pub(crate) conditions: Vec<Condition>,
    pub(crate) oral_estrogen: bool,
    pub(crate) diabetes: bool,
    /// Obesity as given (`--obesity`), not as computed from the BMI.
    pub(crate) obesity: bool,
    /// What this visit said no longer holds.
    pub(crate) resolved: Vec<Fact>,
}

/// The IGF-1 as given and as the decision read it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub(crate) struct Igf1Given {
    /// As given: `+2.6 SDS` or `412 ng/mL` (with its unit).
    pub(crate) given: String,
    /// The concentration in ng/mL, or null when an SDS was given.
    pub(crate) ng_ml: Option<f64>,
    pub(crate) sds: Option<f64>,
    /// `reported`, `lab-range-lognormal`, `lab-range-boxcox`, `lms-reference`.
    pub(crate) method: Option<String>,
    /// The reference the SDS was computed on, or null.
    pub(crate) reference: Option<String>,
    /// The sampling date.
    pub(crate) date: Option<NaiveDate>,
}

/// A dose on a product and device, or a computed dose without one.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub(crate) struct GivenDose {
    pub(crate) product: Option<String>,
    pub(crate) device: Option<String>,
    pub(crate) region: Region,
    pub(crate) injections_per_week: u8,
    /// Injections (or cartridges) per dose: 2 for a split dose.
    pub(crate) injections_per_dose: u8,
    pub(crate) mg_per_injection: f64,
    pub(crate) mg_per_week: f64,
    /// The intensity on the visit's weight (weight-based doses), or null.
    pub(crate) mg_per_kg_per_week: Option<f64>,
}

/// What gh-dose decided.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub(crate) struct Decision {
    pub(crate) action: Action,
    /// The change in percent of the weekly dose (titrate, a change), or null.
    pub(crate) change_percent: Option<f64>,
    /// A decrease made because IGF-1 was above the range: the next visit
    /// does not undo it without a reason.
    pub(crate) reduced_for_igf1: bool,
    /// The flags raised, by code.
    pub(crate) flags: Vec<FlagCode>,
    pub(crate) next_review: Option<Window>,
    /// The request fields that were read from the record (titrate).
    pub(crate) from_record: Vec<String>,
    /// Fields given on the command line that differ from the record.
    pub(crate) overridden: Vec<String>,
}

/// A review window.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub(crate) struct Window {
    pub(crate) earliest: NaiveDate,
    pub(crate) latest: NaiveDate,
}

/// The rule and product tables behind the decision.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub(crate) struct RulesUsed {
    pub(crate) source: String,
    pub(crate) version: String,
    pub(crate) sha256: String,
    /// The product table's sha256, when a product was used.
    pub(crate) products_sha256: Option<String>,
}

/// What the caller knows that the document does not say: the device asked
/// for and what came from the record.
#[derive(Debug, Clone, Default)]
pub(crate) struct Provenance {
    /// The device on which the current dose was given (titrate).
    pub(crate) device_before: Option<String>,
    /// Each request field read from the record, and its line.
    pub(crate) from_record: Vec<(String, usize)>,
    pub(crate) overridden: Vec<String>,
}

/// What a correction line is: the value of its `record` field.
pub(crate) const VOID_KIND: &str = "gh-dose-void";

/// The status a correction line gives the visit it names (FHIR's
/// `entered-in-error`): the visit should not have been recorded.
pub(crate) const ENTERED_IN_ERROR: &str = "entered-in-error";

/// The longest reason a correction line holds, in characters.
pub(crate) const MAX_REASON_CHARS: usize = 500;

/// A correction: the visit on line `voids` was entered in error. Appended by
/// `gh-dose record void`; the visit stays in the file, readers skip it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub(crate) struct Void {
    /// Always `gh-dose-void`.
    pub(crate) record: String,
    /// The line format's version: 1.
    pub(crate) record_version: u32,
    /// Always `entered-in-error`.
    pub(crate) status: String,
    /// The line number (1-based) of the visit entered in error.
    pub(crate) voids: usize,
    /// Why, as the clinician gave it.
    pub(crate) reason: String,
    /// The date the correction was made.
    pub(crate) date: NaiveDate,
    /// The gh-dose version that wrote the line.
    pub(crate) gh_dose_version: String,
}

/// One line of a record, for its JSON Schema: a visit or a correction.
#[derive(schemars::JsonSchema)]
#[serde(untagged)]
#[allow(dead_code, clippy::large_enum_variant)]
pub(crate) enum Entry {
    Visit(VisitLine),
    Void(Void),
}
