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
mod error;
mod guard;
mod measure;
mod outcome;
mod patient;
mod proposal;
mod range;
mod regimen;
mod request;
mod start;
#[cfg(test)]
mod test_support;
mod titrate;
mod trail;

pub use error::Field;
pub(crate) use error::{Error, Piece, Route, msg};
pub(crate) use measure::{
    Growth, GrowthOutcome, GrowthRequest, ReferenceChoice, ReferenceRef, measure,
};
pub use outcome::Outcome;
pub(crate) use outcome::{
    Deliverable, Dose, DoseRange, IndicationRef, ProductRef, RangeBasis, Recommendation, Span,
};
pub(crate) use patient::{
    DATE_YEARS, PatientEcho, fmt_num, height_reference, in_years, min_days_after_change,
};
pub use request::{
    AgeInput, Chosen, CurrentDose, History, Igf1Input, Measured, PatientInput, Reduction,
    StartRequest, Subject, TitrateRequest,
};
pub(crate) use request::{Earlier, Igf1Reference, LmsReference, ProductChoice, Restart};
pub use start::start;
pub use titrate::titrate;
pub(crate) use trail::{Flag, SourceList, SourceRef};
