//! An adult's decision at a visit on daily somatropin: steps by the
//! distance of IGF-1 SDS from the target band, decreases at any time,
//! increases no sooner than the minimum interval.

use super::{adult_group, adult_injections};
use crate::dosing::device::{Target, label_check};
use crate::dosing::error::Result;
use crate::dosing::guard::{IntensityOrigin, diabetic, limit};
use crate::dosing::outcome::Dose;
use crate::dosing::outcome::RangeBasis;
use crate::dosing::patient::{Patient, Stature, dates_plus, dates_review, fmt_sds};
use crate::dosing::proposal::{Ctx, Kind, Proposal, Raise, age_of, iu};
use crate::dosing::range::{adult_cap_on, daily_range};
use crate::dosing::regimen::{Visit, step_above, step_below};
use crate::dosing::request::CurrentDose;
use crate::dosing::trail::Notes;
use crate::rules::{AdultGroup, AdultTitration, RuleSet};
use crate::units::{Exact, Micrograms};
use crate::vocab::{Action, FlagCode};
use chrono::NaiveDate;

/// Where a titration step lands.
struct Step {
    new: Micrograms,
    action: Action,
    review_id: String,
    review_from: NaiveDate,
    raise: Option<Raise>,
}

/// The decision at a visit.
pub(crate) fn titrate(
    cx: &mut Ctx,
    groups: &[AdultGroup],
    p: &Patient,
    s: &Stature,
    v: &Visit,
) -> Result<Proposal> {
    let rules = cx.rules;
    let t = &rules.titration.adult_daily;
    cx.notes.cite(&t.cited.sources);
    let age = age_of(p, cx.ind)?;
    let n = adult_injections(cx)?;
    let now = per_day(v.current, n);
    let (group, _) = adult_group(cx.ind, groups, p, s, age, rules)?;
    let careful = age >= t.older_age_years || diabetic(p);
    let ((cap, cap_why), by_label) = adult_cap_on(p.weight, age, t, cx.on.and_then(|o| o.label));
    if let Some(sources) = &by_label {
        cx.notes.cite(sources);
    }
    cx.notes.why(format!("current dose {now} mg/day"));
    let step = if now > cap {
        down_to_cap(cx, cap, &cap_why)
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
    let review = dates_review(rules, &step.review_id, step.review_from, cx.notes);
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
        limit: limit(
            cx,
            Kind::AdultDaily(groups),
            p,
            n,
            IntensityOrigin::Explicit,
        )?,
    })
}

/// The current dose per day (a weekly dose over the injections a week).
fn per_day(current: CurrentDose, n: u8) -> Micrograms {
    match current {
        CurrentDose::PerDay(d) => Micrograms::round_mg(d).unwrap_or_default(),
        CurrentDose::PerWeek(w) => Micrograms(
            Micrograms::round_mg(w)
                .unwrap_or_default()
                .0
                .div_euclid(i64::from(n).max(1)),
        ),
    }
}

/// A current dose above the hard cap: a decrease to the cap.
fn down_to_cap(cx: &mut Ctx, cap: Micrograms, cap_why: &str) -> Step {
    cx.notes.raise(FlagCode::DoseCapped);
    cx.notes.why(format!(
        "{cap_why}; the current dose is above it: decrease to {cap} mg/day"
    ));
    Step {
        new: cap,
        action: Action::Decrease,
        review_id: cx.rules.titration.adult_daily.review_after_change.clone(),
        review_from: cx.subject.as_of,
        raise: None,
    }
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
    /// How far down an IGF-1 above the ceiling and dose-related symptoms
    /// take the dose (0: neither).
    fn step_down(&self, notes: &mut Notes) -> Micrograms {
        let Decider { t, p, v, .. } = *self;
        let beyond = self.rules.plausibility.igf1_sds_beyond;
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
        down
    }

    /// A decrease by `down`, not below the lowest dose, and its review.
    fn decrease(&self, down: Micrograms, notes: &mut Notes, step: &mut Step) {
        let Decider { t, now, v, .. } = *self;
        let beyond = self.rules.plausibility.igf1_sds_beyond;
        let repeat = &self.rules.plausibility.igf1_repeat_review;
        let floor = t.min_per_day;
        step.new = Micrograms(now.0.saturating_sub(down.0).max(floor.0));
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
    }

    /// By the IGF-1 SDS against the target band: an increase below it, else
    /// maintain.
    fn by_band(&self, notes: &mut Notes, step: &mut Step) {
        let t = self.t;
        match self.v.igf1.sds {
        None => notes.why("no IGF-1 SDS given: the dose cannot be titrated; measure IGF-1"),
        Some(s) if s < t.target.min => self.increase(s, notes, step),
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
    }

    /// The IGF-1 and symptom decision below the cap.
    fn decide(&self, notes: &mut Notes) -> Step {
        let Decider { t, now, v, .. } = *self;
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
        let down = self.step_down(notes);
        if down.0 > 0 {
            self.decrease(down, notes, &mut step);
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
        self.by_band(notes, &mut step);
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
            p,
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
            if p.oral_estrogen {
                notes.why(
                    "on oral estrogen: a low IGF-1 may reflect the oral route (a transdermal route needs less growth hormone)",
                );
            }
        }
        let weeks = t.min_weeks_between_increases;
        let last = v.req.last_dose_change;
        let band = format!("{}-{}", t.target.min, t.target.max);
        if let Some(e) = last.map(|c| dates_plus(c, u64::from(weeks) * 7))
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
            notes.raise(FlagCode::LastChangeUnknown);
            notes.why(format!(
                "no --last-dose-change given: the minimum interval between increases ({weeks} weeks) was not checked"
            ));
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
