//! Growth references and the pure arithmetic on them: SDS and centiles from
//! LMS tables, decimal age, height velocity, change in SDS, mid-parental
//! target height and BMI.
//!
//! Nothing here reads files, the clock or the terminal: [`file`](mod@file)
//! parses a `growth-lms` TOML text that the caller has read, and [`builtin`]
//! embeds the shipped references (CDC 2000 and Turner, Lyon 1985). See
//! `docs/growth.md`.
//!
//! Conventions (shared with T. J. Cole's LMSgrowth and the RCPCH growth
//! engine, so that results agree):
//! - decimal age = days between birth and measurement / 365.25;
//! - SDS = ((X/M)^L - 1) / (L S), or ln(X/M) / S when L = 0;
//!   centile = 100 Phi(SDS);
//! - L, M and S at an age between table rows: four-point Lagrange (cubic)
//!   interpolation through two rows on each side, linear in the first and
//!   last interval of the table; the row itself at a table age.
//!
//! The LMS arithmetic itself is the ground floor's [`crate::lms`], shared
//! with the IGF-1 references.

mod assess;
mod bmi;
mod builtin;
mod file;
mod lms;
mod measures;

pub(crate) use crate::lms::centile;
pub(crate) use assess::{
    Assessment, AssessmentSettings, GrowthInput, HeightReference, Refused, Scored, assess,
};
pub use builtin::Builtin;
pub use file::parse_growth_lms;
pub use lms::GrowthReference;
pub(crate) use measures::{
    DAYS_PER_YEAR, MidParentalTarget, Observation, Tanner, decimal_age, parent_height,
    target_height,
};

use crate::vocab::{Sex, named_enum};

named_enum!(
    /// What a growth reference measures.
    pub Measurement {
        /// Standing height (stature), cm.
        Height => "height",
        /// Recumbent length, cm.
        Length => "length",
        /// Body weight, kg.
        Weight => "weight",
        /// Body mass index, kg/m2.
        Bmi => "bmi",
        /// Occipitofrontal head circumference, cm.
        HeadCircumference => "head-circumference",
    }
);

impl Measurement {
    /// The unit of the measurement, as written in a `growth-lms` file.
    pub(crate) fn unit(self) -> &'static str {
        match self {
            Measurement::Height | Measurement::Length | Measurement::HeadCircumference => "cm",
            Measurement::Weight => "kg",
            Measurement::Bmi => "kg/m2",
        }
    }

    /// The plausible band of a median (M) for this measurement at ages
    /// 0-25 years, used to reject mistyped reference files.
    pub(crate) fn median_band(self) -> (f64, f64) {
        match self {
            Measurement::Height | Measurement::Length => (20.0, 250.0),
            Measurement::HeadCircumference => (20.0, 70.0),
            Measurement::Weight => (0.2, 300.0),
            Measurement::Bmi => (5.0, 80.0),
        }
    }
}

/// Why a growth computation was refused.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum GrowthError {
    /// The age is outside the ages the reference covers for this sex.
    #[error(
        "{reference} covers {} aged {} to {} years; age {} years is outside it",
        children(*sex), years(*min_years), years(*max_years), years(*age_years)
    )]
    AgeOutsideReference {
        /// The reference's name.
        reference: String,
        /// The sex asked for.
        sex: Sex,
        /// The age asked for.
        age_years: f64,
        /// The youngest age in the table for this sex.
        min_years: f64,
        /// The oldest age in the table for this sex.
        max_years: f64,
    },
    /// The reference has no rows for this sex (Turner is for girls only).
    #[error("{reference} has no rows for {}", children(*sex))]
    NoRowsForSex {
        /// The reference's name.
        reference: String,
        /// The sex asked for.
        sex: Sex,
    },
    /// The reference measures something else than the computation needs.
    #[error("{reference} is a {found} reference; {expected} is needed here")]
    WrongMeasurement {
        /// The reference's name.
        reference: String,
        /// What the computation needs.
        expected: Measurement,
        /// What the reference measures.
        found: Measurement,
    },
    /// A number that is not finite or outside its physical band.
    #[error("{what} must be {allowed}; got {value}")]
    InvalidValue {
        /// What the number is, with its unit.
        what: &'static str,
        /// The number given.
        value: f64,
        /// What is allowed.
        allowed: &'static str,
    },
    /// The LMS curve has no value at this SDS (1 + L S SDS <= 0).
    #[error("{reference} has no value at SDS {sds} at age {} years", years(*age_years))]
    NoValueAtSds {
        /// The reference's name.
        reference: String,
        /// The age asked for.
        age_years: f64,
        /// The SDS asked for.
        sds: f64,
    },
    /// Two measurements too close together (or in the wrong order).
    #[error(
        "the later measurement must be at least {} years after the earlier one; it is {} years after it",
        years(*min_years), years(*interval_years)
    )]
    IntervalTooShort {
        /// Later age minus earlier age.
        interval_years: f64,
        /// The minimum the caller asked for.
        min_years: f64,
    },
    /// A measurement date before the birth date.
    #[error("the measurement date {measured} is before the birth date {birth}")]
    MeasuredBeforeBirth {
        /// The birth date.
        birth: chrono::NaiveDate,
        /// The measurement date.
        measured: chrono::NaiveDate,
    },
    /// A measurement so far from the reference that it is a slip, not a
    /// child (beyond the rule set's refusal SDS).
    #[error(
        "{what} {value} is {} SDS on {reference}, beyond +/-{limit}: check the value and its unit",
        (*sds * 100.0).round() / 100.0
    )]
    Implausible {
        /// What was measured.
        what: String,
        /// The value given.
        value: f64,
        /// Its SDS.
        sds: f64,
        /// The refusal limit.
        limit: f64,
        /// The reference's id.
        reference: String,
    },
    /// Rows that cannot form an LMS table (order, signs, non-finite numbers).
    #[error("{0}")]
    InvalidTable(String),
}

/// "girls" or "boys", for messages.
fn children(sex: Sex) -> &'static str {
    match sex {
        Sex::Female => "girls",
        Sex::Male => "boys",
    }
}

/// An age for messages: three decimals at most, trailing zeros dropped.
fn years(x: f64) -> String {
    let text = format!("{x:.3}");
    if text.contains('.') {
        text.trim_end_matches('0').trim_end_matches('.').to_string()
    } else {
        text
    }
}

#[cfg(test)]
mod tests;
