//! Weekly analogues in children: the label's own mg/kg/week (never converted
//! from daily somatropin), or its weight-band table of cartridges; at a visit
//! the product's IGF-1 rule: a percentage reduction of the current dose
//! (Ngenla), or whole cartridge strengths by IGF-1 SDS on a band table
//! ([`band_step`]: Skytrofa; inside -2..+2 the current strength is kept).

use super::weight_based::{
    Bounds, Doses, Igf1Rule, Known, ReviewId, Step, chosen_intensity, igf1_step, intensity_now,
};
use super::{Visit, weekly_dose};
use crate::dosing::device::{OnProduct, Target, injections, outside_ages};
use crate::dosing::error::{Error, Field, Result, msg};
use crate::dosing::guard::{IntensityOrigin, limit};
use crate::dosing::outcome::{Deliverable, Dose, DoseRange, LabelRange, RangeBasis, Span};
use crate::dosing::patient::{NextReview, Patient, PreviousWeight};
use crate::dosing::patient::{dates_next_window, dates_review};
use crate::dosing::proposal::{Ctx, Kind, Proposal, Raise, action_for, weight_of};
use crate::dosing::range::{span_text, weight_range};
use crate::dosing::request::StartRequest;
use crate::rules::products::{Band, BandTable, Label, LabelDosing, Product};
use crate::units::{Exact, Grams, Micrograms, NgPerKg, years};
use crate::vocab::{Action, FlagCode};

mod band_step;
#[cfg(test)]
mod tests;

use band_step::band_table_step;

/// The weight-based label of a weekly product for the indication.
struct WeeklyLabel<'a> {
    label: &'a Label,
    min: Option<NgPerKg>,
    max: NgPerKg,
    bands: Option<&'a BandTable>,
}

fn weekly_label<'a>(cx: &Ctx, on: &OnProduct<'a>, derive: bool) -> Result<WeeklyLabel<'a>> {
    match on.label.map(|l| (l, &l.dosing)) {
        Some((
            label,
            LabelDosing::WeightBased {
                min, max, bands, ..
            },
        )) => Ok(WeeklyLabel {
            label,
            min: *min,
            max: *max,
            bands: bands.as_ref(),
        }),
        _ if let Some(why) = on
            .product
            .not_encoded(&cx.ind.id, cx.subject.product.region) =>
        {
            Err(Error::says(
                Field::Product,
                format!("{} for {}: {why}", on.product.id, cx.ind.id),
            ))
        }
        _ => Err(Error::says(
            Field::Product,
            format!(
                "{} is not labelled for {} in the {} label{}",
                on.product.id,
                cx.ind.id,
                cx.subject.product.region,
                if derive {
                    ", and a weekly dose cannot be derived from the daily somatropin tables"
                } else {
                    ""
                }
            ),
        )),
    }
}

/// Cites the label and checks the ages it covers; a label with ages needs
/// the patient's.
fn label_ages(cx: &mut Ctx, product: &Product, l: &WeeklyLabel, p: &Patient) -> Result<bool> {
    cx.notes.cite(&l.label.cited.sources);
    let bounded = l.label.min_age_years.is_some() || l.label.max_age_years.is_some();
    if bounded && p.age_exact.is_none() {
        let from = l
            .label
            .min_age_years
            .map(|a| format!("labelled from {}", years(a)))
            .unwrap_or_else(|| "labelled by age".into());
        return Err(Error::new(
            Field::AgeYears,
            msg![
                Field::AgeYears,
                " or ",
                Field::BirthDate,
                format!(
                    " is required for {} ({from}; the age is checked)",
                    product.id
                )
            ],
        ));
    }
    match outside_ages(l.label, p) {
        Some(why) => {
            cx.notes
                .off_label(format!("{} is {why}: off-label by age", product.name));
            Ok(false)
        }
        None => Ok(true),
    }
}

/// The starting dose.
pub(crate) fn start(
    cx: &mut Ctx,
    on: &OnProduct,
    p: &Patient,
    req: &StartRequest,
) -> Result<Proposal> {
    let product = on.product;
    let weight = weight_of(p, cx.ind)?;
    injections(cx.subject, &product.injections_per_week, 1, &product.id)?;
    let l = weekly_label(cx, on, true)?;
    on.note(cx.notes);
    let labelled = label_ages(cx, product, &l, p)?;
    cx.notes.why(format!(
        "{} label ({}, grade {}): {} {}",
        product.name,
        l.label.region,
        l.label.cited.grade,
        span_text(l.min, l.max, "mg/kg/week"),
        product.molecule
    ));
    let intensity = start_intensity(cx, product, &l, req)?;
    let weekly = intensity.times(weight);
    let exact = Exact::per_injection(intensity, weight, 1);
    cx.notes.why(format!(
        "{intensity} mg/kg/week x {weight} kg = {weekly} mg/week, one injection a week"
    ));
    let mut range = weight_range(l.min, l.max, weight, 1);
    let label_range = Some(LabelRange {
        region: l.label.region,
        mg_per_kg_per_week: Some(Span {
            min: l.min,
            max: l.max,
        }),
        mg_per_day: None,
        mg_per_week: range.mg_per_week,
    });
    let mut dose = weekly_dose_of(weekly, weight);
    let mut target = Some(Target {
        dose: exact,
        lo: l.min.map(|m| Exact::per_injection(m, weight, 1)),
        hi: Exact::per_injection(l.max, weight, 1),
        injections_per_week: 1,
        toward: None,
    });
    if let Some(table) = l.bands {
        let band = band_of(cx, on, table, weight)?;
        dose.deliverable = band_dose(cx, on, band.per_week, Some(band), weight, weekly)?;
        range = band_range(band, weight);
        target = None;
    }
    Ok(Proposal {
        action: Action::Start,
        dose,
        range,
        label_range,
        target,
        review: None,
        group: None,
        labelled,
        raise: None,
        limit: limit(
            cx,
            Kind::WeeklyPediatric(on),
            p,
            1,
            IntensityOrigin::Explicit,
        )?,
    })
}

/// The intensity a start doses: a chosen one within the label's, else the
/// label's lowest (its only one when it states one).
fn start_intensity(
    cx: &mut Ctx,
    product: &Product,
    l: &WeeklyLabel,
    req: &StartRequest,
) -> Result<NgPerKg> {
    Ok(match req.chosen {
        Some(c) => {
            let bounds = Bounds {
                min: l.min,
                max: l.max,
                ceiling: l.max,
                why: format!("the {} label's dose", product.name),
                note: None,
            };
            chosen_intensity(c, &product.id, &bounds, cx.notes)?
        }
        None => l.min.unwrap_or(l.max),
    })
}

fn weekly_dose_of(weekly: Micrograms, weight: Grams) -> Dose {
    Dose {
        mg_per_week: weekly,
        mg_per_kg_per_week: Some(NgPerKg::of(weekly, weight)),
        injections_per_week: 1,
        mg_per_injection: weekly,
        iu_per_injection: None,
        deliverable: None,
    }
}

/// A weight band's dose as the range (the label's table, not mg/kg x weight).
fn band_range(band: &Band, weight: Grams) -> DoseRange {
    let eff = NgPerKg::of(band.per_week, weight);
    let per = Micrograms(band.per_week.0 / i64::from(band.cartridges.max(1)));
    DoseRange {
        mg_per_kg_per_week: Some(Span {
            min: Some(eff),
            max: eff,
        }),
        mg_per_week: Some(Span {
            min: Some(band.per_week),
            max: band.per_week,
        }),
        mg_per_injection: Some(Span {
            min: Some(per),
            max: per,
        }),
        mg_per_day: None,
        basis: RangeBasis::WeightBand,
    }
}

/// The band of the table a weight falls in; outside the table it is refused.
fn band_of<'a>(
    cx: &mut Ctx,
    on: &OnProduct,
    table: &'a BandTable,
    weight: Grams,
) -> Result<&'a Band> {
    cx.notes.cite(&table.cited.sources);
    let band = table.band(weight).ok_or_else(|| {
        let (first, last) = (table.bands.first(), table.bands.last());
        Error::says(
            Field::WeightKg,
            format!(
                "{weight} is outside the {} weight-band table ({}-{} kg); no cartridge dose is labelled for this weight",
                on.product.name,
                first.map(|b| b.from.to_string()).unwrap_or_default(),
                last.map(|b| b.to.to_string()).unwrap_or_default()
            ),
        )
    })?;
    if on.device.is_some() {
        return Err(Error::says(
            Field::Device,
            format!(
                "does not apply to {}: the weight-band table sets the cartridge",
                on.product.id
            ),
        ));
    }
    Ok(band)
}

/// The cartridges of a table dose (the band's split, or one cartridge up to
/// the largest strength and two equal ones above it).
fn band_dose(
    cx: &mut Ctx,
    on: &OnProduct,
    per_week: Micrograms,
    band: Option<&Band>,
    weight: Grams,
    target: Micrograms,
) -> Result<Option<Deliverable>> {
    let product = on.product;
    let split = |k: u8| Micrograms(per_week.0 / i64::from(k.max(1)));
    let fits = |k: u8| {
        per_week.0 % i64::from(k) == 0 && product.devices.iter().any(|d| d.strength == split(k))
    };
    let cartridges = match band {
        Some(b) => b.cartridges,
        None => (1..=product.max_injections_per_dose.max(1))
            .find(|k| fits(*k))
            .unwrap_or(1),
    };
    let per = split(cartridges);
    if let Some(b) = band {
        cx.notes.why(format!(
            "weight band {}-{} kg: {} mg/week = {} x {per} mg cartridge (label table)",
            b.from, b.to, b.per_week, b.cartridges
        ));
    }
    let Some(d) = product.devices.iter().find(|d| d.strength == per) else {
        cx.notes.raise(FlagCode::DeviceCannotDeliver);
        return Ok(None);
    };
    cx.notes.cite(&d.cited.sources);
    let eff = NgPerKg::of(per_week, weight);
    cx.notes.why(format!(
        "{per_week} mg/week / {weight} kg = {eff} mg/kg/week delivered"
    ));
    Ok(Some(Deliverable {
        mg_per_injection: per,
        mg_per_week: per_week,
        mg_per_kg_per_week: Some(eff),
        device: d.id.clone(),
        device_name: d.name.clone(),
        increment_mg: None,
        injections_per_dose: cartridges,
        volume_ml: d.volume_for(per),
        difference_mg_per_week: per_week.0.saturating_sub(target.0) as f64 / 1000.0,
        kind: d.kind,
    }))
}

/// The decision at a visit, with the previous weight the intensity was
/// derived from, if it was.
pub(crate) fn titrate(
    cx: &mut Ctx,
    on: &OnProduct,
    p: &Patient,
    v: &Visit,
) -> Result<(Proposal, Option<PreviousWeight>)> {
    let product = on.product;
    let weight = weight_of(p, cx.ind)?;
    let l = weekly_label(cx, on, false)?;
    let now = weekly_dose(v.current, &product.id)?;
    on.note(cx.notes);
    let labelled = label_ages(cx, product, &l, p)?;
    cx.notes
        .why(format!("current dose {now} mg/week of {}", product.name));
    let explicit = v.req.prescribed_mg_per_kg_week.is_some();
    let (step, raise, previous) = match l.bands {
        Some(table) => {
            let (step, raise) = band_table_step(cx, on, table, now, weight, &v.igf1)?;
            (step, raise, None)
        }
        None => label_step(cx, on, &l, (now, weight), v)?,
    };
    let action = if step.recheck {
        Action::Recheck
    } else {
        action_for(now, step.new)
    };
    let review = review_after(cx, product, &step, v);
    let (dose, range, target) = titrated_dose(cx, on, &l, step.new, weight)?;
    let proposal = Proposal {
        action,
        dose,
        range,
        label_range: None,
        target,
        review,
        group: None,
        labelled,
        raise,
        limit: limit(
            cx,
            Kind::WeeklyPediatric(on),
            p,
            1,
            if explicit {
                IntensityOrigin::Explicit
            } else {
                IntensityOrigin::Derived
            },
        )?,
    };
    Ok((proposal, previous))
}

/// A label without a band table: the intensity now rescaled to today's
/// weight, then the product's IGF-1 reduction rule (or the rule set's
/// pediatric one when the label has none). With the previous weight the
/// intensity was derived from, if it was.
fn label_step(
    cx: &mut Ctx,
    on: &OnProduct,
    l: &WeeklyLabel,
    (now, weight): (Micrograms, Grams),
    v: &Visit,
) -> Result<(Step, Option<Raise>, Option<PreviousWeight>)> {
    let product = on.product;
    let rules = cx.rules;
    let t = &rules.titration.pediatric_daily;
    let known = Known {
        min: l.min,
        max: l.max,
        ceiling: l.max,
    };
    let (intensity, previous) = intensity_now(v, now, weight, known, rules, cx.notes)?;
    let rescaled = intensity.times(weight);
    cx.notes.why(format!(
        "{intensity} mg/kg/week x {weight} kg = {rescaled} mg/week"
    ));
    let rule = match product.reduce_above_sds {
        Some(r) => Igf1Rule {
            ceiling: r.sds,
            low: t.low_sds,
            reduce: r.percent,
            beyond: rules.plausibility.igf1_sds_beyond,
        },
        None => {
            cx.notes.why(format!("{}: no IGF-1 reduction rule in the label read; the rule set's pediatric rule applies (a protocol row, grade {}, adapted from the labels it cites)", product.name, t.cited.grade));
            cx.notes.cite(&t.cited.sources);
            Igf1Rule {
                ceiling: t.ceiling_sds,
                low: t.low_sds,
                reduce: t.reduce_above_ceiling,
                beyond: rules.plausibility.igf1_sds_beyond,
            }
        }
    };
    let grows = v.req.prescribed_mg_per_kg_week.is_some() || v.req.previous_weight_kg.is_some();
    let step = igf1_step(
        Doses { now, rescaled },
        (l.max, weight),
        &v.igf1,
        rule,
        cx.notes,
    );
    Ok((step, grows.then_some(Raise::Growth(rescaled)), previous))
}

/// The next review: a recheck waits for the product's sampling window after
/// the last injection; otherwise the rule set's review (or the early repeat
/// of an implausible IGF-1).
fn review_after(cx: &mut Ctx, product: &Product, step: &Step, v: &Visit) -> Option<NextReview> {
    let rules = cx.rules;
    if step.recheck && step.review.is_none() {
        return v
            .req
            .last_injection
            .zip(product.igf1_sample_days)
            .map(|(last, w)| dates_next_window(last, cx.subject.as_of, w));
    }
    let id = match step.review {
        Some(ReviewId::Repeat) => &rules.plausibility.igf1_repeat_review,
        None => &rules.titration.pediatric_daily.review,
    };
    dates_review(rules, id, cx.subject.as_of, cx.notes)
}

/// The new dose with its range and rounding target: a band table's
/// cartridges and band, or the label's mg/kg range at today's weight.
fn titrated_dose(
    cx: &mut Ctx,
    on: &OnProduct,
    l: &WeeklyLabel,
    new: Micrograms,
    weight: Grams,
) -> Result<(Dose, DoseRange, Option<Target>)> {
    let mut dose = weekly_dose_of(new, weight);
    let mut range = weight_range(l.min, l.max, weight, 1);
    let target = match l.bands {
        Some(table) => {
            dose.deliverable = band_dose(cx, on, new, None, weight, new)?;
            if let Some(b) = table.band(weight) {
                range = band_range(b, weight);
            }
            None
        }
        None => Some(Target {
            dose: Exact::ug(new),
            lo: Some(Exact::ug(new.min(l.min.map_or(new, |m| m.times(weight))))),
            hi: Exact::ug(new.max(l.max.times(weight))),
            injections_per_week: 1,
            toward: None,
        }),
    };
    Ok((dose, range, target))
}
