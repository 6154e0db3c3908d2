//! Properties of the dosing core over the whole input space: no dose above a
//! ceiling or cap, rounding within half a unit, monotone in weight, and a
//! rule loader that never panics.

use chrono::NaiveDate;
use gh_dose::dosing::{
    AgeInput, Chosen, Field, Measured, PatientInput, StartRequest, Subject, start,
};
use gh_dose::rules::{Regimen, RuleSet};
use gh_dose::units::Micrograms;
use gh_dose::vocab::Action;
use proptest::prelude::*;
use std::sync::LazyLock;

static RULES: LazyLock<RuleSet> = LazyLock::new(|| RuleSet::built_in().unwrap());
const PEDIATRIC: &[&str] = &[
    "ghd", "turner", "pws", "sga", "iss", "shox", "noonan", "ckd",
];

fn request(ind: &str, kg: f64, n: u8) -> StartRequest {
    let mut req = StartRequest::new(Subject::new(
        ind,
        NaiveDate::from_ymd_opt(2026, 11, 22).unwrap(),
        PatientInput {
            weight_kg: Some(Measured::plain(kg, Field::WeightKg)),
            ..Default::default()
        },
    ));
    req.subject.injections_per_week = Some(n);
    req
}

proptest! {
    #[test]
    fn pediatric_dose_stays_within_the_range(
        ind in prop::sample::select(PEDIATRIC),
        grams in 500i64..=250_000,
        n in prop::sample::select(&[6u8, 7][..]),
        height_sds in prop::option::of(-6.0f64..3.0),
        pubertal in any::<bool>(),
    ) {
        let kg = grams as f64 / 1000.0;
        let mut req = request(ind, kg, n);
        req.subject.patient.height_sds = height_sds;
        req.subject.patient.pubertal = pubertal;
        let o = start(&req, &RULES).unwrap();
        let d = o.recommendation.dose.unwrap();
        let r = o.recommendation.range;
        let week = r.mg_per_week.unwrap();
        prop_assert!(d.mg_per_week <= week.max, "{ind} {kg}: {:?} > {:?}", d.mg_per_week, week.max);
        if let Some(min) = week.min {
            prop_assert!(d.mg_per_week >= min);
        }
        let Regimen::WeightBased(wb) = &RULES.indication(ind).unwrap().regimen else { unreachable!() };
        // The exact weekly dose is intensity x weight; rounding is at most 0.5 µg.
        let exact_ug = wb_intensity(&d) * grams as f64 / 1e6;
        prop_assert!((d.mg_per_week.0 as f64 - exact_ug).abs() <= 0.5);
        let exact_inj = exact_ug / f64::from(n);
        prop_assert!((d.mg_per_injection.0 as f64 - exact_inj).abs() <= 0.5);
        prop_assert!(d.mg_per_kg_per_week.unwrap() <= wb.ceiling);
    }

    #[test]
    fn pediatric_dose_is_monotone_in_weight(
        ind in prop::sample::select(PEDIATRIC),
        a in 500i64..=250_000,
        b in 500i64..=250_000,
    ) {
        let (lo, hi) = (a.min(b), a.max(b));
        let d = |g: i64| start(&request(ind, g as f64 / 1000.0, 7), &RULES).unwrap().recommendation.dose.unwrap();
        prop_assert!(d(lo).mg_per_week <= d(hi).mg_per_week);
        prop_assert!(d(lo).mg_per_injection <= d(hi).mg_per_injection);
    }

    #[test]
    fn chosen_intensities_never_exceed_the_ceiling(
        ind in prop::sample::select(PEDIATRIC),
        chosen in -1.0f64..2.0,
        kg in 0.5f64..250.0,
    ) {
        let mut req = request(ind, kg, 7);
        req.chosen = Some(Chosen { mg_per_kg_week: chosen, field: Field::MgPerKgWeek });
        let Regimen::WeightBased(wb) = &RULES.indication(ind).unwrap().regimen else { unreachable!() };
        match start(&req, &RULES) {
            Ok(o) => {
                let d = o.recommendation.dose.unwrap();
                prop_assert!(d.mg_per_kg_per_week.unwrap() <= wb.ceiling);
                prop_assert!(chosen > 0.0);
            }
            Err(e) => prop_assert!(e.to_string().starts_with("--mg-per-kg-week")),
        }
    }

    #[test]
    fn adult_dose_stays_within_its_group_and_cap(
        ind in prop::sample::select(&["adult-ghd", "transition"][..]),
        age in 18.0f64..120.0,
        kg in prop::option::of(0.5f64..250.0),
        oral_estrogen in any::<bool>(),
        diabetes in any::<bool>(),
    ) {
        let req = StartRequest::new(Subject::new(
            ind,
            NaiveDate::from_ymd_opt(2026, 11, 22).unwrap(),
            PatientInput {
                weight_kg: kg.map(|value| Measured::plain(value, Field::WeightKg)),
                age: Some(AgeInput::Years(age)),
                oral_estrogen,
                diabetes,
                ..Default::default()
            },
        ));
        let o = start(&req, &RULES).unwrap();
        prop_assert_eq!(o.recommendation.action, Action::Start);
        let d = o.recommendation.dose.unwrap();
        let day = o.recommendation.range.mg_per_day.unwrap();
        prop_assert!(d.mg_per_injection <= day.max);
        prop_assert!(d.mg_per_week == Micrograms(d.mg_per_injection.0 * 7));
        prop_assert!(d.mg_per_injection.0 <= cap_ug(kg, age));
    }

    #[test]
    fn the_rule_loader_never_panics_on_arbitrary_text(text in ".{0,400}") {
        let _ = RuleSet::parse(&text, "fuzz.toml");
    }

    #[test]
    fn the_rule_loader_never_panics_on_mutated_rules(
        at in 0usize..20_000,
        len in 0usize..40,
        insert in "[ -~\n]{0,12}",
    ) {
        let base = gh_dose::rules::BUILT_IN;
        let mut start = at.min(base.len());
        while !base.is_char_boundary(start) { start -= 1; }
        let mut end = (start + len).min(base.len());
        while !base.is_char_boundary(end) { end -= 1; }
        let text = format!("{}{}{}", &base[..start], insert, &base[end..]);
        if let Err(e) = RuleSet::parse(&text, "m.toml") {
            prop_assert!(e.line >= 1 && e.col >= 1);
            prop_assert!(e.line <= text.lines().count().max(1) + 1);
        }
    }
}

/// The adult hard cap in whole µg/day, on the weight to the gram as gh-dose holds it:
/// 0.025 mg/kg/day up to 35 years, 0.0125 above; 1.33 mg/day without weight.
fn cap_ug(kg: Option<f64>, age: f64) -> i64 {
    match kg.map(|w| (w * 1000.0).round() as i64) {
        Some(g) if age <= 35.0 => 25_000 * g / 1_000_000,
        Some(g) => 12_500 * g / 1_000_000,
        None => 1330,
    }
}

fn wb_intensity(d: &gh_dose::dosing::Dose) -> f64 {
    d.mg_per_kg_per_week.unwrap().0 as f64
}

/// (product, indication) pairs whose label and devices state increments.
const ROUNDED: &[(&str, &str)] = &[
    ("norditropin", "ghd"),
    ("norditropin", "turner"),
    ("norditropin", "pws"),
    ("norditropin", "sga"),
    ("norditropin", "noonan"),
    ("humatrope", "ghd"),
    ("humatrope", "turner"),
    ("humatrope", "shox"),
    ("humatrope", "iss"),
    ("ngenla", "ghd"),
    ("sogroya", "ghd"),
];

proptest! {
    #[test]
    fn deliverable_doses_respect_the_range_and_the_steps(
        pair in prop::sample::select(ROUNDED),
        grams in 10_000i64..=120_000,
        n in prop::sample::select(&[6u8, 7][..]),
    ) {
        let (product, ind) = pair;
        // Never above the range maximum is checked exactly: µg x 1e6 <= ng/kg x g.
        let mut req = request(ind, grams as f64 / 1000.0, n);
        req.subject.product.product = Some(product.to_string());
        req.subject.patient.age = Some(AgeInput::Years(10.0));
        let weekly = RULES.product(product).unwrap().schedule == gh_dose::vocab::Schedule::Weekly;
        if weekly {
            req.subject.injections_per_week = None;
        }
        let o = start(&req, &RULES).unwrap();
        let dose = o.recommendation.dose.unwrap();
        let Some(d) = dose.deliverable else {
            // Only when no presentation can give the dose; the flag says so.
            prop_assert!(o.flags.iter().any(|f| f.code.as_str() == "DEVICE_CANNOT_DELIVER"));
            return Ok(());
        };
        let device = RULES.product(product).unwrap().device(&d.device).unwrap();
        let n = i64::from(dose.injections_per_week);
        let k = i64::from(d.injections_per_dose);
        let max = o.recommendation.range.mg_per_kg_per_week.unwrap().max;
        prop_assert!(i128::from(d.mg_per_week.0) * 1_000_000 <= i128::from(max.0) * i128::from(grams),
            "{product} {ind} {grams} g: {:?} above {:?}", d.mg_per_week, max);
        let Some(step) = device.increment.map(|i| i.0) else {
            // A presentation without a stated step: the dose is not rounded, and the flag says so.
            prop_assert!(o.flags.iter().any(|f| f.code.as_str() == "NO_DEVICE_ROUNDING"));
            return Ok(());
        };
        // Whole steps, and the week adds up.
        prop_assert_eq!(d.mg_per_injection.0 % step, 0);
        prop_assert_eq!(d.mg_per_week.0, d.mg_per_injection.0 * k * n);
        // Within half a step of the target unless moved to the range's edge step.
        let target_x2 = i128::from(dose.mg_per_kg_per_week.unwrap().0) * i128::from(grams) * 2 / (1_000_000 * i128::from(n * k));
        let err_x2 = (i128::from(d.mg_per_injection.0) * 2 - target_x2).abs();
        let min = o.recommendation.range.mg_per_kg_per_week.unwrap().min;
        let lo_step = min.map(|m| {
            let lo = i128::from(m.0) * i128::from(grams);
            let den = 1_000_000 * i128::from(n * k) * i128::from(step);
            (lo + den - 1) / den
        });
        let hi_step = i128::from(max.0) * i128::from(grams) / (1_000_000 * i128::from(n * k) * i128::from(step));
        let at_edge = [lo_step, Some(hi_step)].contains(&Some(i128::from(d.mg_per_injection.0 / step)));
        prop_assert!(err_x2 <= i128::from(step) + 1 || at_edge,
            "{product} {ind} {grams} g: {:?} vs target, step {step}", d.mg_per_injection);
    }

    #[test]
    fn skytrofa_never_gives_a_dose_outside_its_table(grams in 0i64..=130_000, age in 0.0f64..18.0) {
        let mut req = request("ghd", (grams.max(500)) as f64 / 1000.0, 7);
        req.subject.injections_per_week = None;
        req.subject.product.product = Some("skytrofa".to_string());
        req.subject.patient.age = Some(AgeInput::Years(age));
        match start(&req, &RULES) {
            Ok(o) => {
                let d = o.recommendation.dose.unwrap().deliverable.unwrap();
                let table = [3000, 3600, 4300, 5200, 6300, 7600, 9100, 11_000, 13_300, 15_200, 18_200, 22_000];
                prop_assert!(table.contains(&d.mg_per_week.0));
                prop_assert!((11_500..=100_000).contains(&grams.max(500)));
            }
            Err(e) => prop_assert!(e.to_string().contains("weight-band table"), "{}", e),
        }
    }
}

fn adult_titration(sds: f64, per_day: f64, age: f64, kg: Option<f64>) -> gh_dose::dosing::Outcome {
    use gh_dose::dosing::{CurrentDose, TitrateRequest, titrate};
    let base = Subject::new(
        "adult-ghd",
        NaiveDate::from_ymd_opt(2026, 11, 22).unwrap(),
        PatientInput {
            weight_kg: kg.map(|value| Measured::plain(value, Field::WeightKg)),
            age: Some(AgeInput::Years(age)),
            ..Default::default()
        },
    );
    let mut req = TitrateRequest::new(base);
    req.current = Some(CurrentDose::PerDay(per_day));
    req.igf1 = Some(gh_dose::dosing::Igf1Input::Sds(sds));
    titrate(&req, &RULES).unwrap()
}

fn child_titration(sds: f64, weekly: f64, kg: f64) -> gh_dose::dosing::Outcome {
    use gh_dose::dosing::{CurrentDose, TitrateRequest, titrate};
    let mut req = TitrateRequest::new(request("ghd", kg, 7).subject);
    req.current = Some(CurrentDose::PerWeek(weekly));
    req.igf1 = Some(gh_dose::dosing::Igf1Input::Sds(sds));
    titrate(&req, &RULES).unwrap()
}

fn new_weekly(o: &gh_dose::dosing::Outcome, current: Micrograms) -> Micrograms {
    o.recommendation
        .dose
        .as_ref()
        .map_or(current, |d| d.mg_per_week)
}

proptest! {
    #[test]
    fn adult_titration_never_increases_above_the_ceiling_nor_exceeds_the_cap(
        sds in -6.0f64..6.0,
        per_day in 0.05f64..2.0,
        age in 18.0f64..90.0,
        kg in prop::option::of(40.0f64..150.0),
    ) {
        let per_day = (per_day * 1000.0).round() / 1000.0;
        let kg = kg.map(|w| (w * 1000.0).round() / 1000.0);
        let o = adult_titration(sds, per_day, age, kg);
        if sds > 2.0 {
            prop_assert_ne!(o.recommendation.action, Action::Increase);
        }
        let cap = cap_ug(kg, age);
        if let Some(d) = &o.recommendation.dose {
            prop_assert!(d.mg_per_injection.0 <= cap, "{:?} above cap {cap}", d.mg_per_injection);
        }
    }

    #[test]
    fn adult_titration_is_monotone_in_igf1(a in -6.0f64..6.0, b in -6.0f64..6.0, per_day in 0.1f64..1.2, age in 18.0f64..90.0) {
        let per_day = (per_day * 1000.0).round() / 1000.0;
        let (lo, hi) = (a.min(b), a.max(b));
        let current = Micrograms((per_day * 1000.0).round() as i64 * 7);
        let d_lo = new_weekly(&adult_titration(lo, per_day, age, None), current);
        let d_hi = new_weekly(&adult_titration(hi, per_day, age, None), current);
        prop_assert!(d_hi <= d_lo, "SDS {hi} gives {d_hi:?} > {d_lo:?} at SDS {lo}");
    }

    #[test]
    fn child_titration_is_monotone_in_igf1_and_never_raises_for_it(
        a in -6.0f64..6.0,
        b in -6.0f64..6.0,
        weekly in 1.0f64..20.0,
        kg in 10.0f64..80.0,
    ) {
        let weekly = (weekly * 1000.0).round() / 1000.0;
        let (lo, hi) = (a.min(b), a.max(b));
        let current = Micrograms((weekly * 1000.0).round() as i64);
        let o_lo = child_titration(lo, weekly, kg);
        let o_hi = child_titration(hi, weekly, kg);
        prop_assert!(new_weekly(&o_hi, current) <= new_weekly(&o_lo, current));
        if hi > 2.0 {
            // Above the ceiling the dose is below the weight-rescaled one.
            let rescaled = new_weekly(&child_titration(0.0, weekly, kg), current);
            prop_assert!(new_weekly(&o_hi, current) < rescaled);
        }
    }
}
