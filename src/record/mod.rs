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

mod belongs;
mod facts;
mod fill;
mod line;
mod prior;
mod read;
mod sample;
mod start;
mod visit;

pub(crate) use belongs::{belongs, not_in_the_future, refusal};
pub(crate) use facts::{carry as carry_facts, of as facts_of, without_record};
pub(crate) use fill::{Filled, Given, fill};
pub(crate) use line::{Facts, visit as visit_line};
pub(crate) use prior::Prior;
#[cfg(test)]
pub(crate) use read::MAX_LINE_BYTES;
#[cfg(test)]
pub(crate) use read::read;
pub(crate) use read::{Course, Kind, Line, Voided, read_from};
pub(crate) use sample::one_decision_per_sample;
pub(crate) use start::place as place_start;
pub(crate) use visit::{
    Decision, ENTERED_IN_ERROR, Entry, GivenDose, Identity, MAX_REASON_CHARS, PatientFacts,
    Provenance, RECORD_VERSION, VOID_KIND, VisitLine, Void,
};
