//! What the core is asked: typed requests built once by the command line or
//! the JSON reader, in canonical units (kg, cm, mg). Start and titrate share
//! a [`Subject`] (who, for what, on which product); each adds only what it
//! uses.

use super::error::Field;
pub(crate) use crate::rules::LmsReference;
use crate::vocab::{Condition, Confirm, Fact, Igf1Unit, RangeKind, Region, Sex, Symptom};
use chrono::NaiveDate;
use std::sync::Arc;

/// A measurement in its canonical unit, with the field it came from and the
/// original text when the user gave another unit (e.g. `--weight-lb 52.91`).
#[derive(Debug, Clone, PartialEq)]
pub struct Measured {
    /// The value in the canonical unit (kg, cm).
    pub value: f64,
    /// The field it came from, e.g. [`Field::WeightLb`].
    pub field: Field,
    /// The value as given, with its unit, when it was converted (`52.91 lb`).
    pub original: Option<String>,
}

impl Measured {
    /// A value given in the canonical unit.
    pub fn plain(value: f64, field: Field) -> Measured {
        Measured {
            value,
            field,
            original: None,
        }
    }
}

/// Age as given: in years, or a birth date.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum AgeInput {
    Years(f64),
    BirthDate(NaiveDate),
}

/// The patient as given (units already converted).
#[derive(Debug, Clone, PartialEq, Default)]
pub struct PatientInput {
    pub weight_kg: Option<Measured>,
    pub height_cm: Option<Measured>,
    pub age: Option<AgeInput>,
    pub sex: Option<Sex>,
    pub height_sds: Option<f64>,
    pub pubertal: bool,
    pub bmi: Option<f64>,
    pub oral_estrogen: bool,
    pub diabetes: bool,
    pub obesity: bool,
    /// Start only: switching from daily growth hormone to a weekly product.
    pub switching_from_daily: bool,
    pub conditions: Vec<Condition>,
    pub symptoms: Vec<Symptom>,
    /// Measurements confirmed as real (`--confirm weight`): a plausibility
    /// check against the patient's course or age lets them through.
    pub confirm: Vec<Confirm>,
    /// Conditions or treatment facts the visit record holds that no longer
    /// do (`--resolved`): with a record only.
    pub resolved: Vec<Fact>,
}

/// The product side of a request.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct ProductChoice {
    /// Product id from the product table.
    pub product: Option<String>,
    /// Force this presentation of the product.
    pub device: Option<String>,
    /// Which label region's ranges apply.
    pub region: Region,
}

/// Who is dosed, for what, on which product: shared by start and titrate.
#[derive(Debug, Clone, PartialEq)]
pub struct Subject {
    /// Indication id from the rule set.
    pub indication: String,
    /// The decision date.
    pub as_of: NaiveDate,
    /// The patient as given.
    pub patient: PatientInput,
    /// Injections per week (daily somatropin: 6 or 7; default from the rules).
    pub injections_per_week: Option<u8>,
    pub product: ProductChoice,
}

impl Subject {
    /// A subject with the command line's defaults: no product, the US label
    /// region, default injections.
    pub fn new(indication: &str, as_of: NaiveDate, patient: PatientInput) -> Subject {
        Subject {
            indication: indication.to_string(),
            as_of,
            patient,
            injections_per_week: None,
            product: ProductChoice::default(),
        }
    }
}

/// `gh-dose start`: a starting dose for an indication.
#[derive(Debug, Clone, PartialEq)]
pub struct StartRequest {
    pub subject: Subject,
    /// A chosen intensity in mg/kg/week instead of the suggested start
    /// (weight-based indications only), and the field it was given in.
    pub chosen: Option<Chosen>,
    /// Count the devices that cover this many days.
    pub supply_days: Option<u32>,
    /// The visit states that the signs that stopped treatment have resolved
    /// (`--signs-resolved`).
    pub signs_resolved: bool,
    /// A start after a stop (known from the visit record), or `None`.
    pub restart: Option<Restart>,
}

/// A start after treatment was stopped or withheld: when, why, and the dose
/// before.
#[derive(Debug, Clone, PartialEq)]
pub struct Restart {
    /// The date of the stop.
    pub stopped_on: NaiveDate,
    /// Where the stop is known from (e.g. `the visit record, line 3`).
    pub known_from: String,
    /// The flags of the visits that stopped or withheld treatment since the
    /// last dose given.
    pub stopped_for: Vec<crate::vocab::FlagCode>,
    /// The weekly dose given before the stop, when it is of the molecule
    /// started now (mg of different molecules are not comparable).
    pub dose_before: Option<crate::units::Micrograms>,
    /// The weights and heights of the record's earlier visits, oldest
    /// first: today's weight is judged against them as a titration's is.
    pub earlier: Vec<Earlier>,
    /// The last change before the stop was a reduction for a high IGF-1 of
    /// the molecule started now: the restart goes no higher than it on
    /// today's weight, whatever the reason of the stop.
    pub reduction: Option<Reduction>,
}

/// A weight and height measured at an earlier visit of the record.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Earlier {
    pub date: NaiveDate,
    /// The record line it is on.
    pub line: usize,
    pub weight_kg: Option<f64>,
    pub height_cm: Option<f64>,
}

/// A chosen intensity as given: per week, or per day (x 7 = per week).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Chosen {
    /// The number as given, in the unit of its field.
    pub value: f64,
    /// [`Field::MgPerKgWeek`], or [`Field::MgPerKgDay`] when given per day.
    pub field: Field,
}

impl Chosen {
    /// An intensity given in mg/kg/week.
    pub fn per_week(value: f64) -> Chosen {
        Chosen {
            value,
            field: Field::MgPerKgWeek,
        }
    }

    /// An intensity given in mg/kg/day.
    pub(crate) fn per_day(value: f64) -> Chosen {
        Chosen {
            value,
            field: Field::MgPerKgDay,
        }
    }

    /// The intensity in mg/kg/week.
    pub(crate) fn mg_per_kg_week(self) -> f64 {
        if self.field == Field::MgPerKgDay {
            self.value * 7.0
        } else {
            self.value
        }
    }
}

impl StartRequest {
    /// A request with the defaults of the command line.
    pub fn new(subject: Subject) -> StartRequest {
        StartRequest {
            subject,
            chosen: None,
            supply_days: None,
            signs_resolved: false,
            restart: None,
        }
    }
}

/// The current dose as given.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum CurrentDose {
    /// mg per daily injection (`--current-mg-per-day`).
    PerDay(f64),
    /// mg per week (`--current-mg-per-week`).
    PerWeek(f64),
}

impl CurrentDose {
    /// The field the dose was given in, and its value.
    pub(crate) fn given(self) -> (Field, f64) {
        match self {
            CurrentDose::PerDay(v) => (Field::CurrentMgPerDay, v),
            CurrentDose::PerWeek(v) => (Field::CurrentMgPerWeek, v),
        }
    }
}

/// Where an IGF-1 concentration is referred to (values in the input's unit).
#[derive(Debug, Clone, PartialEq)]
pub enum Igf1Reference {
    /// The laboratory's reference limits.
    Lab {
        low: f64,
        high: f64,
        kind: RangeKind,
        lambda: Option<f64>,
    },
    /// An LMS reference (M already in ng/mL).
    Lms(Arc<LmsReference>),
}

/// IGF-1 as given.
#[derive(Debug, Clone, PartialEq)]
pub enum Igf1Input {
    /// The SDS the laboratory reported.
    Sds(f64),
    /// A concentration in its unit, and its reference.
    Concentration {
        value: f64,
        unit: Igf1Unit,
        reference: Igf1Reference,
    },
}

/// `gh-dose titrate`: the decision at a follow-up visit.
#[derive(Debug, Clone, PartialEq)]
pub struct TitrateRequest {
    pub subject: Subject,
    pub current: Option<CurrentDose>,
    pub prescribed_mg_per_kg_week: Option<f64>,
    pub previous_weight_kg: Option<f64>,
    /// When the previous weight was measured; without it, the last dose
    /// change (the previous weight is the one the dose was set on).
    pub previous_weight_date: Option<NaiveDate>,
    pub igf1: Option<Igf1Input>,
    pub igf1_date: Option<NaiveDate>,
    pub last_dose_change: Option<NaiveDate>,
    pub last_injection: Option<NaiveDate>,
    pub previous_height_cm: Option<Measured>,
    pub previous_height_date: Option<NaiveDate>,
    /// Children: the bone age read at this visit (years). Where given, it
    /// and not the age decides whether growth is nearly complete.
    pub bone_age_years: Option<f64>,
    pub pretreatment_hv_cm_per_year: Option<f64>,
    pub treatment_start: Option<NaiveDate>,
    /// Count the devices that cover this many days at the new dose.
    pub supply_days: Option<u32>,
    /// What the patient's visit record said (`--record`), or `None`.
    pub history: Option<History>,
}

/// What a visit record said before this visit: the lines the rationale
/// cites, and the last dose change when it was a reduction for a high IGF-1.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct History {
    /// One sentence per value taken from the record or overridden by a flag.
    pub notes: Vec<String>,
    pub reduction: Option<Reduction>,
    /// The weights and heights of the record's earlier visits, oldest first
    /// (the patient's own trajectory).
    pub earlier: Vec<Earlier>,
    /// The record's latest IGF-1 SDS not followed by a decrease (its sample
    /// date and line): above the ceiling, no increase until it is repeated.
    pub igf1_unanswered: Option<(NaiveDate, f64, usize)>,
}

/// A dose reduced because IGF-1 was above the range: growth alone does not
/// take the dose back above its intensity.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Reduction {
    pub date: NaiveDate,
    pub igf1_sds: f64,
    /// The weekly dose it set.
    pub mg_per_week: crate::units::Micrograms,
    /// The weekly dose it came down from (the dose that put IGF-1 above the
    /// range), when the record has it.
    pub from: Option<crate::units::Micrograms>,
    /// The weight then, when it was measured.
    pub weight: Option<crate::units::Grams>,
}

impl TitrateRequest {
    /// A request with nothing but the subject filled in.
    pub fn new(subject: Subject) -> TitrateRequest {
        TitrateRequest {
            subject,
            current: None,
            prescribed_mg_per_kg_week: None,
            previous_weight_kg: None,
            previous_weight_date: None,
            igf1: None,
            igf1_date: None,
            last_dose_change: None,
            last_injection: None,
            previous_height_cm: None,
            previous_height_date: None,
            pretreatment_hv_cm_per_year: None,
            bone_age_years: None,
            treatment_start: None,
            supply_days: None,
            history: None,
        }
    }
}
