//! Unit tests of `lms.rs`.

use super::*;

fn row(age_years: f64, m: f64) -> LmsRow {
    LmsRow {
        age_years,
        l: 1.0,
        m,
        s: 0.05,
    }
}

fn info() -> ReferenceInfo {
    ReferenceInfo {
        id: "t".into(),
        name: "T".into(),
        measurement: Measurement::Height,
        citation: "c".into(),
        licence: "l".into(),
        source_file: None,
        source_sha256: None,
    }
}

fn table(ms: &[(f64, f64)]) -> GrowthReference {
    let rows = ms.iter().map(|&(a, m)| row(a, m)).collect();
    GrowthReference::new(info(), rows, vec![]).unwrap()
}

#[test]
fn ages_outside_the_table_are_refused_with_the_range() {
    let t = table(&[(2.0, 80.0), (3.0, 90.0)]);
    for age in [1.99, 3.01, f64::NAN, f64::INFINITY] {
        let e = t.lms_at(Sex::Female, age).unwrap_err();
        assert!(
            e.to_string().contains("covers girls aged 2 to 3 years"),
            "{e}"
        );
    }
    let e = t.lms_at(Sex::Male, 2.5).unwrap_err();
    assert_eq!(e.to_string(), "T has no rows for boys");
    // One row: only that age.
    let one = table(&[(5.0, 100.0)]);
    assert_eq!(one.lms_at(Sex::Female, 5.0).unwrap().m, 100.0);
    assert!(one.lms_at(Sex::Female, 5.1).is_err());
}

#[test]
fn bad_rows_are_refused() {
    let bad = |rows: Vec<LmsRow>| GrowthReference::new(info(), rows, vec![]).is_err();
    assert!(bad(vec![]));
    assert!(bad(vec![row(2.0, 80.0), row(2.0, 81.0)]));
    assert!(bad(vec![row(3.0, 80.0), row(2.0, 81.0)]));
    assert!(bad(vec![row(2.0, 0.0)]));
    assert!(bad(vec![row(f64::NAN, 80.0)]));
    assert!(bad(vec![LmsRow {
        s: 0.0,
        ..row(2.0, 80.0)
    }]));
    assert!(bad(vec![LmsRow {
        l: f64::INFINITY,
        ..row(2.0, 80.0)
    }]));
}

#[test]
fn an_overshooting_interpolation_is_refused() {
    // S = 0.01, 0.9, 0.01, 0.01, 0.01 at 0-4 y: at 2.5 y the cubic through
    // 1, 2 | 3, 4 gives S = (-0.9 + 9 * 0.01 + 9 * 0.01 - 0.01) / 16
    // = -0.045625; no SDS may be computed from it.
    let rows = [0.01, 0.9, 0.01, 0.01, 0.01]
        .iter()
        .enumerate()
        .map(|(i, &s)| LmsRow {
            s,
            ..row(i as f64, 100.0)
        })
        .collect();
    let t = GrowthReference::new(info(), rows, vec![]).unwrap();
    let e = t.sds(Sex::Female, 2.5, 100.0).unwrap_err();
    assert!(matches!(e, GrowthError::InvalidTable(_)), "{e}");
}

#[test]
fn the_reference_checks_values() {
    let t = table(&[(2.0, 80.0), (3.0, 90.0)]);
    for x in [0.0, -1.0, f64::NAN, f64::INFINITY] {
        assert!(t.sds(Sex::Female, 2.5, x).is_err(), "{x}");
    }
    assert!((t.sds(Sex::Female, 2.5, 85.0).unwrap()).abs() < 1e-12);
    let e = t.value_at_sds(Sex::Female, 2.5, -30.0).unwrap_err();
    assert!(matches!(e, GrowthError::NoValueAtSds { .. }), "{e}");
}
