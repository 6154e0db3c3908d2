//! Unit tests of `assess.rs`.

use super::*;

const CONV: AssessmentSettings = AssessmentSettings {
    min_velocity_interval_years: 0.5,
    tanner: Tanner {
        sex_difference_cm: 13.0,
        range_cm: 8.5,
        adult_age_years: 20.0,
    },
    warn_sds: 4.0,
    refuse_sds: 8.0,
};

fn input(sex: Sex, age_years: f64) -> GrowthInput<'static> {
    GrowthInput {
        sex,
        age_years,
        height_cm: None,
        weight_kg: None,
        bmi: None,
        height_reference: HeightReference::Cdc,
        other_reference: None,
        previous_height: None,
        parents_cm: None,
    }
}

fn close(a: f64, b: f64) -> bool {
    (a - b).abs() < 1e-6
}

#[test]
fn heights_are_scored_on_the_cdc_row_at_a_table_age() {
    // CDC stature, boys 120.5 months: L 0.505564115, M 138.8234114,
    // S 0.047610108; 145 cm: ((145/M)^L - 1)/(L S) = 0.924459.
    let mut i = input(Sex::Male, 120.5 / 12.0);
    i.height_cm = Some(145.0);
    let a = assess(&i, &CONV).unwrap();
    let h = a.height.unwrap();
    assert!(close(h.sds, 0.924459), "{h:?}");
    // Centile = 100 Phi(0.924459) = 82.2374.
    assert!((h.centile - 82.2374).abs() < 1e-3, "{h:?}");
    assert_eq!(h.reference, "cdc2000-height");
    assert!(a.height_cdc.is_none());
    // Girls 120.5 months: L 0.284748919, M 138.2111552, S 0.048704503;
    // 125 cm: -2.033598.
    let mut i = input(Sex::Female, 120.5 / 12.0);
    i.height_cm = Some(125.0);
    assert!(close(
        assess(&i, &CONV).unwrap().height.unwrap().sds,
        -2.033598
    ));
}

#[test]
fn a_turner_girl_is_scored_on_turner_with_cdc_alongside() {
    // Turner, 10 years: L 1, M 119.45, S 0.047; 125 cm: (125/119.45 - 1)/0.047 = 0.988574.
    let mut i = input(Sex::Female, 10.0);
    i.height_cm = Some(125.0);
    i.height_reference = HeightReference::Turner;
    let a = assess(&i, &CONV).unwrap();
    let h = a.height.unwrap();
    assert!(close(h.sds, 0.988574), "{h:?}");
    assert_eq!(h.reference, "turner-lyon1985-height");
    let cdc = a.height_cdc.unwrap();
    assert_eq!(cdc.reference, "cdc2000-height");
    assert!(cdc.sds < -1.9 && cdc.sds > -2.2, "{cdc:?}");
    assert_eq!(a.references, ["turner-lyon1985-height", "cdc2000-height"]);
    // Boys have no Turner rows: refused, naming the measurement.
    let mut boy = i;
    boy.sex = Sex::Male;
    let e = assess(&boy, &CONV).unwrap_err();
    assert_eq!(e.what, "height");
    assert!(matches!(e.error, GrowthError::NoRowsForSex { .. }), "{e:?}");
}

#[test]
fn velocity_and_change_in_sds_need_half_a_year() {
    let mut i = input(Sex::Female, 10.0);
    i.height_reference = HeightReference::Turner;
    i.height_cm = Some(125.0);
    i.previous_height = Some(Observation {
        age_years: 9.5,
        value: 121.0,
    });
    let v = assess(&i, &CONV).unwrap().velocity.unwrap();
    // (125 - 121) / 0.5 = 8 cm/year.
    assert!(
        close(v.cm_per_year, 8.0) && close(v.interval_years, 0.5),
        "{v:?}"
    );
    assert!(close(v.delta_sds.to_sds, 0.988574));
    assert!(close(
        v.delta_sds.total,
        v.delta_sds.to_sds - v.delta_sds.from_sds
    ));
    assert!(close(v.delta_sds.per_year, v.delta_sds.total / 0.5));
    // Two weeks apart: no velocity, said why.
    i.previous_height = Some(Observation {
        age_years: 10.0 - 14.0 / 365.25,
        value: 125.0,
    });
    let a = assess(&i, &CONV).unwrap();
    assert!(a.velocity.is_none());
    assert!(
        a.why.iter().any(|w| w.contains("too close to annualise")),
        "{:?}",
        a.why
    );
}

#[test]
fn slips_are_refused_and_outliers_reported() {
    let mut i = input(Sex::Male, 120.5 / 12.0);
    i.height_cm = Some(300.0);
    let e = assess(&i, &CONV).unwrap_err();
    assert!(matches!(e.error, GrowthError::Implausible { .. }), "{e:?}");
    assert!(e.error.to_string().contains("beyond +/-8"), "{}", e.error);
    // About +4.5 SDS: scored, reported as unusual.
    let lms = Builtin::CdcHeight
        .reference()
        .unwrap()
        .lms_at(Sex::Male, 120.5 / 12.0)
        .unwrap();
    i.height_cm = lms.value_at(4.5);
    let a = assess(&i, &CONV).unwrap();
    assert!(close(a.height.unwrap().sds, 4.5));
    assert_eq!(a.unusual.len(), 1, "{:?}", a.unusual);
    // Outside the reference's ages: refused with its range.
    let mut old = input(Sex::Male, 21.0);
    old.height_cm = Some(175.0);
    let e = assess(&old, &CONV).unwrap_err();
    assert!(
        e.error.to_string().contains("aged 2 to 20 years"),
        "{}",
        e.error
    );
}

#[test]
fn bmi_is_computed_from_weight_and_height_and_target_height_from_the_parents() {
    let mut i = input(Sex::Male, 120.5 / 12.0);
    i.height_cm = Some(140.0);
    i.weight_kg = Some(35.0);
    i.parents_cm = Some((180.0, 165.0));
    let a = assess(&i, &CONV).unwrap();
    let b = a.bmi.unwrap();
    // 35 / 1.4^2 = 17.857143.
    assert!(close(b.scored.value, 35.0 / 1.96) && b.computed, "{b:?}");
    assert_eq!(b.scored.reference, "cdc2000-bmi");
    assert!(a.weight.is_some());
    // (180 + 165 + 13) / 2 = 179 cm, SDS 0.301562 at 20 years (measures tests).
    let t = a.target.unwrap();
    assert!(close(t.cm, 179.0) && close(t.sds, 0.301562), "{t:?}");
    assert_eq!(
        a.references,
        ["cdc2000-height", "cdc2000-weight", "cdc2000-bmi"]
    );
}
