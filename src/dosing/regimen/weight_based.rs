//! Daily somatropin in children: mg/kg/week from the indication's range,
//! intersected with the product label's; at a visit the same intensity on
//! the new weight, reduced from the current dose when IGF-1 is above the
//! ceiling, never raised automatically when it is low, and never moved back
//! up into the range after a deliberate reduction.

use super::{Ctx, Kind, Proposal, Raise, Visit, action_for, current_weekly, weight_of};
use crate::dosing::dates;
use crate::dosing::device::Target;
use crate::dosing::error::{Error, Field, Result};
use crate::dosing::igf1::{Igf1, fmt_sds};
use crate::dosing::limits::{Route, child_ceiling, limit};
use crate::dosing::outcome::{Dose, LabelRange, Span};
use crate::dosing::patient::{Patient, check};
use crate::dosing::product::{daily_injections, outside_ages};
use crate::dosing::range::{recommended, span_text, weight_range};
use crate::dosing::request::{Chosen, StartRequest};
use crate::dosing::trail::Notes;
use crate::rules::products::LabelDosing;
use crate::rules::{RuleSet, WeightBased};
use crate::units::{
    Exact, Grams, Micrograms, MilliIu, NgPerKg, Percent, div_round, fmt_decimal, round_to, saturate,
};
use crate::vocab::{Action, FlagCode, Molecule};

/// The recommended range after the product label, and whether it is labelled.
pub struct OnLabel {
    pub min: Option<NgPerKg>,
    pub max: NgPerKg,
    pub labelled: bool,
    pub label_range: Option<LabelRange>,
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
    let l = on_label(cx, wb, p, weight, "dose from the generic table");
    let (min, max) = (l.min, l.max);
    let route = if req.chosen.is_some() {
        Route::Explicit
    } else {
        Route::Derived
    };
    let intensity = match req.chosen {
        Some(c) => {
            let (ceiling, why, _) = child_ceiling(cx, wb, p, Route::Explicit);
            let bounds = Bounds {
                min,
                max,
                ceiling,
                why,
                note: wb.ceiling_note.as_deref(),
            };
            chosen_intensity(c, &ind.id, &bounds, cx.notes)?
        }
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
            toward: None,
        }),
        review: None,
        group: None,
        labelled: l.labelled,
        raise: None,
        limit: limit(cx, Kind::WeightBased(wb), p, n, route)?,
    })
}

/// IU per injection for daily somatropin (not for other molecules).
fn somatropin_iu(cx: &mut Ctx, exact: Exact, per_inj: Micrograms) -> Option<MilliIu> {
    if !somatropin(cx) {
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

fn somatropin(cx: &Ctx) -> bool {
    cx.on
        .is_none_or(|o| o.product.molecule == Molecule::Somatropin)
}

/// IU per injection: per injection (exact) x IU/mg.
pub fn iu(target: Exact, milli_iu_per_mg: i64) -> MilliIu {
    MilliIu(saturate(div_round(
        target.num * i128::from(milli_iu_per_mg),
        target.den * 1000,
    )))
}

/// The generic range intersected with the product label's, with OFF_LABEL
/// when the product is not labelled for the indication, region or age;
/// `basis` says what the dose is then based on.
pub fn on_label(
    cx: &mut Ctx,
    wb: &WeightBased,
    p: &Patient,
    weight: Grams,
    basis: &str,
) -> OnLabel {
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
            let (min, max, overlap) = recommended(wb, Some((*lmin, *lmax)));
            (out.min, out.max) = (min, max);
            let label_text = span_text(*lmin, *lmax, "mg/kg/week");
            let (name, region, grade) = (&o.product.name, label.region, label.cited.grade);
            notes.why(if overlap {
                format!(
                    "{name} label ({region}, grade {grade}): {label_text}; recommended range with the label {}",
                    span_text(min, max, "mg/kg/week")
                )
            } else {
                format!(
                    "{name} label ({region}, grade {grade}) {label_text} does not overlap the generic range: the label's range is used"
                )
            });
            if let Some(why) = outside_ages(label, p) {
                out.labelled = false;
                notes.off_label(format!("{name} is {why}: off-label by age"));
            }
        }
        _ => {
            out.labelled = false;
            notes.off_label(format!(
                "{} is not labelled for {} in the {} label: {basis}",
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

/// The range a chosen intensity is judged against.
pub struct Bounds<'a> {
    pub min: Option<NgPerKg>,
    pub max: NgPerKg,
    /// Above this it is refused.
    pub ceiling: NgPerKg,
    /// What the ceiling is.
    pub why: String,
    pub note: Option<&'a str>,
}

/// A clinician-chosen intensity: refused above the labelled ceiling, flagged
/// outside the range (above: DOSE_ABOVE_RANGE; below: DOSE_BELOW_RANGE).
pub fn chosen_intensity(
    chosen: Chosen,
    id: &str,
    b: &Bounds,
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
                in_unit(b.ceiling)
            ),
        ));
    };
    if intensity > b.ceiling {
        let note = b.note.map(|n| format!("; {n}")).unwrap_or_default();
        return Err(Error::says(
            chosen.field,
            format!(
                "must be at most {} for {id}, {} (got {given}){note}",
                in_unit(b.ceiling),
                b.why
            ),
        ));
    }
    let how = if per_day {
        format!("{given} mg/kg/day (--mg-per-kg-day) x 7 = {intensity} mg/kg/week")
    } else {
        format!("{intensity} mg/kg/week (--mg-per-kg-week)")
    };
    notes.why(format!("chosen intensity {how}"));
    if intensity > b.max {
        notes.raise(FlagCode::DoseAboveRange);
        let note = b.note.map(|n| format!(" ({n})")).unwrap_or_default();
        notes.why(format!(
            "{intensity} mg/kg/week is above the recommended maximum {} mg/kg/week{note}",
            b.max
        ));
    } else if let Some(m) = b.min.filter(|m| intensity < *m) {
        notes.raise(FlagCode::DoseBelowRange);
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
    let l = on_label(cx, wb, p, weight, "the generic range applies");
    let (min, max) = (l.min, l.max);
    let known = Known {
        min,
        max,
        ceiling: wb.ceiling,
    };
    let intensity = intensity_now(v, now, weight, known, p, rules, cx.notes)?;
    let rescaled = intensity.times(weight);
    cx.notes.why(format!(
        "{intensity} mg/kg/week x {weight} kg = {rescaled} mg/week"
    ));
    let rule = Igf1Rule {
        ceiling: t.ceiling_sds,
        low: t.low_sds,
        reduce: t.reduce_above_ceiling,
        beyond: rules.plausibility.igf1_sds_beyond,
    };
    let step = igf1_step(
        Doses { now, rescaled },
        (max, weight),
        &v.igf1,
        rule,
        cx.notes,
    );
    let action = if step.recheck {
        Action::Recheck
    } else {
        action_for(now, step.new)
    };
    let review_id = match step.review {
        Some(ReviewId::Repeat) => &rules.plausibility.igf1_repeat_review,
        None => &t.review,
    };
    let review = dates::review(rules, review_id, cx.subject.as_of, cx.notes);
    let new = step.new;
    let exact = Exact {
        num: i128::from(new.0),
        den: i128::from(n),
    };
    let new_intensity = NgPerKg::of(new, weight);
    let lo = min.map(|m| Exact::per_injection(m.min(new_intensity), weight, n));
    let hi = Exact::per_injection(max.max(new_intensity).max(intensity), weight, n);
    let explicit = v.req.prescribed_mg_per_kg_week.is_some();
    let grows = explicit || v.req.previous_weight_kg.is_some();
    Ok(Proposal {
        action,
        dose: Dose {
            mg_per_week: new,
            mg_per_kg_per_week: Some(new_intensity),
            injections_per_week: n,
            mg_per_injection: exact.round(),
            iu_per_injection: somatropin(cx).then(|| iu(exact, rules.conventions.milli_iu_per_mg)),
            deliverable: None,
        },
        range: weight_range(min, max, weight, n),
        label_range: l.label_range,
        target: Some(Target {
            dose: exact,
            lo,
            hi,
            injections_per_week: n,
            toward: None,
        }),
        review,
        group: None,
        labelled: l.labelled,
        raise: grows.then_some(Raise::Growth(rescaled)),
        limit: limit(
            cx,
            Kind::WeightBased(wb),
            p,
            n,
            if explicit {
                Route::Explicit
            } else {
                Route::Derived
            },
        )?,
    })
}

/// Which review a step asks for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ReviewId {
    /// An early repeat of an implausible IGF-1.
    Repeat,
}

/// The bounds an intensity derived from the current dose is judged against.
#[derive(Debug, Clone, Copy)]
pub struct Known {
    pub min: Option<NgPerKg>,
    pub max: NgPerKg,
    /// Above this the intensity is not plausible (a slip in the inputs).
    pub ceiling: NgPerKg,
}

/// The intensity the child is on: prescribed, from the previous weight, or
/// from the current weight. A derived intensity is brought down to the
/// range's maximum but never up to its minimum: a reduction made for a high
/// IGF-1 is not undone (DOSE_BELOW_RANGE says so).
pub fn intensity_now(
    v: &Visit,
    weekly_now: Micrograms,
    weight: Grams,
    k: Known,
    p: &mut Patient,
    rules: &RuleSet,
    notes: &mut Notes,
) -> Result<NgPerKg> {
    let req = v.req;
    if let Some(x) = req.prescribed_mg_per_kg_week {
        let Some(i) = NgPerKg::round_mg_per_kg(x).filter(|i| i.0 > 0 && *i <= k.ceiling) else {
            return Err(Error::says(
                Field::PrescribedMgPerKgWeek,
                format!(
                    "must be a positive number up to {} for {} (got {x})",
                    k.ceiling, req.subject.indication
                ),
            ));
        };
        let on = NgPerKg::of(weekly_now, weight);
        let factor = rules.plausibility.dose_mismatch_factor;
        let (a, b) = (on.0 as f64, i.0 as f64);
        if a > b * factor || a * factor < b {
            return Err(Error::says(
                Field::PrescribedMgPerKgWeek,
                format!(
                    "{i} mg/kg/week does not match the current {weekly_now} mg/week at {weight} kg ({on} mg/kg/week; more than {factor} times apart): check the prescribed intensity, the current dose and its unit"
                ),
            ));
        }
        notes.why(format!(
            "prescribed intensity {i} mg/kg/week (--prescribed-mg-per-kg-week)"
        ));
        if i > k.max {
            notes.raise(FlagCode::DoseAboveRange);
            notes.why(format!(
                "{i} mg/kg/week is above the recommended {}",
                span_text(k.min, k.max, "mg/kg/week")
            ));
        }
        return Ok(i);
    }
    let raw = match req.previous_weight_kg {
        Some(prev) => {
            check(Field::PreviousWeightKg, prev, rules.limits.weight_kg, "kg")?;
            let g = Grams::from_kg(prev);
            p.previous_weight_kg = Some(g.kg());
            let i = NgPerKg::of(weekly_now, g);
            if i > k.ceiling {
                return Err(Error::says(
                    Field::PreviousWeightKg,
                    format!(
                        "{prev} makes the current {weekly_now} mg/week {i} mg/kg/week, above the highest labelled dose {} mg/kg/week for {}: check the previous weight (a digit or the decimal point?)",
                        k.ceiling, req.subject.indication
                    ),
                ));
            }
            let change = (weight.0 - g.0) as f64 * 100.0 / g.0 as f64;
            if change.abs() > rules.plausibility.weight_change_percent {
                p.unusual.push(format!(
                    "weight changed {}% since the previous visit ({g} -> {weight} kg; more than {}%)",
                    round_to(change, 1),
                    rules.plausibility.weight_change_percent
                ));
            }
            notes.why(format!(
                "intensity {weekly_now} mg/week / {g} kg (previous weight) = {i} mg/kg/week"
            ));
            i
        }
        None => {
            let i = NgPerKg::of(weekly_now, weight);
            notes.why(format!(
                "intensity {weekly_now} mg/week / {weight} kg = {i} mg/kg/week"
            ));
            i
        }
    };
    if raw > k.max {
        notes.why(format!(
            "{raw} mg/kg/week is above the recommended maximum: brought down to {} mg/kg/week",
            k.max
        ));
        return Ok(k.max);
    }
    if let Some(m) = k.min.filter(|m| raw < *m) {
        notes.raise(FlagCode::DoseBelowRange);
        notes.why(format!(
            "{raw} mg/kg/week is below the recommended minimum {m} mg/kg/week: kept (a reduction is not undone)"
        ));
    }
    Ok(raw)
}

/// A child's IGF-1 rule.
#[derive(Debug, Clone, Copy)]
pub struct Igf1Rule {
    /// Above this the dose is reduced, from the current dose.
    pub ceiling: f64,
    /// Below this: the low-IGF-1 checklist, no automatic increase.
    pub low: f64,
    pub reduce: Percent,
    /// Beyond +/- this the value is implausible.
    pub beyond: f64,
}

/// The current dose and the same intensity on today's weight.
#[derive(Debug, Clone, Copy)]
pub struct Doses {
    pub now: Micrograms,
    pub rescaled: Micrograms,
}

/// What the IGF-1 part of a child's decision settles on.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Step {
    pub new: Micrograms,
    /// The sample must be repeated before anything changes.
    pub recheck: bool,
    /// A review other than the usual one.
    pub review: Option<ReviewId>,
}

/// The IGF-1 part of a child's decision: above the ceiling a percentage
/// reduction of the current dose (at any time); at the ceiling no increase
/// for weight; below the low bound the checklist but no increase; an
/// implausible value is repeated (low) or reduced for and repeated soon
/// (high); a mistimed sample is repeated.
pub fn igf1_step(
    d: Doses,
    (max, weight): (NgPerKg, Grams),
    igf1: &Igf1,
    rule: Igf1Rule,
    notes: &mut Notes,
) -> Step {
    let by_weight = Step {
        new: d.rescaled,
        recheck: false,
        review: None,
    };
    if igf1.mistimed {
        return Step {
            new: d.now,
            recheck: true,
            review: None,
        };
    }
    let Some(s) = igf1.sds else {
        return by_weight;
    };
    if s > rule.ceiling {
        notes.raise(FlagCode::Igf1AboveRange);
        // Reduce from the lower of the current and the weight-based dose, so
        // a higher IGF-1 never ends above what a lower one would give.
        let base = d.now.min(d.rescaled);
        let new = rule.reduce.reduce(base);
        let which = if base < d.now {
            "the weight-based dose"
        } else {
            "the current dose"
        };
        notes.why(format!(
            "IGF-1 SDS {} is above {}: reduce {which} by {} %: {base} -> {new} mg/week",
            fmt_sds(s),
            fmt_sds(rule.ceiling),
            rule.reduce,
        ));
        let extreme = s > rule.beyond;
        if extreme {
            notes.why("an implausibly high IGF-1: repeat it soon");
        }
        return Step {
            new,
            recheck: false,
            review: extreme.then_some(ReviewId::Repeat),
        };
    }
    if s < -rule.beyond {
        notes.why(format!(
            "IGF-1 SDS {} is implausible: repeat it before deciding; the dose is kept",
            fmt_sds(s)
        ));
        return Step {
            new: d.now,
            recheck: true,
            review: Some(ReviewId::Repeat),
        };
    }
    if !igf1.interpretable() {
        notes.why("IGF-1 not interpretable (too soon after a change, or too old): dose by weight only; repeat IGF-1");
        return by_weight;
    }
    if s >= rule.ceiling {
        notes.why(format!(
            "IGF-1 SDS {} is at the ceiling {}: the dose is not raised for weight",
            fmt_sds(s),
            fmt_sds(rule.ceiling)
        ));
        return Step {
            new: d.rescaled.min(d.now),
            ..by_weight
        };
    }
    if s < rule.low {
        notes.raise(FlagCode::Igf1LowOnTreatment);
        let headroom = Micrograms((max.times(weight).0 - d.rescaled.0).max(0));
        notes.why(format!(
            "IGF-1 SDS {} is below {}: no automatic increase; headroom to the range maximum {max} mg/kg/week: {headroom} mg/week",
            fmt_sds(s),
            fmt_sds(rule.low)
        ));
    }
    by_weight
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
    fn a_chosen_intensity_is_flagged_outside_the_range_and_refused_above_the_ceiling() {
        let mut q = child("ghd", 30.0);
        q.chosen = Some(week(0.3));
        let o = start_ok(q.clone());
        assert!(has(&o, FlagCode::DoseAboveRange));
        assert_eq!(o.recommendation.dose.unwrap().mg_per_week, Micrograms(9000));
        q.chosen = Some(week(0.12));
        assert!(has(&start_ok(q.clone()), FlagCode::DoseBelowRange));
        // Prepubertal GHD: 0.3 at most; pubertal: 0.7.
        q.chosen = Some(week(0.31));
        let e = start_err(q.clone());
        assert!(
            e.starts_with("--mg-per-kg-week must be at most 0.3 for ghd, the highest labelled prepubertal dose (--pubertal: up to 0.7) (got 0.31)"),
            "{e}"
        );
        q.subject.patient.pubertal = true;
        q.chosen = Some(week(0.71));
        assert!(start_err(q.clone()).starts_with("--mg-per-kg-week must be at most 0.7 for ghd"));
        q.chosen = Some(day(0.04));
        let o = start_ok(q);
        assert_eq!(
            o.recommendation.dose.unwrap().mg_per_kg_per_week,
            Some(NgPerKg(280_000))
        );
    }

    #[test]
    fn the_eu_pws_cap_is_applied_only_under_the_eu_label() {
        // 0.24 x 112.5 kg = 27 mg/week; 27/7 = 3.857 mg/day > 2.7
        let eu = |kg: f64| {
            let mut q = child("pws", kg);
            q.subject.product.region = crate::vocab::Region::Eu;
            start_ok(q)
        };
        let o = eu(112.5);
        assert!(has(&o, FlagCode::PwsEuDailyCap) && has(&o, FlagCode::DoseCapped));
        assert_eq!(
            o.recommendation.dose.unwrap().mg_per_week,
            Micrograms(18_900)
        );
        let us = start_ok(child("pws", 112.5));
        assert!(!has(&us, FlagCode::PwsEuDailyCap));
        assert_eq!(
            us.recommendation.dose.unwrap().mg_per_week,
            Micrograms(27_000)
        );
        // 0.24 x 78 kg / 7 = 2.674 mg <= 2.7
        assert!(!has(&eu(78.0), FlagCode::DoseCapped));
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
    fn a_previous_weight_slip_is_refused_not_dosed_tenfold() {
        let mut q = visit("ghd", 28.0, 6.0);
        q.previous_weight_kg = Some(2.5);
        let e = titrate_err(q);
        assert!(
            e.starts_with("--previous-weight-kg 2.5 makes the current 6 mg/week 2.4 mg/kg/week, above the highest labelled dose 0.7"),
            "{e}"
        );
        // 6 mg/week at 22 kg = 0.273: above the range, brought down to 0.24.
        let mut q = visit("ghd", 28.0, 6.0);
        q.previous_weight_kg = Some(22.0);
        let d = titrate_ok(q).recommendation.dose.unwrap();
        assert_eq!(d.mg_per_week, Micrograms(6720));
    }

    #[test]
    fn igf1_above_the_ceiling_reduces_the_current_dose() {
        // Grew 25 -> 30 kg on 6 mg/week; IGF-1 +2.6: 15 % off 6 mg, not off 7.2.
        let mut q = visit("ghd", 30.0, 6.0);
        q.previous_weight_kg = Some(25.0);
        q.igf1 = Some(sds(2.6));
        let o = titrate_ok(q);
        assert_eq!(o.recommendation.action, Action::Decrease);
        assert_eq!(
            o.recommendation.dose.clone().unwrap().mg_per_week,
            Micrograms(5100)
        );
        assert!(has(&o, FlagCode::Igf1AboveRange));
    }

    #[test]
    fn a_reduction_below_the_range_is_not_undone() {
        // Turner, 0.33 x 0.85 = 0.2805 mg/kg/week after a reduction: kept.
        let mut q = visit("turner", 30.0, 8.415);
        q.igf1 = Some(sds(1.0));
        let o = titrate_ok(q);
        assert_eq!(o.recommendation.action, Action::Maintain);
        assert_eq!(
            o.recommendation.dose.clone().unwrap().mg_per_week,
            Micrograms(8415)
        );
        assert!(has(&o, FlagCode::DoseBelowRange));
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
        let mut q = visit("ghd", 30.0, 4.8);
        q.igf1 = Some(sds(-4.5));
        assert_eq!(titrate_ok(q).recommendation.action, Action::Recheck);
    }

    #[test]
    fn the_product_label_limits_a_titration() {
        // Humatrope Turner: label up to 0.375; prescribed 0.45 is capped.
        let mut q = visit("turner", 30.0, 13.5);
        q.subject.product.product = Some("humatrope".into());
        q.prescribed_mg_per_kg_week = Some(0.45);
        let o = titrate_ok(q);
        assert!(has(&o, FlagCode::DoseAboveRange) && has(&o, FlagCode::DoseCapped));
        let d = o.recommendation.dose.unwrap();
        assert!(d.given_per_week() <= Micrograms(11_250), "{d:?}");
        assert_eq!(o.recommendation.action, Action::Decrease);
    }
}
