use crate::dosing::request::{Reduction, Restart};
use crate::dosing::test_support::*;
use crate::units::{Grams, Micrograms};
use crate::vocab::FlagCode;

fn restart(flags: Vec<FlagCode>, before: Option<i64>, red: Option<(i64, i64)>) -> Restart {
    Restart {
        stopped_on: date("2026-06-10"),
        known_from: "p.jsonl, line 3".into(),
        stopped_for: flags,
        dose_before: before.map(Micrograms),
        earlier: vec![],
        reduction: red.map(|(ug, g)| Reduction {
            date: date("2026-04-10"),
            igf1_sds: 3.5,
            mg_per_week: Micrograms(ug),
            from: None,
            weight: Some(Grams(g)),
        }),
    }
}

fn given(o: &crate::dosing::Outcome) -> Micrograms {
    o.recommendation.dose.as_ref().unwrap().mg_per_week
}

#[test]
fn a_kept_reduction_binds_only_above_it() {
    // ghd at 30 kg starts at 4.8 mg/week.
    let mut q = child("ghd", 30.0);
    q.restart = Some(restart(vec![], None, Some((4800, 30_000))));
    let o = start_ok(q.clone());
    assert_eq!(given(&o), Micrograms(4800));
    assert!(
        !o.rationale
            .iter()
            .any(|l| l.contains("no higher than the reduction"))
    );
    // Reduced to 4.2 at 28 kg: 4.2 x 30 / 28 = 4.5 mg/week.
    q.restart = Some(restart(vec![], None, Some((4200, 28_000))));
    let o = start_ok(q.clone());
    assert_eq!(given(&o), Micrograms(4500));
    // A weight then of 0 g is not divided by: the reduced dose itself.
    q.restart = Some(restart(vec![], None, Some((4200, 0))));
    let o = start_ok(q);
    assert_eq!(given(&o), Micrograms(4200));
}

#[test]
fn a_restart_cap_at_the_start_dose_is_said_not_set() {
    // 9.6 mg/week before the stop, less 50 %, is the 4.8 start itself.
    let mut q = child("ghd", 30.0);
    q.signs_resolved = true;
    q.restart = Some(restart(
        vec![FlagCode::IntracranialHypertension],
        Some(9_600),
        None,
    ));
    let o = start_ok(q);
    assert_eq!(given(&o), Micrograms(4800));
    assert!(
        o.rationale
            .iter()
            .any(|l| l.ends_with("the start dose 4.8 mg/week is already at or below it")),
        "{:?}",
        o.rationale
    );
    assert!(!has(&o, FlagCode::DoseCapped));
}
