//! The hard maximum a patient may receive a week, for each regimen and
//! route: the one table the regimens clamp to and the guard enforces.
//!
//! - children on daily somatropin: a derived intensity (from the current
//!   dose) up to the recommended range's maximum (the indication's, with the
//!   product label's); an explicit one (chosen at start, prescribed at a
//!   visit) up to the labelled ceiling: the product label's maximum when the
//!   product is labelled for the indication, else the indication's (the
//!   prepubertal ceiling unless `--pubertal`); and a regional per-day cap
//!   (EU Prader-Willi 2.7 mg/day) when that region's label applies;
//! - children on a weekly analogue: the label's mg/kg/week, or for a
//!   weight-band table the band's dose and one strength above it;
//! - adults on daily somatropin: the hard cap by weight and age;
//! - adults on a weekly analogue: the label's maximum (lower with moderate
//!   hepatic impairment).

use crate::dosing::device::OnProduct;
use crate::dosing::error::Result;
use crate::dosing::patient::Patient;
use crate::dosing::proposal::{Ctx, Kind, Limit, weight_of};
use crate::dosing::range::{adult_cap_on, recommended};
#[cfg(test)]
use crate::rules::Regimen;
use crate::rules::products::LabelDosing;
use crate::rules::{RuleSet, WeightBased};
use crate::units::{Micrograms, NgPerKg};
use crate::vocab::{Condition, FlagCode};

/// Whether an intensity was given explicitly (chosen or prescribed) or
/// derived from the current dose.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum IntensityOrigin {
    Derived,
    Explicit,
}

/// The limit for a patient on a regimen, with `n` injections a week.
pub(crate) fn limit(
    cx: &Ctx,
    kind: Kind,
    p: &Patient,
    n: u8,
    route: IntensityOrigin,
) -> Result<Limit> {
    Ok(match kind {
        Kind::WeightBased(wb) => weight_based(cx, wb, p, n, route)?,
        Kind::WeeklyPediatric(on) => weekly_pediatric(cx, on, p)?,
        Kind::AdultDaily(_) => {
            let age = crate::dosing::proposal::age_of(p, cx.ind)?;
            let t = &cx.rules.titration.adult_daily;
            let label = cx.on.and_then(|o| o.label);
            let ((cap, why), by_label) = adult_cap_on(p.weight, age, t, label);
            Limit {
                max_per_week: cap.times(i64::from(n)),
                why,
                sources: by_label.unwrap_or_else(|| t.cited.sources.clone()),
                flag: None,
            }
        }
        Kind::WeeklyAdult(on) => weekly_adult(on, p),
    })
}

/// The IGF-1 SDS at or above which a regimen never raises the dose.
pub(crate) fn igf1_ceiling(kind: Kind, rules: &RuleSet) -> f64 {
    let pediatric = rules.titration.pediatric_daily.ceiling_sds;
    match kind {
        Kind::AdultDaily(_) => rules.titration.adult_daily.ceiling_sds,
        Kind::WeightBased(_) => pediatric,
        Kind::WeeklyPediatric(on) => match on.product.reduce_above_sds {
            Some(r) => r.sds,
            None => on
                .product
                .igf1_strength_steps
                .iter()
                .filter(|s| s.steps < 0)
                .map(|s| s.sds_above)
                .fold(pediatric, f64::min),
        },
        Kind::WeeklyAdult(on) => match on.label.map(|l| &l.dosing) {
            Some(LabelDosing::AdultWeekly(aw)) => aw.target.max,
            _ => rules.titration.adult_daily.ceiling_sds,
        },
    }
}

/// The review after a dose change, for a regimen.
pub(crate) fn after_change<'a>(kind: Kind<'a>, rules: &'a RuleSet) -> &'a str {
    match kind {
        Kind::AdultDaily(_) => &rules.titration.adult_daily.review_after_change,
        Kind::WeightBased(_) | Kind::WeeklyPediatric(_) => &rules.titration.pediatric_daily.review,
        Kind::WeeklyAdult(on) => match on.label.map(|l| &l.dosing) {
            Some(LabelDosing::AdultWeekly(aw)) => &aw.review_after_change,
            _ => &rules.titration.adult_daily.review_after_change,
        },
    }
}

/// The highest intensity a child may receive: `(intensity, why, sources)`.
pub(crate) fn child_ceiling(
    cx: &Ctx,
    wb: &WeightBased,
    p: &Patient,
    route: IntensityOrigin,
) -> (NgPerKg, String, Vec<String>) {
    let label = cx.on.and_then(|o| o.label.map(|l| (o, l)));
    let weight_label = label.and_then(|(o, l)| match &l.dosing {
        LabelDosing::WeightBased {
            min,
            max,
            max_pubertal,
            ..
        } => Some((o, l, *min, *max, *max_pubertal)),
        _ => None,
    });
    match (route, weight_label) {
        (IntensityOrigin::Derived, _) => {
            let (_, max, _) = recommended(wb, weight_label.map(|(_, _, lo, hi, _)| (lo, hi)));
            (
                max,
                "the recommended maximum".to_string(),
                cx.ind.cited.sources.clone(),
            )
        }
        (IntensityOrigin::Explicit, Some((o, l, _, max, pubertal))) => {
            let m = match pubertal {
                Some(x) if p.pubertal => x,
                _ => max,
            };
            (
                m,
                format!("the {} label's maximum ({})", o.product.name, l.region),
                l.cited.sources.clone(),
            )
        }
        (IntensityOrigin::Explicit, None) => {
            let m = wb.ceiling_for(p.pubertal);
            let why = if m < wb.ceiling {
                format!(
                    "the highest labelled prepubertal dose (--pubertal: up to {})",
                    wb.ceiling
                )
            } else {
                "the highest labelled dose".to_string()
            };
            (m, why, cx.ind.cited.sources.clone())
        }
    }
}

fn weight_based(
    cx: &Ctx,
    wb: &WeightBased,
    p: &Patient,
    n: u8,
    route: IntensityOrigin,
) -> Result<Limit> {
    let weight = weight_of(p, cx.ind)?;
    let (m, why, sources) = child_ceiling(cx, wb, p, route);
    let mut limit = Limit {
        max_per_week: m.times(weight),
        why: format!(
            "{why}, {m} mg/kg/week x {weight} kg = {} mg/week",
            m.times(weight)
        ),
        sources,
        flag: None,
    };
    if let Some(cap) = &wb.daily_cap
        && cap.region == cx.subject.product.region
    {
        let week = cap.per_day.times(i64::from(n));
        limit = limit.min(Limit {
            max_per_week: week,
            why: format!(
                "the {} cap of {} mg/day x {n} injections = {week} mg/week",
                cap.region, cap.per_day
            ),
            sources: cap.cited.sources.clone(),
            flag: Some(FlagCode::PwsEuDailyCap),
        });
    }
    Ok(limit)
}

fn weekly_pediatric(cx: &Ctx, on: &OnProduct, p: &Patient) -> Result<Limit> {
    let weight = weight_of(p, cx.ind)?;
    let Some((label, LabelDosing::WeightBased { max, bands, .. })) =
        on.label.map(|l| (l, &l.dosing))
    else {
        return Ok(Limit {
            max_per_week: Micrograms(0),
            why: format!("{} is not labelled for {}", on.product.name, cx.ind.id),
            sources: Vec::new(),
            flag: None,
        });
    };
    if let Some(table) = bands {
        let doses: Vec<Micrograms> = table.bands.iter().map(|b| b.per_week).collect();
        let band = table.band(weight).map(|b| b.per_week);
        let at = band.and_then(|b| doses.iter().position(|d| *d == b));
        let top = at
            .and_then(|i| doses.get(i + 1).or(doses.get(i)))
            .copied()
            .unwrap_or_default();
        return Ok(Limit {
            max_per_week: top,
            why: format!(
                "the {} weight-band dose for {weight} kg and one strength above it: {top} mg/week",
                on.product.name
            ),
            sources: table.cited.sources.clone(),
            flag: None,
        });
    }
    Ok(Limit {
        max_per_week: max.times(weight),
        why: format!(
            "the {} label's {max} mg/kg/week x {weight} kg = {} mg/week",
            on.product.name,
            max.times(weight)
        ),
        sources: label.cited.sources.clone(),
        flag: None,
    })
}

fn weekly_adult(on: &OnProduct, p: &Patient) -> Limit {
    let Some((label, LabelDosing::AdultWeekly(aw))) = on.label.map(|l| (l, &l.dosing)) else {
        return Limit {
            max_per_week: Micrograms(0),
            why: format!("{} has no adult label here", on.product.name),
            sources: Vec::new(),
            flag: None,
        };
    };
    let (max, why) = if p.has(Condition::HepaticImpairmentModerate) {
        (aw.hepatic_moderate_max, "with moderate hepatic impairment")
    } else {
        (aw.max, "")
    };
    Limit {
        max_per_week: max,
        why: format!(
            "the {} label's maximum {max} mg/week{}{why}",
            on.product.name,
            if why.is_empty() { "" } else { " " }
        ),
        sources: label.cited.sources.clone(),
        flag: None,
    }
}

#[cfg(test)]
mod tests;
