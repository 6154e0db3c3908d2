//! The walk-through and what titrate takes from the record: the
//! reduction kept, flags that override it (and those that do not), the pen.

use super::{first_two, lines, reduced, run, strs, why};
use crate::gh;
use serde_json::Value;
use std::path::Path;

#[test]
fn three_visits_start_reduce_for_a_high_igf1_then_keep_the_reduced_dose() {
    let dir = tempfile::tempdir().unwrap();
    let rec = first_two(dir.path());
    let r = rec.to_str().unwrap();
    // Visit 3: IGF-1 +1.0, same weight; no flag for the previous dose.
    let (code, v) = run(&[
        "titrate",
        "--weight-kg",
        "26",
        "--height-cm",
        "125",
        "--igf1-sds",
        "1.0",
        "--as-of",
        "2027-01-10",
        "--record",
        r,
    ]);
    assert_eq!(code, 0, "{v}");
    let rec_ = &v["recommendation"];
    assert_eq!(rec_["action"], "maintain", "{}", why(&v));
    assert_eq!(rec_["current_dose"]["mg_per_week"], 7.0);
    assert_eq!(rec_["dose"]["deliverable"]["mg_per_week"], 7.0);
    assert_eq!(v["product"]["id"], "norditropin");
    let why = why(&v);
    for said in [
        "from the visit record, line 2: indication turner; product norditropin; device flexpro-10; region US; current dose 1 mg/day (7 mg/week) since 2026-07-10; last dose change 2026-07-10 (decrease); weight 26 kg when the dose was set; previous height 122 cm on 2026-07-10\n",
        "from the visit record, line 1: treatment started 2026-01-10\n",
        "the dose was reduced on 2026-07-10 for IGF-1 SDS +2.6 (line 2): it is not raised back toward the dose before without a reason\n",
    ] {
        assert!(why.contains(said), "{said}\n{why}");
    }
    assert_eq!(v["patient"]["previous_weight_kg"], 26.0);
    assert_eq!(v["patient"]["treatment_start"], "2026-01-10");
    // The record holds three whole lines, each valid against the schema.
    let visits = lines(&rec);
    assert_eq!(visits.len(), 3);
    let schema: Value =
        serde_json::from_str(include_str!("../../../docs/schema/record.v1.json")).unwrap();
    for (i, line) in visits.iter().enumerate() {
        let problems = super::schema_check::validate(&schema, line);
        assert!(problems.is_empty(), "line {}: {problems:?}", i + 1);
    }
    assert_eq!(visits[0]["decision"]["action"], "start");
    assert_eq!(visits[1]["decision"]["reduced_for_igf1"], true);
    assert_eq!(visits[1]["igf1"]["sds"], 2.6);
    assert_eq!(visits[1]["igf1"]["method"], "reported");
    assert_eq!(visits[1]["dose_before"]["mg_per_week"], 8.05);
    assert_eq!(visits[1]["dose"]["device"], "flexpro-10");
    assert_eq!(visits[2]["decision"]["action"], "maintain");
    assert_eq!(visits[2]["dose"]["mg_per_week"], 7.0);
    assert_eq!(visits[2]["rules"]["version"], v["rules"]["version"]);
    assert_eq!(visits[2]["rules"]["sha256"], v["rules"]["sha256"]);
    assert_eq!(
        strs(&visits[2]["decision"]["from_record"]),
        [
            "sex",
            "birth_date",
            "indication",
            "product",
            "device",
            "region",
            "current_mg_per_week",
            "last_dose_change",
            "previous_weight_kg",
            "previous_height_cm",
            "treatment_start"
        ]
    );
    assert!(strs(&visits[2]["decision"]["overridden"]).is_empty());
    let out = gh(&["record", "check", r, "--format", "human"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0));
    let said = String::from_utf8(out.stdout).unwrap();
    assert!(
        said.ends_with(
            ": ok - 3 visits (2026-01-10 to 2027-01-10), female born 2018-03-01, record_version 1\n"
        ),
        "{said}"
    );
}

#[test]
fn growth_after_a_reduction_keeps_the_reduced_intensity_even_when_a_flag_asks_more() {
    let dir = tempfile::tempdir().unwrap();
    let rec = first_two(dir.path());
    let r = rec.to_str().unwrap();
    // 28 kg, and the intensity before the reduction typed again: the dose
    // goes no higher than 7 mg/week x 28/26 = 7.538 (on the pen: 7.35).
    let (code, v) = run(&[
        "titrate",
        "--weight-kg",
        "28",
        "--height-cm",
        "125",
        "--igf1-sds",
        "1.0",
        "--as-of",
        "2027-01-10",
        "--prescribed-mg-per-kg-week",
        "0.335",
        "--record",
        r,
    ]);
    assert_eq!(code, 0, "{v}");
    let d = &v["recommendation"]["dose"];
    assert_eq!(v["recommendation"]["action"], "increase");
    assert_eq!(d["mg_per_week"], 7.538, "{}", why(&v));
    assert_eq!(d["deliverable"]["mg_per_week"], 7.35);
    assert!(why(&v).contains(
        "growth takes it no higher than that intensity on today's weight, 7.538 mg/week"
    ));
    // An IGF-1 below the target is a reason to go past the reduction (adults).
    let rec = dir.path().join("adult.jsonl");
    let r = rec.to_str().unwrap();
    let adult = |extra: &[&str]| run(&[&["titrate", "--record", r], extra].concat());
    let (code, _) = run(&[
        "start",
        "--indication",
        "adult-ghd",
        "--sex",
        "male",
        "--birth-date",
        "1980-01-01",
        "--as-of",
        "2026-01-10",
        "--record",
        r,
    ]);
    assert_eq!(code, 0);
    let (_, v) = adult(&["--igf1-sds", "2.6", "--as-of", "2026-03-10"]);
    assert_eq!(v["recommendation"]["action"], "decrease", "{}", why(&v));
    let reduced = v["recommendation"]["dose"]["mg_per_week"].as_f64().unwrap();
    let (_, v) = adult(&["--igf1-sds", "-1.5", "--as-of", "2026-05-10"]);
    assert!(why(&v).contains("the dose was reduced on 2026-03-10 for IGF-1 SDS +2.6 (line 2)"));
    assert_eq!(v["recommendation"]["action"], "increase", "{}", why(&v));
    assert!(v["recommendation"]["dose"]["mg_per_week"].as_f64().unwrap() > reduced);
}

#[test]
fn a_flag_overrides_the_record_and_the_rationale_says_so() {
    let dir = tempfile::tempdir().unwrap();
    let rec = first_two(dir.path());
    let r = rec.to_str().unwrap();
    let (code, v) = run(&[
        "titrate",
        "--weight-kg",
        "26",
        "--igf1-sds",
        "1.0",
        "--as-of",
        "2027-01-10",
        "--current-mg-per-day",
        "1.15",
        "--treatment-start",
        "2025-12-01",
        "--record",
        r,
        "--indication",
        "sga",
    ]);
    assert_eq!(code, 0, "{v}");
    let why = why(&v);
    assert!(
        why.contains("--indication sga given: the record's last visit was for turner (line 2)"),
        "{why}"
    );
    assert_eq!(v["indication"]["id"], "sga");
    assert!(
        why.contains(
            "--current-mg-per-day 1.15 given: overrides the record's 1 mg per injection (line 2)"
        ),
        "{why}"
    );
    assert!(
        why.contains("--treatment-start given: overrides the record's 2026-01-10 (line 1)"),
        "{why}"
    );
    assert_eq!(v["recommendation"]["current_dose"]["mg_per_week"], 8.05);
    let last = lines(&rec).pop().unwrap();
    assert_eq!(
        strs(&last["decision"]["overridden"]),
        ["indication", "current_mg_per_day", "treatment_start"]
    );
    assert_eq!(last["dose_before"]["mg_per_week"], 8.05);
}

#[test]
fn flags_equal_to_the_record_are_not_overrides_and_different_ones_are() {
    let dir = tempfile::tempdir().unwrap();
    let rec = reduced(dir.path());
    let r = rec.to_str().unwrap();
    // The record's own values typed again (indication in another case):
    // nothing is overridden.
    let (code, v) = run(&[
        "titrate",
        "--indication",
        "GHD",
        "--weight-kg",
        "27",
        "--current-mg-per-week",
        "3.675",
        "--previous-weight-kg",
        "26",
        "--last-dose-change",
        "2026-07-10",
        "--region",
        "us",
        "--treatment-start",
        "2026-01-10",
        "--as-of",
        "2026-10-10",
        "--record",
        r,
    ]);
    assert_eq!(code, 0, "{v}");
    assert!(!why(&v).contains("given:"), "{}", why(&v));
    let last = |rec: &Path| -> Value {
        serde_json::from_str(
            std::fs::read_to_string(rec)
                .unwrap()
                .lines()
                .last()
                .unwrap(),
        )
        .unwrap()
    };
    assert_eq!(last(&rec)["decision"]["overridden"], Value::Array(vec![]));
    // Different ones: each named (a weight 1 g off is not a difference).
    let dir = tempfile::tempdir().unwrap();
    let rec = reduced(dir.path());
    let r = rec.to_str().unwrap();
    let (code, v) = run(&[
        "titrate",
        "--weight-kg",
        "27",
        "--current-mg-per-week",
        "3.6754",
        "--previous-weight-kg",
        "25",
        "--last-dose-change",
        "2026-07-01",
        "--region",
        "eu",
        "--as-of",
        "2026-10-10",
        "--record",
        r,
    ]);
    assert_eq!(code, 0, "{v}");
    let w = why(&v);
    for said in [
        "--previous-weight-kg 25 given: overrides the record's 26 kg (line 2)",
        "--last-dose-change given: overrides the record's 2026-07-10 (line 2)",
        "--region EU given: the record's dose was on the US label (line 2)",
    ] {
        assert!(w.contains(said), "{said}\n{w}");
    }
    assert!(!w.contains("--current-mg-per-week 3.675 given"), "{w}");
    assert_eq!(
        last(&rec)["decision"]["overridden"],
        serde_json::json!(["region", "last_dose_change", "previous_weight_kg"])
    );
    let (code, v) = run(&[
        "titrate",
        "--weight-kg",
        "27",
        "--current-mg-per-week",
        "3.677",
        "--as-of",
        "2026-10-11",
        "--record",
        r,
    ]);
    assert_eq!(code, 0, "{v}");
    assert!(
        why(&v).contains("--current-mg-per-week 3.677 given: overrides the record's"),
        "{}",
        why(&v)
    );
}

#[test]
fn a_change_smaller_than_the_pens_step_keeps_the_dose_and_the_pen() {
    let dir = tempfile::tempdir().unwrap();
    let rec = first_two(dir.path());
    let r = rec.to_str().unwrap();
    // 27 kg: the reduced intensity is 1.038 mg a day; FlexPro 10 (0.05 mg
    // steps) has nothing above 1 mg and not past it.
    let (code, v) = run(&[
        "titrate",
        "--weight-kg",
        "27",
        "--height-cm",
        "125",
        "--igf1-sds",
        "1.0",
        "--as-of",
        "2027-01-10",
        "--record",
        r,
    ]);
    assert_eq!(code, 0, "{v}");
    // A change smaller than the patient's pen step (0.038 mg against 0.05 mg
    // on FlexPro 10) is a maintain on that pen, never a move to FlexPro 5
    // for a rounding.
    let why = why(&v);
    assert!(why.contains("the change from 7 to 7.269 mg/week is smaller than one dose step (0.05 mg per injection): maintain"), "{why}");
    assert_eq!(v["recommendation"]["action"], "maintain");
    let d = &v["recommendation"]["dose"]["deliverable"];
    assert_eq!(d["device"], "flexpro-10");
    assert_eq!(d["mg_per_injection"], 1.0);
    let last = lines(&rec).pop().unwrap();
    assert!(strs(&last["decision"]["from_record"]).contains(&"device"));
    assert_eq!(last["dose"]["device"], "flexpro-10");
    assert_eq!(last["dose_before"]["device"], "flexpro-10");
    // A pen typed on the command line: the same maintain on it.
    let dir = tempfile::tempdir().unwrap();
    let rec = first_two(dir.path());
    let r = rec.to_str().unwrap();
    let (code, v) = run(&[
        "titrate",
        "--weight-kg",
        "27",
        "--igf1-sds",
        "1.0",
        "--as-of",
        "2027-01-10",
        "--device",
        "flexpro-10",
        "--record",
        r,
    ]);
    assert_eq!(code, 0, "{v}");
    assert_eq!(v["recommendation"]["action"], "maintain");
    let d = &v["recommendation"]["dose"]["deliverable"];
    assert_eq!(
        (d["device"].as_str(), d["mg_per_week"].as_f64()),
        (Some("flexpro-10"), Some(7.0))
    );
}

#[test]
fn injections_a_week_come_from_the_record_for_daily_and_weekly_products() {
    let dir = tempfile::tempdir().unwrap();
    let rec = dir.path().join("six.jsonl");
    let r = rec.to_str().unwrap();
    let (code, _) = run(&[
        "start",
        "--indication",
        "ghd",
        "--sex",
        "male",
        "--birth-date",
        "2016-01-01",
        "--weight-kg",
        "25",
        "--injections-per-week",
        "6",
        "--product",
        "norditropin",
        "--as-of",
        "2026-01-10",
        "--record",
        r,
    ]);
    assert_eq!(code, 0);
    let (code, v) = run(&[
        "titrate",
        "--weight-kg",
        "25",
        "--as-of",
        "2026-07-10",
        "--record",
        r,
    ]);
    assert_eq!(code, 0, "{v}");
    assert_eq!(
        v["recommendation"]["current_dose"]["injections_per_week"],
        6
    );
    assert_eq!(v["recommendation"]["dose"]["injections_per_week"], 6);
    // A weekly product: one injection a week, read as such.
    let rec = dir.path().join("weekly.jsonl");
    let r = rec.to_str().unwrap();
    let (code, v) = run(&[
        "start",
        "--indication",
        "ghd",
        "--sex",
        "male",
        "--birth-date",
        "2016-01-01",
        "--weight-kg",
        "25",
        "--product",
        "sogroya",
        "--as-of",
        "2026-01-10",
        "--record",
        r,
    ]);
    assert_eq!(code, 0, "{v}");
    let (code, v) = run(&[
        "titrate",
        "--weight-kg",
        "26",
        "--last-injection",
        "2026-07-06",
        "--igf1-sds",
        "0.5",
        "--igf1-date",
        "2026-07-10",
        "--as-of",
        "2026-07-10",
        "--record",
        r,
    ]);
    assert_eq!(code, 0, "{v}");
    assert_eq!(v["product"]["id"], "sogroya");
    assert_eq!(
        v["recommendation"]["current_dose"]["injections_per_week"],
        1
    );
}

#[test]
fn the_committed_record_schema_is_the_one_printed() {
    let printed = gh(&["schema", "record"]).output().unwrap().stdout;
    assert_eq!(
        String::from_utf8(printed).unwrap(),
        include_str!("../../../docs/schema/record.v1.json"),
        "regenerate with: gh-dose schema record > docs/schema/record.v1.json"
    );
}
