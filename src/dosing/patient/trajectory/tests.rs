//! Unit tests of `dosing/trajectory.rs`.
use super::*;

fn day(s: &str) -> NaiveDate {
    s.parse().unwrap()
}

#[test]
fn the_ewma_weighs_the_nearer_visit_by_days_plus_five_to_the_minus_one_and_a_half() {
    let as_of = day("2026-01-31");
    // 25 and 95 days back: weights 30^-1.5 and 100^-1.5.
    let series = [(day("2025-10-28"), 1.0), (day("2026-01-06"), 0.0)];
    let (w_far, w_near) = (100f64.powf(-1.5), 30f64.powf(-1.5));
    let expected = w_far / (w_far + w_near);
    let got = ewma(&series, as_of, -1.5, 5.0).unwrap();
    assert!((got - expected).abs() < 1e-12, "{got} {expected}");
    assert!((got - 0.1411).abs() < 1e-3, "{got}");
    // One value is its own average; none has no average.
    assert_eq!(ewma(&series[..1], as_of, -1.5, 5.0), Some(1.0));
    assert_eq!(ewma(&[], as_of, -1.5, 5.0), None);
}

use crate::dosing::error::Field;
use crate::dosing::patient::validate;
use crate::dosing::request::{AgeInput, PatientInput};
use crate::dosing::test_support::RULES;

const AS_OF: &str = "2026-11-22";

/// A boy of `age` on 2026-11-22.
fn boy(age: f64) -> Patient {
    let input = PatientInput {
        age: Some(AgeInput::Years(age)),
        sex: Some(Sex::Male),
        ..Default::default()
    };
    validate(&input, day(AS_OF), &RULES).unwrap()
}

/// The record's earlier values of `param` (days before 2026-11-22, value),
/// oldest first, on lines 1, 2, ...
fn earlier(param: Param, values: &[(i64, f64)]) -> Vec<Earlier> {
    values
        .iter()
        .enumerate()
        .map(|(i, (days, v))| Earlier {
            date: day(AS_OF) - chrono::Duration::days(*days),
            line: i + 1,
            weight_kg: (param == Param::Weight).then_some(*v),
            height_cm: (param == Param::Height).then_some(*v),
        })
        .collect()
}

/// The finding's words for a boy of `age` with `now` today, or `None`.
fn judged(age: f64, param: Param, field: Field, now: f64, values: &[(i64, f64)]) -> Option<String> {
    let p = boy(age);
    judge(
        &p,
        field,
        now,
        day(AS_OF),
        &earlier(param, values),
        param,
        &RULES,
    )
    .map(|f| {
        assert_eq!(f.what, param.confirm());
        assert_eq!(f.field, field);
        f.words
    })
}

/// A boy of 6 weighed yearly from 3 on his median (kg).
const SIX_W: [(i64, f64); 3] = [(1096, 14.3), (731, 16.5), (365, 18.7)];

/// The words after the value's SDS, up to the rule.
const EWMA_WORDS: &str = "the weighted average of the";

#[test]
fn a_weight_off_its_trajectory_is_refused_up_and_down_and_one_on_it_passes() {
    let w = |now| judged(6.0, Param::Weight, Field::WeightKg, now, &SIX_W);
    assert_eq!(
        w(30.0).unwrap(),
        "30 kg (weight-for-age SDS +2.21) is off the patient's own course: +2.1 SDS from +0.11, the weighted average of the 3 earlier weights' SDS (the nearer the visit, the more it weighs: growthcleanr's EWMA), and +2.08 SDS from the previous 18.7 kg (SDS +0.13, on 2025-11-22, line 3); a child's weight stays within 2 SDS of that average (from 16.4 to 29.4 kg today); check the weight and the previous one"
    );
    assert_eq!(w(28.0), None);
    assert_eq!(w(20.0), None);
    assert!(w(14.0).unwrap().starts_with(
        "14 kg (weight-for-age SDS -3.5) is off the patient's own course: -3.61 SDS from +0.11"
    ));
    // Without a sex, or with fewer than two earlier values: not judged.
    let mut p = boy(6.0);
    p.sex = None;
    let e = earlier(Param::Weight, &SIX_W);
    assert!(
        judge(
            &p,
            Field::WeightKg,
            30.0,
            day(AS_OF),
            &e,
            Param::Weight,
            &RULES
        )
        .is_none()
    );
    assert_eq!(
        judged(6.0, Param::Weight, Field::WeightKg, 40.0, &SIX_W[1..2]),
        None
    );
}

#[test]
fn the_moderate_rule_needs_the_previous_value_within_730_and_a_half_days() {
    let w = |days| {
        judged(
            6.0,
            Param::Weight,
            Field::WeightKg,
            32.0,
            &[(1461, 12.5), (1096, 14.3), (days, 16.5)],
        )
    };
    assert!(w(730).unwrap().contains(
        "+2.37 SDS from the previous 16.5 kg (SDS +0.14, on 2024-11-22, line 3); a child's weight stays within 2 SDS of that average"
    ));
    // A day further: only the extreme rule, which 32 kg (+2.51) is not.
    assert_eq!(w(731), None);
}

#[test]
fn the_extreme_rule_holds_downward_at_any_interval() {
    let words = judged(
        6.0,
        Param::Weight,
        Field::WeightKg,
        8.0,
        &[(1461, 14.3), (1096, 16.5), (731, 18.7)],
    )
    .unwrap();
    assert!(
        words.starts_with("8 kg (weight-for-age SDS -11.95) is off the patient's own course: -13.09 SDS from +1.14")
            && words.contains("stays within 3.5 SDS of that average (from 15.6 to 62.3 kg today)"),
        "{words}"
    );
}

#[test]
fn a_heavy_childs_band_is_the_previous_sds_when_beyond_two() {
    let words = judged(
        6.0,
        Param::Weight,
        Field::WeightKg,
        18.0,
        &[(1096, 20.0), (731, 23.0), (365, 26.0)],
    )
    .unwrap();
    assert!(
        words.contains("-3.45 SDS from +2.37")
            && words.contains("(SDS +2.26, on 2025-11-22, line 3); a child's weight stays within 2.26 SDS of that average (from 21 to 62.1 kg today)"),
        "{words}"
    );
}

#[test]
fn a_value_carried_forward_and_a_value_of_today_are_left_out_of_the_average() {
    let w = |v: &[(i64, f64)]| judged(6.0, Param::Weight, Field::WeightKg, 32.0, v).unwrap();
    // 14.3 twice: the second is carried forward (equal to the gram).
    let two = "+2.4 SDS from +0.1, the weighted average of the 2 earlier weights' SDS";
    assert!(w(&[(1096, 14.3), (731, 14.3), (365, 18.7)]).contains(two));
    assert!(w(&[(1096, 14.3), (731, 14.3004), (365, 18.7)]).contains(two));
    assert!(
        w(&[(1096, 14.3), (731, 14.301), (365, 18.7)])
            .contains("+2.69 SDS from -0.18, the weighted average of the 3 earlier weights' SDS")
    );
    // A value of today or later is not an earlier one.
    let words = w(&[(731, 16.5), (365, 18.7), (0, 18.9)]);
    assert!(
        words.contains(" 2 earlier weights' SDS") && words.contains("line 2)"),
        "{words}"
    );
    let words = w(&[(731, 16.5), (365, 18.7), (-5, 18.9)]);
    assert!(
        words.contains(" 2 earlier weights' SDS") && words.contains("line 2)"),
        "{words}"
    );
    assert!(words.contains(EWMA_WORDS));
}

#[test]
fn the_slips_name_tenfold_a_tenth_digits_and_the_other_unit() {
    let w = |field, now| judged(6.0, Param::Weight, field, now, &SIX_W).unwrap();
    let slip = |words: String| words[words.rfind("; ").unwrap() + 2..].to_string();
    assert_eq!(
        slip(w(Field::WeightKg, 230.0)),
        "likely slip: tenfold (x10: a decimal point, 23 kg)?"
    );
    assert_eq!(
        slip(w(Field::WeightKg, 32.0)),
        "likely slip: digits swapped (32 for 23 kg)?"
    );
    assert_eq!(
        slip(w(Field::WeightKg, 41.0)),
        "likely slip: lb entered as kg (41 lb = 18.6 kg)?"
    );
    // Given in lb, 41 kg is not lb again; 20 lb (9.07 kg) is kg in lb.
    assert_eq!(
        slip(w(Field::WeightLb, 41.0)),
        "check the weight and the previous one"
    );
    assert_eq!(
        slip(w(Field::WeightLb, 20.0 * KG_PER_LB)),
        "likely slip: kg entered as lb (20 kg)?"
    );
    assert_eq!(
        slip(w(Field::WeightKg, 20.0 * KG_PER_LB)),
        "check the weight and the previous one"
    );
    // An infant of 6 months: 0.75 kg is a tenth of 7.5.
    let words = judged(
        0.5,
        Param::Weight,
        Field::WeightKg,
        0.75,
        &[(150, 5.0), (90, 6.0), (30, 7.0)],
    )
    .unwrap();
    assert_eq!(
        slip(words),
        "likely slip: a tenth (/10: a decimal point, 7.5 kg)?"
    );
    let h = [(1096, 95.0), (731, 103.0), (365, 110.0)];
    let h = |field, now| slip(judged(6.0, Param::Height, field, now, &h).unwrap());
    assert_eq!(
        h(Field::HeightCm, 46.0),
        "likely slip: inches entered as cm (46 in = 116.8 cm)?"
    );
    assert_eq!(
        h(Field::HeightIn, 46.0),
        "check the height and the previous one"
    );
    assert_eq!(
        h(Field::HeightCm, 1160.0),
        "likely slip: tenfold (x10: a decimal point, 116 cm)?"
    );
    assert_eq!(
        h(Field::HeightCm, 161.0),
        "likely slip: digits swapped (161 for 116 cm)?"
    );
}

/// Whether a value `now` against `prev` measured `days` earlier is flagged
/// as carried forward, and the rationale.
fn carried(adult: bool, confirmed: bool, now: f64, prev: f64, days: i64) -> Option<String> {
    let mut p = boy(10.0);
    if confirmed {
        p.confirmed = vec![Confirm::Height];
    }
    let mut notes = Notes::default();
    let m = Measured {
        param: Param::Height,
        now: Some(now),
        previous: Some((
            prev,
            day(AS_OF) - chrono::Duration::days(days),
            ", line 4".into(),
        )),
    };
    carried_forward(&p, adult, m, day(AS_OF), &RULES, &mut notes);
    let flagged = notes.raised.has(FlagCode::MeasurementCarriedForward);
    assert_eq!(flagged, !notes.rationale.is_empty());
    notes.rationale.pop()
}

#[test]
fn a_value_the_same_as_one_180_days_back_or_more_is_carried_forward() {
    assert_eq!(
        carried(false, false, 131.0, 131.0, 180).unwrap(),
        "height 131 cm is the same as the previous one (2026-05-26, line 4), 180 days earlier, in a growing child: likely carried forward from that visit rather than measured today (growthcleanr leaves carried-forward values out); measure again (a real, unchanged height passes with --confirm height)"
    );
    assert!(carried(false, false, 131.0, 131.0, 179).is_none());
    // The same to a tenth of a millimetre.
    assert!(carried(false, false, 131.0004, 131.0, 365).is_some());
    assert!(carried(false, false, 131.001, 131.0, 365).is_none());
    // Not in an adult, nor when confirmed.
    assert!(carried(true, false, 131.0, 131.0, 365).is_none());
    assert!(carried(false, true, 131.0, 131.0, 365).is_none());
}

#[test]
fn a_weight_on_the_birth_date_counts_and_one_before_it_does_not() {
    let input = PatientInput {
        age: Some(AgeInput::BirthDate(day("2026-05-22"))),
        sex: Some(Sex::Male),
        ..Default::default()
    };
    let p = validate(&input, day(AS_OF), &RULES).unwrap();
    let judged = |values: &[(i64, f64)]| {
        let e = earlier(Param::Weight, values);
        judge(
            &p,
            Field::WeightKg,
            0.75,
            day(AS_OF),
            &e,
            Param::Weight,
            &RULES,
        )
        .unwrap()
        .words
    };
    // 184 days back is the birth date: age 0, on the reference.
    let words = judged(&[(184, 3.5), (92, 6.0), (31, 7.5)]);
    assert!(
        words.contains("the weighted average of the 3 earlier weights' SDS"),
        "{words}"
    );
    let words = judged(&[(185, 3.5), (92, 6.0), (31, 7.5)]);
    assert!(
        words.contains("the weighted average of the 2 earlier weights' SDS"),
        "{words}"
    );
}
