//! The TOML schema of a rule file, exactly as written on disk.
//!
//! Every table denies unknown keys, so a misspelt key is an error with its
//! line and column rather than a silently ignored rule. Values that need a
//! check after parsing keep their position (`Spanned`) so that the check can
//! report `file:line:col` too. [`super::compile`] turns this into the typed
//! model ([`super::model`]) the engine uses. The product table
//! ([`super::products::file`]) follows the same conventions.

use super::spanned::Spanned;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// A whole rule file.
#[derive(Debug, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct RuleFile {
    pub(crate) schema_version: Spanned<u32>,
    pub(crate) name: String,
    pub(crate) version: String,
    pub(crate) conventions: ConventionsRow,
    pub(crate) limits: Limits,
    pub(crate) sources: Vec<SourceRow>,
    pub(crate) reviews: Vec<ReviewRow>,
    pub(crate) indications: Vec<IndicationRow>,
    pub(crate) adult_oral_estrogen: OralEstrogenRow,
    pub(crate) restart_after_safety_stop: RestartRow,
    pub(crate) plausibility: PlausibilityRow,
    pub(crate) course: CourseRow,
    pub(crate) igf1: Igf1Row,
    pub(crate) titration: Titration,
    pub(crate) growth: GrowthRow,
    pub(crate) flags: BTreeMap<String, Spanned<FlagRow>>,
}

/// A first-year response threshold of one indication.
#[derive(Debug, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct ResponseRow {
    pub(crate) indication: String,
    pub(crate) below: f64,
}

/// `[growth]`: the numbers of a growth assessment.
#[derive(Debug, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct GrowthRow {
    pub(crate) target_sex_difference_cm: Spanned<f64>,
    pub(crate) target_range_cm: Spanned<f64>,
    pub(crate) target_adult_age_years: Spanned<f64>,
    pub(crate) warn_sds: Spanned<f64>,
    pub(crate) refuse_sds: Spanned<f64>,
    pub(crate) height_sds_disagreement: Spanned<f64>,
    pub(crate) obesity_bmi_sds: Spanned<f64>,
    pub(crate) severe_obesity_percent_of_p95: Spanned<f64>,
    pub(crate) poor_first_year_delta_hsds: Spanned<f64>,
    pub(crate) response_baseline_within_days: Spanned<u32>,
    #[serde(default)]
    pub(crate) poor_first_year_delta_hsds_by_indication: Vec<Spanned<ResponseRow>>,
    pub(crate) sources: Spanned<Vec<String>>,
    pub(crate) grade: Spanned<String>,
}

#[derive(Debug, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
#[serde(expecting = "struct Conventions")]
pub(crate) struct ConventionsRow {
    pub(crate) iu_per_mg: Spanned<f64>,
    pub(crate) days_per_year: Spanned<f64>,
    pub(crate) default_injections_per_week: Spanned<u8>,
    pub(crate) allowed_injections_per_week: Spanned<Vec<u8>>,
    pub(crate) adult_injections_per_week: Spanned<u8>,
    pub(crate) adult_age_years: Spanned<f64>,
    pub(crate) pediatric_indication_max_age_years: Spanned<f64>,
    pub(crate) benzyl_alcohol_below_years: Spanned<f64>,
    pub(crate) adult_obesity_bmi_at_least: Spanned<f64>,
    pub(crate) sources: Spanned<Vec<String>>,
    pub(crate) grade: Spanned<String>,
}

/// An inclusive numeric range; `min` may be absent ("up to max").
#[derive(Debug, Deserialize, Serialize, Clone, Copy)]
#[serde(deny_unknown_fields)]
pub(crate) struct RangeRow {
    pub(crate) min: Option<f64>,
    pub(crate) max: f64,
}

/// A closed range where both ends are required.
#[derive(Debug, Deserialize, Serialize, Clone, Copy)]
#[serde(deny_unknown_fields)]
pub(crate) struct ClosedRangeRow {
    pub(crate) min: f64,
    pub(crate) max: f64,
}

#[derive(Debug, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct Limits {
    pub(crate) weight_kg: Spanned<ClosedRangeRow>,
    pub(crate) height_cm: Spanned<ClosedRangeRow>,
    pub(crate) age_years: Spanned<ClosedRangeRow>,
    pub(crate) bmi: Spanned<ClosedRangeRow>,
    pub(crate) height_sds: Spanned<ClosedRangeRow>,
    pub(crate) igf1_sds: Spanned<ClosedRangeRow>,
    pub(crate) igf1_ng_ml: Spanned<ClosedRangeRow>,
    pub(crate) igf1_lambda: Spanned<ClosedRangeRow>,
    pub(crate) dose_mg: Spanned<ClosedRangeRow>,
    pub(crate) current_adult_mg_per_day: Spanned<ClosedRangeRow>,
    pub(crate) current_child_mg_per_kg_week: Spanned<ClosedRangeRow>,
    pub(crate) current_weekly_adult_mg_per_week: Spanned<ClosedRangeRow>,
    pub(crate) height_velocity_cm_per_year: Spanned<ClosedRangeRow>,
    pub(crate) supply_days: Spanned<ClosedRangeRow>,
    pub(crate) sources: Spanned<Vec<String>>,
    pub(crate) grade: Spanned<String>,
}

#[derive(Debug, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct SourceRow {
    pub(crate) id: Spanned<String>,
    pub(crate) citation: String,
    pub(crate) url: Option<String>,
    pub(crate) grade: Spanned<String>,
}

/// An offset from the as-of date: exactly one of the three keys.
#[derive(Debug, Deserialize, Serialize, Clone, Copy)]
#[serde(deny_unknown_fields)]
pub(crate) struct OffsetRow {
    pub(crate) days: Option<u32>,
    pub(crate) weeks: Option<u32>,
    pub(crate) months: Option<u32>,
}

#[derive(Debug, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct ReviewRow {
    pub(crate) id: Spanned<String>,
    pub(crate) earliest: Spanned<OffsetRow>,
    pub(crate) latest: Spanned<OffsetRow>,
    pub(crate) what: Vec<String>,
    pub(crate) sources: Spanned<Vec<String>>,
    pub(crate) grade: Spanned<String>,
}

#[derive(Debug, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct IndicationRow {
    pub(crate) id: Spanned<String>,
    pub(crate) name: String,
    pub(crate) population: Spanned<String>,
    pub(crate) mg_per_kg_week: Option<Spanned<RangeRow>>,
    pub(crate) start_mg_per_kg_week: Option<Spanned<f64>>,
    pub(crate) ceiling_mg_per_kg_week: Option<Spanned<f64>>,
    pub(crate) ceiling_prepubertal_mg_per_kg_week: Option<Spanned<f64>>,
    pub(crate) ceiling_note: Option<String>,
    #[serde(default)]
    pub(crate) start_overrides: Vec<StartOverrideRow>,
    #[serde(default)]
    pub(crate) groups: Vec<GroupRow>,
    #[serde(default)]
    pub(crate) glucose_monitoring: bool,
    #[serde(default)]
    pub(crate) pws_checks: bool,
    #[serde(default)]
    pub(crate) renal_transplant_block: bool,
    pub(crate) daily_cap: Option<Spanned<DailyCapRow>>,
    #[serde(default)]
    pub(crate) symptom_rules: Vec<SymptomRuleRow>,
    /// The ages the labels give for the indication, per region (OFF_LABEL
    /// below them when no product label decides).
    #[serde(default)]
    pub(crate) labelled_ages: Vec<AgesRow>,
    /// The ages the indication is used at, when not the population's
    /// (AGE_INDICATION_MISMATCH outside them).
    pub(crate) usual_ages: Option<AgesRow>,
    pub(crate) review: Spanned<String>,
    pub(crate) note: Option<String>,
    pub(crate) sources: Spanned<Vec<String>>,
    pub(crate) grade: Spanned<String>,
}

#[derive(Debug, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct StartOverrideRow {
    pub(crate) mg_per_kg_week: Spanned<f64>,
    pub(crate) height_sds_below: Option<f64>,
    pub(crate) pubertal: Option<bool>,
    pub(crate) reason: String,
    pub(crate) sources: Spanned<Vec<String>>,
    pub(crate) grade: Spanned<String>,
}

#[derive(Debug, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct DailyCapRow {
    pub(crate) mg_per_day: f64,
    pub(crate) region: String,
    pub(crate) sources: Vec<String>,
    pub(crate) grade: String,
}

#[derive(Debug, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct AgesRow {
    pub(crate) region: Option<Spanned<String>>,
    pub(crate) min: Option<Spanned<f64>>,
    pub(crate) max: Option<Spanned<f64>>,
    /// What the bound is, in the labels' or guidelines' words.
    pub(crate) says: String,
    pub(crate) sources: Spanned<Vec<String>>,
    pub(crate) grade: Spanned<String>,
}

#[derive(Debug, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct SymptomRuleRow {
    pub(crate) symptom: Spanned<String>,
    pub(crate) flag: Spanned<String>,
    pub(crate) note: String,
    pub(crate) sources: Spanned<Vec<String>>,
    pub(crate) grade: Spanned<String>,
}

#[derive(Debug, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct GroupRow {
    pub(crate) id: Spanned<String>,
    pub(crate) name: String,
    pub(crate) when_any: Option<Spanned<WhenAnyRow>>,
    pub(crate) mg_per_day: Spanned<ClosedRangeRow>,
    pub(crate) start_mg_per_day: Spanned<f64>,
    pub(crate) sources: Spanned<Vec<String>>,
    pub(crate) grade: Spanned<String>,
}

#[derive(Debug, Deserialize, Serialize, Clone, Copy)]
#[serde(deny_unknown_fields)]
pub(crate) struct WhenAnyRow {
    pub(crate) age_years_at_least: Option<f64>,
    pub(crate) diabetes: Option<bool>,
    pub(crate) obesity: Option<bool>,
}

#[derive(Debug, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct OralEstrogenRow {
    pub(crate) start: Spanned<String>,
    pub(crate) sources: Spanned<Vec<String>>,
    pub(crate) grade: Spanned<String>,
}

/// `[restart_after_safety_stop]`: which stops call for a lower restart.
#[derive(Debug, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct RestartRow {
    pub(crate) after: Vec<Spanned<String>>,
    pub(crate) reduce_percent_from_dose_before: Spanned<f64>,
    /// The review of such a restart (a `[[reviews]]` id); without it, the
    /// indication's own.
    pub(crate) review: Option<Spanned<String>>,
    pub(crate) sources: Spanned<Vec<String>>,
    pub(crate) grade: Spanned<String>,
}

#[derive(Debug, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct Titration {
    pub adult_daily: AdultTitrationRow,
    pub(crate) pediatric_daily: PediatricTitrationRow,
}

#[derive(Debug, Deserialize, Serialize, Clone, Copy)]
#[serde(deny_unknown_fields)]
pub(crate) struct StepUpRow {
    pub(crate) sds_below: f64,
    pub(crate) mg_per_day: f64,
}

#[derive(Debug, Deserialize, Serialize, Clone, Copy)]
#[serde(deny_unknown_fields)]
pub(crate) struct StepDownRow {
    pub(crate) sds_above: f64,
    pub(crate) mg_per_day: f64,
}

#[derive(Debug, Deserialize, Serialize, Clone, Copy)]
#[serde(deny_unknown_fields)]
pub(crate) struct CapRow {
    pub(crate) age_years_at_most: Option<f64>,
    pub(crate) mg_per_kg_day: f64,
}

#[derive(Debug, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct AdultTitrationRow {
    pub(crate) target_sds: Spanned<ClosedRangeRow>,
    pub(crate) ceiling_sds: Spanned<f64>,
    pub(crate) low_sds: Spanned<f64>,
    pub(crate) step_up: Spanned<Vec<StepUpRow>>,
    pub(crate) step_up_max_older_or_diabetes_mg_per_day: Spanned<f64>,
    pub(crate) older_age_years: Spanned<f64>,
    pub(crate) step_down: Spanned<Vec<StepDownRow>>,
    pub(crate) step_down_symptoms_mg_per_day: Spanned<f64>,
    pub(crate) dose_related_symptoms: Spanned<Vec<String>>,
    pub(crate) min_mg_per_day: Spanned<f64>,
    pub(crate) min_weeks_between_increases: u32,
    pub(crate) min_days_after_change_for_igf1: u32,
    pub(crate) typical_maintenance_max_mg_per_day: Spanned<f64>,
    pub(crate) cap_mg_per_kg_day: Spanned<Vec<CapRow>>,
    pub(crate) cap_without_weight_mg_per_day: Spanned<f64>,
    pub(crate) review_after_change: Spanned<String>,
    pub(crate) review_stable: Spanned<String>,
    pub(crate) review_recheck: Spanned<String>,
    pub(crate) sources: Spanned<Vec<String>>,
    pub(crate) grade: Spanned<String>,
}

#[derive(Debug, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct PediatricTitrationRow {
    pub(crate) ceiling_sds: Spanned<f64>,
    pub(crate) reduce_percent_above_ceiling: Spanned<f64>,
    pub(crate) low_sds: Spanned<f64>,
    pub(crate) near_final_height_cm_per_year: Spanned<f64>,
    pub(crate) near_final_age_female_years: Spanned<f64>,
    pub(crate) near_final_age_male_years: Spanned<f64>,
    pub(crate) prepubertal_start_before_female_years: Spanned<f64>,
    pub(crate) prepubertal_start_before_male_years: Spanned<f64>,
    pub(crate) poor_first_year_gain_cm_per_year: Spanned<f64>,
    pub(crate) first_year_window_years: Spanned<ClosedRangeRow>,
    pub(crate) height_measurement_error_cm: Spanned<f64>,
    pub(crate) min_days_after_change_for_igf1: u32,
    pub(crate) review: Spanned<String>,
    pub(crate) sources: Spanned<Vec<String>>,
    pub(crate) near_final_sources: Spanned<Vec<String>>,
    pub(crate) prepubertal_sources: Spanned<Vec<String>>,
    pub(crate) grade: Spanned<String>,
}

#[derive(Debug, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct FlagRow {
    pub(crate) severity: Spanned<String>,
    pub(crate) message: String,
    pub(crate) source: String,
}

#[derive(Debug, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct PlausibilityRow {
    pub(crate) igf1_sds_beyond: Spanned<f64>,
    pub(crate) igf1_repeat_review: Spanned<String>,
    pub(crate) igf1_stale_days: Spanned<u32>,
    pub(crate) min_velocity_interval_years: Spanned<f64>,
    pub(crate) weight_change_percent: Spanned<f64>,
    pub(crate) dose_mismatch_factor: Spanned<f64>,
    pub(crate) weight_for_age: Spanned<Vec<WeightBandRow>>,
    pub(crate) height_for_age: Spanned<Vec<HeightBandRow>>,
    pub(crate) sources: Spanned<Vec<String>>,
    pub(crate) grade: Spanned<String>,
}

/// `[course]`: a measurement against the patient's own course (the
/// previous one over its interval) and against any child of the age.
#[derive(Debug, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct CourseRow {
    pub(crate) weight_modified_z_above: Spanned<f64>,
    pub(crate) undated_interval_years: Spanned<f64>,
    pub(crate) child_weight_gain_percent: Spanned<f64>,
    pub(crate) child_weight_loss_percent: Spanned<f64>,
    pub(crate) child_height_loss_cm: Spanned<f64>,
    pub(crate) child_growth: Spanned<Vec<ChildGrowthRow>>,
    pub(crate) adult_weight_allow_kg: Spanned<f64>,
    pub(crate) adult_weight_allow_kg_per_ln_month: Spanned<f64>,
    pub(crate) adult_height_change_cm: Spanned<f64>,
    pub(crate) sources: Spanned<Vec<String>>,
    pub(crate) grade: Spanned<String>,
    pub(crate) trajectory: TrajectoryRow,
    pub(crate) carried_forward: CarriedForwardRow,
}

/// `[course.trajectory]`: today's value against the EWMA of the earlier
/// ones' SDS (growthcleanr).
#[derive(Debug, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct TrajectoryRow {
    pub(crate) ewma_exponent: Spanned<f64>,
    pub(crate) ewma_day_offset_days: Spanned<f64>,
    pub(crate) moderate_within_days: Spanned<f64>,
    pub(crate) moderate_ewma_sds: Spanned<f64>,
    pub(crate) moderate_before_sds: Spanned<f64>,
    pub(crate) moderate_previous_sds: Spanned<f64>,
    pub(crate) weight_error_percent: Spanned<f64>,
    pub(crate) height_error_cm: Spanned<f64>,
    pub(crate) extreme_ewma_sds: Spanned<f64>,
    pub(crate) extreme_before_sds: Spanned<f64>,
    pub(crate) extreme_value_sds: Spanned<f64>,
    pub(crate) sources: Spanned<Vec<String>>,
    pub(crate) grade: Spanned<String>,
}

/// `[course.carried_forward]`: a value identical to the previous one after
/// this many days (MEASUREMENT_CARRIED_FORWARD).
#[derive(Debug, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct CarriedForwardRow {
    pub(crate) after_days: Spanned<u32>,
    pub(crate) sources: Spanned<Vec<String>>,
    pub(crate) grade: Spanned<String>,
}

/// The fastest a child's weight and height change, by age band.
#[derive(Debug, Deserialize, Serialize, Clone, Copy)]
#[serde(deny_unknown_fields)]
pub(crate) struct ChildGrowthRow {
    pub(crate) age_below: f64,
    pub(crate) weight_gain_percent_per_year: f64,
    pub(crate) height_cm_per_year: f64,
}

#[derive(Debug, Deserialize, Serialize, Clone, Copy)]
#[serde(deny_unknown_fields)]
pub(crate) struct WeightBandRow {
    pub(crate) age_below: f64,
    pub(crate) min_kg: f64,
    pub(crate) max_kg: f64,
}

#[derive(Debug, Deserialize, Serialize, Clone, Copy)]
#[serde(deny_unknown_fields)]
pub(crate) struct HeightBandRow {
    pub(crate) age_below: f64,
    pub(crate) min_cm: f64,
    pub(crate) max_cm: f64,
}

#[derive(Debug, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct Igf1Row {
    pub(crate) ng_per_ml_per_nmol_per_l: Spanned<f64>,
    pub(crate) central_95_quantile: Spanned<f64>,
    pub(crate) two_sd_quantile: Spanned<f64>,
    pub(crate) sources: Spanned<Vec<String>>,
    pub(crate) grade: Spanned<String>,
}
