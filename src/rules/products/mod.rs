//! The product table (`data/products.toml`): molecules, schedules, label
//! ranges per indication and region, presentations and their increments.
//! Validated like the rule file, and cross-checked against it.

mod compile;
mod compile_device;
mod compile_label;
mod compile_product;
mod compile_weekly;
mod file;
mod model;

pub(crate) use model::{AdultWeekly, Band, BandTable, Device, Label, Product};
pub use model::{LabelDosing, ProductSet};

use super::RuleSet;
use super::model::Source;
use crate::diagnostic::{Cx, R};

/// The built-in product table, embedded in the binary.
pub const BUILT_IN_PRODUCTS: &str = include_str!("../../../data/products.toml");

impl ProductSet {
    /// The built-in product table, checked against the given rules.
    pub(crate) fn built_in(rules: &RuleSet) -> R<ProductSet> {
        ProductSet::parse(BUILT_IN_PRODUCTS, "built-in products", rules)
    }

    /// Parses and validates product-table text against a rule set. A table
    /// other than the built-in one is compared with it (under the built-in
    /// rules): its values beyond the built-in labelled limits are listed in
    /// [`ProductSet::outside_label`].
    pub fn parse(text: &str, path: &str, rules: &RuleSet) -> R<ProductSet> {
        let cx = Cx { text, path };
        let rows = super::built_in::rows(&cx, BUILT_IN_PRODUCTS, super::built_in::PRODUCT_ROWS)?;
        let mut set = compile::compile(&cx, rows, rules)?;
        if !super::built_in::is(text, BUILT_IN_PRODUCTS) {
            let reference = ProductSet::built_in(&RuleSet::parse(super::BUILT_IN, "built-in")?)?;
            set.outside_label = super::departures::products(&set, &reference);
        }
        Ok(set)
    }

    /// The product with this id (ids are matched case-insensitively).
    pub(crate) fn product(&self, id: &str) -> Option<&Product> {
        self.products.iter().find(|p| p.id.eq_ignore_ascii_case(id))
    }

    /// The source with this id.
    pub(crate) fn source(&self, id: &str) -> Option<&Source> {
        self.sources.iter().find(|s| s.id == id)
    }
}

/// A product table compiled from its TOML's typed parse, whatever its text
/// (the built-in text included): what the stored rows are held to.
#[cfg(test)]
pub(crate) fn compile_parsed(cx: &Cx, rules: &RuleSet) -> R<ProductSet> {
    compile::compile(cx, cx.parse()?, rules)
}

#[cfg(test)]
mod tests;
