use crate::dosing::test_support::*;
use crate::vocab::{Action, FlagCode, Symptom};

#[test]
fn a_block_stops_treatment() {
    let mut q = visit("ghd", 30.0, 7.2);
    q.subject.patient.symptoms = vec![Symptom::Papilledema];
    let o = titrate_ok(q);
    assert_eq!(o.recommendation.action, Action::Stop);
    assert!(o.recommendation.dose.is_none());
    assert!(o.recommendation.next_review.is_none());
    assert!(has(&o, FlagCode::IntracranialHypertension));
}

#[test]
fn the_current_dose_is_required_and_limited() {
    let mut q = visit("ghd", 30.0, 7.2);
    q.current = None;
    assert_eq!(
        titrate_err(q.clone()),
        "--current-mg-per-day or --current-mg-per-week is required for titrate (the dose now given)"
    );
    q.current = Some(crate::dosing::CurrentDose::PerWeek(0.0));
    assert_eq!(
        titrate_err(q),
        "--current-mg-per-week must be a positive number of mg up to 100 (got 0)"
    );
}

#[test]
fn supply_is_counted_for_the_new_dose() {
    let mut q = visit("ghd", 28.0, 6.0);
    q.previous_weight_kg = Some(25.0);
    q.subject.product.product = Some("norditropin".into());
    q.supply_days = Some(28);
    let o = titrate_ok(q);
    let s = o.recommendation.supply.unwrap();
    // 6.72 mg/week / 7 = 0.96 mg, at most 0.24 mg/kg/week: 0.95 mg on
    // FlexPro 5 or 10 (0.025/0.05 steps), both discarding 0.05 mg a dose;
    // the larger pen: 10 doses a pen; 28 doses -> 3 pens.
    assert_eq!(s.device, "flexpro-10");
    assert_eq!((s.injections, s.doses_per_device, s.devices), (28, 10, 3));
}

#[test]
fn a_recheck_carries_no_dose() {
    let mut q = adult_visit(45.0, 0.3, -0.5);
    q.last_dose_change = Some(date("2026-11-18"));
    q.igf1_date = Some(date("2026-11-20"));
    let o = titrate_ok(q);
    assert_eq!(o.recommendation.action, Action::Recheck);
    assert!(o.recommendation.dose.is_none());
}
