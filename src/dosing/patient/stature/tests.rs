use super::*;
use crate::dosing::patient::validate;
use crate::dosing::request::{AgeInput, Measured};
use crate::dosing::test_support::*;

fn scored(q: &crate::dosing::StartRequest) -> (Patient, Stature) {
    let p = validate(&q.subject.patient, q.subject.as_of, &RULES).unwrap();
    let ind = RULES.indication(&q.subject.indication).unwrap();
    let s = score(&p, &q.subject.patient, ind, &RULES, &mut Notes::default()).unwrap();
    (p, s)
}

#[test]
fn the_height_sds_used_is_computed_when_the_references_cover_the_child() {
    let mut q = child("ghd", 20.0);
    q.subject.patient.height_sds = Some(-2.5);
    // No age: the typed SDS, as given.
    let (_, s) = scored(&q);
    let h = s.height_sds.unwrap();
    assert_eq!((h.sds, h.source), (-2.5, HeightSdsSource::Given));
    assert_eq!(h.source.as_str(), "given");
    q.subject.patient.age = Some(AgeInput::Years(8.0));
    q.subject.patient.sex = Some(Sex::Male);
    q.subject.patient.height_cm = Some(Measured::plain(118.0, Field::HeightCm));
    let (p, s) = scored(&q);
    let h = s.height_sds.unwrap();
    let cdc = Builtin::cdc_stature(8.0);
    assert_eq!(h.source, HeightSdsSource::Reference(cdc));
    assert_eq!(h.source.as_str(), cdc.as_str());
    let want = cdc.reference().unwrap().sds(Sex::Male, 8.0, 118.0).unwrap();
    assert_eq!(h.sds, round_to(want, SCORE_DECIMALS));
    assert_eq!(s.height_sds(), Some(h.sds));
    // The patient keeps the SDS as typed.
    assert_eq!(p.height_sds, Some(-2.5));
}

#[test]
fn obesity_is_found_by_bmi_sds_and_returned() {
    let mut q = child("ghd", 45.0);
    q.subject.patient.age = Some(AgeInput::Years(8.0));
    q.subject.patient.sex = Some(Sex::Male);
    q.subject.patient.height_cm = Some(Measured::plain(125.0, Field::HeightCm));
    let (p, s) = scored(&q);
    assert!(!p.obesity);
    assert!(s.obesity);
    let bmi = p.bmi_exact.unwrap();
    let want = Builtin::CdcBmi
        .reference()
        .unwrap()
        .sds(Sex::Male, 8.0, bmi)
        .unwrap();
    assert_eq!(s.bmi_sds, Some(round_to(want, SCORE_DECIMALS)));
    assert!(want >= RULES.growth.obesity_bmi_sds);
    // The same child without a sex: judged for both sexes.
    q.subject.patient.sex = None;
    let (_, s) = scored(&q);
    assert!(s.obesity);
    assert_eq!(s.bmi_sds, None);
}
