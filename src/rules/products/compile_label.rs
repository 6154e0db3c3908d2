//! One label of a product: its indication (known to the rule set), region
//! and dosing (mg/kg, mg/day or an adult weekly table), fitted to the
//! product's schedule and the indication's population.

use super::compile::Tables;
use super::file::LabelRow;
use super::model::{Label, LabelDosing};
use crate::diagnostic::{Cx, R};
use crate::rules::cite::Cite;
use crate::rules::convert::{intensity, mass};
use crate::rules::file::RangeRow;
use crate::rules::spanned::Spanned;
use crate::units::NgPerKg;
use crate::vocab::{Population, Region, Schedule};
use std::ops::Range;

/// Compiles one label row of a product with the given schedule.
pub(super) fn label(
    cx: &Cx,
    l: &Spanned<LabelRow>,
    schedule: Schedule,
    tables: &Tables,
    cite: &Cite,
) -> R<Label> {
    let lr = l.get_ref();
    let wanted = lr.indication.get_ref().to_ascii_lowercase();
    let ind = *tables.indications.get(&wanted).ok_or_else(|| {
        let mut ids: Vec<&str> = tables.indications.values().map(|i| i.id.as_str()).collect();
        ids.sort_unstable();
        cx.err(
            &lr.indication.span(),
            format!(
                "unknown indication '{}' (the rule file defines: {})",
                lr.indication.get_ref(),
                ids.join(", ")
            ),
        )
    })?;
    let region: Region = lr
        .region
        .get_ref()
        .parse()
        .map_err(|e: String| cx.err(&lr.region.span(), format!("region: {e}")))?;
    let dosing = label_dosing(cx, &l.span(), lr, tables)?;
    let adult = ind.population == Population::Adult;
    let fits = matches!(
        (&dosing, adult, schedule),
        (LabelDosing::WeightBased { .. }, false, _)
            | (LabelDosing::Daily { .. }, true, Schedule::Daily)
            | (LabelDosing::AdultWeekly(_), true, Schedule::Weekly)
    );
    if !fits {
        return Err(cx.err(
            &l.span(),
            format!("label for {}: pediatric indications need mg/kg; adults need mg_per_day (daily) or adult_weekly (weekly)", ind.id),
        ));
    }
    if let (Some(lo), Some(hi)) = (lr.min_age_years, lr.max_age_years)
        && lo > hi
    {
        return Err(cx.err(&l.span(), "min_age_years exceeds max_age_years"));
    }
    Ok(Label {
        indication: ind.id.clone(),
        region,
        dosing,
        min_age_years: lr.min_age_years,
        max_age_years: lr.max_age_years,
        cited: cite(&lr.sources, &lr.grade)?,
    })
}

/// The label's dosing: exactly one of mg/kg a week or a day, mg a day, or
/// an adult weekly table (weight bands and a pubertal max only with mg/kg).
fn label_dosing(cx: &Cx, span: &Range<usize>, l: &LabelRow, tables: &Tables) -> R<LabelDosing> {
    let given = [
        l.mg_per_kg_week.is_some(),
        l.mg_per_kg_day.is_some(),
        l.mg_per_day.is_some(),
        l.adult_weekly.is_some(),
    ]
    .iter()
    .filter(|x| **x)
    .count();
    if given != 1 {
        return Err(cx.err(
            span,
            "a label needs exactly one of mg_per_kg_week, mg_per_kg_day, mg_per_day or adult_weekly",
        ));
    }
    let per_kg = |r: &RangeRow, days: i64| -> R<LabelDosing> {
        let conv = |x: f64, what: &str| intensity(cx, x, span, what).map(|n| n.times_n(days));
        let min = r.min.map(|m| conv(m, "min")).transpose()?;
        let max: NgPerKg = conv(r.max, "max")?;
        if min.is_some_and(|m| m > max) {
            return Err(cx.err(span, format!("label range: min exceeds max ({max})")));
        }
        let bands = match &l.weight_bands {
            None => None,
            Some(id) => Some(
                tables
                    .bands
                    .get(id.as_str())
                    .map(|t| (*t).clone())
                    .ok_or_else(|| cx.err(span, format!("unknown weight_bands table '{id}'")))?,
            ),
        };
        let max_pubertal = match l.max_pubertal_mg_per_kg_week {
            None => None,
            Some(x) => {
                let p = intensity(cx, x, span, "max_pubertal_mg_per_kg_week")?;
                if p < max {
                    return Err(
                        cx.err(span, "max_pubertal_mg_per_kg_week is below the label's max")
                    );
                }
                Some(p)
            }
        };
        Ok(LabelDosing::WeightBased {
            min,
            max,
            max_pubertal,
            bands,
        })
    };
    if let Some(r) = &l.mg_per_kg_week {
        return per_kg(r, 1);
    }
    if let Some(r) = &l.mg_per_kg_day {
        return per_kg(r, 7);
    }
    if l.weight_bands.is_some() || l.max_pubertal_mg_per_kg_week.is_some() {
        return Err(cx.err(
            span,
            "weight_bands and max_pubertal_mg_per_kg_week need a mg/kg range",
        ));
    }
    if l.max_mg_per_kg_week.is_some() && l.mg_per_day.is_none() {
        return Err(cx.err(
            span,
            "max_mg_per_kg_week needs mg_per_day (an adult daily label)",
        ));
    }
    if let Some(r) = &l.mg_per_day {
        let min = mass(cx, r.min, span, "mg_per_day.min")?;
        let max = mass(cx, r.max, span, "mg_per_day.max")?;
        if min > max {
            return Err(cx.err(span, format!("mg_per_day: min ({min}) exceeds max ({max})")));
        }
        let max_per_kg = match l.max_mg_per_kg_week {
            None => None,
            Some(x) => Some(intensity(cx, x, span, "max_mg_per_kg_week")?),
        };
        return Ok(LabelDosing::Daily {
            min,
            max,
            max_per_kg,
        });
    }
    let id = l.adult_weekly.as_deref().unwrap_or_default();
    tables
        .weekly
        .get(id)
        .map(|w| LabelDosing::AdultWeekly((*w).clone()))
        .ok_or_else(|| cx.err(span, format!("unknown adult_weekly table '{id}'")))
}
