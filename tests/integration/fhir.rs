//! FHIR R4 out (`--format fhir`) and in (`--fhir FILE|-`): the Bundle of
//! each outcome kind with its codes, doses, units and references; every
//! refusal of the FHIR input naming its path; unit conversions; and the
//! round trip: a Bundle built from a request's inputs, read with `--fhir`,
//! decides as the flags do.

use super::gh;
use serde_json::{Value, json};
use std::time::Duration;

const AS_OF: &str = "2026-11-22";

/// `gh-dose ARGS --format fhir`: the exit code and the Bundle.
fn bundle_of(args: &[&str]) -> (i32, Value) {
    let out = gh(&[args, &["--format", "fhir"]].concat())
        .output()
        .unwrap();
    let v = serde_json::from_slice(&out.stdout)
        .unwrap_or_else(|e| panic!("{e}: {}", String::from_utf8_lossy(&out.stderr)));
    check_bundle(&v);
    (out.status.code().unwrap(), v)
}

/// `gh-dose ARGS --fhir - --format json` with the Bundle on stdin.
fn with_fhir(args: &[&str], input: &Value) -> (i32, Value, String) {
    let out = gh(&[args, &["--fhir", "-", "--format", "json", "--as-of", AS_OF]].concat())
        .write_stdin(input.to_string())
        .timeout(Duration::from_secs(60))
        .output()
        .unwrap();
    let stderr = String::from_utf8(out.stderr).unwrap();
    let v = serde_json::from_slice(&out.stdout).unwrap_or(Value::Null);
    (out.status.code().unwrap(), v, stderr)
}

/// A refused FHIR input: exit 2, one line, nothing on stdout.
fn refused(args: &[&str], input: &Value) -> String {
    let (code, v, err) = with_fhir(args, input);
    assert_eq!(code, 2, "{err}");
    assert!(v.is_null(), "stdout must be empty: {v}");
    assert_eq!(err.lines().count(), 1, "{err}");
    assert!(
        err.starts_with("error: --fhir stdin: ") || err.starts_with("error: "),
        "{err}"
    );
    err
}

/// FHIR forbids nulls, empty arrays, empty objects and empty strings.
fn no_empty(v: &Value, at: &str) {
    match v {
        Value::Null => panic!("null at {at}"),
        Value::String(s) => assert!(!s.is_empty(), "empty string at {at}"),
        Value::Array(a) => {
            assert!(!a.is_empty(), "empty array at {at}");
            for (i, x) in a.iter().enumerate() {
                no_empty(x, &format!("{at}[{i}]"));
            }
        }
        Value::Object(m) => {
            assert!(!m.is_empty(), "empty object at {at}");
            for (k, x) in m {
                no_empty(x, &format!("{at}.{k}"));
            }
        }
        _ => {}
    }
}

/// Every `reference` value anywhere below `v`.
fn references(v: &Value, out: &mut Vec<String>) {
    match v {
        Value::Object(m) => {
            // A resource's own `reference` (DetectedIssue.reference) is a
            // uri, not a Reference.
            let resource = m.contains_key("resourceType");
            for (k, x) in m {
                if k == "reference"
                    && !resource
                    && let Some(s) = x.as_str()
                {
                    out.push(s.to_string());
                }
                references(x, out);
            }
        }
        Value::Array(a) => a.iter().for_each(|x| references(x, out)),
        _ => {}
    }
}

/// The Bundle's shape: a collection, every entry a `urn:uuid:` fullUrl
/// with a typed resource, every reference resolving inside the Bundle,
/// the elements R4 requires present, no null or empty anywhere.
fn check_bundle(b: &Value) {
    no_empty(b, "Bundle");
    assert_eq!(b["resourceType"], "Bundle");
    assert_eq!(b["type"], "collection");
    let entries = b["entry"].as_array().unwrap();
    let mut urls = Vec::new();
    for e in entries {
        let url = e["fullUrl"].as_str().unwrap();
        assert!(url.starts_with("urn:uuid:") && url.len() == 45, "{url}");
        assert!(!urls.contains(&url.to_string()), "fullUrl twice: {url}");
        urls.push(url.to_string());
        let r = &e["resource"];
        let kind = r["resourceType"].as_str().unwrap();
        match kind {
            "MedicationRequest" => {
                assert_eq!(r["status"], "draft");
                assert_eq!(r["intent"], "proposal");
                assert!(r["subject"]["reference"].is_string());
                assert!(r["medicationCodeableConcept"]["coding"].is_array());
            }
            "DetectedIssue" => {
                assert_eq!(r["status"], "final");
                assert!(matches!(
                    r["severity"].as_str(),
                    Some("high" | "moderate" | "low")
                ));
            }
            "Observation" => {
                assert_eq!(r["status"], "final");
                assert!(r["code"]["coding"][0]["code"].is_string());
                assert_eq!(r["valueQuantity"]["system"], "http://unitsofmeasure.org");
            }
            "Provenance" => {
                assert!(!r["target"].as_array().unwrap().is_empty());
                assert!(r["recorded"].as_str().unwrap().ends_with("T00:00:00Z"));
                assert!(r["agent"][0]["who"]["reference"].is_string());
            }
            "Patient" | "Device" => {}
            other => panic!("unexpected resource {other}"),
        }
    }
    let mut refs = Vec::new();
    references(b, &mut refs);
    for r in refs {
        assert!(
            urls.contains(&r),
            "reference {r} does not resolve inside the Bundle"
        );
    }
}

fn resources<'a>(b: &'a Value, kind: &str) -> Vec<&'a Value> {
    b["entry"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| &e["resource"])
        .filter(|r| r["resourceType"] == kind)
        .collect()
}

fn one<'a>(b: &'a Value, kind: &str) -> &'a Value {
    let all = resources(b, kind);
    assert_eq!(all.len(), 1, "{kind}: {}", all.len());
    all[0]
}

/// The Observation coded `code`.
fn observation<'a>(b: &'a Value, code: &str) -> &'a Value {
    resources(b, "Observation")
        .into_iter()
        .find(|o| o["code"]["coding"][0]["code"] == code)
        .unwrap_or_else(|| panic!("no Observation {code}"))
}

fn full_url_of(b: &Value, r: &Value) -> String {
    b["entry"]
        .as_array()
        .unwrap()
        .iter()
        .find(|e| &e["resource"] == r)
        .map(|e| e["fullUrl"].as_str().unwrap().to_string())
        .unwrap()
}

fn doses(m: &Value) -> Vec<(String, f64)> {
    m["dosageInstruction"][0]["doseAndRate"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| {
            assert_eq!(d["doseQuantity"]["code"], "mg");
            assert_eq!(d["doseQuantity"]["unit"], "mg");
            (
                d["type"]["coding"][0]["code"].as_str().unwrap().to_string(),
                d["doseQuantity"]["value"].as_f64().unwrap(),
            )
        })
        .collect()
}

fn issue_codes(b: &Value) -> Vec<(String, String)> {
    resources(b, "DetectedIssue")
        .iter()
        .map(|i| {
            (
                i["code"]["coding"][0]["code"].as_str().unwrap().to_string(),
                i["severity"].as_str().unwrap().to_string(),
            )
        })
        .collect()
}

const TURNER: &[&str] = &[
    "start",
    "--indication",
    "turner",
    "--weight-kg",
    "24",
    "--product",
    "norditropin",
    "--sex",
    "female",
    "--birth-date",
    "2018-03-01",
    "--height-cm",
    "115",
    "--as-of",
    "2026-06-01",
];

#[test]
fn start_on_a_product_is_a_draft_proposal_with_both_doses_in_mg() {
    let (code, b) = bundle_of(TURNER);
    assert_eq!(code, 0);
    let m = one(&b, "MedicationRequest");
    let coding = m["medicationCodeableConcept"]["coding"].as_array().unwrap();
    assert_eq!(coding[0]["system"], "http://www.whocc.no/atc");
    assert_eq!(coding[0]["code"], "H01AC01");
    assert_eq!(coding[1]["code"], "norditropin");
    assert_eq!(
        doses(m),
        vec![
            ("calculated".to_string(), 1.131),
            ("ordered".to_string(), 1.15)
        ]
    );
    let timing = &m["dosageInstruction"][0]["timing"]["repeat"];
    assert_eq!(
        timing,
        &json!({ "frequency": 1, "period": 1, "periodUnit": "d" })
    );
    assert_eq!(m["extension"][0]["valueCoding"]["code"], "flexpro-10");
    assert!(
        m["dosageInstruction"][0]["text"]
            .as_str()
            .unwrap()
            .starts_with(
                "1.15 mg subcutaneously once a day with Norditropin FlexPro 10 mg/1.5 mL (blue)"
            )
    );
    assert_eq!(m["authoredOn"], "2026-06-01");
    // One DetectedIssue per flag, severity from the flag's, each implicating the order.
    assert_eq!(
        issue_codes(&b),
        vec![
            ("GLUCOSE_MONITORING".to_string(), "moderate".to_string()),
            ("FUNDOSCOPY".to_string(), "low".to_string())
        ]
    );
    let order = full_url_of(&b, m);
    for i in resources(&b, "DetectedIssue") {
        assert_eq!(i["implicated"][0]["reference"], order.as_str());
        assert_eq!(
            i["code"]["coding"][0]["system"],
            "urn:gh-dose:fhir:CodeSystem:flag"
        );
    }
    // Derived observations cite their inputs.
    let height = full_url_of(&b, observation(&b, "8302-2"));
    let sds = observation(&b, "height-sds");
    assert_eq!(sds["derivedFrom"][0]["reference"], height.as_str());
    assert_eq!(sds["method"]["text"], "turner-lyon1985-height");
    assert_eq!(sds["valueQuantity"]["value"], 0.6117);
    assert_eq!(observation(&b, "29463-7")["valueQuantity"]["value"], 24.0);
    assert_eq!(
        observation(&b, "39156-5")["derivedFrom"]
            .as_array()
            .unwrap()
            .len(),
        2
    );
    // The Patient, and the Provenance naming gh-dose and the rule set's sha256.
    let p = one(&b, "Patient");
    assert_eq!(p["gender"], "female");
    assert_eq!(p["birthDate"], "2018-03-01");
    let prov = one(&b, "Provenance");
    let (_, doc) = super::json(&TURNER[..TURNER.len() - 2]);
    let sha = doc["rules"]["sha256"].as_str().unwrap();
    let entities = prov["entity"].to_string();
    assert!(entities.contains(sha), "{entities}");
    assert!(entities.contains(doc["rules"]["products"]["sha256"].as_str().unwrap()));
    let device = one(&b, "Device");
    assert_eq!(device["version"][0]["value"], env!("CARGO_PKG_VERSION"));
    assert_eq!(
        prov["agent"][0]["who"]["reference"],
        full_url_of(&b, device).as_str()
    );
    assert_eq!(prov["activity"]["coding"][0]["code"], "start");
}

#[test]
fn the_bundle_is_the_same_bytes_for_the_same_decision() {
    let a = gh(&[TURNER, &["--format", "fhir"]].concat())
        .output()
        .unwrap()
        .stdout;
    let b = gh(&[TURNER, &["--format", "fhir"]].concat())
        .output()
        .unwrap()
        .stdout;
    assert_eq!(a, b);
    let heavier: Vec<&str> = TURNER
        .iter()
        .map(|a| if *a == "24" { "25" } else { a })
        .collect();
    let other = gh(&[&heavier[..], &["--format", "fhir"]].concat())
        .output()
        .unwrap()
        .stdout;
    let id = |bytes: &[u8]| serde_json::from_slice::<Value>(bytes).unwrap()["id"].clone();
    assert_ne!(id(&a), id(&other), "another decision, other ids");
}

#[test]
fn a_weekly_product_is_coded_by_its_molecule_and_given_once_a_week() {
    let (code, b) = bundle_of(&[
        "start",
        "--indication",
        "ghd",
        "--sex",
        "male",
        "--birth-date",
        "2016-01-10",
        "--weight-kg",
        "30",
        "--product",
        "sogroya",
        "--as-of",
        AS_OF,
    ]);
    assert_eq!(code, 0);
    let m = one(&b, "MedicationRequest");
    assert_eq!(
        m["medicationCodeableConcept"]["coding"][0]["code"],
        "H01AC07"
    );
    assert_eq!(
        m["dosageInstruction"][0]["timing"]["repeat"],
        json!({ "frequency": 1, "period": 1, "periodUnit": "wk" })
    );
    assert_eq!(
        doses(m),
        vec![
            ("calculated".to_string(), 4.8),
            ("ordered".to_string(), 4.8)
        ]
    );
}

#[test]
fn without_a_product_only_the_calculated_dose_is_proposed() {
    let (code, b) = bundle_of(&[
        "start",
        "--indication",
        "turner",
        "--weight-kg",
        "24",
        "--as-of",
        AS_OF,
    ]);
    assert_eq!(code, 0);
    let m = one(&b, "MedicationRequest");
    assert_eq!(
        m["medicationCodeableConcept"]["coding"]
            .as_array()
            .unwrap()
            .len(),
        1
    );
    assert_eq!(doses(m), vec![("calculated".to_string(), 1.131)]);
    assert!(m.get("extension").is_none());
}

const CHILD: &[&str] = &[
    "titrate",
    "--indication",
    "ghd",
    "--sex",
    "male",
    "--birth-date",
    "2016-01-10",
    "--weight-kg",
    "30",
    "--height-cm",
    "130",
    "--current-mg-per-day",
    "0.8",
    "--product",
    "norditropin",
    "--previous-weight-kg",
    "28",
    "--previous-weight-date",
    "2026-05-20",
    "--igf1-date",
    "2026-11-15",
    "--previous-height-cm",
    "126",
    "--previous-height-date",
    "2026-05-20",
    "--as-of",
    AS_OF,
];

#[test]
fn titrate_increase_and_decrease_carry_the_new_dose() {
    let (code, b) = bundle_of(&[CHILD, &["--igf1-sds", "0.5"]].concat());
    assert_eq!(code, 0);
    let m = one(&b, "MedicationRequest");
    assert_eq!(
        doses(m),
        vec![
            ("calculated".to_string(), 0.857),
            ("ordered".to_string(), 0.85)
        ]
    );
    assert_eq!(
        one(&b, "Provenance")["activity"]["coding"][0]["code"],
        "increase"
    );
    // Height velocity from two heights, citing both.
    let hv = observation(&b, "height-velocity");
    assert_eq!(hv["valueQuantity"]["value"], 7.85);
    assert_eq!(hv["valueQuantity"]["code"], "cm/a");
    assert_eq!(hv["derivedFrom"].as_array().unwrap().len(), 2);
    // The laboratory's IGF-1 SDS, dated when drawn.
    let igf1 = observation(&b, "73561-3");
    assert_eq!(igf1["valueQuantity"]["value"], 0.5);
    assert_eq!(igf1["effectiveDateTime"], "2026-11-15");

    let (code, b) = bundle_of(&[CHILD, &["--igf1-sds", "2.5"]].concat());
    assert_eq!(code, 0);
    let m = one(&b, "MedicationRequest");
    assert_eq!(
        doses(m),
        vec![
            ("calculated".to_string(), 0.68),
            ("ordered".to_string(), 0.675)
        ]
    );
    assert_eq!(
        one(&b, "Provenance")["activity"]["coding"][0]["code"],
        "decrease"
    );
    assert_eq!(
        issue_codes(&b),
        vec![
            ("IGF1_ABOVE_RANGE".to_string(), "moderate".to_string()),
            ("DOSE_BELOW_RANGE".to_string(), "moderate".to_string())
        ]
    );
}

#[test]
fn an_igf1_scored_by_gh_dose_is_a_derived_observation_with_its_method() {
    let (code, b) = bundle_of(&[
        "titrate",
        "--indication",
        "adult-ghd",
        "--age-years",
        "45",
        "--current-mg-per-day",
        "0.3",
        "--igf1",
        "150",
        "--igf1-ref-low",
        "80",
        "--igf1-ref-high",
        "250",
        "--igf1-date",
        "2026-11-20",
        "--as-of",
        AS_OF,
    ]);
    assert_eq!(code, 0);
    let conc = observation(&b, "2484-4");
    assert_eq!(conc["valueQuantity"]["value"], 150.0);
    assert_eq!(conc["valueQuantity"]["code"], "ng/mL");
    let sds = observation(&b, "73561-3");
    assert_eq!(
        sds["derivedFrom"][0]["reference"],
        full_url_of(&b, conc).as_str()
    );
    assert!(
        sds["method"]["text"]
            .as_str()
            .unwrap()
            .starts_with("lab-range-lognormal")
    );
}

#[test]
fn a_withhold_or_stop_proposes_no_order_and_raises_a_high_issue() {
    let (code, b) = bundle_of(&[
        "titrate",
        "--indication",
        "ghd",
        "--sex",
        "male",
        "--birth-date",
        "2016-01-10",
        "--weight-kg",
        "30",
        "--current-mg-per-day",
        "0.8",
        "--product",
        "norditropin",
        "--igf1-sds",
        "0.5",
        "--symptom",
        "papilledema",
        "--as-of",
        AS_OF,
    ]);
    assert_eq!(code, 4);
    assert!(resources(&b, "MedicationRequest").is_empty());
    assert_eq!(
        issue_codes(&b),
        vec![("INTRACRANIAL_HYPERTENSION".to_string(), "high".to_string())]
    );
    assert!(one(&b, "DetectedIssue").get("implicated").is_none());
    assert_eq!(
        one(&b, "Provenance")["activity"]["coding"][0]["code"],
        "stop"
    );
}

#[test]
fn growth_is_scored_observations_citing_the_measurements() {
    let (code, b) = bundle_of(&[
        "growth",
        "--sex",
        "female",
        "--birth-date",
        "2018-03-01",
        "--height-cm",
        "115",
        "--weight-kg",
        "24",
        "--as-of",
        "2026-06-01",
    ]);
    assert_eq!(code, 0);
    assert!(resources(&b, "MedicationRequest").is_empty());
    let height = full_url_of(&b, observation(&b, "8302-2"));
    let weight = full_url_of(&b, observation(&b, "29463-7"));
    assert_eq!(
        observation(&b, "height-sds")["derivedFrom"][0]["reference"],
        height.as_str()
    );
    assert_eq!(
        observation(&b, "weight-sds")["derivedFrom"][0]["reference"],
        weight.as_str()
    );
    let bmi = observation(&b, "39156-5");
    assert_eq!(bmi["valueQuantity"]["code"], "kg/m2");
    assert_eq!(
        observation(&b, "bmi-sds")["derivedFrom"][0]["reference"],
        full_url_of(&b, bmi).as_str()
    );
    assert_eq!(
        one(&b, "Provenance")["activity"]["coding"][0]["code"],
        "assess"
    );
}

#[test]
fn fhir_format_is_refused_where_there_is_no_fhir_form() {
    let out = gh(&["products", "--format", "fhir"]).output().unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(
        String::from_utf8_lossy(&out.stderr)
            .contains("--format fhir applies to start, titrate and growth")
    );
    let out = gh(&[TURNER, &["--format", "fhir", "--brief"]].concat())
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(
        String::from_utf8_lossy(&out.stderr).contains("--brief cannot be used with --format fhir")
    );
}

// ---------------------------------------------------------------------
// FHIR in.

fn bundle(resources: Vec<Value>) -> Value {
    let entry: Vec<Value> = resources
        .into_iter()
        .enumerate()
        .map(|(i, r)| json!({ "fullUrl": format!("urn:uuid:00000000-0000-4000-8000-{i:012}"), "resource": r }))
        .collect();
    json!({ "resourceType": "Bundle", "type": "collection", "entry": entry })
}

fn patient(gender: &str, birth: &str) -> Value {
    json!({ "resourceType": "Patient", "id": "p1", "gender": gender, "birthDate": birth })
}

fn obs(loinc: &str, value: f64, unit: &str, date: &str) -> Value {
    json!({
        "resourceType": "Observation", "status": "final",
        "code": { "coding": [{ "system": "http://loinc.org", "code": loinc }] },
        "subject": { "reference": "Patient/p1" },
        "effectiveDateTime": date,
        "valueQuantity": { "value": value, "unit": unit, "system": "http://unitsofmeasure.org", "code": unit },
    })
}

fn condition(system: &str, code: &str) -> Value {
    json!({
        "resourceType": "Condition",
        "clinicalStatus": { "coding": [{ "system": "http://terminology.hl7.org/CodeSystem/condition-clinical", "code": "active" }] },
        "code": { "coding": [{ "system": system, "code": code }] },
        "subject": { "reference": "Patient/p1" },
    })
}

const SNOMED: &str = "http://snomed.info/sct";

fn order(product: &str, atc: &str, mg: f64, repeat: Value) -> Value {
    json!({
        "resourceType": "MedicationRequest", "status": "active", "intent": "order",
        "subject": { "reference": "Patient/p1" },
        "medicationCodeableConcept": { "coding": [
            { "system": "http://www.whocc.no/atc", "code": atc },
            { "system": "urn:gh-dose:fhir:CodeSystem:product", "code": product },
        ] },
        "dosageInstruction": [{
            "timing": { "repeat": repeat },
            "doseAndRate": [{ "doseQuantity": { "value": mg, "unit": "mg", "system": "http://unitsofmeasure.org", "code": "mg" } }],
        }],
    })
}

fn turner_chart() -> Vec<Value> {
    vec![
        patient("female", "2018-03-01"),
        condition(SNOMED, "38804009"),
        obs("29463-7", 24.0, "kg", "2026-11-20"),
        obs("8302-2", 115.0, "cm", "2026-11-20"),
    ]
}

/// The decision's parts the flags and the FHIR input must agree on.
fn decision(v: &Value) -> Value {
    json!({
        "indication": v["indication"]["id"],
        "recommendation": v["recommendation"],
        "flags": v["flags"],
        "weight": v["patient"]["weight_kg"],
        "height": v["patient"]["height_cm"],
        "sex": v["patient"]["sex"],
        "birth": v["patient"]["birth_date"],
        "igf1_sds": v["patient"]["igf1_sds"],
        "velocity": v["patient"]["height_velocity_cm_per_year"],
    })
}

fn rationale_has(v: &Value, text: &str) -> bool {
    v["rationale"]
        .as_array()
        .unwrap()
        .iter()
        .any(|l| l.as_str().unwrap().contains(text))
}

#[test]
fn the_turner_girl_from_fhir_decides_as_from_the_flags() {
    let (code, v, err) = with_fhir(
        &["start", "--product", "norditropin"],
        &bundle(turner_chart()),
    );
    assert_eq!(code, 0, "{err}");
    let (_, flags) = super::json(&[
        "start",
        "--indication",
        "turner",
        "--sex",
        "female",
        "--birth-date",
        "2018-03-01",
        "--weight-kg",
        "24",
        "--height-cm",
        "115",
        "--product",
        "norditropin",
    ]);
    assert_eq!(decision(&v), decision(&flags));
    assert!(rationale_has(
        &v,
        "indication turner from Bundle.entry[1].resource"
    ));
    assert!(rationale_has(
        &v,
        "weight 24 kg measured 2026-11-20 from Bundle.entry[2].resource"
    ));
}

#[test]
fn a_cds_hooks_prefetch_object_is_read_like_a_bundle() {
    let c = turner_chart();
    let search = |r: &Value| json!({ "resourceType": "Bundle", "type": "searchset", "entry": [{ "resource": r }] });
    let prefetch = json!({
        "patient": c[0],
        "conditions": search(&c[1]),
        "weight": search(&c[2]),
        "height": search(&c[3]),
        "igf1": null,
    });
    let (code, v, err) = with_fhir(
        &["start"],
        &json!({ "hook": "order-select", "prefetch": prefetch }),
    );
    assert_eq!(code, 0, "{err}");
    assert_eq!(v["indication"]["id"], "turner");
    assert_eq!(v["recommendation"]["dose"]["mg_per_week"], 7.92);
    assert!(rationale_has(&v, "from prefetch.weight.entry[0].resource"));
}

#[test]
fn flags_given_on_the_command_line_win_and_are_named() {
    let (code, v, err) = with_fhir(
        &["start", "--weight-kg", "30", "--indication", "turner"],
        &bundle(turner_chart()),
    );
    assert_eq!(code, 0, "{err}");
    assert_eq!(v["patient"]["weight_kg"], 30.0);
    assert!(rationale_has(
        &v,
        "--weight-kg given on the command line wins over Bundle.entry[2].resource"
    ));
    assert!(rationale_has(
        &v,
        "--indication given on the command line wins over Bundle.entry[1].resource"
    ));
}

#[test]
fn units_are_converted_and_the_original_kept() {
    let mut c = turner_chart();
    c[2] = obs("29463-7", 24000.0, "g", "2026-11-20");
    let (_, v, err) = with_fhir(&["start"], &bundle(c.clone()));
    assert_eq!(v["patient"]["weight_kg"], 24.0, "{err}");
    assert_eq!(v["patient"]["weight_input"], "24000 g");
    c[2] = obs("3141-9", 52.91, "[lb_av]", "2026-11-20");
    c[3] = obs("8306-3", 45.28, "[in_i]", "2026-11-20");
    let (_, v, err) = with_fhir(&["start"], &bundle(c));
    assert_eq!(v["patient"]["weight_kg"], 24.0, "{err}");
    assert_eq!(v["patient"]["weight_input"], "52.91 [lb_av]");
    assert_eq!(v["patient"]["height_cm"], 115.0);
    assert_eq!(v["patient"]["height_input"], "45.28 [in_i]");
}

fn child_chart(igf1: Value) -> Vec<Value> {
    vec![
        patient("male", "2016-01-10"),
        obs("29463-7", 28.0, "kg", "2026-05-20"),
        obs("29463-7", 30.0, "kg", AS_OF),
        obs("8302-2", 126.0, "cm", "2026-05-20"),
        obs("8302-2", 130.0, "cm", AS_OF),
        igf1,
        order(
            "norditropin",
            "H01AC01",
            0.8,
            json!({ "frequency": 1, "period": 1, "periodUnit": "d" }),
        ),
    ]
}

#[test]
fn a_titration_from_fhir_decides_as_from_the_flags() {
    for sds in [0.5, 2.5] {
        let chart = child_chart(obs("73561-3", sds, "{Z-score}", "2026-11-15"));
        let (code, v, err) = with_fhir(&["titrate", "--indication", "ghd"], &bundle(chart));
        assert_eq!(code, 0, "{err}");
        let (_, flags) = super::titrate(
            &[
                &CHILD[1..CHILD.len() - 2],
                &["--igf1-sds", &sds.to_string()],
            ]
            .concat(),
        );
        assert_eq!(decision(&v), decision(&flags), "IGF-1 SDS {sds}");
        assert!(rationale_has(&v, "current dose 0.8 mg per day"));
    }
}

#[test]
fn an_igf1_concentration_is_scored_on_its_reference_range_and_converted() {
    let mut igf1 = obs("2484-4", 19.6, "nmol/L", "2026-11-15");
    igf1["referenceRange"] = json!([{ "low": { "value": 10.5, "unit": "nmol/L" }, "high": { "value": 52.3, "unit": "nmol/L" } }]);
    let (code, v, err) = with_fhir(
        &["titrate", "--indication", "ghd"],
        &bundle(child_chart(igf1)),
    );
    assert_eq!(code, 0, "{err}");
    let (_, flags) = super::titrate(
        &[
            &CHILD[1..CHILD.len() - 2],
            &[
                "--igf1",
                "19.6",
                "--igf1-unit",
                "nmol/l",
                "--igf1-ref-low",
                "10.5",
                "--igf1-ref-high",
                "52.3",
            ],
        ]
        .concat(),
    );
    assert_eq!(decision(&v), decision(&flags));
    assert_eq!(v["patient"]["igf1_input"], "19.6 nmol/L");
}

#[test]
fn a_value_the_core_refuses_is_named_by_its_fhir_path() {
    let mut c = turner_chart();
    c[2] = obs("29463-7", 2400.0, "kg", "2026-11-20");
    let err = refused(&["start"], &bundle(c));
    assert!(err.contains("Bundle.entry[2].resource"), "{err}");
    assert!(!err.contains("--weight-kg"), "{err}");
}

#[test]
fn every_unusable_input_is_refused_with_its_path_value_and_what_is_allowed() {
    let c = turner_chart();
    let cases: Vec<(Value, &str)> = vec![
        // An observation without a date.
        (
            {
                let mut c = c.clone();
                c[2].as_object_mut().unwrap().remove("effectiveDateTime");
                bundle(c)
            },
            "Bundle.entry[2].resource.effectiveDateTime: missing: Observation 29463-7 has no date",
        ),
        // A partial date.
        (
            bundle(vec![
                c[0].clone(),
                c[1].clone(),
                obs("29463-7", 24.0, "kg", "2026-11"),
                c[3].clone(),
            ]),
            "Bundle.entry[2].resource.effectiveDateTime: '2026-11' is not a full date",
        ),
        // A date after the decision.
        (
            bundle(vec![
                c[0].clone(),
                c[1].clone(),
                obs("29463-7", 24.0, "kg", "2026-12-01"),
                c[3].clone(),
            ]),
            "Bundle.entry[2].resource.effectiveDateTime: 2026-12-01 is after the decision date 2026-11-22",
        ),
        // An unknown unit.
        (
            bundle(vec![
                c[0].clone(),
                c[1].clone(),
                obs("29463-7", 53.0, "lbs", "2026-11-20"),
                c[3].clone(),
            ]),
            "Bundle.entry[2].resource.valueQuantity.code: 'lbs' is not a unit gh-dose reads for LOINC 29463-7 (allowed: kg, g, [lb_av])",
        ),
        // A unit named only in `unit`.
        (
            {
                let mut o = obs("8302-2", 115.0, "cm", "2026-11-20");
                let q = o["valueQuantity"].as_object_mut().unwrap();
                q.remove("code");
                q.insert("unit".into(), "mm".into());
                bundle(vec![c[0].clone(), c[1].clone(), c[2].clone(), o])
            },
            "Bundle.entry[3].resource.valueQuantity.unit: 'mm' is not a unit gh-dose reads for LOINC 8302-2 (allowed: cm, [in_i])",
        ),
        // Two patients.
        (
            bundle([c.clone(), vec![patient("female", "2017-01-01")]].concat()),
            "Bundle.entry[4].resource: a second Patient (the first is Bundle.entry[0].resource): one patient per request",
        ),
        // An observation of another patient.
        (
            {
                let mut c = c.clone();
                c[3]["subject"]["reference"] = "Patient/p2".into();
                bundle(c)
            },
            "Bundle.entry[3].resource.subject.reference: 'Patient/p2' is not the patient of this request",
        ),
        // Observations of two patients and no Patient.
        (
            {
                let mut c = c[1..].to_vec();
                c[2]["subject"]["reference"] = "Patient/p2".into();
                bundle(c)
            },
            "Bundle.entry[2].resource.subject.reference: 'Patient/p2' is another patient than 'Patient/p1'",
        ),
        // Two values on one date.
        (
            bundle([c.clone(), vec![obs("29463-7", 25.0, "kg", "2026-11-20")]].concat()),
            "Bundle.entry[4].resource: a second weight on 2026-11-20 (25 against 24 at Bundle.entry[2].resource): keep one",
        ),
        // A gender the references cannot score.
        (
            bundle([vec![patient("other", "2018-03-01")], c[1..].to_vec()].concat()),
            "Bundle.entry[0].resource.gender: 'other' cannot be scored on the growth references (allowed: male, female",
        ),
        // Two indications.
        (
            bundle([c.clone(), vec![condition(SNOMED, "709044004")]].concat()),
            "Bundle.entry[1].resource: names turner, and Bundle.entry[4].resource names ckd: give --indication",
        ),
        // No indication.
        (
            bundle([vec![c[0].clone()], c[2..].to_vec()].concat()),
            "indication: no Condition in the FHIR input names one that gh-dose maps",
        ),
        // Not a Bundle.
        (
            c[0].clone(),
            "resourceType: 'Patient' is not read at the top: give a Bundle or a CDS Hooks prefetch object",
        ),
        // A resource without its type.
        (
            bundle(vec![json!({ "id": "x" })]),
            "Bundle.entry[0].resource.resourceType: missing",
        ),
    ];
    for (input, expected) in cases {
        let err = refused(&["start"], &input);
        assert!(
            err.contains(expected),
            "expected {expected}\n     got {err}"
        );
    }
}

#[test]
fn titration_inputs_that_cannot_be_used_are_refused() {
    let sds = obs("73561-3", 0.5, "{Z-score}", "2026-11-15");
    let cases: Vec<(Value, &str)> = vec![
        // An IGF-1 concentration without the laboratory's limits.
        (
            bundle(child_chart(obs("2484-4", 150.0, "ng/mL", "2026-11-15"))),
            "Bundle.entry[5].resource.referenceRange: missing: an IGF-1 concentration is scored against the laboratory's limits",
        ),
        // Two current orders.
        (
            bundle(
                [
                    child_chart(sds.clone()),
                    vec![order(
                        "genotropin",
                        "H01AC01",
                        0.8,
                        json!({ "frequency": 1, "period": 1, "periodUnit": "d" }),
                    )],
                ]
                .concat(),
            ),
            "Bundle.entry[7].resource: a second active growth hormone MedicationRequest (the first is Bundle.entry[6].resource)",
        ),
        // A schedule gh-dose does not read.
        (
            {
                let mut c = child_chart(sds.clone());
                c[6] = order(
                    "norditropin",
                    "H01AC01",
                    0.8,
                    json!({ "frequency": 2, "period": 1, "periodUnit": "d" }),
                );
                bundle(c)
            },
            "Bundle.entry[6].resource.dosageInstruction[0].timing.repeat: 2 per 1 d is not a growth hormone schedule gh-dose reads",
        ),
        // A dose in another unit.
        (
            {
                let mut c = child_chart(sds.clone());
                c[6]["dosageInstruction"][0]["doseAndRate"][0]["doseQuantity"]["code"] =
                    "[iU]".into();
                bundle(c)
            },
            "Bundle.entry[6].resource.dosageInstruction[0].doseAndRate[0].doseQuantity.code: '[iU]' is not read as a dose (allowed: mg)",
        ),
    ];
    for (input, expected) in cases {
        let err = refused(&["titrate", "--indication", "ghd"], &input);
        assert!(
            err.contains(expected),
            "expected {expected}\n     got {err}"
        );
    } // An order of another molecule than the product named.
    let mut c = child_chart(sds);
    c[6] = order(
        "sogroya",
        "H01AC07",
        4.8,
        json!({ "frequency": 1, "period": 1, "periodUnit": "wk" }),
    );
    let err = refused(
        &["titrate", "--indication", "ghd", "--product", "norditropin"],
        &bundle(c),
    );
    assert!(
        err.contains("Bundle.entry[6].resource: the current order is somapacitan, and the product norditropin is somatropin: mg of different molecules are not comparable"),
        "{err}"
    );
    // A weekly order without a gh-dose product code: the product must be named.
    let mut c = child_chart(obs("73561-3", 0.5, "{Z-score}", "2026-11-15"));
    c[6] = order(
        "sogroya",
        "H01AC07",
        4.8,
        json!({ "frequency": 1, "period": 1, "periodUnit": "wk" }),
    );
    c[6]["medicationCodeableConcept"]["coding"]
        .as_array_mut()
        .unwrap()
        .pop();
    let err = refused(&["titrate", "--indication", "ghd"], &bundle(c));
    assert!(
        err.contains("Bundle.entry[6].resource: the current order is somapacitan with no gh-dose product code: name the product with --product"),
        "{err}"
    );
}

#[test]
fn resources_gh_dose_does_not_read_are_named() {
    let mut c = turner_chart();
    c.push(json!({ "resourceType": "Encounter", "status": "finished" }));
    c.push(obs("8867-4", 80.0, "/min", "2026-11-20"));
    let mut prelim = obs("29463-7", 26.0, "kg", "2026-11-21");
    prelim["status"] = "preliminary".into();
    c.push(prelim);
    let (code, v, err) = with_fhir(&["start"], &bundle(c));
    assert_eq!(code, 0, "{err}");
    assert_eq!(v["patient"]["weight_kg"], 24.0);
    assert!(rationale_has(
        &v,
        "Bundle.entry[4].resource: Encounter not read by gh-dose"
    ));
    assert!(rationale_has(
        &v,
        "Bundle.entry[5].resource: Observation 8867-4 not read"
    ));
    assert!(rationale_has(
        &v,
        "Bundle.entry[6].resource: Observation 29463-7 not read: status 'preliminary'"
    ));
}

/// The round trip over indications the Condition table maps and the
/// products that carry them: the FHIR input decides as the flags.
#[test]
fn round_trip_over_indications_and_products() {
    let cases = [
        ("turner", "38804009", "female", "norditropin"),
        ("turner", "38804009", "female", "genotropin"),
        ("pws", "89392001", "male", "genotropin"),
        ("noonan", "205824006", "male", "norditropin"),
        ("ckd", "709044004", "female", "genotropin"),
    ];
    for (indication, snomed, sex, product) in cases {
        for (kg, cm) in [(18.5, 105.0), (31.0, 134.5)] {
            let chart = bundle(vec![
                patient(sex, "2017-06-15"),
                condition(SNOMED, snomed),
                obs("29463-7", kg, "kg", "2026-11-22"),
                obs("8302-2", cm, "cm", "2026-11-22"),
                order(
                    product,
                    "H01AC01",
                    1.0,
                    json!({ "frequency": 1, "period": 1, "periodUnit": "d" }),
                ),
            ]);
            let (code, v, err) = with_fhir(&["start"], &chart);
            let (flag_code, flags) = super::json(&[
                "start",
                "--indication",
                indication,
                "--sex",
                sex,
                "--birth-date",
                "2017-06-15",
                "--weight-kg",
                &kg.to_string(),
                "--height-cm",
                &cm.to_string(),
                "--product",
                product,
            ]);
            assert_eq!(code, flag_code, "{indication} {product} {kg}: {err}");
            assert_eq!(
                decision(&v),
                decision(&flags),
                "{indication} {product} {kg}"
            );
        }
    }
}
