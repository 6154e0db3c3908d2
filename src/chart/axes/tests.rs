use super::*;

#[test]
fn steps_are_nice_and_ticks_exact() {
    assert_eq!(nice_step(10.0, 5), 2.0);
    assert_eq!(nice_step(100.0, 10), 10.0);
    assert_eq!(nice_step(0.9, 5), 0.2);
    assert_eq!(nice_step(0.0, 5), 1.0);
    let s = Scale::nice(81.3, 163.2, 8, 0.0, 100.0);
    assert_eq!((s.lo, s.hi, s.step), (80.0, 170.0, 10.0));
    assert_eq!(s.ticks().len(), 10);
    assert_eq!(s.at(80.0), 0.0);
    assert_eq!(s.at(170.0), 100.0);
    let birth = chrono::NaiveDate::from_ymd_opt(2018, 3, 1).unwrap();
    assert_eq!(
        date_at(birth, 8.0),
        chrono::NaiveDate::from_ymd_opt(2026, 3, 1)
    );
    assert_eq!(date_at(birth, f64::NAN), None);
    let t = Scale::exact(7.3, 9.1, 4, 0.0, 1.0);
    assert_eq!(t.ticks(), vec![7.5, 8.0, 8.5, 9.0]);
    assert_eq!(t.label(7.5), "7.5");
    // A flat range still has a width.
    let flat = Scale::nice(3.0, 3.0, 4, 0.0, 1.0);
    assert!(flat.hi > flat.lo);
}
