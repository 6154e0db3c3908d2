use crate::dosing::test_support::*;
use crate::vocab::{Action, Condition, FlagCode, Severity};

#[test]
fn a_start_on_a_product_is_rounded_onto_its_pen() {
    let mut r = child("ghd", 30.0);
    r.subject.product.product = Some("norditropin".into());
    let o = start_ok(r);
    let d = o.recommendation.dose.unwrap().deliverable.unwrap();
    // 0.175 mg/kg/week x 30 kg / 7 = 0.75 mg, a whole pen step.
    assert_eq!(d.mg_per_injection, crate::units::Micrograms(750));
    assert_eq!(d.device, "flexpro-10");
}

#[test]
fn pws_with_sleep_apnea_is_withheld() {
    let mut r = child("pws", 30.0);
    r.subject.patient.conditions = vec![Condition::PwsSleepApnea];
    let o = start_ok(r);
    assert_eq!(o.recommendation.action, Action::Withhold);
    assert!(o.recommendation.dose.is_none());
    assert!(o.stopped());
    assert_eq!(o.flags[0].code, FlagCode::PwsContraindication);
    assert_eq!(o.flags[0].severity, Severity::Block);
    assert!(o.recommendation.next_review.is_none());
}

#[test]
fn bad_requests_are_refused_naming_the_field() {
    let e = start_err(child("tuner", 24.0));
    assert!(e.contains("did you mean 'turner'?"), "{e}");
    assert!(e.contains("valid: ghd, turner, pws"), "{e}");
    let mut q = child("turner", 24.0);
    q.subject.patient.weight_kg = None;
    assert_eq!(
        start_err(q),
        "--weight-kg (or --weight-lb) is required for turner (a weight-based indication)"
    );
    let mut q = adult("adult-ghd", 40.0);
    q.subject.patient.age = None;
    assert!(start_err(q).contains("--age-years or --birth-date is required for adult-ghd"));
    let mut q = child("turner", 24.0);
    q.subject.injections_per_week = Some(3);
    assert_eq!(
        start_err(q),
        "--injections-per-week must be one of 6, 7 for turner (got 3)"
    );
}

#[test]
fn ids_are_matched_in_any_case() {
    let mut q = child("Turner", 24.0);
    q.subject.product.product = Some("Norditropin".into());
    let o = start_ok(q);
    assert_eq!(o.indication.id, "turner");
    assert_eq!(o.product.unwrap().id, "norditropin");
}

#[test]
fn age_indication_mismatch_warns() {
    let mut q = child("turner", 50.0);
    q.subject.patient.age = Some(crate::dosing::AgeInput::Years(18.0));
    assert!(has(&start_ok(q.clone()), FlagCode::AgeIndicationMismatch));
    q.subject.patient.age = Some(crate::dosing::AgeInput::Years(17.99));
    assert!(!has(&start_ok(q), FlagCode::AgeIndicationMismatch));
    assert!(has(
        &start_ok(adult("adult-ghd", 17.0)),
        FlagCode::AgeIndicationMismatch
    ));
}

#[test]
fn presentations_and_products_carry_their_warnings() {
    let mut q = child("ghd", 8.0);
    q.subject.product.product = Some("omnitrope".into());
    q.subject.product.device = Some("omnitrope-pen-5".into());
    q.subject.patient.age = Some(crate::dosing::AgeInput::Years(0.5));
    assert!(has(&start_ok(q.clone()), FlagCode::BenzylAlcohol));
    q.subject.patient.age = Some(crate::dosing::AgeInput::Years(2.0));
    assert!(!has(&start_ok(q), FlagCode::BenzylAlcohol));
    let mut q = child("ghd", 30.0);
    q.subject.product.product = Some("nutropin-aq".into());
    assert!(has(&start_ok(q), FlagCode::ProductDiscontinued));
}
