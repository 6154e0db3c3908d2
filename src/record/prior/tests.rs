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
