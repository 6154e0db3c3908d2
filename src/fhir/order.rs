//! What one order says, read where the service meets an order that is not
//! in the chart's current medication: the product of a `MedicationRequest`
//! (a draft being written, `context.draftOrders` of a CDS Hooks call) and
//! the indications its `reasonCode` names. The codes are those of
//! `data/fhir.toml`, the same ones [`super::read`] reads.

use super::codes::{Codes, codes};
use super::read::{Found, codings};
use crate::rules::RuleSet;
use serde_json::Value;

/// What a `MedicationRequest` orders when it is a growth hormone: the
/// product id of the table when one is named.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Ordered {
    pub(crate) product: Option<String>,
}

/// The product an order names, or `None` when it is not a growth hormone
/// gh-dose knows (nothing is due for it): a code in gh-dose's product
/// system; else a product's id or name as the concept's text or a
/// display (its first word for a name followed by the strength, as
/// `Sogroya 10 mg/1.5 mL`); else an ATC code of a growth hormone molecule,
/// with the product when the table has one of that molecule.
pub(crate) fn ordered_product(order: &Value, rules: &RuleSet) -> Option<Ordered> {
    let codes = codes().ok()?;
    let concept = order.get("medicationCodeableConcept")?;
    let coded = codings(Some(concept));
    if let Some(p) = coded
        .iter()
        .filter(|(s, _)| s == &codes.systems.product)
        .find_map(|(_, c)| rules.product(c))
    {
        return Some(Ordered {
            product: Some(p.id.clone()),
        });
    }
    let words: Vec<String> = std::iter::once(concept.get("text"))
        .chain(
            concept
                .get("coding")
                .and_then(Value::as_array)
                .into_iter()
                .flatten()
                .map(|c| c.get("display")),
        )
        .filter_map(|v| v.and_then(Value::as_str))
        .map(str::to_lowercase)
        .collect();
    for p in rules.all_products() {
        let (id, name) = (p.id.to_lowercase(), p.name.to_lowercase());
        if words
            .iter()
            .any(|w| w == &id || w == &name || w.split_whitespace().next() == Some(&name))
        {
            return Some(Ordered {
                product: Some(p.id.clone()),
            });
        }
    }
    let molecule = coded
        .iter()
        .filter(|(s, _)| s == &codes.systems.atc)
        .find_map(|(_, c)| codes.molecule_of_atc(c))?;
    let of: Vec<_> = rules
        .all_products()
        .iter()
        .filter(|p| p.molecule.to_string() == molecule.molecule)
        .collect();
    Some(Ordered {
        product: match of.as_slice() {
            [one] => Some(one.id.clone()),
            _ => None,
        },
    })
}

/// The indications an order's `reasonCode` names: gh-dose's indication
/// ids, and the Condition codes of the table. `path` is the order's.
pub(crate) fn reason_indications(codes: &Codes, order: &Value, path: &str) -> Vec<Found<String>> {
    let mut out: Vec<Found<String>> = Vec::new();
    let reasons = order
        .get("reasonCode")
        .and_then(Value::as_array)
        .map(Vec::as_slice)
        .unwrap_or_default();
    for (i, reason) in reasons.iter().enumerate() {
        let at = format!("{path}.reasonCode[{i}]");
        for (system, code) in codings(Some(reason)) {
            let named: Vec<String> = if system == codes.systems.indication {
                vec![code]
            } else {
                codes
                    .conditions_of(&system, &code)
                    .into_iter()
                    .map(|row| row.indication.clone())
                    .collect()
            };
            for value in named {
                if !out.iter().any(|f| f.value == value) {
                    out.push(Found {
                        value,
                        path: at.clone(),
                    });
                }
            }
        }
    }
    out
}

/// [`reason_indications`] with the built-in code table.
pub(crate) fn order_indications(order: &Value, path: &str) -> Result<Vec<Found<String>>, String> {
    Ok(reason_indications(codes()?, order, path))
}

#[cfg(test)]
mod tests;
