use super::*;
use crate::dosing::patient::findings::VisitEcho;
use crate::dosing::patient::growth::Velocity;
use crate::dosing::patient::igf1::{Igf1Method, Igf1Reading};
use crate::dosing::patient::stature::{HeightSds, HeightSdsSource, Stature};
use crate::dosing::patient::validate;
use crate::dosing::request::Measured;
use crate::dosing::test_support::*;
use crate::dosing::{AgeInput, Field};
use crate::growth::Builtin;
use crate::units::Grams;

fn patient() -> Patient {
    let mut q = child("turner", 24.0);
    q.subject.patient.height_cm = Some(Measured::plain(118.0, Field::HeightCm));
    q.subject.patient.age = Some(AgeInput::Years(8.0));
    q.subject.patient.height_sds = Some(-1.0);
    validate(&q.subject.patient, q.subject.as_of, &RULES).unwrap()
}

#[test]
fn a_start_echoes_what_was_given_and_no_visit() {
    let p = patient();
    let e = PatientEcho::of(&p, &Findings::default());
    assert_eq!(
        (e.weight_kg, e.height_cm, e.age_years),
        (Some(24.0), Some(118.0), Some(8.0))
    );
    assert_eq!(e.bmi_source, Some("computed"));
    // Without the stature scores, no height SDS is one the decision used.
    assert_eq!((e.height_sds, e.height_sds_source), (None, None));
    assert!(!e.obesity);
    assert_eq!((e.igf1_sds, e.igf1_sds_method), (None, None));
    assert_eq!((e.previous_weight_kg, e.last_dose_change), (None, None));
}

#[test]
fn the_echo_shows_the_scores_and_readings_found() {
    let p = patient();
    let f = Findings {
        stature: Stature {
            height_sds: Some(HeightSds {
                sds: 0.42,
                source: HeightSdsSource::Reference(Builtin::TurnerHeight),
            }),
            bmi_sds: Some(1.25),
            obesity: true,
            unusual: Vec::new(),
        },
        igf1: Some(Igf1Reading {
            sds: 2.567,
            method: Igf1Method::LabRangeBoxcox,
            ng_ml: Some(300.0),
            input: Some("39.2 nmol/L".into()),
            reference: Some("laboratory range".into()),
        }),
        velocity: Velocity {
            previous_height_cm: Some(112.0),
            cm_per_year: Some(6.5),
        },
        previous_weight: Some(Grams::from_kg(22.5)),
        visit: VisitEcho {
            last_dose_change: Some(date("2026-05-01")),
            ..VisitEcho::default()
        },
        unusual: vec!["not echoed".into()],
    };
    let e = PatientEcho::of(&p, &f);
    // The computed height SDS replaces the typed one, named by its reference.
    assert_eq!(e.height_sds, Some(0.42));
    assert_eq!(
        e.height_sds_source.as_deref(),
        Some("turner-lyon1985-height")
    );
    assert_eq!(e.bmi_sds, Some(1.25));
    // Obesity found is echoed though not given.
    assert!(!p.obesity && e.obesity);
    // The JSON carries SDS to 4 decimals.
    assert_eq!(e.igf1_sds, Some(2.567));
    assert_eq!(e.igf1_sds_method, Some("lab-range-boxcox"));
    assert_eq!(e.igf1_ng_ml, Some(300.0));
    assert_eq!(e.igf1_input.as_deref(), Some("39.2 nmol/L"));
    assert_eq!(e.igf1_reference.as_deref(), Some("laboratory range"));
    assert_eq!(e.previous_height_cm, Some(112.0));
    assert_eq!(e.height_velocity_cm_per_year, Some(6.5));
    assert_eq!(e.previous_weight_kg, Some(22.5));
    assert_eq!(e.last_dose_change, Some(date("2026-05-01")));
    // A typed height SDS the references did not replace is `given`.
    let f = Findings {
        stature: Stature {
            height_sds: Some(HeightSds {
                sds: -1.0,
                source: HeightSdsSource::Given,
            }),
            ..Stature::default()
        },
        ..Findings::default()
    };
    let e = PatientEcho::of(&p, &f);
    assert_eq!(
        (e.height_sds, e.height_sds_source.as_deref()),
        (Some(-1.0), Some("given"))
    );
}
