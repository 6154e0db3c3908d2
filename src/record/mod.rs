//! The visit record: one JSON Lines file per patient, one line per visit
//! (`docs/record.md`, schema `docs/schema/record.v1.json`). This module is
//! pure (no files, no clock): the line format ([`visit`]: a visit, or a
//! correction voiding one), reading and checking a record's text line by
//! line with `file:line:col` ([`read`]; voided visits are set apart, so
//! every reader skips them), what a titration takes from it ([`prior`]),
//! whether a visit belongs (`belongs`), the conditions and treatment facts
//! carried from visit to visit (`facts`), the typed titration request filled
//! from it (`fill`), a start's place in the course (`start`), one
//! decision per IGF-1 sample (`sample`) and the line a decision appends,
//! built from the typed outcome (`line`). It imports the ground floor,
//! `rules`, the decimal age of `growth` and the typed requests and outcome of
//! `dosing`; opening, locking and appending live in `app::record`.

pub(crate) mod belongs;
pub(crate) mod facts;
pub(crate) mod fill;
pub(crate) mod line;
pub mod prior;
pub mod read;
pub(crate) mod sample;
pub(crate) mod start;
pub mod visit;

pub use prior::{At, LastChange, Measures, Prior};
pub use read::{Course, Kind, Line, Voided, read, read_from};
pub use visit::{
    Decision, ENTERED_IN_ERROR, GivenDose, Identity, Igf1Given, MAX_REASON_CHARS, Measurements,
    PatientFacts, Provenance, RECORD_KIND, RECORD_VERSION, RulesUsed, VOID_KIND, VisitLine, Void,
    Window,
};
