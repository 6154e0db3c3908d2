//! Unit tests of the weekly pediatric regimen.

use crate::dosing::test_support::*;
use crate::units::Micrograms;
use crate::vocab::{Action, FlagCode};

fn on(mut q: crate::dosing::StartRequest, product: &str) -> crate::dosing::StartRequest {
    q.subject.product.product = Some(product.into());
    q.subject.patient.age = Some(crate::dosing::AgeInput::Years(10.0));
    q
}

fn weekly_visit(product: &str, kg: f64, weekly: f64, s: f64) -> crate::dosing::TitrateRequest {
    let mut q = visit("ghd", kg, weekly);
    q.subject.product.product = Some(product.into());
    q.subject.patient.age = Some(crate::dosing::AgeInput::Years(10.0));
    q.igf1 = Some(sds(s));
    q.igf1_date = Some(date("2026-11-20"));
    q.last_injection = Some(date("2026-11-16"));
    q
}

#[test]
fn ngenla_50_kg_is_33_mg_as_two_injections() {
    let o = start_ok(on(child("ghd", 50.0), "ngenla"));
    let d = o.recommendation.dose.unwrap();
    assert_eq!(d.mg_per_week, Micrograms(33_000));
    let x = d.deliverable.unwrap();
    assert_eq!((x.device.as_str(), x.injections_per_dose), ("ngenla-60", 2));
    assert_eq!(x.mg_per_injection, Micrograms(16_500));
}

#[test]
fn skytrofa_uses_the_weight_band_cartridges_as_its_range() {
    let o = start_ok(on(child("ghd", 65.0), "skytrofa"));
    let r = o.recommendation.range.clone();
    assert_eq!(r.mg_per_week.unwrap().max, Micrograms(15_200));
    assert_eq!(r.basis, crate::dosing::RangeBasis::WeightBand);
    let d = o.recommendation.dose.unwrap().deliverable.unwrap();
    assert_eq!(
        (d.device.as_str(), d.injections_per_dose),
        ("skytrofa-7.6", 2)
    );
}

#[test]
fn a_weekly_product_not_labelled_or_without_an_age_is_refused() {
    assert!(start_err(on(child("turner", 30.0), "ngenla")).contains("is not labelled for turner"));
    let mut q = child("ghd", 30.0);
    q.subject.product.product = Some("ngenla".into());
    assert_eq!(
        start_err(q),
        "--age-years or --birth-date is required for ngenla (labelled from 3 years; the age is checked)"
    );
}

#[test]
fn ngenla_reduces_15_percent_of_the_current_dose_and_keeps_it() {
    let mut q = weekly_visit("ngenla", 32.0, 19.8, 2.5);
    q.previous_weight_kg = Some(30.0);
    let o = titrate_ok(q);
    assert_eq!(o.recommendation.action, Action::Decrease);
    assert!(has(&o, FlagCode::Igf1AboveRange));
    // 19.8 x 0.85 = 16.83 mg: not 0.66 x 32 kg first.
    let d = o.recommendation.dose.unwrap();
    assert_eq!(d.mg_per_week, Micrograms(16_830));
    assert!(d.deliverable.unwrap().mg_per_week < Micrograms(19_800));
    // Next visit, IGF-1 in range: the reduced intensity is kept (16.5 mg
    // is the nearest 60 mg pen step not above the current 16.8 mg).
    let o = titrate_ok(weekly_visit("ngenla", 30.0, 16.5, 0.5));
    assert_eq!(o.recommendation.action, Action::Maintain);
    assert!(has(&o, FlagCode::DoseBelowRange));
    // 16.8 mg kept: a maintain keeps the current dose, never the 60 mg
    // pen's 16.5 step below it; no pen gives 16.8 mg in one injection (the
    // 24 mg pen gives at most 12 mg, the label splits only above 30 mg): it
    // is kept unrounded with DEVICE_CANNOT_DELIVER.
    let o = titrate_ok(weekly_visit("ngenla", 30.0, 16.8, 0.5));
    assert_eq!(o.recommendation.action, Action::Maintain);
    assert!(has(&o, FlagCode::DeviceCannotDeliver));
    let d = o.recommendation.dose.unwrap();
    assert_eq!(d.given_per_week(), Micrograms(16_800));
    assert!(d.deliverable.is_none());
}

#[test]
fn skytrofa_moves_whole_strengths_and_keeps_its_strength_in_range() {
    let o = titrate_ok(weekly_visit("skytrofa", 30.0, 7.6, 3.5));
    // +3..+4: down 2 strengths from 7.6: 6.3, 5.2.
    assert_eq!(
        o.recommendation.dose.clone().unwrap().mg_per_week,
        Micrograms(5200)
    );
    assert_eq!(o.recommendation.action, Action::Decrease);
    let d = o.recommendation.dose.unwrap().deliverable.unwrap();
    assert_eq!(d.device, "skytrofa-5.2");
    // Within -2..+2 on a lower strength than the 30 kg band: kept.
    let o = titrate_ok(weekly_visit("skytrofa", 30.0, 6.3, 0.0));
    assert_eq!(o.recommendation.action, Action::Maintain);
    assert_eq!(o.recommendation.dose.unwrap().mg_per_week, Micrograms(6300));
}

#[test]
fn skytrofa_steps_from_a_dose_off_the_table_never_cross_the_current_dose() {
    // 2 mg/week is below every strength: IGF-1 +2.05 (one strength down)
    // must not take the nearest table dose, above it; no lower strength: the
    // reduction the IGF-1 asks for cannot be given, so nothing is changed and
    // the visit is a recheck (never a maintain beside "reduce").
    let o = titrate_ok(weekly_visit("skytrofa", 30.0, 2.0, 2.05));
    assert_eq!(o.recommendation.action, Action::Recheck);
    assert!(o.recommendation.dose.is_none());
    assert!(has(&o, FlagCode::NoDeliverableDose));
    assert!(has(&o, FlagCode::Igf1AboveRange));
    assert!(!o.flags.iter().any(|f| f.code == FlagCode::SafetyCheck));
    assert!(
        o.rationale
            .iter()
            .any(|l| l == "no table dose is below 2 mg/week: the dose is kept"),
        "{:?}",
        o.rationale
    );
    // 6.4 is nearest to 6.3: one strength down from 6.3 is 5.2, below 6.4: as before.
    let o = titrate_ok(weekly_visit("skytrofa", 30.0, 6.4, 2.05));
    assert_eq!(o.recommendation.action, Action::Decrease);
    assert_eq!(o.recommendation.dose.unwrap().mg_per_week, Micrograms(5200));
    // Up from a dose above the top strength (22 mg): none above, kept (the
    // step from the nearest table dose would have been a decrease); the
    // weight band's limit then caps it.
    let o = titrate_ok(weekly_visit("skytrofa", 30.0, 25.0, -2.5));
    assert!(
        o.rationale
            .iter()
            .any(|l| l == "no table dose is above 25 mg/week: the dose is kept"),
        "{:?}",
        o.rationale
    );
    assert!(
        o.rationale
            .iter()
            .any(|l| l.ends_with("1 strength up (label table): 25 -> 25 mg/week")),
        "{:?}",
        o.rationale
    );
    // At the lowest strength, one down: none below; at the top, one up: none above.
    // The lowest strength with IGF-1 above +2: a recheck, nothing given.
    let o = titrate_ok(weekly_visit("skytrofa", 12.0, 3.0, 2.05));
    assert_eq!(o.recommendation.action, Action::Recheck);
    assert!(o.recommendation.dose.is_none());
    assert!(
        o.rationale
            .iter()
            .any(|l| l == "no table dose is below 3 mg/week: the dose is kept"),
        "{:?}",
        o.rationale
    );
    let o = titrate_ok(weekly_visit("skytrofa", 95.0, 22.0, -2.5));
    assert!(
        o.rationale
            .iter()
            .any(|l| l == "no table dose is above 22 mg/week: the dose is kept"),
        "{:?}",
        o.rationale
    );
}
