//! The strength-step rule of a weight-band table (the EU Skytrofa label):
//! at a visit the dose moves along the table's doses by whole strengths, as
//! many as the product's IGF-1 SDS steps say; where they say none (inside
//! -2..+2) the current strength is kept (the label's "no change"); without
//! an IGF-1 the weight band for today's weight applies; an implausibly low
//! value is repeated first.

use super::super::weight_based::{ReviewId, Step};
use crate::dosing::device::OnProduct;
use crate::dosing::error::{Error, Field, Result};
use crate::dosing::patient::{Igf1, fmt_sds};
use crate::dosing::proposal::{Ctx, Raise};
use crate::dosing::trail::Notes;
use crate::rules::products::{BandTable, Product};
use crate::units::{Grams, Micrograms};
use crate::vocab::FlagCode;

/// The step at a visit on a weight-band table, and what may raise the dose
/// beyond the usual limit (today's weight band, or a low IGF-1).
pub(super) fn band_table_step(
    cx: &mut Ctx,
    on: &OnProduct,
    table: &BandTable,
    now: Micrograms,
    weight: Grams,
    igf1: &Igf1,
) -> Result<(Step, Option<Raise>)> {
    let notes: &mut Notes = &mut *cx.notes;
    notes.cite(&table.cited.sources);
    let keep = |recheck: bool, review: Option<ReviewId>| Step {
        new: now,
        recheck,
        review,
    };
    if igf1.mistimed {
        return Ok((keep(true, None), None));
    }
    let beyond = cx.rules.plausibility.igf1_sds_beyond;
    let Some(s) = igf1.sds else {
        let dose = weight_band_dose(on, table, weight, notes)?;
        let step = Step {
            new: dose,
            recheck: false,
            review: None,
        };
        return Ok((step, Some(Raise::Growth(dose))));
    };
    if s < -beyond {
        notes.why(format!(
            "IGF-1 SDS {} is implausible: repeat it before deciding; the dose is kept",
            fmt_sds(s)
        ));
        return Ok((keep(true, Some(ReviewId::Repeat)), None));
    }
    let k = strength_steps(on.product, s);
    if k == 0 || (k > 0 && !igf1.interpretable()) {
        notes.why(format!(
            "IGF-1 SDS {} (average): no change of strength (label table): {now} mg/week kept",
            fmt_sds(s)
        ));
        return Ok((keep(false, None), None));
    }
    let doses: Vec<Micrograms> = table.bands.iter().map(|b| b.per_week).collect();
    let (from, to) = walk(&doses, now, k, notes);
    note_move(notes, s, k, (from, to));
    let step = Step {
        new: to,
        recheck: false,
        review: (s > beyond).then_some(ReviewId::Repeat),
    };
    Ok((step, (k > 0).then_some(Raise::Igf1Low(s))))
}

/// Says how far the IGF-1 moved the dose, and raises its flag.
fn note_move(notes: &mut Notes, s: f64, k: i32, (from, to): (Micrograms, Micrograms)) {
    let (way, n) = if k > 0 { ("up", k) } else { ("down", -k) };
    let strengths = if n == 1 { "strength" } else { "strengths" };
    notes.why(format!(
        "IGF-1 SDS {} (average): {n} {strengths} {way} (label table): {from} -> {to} mg/week",
        fmt_sds(s)
    ));
    notes.raise(if k > 0 {
        FlagCode::Igf1LowOnTreatment
    } else {
        FlagCode::Igf1AboveRange
    });
}

/// Without an IGF-1: the dose of the band today's weight falls in (outside
/// the table it is refused).
fn weight_band_dose(
    on: &OnProduct,
    table: &BandTable,
    weight: Grams,
    notes: &mut Notes,
) -> Result<Micrograms> {
    let band = table.band(weight).ok_or_else(|| {
        Error::says(
            Field::WeightKg,
            format!(
                "{weight} is outside the {} weight-band table",
                on.product.name
            ),
        )
    })?;
    notes.why(format!(
        "no IGF-1: the weight band {}-{} kg gives {} mg/week",
        band.from, band.to, band.per_week
    ));
    Ok(band.per_week)
}

/// How many strengths an IGF-1 SDS moves the dose (negative: down): the
/// first of the product's steps whose threshold the SDS is above; none
/// when no threshold is passed.
fn strength_steps(product: &Product, s: f64) -> i32 {
    product
        .igf1_strength_steps
        .iter()
        .find(|x| s > x.sds_above)
        .map_or(0, |x| x.steps)
}

/// The dose `k` table doses from the current one (`from`, `to`): from the
/// nearest table dose, stopping at the table's ends. From a dose off the
/// table the step never crosses the current dose: a step down ends below
/// it, a step up above it, or the dose is kept.
fn walk(
    doses: &[Micrograms],
    now: Micrograms,
    k: i32,
    notes: &mut Notes,
) -> (Micrograms, Micrograms) {
    let idx = doses
        .iter()
        .enumerate()
        .min_by_key(|(_, d)| d.0.abs_diff(now.0))
        .map_or(0, |(i, _)| i);
    let from = doses.get(idx).copied().unwrap_or(now);
    if from != now {
        notes.why(format!(
            "{now} mg/week is not a table dose; nearest table dose {from} mg/week"
        ));
    }
    let last = doses.len().saturating_sub(1);
    let to_idx = i64::try_from(idx)
        .unwrap_or(i64::MAX)
        .saturating_add(i64::from(k))
        .max(0);
    let to_idx = usize::try_from(to_idx).unwrap_or(usize::MAX).min(last);
    let to = doses.get(to_idx).copied().unwrap_or(from);
    let down = k < 0;
    let crosses = if down { to >= now } else { to <= now };
    if !crosses {
        return (from, to);
    }
    let nearer = if down {
        doses.iter().copied().filter(|d| *d < now).max()
    } else {
        doses.iter().copied().filter(|d| *d > now).min()
    };
    notes.why(match nearer {
        Some(d) => format!(
            "the table step from {from} mg/week would not go {} from {now} mg/week: the next table dose that does is {d} mg/week",
            if down { "down" } else { "up" }
        ),
        None => format!(
            "no table dose is {} {now} mg/week: the dose is kept",
            if down { "below" } else { "above" }
        ),
    });
    (now, nearer.unwrap_or(now))
}

#[cfg(test)]
mod tests;
