#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use super::codes::{Codes, ObsKind, UnitMeaning, codes};
use super::out::{pruned, uuid};
use super::*;
use crate::dosing::{Error, Field, msg};
use serde_json::json;

#[test]
fn the_built_in_code_table_loads_and_every_row_cites_a_source() {
    let c = codes().unwrap();
    assert_eq!(c.molecule("somatropin").unwrap().atc, "H01AC01");
    assert_eq!(c.molecule("somapacitan").unwrap().atc, "H01AC07");
    assert_eq!(c.molecule("lonapegsomatropin").unwrap().atc, "H01AC09");
    assert_eq!(c.molecule("somatrogon").unwrap().atc, "H01AC08");
    // Every molecule of the product table has its ATC code.
    let rules = crate::rules::RuleSet::built_in().unwrap();
    for p in rules.all_products() {
        assert!(c.molecule(&p.molecule.to_string()).is_some(), "{}", p.id);
    }
    assert_eq!(c.loinc("29463-7").unwrap().kind, ObsKind::Weight);
    assert_eq!(c.loinc("8306-3").unwrap().kind, ObsKind::Height);
    assert_eq!(c.loinc("73561-3").unwrap().kind, ObsKind::Igf1Sds);
    assert_eq!(c.unit("[lb_av]"), Some(UnitMeaning::Lb));
    assert_eq!(c.unit("lb"), None);
    assert_eq!(c.severity("block"), Some("high"));
    assert_eq!(c.severity("warning"), Some("moderate"));
    assert_eq!(c.severity("info"), Some("low"));
}

#[test]
fn a_code_table_citing_an_unknown_source_is_refused() {
    let text = include_str!("../../data/fhir.toml").replacen(
        "source = \"openfda-unii-nqx9kb6pcl\"",
        "source = \"nowhere\"",
        1,
    );
    let e = Codes::parse(&text).unwrap_err();
    assert!(e.contains("cites unknown source 'nowhere'"), "{e}");
    let e = Codes::parse("[table]\nname = 1\n").unwrap_err();
    assert!(e.starts_with("data/fhir.toml:2:8: "), "{e}");
}

#[test]
fn icd10_categories_take_their_subcodes_only() {
    let c = codes().unwrap();
    let icd = "http://hl7.org/fhir/sid/icd-10";
    assert_eq!(c.conditions_of(icd, "Q96")[0].indication, "turner");
    assert_eq!(c.conditions_of(icd, "Q96.9")[0].indication, "turner");
    assert!(c.conditions_of(icd, "Q960").is_empty());
    assert!(
        c.conditions_of(icd, "Q87.1").is_empty(),
        "PWS and Noonan share it"
    );
    assert!(c.conditions_of("http://snomed.info/sct", "Q96").is_empty());
}

#[test]
fn ids_are_uuids_derived_from_the_decision() {
    let a = uuid("seed", "MedicationRequest");
    assert_eq!(a, uuid("seed", "MedicationRequest"));
    assert_ne!(a, uuid("seed", "Patient"));
    assert_ne!(a, uuid("other", "MedicationRequest"));
    let parts: Vec<&str> = a.split('-').collect();
    assert_eq!(
        parts.iter().map(|p| p.len()).collect::<Vec<_>>(),
        vec![8, 4, 4, 4, 12]
    );
    assert!(parts[2].starts_with('8'), "version 8: {a}");
    assert!(
        matches!(parts[3].chars().next(), Some('8' | '9' | 'a' | 'b')),
        "variant: {a}"
    );
}

#[test]
fn nulls_and_empties_are_pruned_at_every_depth() {
    let v = pruned(
        json!({ "a": null, "b": [], "c": [{ "d": null }], "e": "", "f": [1, null], "g": { "h": 0 } }),
    );
    assert_eq!(v, json!({ "f": [1], "g": { "h": 0 } }));
}

#[test]
fn core_errors_spell_the_fields_taken_from_fhir_as_their_paths() {
    let applied = Applied {
        notes: Vec::new(),
        paths: vec![(Field::WeightKg, "Bundle.entry[2].resource".to_string())],
    };
    let e = Error::new(
        Field::WeightKg,
        msg![
            Field::WeightKg,
            " must be between 0.5 and 250 kg (got 2400) with ",
            Field::HeightCm
        ],
    );
    assert_eq!(
        applied.render(&e),
        "Bundle.entry[2].resource must be between 0.5 and 250 kg (got 2400) with --height-cm"
    );
}

#[test]
fn the_latest_two_readings_are_the_current_and_the_previous() {
    let b = json!({ "resourceType": "Bundle", "type": "collection", "entry": [
        { "resource": { "resourceType": "Observation", "status": "final",
            "code": { "coding": [{ "system": "http://loinc.org", "code": "29463-7" }] },
            "effectiveDateTime": "2026-11-01T10:00:00Z", "valueQuantity": { "value": 30, "code": "kg", "system": "http://unitsofmeasure.org" } } },
        { "resource": { "resourceType": "Observation", "status": "final",
            "code": { "coding": [{ "system": "http://loinc.org", "code": "29463-7" }] },
            "effectiveDateTime": "2026-05-01", "valueQuantity": { "value": 28, "code": "kg" } } },
    ]});
    let chart = read(&b, "2026-11-22".parse().unwrap()).unwrap();
    let dates: Vec<String> = chart.weights.iter().map(|r| r.date.to_string()).collect();
    assert_eq!(dates, vec!["2026-05-01", "2026-11-01"]);
    let mut req = crate::dosing::TitrateRequest::new(crate::dosing::Subject::new(
        "ghd",
        "2026-11-22".parse().unwrap(),
        crate::dosing::PatientInput::default(),
    ));
    let rules = crate::rules::RuleSet::built_in().unwrap();
    let applied = apply_titrate(&chart, &mut req, &rules).unwrap();
    assert_eq!(req.subject.patient.weight_kg.as_ref().unwrap().value, 30.0);
    assert_eq!(req.previous_weight_kg, Some(28.0));
    assert_eq!(
        req.previous_weight_date,
        Some("2026-05-01".parse().unwrap())
    );
    assert!(applied.notes.iter().any(|n| n == "previous weight 28 kg measured 2026-05-01 from Bundle.entry[1].resource"));
}

#[test]
fn a_condition_coded_in_gh_doses_condition_names_fills_the_request() {
    let prefetch = json!({
        "conditions": {"resourceType": "Bundle", "entry": [{"resource": {
            "resourceType": "Condition", "clinicalStatus": {"coding": [{"code": "active"}]},
            "code": {"coding": [
                {"system": "urn:gh-dose:fhir:CodeSystem:condition", "code": "active-malignancy"},
                {"system": "urn:gh-dose:fhir:CodeSystem:indication", "code": "turner"}]}}}]}});
    let as_of = chrono::NaiveDate::from_ymd_opt(2026, 12, 1).unwrap();
    let chart = read(&prefetch, as_of).unwrap();
    let mut req = crate::dosing::StartRequest::new(crate::dosing::Subject::new(
        "",
        as_of,
        crate::dosing::PatientInput::default(),
    ));
    let applied = apply_start(&chart, &mut req).unwrap();
    assert_eq!(
        req.subject.patient.conditions,
        [crate::vocab::Condition::ActiveMalignancy]
    );
    assert_eq!(req.subject.indication, "turner");
    assert!(
        applied.notes.contains(
            &"condition active-malignancy from prefetch.conditions.entry[0].resource".to_string()
        ),
        "{:?}",
        applied.notes
    );
    // A name gh-dose does not know is refused with its path.
    let mut bad = prefetch.clone();
    bad["conditions"]["entry"][0]["resource"]["code"]["coding"][0]["code"] = json!("gout");
    let e = read(&bad, as_of).unwrap_err().to_string();
    assert!(
        e.starts_with(
            "prefetch.conditions.entry[0].resource.code.coding[0].code: 'gout' is not a gh-dose condition"
        ),
        "{e}"
    );
}

#[test]
fn the_current_orders_reason_code_names_the_indication() {
    let prefetch = json!({"medications": {"resourceType": "MedicationRequest", "status": "active",
        "medicationCodeableConcept": {"coding": [{"system": "http://www.whocc.no/atc", "code": "H01AC01"}]},
        "reasonCode": [{"coding": [{"system": "urn:gh-dose:fhir:CodeSystem:indication", "code": "ghd"}]}],
        "dosageInstruction": [{"timing": {"repeat": {"frequency": 1, "period": 1, "periodUnit": "d"}},
          "doseAndRate": [{"doseQuantity": {"value": 0.9, "unit": "mg", "system": "http://unitsofmeasure.org", "code": "mg"}}]}]}});
    let chart = read(
        &prefetch,
        chrono::NaiveDate::from_ymd_opt(2026, 12, 1).unwrap(),
    )
    .unwrap();
    assert_eq!(chart.indications.len(), 1);
    assert_eq!(chart.indications[0].value, "ghd");
    assert_eq!(
        chart.indications[0].path,
        "prefetch.medications.reasonCode[0]"
    );
}

#[test]
fn a_core_error_is_spelled_for_the_callers_route_outside_the_chart() {
    let mut a = Applied::default();
    a.paths
        .push((Field::WeightKg, "prefetch.weight.entry[0].resource".into()));
    let e = Error::new(
        Field::HeightCm,
        msg!(Field::HeightCm, " and ", Field::WeightKg),
    );
    assert_eq!(
        a.render_for(&e, crate::dosing::Route::Json),
        "height_cm and prefetch.weight.entry[0].resource"
    );
    assert_eq!(
        a.render(&e),
        "--height-cm and prefetch.weight.entry[0].resource"
    );
}
