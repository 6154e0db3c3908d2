//! Weekly analogues in children: the label's own mg/kg/week (never converted
//! from daily somatropin), or its weight-band table of cartridges; at a visit
//! the product's IGF-1 rule (a percentage reduction, or whole cartridge
//! strengths by IGF-1 SDS).

use super::weight_based::{Igf1Rule, chosen_intensity, igf1_step, intensity_now};
use super::{Ctx, Proposal, Visit, action_for, weekly_dose, weight_of};
use crate::dosing::dates;
use crate::dosing::device::Target;
use crate::dosing::error::{Error, Field, Result};
use crate::dosing::igf1::{Igf1, fmt_sds};
use crate::dosing::outcome::{Deliverable, Dose, LabelRange, Span};
use crate::dosing::patient::Patient;
use crate::dosing::product::{OnProduct, injections, outside_ages};
use crate::dosing::range::{span_text, weight_range};
use crate::dosing::request::StartRequest;
use crate::dosing::trail::Notes;
use crate::rules::WeightBased;
use crate::rules::products::{BandTable, Label, LabelDosing, Product};
use crate::units::{Exact, Grams, Micrograms, NgPerKg};
use crate::vocab::{Action, FlagCode};

/// The weight-based label of a weekly product for the indication.
struct WeeklyLabel<'a> {
    label: &'a Label,
    min: Option<NgPerKg>,
    max: NgPerKg,
    bands: Option<&'a BandTable>,
}

fn weekly_label<'a>(cx: &Ctx, on: &OnProduct<'a>, derive: bool) -> Result<WeeklyLabel<'a>> {
    match on.label.map(|l| (l, &l.dosing)) {
        Some((label, LabelDosing::WeightBased { min, max, bands })) => Ok(WeeklyLabel {
            label,
            min: *min,
            max: *max,
            bands: bands.as_ref(),
        }),
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

/// Cites the label and checks the ages it covers.
fn label_ages(cx: &mut Ctx, product: &Product, l: &WeeklyLabel, p: &Patient) -> bool {
    cx.notes.cite(&l.label.cited.sources);
    match outside_ages(l.label, p) {
        Some(why) => {
            cx.notes
                .off_label(format!("{} is {why}: off-label by age", product.name));
            false
        }
        None => true,
    }
}

/// The starting dose.
pub fn start(cx: &mut Ctx, on: &OnProduct, p: &Patient, req: &StartRequest) -> Result<Proposal> {
    let product = on.product;
    let weight = weight_of(p, cx.ind)?;
    injections(cx.subject, &product.injections_per_week, 1, &product.id)?;
    let l = weekly_label(cx, on, true)?;
    on.note(cx.notes);
    let labelled = label_ages(cx, product, &l, p);
    cx.notes.why(format!(
        "{} label ({}, grade {}): {} {}",
        product.name,
        l.label.region,
        l.label.cited.grade,
        span_text(l.min, l.max, "mg/kg/week"),
        product.molecule
    ));
    let as_label = WeightBased {
        min: l.min,
        max: l.max,
        start: l.min.unwrap_or(l.max),
        ceiling: l.max,
        ceiling_note: None,
        overrides: Vec::new(),
        daily_cap: None,
    };
    let intensity = match req.chosen {
        Some(c) => chosen_intensity(c, &product.id, &as_label, (l.min, l.max), cx.notes)?,
        None => as_label.start,
    };
    let weekly = intensity.times(weight);
    let exact = Exact::per_injection(intensity, weight, 1);
    cx.notes.why(format!(
        "{intensity} mg/kg/week x {weight} kg = {weekly} mg/week, one injection a week"
    ));
    let range = weight_range(l.min, l.max, weight, 1);
    let label_range = Some(LabelRange {
        region: l.label.region,
        mg_per_kg_per_week: Some(Span {
            min: l.min,
            max: l.max,
        }),
        mg_per_day: None,
        mg_per_week: range.mg_per_week,
    });
    let mut dose = Dose {
        mg_per_week: weekly,
        mg_per_kg_per_week: Some(intensity),
        injections_per_week: 1,
        mg_per_injection: exact.round(),
        iu_per_injection: None,
        deliverable: None,
    };
    let mut target = Some(Target {
        dose: exact,
        lo: l.min.map(|m| Exact::per_injection(m, weight, 1)),
        hi: Exact::per_injection(l.max, weight, 1),
        injections_per_week: 1,
    });
    if let Some(table) = l.bands {
        dose.deliverable = band_dose(cx, on, table, weight, weekly)?;
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
    })
}

/// The cartridge dose of a weight-band table for a weight.
fn band_dose(
    cx: &mut Ctx,
    on: &OnProduct,
    table: &BandTable,
    weight: Grams,
    weekly: Micrograms,
) -> Result<Option<Deliverable>> {
    let product = on.product;
    cx.notes.cite(&table.cited.sources);
    let Some(band) = table.band(weight) else {
        let (first, last) = (table.bands.first(), table.bands.last());
        return Err(Error::says(
            Field::WeightKg,
            format!(
                "{weight} is outside the {} weight-band table ({}-{} kg); no cartridge dose is labelled for this weight",
                product.name,
                first.map(|b| b.from.to_string()).unwrap_or_default(),
                last.map(|b| b.to.to_string()).unwrap_or_default()
            ),
        ));
    };
    if on.device.is_some() {
        return Err(Error::says(
            Field::Device,
            format!(
                "does not apply to {}: the weight-band table sets the cartridge",
                product.id
            ),
        ));
    }
    let per_cartridge = Micrograms(band.per_week.0 / i64::from(band.cartridges.max(1)));
    cx.notes.why(format!(
        "weight band {}-{} kg: {} mg/week = {} x {per_cartridge} mg cartridge (label table)",
        band.from, band.to, band.per_week, band.cartridges
    ));
    let Some(d) = product.devices.iter().find(|d| d.strength == per_cartridge) else {
        cx.notes.raise(FlagCode::DeviceCannotDeliver);
        return Ok(None);
    };
    cx.notes.cite(&d.cited.sources);
    let eff = NgPerKg::of(band.per_week, weight);
    cx.notes.why(format!(
        "{} mg/week / {weight} kg = {eff} mg/kg/week delivered",
        band.per_week
    ));
    Ok(Some(Deliverable {
        mg_per_injection: per_cartridge,
        mg_per_week: band.per_week,
        mg_per_kg_per_week: Some(eff),
        device: d.id.clone(),
        device_name: d.name.clone(),
        increment_mg: None,
        injections_per_dose: band.cartridges,
        volume_ml: d.volume_for(per_cartridge),
        difference_mg_per_week: (band.per_week.0 - weekly.0) as f64 / 1000.0,
    }))
}

/// The decision at a visit.
pub fn titrate(cx: &mut Ctx, on: &OnProduct, p: &mut Patient, v: &Visit) -> Result<Proposal> {
    let product = on.product;
    let weight = weight_of(p, cx.ind)?;
    let l = weekly_label(cx, on, false)?;
    let now = weekly_dose(v.current, &product.id)?;
    on.note(cx.notes);
    let labelled = label_ages(cx, product, &l, p);
    cx.notes
        .why(format!("current dose {now} mg/week of {}", product.name));
    let rules = cx.rules;
    let t = &rules.titration.pediatric_daily;
    let (new, recheck) = match l.bands {
        Some(table) => skytrofa_step(product, table, now, weight, &v.igf1, cx.notes)?,
        None => {
            let intensity =
                intensity_now(v, now, weight, (l.min, l.max, l.max), p, rules, cx.notes)?;
            let rescaled = intensity.times(weight);
            cx.notes.why(format!(
                "{intensity} mg/kg/week x {weight} kg = {rescaled} mg/week"
            ));
            let rule = match product.reduce_above_sds {
                Some(r) => Igf1Rule {
                    ceiling: r.sds,
                    low: t.low_sds,
                    reduce: r.percent,
                },
                None => {
                    cx.notes.why(format!("{}: no IGF-1 reduction rule in the label read; the rule set's pediatric rule applies", product.name));
                    Igf1Rule {
                        ceiling: t.ceiling_sds,
                        low: t.low_sds,
                        reduce: t.reduce_above_ceiling,
                    }
                }
            };
            igf1_step(rescaled, (l.max, weight), &v.igf1, rule, cx.notes)
        }
    };
    let action = if recheck {
        Action::Recheck
    } else {
        action_for(now, new)
    };
    let review = if recheck {
        v.req
            .last_injection
            .zip(product.igf1_sample_days)
            .map(|(last, w)| dates::next_window(last, cx.subject.as_of, w))
    } else {
        dates::review(rules, &t.review, cx.subject.as_of, cx.notes)
    };
    let skytrofa = l.bands.is_some();
    Ok(Proposal {
        action,
        dose: Dose {
            mg_per_week: new,
            mg_per_kg_per_week: Some(NgPerKg::of(new, weight)),
            injections_per_week: 1,
            mg_per_injection: new,
            iu_per_injection: None,
            deliverable: None,
        },
        range: weight_range(l.min, l.max, weight, 1),
        label_range: None,
        target: (!skytrofa).then_some(Target {
            dose: Exact::ug(new),
            lo: Some(Exact::ug(new.min(l.min.map_or(new, |m| m.times(weight))))),
            hi: Exact::ug(new.max(l.max.times(weight))),
            injections_per_week: 1,
        }),
        review,
        group: None,
        labelled,
    })
}

/// Skytrofa: move whole strengths of the weight-band dose list by IGF-1 SDS
/// (EU table); inside -2..+2 follow the weight band for the current weight.
fn skytrofa_step(
    product: &Product,
    table: &BandTable,
    now: Micrograms,
    weight: Grams,
    igf1: &Igf1,
    notes: &mut Notes,
) -> Result<(Micrograms, bool)> {
    notes.cite(&table.cited.sources);
    let doses: Vec<Micrograms> = table.bands.iter().map(|b| b.per_week).collect();
    if igf1.mistimed {
        return Ok((now, true));
    }
    let steps = igf1.sds.and_then(|s| {
        product
            .igf1_strength_steps
            .iter()
            .find(|x| s > x.sds_above)
            .map(|x| (s, x.steps))
    });
    match steps {
        Some((s, k)) if k != 0 => {
            let idx = doses
                .iter()
                .enumerate()
                .min_by_key(|(_, d)| (d.0 - now.0).abs())
                .map_or(0, |(i, _)| i);
            let Some(from) = doses.get(idx).copied() else {
                return Ok((now, false));
            };
            if from != now {
                notes.why(format!(
                    "{now} mg/week is not a table dose; nearest table dose {from} mg/week"
                ));
            }
            let last = doses.len().saturating_sub(1);
            let to_idx = usize::try_from((idx as i64).saturating_add(i64::from(k)).max(0))
                .unwrap_or(0)
                .min(last);
            let to = doses.get(to_idx).copied().unwrap_or(from);
            notes.why(format!(
                "IGF-1 SDS {} (average): move {k} strength(s): {from} -> {to} mg/week",
                fmt_sds(s)
            ));
            notes.raise(if k > 0 {
                FlagCode::Igf1LowOnTreatment
            } else {
                FlagCode::Igf1AboveRange
            });
            Ok((to, false))
        }
        _ => match table.band(weight) {
            Some(b) => {
                notes.why(format!(
                    "weight band {}-{} kg: {} mg/week",
                    b.from, b.to, b.per_week
                ));
                Ok((b.per_week, false))
            }
            None => Err(Error::says(
                Field::WeightKg,
                format!("{weight} is outside the {} weight-band table", product.name),
            )),
        },
    }
}

#[cfg(test)]
mod tests {
    use crate::dosing::test_support::*;
    use crate::units::Micrograms;
    use crate::vocab::{Action, FlagCode};

    #[test]
    fn ngenla_50_kg_is_33_mg_as_two_injections() {
        let mut q = child("ghd", 50.0);
        q.subject.product.product = Some("ngenla".into());
        let o = start_ok(q);
        let d = o.recommendation.dose.unwrap();
        assert_eq!(d.mg_per_week, Micrograms(33_000));
        let x = d.deliverable.unwrap();
        assert_eq!((x.device.as_str(), x.injections_per_dose), ("ngenla-60", 2));
        assert_eq!(x.mg_per_injection, Micrograms(16_500));
    }

    #[test]
    fn skytrofa_uses_the_weight_band_cartridges() {
        let mut q = child("ghd", 65.0);
        q.subject.product.product = Some("skytrofa".into());
        let d = start_ok(q)
            .recommendation
            .dose
            .unwrap()
            .deliverable
            .unwrap();
        assert_eq!(
            (d.device.as_str(), d.injections_per_dose),
            ("skytrofa-7.6", 2)
        );
        assert_eq!(d.mg_per_week, Micrograms(15_200));
    }

    #[test]
    fn a_weekly_product_not_labelled_is_refused() {
        let mut q = child("turner", 30.0);
        q.subject.product.product = Some("ngenla".into());
        assert!(start_err(q).contains("is not labelled for turner"));
    }

    #[test]
    fn ngenla_reduces_15_percent_above_plus_2() {
        let mut q = visit("ghd", 30.0, 19.8);
        q.subject.product.product = Some("ngenla".into());
        q.prescribed_mg_per_kg_week = Some(0.66);
        q.igf1 = Some(sds(2.5));
        q.igf1_date = Some(date("2026-11-20"));
        q.last_injection = Some(date("2026-11-16"));
        let o = titrate_ok(q);
        assert_eq!(o.recommendation.action, Action::Decrease);
        assert!(has(&o, FlagCode::Igf1AboveRange));
        // 0.66 x 30 = 19.8; x 0.85 = 16.83 mg/week target
        assert_eq!(
            o.recommendation.dose.unwrap().mg_per_week,
            Micrograms(16_830)
        );
    }

    #[test]
    fn skytrofa_moves_whole_strengths() {
        let mut q = visit("ghd", 30.0, 7.6);
        q.subject.product.product = Some("skytrofa".into());
        q.igf1 = Some(sds(3.5));
        q.igf1_date = Some(date("2026-11-20"));
        q.last_injection = Some(date("2026-11-16"));
        let o = titrate_ok(q);
        // +3..+4: down 2 strengths from 7.6: 6.3, 5.2.
        assert_eq!(o.recommendation.dose.unwrap().mg_per_week, Micrograms(5200));
        assert_eq!(o.recommendation.action, Action::Decrease);
    }
}
