//! Plausibility bands of the numbers in rule and product files: what a body,
//! a calendar, a syringe or a score can physically be. Every numeric key of
//! both files has its band here ([`RULE_FIELDS`], [`PRODUCT_FIELDS`]); a
//! number outside it, or not finite (`nan` and `inf` are legal TOML), is
//! refused at load with `file:line:col` (`rules/numbers.rs`) before any table
//! is compiled, so the engine never meets one. The record reader and the
//! charts hold the numbers of a visit record to the same bands.
//!
//! Part of the ground floor: imports nothing of the project.
//!
//! These are plausibility limits, not clinical numbers: the doses, ceilings
//! and thresholds a protocol chooses live in `data/` and are checked against
//! each other when the tables are compiled; how far a loaded protocol departs
//! from the built-in labels is reported apart (`rules/departures.rs`).

/// An inclusive band of finite numbers in one unit.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) struct Band {
    pub(crate) lo: f64,
    pub(crate) hi: f64,
    /// The unit named in messages (may be empty).
    pub(crate) unit: &'static str,
}

impl Band {
    /// Whether `x` is finite and inside the band.
    pub(crate) fn holds(&self, x: f64) -> bool {
        x.is_finite() && x >= self.lo && x <= self.hi
    }
}

const fn band(lo: f64, hi: f64, unit: &'static str) -> Band {
    Band { lo, hi, unit }
}

/// The exponent of a moving average's weights over time (`(days + offset) ^
/// exponent`): negative, so a nearer value weighs more; beyond -5 the
/// nearest value is all that counts.
pub(crate) const EWMA_EXPONENT: Band = band(-5.0, 0.0, "");
/// Standard deviation scores (height, IGF-1, their thresholds and the
/// normal quantiles of reference ranges): nothing measured lies beyond 10 SD.
pub(crate) const SDS: Band = band(-10.0, 10.0, "SDS");
/// Ages and age thresholds: the oldest documented human was 122 (the last
/// plausibility band ends just above the input limit of 120).
pub(crate) const AGE_YEARS: Band = band(0.0, 130.0, "years");
/// The age from which a patient counts as an adult.
pub(crate) const ADULTHOOD_YEARS: Band = band(10.0, 30.0, "years");
/// The age at which a pediatric indication stops applying.
pub(crate) const PEDIATRIC_END_YEARS: Band = band(14.0, 30.0, "years");
/// An age within childhood (e.g. the benzyl alcohol warning).
pub(crate) const CHILDHOOD_YEARS: Band = band(0.0, 18.0, "years");
/// The age from which an adult counts as older (smaller steps, older starts).
pub(crate) const OLDER_ADULT_YEARS: Band = band(18.0, 120.0, "years");
/// Body weight: the heaviest documented human weighed about 635 kg.
pub(crate) const WEIGHT_KG: Band = band(0.0, 700.0, "kg");
/// Height: the tallest documented human measured 272 cm.
pub(crate) const HEIGHT_CM: Band = band(0.0, 300.0, "cm");
/// Growth thresholds and measurement error: infants grow at most about
/// 25-30 cm in a year.
pub(crate) const GROWTH_CM: Band = band(0.0, 30.0, "cm");
/// A bone age read on a hand radiograph: the atlases' standards end at 18
/// (girls) and 19 (boys) years, when the hand bones have matured.
pub(crate) const BONE_AGE_YEARS: Band = band(0.0, 20.0, "years");
/// Height velocity as an input limit (cm/year; see [`GROWTH_CM`]).
pub(crate) const HEIGHT_VELOCITY: Band = band(0.0, 50.0, "cm/year");
/// Body-mass index: the heaviest documented humans reached about 190 kg/m2.
pub(crate) const BMI: Band = band(0.0, 250.0, "kg/m2");
/// The BMI from which an adult counts as obese.
pub(crate) const OBESITY_BMI: Band = band(15.0, 60.0, "kg/m2");
/// IGF-1 concentration: acromegaly rarely exceeds 2,000 ng/mL.
pub(crate) const IGF1_NG_ML: Band = band(0.0, 10_000.0, "ng/mL");
/// Box-Cox power of an assay's distribution (published values lie within +/-2).
pub(crate) const BOX_COX_POWER: Band = band(-5.0, 5.0, "");
/// ng/mL per nmol/L of IGF-1 (molar mass about 7.6 kDa).
pub(crate) const IGF1_NG_PER_NMOL: Band = band(7.0, 8.0, "ng/mL per nmol/L");
/// The normal quantile of a reference range's limits (1.96 for a central
/// 95 % range, 2 for +/-2 SD).
pub(crate) const RANGE_QUANTILE: Band = band(1.5, 2.5, "SD");
/// Weight-based intensity per week: about three times the highest labelled
/// pediatric dose (0.7 mg/kg/week in puberty).
pub(crate) const MG_PER_KG_WEEK: Band = band(0.0, 2.0, "mg/kg/week");
/// Weight-based intensity per day ([`MG_PER_KG_WEEK`] / 7, rounded up).
pub(crate) const MG_PER_KG_DAY: Band = band(0.0, 0.3, "mg/kg/day");
/// A daily dose: a 100 kg child at 0.7 mg/kg/week takes 10 mg a day; adults
/// take at most a few mg.
pub(crate) const MG_PER_DAY: Band = band(0.0, 20.0, "mg/day");
/// A weekly dose, or a dose as given per day or per week.
pub(crate) const MG_PER_WEEK: Band = band(0.0, 200.0, "mg/week");
/// The drug in one pen, cartridge or vial (the largest pens hold 60 mg).
pub(crate) const PRESENTATION_MG: Band = band(0.0, 200.0, "mg");
/// One injection's dose, or a device's step.
pub(crate) const MG_PER_INJECTION: Band = band(0.0, 200.0, "mg");
/// The volume of a presentation or of one dose.
pub(crate) const VOLUME_ML: Band = band(0.0, 100.0, "mL");
/// IU per mg of somatropin (3 by convention).
pub(crate) const IU_PER_MG: Band = band(0.0, 100.0, "IU/mg");
/// Percentages.
pub(crate) const PERCENT: Band = band(0.0, 100.0, "%");
/// How fast a body's weight can change: an infant doubles in months.
pub(crate) const PERCENT_PER_YEAR: Band = band(0.0, 1000.0, "% a year");
/// A value as a percentage of a centile's value (e.g. of the 95th centile of BMI).
pub(crate) const PERCENT_OF_CENTILE: Band = band(100.0, 300.0, "%");
/// Days from an event, none included (how close to a date counts as on it).
pub(crate) const DAYS_OR_NONE: Band = band(0.0, 366.0, "days");
/// A multiplicative factor between two doses that are meant to agree.
pub(crate) const MISMATCH_FACTOR: Band = band(1.1, 10.0, "");
/// Days (supply, offsets): from one day to ten years.
pub(crate) const DAYS: Band = band(1.0, 3650.0, "days");
/// Weeks: from one week to ten years.
pub(crate) const WEEKS: Band = band(1.0, 522.0, "weeks");
/// Months: from one month to ten years.
pub(crate) const MONTHS: Band = band(1.0, 120.0, "months");
/// Days in a year.
pub(crate) const DAYS_PER_YEAR: Band = band(360.0, 370.0, "days");
/// The age of an IGF-1 sample that still titrates: a week to two years.
pub(crate) const SAMPLE_AGE_DAYS: Band = band(7.0, 730.0, "days");
/// Days until IGF-1 reflects a dose change: a day to two months.
pub(crate) const STEADY_STATE_DAYS: Band = band(1.0, 60.0, "days");
/// Weeks between two increases: a week to a year.
pub(crate) const TITRATION_WEEKS: Band = band(1.0, 52.0, "weeks");
/// Days after a weekly injection (a week has 7).
pub(crate) const DAY_AFTER_INJECTION: Band = band(0.0, 7.0, "days");
/// The days a presentation may be used once opened: up to a year.
pub(crate) const IN_USE_DAYS: Band = band(1.0, 366.0, "days");
/// Intervals in years (the shortest annualised interval, the first-year window).
pub(crate) const INTERVAL_YEARS: Band = band(0.0, 3.0, "years");
/// The shortest interval between two heights that is annualised.
pub(crate) const VELOCITY_INTERVAL_YEARS: Band = band(0.1, 2.0, "years");
/// Injections a week: a week has 7 days and growth hormone is at most daily.
pub(crate) const INJECTIONS_PER_WEEK: Band = band(1.0, 7.0, "injections per week");
/// Injections (or cartridges) making up one dose: more than 4 is a slip.
pub(crate) const INJECTIONS_PER_DOSE: Band = band(1.0, 4.0, "injections per dose");
/// Whole-strength moves of a weekly table.
pub(crate) const STRENGTH_STEPS: Band = band(-20.0, 20.0, "steps");
/// The table format version.
pub(crate) const SCHEMA_VERSION: Band = band(1.0, 1000.0, "");

/// Rows in any one table of a file (reviews, sources, indications,
/// products, devices, bands...): a protocol or a formulary, not a database;
/// the built-in tables hold fewer than 50.
pub(crate) const MAX_ROWS: usize = 10_000;

/// A numeric key, by its dotted path (array positions left out), and its band.
pub(crate) type FieldBand = (&'static str, Band);

/// Every numeric key of a rule file (`data/indications.toml`).
pub(crate) const RULE_FIELDS: &[FieldBand] = &[
    ("schema_version", SCHEMA_VERSION),
    ("conventions.iu_per_mg", IU_PER_MG),
    ("conventions.days_per_year", DAYS_PER_YEAR),
    (
        "conventions.default_injections_per_week",
        INJECTIONS_PER_WEEK,
    ),
    (
        "conventions.allowed_injections_per_week",
        INJECTIONS_PER_WEEK,
    ),
    ("conventions.adult_injections_per_week", INJECTIONS_PER_WEEK),
    ("conventions.adult_age_years", ADULTHOOD_YEARS),
    (
        "conventions.pediatric_indication_max_age_years",
        PEDIATRIC_END_YEARS,
    ),
    ("conventions.benzyl_alcohol_below_years", CHILDHOOD_YEARS),
    ("conventions.adult_obesity_bmi_at_least", OBESITY_BMI),
    ("limits.weight_kg.min", WEIGHT_KG),
    ("limits.weight_kg.max", WEIGHT_KG),
    ("limits.height_cm.min", HEIGHT_CM),
    ("limits.height_cm.max", HEIGHT_CM),
    ("limits.age_years.min", AGE_YEARS),
    ("limits.age_years.max", AGE_YEARS),
    ("limits.bmi.min", BMI),
    ("limits.bmi.max", BMI),
    ("limits.height_sds.min", SDS),
    ("limits.height_sds.max", SDS),
    ("limits.igf1_sds.min", SDS),
    ("limits.igf1_sds.max", SDS),
    ("limits.igf1_ng_ml.min", IGF1_NG_ML),
    ("limits.igf1_ng_ml.max", IGF1_NG_ML),
    ("limits.igf1_lambda.min", BOX_COX_POWER),
    ("limits.igf1_lambda.max", BOX_COX_POWER),
    ("limits.dose_mg.min", MG_PER_WEEK),
    ("limits.dose_mg.max", MG_PER_WEEK),
    ("limits.current_adult_mg_per_day.min", MG_PER_DAY),
    ("limits.current_adult_mg_per_day.max", MG_PER_DAY),
    ("limits.current_child_mg_per_kg_week.min", MG_PER_KG_WEEK),
    ("limits.current_child_mg_per_kg_week.max", MG_PER_KG_WEEK),
    ("limits.current_weekly_adult_mg_per_week.min", MG_PER_WEEK),
    ("limits.current_weekly_adult_mg_per_week.max", MG_PER_WEEK),
    ("limits.height_velocity_cm_per_year.min", HEIGHT_VELOCITY),
    ("limits.height_velocity_cm_per_year.max", HEIGHT_VELOCITY),
    ("limits.supply_days.min", DAYS),
    ("limits.supply_days.max", DAYS),
    ("plausibility.igf1_sds_beyond", SDS),
    ("plausibility.igf1_stale_days", SAMPLE_AGE_DAYS),
    (
        "plausibility.min_velocity_interval_years",
        VELOCITY_INTERVAL_YEARS,
    ),
    ("plausibility.weight_change_percent", PERCENT),
    (
        "restart_after_safety_stop.reduce_percent_from_dose_before",
        PERCENT,
    ),
    ("plausibility.dose_mismatch_factor", MISMATCH_FACTOR),
    ("plausibility.weight_for_age.age_below", AGE_YEARS),
    ("plausibility.weight_for_age.min_kg", WEIGHT_KG),
    ("plausibility.weight_for_age.max_kg", WEIGHT_KG),
    ("plausibility.height_for_age.age_below", AGE_YEARS),
    ("plausibility.height_for_age.min_cm", HEIGHT_CM),
    ("plausibility.height_for_age.max_cm", HEIGHT_CM),
    ("course.weight_modified_z_above", SDS),
    ("course.undated_interval_years", INTERVAL_YEARS),
    ("course.child_weight_gain_percent", PERCENT),
    ("course.child_weight_loss_percent", PERCENT),
    ("course.child_height_loss_cm", GROWTH_CM),
    ("course.child_growth.age_below", AGE_YEARS),
    (
        "course.child_growth.weight_gain_percent_per_year",
        PERCENT_PER_YEAR,
    ),
    ("course.child_growth.height_cm_per_year", HEIGHT_VELOCITY),
    ("course.adult_weight_allow_kg", WEIGHT_KG),
    ("course.adult_weight_allow_kg_per_ln_month", WEIGHT_KG),
    ("course.adult_height_change_cm", GROWTH_CM),
    ("course.trajectory.ewma_exponent", EWMA_EXPONENT),
    ("course.trajectory.ewma_day_offset_days", DAYS_OR_NONE),
    ("course.trajectory.moderate_within_days", DAYS),
    ("course.trajectory.moderate_ewma_sds", SDS),
    ("course.trajectory.moderate_before_sds", SDS),
    ("course.trajectory.moderate_previous_sds", SDS),
    ("course.trajectory.weight_error_percent", PERCENT),
    ("course.trajectory.height_error_cm", GROWTH_CM),
    ("course.trajectory.extreme_ewma_sds", SDS),
    ("course.trajectory.extreme_before_sds", SDS),
    ("course.trajectory.extreme_value_sds", SDS),
    ("course.carried_forward.after_days", DAYS),
    ("growth.target_sex_difference_cm", GROWTH_CM),
    ("growth.target_range_cm", GROWTH_CM),
    ("growth.target_adult_age_years", ADULTHOOD_YEARS),
    ("growth.warn_sds", SDS),
    ("growth.refuse_sds", SDS),
    ("growth.height_sds_disagreement", SDS),
    ("growth.obesity_bmi_sds", SDS),
    ("growth.severe_obesity_percent_of_p95", PERCENT_OF_CENTILE),
    ("growth.poor_first_year_delta_hsds", SDS),
    ("growth.poor_first_year_delta_hsds_by_indication.below", SDS),
    ("growth.response_baseline_within_days", DAYS_OR_NONE),
    ("igf1.ng_per_ml_per_nmol_per_l", IGF1_NG_PER_NMOL),
    ("igf1.central_95_quantile", RANGE_QUANTILE),
    ("igf1.two_sd_quantile", RANGE_QUANTILE),
    ("reviews.earliest.days", DAYS),
    ("reviews.earliest.weeks", WEEKS),
    ("reviews.earliest.months", MONTHS),
    ("reviews.latest.days", DAYS),
    ("reviews.latest.weeks", WEEKS),
    ("reviews.latest.months", MONTHS),
    ("indications.mg_per_kg_week.min", MG_PER_KG_WEEK),
    ("indications.mg_per_kg_week.max", MG_PER_KG_WEEK),
    ("indications.start_mg_per_kg_week", MG_PER_KG_WEEK),
    ("indications.ceiling_mg_per_kg_week", MG_PER_KG_WEEK),
    (
        "indications.ceiling_prepubertal_mg_per_kg_week",
        MG_PER_KG_WEEK,
    ),
    ("indications.start_overrides.mg_per_kg_week", MG_PER_KG_WEEK),
    ("indications.labelled_ages.min", AGE_YEARS),
    ("indications.labelled_ages.max", AGE_YEARS),
    ("indications.usual_ages.min", AGE_YEARS),
    ("indications.usual_ages.max", AGE_YEARS),
    ("indications.start_overrides.height_sds_below", SDS),
    ("indications.daily_cap.mg_per_day", MG_PER_DAY),
    ("indications.groups.when_any.age_years_at_least", AGE_YEARS),
    ("indications.groups.mg_per_day.min", MG_PER_DAY),
    ("indications.groups.mg_per_day.max", MG_PER_DAY),
    ("indications.groups.start_mg_per_day", MG_PER_DAY),
    ("titration.adult_daily.target_sds.min", SDS),
    ("titration.adult_daily.target_sds.max", SDS),
    ("titration.adult_daily.ceiling_sds", SDS),
    ("titration.adult_daily.low_sds", SDS),
    ("titration.adult_daily.step_up.sds_below", SDS),
    ("titration.adult_daily.step_up.mg_per_day", MG_PER_DAY),
    (
        "titration.adult_daily.step_up_max_older_or_diabetes_mg_per_day",
        MG_PER_DAY,
    ),
    ("titration.adult_daily.older_age_years", OLDER_ADULT_YEARS),
    ("titration.adult_daily.step_down.sds_above", SDS),
    ("titration.adult_daily.step_down.mg_per_day", MG_PER_DAY),
    (
        "titration.adult_daily.step_down_symptoms_mg_per_day",
        MG_PER_DAY,
    ),
    ("titration.adult_daily.min_mg_per_day", MG_PER_DAY),
    (
        "titration.adult_daily.min_weeks_between_increases",
        TITRATION_WEEKS,
    ),
    (
        "titration.adult_daily.min_days_after_change_for_igf1",
        STEADY_STATE_DAYS,
    ),
    (
        "titration.adult_daily.typical_maintenance_max_mg_per_day",
        MG_PER_DAY,
    ),
    (
        "titration.adult_daily.cap_mg_per_kg_day.age_years_at_most",
        AGE_YEARS,
    ),
    (
        "titration.adult_daily.cap_mg_per_kg_day.mg_per_kg_day",
        MG_PER_KG_DAY,
    ),
    (
        "titration.adult_daily.cap_without_weight_mg_per_day",
        MG_PER_DAY,
    ),
    ("titration.pediatric_daily.ceiling_sds", SDS),
    (
        "titration.pediatric_daily.reduce_percent_above_ceiling",
        PERCENT,
    ),
    ("titration.pediatric_daily.low_sds", SDS),
    (
        "titration.pediatric_daily.near_final_height_cm_per_year",
        GROWTH_CM,
    ),
    (
        "titration.pediatric_daily.poor_first_year_gain_cm_per_year",
        GROWTH_CM,
    ),
    (
        "titration.pediatric_daily.near_final_age_female_years",
        AGE_YEARS,
    ),
    (
        "titration.pediatric_daily.near_final_age_male_years",
        AGE_YEARS,
    ),
    (
        "titration.pediatric_daily.prepubertal_start_before_female_years",
        AGE_YEARS,
    ),
    (
        "titration.pediatric_daily.prepubertal_start_before_male_years",
        AGE_YEARS,
    ),
    (
        "titration.pediatric_daily.first_year_window_years.min",
        INTERVAL_YEARS,
    ),
    (
        "titration.pediatric_daily.first_year_window_years.max",
        INTERVAL_YEARS,
    ),
    (
        "titration.pediatric_daily.height_measurement_error_cm",
        GROWTH_CM,
    ),
    (
        "titration.pediatric_daily.min_days_after_change_for_igf1",
        STEADY_STATE_DAYS,
    ),
];

/// Every numeric key of a product table (`data/products.toml`).
pub(crate) const PRODUCT_FIELDS: &[FieldBand] = &[
    ("schema_version", SCHEMA_VERSION),
    ("products.injections_per_week", INJECTIONS_PER_WEEK),
    ("products.max_injections_per_dose", INJECTIONS_PER_DOSE),
    ("products.switch_after_weekly_days", DAYS),
    ("products.missed_dose_within_days", DAY_AFTER_INJECTION),
    ("products.igf1_sample_days.min", DAY_AFTER_INJECTION),
    ("products.igf1_sample_days.max", DAY_AFTER_INJECTION),
    ("products.igf1_strength_steps.sds_above", SDS),
    ("products.igf1_strength_steps.steps", STRENGTH_STEPS),
    ("products.reduce_percent_above_sds.sds", SDS),
    ("products.reduce_percent_above_sds.percent", PERCENT),
    ("products.labels.mg_per_kg_week.min", MG_PER_KG_WEEK),
    ("products.labels.mg_per_kg_week.max", MG_PER_KG_WEEK),
    ("products.labels.mg_per_kg_day.min", MG_PER_KG_DAY),
    ("products.labels.mg_per_kg_day.max", MG_PER_KG_DAY),
    (
        "products.labels.max_pubertal_mg_per_kg_week",
        MG_PER_KG_WEEK,
    ),
    ("products.labels.max_mg_per_kg_week", MG_PER_KG_WEEK),
    ("products.labels.mg_per_day.min", MG_PER_DAY),
    ("products.labels.mg_per_day.max", MG_PER_DAY),
    ("products.labels.min_age_years", AGE_YEARS),
    ("products.labels.max_age_years", AGE_YEARS),
    ("products.devices.strength_mg", PRESENTATION_MG),
    ("products.devices.volume_ml", VOLUME_ML),
    ("products.devices.dose_volume_ml", VOLUME_ML),
    ("products.devices.increment_mg", MG_PER_INJECTION),
    ("products.devices.min_dose_mg", MG_PER_INJECTION),
    ("products.devices.max_dose_mg", MG_PER_INJECTION),
    ("products.devices.in_use_days", IN_USE_DAYS),
    ("adult_weekly.start_mg_per_week", MG_PER_WEEK),
    ("adult_weekly.older_than_years", OLDER_ADULT_YEARS),
    ("adult_weekly.older_from_years", OLDER_ADULT_YEARS),
    ("adult_weekly.older_start_mg_per_week", MG_PER_WEEK),
    ("adult_weekly.oral_estrogen_start_mg_per_week", MG_PER_WEEK),
    ("adult_weekly.switch_start_mg_per_week", MG_PER_WEEK),
    ("adult_weekly.switch_older_start_mg_per_week", MG_PER_WEEK),
    (
        "adult_weekly.switch_oral_estrogen_start_mg_per_week",
        MG_PER_WEEK,
    ),
    (
        "adult_weekly.hepatic_moderate_start_mg_per_week",
        MG_PER_WEEK,
    ),
    ("adult_weekly.hepatic_moderate_max_mg_per_week", MG_PER_WEEK),
    ("adult_weekly.max_mg_per_week", MG_PER_WEEK),
    ("adult_weekly.target_sds.min", SDS),
    ("adult_weekly.target_sds.max", SDS),
    ("adult_weekly.step_up.sds_below", SDS),
    ("adult_weekly.step_up.mg_per_week", MG_PER_WEEK),
    ("adult_weekly.step_up_max_older_mg_per_week", MG_PER_WEEK),
    ("adult_weekly.step_down.sds_above", SDS),
    ("adult_weekly.step_down.mg_per_week", MG_PER_WEEK),
    ("adult_weekly.min_weeks_between_increases", TITRATION_WEEKS),
    ("weight_bands.bands.from_kg", WEIGHT_KG),
    ("weight_bands.bands.to_kg", WEIGHT_KG),
    ("weight_bands.bands.mg_per_week", MG_PER_WEEK),
    ("weight_bands.bands.cartridges", INJECTIONS_PER_DOSE),
];
