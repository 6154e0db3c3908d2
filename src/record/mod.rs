//! The visit record: one JSON Lines file per patient, one line per visit
//! (`docs/record.md`, schema `docs/schema/record.v1.json`). This module is
//! pure and imports only the ground floor, `rules::diagnostic` and the
//! decimal age of `growth`: the line
//! format ([`visit`]), reading and checking a record's text with
//! `file:line:col` ([`read`]), and what a titration takes from it
//! ([`prior`]). The line a dosing document records is built in
//! `report::record`; opening, locking and appending live in `app::record`.

pub mod prior;
pub mod read;
pub mod visit;

pub use prior::{At, LastChange, Prior};
pub use read::{Course, Line, read};
pub use visit::{
    Decision, GivenDose, Identity, Igf1Given, Measurements, Provenance, RECORD_KIND,
    RECORD_VERSION, RulesUsed, Visit, Window,
};
