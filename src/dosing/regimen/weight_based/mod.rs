//! Daily somatropin in children: mg/kg/week from the indication's range,
//! intersected with the product label's; at a visit the same intensity on
//! the new weight, reduced from the current dose when IGF-1 is above the
//! ceiling, never raised automatically when it is low, and never moved back
//! up into the range after a deliberate reduction.

use super::{Visit, current_weekly};
use crate::dosing::device::{Target, daily_injections};
use crate::dosing::error::Result;
use crate::dosing::guard::{IntensityOrigin, child_ceiling, limit};
use crate::dosing::outcome::Dose;
use crate::dosing::patient::{NextReview, Patient, PreviousWeight, Stature, dates_review};
use crate::dosing::proposal::{Ctx, Kind, Proposal, Raise, action_for, iu, weight_of};
use crate::dosing::range::{span_text, weight_range};
use crate::dosing::request::StartRequest;
use crate::rules::{RuleSet, WeightBased};
use crate::units::{Exact, Grams, Micrograms, MilliIu, NgPerKg, fmt_decimal};
use crate::vocab::{Action, Molecule};

mod intensity;
mod label;
mod step;
#[cfg(test)]
mod tests;

pub(crate) use intensity::{Known, intensity_now};
use label::suggested;
pub(crate) use label::{Bounds, chosen_intensity, on_label};
pub(crate) use step::{Doses, Igf1Rule, ReviewId, Step, igf1_step};

/// The starting dose (the suggested start reads the height SDS scored).
pub(crate) fn start(
    cx: &mut Ctx,
    wb: &WeightBased,
    p: &Patient,
    s: &Stature,
    req: &StartRequest,
) -> Result<Proposal> {
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
        IntensityOrigin::Explicit
    } else {
        IntensityOrigin::Derived
    };
    let intensity = match req.chosen {
        Some(c) => {
            let (ceiling, why, _) = child_ceiling(cx, wb, p, IntensityOrigin::Explicit);
            let bounds = Bounds {
                min,
                max,
                ceiling,
                why,
                note: wb.ceiling_note.as_deref(),
            };
            chosen_intensity(c, &ind.id, &bounds, cx.notes)?
        }
        None => suggested(wb, p, s, (min, max), cx.notes),
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

/// The decision at a visit, with the previous weight the intensity was
/// derived from, if it was.
pub(crate) fn titrate(
    cx: &mut Ctx,
    wb: &WeightBased,
    p: &Patient,
    v: &Visit,
) -> Result<(Proposal, Option<PreviousWeight>)> {
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
    // The highest labelled dose: the indication's ceiling, or the product
    // label's maximum where it is higher (EU Prader-Willi: 0.035 mg/kg/day,
    // 0.245 mg/kg/week), so a dose the label gives is never refused.
    let known = Known {
        min,
        max,
        ceiling: wb.ceiling.max(max),
    };
    let (intensity, previous) = intensity_now(v, now, weight, known, rules, cx.notes)?;
    let rescaled = intensity.times(weight);
    cx.notes.why(format!(
        "{intensity} mg/kg/week x {weight} kg = {rescaled} mg/week"
    ));
    let rule = pediatric_igf1_rule(rules);
    let step = igf1_step(
        Doses { now, rescaled },
        (max, weight),
        &v.igf1,
        rule,
        cx.notes,
    );
    let action = step_action(&step, now);
    let review = step_review(cx, &step);
    let new = step.new;
    let new_intensity = NgPerKg::of(new, weight);
    let target = titration_target(&known, new, intensity, weight, n);
    let exact = target.dose;
    let explicit = v.req.prescribed_mg_per_kg_week.is_some();
    let grows = explicit || v.req.previous_weight_kg.is_some();
    let proposal = Proposal {
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
        target: Some(target),
        review,
        group: None,
        labelled: l.labelled,
        raise: grows.then_some(Raise::Growth(rescaled)),
        limit: limit(cx, Kind::WeightBased(wb), p, n, route(explicit))?,
    };
    Ok((proposal, previous))
}

/// The pediatric titration's IGF-1 bounds and the plausibility bound.
fn pediatric_igf1_rule(rules: &RuleSet) -> Igf1Rule {
    let t = &rules.titration.pediatric_daily;
    Igf1Rule {
        ceiling: t.ceiling_sds,
        low: t.low_sds,
        reduce: t.reduce_above_ceiling,
        beyond: rules.plausibility.igf1_sds_beyond,
    }
}

/// Recheck when the IGF-1 step says so, else the direction of the change.
fn step_action(step: &Step, now: Micrograms) -> Action {
    if step.recheck {
        Action::Recheck
    } else {
        action_for(now, step.new)
    }
}

/// The usual review after a titration, or the repeat review of an IGF-1
/// that must be repeated.
fn step_review(cx: &mut Ctx, step: &Step) -> Option<NextReview> {
    let rules = cx.rules;
    let review_id = match step.review {
        Some(ReviewId::Repeat) => &rules.plausibility.igf1_repeat_review,
        None => &rules.titration.pediatric_daily.review,
    };
    dates_review(rules, review_id, cx.subject.as_of, cx.notes)
}

/// The per-injection target of the new dose: its range widened to hold the
/// new and the previous intensity.
fn titration_target(
    known: &Known,
    new: Micrograms,
    intensity: NgPerKg,
    weight: Grams,
    n: u8,
) -> Target {
    let new_intensity = NgPerKg::of(new, weight);
    let (min, max) = (known.min, known.max);
    Target {
        dose: Exact {
            num: i128::from(new.0),
            den: i128::from(n),
        },
        lo: min.map(|m| Exact::per_injection(m.min(new_intensity), weight, n)),
        hi: Exact::per_injection(max.max(new_intensity).max(intensity), weight, n),
        injections_per_week: n,
        toward: None,
    }
}

/// An explicit prescribed intensity, or one derived from the record.
fn route(explicit: bool) -> IntensityOrigin {
    if explicit {
        IntensityOrigin::Explicit
    } else {
        IntensityOrigin::Derived
    }
}
