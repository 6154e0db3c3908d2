//! An adult's dose that put IGF-1 above the range is not proposed again
//! without a reason: a half step toward it at most, the overshoot named.

use crate::codes;
use serde_json::Value;

fn visit(rec: &str, extra: &[&str]) -> Value {
    crate::on_record(
        rec,
        &[&["titrate", "--weight-kg", "70"][..], extra].concat(),
    )
}

/// A woman cut from 0.6 to 0.5 mg/day for IGF-1 +2.4 (line 1).
fn cut() -> (tempfile::TempDir, String) {
    let dir = tempfile::tempdir().unwrap();
    let rec = dir.path().join("w.jsonl");
    std::fs::write(&rec, "").unwrap();
    let r = rec.to_str().unwrap().to_string();
    let v = visit(
        &r,
        &[
            "--indication",
            "adult-ghd",
            "--birth-date",
            "1981-01-01",
            "--sex",
            "female",
            "--product",
            "norditropin",
            "--current-mg-per-day",
            "0.6",
            "--igf1-sds",
            "2.4",
            "--igf1-date",
            "2026-03-01",
            "--last-dose-change",
            "2026-01-05",
            "--as-of",
            "2026-03-02",
        ],
    );
    assert_eq!(v["recommendation"]["dose"]["mg_per_week"], 3.5);
    (dir, r)
}

#[test]
fn a_normal_igf1_takes_a_half_step_toward_the_dose_that_overshot() {
    let (_dir, r) = cut();
    let v = visit(
        &r,
        &[
            "--igf1-sds",
            "-0.3",
            "--igf1-date",
            "2026-05-01",
            "--as-of",
            "2026-05-02",
        ],
    );
    assert_eq!(v["recommendation"]["action"], "increase");
    // 0.55 mg/day, not the 0.6 that overshot.
    assert_eq!(
        v["recommendation"]["dose"]["deliverable"]["mg_per_week"],
        3.85
    );
    assert!(v["rationale"].to_string().contains(
        "0.6 mg/day (4.2 mg/week) put IGF-1 above the range (SDS +2.4, reduced on 2026-03-02, visit record): not proposed again; a half step toward it at most, 0.55 mg/day (3.85 mg/week)"
    ), "{}", v["rationale"]);
}

#[test]
fn an_igf1_low_on_treatment_is_a_reason_to_go_back() {
    let (_dir, r) = cut();
    let v = visit(
        &r,
        &[
            "--igf1-sds",
            "-2.5",
            "--igf1-date",
            "2026-05-01",
            "--as-of",
            "2026-05-02",
        ],
    );
    assert!(codes(&v).contains(&"IGF1_LOW_ON_TREATMENT".to_string()));
    // The label step for an IGF-1 this low: 0.5 + 0.2 = 0.7 mg/day.
    assert_eq!(
        v["recommendation"]["dose"]["deliverable"]["mg_per_week"],
        4.9
    );
    assert!(!v["rationale"].to_string().contains("not proposed again"));
}

#[test]
fn back_at_the_dose_that_overshot_no_increase_goes_past_it() {
    let (_dir, r) = cut();
    // The clinician gave 0.6 mg/day again (typed over the record's 0.5).
    let v = visit(
        &r,
        &[
            "--current-mg-per-day",
            "0.6",
            "--igf1-sds",
            "-0.3",
            "--igf1-date",
            "2026-05-01",
            "--as-of",
            "2026-05-02",
        ],
    );
    assert_eq!(v["recommendation"]["action"], "maintain");
    assert_eq!(
        v["recommendation"]["dose"]["deliverable"]["mg_per_week"],
        4.2
    );
    assert!(
        v["rationale"]
            .to_string()
            .contains("0.6 mg/day (4.2 mg/week) put IGF-1 above the range"),
        "{}",
        v["rationale"]
    );
}
