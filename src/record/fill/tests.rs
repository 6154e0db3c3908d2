//! Unit tests of `record/fill.rs`.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use super::{Given, fill};
use crate::dosing::{
    AgeInput, CurrentDose, Field, Measured, PatientInput, Route, Subject, TitrateRequest,
};
use crate::record::{Course, Prior, read};
use crate::rules::RuleSet;
use crate::vocab::{Region, Sex};
use chrono::NaiveDate;

const START: &str = r#"{"record":"gh-dose-visit","record_version":1,"date":"2026-01-10","command":"start","patient":{"sex":"female","birth_date":"2018-03-01"},"indication":"turner","measurements":{"weight_kg":24.0,"height_cm":118.0,"height_sds":1.53,"height_sds_source":"turner-lyon1985-height","bmi":17.2,"pubertal":false},"igf1":null,"dose_before":null,"dose":{"product":"norditropin","device":"flexpro-10","region":"EU","injections_per_week":7,"injections_per_dose":1,"mg_per_injection":1.15,"mg_per_week":8.05,"mg_per_kg_per_week":0.335},"decision":{"action":"start","change_percent":null,"reduced_for_igf1":false,"flags":[],"next_review":null,"from_record":[],"overridden":[]},"rules":{"source":"built-in","version":"2026.11","sha256":"ab","products_sha256":null},"gh_dose_version":"0.1.0"}"#;

fn day(s: &str) -> NaiveDate {
    s.parse().unwrap()
}

fn course() -> Course {
    read(&format!("{START}\n"), "p.jsonl").unwrap()
}

/// A visit on 2026-07-10 with a weight and a height, nothing else.
fn request() -> TitrateRequest {
    TitrateRequest::new(Subject::new(
        "",
        day("2026-07-10"),
        PatientInput {
            weight_kg: Some(Measured::plain(26.0, Field::WeightKg)),
            height_cm: Some(Measured::plain(122.0, Field::HeightCm)),
            ..Default::default()
        },
    ))
}

#[test]
fn what_the_request_leaves_out_is_taken_from_the_record_and_named_by_line() {
    let rules = RuleSet::built_in().unwrap();
    let c = course();
    let prior = Prior::of(&c, day("2026-07-10"), 0.25).unwrap();
    let mut req = request();
    let f = fill(
        &mut req,
        Given::default(),
        &prior,
        "p.jsonl",
        Route::Flags,
        &rules,
    )
    .unwrap();
    assert_eq!(req.subject.indication, "turner");
    assert_eq!(req.subject.patient.sex, Some(Sex::Female));
    assert_eq!(
        req.subject.patient.age,
        Some(AgeInput::BirthDate(day("2018-03-01")))
    );
    assert_eq!(req.subject.product.product.as_deref(), Some("norditropin"));
    assert_eq!(req.subject.product.device.as_deref(), Some("flexpro-10"));
    assert_eq!(req.subject.product.region, Region::Eu);
    assert_eq!(req.current, Some(CurrentDose::PerWeek(8.05)));
    assert_eq!(req.subject.injections_per_week, Some(7));
    assert_eq!(req.last_dose_change, Some(day("2026-01-10")));
    assert_eq!(req.previous_weight_kg, Some(24.0));
    assert_eq!(req.previous_weight_date, Some(day("2026-01-10")));
    let h = req.previous_height_cm.as_ref().unwrap();
    assert_eq!((h.value, h.field), (118.0, Field::PreviousHeightCm));
    assert_eq!(req.previous_height_date, Some(day("2026-01-10")));
    assert_eq!(req.treatment_start, Some(day("2026-01-10")));
    assert_eq!(
        f.history.notes,
        [
            "from the visit record, line 1: indication turner; product norditropin; device flexpro-10; region EU; current dose 1.15 mg/day (8.05 mg/week) since 2026-01-10; last dose change 2026-01-10 (start); weight 24 kg when the dose was set; previous height 118 cm on 2026-01-10; treatment started 2026-01-10"
        ]
    );
    assert_eq!(f.how.device_before.as_deref(), Some("flexpro-10"));
    let fields: Vec<&str> = f.how.from_record.iter().map(|(f, _)| f.as_str()).collect();
    assert_eq!(
        fields,
        [
            "sex",
            "birth_date",
            "indication",
            "product",
            "device",
            "region",
            "current_mg_per_week",
            "last_dose_change",
            "previous_weight_kg",
            "previous_height_cm",
            "treatment_start"
        ]
    );
    assert!(f.how.overridden.is_empty());
    assert_eq!(f.history.reduction, None);
}

#[test]
fn a_value_given_that_differs_overrides_the_record_and_is_named() {
    let rules = RuleSet::built_in().unwrap();
    let c = course();
    let prior = Prior::of(&c, day("2026-07-10"), 0.25).unwrap();
    let mut req = request();
    req.subject.product.region = Region::Us;
    req.current = Some(CurrentDose::PerWeek(9.1));
    let given = Given {
        indication: false,
        region: true,
    };
    let f = fill(&mut req, given, &prior, "p.jsonl", Route::Flags, &rules).unwrap();
    // The values given stay as given.
    assert_eq!(req.subject.product.region, Region::Us);
    assert_eq!(req.current, Some(CurrentDose::PerWeek(9.1)));
    assert_eq!(f.how.overridden, ["region", "current_mg_per_week"]);
    assert!(f.history.notes.contains(
        &"--region US given: the record's dose was on the EU label (line 1)".to_string()
    ));
    assert!(
        f.history.notes.contains(
            &"--current-mg-per-week 9.1 given: overrides the record's 8.05 mg/week (line 1)"
                .to_string()
        )
    );
    // The region given as the default is still a region given.
    let mut req = request();
    let f = fill(&mut req, given, &prior, "p.jsonl", Route::Json, &rules).unwrap();
    assert_eq!(req.subject.product.region, Region::Us);
    assert_eq!(f.how.overridden, ["region"]);
}

#[test]
fn another_molecule_without_its_dose_is_refused_with_the_switch_to_run() {
    let rules = RuleSet::built_in().unwrap();
    let c = course();
    let prior = Prior::of(&c, day("2026-07-10"), 0.25).unwrap();
    let mut req = request();
    req.subject.product.product = Some("sogroya".to_string());
    let e = fill(
        &mut req,
        Given::default(),
        &prior,
        "p.jsonl",
        Route::Flags,
        &rules,
    )
    .unwrap_err();
    assert_eq!(e.field, Field::Product);
    assert_eq!(
        e.render(Route::Flags),
        "--product sogroya is another molecule than the record's norditropin (line 1): doses are not converted mg-for-mg; switch with gh-dose start --product sogroya --switching-from-daily --record p.jsonl, or give the current dose of sogroya"
    );
}

#[test]
fn a_recorded_dose_is_named_per_day_when_daily_and_per_week_when_weekly() {
    use crate::record::GivenDose;
    use crate::vocab::Region;
    let dose = |per_week: u8, per_dose: u8, per_injection: f64, week: f64| GivenDose {
        product: None,
        device: None,
        region: Region::Us,
        injections_per_week: per_week,
        injections_per_dose: per_dose,
        mg_per_injection: per_injection,
        mg_per_week: week,
        mg_per_kg_per_week: None,
    };
    let since = "2026-01-10".parse().unwrap();
    assert_eq!(
        super::dose_words(&dose(7, 2, 0.6, 8.4), since),
        "current dose 1.2 mg/day (8.4 mg/week) since 2026-01-10"
    );
    assert_eq!(
        super::dose_words(&dose(1, 1, 3.0, 3.0), since),
        "current dose 3 mg/week (3 mg x 1 a week) since 2026-01-10"
    );
    assert_eq!(
        super::dose_words(&dose(6, 1, 1.0, 6.0), since),
        "current dose 6 mg/week (1 mg x 6 a week) since 2026-01-10"
    );
    assert_eq!(
        super::dose_words(&dose(1, 2, 16.5, 33.0), since),
        "current dose 33 mg/week (16.5 mg x 2 a week) since 2026-01-10"
    );
}

#[test]
fn doses_differ_at_the_microgram() {
    assert!(!super::differs(1.15, 1.15));
    assert!(!super::differs(1.15, 1.1500004));
    assert!(super::differs(1.15, 1.151));
    assert!(super::differs(1.151, 1.15));
}

/// A reduction for a high IGF-1 keeps the dose before it only when it was
/// higher (the dose that overshot); a line whose dose before equals its
/// dose names none. A per-day dose equal to the record's is not an override.
#[test]
fn a_reductions_dose_before_is_kept_only_when_higher_and_an_equal_dose_is_no_override() {
    let rules = RuleSet::built_in().unwrap();
    let reduced = |before: f64| {
        let mut v: serde_json::Value = serde_json::from_str(START).unwrap();
        v["date"] = "2026-04-10".into();
        v["command"] = "titrate".into();
        v["dose_before"] = v["dose"].clone();
        v["dose_before"]["mg_per_week"] = before.into();
        v["dose_before"]["mg_per_injection"] = (before / 7.0).into();
        v["dose"]["mg_per_week"] = 7.0.into();
        v["dose"]["mg_per_injection"] = 1.0.into();
        v["decision"]["action"] = "decrease".into();
        v["decision"]["reduced_for_igf1"] = true.into();
        v["igf1"] = serde_json::json!({"given":"+2.6 SDS","ng_ml":null,"sds":2.6,"method":"reported","reference":null,"date":null});
        let c = read(&format!("{START}\n{v}\n"), "p.jsonl").unwrap();
        let prior = Prior::of(&c, day("2026-07-10"), 0.25).unwrap();
        let mut req = request();
        req.current = Some(CurrentDose::PerDay(1.0));
        let f = fill(
            &mut req,
            Given::default(),
            &prior,
            "p.jsonl",
            Route::Flags,
            &rules,
        )
        .unwrap();
        let from = f.history.reduction.and_then(|r| r.from);
        (from.map(|m| m.0), f.how.overridden)
    };
    assert_eq!(reduced(8.05), (Some(8050), Vec::<String>::new()));
    assert_eq!(reduced(7.0).0, None);
}

#[test]
fn a_dose_a_seventh_or_seven_times_the_records_is_named_a_unit_slip() {
    use crate::record::GivenDose;
    use crate::vocab::Confirm;
    let record = |week: f64, per_week: u8| GivenDose {
        product: None,
        device: None,
        region: Region::Us,
        injections_per_week: per_week,
        injections_per_dose: 1,
        mg_per_injection: week / f64::from(per_week),
        mg_per_week: week,
        mg_per_kg_per_week: None,
    };
    let slip = |given: CurrentDose, d: &GivenDose, confirm: bool| {
        let mut req = request();
        req.current = Some(given);
        if confirm {
            req.subject.patient.confirm = vec![Confirm::Dose];
        }
        let at = super::At {
            value: d,
            date: day("2026-01-10"),
            line: 2,
        };
        let name = |f: Field| f.spelled(Route::Flags).into_owned();
        super::unit_slip(&req, at, &name).map_err(|e| e.to_string())
    };
    let daily = record(13.3, 7);
    // A seventh, within 15 %: refused naming the slip.
    let e = slip(CurrentDose::PerWeek(1.9), &daily, false).unwrap_err();
    assert!(e.contains("--current-mg-per-week 1.9 is a seventh of the record's 13.3 mg/week (line 2): a daily dose typed per week? did you mean --current-mg-per-day 1.9"), "{e}");
    assert!(slip(CurrentDose::PerWeek(1.65), &daily, false).is_err());
    // Further from a seventh: a dose of its own, not a slip.
    assert_eq!(slip(CurrentDose::PerWeek(1.6), &daily, false), Ok(None));
    assert_eq!(slip(CurrentDose::PerWeek(2.3), &daily, false), Ok(None));
    assert_eq!(slip(CurrentDose::PerWeek(13.3), &daily, false), Ok(None));
    // Seven times: the weekly dose typed per day.
    let e = slip(CurrentDose::PerDay(13.3), &daily, false).unwrap_err();
    assert!(e.contains("--current-mg-per-day 13.3 is seven times the record's 13.3 mg/week (line 2): a weekly dose typed per day? did you mean --current-mg-per-week 13.3"), "{e}");
    assert_eq!(slip(CurrentDose::PerDay(1.9), &daily, false), Ok(None));
    // A weekly record: a per-day figure is its one injection, never sevenfold.
    let weekly = record(3.0, 1);
    assert_eq!(slip(CurrentDose::PerDay(21.0), &weekly, false), Ok(None));
    // Confirmed: let through, named.
    assert_eq!(
        slip(CurrentDose::PerWeek(1.9), &daily, true),
        Ok(Some("--current-mg-per-week 1.9 confirmed as real (--confirm dose): a seventh of the record's 13.3 mg/week (line 2)".to_string()))
    );
    // A record without a dose amount: nothing to compare.
    assert_eq!(
        slip(CurrentDose::PerWeek(1.9), &record(0.0, 7), false),
        Ok(None)
    );
}

/// The record's injections a week fill a request that gives none, only when
/// the dose is split over more than one a week; a number given is kept.
#[test]
fn the_records_injections_a_week_fill_only_what_was_not_given() {
    let rules = RuleSet::built_in().unwrap();
    let filled = |per_week: u8, given: Option<u8>| {
        let mut v: serde_json::Value = serde_json::from_str(START).unwrap();
        v["dose"]["injections_per_week"] = per_week.into();
        v["dose"]["mg_per_week"] = (1.15 * f64::from(per_week)).into();
        let c = read(&format!("{v}\n"), "p.jsonl").unwrap();
        let prior = Prior::of(&c, day("2026-07-10"), 0.25).unwrap();
        let mut req = request();
        req.subject.injections_per_week = given;
        fill(
            &mut req,
            Given::default(),
            &prior,
            "p.jsonl",
            Route::Flags,
            &rules,
        )
        .unwrap();
        req.subject.injections_per_week
    };
    assert_eq!(filled(7, None), Some(7));
    assert_eq!(filled(7, Some(6)), Some(6));
    assert_eq!(filled(1, None), None);
}
