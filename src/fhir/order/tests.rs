#![allow(clippy::unwrap_used, clippy::expect_used)]

use super::*;
use crate::rules::RuleSet;
use serde_json::json;

fn rules() -> RuleSet {
    RuleSet::built_in()
        .unwrap()
        .with_products(
            crate::rules::products::BUILT_IN_PRODUCTS,
            "built-in products",
        )
        .unwrap()
}

fn order(concept: Value) -> Value {
    json!({"resourceType": "MedicationRequest", "status": "draft", "medicationCodeableConcept": concept})
}

#[test]
fn a_draft_names_its_product_by_code_name_or_atc() {
    let r = rules();
    let by_code = order(
        json!({"coding": [{"system": "urn:gh-dose:fhir:CodeSystem:product", "code": "norditropin"}]}),
    );
    assert_eq!(
        ordered_product(&by_code, &r).unwrap().product.as_deref(),
        Some("norditropin")
    );
    let by_name = order(json!({"text": "Sogroya 10 mg/1.5 mL pen"}));
    assert_eq!(
        ordered_product(&by_name, &r).unwrap().product.as_deref(),
        Some("sogroya")
    );
    // Somapacitan has one product in the table; somatropin has several.
    let weekly =
        order(json!({"coding": [{"system": "http://www.whocc.no/atc", "code": "H01AC07"}]}));
    assert_eq!(
        ordered_product(&weekly, &r).unwrap().product.as_deref(),
        Some("sogroya")
    );
    let daily =
        order(json!({"coding": [{"system": "http://www.whocc.no/atc", "code": "H01AC01"}]}));
    assert_eq!(ordered_product(&daily, &r), Some(Ordered { product: None }));
    // Not growth hormone, or no medication at all: nothing.
    let other = order(
        json!({"coding": [{"system": "http://www.nlm.nih.gov/research/umls/rxnorm", "code": "197361", "display": "Amlodipine 5 MG"}]}),
    );
    assert_eq!(ordered_product(&other, &r), None);
    assert_eq!(
        ordered_product(&json!({"resourceType": "MedicationRequest"}), &r),
        None
    );
}

#[test]
fn a_reason_code_names_indications_by_id_or_condition_code() {
    let o = json!({"resourceType": "MedicationRequest", "reasonCode": [
        {"coding": [{"system": "urn:gh-dose:fhir:CodeSystem:indication", "code": "turner"}]},
        {"coding": [{"system": "http://hl7.org/fhir/sid/icd-10", "code": "Q96.9"}]},
        {"text": "short stature"}]});
    let found = order_indications(&o, "draft").unwrap();
    assert_eq!(
        found
            .iter()
            .map(|f| (f.value.as_str(), f.path.as_str()))
            .collect::<Vec<_>>(),
        [("turner", "draft.reasonCode[0]")]
    );
    let none = order_indications(&json!({"resourceType": "MedicationRequest"}), "d").unwrap();
    assert!(none.is_empty());
}
