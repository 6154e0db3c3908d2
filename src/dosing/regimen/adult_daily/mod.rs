//! Adults on daily somatropin: mg/day by dosing group (age, diabetes,
//! obesity), oral estrogen, the hard cap; at a visit steps by the distance of
//! IGF-1 SDS from the target band, decreases at any time, increases no
//! sooner than the minimum interval.

use crate::dosing::device::{Target, injections};
use crate::dosing::error::{Error, Field, Result};
use crate::dosing::guard::{IntensityOrigin, diabetic, limit, obese};
use crate::dosing::outcome::{Dose, LabelRange, Span};
use crate::dosing::patient::{Patient, Stature};
use crate::dosing::proposal::{Ctx, Kind, Proposal, age_of, iu};
use crate::dosing::range::{adult_cap_on, daily_range};
use crate::dosing::request::StartRequest;
use crate::rules::products::LabelDosing;
use crate::rules::{AdultGroup, Indication, OralEstrogenStart, RuleSet};
use crate::units::{Exact, Micrograms, MilliIu, fmt_decimal};
use crate::vocab::{Action, FlagCode};

#[cfg(test)]
mod tests;
mod titrate;

pub(crate) use titrate::titrate;

/// The dosing group of an adult and why it was chosen (obesity as given or
/// found by the stature scores).
pub(crate) fn adult_group<'a>(
    ind: &Indication,
    groups: &'a [AdultGroup],
    p: &Patient,
    s: &Stature,
    age: f64,
    rules: &RuleSet,
) -> Result<(&'a AdultGroup, Vec<String>)> {
    let diabetic = diabetic(p);
    let obese = obese(p, s, ind.population, rules);
    let group = groups
        .iter()
        .find(|g| match g.when_any {
            None => true,
            Some(w) => {
                w.age_years_at_least.is_some_and(|a| age >= a)
                    || (w.diabetes && diabetic)
                    || (w.obesity && obese)
            }
        })
        .ok_or_else(|| {
            Error::says(
                Field::Indication,
                format!("{}: no dosing group matches the patient", ind.id),
            )
        })?;
    let mut why = Vec::new();
    if let Some(w) = group.when_any {
        if w.age_years_at_least.is_some_and(|a| age >= a) {
            why.push(format!(
                "age {} years",
                fmt_decimal((age * 100.0).round() as i64, 2)
            ));
        }
        if w.diabetes && diabetic {
            why.push("diabetes or glucose intolerance".to_string());
        }
        if w.obesity && obese {
            why.push(match p.bmi {
                Some(b) if !(p.obesity || s.obesity) => format!("obesity (BMI {b})"),
                _ => "obesity".to_string(),
            });
        }
    }
    Ok((group, why))
}

/// The starting dose.
pub(crate) fn start(
    cx: &mut Ctx,
    groups: &[AdultGroup],
    p: &Patient,
    s: &Stature,
    req: &StartRequest,
) -> Result<Proposal> {
    let ind = cx.ind;
    let rules = cx.rules;
    weight_based_only(req, ind)?;
    let age = age_of(p, ind)?;
    cx.notes.cite(&ind.cited.sources);
    let n = adult_injections(cx)?;
    let (group, why) = adult_group(ind, groups, p, s, age, rules)?;
    cx.notes.cite(&group.cited.sources);
    group_chosen(cx, ind, group, &why);
    let (min, max, labelled, label_range) = with_label(cx, group);
    let per_day = start_in_range(cx, group, p, min, max);
    let (per_day, min, max) = capped(cx, p, age, per_day, (min, max));
    let weekly = per_day.times(i64::from(n));
    let exact = Exact::ug(per_day);
    let milli_iu = iu(exact, rules.conventions.milli_iu_per_mg);
    conversions(cx, per_day, n, weekly, milli_iu);
    Ok(Proposal {
        action: Action::Start,
        dose: Dose {
            mg_per_week: weekly,
            mg_per_kg_per_week: None,
            injections_per_week: n,
            mg_per_injection: per_day,
            iu_per_injection: Some(milli_iu),
            deliverable: None,
        },
        range: daily_range(min, max, n),
        label_range,
        target: Some(Target {
            dose: exact,
            lo: Some(Exact::ug(min)),
            hi: Exact::ug(max),
            injections_per_week: n,
            toward: None,
        }),
        review: None,
        group: Some(group.id.clone()),
        labelled,
        raise: None,
        limit: limit(
            cx,
            Kind::AdultDaily(groups),
            p,
            n,
            IntensityOrigin::Explicit,
        )?,
    })
}

/// A chosen weight-based intensity does not apply to a dose in mg/day.
fn weight_based_only(req: &StartRequest, ind: &Indication) -> Result<()> {
    if let Some(c) = req.chosen {
        return Err(Error::says(
            c.field,
            format!(
                "applies only to weight-based indications; {} is dosed in mg/day",
                ind.id
            ),
        ));
    }
    Ok(())
}

/// Names the group chosen, why, its range and suggested start.
fn group_chosen(cx: &mut Ctx, ind: &Indication, group: &AdultGroup, why: &[String]) {
    let because = if why.is_empty() {
        String::new()
    } else {
        format!(" because of {}", why.join(", "))
    };
    cx.notes.why(format!(
        "{} group '{}'{because}: range {}-{} mg/day (grade {}), suggested start {} mg/day",
        ind.id,
        group.id,
        group.min_per_day,
        group.max_per_day,
        group.cited.grade,
        group.start_per_day
    ));
}

/// The group's start moved into the product range, or the range maximum
/// with oral estrogen where the rule set says so.
fn start_in_range(
    cx: &mut Ctx,
    group: &AdultGroup,
    p: &Patient,
    min: Micrograms,
    max: Micrograms,
) -> Micrograms {
    let rules = cx.rules;
    let mut per_day = group.start_per_day.clamp(min, max);
    if per_day != group.start_per_day {
        cx.notes.why(format!(
            "start {} mg/day moved into the product range: {per_day} mg/day",
            group.start_per_day
        ));
    }
    if p.oral_estrogen {
        cx.notes.raise(FlagCode::OralEstrogen);
        cx.notes.cite(&rules.oral_estrogen.cited.sources);
        if rules.oral_estrogen.start == OralEstrogenStart::GroupMax {
            per_day = max;
            cx.notes.why(format!(
                "oral estrogen: start at the range maximum {per_day} mg/day"
            ));
        }
    }
    per_day
}

/// The hard cap on age and weight: the start and its range no higher than
/// it (start, min, max).
fn capped(
    cx: &mut Ctx,
    p: &Patient,
    age: f64,
    mut per_day: Micrograms,
    (mut min, mut max): (Micrograms, Micrograms),
) -> (Micrograms, Micrograms, Micrograms) {
    let rules = cx.rules;
    let t = &rules.titration.adult_daily;
    let label = cx.on.and_then(|o| o.label);
    let ((cap, cap_why), by_label) = adult_cap_on(p.weight, age, t, label);
    if let Some(sources) = &by_label {
        cx.notes.cite(sources);
    }
    if p.weight.is_some() {
        cx.notes.why(cap_why);
    }
    if per_day > cap {
        cx.notes.raise(FlagCode::DoseCapped);
        cx.notes.cite(&t.cited.sources);
        cx.notes.why(format!(
            "{per_day} mg/day is above the hard cap; limited to {cap} mg/day"
        ));
        per_day = cap;
        max = max.min(cap);
        min = min.min(cap);
    }
    (per_day, min, max)
}

/// The arithmetic of the start: per day to per week, mg to IU.
fn conversions(cx: &mut Ctx, per_day: Micrograms, n: u8, weekly: Micrograms, milli_iu: MilliIu) {
    let rules = cx.rules;
    cx.notes.cite(&rules.conventions.cited.sources);
    cx.notes
        .why(format!("{per_day} mg/day x {n} days = {weekly} mg/week"));
    cx.notes.why(format!(
        "{per_day} mg x {} IU/mg = {milli_iu} IU per injection",
        fmt_decimal(rules.conventions.milli_iu_per_mg, 3)
    ));
}

/// Adults inject daily: the rule set's number of injections a week.
pub(super) fn adult_injections(cx: &Ctx) -> Result<u8> {
    let n = cx.rules.conventions.adult_injections_per_week;
    injections(cx.subject, &[n], n, &cx.ind.id)
}

/// The group range intersected with the product label's (min, max,
/// labelled, label range).
fn with_label(
    cx: &mut Ctx,
    group: &AdultGroup,
) -> (Micrograms, Micrograms, bool, Option<LabelRange>) {
    let (min, max) = (group.min_per_day, group.max_per_day);
    let Some(o) = cx.on else {
        return (min, max, true, None);
    };
    o.note(cx.notes);
    let Some((
        label,
        LabelDosing::Daily {
            min: lmin,
            max: lmax,
            ..
        },
    )) = o.label.map(|l| (l, &l.dosing))
    else {
        cx.notes.off_label(format!(
            "{} is not labelled for {} in the {} label: group range used",
            o.product.name, cx.ind.id, cx.subject.product.region
        ));
        return (min, max, false, None);
    };
    cx.notes.cite(&label.cited.sources);
    let label_range = Some(LabelRange {
        region: label.region,
        mg_per_kg_per_week: None,
        mg_per_day: Some(Span {
            min: Some(*lmin),
            max: *lmax,
        }),
        mg_per_week: Some(Span {
            min: Some(lmin.times(7)),
            max: lmax.times(7),
        }),
    });
    let (imin, imax) = (min.max(*lmin), max.min(*lmax));
    let (name, region, grade) = (&o.product.name, label.region, label.cited.grade);
    if imin > imax {
        // Labelled for the indication: the label's range wins.
        cx.notes.why(format!(
            "{name} label ({region}, grade {grade}) {lmin}-{lmax} mg/day does not overlap the group range: the label's range is used"
        ));
        (*lmin, *lmax, true, label_range)
    } else {
        cx.notes.why(format!(
            "{name} label ({region}, grade {grade}): start {lmin}-{lmax} mg/day; recommended range with the label {imin}-{imax} mg/day"
        ));
        (imin, imax, true, label_range)
    }
}
