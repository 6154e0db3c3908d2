//! Unit tests of the adult daily regimen.

use crate::dosing::test_support::*;
use crate::units::{Micrograms, NgPerKg};
use crate::vocab::{Action, FlagCode};

fn group(q: crate::dosing::StartRequest) -> Option<String> {
    start_ok(q).indication.group
}

#[test]
fn adult_start_depends_on_age() {
    let o = start_ok(adult("adult-ghd", 45.0));
    let d = o.recommendation.dose.clone().unwrap();
    assert_eq!(d.mg_per_injection, Micrograms(200));
    assert_eq!(d.mg_per_week, Micrograms(1400));
    assert_eq!(d.mg_per_kg_per_week, None::<NgPerKg>);
    assert_eq!(o.indication.group.as_deref(), Some("standard"));
    let o = start_ok(adult("adult-ghd", 67.0));
    assert_eq!(
        o.recommendation.dose.unwrap().mg_per_injection,
        Micrograms(100)
    );
    assert_eq!(o.indication.group.as_deref(), Some("older-or-metabolic"));
}

#[test]
fn the_age_boundary_is_inclusive_at_60() {
    assert_eq!(
        group(adult("adult-ghd", 59.99)).as_deref(),
        Some("standard")
    );
    assert_eq!(
        group(adult("adult-ghd", 60.0)).as_deref(),
        Some("older-or-metabolic")
    );
}

#[test]
fn oral_estrogen_starts_at_the_group_maximum() {
    let mut r = adult("adult-ghd", 45.0);
    r.subject.patient.oral_estrogen = true;
    let o = start_ok(r);
    assert_eq!(
        o.recommendation.dose.clone().unwrap().mg_per_injection,
        Micrograms(300)
    );
    assert!(has(&o, FlagCode::OralEstrogen));
}

#[test]
fn obesity_by_bmi_selects_the_lower_group() {
    let mut r = adult("adult-ghd", 40.0);
    r.subject.patient.bmi = Some(30.0);
    assert_eq!(group(r.clone()).as_deref(), Some("older-or-metabolic"));
    r.subject.patient.bmi = Some(29.9);
    assert_eq!(group(r).as_deref(), Some("standard"));
}

#[test]
fn the_start_is_capped_by_weight() {
    // 45 y, 10 kg: 0.0125 mg/kg/day x 10 kg = 0.125 mg/day < 0.2
    let mut r = adult("adult-ghd", 45.0);
    r.subject.patient.weight_kg = Some(kg(10.0));
    let o = start_ok(r);
    assert_eq!(
        o.recommendation.dose.clone().unwrap().mg_per_injection,
        Micrograms(125)
    );
    assert!(has(&o, FlagCode::DoseCapped));
}

#[test]
fn low_igf1_steps_up_after_the_interval() {
    let mut q = adult_visit(45.0, 0.3, -1.5);
    q.last_dose_change = Some(date("2026-10-09"));
    q.igf1_date = Some(date("2026-11-20"));
    let o = titrate_ok(q);
    assert_eq!(o.recommendation.action, Action::Increase);
    assert_eq!(
        o.recommendation.dose.unwrap().mg_per_injection,
        Micrograms(500)
    );
}

#[test]
fn an_increase_waits_for_the_interval() {
    let mut q = adult_visit(45.0, 0.3, -1.5);
    q.last_dose_change = Some(date("2026-11-01"));
    q.igf1_date = Some(date("2026-11-20"));
    let o = titrate_ok(q);
    assert_eq!(o.recommendation.action, Action::Maintain);
    assert!(has(&o, FlagCode::TitrationTooSoon));
}

#[test]
fn high_igf1_steps_down_at_any_time() {
    let mut q = adult_visit(45.0, 0.6, 3.2);
    q.last_dose_change = Some(date("2026-11-20"));
    q.igf1_date = Some(date("2026-11-21"));
    let o = titrate_ok(q);
    assert_eq!(o.recommendation.action, Action::Decrease);
    assert_eq!(
        o.recommendation.dose.unwrap().mg_per_injection,
        Micrograms(400)
    );
}

#[test]
fn a_sample_before_steady_state_is_repeated() {
    let mut q = adult_visit(45.0, 0.3, -0.5);
    q.last_dose_change = Some(date("2026-11-18"));
    q.igf1_date = Some(date("2026-11-20"));
    let o = titrate_ok(q);
    assert_eq!(o.recommendation.action, Action::Recheck);
    let r = o.recommendation.next_review.unwrap();
    // Counted from the change: 7-21 days.
    assert_eq!(
        (r.earliest, r.latest),
        (date("2026-11-25"), date("2026-12-09"))
    );
}

#[test]
fn dose_related_symptoms_step_down() {
    let mut q = adult_visit(45.0, 0.5, 0.5);
    q.subject.patient.symptoms = vec![crate::vocab::Symptom::Edema];
    let o = titrate_ok(q);
    assert_eq!(o.recommendation.action, Action::Decrease);
    assert_eq!(
        o.recommendation.dose.unwrap().mg_per_injection,
        Micrograms(400)
    );
}
