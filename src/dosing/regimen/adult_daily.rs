//! Adults on daily somatropin: mg/day by dosing group (age, diabetes,
//! obesity), oral estrogen, the hard cap; at a visit steps by the distance of
//! IGF-1 SDS from the target band, decreases at any time, increases no
//! sooner than the minimum interval.

use super::weight_based::iu;
use super::{Ctx, Kind, Proposal, Raise, Visit, age_of, step_above, step_below};
use crate::dosing::dates;
use crate::dosing::device::Target;
use crate::dosing::error::{Error, Field, Result};
use crate::dosing::flags::{diabetic, obese};
use crate::dosing::igf1::fmt_sds;
use crate::dosing::limits::{Route, limit};
use crate::dosing::outcome::RangeBasis;
use crate::dosing::outcome::{Dose, LabelRange, Span};
use crate::dosing::patient::Patient;
use crate::dosing::product::{injections, label_check};
use crate::dosing::range::{adult_cap, daily_range};
use crate::dosing::request::{CurrentDose, StartRequest};
use crate::dosing::trail::Notes;
use crate::rules::products::LabelDosing;
use crate::rules::{AdultGroup, AdultTitration, Indication, OralEstrogenStart, RuleSet};
use crate::units::{Exact, Micrograms, fmt_decimal};
use crate::vocab::{Action, FlagCode};
use chrono::NaiveDate;

/// The dosing group of an adult and why it was chosen.
pub fn adult_group<'a>(
    ind: &Indication,
    groups: &'a [AdultGroup],
    p: &Patient,
    age: f64,
    rules: &RuleSet,
) -> Result<(&'a AdultGroup, Vec<String>)> {
    let diabetic = diabetic(p);
    let obese = obese(p, ind.population, rules);
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
                Some(b) if !p.obesity => format!("obesity (BMI {b})"),
                _ => "obesity".to_string(),
            });
        }
    }
    Ok((group, why))
}

/// The starting dose.
pub fn start(
    cx: &mut Ctx,
    groups: &[AdultGroup],
    p: &Patient,
    req: &StartRequest,
) -> Result<Proposal> {
    let ind = cx.ind;
    let rules = cx.rules;
    if let Some(c) = req.chosen {
        return Err(Error::says(
            c.field,
            format!(
                "applies only to weight-based indications; {} is dosed in mg/day",
                ind.id
            ),
        ));
    }
    let age = age_of(p, ind)?;
    cx.notes.cite(&ind.cited.sources);
    let n = adult_injections(cx)?;
    let (group, why) = adult_group(ind, groups, p, age, rules)?;
    cx.notes.cite(&group.cited.sources);
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
    let (mut min, mut max, labelled, label_range) = with_label(cx, group);
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
    let t = &rules.titration.adult_daily;
    let (cap, cap_why) = adult_cap(p.weight, age, t);
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
    let weekly = per_day.times(i64::from(n));
    let exact = Exact::ug(per_day);
    let milli_iu = iu(exact, rules.conventions.milli_iu_per_mg);
    cx.notes.cite(&rules.conventions.cited.sources);
    cx.notes
        .why(format!("{per_day} mg/day x {n} days = {weekly} mg/week"));
    cx.notes.why(format!(
        "{per_day} mg x {} IU/mg = {milli_iu} IU per injection",
        fmt_decimal(rules.conventions.milli_iu_per_mg, 3)
    ));
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
        limit: limit(cx, Kind::AdultDaily(groups), p, n, Route::Explicit)?,
    })
}

/// Adults inject daily: the rule set's number of injections a week.
fn adult_injections(cx: &Ctx) -> Result<u8> {
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

/// Where a titration step lands.
struct Step {
    new: Micrograms,
    action: Action,
    review_id: String,
    review_from: NaiveDate,
    raise: Option<Raise>,
}

/// The decision at a visit.
pub fn titrate(
    cx: &mut Ctx,
    groups: &[AdultGroup],
    p: &mut Patient,
    v: &Visit,
) -> Result<Proposal> {
    let rules = cx.rules;
    let t = &rules.titration.adult_daily;
    cx.notes.cite(&t.cited.sources);
    let age = age_of(p, cx.ind)?;
    let n = adult_injections(cx)?;
    let now = match v.current {
        CurrentDose::PerDay(d) => Micrograms::round_mg(d).unwrap_or_default(),
        CurrentDose::PerWeek(w) => Micrograms(
            Micrograms::round_mg(w)
                .unwrap_or_default()
                .0
                .div_euclid(i64::from(n).max(1)),
        ),
    };
    let (group, _) = adult_group(cx.ind, groups, p, age, rules)?;
    let careful = age >= t.older_age_years || diabetic(p);
    let (cap, cap_why) = adult_cap(p.weight, age, t);
    cx.notes.why(format!("current dose {now} mg/day"));
    let step = if now > cap {
        cx.notes.raise(FlagCode::DoseCapped);
        cx.notes.why(format!(
            "{cap_why}; the current dose is above it: decrease to {cap} mg/day"
        ));
        Step {
            new: cap,
            action: Action::Decrease,
            review_id: t.review_after_change.clone(),
            review_from: cx.subject.as_of,
            raise: None,
        }
    } else {
        Decider {
            t,
            now,
            cap,
            cap_why: &cap_why,
            careful,
            p,
            v,
            rules,
        }
        .decide(cx.notes)
    };
    if step.new > t.typical_maintenance_max && step.action != Action::Recheck {
        cx.notes.raise(FlagCode::AboveTypicalMaintenance);
    }
    let review = dates::review(rules, &step.review_id, step.review_from, cx.notes);
    let labelled = label_check(cx.on, cx.ind, cx.subject, cx.notes);
    let new = step.new;
    let mut range = daily_range(t.min_per_day, cap, n);
    range.basis = RangeBasis::Limits;
    Ok(Proposal {
        action: step.action,
        dose: Dose {
            mg_per_week: new.times(i64::from(n)),
            mg_per_kg_per_week: None,
            injections_per_week: n,
            mg_per_injection: new,
            iu_per_injection: Some(iu(Exact::ug(new), rules.conventions.milli_iu_per_mg)),
            deliverable: None,
        },
        range,
        label_range: None,
        target: Some(Target {
            dose: Exact::ug(new),
            lo: Some(Exact::ug(new.min(t.min_per_day))),
            hi: Exact::ug(cap.max(new)),
            injections_per_week: n,
            toward: None,
        }),
        review,
        group: Some(group.id.clone()),
        labelled,
        raise: step.raise,
        limit: limit(cx, Kind::AdultDaily(groups), p, n, Route::Explicit)?,
    })
}

/// What the decision below the cap reads.
struct Decider<'a> {
    t: &'a AdultTitration,
    now: Micrograms,
    cap: Micrograms,
    cap_why: &'a str,
    /// Age at or over the older age, or diabetes: smaller steps up.
    careful: bool,
    p: &'a Patient,
    v: &'a Visit<'a>,
    rules: &'a RuleSet,
}

impl Decider<'_> {
    /// The IGF-1 and symptom decision below the cap.
    fn decide(&self, notes: &mut Notes) -> Step {
        let Decider { t, now, p, v, .. } = *self;
        let as_of = v.req.subject.as_of;
        let mut step = Step {
            new: now,
            action: Action::Maintain,
            review_id: t.review_stable.clone(),
            review_from: as_of,
            raise: None,
        };
        let beyond = self.rules.plausibility.igf1_sds_beyond;
        let repeat = &self.rules.plausibility.igf1_repeat_review;
        if let Some(s) = v.igf1.sds.filter(|s| *s < -beyond) {
            notes.why(format!(
                "IGF-1 SDS {} is implausible: repeat it before deciding; the dose is kept",
                fmt_sds(s)
            ));
            step.action = Action::Recheck;
            step.review_id = repeat.clone();
            return step;
        }
        let symptoms: Vec<&str> = t
            .dose_related_symptoms
            .iter()
            .filter(|s| p.reports(**s))
            .map(|s| s.as_str())
            .collect();
        let mut down = Micrograms(0);
        if let Some(s) = v.igf1.sds.filter(|s| *s > t.ceiling_sds) {
            notes.raise(FlagCode::Igf1AboveRange);
            let by = step_above(&t.step_down, s).unwrap_or(t.step_down_symptoms);
            notes.why(format!(
                "IGF-1 SDS {} is above the ceiling {}: step down {by} mg/day",
                fmt_sds(s),
                fmt_sds(t.ceiling_sds)
            ));
            down = by;
            if !v.igf1.interpretable() {
                notes.why("a decrease for IGF-1 above the ceiling is allowed at any time");
            }
            if s > beyond {
                notes.why("an implausibly high IGF-1: repeat it soon");
            }
        }
        if !symptoms.is_empty() {
            notes.why(format!(
                "dose-related symptoms ({}): step down {} mg/day",
                symptoms.join(", "),
                t.step_down_symptoms
            ));
            down = down.max(t.step_down_symptoms);
        }
        if down.0 > 0 {
            let floor = t.min_per_day;
            step.new = Micrograms((now.0 - down.0).max(floor.0));
            if step.new < now {
                step.action = Action::Decrease;
                notes.why(format!(
                    "{now} - {down} = {} mg/day (not below {floor} mg/day)",
                    step.new
                ));
            } else {
                step.new = now;
                notes.why(format!("already at or below the lowest dose {floor} mg/day: keep {now} mg/day and re-evaluate (adherence, assay, indication)"));
            }
            step.review_id = match v.igf1.sds {
                Some(s) if s > beyond => repeat.clone(),
                _ => t.review_after_change.clone(),
            };
            return step;
        }
        if v.igf1.not_steady {
            step.action = Action::Recheck;
            step.review_id = t.review_recheck.clone();
            step.review_from = v.req.last_dose_change.unwrap_or(as_of);
            return step;
        }
        if v.igf1.stale && v.igf1.sds.is_some() {
            step.action = Action::Recheck;
            step.review_id = t.review_recheck.clone();
            return step;
        }
        match v.igf1.sds {
        None => notes.why("no IGF-1 SDS given: the dose cannot be titrated; measure IGF-1"),
        Some(s) if s < t.target.min => self.increase(s, notes, &mut step),
        Some(s) if s > t.target.max => notes.why(format!(
            "IGF-1 SDS {} is above the target band {}-{} but within the normal range (up to {}): maintain",
            fmt_sds(s),
            t.target.min,
            t.target.max,
            fmt_sds(t.ceiling_sds)
        )),
        Some(s) => notes.why(format!(
            "IGF-1 SDS {} is inside the target band {}-{}: maintain",
            fmt_sds(s),
            t.target.min,
            t.target.max
        )),
    }
        step
    }

    /// A step up below the target band, if the interval allows it.
    fn increase(&self, s: f64, notes: &mut Notes, step: &mut Step) {
        let Decider {
            t,
            now,
            cap,
            cap_why,
            careful,
            v,
            ..
        } = *self;
        let as_of = v.req.subject.as_of;
        let mut by = step_below(&t.step_up, s).unwrap_or(t.step_up_max_older_or_diabetes);
        if careful && by > t.step_up_max_older_or_diabetes {
            by = t.step_up_max_older_or_diabetes;
            notes.why(format!(
                "age {} or over, or diabetes: steps of at most {by} mg/day",
                t.older_age_years
            ));
        }
        if s < t.low_sds {
            notes.raise(FlagCode::Igf1LowOnTreatment);
        }
        let weeks = t.min_weeks_between_increases;
        let last = v.req.last_dose_change;
        let band = format!("{}-{}", t.target.min, t.target.max);
        if let Some(e) = last.map(|c| dates::plus(c, u64::from(weeks) * 7))
            && e > as_of
        {
            notes.raise(FlagCode::TitrationTooSoon);
            notes.why(format!(
            "IGF-1 SDS {} is below the target band {band}: an increase of {by} mg/day is due, but not before {e} ({weeks} weeks after the last change)",
            fmt_sds(s)
        ));
            step.review_id = t.review_after_change.clone();
            step.review_from = last.unwrap_or(as_of);
            return;
        }
        if last.is_none() {
            notes.why("no --last-dose-change given: the minimum interval between increases was not checked");
        }
        let mut new = Micrograms(now.0.saturating_add(by.0));
        if new > cap {
            notes.raise(FlagCode::DoseCapped);
            notes.why(format!("{cap_why}: the increase is limited to it"));
            new = cap;
        }
        if new > now {
            step.new = new;
            step.action = Action::Increase;
            step.raise = Some(Raise::Igf1Low(s));
            notes.why(format!(
                "IGF-1 SDS {} is below the target band {band}: {now} + {by} = {new} mg/day",
                fmt_sds(s)
            ));
            step.review_id = t.review_after_change.clone();
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::dosing::test_support::*;
    use crate::units::{Micrograms, NgPerKg};
    use crate::vocab::{Action, FlagCode};

    fn group(q: crate::dosing::StartRequest) -> Option<String> {
        start_ok(q).indication.group
    }

    #[test]
    fn adult_start_depends_on_age() {
        let o = start_ok(adult("adult-ghd", 45.0));
        let d = o.recommendation.dose.clone().unwrap();
        assert_eq!(d.mg_per_injection, Micrograms(200));
        assert_eq!(d.mg_per_week, Micrograms(1400));
        assert_eq!(d.mg_per_kg_per_week, None::<NgPerKg>);
        assert_eq!(o.indication.group.as_deref(), Some("standard"));
        let o = start_ok(adult("adult-ghd", 67.0));
        assert_eq!(
            o.recommendation.dose.unwrap().mg_per_injection,
            Micrograms(100)
        );
        assert_eq!(o.indication.group.as_deref(), Some("older-or-metabolic"));
    }

    #[test]
    fn the_age_boundary_is_inclusive_at_60() {
        assert_eq!(
            group(adult("adult-ghd", 59.99)).as_deref(),
            Some("standard")
        );
        assert_eq!(
            group(adult("adult-ghd", 60.0)).as_deref(),
            Some("older-or-metabolic")
        );
    }

    #[test]
    fn oral_estrogen_starts_at_the_group_maximum() {
        let mut r = adult("adult-ghd", 45.0);
        r.subject.patient.oral_estrogen = true;
        let o = start_ok(r);
        assert_eq!(
            o.recommendation.dose.clone().unwrap().mg_per_injection,
            Micrograms(300)
        );
        assert!(has(&o, FlagCode::OralEstrogen));
    }

    #[test]
    fn obesity_by_bmi_selects_the_lower_group() {
        let mut r = adult("adult-ghd", 40.0);
        r.subject.patient.bmi = Some(30.0);
        assert_eq!(group(r.clone()).as_deref(), Some("older-or-metabolic"));
        r.subject.patient.bmi = Some(29.9);
        assert_eq!(group(r).as_deref(), Some("standard"));
    }

    #[test]
    fn the_start_is_capped_by_weight() {
        // 45 y, 10 kg: 0.0125 mg/kg/day x 10 kg = 0.125 mg/day < 0.2
        let mut r = adult("adult-ghd", 45.0);
        r.subject.patient.weight_kg = Some(kg(10.0));
        let o = start_ok(r);
        assert_eq!(
            o.recommendation.dose.clone().unwrap().mg_per_injection,
            Micrograms(125)
        );
        assert!(has(&o, FlagCode::DoseCapped));
    }

    #[test]
    fn low_igf1_steps_up_after_the_interval() {
        let mut q = adult_visit(45.0, 0.3, -1.5);
        q.last_dose_change = Some(date("2026-10-09"));
        q.igf1_date = Some(date("2026-11-20"));
        let o = titrate_ok(q);
        assert_eq!(o.recommendation.action, Action::Increase);
        assert_eq!(
            o.recommendation.dose.unwrap().mg_per_injection,
            Micrograms(500)
        );
    }

    #[test]
    fn an_increase_waits_for_the_interval() {
        let mut q = adult_visit(45.0, 0.3, -1.5);
        q.last_dose_change = Some(date("2026-11-01"));
        q.igf1_date = Some(date("2026-11-20"));
        let o = titrate_ok(q);
        assert_eq!(o.recommendation.action, Action::Maintain);
        assert!(has(&o, FlagCode::TitrationTooSoon));
    }

    #[test]
    fn high_igf1_steps_down_at_any_time() {
        let mut q = adult_visit(45.0, 0.6, 3.2);
        q.last_dose_change = Some(date("2026-11-20"));
        q.igf1_date = Some(date("2026-11-21"));
        let o = titrate_ok(q);
        assert_eq!(o.recommendation.action, Action::Decrease);
        assert_eq!(
            o.recommendation.dose.unwrap().mg_per_injection,
            Micrograms(400)
        );
    }

    #[test]
    fn a_sample_before_steady_state_is_repeated() {
        let mut q = adult_visit(45.0, 0.3, -0.5);
        q.last_dose_change = Some(date("2026-11-18"));
        q.igf1_date = Some(date("2026-11-20"));
        let o = titrate_ok(q);
        assert_eq!(o.recommendation.action, Action::Recheck);
        let r = o.recommendation.next_review.unwrap();
        // Counted from the change: 7-21 days.
        assert_eq!(
            (r.earliest, r.latest),
            (date("2026-11-25"), date("2026-12-09"))
        );
    }

    #[test]
    fn dose_related_symptoms_step_down() {
        let mut q = adult_visit(45.0, 0.5, 0.5);
        q.subject.patient.symptoms = vec![crate::vocab::Symptom::Edema];
        let o = titrate_ok(q);
        assert_eq!(o.recommendation.action, Action::Decrease);
        assert_eq!(
            o.recommendation.dose.unwrap().mg_per_injection,
            Micrograms(400)
        );
    }
}
