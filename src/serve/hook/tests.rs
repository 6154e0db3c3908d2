use super::super::discovery::service;
use super::super::wire::is_clean;
use super::*;
use crate::rules::RuleSet;
use serde_json::{Value, json};

fn rules() -> RuleSet {
    RuleSet::built_in()
        .unwrap()
        .with_products(
            crate::rules::products::BUILT_IN_PRODUCTS,
            "built-in products",
        )
        .unwrap()
}

fn obs(loinc: &str, date: &str, value: f64, unit: &str) -> Value {
    json!({"resource": {"resourceType": "Observation", "status": "final",
        "code": {"coding": [{"system": "http://loinc.org", "code": loinc}]},
        "effectiveDateTime": date,
        "valueQuantity": {"value": value, "unit": unit, "system": "http://unitsofmeasure.org", "code": unit}}})
}

fn bundle(entries: Vec<Value>) -> Value {
    json!({"resourceType": "Bundle", "type": "searchset", "entry": entries})
}

fn condition(system: &str, code: &str) -> Value {
    json!({"resource": {"resourceType": "Condition",
        "clinicalStatus": {"coding": [{"code": "active"}]},
        "code": {"coding": [{"system": system, "code": code}]}}})
}

/// A hook call with a draft order: which hook, the draft's product and
/// indication, the patient and the conditions the prefetch holds.
pub(super) struct Draft {
    pub(super) hook: &'static str,
    pub(super) product: Value,
    pub(super) indication: &'static str,
    pub(super) gender: &'static str,
    pub(super) birth: &'static str,
    pub(super) kg: f64,
    pub(super) cm: f64,
    pub(super) conditions: Vec<Value>,
}

/// An order-select (or order-sign) call: a draft of `product` for `indication`.
pub(super) fn order(d: Draft) -> Value {
    let Draft {
        hook,
        product,
        indication,
        gender,
        birth,
        kg,
        cm,
        conditions,
    } = d;
    json!({"hook": hook, "hookInstance": "d1577c69-dfbe-44ad-ba6d-3e05e953b2ea",
      "context": {"userId": "Practitioner/1", "patientId": "p1", "selections": ["MedicationRequest/mr1"],
        "draftOrders": {"resourceType": "Bundle", "entry": [{"resource": {
          "resourceType": "MedicationRequest", "id": "mr1", "status": "draft", "intent": "order",
          "subject": {"reference": "Patient/p1"}, "medicationCodeableConcept": product,
          "reasonCode": [{"coding": [{"system": INDICATION, "code": indication}]}]}}]}},
      "prefetch": {"patient": {"resourceType": "Patient", "id": "p1", "gender": gender, "birthDate": birth},
        "weight": bundle(vec![obs("29463-7", "2026-11-30", kg, "kg")]),
        "height": bundle(vec![obs("8302-2", "2026-11-30", cm, "cm")]),
        "conditions": if conditions.is_empty() { Value::Null } else { bundle(conditions) }}})
}

/// The adapter's code systems (`data/fhir.toml`).
const PRODUCT: &str = "urn:gh-dose:fhir:CodeSystem:product";
const INDICATION: &str = "urn:gh-dose:fhir:CodeSystem:indication";
const CONDITION: &str = "urn:gh-dose:fhir:CodeSystem:condition";
const ATC: &str = "http://www.whocc.no/atc";

fn product(id: &str) -> Value {
    json!({"coding": [{"system": PRODUCT, "code": id}]})
}

/// An active order is read by its ATC code (and its product by gh-dose's).
fn somatropin(id: &str) -> Value {
    json!({"coding": [{"system": ATC, "code": "H01AC01"}, {"system": PRODUCT, "code": id}]})
}

fn run(id: &str, body: &Value) -> Result<Value, Problem> {
    let r = rules();
    let env = Env {
        rules: &r,
        rules_sha256: "abc",
        as_of: chrono::NaiveDate::from_ymd_opt(2026, 12, 1).unwrap(),
    };
    call(service(id).unwrap(), body.to_string().as_bytes(), env)
}

fn only_card(v: &Value) -> &Value {
    let cards = v["cards"].as_array().unwrap();
    assert_eq!(cards.len(), 1, "{v}");
    assert!(is_clean(&cards[0]), "{v}");
    &cards[0]
}

#[test]
fn a_turner_girl_gets_a_start_card_with_the_whole_proposed_order() {
    let body = order(Draft {
        hook: "order-select",
        product: product("norditropin"),
        indication: "turner",
        gender: "female",
        birth: "2018-03-01",
        kg: 24.0,
        cm: 120.0,
        conditions: vec![],
    });
    let v = run("gh-dose-order-select", &body).unwrap();
    let c = only_card(&v);
    assert_eq!(c["indicator"], "warning");
    assert_eq!(c["selectionBehavior"], "at-most-one");
    let s = c["summary"].as_str().unwrap();
    assert!(
        s.starts_with("start: Norditropin 1.15 mg daily (8.05 mg/week)"),
        "{s}"
    );
    assert!(s.chars().count() < 140);
    assert!(
        c["source"]["label"]
            .as_str()
            .unwrap()
            .contains("norditropin-us-pi")
    );
    let actions = c["suggestions"][0]["actions"].as_array().unwrap();
    assert_eq!(actions.len(), 1);
    assert_eq!(actions[0]["type"], "update");
    let mr = &actions[0]["resource"];
    assert_eq!(mr["id"], "mr1");
    assert_eq!(
        (mr["status"].as_str(), mr["intent"].as_str()),
        (Some("draft"), Some("proposal"))
    );
    let rates = mr["dosageInstruction"][0]["doseAndRate"]
        .as_array()
        .unwrap();
    assert_eq!(rates[0]["doseQuantity"]["value"], json!(1.131));
    assert_eq!(rates[1]["doseQuantity"]["value"], json!(1.15));
    assert_eq!(rates[1]["type"]["coding"][0]["code"], "ordered");
    assert!(
        c["detail"]
            .as_str()
            .unwrap()
            .contains("**Dose:** 1.15 mg daily")
    );
    // The same request gives the same card id.
    assert_eq!(
        run("gh-dose-order-select", &body).unwrap()["cards"][0]["uuid"],
        c["uuid"]
    );
}

#[test]
fn an_adult_and_a_weekly_product_are_dosed() {
    let adult = order(Draft {
        hook: "order-sign",
        product: product("norditropin"),
        indication: "adult-ghd",
        gender: "male",
        birth: "1980-01-01",
        kg: 80.0,
        cm: 180.0,
        conditions: vec![],
    });
    let c = run("gh-dose-order-sign", &adult).unwrap();
    let c = only_card(&c);
    assert!(
        c["summary"].as_str().unwrap().contains("(1.4 mg/week)"),
        "{c}"
    );
    let weekly = order(Draft {
        hook: "order-select",
        product: json!({"text": "Sogroya 10 mg/1.5 mL pen"}),
        indication: "ghd",
        gender: "male",
        birth: "2017-05-01",
        kg: 25.0,
        cm: 118.0,
        conditions: vec![],
    });
    let v = run("gh-dose-order-select", &weekly).unwrap();
    let c = only_card(&v);
    let mr = &c["suggestions"][0]["actions"][0]["resource"];
    assert_eq!(
        mr["dosageInstruction"][0]["timing"]["repeat"]["periodUnit"],
        "wk"
    );
    // The adapter's coding: ATC first, then gh-dose's product id.
    assert_eq!(
        mr["medicationCodeableConcept"]["coding"][0],
        json!({"system": ATC, "code": "H01AC07", "display": "somapacitan"})
    );
    assert_eq!(
        mr["medicationCodeableConcept"]["coding"][1]["system"],
        PRODUCT
    );
}

#[test]
fn a_withhold_is_critical_without_a_suggestion() {
    let body = order(Draft {
        hook: "order-sign",
        product: product("norditropin"),
        indication: "turner",
        gender: "female",
        birth: "2018-03-01",
        kg: 24.0,
        cm: 120.0,
        conditions: vec![condition(CONDITION, "active-malignancy")],
    });
    let v = run("gh-dose-order-sign", &body).unwrap();
    let c = only_card(&v);
    assert_eq!(c["indicator"], "critical");
    assert!(c.get("suggestions").is_none() && c.get("selectionBehavior").is_none());
    assert!(c["summary"].as_str().unwrap().contains("ACTIVE_MALIGNANCY"));
}

#[test]
fn a_refusal_is_a_critical_card_naming_the_field() {
    let body = order(Draft {
        hook: "order-select",
        product: product("norditropin"),
        indication: "turner",
        gender: "female",
        birth: "2018-03-01",
        kg: 2400.0,
        cm: 120.0,
        conditions: vec![],
    });
    let v = run("gh-dose-order-select", &body).unwrap();
    let c = only_card(&v);
    assert_eq!(c["indicator"], "critical");
    // The value came from the chart: the refusal names its FHIR path.
    assert!(
        c["summary"]
            .as_str()
            .unwrap()
            .starts_with("No dose: prefetch.weight.entry[0].resource must be between"),
        "{c}"
    );
    assert!(c.get("suggestions").is_none());
    // A unit the service does not read is named with its path.
    let mut body = order(Draft {
        hook: "order-select",
        product: product("norditropin"),
        indication: "turner",
        gender: "female",
        birth: "2018-03-01",
        kg: 24.0,
        cm: 120.0,
        conditions: vec![],
    });
    body["prefetch"]["weight"]["entry"][0]["resource"]["valueQuantity"]["code"] = json!("[oz_av]");
    let v = run("gh-dose-order-select", &body).unwrap();
    let s = only_card(&v)["summary"].as_str().unwrap().to_string();
    assert!(
        s.contains("prefetch.weight.entry[0].resource.valueQuantity.code: '[oz_av]'"),
        "{s}"
    );
}

#[test]
fn a_draft_that_is_not_growth_hormone_gets_no_card() {
    let body = order(Draft {
        hook: "order-select",
        product: json!({"coding": [{"system": "http://www.nlm.nih.gov/research/umls/rxnorm", "code": "197361", "display": "Amlodipine 5 MG"}]}),
        indication: "turner",
        gender: "female",
        birth: "2018-03-01",
        kg: 24.0,
        cm: 120.0,
        conditions: vec![],
    });
    assert_eq!(
        run("gh-dose-order-select", &body).unwrap(),
        json!({"cards": []})
    );
    // The sandbox's draft: no medication at all.
    let mut body = body;
    body["context"]["draftOrders"]["entry"][0]["resource"]
        .as_object_mut()
        .unwrap()
        .remove("medicationCodeableConcept");
    assert_eq!(
        run("gh-dose-order-select", &body).unwrap(),
        json!({"cards": []})
    );
}

#[test]
fn missing_prefetch_is_412_and_a_malformed_body_400() {
    let mut body = order(Draft {
        hook: "order-select",
        product: product("norditropin"),
        indication: "turner",
        gender: "female",
        birth: "2018-03-01",
        kg: 24.0,
        cm: 120.0,
        conditions: vec![],
    });
    body["prefetch"].as_object_mut().unwrap().remove("weight");
    assert!(
        matches!(run("gh-dose-order-select", &body), Err(Problem::Precondition(m)) if m.contains("weight"))
    );
    body["hook"] = json!("order-sign");
    assert!(matches!(
        run("gh-dose-order-select", &body),
        Err(Problem::Malformed(_))
    ));
    let r = rules();
    let env = Env {
        rules: &r,
        rules_sha256: "abc",
        as_of: chrono::NaiveDate::from_ymd_opt(2026, 12, 1).unwrap(),
    };
    let svc = service("gh-dose-order-select").unwrap();
    assert!(
        matches!(call(svc, b"{\"hook\": 1, \"hook\": 2}", env), Err(Problem::Malformed(m)) if m.contains("twice"))
    );
    assert!(matches!(call(svc, b"[]", env), Err(Problem::Malformed(_))));
    assert!(matches!(
        call(svc, &[0xff, 0xfe], env),
        Err(Problem::Malformed(_))
    ));
}

#[test]
fn patient_view_titrates_the_active_order() {
    let body = json!({"hook": "patient-view", "hookInstance": "x1",
      "context": {"userId": "Practitioner/1", "patientId": "p1"},
      "prefetch": {"patient": {"resourceType": "Patient", "id": "p1", "gender": "male", "birthDate": "2017-05-01"},
        "weight": bundle(vec![obs("29463-7", "2026-11-30", 27.0, "kg"), obs("29463-7", "2026-06-01", 25.0, "kg")]),
        "height": bundle(vec![obs("8302-2", "2026-11-30", 124.0, "cm")]),
        "igf1": bundle(vec![obs("73561-3", "2026-11-20", 2.8, "{Z-score}")]),
        "conditions": null,
        "medications": bundle(vec![json!({"resource": {"resourceType": "MedicationRequest", "id": "a1",
            "status": "active", "intent": "order", "authoredOn": "2026-06-01",
            "medicationCodeableConcept": somatropin("norditropin"),
            "reasonCode": [{"coding": [{"system": INDICATION, "code": "ghd"}]}],
            "dosageInstruction": [{"timing": {"repeat": {"frequency": 1, "period": 1, "periodUnit": "d"}},
              "doseAndRate": [{"doseQuantity": {"value": 0.9, "unit": "mg", "system": "http://unitsofmeasure.org", "code": "mg"}}]}]}})])}});
    let v = run("gh-dose-patient-view", &body).unwrap();
    let c = only_card(&v);
    assert!(
        c["summary"]
            .as_str()
            .unwrap()
            .starts_with("decrease: Norditropin"),
        "{c}"
    );
    assert_eq!(c["suggestions"][0]["actions"][0]["type"], "create");
    // No active growth hormone order: nothing to say.
    let mut none = body.clone();
    none["prefetch"]["medications"] = Value::Null;
    assert_eq!(
        run("gh-dose-patient-view", &none).unwrap(),
        json!({"cards": []})
    );
}

#[test]
fn uuids_are_well_formed_and_differ_by_purpose() {
    let a = uuid_from("00ff", "card");
    let b = uuid_from("00ff", "suggestion");
    assert_ne!(a, b);
    let parts: Vec<&str> = a.split('-').collect();
    assert_eq!(
        parts.iter().map(|p| p.len()).collect::<Vec<_>>(),
        [8, 4, 4, 4, 12]
    );
    assert!(parts[2].starts_with('8'));
    assert!(matches!(
        parts[3].chars().next(),
        Some('8' | '9' | 'a' | 'b')
    ));
}

/// The proposed order of the only card's suggestion.
fn proposed(v: &Value) -> Value {
    only_card(v)["suggestions"][0]["actions"][0]["resource"].clone()
}

fn turner_girl(conditions: Vec<Value>) -> Value {
    order(Draft {
        hook: "order-select",
        product: product("norditropin"),
        indication: "turner",
        gender: "female",
        birth: "2018-03-01",
        kg: 24.0,
        cm: 120.0,
        conditions,
    })
}

#[test]
fn the_proposed_order_is_the_adapters_with_references_the_ehr_resolves() {
    let v = run("gh-dose-order-select", &turner_girl(vec![])).unwrap();
    let mr = proposed(&v);
    assert_eq!(mr["id"], "mr1");
    assert_eq!(mr["subject"], json!({"reference": "Patient/p1"}));
    assert!(!mr.to_string().contains("urn:uuid:"), "{mr}");
    // The adapter's content: its dosage text, the device extension, the
    // rationale in notes naming where each value was read.
    let text = mr["dosageInstruction"][0]["text"].as_str().unwrap();
    assert!(
        text.starts_with("1.15 mg subcutaneously once a day with"),
        "{text}"
    );
    assert_eq!(
        mr["extension"][0]["url"],
        "urn:gh-dose:fhir:StructureDefinition:device"
    );
    let notes = mr["note"].to_string();
    assert!(
        notes
            .contains("indication turner from context.draftOrders.entry[0].resource.reasonCode[0]"),
        "{notes}"
    );
    assert!(
        notes.contains("weight 24 kg measured 2026-11-30 from prefetch.weight.entry[0].resource"),
        "{notes}"
    );
    // Without context.patientId the draft's subject is kept; without either
    // the order names none (a Bundle-local reference means nothing to the EHR).
    let mut body = turner_girl(vec![]);
    body["context"].as_object_mut().unwrap().remove("patientId");
    let mr = proposed(&run("gh-dose-order-select", &body).unwrap());
    assert_eq!(mr["subject"], json!({"reference": "Patient/p1"}));
    body["context"]["draftOrders"]["entry"][0]["resource"]
        .as_object_mut()
        .unwrap()
        .remove("subject");
    let mr = proposed(&run("gh-dose-order-select", &body).unwrap());
    assert!(mr.get("subject").is_none(), "{mr}");
}

#[test]
fn the_drafts_indication_wins_over_a_conditions_and_is_noted() {
    // An ICD-10 Q96 Condition names Turner; the draft names SGA.
    let mut body = turner_girl(vec![condition("http://hl7.org/fhir/sid/icd-10", "Q96.9")]);
    body["context"]["draftOrders"]["entry"][0]["resource"]["reasonCode"][0]["coding"][0]["code"] =
        json!("sga");
    let v = run("gh-dose-order-select", &body).unwrap();
    let detail = only_card(&v)["detail"].as_str().unwrap().to_string();
    assert!(
        detail.contains("the order's reasonCode (sga) wins over turner at prefetch.conditions.entry\\[0\\].resource"),
        "{detail}"
    );
    assert!(
        only_card(&v)["summary"]
            .as_str()
            .unwrap()
            .ends_with("· Small for gestational age without catch-up growth"),
        "{v}"
    );
    // Without a reasonCode, the Condition names it.
    let mut body = turner_girl(vec![condition("http://hl7.org/fhir/sid/icd-10", "Q96.9")]);
    body["context"]["draftOrders"]["entry"][0]["resource"]
        .as_object_mut()
        .unwrap()
        .remove("reasonCode");
    let v = run("gh-dose-order-select", &body).unwrap();
    assert!(
        only_card(&v)["summary"]
            .as_str()
            .unwrap()
            .starts_with("start: Norditropin 1.15 mg daily"),
        "{v}"
    );
}

#[test]
fn an_active_order_without_an_atc_code_is_not_read_as_growth_hormone() {
    let body = json!({"hook": "patient-view", "hookInstance": "x2",
      "context": {"userId": "Practitioner/1", "patientId": "p1"},
      "prefetch": {"patient": {"resourceType": "Patient", "id": "p1", "gender": "male", "birthDate": "2017-05-01"},
        "weight": null, "height": null, "igf1": null, "conditions": null,
        "medications": bundle(vec![json!({"resource": {"resourceType": "MedicationRequest", "id": "a1",
            "status": "active", "intent": "order", "medicationCodeableConcept": product("norditropin"),
            "dosageInstruction": [{"timing": {"repeat": {"frequency": 1, "period": 1, "periodUnit": "d"}},
              "doseAndRate": [{"doseQuantity": {"value": 0.9, "unit": "mg", "system": "http://unitsofmeasure.org", "code": "mg"}}]}]}})])}});
    assert_eq!(
        run("gh-dose-patient-view", &body).unwrap(),
        json!({"cards": []})
    );
}
