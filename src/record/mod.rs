//! The visit record: one JSON Lines file per patient, one line per visit
//! (`docs/record.md`, schema `docs/schema/record.v1.json`). This module is
//! pure and imports only the ground floor, `rules::diagnostic` and the
//! decimal age of `growth`: the line
//! format ([`visit`]: a visit, or a correction voiding one), reading and
//! checking a record's text line by line with `file:line:col` ([`read`];
//! voided visits are set apart, so every reader skips them), and what a titration takes from it
//! ([`prior`]). The line a dosing document records is built in
//! `report::record`; opening, locking and appending live in `app::record`.

pub mod prior;
pub mod read;
pub mod visit;

pub use prior::{At, LastChange, Measures, Prior};
pub use read::{Course, Kind, Line, Voided, read, read_from};
pub use visit::{
    Decision, ENTERED_IN_ERROR, GivenDose, Identity, Igf1Given, MAX_REASON_CHARS, Measurements,
    Provenance, RECORD_KIND, RECORD_VERSION, RulesUsed, VOID_KIND, Visit, Void, Window,
};
