//! The TOML schema of a rule file, exactly as written on disk.
//!
//! Every table denies unknown keys, so a misspelt key is an error with its
//! line and column rather than a silently ignored rule. Values that need a
//! check after parsing keep their position (`Spanned`) so that the check can
//! report `file:line:col` too. [`super::compile`] turns this into the typed
//! model ([`super::model`]) the engine uses. The product table
//! ([`super::products::file`]) follows the same conventions.

use serde::Deserialize;
use std::collections::BTreeMap;
use toml::Spanned;

/// A whole rule file.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RuleFile {
    pub schema_version: Spanned<u32>,
    pub name: String,
    pub version: String,
    pub conventions: ConventionsRow,
    pub limits: Limits,
    pub sources: Vec<SourceRow>,
    pub reviews: Vec<ReviewRow>,
    pub indications: Vec<IndicationRow>,
    pub adult_oral_estrogen: OralEstrogenRow,
    pub restart_after_safety_stop: RestartRow,
    pub plausibility: PlausibilityRow,
    pub course: CourseRow,
    pub igf1: Igf1Row,
    pub titration: Titration,
    pub growth: GrowthRow,
    pub flags: BTreeMap<String, Spanned<FlagRow>>,
}

/// A first-year response threshold of one indication.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ResponseRow {
    pub indication: String,
    pub below: f64,
}

/// `[growth]`: the numbers of a growth assessment.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct GrowthRow {
    pub target_sex_difference_cm: Spanned<f64>,
    pub target_range_cm: Spanned<f64>,
    pub target_adult_age_years: Spanned<f64>,
    pub warn_sds: Spanned<f64>,
    pub refuse_sds: Spanned<f64>,
    pub height_sds_disagreement: Spanned<f64>,
    pub obesity_bmi_sds: Spanned<f64>,
    pub severe_obesity_percent_of_p95: Spanned<f64>,
    pub poor_first_year_delta_hsds: Spanned<f64>,
    pub response_baseline_within_days: Spanned<u32>,
    #[serde(default)]
    pub poor_first_year_delta_hsds_by_indication: Vec<Spanned<ResponseRow>>,
    pub sources: Spanned<Vec<String>>,
    pub grade: Spanned<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
#[serde(expecting = "struct Conventions")]
pub struct ConventionsRow {
    pub iu_per_mg: Spanned<f64>,
    pub days_per_year: Spanned<f64>,
    pub default_injections_per_week: Spanned<u8>,
    pub allowed_injections_per_week: Spanned<Vec<u8>>,
    pub adult_injections_per_week: Spanned<u8>,
    pub adult_age_years: Spanned<f64>,
    pub pediatric_indication_max_age_years: Spanned<f64>,
    pub benzyl_alcohol_below_years: Spanned<f64>,
    pub adult_obesity_bmi_at_least: Spanned<f64>,
    pub sources: Spanned<Vec<String>>,
    pub grade: Spanned<String>,
}

/// An inclusive numeric range; `min` may be absent ("up to max").
#[derive(Debug, Deserialize, Clone, Copy)]
#[serde(deny_unknown_fields)]
pub struct RangeRow {
    pub min: Option<f64>,
    pub max: f64,
}

/// A closed range where both ends are required.
#[derive(Debug, Deserialize, Clone, Copy)]
#[serde(deny_unknown_fields)]
pub struct ClosedRangeRow {
    pub min: f64,
    pub max: f64,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Limits {
    pub weight_kg: Spanned<ClosedRangeRow>,
    pub height_cm: Spanned<ClosedRangeRow>,
    pub age_years: Spanned<ClosedRangeRow>,
    pub bmi: Spanned<ClosedRangeRow>,
    pub height_sds: Spanned<ClosedRangeRow>,
    pub igf1_sds: Spanned<ClosedRangeRow>,
    pub igf1_ng_ml: Spanned<ClosedRangeRow>,
    pub igf1_lambda: Spanned<ClosedRangeRow>,
    pub dose_mg: Spanned<ClosedRangeRow>,
    pub current_adult_mg_per_day: Spanned<ClosedRangeRow>,
    pub current_child_mg_per_kg_week: Spanned<ClosedRangeRow>,
    pub current_weekly_adult_mg_per_week: Spanned<ClosedRangeRow>,
    pub height_velocity_cm_per_year: Spanned<ClosedRangeRow>,
    pub supply_days: Spanned<ClosedRangeRow>,
    pub sources: Spanned<Vec<String>>,
    pub grade: Spanned<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SourceRow {
    pub id: Spanned<String>,
    pub citation: String,
    pub url: Option<String>,
    pub grade: Spanned<String>,
}

/// An offset from the as-of date: exactly one of the three keys.
#[derive(Debug, Deserialize, Clone, Copy)]
#[serde(deny_unknown_fields)]
pub struct OffsetRow {
    pub days: Option<u32>,
    pub weeks: Option<u32>,
    pub months: Option<u32>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ReviewRow {
    pub id: Spanned<String>,
    pub earliest: Spanned<OffsetRow>,
    pub latest: Spanned<OffsetRow>,
    pub what: Vec<String>,
    pub sources: Spanned<Vec<String>>,
    pub grade: Spanned<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct IndicationRow {
    pub id: Spanned<String>,
    pub name: String,
    pub population: Spanned<String>,
    pub mg_per_kg_week: Option<Spanned<RangeRow>>,
    pub start_mg_per_kg_week: Option<Spanned<f64>>,
    pub ceiling_mg_per_kg_week: Option<Spanned<f64>>,
    pub ceiling_prepubertal_mg_per_kg_week: Option<Spanned<f64>>,
    pub ceiling_note: Option<String>,
    #[serde(default)]
    pub start_overrides: Vec<StartOverrideRow>,
    #[serde(default)]
    pub groups: Vec<GroupRow>,
    #[serde(default)]
    pub glucose_monitoring: bool,
    #[serde(default)]
    pub pws_checks: bool,
    #[serde(default)]
    pub renal_transplant_block: bool,
    pub daily_cap: Option<Spanned<DailyCapRow>>,
    #[serde(default)]
    pub symptom_rules: Vec<SymptomRuleRow>,
    /// The ages the labels give for the indication, per region (OFF_LABEL
    /// below them when no product label decides).
    #[serde(default)]
    pub labelled_ages: Vec<AgesRow>,
    /// The ages the indication is used at, when not the population's
    /// (AGE_INDICATION_MISMATCH outside them).
    pub usual_ages: Option<AgesRow>,
    pub review: Spanned<String>,
    pub note: Option<String>,
    pub sources: Spanned<Vec<String>>,
    pub grade: Spanned<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct StartOverrideRow {
    pub mg_per_kg_week: Spanned<f64>,
    pub height_sds_below: Option<f64>,
    pub pubertal: Option<bool>,
    pub reason: String,
    pub sources: Spanned<Vec<String>>,
    pub grade: Spanned<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DailyCapRow {
    pub mg_per_day: f64,
    pub region: String,
    pub sources: Vec<String>,
    pub grade: String,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AgesRow {
    pub region: Option<Spanned<String>>,
    pub min: Option<Spanned<f64>>,
    pub max: Option<Spanned<f64>>,
    /// What the bound is, in the labels' or guidelines' words.
    pub says: String,
    pub sources: Spanned<Vec<String>>,
    pub grade: Spanned<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SymptomRuleRow {
    pub symptom: Spanned<String>,
    pub flag: Spanned<String>,
    pub note: String,
    pub sources: Spanned<Vec<String>>,
    pub grade: Spanned<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct GroupRow {
    pub id: Spanned<String>,
    pub name: String,
    pub when_any: Option<Spanned<WhenAnyRow>>,
    pub mg_per_day: Spanned<ClosedRangeRow>,
    pub start_mg_per_day: Spanned<f64>,
    pub sources: Spanned<Vec<String>>,
    pub grade: Spanned<String>,
}

#[derive(Debug, Deserialize, Clone, Copy)]
#[serde(deny_unknown_fields)]
pub struct WhenAnyRow {
    pub age_years_at_least: Option<f64>,
    pub diabetes: Option<bool>,
    pub obesity: Option<bool>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct OralEstrogenRow {
    pub start: Spanned<String>,
    pub sources: Spanned<Vec<String>>,
    pub grade: Spanned<String>,
}

/// `[restart_after_safety_stop]`: which stops call for a lower restart.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RestartRow {
    pub after: Vec<Spanned<String>>,
    pub reduce_percent_from_dose_before: Spanned<f64>,
    pub sources: Spanned<Vec<String>>,
    pub grade: Spanned<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Titration {
    pub adult_daily: AdultTitrationRow,
    pub pediatric_daily: PediatricTitrationRow,
}

#[derive(Debug, Deserialize, Clone, Copy)]
#[serde(deny_unknown_fields)]
pub struct StepUpRow {
    pub sds_below: f64,
    pub mg_per_day: f64,
}

#[derive(Debug, Deserialize, Clone, Copy)]
#[serde(deny_unknown_fields)]
pub struct StepDownRow {
    pub sds_above: f64,
    pub mg_per_day: f64,
}

#[derive(Debug, Deserialize, Clone, Copy)]
#[serde(deny_unknown_fields)]
pub struct CapRow {
    pub age_years_at_most: Option<f64>,
    pub mg_per_kg_day: f64,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AdultTitrationRow {
    pub target_sds: Spanned<ClosedRangeRow>,
    pub ceiling_sds: Spanned<f64>,
    pub low_sds: Spanned<f64>,
    pub step_up: Spanned<Vec<StepUpRow>>,
    pub step_up_max_older_or_diabetes_mg_per_day: Spanned<f64>,
    pub older_age_years: Spanned<f64>,
    pub step_down: Spanned<Vec<StepDownRow>>,
    pub step_down_symptoms_mg_per_day: Spanned<f64>,
    pub dose_related_symptoms: Spanned<Vec<String>>,
    pub min_mg_per_day: Spanned<f64>,
    pub min_weeks_between_increases: u32,
    pub min_days_after_change_for_igf1: u32,
    pub typical_maintenance_max_mg_per_day: Spanned<f64>,
    pub cap_mg_per_kg_day: Spanned<Vec<CapRow>>,
    pub cap_without_weight_mg_per_day: Spanned<f64>,
    pub review_after_change: Spanned<String>,
    pub review_stable: Spanned<String>,
    pub review_recheck: Spanned<String>,
    pub sources: Spanned<Vec<String>>,
    pub grade: Spanned<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PediatricTitrationRow {
    pub ceiling_sds: Spanned<f64>,
    pub reduce_percent_above_ceiling: Spanned<f64>,
    pub low_sds: Spanned<f64>,
    pub near_final_height_cm_per_year: Spanned<f64>,
    pub near_final_age_female_years: Spanned<f64>,
    pub near_final_age_male_years: Spanned<f64>,
    pub prepubertal_start_before_female_years: Spanned<f64>,
    pub prepubertal_start_before_male_years: Spanned<f64>,
    pub poor_first_year_gain_cm_per_year: Spanned<f64>,
    pub first_year_window_years: Spanned<ClosedRangeRow>,
    pub height_measurement_error_cm: Spanned<f64>,
    pub min_days_after_change_for_igf1: u32,
    pub review: Spanned<String>,
    pub sources: Spanned<Vec<String>>,
    pub near_final_sources: Spanned<Vec<String>>,
    pub prepubertal_sources: Spanned<Vec<String>>,
    pub grade: Spanned<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FlagRow {
    pub severity: Spanned<String>,
    pub message: String,
    pub source: String,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PlausibilityRow {
    pub igf1_sds_beyond: Spanned<f64>,
    pub igf1_repeat_review: Spanned<String>,
    pub igf1_stale_days: Spanned<u32>,
    pub min_velocity_interval_years: Spanned<f64>,
    pub weight_change_percent: Spanned<f64>,
    pub dose_mismatch_factor: Spanned<f64>,
    pub weight_for_age: Spanned<Vec<WeightBandRow>>,
    pub height_for_age: Spanned<Vec<HeightBandRow>>,
    pub sources: Spanned<Vec<String>>,
    pub grade: Spanned<String>,
}

/// `[course]`: a measurement against the patient's own course (the
/// previous one over its interval) and against any child of the age.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CourseRow {
    pub weight_modified_z_above: Spanned<f64>,
    pub undated_interval_years: Spanned<f64>,
    pub child_weight_gain_percent: Spanned<f64>,
    pub child_weight_loss_percent: Spanned<f64>,
    pub child_height_loss_cm: Spanned<f64>,
    pub child_growth: Spanned<Vec<ChildGrowthRow>>,
    pub adult_weight_allow_kg: Spanned<f64>,
    pub adult_weight_allow_kg_per_ln_month: Spanned<f64>,
    pub adult_height_change_cm: Spanned<f64>,
    pub sources: Spanned<Vec<String>>,
    pub grade: Spanned<String>,
    pub trajectory: TrajectoryRow,
    pub carried_forward: CarriedForwardRow,
}

/// `[course.trajectory]`: today's value against the EWMA of the earlier
/// ones' SDS (growthcleanr).
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TrajectoryRow {
    pub ewma_exponent: Spanned<f64>,
    pub ewma_day_offset_days: Spanned<f64>,
    pub moderate_within_days: Spanned<f64>,
    pub moderate_ewma_sds: Spanned<f64>,
    pub moderate_before_sds: Spanned<f64>,
    pub moderate_previous_sds: Spanned<f64>,
    pub weight_error_percent: Spanned<f64>,
    pub height_error_cm: Spanned<f64>,
    pub extreme_ewma_sds: Spanned<f64>,
    pub extreme_before_sds: Spanned<f64>,
    pub extreme_value_sds: Spanned<f64>,
    pub sources: Spanned<Vec<String>>,
    pub grade: Spanned<String>,
}

/// `[course.carried_forward]`: a value identical to the previous one after
/// this many days (MEASUREMENT_CARRIED_FORWARD).
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CarriedForwardRow {
    pub after_days: Spanned<u32>,
    pub sources: Spanned<Vec<String>>,
    pub grade: Spanned<String>,
}

/// The fastest a child's weight and height change, by age band.
#[derive(Debug, Deserialize, Clone, Copy)]
#[serde(deny_unknown_fields)]
pub struct ChildGrowthRow {
    pub age_below: f64,
    pub weight_gain_percent_per_year: f64,
    pub height_cm_per_year: f64,
}

#[derive(Debug, Deserialize, Clone, Copy)]
#[serde(deny_unknown_fields)]
pub struct WeightBandRow {
    pub age_below: f64,
    pub min_kg: f64,
    pub max_kg: f64,
}

#[derive(Debug, Deserialize, Clone, Copy)]
#[serde(deny_unknown_fields)]
pub struct HeightBandRow {
    pub age_below: f64,
    pub min_cm: f64,
    pub max_cm: f64,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Igf1Row {
    pub ng_per_ml_per_nmol_per_l: Spanned<f64>,
    pub central_95_quantile: Spanned<f64>,
    pub two_sd_quantile: Spanned<f64>,
    pub sources: Spanned<Vec<String>>,
    pub grade: Spanned<String>,
}
