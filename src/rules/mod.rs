//! Rule tables: the built-in TOML, loading and validation with
//! `file:line:col` errors, and the content hash that identifies the rules
//! behind an output. Knows nothing of dosing or output.
//!
//! A file is parsed into its on-disk rows ([`file`], [`products::file`]),
//! then compiled ([`compile`], [`products::compile`]) into the model
//! ([`model`], [`products::model`]) the engine reads through [`RuleSet`].

mod built_in;
mod cite;
mod compile;
mod compile_course;
mod compile_growth;
mod compile_indications;
mod compile_titration;
mod convert;
mod departures;
mod file;
mod model;
mod numbers;
pub(crate) mod products;
mod reference;
mod spanned;

pub use model::Regimen;
pub(crate) use model::*;
pub(crate) use reference::{LmsReference, parse_lms};

use crate::diagnostic::{Cx, R};
use crate::vocab::FlagCode;
use std::collections::BTreeMap;

/// The built-in rule file, embedded in the binary.
pub const BUILT_IN: &str = include_str!("../../data/indications.toml");

/// The only table schema version this build understands.
pub(crate) const SCHEMA_VERSION: u32 = 1;

/// A validated rule set, ready for the engine.
#[derive(Debug, PartialEq)]
pub struct RuleSet {
    pub(crate) origin: Origin,
    pub(crate) conventions: Conventions,
    pub(crate) limits: Limits,
    pub(crate) sources: Vec<Source>,
    pub(crate) reviews: Vec<Review>,
    pub indications: Vec<Indication>,
    pub(crate) oral_estrogen: OralEstrogen,
    /// A restart after a stop for a safety reason.
    pub(crate) restart: RestartRule,
    pub(crate) plausibility: Plausibility,
    /// A measurement against the patient's course.
    pub(crate) course: CourseRules,
    pub(crate) igf1: Igf1Conventions,
    /// Titration tables.
    pub titration: Titration,
    pub(crate) growth: GrowthRules,
    pub(crate) flags: BTreeMap<FlagCode, FlagDef>,
    /// The product table, when one is attached ([`RuleSet::with_products`]).
    pub(crate) products: Option<products::ProductSet>,
    /// Where this rule file goes beyond the built-in tables' labelled limits
    /// (one line per row; empty for the built-in file): RULES_OUTSIDE_LABEL.
    pub(crate) outside_label: Vec<String>,
}

impl RuleSet {
    /// The built-in rules with the built-in product table.
    pub fn built_in() -> R<RuleSet> {
        RuleSet::parse(BUILT_IN, "built-in")?
            .with_products(products::BUILT_IN_PRODUCTS, "built-in products")
    }

    /// Parses and validates rule-file text; `path` names it in errors. A
    /// file other than the built-in one is compared with it: a `block` flag
    /// it downgrades is refused, and its values beyond the built-in labelled
    /// limits are listed in [`RuleSet::outside_label`].
    pub fn parse(text: &str, path: &str) -> R<RuleSet> {
        let cx = Cx { text, path };
        let rows = built_in::rows(&cx, BUILT_IN, built_in::RULE_ROWS)?;
        if built_in::is(text, BUILT_IN) {
            return compile::compile(&cx, rows, None);
        }
        let reference = RuleSet::parse(BUILT_IN, "built-in")?;
        let mut rules = compile::compile(&cx, rows, Some(&reference))?;
        rules.outside_label = departures::rules(&rules, &reference);
        Ok(rules)
    }

    /// Every departure from the built-in labelled limits: the rule file's,
    /// then the product table's.
    pub(crate) fn outside_label(&self) -> impl Iterator<Item = &String> {
        self.outside_label.iter().chain(
            self.products
                .as_ref()
                .map(|p| p.outside_label.as_slice())
                .unwrap_or_default(),
        )
    }

    /// Attaches a product table, validated against these rules.
    pub(crate) fn with_products(mut self, text: &str, path: &str) -> R<RuleSet> {
        self.products = Some(products::ProductSet::parse(text, path, &self)?);
        Ok(self)
    }

    /// The product with this id, when a product table is attached.
    pub fn product(&self, id: &str) -> Option<&products::Product> {
        self.products.as_ref().and_then(|p| p.product(id))
    }

    /// Every product of the attached table.
    pub(crate) fn all_products(&self) -> &[products::Product] {
        self.products
            .as_ref()
            .map(|p| p.products.as_slice())
            .unwrap_or_default()
    }

    /// The indication with this id (ids are matched case-insensitively).
    pub fn indication(&self, id: &str) -> Option<&Indication> {
        self.indications
            .iter()
            .find(|i| i.id.eq_ignore_ascii_case(id))
    }

    /// The review schedule with this id (validated to exist).
    pub(crate) fn review(&self, id: &str) -> Option<&Review> {
        self.reviews.iter().find(|r| r.id == id)
    }

    /// The source with this id, in the rule file or the product table.
    pub(crate) fn source(&self, id: &str) -> Option<&Source> {
        self.sources
            .iter()
            .find(|s| s.id == id)
            .or_else(|| self.products.as_ref().and_then(|p| p.source(id)))
    }

    /// Every source of the rule file and the product table.
    pub(crate) fn all_sources(&self) -> impl Iterator<Item = &Source> {
        self.sources.iter().chain(
            self.products
                .as_ref()
                .map(|p| p.sources.as_slice())
                .unwrap_or_default(),
        )
    }

    /// The definition of a flag (validated to exist for every code).
    pub(crate) fn flag(&self, code: FlagCode) -> Option<&FlagDef> {
        self.flags.get(&code)
    }
}

#[cfg(test)]
mod tests;
