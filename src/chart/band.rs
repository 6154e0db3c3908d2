//! The IGF-1 band a visit's decision used, read per regimen from the rule
//! set and the product table the way the dosing core reads them
//! (the guard's `igf1_ceiling` in `dosing/guard/limits.rs` and each regimen's titrate):
//!
//! - a child on daily somatropin, or on a weekly product without its own
//!   table (Sogroya): only the ceiling, the dose is reduced above it; a low
//!   IGF-1 is a work-up, never an increase;
//! - a child on Ngenla: the label's reduction threshold;
//! - a child on a strength-step table (Skytrofa): the label's "no change"
//!   band, one strength up below it, down above it;
//! - an adult on daily somatropin: raised below the target band, kept up to
//!   the ceiling, reduced above it;
//! - an adult on a weekly product: its label's target band, reduced above it.

use super::svg::signed;
use crate::record::{GivenDose, VisitLine};
use crate::rules::RuleSet;
use crate::rules::products::{LabelDosing, Product};
use crate::vocab::{Population, Schedule};

/// The IGF-1 band of a regimen as a chart draws it.
#[derive(Debug, Clone, PartialEq)]
pub(super) struct Band {
    /// The band inside which the dose is not raised (none for a child whose
    /// dose is only ever reduced for IGF-1).
    pub(crate) target: Option<(f64, f64)>,
    /// The IGF-1 SDS above which the dose is reduced.
    pub(crate) ceiling_sds: f64,
    /// What the band means, in a few words.
    pub(crate) label: String,
    /// The rows it was read from.
    pub(crate) sources: Vec<String>,
}

/// The band of the regimen a visit was decided on: its indication's
/// population and the product of its dose (the dose before it when the
/// visit gave none).
pub(crate) fn of_visit(rules: &RuleSet, v: &VisitLine) -> Band {
    let population = rules
        .indication(&v.indication)
        .map_or(Population::Pediatric, |i| i.population);
    let dose = v.dose.as_ref().or(v.dose_before.as_ref());
    let product = dose
        .and_then(|d| d.product.as_deref())
        .and_then(|id| rules.product(id));
    let weekly = product.filter(|p| p.schedule == Schedule::Weekly);
    match (population, weekly) {
        (Population::Pediatric, None) => child_daily(rules),
        (Population::Pediatric, Some(p)) => child_weekly(rules, p, label_sources(v, dose, p)),
        (Population::Adult, weekly) => adult(rules, v, dose, weekly),
    }
}

/// The label row's sources of a product for the visit's indication and
/// region (the product's own when no label matches).
fn label_sources(v: &VisitLine, dose: Option<&GivenDose>, p: &Product) -> Vec<String> {
    dose.and_then(|d| p.label(&v.indication, d.region))
        .map_or_else(|| p.cited.sources.clone(), |l| l.cited.sources.clone())
}

/// A child on daily somatropin: the pediatric table's ceiling only.
fn child_daily(rules: &RuleSet) -> Band {
    let t = &rules.titration;
    reduce_only(
        t.pediatric_daily.ceiling_sds,
        &format!(
            "children on daily somatropin: reduce {} % above",
            t.pediatric_daily.reduce_above_ceiling
        ),
        t.pediatric_daily.cited.sources.clone(),
    )
}

/// A child on a weekly product: the label's reduction threshold, its
/// strength-step table's "no change" band, or the pediatric ceiling.
fn child_weekly(rules: &RuleSet, p: &Product, label_sources: Vec<String>) -> Band {
    let t = &rules.titration;
    if let Some(r) = p.reduce_above_sds {
        return reduce_only(
            r.sds,
            &format!("{} label: reduce {} % above", p.name, r.percent),
            label_sources,
        );
    }
    let ceiling = p
        .igf1_strength_steps
        .iter()
        .filter(|s| s.steps < 0)
        .map(|s| s.sds_above)
        .fold(t.pediatric_daily.ceiling_sds, f64::min);
    // The table is ordered by decreasing `sds_above`: the last row
    // that keeps the strength is the "no change" band's low end.
    let keep_from = p
        .igf1_strength_steps
        .iter()
        .filter(|s| s.steps == 0)
        .map(|s| s.sds_above)
        .fold(f64::INFINITY, f64::min);
    let raises = p.igf1_strength_steps.iter().any(|s| s.steps > 0);
    if raises && keep_from.is_finite() && keep_from < ceiling {
        return Band {
            target: Some((keep_from, ceiling)),
            ceiling_sds: ceiling,
            label: format!(
                "{} label table: one strength up at or below {}, down above {}",
                p.name,
                signed(keep_from, 2),
                signed(ceiling, 2)
            ),
            sources: label_sources,
        };
    }
    reduce_only(
        ceiling,
        &format!(
            "{} (children): reduce {} % above",
            p.name, t.pediatric_daily.reduce_above_ceiling
        ),
        t.pediatric_daily.cited.sources.clone(),
    )
}

/// An adult: the weekly label's target band, or the daily titration table's.
fn adult(
    rules: &RuleSet,
    v: &VisitLine,
    dose: Option<&GivenDose>,
    weekly: Option<&Product>,
) -> Band {
    let label = weekly.and_then(|p| {
        let region = dose.map(|d| d.region)?;
        match p.label(&v.indication, region).map(|l| &l.dosing) {
            Some(LabelDosing::AdultWeekly(aw)) => Some((p, aw)),
            _ => None,
        }
    });
    match label {
        Some((p, aw)) => Band {
            target: Some((aw.target.min, aw.target.max)),
            ceiling_sds: aw.target.max,
            label: format!(
                "{} (adults): raise below {}, reduce above {}",
                p.name,
                signed(aw.target.min, 2),
                signed(aw.target.max, 2)
            ),
            sources: aw.cited.sources.clone(),
        },
        None => {
            let a = &rules.titration.adult_daily;
            Band {
                target: Some((a.target.min, a.target.max)),
                ceiling_sds: a.ceiling_sds,
                label: format!(
                    "adults on daily somatropin: raise below {}, target {} to {}, reduce above {}",
                    signed(a.target.min, 2),
                    signed(a.target.min, 2),
                    signed(a.target.max, 2),
                    signed(a.ceiling_sds, 2)
                ),
                sources: a.cited.sources.clone(),
            }
        }
    }
}

/// A child's band: the ceiling only.
fn reduce_only(ceiling: f64, what: &str, sources: Vec<String>) -> Band {
    Band {
        target: None,
        ceiling_sds: ceiling,
        label: format!("{what} {}", signed(ceiling, 2)),
        sources,
    }
}
