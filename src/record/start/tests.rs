#![allow(clippy::unwrap_used, clippy::expect_used)]

use super::place;
use crate::dosing::{AgeInput, Field, PatientInput, Route, StartRequest, Subject};
use crate::record::{Course, read};
use crate::rules::RuleSet;
use crate::units::Micrograms;
use crate::vocab::FlagCode;
use chrono::NaiveDate;

const START: &str = r#"{"record":"gh-dose-visit","record_version":1,"date":"2026-01-10","command":"start","patient":{"sex":"female","birth_date":"2018-03-01"},"indication":"turner","measurements":{"weight_kg":24.0,"height_cm":118.0,"height_sds":null,"height_sds_source":null,"bmi":null,"pubertal":false},"igf1":null,"dose_before":null,"dose":{"product":"norditropin","device":"flexpro-10","region":"US","injections_per_week":7,"injections_per_dose":1,"mg_per_injection":1.15,"mg_per_week":8.05,"mg_per_kg_per_week":0.335},"decision":{"action":"start","change_percent":null,"reduced_for_igf1":false,"flags":[],"next_review":null,"from_record":[],"overridden":[]},"rules":{"source":"built-in","version":"2026.11","sha256":"ab","products_sha256":null},"gh_dose_version":"0.1.0"}"#;

fn day(s: &str) -> NaiveDate {
    s.parse().unwrap()
}

fn course(lines: &[String]) -> Course {
    read(&(lines.join("\n") + "\n"), "p.jsonl").unwrap()
}

fn start(product: &str) -> StartRequest {
    let mut s = Subject::new("turner", day("2026-09-10"), PatientInput::default());
    s.product.product = Some(product.to_string());
    StartRequest::new(s)
}

#[test]
fn after_a_stop_the_start_is_the_restart_with_the_dose_before() {
    let mut stop: serde_json::Value = serde_json::from_str(START).unwrap();
    stop["date"] = "2026-07-10".into();
    stop["command"] = "titrate".into();
    stop["dose"] = serde_json::Value::Null;
    stop["decision"]["action"] = "stop".into();
    stop["decision"]["flags"] = serde_json::json!(["INTRACRANIAL_HYPERTENSION"]);
    let c = course(&[START.to_string(), stop.to_string()]);
    let rules = RuleSet::built_in().unwrap();
    let mut req = start("norditropin");
    let (who, note, _) = place(&mut req, &c, "p.jsonl", &rules, Route::Flags).unwrap();
    assert_eq!(who.birth_date, day("2018-03-01"));
    assert_eq!(
        req.subject.patient.age,
        Some(AgeInput::BirthDate(day("2018-03-01")))
    );
    assert_eq!(
        note.as_deref(),
        Some(
            "the record's last visit (2026-07-10, line 2) gave no dose (stop); this start is the restart"
        )
    );
    let r = req.restart.unwrap();
    assert_eq!(r.stopped_on, day("2026-07-10"));
    assert_eq!(r.known_from, "p.jsonl, line 2");
    assert_eq!(r.stopped_for, [FlagCode::IntracranialHypertension]);
    assert_eq!(r.dose_before, Micrograms::round_mg(8.05));
}

#[test]
fn a_start_on_the_same_molecule_is_refused_and_another_is_a_switch() {
    let c = course(&[START.to_string()]);
    let rules = RuleSet::built_in().unwrap();
    let e = place(
        &mut start("genotropin"),
        &c,
        "p.jsonl",
        &rules,
        Route::Flags,
    )
    .unwrap_err();
    assert_eq!(e.field, Field::Record);
    assert!(
        e.render(Route::Flags).contains(
            "the same molecule: a visit on treatment is a titration: gh-dose titrate --record p.jsonl"
        ),
        "{}",
        e.render(Route::Flags)
    );
    let mut req = start("sogroya");
    let (_, note, _) = place(&mut req, &c, "p.jsonl", &rules, Route::Flags).unwrap();
    assert_eq!(
        note.as_deref(),
        Some(
            "switch: the record's last visit (2026-01-10, line 1) gave 8.05 mg/week of norditropin; this starts another molecule"
        )
    );
    assert_eq!(req.restart, None);
}
