use super::*;

const Q95: f64 = 1.959964;

#[test]
fn log_normal_matches_the_worked_example() {
    // Lo 100, Hi 300, x 250: +1.31 (reference notes).
    let r = LabRange {
        low_ng_ml: 100.0,
        high_ng_ml: 300.0,
        kind: RangeKind::Central95,
        lambda: None,
    };
    assert!((sds_from_range(250.0, &r, 1.96) - 1.31).abs() < 0.005);
    // The limits sit at -q and +q; the geometric mean at 0.
    assert!((sds_from_range(100.0, &r, Q95) + Q95).abs() < 1e-9);
    assert!((sds_from_range(300.0, &r, Q95) - Q95).abs() < 1e-9);
    assert!(sds_from_range((100.0f64 * 300.0).sqrt(), &r, Q95).abs() < 1e-9);
}

#[test]
fn box_cox_puts_the_limits_at_plus_minus_q() {
    let r = LabRange {
        low_ng_ml: 97.0,
        high_ng_ml: 407.0,
        kind: RangeKind::Central95,
        lambda: Some(0.46),
    };
    assert!((sds_from_range(97.0, &r, Q95) + Q95).abs() < 1e-9);
    assert!((sds_from_range(407.0, &r, Q95) - Q95).abs() < 1e-9);
    // A lambda of 0 is the log-normal approximation.
    let ln = LabRange {
        lambda: Some(0.0),
        ..r
    };
    let plain = LabRange { lambda: None, ..r };
    assert_eq!(
        sds_from_range(150.0, &ln, Q95),
        sds_from_range(150.0, &plain, Q95)
    );
}

#[test]
fn a_box_cox_power_near_zero_is_the_log_normal_range() {
    // The LMS formula itself (and its L = 0 limit) is tested in `crate::lms`.
    let tiny = LabRange {
        low_ng_ml: 100.0,
        high_ng_ml: 300.0,
        kind: RangeKind::Central95,
        lambda: Some(1e-300),
    };
    assert!((sds_from_range(300.0, &tiny, Q95) - Q95).abs() < 1e-9);
}

#[test]
fn sds_are_shown_with_their_sign() {
    assert_eq!(fmt_sds(2.6), "+2.6");
    assert_eq!(fmt_sds(-1.499), "-1.5");
    assert_eq!(fmt_sds(0.0), "0");
}

#[test]
fn a_reading_names_its_method_and_what_it_was_computed_from() {
    use crate::dosing::patient::validate;
    use crate::dosing::test_support::{RULES, visit};
    let rules = &*RULES;
    let mut q = visit("ghd", 30.0, 5.0);
    let p = validate(&q.subject.patient, q.subject.as_of, rules).unwrap();
    let read = |q: &TitrateRequest| sds(q, &p, rules, &mut Notes::default()).unwrap();
    assert_eq!(read(&q), None);
    q.igf1 = Some(Igf1Input::Sds(-1.5));
    let r = read(&q).unwrap();
    assert_eq!((r.sds, r.method), (-1.5, Igf1Method::Reported));
    assert_eq!(r.method.as_str(), "reported");
    assert_eq!((r.ng_ml, r.input, r.reference), (None, None, None));
    // The range in the unit of the value: 10-40 nmol/L.
    let lab = |lambda| Igf1Reference::Lab {
        low: 10.0,
        high: 40.0,
        kind: RangeKind::Central95,
        lambda,
    };
    q.igf1 = Some(Igf1Input::Concentration {
        value: 19.6,
        unit: Igf1Unit::NmolPerL,
        reference: lab(None),
    });
    let r = read(&q).unwrap();
    assert_eq!(r.method, Igf1Method::LabRangeLognormal);
    assert_eq!(r.method.as_str(), "lab-range-lognormal");
    let factor = rules.igf1.ng_per_ml_per_nmol_per_l;
    let ng = 19.6 * factor;
    assert_eq!(r.ng_ml, Some(round_to(ng, 1)));
    assert_eq!(r.input.as_deref(), Some("19.6 nmol/L"));
    let range = LabRange {
        low_ng_ml: 10.0 * factor,
        high_ng_ml: 40.0 * factor,
        kind: RangeKind::Central95,
        lambda: None,
    };
    assert_eq!(
        r.sds,
        sds_from_range(ng, &range, rules.igf1.central_95_quantile)
    );
    let named = format!(
        "laboratory range {}-{} ng/mL (",
        round_to(range.low_ng_ml, 1),
        round_to(range.high_ng_ml, 1)
    );
    assert!(
        r.reference
            .as_deref()
            .is_some_and(|s| s.starts_with(&named)),
        "{:?}",
        r.reference
    );
    q.igf1 = Some(Igf1Input::Concentration {
        value: 150.0,
        unit: Igf1Unit::NgPerMl,
        reference: Igf1Reference::Lab {
            low: 100.0,
            high: 300.0,
            kind: RangeKind::Central95,
            lambda: Some(0.5),
        },
    });
    let r = read(&q).unwrap();
    assert_eq!(r.method.as_str(), "lab-range-boxcox");
    assert_eq!((r.ng_ml, r.input), (Some(150.0), None));
}
