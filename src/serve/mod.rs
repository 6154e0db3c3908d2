//! `gh-dose serve`: a CDS Hooks 2.0 service. An EHR calls it when a growth
//! hormone order is selected or signed (`order-select`, `order-sign`) and
//! at a visit (`patient-view`); it answers with cards holding gh-dose's
//! dose and a proposed FHIR `MedicationRequest`. The dosing core is called
//! with typed requests exactly as the command line calls it.
//!
//! - `http.rs`: the network (axum on tokio), limits, shutdown;
//! - `auth.rs` (with `replay.rs`): the JWT of every request;
//! - `discovery.rs`: the services and their prefetch;
//! - `hook.rs`: one call, body to cards, without the network; FHIR in and
//!   out through the adapter (`crate::fhir`);
//! - `cards.rs`: the cards (the proposed `MedicationRequest` is the
//!   adapter's);
//! - `feedback.rs`: the audit log; `wire.rs`: no nulls, no empties.
//!
//! See `docs/cds-hooks.md`.

mod auth;
mod cards;
mod discovery;
mod feedback;
mod hook;
mod http;
mod replay;
#[cfg(test)]
mod test_keys;
mod wire;

pub(crate) use auth::{Verifier, keys};
pub(crate) use http::{Options, default_public_url, run};
