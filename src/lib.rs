//! gh-dose: growth hormone starting doses and titration steps from sourced
//! rule tables.
//!
//! The map (`docs/ARCHITECTURE.md` has the long form). A request flows one
//! way: [`cli`] (flags, or JSON through the same argument types) ->
//! [`dosing`] (pure: request + [`rules::RuleSet`] -> typed outcome) ->
//! [`report`] (human table or JSON) -> [`app`] (the only layer with files,
//! streams, clock and terminal).
//!
//! - [`units`], [`vocab`], [`strict_json`], [`lms`], [`diagnostic`]: the
//!   ground floor; they import nothing of the project. [`lms`] is the one
//!   LMS engine (growth and IGF-1 references), [`diagnostic`] the
//!   `file:line:col` error of every file gh-dose reads.
//! - [`rules`]: rule and product tables: file format, diagnostics
//!   (`file:line:col`), compilation into the model; knows nothing of dosing.
//! - [`dosing`]: the core; one file per regimen under `dosing/regimen/`.
//! - [`cli`]: clap types, help text, flags and JSON/CSV rows to requests.
//! - [`report`]: documents and their renderers.
//! - [`chart`]: the growth and titration charts of a visit record (SVG).
//! - [`record`]: the visit record (one JSON Lines file per patient): the
//!   line format, reading and checking it, what titration takes from it.
//! - [`fhir`]: FHIR R4 in and out, an adapter over the typed requests and
//!   outcomes.
//! - `serve`: the CDS Hooks 2.0 service (`gh-dose serve`; cargo feature
//!   `serve`, on by default).
//! - [`app`]: loading, dispatch, batch streaming, the terminal policy.
//! - [`error`]: the application's errors and the exit codes they map to.

pub mod api;
pub(crate) mod app;
pub(crate) mod bands;
pub(crate) mod chart;
pub(crate) mod cli;
pub(crate) mod diagnostic;
pub(crate) mod dosing;
pub(crate) mod error;
pub(crate) mod fhir;
pub(crate) mod growth;
pub(crate) mod lms;
pub(crate) mod record;
pub(crate) mod report;
pub(crate) mod rules;
#[cfg(feature = "serve")]
pub(crate) mod serve;
pub(crate) mod strict_json;
pub(crate) mod units;
pub(crate) mod vocab;
