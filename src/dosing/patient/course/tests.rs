//! Unit tests of `dosing/patient/course.rs`.
use super::*;
use crate::dosing::request::{AgeInput, History, Measured};
use crate::dosing::test_support::{date, has, titrate_err, titrate_ok, visit};
use crate::vocab::FlagCode;

/// A boy born on `born`, seen on 2026-11-22 with `kg` and `cm`, and the
/// record's earlier (days before, kg, cm), oldest first; the latest is
/// also the previous weight and height.
fn course(born: &str, kg: f64, cm: f64, earlier: &[(i64, f64, f64)]) -> TitrateRequest {
    let mut q = visit("ghd", kg, 7.0);
    let as_of = q.subject.as_of;
    q.subject.patient.age = Some(AgeInput::BirthDate(date(born)));
    q.subject.patient.sex = Some(Sex::Male);
    q.subject.patient.height_cm = Some(Measured::plain(cm, Field::HeightCm));
    let earlier: Vec<Earlier> = earlier
        .iter()
        .enumerate()
        .map(|(i, (days, w, h))| Earlier {
            date: as_of - chrono::Duration::days(*days),
            line: i + 1,
            weight_kg: Some(*w),
            height_cm: Some(*h),
        })
        .collect();
    if let Some(last) = earlier.last() {
        q.previous_weight_kg = last.weight_kg;
        q.previous_weight_date = Some(last.date);
        q.previous_height_cm = last.height_cm.map(|h| Measured::plain(h, Field::HeightCm));
        q.previous_height_date = Some(last.date);
    }
    q.history = Some(History {
        earlier,
        ..History::default()
    });
    q
}

/// A boy of 6 seen yearly from 3, on his weight-for-age median.
const SIX: &str = "2020-11-22";
const SIX_YEARLY: [(i64, f64, f64); 3] =
    [(1096, 14.3, 95.0), (731, 16.5, 103.0), (365, 18.7, 110.0)];
/// A boy of 10 seen yearly from 6.
const TEN: &str = "2016-11-22";
const TEN_YEARLY: [(i64, f64, f64); 4] = [
    (1461, 18.0, 115.0),
    (1096, 19.5, 120.5),
    (730, 21.0, 126.0),
    (365, 22.5, 131.0),
];

#[test]
fn a_weight_off_the_trajectory_is_refused_where_the_previous_check_passes() {
    let err = titrate_err(course(SIX, 32.0, 116.0, &SIX_YEARLY));
    assert_eq!(
        err,
        "--weight-kg 32 kg (weight-for-age SDS +2.51) is off the patient's own course: +2.4 SDS from +0.11, the weighted average of the 3 earlier weights' SDS (the nearer the visit, the more it weighs: growthcleanr's EWMA), and +2.38 SDS from the previous 18.7 kg (SDS +0.13, on 2025-11-22, line 3); a child's weight stays within 2 SDS of that average (from 16.4 to 29.4 kg today); likely slip: digits swapped (32 for 23 kg)?; if it is real, add --confirm weight"
    );
    // The previous weight alone lets it through (18.7 -> 32 kg in a
    // year is within +75 %): the trajectory is what catches it.
    let mut alone = course(SIX, 32.0, 116.0, &SIX_YEARLY);
    alone.history = None;
    titrate_ok(alone);
    // So do fewer than two earlier weights (no average without the
    // previous one).
    titrate_ok(course(SIX, 32.0, 116.0, &SIX_YEARLY[2..]));
    // The weight typed right passes; a real one passes when confirmed.
    titrate_ok(course(SIX, 23.0, 116.0, &SIX_YEARLY));
    let mut q = course(SIX, 32.0, 116.0, &SIX_YEARLY);
    q.subject.patient.confirm = vec![Confirm::Weight];
    let o = titrate_ok(q);
    assert!(
        o.rationale.iter().any(|l| l.starts_with(
            "weight confirmed as real (--confirm weight): 32 kg (weight-for-age SDS +2.51) is off the patient's own course"
        )),
        "{:?}",
        o.rationale
    );
    assert!(o.sources.iter().any(|s| s.id == "growthcleanr-cleangrowth"));
}

#[test]
fn a_height_off_the_trajectory_is_refused_and_the_extreme_rule_holds_at_any_interval() {
    // 131 -> 150 cm in a year is within 2.5 + 20 cm of the previous.
    let err = titrate_err(course(TEN, 22.5, 150.0, &TEN_YEARLY));
    assert!(
        err.starts_with("--height-cm 150 cm (height-for-age SDS +1.69) is off the patient's own course: +2.04 SDS from -0.35")
            && err.contains("a child's height stays within 2 SDS of that average (from 123.6 to 149.7 cm today); check the height and the previous one; if it is real, add --confirm height"),
        "{err}"
    );
    titrate_ok(course(TEN, 22.5, 145.0, &TEN_YEARLY));
    // The previous height three years back (beyond the moderate rule's
    // 730.5 days): only the extreme rule, at 3.5 SDS.
    let far = [
        (1826, 18.0, 110.0),
        (1461, 19.0, 113.0),
        (1096, 20.0, 116.0),
    ];
    let err = titrate_err(course(TEN, 35.0, 165.0, &far));
    assert!(
        err.contains("(height-for-age SDS +3.83) is off the patient's own course")
            && err.contains("stays within 3.5 SDS of that average"),
        "{err}"
    );
    titrate_ok(course(TEN, 35.0, 150.0, &far));
}

#[test]
fn a_value_carried_forward_months_later_is_flagged_not_refused() {
    let o = titrate_ok(course(TEN, 25.0, 131.0, &TEN_YEARLY));
    assert!(has(&o, FlagCode::MeasurementCarriedForward));
    assert!(
        o.rationale.iter().any(|l| l.starts_with(
            "height 131 cm is the same as the previous one (2025-11-22, line 4), 365 days earlier, in a growing child: likely carried forward"
        )),
        "{:?}",
        o.rationale
    );
    assert!(
        !o.rationale
            .iter()
            .any(|l| l.starts_with("weight 25 kg is the same"))
    );
    // Three months later it is not flagged; nor a confirmed height.
    let mut recent = TEN_YEARLY;
    recent[3].0 = 90;
    let o = titrate_ok(course(TEN, 25.0, 131.0, &recent));
    assert!(!has(&o, FlagCode::MeasurementCarriedForward));
    let mut q = course(TEN, 25.0, 131.0, &TEN_YEARLY);
    q.subject.patient.confirm = vec![Confirm::Height];
    assert!(!has(&titrate_ok(q), FlagCode::MeasurementCarriedForward));
    // Without a record, the previous weight given is compared.
    let mut q = visit("ghd", 24.0, 7.0);
    q.subject.patient.age = Some(AgeInput::Years(9.0));
    q.previous_weight_kg = Some(24.0);
    q.previous_weight_date = Some(date("2026-05-01"));
    let o = titrate_ok(q);
    assert!(has(&o, FlagCode::MeasurementCarriedForward));
    assert!(o.rationale.iter().any(|l| l.starts_with(
        "weight 24 kg is the same as the previous one (2026-05-01), 205 days earlier"
    )));
}

#[test]
fn digits_swap_both_ways_and_keep_their_decimals() {
    assert_eq!(swapped(62.0), vec![26.0]);
    assert_eq!(swapped(26.4), vec![62.4]);
    assert_eq!(swapped(103.0), vec![130.0]);
    assert_eq!(swapped(130.0), vec![103.0, 310.0]);
    assert!(swapped(9.5).is_empty());
    assert!(swapped(55.0).is_empty());
    // 10 -> 01 is not a number anyone typed.
    assert!(swapped(10.0).is_empty());
}

#[test]
fn the_change_is_said_as_a_factor_or_a_percentage() {
    assert_eq!(change(240.0, 24.0), "10 times");
    assert_eq!(change(2.4, 24.0), "1/10 of");
    assert_eq!(change(62.0, 26.0), "+138.5% from");
    assert_eq!(change(20.0, 24.0), "-16.7% from");
}

#[test]
fn the_modified_z_bound_does_not_compress_the_upper_tail() {
    // Girls of 8: the LMS weight at +8 SDS is not reached by any
    // weight (the tail saturates); the modified z bound is a weight.
    let b = modified_z_bound(Sex::Female, Some(8.0), 8.0).unwrap();
    assert!((60.0..120.0).contains(&b), "{b}");
    // Older is heavier; the unknown age takes the oldest.
    let any = modified_z_bound(Sex::Male, None, 8.0).unwrap();
    assert!(any > b && (150.0..250.0).contains(&any), "{any}");
}
