//! Unit tests of the delivered-dose stage on real products of the built-in
//! table: the bounds, the search again, a maintain, a recheck.
use super::*;
use crate::dosing::device::Toward;
use crate::dosing::guard::Facts;
use crate::dosing::outcome::{Deliverable, Dose, DoseRange, RangeBasis};
use crate::dosing::proposal::Limit;
use crate::dosing::test_support::RULES;
use crate::dosing::trail::Notes;
use crate::units::{Exact, Grams};

pub(super) fn facts(current: Option<i64>) -> Facts<'static> {
    Facts {
        rules: &RULES,
        as_of: "2026-11-22".parse().unwrap(),
        weight: Some(Grams(36_000)),
        current: current.map(Micrograms),
        igf1: None,
        ceiling: 2.0,
        after_change: "adult-after-change",
        reduction: None,
        prescribed: None,
        step: None,
        finest: None,
        igf1_unanswered: None,
    }
}

pub(super) fn on(id: &str) -> OnProduct<'static> {
    OnProduct {
        product: RULES.product(id).unwrap(),
        device: None,
        label: None,
    }
}

pub(super) fn cartridge(on: &OnProduct, device: &str, k: u8) -> Deliverable {
    let d = on.product.device(device).unwrap();
    Deliverable {
        mg_per_injection: d.strength,
        mg_per_week: d.strength.times(i64::from(k)),
        mg_per_kg_per_week: None,
        device: d.id.clone(),
        device_name: d.name.clone(),
        increment_mg: d.increment,
        injections_per_dose: k,
        volume_ml: None,
        difference_mg_per_week: 0.0,
        kind: crate::vocab::DeviceKind::Pen,
    }
}

pub(super) fn weekly(action: Action, ug: i64, n: u8, deliverable: Option<Deliverable>) -> Proposal {
    Proposal {
        action,
        dose: Dose {
            mg_per_week: Micrograms(ug),
            mg_per_kg_per_week: None,
            injections_per_week: n,
            mg_per_injection: Micrograms(ug / i64::from(n)),
            iu_per_injection: None,
            deliverable,
        },
        range: DoseRange {
            mg_per_kg_per_week: None,
            mg_per_week: None,
            mg_per_injection: None,
            mg_per_day: None,
            basis: RangeBasis::Recommended,
        },
        label_range: None,
        target: None,
        review: None,
        group: None,
        labelled: true,
        raise: None,
        limit: Limit {
            max_per_week: Micrograms(100_000),
            why: "the test limit".into(),
            sources: Vec::new(),
            flag: None,
        },
    }
}

pub(super) fn env(max: i64, side: Option<(i64, Action)>) -> Envelope {
    Envelope {
        max: Micrograms(max),
        min: None,
        why: "the test bound".into(),
        side: side.map(|(n, a)| (Micrograms(n), a)),
        mark: 0,
    }
}

pub(super) fn within(p: &mut Proposal, e: &Envelope, f: &Facts, o: Option<&OnProduct>) -> Notes {
    let mut notes = Notes::default();
    Guard {
        facts: f,
        notes: &mut notes,
    }
    .delivered_within(p, e, o);
    notes
}

pub(super) fn said(n: &Notes, text: &str) -> bool {
    n.rationale.iter().any(|l| l.contains(text))
}

#[test]
fn the_bounds_hold_on_the_decisions_side_only() {
    let up = env(5000, Some((4000, Action::Increase)));
    assert!(up.holds(Micrograms(4001)) && up.holds(Micrograms(5000)));
    assert!(!up.holds(Micrograms(4000)) && !up.holds(Micrograms(5001)));
    let down = env(5000, Some((4000, Action::Decrease)));
    assert!(down.holds(Micrograms(3999)));
    assert!(!down.holds(Micrograms(4000)));
    // A decrease's floor (the target less one finest step) is inclusive.
    let floor = Envelope {
        min: Some(Micrograms(3500)),
        ..env(5000, Some((4000, Action::Decrease)))
    };
    assert!(floor.holds(Micrograms(3500)) && floor.holds(Micrograms(3999)));
    assert!(!floor.holds(Micrograms(3499)) && !floor.holds(Micrograms(4000)));
    let keep = env(5000, Some((4000, Action::Maintain)));
    assert!(keep.holds(Micrograms(4000)));
    assert!(!keep.holds(Micrograms(3999)) && !keep.holds(Micrograms(4001)));
    let start = env(5000, None);
    assert!(start.holds(Micrograms(5000)) && !start.holds(Micrograms(5001)));
    // A recheck or stop has no side to keep.
    let none = env(5000, Some((4000, Action::Recheck)));
    assert!(none.holds(Micrograms(1)));
}

#[test]
fn the_search_target_is_the_goal_within_the_bound_on_the_side() {
    let e = env(7000, Some((6000, Action::Increase)));
    let t = e.target(Micrograms(8000), e.side, 7);
    assert_eq!(t.dose, Exact { num: 7000, den: 7 });
    assert_eq!(t.hi, Exact { num: 7000, den: 7 });
    assert_eq!(t.lo, None);
    assert_eq!(t.injections_per_week, 7);
    assert_eq!(t.toward, Some(Toward::Above(Exact { num: 6000, den: 7 })));
    let t = e.target(
        Micrograms(6500),
        Some((Micrograms(6000), Action::Decrease)),
        7,
    );
    assert_eq!(t.dose, Exact { num: 6500, den: 7 });
    assert_eq!(t.toward, Some(Toward::Below(Exact { num: 6000, den: 7 })));
    let t = e.target(
        Micrograms(6500),
        Some((Micrograms(6000), Action::Maintain)),
        1,
    );
    assert_eq!(t.toward, Some(Toward::At(Exact { num: 6000, den: 1 })));
    assert_eq!(e.target(Micrograms(1), None, 1).toward, None);
}

#[test]
fn a_cartridge_above_the_bound_is_replaced_by_the_closest_inside() {
    let s = on("skytrofa");
    let f = facts(Some(5200));
    // The band's 9.1 mg against at most 8 mg, above the current 5.2 mg: 7.6.
    let mut p = weekly(
        Action::Increase,
        8000,
        1,
        Some(cartridge(&s, "skytrofa-9.1", 1)),
    );
    let n = within(
        &mut p,
        &env(8000, Some((5200, Action::Increase))),
        &f,
        Some(&s),
    );
    let d = p.dose.deliverable.as_ref().unwrap();
    assert_eq!(
        (d.device.as_str(), d.mg_per_week),
        ("skytrofa-7.6", Micrograms(7600))
    );
    assert_eq!(p.action, Action::Increase);
    assert!(
        said(
            &n,
            "the delivered 9.1 mg/week is outside the decision's bounds (at most 8 mg/week: the test bound, above the current 5.2 mg/week): 7.6 mg/week is the closest dose a presentation gives inside them"
        ),
        "{:?}",
        n.rationale
    );
    assert!(said(
        &n,
        "first rounding: 9.1 mg/week on Skytrofa 9.1 mg cartridge (replaced below)"
    ));
    assert!(!n.raised.has(FlagCode::SafetyCheck));
}

#[test]
fn an_increase_with_no_cartridge_inside_its_bound_keeps_the_current_dose() {
    let s = on("skytrofa");
    let f = facts(Some(5200));
    let mut p = weekly(
        Action::Increase,
        6138,
        1,
        Some(cartridge(&s, "skytrofa-9.1", 1)),
    );
    let n = within(
        &mut p,
        &env(6138, Some((5200, Action::Increase))),
        &f,
        Some(&s),
    );
    assert_eq!(p.action, Action::Maintain);
    assert_eq!(p.dose.mg_per_week, Micrograms(5200));
    let d = p.dose.deliverable.as_ref().unwrap();
    assert_eq!(
        (d.device.as_str(), d.mg_per_week),
        ("skytrofa-5.2", Micrograms(5200))
    );
    assert!(
        said(
            &n,
            "no presentation of Skytrofa gives a dose above the current 5.2 mg/week and at most 6.138 mg/week (the test bound): the current dose is kept"
        ),
        "{:?}",
        n.rationale
    );
    assert!(said(
        &n,
        "maintain: the current 5.2 mg/week itself, on a presentation that gives it"
    ));
}

#[test]
fn a_dose_no_presentation_gave_is_placed_inside_the_bounds() {
    // An increase no presentation dialled (the first rounding found none):
    // the closest inside the bound, above the current dose.
    let g = on("ngenla");
    let f = facts(Some(16_000));
    let mut n = Notes::default();
    n.raise(FlagCode::DeviceCannotDeliver);
    let mut p = weekly(Action::Increase, 16_830, 1, None);
    Guard {
        facts: &f,
        notes: &mut n,
    }
    .delivered_within(
        &mut p,
        &env(20_000, Some((16_000, Action::Increase))),
        Some(&g),
    );
    // One injection: the 60 mg pen's 17 mg is closer than its 16.5 mg.
    let d = p.dose.deliverable.as_ref().unwrap();
    assert_eq!(
        (d.device.as_str(), d.mg_per_week, d.injections_per_dose),
        ("ngenla-60", Micrograms(17_000), 1)
    );
    assert!(!n.raised.has(FlagCode::DeviceCannotDeliver));
    assert!(
        said(
            &n,
            "17 mg/week is the closest dose a presentation gives inside the decision's bounds (at most 20 mg/week, above the current 16 mg/week)"
        ),
        "{:?}",
        n.rationale
    );
    // Above the largest single injection (30 mg): two equal injections.
    let f = facts(Some(38_000));
    let mut p = weekly(Action::Increase, 40_000, 1, None);
    within(
        &mut p,
        &env(45_000, Some((38_000, Action::Increase))),
        &f,
        Some(&g),
    );
    let d = p.dose.deliverable.as_ref().unwrap();
    assert_eq!(
        (d.mg_per_injection, d.injections_per_dose, d.mg_per_week),
        (Micrograms(20_000), 2, Micrograms(40_000))
    );
    // A start no presentation gives stays exact (no search away from its range).
    let f = facts(None);
    let mut p = weekly(Action::Start, 61_000, 1, None);
    let n = within(&mut p, &env(100_000, None), &f, Some(&g));
    assert!(p.dose.deliverable.is_none());
    assert!(n.rationale.is_empty());
}

#[test]
fn a_start_whose_table_dose_no_cartridge_can_bring_inside_its_bound_says_so() {
    let s = on("skytrofa");
    let f = facts(None);
    let mut p = weekly(Action::Start, 2275, 1, Some(cartridge(&s, "skytrofa-3", 1)));
    let n = within(&mut p, &env(2275, None), &f, Some(&s));
    assert!(p.dose.deliverable.is_none());
    assert_eq!(p.action, Action::Start);
    assert!(n.raised.has(FlagCode::NoDeliverableDose));
    assert!(n.raised.has(FlagCode::DeviceCannotDeliver));
    assert!(!n.raised.has(FlagCode::SafetyCheck));
    assert!(
        said(
            &n,
            "the table's 3 mg/week is above the test bound (2.275 mg/week), and no presentation of Skytrofa gives a dose at most that"
        ),
        "{:?}",
        n.rationale
    );
    // Inside its bound: untouched, nothing said.
    let mut p = weekly(Action::Start, 3000, 1, Some(cartridge(&s, "skytrofa-3", 1)));
    let n = within(&mut p, &env(3000, None), &f, Some(&s));
    assert_eq!(
        p.dose.deliverable.as_ref().unwrap().mg_per_week,
        Micrograms(3000)
    );
    assert!(n.rationale.is_empty() && n.raised.resolve(&RULES).is_empty());
}

#[test]
fn without_a_product_the_exact_dose_is_held_to_the_bounds() {
    let f = facts(Some(3000));
    let mut p = weekly(Action::Increase, 5000, 7, None);
    let n = within(&mut p, &env(4000, Some((3000, Action::Increase))), &f, None);
    assert!(n.raised.has(FlagCode::SafetyCheck));
    assert_eq!(p.action, Action::Recheck);
    assert_eq!(p.dose.mg_per_week, Micrograms(3000));
    // Inside: nothing changes.
    let mut p = weekly(Action::Increase, 3500, 7, None);
    let n = within(&mut p, &env(4000, Some((3000, Action::Increase))), &f, None);
    assert_eq!(
        (p.action, p.dose.mg_per_week),
        (Action::Increase, Micrograms(3500))
    );
    assert!(!n.raised.has(FlagCode::SafetyCheck));
    // A start is held by its limit before rounding, not here.
    let mut p = weekly(Action::Start, 5000, 7, None);
    let n = within(&mut p, &env(4000, None), &f, None);
    assert_eq!(p.action, Action::Start);
    assert!(!n.raised.has(FlagCode::SafetyCheck));
}

#[test]
fn the_side_is_said_in_words() {
    assert_eq!(
        side_text(&env(1, Some((5200, Action::Increase)))),
        ", above the current 5.2 mg/week"
    );
    assert_eq!(
        side_text(&env(1, Some((5200, Action::Decrease)))),
        ", below the current 5.2 mg/week"
    );
    assert_eq!(
        side_text(&env(1, Some((5200, Action::Maintain)))),
        ", the current 5.2 mg/week itself"
    );
    assert_eq!(side_text(&env(1, None)), "");
}

#[test]
fn the_first_rounding_is_replaced_by_one_line() {
    let s = on("skytrofa");
    let f = facts(Some(5200));
    let mut n = Notes::default();
    n.why("before");
    let e = Envelope {
        mark: 1,
        ..env(8000, Some((5200, Action::Increase)))
    };
    n.why("rounding 1");
    n.why("rounding 2");
    let p = weekly(
        Action::Increase,
        8000,
        1,
        Some(cartridge(&s, "skytrofa-9.1", 1)),
    );
    Guard {
        facts: &f,
        notes: &mut n,
    }
    .first_rounding_replaced(&p, &e);
    assert_eq!(
        n.rationale,
        [
            "before",
            "first rounding: 9.1 mg/week on Skytrofa 9.1 mg cartridge (replaced below)"
        ]
    );
    let p = weekly(Action::Increase, 8000, 1, None);
    let mut n = Notes::default();
    n.why("x");
    Guard {
        facts: &f,
        notes: &mut n,
    }
    .first_rounding_replaced(
        &p,
        &Envelope {
            mark: 0,
            ..env(1, None)
        },
    );
    assert_eq!(
        n.rationale,
        ["first rounding: no presentation gave the target (replaced below)"]
    );
}
