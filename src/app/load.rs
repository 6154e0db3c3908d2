//! Loading the tables a command runs on: the rule file (`--rules`,
//! `GH_DOSE_RULES` or the built-in one), the product table checked against
//! it, and an IGF-1 reference file named by a request.

use super::terminal::Terminal;
use crate::cli::{TableArgs, TopArgs};
use crate::error::Error;
use crate::rules::products::{BUILT_IN_PRODUCTS, ProductSet};
use crate::rules::reference::{LmsReference, parse_lms};
use crate::rules::{BUILT_IN, RuleSet};
use std::path::{Path, PathBuf};
use std::sync::Arc;

/// The rule set in use and the text of each table, for `rules show`.
pub struct Loaded {
    pub rules: RuleSet,
    pub rules_text: String,
    pub products_text: String,
}

/// Where the tables come from: the command's flags, then the flags given
/// before the command, then the environment.
pub struct Sources {
    pub rules: Option<PathBuf>,
    pub products: Option<PathBuf>,
}

impl Sources {
    pub fn of(t: &TableArgs, top: &TopArgs, term: &Terminal) -> Sources {
        Sources {
            rules: t
                .rules
                .clone()
                .or_else(|| top.rules.clone())
                .or_else(|| term.rules.clone()),
            products: t
                .products
                .clone()
                .or_else(|| top.products.clone())
                .or_else(|| term.products.clone()),
        }
    }
}

/// Reads a whole table file.
pub fn read(path: &Path) -> Result<(String, String), Error> {
    let name = path.display().to_string();
    let text = std::fs::read_to_string(path).map_err(|source| Error::RulesIo {
        path: name.clone(),
        source,
    })?;
    Ok((text, name))
}

/// Loads the rules and attaches the product table, checked against them.
pub fn load(s: &Sources) -> Result<Loaded, Error> {
    let (rules_text, rules) = match &s.rules {
        Some(path) => {
            let (text, name) = read(path)?;
            let rules = RuleSet::parse(&text, &name)?;
            (text, rules)
        }
        None => {
            let rules = RuleSet::parse(BUILT_IN, "built-in")
                .map_err(|e| Error::Internal(format!("the built-in rules are invalid: {e}")))?;
            (BUILT_IN.to_string(), rules)
        }
    };
    let (products_text, rules) = match &s.products {
        Some(path) => {
            let (text, name) = read(path)?;
            let rules = rules.with_products(&text, &name)?;
            (text, rules)
        }
        // A custom rule file can invalidate the built-in products (an
        // indication they name is missing): that is a rule-file error.
        None => (
            BUILT_IN_PRODUCTS.to_string(),
            rules.with_products(BUILT_IN_PRODUCTS, "built-in products")?,
        ),
    };
    Ok(Loaded {
        rules,
        rules_text,
        products_text,
    })
}

/// Validates a rule or product file: its kind, name, version, hash and ids.
pub fn check(text: &str, name: &str, base: &Sources) -> Result<Checked, Error> {
    let is_products = text
        .parse::<toml::Table>()
        .is_ok_and(|t| t.get("kind").and_then(|k| k.as_str()) == Some("products"));
    if is_products {
        let base = load(base)?.rules;
        let set = ProductSet::parse(text, name, &base)?;
        let ids = set.products.iter().map(|p| p.id.clone()).collect();
        Ok(Checked {
            kind: "products",
            origin: set.origin,
            ids,
        })
    } else {
        let rules = RuleSet::parse(text, name)?;
        let ids = rules.indications.iter().map(|i| i.id.clone()).collect();
        Ok(Checked {
            kind: "indications",
            origin: rules.origin,
            ids,
        })
    }
}

/// A file that passed `rules check`.
pub struct Checked {
    pub kind: &'static str,
    pub origin: crate::rules::Origin,
    pub ids: Vec<String>,
}

/// An LMS reference file named by a request.
pub fn lms(path: &Path, rules: &RuleSet) -> Result<Arc<LmsReference>, Error> {
    let (text, name) = read(path)?;
    Ok(Arc::new(parse_lms(
        &text,
        &name,
        rules.igf1.ng_per_ml_per_nmol_per_l,
    )?))
}

/// A growth reference file named by `--reference FILE`.
pub fn growth_reference(path: &Path) -> Result<Arc<crate::growth::GrowthReference>, Error> {
    let (text, name) = read(path)?;
    Ok(Arc::new(crate::growth::parse_growth_lms(&text, &name)?))
}
