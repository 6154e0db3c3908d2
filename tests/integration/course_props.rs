//! The course invariants as a state machine over whole multi-visit courses
//! through a real visit record: a start, then 1-19 titrations with weights
//! that grow, fall or slip, IGF-1 present, missing, high, low or extreme,
//! switches of product, a stop for papilledema and the restart, and voids of
//! the last visit (the model goes back to before it). A reference model keeps
//! what the course must respect (the current dose, the last reduction for a
//! high IGF-1 and the weight then); after every visit:
//!
//! - a refused visit leaves the record byte-identical;
//! - the action word matches the delivered change;
//! - no increase near final height (a slow visit with a bone age of 16.5);
//! - no increase while IGF-1 is above the ceiling (today's, or the record's
//!   latest one not followed by a decrease);
//! - after a reduction for a high IGF-1, growth never takes the delivered
//!   dose above the reduced one on today's weight (any product);
//! - the delivered dose is never above the dose's own limit (the label's
//!   weekly maximum is checked by `props`);
//! - a restart after a stop for papilledema on the same molecule is lower
//!   than the dose before the stop;
//! - the record reads back and `record check` passes it.
//!
//! `PROPTEST_CASES=10000 cargo test --release --test integration course_props`.

use gh_dose::api::{Terminal, run_with};
use proptest::prelude::*;
use serde_json::Value;
use std::path::Path;

const PRODUCTS: &[&str] = &[
    "norditropin",
    "genotropin",
    "humatrope",
    "omnitrope",
    "skytrofa",
    "ngenla",
    "sogroya",
];

#[derive(Debug, Clone)]
enum Step {
    /// A visit after `days`, the weight times `grow` (per mille), perhaps a
    /// slip, an IGF-1 SDS or none.
    Visit {
        days: u32,
        grow: i32,
        slip: Option<u8>,
        igf1: Option<f64>,
    },
    /// The same visit again (a rerun for the same sample).
    Again,
    /// Papilledema at a visit: a stop.
    Papilledema { days: u32 },
    /// Another product of the list at a visit.
    Switch { days: u32, to: usize },
    /// The last visit entered in error: voided.
    Void,
    /// After a stop, the restart (signs resolved) on a product of the list.
    Restart { days: u32, to: usize },
}

fn step() -> impl Strategy<Value = Step> {
    prop_oneof![
        12 => (20u32..200, -40i32..90, prop::option::weighted(0.05, 0u8..3), prop::option::weighted(0.7, -4.5f64..5.0))
            .prop_map(|(days, grow, slip, igf1)| Step::Visit { days, grow, slip, igf1: igf1.map(|x| (x * 10.0).round() / 10.0) }),
        1 => Just(Step::Again),
        1 => (20u32..120).prop_map(|days| Step::Papilledema { days }),
        1 => (20u32..120, 0..PRODUCTS.len()).prop_map(|(days, to)| Step::Switch { days, to }),
        1 => Just(Step::Void),
        1 => (20u32..120, 0..PRODUCTS.len()).prop_map(|(days, to)| Step::Restart { days, to }),
    ]
}

fn call(args: &[String]) -> (i32, Value, String) {
    let mut all = vec!["gh-dose".to_string()];
    all.extend(args.iter().cloned());
    let mut out = Vec::new();
    let mut err = Vec::new();
    let code = i32::from(run_with(&all, &mut out, &mut err, &Terminal::default()).code());
    let v = serde_json::from_slice(&out).unwrap_or(Value::Null);
    (code, v, String::from_utf8_lossy(&err).into_owned())
}

fn s(x: impl ToString) -> String {
    x.to_string()
}

/// What the model knows of the course.
#[derive(Debug, Default, Clone)]
struct Model {
    /// The last reduction for a high IGF-1 on this molecule: (weekly mg, kg
    /// then).
    reduction: Option<(f64, f64)>,
    product: String,
    stopped: bool,
    /// The weekly dose given before a stop for papilledema, and its molecule.
    before_stop: Option<(f64, String)>,
    /// The last dose given.
    given: Option<f64>,
    /// The latest IGF-1 SDS and its date, until a decrease follows it.
    unanswered: Option<(chrono::NaiveDate, f64)>,
}

fn weekly(v: &Value) -> Option<f64> {
    let d = &v["recommendation"]["dose"];
    d["deliverable"]["mg_per_week"]
        .as_f64()
        .or(d["mg_per_week"].as_f64())
}

fn checks_out(rec: &Path) -> Result<(), String> {
    let text = std::fs::read_to_string(rec).map_err(|e| e.to_string())?;
    for l in text.lines() {
        serde_json::from_str::<Value>(l).map_err(|e| format!("{e}: {l}"))?;
    }
    let (code, _, err) = call(&[s("record"), s("check"), s(rec.display())]);
    if code != 0 {
        return Err(format!("record check: exit {code}: {err}"));
    }
    Ok(())
}

fn molecule(p: &str) -> &'static str {
    match p {
        "skytrofa" => "lonapegsomatropin",
        "ngenla" => "somatrogon",
        "sogroya" => "somapacitan",
        _ => "somatropin",
    }
}

proptest! {
    #![proptest_config(ProptestConfig {
        cases: std::env::var("PROPTEST_CASES").ok().and_then(|c| c.parse().ok()).unwrap_or(16),
        ..ProptestConfig::default()
    })]

    #[test]
    fn every_course_keeps_the_invariants(
        product in 0..PRODUCTS.len(),
        weight0 in 21.0f64..40.0,
        steps in prop::collection::vec(step(), 1..20),
    ) {
        let dir = tempfile::tempdir().unwrap();
        let rec = dir.path().join("p.jsonl");
        let r = s(rec.display());
        let mut date = chrono::NaiveDate::from_ymd_opt(2026, 1, 10).unwrap();
        let mut weight = (weight0 * 10.0).round() / 10.0;
        let mut height = 128.0f64;
        let mut model = Model { product: s(PRODUCTS[product]), ..Model::default() };
        let start = |product: &str, weight: f64, height: f64, date: chrono::NaiveDate| vec![
            s("start"), s("--indication"), s("ghd"), s("--product"), s(product),
            s("--sex"), s("male"), s("--birth-date"), s("2017-06-01"),
            s("--weight-kg"), s(weight), s("--height-cm"), s(height),
            s("--as-of"), s(date), s("--record"), r.clone(), s("--format"), s("json"),
        ];
        let (code, v, err) = call(&start(&model.product, weight, height, date));
        prop_assert_eq!(code, 0, "{}", err);
        prop_assert!(weekly(&v).is_some());
        let mut last: Option<Vec<String>> = None;
        model.given = weekly(&v);
        // The model before each visit line, to undo a void of the last one.
        let mut before_line: Vec<(usize, Model)> = Vec::new();
        for st in steps {
            let before = std::fs::read(&rec).unwrap();
            let args = match st {
                Step::Again => match &last { Some(a) => a.clone(), None => continue },
                Step::Visit { days, grow, slip, igf1 } => {
                    date = date + chrono::Days::new(u64::from(days));
                    weight = ((weight * (1000.0 + f64::from(grow)) / 1000.0) * 10.0).round() / 10.0;
                    weight = weight.clamp(10.0, 120.0);
                    // Some long intervals grow slowly, and some of those
                    // come with a bone age near the end of growth.
                    let slow = days >= 170 && grow % 2 == 0;
                    height += f64::from(days) / 365.0 * if slow { 1.0 } else { 6.0 };
                    let typed = match slip { Some(0) => weight * 10.0, Some(1) => weight / 10.0, Some(_) => weight * 2.2046, None => weight };
                    let confirm = slip == Some(2) && days % 2 == 0;
                    let mut a = vec![s("titrate"), s("--weight-kg"), s((typed * 10.0).round() / 10.0),
                        s("--height-cm"), s((height * 10.0).round() / 10.0), s("--as-of"), s(date)];
                    if let Some(x) = igf1 {
                        a.extend([s("--igf1-sds"), s(x), s("--igf1-date"), s(date)]);
                    }
                    if slow && days % 3 != 0 {
                        a.extend([s("--bone-age-years"), s("16.5")]);
                    }
                    if confirm {
                        // A real, extreme value confirmed: dosed on it.
                        a.extend([s("--confirm"), s("weight")]);
                    }
                    a
                }
                Step::Papilledema { days } => {
                    date = date + chrono::Days::new(u64::from(days));
                    vec![s("titrate"), s("--weight-kg"), s(weight), s("--symptom"), s("papilledema"), s("--as-of"), s(date)]
                }
                Step::Void => {
                    let lines = std::fs::read_to_string(&rec).unwrap().lines().count();
                    vec![s("record"), s("void"), r.clone(), s("--line"), s(lines), s("--reason"), s("entered in error"), s("--as-of"), s(date)]
                }
                Step::Restart { days, to } => {
                    date = date + chrono::Days::new(u64::from(days));
                    let mut a = start(PRODUCTS[to], weight, height, date);
                    a.insert(1, s("--signs-resolved"));
                    a
                }
                Step::Switch { days, to } => {
                    date = date + chrono::Days::new(u64::from(days));
                    let to = PRODUCTS[to];
                    if molecule(to) != molecule(&model.product) || model.stopped {
                        // Another molecule (or after a stop) is a start.
                        let mut a = start(to, weight, height, date);
                        if model.stopped {
                            a.insert(1, s("--signs-resolved"));
                        }
                        a
                    } else {
                        vec![s("titrate"), s("--weight-kg"), s(weight), s("--product"), s(to), s("--as-of"), s(date)]
                    }
                }
            };
            let mut args = args;
            if args[0] == "titrate" && !args.iter().any(|a| a == "--record") {
                let weekly_product = !matches!(molecule(&model.product), "somatropin")
                    || args.windows(2).any(|w| w[0] == "--product" && molecule(&w[1]) != "somatropin");
                if weekly_product {
                    args.extend([s("--last-injection"), s(date - chrono::Days::new(4))]);
                }
                args.extend([s("--record"), r.clone(), s("--format"), s("json")]);
            }
            let (code, v, err) = call(&args);
            let after = std::fs::read(&rec).unwrap();
            if code != 0 && code != 4 {
                prop_assert!(before == after, "a refused visit (exit {}) changed the record: {:?}: {}", code, args, err);
                continue;
            }
            checks_out(&rec).map_err(TestCaseError::fail)?;
            if args[0] == "record" {
                // A void of the last visit: the model as it was before it.
                let voided: usize = args[4].parse().unwrap();
                if let Some((_, m)) = before_line.iter().rev().find(|(l, _)| *l == voided) {
                    model = m.clone();
                }
                last = None;
                continue;
            }
            last = Some(args.clone());
            if before != after {
                let line = String::from_utf8_lossy(&after).lines().count();
                before_line.push((line, model.clone()));
            }
            let rcm = &v["recommendation"];
            let action = rcm["action"].as_str().unwrap_or_default().to_string();
            if args[0] == "start" {
                let product = args.windows(2).find(|w| w[0] == "--product").map(|w| w[1].clone()).unwrap_or_default();
                if action == "start" {
                    // A restart after a stop for papilledema on the same
                    // molecule is lower than the dose before the stop.
                    if let (Some((before, m)), Some(g)) = (&model.before_stop, weekly(&v))
                        && *m == molecule(&product)
                    {
                        prop_assert!(g < *before, "{:?}: restart at {} is not below {} before the stop", args, g, before);
                    }
                    model = Model { product, given: weekly(&v), ..Model::default() };
                }
                continue;
            }
            if let Some(p) = args.windows(2).find(|w| w[0] == "--product").map(|w| w[1].clone()) {
                model.product = p;
            }
            if action == "stop" {
                model.stopped = true;
                if args.iter().any(|a| a == "papilledema") {
                    model.before_stop = model.given.map(|g| (g, s(molecule(&model.product))));
                }
                prop_assert!(rcm["dose"].is_null());
                continue;
            }
            let Some(now) = rcm["current_dose"]["mg_per_week"].as_f64() else { continue };
            let given = weekly(&v);
            // The word matches the delivered change.
            match (action.as_str(), given) {
                ("increase", Some(g)) => prop_assert!(g > now, "{:?}: increase to {} from {}", args, g, now),
                ("decrease", Some(g)) => prop_assert!(g < now, "{:?}: decrease to {} from {}", args, g, now),
                ("maintain", Some(g)) => prop_assert!((g - now).abs() < 1e-9, "{:?}: maintain gives {} not {}", args, g, now),
                ("recheck", _) => prop_assert!(rcm["dose"].is_null()),
                _ => {}
            }
            let flags: Vec<String> = v["flags"].as_array().map(|f| f.iter().map(|x| s(x["code"].as_str().unwrap_or_default())).collect()).unwrap_or_default();
            let sds = v["patient"]["igf1_sds"].as_f64();
            // No increase at IGF-1 above the ceiling (+2 for children), nor
            // without an IGF-1 today while the record's latest one is above
            // it and no decrease followed.
            if sds.is_some_and(|x| x > 2.0) {
                prop_assert_ne!(action.as_str(), "increase", "{:?}", args);
            }
            // 22: near final height, no increase.
            if flags.iter().any(|f| f == "NEAR_FINAL_HEIGHT") {
                prop_assert_ne!(action.as_str(), "increase", "{:?}: near final height", args);
            }
            if sds.is_none() && model.unanswered.is_some_and(|(_, x)| x >= 2.0) {
                prop_assert_ne!(action.as_str(), "increase", "{:?}: the record's IGF-1 {:?} stands", args, model.unanswered);
            }
            if let Some(x) = sds {
                model.unanswered = Some((date, x));
            }
            if action == "decrease" {
                model.unanswered = None;
            }
            // A reduction for a high IGF-1 is not undone by growth.
            let kg = v["patient"]["weight_kg"].as_f64().unwrap_or(weight);
            if let (Some((reduced, then)), Some(g), "increase") = (model.reduction, given, action.as_str()) {
                let igf1_low = sds.is_some_and(|x| x < -1.0);
                if !igf1_low {
                    // The core keeps the reduction through later weight
                    // changes: its bound, to the microgram.
                    let bound = reduced * kg / then + 0.001;
                    prop_assert!(g <= bound, "{:?}: {} mg/week is above the reduced {} on {} kg (then {} kg): {}", args, g, reduced, kg, then, bound);
                }
            }
            if given.is_some() {
                model.given = given;
            }
            if action == "increase" && (flags.iter().any(|f| f == "IGF1_LOW_ON_TREATMENT") || sds.is_some_and(|x| x < -1.0)) {
                // A low IGF-1 is a reason to go past a reduction.
                model.reduction = None;
            }
            if action == "decrease" && flags.iter().any(|f| f == "IGF1_ABOVE_RANGE") {
                model.reduction = given.map(|g| (g, kg));
            }
        }
    }
}
