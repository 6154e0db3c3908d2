//! The TOML schema of a product table, exactly as written on disk; the same
//! conventions as the rule file ([`crate::rules::file`]): unknown keys are
//! errors and values checked after parsing keep their position.

use crate::rules::file::{ClosedRangeRow, RangeRow, SourceRow};
use serde::Deserialize;
use toml::Spanned;

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ProductFile {
    pub schema_version: Spanned<u32>,
    pub kind: Spanned<String>,
    pub name: String,
    pub version: String,
    pub sources: Vec<SourceRow>,
    pub products: Vec<ProductRow>,
    #[serde(default)]
    pub adult_weekly: Vec<AdultWeeklyRow>,
    #[serde(default)]
    pub weight_bands: Vec<BandTableRow>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ProductRow {
    pub id: Spanned<String>,
    pub name: String,
    pub maker: String,
    pub molecule: Spanned<String>,
    pub schedule: Spanned<String>,
    pub injections_per_week: Spanned<Vec<u8>>,
    pub max_injections_per_dose: Option<Spanned<u8>>,
    pub igf1_sample_days: Option<Spanned<DaysRow>>,
    /// A switch from another weekly product: at least this many days after
    /// its last dose (the label's interval).
    pub switch_after_weekly_days: Option<Spanned<f64>>,
    /// A missed weekly dose is given if no more than this many days late;
    /// later, it is skipped (the label's rule).
    pub missed_dose_within_days: Option<Spanned<f64>>,
    pub igf1_strength_steps: Option<Spanned<Vec<StrengthStepRow>>>,
    pub reduce_percent_above_sds: Option<Spanned<ReduceRow>>,
    pub note: Option<String>,
    pub adult_refusal: Option<String>,
    /// Indications a current label adds whose dosing is not in the rule set
    /// (refused with this text).
    #[serde(default)]
    pub not_encoded: Vec<NotEncodedRow>,
    /// The label revision each region's rows were read from, and the
    /// current one.
    #[serde(default)]
    pub revisions: Vec<RevisionRow>,
    pub discontinued: Option<Spanned<DiscontinuedRow>>,
    pub blocked_conditions: Option<Spanned<Vec<BlockedRow>>>,
    pub sources: Spanned<Vec<String>>,
    pub grade: Spanned<String>,
    pub labels: Vec<Spanned<LabelRow>>,
    pub devices: Vec<Spanned<DeviceRow>>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct NotEncodedRow {
    pub indication: Spanned<String>,
    pub region: Spanned<String>,
    pub says: String,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RevisionRow {
    pub region: Spanned<String>,
    /// The revision the rows were read from (e.g. "2025-07").
    pub read: String,
    /// The current revision (the same when the rows are current).
    pub current: String,
    /// What differs, or what was not re-read.
    pub note: Option<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DiscontinuedRow {
    pub region: String,
    pub date: String,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct BlockedRow {
    pub condition: String,
    pub flag: String,
}

#[derive(Debug, Deserialize, Clone, Copy)]
#[serde(deny_unknown_fields)]
pub struct DaysRow {
    pub min: u32,
    pub max: u32,
}

#[derive(Debug, Deserialize, Clone, Copy)]
#[serde(deny_unknown_fields)]
pub struct StrengthStepRow {
    pub sds_above: f64,
    pub steps: i32,
}

#[derive(Debug, Deserialize, Clone, Copy)]
#[serde(deny_unknown_fields)]
pub struct ReduceRow {
    pub sds: f64,
    pub percent: f64,
}

#[derive(Debug, Deserialize, Clone, Copy)]
#[serde(deny_unknown_fields)]
pub struct WeeklyStepUpRow {
    pub sds_below: f64,
    pub mg_per_week: f64,
}

#[derive(Debug, Deserialize, Clone, Copy)]
#[serde(deny_unknown_fields)]
pub struct WeeklyStepDownRow {
    pub sds_above: f64,
    pub mg_per_week: f64,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LabelRow {
    pub indication: Spanned<String>,
    pub region: Spanned<String>,
    pub mg_per_kg_week: Option<RangeRow>,
    pub mg_per_kg_day: Option<RangeRow>,
    pub max_pubertal_mg_per_kg_week: Option<f64>,
    pub mg_per_day: Option<ClosedRangeRow>,
    pub adult_weekly: Option<String>,
    pub weight_bands: Option<String>,
    pub min_age_years: Option<f64>,
    pub max_age_years: Option<f64>,
    pub sources: Spanned<Vec<String>>,
    pub grade: Spanned<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DeviceRow {
    pub id: Spanned<String>,
    pub name: String,
    pub kind: String,
    pub strength_mg: f64,
    pub volume_ml: Option<f64>,
    pub dose_volume_ml: Option<f64>,
    pub increment_mg: Option<f64>,
    pub min_dose_mg: Option<f64>,
    pub max_dose_mg: Option<f64>,
    pub in_use_days: Option<u32>,
    #[serde(default)]
    pub benzyl_alcohol: bool,
    pub sources: Spanned<Vec<String>>,
    pub grade: Spanned<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AdultWeeklyRow {
    pub id: Spanned<String>,
    pub group: String,
    pub start_mg_per_week: Spanned<f64>,
    pub older_than_years: Option<f64>,
    pub older_from_years: Option<f64>,
    pub older_start_mg_per_week: Spanned<f64>,
    pub oral_estrogen_start_mg_per_week: Spanned<f64>,
    pub switch_start_mg_per_week: Option<Spanned<f64>>,
    pub switch_older_start_mg_per_week: Option<Spanned<f64>>,
    pub switch_oral_estrogen_start_mg_per_week: Option<Spanned<f64>>,
    pub hepatic_moderate_start_mg_per_week: Spanned<f64>,
    pub hepatic_moderate_max_mg_per_week: Spanned<f64>,
    pub max_mg_per_week: Spanned<f64>,
    pub target_sds: Spanned<ClosedRangeRow>,
    pub step_up: Spanned<Vec<WeeklyStepUpRow>>,
    pub step_up_max_older_mg_per_week: Spanned<f64>,
    pub step_down: Spanned<Vec<WeeklyStepDownRow>>,
    pub min_weeks_between_increases: u32,
    pub review_after_change: Spanned<String>,
    pub sources: Spanned<Vec<String>>,
    pub grade: Spanned<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct BandTableRow {
    pub id: Spanned<String>,
    pub sources: Spanned<Vec<String>>,
    pub grade: Spanned<String>,
    pub bands: Spanned<Vec<BandRow>>,
}

#[derive(Debug, Deserialize, Clone, Copy)]
#[serde(deny_unknown_fields)]
pub struct BandRow {
    pub from_kg: f64,
    pub to_kg: f64,
    pub mg_per_week: f64,
    pub cartridges: u8,
}
