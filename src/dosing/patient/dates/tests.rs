use super::*;

fn d(s: &str) -> NaiveDate {
    s.parse().unwrap()
}

#[test]
fn month_arithmetic_clamps_to_month_end() {
    let x = d("2026-08-31");
    assert_eq!(add(x, Offset::Months(6)).unwrap().to_string(), "2027-02-28");
    assert_eq!(add(x, Offset::Weeks(4)).unwrap().to_string(), "2026-09-28");
    assert_eq!(add(x, Offset::Days(1)).unwrap().to_string(), "2026-09-01");
}

#[test]
fn the_next_window_follows_the_next_injection() {
    // Injection on Monday 16th, as of Sunday 22nd: next injection 23rd.
    let w = next_window(d("2026-11-16"), d("2026-11-22"), (3, 4));
    assert_eq!((w.earliest, w.latest), (d("2026-11-26"), d("2026-11-27")));
    // Injection today: today's window.
    let w = next_window(d("2026-11-22"), d("2026-11-22"), (4, 4));
    assert_eq!(w.earliest, d("2026-11-26"));
    // A week ago to the day: today is the next injection.
    let w = next_window(d("2026-11-15"), d("2026-11-22"), (4, 5));
    assert_eq!((w.earliest, w.latest), (d("2026-11-26"), d("2026-11-27")));
}

fn refused(q: &TitrateRequest) -> String {
    check(q).unwrap_err().to_string()
}

fn visit() -> TitrateRequest {
    crate::dosing::test_support::visit("ghd", 30.0, 7.0)
}

#[test]
fn the_year_band_is_inclusive_and_refuses_the_rest() {
    assert!(in_years(d("1900-01-01")) && in_years(d("2200-12-31")));
    assert!(!in_years(d("1899-12-31")) && !in_years(d("2201-01-01")));
    let e = check_years(Field::AsOf, d("0000-01-01")).unwrap_err();
    assert_eq!(
        e.render(crate::dosing::Route::Json),
        "as_of 0000-01-01 is outside the years 1900-2200 (dates are YYYY-MM-DD within them)"
    );
    let mut q = visit();
    q.treatment_start = Some(d("9999-12-31"));
    assert!(refused(&q).starts_with("--treatment-start 9999-12-31 is outside the years"));
}

#[test]
fn every_date_is_on_or_before_the_as_of_date() {
    let after = d("2026-11-23");
    for (set, flag) in [
        (
            (|q: &mut TitrateRequest, x| q.igf1_date = Some(x))
                as fn(&mut TitrateRequest, NaiveDate),
            "--igf1-date",
        ),
        (|q, x| q.last_dose_change = Some(x), "--last-dose-change"),
        (|q, x| q.last_injection = Some(x), "--last-injection"),
        (|q, x| q.treatment_start = Some(x), "--treatment-start"),
    ] {
        let mut q = visit();
        set(&mut q, after);
        assert_eq!(
            refused(&q),
            format!(
                "{flag} 2026-11-23 is after the as-of date 2026-11-22 (dates must be on or before the as-of date)"
            )
        );
        set(&mut q, d("2026-11-22"));
        assert!(check(&q).is_ok(), "{flag} on the as-of date");
    }
    let mut q = visit();
    q.previous_height_cm = Some(crate::dosing::Measured::plain(
        120.0,
        Field::PreviousHeightCm,
    ));
    q.previous_height_date = Some(d("2026-11-22"));
    assert!(refused(&q).contains("--previous-height-date 2026-11-22 must be before"));
    q.previous_height_date = Some(d("2026-05-22"));
    assert!(check(&q).is_ok());
}

#[test]
fn no_date_comes_before_birth() {
    let mut q = visit();
    q.subject.patient.age = Some(AgeInput::BirthDate(d("2018-03-01")));
    q.igf1_date = Some(d("2018-02-28"));
    assert_eq!(
        refused(&q),
        "--igf1-date 2018-02-28 is before --birth-date 2018-03-01"
    );
    q.igf1_date = Some(d("2018-03-01"));
    assert!(check(&q).is_ok(), "on the birth date");
    q.treatment_start = Some(d("2017-01-01"));
    assert_eq!(
        refused(&q),
        "--treatment-start 2017-01-01 is before --birth-date 2018-03-01"
    );
    q.treatment_start = None;
    q.previous_height_cm = Some(crate::dosing::Measured::plain(
        50.0,
        Field::PreviousHeightCm,
    ));
    q.previous_height_date = Some(d("2018-01-01"));
    assert!(refused(&q).starts_with("--previous-height-date 2018-01-01 is before --birth-date"));
    q.previous_height_date = None;
    q.previous_height_cm = None;
    q.last_dose_change = Some(d("2000-01-01"));
    assert!(refused(&q).starts_with("--last-dose-change 2000-01-01 is before --birth-date"));
    q.last_dose_change = None;
    q.last_injection = Some(d("2000-01-01"));
    assert!(refused(&q).starts_with("--last-injection 2000-01-01 is before --birth-date"));
}

#[test]
fn treatment_comes_before_its_changes_and_samples() {
    let mut q = visit();
    q.treatment_start = Some(d("2025-06-01"));
    q.last_dose_change = Some(d("2025-05-31"));
    assert_eq!(
        refused(&q),
        "--last-dose-change 2025-05-31 is before --treatment-start 2025-06-01: the dose cannot change before treatment started"
    );
    q.last_dose_change = Some(d("2025-06-01"));
    q.last_injection = Some(d("2025-05-01"));
    assert!(refused(&q).starts_with("--last-injection 2025-05-01 is before --treatment-start"));
    q.last_injection = None;
    q.igf1_date = Some(d("2025-01-01"));
    assert!(refused(&q).ends_with(": the sample does not reflect treatment"));
    q.igf1_date = Some(d("2025-06-01"));
    assert!(check(&q).is_ok());
    q.last_dose_change = Some(d("2025-07-01"));
    assert_eq!(
        refused(&q),
        "--igf1-date 2025-06-01 is before --last-dose-change 2025-07-01: the sample does not reflect the current dose"
    );
}
