//! What a titration takes from the record: the dose the patient is on, the
//! last change (and whether it was a reduction for a high IGF-1), the
//! earlier height, the treatment start. Each value carries the line it came
//! from, so the rationale can cite it.

use super::read::{Course, Line};
use super::visit::{GivenDose, Identity, VisitLine};
use crate::growth::decimal_age;
use crate::vocab::{Action, FlagCode};
use chrono::NaiveDate;

/// A value and the record line it came from.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct At<T> {
    pub value: T,
    pub line: usize,
    pub date: NaiveDate,
}

/// The last dose change.
#[derive(Debug, Clone, PartialEq)]
pub struct LastChange {
    pub at: At<Action>,
    /// The weight when the dose was set (kg).
    pub weight_kg: Option<f64>,
    /// The IGF-1 SDS that made it a reduction for a high IGF-1.
    pub reduced_for_igf1: Option<f64>,
    /// The weekly dose it set, in mg.
    pub to_mg_per_week: Option<f64>,
    /// The weekly dose given before it (the dose a reduction for a high
    /// IGF-1 came down from), in mg.
    pub from_mg_per_week: Option<f64>,
    /// The product of that dose.
    pub product: Option<String>,
}

/// Treatment off since the latest dose given: the first visit that stopped
/// or withheld it, and the flags of every such visit since.
#[derive(Debug, Clone, PartialEq)]
pub struct Off {
    pub at: At<Action>,
    pub flags: Vec<FlagCode>,
}

/// What the record says before a visit dated `as_of`.
#[derive(Debug, Clone, PartialEq)]
pub struct Prior<'a> {
    pub identity: Identity,
    pub indication: &'a str,
    /// The latest visit.
    pub last: &'a Line,
    /// The dose given since the latest visit; `None` when that visit
    /// withheld or stopped treatment.
    pub dose: Option<At<&'a GivenDose>>,
    /// The latest dose given at any visit (before a stop, too).
    pub given: Option<At<&'a GivenDose>>,
    pub last_change: Option<LastChange>,
    /// The latest reduction for a high IGF-1, while no later increase was
    /// for a low IGF-1: growth and weight changes since do not end it.
    pub reduction: Option<LastChange>,
    /// The latest height measured before the visit: at least `shortest`
    /// years earlier when one is, else the latest.
    pub previous_height: Option<At<f64>>,
    /// The latest start not followed by a stop before a restart.
    pub treatment_start: Option<At<()>>,
    /// Treatment stopped or withheld since the latest dose given.
    pub off: Option<Off>,
    /// How many visits the record holds.
    pub visits: usize,
    /// The weights and heights measured before the visit, oldest first (the
    /// patient's own trajectory).
    pub measured: Vec<At<Measures>>,
    /// The latest IGF-1 SDS of the record (its sampling date), when no
    /// decrease followed it: a result not yet acted on.
    pub igf1_unanswered: Option<At<f64>>,
}

/// A visit's weight and height.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Measures {
    pub weight_kg: Option<f64>,
    pub height_cm: Option<f64>,
}

impl Prior<'_> {
    /// What the record says before `as_of`; `None` for a record with no
    /// visit. `shortest` is the shortest interval (years) the rules annualise
    /// a height velocity over.
    pub fn of(course: &Course, as_of: NaiveDate, shortest: f64) -> Option<Prior<'_>> {
        let last = course.last()?;
        let at = |l: &Line| (l.number, l.visit.date);
        let dose = last.visit.dose.as_ref().map(|d| {
            let (line, date) = at(last);
            At {
                value: d,
                line,
                date,
            }
        });
        let last_change = course
            .lines
            .iter()
            .rev()
            .find(|l| changed(&l.visit))
            .map(change_of);
        let reduction = last_reduction(course);
        let given = course.lines.iter().rev().find_map(|l| {
            l.visit.dose.as_ref().map(|d| At {
                value: d,
                line: l.number,
                date: l.visit.date,
            })
        });
        let heights = course.lines.iter().rev().filter_map(|l| {
            let h = l.visit.measurements.height_cm?;
            (l.visit.date < as_of).then_some(At {
                value: h,
                line: l.number,
                date: l.visit.date,
            })
        });
        let previous_height = heights
            .clone()
            .find(|h| decimal_age(h.date, as_of).is_ok_and(|years| years >= shortest))
            .or_else(|| heights.clone().next());
        Some(Prior {
            identity: last.visit.patient,
            indication: &last.visit.indication,
            last,
            dose,
            given,
            last_change,
            reduction,
            previous_height,
            treatment_start: treatment_start(course),
            off: off(course),
            visits: course.lines.len(),
            measured: measured(course, as_of),
            igf1_unanswered: igf1_unanswered(course),
        })
    }
}

/// The latest IGF-1 SDS of the record, unless a decrease was decided at or
/// after its visit.
fn igf1_unanswered(course: &Course) -> Option<At<f64>> {
    let i = course
        .lines
        .iter()
        .rposition(|l| l.visit.igf1.as_ref().and_then(|g| g.sds).is_some())?;
    let l = &course.lines[i];
    let answered = course.lines[i..]
        .iter()
        .any(|l| l.visit.decision.action == crate::vocab::Action::Decrease);
    let g = l.visit.igf1.as_ref()?;
    (!answered).then_some(At {
        value: g.sds?,
        line: l.number,
        date: g.date.unwrap_or(l.visit.date),
    })
}

/// A visit that set a new dose: a start that gave one, an increase or a
/// decrease.
fn changed(v: &VisitLine) -> bool {
    v.dose.is_some() && (v.command == "start" || v.decision.action.changes())
}

/// The weights and heights of the visits before `as_of`, oldest first.
fn measured(course: &Course, as_of: NaiveDate) -> Vec<At<Measures>> {
    course
        .lines
        .iter()
        .filter(|l| l.visit.date < as_of)
        .filter_map(|l| {
            let m = &l.visit.measurements;
            (m.weight_kg.is_some() || m.height_cm.is_some()).then_some(At {
                value: Measures {
                    weight_kg: m.weight_kg,
                    height_cm: m.height_cm,
                },
                line: l.number,
                date: l.visit.date,
            })
        })
        .collect()
}

fn off(course: &Course) -> Option<Off> {
    let since: Vec<&Line> = course
        .lines
        .iter()
        .rev()
        .take_while(|l| l.visit.dose.is_none())
        .collect();
    let first = since.last()?;
    let mut flags: Vec<FlagCode> = Vec::new();
    for l in since.iter().rev() {
        for f in &l.visit.decision.flags {
            if !flags.contains(f) {
                flags.push(*f);
            }
        }
    }
    Some(Off {
        at: At {
            value: first.visit.decision.action,
            line: first.number,
            date: first.visit.date,
        },
        flags,
    })
}

/// The decision of a line that changed the dose, with the weight, the
/// IGF-1 reduced for and the doses before and after.
fn change_of(l: &Line) -> LastChange {
    LastChange {
        at: At {
            value: l.visit.decision.action,
            line: l.number,
            date: l.visit.date,
        },
        weight_kg: l.visit.measurements.weight_kg,
        reduced_for_igf1: l
            .visit
            .decision
            .reduced_for_igf1
            .then(|| l.visit.igf1.as_ref().and_then(|i| i.sds))
            .flatten(),
        to_mg_per_week: l.visit.dose.as_ref().map(|d| d.mg_per_week),
        from_mg_per_week: l.visit.dose_before.as_ref().map(|d| d.mg_per_week),
        product: l.visit.dose.as_ref().and_then(|d| d.product.clone()),
    }
}

/// The last reduction for a high IGF-1, unless an increase for a low IGF-1
/// on treatment came after it.
fn last_reduction(course: &Course) -> Option<LastChange> {
    course
        .lines
        .iter()
        .rev()
        .take_while(|l| {
            !(l.visit.decision.action == Action::Increase
                && l.visit
                    .decision
                    .flags
                    .contains(&FlagCode::Igf1LowOnTreatment))
        })
        .find(|l| changed(&l.visit) && l.visit.decision.reduced_for_igf1)
        .map(change_of)
        .filter(|c| c.reduced_for_igf1.is_some())
}

fn treatment_start(course: &Course) -> Option<At<()>> {
    let mut start: Option<At<()>> = None;
    let mut stopped = false;
    for l in &course.lines {
        let v = &l.visit;
        if v.command == "start" && v.dose.is_some() && (start.is_none() || stopped) {
            start = Some(At {
                value: (),
                line: l.number,
                date: v.date,
            });
            stopped = false;
        }
        if v.decision.action == Action::Stop {
            stopped = true;
        }
    }
    start
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::record::read::read;

    const START: &str = r#"{"record":"gh-dose-visit","record_version":1,"date":"2026-01-10","command":"start","patient":{"sex":"female","birth_date":"2018-03-01"},"indication":"turner","measurements":{"weight_kg":24.0,"height_cm":118.0,"height_sds":1.53,"height_sds_source":"turner-lyon1985-height","bmi":17.2,"pubertal":false},"igf1":null,"dose_before":null,"dose":{"product":"norditropin","device":"flexpro-10","region":"US","injections_per_week":7,"injections_per_dose":1,"mg_per_injection":1.15,"mg_per_week":8.05,"mg_per_kg_per_week":0.335},"decision":{"action":"start","change_percent":null,"reduced_for_igf1":false,"flags":[],"next_review":null,"from_record":[],"overridden":[]},"rules":{"source":"built-in","version":"2026.11","sha256":"ab","products_sha256":null},"gh_dose_version":"0.1.0"}"#;

    /// A visit like START on `date`, changed by `edit`.
    fn visit(date: &str, edit: impl Fn(&mut serde_json::Value)) -> String {
        let mut v: serde_json::Value = serde_json::from_str(START).unwrap();
        v["date"] = date.into();
        v["command"] = "titrate".into();
        v["decision"]["action"] = "maintain".into();
        edit(&mut v);
        v.to_string()
    }

    fn course(lines: &[String]) -> Course {
        read(&(lines.join("\n") + "\n"), "p.jsonl").unwrap()
    }

    fn day(s: &str) -> NaiveDate {
        s.parse().unwrap()
    }

    #[test]
    fn the_stops_since_the_last_dose_gather_their_flags() {
        let off = |flag: &str, action: &str| {
            let (flag, action) = (flag.to_string(), action.to_string());
            move |v: &mut serde_json::Value| {
                v["decision"]["action"] = action.clone().into();
                v["decision"]["flags"] = serde_json::json!([flag.clone()]);
                v["dose"] = serde_json::Value::Null;
            }
        };
        let c = course(&[
            START.to_string(),
            visit("2026-07-10", off("INTRACRANIAL_HYPERTENSION", "stop")),
            visit("2026-08-10", |v| {
                off("CRITICAL_ILLNESS", "withhold")(v);
                v["command"] = "start".into();
            }),
        ]);
        let o = Prior::of(&c, day("2027-01-10"), 0.5).unwrap().off.unwrap();
        assert_eq!((o.at.line, o.at.date), (2, day("2026-07-10")));
        assert_eq!(
            o.flags,
            vec![
                FlagCode::IntracranialHypertension,
                FlagCode::CriticalIllness
            ]
        );
    }

    #[test]
    fn the_earlier_height_is_the_latest_far_enough_back() {
        let c = course(&[
            START.to_string(),
            visit("2026-04-10", |v| {
                v["measurements"]["height_cm"] = 120.0.into()
            }),
            visit("2026-08-10", |v| {
                v["measurements"]["height_cm"] = serde_json::Value::Null
            }),
            visit("2026-09-10", |v| {
                v["measurements"]["height_cm"] = 122.5.into()
            }),
        ]);
        // Half a year before 2026-12-10 is 2026-06-10: line 2 (120 cm).
        let p = Prior::of(&c, day("2026-12-10"), 0.5).unwrap();
        let h = p.previous_height.unwrap();
        assert_eq!((h.value, h.line, h.date), (120.0, 2, day("2026-04-10")));
        // None far enough back: the latest earlier one.
        let p = Prior::of(&c, day("2026-12-10"), 5.0).unwrap();
        assert_eq!(p.previous_height.unwrap().line, 4);
        // A height on the visit date itself is not an earlier one.
        let p = Prior::of(&c, day("2026-09-10"), 0.0).unwrap();
        assert_eq!(p.previous_height.unwrap().line, 2);
        // Exactly the interval back counts as far enough.
        let p = Prior::of(&c, day("2026-10-10"), 0.5).unwrap();
        assert_eq!(p.previous_height.unwrap().line, 2);
        assert_eq!(p.visits, 4);
    }

    #[test]
    fn the_last_change_is_the_latest_visit_that_set_a_dose() {
        let c = course(&[
            START.to_string(),
            visit("2026-07-10", |v| {
                v["decision"]["action"] = "decrease".into();
                v["decision"]["reduced_for_igf1"] = true.into();
                v["igf1"] = serde_json::json!({"given":"+2.6 SDS","ng_ml":null,"sds":2.6,"method":"reported","reference":null,"date":"2026-07-10"});
                v["measurements"]["weight_kg"] = 26.0.into();
                v["dose"]["mg_per_injection"] = 1.0.into();
                v["dose"]["mg_per_week"] = 7.0.into();
            }),
            visit("2026-10-10", |v| {
                v["decision"]["action"] = "maintain".into()
            }),
        ]);
        let p = Prior::of(&c, day("2027-01-10"), 0.5).unwrap();
        let lc = p.last_change.unwrap();
        assert_eq!((lc.at.line, lc.at.value), (2, Action::Decrease));
        assert_eq!(lc.weight_kg, Some(26.0));
        assert_eq!(lc.reduced_for_igf1, Some(2.6));
        assert_eq!(lc.to_mg_per_week, Some(7.0));
        assert_eq!(lc.product.as_deref(), Some("norditropin"));
        assert_eq!(p.dose.unwrap().line, 3);
        assert_eq!(p.indication, "turner");
        // A later increase replaces it, and is no reduction.
        let c = course(&[
            START.to_string(),
            visit("2026-07-10", |v| {
                v["decision"]["action"] = "increase".into()
            }),
        ]);
        let lc = Prior::of(&c, day("2027-01-10"), 0.5)
            .unwrap()
            .last_change
            .unwrap();
        assert_eq!((lc.at.line, lc.reduced_for_igf1), (2, None));
        // A reduced_for_igf1 without an IGF-1 SDS is no known reduction.
        let c = course(&[visit("2026-07-10", |v| {
            v["decision"]["action"] = "decrease".into();
            v["decision"]["reduced_for_igf1"] = true.into();
        })]);
        let lc = Prior::of(&c, day("2027-01-10"), 0.5)
            .unwrap()
            .last_change
            .unwrap();
        assert_eq!(lc.reduced_for_igf1, None);
    }

    #[test]
    fn a_reduction_lasts_through_weight_changes_until_a_low_igf1_raises_the_dose() {
        let reduced = |v: &mut serde_json::Value| {
            v["decision"]["action"] = "decrease".into();
            v["decision"]["reduced_for_igf1"] = true.into();
            v["igf1"] = serde_json::json!({"given":"+2.6 SDS","ng_ml":null,"sds":2.6,"method":"reported","reference":null,"date":"2026-07-10"});
            v["measurements"]["weight_kg"] = 26.0.into();
            v["dose"]["mg_per_week"] = 7.0.into();
            v["dose"]["mg_per_injection"] = 1.0.into();
        };
        let grown = |action: &'static str| {
            move |v: &mut serde_json::Value| {
                v["decision"]["action"] = action.into();
            }
        };
        let c = course(&[
            START.to_string(),
            visit("2026-07-10", reduced),
            visit("2026-09-10", grown("decrease")),
            visit("2026-11-10", grown("increase")),
        ]);
        let p = Prior::of(&c, day("2027-01-10"), 0.5).unwrap();
        assert_eq!(p.last_change.unwrap().at.line, 4);
        let r = p.reduction.unwrap();
        assert_eq!(
            (r.at.line, r.reduced_for_igf1, r.weight_kg),
            (2, Some(2.6), Some(26.0))
        );
        // An increase for a low IGF-1 ends it.
        let c = course(&[
            START.to_string(),
            visit("2026-07-10", reduced),
            visit("2026-11-10", |v| {
                v["decision"]["action"] = "increase".into();
                v["decision"]["flags"] = serde_json::json!(["IGF1_LOW_ON_TREATMENT"]);
            }),
        ]);
        assert_eq!(
            Prior::of(&c, day("2027-01-10"), 0.5).unwrap().reduction,
            None
        );
        // No reduction at all: none.
        let c = course(&[START.to_string(), visit("2026-07-10", grown("increase"))]);
        assert_eq!(
            Prior::of(&c, day("2027-01-10"), 0.5).unwrap().reduction,
            None
        );
    }

    #[test]
    fn the_earlier_measurements_are_those_before_the_visit_with_a_weight_or_height() {
        let c = course(&[
            START.to_string(),
            visit("2026-04-10", |v| {
                v["measurements"]["weight_kg"] = serde_json::Value::Null;
                v["measurements"]["height_cm"] = 121.0.into();
            }),
            visit("2026-06-10", |v| {
                v["measurements"]["weight_kg"] = serde_json::Value::Null;
                v["measurements"]["height_cm"] = serde_json::Value::Null;
            }),
            visit("2026-08-10", |v| {
                v["measurements"]["weight_kg"] = 27.0.into();
                v["measurements"]["height_cm"] = serde_json::Value::Null;
            }),
            visit("2026-10-10", |v| {
                v["measurements"]["weight_kg"] = 28.0.into();
            }),
        ]);
        let p = Prior::of(&c, day("2026-10-10"), 0.5).unwrap();
        let got: Vec<(usize, Option<f64>, Option<f64>)> = p
            .measured
            .iter()
            .map(|m| (m.line, m.value.weight_kg, m.value.height_cm))
            .collect();
        // Line 3 has neither; line 5 is on the visit's own date.
        assert_eq!(got[1..], [(2, None, Some(121.0)), (4, Some(27.0), None)]);
        assert_eq!(got[0].0, 1);
    }

    #[test]
    fn a_stop_leaves_no_dose_and_a_restart_starts_treatment_again() {
        let stop = |v: &mut serde_json::Value| {
            v["decision"]["action"] = "stop".into();
            v["dose"] = serde_json::Value::Null;
        };
        let c = course(&[
            START.to_string(),
            visit("2026-07-10", stop),
            visit("2026-09-10", |v| v["command"] = "start".into()),
        ]);
        let p = Prior::of(&c, day("2027-01-10"), 0.5).unwrap();
        assert!(p.off.is_none(), "a restart gave a dose again");
        let s = p.treatment_start.unwrap();
        assert_eq!((s.line, s.date), (3, day("2026-09-10")));
        // Without the restart: no dose now, the start of line 1, the dose
        // before the stop still known.
        let c = course(&[START.to_string(), visit("2026-07-10", stop)]);
        let p = Prior::of(&c, day("2027-01-10"), 0.5).unwrap();
        assert!(p.dose.is_none());
        let off = p.off.clone().unwrap();
        assert_eq!((off.at.line, off.at.value), (2, Action::Stop));
        assert_eq!(p.treatment_start.unwrap().line, 1);
        assert_eq!(p.given.unwrap().line, 1);
        assert_eq!(p.last_change.unwrap().at.line, 1);
        // A later start without a stop does not move the treatment start.
        let c = course(&[
            START.to_string(),
            visit("2026-09-10", |v| v["command"] = "start".into()),
        ]);
        assert_eq!(
            Prior::of(&c, day("2027-01-10"), 0.5)
                .unwrap()
                .treatment_start
                .unwrap()
                .line,
            1
        );
        // A withheld start gives no treatment start; the next one does.
        let c = course(&[
            visit("2026-01-10", |v| {
                v["command"] = "start".into();
                v["decision"]["action"] = "withhold".into();
                v["dose"] = serde_json::Value::Null;
            }),
            visit("2026-02-10", |v| v["command"] = "start".into()),
        ]);
        assert_eq!(
            Prior::of(&c, day("2027-01-10"), 0.5)
                .unwrap()
                .treatment_start
                .unwrap()
                .line,
            2
        );
        assert!(Prior::of(&Course::default(), day("2027-01-10"), 0.5).is_none());
    }
}
