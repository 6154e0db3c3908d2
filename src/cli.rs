//! Command-line types (clap derive) and their one-time conversion into
//! typed domain requests. No clinical logic lives here: clap checks syntax,
//! the rule set's limits are checked in the core.

use crate::dosing::igf1::{Igf1Input, Igf1Reference, Igf1Unit, LmsReference, RangeKind};
use crate::dosing::types::{Condition, Sex, Symptom};
use crate::dosing::{AgeInput, CurrentDose, Measured, PatientInput, StartRequest, TitrateRequest};
use crate::error::InputError;
use crate::rules::products::Region;
use chrono::NaiveDate;
use clap::builder::{PossibleValuesParser, TypedValueParser};
use clap::{Args, Parser, Subcommand, ValueEnum};
use serde::Deserialize;
use std::path::PathBuf;

/// Kilograms per pound (exact, by definition).
const KG_PER_LB: f64 = 0.453_592_37;
/// Centimetres per inch (exact, by definition).
const CM_PER_IN: f64 = 2.54;

const EXIT_CODES: &str = "\
Exit codes:
  0  a recommendation was produced (it may carry warnings)
  1  internal error (a bug)
  2  invalid command line or input value
  3  invalid rule file
  4  a block flag withheld the dose (the output is still printed in full)";

/// Growth hormone starting doses and titration steps from sourced rule tables.
///
/// gh-dose computes weekly and per-injection somatropin doses, the
/// recommended range, safety flags, the next review window and the sources
/// behind every number. It supports the clinician's decision; it does not
/// replace it, the product label or the local protocol.
#[derive(Debug, Parser)]
#[command(name = "gh-dose", version, after_long_help = EXIT_CODES, after_help = EXIT_CODES)]
pub struct Cli {
    #[command(flatten)]
    pub global: GlobalArgs,
    #[command(subcommand)]
    pub command: Command,
}

/// Options for every command.
#[derive(Debug, Args)]
pub struct GlobalArgs {
    /// Output format: auto is human on a terminal and JSON when piped.
    #[arg(long, value_enum, default_value_t = Format::Auto, global = true)]
    pub format: Format,
    /// Colour for human output (NO_COLOR is honoured by auto).
    #[arg(long, value_enum, default_value_t = ColorWhen::Auto, global = true)]
    pub color: ColorWhen,
    /// Decision date, YYYY-MM-DD [default: today].
    #[arg(long, value_name = "DATE", value_parser = parse_date, global = true)]
    pub as_of: Option<NaiveDate>,
    /// Use this rule file instead of the built-in rules.
    #[arg(long, value_name = "FILE", env = "GH_DOSE_RULES", global = true)]
    pub rules: Option<PathBuf>,
    /// Use this product table instead of the built-in one.
    #[arg(long, value_name = "FILE", env = "GH_DOSE_PRODUCTS", global = true)]
    pub products: Option<PathBuf>,
}

/// Output format.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Format {
    /// Human on a terminal, JSON otherwise.
    Auto,
    /// A readable table.
    Human,
    /// One JSON object (schema_version 1).
    Json,
}

/// When to colour human output.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ColorWhen {
    /// On a terminal, unless NO_COLOR is set.
    Auto,
    /// Always.
    Always,
    /// Never.
    Never,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Starting dose, range, flags and next review for an indication.
    #[command(after_long_help = START_EXAMPLES)]
    Start(Box<StartArgs>),
    /// Decision at a follow-up visit: increase, decrease, maintain, recheck or stop.
    #[command(after_long_help = TITRATE_EXAMPLES)]
    Titrate(Box<TitrateArgs>),
    /// List every indication with its ranges and sources.
    #[command(
        after_help = "Examples:\n  gh-dose indications\n  gh-dose indications --format json | jq '.indications[] | {id, mg_per_kg_per_week}'\n  gh-dose indications --rules clinic.toml"
    )]
    Indications,
    /// List products: molecules, schedules, labelled indications, devices.
    #[command(
        after_help = "Examples:\n  gh-dose products\n  gh-dose products --format json | jq '.products[] | {id, devices: [.devices[].id]}'"
    )]
    Products,
    /// Print or validate rule files.
    #[command(
        subcommand,
        after_help = "Examples:\n  gh-dose rules show > clinic.toml\n  gh-dose rules show products > formulary.toml\n  gh-dose rules check clinic.toml     # exit 3 with file:line:col on a problem"
    )]
    Rules(RulesCommand),
    /// Many requests: JSON Lines (or CSV) in, one JSON line out per input line.
    #[command(after_long_help = BATCH_HELP)]
    Batch(BatchArgs),
    /// Print the JSON Schema (draft 2020-12) of the output.
    #[command(after_help = "Example:\n  gh-dose schema > gh-dose.schema.json")]
    Schema,
    /// Print shell completions.
    #[command(
        after_help = "Examples:\n  gh-dose completions bash > ~/.local/share/bash-completion/completions/gh-dose\n  gh-dose completions zsh > ~/.zfunc/_gh-dose\n  gh-dose completions fish > ~/.config/fish/completions/gh-dose.fish"
    )]
    Completions {
        /// The shell.
        #[arg(value_enum)]
        shell: clap_complete::Shell,
    },
    /// Print the man page (roff).
    #[command(after_help = "Example:\n  gh-dose man > gh-dose.1 && man ./gh-dose.1")]
    Man,
}

const BATCH_HELP: &str = "\
Examples:
  gh-dose batch requests.jsonl > results.jsonl
  cat requests.jsonl | gh-dose batch --as-of 2026-11-22 | jq -c 'select(.error)'
  gh-dose batch --input-format csv visits.csv

Each input line is one JSON object: \"command\" (start or titrate) and the flags' names in
snake_case, e.g. {\"command\":\"start\",\"indication\":\"turner\",\"weight_kg\":24,\"as_of\":\"2026-11-22\"}.
Each output line is the JSON document for that line, in the same order, or
{\"line\": N, \"error\": {\"code\": 2, \"message\": \"...\"}} for a line that failed; processing goes on.
CSV input (--input-format csv) has a header row of field names; list fields
(condition, symptom) separate values with ';'.

Exit codes:
  0  every line produced a recommendation (withheld ones included)
  2  at least one line failed (its error object says why)
  3  invalid rule or product file";

/// `gh-dose batch`.
#[derive(Debug, Args)]
pub struct BatchArgs {
    /// Input file, or - for stdin.
    #[arg(value_name = "FILE", default_value = "-")]
    pub file: PathBuf,
    /// Input format.
    #[arg(long, value_enum, default_value_t = InputFormat::Jsonl)]
    pub input_format: InputFormat,
}

/// Batch input formats.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum InputFormat {
    /// One JSON object per line.
    Jsonl,
    /// Comma-separated values with a header row.
    Csv,
}

const START_EXAMPLES: &str = "\
Examples:
  gh-dose start --indication turner --weight-kg 24
  gh-dose start --indication sga --weight-kg 18 --height-sds -3.2
  gh-dose start --indication ghd --weight-lb 55 --injections-per-week 6
  gh-dose start --indication adult-ghd --age-years 45 --sex female --oral-estrogen
  gh-dose start --indication turner --weight-kg 24 --product norditropin --supply-days 28
  gh-dose start --indication ghd --weight-kg 50 --product ngenla
  gh-dose start --indication adult-ghd --age-years 45 --product sogroya --switching-from-daily --region eu
  gh-dose start --indication pws --weight-kg 30 --condition pws-sleep-apnea   # withheld, exit 4
  gh-dose start --indication turner --weight-kg 24 --format json --as-of 2026-11-22

Exit codes:
  0  a recommendation was produced (it may carry warnings)
  2  invalid command line or input value
  3  invalid rule file
  4  a block flag withheld the dose (the output is still printed in full)";

const TITRATE_EXAMPLES: &str = "\
Examples:
  # adult, IGF-1 below the target band 6 weeks after the last change: increase
  gh-dose titrate --indication adult-ghd --age-years 45 --current-mg-per-day 0.3 \\
      --igf1-sds -1.5 --igf1-date 2026-11-20 --last-dose-change 2026-10-09 --as-of 2026-11-22
  # child who grew: same mg/kg/week on the new weight
  gh-dose titrate --indication ghd --weight-kg 28 --previous-weight-kg 25 --current-mg-per-week 6
  # child with IGF-1 above +2 on a product: 15 % reduction, rounded to the pen
  gh-dose titrate --indication ghd --weight-kg 30 --current-mg-per-week 7.2 --igf1-sds 2.6 --product norditropin
  # weekly product: the sample day after the injection matters
  gh-dose titrate --indication adult-ghd --age-years 50 --product sogroya --current-mg-per-week 1.5 \\
      --igf1-sds -0.8 --igf1-date 2026-11-20 --last-injection 2026-11-16

Exit codes:
  0  a recommendation was produced (it may carry warnings)
  2  invalid command line or input value
  3  invalid rule file
  4  a block flag stopped treatment (the output is still printed in full)";

/// `gh-dose titrate`. Also read from JSON, like [`StartArgs`].
#[derive(Debug, Args, Deserialize, Default)]
#[serde(default)]
pub struct TitrateArgs {
    /// Indication id: ghd, turner, pws, sga, iss, shox, noonan, ckd, adult-ghd, transition.
    #[arg(long, value_name = "ID", required_unless_present = "input")]
    pub indication: Option<String>,
    #[command(flatten)]
    #[serde(flatten)]
    pub patient: PatientArgs,
    /// Injections per week for daily somatropin (6 or 7; default 7).
    #[arg(long, value_name = "N")]
    pub injections_per_week: Option<u8>,
    #[command(flatten)]
    #[serde(flatten)]
    pub product: ProductArgs,
    /// Current dose per daily injection, mg.
    #[arg(long, value_name = "MG", allow_negative_numbers = true, value_parser = parse_number, conflicts_with = "current_mg_per_week")]
    pub current_mg_per_day: Option<f64>,
    /// Current dose per week, mg (weekly products: the weekly dose).
    #[arg(long, value_name = "MG", allow_negative_numbers = true, value_parser = parse_number)]
    pub current_mg_per_week: Option<f64>,
    /// Children: the prescribed intensity in mg/kg/week.
    #[arg(long, value_name = "MG", allow_negative_numbers = true, value_parser = parse_number, conflicts_with = "previous_weight_kg")]
    pub prescribed_mg_per_kg_week: Option<f64>,
    /// Children: the weight when the current dose was set (intensity = dose / this weight).
    #[arg(long, value_name = "KG", allow_negative_numbers = true, value_parser = parse_number)]
    pub previous_weight_kg: Option<f64>,
    /// Latest IGF-1 SDS as the laboratory reported it.
    #[arg(long, value_name = "SDS", allow_negative_numbers = true, value_parser = parse_number, conflicts_with = "igf1")]
    pub igf1_sds: Option<f64>,
    /// Latest IGF-1 concentration (with --igf1-unit and a reference: --igf1-ref-low/--igf1-ref-high or --igf1-reference).
    #[arg(long, value_name = "VALUE", allow_negative_numbers = true, value_parser = parse_number)]
    pub igf1: Option<f64>,
    /// Unit of --igf1 and the reference limits.
    #[arg(long, value_name = "UNIT", default_value = "ng/ml", value_parser = PossibleValuesParser::new(["ng/ml", "nmol/l"]).map(|s| if s == "nmol/l" { Igf1Unit::NmolPerL } else { Igf1Unit::NgPerMl }))]
    pub igf1_unit: Igf1Unit,
    /// The laboratory's lower reference limit for the patient's age and sex.
    #[arg(long, value_name = "VALUE", allow_negative_numbers = true, value_parser = parse_number, requires = "igf1_ref_high")]
    pub igf1_ref_low: Option<f64>,
    /// The laboratory's upper reference limit.
    #[arg(long, value_name = "VALUE", allow_negative_numbers = true, value_parser = parse_number, requires = "igf1_ref_low")]
    pub igf1_ref_high: Option<f64>,
    /// What the laboratory's limits are: the central 95 % (default) or +/-2 SD.
    #[arg(long, value_name = "KIND", default_value = "central95", value_parser = PossibleValuesParser::new(["central95", "2sd"]).map(|s| if s == "2sd" { RangeKind::TwoSd } else { RangeKind::Central95 }))]
    pub igf1_ref_kind: RangeKind,
    /// Box-Cox power for the laboratory range (default: log-normal).
    #[arg(long, value_name = "L", allow_negative_numbers = true, value_parser = parse_number)]
    pub igf1_ref_lambda: Option<f64>,
    /// An LMS reference file (TOML: age, sex, L, M, S, with its assay and citation).
    #[arg(long, value_name = "FILE", conflicts_with_all = ["igf1_ref_low", "igf1_ref_high"])]
    pub igf1_reference: Option<PathBuf>,
    /// Date the IGF-1 sample was drawn, YYYY-MM-DD [default: the as-of date].
    #[arg(long, value_name = "DATE", value_parser = parse_date)]
    pub igf1_date: Option<NaiveDate>,
    /// Date of the last dose change, YYYY-MM-DD.
    #[arg(long, value_name = "DATE", value_parser = parse_date)]
    pub last_dose_change: Option<NaiveDate>,
    /// Weekly products: date of the last injection, YYYY-MM-DD.
    #[arg(long, value_name = "DATE", value_parser = parse_date)]
    pub last_injection: Option<NaiveDate>,
    /// Children: the previous height in cm (with --previous-height-date; the current one is --height-cm).
    #[arg(long, value_name = "CM", allow_negative_numbers = true, value_parser = parse_number)]
    pub previous_height_cm: Option<f64>,
    /// Children: date of the previous height, YYYY-MM-DD.
    #[arg(long, value_name = "DATE", value_parser = parse_date)]
    pub previous_height_date: Option<NaiveDate>,
    /// Children: height velocity before treatment, cm/year.
    #[arg(long, value_name = "CM", allow_negative_numbers = true, value_parser = parse_number)]
    pub pretreatment_hv_cm_per_year: Option<f64>,
    /// Children: date treatment started, YYYY-MM-DD.
    #[arg(long, value_name = "DATE", value_parser = parse_date)]
    pub treatment_start: Option<NaiveDate>,
    /// Read the request from this JSON file (- for stdin): the flags' names in snake_case.
    #[arg(long, value_name = "FILE")]
    #[serde(skip)]
    pub input: Option<PathBuf>,
}

impl TitrateArgs {
    /// The domain request for a decision date; `lms` is the parsed
    /// `--igf1-reference` file.
    pub fn to_request(
        &self,
        as_of: NaiveDate,
        lms: Option<LmsReference>,
    ) -> Result<TitrateRequest, InputError> {
        let igf1 = match (self.igf1_sds, self.igf1) {
            (Some(s), _) => Some(Igf1Input::Sds(s)),
            (None, Some(value)) => {
                let reference = match (lms, self.igf1_ref_low, self.igf1_ref_high) {
                    (Some(r), _, _) => Igf1Reference::Lms(r),
                    (None, Some(low), Some(high)) => Igf1Reference::Lab {
                        low,
                        high,
                        kind: self.igf1_ref_kind,
                        lambda: self.igf1_ref_lambda,
                    },
                    _ => {
                        return Err(InputError::new(
                            "error: --igf1 needs a reference: --igf1-ref-low and --igf1-ref-high, or --igf1-reference FILE",
                        ));
                    }
                };
                Some(Igf1Input::Concentration {
                    value,
                    unit: self.igf1_unit,
                    reference,
                })
            }
            (None, None) => {
                if self.igf1_ref_low.is_some()
                    || self.igf1_reference.is_some()
                    || self.igf1_ref_lambda.is_some()
                {
                    return Err(InputError::new(
                        "error: --igf1-ref-low/--igf1-ref-high/--igf1-ref-lambda/--igf1-reference need --igf1 (the concentration)",
                    ));
                }
                None
            }
        };
        if self.igf1_ref_lambda.is_some() && self.igf1_ref_low.is_none() {
            return Err(InputError::new(
                "error: --igf1-ref-lambda applies to --igf1-ref-low/--igf1-ref-high",
            ));
        }
        let mut base = StartRequest::new(
            self.indication.as_deref().unwrap_or_default().trim(),
            as_of,
            self.patient.to_input(),
        );
        base.injections_per_week = self.injections_per_week;
        base.product = self.product.product.as_ref().map(|p| p.trim().to_string());
        base.device = self.product.device.as_ref().map(|d| d.trim().to_string());
        base.region = self.product.region;
        base.supply_days = self.product.supply_days;
        let current = match (self.current_mg_per_day, self.current_mg_per_week) {
            (Some(d), _) => Some(CurrentDose::PerDay(d)),
            (None, Some(w)) => Some(CurrentDose::PerWeek(w)),
            (None, None) => None,
        };
        Ok(TitrateRequest {
            current,
            prescribed_mg_per_kg_week: self.prescribed_mg_per_kg_week,
            previous_weight_kg: self.previous_weight_kg,
            igf1,
            igf1_date: self.igf1_date,
            last_dose_change: self.last_dose_change,
            last_injection: self.last_injection,
            previous_height_cm: self.previous_height_cm.map(|v| Measured {
                value: v,
                flag: "--previous-height-cm",
                original: None,
            }),
            previous_height_date: self.previous_height_date,
            pretreatment_hv_cm_per_year: self.pretreatment_hv_cm_per_year,
            treatment_start: self.treatment_start,
            ..TitrateRequest::new(base)
        })
    }
}

#[derive(Debug, Subcommand)]
pub enum RulesCommand {
    /// Print the rule file in use (the built-in one unless --rules is given).
    Show {
        /// Which table: the indication rules or the product table.
        #[arg(value_enum, default_value_t = Table::Indications)]
        table: Table,
    },
    /// Validate a rule file; errors are reported as file:line:col (exit 3).
    Check {
        /// The rule file to check.
        file: PathBuf,
    },
}

/// A rule table.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Table {
    /// data/indications.toml (or --rules).
    Indications,
    /// data/products.toml (or --products).
    Products,
}

/// `gh-dose start`. Also read from JSON (`--input`, `batch`): the same field
/// names as the flags, in snake_case.
#[derive(Debug, Args, Deserialize, Default)]
#[serde(default)]
pub struct StartArgs {
    /// Indication id: ghd, turner, pws, sga, iss, shox, noonan, ckd, adult-ghd, transition.
    #[arg(long, value_name = "ID", required_unless_present = "input")]
    pub indication: Option<String>,
    #[command(flatten)]
    #[serde(flatten)]
    pub patient: PatientArgs,
    /// Injections per week for daily somatropin (6 or 7; default 7).
    #[arg(long, value_name = "N")]
    pub injections_per_week: Option<u8>,
    /// Use this intensity instead of the suggested start (weight-based indications).
    #[arg(long, value_name = "MG", allow_negative_numbers = true, value_parser = parse_number)]
    pub mg_per_kg_week: Option<f64>,
    #[command(flatten)]
    #[serde(flatten)]
    pub product: ProductArgs,
    /// Read the request from this JSON file (- for stdin): the flags' names in snake_case.
    #[arg(long, value_name = "FILE")]
    #[serde(skip)]
    pub input: Option<PathBuf>,
}

/// Product, presentation and label region.
#[derive(Debug, Args, Deserialize, Default)]
#[serde(default)]
pub struct ProductArgs {
    /// Product id (gh-dose products lists them): ranges from its label, doses rounded to its devices.
    #[arg(long, value_name = "ID")]
    pub product: Option<String>,
    /// Use this presentation of the product (default: the smallest pen that delivers the dose).
    #[arg(long, value_name = "ID")]
    pub device: Option<String>,
    /// Label region whose ranges apply.
    #[arg(long, value_name = "REGION", default_value = "us", value_parser = PossibleValuesParser::new(["us", "eu"]).map(|s| if s == "eu" { Region::Eu } else { Region::Us }))]
    #[serde(deserialize_with = "lowercase_region")]
    pub region: Region,
    /// Count the pens or cartridges that cover this many days.
    #[arg(long, value_name = "DAYS", value_parser = clap::value_parser!(u32).range(1..=366))]
    pub supply_days: Option<u32>,
}

/// Patient description shared by the dosing commands.
#[derive(Debug, Args, Deserialize, Default)]
#[serde(default)]
pub struct PatientArgs {
    /// Body weight in kg.
    #[arg(long, value_name = "KG", allow_negative_numbers = true, value_parser = parse_number, conflicts_with = "weight_lb")]
    pub weight_kg: Option<f64>,
    /// Body weight in pounds (converted to kg).
    #[arg(long, value_name = "LB", allow_negative_numbers = true, value_parser = parse_number)]
    pub weight_lb: Option<f64>,
    /// Height in cm.
    #[arg(long, value_name = "CM", allow_negative_numbers = true, value_parser = parse_number, conflicts_with = "height_in")]
    pub height_cm: Option<f64>,
    /// Height in inches (converted to cm).
    #[arg(long, value_name = "IN", allow_negative_numbers = true, value_parser = parse_number)]
    pub height_in: Option<f64>,
    /// Age in decimal years.
    #[arg(long, value_name = "YEARS", allow_negative_numbers = true, value_parser = parse_number, conflicts_with = "birth_date")]
    pub age_years: Option<f64>,
    /// Birth date, YYYY-MM-DD (age = days to the as-of date / 365.25).
    #[arg(long, value_name = "DATE", value_parser = parse_date)]
    pub birth_date: Option<NaiveDate>,
    /// Sex.
    #[arg(long, value_name = "SEX", value_parser = PossibleValuesParser::new(Sex::NAMES).try_map(|s| s.parse::<Sex>()))]
    pub sex: Option<Sex>,
    /// Height SDS (SGA: below -3 starts at the upper dose).
    #[arg(long, value_name = "SDS", allow_negative_numbers = true, value_parser = parse_number)]
    pub height_sds: Option<f64>,
    /// The child is pubertal (SGA: starts at the upper dose).
    #[arg(long)]
    pub pubertal: bool,
    /// Body-mass index in kg/m2 (computed from weight and height when omitted).
    #[arg(long, value_name = "BMI", allow_negative_numbers = true, value_parser = parse_number)]
    pub bmi: Option<f64>,
    /// Takes oral estrogen (adults: start at the group maximum).
    #[arg(long)]
    pub oral_estrogen: bool,
    /// Diabetes or glucose intolerance.
    #[arg(long)]
    pub diabetes: bool,
    /// Obesity (adults: also BMI of 30 or more).
    #[arg(long)]
    pub obesity: bool,
    /// Switching from daily growth hormone (weekly products).
    #[arg(long)]
    pub switching_from_daily: bool,
    /// A clinical condition (repeatable).
    #[arg(long, value_name = "NAME", value_parser = PossibleValuesParser::new(Condition::NAMES).try_map(|s| s.parse::<Condition>()))]
    pub condition: Vec<Condition>,
    /// A current symptom (repeatable).
    #[arg(long, value_name = "NAME", value_parser = PossibleValuesParser::new(Symptom::NAMES).try_map(|s| s.parse::<Symptom>()))]
    pub symptom: Vec<Symptom>,
}

fn lowercase_region<'de, D: serde::Deserializer<'de>>(d: D) -> Result<Region, D::Error> {
    let s = String::deserialize(d)?;
    match s.to_ascii_lowercase().as_str() {
        "us" => Ok(Region::Us),
        "eu" => Ok(Region::Eu),
        _ => Err(serde::de::Error::custom(format!(
            "'{s}': expected one of: us, eu"
        ))),
    }
}

/// Parses a number; non-finite values pass through for the core to refuse
/// with the allowed range.
fn parse_number(s: &str) -> Result<f64, String> {
    s.trim()
        .parse::<f64>()
        .map_err(|_| "expected a number, e.g. 24 or 24.5".to_string())
}

fn parse_date(s: &str) -> Result<NaiveDate, String> {
    NaiveDate::parse_from_str(s.trim(), "%Y-%m-%d")
        .map_err(|_| "expected a calendar date as YYYY-MM-DD, e.g. 2026-11-22".to_string())
}

impl PatientArgs {
    /// The patient in canonical units; converted values keep their original.
    pub fn to_input(&self) -> PatientInput {
        let weight_kg = match (self.weight_kg, self.weight_lb) {
            (Some(kg), _) => Some(Measured {
                value: kg,
                flag: "--weight-kg",
                original: None,
            }),
            (None, Some(lb)) => Some(Measured {
                value: lb * KG_PER_LB,
                flag: "--weight-lb",
                original: Some(format!("{lb} lb")),
            }),
            (None, None) => None,
        };
        let height_cm = match (self.height_cm, self.height_in) {
            (Some(cm), _) => Some(Measured {
                value: cm,
                flag: "--height-cm",
                original: None,
            }),
            (None, Some(inches)) => Some(Measured {
                value: inches * CM_PER_IN,
                flag: "--height-in",
                original: Some(format!("{inches} in")),
            }),
            (None, None) => None,
        };
        let age = match (self.age_years, self.birth_date) {
            (Some(y), _) => Some(AgeInput::Years(y)),
            (None, Some(d)) => Some(AgeInput::BirthDate(d)),
            (None, None) => None,
        };
        PatientInput {
            weight_kg,
            height_cm,
            age,
            sex: self.sex,
            height_sds: self.height_sds,
            pubertal: self.pubertal,
            bmi: self.bmi,
            oral_estrogen: self.oral_estrogen,
            diabetes: self.diabetes,
            obesity: self.obesity,
            switching_from_daily: self.switching_from_daily,
            conditions: self.condition.clone(),
            symptoms: self.symptom.clone(),
        }
    }
}

impl StartArgs {
    /// The domain request for a decision date.
    pub fn to_request(&self, as_of: NaiveDate) -> StartRequest {
        StartRequest {
            indication: self
                .indication
                .as_deref()
                .unwrap_or_default()
                .trim()
                .to_string(),
            as_of,
            patient: self.patient.to_input(),
            injections_per_week: self.injections_per_week,
            mg_per_kg_week: self.mg_per_kg_week,
            product: self.product.product.as_ref().map(|p| p.trim().to_string()),
            device: self.product.device.as_ref().map(|d| d.trim().to_string()),
            region: self.product.region,
            supply_days: self.product.supply_days,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use clap::CommandFactory;

    #[test]
    fn cli_definition_is_consistent() {
        Cli::command().debug_assert();
    }

    #[test]
    fn pounds_and_inches_are_converted_and_remembered() {
        let cli = Cli::try_parse_from([
            "gh-dose",
            "start",
            "--indication",
            "ghd",
            "--weight-lb",
            "52.91",
            "--height-in",
            "50",
        ])
        .unwrap();
        let Command::Start(args) = cli.command else {
            panic!("expected start");
        };
        let p = args.patient.to_input();
        let w = p.weight_kg.unwrap();
        assert!((w.value - 24.0).abs() < 0.001, "{}", w.value);
        assert_eq!(w.original.as_deref(), Some("52.91 lb"));
        assert_eq!(w.flag, "--weight-lb");
        let h = p.height_cm.unwrap();
        assert!((h.value - 127.0).abs() < 1e-9);
    }

    #[test]
    fn negative_numbers_reach_the_core() {
        let cli = Cli::try_parse_from([
            "gh-dose",
            "start",
            "--indication",
            "ghd",
            "--weight-kg",
            "-5",
        ])
        .unwrap();
        let Command::Start(args) = cli.command else {
            panic!("expected start");
        };
        assert_eq!(args.patient.weight_kg, Some(-5.0));
    }
}
