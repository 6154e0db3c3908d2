//! The library's one public face. Everything else in the crate is
//! `pub(crate)`: the binary and the integration tests reach gh-dose only
//! through what is named here, and every folder is reached through its own
//! `mod.rs` (`tests/layers.rs` holds both).
//!
//! - [`main_with_args`] is the `gh-dose` binary; [`run_with`] and
//!   [`Terminal`] run it in-process with chosen streams (the stream and
//!   arbitrary-input tests).
//! - The other modules expose the typed dosing core and the built-in
//!   tables, so that the property tests can call `start` and `titrate`
//!   directly over the whole request space and check the tables' own
//!   invariants. They are test surfaces, not a stable library API: the
//!   stable contract is the command line and its versioned JSON schema.

pub use crate::app::{Terminal, main_with_args, run_with};
pub use crate::error::ExitCode;

/// The dosing core: typed requests in, typed outcomes out.
pub mod dosing {
    pub use crate::dosing::{
        AgeInput, Chosen, CurrentDose, Field, History, Igf1Input, Measured, Outcome, PatientInput,
        Reduction, StartRequest, Subject, TitrateRequest, start, titrate,
    };
}

/// The built-in rule and product tables and their loaders.
pub mod rules {
    pub use crate::rules::products::{BUILT_IN_PRODUCTS, LabelDosing, ProductSet};
    pub use crate::rules::{BUILT_IN, Regimen, RuleSet};
}

/// The growth references.
pub mod growth {
    pub use crate::growth::{Builtin, GrowthReference, parse_growth_lms};
    pub use crate::lms::centile;
}

/// Doses in integer micrograms, weights in grams.
pub mod units {
    pub use crate::units::{Grams, Micrograms};
}

/// The closed vocabularies (indications, flags, actions, ...).
pub mod vocab {
    pub use crate::vocab::{
        Action, Condition, Confirm, FlagCode, Population, Region, Schedule, Severity, Sex, Symptom,
    };
}

/// File diagnostics and the sha256 every table is identified by.
pub mod diagnostic {
    pub use crate::diagnostic::{FileError, sha256_hex};
}
