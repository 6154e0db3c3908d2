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

/// A visit on 2026-11-22 of `kg` kg at `age` years (the adult indication
/// from 18), with the previous weight `prev` kg measured `days` earlier.
fn after(age: f64, kg: f64, prev: f64, days: i64) -> TitrateRequest {
    let mut q = if age >= 18.0 {
        let mut q = crate::dosing::test_support::adult_visit(age, 0.3, 0.0);
        q.subject.patient.weight_kg = Some(crate::dosing::test_support::kg(kg));
        q
    } else {
        // 0.25 mg/kg/week on the previous weight.
        let mut q = visit("ghd", kg, prev / 4.0);
        q.subject.patient.age = Some(AgeInput::Years(age));
        q
    };
    q.previous_weight_kg = Some(prev);
    q.previous_weight_date = Some(q.subject.as_of - chrono::Duration::days(days));
    q
}

#[test]
fn the_adult_weight_band_is_4_plus_18_ln_of_one_plus_the_months_either_way() {
    // 183 days = 6.01 months: 4 + 18 ln(7.01) = 39.06 kg either way of 100.
    titrate_ok(after(40.0, 139.0, 100.0, 183));
    titrate_ok(after(40.0, 61.0, 100.0, 183));
    assert_eq!(
        titrate_err(after(40.0, 139.1, 100.0, 183)),
        "--weight-kg 139.1 kg is +39.1% from the previous 100 kg (on 2026-05-23, 0.5 years earlier): an adult's weight may go from 60.9 to 139.1 kg over that interval; likely slip: lb entered as kg (139.1 lb = 63.1 kg)?; if it is real, add --confirm weight"
    );
    assert_eq!(
        titrate_err(after(40.0, 60.9, 100.0, 183)),
        "--weight-kg 60.9 kg is -39.1% from the previous 100 kg (on 2026-05-23, 0.5 years earlier): an adult's weight may go from 60.9 to 139.1 kg over that interval; check the weight and the previous one; if it is real, add --confirm weight"
    );
    // A day apart: 4 + 18 ln(1.03) = 4.59 kg.
    titrate_ok(after(40.0, 84.5, 80.0, 1));
    assert!(
        titrate_err(after(40.0, 84.7, 80.0, 1))
            .contains("an adult's weight may go from 75.4 to 84.6 kg")
    );
    // The adult band is not a child's (which is relative: at most -30 %).
    titrate_ok(after(40.0, 41.0, 60.0, 183));
    let err = titrate_err(after(12.0, 41.0, 60.0, 183));
    assert!(
        err.contains("a child's weight may go from 42 to 90 kg"),
        "{err}"
    );
}

#[test]
fn the_child_weight_band_is_plus_25_percent_and_the_age_bands_rate_a_year_at_most_minus_30() {
    // 1461 days = 4 years at 10 years old: +25 % + 4 x 50 % = +225 %.
    titrate_ok(after(10.0, 32.5, 10.0, 1461));
    assert_eq!(
        titrate_err(after(10.0, 32.6, 10.0, 1461)),
        "--weight-kg 32.6 kg is 3.3 times the previous 10 kg (on 2022-11-22, 4 years earlier): a child's weight may go from 7 to 32.5 kg over that interval; likely slip: digits swapped (32.6 for 23.6 kg)? lb entered as kg (32.6 lb = 14.8 kg)?; if it is real, add --confirm weight"
    );
    // Down by 30 % at any interval.
    titrate_ok(after(10.0, 14.0, 20.0, 1461));
    assert!(
        titrate_err(after(10.0, 13.9, 20.0, 1461))
            .starts_with("--weight-kg 13.9 kg is -30.5% from the previous 20 kg (on 2022-11-22, 4 years earlier): a child's weight may go from 14 to 65 kg")
    );
    // Under 2 years: +25 % + 200 % a year; 365 days is 0.9993 years:
    // up to 16.24 kg from 5.
    titrate_ok(after(1.5, 16.2, 5.0, 365));
    assert!(
        titrate_err(after(1.5, 16.3, 5.0, 365))
            .contains("a child's weight may go from 3.5 to 16.2 kg over that interval")
    );
}

#[test]
fn an_undated_previous_weight_is_taken_as_a_year_old() {
    let mut q = after(10.0, 17.6, 10.0, 0);
    q.previous_weight_date = None;
    q.last_dose_change = None;
    // +25 % + 50 % over the rules' one year.
    assert!(
        titrate_err(q.clone()).contains(
            "(undated, taken as 1 years earlier): a child's weight may go from 7 to 17.5 kg"
        ),
        "{}",
        titrate_err(q)
    );
    let mut q = after(10.0, 17.5, 10.0, 0);
    q.previous_weight_date = None;
    titrate_ok(q);
}

#[test]
fn a_confirmation_is_named_as_unneeded_only_when_nothing_needed_it() {
    let mut q = after(10.0, 12.0, 10.0, 365);
    q.subject.patient.confirm = vec![Confirm::Height];
    let o = titrate_ok(q);
    assert!(o.rationale.iter().any(|l| l
        == "--confirm height given: the height needed no confirmation (within the course rules)"));
    let mut q = after(10.0, 40.0, 10.0, 365);
    q.subject.patient.confirm = vec![Confirm::Weight];
    let o = titrate_ok(q);
    assert!(o.rationale.iter().any(|l| l.starts_with(
        "weight confirmed as real (--confirm weight): 40 kg is 4 times the previous 10 kg"
    )));
    assert!(
        !o.rationale
            .iter()
            .any(|l| l.contains("needed no confirmation")),
        "{:?}",
        o.rationale
    );
}

#[test]
fn a_weight_confirmed_against_the_previous_one_leaves_the_height_judged_on_its_course() {
    // 22.5 -> 40 kg in a year is beyond +75 %: confirmed. The height off
    // its trajectory is still refused; the weight is judged once.
    let mut q = course(TEN, 40.0, 150.0, &TEN_YEARLY);
    q.subject.patient.confirm = vec![Confirm::Weight];
    let err = titrate_err(q);
    assert!(
        err.starts_with(
            "--height-cm 150 cm (height-for-age SDS +1.69) is off the patient's own course"
        ),
        "{err}"
    );
    let mut q = course(TEN, 40.0, 140.0, &TEN_YEARLY);
    q.subject.patient.confirm = vec![Confirm::Weight];
    let o = titrate_ok(q);
    let confirmed: Vec<_> = o
        .rationale
        .iter()
        .filter(|l| l.starts_with("weight confirmed as real"))
        .collect();
    assert_eq!(confirmed.len(), 1, "{confirmed:?}");
    assert!(confirmed[0].contains("40 kg is +77.8% from the previous 22.5 kg"));
}

#[test]
fn an_adults_unchanged_weight_is_not_carried_forward() {
    let o = titrate_ok(after(40.0, 80.0, 80.0, 365));
    assert!(!has(&o, FlagCode::MeasurementCarriedForward));
    let o = titrate_ok(after(12.0, 40.0, 40.0, 365));
    assert!(has(&o, FlagCode::MeasurementCarriedForward));
}

#[test]
fn a_value_of_today_in_the_record_is_not_the_previous_one() {
    // The record's weight of today (a visit earlier the same day) is not
    // what today's is compared with: the one a year before is.
    let mut q = course(TEN, 22.5, 135.0, &TEN_YEARLY);
    if let Some(h) = q.history.as_mut() {
        h.earlier.push(Earlier {
            date: q.subject.as_of,
            line: 5,
            weight_kg: Some(23.0),
            height_cm: Some(135.0),
        });
    }
    let o = titrate_ok(q);
    assert!(
        o.rationale.iter().any(|l| l.starts_with(
            "weight 22.5 kg is the same as the previous one (2025-11-22, line 4), 365 days earlier"
        )),
        "{:?}",
        o.rationale
    );
}

/// A start of a boy of 8 at `kg` kg after a stop, with the record's earlier
/// weights (days before 2026-11-22, kg).
fn restart(kg: f64, earlier: &[(i64, f64)]) -> crate::dosing::request::StartRequest {
    use crate::dosing::request::Restart;
    let mut q = crate::dosing::test_support::child("ghd", kg);
    let as_of = q.subject.as_of;
    q.subject.patient.age = Some(AgeInput::Years(8.0));
    q.restart = Some(Restart {
        stopped_on: date("2026-06-10"),
        known_from: "p.jsonl, line 3".into(),
        stopped_for: vec![],
        dose_before: None,
        earlier: earlier
            .iter()
            .enumerate()
            .map(|(i, (days, w))| Earlier {
                date: as_of - chrono::Duration::days(*days),
                line: i + 1,
                weight_kg: Some(*w),
                height_cm: None,
            })
            .collect(),
        reduction: None,
    });
    q
}

#[test]
fn a_restart_judges_the_weight_against_the_records_last_one_before_today() {
    use crate::dosing::test_support::{start_err, start_ok};
    // 15 -> 30 kg in a year at 8: beyond +75 %.
    assert_eq!(
        start_err(restart(30.0, &[(365, 15.0)])),
        "--weight-kg 30 kg is +100% from the previous 15 kg (on 2025-11-22, 1 years earlier): a child's weight may go from 10.5 to 26.2 kg over that interval; likely slip: lb entered as kg (30 lb = 13.6 kg)?; if it is real, add --confirm weight"
    );
    start_ok(restart(26.0, &[(365, 15.0)]));
    // A weight of today or after it is not a previous one.
    start_ok(restart(30.0, &[(0, 15.0)]));
    start_ok(restart(30.0, &[(-30, 15.0)]));
    // The slip in the record's weight is named by the record.
    assert_eq!(
        start_err(restart(30.0, &[(365, 62.0)])),
        "--record 62 kg is the previous weight (on 2025-11-22, 1 years earlier) of today's 30 kg (-51.6% from): likely slip in the previous weight: digits swapped (26 kg?); if it is real, add --confirm weight"
    );
}

#[test]
fn a_start_refuses_a_weight_no_child_has_and_withholds_it_when_confirmed() {
    use crate::dosing::test_support::{start_err, start_ok};
    let mut q = crate::dosing::test_support::child("ghd", 90.0);
    q.subject.patient.age = Some(AgeInput::Years(4.0));
    let err = start_err(q.clone());
    assert!(
        err.starts_with("--weight-kg 90 kg is more than any child of 4 years weighs: above "),
        "{err}"
    );
    q.subject.patient.confirm = vec![Confirm::Weight];
    let o = start_ok(q);
    assert!(has(&o, FlagCode::WeightBeyondDosingEvidence));
    assert!(o.rationale.iter().any(|l| l
        == "no dose is computed on a confirmed weight beyond any child's of the age (WEIGHT_BEYOND_DOSING_EVIDENCE)"));
}

#[test]
fn a_slip_in_either_weight_is_named_a_tenth_and_kg_for_lb() {
    // The tenfold weight, 240 for 24 kg.
    assert_eq!(
        titrate_err(after(10.0, 240.0, 24.0, 365)),
        "--weight-kg 240 kg is 10 times the previous 24 kg (on 2025-11-22, 1 years earlier): a child's weight may go from 16.8 to 42 kg over that interval; likely slip: tenfold (x10: a decimal point, 24 kg)? or the previous weight tenfold (240 kg)?; if it is real, add --confirm weight"
    );
    // 240 kg typed for 24: today's 25 fits a tenth of it.
    let err = titrate_err(after(10.0, 25.0, 240.0, 365));
    assert!(
        err.ends_with("likely slip: a tenth (/10: a decimal point, 250 kg)? or the previous weight a tenth (24 kg)?; if it is real, add --confirm weight"),
        "{err}"
    );
    // 21 kg typed as --weight-lb: 9.53 kg against the previous 20.
    let mut q = after(10.0, 0.0, 20.0, 365);
    q.subject.patient.weight_kg = Some(Measured {
        value: 21.0 * KG_PER_LB,
        field: Field::WeightLb,
        original: Some("21 lb".into()),
    });
    let err = titrate_err(q);
    assert!(
        err.starts_with("--weight-lb 9.53 kg is -52.4% from the previous 20 kg")
            && err.ends_with(
                "likely slip: kg entered as lb (21 kg)?; if it is real, add --confirm weight"
            ),
        "{err}"
    );
}

/// `after` with today's height `cm` and the previous `prev_cm` measured
/// `days` earlier (the weight unchanged over a year).
fn grown(age: f64, cm: f64, prev_cm: f64, days: i64) -> TitrateRequest {
    let kg = match age {
        a if a >= 18.0 => 70.0,
        a if a < 2.0 => 10.0,
        _ => 30.0,
    };
    let mut q = after(age, kg, kg - 0.5, 365);
    q.subject.patient.height_cm = Some(Measured::plain(cm, Field::HeightCm));
    q.previous_height_cm = Some(Measured::plain(prev_cm, Field::PreviousHeightCm));
    q.previous_height_date = Some(q.subject.as_of - chrono::Duration::days(days));
    q
}

#[test]
fn a_childs_height_falls_by_at_most_2_5_cm_and_rises_by_that_and_the_bands_velocity() {
    // 365 days at 10: 130 - 2.5 to 130 + 2.5 + 20 x 0.9993 = 152.49 cm.
    titrate_ok(grown(10.0, 127.5, 130.0, 365));
    titrate_ok(grown(10.0, 152.4, 130.0, 365));
    assert_eq!(
        titrate_err(grown(10.0, 127.4, 130.0, 365)),
        "--height-cm 127.4 cm is -2% from the previous 130 cm (on 2025-11-22, 1 years earlier): a child's height may go from 127.5 to 152.5 cm over that interval (no shrinking beyond 2.5 cm of measurement error); check the height and the previous one; if it is real, add --confirm height"
    );
    let err = titrate_err(grown(10.0, 152.5, 130.0, 365));
    assert!(
        err.starts_with("--height-cm 152.5 cm is +17.3% from the previous 130 cm (on 2025-11-22, 1 years earlier): a child's height may go from 127.5 to 152.5 cm"),
        "{err}"
    );
    // Under 2: 35 cm a year; 183 days is 0.501 years: up to 90.04 cm.
    titrate_ok(grown(1.5, 90.0, 70.0, 183));
    assert!(titrate_err(grown(1.5, 90.1, 70.0, 183)).contains("may go from 67.5 to 90 cm"));
    // Inches typed as cm: 51.2 in = 130 cm.
    let err = titrate_err(grown(10.0, 51.2, 130.0, 365));
    assert!(
        err.ends_with("likely slip: inches entered as cm (51.2 in = 130 cm)?; if it is real, add --confirm height"),
        "{err}"
    );
    let mut q = grown(10.0, 51.2, 130.0, 365);
    q.subject.patient.height_cm = Some(Measured::plain(51.2, Field::HeightIn));
    assert!(titrate_err(q).contains("check the height and the previous one"));
}

#[test]
fn an_adults_height_stays_within_5_08_cm() {
    // Heights are judged to the millimetre: 175.08 is 175.1.
    titrate_ok(grown(40.0, 175.0, 170.0, 3000));
    titrate_ok(grown(40.0, 165.0, 170.0, 3000));
    assert_eq!(
        titrate_err(grown(40.0, 175.1, 170.0, 3000)),
        "--height-cm 175.1 cm is +3% from the previous 170 cm (on 2018-09-05, 8.21 years earlier): an adult's height stays within 5.08 cm; check the height and the previous one; if it is real, add --confirm height"
    );
    assert!(
        titrate_err(grown(40.0, 164.9, 170.0, 3000))
            .starts_with("--height-cm 164.9 cm is -3% from the previous 170 cm")
    );
}

#[test]
fn a_weight_no_child_has_names_tenfold_and_lb_for_kg() {
    use crate::dosing::test_support::{child, start_err};
    let at = |age: f64, m: Measured| {
        let mut q = child("ghd", 1.0);
        q.subject.patient.age = Some(AgeInput::Years(age));
        q.subject.patient.weight_kg = Some(m);
        start_err(q)
    };
    assert_eq!(
        at(4.0, Measured::plain(80.0, Field::WeightKg)),
        "--weight-kg 80 kg is more than any child of 4 years weighs: above 39.1 kg, the CDC 2000 modified z-score +8 (a biologically implausible value); likely slip: tenfold (a decimal point: 8 kg)? lb entered as kg (80 lb = 36.3 kg)?; if it is real, add --confirm weight"
    );
    // 90 lb is 40.8 kg, beyond the bound too: no lb slip.
    assert!(at(4.0, Measured::plain(90.0, Field::WeightKg)).ends_with(
        "likely slip: tenfold (a decimal point: 9 kg)?; if it is real, add --confirm weight"
    ));
    // A newborn's bound is small: 39 kg is 3.9 kg tenfold (39 lb is
    // 17.7 kg, beyond it).
    let err = at(0.05, Measured::plain(39.0, Field::WeightKg));
    assert!(
        err.contains("above 8.6 kg") && err.ends_with("likely slip: tenfold (a decimal point: 3.9 kg)?; if it is real, add --confirm weight"),
        "{err}"
    );
    // Given in lb, it is not lb again.
    let lb = Measured {
        value: 80.0,
        field: Field::WeightLb,
        original: Some("176.37 lb".into()),
    };
    assert!(at(4.0, lb).ends_with(
        "likely slip: tenfold (a decimal point: 8 kg)?; if it is real, add --confirm weight"
    ));
}
