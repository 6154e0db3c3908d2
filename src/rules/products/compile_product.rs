//! One product row to the compiled model: its molecule and schedule, its
//! labels and devices (each in its own file), and the product-wide settings.

use super::compile::Tables;
use super::compile_device::device;
use super::compile_label::label;
use super::compile_weekly::strength_steps;
use super::file::ProductRow;
use super::model::{Device, Label, Product, Reduce, Revision};
use crate::diagnostic::{Cx, R};
use crate::rules::cite::Cite;
use crate::rules::convert::percent;
use crate::rules::spanned::Spanned;
use crate::vocab::{Condition, FlagCode, Molecule, Region, Schedule};
use chrono::NaiveDate;
use std::collections::HashSet;

/// Compiles one product row: its schedule, labels and devices, then the
/// product-wide settings (checked in the order the fields are read).
pub(super) fn product(cx: &Cx, row: &ProductRow, tables: &Tables, cite: &Cite) -> R<Product> {
    let molecule = molecule(cx, row)?;
    let schedule = schedule(cx, row)?;
    let inj = injections_per_week(cx, row, schedule)?;
    let max_per_dose = row
        .max_injections_per_dose
        .as_ref()
        .map_or(1, |v| *v.get_ref());
    let labels = labels(cx, row, schedule, tables, cite)?;
    let devices = devices(cx, row, cite)?;
    Ok(Product {
        id: row.id.get_ref().clone(),
        name: row.name.clone(),
        maker: row.maker.clone(),
        molecule,
        schedule,
        injections_per_week: inj,
        max_injections_per_dose: max_per_dose,
        igf1_sample_days: sample_days(cx, row)?,
        switch_after_weekly_days: whole_days(
            cx,
            &row.switch_after_weekly_days,
            "switch_after_weekly_days",
        )?,
        missed_dose_within_days: whole_days(
            cx,
            &row.missed_dose_within_days,
            "missed_dose_within_days",
        )?,
        igf1_strength_steps: strength_steps(cx, row)?,
        reduce_above_sds: reduce_above_sds(cx, row)?,
        note: row.note.clone(),
        adult_refusal: row.adult_refusal.clone(),
        not_encoded: not_encoded(cx, row)?,
        revisions: revisions(cx, row)?,
        discontinued: discontinued(cx, row)?,
        blocked_conditions: blocked(cx, row)?,
        labels,
        devices,
        cited: cite(&row.sources, &row.grade)?,
    })
}

/// The product's molecule, parsed from its name.
fn molecule(cx: &Cx, row: &ProductRow) -> R<Molecule> {
    row.molecule
        .get_ref()
        .parse()
        .map_err(|e: String| cx.err(&row.molecule.span(), format!("molecule: {e}")))
}

/// The product's schedule (daily or weekly), parsed from its name.
fn schedule(cx: &Cx, row: &ProductRow) -> R<Schedule> {
    row.schedule
        .get_ref()
        .parse()
        .map_err(|e: String| cx.err(&row.schedule.span(), format!("schedule: {e}")))
}

/// The injections per week, checked against the schedule.
fn injections_per_week(cx: &Cx, row: &ProductRow, schedule: Schedule) -> R<Vec<u8>> {
    let inj = row.injections_per_week.get_ref().clone();
    let inj_ok = match schedule {
        Schedule::Daily => !inj.is_empty() && inj.iter().all(|n| (1..=7).contains(n)),
        Schedule::Weekly => inj == [1],
    };
    if !inj_ok {
        return Err(cx.err(
            &row.injections_per_week.span(),
            "injections_per_week: daily products list numbers from 1 to 7; weekly products [1]",
        ));
    }
    Ok(inj)
}

/// The product's labels, at most one per indication and region.
fn labels(
    cx: &Cx,
    row: &ProductRow,
    schedule: Schedule,
    tables: &Tables,
    cite: &Cite,
) -> R<Vec<Label>> {
    let mut labels: Vec<Label> = Vec::with_capacity(row.labels.len());
    let mut seen: HashSet<(String, Region)> = HashSet::with_capacity(row.labels.len());
    for l in &row.labels {
        let label = label(cx, l, schedule, tables, cite)?;
        if !seen.insert((label.indication.clone(), label.region)) {
            return Err(cx.err(
                &l.span(),
                format!(
                    "duplicate label for {} in {}",
                    label.indication, label.region
                ),
            ));
        }
        labels.push(label);
    }
    Ok(labels)
}

/// The product's devices: at least one, ids unique.
fn devices(cx: &Cx, row: &ProductRow, cite: &Cite) -> R<Vec<Device>> {
    let mut devices: Vec<Device> = Vec::with_capacity(row.devices.len());
    let mut seen: HashSet<&str> = HashSet::with_capacity(row.devices.len());
    for d in &row.devices {
        if !seen.insert(d.get_ref().id.get_ref()) {
            return Err(cx.err(
                &d.get_ref().id.span(),
                format!("duplicate device id '{}'", d.get_ref().id.get_ref()),
            ));
        }
        devices.push(device(cx, d, cite)?);
    }
    if devices.is_empty() {
        return Err(cx.err(
            &row.id.span(),
            format!("product '{}' needs at least one device", row.id.get_ref()),
        ));
    }
    Ok(devices)
}

/// The reduction above an IGF-1 SDS, if the product has one.
fn reduce_above_sds(cx: &Cx, row: &ProductRow) -> R<Option<Reduce>> {
    match &row.reduce_percent_above_sds {
        None => Ok(None),
        Some(r) => Ok(Some(Reduce {
            sds: r.get_ref().sds,
            percent: percent(
                cx,
                &Spanned::new(r.span(), r.get_ref().percent),
                "reduce_percent_above_sds.percent",
            )?,
        })),
    }
}

/// The label indications the table knows but does not encode, by region.
fn not_encoded(cx: &Cx, row: &ProductRow) -> R<Vec<(String, Region, String)>> {
    row.not_encoded
        .iter()
        .map(|n| {
            let region = n
                .region
                .get_ref()
                .parse::<Region>()
                .map_err(|e: String| cx.err(&n.region.span(), format!("region: {e}")))?;
            Ok((n.indication.get_ref().clone(), region, n.says.clone()))
        })
        .collect::<R<Vec<_>>>()
}

/// The label revisions read, by region.
fn revisions(cx: &Cx, row: &ProductRow) -> R<Vec<Revision>> {
    row.revisions
        .iter()
        .map(|r| {
            let region = r
                .region
                .get_ref()
                .parse::<Region>()
                .map_err(|e: String| cx.err(&r.region.span(), format!("region: {e}")))?;
            Ok(Revision {
                region,
                read: r.read.clone(),
                current: r.current.clone(),
                note: r.note.clone(),
            })
        })
        .collect::<R<Vec<_>>>()
}

/// Where and from when the product is discontinued, if it is.
fn discontinued(cx: &Cx, row: &ProductRow) -> R<Option<(Region, NaiveDate)>> {
    let Some(d) = &row.discontinued else {
        return Ok(None);
    };
    let v = d.get_ref();
    let region: Region = v
        .region
        .parse()
        .map_err(|e: String| cx.err(&d.span(), format!("discontinued.region: {e}")))?;
    let date = NaiveDate::parse_from_str(&v.date, "%Y-%m-%d")
        .map_err(|_| cx.err(&d.span(), "discontinued.date must be YYYY-MM-DD"))?;
    Ok(Some((region, date)))
}

/// The conditions the product is not given in, each with its flag.
fn blocked(cx: &Cx, row: &ProductRow) -> R<Vec<(Condition, FlagCode)>> {
    let Some(rows) = &row.blocked_conditions else {
        return Ok(Vec::new());
    };
    rows.get_ref()
        .iter()
        .map(|b| {
            let condition: Condition = b
                .condition
                .parse()
                .map_err(|e: String| cx.err(&rows.span(), format!("condition: {e}")))?;
            let flag: FlagCode = b
                .flag
                .parse()
                .map_err(|_| cx.err(&rows.span(), format!("unknown flag code '{}'", b.flag)))?;
            Ok((condition, flag))
        })
        .collect()
}

/// The days after an injection an IGF-1 sample is taken (min not above max).
fn sample_days(cx: &Cx, row: &ProductRow) -> R<Option<(u32, u32)>> {
    match &row.igf1_sample_days {
        None => Ok(None),
        Some(d) if d.get_ref().min <= d.get_ref().max => {
            Ok(Some((d.get_ref().min, d.get_ref().max)))
        }
        Some(d) => Err(cx.err(&d.span(), "igf1_sample_days: min must not exceed max")),
    }
}

/// A whole number of days (its band was checked before compiling).
fn whole_days(cx: &Cx, d: &Option<Spanned<f64>>, what: &str) -> R<Option<u32>> {
    d.as_ref()
        .map(|d| {
            let v = *d.get_ref();
            if v.fract() != 0.0 || !(0.0..=3650.0).contains(&v) {
                return Err(cx.err(&d.span(), format!("{what} must be whole days")));
            }
            Ok(v as u32)
        })
        .transpose()
}
