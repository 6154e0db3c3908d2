use crate::dosing::CurrentDose;
use crate::dosing::test_support::*;
use crate::vocab::Confirm;

#[test]
fn a_weekly_dose_typed_per_day_is_refused_with_the_slip_named() {
    let mut q = visit("ghd", 26.0, 7.0);
    q.current = Some(CurrentDose::PerDay(7.0));
    assert_eq!(
        titrate_err(q),
        "--current-mg-per-day 7 is 1.885 mg/kg/week on 26 kg, outside the plausible 0.05-1 mg/kg/week for a child: a weekly dose typed per day? did you mean --current-mg-per-week 7"
    );
}

#[test]
fn an_adult_dose_far_outside_any_regimen_is_refused() {
    let q = adult_visit(45.0, 50.0, 0.0);
    assert!(
        titrate_err(q).starts_with(
            "--current-mg-per-day 50 is 50 mg/day, outside the plausible 0.05-3 mg/day"
        )
    );
    let mut q = adult_visit(45.0, 0.3, 0.0);
    q.current = Some(CurrentDose::PerWeek(0.3));
    assert_eq!(
        titrate_err(q),
        "--current-mg-per-week 0.3 is 0.043 mg/day, outside the plausible 0.05-3 mg/day for an adult on daily somatropin: a daily dose typed per week? did you mean --current-mg-per-day 0.3"
    );
}

#[test]
fn each_likely_slip_is_named_and_only_when_it_fits() {
    let at = |kg: f64, current: CurrentDose| {
        let mut q = visit("ghd", kg, 7.0);
        q.current = Some(current);
        titrate_err(q)
    };
    let child = |current: CurrentDose| at(26.0, current);
    // Micrograms typed as mg (up to the 100 mg input limit): 100 per day
    // is 0.7 mg/week as µg, 0.058 mg/kg/week on 12 kg; on 26 kg (0.027) and
    // as 100 µg a week on 5 kg (0.02) it is below any child's dose: no guess.
    assert!(
        at(12.0, CurrentDose::PerDay(100.0)).ends_with("micrograms typed as mg? 0.1 mg is 100 µg"),
        "{}",
        at(12.0, CurrentDose::PerDay(100.0))
    );
    assert!(child(CurrentDose::PerDay(100.0)).ends_with(": check the dose and its unit"));
    assert!(at(5.0, CurrentDose::PerWeek(100.0)).ends_with(": check the dose and its unit"));
    // A daily dose typed per week: 0.35 mg/week is 0.013 mg/kg/week;
    // 0.35 x 7 = 2.45 mg/week fits as a daily dose.
    assert!(
        child(CurrentDose::PerWeek(0.35))
            .ends_with("a daily dose typed per week? did you mean --current-mg-per-day 0.35"),
        "{}",
        child(CurrentDose::PerWeek(0.35))
    );
    // Nothing fits: no guess.
    assert!(child(CurrentDose::PerDay(50.0)).ends_with(": check the dose and its unit"));
    assert!(child(CurrentDose::PerWeek(90.0)).ends_with(": check the dose and its unit"));
    // An adult's weekly dose typed per day: 3.5 mg/day is 0.5 mg/day a week over.
    let mut q = adult_visit(45.0, 3.5, 0.0);
    q.current = Some(CurrentDose::PerDay(3.5));
    assert!(titrate_err(q).ends_with("did you mean --current-mg-per-week 3.5"));
}

#[test]
fn a_pediatric_indication_is_not_dosed_in_an_adult() {
    let mut q = child("ghd", 70.0);
    q.subject.patient.age = Some(crate::dosing::AgeInput::Years(45.0));
    let e = start_err(q.clone());
    assert!(
        e.starts_with("--indication ghd is a pediatric indication and the patient is 45 years"),
        "{e}"
    );
    assert!(e.contains("adult-ghd") && e.contains("transition"));
    q.subject.patient.conditions = vec![crate::vocab::Condition::ClosedEpiphyses];
    assert_eq!(
        start_ok(q).recommendation.action,
        crate::vocab::Action::Withhold
    );
}

#[test]
fn an_adult_dose_above_the_cap_without_weight_is_asked_about_once_and_confirmed() {
    // 2.1 mg/day is in the plausible band but above the 1.33 cap; per week
    // it is 0.3 mg/day: the slip is named, and --confirm dose lets it through.
    let mut q = adult_visit(45.0, 2.1, -0.5);
    q.current = Some(CurrentDose::PerDay(2.1));
    assert_eq!(
        titrate_err(q.clone()),
        "--current-mg-per-day 2.1 is above 1.33 mg/day, the labels' adult maximum without weight: a weekly dose typed per day? did you mean --current-mg-per-week 2.1 (0.3 mg/day); if it is the real dose, add --confirm dose"
    );
    q.subject.patient.confirm = vec![Confirm::Dose];
    let o = titrate_ok(q);
    assert!(o.rationale.iter().any(|l| l
        == "current dose 2.1 mg/day confirmed as real (--confirm dose): above the labels' adult maximum without weight"));
    // At the cap itself, and above it where per week it would be no dose: no question.
    let mut q = adult_visit(45.0, 1.33, -0.5);
    q.current = Some(CurrentDose::PerDay(1.33));
    assert!(
        titrate_ok(q)
            .rationale
            .iter()
            .all(|l| !l.contains("--confirm dose"))
    );
    let mut q = adult_visit(45.0, 0.3, -0.5);
    q.current = Some(CurrentDose::PerWeek(2.1));
    assert!(
        titrate_ok(q)
            .rationale
            .iter()
            .all(|l| !l.contains("confirmed as real"))
    );
}
