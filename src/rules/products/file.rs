//! The TOML schema of a product table, exactly as written on disk; the same
//! conventions as the rule file ([`crate::rules::file`]): unknown keys are
//! errors and values checked after parsing keep their position.

use crate::rules::file::{ClosedRangeRow, RangeRow, SourceRow};
use crate::rules::spanned::Spanned;
use serde::{Deserialize, Serialize};

#[derive(Debug, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct ProductFile {
    pub(crate) schema_version: Spanned<u32>,
    pub(crate) kind: Spanned<String>,
    pub(crate) name: String,
    pub(crate) version: String,
    pub(crate) sources: Vec<SourceRow>,
    pub(crate) products: Vec<ProductRow>,
    #[serde(default)]
    pub(crate) adult_weekly: Vec<AdultWeeklyRow>,
    #[serde(default)]
    pub(crate) weight_bands: Vec<BandTableRow>,
}

#[derive(Debug, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct ProductRow {
    pub(crate) id: Spanned<String>,
    pub(crate) name: String,
    pub(crate) maker: String,
    pub(crate) molecule: Spanned<String>,
    pub(crate) schedule: Spanned<String>,
    pub(crate) injections_per_week: Spanned<Vec<u8>>,
    pub(crate) max_injections_per_dose: Option<Spanned<u8>>,
    pub(crate) igf1_sample_days: Option<Spanned<DaysRow>>,
    /// A switch from another weekly product: at least this many days after
    /// its last dose (the label's interval).
    pub(crate) switch_after_weekly_days: Option<Spanned<f64>>,
    /// A missed weekly dose is given if no more than this many days late;
    /// later, it is skipped (the label's rule).
    pub(crate) missed_dose_within_days: Option<Spanned<f64>>,
    pub(crate) igf1_strength_steps: Option<Spanned<Vec<StrengthStepRow>>>,
    pub(crate) reduce_percent_above_sds: Option<Spanned<ReduceRow>>,
    pub(crate) note: Option<String>,
    pub(crate) adult_refusal: Option<String>,
    /// Indications a current label adds whose dosing is not in the rule set
    /// (refused with this text).
    #[serde(default)]
    pub(crate) not_encoded: Vec<NotEncodedRow>,
    /// The label revision each region's rows were read from, and the
    /// current one.
    #[serde(default)]
    pub(crate) revisions: Vec<RevisionRow>,
    pub(crate) discontinued: Option<Spanned<DiscontinuedRow>>,
    pub(crate) blocked_conditions: Option<Spanned<Vec<BlockedRow>>>,
    pub(crate) sources: Spanned<Vec<String>>,
    pub(crate) grade: Spanned<String>,
    pub(crate) labels: Vec<Spanned<LabelRow>>,
    pub(crate) devices: Vec<Spanned<DeviceRow>>,
}

#[derive(Debug, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct NotEncodedRow {
    pub(crate) indication: Spanned<String>,
    pub(crate) region: Spanned<String>,
    pub(crate) says: String,
}

#[derive(Debug, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct RevisionRow {
    pub(crate) region: Spanned<String>,
    /// The revision the rows were read from (e.g. "2025-07").
    pub(crate) read: String,
    /// The current revision (the same when the rows are current).
    pub(crate) current: String,
    /// What differs, or what was not re-read.
    pub(crate) note: Option<String>,
}

#[derive(Debug, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct DiscontinuedRow {
    pub(crate) region: String,
    pub(crate) date: String,
}

#[derive(Debug, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct BlockedRow {
    pub(crate) condition: String,
    pub(crate) flag: String,
}

#[derive(Debug, Deserialize, Serialize, Clone, Copy)]
#[serde(deny_unknown_fields)]
pub(crate) struct DaysRow {
    pub(crate) min: u32,
    pub(crate) max: u32,
}

#[derive(Debug, Deserialize, Serialize, Clone, Copy)]
#[serde(deny_unknown_fields)]
pub(crate) struct StrengthStepRow {
    pub(crate) sds_above: f64,
    pub(crate) steps: i32,
}

#[derive(Debug, Deserialize, Serialize, Clone, Copy)]
#[serde(deny_unknown_fields)]
pub(crate) struct ReduceRow {
    pub(crate) sds: f64,
    pub(crate) percent: f64,
}

#[derive(Debug, Deserialize, Serialize, Clone, Copy)]
#[serde(deny_unknown_fields)]
pub(crate) struct WeeklyStepUpRow {
    pub(crate) sds_below: f64,
    pub(crate) mg_per_week: f64,
}

#[derive(Debug, Deserialize, Serialize, Clone, Copy)]
#[serde(deny_unknown_fields)]
pub(crate) struct WeeklyStepDownRow {
    pub(crate) sds_above: f64,
    pub(crate) mg_per_week: f64,
}

#[derive(Debug, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct LabelRow {
    pub(crate) indication: Spanned<String>,
    pub(crate) region: Spanned<String>,
    pub(crate) mg_per_kg_week: Option<RangeRow>,
    pub(crate) mg_per_kg_day: Option<RangeRow>,
    pub(crate) max_pubertal_mg_per_kg_week: Option<f64>,
    pub(crate) mg_per_day: Option<ClosedRangeRow>,
    /// Adults, weight-based: the label's maximum (mg/kg/week).
    pub(crate) max_mg_per_kg_week: Option<f64>,
    pub(crate) adult_weekly: Option<String>,
    pub(crate) weight_bands: Option<String>,
    pub(crate) min_age_years: Option<f64>,
    pub(crate) max_age_years: Option<f64>,
    pub(crate) sources: Spanned<Vec<String>>,
    pub(crate) grade: Spanned<String>,
}

#[derive(Debug, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct DeviceRow {
    pub(crate) id: Spanned<String>,
    pub(crate) name: String,
    pub(crate) kind: String,
    pub(crate) strength_mg: f64,
    pub(crate) volume_ml: Option<f64>,
    pub(crate) dose_volume_ml: Option<f64>,
    pub(crate) increment_mg: Option<f64>,
    pub(crate) min_dose_mg: Option<f64>,
    pub(crate) max_dose_mg: Option<f64>,
    pub(crate) in_use_days: Option<u32>,
    #[serde(default)]
    pub(crate) benzyl_alcohol: bool,
    pub(crate) sources: Spanned<Vec<String>>,
    pub(crate) grade: Spanned<String>,
}

#[derive(Debug, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct AdultWeeklyRow {
    pub(crate) id: Spanned<String>,
    pub(crate) group: String,
    pub(crate) start_mg_per_week: Spanned<f64>,
    pub(crate) older_than_years: Option<f64>,
    pub(crate) older_from_years: Option<f64>,
    pub(crate) older_start_mg_per_week: Spanned<f64>,
    pub(crate) oral_estrogen_start_mg_per_week: Spanned<f64>,
    pub(crate) switch_start_mg_per_week: Option<Spanned<f64>>,
    pub(crate) switch_older_start_mg_per_week: Option<Spanned<f64>>,
    pub(crate) switch_oral_estrogen_start_mg_per_week: Option<Spanned<f64>>,
    pub(crate) hepatic_moderate_start_mg_per_week: Spanned<f64>,
    pub(crate) hepatic_moderate_max_mg_per_week: Spanned<f64>,
    pub(crate) max_mg_per_week: Spanned<f64>,
    pub(crate) target_sds: Spanned<ClosedRangeRow>,
    pub(crate) step_up: Spanned<Vec<WeeklyStepUpRow>>,
    pub(crate) step_up_max_older_mg_per_week: Spanned<f64>,
    pub(crate) step_down: Spanned<Vec<WeeklyStepDownRow>>,
    pub(crate) min_weeks_between_increases: u32,
    pub(crate) review_after_change: Spanned<String>,
    pub(crate) sources: Spanned<Vec<String>>,
    pub(crate) grade: Spanned<String>,
}

#[derive(Debug, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct BandTableRow {
    pub(crate) id: Spanned<String>,
    pub(crate) sources: Spanned<Vec<String>>,
    pub(crate) grade: Spanned<String>,
    pub(crate) bands: Spanned<Vec<BandRow>>,
}

#[derive(Debug, Deserialize, Serialize, Clone, Copy)]
#[serde(deny_unknown_fields)]
pub(crate) struct BandRow {
    pub(crate) from_kg: f64,
    pub(crate) to_kg: f64,
    pub(crate) mg_per_week: f64,
    pub(crate) cartridges: u8,
}
