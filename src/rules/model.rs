//! The compiled rule model: every type the engine reads, already validated
//! (references resolved, ranges ordered, doses in whole micrograms or
//! nanograms per kg).

use crate::units::{Micrograms, NgPerKg, Percent};
use crate::vocab::{FlagCode, Grade, Population, Region, Severity, Symptom};

/// Where a table came from and which exact bytes it was.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Origin {
    /// `built-in` or the path given with `--rules`.
    pub(crate) source: String,
    /// The file's own `version`.
    pub(crate) version: String,
    /// The file's `name`.
    pub(crate) name: String,
    /// Hex SHA-256 of the file's bytes.
    pub(crate) sha256: String,
}

/// A cited source.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Source {
    pub(crate) id: String,
    pub(crate) citation: String,
    pub(crate) url: Option<String>,
    pub(crate) grade: Grade,
}

/// Source ids and grade of one rule row.
#[derive(Debug, Clone, PartialEq)]
pub struct Cited {
    pub sources: Vec<String>,
    pub grade: Grade,
}

/// An inclusive range of plain numbers (input limits, SDS bands).
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) struct Bounds {
    pub(crate) min: f64,
    pub(crate) max: f64,
}

impl Bounds {
    /// Whether `x` lies inside the range (ends included).
    pub(crate) fn contains(&self, x: f64) -> bool {
        x >= self.min && x <= self.max
    }
}

/// Conventions shared by every calculation.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Conventions {
    pub(crate) milli_iu_per_mg: i64,
    pub(crate) days_per_year: f64,
    pub(crate) default_injections_per_week: u8,
    pub(crate) allowed_injections_per_week: Vec<u8>,
    /// Injections per week of adults on daily somatropin.
    pub(crate) adult_injections_per_week: u8,
    pub(crate) adult_age_years: f64,
    /// A pediatric indication is refused at or above this age.
    pub(crate) pediatric_indication_max_age_years: f64,
    /// Presentations with benzyl alcohol warn below this age.
    pub(crate) benzyl_alcohol_below_years: f64,
    pub(crate) adult_obesity_bmi_at_least: f64,
    pub(crate) cited: Cited,
}

/// Input validity limits: outside them a value is refused.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Limits {
    pub(crate) weight_kg: Bounds,
    pub(crate) height_cm: Bounds,
    pub(crate) age_years: Bounds,
    pub(crate) bmi: Bounds,
    pub(crate) height_sds: Bounds,
    pub(crate) igf1_sds: Bounds,
    pub(crate) igf1_ng_ml: Bounds,
    pub(crate) igf1_lambda: Bounds,
    pub(crate) dose_mg: Bounds,
    /// The current dose of adults on daily somatropin, mg/day.
    pub(crate) current_adult_mg_per_day: Bounds,
    /// The current dose of children, mg/kg/week on the current weight.
    pub(crate) current_child_mg_per_kg_week: Bounds,
    /// The current dose of adults on a weekly analogue, mg/week.
    pub(crate) current_weekly_adult_mg_per_week: Bounds,
    /// A height velocity as given (the pre-treatment velocity), cm/year.
    pub(crate) height_velocity_cm_per_year: Bounds,
    /// Days of supply to count pens or cartridges for.
    pub(crate) supply_days: Bounds,
}

/// An age band with a plausible range of a measurement.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) struct AgeBand {
    pub(crate) age_below: f64,
    pub(crate) range: Bounds,
}

/// The numbers of a growth assessment (`[growth]`).
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct GrowthRules {
    /// Tanner: added to (boys) or taken off (girls) the parents' sum, cm.
    pub(crate) target_sex_difference_cm: f64,
    /// Half-width of the target range, cm.
    pub(crate) target_range_cm: f64,
    /// The target's SDS is taken at this age on the adult reference.
    pub(crate) target_adult_age_years: f64,
    /// A measurement beyond +/- this SDS is unusual (UNUSUAL_INPUT).
    pub(crate) warn_sds: f64,
    /// A measurement beyond +/- this SDS is refused.
    pub(crate) refuse_sds: f64,
    /// A typed height SDS further than this from the computed one warns.
    pub(crate) height_sds_disagreement: f64,
    /// A child's BMI SDS at or above this is obesity (the 95th centile).
    pub(crate) obesity_bmi_sds: f64,
    /// A BMI at or above this percentage of the 95th centile is severe obesity.
    pub(crate) severe_obesity_percent_of_p95: f64,
    /// First-year change in height SDS below which the response is poor.
    pub(crate) poor_first_year_delta_hsds: f64,
    /// A height this close to the treatment start (days) is its baseline.
    pub(crate) response_baseline_within_days: u32,
    /// The same, per indication, where a protocol sets its own.
    pub(crate) poor_first_year_delta_hsds_by_indication: std::collections::BTreeMap<String, f64>,
    pub(crate) cited: Cited,
}

impl GrowthRules {
    /// The first-year response threshold for an indication.
    pub(crate) fn poor_response_below(&self, indication: &str) -> f64 {
        self.poor_first_year_delta_hsds_by_indication
            .get(indication)
            .copied()
            .unwrap_or(self.poor_first_year_delta_hsds)
    }
}

/// Advisory limits: outside them an input is unusual, not impossible.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Plausibility {
    pub(crate) igf1_sds_beyond: f64,
    /// The review after an implausible IGF-1 (an early repeat).
    pub(crate) igf1_repeat_review: String,
    /// A sample older than this does not titrate.
    pub(crate) igf1_stale_days: u32,
    /// Heights closer together are not annualised.
    pub(crate) min_velocity_interval_years: f64,
    pub(crate) weight_change_percent: f64,
    /// A prescribed intensity and the current dose per current weight that
    /// differ by more than this factor are refused.
    pub(crate) dose_mismatch_factor: f64,
    pub(crate) weight_for_age: Vec<AgeBand>,
    pub(crate) height_for_age: Vec<AgeBand>,
    pub(crate) cited: Cited,
}

impl Plausibility {
    fn band(bands: &[AgeBand], age: f64) -> Option<&AgeBand> {
        bands.iter().find(|b| age < b.age_below)
    }

    /// The usual weight range at an age.
    pub(crate) fn weight_at(&self, age: f64) -> Option<Bounds> {
        Plausibility::band(&self.weight_for_age, age).map(|b| b.range)
    }

    /// The usual height range at an age.
    pub(crate) fn height_at(&self, age: f64) -> Option<Bounds> {
        Plausibility::band(&self.height_for_age, age).map(|b| b.range)
    }
}

/// A measurement against the patient's own course and against any child of
/// the age (`[course]`): beyond these it is refused as a likely slip unless
/// confirmed (`--confirm weight`).
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct CourseRules {
    /// A child's weight above this CDC 2000 modified z-score (the upper
    /// half-distance to +2 SDS as the unit, so the tail is not compressed)
    /// is one no child of the age has.
    pub(crate) weight_modified_z_above: f64,
    /// A previous value without a date is judged as this many years old.
    pub(crate) undated_interval_years: f64,
    /// A child's weight may rise by this percent plus the band's rate a year.
    pub(crate) child_weight_gain_percent: f64,
    /// A child's weight may fall by at most this percent.
    pub(crate) child_weight_loss_percent: f64,
    /// A child's height may fall (measurement error) by at most this, and
    /// rise by this plus the band's velocity over the interval.
    pub(crate) child_height_loss_cm: f64,
    pub(crate) child_growth: Vec<ChildGrowth>,
    /// An adult's weight may change by `allow + per_ln_month * ln(1 + months)` kg.
    pub(crate) adult_weight_allow_kg: f64,
    pub(crate) adult_weight_allow_kg_per_ln_month: f64,
    /// An adult's height may change by at most this either way.
    pub(crate) adult_height_change_cm: f64,
    pub(crate) cited: Cited,
    pub(crate) trajectory: Trajectory,
    pub(crate) carried_forward: CarriedForward,
}

/// A child's value against the exponentially weighted moving average of the
/// SDS of the earlier ones (`[course.trajectory]`, growthcleanr).
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Trajectory {
    /// Weights `(days between + day_offset) ^ exponent` (negative).
    pub(crate) ewma_exponent: f64,
    pub(crate) ewma_day_offset_days: f64,
    /// The moderate rule: the previous value within this many days; the
    /// deviation from the average, from the average without the previous
    /// value, and from the previous value beyond these SDS.
    pub(crate) moderate_within_days: f64,
    pub(crate) moderate_ewma_sds: f64,
    pub(crate) moderate_before_sds: f64,
    pub(crate) moderate_previous_sds: f64,
    /// Measurement error the change from the previous value must exceed.
    pub(crate) weight_error_percent: f64,
    pub(crate) height_error_cm: f64,
    /// The extreme rule, at any interval.
    pub(crate) extreme_ewma_sds: f64,
    pub(crate) extreme_before_sds: f64,
    pub(crate) extreme_value_sds: f64,
    pub(crate) cited: Cited,
}

/// A child's value identical to the previous one after at least
/// `after_days` (`[course.carried_forward]`).
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct CarriedForward {
    pub(crate) after_days: u32,
    pub(crate) cited: Cited,
}

/// The fastest a child's weight (percent a year) and height (cm a year)
/// change below an age.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) struct ChildGrowth {
    pub(crate) age_below: f64,
    pub(crate) weight_gain_percent_per_year: f64,
    pub(crate) height_cm_per_year: f64,
}

impl CourseRules {
    /// The band of an age; the fastest of all when the age is unknown.
    pub(crate) fn child_at(&self, age: Option<f64>) -> ChildGrowth {
        let fastest = self.child_growth.iter().fold(
            ChildGrowth {
                age_below: f64::INFINITY,
                weight_gain_percent_per_year: 0.0,
                height_cm_per_year: 0.0,
            },
            |a, b| ChildGrowth {
                age_below: a.age_below,
                weight_gain_percent_per_year: a
                    .weight_gain_percent_per_year
                    .max(b.weight_gain_percent_per_year),
                height_cm_per_year: a.height_cm_per_year.max(b.height_cm_per_year),
            },
        );
        age.and_then(|a| self.child_growth.iter().find(|b| a < b.age_below))
            .copied()
            .unwrap_or(fastest)
    }
}

/// IGF-1 unit conversion and range quantiles.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Igf1Conventions {
    pub(crate) ng_per_ml_per_nmol_per_l: f64,
    pub(crate) central_95_quantile: f64,
    pub(crate) two_sd_quantile: f64,
    pub(crate) cited: Cited,
}

/// An offset from a date.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Offset {
    Days(u32),
    Weeks(u32),
    Months(u32),
}

impl Offset {
    /// Approximate length in days, for ordering checks only.
    pub(crate) fn approx_days(self) -> f64 {
        match self {
            Offset::Days(d) => f64::from(d),
            Offset::Weeks(w) => f64::from(w) * 7.0,
            Offset::Months(m) => f64::from(m) * 30.44,
        }
    }
}

/// A review window and what to measure.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Review {
    pub(crate) id: String,
    pub(crate) earliest: Offset,
    pub(crate) latest: Offset,
    pub(crate) what: Vec<String>,
    pub(crate) cited: Cited,
}

/// A weight-based start that replaces the default when its condition holds.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct StartOverride {
    pub(crate) intensity: NgPerKg,
    pub(crate) height_sds_below: Option<f64>,
    pub(crate) pubertal: Option<bool>,
    pub(crate) reason: String,
    pub(crate) cited: Cited,
}

/// A regional per-day cap of a weight-based indication.
#[derive(Debug, Clone, PartialEq)]
pub struct DailyCap {
    pub per_day: Micrograms,
    pub region: Region,
    pub(crate) cited: Cited,
}

/// Weight-based (pediatric) dosing of an indication, per week.
#[derive(Debug, Clone, PartialEq)]
pub struct WeightBased {
    pub min: Option<NgPerKg>,
    pub max: NgPerKg,
    pub start: NgPerKg,
    pub ceiling: NgPerKg,
    /// The ceiling of prepubertal children, when lower than `ceiling`.
    pub(crate) ceiling_prepubertal: Option<NgPerKg>,
    pub(crate) ceiling_note: Option<String>,
    pub(crate) overrides: Vec<StartOverride>,
    pub daily_cap: Option<DailyCap>,
}

impl WeightBased {
    /// The highest labelled intensity for a child: the prepubertal ceiling
    /// unless the child is pubertal.
    pub fn ceiling_for(&self, pubertal: bool) -> NgPerKg {
        match self.ceiling_prepubertal {
            Some(c) if !pubertal => c.min(self.ceiling),
            _ => self.ceiling,
        }
    }
}

/// Conditions of which any one selects an adult group.
#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub(crate) struct WhenAny {
    pub(crate) age_years_at_least: Option<f64>,
    pub(crate) diabetes: bool,
    pub(crate) obesity: bool,
}

/// One adult dosing group, in mg/day.
#[derive(Debug, Clone, PartialEq)]
pub struct AdultGroup {
    pub id: String,
    pub(crate) name: String,
    pub(crate) when_any: Option<WhenAny>,
    pub min_per_day: Micrograms,
    pub max_per_day: Micrograms,
    pub start_per_day: Micrograms,
    pub(crate) cited: Cited,
}

/// How an indication is dosed.
#[derive(Debug, Clone, PartialEq)]
pub enum Regimen {
    /// mg/kg/week, divided into daily injections.
    WeightBased(WeightBased),
    /// mg/day by group; the last group is the default.
    FixedDaily(Vec<AdultGroup>),
}

/// A symptom that raises a flag for an indication, with the words the
/// clinician reads (e.g. snoring in Prader-Willi syndrome).
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct SymptomRule {
    pub(crate) symptom: Symptom,
    pub(crate) flag: FlagCode,
    pub(crate) note: String,
    pub(crate) cited: Cited,
}

/// An indication and how it is dosed.
#[derive(Debug, Clone, PartialEq)]
pub struct Indication {
    pub id: String,
    pub(crate) name: String,
    pub population: Population,
    pub regimen: Regimen,
    pub(crate) glucose_monitoring: bool,
    pub(crate) pws_checks: bool,
    pub(crate) renal_transplant_block: bool,
    pub(crate) symptom_rules: Vec<SymptomRule>,
    /// The labels' ages per region (OFF_LABEL outside them).
    pub(crate) labelled_ages: Vec<Ages>,
    /// The ages the indication is used at (AGE_INDICATION_MISMATCH outside).
    pub(crate) usual_ages: Option<Ages>,
    pub(crate) review: String,
    pub(crate) note: Option<String>,
    pub cited: Cited,
}

/// An age span of an indication, with what it is and its sources.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Ages {
    /// `None`: every region.
    pub(crate) region: Option<crate::vocab::Region>,
    pub(crate) min: Option<f64>,
    pub(crate) max: Option<f64>,
    pub(crate) says: String,
    pub(crate) cited: Cited,
}

impl Ages {
    /// Whether an age falls outside the span.
    pub(crate) fn excludes(&self, age: f64) -> bool {
        self.min.is_some_and(|m| age < m) || self.max.is_some_and(|m| age > m)
    }
}

/// What an adult on oral estrogen starts at.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum OralEstrogenStart {
    /// The group's maximum.
    GroupMax,
    /// The group's usual start (no adjustment; the flag still shows).
    GroupStart,
}

/// The oral-estrogen rule of adult starts.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct OralEstrogen {
    pub(crate) start: OralEstrogenStart,
    pub(crate) cited: Cited,
}

/// A restart after a stop for a safety reason.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct RestartRule {
    /// The flags whose stop calls for a lower restart once the signs resolved.
    pub(crate) after: Vec<crate::vocab::FlagCode>,
    /// The restart is at most the dose before the stop reduced by this.
    pub(crate) reduce_from_dose_before: crate::units::Percent,
    /// The review window of the restart, when the rule set names one.
    pub(crate) review: Option<String>,
    pub(crate) cited: Cited,
}

/// A flag's severity, message and source.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct FlagDef {
    pub(crate) severity: Severity,
    pub(crate) message: String,
    pub(crate) source: String,
}

/// A step size chosen by how far IGF-1 SDS lies from a bound.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) struct SdsStep {
    /// SDS below (step up) or above (step down) which the step applies.
    pub(crate) sds: f64,
    pub(crate) step: Micrograms,
}

/// Adult daily somatropin titration.
#[derive(Debug, Clone, PartialEq)]
pub struct AdultTitration {
    pub(crate) target: Bounds,
    pub(crate) ceiling_sds: f64,
    pub(crate) low_sds: f64,
    /// Ordered by increasing SDS: the first whose `sds` the value is below.
    pub(crate) step_up: Vec<SdsStep>,
    pub(crate) step_up_max_older_or_diabetes: Micrograms,
    pub(crate) older_age_years: f64,
    /// Ordered by decreasing SDS: the first whose `sds` the value is above.
    pub(crate) step_down: Vec<SdsStep>,
    pub(crate) step_down_symptoms: Micrograms,
    /// Symptoms that call for a smaller dose.
    pub(crate) dose_related_symptoms: Vec<Symptom>,
    pub(crate) min_per_day: Micrograms,
    pub(crate) min_weeks_between_increases: u32,
    pub(crate) min_days_after_change_for_igf1: u32,
    pub(crate) typical_maintenance_max: Micrograms,
    /// (age at most, cap per kg per day); the last row has no age.
    pub(crate) caps: Vec<(Option<f64>, NgPerKg)>,
    pub(crate) cap_without_weight: Micrograms,
    pub(crate) review_after_change: String,
    pub(crate) review_stable: String,
    /// Review after a sample taken before steady state.
    pub(crate) review_recheck: String,
    pub(crate) cited: Cited,
}

/// A number for each sex.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) struct BySex {
    pub(crate) female: f64,
    pub(crate) male: f64,
}

impl BySex {
    /// The value for a sex; without one, the larger of the two.
    pub(crate) fn later(&self, sex: Option<crate::vocab::Sex>) -> f64 {
        self.of(sex).unwrap_or(self.female.max(self.male))
    }

    /// The value for a sex; without one, the smaller of the two.
    pub(crate) fn earlier(&self, sex: Option<crate::vocab::Sex>) -> f64 {
        self.of(sex).unwrap_or(self.female.min(self.male))
    }

    fn of(&self, sex: Option<crate::vocab::Sex>) -> Option<f64> {
        match sex? {
            crate::vocab::Sex::Female => Some(self.female),
            crate::vocab::Sex::Male => Some(self.male),
        }
    }
}

/// Pediatric daily somatropin titration.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct PediatricTitration {
    pub(crate) ceiling_sds: f64,
    pub(crate) reduce_above_ceiling: Percent,
    pub(crate) low_sds: f64,
    pub(crate) near_final_height_cm_per_year: f64,
    /// The age from which growth is nearly complete (bone age, else the
    /// chronological age), by sex.
    pub(crate) near_final_age_years: BySex,
    /// First-year criteria: treatment started before this age (prepubertal).
    pub(crate) prepubertal_start_before_years: BySex,
    /// The sources of the near-final ages and of the prepubertal rule.
    pub(crate) near_final_sources: Vec<String>,
    pub(crate) prepubertal_sources: Vec<String>,
    pub(crate) poor_first_year_gain_cm_per_year: f64,
    pub(crate) first_year_window_years: Bounds,
    pub(crate) height_measurement_error_cm: f64,
    pub(crate) min_days_after_change_for_igf1: u32,
    pub(crate) review: String,
    pub(crate) cited: Cited,
}

/// The titration tables.
#[derive(Debug, Clone, PartialEq)]
pub struct Titration {
    pub adult_daily: AdultTitration,
    pub(crate) pediatric_daily: PediatricTitration,
}
