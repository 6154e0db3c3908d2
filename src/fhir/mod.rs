//! FHIR R4: an adapter between the record system's model and gh-dose's
//! typed requests and outcomes. It never changes the core or the native
//! JSON contract; `docs/fhir.md` has the mapping both ways.
//!
//! - Out ([`decision_bundle`], [`growth_bundle`]): a decision or a growth
//!   assessment as one `Bundle` (type `collection`) with deterministic
//!   `urn:uuid:` ids.
//! - In ([`read`], then [`apply_start`] / [`apply_titrate`]): a `Bundle`
//!   or a CDS Hooks prefetch object into a [`Chart`], then onto a typed
//!   request where it leaves a field empty; [`Applied`] names what was
//!   taken (notes for the rationale) and spells the core's errors as FHIR
//!   paths.
//! - One order ([`ordered_product`], [`order_indications`]): the product
//!   and the indications of an order that is not the chart's current one
//!   (a draft being written).
//! - The code tables (ATC, LOINC, UCUM, severities, Condition codes) are
//!   `data/fhir.toml`, embedded (`codes.rs`).

mod codes;
mod fill;
mod order;
mod out;
mod read;

pub(crate) use fill::{Applied, apply_start, apply_titrate};
pub(crate) use order::{Ordered, order_indications, ordered_product};
pub(crate) use out::{Assessment, Decision, Tables, decision_bundle, growth_bundle};
pub(crate) use read::{Chart, read};

#[cfg(test)]
mod tests;
