//! Unit tests of the guard: each invariant on hand-made proposals.
use super::*;
use crate::dosing::outcome::{Deliverable, Dose, DoseRange};
use crate::dosing::proposal::Limit;
use crate::dosing::test_support::RULES;

pub(super) fn proposal(action: Action, weekly: i64, raise: Option<Raise>, limit: i64) -> Proposal {
    Proposal {
        action,
        dose: Dose {
            mg_per_week: Micrograms(weekly),
            mg_per_kg_per_week: None,
            injections_per_week: 7,
            mg_per_injection: Micrograms(weekly / 7),
            iu_per_injection: None,
            deliverable: None,
        },
        range: DoseRange {
            mg_per_kg_per_week: None,
            mg_per_week: None,
            mg_per_injection: None,
            mg_per_day: None,
            basis: crate::dosing::outcome::RangeBasis::Recommended,
        },
        label_range: None,
        target: Some(Target {
            dose: Exact::ug(Micrograms(weekly / 7)),
            lo: None,
            hi: Exact::ug(Micrograms(weekly)),
            injections_per_week: 7,
            toward: None,
        }),
        review: None,
        group: None,
        labelled: true,
        raise,
        limit: Limit {
            max_per_week: Micrograms(limit),
            why: "the test limit".into(),
            sources: Vec::new(),
            flag: None,
        },
    }
}

pub(super) fn facts(current: Option<i64>, sds: Option<f64>) -> Facts<'static> {
    Facts {
        rules: &RULES,
        as_of: "2026-11-22".parse().unwrap(),
        weight: None,
        current: current.map(Micrograms),
        igf1: sds.map(|s| Igf1 {
            sds: Some(s),
            not_steady: false,
            mistimed: false,
            stale: false,
        }),
        ceiling: 2.0,
        after_change: "adult-after-change",
        reduction: None,
        prescribed: None,
        step: None,
        finest: None,
        igf1_unanswered: None,
    }
}

pub(super) fn reduced(mg_per_week: i64, then_g: Option<i64>) -> Reduction {
    Reduction {
        date: "2026-07-10".parse().unwrap(),
        igf1_sds: 2.6,
        mg_per_week: Micrograms(mg_per_week),
        from: None,
        weight: then_g.map(Grams),
    }
}

/// Reduced to 6825 ug/week at 26 kg; today 28 kg: the same intensity is
/// 6825 x 28/26 = 7350 ug/week, whatever the regimen's bound.
fn reduced_at_26_kg_today_28_kg() -> Facts<'static> {
    let mut f = facts(Some(6825), Some(1.0));
    f.weight = Some(Grams(28_000));
    f.reduction = Some(reduced(6825, Some(26_000)));
    f
}

/// An increase for growth to `weekly` ug/week (growth's own dose 9240).
fn growth_to(weekly: i64) -> Proposal {
    proposal(
        Action::Increase,
        weekly,
        Some(Raise::Growth(Micrograms(9240))),
        20_000,
    )
}

#[test]
fn growth_does_not_undo_a_reduction_for_a_high_igf1() {
    let f = reduced_at_26_kg_today_28_kg();
    let mut p = growth_to(9240);
    let notes = run(&mut p, &f);
    assert_eq!(p.dose.mg_per_week, Micrograms(7350));
    assert_eq!(p.action, Action::Increase);
    assert!(!notes.raised.has(FlagCode::SafetyCheck));
    assert!(
        notes.rationale.iter().any(|l| l.contains(
            "reduced on 2026-07-10 for IGF-1 SDS +2.6 (visit record): growth takes it no higher than that intensity on today's weight, 7.35 mg/week"
        )),
        "{:?}",
        notes.rationale
    );
}

#[test]
fn growth_within_a_kept_reduction_is_untouched() {
    // Within the bound: untouched; the bound itself is allowed.
    let f = reduced_at_26_kg_today_28_kg();
    let mut p = growth_to(7350);
    let notes = run(&mut p, &f);
    assert_eq!(p.dose.mg_per_week, Micrograms(7350));
    assert!(!notes.rationale.iter().any(|l| l.contains("visit record")));
}

#[test]
fn rounding_is_bounded_by_a_kept_reduction_and_keeps_a_lower_bound() {
    let f = reduced_at_26_kg_today_28_kg();
    // Rounding is bounded by the reduced intensity (7350/7 per injection),
    // and a lower bound already there (a label's) is kept.
    let mut p = growth_to(9240);
    let mut n = Notes::default();
    Guard {
        facts: &f,
        notes: &mut n,
    }
    .settle(&mut p);
    assert_eq!(p.target.unwrap().hi, Exact { num: 7350, den: 7 });
    let mut p = growth_to(7000);
    if let Some(t) = p.target.as_mut() {
        t.hi = Exact {
            num: 10_000,
            den: 10,
        };
    }
    Guard {
        facts: &f,
        notes: &mut n,
    }
    .settle(&mut p);
    assert_eq!(
        p.target.unwrap().hi,
        Exact {
            num: 10_000,
            den: 10
        }
    );
    assert_eq!(p.target.unwrap().lo, None);
}

#[test]
fn without_a_weight_a_kept_reduction_is_the_bound_itself() {
    let mut f = reduced_at_26_kg_today_28_kg();
    // Without either weight the reduced dose itself is the bound.
    f.weight = None;
    let mut p = growth_to(9240);
    run(&mut p, &f);
    assert_eq!(p.dose.mg_per_week, Micrograms(6825));
    assert_eq!(p.action, Action::Maintain);
    // A weight then of 0 g (a slip in a hand-edited record) scales nothing:
    // the reduced dose itself is the bound.
    let mut f0 = facts(Some(6825), Some(1.0));
    f0.weight = Some(Grams(28_000));
    f0.reduction = Some(reduced(6825, Some(0)));
    let mut p = growth_to(9240);
    run(&mut p, &f0);
    assert_eq!(p.dose.mg_per_week, Micrograms(6825));
}

#[test]
fn a_current_dose_above_a_kept_reduction_is_kept() {
    // Never below the current dose: a current dose above the bound is kept.
    let mut f = facts(Some(8050), Some(1.0));
    f.reduction = Some(reduced(6825, None));
    let mut p = growth_to(9240);
    run(&mut p, &f);
    assert_eq!(p.dose.mg_per_week, Micrograms(8050));
}

#[test]
fn a_low_igf1_is_a_reason_to_go_past_a_reduction() {
    let mut f = facts(Some(6825), Some(-1.5));
    f.reduction = Some(reduced(6825, None));
    let mut p = proposal(Action::Increase, 7800, Some(Raise::Igf1Low(-1.5)), 20_000);
    let notes = run(&mut p, &f);
    assert_eq!(p.dose.mg_per_week, Micrograms(7800));
    assert!(!notes.rationale.iter().any(|l| l.contains("visit record")));
    // A decrease is never touched.
    let mut p = proposal(Action::Decrease, 6000, None, 20_000);
    run(&mut p, &f);
    assert_eq!(p.dose.mg_per_week, Micrograms(6000));
}

pub(super) fn run(p: &mut Proposal, f: &Facts) -> Notes {
    let mut notes = Notes::default();
    let mut g = Guard {
        facts: f,
        notes: &mut notes,
    };
    let env = g.settle(p);
    g.verify(p, Some(&env), None);
    notes
}

#[test]
fn a_dose_above_the_limit_is_capped() {
    let mut p = proposal(Action::Start, 21_000, None, 18_900);
    let notes = run(&mut p, &facts(None, None));
    assert_eq!(p.dose.mg_per_week, Micrograms(18_900));
    assert_eq!(p.dose.mg_per_injection, Micrograms(2700));
    assert!(notes.raised.has(FlagCode::DoseCapped));
    assert!(!notes.raised.has(FlagCode::SafetyCheck));
}

#[test]
fn rounding_is_never_allowed_above_the_limit() {
    let settle = |hi: Exact| {
        let mut p = proposal(Action::Start, 14_000, None, 18_900);
        if let Some(t) = p.target.as_mut() {
            t.hi = hi;
        }
        let mut notes = Notes::default();
        Guard {
            facts: &facts(None, None),
            notes: &mut notes,
        }
        .settle(&mut p);
        p.target.map(|t| t.hi)
    };
    // 18.9 mg/week over 7 injections: at most 2.7 mg per injection.
    let max = Exact {
        num: 18_900,
        den: 7,
    };
    assert_eq!(settle(Exact::ug(Micrograms(21_000))), Some(max));
    let below = Exact::ug(Micrograms(2000));
    assert_eq!(settle(below), Some(below));
    // An equal bound is left as it is (the same value, written otherwise).
    let equal = Exact { num: 5400, den: 2 };
    assert_eq!(settle(equal), Some(equal));
}

#[test]
fn a_capped_dose_moves_the_range_floor_down_to_it() {
    let capped = |lo: Exact| {
        let mut p = proposal(Action::Start, 21_000, None, 18_900);
        if let Some(t) = p.target.as_mut() {
            t.lo = Some(lo);
        }
        run(&mut p, &facts(None, None));
        p.target.and_then(|t| t.lo)
    };
    // Capped at 18.9 mg/week = 2.7 mg per injection: a floor of 3 mg
    // comes down to it; a floor of 2 mg stays; an equal one is kept as written.
    let exact = Exact {
        num: 18_900,
        den: 7,
    };
    assert_eq!(capped(Exact::ug(Micrograms(3000))), Some(exact));
    assert_eq!(
        capped(Exact::ug(Micrograms(2000))),
        Some(Exact::ug(Micrograms(2000)))
    );
    let equal = Exact { num: 5400, den: 2 };
    assert_eq!(capped(equal), Some(equal));
}

#[test]
fn no_increase_at_or_above_the_ceiling() {
    let mut p = proposal(Action::Increase, 4200, Some(Raise::Igf1Low(-1.0)), 99_000);
    let notes = run(&mut p, &facts(Some(2100), Some(2.0)));
    assert_eq!(p.action, Action::Maintain);
    assert_eq!(p.dose.mg_per_week, Micrograms(2100));
    assert!(notes.raised.has(FlagCode::SafetyCheck));
}

#[test]
fn an_increase_needs_a_reason_within_its_bound() {
    let mut p = proposal(Action::Increase, 4200, None, 99_000);
    run(&mut p, &facts(Some(2100), Some(0.5)));
    assert_eq!(
        (p.action, p.dose.mg_per_week),
        (Action::Maintain, Micrograms(2100))
    );
    let mut p = proposal(
        Action::Increase,
        4200,
        Some(Raise::Growth(Micrograms(2800))),
        99_000,
    );
    run(&mut p, &facts(Some(2100), None));
    assert_eq!(
        (p.action, p.dose.mg_per_week),
        (Action::Increase, Micrograms(2800))
    );
    let mut p = proposal(Action::Increase, 3500, Some(Raise::Igf1Low(-4.5)), 99_000);
    run(&mut p, &facts(Some(2100), Some(-4.5)));
    assert_eq!(p.action, Action::Maintain);
    // Exactly the growth bound: kept, nothing corrected.
    let mut p = proposal(
        Action::Increase,
        2800,
        Some(Raise::Growth(Micrograms(2800))),
        99_000,
    );
    let notes = run(&mut p, &facts(Some(2100), None));
    assert_eq!(p.dose.mg_per_week, Micrograms(2800));
    assert!(!notes.raised.has(FlagCode::SafetyCheck));
    // A low IGF-1 raises only from a sample that can be read: each of
    // mistimed, not at steady state and stale keeps the current dose.
    let low = |edit: fn(&mut Igf1)| {
        let mut p = proposal(Action::Increase, 3500, Some(Raise::Igf1Low(-1.5)), 99_000);
        let mut f = facts(Some(2100), Some(-1.5));
        if let Some(i) = f.igf1.as_mut() {
            edit(i);
        }
        run(&mut p, &f);
        (p.action, p.dose.mg_per_week)
    };
    assert_eq!(low(|_| {}), (Action::Increase, Micrograms(3500)));
    let kept = (Action::Maintain, Micrograms(2100));
    assert_eq!(low(|i| i.mistimed = true), kept);
    assert_eq!(low(|i| i.not_steady = true), kept);
    assert_eq!(low(|i| i.stale = true), kept);
}

#[test]
fn the_word_is_the_change_and_rounding_keeps_the_direction() {
    let mut p = proposal(Action::Increase, 2100, Some(Raise::Igf1Low(-1.0)), 99_000);
    let f = facts(Some(2100), Some(-1.0));
    let mut notes = Notes::default();
    Guard {
        facts: &f,
        notes: &mut notes,
    }
    .settle(&mut p);
    assert_eq!(p.action, Action::Maintain);
    let mut p = proposal(Action::Decrease, 1400, None, 99_000);
    Guard {
        facts: &f,
        notes: &mut notes,
    }
    .settle(&mut p);
    assert_eq!(
        p.target.unwrap().toward,
        Some(Toward::Below(Exact { num: 2100, den: 7 }))
    );
}

#[test]
fn a_change_gets_the_after_change_review_and_no_window_is_in_the_past() {
    let mut p = proposal(Action::Decrease, 1400, None, 99_000);
    p.review = Some(NextReview {
        earliest: "2027-02-22".parse().unwrap(),
        latest: "2027-05-22".parse().unwrap(),
        what: vec![],
    });
    run(&mut p, &facts(Some(2100), Some(2.5)));
    let r = p.review.unwrap();
    assert_eq!(r.earliest.to_string(), "2026-12-20");
    let mut r = NextReview {
        earliest: "2026-11-01".parse().unwrap(),
        latest: "2026-11-15".parse().unwrap(),
        what: vec![],
    };
    not_before(&mut r, "2026-11-22".parse().unwrap());
    assert_eq!(
        (r.earliest.to_string(), r.latest.to_string()),
        ("2026-11-22".into(), "2026-12-06".into())
    );
}

#[test]
fn a_low_igf1_exactly_at_the_plausibility_edge_still_raises() {
    // The edge (igf1_sds_beyond) is plausible; only beyond it is not.
    let beyond = RULES.plausibility.igf1_sds_beyond;
    let at = |s: f64| {
        let mut p = proposal(Action::Increase, 3500, Some(Raise::Igf1Low(s)), 99_000);
        run(&mut p, &facts(Some(2100), None));
        (p.action, p.dose.mg_per_week)
    };
    assert_eq!(at(-beyond), (Action::Increase, Micrograms(3500)));
    assert_eq!(at(-beyond - 0.01), (Action::Maintain, Micrograms(2100)));
}

#[test]
fn a_deliverable_above_the_limit_without_bounds_is_not_given() {
    let deliverable = |weekly: i64| Deliverable {
        mg_per_injection: Micrograms(weekly / 7),
        mg_per_week: Micrograms(weekly),
        mg_per_kg_per_week: None,
        device: "pen".into(),
        device_name: "Pen".into(),
        increment_mg: None,
        injections_per_dose: 1,
        volume_ml: None,
        difference_mg_per_week: 0.0,
        kind: crate::vocab::DeviceKind::Pen,
    };
    let verified = |weekly: i64| {
        let mut p = proposal(Action::Start, 2100, None, 2100);
        p.dose.deliverable = Some(deliverable(weekly));
        let mut notes = Notes::default();
        Guard {
            facts: &facts(None, None),
            notes: &mut notes,
        }
        .verify(&mut p, None, None);
        (
            p.dose.deliverable.is_some(),
            notes.raised.has(FlagCode::SafetyCheck),
        )
    };
    assert_eq!(verified(2107), (false, true));
    // At the limit itself: given, nothing corrected.
    assert_eq!(verified(2100), (true, false));
}

#[test]
fn the_word_follows_the_dose_given_after_rounding() {
    // A decrease whose given dose came back to the current one is a maintain.
    let mut p = proposal(Action::Decrease, 2100, None, 99_000);
    let mut notes = Notes::default();
    Guard {
        facts: &facts(Some(2100), None),
        notes: &mut notes,
    }
    .verify(&mut p, None, None);
    assert_eq!(p.action, Action::Maintain);
    assert!(
        notes
            .rationale
            .iter()
            .any(|w| w.contains("against the current 2.1 mg/week: maintain")),
        "{:?}",
        notes.rationale
    );
    // The same word is left alone.
    let mut p = proposal(Action::Maintain, 2100, None, 99_000);
    let mut notes = Notes::default();
    Guard {
        facts: &facts(Some(2100), None),
        notes: &mut notes,
    }
    .verify(&mut p, None, None);
    assert_eq!(p.action, Action::Maintain);
    assert!(
        notes
            .rationale
            .iter()
            .all(|w| !w.contains("against the current")),
        "{:?}",
        notes.rationale
    );
}

#[test]
fn rounding_at_most_compares_exact_fractions() {
    // 1.4 ug an injection is under the 10/7 ug the limit allows: kept.
    let mut p = proposal(Action::Start, 10, None, 10);
    if let Some(t) = p.target.as_mut() {
        t.hi = Exact { num: 14, den: 10 };
    }
    round_at_most(&mut p, Micrograms(10));
    assert_eq!(p.target.unwrap().hi, Exact { num: 14, den: 10 });
    // 1.5 is over it: brought down to the limit.
    let mut p = proposal(Action::Start, 10, None, 10);
    if let Some(t) = p.target.as_mut() {
        t.hi = Exact { num: 3, den: 2 };
    }
    round_at_most(&mut p, Micrograms(10));
    assert_eq!(p.target.unwrap().hi, Exact { num: 10, den: 7 });
}

#[test]
fn an_increase_rounds_above_the_current_dose() {
    let mut p = proposal(
        Action::Increase,
        2800,
        Some(Raise::Growth(Micrograms(2800))),
        99_000,
    );
    run(&mut p, &facts(Some(2100), None));
    assert_eq!(
        p.target.unwrap().toward,
        Some(Toward::Above(Exact { num: 2100, den: 7 }))
    );
}

#[test]
fn a_change_stays_within_one_finest_step_of_its_target() {
    let settled = |action: Action, weekly: i64, limit: i64| {
        let raise = (action == Action::Increase).then_some(Raise::Igf1Low(-1.0));
        let mut p = proposal(action, weekly, raise, limit);
        let mut f = facts(Some(2100), None);
        f.finest = Some(Micrograms(100));
        let mut notes = Notes::default();
        Guard {
            facts: &f,
            notes: &mut notes,
        }
        .settle(&mut p)
    };
    // An increase to 2800: at most 2800 + 7 x 100.
    let env = settled(Action::Increase, 2800, 99_000);
    assert_eq!((env.max, env.min), (Micrograms(3500), None));
    assert!(
        env.why.contains("a rounding is not a decision"),
        "{}",
        env.why
    );
    // A limit already at that bound keeps its own reason.
    let env = settled(Action::Increase, 2800, 3500);
    assert_eq!(env.max, Micrograms(3500));
    assert_eq!(env.why, "the test limit");
    // A decrease to 1400: at least 1400 - 7 x 100.
    let env = settled(Action::Decrease, 1400, 99_000);
    assert_eq!(
        (env.max, env.min),
        (Micrograms(99_000), Some(Micrograms(700)))
    );
    // A maintain has no floor.
    let env = settled(Action::Maintain, 2100, 99_000);
    assert_eq!(env.min, None);
}

#[test]
fn a_review_window_in_the_past_moves_to_the_decision_date_keeping_its_length() {
    let as_of: NaiveDate = "2026-11-22".parse().unwrap();
    let mut r = NextReview {
        earliest: "2026-11-12".parse().unwrap(),
        latest: "2026-11-26".parse().unwrap(),
        what: vec!["IGF-1".into()],
    };
    not_before(&mut r, as_of);
    assert_eq!(
        (r.earliest, r.latest),
        (as_of, "2026-12-06".parse().unwrap())
    );
    let mut r2 = r.clone();
    not_before(&mut r2, "2026-11-01".parse().unwrap());
    assert_eq!(r2, r);
}

#[test]
fn near_final_height_raises_nothing() {
    let grown = |flag: Option<FlagCode>| {
        let mut p = proposal(
            Action::Increase,
            2800,
            Some(Raise::Growth(Micrograms(2800))),
            99_000,
        );
        let f = facts(Some(2100), None);
        let mut notes = Notes::default();
        if let Some(code) = flag {
            notes.raise(code);
        }
        let env = Guard {
            facts: &f,
            notes: &mut notes,
        }
        .settle(&mut p);
        (p.action, p.dose.mg_per_week, env.max)
    };
    assert_eq!(
        grown(Some(FlagCode::NearFinalHeight)),
        (Action::Maintain, Micrograms(2100), Micrograms(2100))
    );
    assert_eq!(
        grown(None),
        (Action::Increase, Micrograms(2800), Micrograms(2800))
    );
    // A maintain near final height: nothing held back, nothing said.
    let mut p = proposal(Action::Maintain, 2100, None, 99_000);
    let f = facts(Some(2100), None);
    let mut notes = Notes::default();
    notes.raise(FlagCode::NearFinalHeight);
    Guard {
        facts: &f,
        notes: &mut notes,
    }
    .settle(&mut p);
    assert!(
        notes
            .rationale
            .iter()
            .all(|l| !l.contains("growth is nearly complete"))
    );
}
