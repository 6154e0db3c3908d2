//! The pure dosing core: typed requests plus a loaded [`RuleSet`] in, a
//! typed [`Outcome`] out, with the recommendation, flags, rationale and
//! sources.
//!
//! Nothing here parses command lines, reads files or the clock, or prints:
//! the as-of date is an input like any other, every clinical number comes
//! from the rule set, and errors name the field that failed without
//! spelling it ([`error::Route`] decides that).
//!
//! The flow: [`start`] and [`titrate`] look up and validate ([`patient`]),
//! hand the request to its regimen ([`regimen`]), which returns a
//! [`proposal`]; the [`guard`] settles it, the [`device`] stage rounds it,
//! the guard verifies it and [`assembly`] builds the outcome.
//!
//! [`RuleSet`]: crate::rules::RuleSet

mod assembly;
mod device;
pub mod error;
mod guard;
pub mod measure;
pub mod outcome;
pub mod patient;
mod proposal;
mod range;
mod regimen;
pub mod request;
mod start;
#[cfg(test)]
mod test_support;
mod titrate;
mod trail;

pub use error::{Error, Field, Route};
pub use guard::limits::{Igf1Band, daily_igf1_band};
pub use outcome::{
    Change, Deliverable, Dose, DoseRange, IndicationRef, LabelRange, Outcome, ProductRef,
    RangeBasis, Recommendation, Span, Supply,
};
pub use patient::dates::NextReview;
pub use patient::dates::{YEARS as DATE_YEARS, in_years};
pub use patient::echo::PatientEcho;
pub use request::{
    AgeInput, Chosen, CurrentDose, Earlier, History, Igf1Input, Igf1Reference, LmsReference,
    Measured, PatientInput, ProductChoice, Reduction, Restart, StartRequest, Subject,
    TitrateRequest,
};
pub use start::start;
pub use titrate::titrate;
pub use trail::{Flag, SourceList, SourceRef};
