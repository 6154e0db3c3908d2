use crate::dosing::test_support::*;
use crate::units::Micrograms;
use crate::vocab::{Action, FlagCode, Region};

fn sogroya(age: f64) -> crate::dosing::StartRequest {
    let mut q = adult("adult-ghd", age);
    q.subject.product.product = Some("sogroya".into());
    q
}

#[test]
fn sogroya_starts_by_the_label_table() {
    let dose = |q| start_ok(q).recommendation.dose.unwrap().mg_per_week;
    assert_eq!(dose(sogroya(45.0)), Micrograms(1500));
    let mut q = sogroya(45.0);
    q.subject.patient.oral_estrogen = true;
    assert_eq!(dose(q), Micrograms(2000));
    // US: older than 65; EU: older than 60.
    assert_eq!(dose(sogroya(65.5)), Micrograms(1000));
    assert_eq!(dose(sogroya(62.0)), Micrograms(1500));
    let mut q = sogroya(62.0);
    q.subject.product.region = Region::Eu;
    assert_eq!(dose(q), Micrograms(1000));
    assert_eq!(
        start_ok(sogroya(45.0)).indication.group.as_deref(),
        Some("sogroya-adult")
    );
}

#[test]
fn severe_hepatic_impairment_withholds_the_start() {
    let mut q = sogroya(45.0);
    q.subject.patient.conditions = vec![crate::vocab::Condition::HepaticImpairmentSevere];
    let o = start_ok(q);
    assert_eq!(o.recommendation.action, Action::Withhold);
    assert!(has(&o, FlagCode::SevereHepaticImpairment));
}

#[test]
fn a_mistimed_sample_is_repeated_in_the_next_window() {
    let mut q = adult_visit(50.0, 0.0, -0.8);
    q.current = Some(crate::dosing::CurrentDose::PerWeek(1.5));
    q.subject.product.product = Some("sogroya".into());
    q.igf1_date = Some(date("2026-11-22"));
    q.last_injection = Some(date("2026-11-16"));
    let o = titrate_ok(q);
    assert_eq!(o.recommendation.action, Action::Recheck);
    let r = o.recommendation.next_review.unwrap();
    assert_eq!(
        (r.earliest, r.latest),
        (date("2026-11-26"), date("2026-11-27"))
    );
}

#[test]
fn low_igf1_steps_up_inside_the_window() {
    let mut q = adult_visit(50.0, 0.0, -1.5);
    q.current = Some(crate::dosing::CurrentDose::PerWeek(1.5));
    q.subject.product.product = Some("sogroya".into());
    q.igf1_date = Some(date("2026-11-19"));
    q.last_injection = Some(date("2026-11-16"));
    let o = titrate_ok(q);
    assert_eq!(o.recommendation.action, Action::Increase);
    assert_eq!(o.recommendation.dose.unwrap().mg_per_week, Micrograms(2500));
}
