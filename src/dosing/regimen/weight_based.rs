//! Daily somatropin in children: mg/kg/week from the indication's range,
//! intersected with the product label's; at a visit the same intensity on
//! the new weight, reduced when IGF-1 is above the ceiling, never raised
//! automatically when it is low.

use super::{Ctx, Proposal, Visit, action_for, current_weekly, weight_of};
use crate::dosing::device::Target;
use crate::dosing::error::{Error, Result};
use crate::dosing::igf1::{Igf1, fmt_sds};
use crate::dosing::outcome::{Dose, LabelRange, Span};
use crate::dosing::patient::{Patient, check};
use crate::dosing::product::{daily_injections, label_check, outside_ages};
use crate::dosing::range::{span_text, weight_range};
use crate::dosing::request::{Chosen, StartRequest};
use crate::dosing::trail::Notes;
use crate::dosing::{dates, error::Field};
use crate::rules::WeightBased;
use crate::rules::products::LabelDosing;
use crate::units::{
    Exact, Grams, Micrograms, MilliIu, NgPerKg, Percent, div_round, fmt_decimal, round_to, saturate,
};
use crate::vocab::{Action, FlagCode, Molecule};

/// The recommended range after the product label, and whether it is labelled.
struct OnLabel {
    min: Option<NgPerKg>,
    max: NgPerKg,
    labelled: bool,
    label_range: Option<LabelRange>,
}

/// The starting dose.
pub fn start(cx: &mut Ctx, wb: &WeightBased, p: &Patient, req: &StartRequest) -> Result<Proposal> {
    let ind = cx.ind;
    let weight = weight_of(p, ind)?;
    cx.notes.cite(&ind.cited.sources);
    let n = daily_injections(cx.subject, cx.on, ind, cx.rules)?;
    cx.notes.why(format!(
        "{}: recommended {} (grade {}); suggested start {} mg/kg/week",
        ind.id,
        span_text(wb.min, wb.max, "mg/kg/week"),
        ind.cited.grade,
        wb.start
    ));
    let l = on_label(cx, wb, p, weight);
    let (min, max) = (l.min, l.max);
    let intensity = match req.chosen {
        Some(c) => chosen_intensity(c, &ind.id, wb, (min, max), cx.notes)?,
        None => suggested(wb, p, (min, max), cx.notes),
    };
    let weekly = intensity.times(weight);
    let exact = Exact::per_injection(intensity, weight, n);
    let per_inj = exact.round();
    cx.notes.why(format!(
        "{intensity} mg/kg/week x {weight} kg = {weekly} mg/week"
    ));
    cx.notes
        .why(format!("{weekly} mg / {n} injections = {per_inj} mg"));
    let milli_iu = somatropin_iu(cx, exact, per_inj);
    if let Some(cap) = &wb.daily_cap
        && per_inj > cap.per_day
    {
        cx.notes.raise(FlagCode::PwsEuDailyCap);
        cx.notes.cite(&cap.cited.sources);
        cx.notes.why(format!(
            "{per_inj} mg per daily injection is above the {} cap of {} mg/day",
            cap.region, cap.per_day
        ));
    }
    // Device rounding stays inside the range, widened to the dose itself when
    // a clinician chose a dose outside it.
    let lo = min
        .map(|m| m.min(intensity))
        .map(|m| Exact::per_injection(m, weight, n));
    let hi = Exact::per_injection(max.max(intensity), weight, n);
    Ok(Proposal {
        action: Action::Start,
        dose: Dose {
            mg_per_week: weekly,
            mg_per_kg_per_week: Some(intensity),
            injections_per_week: n,
            mg_per_injection: per_inj,
            iu_per_injection: milli_iu,
            deliverable: None,
        },
        range: weight_range(min, max, weight, n),
        label_range: l.label_range,
        target: Some(Target {
            dose: exact,
            lo,
            hi,
            injections_per_week: n,
        }),
        review: None,
        group: None,
        labelled: l.labelled,
    })
}

/// IU per injection for daily somatropin (not for other molecules).
fn somatropin_iu(cx: &mut Ctx, exact: Exact, per_inj: Micrograms) -> Option<MilliIu> {
    let somatropin = cx
        .on
        .is_none_or(|o| o.product.molecule == Molecule::Somatropin);
    if !somatropin {
        return None;
    }
    let conv = &cx.rules.conventions;
    let m = iu(exact, conv.milli_iu_per_mg);
    cx.notes.cite(&conv.cited.sources);
    cx.notes.why(format!(
        "{per_inj} mg x {} IU/mg = {m} IU per injection",
        fmt_decimal(conv.milli_iu_per_mg, 3)
    ));
    Some(m)
}

/// IU per injection: per injection (exact) x IU/mg.
pub fn iu(target: Exact, milli_iu_per_mg: i64) -> MilliIu {
    MilliIu(saturate(div_round(
        target.num * i128::from(milli_iu_per_mg),
        target.den * 1000,
    )))
}

/// The generic range intersected with the product label's, with OFF_LABEL
/// when the product is not labelled for the indication, region or age.
fn on_label(cx: &mut Ctx, wb: &WeightBased, p: &Patient, weight: Grams) -> OnLabel {
    let mut out = OnLabel {
        min: wb.min,
        max: wb.max,
        labelled: true,
        label_range: None,
    };
    let Some(o) = cx.on else {
        return out;
    };
    let notes = &mut *cx.notes;
    match o.label.map(|l| (l, &l.dosing)) {
        Some((
            label,
            LabelDosing::WeightBased {
                min: lmin,
                max: lmax,
                ..
            },
        )) => {
            notes.cite(&label.cited.sources);
            out.label_range = Some(LabelRange {
                region: label.region,
                mg_per_kg_per_week: Some(Span {
                    min: *lmin,
                    max: *lmax,
                }),
                mg_per_day: None,
                mg_per_week: Some(Span {
                    min: lmin.map(|m| m.times(weight)),
                    max: lmax.times(weight),
                }),
            });
            let imin = match (wb.min, *lmin) {
                (Some(a), Some(b)) => Some(a.max(b)),
                (a, b) => a.or(b),
            };
            let imax = wb.max.min(*lmax);
            let label_text = span_text(*lmin, *lmax, "mg/kg/week");
            if imin.is_some_and(|m| m > imax) {
                // The product is labelled for the indication: its label wins over
                // the generic table (e.g. EU Prader-Willi 0.035 mg/kg/day = 0.245/week
                // against the generic 0.24).
                (out.min, out.max) = (*lmin, *lmax);
                notes.why(format!(
                    "{} label ({}, grade {}) {label_text} does not overlap the generic range: the label's range is used",
                    o.product.name, label.region, label.cited.grade
                ));
            } else {
                (out.min, out.max) = (imin, imax);
                notes.why(format!(
                    "{} label ({}, grade {}): {label_text}; recommended range with the label {}",
                    o.product.name,
                    label.region,
                    label.cited.grade,
                    span_text(out.min, out.max, "mg/kg/week")
                ));
            }
            if let Some(why) = outside_ages(label, p) {
                out.labelled = false;
                notes.off_label(format!("{} is {why}: off-label by age", o.product.name));
            }
        }
        _ => {
            out.labelled = false;
            notes.off_label(format!(
                "{} is not labelled for {} in the {} label: dose from the generic table",
                o.product.name, cx.ind.id, cx.subject.product.region
            ));
        }
    }
    o.note(notes);
    out
}

/// The suggested start (or its override), clamped into the range.
fn suggested(
    wb: &WeightBased,
    p: &Patient,
    (min, max): (Option<NgPerKg>, NgPerKg),
    notes: &mut Notes,
) -> NgPerKg {
    let hit = wb.overrides.iter().find(|o| {
        o.height_sds_below
            .is_some_and(|t| p.height_sds.is_some_and(|s| s < t))
            || o.pubertal.is_some_and(|want| want && p.pubertal)
    });
    let base = match hit {
        Some(o) => {
            notes.why(format!("start {} mg/kg/week: {}", o.intensity, o.reason));
            notes.cite(&o.cited.sources);
            o.intensity
        }
        None => wb.start,
    };
    let clamped = base.clamp(min.unwrap_or(base).min(max), max);
    if clamped != base {
        notes.why(format!(
            "start {base} mg/kg/week moved into the product range: {clamped} mg/kg/week"
        ));
    }
    clamped
}

/// A clinician-chosen intensity: refused above the labelled ceiling, flagged
/// outside the range.
pub fn chosen_intensity(
    chosen: Chosen,
    id: &str,
    wb: &WeightBased,
    (min, max): (Option<NgPerKg>, NgPerKg),
    notes: &mut Notes,
) -> Result<NgPerKg> {
    let per_day = chosen.field == Field::MgPerKgDay;
    let days = if per_day { 7 } else { 1 };
    let in_unit = |x: NgPerKg| NgPerKg(x.0 / days);
    let x = chosen.mg_per_kg_week;
    let given = round_to(x / f64::from(days as i32), 6);
    let Some(intensity) = NgPerKg::round_mg_per_kg(x).filter(|i| i.0 > 0) else {
        return Err(Error::says(
            chosen.field,
            format!(
                "must be a positive number up to {} for {id} (got {given})",
                in_unit(wb.ceiling)
            ),
        ));
    };
    if intensity > wb.ceiling {
        let note = wb
            .ceiling_note
            .as_ref()
            .map(|n| format!("; {n}"))
            .unwrap_or_default();
        return Err(Error::says(
            chosen.field,
            format!(
                "must be at most {} for {id}, the highest labelled dose (got {given}){note}",
                in_unit(wb.ceiling)
            ),
        ));
    }
    let how = if per_day {
        format!("{given} mg/kg/day (--mg-per-kg-day) x 7 = {intensity} mg/kg/week")
    } else {
        format!("{intensity} mg/kg/week (--mg-per-kg-week)")
    };
    notes.why(format!("chosen intensity {how}"));
    if intensity > max {
        notes.raise(FlagCode::DoseAboveRange);
        let note = wb
            .ceiling_note
            .as_ref()
            .map(|n| format!(" ({n})"))
            .unwrap_or_default();
        notes.why(format!(
            "{intensity} mg/kg/week is above the recommended maximum {max} mg/kg/week{note}"
        ));
    } else if let Some(m) = min.filter(|m| intensity < *m) {
        notes.why(format!(
            "{intensity} mg/kg/week is below the recommended minimum {m} mg/kg/week"
        ));
    }
    Ok(intensity)
}

/// The decision at a visit.
pub fn titrate(cx: &mut Ctx, wb: &WeightBased, p: &mut Patient, v: &Visit) -> Result<Proposal> {
    let rules = cx.rules;
    let t = &rules.titration.pediatric_daily;
    cx.notes.cite(&t.cited.sources);
    let weight = weight_of(p, cx.ind)?;
    let n = daily_injections(cx.subject, cx.on, cx.ind, rules)?;
    let now = current_weekly(v.current, n);
    cx.notes.why(format!(
        "current dose {now} mg/week ({n} injections a week)"
    ));
    let (min, max) = (wb.min, wb.max);
    let intensity = intensity_now(v, now, weight, (min, max, wb.ceiling), p, rules, cx.notes)?;
    if intensity > max {
        cx.notes.raise(FlagCode::DoseAboveRange);
        cx.notes.why(format!(
            "{intensity} mg/kg/week is above the recommended {}",
            span_text(min, max, "mg/kg/week")
        ));
    }
    let rescaled = intensity.times(weight);
    cx.notes.why(format!(
        "{intensity} mg/kg/week x {weight} kg = {rescaled} mg/week"
    ));
    let rule = Igf1Rule {
        ceiling: t.ceiling_sds,
        low: t.low_sds,
        reduce: t.reduce_above_ceiling,
    };
    let (new, recheck) = igf1_step(rescaled, (max, weight), &v.igf1, rule, cx.notes);
    let labelled = label_check(cx.on, cx.ind, cx.subject, cx.notes);
    let action = if recheck {
        Action::Recheck
    } else {
        action_for(now, new)
    };
    let review = dates::review(rules, &t.review, cx.subject.as_of, cx.notes);
    let exact = Exact {
        num: i128::from(new.0),
        den: i128::from(n),
    };
    let new_intensity = NgPerKg::of(new, weight);
    let lo = min.map(|m| Exact::per_injection(m.min(new_intensity), weight, n));
    let hi = Exact::per_injection(max.max(new_intensity).max(intensity), weight, n);
    let somatropin = cx
        .on
        .is_none_or(|o| o.product.molecule == Molecule::Somatropin);
    Ok(Proposal {
        action,
        dose: Dose {
            mg_per_week: new,
            mg_per_kg_per_week: Some(new_intensity),
            injections_per_week: n,
            mg_per_injection: exact.round(),
            iu_per_injection: somatropin.then(|| iu(exact, rules.conventions.milli_iu_per_mg)),
            deliverable: None,
        },
        range: weight_range(min, max, weight, n),
        label_range: None,
        target: Some(Target {
            dose: exact,
            lo,
            hi,
            injections_per_week: n,
        }),
        review,
        group: None,
        labelled,
    })
}

/// The intensity the child is on: prescribed, from the previous weight, or
/// from the current weight clamped into the range.
pub fn intensity_now(
    v: &Visit,
    weekly_now: Micrograms,
    weight: Grams,
    (min, max, ceiling): (Option<NgPerKg>, NgPerKg, NgPerKg),
    p: &mut Patient,
    rules: &crate::rules::RuleSet,
    notes: &mut Notes,
) -> Result<NgPerKg> {
    let req = v.req;
    if let Some(x) = req.prescribed_mg_per_kg_week {
        let i = NgPerKg::round_mg_per_kg(x).filter(|i| i.0 > 0 && *i <= ceiling);
        let Some(i) = i else {
            return Err(Error::says(
                Field::PrescribedMgPerKgWeek,
                format!(
                    "must be a positive number up to {ceiling} for {} (got {x})",
                    req.subject.indication
                ),
            ));
        };
        notes.why(format!(
            "prescribed intensity {i} mg/kg/week (--prescribed-mg-per-kg-week)"
        ));
        return Ok(i);
    }
    if let Some(prev) = req.previous_weight_kg {
        check(Field::PreviousWeightKg, prev, rules.limits.weight_kg, "kg")?;
        let g = Grams::from_kg(prev);
        p.previous_weight_kg = Some(g.kg());
        let change = (weight.0 - g.0) as f64 * 100.0 / g.0 as f64;
        if change.abs() > rules.plausibility.weight_change_percent {
            p.unusual.push(format!(
                "weight changed {}% since the previous visit ({g} -> {weight} kg; more than {}%)",
                round_to(change, 1),
                rules.plausibility.weight_change_percent
            ));
        }
        let i = NgPerKg::of(weekly_now, g);
        notes.why(format!(
            "intensity {weekly_now} mg/week / {g} kg (previous weight) = {i} mg/kg/week"
        ));
        return Ok(i);
    }
    let raw = NgPerKg::of(weekly_now, weight);
    let clamped = raw.clamp(min.unwrap_or(raw).min(max), max);
    notes.why(format!(
        "intensity {weekly_now} mg/week / {weight} kg = {raw} mg/kg/week{}",
        if clamped == raw {
            String::new()
        } else {
            format!(", clamped into the range: {clamped} mg/kg/week")
        }
    ));
    Ok(clamped)
}

/// A child's IGF-1 rule: the ceiling, the low bound and the reduction.
#[derive(Debug, Clone, Copy)]
pub struct Igf1Rule {
    pub ceiling: f64,
    pub low: f64,
    pub reduce: Percent,
}

/// The IGF-1 part of a child's decision: a percentage reduction above the
/// ceiling, never an automatic increase when low. Returns the new weekly
/// dose and whether the sample must be repeated first.
pub fn igf1_step(
    rescaled: Micrograms,
    (max, weight): (NgPerKg, Grams),
    igf1: &Igf1,
    rule: Igf1Rule,
    notes: &mut Notes,
) -> (Micrograms, bool) {
    if igf1.mistimed {
        return (rescaled, true);
    }
    let Some(s) = igf1.sds else {
        return (rescaled, false);
    };
    if igf1.not_steady {
        notes.why("IGF-1 not interpretable yet: dose by weight only; repeat IGF-1");
        return (rescaled, false);
    }
    if s > rule.ceiling {
        notes.raise(FlagCode::Igf1AboveRange);
        let new = rule.reduce.reduce(rescaled);
        notes.why(format!(
            "IGF-1 SDS {} is above {}: reduce by {} %: {rescaled} -> {new} mg/week",
            fmt_sds(s),
            fmt_sds(rule.ceiling),
            rule.reduce
        ));
        return (new, false);
    }
    if s < rule.low {
        notes.raise(FlagCode::Igf1LowOnTreatment);
        let headroom = Micrograms((max.times(weight).0 - rescaled.0).max(0));
        notes.why(format!(
            "IGF-1 SDS {} is below {}: no automatic increase; headroom to the range maximum {max} mg/kg/week: {headroom} mg/week",
            fmt_sds(s),
            fmt_sds(rule.low)
        ));
    }
    (rescaled, false)
}

#[cfg(test)]
mod tests {
    use crate::dosing::test_support::*;
    use crate::units::{Micrograms, MilliIu, NgPerKg};
    use crate::vocab::{Action, FlagCode};

    #[test]
    fn turner_24_kg_matches_the_contract_example() {
        let o = start_ok(child("turner", 24.0));
        let d = o.recommendation.dose.clone().unwrap();
        assert_eq!(o.recommendation.action, Action::Start);
        assert_eq!(d.mg_per_week, Micrograms(7920));
        assert_eq!(d.mg_per_kg_per_week, Some(NgPerKg(330_000)));
        assert_eq!(d.injections_per_week, 7);
        assert_eq!(d.mg_per_injection, Micrograms(1131));
        assert_eq!(d.iu_per_injection, Some(MilliIu(3394)));
        let review = o.recommendation.next_review.clone().unwrap();
        assert_eq!(review.earliest.to_string(), "2027-02-22");
        assert_eq!(review.latest.to_string(), "2027-05-22");
        assert!(has(&o, FlagCode::GlucoseMonitoring));
        assert!(has(&o, FlagCode::Fundoscopy));
        assert_eq!(
            o.rationale[1..3],
            [
                "0.33 mg/kg/week x 24 kg = 7.92 mg/week",
                "7.92 mg / 7 injections = 1.131 mg"
            ]
        );
    }

    #[test]
    fn sga_starts_high_when_very_short_or_pubertal() {
        let intensity = |sds: Option<f64>, pubertal: bool| {
            let mut q = child("sga", 20.0);
            q.subject.patient.height_sds = sds;
            q.subject.patient.pubertal = pubertal;
            start_ok(q).recommendation.dose.unwrap().mg_per_kg_per_week
        };
        assert_eq!(intensity(None, false), Some(NgPerKg(230_000)));
        assert_eq!(intensity(Some(-3.1), false), Some(NgPerKg(470_000)));
        assert_eq!(intensity(Some(-3.0), false), Some(NgPerKg(230_000)));
        assert_eq!(intensity(Some(-3.0), true), Some(NgPerKg(470_000)));
    }

    #[test]
    fn chosen_intensity_above_range_is_flagged_and_above_ceiling_refused() {
        let mut q = child("ghd", 30.0);
        q.chosen = Some(week(0.3));
        let o = start_ok(q.clone());
        assert!(has(&o, FlagCode::DoseAboveRange));
        assert_eq!(o.recommendation.dose.unwrap().mg_per_week, Micrograms(9000));
        q.chosen = Some(week(0.71));
        let e = start_err(q.clone());
        assert!(
            e.starts_with(
                "--mg-per-kg-week must be at most 0.7 for ghd, the highest labelled dose (got 0.71)"
            ),
            "{e}"
        );
        q.chosen = Some(day(0.04));
        let o = start_ok(q);
        assert_eq!(
            o.recommendation.dose.unwrap().mg_per_kg_per_week,
            Some(NgPerKg(280_000))
        );
    }

    #[test]
    fn the_eu_pws_cap_is_reported_above_2_7_mg_a_day() {
        // 0.24 x 112.5 kg = 27 mg/week; /7 = 3.857 mg > 2.7
        assert!(has(&start_ok(child("pws", 112.5)), FlagCode::PwsEuDailyCap));
        // 0.24 x 78 kg / 7 = 2.674 mg <= 2.7
        assert!(!has(&start_ok(child("pws", 78.0)), FlagCode::PwsEuDailyCap));
    }

    #[test]
    fn a_child_who_grew_keeps_the_intensity() {
        // 6 mg/week at 25 kg = 0.24 mg/kg/week; at 28 kg: 6.72 mg/week.
        let mut q = visit("ghd", 28.0, 6.0);
        q.previous_weight_kg = Some(25.0);
        let o = titrate_ok(q);
        assert_eq!(o.recommendation.action, Action::Increase);
        assert_eq!(o.recommendation.dose.unwrap().mg_per_week, Micrograms(6720));
    }

    #[test]
    fn igf1_above_the_ceiling_reduces_by_the_rule() {
        let mut q = visit("ghd", 30.0, 7.2);
        q.igf1 = Some(sds(2.6));
        let o = titrate_ok(q);
        assert_eq!(o.recommendation.action, Action::Decrease);
        // 7.2 x 0.85 = 6.12
        assert_eq!(
            o.recommendation.dose.clone().unwrap().mg_per_week,
            Micrograms(6120)
        );
        assert!(has(&o, FlagCode::Igf1AboveRange));
    }

    #[test]
    fn low_igf1_never_raises_the_dose_by_itself() {
        let mut q = visit("ghd", 30.0, 4.8);
        q.igf1 = Some(sds(-2.5));
        let o = titrate_ok(q);
        assert_eq!(o.recommendation.action, Action::Maintain);
        assert_eq!(
            o.recommendation.dose.clone().unwrap().mg_per_week,
            Micrograms(4800)
        );
        assert!(has(&o, FlagCode::Igf1LowOnTreatment));
        assert!(
            o.rationale
                .iter()
                .any(|l| l.contains("headroom to the range maximum 0.24 mg/kg/week: 2.4 mg/week"))
        );
    }
}
