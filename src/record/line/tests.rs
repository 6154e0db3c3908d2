#![allow(clippy::unwrap_used, clippy::expect_used)]

use super::{Facts, RulesUsed, visit};
use crate::dosing::{
    self, AgeInput, CurrentDose, Igf1Input, Measured, PatientInput, StartRequest, Subject,
    TitrateRequest,
};
use crate::record::{Identity, PatientFacts, Provenance};
use crate::rules::RuleSet;
use crate::vocab::Sex;
use chrono::NaiveDate;

fn date(s: &str) -> NaiveDate {
    s.parse().unwrap()
}

fn who() -> Identity {
    Identity {
        sex: Sex::Female,
        birth_date: date("2018-03-01"),
    }
}

fn subject(as_of: &str, weight: f64, height: f64) -> Subject {
    let mut s = Subject::new(
        "turner",
        date(as_of),
        PatientInput {
            weight_kg: Some(Measured::plain(weight, dosing::Field::WeightKg)),
            height_cm: Some(Measured::plain(height, dosing::Field::HeightCm)),
            age: Some(AgeInput::BirthDate(who().birth_date)),
            sex: Some(who().sex),
            ..Default::default()
        },
    );
    s.product.product = Some("norditropin".to_string());
    s
}

fn line(o: &dosing::Outcome, command: &'static str, as_of: &str, how: &Provenance) -> String {
    let rules = RuleSet::built_in().unwrap();
    let facts = Facts {
        date: date(as_of),
        command,
        identity: who(),
        how,
        patient: &PatientFacts {
            conditions: vec![crate::vocab::Condition::Scoliosis],
            ..PatientFacts::default()
        },
    };
    serde_json::to_string(&visit(o, &facts, &rules)).unwrap()
}

/// The end of every line: the tables in use and the version.
fn tail() -> String {
    let rules = RuleSet::built_in().unwrap();
    format!(
        r#""rules":{},"gh_dose_version":"{}"}}"#,
        serde_json::to_string(&RulesUsed::of(&rules)).unwrap(),
        env!("CARGO_PKG_VERSION")
    )
}

#[test]
fn the_tables_are_named_by_their_origin_and_hash() {
    let rules = RuleSet::built_in().unwrap();
    let used = RulesUsed::of(&rules);
    assert_eq!(used.source, "built-in");
    assert_eq!(used.sha256, rules.origin.sha256);
    assert_eq!(used.sha256.len(), 64);
    let products = rules.products.as_ref().unwrap();
    assert_eq!(
        used.products_sha256.as_deref(),
        Some(&*products.origin.sha256)
    );
}

#[test]
fn a_start_records_the_dose_on_the_pen_and_the_tables() {
    let rules = RuleSet::built_in().unwrap();
    let req = StartRequest::new(subject("2026-01-10", 24.0, 118.0));
    let o = dosing::start(&req, &rules).unwrap();
    let got = line(&o, "start", "2026-01-10", &Provenance::default());
    let want = r#"{"record":"gh-dose-visit","record_version":1,"date":"2026-01-10","command":"start","patient":{"sex":"female","birth_date":"2018-03-01"},"indication":"turner","measurements":{"weight_kg":24.0,"height_cm":118.0,"height_sds":1.531,"height_sds_source":"turner-lyon1985-height","bmi":17.2,"pubertal":false,"confirmed":[]},"patient_facts":{"conditions":["scoliosis"],"oral_estrogen":false,"diabetes":false,"obesity":false,"resolved":[]},"igf1":null,"dose_before":null,"dose":{"product":"norditropin","device":"flexpro-10","region":"US","injections_per_week":7,"injections_per_dose":1,"mg_per_injection":1.15,"mg_per_week":8.05,"mg_per_kg_per_week":0.335},"decision":{"action":"start","change_percent":null,"reduced_for_igf1":false,"flags":["GLUCOSE_MONITORING","FUNDOSCOPY"],"next_review":{"earliest":"2026-04-10","latest":"2026-07-10"},"from_record":[],"overridden":[]},"#;
    assert_eq!(got, format!("{want}{}", tail()));
}

#[test]
fn a_reduction_for_a_high_igf1_is_marked_with_the_dose_before_and_the_record_s_fields() {
    let rules = RuleSet::built_in().unwrap();
    let mut req = TitrateRequest::new(subject("2026-07-10", 26.0, 122.0));
    req.current = Some(CurrentDose::PerWeek(8.05));
    req.igf1 = Some(Igf1Input::Sds(2.6));
    req.last_dose_change = Some(date("2026-01-10"));
    let o = dosing::titrate(&req, &rules).unwrap();
    let how = Provenance {
        device_before: Some("norditropin-flexpro-10".to_string()),
        from_record: vec![
            ("sex".to_string(), 1),
            ("current_mg_per_week".to_string(), 1),
        ],
        overridden: vec!["region".to_string()],
    };
    let got = line(&o, "titrate", "2026-07-10", &how);
    let want = r#"{"record":"gh-dose-visit","record_version":1,"date":"2026-07-10","command":"titrate","patient":{"sex":"female","birth_date":"2018-03-01"},"indication":"turner","measurements":{"weight_kg":26.0,"height_cm":122.0,"height_sds":1.8455,"height_sds_source":"turner-lyon1985-height","bmi":17.5,"pubertal":false,"confirmed":[]},"patient_facts":{"conditions":["scoliosis"],"oral_estrogen":false,"diabetes":false,"obesity":false,"resolved":[]},"igf1":{"given":"+2.6 SDS","ng_ml":null,"sds":2.6,"method":"reported","reference":null,"date":"2026-07-10"},"dose_before":{"product":"norditropin","device":"norditropin-flexpro-10","region":"US","injections_per_week":7,"injections_per_dose":1,"mg_per_injection":1.15,"mg_per_week":8.05,"mg_per_kg_per_week":null},"dose":{"product":"norditropin","device":"flexpro-5","region":"US","injections_per_week":7,"injections_per_dose":1,"mg_per_injection":0.975,"mg_per_week":6.825,"mg_per_kg_per_week":0.263},"decision":{"action":"decrease","change_percent":-15.2,"reduced_for_igf1":true,"flags":["DOSE_BELOW_RANGE","IGF1_ABOVE_RANGE","GLUCOSE_MONITORING"],"next_review":{"earliest":"2026-10-10","latest":"2027-01-10"},"from_record":["sex","current_mg_per_week"],"overridden":["region"]},"#;
    assert_eq!(got, format!("{want}{}", tail()));
}

#[test]
fn a_stop_records_no_dose_and_its_flags() {
    let rules = RuleSet::built_in().unwrap();
    let mut s = subject("2026-07-10", 26.0, 122.0);
    s.patient.symptoms = vec![crate::vocab::Symptom::Papilledema];
    let mut req = TitrateRequest::new(s);
    req.current = Some(CurrentDose::PerWeek(8.05));
    let o = dosing::titrate(&req, &rules).unwrap();
    let got = line(&o, "titrate", "2026-07-10", &Provenance::default());
    let want = r#"{"record":"gh-dose-visit","record_version":1,"date":"2026-07-10","command":"titrate","patient":{"sex":"female","birth_date":"2018-03-01"},"indication":"turner","measurements":{"weight_kg":26.0,"height_cm":122.0,"height_sds":1.8455,"height_sds_source":"turner-lyon1985-height","bmi":17.5,"pubertal":false,"confirmed":[]},"patient_facts":{"conditions":["scoliosis"],"oral_estrogen":false,"diabetes":false,"obesity":false,"resolved":[]},"igf1":null,"dose_before":{"product":"norditropin","device":null,"region":"US","injections_per_week":7,"injections_per_dose":1,"mg_per_injection":1.15,"mg_per_week":8.05,"mg_per_kg_per_week":null},"dose":null,"decision":{"action":"stop","change_percent":null,"reduced_for_igf1":false,"flags":["INTRACRANIAL_HYPERTENSION","DOSE_BELOW_RANGE","GLUCOSE_MONITORING"],"next_review":null,"from_record":[],"overridden":[]},"#;
    assert_eq!(got, format!("{want}{}", tail()));
}
