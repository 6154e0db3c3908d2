use super::*;

fn rules() -> RuleSet {
    RuleSet::built_in().unwrap()
}

fn date(s: &str) -> NaiveDate {
    s.parse().unwrap()
}

fn kg(v: f64) -> Option<Measured> {
    Some(Measured::plain(v, Field::WeightKg))
}

#[test]
fn weight_limits_are_inclusive() {
    let r = rules();
    for (w, ok) in [
        (0.5, true),
        (0.49, false),
        (250.0, true),
        (250.01, false),
        (-5.0, false),
    ] {
        let p = PatientInput {
            weight_kg: kg(w),
            ..Default::default()
        };
        assert_eq!(validate(&p, date("2026-11-22"), &r).is_ok(), ok, "{w}");
    }
    let p = PatientInput {
        weight_kg: kg(-5.0),
        ..Default::default()
    };
    let e = validate(&p, date("2026-11-22"), &r).unwrap_err();
    assert_eq!(e.field, Field::WeightKg);
    assert_eq!(
        e.to_string(),
        "--weight-kg must be between 0.5 and 250 kg (got -5)"
    );
}

#[test]
fn converted_values_name_their_field_and_original() {
    let p = PatientInput {
        weight_kg: Some(Measured {
            value: 700.0 * 0.453_592_37,
            field: Field::WeightLb,
            original: Some("700 lb".into()),
        }),
        ..Default::default()
    };
    let e = validate(&p, date("2026-11-22"), &rules()).unwrap_err();
    assert_eq!(
        e.to_string(),
        "--weight-lb must be between 0.5 and 250 kg (got 700 lb = 317.51 kg)"
    );
}

#[test]
fn birth_date_gives_decimal_age() {
    let p = PatientInput {
        age: Some(AgeInput::BirthDate(date("2016-01-01"))),
        ..Default::default()
    };
    let v = validate(&p, date("2024-01-01"), &rules()).unwrap();
    // 2922 days / 365.25 = 8.0 exactly
    assert_eq!(v.age_years, Some(8.0));
    let p = PatientInput {
        age: Some(AgeInput::BirthDate(date("2027-01-01"))),
        ..Default::default()
    };
    let e = validate(&p, date("2026-11-22"), &rules()).unwrap_err();
    assert!(
        e.to_string()
            .contains("--birth-date 2027-01-01 is after the as-of date 2026-11-22")
    );
}

#[test]
fn bmi_and_bsa_are_computed_from_weight_and_height() {
    let p = PatientInput {
        weight_kg: kg(90.0),
        height_cm: Some(Measured::plain(170.0, Field::HeightCm)),
        ..Default::default()
    };
    let v = validate(&p, date("2026-11-22"), &rules()).unwrap();
    assert_eq!(v.bmi, Some(31.1));
    assert_eq!(v.bmi_source, Some(BmiSource::Computed));
    // sqrt(170 * 90 / 3600) = 2.0616
    assert_eq!(v.bsa_m2, Some(2.06));
}

#[test]
fn the_numbers_of_a_visit_are_checked_whatever_the_indication_uses() {
    use crate::dosing::request::{Subject, TitrateRequest};
    let r = rules();
    let visit = || {
        TitrateRequest::new(Subject::new(
            "adult-ghd",
            date("2026-11-22"),
            PatientInput::default(),
        ))
    };
    assert!(check_visit(&visit(), &r).is_ok());
    let mut q = visit();
    q.pretreatment_hv_cm_per_year = Some(f64::NAN);
    assert_eq!(
        check_visit(&q, &r).unwrap_err().to_string(),
        "--pretreatment-hv-cm-per-year must be a finite number between 0 and 30 cm/year (got NaN)"
    );
    let mut q = visit();
    q.previous_height_cm = Some(Measured::plain(-1000.0, Field::PreviousHeightCm));
    assert_eq!(
        check_visit(&q, &r).unwrap_err().to_string(),
        "--previous-height-cm must be between 20 and 250 cm (got -1000)"
    );
    let mut q = visit();
    q.previous_weight_kg = Some(f64::INFINITY);
    assert_eq!(
        check_visit(&q, &r).unwrap_err().field,
        Field::PreviousWeightKg
    );
    let mut q = visit();
    q.previous_weight_date = Some(date("2026-05-01"));
    let e = check_visit(&q, &r).unwrap_err();
    assert_eq!(e.field, Field::PreviousWeightDate);
    assert_eq!(
        e.to_string(),
        "--previous-weight-kg is required with --previous-weight-date (the date is the previous weight's)"
    );
    q.previous_weight_kg = Some(25.0);
    assert!(check_visit(&q, &r).is_ok());
    let mut q = visit();
    q.prescribed_mg_per_kg_week = Some(1e308);
    assert_eq!(
        check_visit(&q, &r).unwrap_err().to_string(),
        "--prescribed-mg-per-kg-week must be between 0.05 and 1 mg/kg/week (got 1e308)"
    );
}

#[test]
fn huge_and_tiny_numbers_are_shown_short() {
    assert_eq!(fmt_num(24.5), "24.5");
    assert_eq!(fmt_num(-1000.0), "-1000");
    assert_eq!(fmt_num(1e308), "1e308");
    assert_eq!(fmt_num(-2.5e20), "-2.5e20");
    assert_eq!(fmt_num(1e-300), "1e-300");
    assert_eq!(fmt_num(0.0), "0");
    assert_eq!(fmt_num(f64::NAN), "NaN");
}

#[test]
fn non_finite_values_are_refused() {
    let p = PatientInput {
        age: Some(AgeInput::Years(f64::NAN)),
        ..Default::default()
    };
    let e = validate(&p, date("2026-11-22"), &rules()).unwrap_err();
    assert_eq!(
        e.to_string(),
        "--age-years must be a finite number between 0 and 120 years (got NaN)"
    );
}

#[test]
fn the_decision_date_and_the_birth_date_keep_to_the_year_band() {
    let p = PatientInput::default();
    let e = validate(&p, date("9999-12-31"), &rules()).unwrap_err();
    assert_eq!(e.field, Field::AsOf);
    assert!(
        e.to_string()
            .starts_with("--as-of 9999-12-31 is outside the years 1900-2200")
    );
    assert!(validate(&p, date("0000-01-01"), &rules()).is_err());
    assert!(validate(&p, date("2200-12-31"), &rules()).is_ok());
    let p = PatientInput {
        age: Some(AgeInput::BirthDate(date("1899-12-31"))),
        ..Default::default()
    };
    let e = validate(&p, date("2000-01-01"), &rules()).unwrap_err();
    assert_eq!(e.field, Field::BirthDate);
    assert!(e.to_string().contains("outside the years"), "{e}");
}

#[test]
fn an_adults_weight_no_body_has_at_its_height_is_refused_with_the_slip_named() {
    use crate::dosing::test_support::{adult, start_err, start_ok};
    let with = |w: f64, cm: f64, confirm: bool| {
        let mut q = adult("adult-ghd", 40.0);
        q.subject.patient.weight_kg = kg(w);
        q.subject.patient.height_cm = Some(Measured::plain(cm, Field::HeightCm));
        if confirm {
            q.subject.patient.confirm = vec![Confirm::Weight];
        }
        q
    };
    assert_eq!(
        start_err(with(6.8, 165.0, false)),
        "--weight-kg 6.8 kg with a height of 165 cm is a BMI of 2.5, outside the plausible 8-100 kg/m2 for an adult; likely slip: tenfold (68 kg)?; if it is real, add --confirm weight"
    );
    // The other way: 150 kg at 120 cm is a BMI of 104; 15 kg gives 10.4.
    assert_eq!(
        start_err(with(150.0, 120.0, false)),
        "--weight-kg 150 kg with a height of 120 cm is a BMI of 104.2, outside the plausible 8-100 kg/m2 for an adult; likely slip: tenfold (15 kg)?; if it is real, add --confirm weight"
    );
    // No tenfold reading fits: checked as given.
    assert!(
        start_err(with(0.8, 170.0, false))
            .ends_with("check the weight and the height; if it is real, add --confirm weight")
    );
    // Confirmed, or inside the band: dosed.
    start_ok(with(6.8, 165.0, true));
    start_ok(with(68.0, 165.0, false));
}
