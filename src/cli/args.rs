//! The arguments of `start` and `titrate` exactly as the command line (or a
//! JSON request) gives them: numbers, dates and closed names are parsed,
//! nothing else. Units are converted and requests built in
//! [`super::request`].

use super::{OutputArgs, TableArgs};
use crate::vocab::{Condition, Confirm, Fact, Igf1Unit, RangeKind, Region, Sex, Symptom};
use chrono::NaiveDate;
use clap::Args;
use clap::builder::{PossibleValuesParser, TypedValueParser};
use serde::Deserialize;
use std::path::PathBuf;

/// A closed set of names, matched in any case.
pub(super) fn named<T>(names: &'static [&'static str]) -> impl TypedValueParser<Value = T>
where
    T: std::str::FromStr<Err = String> + Clone + Send + Sync + 'static,
{
    PossibleValuesParser::new(names).try_map(|s| s.parse::<T>())
}

/// Parses a number; non-finite values pass through for the core to refuse
/// with the allowed range.
pub(crate) fn parse_number(s: &str) -> Result<f64, String> {
    s.trim()
        .parse::<f64>()
        .map_err(|_| "expected a number, e.g. 24 or 24.5".to_string())
}

/// Parses an ISO calendar date within the years the output can write
/// ([`crate::dosing::DATE_YEARS`]).
pub(crate) fn parse_date(s: &str) -> Result<NaiveDate, String> {
    let d = NaiveDate::parse_from_str(s.trim(), "%Y-%m-%d")
        .map_err(|_| "expected a calendar date as YYYY-MM-DD, e.g. 2026-11-22".to_string())?;
    if !crate::dosing::in_years(d) {
        let (lo, hi) = crate::dosing::DATE_YEARS;
        return Err(format!("expected a date in the years {lo}-{hi}"));
    }
    Ok(d)
}

/// `gh-dose start`. Also read from JSON (`--input`, `batch`): the same field
/// names as the flags, in snake_case.
#[derive(Debug, Args, Deserialize, Default, Clone)]
#[serde(default)]
pub(crate) struct StartArgs {
    #[command(flatten)]
    #[serde(flatten)]
    pub(crate) patient: PatientArgs,
    /// Indication id: ghd, turner, pws, sga, iss, shox, noonan, ckd, adult-ghd, transition.
    #[arg(
        long,
        value_name = "ID",
        required_unless_present_any = ["input", "fhir"],
        help_heading = "Treatment"
    )]
    pub(crate) indication: Option<String>,
    /// Switching from daily growth hormone (weekly products).
    #[arg(long, help_heading = "Treatment")]
    pub(crate) switching_from_daily: bool,
    /// A restart after a stop for intracranial hypertension (with --record): the signs have resolved (fundoscopy); the restart is lower than the dose before the stop.
    #[arg(long, help_heading = "Treatment")]
    pub(crate) signs_resolved: bool,
    /// Injections per week for daily somatropin (6 or 7; default 7).
    #[arg(long, value_name = "N", help_heading = "Treatment")]
    pub(crate) injections_per_week: Option<u8>,
    /// A chosen intensity in mg/kg/week instead of the suggested start (weight-based indications).
    #[arg(long, value_name = "MG", allow_negative_numbers = true, value_parser = parse_number, conflicts_with = "mg_per_kg_day", help_heading = "Treatment")]
    pub(crate) mg_per_kg_week: Option<f64>,
    /// The chosen intensity in mg/kg/day (x 7 = mg/kg/week), as EU labels state it.
    #[arg(long, value_name = "MG", allow_negative_numbers = true, value_parser = parse_number, help_heading = "Treatment")]
    pub(crate) mg_per_kg_day: Option<f64>,
    #[command(flatten)]
    #[serde(flatten)]
    pub(crate) product: ProductArgs,
    /// Count the pens or cartridges that cover this many days (1-366).
    #[arg(long, value_name = "DAYS", value_parser = clap::value_parser!(u32).range(1..=366), help_heading = "Product")]
    pub(crate) supply_days: Option<u32>,
    /// Append this visit to the patient's visit record (JSON Lines, created if missing; needs --sex and --birth-date).
    #[arg(long, value_name = "FILE", help_heading = "Record")]
    pub(crate) record: Option<PathBuf>,
    /// Read the request from this JSON file (- for stdin): the flags' names in snake_case.
    #[arg(long, value_name = "FILE", help_heading = "Request")]
    #[serde(skip)]
    pub(crate) input: Option<PathBuf>,
    /// Read the patient from a FHIR R4 Bundle or CDS Hooks prefetch object (- for stdin): Patient, Observations by LOINC, the current order, Conditions; flags given here win (docs/fhir.md).
    #[arg(long, value_name = "FILE", conflicts_with_all = ["input", "record"], help_heading = "Request")]
    #[serde(skip)]
    pub(crate) fhir: Option<PathBuf>,
    /// Decision date, YYYY-MM-DD [default: today].
    #[arg(long, value_name = "DATE", value_parser = parse_date, help_heading = "Request")]
    #[serde(skip)]
    pub(crate) as_of: Option<NaiveDate>,
    #[command(flatten)]
    #[serde(skip)]
    pub(crate) output: OutputArgs,
    /// The brief answer (human, at most 12 lines of 80 columns): product, dose per injection on its device, injections a week, action, next review, flag codes. Refused with --format json.
    #[arg(long, help_heading = "Output")]
    #[serde(skip)]
    pub(crate) brief: bool,
    #[command(flatten)]
    #[serde(skip)]
    pub(crate) tables: TableArgs,
}

/// `gh-dose titrate`. Also read from JSON, like [`StartArgs`].
#[derive(Debug, Args, Deserialize, Default, Clone)]
#[serde(default)]
pub(crate) struct TitrateArgs {
    #[command(flatten)]
    #[serde(flatten)]
    pub(crate) patient: PatientArgs,
    /// Indication id: ghd, turner, pws, sga, iss, shox, noonan, ckd, adult-ghd, transition.
    #[arg(
        long,
        value_name = "ID",
        required_unless_present_any = ["input", "record", "fhir"],
        help_heading = "Treatment"
    )]
    pub(crate) indication: Option<String>,
    /// Injections per week for daily somatropin (6 or 7; default 7).
    #[arg(long, value_name = "N", help_heading = "Treatment")]
    pub(crate) injections_per_week: Option<u8>,
    /// Current dose per daily injection, mg.
    #[arg(long, value_name = "MG", allow_negative_numbers = true, value_parser = parse_number, conflicts_with = "current_mg_per_week", help_heading = "Current dose")]
    pub(crate) current_mg_per_day: Option<f64>,
    /// Current dose per week, mg (weekly products: the weekly dose).
    #[arg(long, value_name = "MG", allow_negative_numbers = true, value_parser = parse_number, help_heading = "Current dose")]
    pub(crate) current_mg_per_week: Option<f64>,
    /// Children: the prescribed intensity in mg/kg/week.
    #[arg(long, value_name = "MG", allow_negative_numbers = true, value_parser = parse_number, conflicts_with = "previous_weight_kg", help_heading = "Current dose")]
    pub(crate) prescribed_mg_per_kg_week: Option<f64>,
    /// Children: the weight when the current dose was set (intensity = dose / this weight).
    #[arg(long, value_name = "KG", allow_negative_numbers = true, value_parser = parse_number, help_heading = "Current dose")]
    pub(crate) previous_weight_kg: Option<f64>,
    /// Children: date of the previous weight, YYYY-MM-DD (default: the last dose change).
    #[arg(long, value_name = "DATE", value_parser = parse_date, requires = "previous_weight_kg", help_heading = "Current dose")]
    pub(crate) previous_weight_date: Option<NaiveDate>,
    /// Date of the last dose change, YYYY-MM-DD.
    #[arg(long, value_name = "DATE", value_parser = parse_date, help_heading = "Current dose")]
    pub(crate) last_dose_change: Option<NaiveDate>,
    /// Weekly products: date of the last injection, YYYY-MM-DD.
    #[arg(long, value_name = "DATE", value_parser = parse_date, help_heading = "Current dose")]
    pub(crate) last_injection: Option<NaiveDate>,
    #[command(flatten)]
    #[serde(flatten)]
    pub(crate) igf1: Igf1Args,
    /// Children: the previous height in cm (with --previous-height-date; the current one is --height-cm).
    #[arg(long, value_name = "CM", allow_negative_numbers = true, value_parser = parse_number, help_heading = "Growth")]
    pub(crate) previous_height_cm: Option<f64>,
    /// Children: date of the previous height, YYYY-MM-DD.
    #[arg(long, value_name = "DATE", value_parser = parse_date, help_heading = "Growth")]
    pub(crate) previous_height_date: Option<NaiveDate>,
    /// Children: height velocity before treatment, cm/year.
    #[arg(long, value_name = "CM", allow_negative_numbers = true, value_parser = parse_number, help_heading = "Growth")]
    pub(crate) pretreatment_hv_cm_per_year: Option<f64>,
    /// Children: bone age read at this visit, years (where given, it decides whether growth is nearly complete).
    #[arg(long, value_name = "YEARS", allow_negative_numbers = true, value_parser = parse_number, help_heading = "Growth")]
    pub(crate) bone_age_years: Option<f64>,
    /// Children: date treatment started, YYYY-MM-DD.
    #[arg(long, value_name = "DATE", value_parser = parse_date, help_heading = "Growth")]
    pub(crate) treatment_start: Option<NaiveDate>,
    #[command(flatten)]
    #[serde(flatten)]
    pub(crate) product: ProductArgs,
    /// Count the pens or cartridges that cover this many days at the new dose (1-366).
    #[arg(long, value_name = "DAYS", value_parser = clap::value_parser!(u32).range(1..=366), help_heading = "Product")]
    pub(crate) supply_days: Option<u32>,
    /// The patient's visit record: the current dose, last change, earlier height and treatment start are read from it (flags override), and this visit is appended.
    #[arg(long, value_name = "FILE", help_heading = "Record")]
    pub(crate) record: Option<PathBuf>,
    /// Read the request from this JSON file (- for stdin): the flags' names in snake_case.
    #[arg(long, value_name = "FILE", help_heading = "Request")]
    #[serde(skip)]
    pub(crate) input: Option<PathBuf>,
    /// Read the patient from a FHIR R4 Bundle or CDS Hooks prefetch object (- for stdin): Patient, Observations by LOINC, the current order, Conditions; flags given here win (docs/fhir.md).
    #[arg(long, value_name = "FILE", conflicts_with_all = ["input", "record"], help_heading = "Request")]
    #[serde(skip)]
    pub(crate) fhir: Option<PathBuf>,
    /// Decision date, YYYY-MM-DD [default: today].
    #[arg(long, value_name = "DATE", value_parser = parse_date, help_heading = "Request")]
    #[serde(skip)]
    pub(crate) as_of: Option<NaiveDate>,
    #[command(flatten)]
    #[serde(skip)]
    pub(crate) output: OutputArgs,
    /// The brief answer (human, at most 12 lines of 80 columns): product, dose per injection on its device, injections a week, action, next review, flag codes. Refused with --format json.
    #[arg(long, help_heading = "Output")]
    #[serde(skip)]
    pub(crate) brief: bool,
    #[command(flatten)]
    #[serde(skip)]
    pub(crate) tables: TableArgs,
}

/// IGF-1 as the laboratory reports it.
#[derive(Debug, Args, Deserialize, Default, Clone)]
#[serde(default)]
#[command(next_help_heading = "IGF-1")]
pub(crate) struct Igf1Args {
    /// Latest IGF-1 SDS as the laboratory reported it.
    #[arg(long, value_name = "SDS", allow_negative_numbers = true, value_parser = parse_number, conflicts_with = "igf1")]
    pub(crate) igf1_sds: Option<f64>,
    /// Latest IGF-1 concentration (with --igf1-unit and a reference: --igf1-ref-low/--igf1-ref-high or --igf1-reference).
    #[arg(long, value_name = "VALUE", allow_negative_numbers = true, value_parser = parse_number)]
    pub(crate) igf1: Option<f64>,
    /// Unit of --igf1 and the reference limits.
    #[arg(long, value_name = "UNIT", default_value = "ng/ml", ignore_case = true, value_parser = named::<Igf1Unit>(Igf1Unit::NAMES))]
    pub(crate) igf1_unit: Igf1Unit,
    /// The laboratory's lower reference limit for the patient's age and sex.
    #[arg(long, value_name = "VALUE", allow_negative_numbers = true, value_parser = parse_number, requires = "igf1_ref_high")]
    pub(crate) igf1_ref_low: Option<f64>,
    /// The laboratory's upper reference limit.
    #[arg(long, value_name = "VALUE", allow_negative_numbers = true, value_parser = parse_number, requires = "igf1_ref_low")]
    pub(crate) igf1_ref_high: Option<f64>,
    /// What the laboratory's limits are: the central 95 % (default) or +/-2 SD.
    #[arg(long, value_name = "KIND", default_value = "central95", ignore_case = true, value_parser = named::<RangeKind>(RangeKind::NAMES))]
    pub(crate) igf1_ref_kind: RangeKind,
    /// Box-Cox power for the laboratory range (default: log-normal).
    #[arg(long, value_name = "L", allow_negative_numbers = true, value_parser = parse_number)]
    pub(crate) igf1_ref_lambda: Option<f64>,
    /// An LMS reference file (TOML: age, sex, L, M, S, with its assay and citation).
    #[arg(long, value_name = "FILE", conflicts_with_all = ["igf1_ref_low", "igf1_ref_high"])]
    pub(crate) igf1_reference: Option<PathBuf>,
    /// Date the IGF-1 sample was drawn, YYYY-MM-DD [default: the as-of date].
    #[arg(long, value_name = "DATE", value_parser = parse_date)]
    pub(crate) igf1_date: Option<NaiveDate>,
}

/// Product, presentation and label region.
#[derive(Debug, Args, Deserialize, Default, Clone)]
#[serde(default)]
#[command(next_help_heading = "Product")]
pub(crate) struct ProductArgs {
    /// Product id (gh-dose products lists them): ranges from its label, doses rounded to its devices.
    #[arg(long, value_name = "ID")]
    pub(crate) product: Option<String>,
    /// Use this presentation of the product (default: the smallest pen that delivers the dose).
    #[arg(long, value_name = "ID")]
    pub(crate) device: Option<String>,
    /// Label region whose ranges apply [default: us; with titrate --record, the record's].
    #[arg(long, value_name = "REGION", ignore_case = true, value_parser = named::<Region>(&["us", "eu"]))]
    pub(crate) region: Option<Region>,
}

/// The body as measured: sex, age, weight, height and BMI. Shared by the
/// dosing commands (inside [`PatientArgs`]) and `growth`, with the same flag
/// and JSON field names.
#[derive(Debug, Args, Deserialize, Default, Clone)]
#[serde(default)]
#[command(next_help_heading = "Patient")]
pub(crate) struct BodyArgs {
    /// Body weight in kg.
    #[arg(long, value_name = "KG", allow_negative_numbers = true, value_parser = parse_number, conflicts_with = "weight_lb")]
    pub(crate) weight_kg: Option<f64>,
    /// Body weight in pounds (converted to kg).
    #[arg(long, value_name = "LB", allow_negative_numbers = true, value_parser = parse_number)]
    pub(crate) weight_lb: Option<f64>,
    /// Height in cm.
    #[arg(long, value_name = "CM", allow_negative_numbers = true, value_parser = parse_number, conflicts_with = "height_in")]
    pub(crate) height_cm: Option<f64>,
    /// Height in inches (converted to cm).
    #[arg(long, value_name = "IN", allow_negative_numbers = true, value_parser = parse_number)]
    pub(crate) height_in: Option<f64>,
    /// Age in decimal years.
    #[arg(long, value_name = "YEARS", allow_negative_numbers = true, value_parser = parse_number, conflicts_with = "birth_date")]
    pub(crate) age_years: Option<f64>,
    /// Birth date, YYYY-MM-DD (age = days to the as-of date / 365.25).
    #[arg(long, value_name = "DATE", value_parser = parse_date)]
    pub(crate) birth_date: Option<NaiveDate>,
    /// Sex.
    #[arg(long, value_name = "SEX", ignore_case = true, value_parser = named::<Sex>(Sex::NAMES))]
    pub(crate) sex: Option<Sex>,
    /// Body-mass index in kg/m2 (computed from weight and height when omitted).
    #[arg(long, value_name = "BMI", allow_negative_numbers = true, value_parser = parse_number)]
    pub(crate) bmi: Option<f64>,
}

/// The patient, shared by the dosing commands.
#[derive(Debug, Args, Deserialize, Default, Clone)]
#[serde(default)]
#[command(next_help_heading = "Patient")]
pub(crate) struct PatientArgs {
    #[command(flatten)]
    #[serde(flatten)]
    pub(crate) body: BodyArgs,
    /// Height SDS (SGA: below -3 starts at the upper dose).
    #[arg(long, value_name = "SDS", allow_negative_numbers = true, value_parser = parse_number)]
    pub(crate) height_sds: Option<f64>,
    /// The child is pubertal (SGA: starts at the upper dose).
    #[arg(long)]
    pub(crate) pubertal: bool,
    /// Takes oral estrogen (adults: start at the group maximum).
    #[arg(long)]
    pub(crate) oral_estrogen: bool,
    /// Diabetes or glucose intolerance.
    #[arg(long)]
    pub(crate) diabetes: bool,
    /// Obesity (adults: also BMI of 30 or more).
    #[arg(long)]
    pub(crate) obesity: bool,
    /// A clinical condition (repeatable).
    #[arg(long, value_name = "NAME", ignore_case = true, value_parser = named::<Condition>(Condition::NAMES))]
    pub(crate) condition: Vec<Condition>,
    /// A current symptom (repeatable).
    #[arg(long, value_name = "NAME", ignore_case = true, value_parser = named::<Symptom>(Symptom::NAMES))]
    pub(crate) symptom: Vec<Symptom>,
    /// Confirm a value as real that a plausibility check refuses: weight or
    /// height (against the previous one or for the age), dose (a seventh or
    /// seven times the record's, an adult's above the cap) (repeatable).
    #[arg(long, value_name = "WHAT", ignore_case = true, value_parser = named::<Confirm>(Confirm::NAMES))]
    pub(crate) confirm: Vec<Confirm>,
    /// With --record: a condition or treatment fact (oral-estrogen,
    /// diabetes, obesity) the record holds that no longer does (repeatable).
    #[arg(long, value_name = "NAME", ignore_case = true, value_parser = named::<Fact>(Fact::names()))]
    pub(crate) resolved: Vec<Fact>,
}

#[cfg(test)]
mod tests;
