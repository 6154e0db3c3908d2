//! Adults on a weekly analogue (Sogroya): the label's start table (hepatic
//! impairment, switching from daily, oral estrogen, age); at a visit steps by
//! the distance of IGF-1 SDS from the target band, inside the sampling
//! window, no sooner than the minimum interval, never above the maximum.

use super::{Visit, step_above, step_below, weekly_dose};
use crate::dosing::device::{OnProduct, adult_weekly_label, weekly_target};
use crate::dosing::error::Result;
use crate::dosing::guard::{IntensityOrigin, limit};
use crate::dosing::outcome::{Dose, LabelRange};
use crate::dosing::patient::{NextReview, Patient, fmt_sds};
use crate::dosing::patient::{dates_next_window, dates_plus, dates_review};
use crate::dosing::proposal::{Ctx, Kind, Proposal, Raise, age_of};
use crate::dosing::range::weekly_range;
use crate::dosing::trail::Notes;
use crate::rules::products::AdultWeekly;
use crate::units::Micrograms;
use crate::vocab::{Action, Condition, FlagCode};

/// The starting dose.
pub(crate) fn start(cx: &mut Ctx, on: &OnProduct, p: &Patient) -> Result<Proposal> {
    let product = on.product;
    let (label, aw) = adult_weekly_label(cx.ind, on)?;
    let age = age_of(p, cx.ind)?;
    cx.notes.cite(&product.cited.sources);
    cx.notes.cite(&label.cited.sources);
    cx.notes.cite(&aw.cited.sources);
    let (start, max, why) = start_dose(aw, p, age, cx.notes);
    cx.notes.why(format!(
        "{} adult start ({}, grade {}): {start} mg/week ({why}); maximum {max} mg/week",
        product.name, label.region, label.cited.grade
    ));
    if p.oral_estrogen {
        cx.notes.raise(FlagCode::OralEstrogen);
    }
    let range = weekly_range(max);
    // The first titration comes after 2-4 weeks, with IGF-1 on the label's sampling day.
    let review = dates_review(
        cx.rules,
        &aw.review_after_change,
        cx.subject.as_of,
        cx.notes,
    );
    Ok(Proposal {
        action: Action::Start,
        dose: weekly(start),
        label_range: Some(LabelRange {
            region: label.region,
            mg_per_kg_per_week: None,
            mg_per_day: None,
            mg_per_week: range.mg_per_week,
        }),
        range,
        target: Some(weekly_target(start, None, max)),
        review,
        group: Some(aw.group.clone()),
        labelled: true,
        raise: None,
        limit: limit(cx, Kind::WeeklyAdult(on), p, 1, IntensityOrigin::Explicit)?,
    })
}

fn weekly(mg: Micrograms) -> Dose {
    Dose {
        mg_per_week: mg,
        mg_per_kg_per_week: None,
        injections_per_week: 1,
        mg_per_injection: mg,
        iu_per_injection: None,
        deliverable: None,
    }
}

/// The adult weekly start and maximum, and why. Hepatic impairment first,
/// then the switching table (where the label has one), oral estrogen, age.
fn start_dose(
    aw: &AdultWeekly,
    p: &Patient,
    age: f64,
    notes: &mut Notes,
) -> (Micrograms, Micrograms, String) {
    if p.has(Condition::HepaticImpairmentModerate) {
        return (
            aw.hepatic_moderate_start,
            aw.hepatic_moderate_max,
            "moderate hepatic impairment".into(),
        );
    }
    let older = aw.older.applies(age);
    if p.switching_from_daily {
        let switch = if p.oral_estrogen {
            aw.switch_oral_estrogen_start
                .map(|s| (s, "switching from daily GH, oral estrogen"))
        } else if older {
            aw.switch_older_start
                .map(|s| (s, "switching from daily GH, older than the label's age"))
        } else {
            aw.switch_start.map(|s| (s, "switching from daily GH"))
        };
        match switch {
            Some((s, why)) => return (s, aw.max, why.into()),
            None => notes.why("switching from daily GH: this label starts switching patients like treatment-naive ones"),
        }
    }
    if p.oral_estrogen {
        (aw.oral_estrogen_start, aw.max, "oral estrogen".into())
    } else if older {
        (aw.older_start, aw.max, aw.older.to_string())
    } else {
        (aw.start, aw.max, "standard".into())
    }
}

/// The decision at a visit.
pub(crate) fn titrate(cx: &mut Ctx, on: &OnProduct, p: &Patient, v: &Visit) -> Result<Proposal> {
    let product = on.product;
    let (label, aw) = adult_weekly_label(cx.ind, on)?;
    let now = weekly_dose(v.current, &product.id)?;
    let age = age_of(p, cx.ind)?;
    cx.notes.cite(&label.cited.sources);
    cx.notes.cite(&aw.cited.sources);
    let max = if p.has(Condition::HepaticImpairmentModerate) {
        aw.hepatic_moderate_max
    } else {
        aw.max
    };
    cx.notes.why(format!(
        "current dose {now} mg/week of {}; maximum {max} mg/week",
        product.name
    ));
    let smaller = if aw.older.applies(age) {
        Some(aw.older.to_string())
    } else if p.has(Condition::HepaticImpairmentModerate) {
        Some("moderate hepatic impairment".to_string())
    } else {
        None
    };
    let stepper = Stepper {
        aw,
        now,
        max,
        smaller,
        window: product.igf1_sample_days,
        v,
        beyond: cx.rules.plausibility.igf1_sds_beyond,
    };
    let out = stepper.step(cx.notes);
    let rules = cx.rules;
    let review_id = match out.review {
        Next::Stable => &rules.titration.adult_daily.review_stable,
        Next::AfterChange => &aw.review_after_change,
        Next::Repeat => &rules.plausibility.igf1_repeat_review,
        Next::Recheck => &rules.titration.adult_daily.review_recheck,
        Next::Window(_) => &aw.review_after_change,
    };
    let review = match out.review {
        Next::Window(r) => r,
        _ => dates_review(rules, review_id, cx.subject.as_of, cx.notes),
    };
    Ok(Proposal {
        action: out.action,
        dose: weekly(out.new),
        range: weekly_range(max),
        label_range: None,
        target: Some(weekly_target(out.new, None, max.max(out.new))),
        review,
        group: Some(aw.group.clone()),
        labelled: true,
        raise: out.raise,
        limit: limit(cx, Kind::WeeklyAdult(on), p, 1, IntensityOrigin::Explicit)?,
    })
}

/// What a weekly adult step reads.
struct Stepper<'a> {
    aw: &'a AdultWeekly,
    now: Micrograms,
    max: Micrograms,
    /// Why steps up are the smaller ones (older age, moderate hepatic impairment).
    smaller: Option<String>,
    window: Option<(u32, u32)>,
    v: &'a Visit<'a>,
    beyond: f64,
}

/// Which review follows a step.
enum Next {
    Stable,
    AfterChange,
    Repeat,
    Recheck,
    /// The next sampling window after a mistimed sample.
    Window(Option<NextReview>),
}

/// Where a weekly adult step lands.
struct Out {
    action: Action,
    new: Micrograms,
    review: Next,
    raise: Option<Raise>,
}

impl Stepper<'_> {
    fn keep(&self, action: Action, review: Next) -> Out {
        Out {
            action,
            new: self.now,
            review,
            raise: None,
        }
    }

    /// Target band, steps by distance, interval, maximum.
    fn step(&self, notes: &mut Notes) -> Out {
        let Stepper {
            aw, now, max, v, ..
        } = *self;
        let as_of = v.req.subject.as_of;
        if now > max {
            notes.raise(FlagCode::DoseCapped);
            notes.why(format!(
                "the current dose is above the maximum: decrease to {max} mg/week"
            ));
            return Out {
                action: Action::Decrease,
                new: max,
                review: Next::AfterChange,
                raise: None,
            };
        }
        if v.igf1.mistimed {
            let next = v
                .req
                .last_injection
                .zip(self.window)
                .map(|(l, w)| dates_next_window(l, as_of, w));
            return self.keep(Action::Recheck, Next::Window(next));
        }
        let Some(s) = v.igf1.sds else {
            notes.why(
                "no IGF-1 SDS given: the dose cannot be titrated; measure IGF-1 in the sampling window",
            );
            return self.keep(Action::Maintain, Next::Stable);
        };
        if s < -self.beyond {
            notes.why(format!(
                "IGF-1 SDS {} is implausible: repeat it before deciding; the dose is kept",
                fmt_sds(s)
            ));
            return self.keep(Action::Recheck, Next::Repeat);
        }
        if s > aw.target.max {
            return self.down(s, notes);
        }
        if v.igf1.stale {
            return self.keep(Action::Recheck, Next::Recheck);
        }
        if s >= aw.target.min {
            notes.why(format!(
                "IGF-1 SDS {} is inside the target band {}-{}: maintain",
                fmt_sds(s),
                aw.target.min,
                aw.target.max
            ));
            return self.keep(Action::Maintain, Next::Stable);
        }
        self.up(s, notes)
    }

    fn down(&self, s: f64, notes: &mut Notes) -> Out {
        let (aw, now) = (self.aw, self.now);
        notes.raise(FlagCode::Igf1AboveRange);
        let step = step_above(&aw.step_down, s).unwrap_or(now);
        let new = Micrograms(now.0.saturating_sub(step.0));
        if new.0 <= 0 {
            notes.why(format!(
                "IGF-1 SDS {} is above {} at the lowest dose: re-evaluate",
                fmt_sds(s),
                fmt_sds(aw.target.max)
            ));
            return self.keep(Action::Maintain, Next::Stable);
        }
        notes.why(format!(
            "IGF-1 SDS {} is above the target band {}-{}: {now} - {step} = {new} mg/week",
            fmt_sds(s),
            aw.target.min,
            aw.target.max
        ));
        let review = if s > self.beyond {
            notes.why("an implausibly high IGF-1: repeat it soon");
            Next::Repeat
        } else {
            Next::AfterChange
        };
        Out {
            action: Action::Decrease,
            new,
            review,
            raise: None,
        }
    }

    fn up(&self, s: f64, notes: &mut Notes) -> Out {
        let (aw, now, max) = (self.aw, self.now, self.max);
        let mut step = step_below(&aw.step_up, s).unwrap_or(aw.step_up_max_older);
        if let Some(why) = &self.smaller
            && step > aw.step_up_max_older
        {
            step = aw.step_up_max_older;
            notes.why(format!("{why}: steps of at most {step} mg"));
        }
        let weeks = aw.min_weeks_between_increases;
        if let Some(change) = self.v.req.last_dose_change {
            let earliest = dates_plus(change, u64::from(weeks) * 7);
            if earliest > self.v.req.subject.as_of {
                notes.raise(FlagCode::TitrationTooSoon);
                notes.why(format!("an increase of {step} mg is due, but not before {earliest} ({weeks} weeks after the last change)"));
                return self.keep(Action::Maintain, Next::AfterChange);
            }
        }
        let mut new = Micrograms(now.0.saturating_add(step.0));
        if new > max {
            notes.raise(FlagCode::DoseCapped);
            new = max;
        }
        if new <= now {
            notes.why(format!("already at the maximum {max} mg/week"));
            return self.keep(Action::Maintain, Next::Stable);
        }
        notes.why(format!(
            "IGF-1 SDS {} is below the target band {}-{}: {now} + {step} = {new} mg/week",
            fmt_sds(s),
            aw.target.min,
            aw.target.max
        ));
        Out {
            action: Action::Increase,
            new,
            review: Next::AfterChange,
            raise: Some(Raise::Igf1Low(s)),
        }
    }
}

#[cfg(test)]
mod tests;
