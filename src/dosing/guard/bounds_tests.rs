//! Unit tests of the decision's bounds the guard sets when it settles: a
//! change smaller than a step, every source of the bound, a prescribed
//! intensity, the IGF-1 ceiling from today's or the record's value.
use super::tests::{facts, proposal, reduced, run};
use super::*;
use crate::units::Grams;

#[test]
fn a_change_smaller_than_one_step_is_a_maintain() {
    // 7 injections a week, a 50 ug step: a change below 350 ug/week is kept.
    let mut f = facts(Some(7000), Some(0.5));
    f.step = Some(Micrograms(50));
    let mut p = proposal(
        Action::Increase,
        7300,
        Some(Raise::Growth(Micrograms(7300))),
        20_000,
    );
    let notes = run(&mut p, &f);
    assert_eq!(
        (p.action, p.dose.mg_per_week),
        (Action::Maintain, Micrograms(7000))
    );
    assert!(notes.rationale.iter().any(|l| l
        == "the change from 7 to 7.3 mg/week is smaller than one dose step (0.05 mg per injection): maintain"));
    // One whole step is a change.
    let mut p = proposal(
        Action::Increase,
        7350,
        Some(Raise::Growth(Micrograms(7350))),
        20_000,
    );
    run(&mut p, &f);
    assert_eq!(
        (p.action, p.dose.mg_per_week),
        (Action::Increase, Micrograms(7350))
    );
    // A small decrease too.
    let mut p = proposal(Action::Decrease, 6700, None, 20_000);
    run(&mut p, &f);
    assert_eq!(
        (p.action, p.dose.mg_per_week),
        (Action::Maintain, Micrograms(7000))
    );
    // A reduction for a high IGF-1 is a decision however small.
    let mut p = proposal(Action::Decrease, 6700, None, 20_000);
    let mut n = Notes::default();
    n.raise(FlagCode::Igf1AboveRange);
    let mut g = Guard {
        facts: &f,
        notes: &mut n,
    };
    let env = g.settle(&mut p);
    assert_eq!(
        (p.action, p.dose.mg_per_week),
        (Action::Decrease, Micrograms(6700))
    );
    assert_eq!(env.side, Some((Micrograms(7000), Action::Decrease)));
    // A current dose above the hard limit comes down however little.
    let mut p = proposal(Action::Decrease, 6990, None, 6990);
    run(&mut p, &f);
    assert_eq!(
        (p.action, p.dose.mg_per_week),
        (Action::Decrease, Micrograms(6990))
    );
    // No known step: nothing to compare with.
    f.step = None;
    let mut p = proposal(Action::Decrease, 6990, None, 20_000);
    run(&mut p, &f);
    assert_eq!(p.action, Action::Decrease);
}

#[test]
fn the_envelope_holds_every_bound_of_the_decision() {
    let mut f = facts(Some(7000), Some(0.5));
    // An increase: the reason's bound.
    let mut p = proposal(
        Action::Increase,
        7700,
        Some(Raise::Growth(Micrograms(7700))),
        20_000,
    );
    let mut n = Notes::default();
    let env = Guard {
        facts: &f,
        notes: &mut n,
    }
    .settle(&mut p);
    assert_eq!(env.max, Micrograms(7700));
    assert_eq!(env.why, "the same intensity on today's weight");
    assert_eq!(env.side, Some((Micrograms(7000), Action::Increase)));
    assert_eq!(env.mark, n.mark());
    // A maintain: the current dose.
    let mut p = proposal(Action::Maintain, 7000, None, 20_000);
    let env = Guard {
        facts: &f,
        notes: &mut Notes::default(),
    }
    .settle(&mut p);
    assert_eq!(
        (env.max, env.why.as_str()),
        (Micrograms(7000), "the current dose (maintain)")
    );
    // At the ceiling: the current dose, whatever was proposed.
    let f2 = facts(Some(7000), Some(2.0));
    let mut p = proposal(
        Action::Increase,
        7700,
        Some(Raise::Growth(Micrograms(7700))),
        20_000,
    );
    let env = Guard {
        facts: &f2,
        notes: &mut Notes::default(),
    }
    .settle(&mut p);
    assert_eq!(env.max, Micrograms(7000));
    // After a reduction kept: its intensity on today's weight.
    f.weight = Some(Grams(28_000));
    f.reduction = Some(reduced(6825, Some(26_000)));
    let mut p = proposal(
        Action::Increase,
        9240,
        Some(Raise::Growth(Micrograms(9240))),
        20_000,
    );
    let env = Guard {
        facts: &f,
        notes: &mut Notes::default(),
    }
    .settle(&mut p);
    assert_eq!(env.max, Micrograms(7350));
    // A start: the limit only, no side.
    let mut f3 = facts(None, None);
    f3.step = Some(Micrograms(50));
    let mut p = proposal(Action::Start, 5000, None, 4000);
    let env = Guard {
        facts: &f3,
        notes: &mut Notes::default(),
    }
    .settle(&mut p);
    assert_eq!((env.max, env.side), (Micrograms(4000), None));
    assert_eq!(env.why, "the test limit");
}

#[test]
fn growth_stays_at_or_below_a_prescribed_intensity() {
    // 0.168 mg/kg/week on 40 kg = 6720 ug/week, whatever the table gives.
    let mut f = facts(Some(6300), None);
    f.weight = Some(Grams(40_000));
    f.prescribed = Some(NgPerKg(168_000));
    let mut p = proposal(
        Action::Increase,
        9100,
        Some(Raise::Growth(Micrograms(9100))),
        20_000,
    );
    let mut n = Notes::default();
    let env = Guard {
        facts: &f,
        notes: &mut n,
    }
    .settle(&mut p);
    assert_eq!(p.dose.mg_per_week, Micrograms(6720));
    assert_eq!(p.raise, Some(Raise::Growth(Micrograms(6720))));
    assert_eq!(env.max, Micrograms(6720));
    assert!(n.rationale.iter().any(|l| l
        == "the prescribed 0.168 mg/kg/week on today's 40 kg is 6.72 mg/week: growth takes the dose no higher"));
    // Below the current dose the prescription is no reason to go down.
    f.prescribed = Some(NgPerKg(100_000));
    let mut p = proposal(
        Action::Increase,
        9100,
        Some(Raise::Growth(Micrograms(9100))),
        20_000,
    );
    run(&mut p, &f);
    assert_eq!(
        (p.action, p.dose.mg_per_week),
        (Action::Maintain, Micrograms(6300))
    );
    // Not a growth raise: untouched.
    let mut p = proposal(Action::Increase, 9100, Some(Raise::Igf1Low(-2.5)), 20_000);
    let mut n = Notes::default();
    Guard {
        facts: &f,
        notes: &mut n,
    }
    .settle(&mut p);
    assert_eq!(p.dose.mg_per_week, Micrograms(9100));
}

#[test]
fn equal_bounds_keep_the_first_reason_and_say_nothing_more() {
    // The reason's bound equal to the limit: the limit's words stay.
    let f = facts(Some(7000), Some(0.5));
    let mut p = proposal(
        Action::Increase,
        7700,
        Some(Raise::Growth(Micrograms(7700))),
        7700,
    );
    let env = Guard {
        facts: &f,
        notes: &mut Notes::default(),
    }
    .settle(&mut p);
    assert_eq!(
        (env.max, env.why.as_str()),
        (Micrograms(7700), "the test limit")
    );
    // A dose exactly at the prescribed intensity: nothing to say.
    let mut f = facts(Some(6300), None);
    f.weight = Some(Grams(40_000));
    f.prescribed = Some(NgPerKg(168_000));
    let mut p = proposal(
        Action::Increase,
        6720,
        Some(Raise::Growth(Micrograms(6720))),
        20_000,
    );
    let mut n = Notes::default();
    Guard {
        facts: &f,
        notes: &mut n,
    }
    .settle(&mut p);
    assert_eq!(p.dose.mg_per_week, Micrograms(6720));
    assert!(
        !n.rationale.iter().any(|l| l.contains("the prescribed")),
        "{:?}",
        n.rationale
    );
    // A current dose exactly at the hard limit: a small change is still a
    // maintain.
    let mut f = facts(Some(7000), Some(0.5));
    f.step = Some(Micrograms(50));
    let mut p = proposal(Action::Decrease, 6800, None, 7000);
    run(&mut p, &f);
    assert_eq!(
        (p.action, p.dose.mg_per_week),
        (Action::Maintain, Micrograms(7000))
    );
}

#[test]
fn the_ceiling_bounds_the_dose_by_todays_or_the_records_igf1() {
    // Today's IGF-1 at the ceiling, a decrease proposed: the bound is the
    // current dose, for the ceiling's reason.
    let f = facts(Some(7000), Some(2.0));
    let mut p = proposal(Action::Decrease, 6000, None, 20_000);
    let env = Guard {
        facts: &f,
        notes: &mut Notes::default(),
    }
    .settle(&mut p);
    assert_eq!(
        (env.max, env.why.as_str()),
        (
            Micrograms(7000),
            "the current dose: IGF-1 at or above the ceiling"
        )
    );
    // Both today's and the record's at the ceiling: the same.
    let mut f = facts(Some(7000), Some(2.5));
    f.igf1_unanswered = Some(("2026-10-01".parse().unwrap(), 2.5, 3));
    let mut p = proposal(Action::Decrease, 6000, None, 20_000);
    let env = Guard {
        facts: &f,
        notes: &mut Notes::default(),
    }
    .settle(&mut p);
    assert_eq!(env.why, "the current dose: IGF-1 at or above the ceiling");
    // The record's IGF-1 exactly at the ceiling blocks an increase, and says
    // why; below it does not.
    let mut f = facts(Some(7000), None);
    f.igf1_unanswered = Some(("2026-10-01".parse().unwrap(), 2.0, 3));
    let mut p = proposal(
        Action::Increase,
        7700,
        Some(Raise::Growth(Micrograms(7700))),
        20_000,
    );
    let n = run(&mut p, &f);
    assert_eq!(
        (p.action, p.dose.mg_per_week),
        (Action::Maintain, Micrograms(7000))
    );
    assert!(n.rationale.iter().any(|l| l.starts_with(
        "the record's latest IGF-1 (SDS +2, sampled 2026-10-01, line 3) is at or above the ceiling +2"
    )));
    f.igf1_unanswered = Some(("2026-10-01".parse().unwrap(), 1.9, 3));
    let mut p = proposal(
        Action::Increase,
        7700,
        Some(Raise::Growth(Micrograms(7700))),
        20_000,
    );
    run(&mut p, &f);
    assert_eq!(p.action, Action::Increase);
    // At the current dose already: nothing to say.
    f.igf1_unanswered = Some(("2026-10-01".parse().unwrap(), 2.5, 3));
    let mut p = proposal(Action::Maintain, 7000, None, 20_000);
    let n = run(&mut p, &f);
    assert!(
        !n.rationale
            .iter()
            .any(|l| l.contains("the record's latest IGF-1"))
    );
}
