//! The guard's last word is on what the patient receives: the delivered dose
//! (pen, cartridge, strength, injections) inside every bound of the
//! decision; a rounding is never a decision (issue examples, end to end).

use crate::{codes, titrate};
use serde_json::Value;

fn delivered(v: &Value) -> (String, Option<f64>, Option<String>) {
    let r = &v["recommendation"];
    let d = &r["dose"]["deliverable"];
    (
        r["action"].as_str().unwrap().to_string(),
        d["mg_per_week"].as_f64(),
        d["device"].as_str().map(String::from),
    )
}

fn run(args: &[&str]) -> (i32, Value) {
    crate::run_json(args)
}

#[test]
fn skytrofa_after_a_reduction_never_delivers_the_weight_band_above_it() {
    let dir = tempfile::tempdir().unwrap();
    let rec = dir.path().join("s.jsonl");
    let r = rec.to_str().unwrap();
    let start = [
        "start",
        "--indication",
        "ghd",
        "--product",
        "skytrofa",
        "--sex",
        "male",
        "--birth-date",
        "2016-01-01",
        "--weight-kg",
        "30",
        "--height-cm",
        "130",
        "--as-of",
        "2026-01-10",
        "--record",
        r,
    ];
    let (code, v) = run(&start);
    assert_eq!(code, 0, "{v}");
    assert_eq!(delivered(&v).1, Some(7.6));
    // IGF-1 +3.5: two strengths down, 7.6 -> 5.2.
    let (code, v) = run(&[
        "titrate",
        "--weight-kg",
        "30.5",
        "--height-cm",
        "132",
        "--igf1-sds",
        "3.5",
        "--igf1-date",
        "2026-04-14",
        "--last-injection",
        "2026-04-10",
        "--as-of",
        "2026-04-14",
        "--record",
        r,
    ]);
    assert_eq!(code, 0, "{v}");
    assert_eq!(
        delivered(&v),
        ("decrease".into(), Some(5.2), Some("skytrofa-5.2".into()))
    );
    // Weight gain, no IGF-1: the 35-41.9 kg band's 9.1 mg is above the
    // reduced intensity on today's weight (5.2 x 36 / 30.5 = 6.138 mg); no
    // cartridge lies between 5.2 and 6.138: the current dose is kept.
    let (code, v) = run(&[
        "titrate",
        "--weight-kg",
        "36",
        "--height-cm",
        "136",
        "--last-injection",
        "2026-09-10",
        "--as-of",
        "2026-09-14",
        "--record",
        r,
    ]);
    assert_eq!(code, 0, "{v}");
    assert_eq!(
        delivered(&v),
        ("maintain".into(), Some(5.2), Some("skytrofa-5.2".into()))
    );
    assert_eq!(v["recommendation"]["dose"]["mg_per_week"], 5.2);
    assert!(v["recommendation"]["change"].is_null());
    let why = v["rationale"].to_string();
    assert!(why.contains("no presentation of Skytrofa gives a dose above the current 5.2 mg/week and at most 6.138 mg/week"), "{why}");
}

#[test]
fn skytrofa_with_a_prescribed_intensity_stays_at_or_below_it() {
    // 0.168 mg/kg/week on 40 kg is 6.72 mg: the band's 9.1 mg is not given.
    let (code, v) = titrate(&[
        "--indication",
        "ghd",
        "--product",
        "skytrofa",
        "--weight-kg",
        "40",
        "--prescribed-mg-per-kg-week",
        "0.168",
        "--current-mg-per-week",
        "6.3",
        "--age-years",
        "10",
        "--sex",
        "male",
        "--last-injection",
        "2026-11-18",
    ]);
    assert_eq!(code, 0, "{v}");
    assert_eq!(
        delivered(&v),
        ("maintain".into(), Some(6.3), Some("skytrofa-6.3".into()))
    );
}

#[test]
fn a_reduction_the_lowest_strength_cannot_give_is_a_recheck() {
    let (code, v) = titrate(&[
        "--indication",
        "ghd",
        "--product",
        "skytrofa",
        "--weight-kg",
        "14",
        "--current-mg-per-week",
        "3",
        "--age-years",
        "4",
        "--sex",
        "male",
        "--last-injection",
        "2026-11-18",
        "--igf1-sds",
        "2.5",
        "--igf1-date",
        "2026-11-22",
        "--last-dose-change",
        "2026-06-01",
    ]);
    assert_eq!(code, 0, "{v}");
    assert_eq!(v["recommendation"]["action"], "recheck");
    assert!(v["recommendation"]["dose"].is_null());
    let c = codes(&v);
    assert!(c.contains(&"IGF1_ABOVE_RANGE".to_string()), "{c:?}");
    assert!(c.contains(&"NO_DELIVERABLE_DOSE".to_string()), "{c:?}");
}

#[test]
fn an_increase_no_pen_dials_inside_its_bound_is_a_maintain() {
    // 0.7 mg/day at 29 kg, now 32 kg: the same intensity is 0.772 mg/day;
    // HumatroPen's next step above 0.7 is 0.8, beyond it: the current dose.
    let (code, v) = titrate(&[
        "--indication",
        "ghd",
        "--product",
        "humatrope",
        "--weight-kg",
        "32",
        "--previous-weight-kg",
        "29",
        "--current-mg-per-day",
        "0.7",
        "--age-years",
        "10",
        "--sex",
        "male",
    ]);
    assert_eq!(code, 0, "{v}");
    let (action, week, _) = delivered(&v);
    assert_eq!((action.as_str(), week), ("maintain", Some(4.9)));
    assert_eq!(
        v["recommendation"]["dose"]["deliverable"]["mg_per_injection"],
        0.7
    );
    assert!(!codes(&v).contains(&"DEVICE_CANNOT_DELIVER".to_string()));
}

#[test]
fn a_maintain_keeps_the_current_dose_a_presentation_gives() {
    // Ngenla 16.8 mg/week with IGF-1 +1.0: not the 60 mg pen's 16.5 step (a
    // decrease by rounding). No Ngenla pen gives 16.8 mg in one injection
    // (24 mg pen: 0.2-12 mg; the label splits only above 30 mg): the dose is
    // kept as it is, with DEVICE_CANNOT_DELIVER for the pharmacist.
    let (code, v) = titrate(&[
        "--indication",
        "ghd",
        "--product",
        "ngenla",
        "--weight-kg",
        "25.5",
        "--current-mg-per-week",
        "16.8",
        "--age-years",
        "10",
        "--sex",
        "male",
        "--last-injection",
        "2026-11-18",
        "--igf1-sds",
        "1.0",
        "--igf1-date",
        "2026-11-22",
        "--last-dose-change",
        "2026-06-01",
    ]);
    assert_eq!(code, 0, "{v}");
    assert_eq!(v["recommendation"]["action"], "maintain");
    assert_eq!(v["recommendation"]["dose"]["mg_per_week"], 16.8);
    assert!(v["recommendation"]["dose"]["deliverable"].is_null());
    assert!(v["recommendation"]["change"].is_null());
    assert!(codes(&v).contains(&"DEVICE_CANNOT_DELIVER".to_string()));
    // A daily pen that gives the current dose keeps it (1 mg on FlexPro 10).
    let (code, v) = titrate(&[
        "--indication",
        "ghd",
        "--product",
        "norditropin",
        "--weight-kg",
        "32",
        "--current-mg-per-day",
        "1.0",
        "--age-years",
        "10",
        "--sex",
        "male",
        "--igf1-sds",
        "0.5",
        "--igf1-date",
        "2026-11-22",
        "--last-dose-change",
        "2026-06-01",
        "--previous-weight-kg",
        "32",
    ]);
    assert_eq!(code, 0, "{v}");
    let (action, week, _) = delivered(&v);
    assert_eq!((action.as_str(), week), ("maintain", Some(7.0)));
    assert_eq!(
        v["recommendation"]["dose"]["deliverable"]["mg_per_injection"],
        1.0
    );
}

#[test]
fn a_change_smaller_than_a_dose_step_is_a_maintain() {
    // 1 mg/day on FlexPro 10 (0.05 mg steps), 32 -> 32.8 kg: +0.025 mg a day
    // is less than one step: the dose and the pen are kept.
    let (code, v) = titrate(&[
        "--indication",
        "ghd",
        "--product",
        "norditropin",
        "--device",
        "flexpro-10",
        "--weight-kg",
        "32.8",
        "--previous-weight-kg",
        "32",
        "--current-mg-per-day",
        "1.0",
        "--age-years",
        "10",
        "--sex",
        "male",
    ]);
    assert_eq!(code, 0, "{v}");
    assert_eq!(
        delivered(&v),
        ("maintain".into(), Some(7.0), Some("flexpro-10".into()))
    );
    let why = v["rationale"].to_string();
    assert!(
        why.contains("smaller than one dose step (0.05 mg per injection): maintain"),
        "{why}"
    );
}

#[test]
fn an_increase_below_the_range_stays_on_a_pen_with_steps() {
    // A prescribed intensity below the Turner range: the increase is the
    // FlexPro step inside the bound, never an unrounded dose on FlexPro 30.
    let (code, v) = titrate(&[
        "--indication",
        "turner",
        "--product",
        "norditropin",
        "--age-years",
        "9",
        "--weight-kg",
        "26.5",
        "--current-mg-per-week",
        "4.025",
        "--prescribed-mg-per-kg-week",
        "0.25",
    ]);
    assert_eq!(code, 0, "{v}");
    let d = &v["recommendation"]["dose"]["deliverable"];
    assert_eq!(v["recommendation"]["action"], "increase");
    assert_ne!(d["device"], "flexpro-30");
    assert_eq!(d["mg_per_injection"], 0.925);
    assert!(!codes(&v).contains(&"NO_DEVICE_ROUNDING".to_string()));
    // A typed pen whose next step is inside the bound gives it.
    let (code, v) = titrate(&[
        "--indication",
        "ghd",
        "--product",
        "norditropin",
        "--device",
        "flexpro-10",
        "--age-years",
        "9",
        "--weight-kg",
        "33",
        "--previous-weight-kg",
        "30",
        "--current-mg-per-day",
        "0.75",
    ]);
    assert_eq!(code, 0, "{v}");
    let d = &v["recommendation"]["dose"]["deliverable"];
    assert_eq!(
        (d["device"].as_str(), d["mg_per_injection"].as_f64()),
        (Some("flexpro-10"), Some(0.8))
    );
}

#[test]
fn a_start_takes_a_pen_step_inside_the_range_over_a_closer_one_below_it() {
    // Humatrope Turner at 22 kg: HumatroPen 6 gives 1.1 mg (inside
    // 0.33-0.375 mg/kg/week), not 1.0 mg on HumatroPen 12 below the range.
    let (code, v) = crate::json(&[
        "start",
        "--indication",
        "turner",
        "--product",
        "humatrope",
        "--weight-kg",
        "22",
        "--age-years",
        "8",
    ]);
    assert_eq!(code, 0, "{v}");
    let d = &v["recommendation"]["dose"]["deliverable"];
    assert_eq!(
        (d["device"].as_str(), d["mg_per_injection"].as_f64()),
        (Some("humatropen-6"), Some(1.1))
    );
    assert!(!codes(&v).contains(&"ROUNDED_OUTSIDE_RANGE".to_string()));
}

#[test]
fn thirty_mg_of_ngenla_is_one_injection_of_the_60_mg_pen() {
    // The label splits only above 30 mg: the pen's top step is given whole.
    for device in [None, Some("ngenla-60")] {
        let mut args = vec![
            "--indication",
            "ghd",
            "--product",
            "ngenla",
            "--age-years",
            "13",
            "--weight-kg",
            "56",
            "--previous-weight-kg",
            "51",
            "--current-mg-per-week",
            "28",
            "--last-injection",
            "2026-11-18",
        ];
        if let Some(d) = device {
            args.extend(["--device", d]);
        }
        let (code, v) = titrate(&args);
        assert_eq!(code, 0, "{v}");
        let d = &v["recommendation"]["dose"]["deliverable"];
        assert_eq!(
            (
                d["device"].as_str(),
                d["mg_per_injection"].as_f64(),
                d["injections_per_dose"].as_u64()
            ),
            (Some("ngenla-60"), Some(30.0), Some(1))
        );
    }
}

#[test]
fn an_eu_prader_willi_course_is_titrated_at_its_label_dose() {
    // The EU label's 0.035 mg/kg/day (0.245 mg/kg/week) is above the
    // generic 0.24 ceiling: the record the start wrote is titrated, not
    // refused as a slip of the previous weight.
    let dir = tempfile::tempdir().unwrap();
    let rec = dir.path().join("pws.jsonl");
    let r = rec.to_str().unwrap();
    let (code, v) = run(&[
        "start",
        "--indication",
        "pws",
        "--product",
        "genotropin",
        "--region",
        "eu",
        "--sex",
        "female",
        "--birth-date",
        "2017-02-01",
        "--weight-kg",
        "30",
        "--height-cm",
        "130",
        "--as-of",
        "2026-01-05",
        "--record",
        r,
    ]);
    assert_eq!(code, 0, "{v}");
    assert_eq!(v["recommendation"]["dose"]["mg_per_week"], 7.35);
    let (code, v) = run(&[
        "titrate",
        "--weight-kg",
        "31",
        "--height-cm",
        "132",
        "--as-of",
        "2026-04-05",
        "--record",
        r,
    ]);
    assert_eq!(code, 0, "{v}");
    assert_eq!(v["recommendation"]["action"], "increase");
    assert_eq!(v["recommendation"]["dose"]["mg_per_week"], 7.595);
}

#[test]
fn a_high_igf1_on_record_not_acted_on_blocks_an_increase_until_it_is_repeated() {
    // Skytrofa at its lowest strength: IGF-1 +2.5 and +4.5 could not be
    // acted on (rechecks); a visit without IGF-1 and weight gain does not
    // go up while that result stands.
    let dir = tempfile::tempdir().unwrap();
    let rec = dir.path().join("sky.jsonl");
    let r = rec.to_str().unwrap();
    let (code, v) = run(&[
        "start",
        "--indication",
        "ghd",
        "--product",
        "skytrofa",
        "--sex",
        "male",
        "--birth-date",
        "2022-01-01",
        "--weight-kg",
        "13",
        "--height-cm",
        "90",
        "--as-of",
        "2026-01-05",
        "--record",
        r,
    ]);
    assert_eq!(code, 0, "{v}");
    for (w, h, s, d, inj) in [
        ("13.5", "92", "2.5", "2026-03-06", "2026-03-02"),
        ("14", "94", "4.5", "2026-03-20", "2026-03-16"),
    ] {
        let (code, v) = run(&[
            "titrate",
            "--weight-kg",
            w,
            "--height-cm",
            h,
            "--igf1-sds",
            s,
            "--igf1-date",
            d,
            "--last-injection",
            inj,
            "--as-of",
            d,
            "--record",
            r,
        ]);
        assert_eq!(
            (code, v["recommendation"]["action"].as_str()),
            (0, Some("recheck")),
            "{v}"
        );
    }
    let (code, v) = run(&[
        "titrate",
        "--weight-kg",
        "15",
        "--height-cm",
        "96",
        "--last-injection",
        "2026-06-01",
        "--as-of",
        "2026-06-05",
        "--record",
        r,
    ]);
    assert_eq!(code, 0, "{v}");
    assert_eq!(
        delivered(&v),
        ("maintain".into(), Some(3.0), Some("skytrofa-3".into()))
    );
    let why = v["rationale"].to_string();
    assert!(why.contains("the record's latest IGF-1 (SDS +4.5, sampled 2026-03-20, line 3) is at or above the ceiling +2 and no decrease followed it: no increase until it is repeated"), "{why}");
    // Repeated today and in range: the weight band applies again.
    let (code, v) = run(&[
        "titrate",
        "--weight-kg",
        "15",
        "--height-cm",
        "96",
        "--igf1-sds",
        "0.5",
        "--igf1-date",
        "2026-06-19",
        "--last-injection",
        "2026-06-15",
        "--as-of",
        "2026-06-19",
        "--record",
        r,
    ]);
    assert_eq!(code, 0, "{v}");
    assert_ne!(v["recommendation"]["action"], "recheck");
}

#[test]
fn a_high_igf1_never_acted_on_is_not_outgrown_by_time() {
    // IGF-1 +4.5 at the lowest Skytrofa strength (a recheck), then a visit
    // four months later without a sample: still no increase.
    let dir = tempfile::tempdir().unwrap();
    let rec = dir.path().join("g.jsonl");
    let r = rec.to_str().unwrap();
    let (code, v) = run(&[
        "start",
        "--indication",
        "ghd",
        "--product",
        "skytrofa",
        "--sex",
        "female",
        "--birth-date",
        "2022-01-01",
        "--weight-kg",
        "13",
        "--height-cm",
        "90",
        "--as-of",
        "2026-01-05",
        "--record",
        r,
    ]);
    assert_eq!(code, 0, "{v}");
    let (code, v) = run(&[
        "titrate",
        "--weight-kg",
        "14",
        "--height-cm",
        "94",
        "--igf1-sds",
        "4.5",
        "--igf1-date",
        "2026-03-20",
        "--last-injection",
        "2026-03-16",
        "--as-of",
        "2026-03-20",
        "--record",
        r,
    ]);
    assert_eq!(
        (code, v["recommendation"]["action"].as_str()),
        (0, Some("recheck"))
    );
    let (code, v) = run(&[
        "titrate",
        "--weight-kg",
        "16.6",
        "--height-cm",
        "98",
        "--last-injection",
        "2026-07-26",
        "--as-of",
        "2026-07-29",
        "--record",
        r,
    ]);
    assert_eq!(code, 0, "{v}");
    assert_eq!(
        delivered(&v),
        ("maintain".into(), Some(3.0), Some("skytrofa-3".into()))
    );
}

#[test]
fn a_dose_given_below_the_range_says_so() {
    // 1.198 mg a day is within the Turner range; a change smaller than one
    // FlexPro 10 step keeps 1.15 mg, which is below it: flagged.
    let (code, v) = titrate(&[
        "--indication",
        "turner",
        "--product",
        "norditropin",
        "--device",
        "flexpro-10",
        "--weight-kg",
        "25",
        "--previous-weight-kg",
        "24",
        "--current-mg-per-week",
        "8.05",
        "--igf1-sds",
        "0.5",
        "--age-years",
        "11",
        "--igf1-date",
        "2026-11-22",
    ]);
    assert_eq!(code, 0, "{v}");
    assert_eq!(v["recommendation"]["action"], "maintain");
    assert!(
        codes(&v).contains(&"DOSE_BELOW_RANGE".to_string()),
        "{:?}",
        codes(&v)
    );
    assert!(
        v["rationale"]
            .to_string()
            .contains("is below the range's minimum")
    );
}

#[test]
fn the_records_cartridge_does_not_hold_the_search_to_its_strength() {
    // On 3.6 mg cartridges, within 0.17 mg/kg/week at 36.5 kg (6.205 mg):
    // the 5.2 mg strength is given, the 3.6 mg one is no limit of the search.
    let (code, v) = titrate(&[
        "--indication",
        "ghd",
        "--product",
        "skytrofa",
        "--device",
        "skytrofa-3.6",
        "--weight-kg",
        "36.5",
        "--current-mg-per-week",
        "3.6",
        "--prescribed-mg-per-kg-week",
        "0.17",
        "--age-years",
        "10",
        "--sex",
        "male",
        "--last-injection",
        "2026-11-18",
    ]);
    assert_eq!(code, 0, "{v}");
    assert_eq!(
        delivered(&v),
        ("increase".into(), Some(5.2), Some("skytrofa-5.2".into()))
    );
}

/// An adult on Humatrope at 0.8 mg/day with IGF-1 +2.5 (a 0.1 mg/day step
/// down), on the presentation typed.
fn adult_humatrope(device: Option<&str>) -> (i32, Value) {
    let mut a = vec![
        "--indication",
        "adult-ghd",
        "--age-years",
        "40",
        "--sex",
        "female",
        "--weight-kg",
        "70",
        "--product",
        "humatrope",
        "--current-mg-per-day",
        "0.8",
        "--igf1-sds",
        "2.5",
        "--last-dose-change",
        "2026-06-01",
    ];
    if let Some(d) = device {
        a.extend(["--device", d]);
    }
    titrate(&a)
}

#[test]
fn a_coarse_pen_never_makes_a_step_a_larger_decision() {
    // On the finest pen the step is given as decided: 0.7 mg/day.
    let (code, v) = adult_humatrope(None);
    assert_eq!(code, 0);
    assert_eq!(
        delivered(&v),
        ("decrease".into(), Some(4.9), Some("humatropen-6".into()))
    );
    // HumatroPen 24 (0.4 mg steps) would give 0.4 mg/day, -50 %: beyond one
    // step (0.1 mg) of the finest presentation from the target. Recheck,
    // naming the pen that gives it.
    let (code, v) = adult_humatrope(Some("humatropen-24"));
    assert_eq!(code, 0);
    assert_eq!(delivered(&v), ("recheck".into(), None, None));
    assert!(v["recommendation"]["dose"].is_null());
    assert_eq!(v["recommendation"]["current_dose"]["mg_per_week"], 5.6);
    assert!(codes(&v).contains(&"NO_DELIVERABLE_DOSE".to_string()));
    let why = v["rationale"].to_string();
    assert!(
        why.contains("no HumatroPen with 24 mg cartridge (8 mg/mL) gives a dose at most 5.6 mg/week (the current dose: IGF-1 at or above the ceiling), below the current 5.6 mg/week and at least 4.2 mg/week (the target less one step of the finest presentation: a rounding is not a decision); HumatroPen with 6 mg cartridge (2 mg/mL) gives 0.7 mg per injection (4.9 mg/week) inside them: recheck (nothing is changed)"),
        "{why}"
    );
    assert!(
        why.contains("first rounding: 2.8 mg/week on HumatroPen with 24 mg cartridge"),
        "{why}"
    );
    // HumatroPen 12 (0.2 mg steps) gives 0.6 mg/day: one finest step from
    // the target, inside the bound.
    let (_, v) = adult_humatrope(Some("humatropen-12"));
    assert_eq!(
        delivered(&v),
        ("decrease".into(), Some(4.2), Some("humatropen-12".into()))
    );
}
