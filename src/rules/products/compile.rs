//! The product table to the compiled model: the header and sources, the
//! adult weekly and weight-band tables, then each product
//! (`compile_product.rs`, with `compile_label.rs` and `compile_device.rs`).
//! Cross-checked against the rule set in use (every label names a known
//! indication; source ids do not collide).

use super::compile_product::product;
use super::compile_weekly::{adult_weekly, band_table};
use super::file::ProductFile;
use super::model::{AdultWeekly, BandTable, Product, ProductSet};
use crate::bands::PRODUCT_FIELDS;
use crate::diagnostic::{Cx, R};
use crate::rules::cite::{Cite, cited, compile_sources};
use crate::rules::compile::schema_version;
use crate::rules::convert::is_kebab;
use crate::rules::model::Origin;
use crate::rules::spanned::Spanned;
use crate::rules::{Indication, RuleSet};
use std::collections::{BTreeSet, HashMap, HashSet};

/// Compiles a parsed product table against a rule set. Ids are looked up
/// in maps, so loading grows with the size of the file, not its square.
pub(crate) fn compile(cx: &Cx, file: ProductFile, rules: &RuleSet) -> R<ProductSet> {
    crate::rules::built_in::check_numbers(cx, PRODUCT_FIELDS, super::BUILT_IN_PRODUCTS)?;
    schema_version(cx, &file.schema_version)?;
    if file.kind.get_ref() != "products" {
        return Err(cx.err(&file.kind.span(), "kind must be \"products\""));
    }
    let sources = compile_sources(cx, &file.sources)?;
    sources_apart_from_rules(cx, &file, rules)?;
    let ids: BTreeSet<&str> = sources.iter().map(|s| s.id.as_str()).collect();
    let cite: &Cite = &|s: &Spanned<Vec<String>>, g: &Spanned<String>| cited(cx, s, g, &ids);
    let weekly = file
        .adult_weekly
        .iter()
        .map(|row| adult_weekly(cx, row, rules, cite))
        .collect::<R<Vec<_>>>()?;
    let bands = file
        .weight_bands
        .iter()
        .map(|row| band_table(cx, row, cite))
        .collect::<R<Vec<_>>>()?;
    let tables = tables(cx, &file, &weekly, &bands, rules)?;
    let products = products(cx, &file, &tables, cite)?;
    Ok(ProductSet {
        origin: Origin {
            source: cx.path.to_string(),
            version: file.version.clone(),
            name: file.name.clone(),
            sha256: crate::rules::built_in::sha256(cx.text),
        },
        sources,
        products,
        outside_label: Vec::new(),
    })
}

/// Refuses a product source id the rule file already uses.
fn sources_apart_from_rules(cx: &Cx, file: &ProductFile, rules: &RuleSet) -> R<()> {
    let rule_sources: HashSet<&str> = rules.sources.iter().map(|r| r.id.as_str()).collect();
    for s in &file.sources {
        if rule_sources.contains(s.id.get_ref().as_str()) {
            return Err(cx.err(
                &s.id.span(),
                format!(
                    "source id '{}' is already used by the rule file",
                    s.id.get_ref()
                ),
            ));
        }
    }
    Ok(())
}

/// Indexes the compiled shared tables and the rule set's indications by id,
/// refusing a duplicate table id.
fn tables<'a>(
    cx: &Cx,
    file: &ProductFile,
    weekly: &'a [AdultWeekly],
    bands: &'a [BandTable],
    rules: &'a RuleSet,
) -> R<Tables<'a>> {
    let mut tables = Tables {
        weekly: HashMap::with_capacity(weekly.len()),
        bands: HashMap::with_capacity(bands.len()),
        indications: rules
            .indications
            .iter()
            .map(|i| (i.id.to_ascii_lowercase(), i))
            .collect(),
    };
    for (row, table) in file.adult_weekly.iter().zip(weekly) {
        if tables.weekly.insert(table.id.as_str(), table).is_some() {
            return Err(cx.err(
                &row.id.span(),
                format!("duplicate adult_weekly id '{}'", table.id),
            ));
        }
    }
    for (row, table) in file.weight_bands.iter().zip(bands) {
        if tables.bands.insert(table.id.as_str(), table).is_some() {
            return Err(cx.err(
                &row.id.span(),
                format!("duplicate weight_bands id '{}'", table.id),
            ));
        }
    }
    Ok(tables)
}

/// Compiles every product row: ids kebab-case and unique, at least one.
fn products(cx: &Cx, file: &ProductFile, tables: &Tables, cite: &Cite) -> R<Vec<Product>> {
    let mut products: Vec<Product> = Vec::with_capacity(file.products.len());
    let mut seen: HashSet<&str> = HashSet::with_capacity(file.products.len());
    for row in &file.products {
        let id = row.id.get_ref();
        if !is_kebab(id) {
            return Err(cx.err(
                &row.id.span(),
                format!("product id '{id}' must be lower-case kebab-case"),
            ));
        }
        if !seen.insert(id) {
            return Err(cx.err(&row.id.span(), format!("duplicate product id '{id}'")));
        }
        products.push(product(cx, row, tables, cite)?);
    }
    if products.is_empty() {
        return Err(cx.err(&(0..0), "the product table defines no products"));
    }
    Ok(products)
}

/// The shared tables labels refer to, and the rule set's indications, by id
/// (indications in lower case: ids are matched in any case).
pub(super) struct Tables<'a> {
    pub(super) weekly: HashMap<&'a str, &'a AdultWeekly>,
    pub(super) bands: HashMap<&'a str, &'a BandTable>,
    pub(super) indications: HashMap<String, &'a Indication>,
}
