//! How far a loaded protocol goes beyond the labels: the values of a rule or
//! product table that are above (or safety checks that are weaker than)
//! those of the built-in tables, which are the reference and yield none.
//! Rows are matched by id; one line per departure, naming the row, the value
//! and the built-in limit. The lines go to `rules check` and, with the flag
//! RULES_OUTSIDE_LABEL, to the rationale of every dose computed on the table.
//!
//! Compared: per indication the range maximum and the ceilings (against the
//! built-in prepubertal and pubertal ceilings), the regional daily cap, the
//! adult groups' maxima, the contraindication switches and symptom rules;
//! the adult hard caps and the IGF-1 ceilings of titration; each flag's
//! severity (a `block` cannot be downgraded at all: the loader refuses it);
//! per product and label the labelled maxima, weekly starts, minimum ages
//! and blocked conditions.

use super::RuleSet;
use super::model::{AdultGroup, Indication, Regimen, WeightBased};
use super::products::{AdultWeekly, Label, LabelDosing, Product, ProductSet};
use crate::units::{Micrograms, NgPerKg};
use crate::vocab::FlagCode;

/// Departures of a rule set from the reference rules.
pub(crate) fn rules(loaded: &RuleSet, reference: &RuleSet) -> Vec<String> {
    let mut out = Vec::new();
    for ind in &loaded.indications {
        match reference.indication(&ind.id) {
            None => out.push(format!(
                "indication {}: not in the built-in tables (no labelled limits to compare)",
                ind.id
            )),
            Some(base) => indication(ind, base, &mut out),
        }
    }
    titration(loaded, reference, &mut out);
    restart(loaded, reference, &mut out);
    for code in FlagCode::ALL {
        if let (Some(l), Some(b)) = (loaded.flag(*code), reference.flag(*code))
            && l.severity > b.severity
        {
            out.push(format!(
                "flag {code}: severity {} where the built-in tables say {}",
                l.severity, b.severity
            ));
        }
    }
    out
}

/// A lower restart after a safety stop: a stop the built-in tables list
/// that the file drops, or a smaller reduction.
fn restart(loaded: &RuleSet, reference: &RuleSet, out: &mut Vec<String>) {
    let (l, b) = (&loaded.restart, &reference.restart);
    for code in b.after.iter().filter(|c| !l.after.contains(c)) {
        out.push(format!(
            "restart_after_safety_stop.after: {code} left out (the built-in tables restart lower after it)"
        ));
    }
    if l.reduce_from_dose_before < b.reduce_from_dose_before {
        out.push(format!(
            "restart_after_safety_stop.reduce_percent_from_dose_before {} where the built-in tables say {}",
            l.reduce_from_dose_before, b.reduce_from_dose_before
        ));
    }
}

fn indication(ind: &Indication, base: &Indication, out: &mut Vec<String>) {
    let id = &ind.id;
    match (&ind.regimen, &base.regimen) {
        (Regimen::WeightBased(l), Regimen::WeightBased(b)) => weight_based(id, l, b, out),
        (Regimen::FixedDaily(l), Regimen::FixedDaily(b)) => groups(id, l, b, out),
        _ => out.push(format!(
            "{id}: dosed as {} where the built-in tables dose it as {}",
            ind.population, base.population
        )),
    }
    for (name, on, was) in [
        ("pws_checks", ind.pws_checks, base.pws_checks),
        (
            "renal_transplant_block",
            ind.renal_transplant_block,
            base.renal_transplant_block,
        ),
        (
            "glucose_monitoring",
            ind.glucose_monitoring,
            base.glucose_monitoring,
        ),
    ] {
        if was && !on {
            out.push(format!("{id}: {name} is off (on in the built-in tables)"));
        }
    }
    for rule in &base.symptom_rules {
        let kept = ind
            .symptom_rules
            .iter()
            .any(|r| r.symptom == rule.symptom && r.flag == rule.flag);
        if !kept {
            out.push(format!(
                "{id}: the symptom rule {} -> {} of the built-in tables is missing",
                rule.symptom, rule.flag
            ));
        }
    }
}

fn weight_based(id: &str, l: &WeightBased, b: &WeightBased, out: &mut Vec<String>) {
    let mut above = |what: &str, x: NgPerKg, limit: NgPerKg, of: &str| {
        if x > limit {
            out.push(format!(
                "{id}: {what} {x} mg/kg/week is above the built-in {of} {limit} mg/kg/week"
            ));
        }
    };
    let prepubertal = b.ceiling_for(false);
    above("mg_per_kg_week.max", l.max, prepubertal, "ceiling");
    above("ceiling_mg_per_kg_week", l.ceiling, b.ceiling, "ceiling");
    if l.ceiling_prepubertal.is_some() || b.ceiling_prepubertal.is_some() {
        above(
            "the prepubertal ceiling",
            l.ceiling_for(false),
            prepubertal,
            "prepubertal ceiling",
        );
    }
    if let Some(cap) = &b.daily_cap {
        match &l.daily_cap {
            Some(c) if c.region == cap.region && c.per_day <= cap.per_day => {}
            Some(c) => out.push(format!(
                "{id}: daily_cap {} mg/day ({}) where the built-in tables cap {} at {} mg/day",
                c.per_day, c.region, cap.region, cap.per_day
            )),
            None => out.push(format!(
                "{id}: no daily_cap where the built-in tables cap {} at {} mg/day",
                cap.region, cap.per_day
            )),
        }
    }
}

fn groups(id: &str, l: &[AdultGroup], b: &[AdultGroup], out: &mut Vec<String>) {
    let highest = b.iter().map(|g| g.max_per_day).max().unwrap_or_default();
    for g in l {
        let limit = b
            .iter()
            .find(|x| x.id == g.id)
            .map_or(highest, |x| x.max_per_day);
        if g.max_per_day > limit {
            out.push(format!(
                "{id} group {}: mg_per_day.max {} mg/day is above the built-in {limit} mg/day",
                g.id, g.max_per_day
            ));
        }
    }
}

fn titration(loaded: &RuleSet, reference: &RuleSet, out: &mut Vec<String>) {
    let (l, b) = (
        &loaded.titration.adult_daily,
        &reference.titration.adult_daily,
    );
    // The caps are steps in age: compare them at every age where either
    // table changes, and between and beyond those ages.
    let mut ages: Vec<f64> = l.caps.iter().chain(&b.caps).filter_map(|c| c.0).collect();
    ages.sort_by(f64::total_cmp);
    let mut probes = ages.clone();
    probes.extend(ages.windows(2).map(|w| (w[0] + w[1]) / 2.0));
    probes.push(ages.last().map_or(0.0, |a| a + 1.0));
    probes.sort_by(f64::total_cmp);
    let cap_at = |caps: &[(Option<f64>, NgPerKg)], age: f64| {
        caps.iter()
            .find(|(at_most, _)| at_most.is_none_or(|a| age <= a))
            .map(|c| c.1)
    };
    for age in probes {
        if let (Some(x), Some(limit)) = (cap_at(&l.caps, age), cap_at(&b.caps, age))
            && x > limit
        {
            out.push(format!(
                "titration.adult_daily.cap_mg_per_kg_day at {age} years: {x} mg/kg/day is above the built-in {limit} mg/kg/day"
            ));
            break;
        }
    }
    let mut above = |what: &str, x: Micrograms, limit: Micrograms| {
        if x > limit {
            out.push(format!(
                "titration.adult_daily.{what} {x} mg/day is above the built-in {limit} mg/day"
            ));
        }
    };
    above(
        "cap_without_weight_mg_per_day",
        l.cap_without_weight,
        b.cap_without_weight,
    );
    let ceilings = [
        ("adult_daily", l.ceiling_sds, b.ceiling_sds),
        (
            "pediatric_daily",
            loaded.titration.pediatric_daily.ceiling_sds,
            reference.titration.pediatric_daily.ceiling_sds,
        ),
    ];
    for (table, x, limit) in ceilings {
        if x > limit {
            out.push(format!(
                "titration.{table}.ceiling_sds {x} is above the built-in IGF-1 ceiling {limit} SDS"
            ));
        }
    }
}

/// Departures of a product table from the reference products.
pub(crate) fn products(loaded: &ProductSet, reference: &ProductSet) -> Vec<String> {
    let mut out = Vec::new();
    for p in &loaded.products {
        match reference.product(&p.id) {
            None => out.push(format!(
                "product {}: not in the built-in product table (no labelled limits to compare)",
                p.id
            )),
            Some(base) => product(p, base, &mut out),
        }
    }
    out
}

fn product(p: &Product, base: &Product, out: &mut Vec<String>) {
    for l in &p.labels {
        let row = format!("product {} label {} {}", p.id, l.indication, l.region);
        match base.label(&l.indication, l.region) {
            None => out.push(format!("{row}: not in the built-in product table")),
            Some(b) => label(&row, l, b, out),
        }
    }
    for (condition, flag) in &base.blocked_conditions {
        if !p.blocked_conditions.contains(&(*condition, *flag)) {
            out.push(format!(
                "product {}: the blocked condition {condition} -> {flag} of the built-in table is missing",
                p.id
            ));
        }
    }
}

fn label(row: &str, l: &Label, b: &Label, out: &mut Vec<String>) {
    if let Some(min) = b.min_age_years
        && l.min_age_years.is_none_or(|a| a < min)
    {
        out.push(format!(
            "{row}: labelled from {} where the built-in table says {min} years",
            l.min_age_years
                .map_or("any age".to_string(), |a| format!("{a} years"))
        ));
    }
    match (&l.dosing, &b.dosing) {
        (
            LabelDosing::WeightBased {
                max, max_pubertal, ..
            },
            LabelDosing::WeightBased {
                max: bmax,
                max_pubertal: bpub,
                ..
            },
        ) => {
            let pubertal = max_pubertal.unwrap_or(*max);
            let bpubertal = bpub.unwrap_or(*bmax);
            for (what, x, limit) in [("max", *max, *bmax), ("pubertal max", pubertal, bpubertal)] {
                if x > limit {
                    out.push(format!(
                        "{row}: {what} {x} mg/kg/week is above the built-in {limit} mg/kg/week"
                    ));
                }
            }
        }
        (
            LabelDosing::Daily {
                max, max_per_kg, ..
            },
            LabelDosing::Daily {
                max: bmax,
                max_per_kg: bkg,
                ..
            },
        ) => {
            if max > bmax {
                out.push(format!(
                    "{row}: mg_per_day.max {max} mg/day is above the built-in {bmax} mg/day"
                ));
            }
            if let Some(b) = bkg
                && max_per_kg.is_none_or(|k| k > *b)
            {
                out.push(format!(
                    "{row}: the weight-based maximum is above the built-in {b} mg/kg/week (or missing)"
                ));
            }
        }
        (LabelDosing::AdultWeekly(w), LabelDosing::AdultWeekly(bw)) => weekly(row, w, bw, out),
        _ => out.push(format!(
            "{row}: dosed differently from the built-in product table"
        )),
    }
}

fn weekly(row: &str, w: &AdultWeekly, b: &AdultWeekly, out: &mut Vec<String>) {
    let pairs = [
        ("max_mg_per_week", Some(w.max), Some(b.max)),
        (
            "hepatic_moderate_max_mg_per_week",
            Some(w.hepatic_moderate_max),
            Some(b.hepatic_moderate_max),
        ),
        ("start_mg_per_week", Some(w.start), Some(b.start)),
        (
            "older_start_mg_per_week",
            Some(w.older_start),
            Some(b.older_start),
        ),
        (
            "oral_estrogen_start_mg_per_week",
            Some(w.oral_estrogen_start),
            Some(b.oral_estrogen_start),
        ),
        (
            "hepatic_moderate_start_mg_per_week",
            Some(w.hepatic_moderate_start),
            Some(b.hepatic_moderate_start),
        ),
        ("switch_start_mg_per_week", w.switch_start, b.switch_start),
        (
            "switch_older_start_mg_per_week",
            w.switch_older_start,
            b.switch_older_start,
        ),
        (
            "switch_oral_estrogen_start_mg_per_week",
            w.switch_oral_estrogen_start,
            b.switch_oral_estrogen_start,
        ),
    ];
    for (what, x, limit) in pairs {
        let limit = limit.unwrap_or(b.start);
        if let Some(x) = x
            && x > limit
        {
            out.push(format!(
                "{row}: {what} {x} mg/week is above the built-in {limit} mg/week"
            ));
        }
    }
}

#[cfg(test)]
mod tests;
