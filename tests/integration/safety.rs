//! Each example of the safety review, reproduced end to end: the command a
//! clinician would type and what must come back. `docs/safety.md` maps the
//! invariants to these rows and to the property tests.
//!
//! Expectations: `exit=N`, `err~TEXT` (stderr contains), `action=WORD`,
//! `+FLAG` / `-FLAG` (raised / not raised), `/json/pointer=VALUE`,
//! `why~TEXT` / `!why~TEXT` (a rationale line contains / none contains).

use super::{codes, fails, json};
use serde_json::Value;

const AS_OF: &str = "--as-of 2026-11-22";
/// A Sogroya sample on day 3 after the injection (in its window).
const SOGROYA_DAY_3: &str = "--igf1-date 2026-11-20 --last-injection 2026-11-17";
/// An Ngenla or Skytrofa sample on day 4 after the injection.
const WEEKLY_DAY_4: &str = "--igf1-date 2026-11-20 --last-injection 2026-11-16";

struct Case {
    name: &'static str,
    args: String,
    expect: &'static [&'static str],
}

fn case(name: &'static str, args: &str, expect: &'static [&'static str]) -> Case {
    let args = args
        .replace("$SOGROYA_DAY_3", SOGROYA_DAY_3)
        .replace("$WEEKLY_DAY_4", WEEKLY_DAY_4);
    Case { name, args, expect }
}

fn cases() -> Vec<Case> {
    vec![
        // Invariant 1: IGF-1 above the ceiling never gives an increase.
        case(
            "child above +2: 15 % from the current dose",
            "titrate --indication ghd --weight-kg 26 --age-years 9 --current-mg-per-week 6 --previous-weight-kg 25 --igf1-sds 2.5",
            &[
                "action=decrease",
                "/recommendation/dose/mg_per_week=5.1",
                "+IGF1_ABOVE_RANGE",
                "-SAFETY_CHECK",
            ],
        ),
        case(
            "adult at the ceiling: maintain, not up",
            "titrate --indication adult-ghd --age-years 40 --sex male --current-mg-per-day 0.3 --igf1-sds 2.0",
            &["action=maintain", "/recommendation/dose/mg_per_week=2.1"],
        ),
        case(
            "high IGF-1 soon after a change may decrease",
            "titrate --indication adult-ghd --age-years 40 --sex male --current-mg-per-day 0.3 --igf1-sds 2.5 --last-dose-change 2026-11-10 --igf1-date 2026-11-20",
            &[
                "action=decrease",
                "/recommendation/dose/mg_per_injection=0.2",
            ],
        ),
        // Invariant 2: the action word matches the change; rounding follows it.
        case(
            "Ngenla decrease is a decrease after rounding",
            "titrate --indication ghd --weight-kg 30 --age-years 10 --product ngenla --current-mg-per-week 19.8 --igf1-sds 2.5 $WEEKLY_DAY_4",
            &[
                "action=decrease",
                "/recommendation/dose/deliverable/mg_per_week=17.0",
                "/recommendation/change/percent=-14.1",
            ],
        ),
        case(
            "MiniQuick 0.6 -> 0.5 rounds down to 0.4, not back to 0.6",
            "titrate --indication adult-ghd --age-years 40 --sex male --product genotropin --device genotropin-miniquick --current-mg-per-day 0.6 --igf1-sds 2.5",
            &[
                "action=decrease",
                "/recommendation/dose/deliverable/mg_per_injection=0.4",
            ],
        ),
        case(
            "a device that cannot go lower names one that can",
            "titrate --indication adult-ghd --age-years 40 --sex male --product genotropin --device genotropin-miniquick --current-mg-per-day 0.2 --igf1-sds 2.5",
            &[
                "exit=2",
                "err~cannot deliver 0.1 mg below the current 0.2 mg",
                "err~genotropin-pen-5 can",
            ],
        ),
        // Invariant 3: no dose above a limit, on any route.
        case(
            "previous weight 2.5 typed for 25 kg is refused",
            "titrate --indication ghd --weight-kg 26 --age-years 9 --current-mg-per-week 6 --previous-weight-kg 2.5",
            &[
                "exit=2",
                "err~--weight-kg 26 kg is 10.4 times the previous 2.5 kg",
                "err~or the previous weight tenfold (25 kg)",
            ],
        ),
        case(
            "PWS derived intensity brought down to the range",
            "titrate --indication pws --weight-kg 60 --age-years 15 --region US --current-mg-per-day 2.5 --igf1-sds 0",
            &[
                "action=decrease",
                "/recommendation/dose/mg_per_kg_per_week=0.24",
            ],
        ),
        case(
            "PWS EU cap applied in titrate",
            "titrate --indication pws --weight-kg 90 --age-years 15 --region EU --product genotropin --current-mg-per-day 2.7 --prescribed-mg-per-kg-week 0.24 --igf1-sds 0",
            &[
                "action=maintain",
                "/recommendation/dose/mg_per_injection=2.7",
                "+DOSE_CAPPED",
                "+PWS_EU_DAILY_CAP",
            ],
        ),
        case(
            "PWS EU cap applied at start",
            "start --indication pws --weight-kg 80 --age-years 15 --region EU --product genotropin",
            &[
                "/recommendation/dose/mg_per_injection=2.7",
                "+DOSE_CAPPED",
                "+PWS_EU_DAILY_CAP",
            ],
        ),
        case(
            "PWS EU cap not raised for a US prescription",
            "start --indication pws --weight-kg 80 --age-years 15 --region US",
            &[
                "/recommendation/dose/mg_per_week=19.2",
                "-DOSE_CAPPED",
                "-PWS_EU_DAILY_CAP",
            ],
        ),
        case(
            "Saizen label maximum in titrate",
            "titrate --indication ghd --weight-kg 30 --age-years 10 --product saizen --current-mg-per-week 9 --prescribed-mg-per-kg-week 0.3 --igf1-sds 0",
            &[
                "action=decrease",
                "/recommendation/dose/mg_per_week=5.4",
                "+DOSE_CAPPED",
                "+DOSE_ABOVE_RANGE",
            ],
        ),
        case(
            "Nutropin pubertal maximum 0.7 is allowed",
            "titrate --indication ghd --weight-kg 30 --age-years 14 --pubertal --product nutropin-aq --current-mg-per-week 21 --prescribed-mg-per-kg-week 0.7 --igf1-sds 0",
            &[
                "action=maintain",
                "/recommendation/dose/mg_per_week=21.0",
                "+PRODUCT_DISCONTINUED",
            ],
        ),
        case(
            "above the highest labelled intensity is refused",
            "titrate --indication ghd --weight-kg 30 --age-years 14 --pubertal --product nutropin-aq --current-mg-per-week 22 --prescribed-mg-per-kg-week 0.75 --igf1-sds 0",
            &["exit=2", "err~--prescribed-mg-per-kg-week", "err~up to 0.7"],
        ),
        case(
            "Humatrope Turner 0.45 is above its label",
            "titrate --indication turner --weight-kg 30 --age-years 10 --product humatrope --current-mg-per-week 13.5 --prescribed-mg-per-kg-week 0.45 --igf1-sds 0",
            &[
                "action=decrease",
                "/recommendation/dose/mg_per_kg_per_week=0.375",
                "+DOSE_ABOVE_RANGE",
                "+DOSE_CAPPED",
            ],
        ),
        case(
            "a prescribed intensity far from the current dose is refused",
            "titrate --indication ghd --weight-kg 43.8 --age-years 12 --current-mg-per-week 43.8 --prescribed-mg-per-kg-week 0.05 --igf1-sds 0",
            &[
                "exit=2",
                "err~--prescribed-mg-per-kg-week",
                "err~does not match the current 43.8 mg/week",
            ],
        ),
        // Invariant 4: a deliberate reduction is not undone.
        case(
            "Ngenla below 0.66 after a cut is kept, with DOSE_BELOW_RANGE",
            "titrate --indication ghd --weight-kg 30 --age-years 10 --product ngenla --current-mg-per-week 16.5 --igf1-sds 0 $WEEKLY_DAY_4",
            &[
                "action=maintain",
                "/recommendation/dose/deliverable/mg_per_week=16.5",
                "+DOSE_BELOW_RANGE",
            ],
        ),
        case(
            "Skytrofa between -2 and +2 keeps its strength",
            "titrate --indication ghd --weight-kg 30 --age-years 8 --product skytrofa --current-mg-per-week 6.3 --igf1-sds 0 $WEEKLY_DAY_4",
            &[
                "action=maintain",
                "/recommendation/dose/deliverable/device=skytrofa-6.3",
            ],
        ),
        case(
            "Skytrofa titration names its cartridge",
            "titrate --indication ghd --weight-kg 30 --age-years 8 --product skytrofa --current-mg-per-week 6.3 --igf1-sds -2.5 $WEEKLY_DAY_4",
            &[
                "action=increase",
                "/recommendation/dose/deliverable/device=skytrofa-7.6",
                "why~1 strength up",
            ],
        ),
        // Invariant 5: the same condition means the same thing at start and in titrate.
        case(
            "Sogroya severe hepatic impairment withholds the start",
            "start --indication adult-ghd --age-years 50 --sex male --product sogroya --condition hepatic-impairment-severe",
            &["exit=4", "action=withhold", "+SEVERE_HEPATIC_IMPAIRMENT"],
        ),
        case(
            "Sogroya severe hepatic impairment stops titration, no dose steps shown",
            "titrate --indication adult-ghd --age-years 50 --sex male --product sogroya --current-mg-per-week 1.5 --igf1-sds -1 --condition hepatic-impairment-severe $SOGROYA_DAY_3",
            &[
                "exit=4",
                "action=stop",
                "/recommendation/dose=null",
                "+SEVERE_HEPATIC_IMPAIRMENT",
                "!why~1.5 + 0.5",
            ],
        ),
        case(
            "Sogroya moderate hepatic impairment keeps the 4 mg maximum",
            "titrate --indication adult-ghd --age-years 50 --sex male --product sogroya --current-mg-per-week 3.8 --igf1-sds -1 --condition hepatic-impairment-moderate $SOGROYA_DAY_3",
            &[
                "/recommendation/dose/mg_per_week=4.0",
                "why~maximum 4 mg/week",
            ],
        ),
        case(
            "Sogroya EU: 60 years is '60 and older'",
            "start --indication adult-ghd --age-years 60 --sex male --product sogroya --region EU",
            &["/recommendation/dose/mg_per_week=1.0"],
        ),
        case(
            "Sogroya EU: 59.9 years is the standard start",
            "start --indication adult-ghd --age-years 59.9 --sex male --product sogroya --region EU",
            &["/recommendation/dose/mg_per_week=1.5"],
        ),
        case(
            "Sogroya US: 65 is not older than 65",
            "start --indication adult-ghd --age-years 65 --sex male --product sogroya --region US",
            &["/recommendation/dose/mg_per_week=1.5"],
        ),
        case(
            "Sogroya adult start: 2-4 week review",
            "start --indication adult-ghd --age-years 50 --sex male --product sogroya",
            &[
                "/recommendation/next_review/earliest=2026-12-06",
                "/recommendation/next_review/latest=2026-12-20",
            ],
        ),
        // Invariant 6: implausible inputs are refused, with the likely slip.
        case(
            "7 mg/day in a 26 kg child is a weekly dose typed per day",
            "titrate --indication ghd --weight-kg 26 --age-years 9 --current-mg-per-day 7",
            &["exit=2", "err~did you mean --current-mg-per-week 7"],
        ),
        case(
            "50 mg/day for an adult",
            "titrate --indication adult-ghd --age-years 50 --sex male --current-mg-per-day 50",
            &["exit=2", "err~outside the plausible 0.05-3 mg/day"],
        ),
        case(
            "0.3 mg/week for an adult is a daily dose typed per week",
            "titrate --indication adult-ghd --age-years 50 --sex male --current-mg-per-week 0.3",
            &["exit=2", "err~did you mean --current-mg-per-day 0.3"],
        ),
        case(
            "IGF-1 below -4: recheck",
            "titrate --indication ghd --weight-kg 25 --age-years 8 --current-mg-per-week 5 --igf1-sds -4.5",
            &[
                "action=recheck",
                "/recommendation/dose=null",
                "+UNUSUAL_INPUT",
            ],
        ),
        case(
            "IGF-1 above +4: a decrease with an early repeat",
            "titrate --indication ghd --weight-kg 25 --age-years 8 --current-mg-per-week 5 --igf1-sds 4.5",
            &[
                "action=decrease",
                "/recommendation/next_review/earliest=2026-11-29",
                "/recommendation/next_review/latest=2026-12-06",
                "+UNUSUAL_INPUT",
            ],
        ),
        case(
            "a chosen intensity below the range",
            "start --indication ghd --weight-kg 25 --age-years 8 --mg-per-kg-week 0.1",
            &["/recommendation/dose/mg_per_week=2.5", "+DOSE_BELOW_RANGE"],
        ),
        case(
            "--mg-per-kg-day is converted x7",
            "start --indication ghd --weight-kg 25 --age-years 8 --mg-per-kg-day 0.03",
            &[
                "/recommendation/dose/mg_per_kg_per_week=0.21",
                "-DOSE_BELOW_RANGE",
            ],
        ),
        case(
            "--weight is not steered to --weight-lb",
            "start --indication ghd --weight 25",
            &["exit=2", "err~--weight-kg", "err~--weight-lb"],
        ),
        case(
            "--height is not steered to --height-in",
            "start --indication ghd --weight-kg 25 --height 120",
            &["exit=2", "err~--height-cm", "err~--height-in"],
        ),
        // Invariant 7: pediatric indications are not dosed in adults.
        case(
            "ghd at 45 years is refused",
            "start --indication ghd --weight-kg 70 --age-years 45",
            &["exit=2", "err~use adult-ghd", "err~transition"],
        ),
        // Invariant 8: stale or too-short measurements do not drive a change.
        case(
            "a 7-month-old IGF-1 does not titrate",
            "titrate --indication ghd --weight-kg 25 --age-years 8 --current-mg-per-week 5 --igf1-sds -0.5 --igf1-date 2026-05-01",
            &["action=maintain", "+IGF1_STALE"],
        ),
        case(
            "heights two weeks apart are not annualised",
            "titrate --indication ghd --weight-kg 25 --age-years 7 --current-mg-per-week 5 --igf1-sds 0 --height-cm 120 --previous-height-cm 120 --previous-height-date 2026-11-08",
            &[
                "action=maintain",
                "-NEAR_FINAL_HEIGHT",
                "/patient/height_velocity_cm_per_year=null",
                "why~too close to annualise",
            ],
        ),
        // Invariant 9: reviews follow the decision.
        case(
            "adult decrease: the after-change review",
            "titrate --indication adult-ghd --age-years 40 --sex male --current-mg-per-day 0.6 --igf1-sds 2.5",
            &[
                "action=decrease",
                "/recommendation/next_review/earliest=2026-12-20",
            ],
        ),
        // Also wrong before.
        case(
            "90 days of 0.15 mg/day on FlexPro 5 needs 4 pens (28 days in use)",
            "start --indication ghd --weight-kg 20 --age-years 8 --product norditropin --device flexpro-5 --supply-days 90 --mg-per-kg-week 0.0525",
            &[
                "/recommendation/supply/devices=4",
                "/recommendation/supply/doses_per_device=28",
            ],
        ),
        case(
            "a plain headache warns",
            "titrate --indication ghd --weight-kg 20 --age-years 8 --current-mg-per-week 4.8 --igf1-sds 0 --symptom headache",
            &[
                "exit=0",
                "action=maintain",
                "+HEADACHE",
                "-INTRACRANIAL_HYPERTENSION",
            ],
        ),
        case(
            "a severe headache stops",
            "titrate --indication ghd --weight-kg 20 --age-years 8 --current-mg-per-week 4.8 --igf1-sds 0 --symptom severe-headache",
            &["exit=4", "action=stop", "+INTRACRANIAL_HYPERTENSION"],
        ),
        case(
            "PWS with new snoring: hold",
            "titrate --indication pws --weight-kg 20 --age-years 8 --current-mg-per-week 4.8 --igf1-sds 0 --symptom snoring",
            &[
                "exit=4",
                "action=stop",
                "+PWS_AIRWAY_SYMPTOMS",
                "/recommendation/dose=null",
            ],
        ),
        case(
            "benzyl alcohol under 1 year",
            "start --indication ghd --weight-kg 5 --age-years 0.5 --product omnitrope --device omnitrope-pen-5",
            &["+BENZYL_ALCOHOL", "why~under 1 year"],
        ),
        case(
            "a discontinued product",
            "start --indication ghd --weight-kg 25 --age-years 8 --product nutropin-aq",
            &["+PRODUCT_DISCONTINUED"],
        ),
        case(
            "a weekly product needs an age",
            "start --indication ghd --weight-kg 25 --product skytrofa",
            &[
                "exit=2",
                "err~--age-years or --birth-date is required for skytrofa",
                "err~from 1 year",
            ],
        ),
        case(
            "adult IGF-1 below -2: the flag and the increase agree",
            "titrate --indication adult-ghd --age-years 40 --sex male --current-mg-per-day 0.3 --igf1-sds -2.5",
            &[
                "action=increase",
                "+IGF1_LOW_ON_TREATMENT",
                "/recommendation/dose/mg_per_injection=0.5",
            ],
        ),
    ]
}

fn pointer_text(v: &Value) -> String {
    match v {
        Value::String(s) => s.clone(),
        other => other.to_string(),
    }
}

fn check(c: &Case) -> Vec<String> {
    let args: Vec<&str> = c.args.split_whitespace().collect();
    let mut problems = Vec::new();
    if c.expect.contains(&"exit=2") {
        let mut all = args.clone();
        all.extend(AS_OF.split_whitespace());
        let (code, err) = fails(&all);
        if code != 2 {
            problems.push(format!("exit {code}, expected 2: {err}"));
        }
        for e in c.expect.iter().filter_map(|e| e.strip_prefix("err~")) {
            if !err.contains(e) {
                problems.push(format!("stderr lacks {e:?}: {err}"));
            }
        }
        return problems;
    }
    let (code, v) = json(&args);
    let flags = codes(&v);
    let why: Vec<String> = v["rationale"]
        .as_array()
        .map(|a| a.iter().map(pointer_text).collect())
        .unwrap_or_default();
    for e in c.expect {
        let ok = if let Some(n) = e.strip_prefix("exit=") {
            code.to_string() == n
        } else if let Some(a) = e.strip_prefix("action=") {
            v["recommendation"]["action"] == a
        } else if let Some(f) = e.strip_prefix('+') {
            flags.iter().any(|x| x == f)
        } else if let Some(f) = e.strip_prefix('-') {
            !flags.iter().any(|x| x == f)
        } else if let Some(t) = e.strip_prefix("!why~") {
            !why.iter().any(|w| w.contains(t))
        } else if let Some(t) = e.strip_prefix("why~") {
            why.iter().any(|w| w.contains(t))
        } else if let Some((ptr, want)) = e.split_once('=') {
            v.pointer(ptr).map(pointer_text).as_deref() == Some(want)
        } else {
            false
        };
        if !ok {
            problems.push(format!(
                "{e} failed (exit {code}, action {}, flags {flags:?}, dose {}, why {why:?})",
                v["recommendation"]["action"], v["recommendation"]["dose"]
            ));
        }
    }
    problems
}

#[test]
fn every_example_of_the_safety_review_is_kept() {
    let failures: Vec<String> = cases()
        .iter()
        .flat_map(|c| {
            check(c)
                .into_iter()
                .map(move |p| format!("{}: {p}", c.name))
        })
        .collect();
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn the_expectation_language_rejects_what_it_does_not_know() {
    let c = case(
        "unknown",
        "start --indication turner --weight-kg 24",
        &["bogus"],
    );
    assert_eq!(check(&c).len(), 1);
}
