//! Indications: weight-based (pediatric) ranges, starts, ceilings and start
//! overrides; adult groups; the symptom rules of an indication.

use super::cite::Cite;
use super::compile::CheckReview;
use super::convert::{intensity, is_kebab, mass};
use super::file::{self, RangeRow};
use super::model::{
    AdultGroup, Ages, DailyCap, Indication, Regimen, StartOverride, SymptomRule, WeightBased,
    WhenAny,
};
use super::spanned::Spanned;
use crate::diagnostic::{Cx, FileError, R};
use crate::units::NgPerKg;
use crate::vocab::{FlagCode, Population, Region, Symptom};
use std::collections::HashSet;

/// Every indication of the file, in file order.
pub(super) fn compile_indications(
    cx: &Cx,
    rows: &[file::IndicationRow],
    cite: &Cite,
    check_review: &CheckReview,
) -> R<Vec<Indication>> {
    let mut indications: Vec<Indication> = Vec::with_capacity(rows.len());
    let mut seen: HashSet<&str> = HashSet::with_capacity(rows.len());
    for row in rows {
        let id = row.id.get_ref();
        if !is_kebab(id) {
            return Err(cx.err(
                &row.id.span(),
                format!("indication id '{id}' must be lower-case kebab-case"),
            ));
        }
        if !seen.insert(id) {
            return Err(cx.err(&row.id.span(), format!("duplicate indication id '{id}'")));
        }
        let population: Population = row
            .population
            .get_ref()
            .parse()
            .map_err(|e: String| cx.err(&row.population.span(), format!("population: {e}")))?;
        let regimen = match population {
            Population::Pediatric => Regimen::WeightBased(compile_weight_based(cx, row, cite)?),
            Population::Adult => Regimen::FixedDaily(compile_groups(cx, row, cite)?),
        };
        indications.push(Indication {
            id: id.clone(),
            name: row.name.clone(),
            population,
            regimen,
            glucose_monitoring: row.glucose_monitoring,
            pws_checks: row.pws_checks,
            renal_transplant_block: row.renal_transplant_block,
            symptom_rules: symptom_rules(cx, &row.symptom_rules, cite)?,
            labelled_ages: row
                .labelled_ages
                .iter()
                .map(|a| ages(cx, a, cite))
                .collect::<R<Vec<Ages>>>()?,
            usual_ages: row
                .usual_ages
                .as_ref()
                .map(|a| ages(cx, a, cite))
                .transpose()?,
            review: check_review(&row.review)?,
            note: row.note.clone(),
            cited: cite(&row.sources, &row.grade)?,
        });
    }
    if indications.is_empty() {
        return Err(cx.err(&(0..0), "the rule file defines no indications"));
    }
    Ok(indications)
}

/// An age span: a region if given, at least one bound, min below max.
fn ages(cx: &Cx, a: &file::AgesRow, cite: &Cite) -> R<Ages> {
    let region = a
        .region
        .as_ref()
        .map(|r| {
            r.get_ref()
                .parse::<Region>()
                .map_err(|e: String| cx.err(&r.span(), format!("region: {e}")))
        })
        .transpose()?;
    let (min, max) = (a.min.as_ref(), a.max.as_ref());
    let at = a.sources.span();
    if min.is_none() && max.is_none() {
        return Err(cx.err(&at, "an age span needs min or max"));
    }
    if let (Some(lo), Some(hi)) = (min, max)
        && lo.get_ref() >= hi.get_ref()
    {
        return Err(cx.err(&lo.span(), "min must be below max"));
    }
    if a.says.trim().is_empty() {
        return Err(cx.err(&at, "an age span needs `says`"));
    }
    Ok(Ages {
        region,
        min: min.map(|m| *m.get_ref()),
        max: max.map(|m| *m.get_ref()),
        says: a.says.clone(),
        cited: cite(&a.sources, &a.grade)?,
    })
}

fn symptom_rules(cx: &Cx, rows: &[file::SymptomRuleRow], cite: &Cite) -> R<Vec<SymptomRule>> {
    rows.iter()
        .map(|r| {
            let symptom: Symptom = r
                .symptom
                .get_ref()
                .parse()
                .map_err(|e: String| cx.err(&r.symptom.span(), format!("symptom: {e}")))?;
            let flag: FlagCode = r.flag.get_ref().parse().map_err(|_| {
                cx.err(
                    &r.flag.span(),
                    format!("unknown flag code '{}'", r.flag.get_ref()),
                )
            })?;
            if r.note.trim().is_empty() {
                return Err(cx.err(&r.symptom.span(), "a symptom rule needs a note"));
            }
            Ok(SymptomRule {
                symptom,
                flag,
                note: r.note.clone(),
                cited: cite(&r.sources, &r.grade)?,
            })
        })
        .collect()
}

/// Compiles a pediatric indication: its mg/kg/week range, start, ceilings,
/// start overrides and daily cap (no adult groups).
fn compile_weight_based(cx: &Cx, row: &file::IndicationRow, cite: &Cite) -> R<WeightBased> {
    let id = row.id.get_ref();
    if !row.groups.is_empty() {
        return Err(cx.err(
            &row.id.span(),
            format!("pediatric indication '{id}' cannot have adult groups"),
        ));
    }
    let (min, max) = weekly_range(cx, row)?;
    let start = weekly_start(cx, row, (min, max))?;
    let ceiling = ceiling(cx, row, max)?;
    let ceiling_prepubertal = ceiling_prepubertal(cx, row, max, ceiling)?;
    let overrides = start_overrides(cx, row, (min, max), cite)?;
    let daily_cap = daily_cap(cx, row, cite)?;
    Ok(WeightBased {
        min,
        max,
        start,
        ceiling,
        ceiling_prepubertal,
        ceiling_note: row.ceiling_note.clone(),
        overrides,
        daily_cap,
    })
}

/// The refusal of a pediatric indication that lacks a required key.
fn needs(cx: &Cx, row: &file::IndicationRow, what: &str) -> FileError {
    cx.err(
        &row.id.span(),
        format!("pediatric indication '{}' needs {what}", row.id.get_ref()),
    )
}

/// The indication's mg/kg/week range (min not above max).
fn weekly_range(cx: &Cx, row: &file::IndicationRow) -> R<(Option<NgPerKg>, NgPerKg)> {
    let id = row.id.get_ref();
    let range: &Spanned<RangeRow> = row
        .mg_per_kg_week
        .as_ref()
        .ok_or_else(|| needs(cx, row, "mg_per_kg_week"))?;
    let r = range.get_ref();
    let min = match r.min {
        Some(m) => Some(intensity(cx, m, &range.span(), "mg_per_kg_week.min")?),
        None => None,
    };
    let max = intensity(cx, r.max, &range.span(), "mg_per_kg_week.max")?;
    if let Some(min) = min
        && min > max
    {
        return Err(cx.err(
            &range.span(),
            format!("{id} mg_per_kg_week: min ({min}) exceeds max ({max})"),
        ));
    }
    Ok((min, max))
}

/// The start intensity, inside the mg/kg/week range.
fn weekly_start(
    cx: &Cx,
    row: &file::IndicationRow,
    (min, max): (Option<NgPerKg>, NgPerKg),
) -> R<NgPerKg> {
    let id = row.id.get_ref();
    let start_s = row
        .start_mg_per_kg_week
        .as_ref()
        .ok_or_else(|| needs(cx, row, "start_mg_per_kg_week"))?;
    let start = intensity(
        cx,
        *start_s.get_ref(),
        &start_s.span(),
        "start_mg_per_kg_week",
    )?;
    if start > max || min.is_some_and(|m| start < m) {
        return Err(cx.err(
            &start_s.span(),
            format!("{id} start_mg_per_kg_week ({start}) lies outside mg_per_kg_week"),
        ));
    }
    Ok(start)
}

/// The ceiling intensity, not below the range's max.
fn ceiling(cx: &Cx, row: &file::IndicationRow, max: NgPerKg) -> R<NgPerKg> {
    let id = row.id.get_ref();
    let ceiling_s = row
        .ceiling_mg_per_kg_week
        .as_ref()
        .ok_or_else(|| needs(cx, row, "ceiling_mg_per_kg_week"))?;
    let ceiling = intensity(
        cx,
        *ceiling_s.get_ref(),
        &ceiling_s.span(),
        "ceiling_mg_per_kg_week",
    )?;
    if ceiling < max {
        return Err(cx.err(
            &ceiling_s.span(),
            format!("{id} ceiling_mg_per_kg_week ({ceiling}) is below mg_per_kg_week.max ({max})"),
        ));
    }
    Ok(ceiling)
}

/// The prepubertal ceiling, if given: between the range's max and the ceiling.
fn ceiling_prepubertal(
    cx: &Cx,
    row: &file::IndicationRow,
    max: NgPerKg,
    ceiling: NgPerKg,
) -> R<Option<NgPerKg>> {
    let id = row.id.get_ref();
    let Some(c) = &row.ceiling_prepubertal_mg_per_kg_week else {
        return Ok(None);
    };
    let v = intensity(
        cx,
        *c.get_ref(),
        &c.span(),
        "ceiling_prepubertal_mg_per_kg_week",
    )?;
    if v > ceiling || v < max {
        return Err(cx.err(
            &c.span(),
            format!(
                "{id} ceiling_prepubertal_mg_per_kg_week ({v}) must lie between mg_per_kg_week.max ({max}) and ceiling_mg_per_kg_week ({ceiling})"
            ),
        ));
    }
    Ok(Some(v))
}

fn start_overrides(
    cx: &Cx,
    row: &file::IndicationRow,
    (min, max): (Option<NgPerKg>, NgPerKg),
    cite: &Cite,
) -> R<Vec<StartOverride>> {
    let id = row.id.get_ref();
    let mut overrides = Vec::new();
    for o in &row.start_overrides {
        let v = intensity(
            cx,
            *o.mg_per_kg_week.get_ref(),
            &o.mg_per_kg_week.span(),
            "start_overrides.mg_per_kg_week",
        )?;
        if v > max || min.is_some_and(|m| v < m) {
            return Err(cx.err(
                &o.mg_per_kg_week.span(),
                format!("{id} start override ({v}) lies outside mg_per_kg_week"),
            ));
        }
        if o.height_sds_below.is_none() && o.pubertal.is_none() {
            return Err(cx.err(
                &o.mg_per_kg_week.span(),
                "a start override needs a condition (height_sds_below or pubertal)",
            ));
        }
        overrides.push(StartOverride {
            intensity: v,
            height_sds_below: o.height_sds_below,
            pubertal: o.pubertal,
            reason: o.reason.clone(),
            cited: cite(&o.sources, &o.grade)?,
        });
    }
    Ok(overrides)
}

fn daily_cap(cx: &Cx, row: &file::IndicationRow, cite: &Cite) -> R<Option<DailyCap>> {
    Ok(match &row.daily_cap {
        None => None,
        Some(cap) => {
            let c = cap.get_ref();
            let per_day = mass(cx, c.mg_per_day, &cap.span(), "daily_cap.mg_per_day")?;
            let sources = Spanned::new(cap.span(), c.sources.clone());
            let grade = Spanned::new(cap.span(), c.grade.clone());
            let region: Region = c
                .region
                .parse()
                .map_err(|e: String| cx.err(&cap.span(), format!("daily_cap.region: {e}")))?;
            Some(DailyCap {
                per_day,
                region,
                cited: cite(&sources, &grade)?,
            })
        }
    })
}

/// Compiles an adult indication's groups: no mg/kg keys, at least one
/// group, ids unique, only the last group without `when_any`.
fn compile_groups(cx: &Cx, row: &file::IndicationRow, cite: &Cite) -> R<Vec<AdultGroup>> {
    let id = row.id.get_ref();
    if row.mg_per_kg_week.is_some()
        || row.start_mg_per_kg_week.is_some()
        || row.ceiling_mg_per_kg_week.is_some()
    {
        return Err(cx.err(
            &row.id.span(),
            format!(
                "adult indication '{id}' is dosed in mg/day by group: remove the mg/kg/week keys"
            ),
        ));
    }
    if row.groups.is_empty() {
        return Err(cx.err(
            &row.id.span(),
            format!("adult indication '{id}' needs at least one [[indications.groups]]"),
        ));
    }
    let mut out: Vec<AdultGroup> = Vec::with_capacity(row.groups.len());
    let mut seen: HashSet<&str> = HashSet::with_capacity(row.groups.len());
    let last = row.groups.len() - 1;
    for (i, g) in row.groups.iter().enumerate() {
        let gid = g.id.get_ref();
        if !seen.insert(gid) {
            return Err(cx.err(
                &g.id.span(),
                format!("duplicate group id '{gid}' in '{id}'"),
            ));
        }
        out.push(group(cx, g, i == last, cite)?);
    }
    Ok(out)
}

/// Compiles one adult group: its condition, mg/day range and start.
fn group(cx: &Cx, g: &file::GroupRow, is_last: bool, cite: &Cite) -> R<AdultGroup> {
    let gid = g.id.get_ref();
    let when_any = when_any(cx, g, is_last)?;
    let range = g.mg_per_day.get_ref();
    let min = mass(cx, range.min, &g.mg_per_day.span(), "mg_per_day.min")?;
    let max = mass(cx, range.max, &g.mg_per_day.span(), "mg_per_day.max")?;
    if min > max {
        return Err(cx.err(
            &g.mg_per_day.span(),
            format!("{gid} mg_per_day: min ({min}) exceeds max ({max})"),
        ));
    }
    let start = mass(
        cx,
        *g.start_mg_per_day.get_ref(),
        &g.start_mg_per_day.span(),
        "start_mg_per_day",
    )?;
    if start < min || start > max {
        return Err(cx.err(
            &g.start_mg_per_day.span(),
            format!("{gid} start_mg_per_day ({start}) lies outside mg_per_day"),
        ));
    }
    Ok(AdultGroup {
        id: gid.clone(),
        name: g.name.clone(),
        when_any,
        min_per_day: min,
        max_per_day: max,
        start_per_day: start,
        cited: cite(&g.sources, &g.grade)?,
    })
}

/// The group's condition: named by every group but the last (the default),
/// which has none.
fn when_any(cx: &Cx, g: &file::GroupRow, is_last: bool) -> R<Option<WhenAny>> {
    match (&g.when_any, is_last) {
        (Some(w), false) => {
            let v = w.get_ref();
            let when = WhenAny {
                age_years_at_least: v.age_years_at_least,
                diabetes: v.diabetes.unwrap_or(false),
                obesity: v.obesity.unwrap_or(false),
            };
            if when == WhenAny::default() {
                return Err(cx.err(&w.span(), "when_any must name at least one condition"));
            }
            Ok(Some(when))
        }
        (None, true) => Ok(None),
        (Some(w), true) => Err(cx.err(
            &w.span(),
            "the last group is the default and cannot have when_any",
        )),
        (None, false) => Err(cx.err(&g.id.span(), "only the last group may lack when_any")),
    }
}
