//! Unit tests of the delivered-dose stage when nothing is given or the
//! current dose is kept: a recheck, a maintain on the presentation that
//! gives it, the dose given below the range.
use super::tests::{cartridge, env, facts, on, said, weekly, within};
use super::*;
use crate::dosing::outcome::Deliverable;
use crate::dosing::trail::Notes;
use crate::units::Micrograms;

#[test]
fn a_reduction_below_the_lowest_strength_is_a_recheck() {
    let s = on("skytrofa");
    let f = facts(Some(3000));
    let mut p = weekly(
        Action::Decrease,
        2550,
        1,
        Some(cartridge(&s, "skytrofa-3", 1)),
    );
    let n = within(
        &mut p,
        &env(100_000, Some((3000, Action::Decrease))),
        &f,
        Some(&s),
    );
    assert_eq!(p.action, Action::Recheck);
    assert!(p.dose.deliverable.is_none());
    assert_eq!(p.dose.mg_per_week, Micrograms(3000));
    assert!(n.raised.has(FlagCode::NoDeliverableDose));
    assert!(
        said(
            &n,
            "no presentation of Skytrofa gives a dose at most 100 mg/week (the test bound), below the current 3 mg/week: recheck (nothing is changed)"
        ),
        "{:?}",
        n.rationale
    );
}

#[test]
fn a_maintain_keeps_the_current_dose_on_the_presentation_that_gives_it() {
    // 1 mg a day rounded by a first placement to 0.95 mg: the current dose
    // itself on a pen that gives it, the patient's pen first.
    let n7 = on("norditropin");
    let f = facts(Some(7000));
    let ten = n7.product.device("flexpro-10").unwrap();
    let low = Deliverable {
        mg_per_injection: Micrograms(950),
        mg_per_week: Micrograms(6650),
        mg_per_kg_per_week: None,
        device: ten.id.clone(),
        device_name: ten.name.clone(),
        increment_mg: ten.increment,
        injections_per_dose: 1,
        volume_ml: None,
        difference_mg_per_week: 0.0,
        kind: crate::vocab::DeviceKind::Pen,
    };
    let mut p = weekly(Action::Maintain, 7000, 7, Some(low));
    let n = within(
        &mut p,
        &env(7000, Some((7000, Action::Maintain))),
        &f,
        Some(&n7),
    );
    assert_eq!(p.action, Action::Maintain);
    let d = p.dose.deliverable.as_ref().unwrap();
    assert_eq!(
        (
            d.device.as_str(),
            d.mg_per_injection,
            d.injections_per_dose,
            d.mg_per_week
        ),
        ("flexpro-10", Micrograms(1000), 1, Micrograms(7000))
    );
    assert!(
        said(&n, "maintain: the current 7 mg/week itself"),
        "{:?}",
        n.rationale
    );
    assert!(said(&n, "first rounding: 6.65 mg/week on"));
    // Ngenla 16.8 mg: the 24 mg pen gives at most 12 mg an injection and the
    // label splits only above 30 mg; the 60 mg pen steps 0.5 mg. No
    // presentation gives it: kept unrounded and flagged, never the 16.5 below.
    let g = on("ngenla");
    let f = facts(Some(16_800));
    let mut p = weekly(Action::Maintain, 16_800, 1, None);
    let n = within(
        &mut p,
        &env(16_800, Some((16_800, Action::Maintain))),
        &f,
        Some(&g),
    );
    assert_eq!(p.action, Action::Maintain);
    assert!(p.dose.deliverable.is_none());
    assert_eq!(p.dose.mg_per_week, Micrograms(16_800));
    assert!(n.raised.has(FlagCode::DeviceCannotDeliver));
    assert!(
        said(
            &n,
            "no presentation of Ngenla gives the current 16.8 mg/week exactly: it is kept as it is, unrounded"
        ),
        "{:?}",
        n.rationale
    );
}

#[test]
fn a_reduction_for_a_high_igf1_that_is_not_given_is_a_recheck() {
    let f = facts(Some(3000));
    let run = |action: Action, given: i64, flagged: bool| {
        let mut n = Notes::default();
        if flagged {
            n.raise(FlagCode::Igf1AboveRange);
        }
        let mut p = weekly(action, given, 1, None);
        Guard {
            facts: &f,
            notes: &mut n,
        }
        .reduction_given(&mut p);
        (p, n)
    };
    let (p, n) = run(Action::Maintain, 3000, true);
    assert_eq!(p.action, Action::Recheck);
    assert!(n.raised.has(FlagCode::NoDeliverableDose));
    assert!(said(
        &n,
        "IGF-1 above the range asks for a reduction, and no dose below the current 3 mg/week can be given"
    ));
    let (p, _) = run(Action::Increase, 3100, true);
    assert_eq!(p.action, Action::Recheck);
    let (p, n) = run(Action::Decrease, 2999, true);
    assert_eq!(p.action, Action::Decrease);
    assert!(!n.raised.has(FlagCode::NoDeliverableDose));
    let (p, _) = run(Action::Maintain, 3000, false);
    assert_eq!(p.action, Action::Maintain);
    // A recheck or stop is not titrated: left alone.
    let (p, n) = run(Action::Recheck, 3000, true);
    assert_eq!(p.action, Action::Recheck);
    assert!(!n.raised.has(FlagCode::NoDeliverableDose));
}

#[test]
fn a_maintain_of_two_cartridges_keeps_both() {
    // 18.2 mg/week is two 9.1 mg cartridges (above the 13.3 mg single).
    let s = on("skytrofa");
    let f = facts(Some(18_200));
    let mut p = weekly(Action::Maintain, 18_200, 1, None);
    let n = within(
        &mut p,
        &env(18_200, Some((18_200, Action::Maintain))),
        &f,
        Some(&s),
    );
    let d = p.dose.deliverable.as_ref().unwrap();
    assert_eq!(
        (d.device.as_str(), d.injections_per_dose, d.mg_per_week),
        ("skytrofa-9.1", 2, Micrograms(18_200))
    );
    assert!(!n.raised.has(FlagCode::DeviceCannotDeliver));
}

#[test]
fn a_dose_given_below_the_range_is_flagged_once() {
    let f = facts(Some(7000));
    let mut p = weekly(Action::Maintain, 7000, 7, None);
    p.range.mg_per_week = Some(crate::dosing::outcome::Span {
        min: Some(Micrograms(7350)),
        max: Micrograms(9000),
    });
    let mut n = Notes::default();
    Guard {
        facts: &f,
        notes: &mut n,
    }
    .below_range_said(&p);
    assert!(n.raised.has(FlagCode::DoseBelowRange));
    assert!(said(
        &n,
        "the dose given, 7 mg/week, is below the range's minimum 7.35 mg/week"
    ));
    // At the minimum, already flagged, or no dose given: nothing more.
    for (given, action, pre) in [
        (7350, Action::Maintain, None),
        (7000, Action::Maintain, Some(FlagCode::DoseBelowRange)),
        (7000, Action::Maintain, Some(FlagCode::RoundedOutsideRange)),
        (7000, Action::Recheck, None),
    ] {
        let mut p = weekly(action, given, 7, None);
        p.range.mg_per_week = Some(crate::dosing::outcome::Span {
            min: Some(Micrograms(7350)),
            max: Micrograms(9000),
        });
        let mut n = Notes::default();
        if let Some(c) = pre {
            n.raise(c);
        }
        Guard {
            facts: &f,
            notes: &mut n,
        }
        .below_range_said(&p);
        assert!(n.rationale.is_empty(), "{given} {action:?} {pre:?}");
    }
}
