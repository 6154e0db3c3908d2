//! The patient's conditions and treatment facts from visit to visit (issue
//! 18, "every value against the patient's own course"): the record keeps
//! them, the next visit carries them (named, with its line) until a visit
//! gives `--resolved`; a line written before them still reads.

use crate::gh;
use serde_json::Value;

/// Runs gh-dose on the record `r` with JSON output: the exit code, the
/// document (or Null) and stderr.
fn on(r: &str, args: &[&str]) -> (i32, Value, String) {
    let mut all = args.to_vec();
    all.extend(["--record", r, "--format", "json"]);
    let out = gh(&all).output().unwrap();
    (
        out.status.code().unwrap(),
        serde_json::from_slice(&out.stdout).unwrap_or(Value::Null),
        String::from_utf8_lossy(&out.stderr).to_string(),
    )
}

fn why(v: &Value) -> Vec<String> {
    v["rationale"]
        .as_array()
        .unwrap()
        .iter()
        .map(|l| l.as_str().unwrap().to_string())
        .collect()
}

fn last_line(rec: &std::path::Path) -> Value {
    let text = std::fs::read_to_string(rec).unwrap();
    serde_json::from_str(text.lines().last().unwrap()).unwrap()
}

/// A Sogroya visit with IGF-1 SDS -1.5, three days after the injection.
fn visit(r: &str, as_of: &str, injected: &str, extra: &[&str]) -> (i32, Value, String) {
    let mut a = vec![
        "titrate",
        "--weight-kg",
        "65",
        "--igf1-sds",
        "-1.5",
        "--last-injection",
        injected,
        "--as-of",
        as_of,
    ];
    a.extend(extra);
    on(r, &a)
}

#[test]
fn moderate_hepatic_impairment_is_carried_and_holds_sogroya_at_4_mg_until_resolved() {
    let dir = tempfile::tempdir().unwrap();
    let rec = dir.path().join("p.jsonl");
    let r = rec.to_str().unwrap();
    let (c, v, err) = on(
        r,
        &[
            "start",
            "--indication",
            "adult-ghd",
            "--product",
            "sogroya",
            "--region",
            "eu",
            "--sex",
            "female",
            "--birth-date",
            "1980-01-01",
            "--weight-kg",
            "65",
            "--condition",
            "hepatic-impairment-moderate",
            "--as-of",
            "2026-01-05",
        ],
    );
    assert_eq!(c, 0, "{err}");
    assert_eq!(v["recommendation"]["dose"]["mg_per_week"], 1.0);
    assert_eq!(
        last_line(&rec)["patient_facts"],
        serde_json::json!({"conditions":["hepatic-impairment-moderate"],"oral_estrogen":false,"diabetes":false,"obesity":false,"resolved":[]})
    );
    // Without --condition at any visit: 0.5 mg steps, never above 4 mg/week.
    let visits = [
        ("2026-03-05", "2026-03-02", 1.5),
        ("2026-05-05", "2026-05-02", 2.0),
        ("2026-07-05", "2026-07-02", 2.5),
        ("2026-09-05", "2026-09-02", 3.0),
        ("2026-11-05", "2026-11-02", 3.5),
        ("2027-01-05", "2027-01-02", 4.0),
        ("2027-03-05", "2027-03-02", 4.0),
    ];
    for (i, (as_of, injected, want)) in visits.iter().enumerate() {
        let (c, v, err) = visit(r, as_of, injected, &[]);
        assert_eq!(c, 0, "{as_of}: {err}");
        let got = v["recommendation"]["dose"]["deliverable"]["mg_per_week"]
            .as_f64()
            .unwrap();
        assert_eq!(got, *want, "{as_of}");
        assert_eq!(v["recommendation"]["range"]["mg_per_week"]["max"], 4.0);
        assert_eq!(
            v["patient"]["conditions"],
            serde_json::json!(["hepatic-impairment-moderate"])
        );
        let w = why(&v);
        let line = i + 1;
        assert!(
            w.iter().any(
                |l| l.starts_with(&format!("from the visit record, line {line}: "))
                    && l.contains("condition hepatic-impairment-moderate")
            ),
            "{as_of}: {w:?}"
        );
        assert!(
            w.contains(&"moderate hepatic impairment: steps of at most 0.5 mg".to_string()),
            "{w:?}"
        );
        let kept = last_line(&rec);
        assert_eq!(
            kept["patient_facts"]["conditions"],
            serde_json::json!(["hepatic-impairment-moderate"])
        );
        assert!(
            kept["decision"]["from_record"]
                .as_array()
                .unwrap()
                .contains(&"condition".into())
        );
    }
    assert_eq!(
        last_line(&rec)["decision"]["flags"],
        serde_json::json!(["DOSE_CAPPED"])
    );
    // Resolved: named, stored, and the cap is the label's 8 mg/week.
    let (c, v, err) = visit(
        r,
        "2027-05-05",
        "2027-05-02",
        &["--resolved", "hepatic-impairment-moderate"],
    );
    assert_eq!(c, 0, "{err}");
    assert_eq!(v["recommendation"]["action"], "increase");
    assert_eq!(
        v["recommendation"]["dose"]["deliverable"]["mg_per_week"],
        5.0
    );
    assert_eq!(v["recommendation"]["range"]["mg_per_week"]["max"], 8.0);
    assert_eq!(v["patient"]["conditions"], serde_json::json!([]));
    assert!(why(&v).contains(
        &"hepatic-impairment-moderate resolved (--resolved hepatic-impairment-moderate): held by the visit record (line 8), no longer carried".to_string()
    ));
    let kept = last_line(&rec);
    assert_eq!(kept["patient_facts"]["conditions"], serde_json::json!([]));
    assert_eq!(
        kept["patient_facts"]["resolved"],
        serde_json::json!(["hepatic-impairment-moderate"])
    );
    // Nothing is carried after it, and it cannot be resolved again.
    let (c, _, err) = visit(
        r,
        "2027-07-05",
        "2027-07-02",
        &["--resolved", "hepatic-impairment-moderate"],
    );
    assert_eq!(c, 2);
    assert_eq!(
        err,
        "error: --resolved hepatic-impairment-moderate: the visit record does not hold it (its latest visit (2027-05-05, line 9) holds nothing)\n"
    );
    let (c, v, err) = visit(r, "2027-07-05", "2027-07-02", &[]);
    assert_eq!(c, 0, "{err}");
    assert_eq!(
        v["recommendation"]["dose"]["deliverable"]["mg_per_week"],
        6.0
    );
    assert!(
        !why(&v).iter().any(|l| l.contains("hepatic")),
        "{:?}",
        why(&v)
    );
}

#[test]
fn oral_estrogen_is_carried_into_a_switch_and_resolved_lowers_it() {
    let dir = tempfile::tempdir().unwrap();
    let rec = dir.path().join("e.jsonl");
    let r = rec.to_str().unwrap();
    let (c, _, err) = on(
        r,
        &[
            "start",
            "--indication",
            "adult-ghd",
            "--product",
            "norditropin",
            "--sex",
            "female",
            "--birth-date",
            "1980-01-01",
            "--weight-kg",
            "65",
            "--oral-estrogen",
            "--as-of",
            "2026-01-05",
        ],
    );
    assert_eq!(c, 0, "{err}");
    assert_eq!(last_line(&rec)["patient_facts"]["oral_estrogen"], true);
    let before = std::fs::read(&rec).unwrap();
    let switch = |extra: &[&str]| {
        let mut a = vec![
            "start",
            "--indication",
            "adult-ghd",
            "--product",
            "sogroya",
            "--region",
            "eu",
            "--switching-from-daily",
            "--weight-kg",
            "65",
            "--as-of",
            "2026-03-05",
        ];
        a.extend(extra);
        on(r, &a)
    };
    // Carried: the switch start on oral estrogen (EU SmPC 4 mg/week).
    let (c, v, err) = switch(&[]);
    assert_eq!(c, 0, "{err}");
    assert_eq!(v["recommendation"]["dose"]["mg_per_week"], 4.0);
    assert_eq!(v["patient"]["oral_estrogen"], true);
    assert!(why(&v).contains(&"from the visit record, line 1: oral estrogen".to_string()));
    let kept = last_line(&rec);
    assert_eq!(kept["patient_facts"]["oral_estrogen"], true);
    assert_eq!(
        kept["decision"]["from_record"],
        serde_json::json!(["oral_estrogen"])
    );
    // Resolved (off oral estrogen): the plain switch start, 2 mg/week.
    std::fs::write(&rec, &before).unwrap();
    let (c, v, err) = switch(&["--resolved", "oral-estrogen"]);
    assert_eq!(c, 0, "{err}");
    assert_eq!(v["recommendation"]["dose"]["mg_per_week"], 2.0);
    assert_eq!(v["patient"]["oral_estrogen"], false);
    let kept = last_line(&rec);
    assert_eq!(kept["patient_facts"]["oral_estrogen"], false);
    assert_eq!(
        kept["patient_facts"]["resolved"],
        serde_json::json!(["oral-estrogen"])
    );
}

#[test]
fn a_line_written_before_the_facts_still_reads_and_carries_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let rec = dir.path().join("old.jsonl");
    let r = rec.to_str().unwrap();
    let (c, _, err) = on(
        r,
        &[
            "start",
            "--indication",
            "ghd",
            "--sex",
            "male",
            "--birth-date",
            "2016-01-01",
            "--weight-kg",
            "26",
            "--condition",
            "scoliosis",
            "--as-of",
            "2026-01-10",
        ],
    );
    assert_eq!(c, 0, "{err}");
    // The line as an older gh-dose wrote it: no patient_facts.
    let mut old = last_line(&rec);
    old.as_object_mut()
        .unwrap()
        .remove("patient_facts")
        .unwrap();
    std::fs::write(&rec, format!("{old}\n")).unwrap();
    let out = gh(&["record", "check", r]).output().unwrap();
    assert_eq!(out.status.code(), Some(0), "{out:?}");
    let (c, v, err) = on(
        r,
        &["titrate", "--weight-kg", "26.5", "--as-of", "2026-04-10"],
    );
    assert_eq!(c, 0, "{err}");
    assert_eq!(v["patient"]["conditions"], serde_json::json!([]));
    let kept = last_line(&rec);
    assert_eq!(
        kept["patient_facts"],
        serde_json::json!({"conditions":[],"oral_estrogen":false,"diabetes":false,"obesity":false,"resolved":[]})
    );
    assert!(
        !kept["decision"]["from_record"]
            .as_array()
            .unwrap()
            .contains(&"condition".into())
    );
}
