use super::*;
use crate::dosing::{PatientInput, StartRequest, Subject, start};

#[test]
fn cached_and_plain_growth_serialization_agree() {
    use crate::dosing::{AgeInput, Field, Measured};
    use crate::dosing::{GrowthRequest, measure};
    let rules = RuleSet::built_in().unwrap();
    let cache = JsonCache::of(&rules);
    let as_of = "2026-11-22".parse().unwrap();
    let mut req = GrowthRequest::new(as_of);
    req.indication = Some("turner".into());
    req.patient.sex = Some(crate::vocab::Sex::Female);
    req.patient.age = Some(AgeInput::Years(10.0));
    req.patient.height_cm = Some(Measured::plain(150.0, Field::HeightCm));
    req.patient.weight_kg = Some(Measured::plain(35.0, Field::WeightKg));
    req.father_height_cm = Some(175.0);
    req.mother_height_cm = Some(160.0);
    let doc = GrowthDocument::new(as_of, &rules, measure(&req, &rules).unwrap());
    assert!(!doc.references.is_empty() && !doc.flags.is_empty() && !doc.sources.is_empty());
    let mut line = Vec::new();
    write_growth_line(&mut line, &doc, &cache).unwrap();
    let plain = serde_json::to_vec(&doc).unwrap();
    assert_eq!(
        String::from_utf8(line).unwrap(),
        String::from_utf8(plain).unwrap()
    );
}

#[test]
fn cached_and_plain_serialization_agree() {
    let rules = RuleSet::built_in().unwrap();
    let cache = JsonCache::of(&rules);
    let as_of = "2026-11-22".parse().unwrap();
    let mut req = StartRequest::new(Subject::new(
        "pws",
        as_of,
        PatientInput {
            weight_kg: Some(crate::dosing::Measured::plain(
                30.0,
                crate::dosing::Field::WeightKg,
            )),
            ..Default::default()
        },
    ));
    req.subject.product.product = Some("genotropin".into());
    let doc = Document::new("start", as_of, &rules, start(&req, &rules).unwrap());
    let mut line = Vec::new();
    write_line(&mut line, &doc, &cache).unwrap();
    let plain = serde_json::to_vec(&doc).unwrap();
    assert_eq!(
        String::from_utf8(line).unwrap(),
        String::from_utf8(plain).unwrap()
    );
    assert!(!doc.flags.is_empty() && !doc.sources.is_empty());
}
