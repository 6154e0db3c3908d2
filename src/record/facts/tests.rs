#![allow(clippy::unwrap_used, clippy::expect_used)]

use super::{carry, of, without_record};
use crate::dosing::{Field, PatientInput, Route};
use crate::record::read;
use crate::vocab::{Condition, Fact};

/// A visit line holding `facts` (or none: a line written before them).
fn line(facts: Option<&str>) -> String {
    let facts = facts.map_or(String::new(), |f| format!(r#""patient_facts":{f},"#));
    format!(
        r#"{{"record":"gh-dose-visit","record_version":1,"date":"2026-01-05","command":"start","patient":{{"sex":"female","birth_date":"1980-01-01"}},"indication":"adult-ghd","measurements":{{"weight_kg":65.0,"height_cm":null,"height_sds":null,"height_sds_source":null,"bmi":null,"pubertal":false}},{facts}"igf1":null,"dose_before":null,"dose":{{"product":"sogroya","device":"pen-5","region":"EU","injections_per_week":1,"injections_per_dose":1,"mg_per_injection":1.0,"mg_per_week":1.0,"mg_per_kg_per_week":null}},"decision":{{"action":"start","change_percent":null,"reduced_for_igf1":false,"flags":[],"next_review":null,"from_record":[],"overridden":[]}},"rules":{{"source":"built-in","version":"2026.11","sha256":"ab","products_sha256":null}},"gh_dose_version":"0.1.0"}}"#
    )
}

const HEPATIC: &str = r#"{"conditions":["hepatic-impairment-moderate"],"oral_estrogen":true,"diabetes":false,"obesity":false,"resolved":[]}"#;

#[test]
fn the_latest_visit_s_facts_are_carried_and_named() {
    let c = read(&format!("{}\n", line(Some(HEPATIC))), "p.jsonl").unwrap();
    let mut p = PatientInput::default();
    let got = carry(&mut p, c.last(), Route::Flags).unwrap();
    assert_eq!(p.conditions, [Condition::HepaticImpairmentModerate]);
    assert!(p.oral_estrogen && !p.diabetes && !p.obesity);
    assert_eq!(got.line, 1);
    assert_eq!(
        got.taken,
        [
            (
                Field::Condition,
                "condition hepatic-impairment-moderate".to_string()
            ),
            (Field::OralEstrogen, "oral estrogen".to_string())
        ]
    );
    assert_eq!(
        got.notes,
        [
            "a condition or treatment fact carried from the visit record holds until a visit gives --resolved NAME"
        ]
    );
    // The line the visit then writes keeps them.
    assert_eq!(serde_json::to_string(&of(&p)).unwrap(), HEPATIC.to_string());
}

#[test]
fn a_fact_given_again_is_not_taken_and_a_resolved_one_is_not_carried() {
    let c = read(&format!("{}\n", line(Some(HEPATIC))), "p.jsonl").unwrap();
    let mut p = PatientInput {
        oral_estrogen: true,
        resolved: vec![Fact::Condition(Condition::HepaticImpairmentModerate)],
        ..Default::default()
    };
    let got = carry(&mut p, c.last(), Route::Flags).unwrap();
    assert!(p.conditions.is_empty());
    assert!(got.taken.is_empty());
    assert_eq!(
        got.notes,
        [
            "hepatic-impairment-moderate resolved (--resolved hepatic-impairment-moderate): held by the visit record (line 1), no longer carried"
        ]
    );
    let kept = of(&p);
    assert!(kept.conditions.is_empty() && kept.oral_estrogen);
    assert_eq!(
        kept.resolved,
        [Fact::Condition(Condition::HepaticImpairmentModerate)]
    );
}

#[test]
fn a_fact_the_record_does_not_hold_cannot_be_resolved() {
    let c = read(&format!("{}\n", line(Some(HEPATIC))), "p.jsonl").unwrap();
    let mut p = PatientInput {
        resolved: vec![Fact::Diabetes],
        ..Default::default()
    };
    let e = carry(&mut p, c.last(), Route::Json).unwrap_err();
    assert_eq!(e.field, Field::Resolved);
    assert_eq!(
        e.render(Route::Json),
        "resolved diabetes: the visit record does not hold it (its latest visit (2026-01-05, line 1) holds hepatic-impairment-moderate, oral-estrogen)"
    );
    let mut p = PatientInput {
        diabetes: true,
        resolved: vec![Fact::Diabetes],
        ..Default::default()
    };
    assert!(carry(&mut p, c.last(), Route::Flags).is_err());
    let mut p = PatientInput {
        resolved: vec![Fact::Obesity],
        ..Default::default()
    };
    assert_eq!(
        carry(&mut p, None, Route::Flags)
            .unwrap_err()
            .render(Route::Flags),
        "--resolved obesity: the visit record does not hold it (it has no visit yet)"
    );
    assert_eq!(
        without_record(&p, Route::Flags)
            .unwrap_err()
            .render(Route::Flags),
        "--resolved obesity given without --record: a condition or treatment fact is resolved against the visit record that holds it"
    );
    assert_eq!(
        without_record(&PatientInput::default(), Route::Flags),
        Ok(())
    );
}

#[test]
fn a_line_written_before_the_facts_still_reads_and_carries_nothing() {
    let c = read(&format!("{}\n", line(None)), "p.jsonl").unwrap();
    let last = c.last().unwrap();
    assert_eq!(last.visit.patient_facts, None);
    let mut p = PatientInput::default();
    let got = carry(&mut p, Some(last), Route::Flags).unwrap();
    assert!(got.taken.is_empty() && p.conditions.is_empty() && !p.oral_estrogen);
}

#[test]
fn a_start_names_what_it_carried_once_per_field_with_its_line() {
    use super::Carried;
    let carried = Carried {
        line: 3,
        taken: vec![
            (Field::Condition, "condition a".to_string()),
            (Field::Condition, "condition b".to_string()),
            (Field::OralEstrogen, "oral estrogen".to_string()),
        ],
        notes: vec!["resolved: diabetes".to_string()],
    };
    let (notes, how) = carried.named();
    assert_eq!(
        notes,
        [
            "from the visit record, line 3: condition a; condition b; oral estrogen",
            "resolved: diabetes"
        ]
    );
    assert_eq!(
        how.from_record,
        [
            ("condition".to_string(), 3),
            ("oral_estrogen".to_string(), 3)
        ]
    );
    // Nothing taken: no line named, only the notes.
    let none = Carried {
        line: 4,
        taken: vec![],
        notes: vec!["n".to_string()],
    };
    let (notes, how) = none.named();
    assert_eq!(notes, ["n"]);
    assert!(how.from_record.is_empty());
}
