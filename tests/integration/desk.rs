//! The small things a newcomer trips on (issue 20, at the desk): a range
//! with equal ends reads as one day, `--device` completes device ids, and
//! the man page names only pages that exist and the environment it reads.

use super::gh;

fn stdout(args: &[&str]) -> (i32, String) {
    let out = gh(args).output().unwrap();
    (
        out.status.code().unwrap(),
        String::from_utf8(out.stdout).unwrap(),
    )
}

/// An Ngenla sample on day 2 after the injection: the label's window is
/// day 4 alone, so the repeat falls on one day.
const NGENLA_MISTIMED: &[&str] = &[
    "titrate",
    "--indication",
    "ghd",
    "--weight-kg",
    "30",
    "--age-years",
    "8",
    "--product",
    "ngenla",
    "--current-mg-per-week",
    "20",
    "--igf1-sds",
    "1",
    "--igf1-date",
    "2026-11-20",
    "--last-injection",
    "2026-11-18",
    "--as-of",
    "2026-11-22",
];

#[test]
fn a_window_of_one_day_reads_as_one_day() {
    let (code, text) = stdout(&[NGENLA_MISTIMED, &["--format", "human"]].concat());
    assert_eq!(code, 0);
    assert!(
        text.contains("continue 20 mg/week; repeat IGF-1 on 2026-11-29"),
        "{text}"
    );
    assert!(
        text.contains("Next review   2026-11-29: IGF-1 on day 4 after the injection of 2026-11-25"),
        "{text}"
    );
    assert!(
        !text.contains("day 4-4") && !text.contains("2026-11-29 to 2026-11-29"),
        "{text}"
    );
    let (_, json) = stdout(&[NGENLA_MISTIMED, &["--format", "json"]].concat());
    let v: serde_json::Value = serde_json::from_str(&json).unwrap();
    assert_eq!(
        v["recommendation"]["next_review"]["what"][0],
        "IGF-1 on day 4 after the injection of 2026-11-25"
    );
    assert!(!json.contains("4-4"), "{json}");
    // A window of two days keeps its range (Skytrofa: day 4-5).
    let (_, text) = stdout(&[
        "titrate",
        "--indication",
        "ghd",
        "--weight-kg",
        "30",
        "--age-years",
        "8",
        "--product",
        "skytrofa",
        "--current-mg-per-week",
        "9.1",
        "--igf1-sds",
        "1",
        "--igf1-date",
        "2026-11-20",
        "--last-injection",
        "2026-11-18",
        "--as-of",
        "2026-11-22",
        "--format",
        "human",
    ]);
    assert!(
        text.contains("repeat IGF-1 2026-11-29 to 2026-11-30") && text.contains("on day 4-5 after"),
        "{text}"
    );
}

#[test]
fn a_record_of_one_visit_is_checked_as_one_day() {
    let dir = tempfile::tempdir().unwrap();
    let record = dir.path().join("p-0001.jsonl");
    let record = record.to_str().unwrap();
    let (code, _) = stdout(&[
        "start",
        "--indication",
        "turner",
        "--sex",
        "female",
        "--birth-date",
        "2018-03-01",
        "--weight-kg",
        "24",
        "--as-of",
        "2026-01-10",
        "--record",
        record,
    ]);
    assert_eq!(code, 0);
    let (code, text) = stdout(&["record", "check", record, "--format", "human"]);
    assert_eq!(code, 0);
    assert!(
        text.contains(": ok - 1 visit (2026-01-10), female born 2018-03-01"),
        "{text}"
    );
}
