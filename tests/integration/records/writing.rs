//! Writing a record: identity and order, cut lines, interrupted and
//! concurrent appends, missing records, `record show`, batch --records-dir.

use super::{count, first_two, lines, run, why};
use crate::{fails, gh};
use serde_json::Value;

#[test]
fn the_wrong_patient_an_earlier_date_or_a_cut_line_is_refused_and_nothing_is_written() {
    let dir = tempfile::tempdir().unwrap();
    let rec = first_two(dir.path());
    let r = rec.to_str().unwrap();
    let before = std::fs::read(&rec).unwrap();
    let titrate = [
        "titrate",
        "--weight-kg",
        "26",
        "--igf1-sds",
        "1",
        "--record",
        r,
    ];
    for (extra, code, said) in [
        (
            &["--sex", "male", "--as-of", "2027-01-10"][..],
            2,
            "error: --sex male differs from the record's female (line 1): is this the patient's record?",
        ),
        (
            &["--birth-date", "2018-03-02", "--as-of", "2027-01-10"],
            2,
            "error: --birth-date 2018-03-02 differs from the record's 2018-03-01 (line 1)",
        ),
        (
            &["--age-years", "8", "--as-of", "2027-01-10"],
            2,
            "error: --age-years cannot be used with a visit record",
        ),
        (
            &["--as-of", "2026-07-09"],
            2,
            "error: --as-of 2026-07-09 is before the record's last visit, 2026-07-10 (line 2)",
        ),
    ] {
        let (c, err) = fails(&[&titrate[..], extra].concat());
        assert_eq!(c, code, "{err}");
        assert!(err.starts_with(said), "{err}");
        assert_eq!(std::fs::read(&rec).unwrap(), before);
    }
    // start needs the identity (from the record when it has one).
    let empty = dir.path().join("new.jsonl");
    let (c, err) = fails(&[
        "start",
        "--indication",
        "turner",
        "--weight-kg",
        "24",
        "--sex",
        "female",
        "--record",
        empty.to_str().unwrap(),
    ]);
    assert_eq!(c, 2);
    assert!(
        err.starts_with("error: --birth-date is required with a visit record"),
        "{err}"
    );
    // A cut last line: no visit is added; check names it; show still reads the rest.
    let mut cut = before.clone();
    cut.extend_from_slice(b"{\"record\":\"gh-dose-vi");
    std::fs::write(&rec, &cut).unwrap();
    let (c, err) = fails(&[&titrate[..], &["--as-of", "2027-01-10"]].concat());
    assert_eq!(c, 3);
    assert_eq!(
        err,
        format!(
            "error: {r}:3:1: line 3 is cut short (an append that was interrupted): no visit is added until it is removed\n"
        )
    );
    assert_eq!(std::fs::read(&rec).unwrap(), cut);
    let (c, err) = fails(&["record", "check", r]);
    assert_eq!(c, 3);
    assert!(
        err.starts_with(&format!("error: {r}:3:1: line 3 is cut short")),
        "{err}"
    );
    let out = gh(&["record", "show", r, "--format", "json"])
        .output()
        .unwrap();
    // The whole lines are printed; the cut one is an error (exit 3).
    assert_eq!(out.status.code(), Some(3));
    assert_eq!(String::from_utf8(out.stdout).unwrap().lines().count(), 2);
    assert!(
        String::from_utf8(out.stderr)
            .unwrap()
            .starts_with(&format!("error: {r}:3:1: line 3 is cut short"))
    );
    let (c, _) = fails(&["chart", "titration", r, "-o", "-"]);
    assert_eq!(c, 3);
}

#[test]
fn after_a_withheld_last_visit_titrate_points_to_start() {
    let dir = tempfile::tempdir().unwrap();
    let rec = dir.path().join("p.jsonl");
    let r = rec.to_str().unwrap();
    let (code, v) = run(&[
        "start",
        "--indication",
        "ghd",
        "--sex",
        "male",
        "--birth-date",
        "2016-05-01",
        "--weight-kg",
        "30",
        "--condition",
        "active-malignancy",
        "--as-of",
        "2026-01-10",
        "--record",
        r,
    ]);
    assert_eq!(code, 4, "{v}");
    assert_eq!(lines(&rec)[0]["dose"], Value::Null);
    let (c, err) = fails(&[
        "titrate",
        "--weight-kg",
        "30",
        "--igf1-sds",
        "0",
        "--as-of",
        "2026-07-10",
        "--record",
        r,
    ]);
    assert_eq!(c, 2);
    assert!(err.contains("the last visit (2026-01-10, line 1) gave no dose (withhold: ACTIVE_MALIGNANCY, FUNDOSCOPY): the patient is off treatment"), "{err}");
    assert!(
        err.ends_with(&format!(
            "the restart is a start: gh-dose start --indication ghd --weight-kg KG --record {r} (the record's conditions are carried: --resolved NAME for one that no longer holds)\n"
        )),
        "{err}"
    );
    assert_eq!(lines(&rec).len(), 1);
}

#[test]
fn appends_killed_midway_or_made_at_once_leave_whole_lines() {
    let dir = tempfile::tempdir().unwrap();
    let rec = first_two(dir.path());
    let r = rec.to_str().unwrap();
    let bin = assert_cmd::cargo::cargo_bin!("gh-dose");
    let visit = |date: &str, igf1: bool| {
        let mut c = std::process::Command::new(bin);
        c.env("GH_DOSE_TODAY", "2027-12-31");
        c.args([
            "titrate",
            "--weight-kg",
            "26",
            "--format",
            "json",
            "--as-of",
            date,
            "--record",
            r,
        ]);
        if igf1 {
            c.args(["--igf1-sds", "1"]);
        }
        c.stdout(std::process::Stdio::null())
            .stderr(std::process::Stdio::null());
        c
    };
    // Killed at different moments: every line in the file stays whole.
    for (i, delay_ms) in [0u64, 1, 2, 4, 8, 16, 32].into_iter().enumerate() {
        let mut child = visit(&format!("2027-01-1{i}"), true).spawn().unwrap();
        std::thread::sleep(std::time::Duration::from_millis(delay_ms));
        let _ = child.kill();
        let _ = child.wait();
        let out = gh(&["record", "check", r, "--format", "json"])
            .output()
            .unwrap();
        assert_eq!(
            out.status.code(),
            Some(0),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
    }
    let n = lines(&rec).len();
    // Two processes at once (one with a new IGF-1 sample, one without):
    // two more whole lines, in either order.
    let a = visit("2027-02-01", true).spawn().unwrap();
    let b = visit("2027-02-01", false).spawn().unwrap();
    for mut c in [a, b] {
        assert!(c.wait().unwrap().success());
    }
    let all = lines(&rec);
    assert_eq!(all.len(), n + 2);
    assert!(all[n..].iter().all(|v| v["date"] == "2027-02-01"));
    assert_eq!(all[n..].iter().filter(|v| v["igf1"].is_null()).count(), 1);
    let out = gh(&["record", "check", r]).output().unwrap();
    assert_eq!(out.status.code(), Some(0));
}

#[test]
fn a_missing_record_is_not_begun_by_a_titration_nor_left_by_a_refused_start() {
    let dir = tempfile::tempdir().unwrap();
    let typo = dir.path().join("typo.jsonl");
    let t = typo.to_str().unwrap();
    let (c, err) = fails(&[
        "titrate",
        "--indication",
        "ghd",
        "--weight-kg",
        "26",
        "--current-mg-per-week",
        "6",
        "--sex",
        "male",
        "--birth-date",
        "2016-01-01",
        "--record",
        t,
    ]);
    assert_eq!(c, 3);
    assert!(
        err.contains("no such record: a record begins with gh-dose start --record"),
        "{err}"
    );
    assert!(!typo.exists());
    // A start refused after the record was opened leaves no file behind.
    let (c, _) = fails(&[
        "start",
        "--indication",
        "ghd",
        "--weight-kg",
        "-3",
        "--sex",
        "male",
        "--birth-date",
        "2016-01-01",
        "--record",
        t,
    ]);
    assert_eq!(c, 2);
    assert!(!typo.exists());
    // An empty file begins a record for a patient already on treatment.
    std::fs::write(&typo, "").unwrap();
    let (code, v) = run(&[
        "titrate",
        "--indication",
        "ghd",
        "--weight-kg",
        "26",
        "--current-mg-per-week",
        "6",
        "--sex",
        "male",
        "--birth-date",
        "2016-01-01",
        "--as-of",
        "2026-01-10",
        "--record",
        t,
    ]);
    assert_eq!(code, 0, "{v}");
    assert!(why(&v).contains("has no visit yet: this is its first"));
    assert_eq!(count(&typo), 1);
    // Batch: a directory named as a record is the record's error.
    let records = dir.path().join("records");
    std::fs::create_dir_all(records.join("sub")).unwrap();
    let input = dir.path().join("in.jsonl");
    std::fs::write(&input, "{\"command\":\"start\",\"indication\":\"ghd\",\"weight_kg\":26,\"sex\":\"male\",\"birth_date\":\"2016-01-01\",\"record\":\"sub\"}\n").unwrap();
    let out = gh(&[
        "batch",
        input.to_str().unwrap(),
        "--records-dir",
        records.to_str().unwrap(),
    ])
    .output()
    .unwrap();
    let line: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(line["error"]["field"], "record");
    assert_eq!(line["error"]["code"], 3);
}

#[test]
fn record_show_prints_the_course() {
    let dir = tempfile::tempdir().unwrap();
    let rec = first_two(dir.path());
    let r = rec.to_str().unwrap();
    let out = gh(&["record", "show", r, "--format", "human", "--color", "never"])
        .output()
        .unwrap();
    let text = String::from_utf8(out.stdout).unwrap();
    let rows: Vec<&str> = text.lines().collect();
    assert_eq!(rows[0], format!("{r} - female, born 2018-03-01 - 2 visits"));
    assert_eq!(
        rows[1],
        "line date          age indication   wt kg   ht cm   HSDS  IGF-1  mg/inj   mg/week  decision"
    );
    assert!(rows[2].starts_with("1    2026-01-10   7.86 turner          24     118   +1.5      -    1.15      8.05  start - flexpro-10"), "{text}");
    assert!(
        rows[3].starts_with(
            "2    2026-07-10   8.36 turner          26     122   +1.8   +2.6       1         7  decrease"
        ),
        "{text}"
    );
    assert!(rows[3].contains("(IGF-1 above the range)"), "{text}");
    let out = gh(&["record", "show", r, "--format", "json"])
        .output()
        .unwrap();
    let shown: Vec<Value> = String::from_utf8(out.stdout)
        .unwrap()
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(shown, lines(&rec));
    let (c, err) = fails(&[
        "record",
        "show",
        dir.path().join("none.jsonl").to_str().unwrap(),
    ]);
    assert_eq!(c, 3);
    assert!(err.contains("cannot open the record"), "{err}");
}

#[test]
fn batch_lines_name_records_only_inside_records_dir() {
    let dir = tempfile::tempdir().unwrap();
    let input = dir.path().join("in.jsonl");
    std::fs::write(
        &input,
        concat!(
            r#"{"command":"start","indication":"ghd","sex":"male","birth_date":"2016-05-01","weight_kg":30,"as_of":"2026-01-10","record":"p-1.jsonl"}"#,
            "\n",
            r#"{"command":"titrate","weight_kg":31,"igf1_sds":0.5,"as_of":"2026-07-10","record":"p-1.jsonl"}"#,
            "\n",
            r#"{"command":"start","indication":"ghd","sex":"male","birth_date":"2016-05-01","weight_kg":30,"record":"../escape.jsonl"}"#,
            "\n"
        ),
    )
    .unwrap();
    let records = dir.path().join("records");
    std::fs::create_dir(&records).unwrap();
    let out = gh(&[
        "batch",
        input.to_str().unwrap(),
        "--records-dir",
        records.to_str().unwrap(),
    ])
    .output()
    .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let results: Vec<Value> = String::from_utf8(out.stdout)
        .unwrap()
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(results[0]["recommendation"]["action"], "start");
    assert_eq!(
        results[1]["recommendation"]["current_dose"]["mg_per_week"],
        results[0]["recommendation"]["dose"]["mg_per_week"]
    );
    assert_eq!(results[2]["error"]["field"], "record");
    assert!(
        results[2]["error"]["message"]
            .as_str()
            .unwrap()
            .contains("inside --records-dir")
    );
    assert_eq!(lines(&records.join("p-1.jsonl")).len(), 2);
    assert!(!dir.path().join("escape.jsonl").exists());
    // Without --records-dir no line may name a record.
    let out = gh(&["batch", input.to_str().unwrap()]).output().unwrap();
    let first: Value = serde_json::from_str(
        String::from_utf8(out.stdout)
            .unwrap()
            .lines()
            .next()
            .unwrap(),
    )
    .unwrap();
    assert_eq!(first["error"]["field"], "record");
    assert!(
        first["error"]["message"]
            .as_str()
            .unwrap()
            .contains("only when the batch is given --records-dir DIR")
    );
}
