//! A recorded dose in words for the visit summary: in full, short for the
//! course table, and its product and device by name.

use super::svg::amount;
use crate::record::{GivenDose, VisitLine};
use crate::rules::RuleSet;
use crate::vocab::{Population, Schedule};

/// Whether doses are read in mg/day: an adult on daily somatropin.
fn per_day(rules: &RuleSet, v: &VisitLine, d: &GivenDose) -> bool {
    let adult = rules
        .indication(&v.indication)
        .is_some_and(|i| i.population == Population::Adult);
    adult && d.injections_per_week > 1
}

/// A dose for reading: `1.15 mg x 7 a week = 8.05 mg/week (0.335 mg/kg/week)`,
/// or for an adult on daily somatropin `0.3 mg/day (0.3 mg x 7 a week)`.
pub(super) fn dose_text(rules: &RuleSet, v: &VisitLine, d: &GivenDose) -> String {
    let per = if d.injections_per_dose > 1 {
        format!(
            "{} x {} mg",
            d.injections_per_dose,
            amount(d.mg_per_injection, 3)
        )
    } else {
        format!("{} mg", amount(d.mg_per_injection, 3))
    };
    let kg = d
        .mg_per_kg_per_week
        .map(|k| format!(" ({} mg/kg/week)", amount(k, 3)))
        .unwrap_or_default();
    if per_day(rules, v, d) {
        let day = d.mg_per_week / f64::from(d.injections_per_week.max(1));
        format!(
            "{} mg/day ({per} x {} a week)",
            amount(day, 3),
            d.injections_per_week
        )
    } else {
        format!(
            "{per} x {} a week = {} mg/week{kg}",
            d.injections_per_week,
            amount(d.mg_per_week, 3)
        )
    }
}

/// A dose in the course table: `8.05 mg/week`, `0.3 mg/day`, `no dose`.
pub(super) fn dose_short(rules: &RuleSet, v: &VisitLine, d: Option<&GivenDose>) -> String {
    match d {
        None => "no dose".to_string(),
        Some(d) if per_day(rules, v, d) => format!(
            "{} mg/day",
            amount(d.mg_per_week / f64::from(d.injections_per_week.max(1)), 3)
        ),
        Some(d) => format!("{} mg/week", amount(d.mg_per_week, 3)),
    }
}

/// The product and device names of a dose, from the product table when it
/// knows them.
pub(super) fn product_text(rules: &RuleSet, d: &GivenDose) -> (String, String) {
    let product = d.product.as_deref().and_then(|id| rules.product(id));
    let name = match (product, d.product.as_deref()) {
        (Some(p), _) => format!(
            "{} ({}, {}, {})",
            p.name,
            p.molecule,
            match p.schedule {
                Schedule::Weekly => "weekly",
                Schedule::Daily => "daily",
            },
            d.region
        ),
        (None, Some(id)) => format!("{id} ({})", d.region),
        (None, None) => "not recorded".to_string(),
    };
    let device = match (
        product.and_then(|p| d.device.as_deref().and_then(|id| p.device(id))),
        d.device.as_deref(),
    ) {
        (Some(dev), _) => dev.name.clone(),
        (None, Some(id)) => id.to_string(),
        (None, None) => "none recorded".to_string(),
    };
    (name, device)
}
