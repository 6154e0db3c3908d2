//! The record's life (docs/record.md): the answer before the append, the
//! same request run again, corrections, a new record begun by many at once,
//! charts that never replace a record, and one set of bounds for every reader.

use super::{count, first_two, lines, reduced, run, why};
use crate::{fails, gh};
use serde_json::Value;
use std::path::Path;

/// The binary as a plain process (its standard streams set by the test).
fn raw(args: &[&str]) -> std::process::Command {
    let mut c = std::process::Command::new(assert_cmd::cargo::cargo_bin!("gh-dose"));
    c.env("GH_DOSE_TODAY", "2027-12-31")
        .env_remove("GH_DOSE_RULES")
        .env_remove("GH_DOSE_PRODUCTS")
        .args(args);
    c
}

const TITRATE_2: [&str; 9] = [
    "titrate",
    "--weight-kg",
    "26",
    "--height-cm",
    "123",
    "--igf1-sds",
    "2.8",
    "--as-of",
    "2026-07-10",
];

fn start_args(r: &str) -> Vec<&str> {
    vec![
        "start",
        "--indication",
        "turner",
        "--sex",
        "female",
        "--birth-date",
        "2018-03-01",
        "--weight-kg",
        "24",
        "--height-cm",
        "118",
        "--product",
        "norditropin",
        "--as-of",
        "2026-01-10",
        "--record",
        r,
    ]
}

#[cfg(target_os = "linux")]
#[test]
fn an_answer_that_cannot_be_written_leaves_the_record_as_it_was() {
    let dir = tempfile::tempdir().unwrap();
    let rec = first_two(dir.path());
    let r = rec.to_str().unwrap();
    let before = std::fs::read(&rec).unwrap();
    let full = || {
        std::fs::OpenOptions::new()
            .write(true)
            .open("/dev/full")
            .unwrap()
    };
    let out = raw(&[
        "titrate",
        "--weight-kg",
        "27",
        "--as-of",
        "2026-10-10",
        "--record",
        r,
        "--format",
        "json",
    ])
    .stdout(full())
    .output()
    .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.starts_with("error: cannot write output: "), "{err}");
    assert!(err.contains("the visit is not recorded"), "{err}");
    assert_eq!(std::fs::read(&rec).unwrap(), before, "byte-identical");
    // The same visit then goes in once its answer is out.
    let (code, _) = run(&[
        "titrate",
        "--weight-kg",
        "27",
        "--as-of",
        "2026-10-10",
        "--record",
        r,
    ]);
    assert_eq!(code, 0);
    assert_eq!(count(&rec), 3);
    // A start on a new record: no file at all.
    let new = dir.path().join("new.jsonl");
    let out = raw(&start_args(new.to_str().unwrap()))
        .stdout(full())
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    assert!(!new.exists());
    // A void whose answer is lost is not appended either.
    let out = raw(&[
        "record",
        "void",
        r,
        "--line",
        "3",
        "--reason",
        "wrong patient",
    ])
    .stdout(full())
    .output()
    .unwrap();
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(count(&rec), 3);
}

#[test]
fn a_batch_appends_a_visit_only_once_its_answer_is_out() {
    let dir = tempfile::tempdir().unwrap();
    let batch = dir.path().join("visits.jsonl");
    let mut text = String::new();
    for i in 0..400 {
        text.push_str(&format!(
            "{{\"command\":\"start\",\"indication\":\"turner\",\"sex\":\"female\",\"birth_date\":\"2018-03-01\",\"weight_kg\":24,\"as_of\":\"2026-01-10\",\"record\":\"p-{i}.jsonl\"}}\n"
        ));
    }
    std::fs::write(&batch, text).unwrap();
    // The reader stops after one line: the later lines' visits are not kept.
    let mut child = raw(&[
        "batch",
        batch.to_str().unwrap(),
        "--records-dir",
        dir.path().to_str().unwrap(),
    ])
    .stdout(std::process::Stdio::piped())
    .spawn()
    .unwrap();
    let mut stdout = child.stdout.take().unwrap();
    let mut first = [0u8; 1];
    std::io::Read::read_exact(&mut stdout, &mut first).unwrap();
    drop(stdout);
    let _ = child.wait().unwrap();
    let recorded = (0..400)
        .filter(|i| dir.path().join(format!("p-{i}.jsonl")).exists())
        .count();
    assert!(
        recorded < 400,
        "every visit kept although answers were lost"
    );
    // Every record written holds exactly its one visit.
    for i in 0..recorded {
        assert_eq!(count(&dir.path().join(format!("p-{i}.jsonl"))), 1, "p-{i}");
    }
}

#[test]
fn the_same_request_again_prints_the_recorded_decision_and_appends_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let rec = reduced(dir.path());
    let r = rec.to_str().unwrap();
    let before = std::fs::read(&rec).unwrap();
    let mut again = TITRATE_2.to_vec();
    again.extend(["--record", r]);
    let (code, v) = run(&again);
    assert_eq!(code, 0, "{v}");
    assert_eq!(v["recommendation"]["action"], "decrease");
    assert_eq!(
        lines(&rec)[1]["dose"]["mg_per_week"],
        v["recommendation"]["dose"]["deliverable"]["mg_per_week"]
    );
    assert!(
        why(&v).starts_with("this visit is already in the record"),
        "{}",
        why(&v)
    );
    assert!(why(&v).contains("(line 2)"));
    assert_eq!(std::fs::read(&rec).unwrap(), before, "nothing appended");
    // The start, run again: printed again too.
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
        "--height-cm",
        "120",
        "--product",
        "norditropin",
        "--as-of",
        "2026-01-10",
        "--record",
        r,
    ]);
    assert_eq!(code, 0, "{v}");
    assert!(why(&v).contains("already in the record"), "{}", why(&v));
    assert_eq!(std::fs::read(&rec).unwrap(), before);
}

#[test]
fn a_voided_visit_is_skipped_shown_struck_and_its_sample_decided_again() {
    let dir = tempfile::tempdir().unwrap();
    let rec = reduced(dir.path());
    let r = rec.to_str().unwrap();
    // The weight of visit 2 was a slip: 27 kg, not 26.
    let (c, err) = fails(&[
        "titrate",
        "--weight-kg",
        "27",
        "--height-cm",
        "123",
        "--igf1-sds",
        "2.8",
        "--as-of",
        "2026-07-10",
        "--record",
        r,
    ]);
    assert_eq!(c, 2, "{err}");
    assert!(err.contains("record void"), "{err}");
    let out = gh(&[
        "record",
        "void",
        r,
        "--line",
        "2",
        "--reason",
        "weight entered as 26, was 27",
        "--as-of",
        "2026-07-10",
        "--format",
        "json",
    ])
    .output()
    .unwrap();
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let doc: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(
        (doc["line"].as_u64(), doc["voids"].as_u64()),
        (Some(3), Some(2))
    );
    let all = lines(&rec);
    assert_eq!(all.len(), 3, "the visit stays; a correction is added");
    assert_eq!(all[2]["record"], "gh-dose-void");
    assert_eq!(all[2]["status"], "entered-in-error");
    assert_eq!(all[2]["voids"], 2);
    let schema: Value =
        serde_json::from_str(include_str!("../../../docs/schema/record.v1.json")).unwrap();
    for line in &all {
        assert!(
            super::schema_check::validate(&schema, line).is_empty(),
            "{line}"
        );
    }
    // Voiding it again, a correction, a line past the end: exit 2, one line.
    for (n, said) in [
        ("2", "already marked entered in error (line 3)"),
        ("3", "line 3 is a correction, not a visit"),
        ("9", "no such line"),
        ("0", "no such line"),
    ] {
        let (c, err) = fails(&["record", "void", r, "--line", n, "--reason", "x"]);
        assert_eq!(c, 2, "{n}: {err}");
        assert!(err.contains(said), "{n}: {err}");
        assert_eq!(err.lines().count(), 1);
    }
    assert_eq!(count(&rec), 3);
    // The sample is decided on again, on the record without visit 2: the
    // dose before is the start's, not visit 2's reduced one.
    let (code, v) = run(&[
        "titrate",
        "--weight-kg",
        "27",
        "--height-cm",
        "123",
        "--igf1-sds",
        "2.8",
        "--as-of",
        "2026-07-10",
        "--record",
        r,
    ]);
    assert_eq!(code, 0, "{v}");
    let all = lines(&rec);
    assert_eq!(all.len(), 4);
    assert_eq!(all[3]["measurements"]["weight_kg"], 27.0);
    assert_eq!(
        all[3]["dose_before"]["mg_per_week"],
        all[0]["dose"]["mg_per_week"]
    );
    assert!(why(&v).contains("line 1"), "{}", why(&v));
    // A later titration reads line 4, never the voided line 2.
    let (code, v) = run(&[
        "titrate",
        "--weight-kg",
        "28",
        "--as-of",
        "2026-10-10",
        "--record",
        r,
    ]);
    assert_eq!(code, 0, "{v}");
    assert!(
        why(&v).contains("from the visit record, line 4"),
        "{}",
        why(&v)
    );
    assert!(!why(&v).contains("line 2"), "{}", why(&v));
    // record show marks it; check counts it apart; the charts say so.
    let out = gh(&["record", "show", r, "--format", "human"])
        .output()
        .unwrap();
    let text = String::from_utf8(out.stdout).unwrap();
    let row2 = text.lines().find(|l| l.starts_with("2 ")).unwrap();
    assert!(
        row2.contains("VOID") && row2.contains("entered in error (line 3"),
        "{text}"
    );
    assert!(
        text.contains("3 visits (1 more entered in error)"),
        "{text}"
    );
    let out = gh(&["record", "check", r, "--format", "json"])
        .output()
        .unwrap();
    let doc: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(
        (doc["visits"].as_u64(), doc["entered_in_error"].as_u64()),
        (Some(3), Some(1))
    );
    let out = gh(&["record", "show", r, "--format", "json"])
        .output()
        .unwrap();
    assert_eq!(
        String::from_utf8(out.stdout).unwrap(),
        std::fs::read_to_string(&rec).unwrap()
    );
    let svg = dir.path().join("t.svg");
    let out = gh(&["chart", "titration", r, "-o", svg.to_str().unwrap()])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0));
    let text = std::fs::read_to_string(&svg).unwrap();
    assert!(
        text.contains("Not drawn: 1 visit entered in error (line 2)."),
        "{text}"
    );
}

#[test]
fn twelve_starts_at_once_on_a_new_record_leave_one_visit() {
    let dir = tempfile::tempdir().unwrap();
    let rec = dir.path().join("new.jsonl");
    let r = rec.to_str().unwrap().to_string();
    let children: Vec<_> = (0..12)
        .map(|_| {
            let mut args = start_args(&r);
            args.extend(["--format", "json"]);
            raw(&args)
                .stdout(std::process::Stdio::piped())
                .stderr(std::process::Stdio::piped())
                .spawn()
                .unwrap()
        })
        .collect();
    let mut ok = 0;
    for c in children {
        let out = c.wait_with_output().unwrap();
        let err = String::from_utf8_lossy(&out.stderr);
        match out.status.code() {
            Some(0) => {
                ok += 1;
                let v: Value = serde_json::from_slice(&out.stdout).unwrap();
                assert_eq!(v["recommendation"]["action"], "start");
            }
            other => panic!("{other:?}: {err}"),
        }
    }
    assert_eq!(ok, 12, "the first is recorded, the others print it again");
    assert_eq!(count(&rec), 1);
    // A different start on it now: refused (a dose was given); the file stays.
    let mut other = start_args(&r);
    other[8] = "25";
    let (c, err) = fails(&other);
    assert_eq!(c, 2, "{err}");
    assert!(rec.exists());
    assert_eq!(count(&rec), 1);
    // A refused start on a new name creates nothing.
    let none = dir.path().join("none.jsonl");
    let mut bad = start_args(none.to_str().unwrap());
    bad[8] = "-3";
    let (c, _) = fails(&bad);
    assert_eq!(c, 2);
    assert!(!none.exists());
}

#[test]
fn a_chart_never_replaces_a_record_or_a_file_it_did_not_write() {
    let dir = tempfile::tempdir().unwrap();
    let rec = first_two(dir.path());
    let r = rec.to_str().unwrap();
    let before = std::fs::read(&rec).unwrap();
    for extra in [&[][..], &["--force"][..]] {
        let mut args = vec!["chart", "growth", r, "-o", r];
        args.extend(extra);
        let (c, err) = fails(&args);
        assert_eq!(c, 2, "{err}");
        assert!(
            err.contains("never replaces a record") || err.contains("not a chart gh-dose wrote"),
            "{err}"
        );
        assert_eq!(std::fs::read(&rec).unwrap(), before);
    }
    let other = dir.path().join("notes.txt");
    std::fs::write(&other, "clinic notes").unwrap();
    let o = other.to_str().unwrap();
    let (c, err) = fails(&["chart", "growth", r, "-o", o]);
    assert_eq!(c, 2);
    assert!(err.contains("--force"), "{err}");
    assert_eq!(std::fs::read_to_string(&other).unwrap(), "clinic notes");
    let (c, _) = fails(&["chart", "growth", r, "-o", dir.path().to_str().unwrap()]);
    assert_eq!(c, 2, "a directory is not a chart");
    // Its own chart is replaced; --force replaces another file.
    let svg = dir.path().join("g.svg");
    let s = svg.to_str().unwrap();
    for _ in 0..2 {
        let out = gh(&["chart", "growth", r, "-o", s]).output().unwrap();
        assert_eq!(
            out.status.code(),
            Some(0),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
    }
    assert!(
        std::fs::read_to_string(&svg).unwrap().starts_with(
            "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<!-- gh-dose chart -->\n<svg"
        )
    );
    let out = gh(&["chart", "growth", r, "-o", o, "--force"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0));
    assert!(std::fs::read_to_string(&other).unwrap().contains("<svg"));
    // No temporary file is left beside them.
    let names: Vec<String> = std::fs::read_dir(dir.path())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().to_string())
        .collect();
    assert!(names.iter().all(|n| !n.ends_with(".partial")), "{names:?}");
}

/// Line 1 of a record with one value replaced.
fn edited(dir: &Path, edit: impl Fn(&mut Value)) -> std::path::PathBuf {
    let rec = first_two(dir);
    let mut v = lines(&rec).remove(0);
    edit(&mut v);
    let bad = dir.join("bad.jsonl");
    std::fs::write(&bad, format!("{v}\n")).unwrap();
    bad
}

#[test]
fn what_record_check_accepts_every_reader_handles() {
    let dir = tempfile::tempdir().unwrap();
    for (what, edit) in [
        (
            "igf1",
            &(|v: &mut Value| v["igf1"] = serde_json::json!({"given":"x","ng_ml":null,"sds":1e308,"method":null,"reference":null,"date":"2026-01-10"}))
                as &dyn Fn(&mut Value),
        ),
        ("weight_kg", &|v: &mut Value| {
            v["measurements"]["weight_kg"] = serde_json::json!(f64::MAX)
        }),
        ("height_sds", &|v: &mut Value| {
            v["measurements"]["height_sds"] = serde_json::json!(-1e308)
        }),
        ("dose", &|v: &mut Value| {
            v["dose"]["mg_per_week"] = serde_json::json!(1e300)
        }),
    ] {
        let bad = edited(dir.path(), edit);
        let b = bad.to_str().unwrap();
        for cmd in [
            &["record", "check", b][..],
            &["chart", "growth", b, "-o", "-"],
            &["chart", "titration", b, "-o", "-"],
            &["record", "show", b],
        ] {
            let (c, err) = fails(cmd);
            assert_eq!(c, 3, "{what} {cmd:?}: {err}");
            assert!(err.contains("bad.jsonl:1:"), "{what}: {err}");
        }
    }
}

#[test]
fn record_strings_reach_the_screen_escaped_and_the_svg_well_formed() {
    let dir = tempfile::tempdir().unwrap();
    let bad = edited(dir.path(), |v| {
        v["dose"]["device"] = Value::String("flex\u{1b}[2J\u{ffff}pro".into());
        v["rules"]["version"] = Value::String("2026\u{fffe}\u{9b}31m".into());
    });
    let b = bad.to_str().unwrap();
    let out = gh(&["record", "show", b, "--format", "human"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0));
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(
        !text.contains('\u{1b}') && !text.contains('\u{9b}'),
        "{text:?}"
    );
    assert!(text.contains("flex\\u{1b}[2J"), "{text}");
    let out = gh(&["chart", "titration", b, "-o", "-"]).output().unwrap();
    assert_eq!(out.status.code(), Some(0));
    let svg = String::from_utf8(out.stdout).unwrap();
    roxmltree::Document::parse(&svg).unwrap();
    assert!(!svg.contains('\u{ffff}') && !svg.contains('\u{fffe}'));
}

#[test]
fn a_whole_last_line_without_its_newline_is_a_visit() {
    let dir = tempfile::tempdir().unwrap();
    let rec = first_two(dir.path());
    let r = rec.to_str().unwrap();
    let text = std::fs::read_to_string(&rec).unwrap();
    std::fs::write(&rec, text.trim_end()).unwrap();
    let out = gh(&["record", "check", r, "--format", "json"])
        .output()
        .unwrap();
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let (code, v) = run(&[
        "titrate",
        "--weight-kg",
        "27",
        "--as-of",
        "2026-10-10",
        "--record",
        r,
    ]);
    assert_eq!(code, 0, "{v}");
    assert!(
        why(&v).contains("from the visit record, line 2"),
        "{}",
        why(&v)
    );
    // The append ended line 2 first: three whole lines.
    let text = std::fs::read_to_string(&rec).unwrap();
    assert_eq!(text.matches('\n').count(), 3);
    assert_eq!(lines(&rec).len(), 3);
    // A line truly cut is still refused.
    std::fs::write(&rec, &text[..text.len() - 40]).unwrap();
    let (c, err) = fails(&["record", "check", r]);
    assert_eq!(c, 3);
    assert!(err.contains(":3:1: line 3 is cut short"), "{err}");
}

#[test]
fn a_visit_after_today_is_not_recorded() {
    let dir = tempfile::tempdir().unwrap();
    let rec = first_two(dir.path());
    let r = rec.to_str().unwrap();
    let before = std::fs::read(&rec).unwrap();
    let out = gh(&[
        "titrate",
        "--weight-kg",
        "27",
        "--as-of",
        "2027-01-10",
        "--record",
        r,
    ])
    .env("GH_DOSE_TODAY", "2026-12-01")
    .output()
    .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.starts_with("error: --as-of 2027-01-10 is after today (2026-12-01)"),
        "{err}"
    );
    assert_eq!(std::fs::read(&rec).unwrap(), before);
    // Without a record, a future date is a question, not a write: answered.
    let out = gh(&[
        "titrate",
        "--indication",
        "turner",
        "--weight-kg",
        "27",
        "--current-mg-per-week",
        "7",
        "--as-of",
        "2027-01-10",
        "--format",
        "json",
    ])
    .env("GH_DOSE_TODAY", "2026-12-01")
    .output()
    .unwrap();
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
}

#[test]
fn a_json_request_names_a_record_only_under_records_dir() {
    let dir = tempfile::tempdir().unwrap();
    let target = dir.path().join("anywhere.jsonl");
    let req = dir.path().join("req.json");
    std::fs::write(
        &req,
        format!(
            "{{\"command\":\"start\",\"indication\":\"turner\",\"sex\":\"female\",\"birth_date\":\"2018-03-01\",\"weight_kg\":24,\"record\":{}}}",
            Value::String(target.to_str().unwrap().into())
        ),
    )
    .unwrap();
    let (c, err) = fails(&["start", "--input", req.to_str().unwrap()]);
    assert_eq!(c, 2, "{err}");
    assert!(err.contains("may not name a record"), "{err}");
    assert!(!target.exists());
}

#[test]
fn a_large_record_is_read_line_by_line() {
    let dir = tempfile::tempdir().unwrap();
    let rec = first_two(dir.path());
    let one = std::fs::read_to_string(&rec).unwrap();
    let line2 = one.lines().nth(1).unwrap();
    // About 12 MB of visits on the same day.
    let mut text = one.clone();
    while text.len() < 12 << 20 {
        text.push_str(line2);
        text.push('\n');
    }
    std::fs::write(&rec, &text).unwrap();
    let r = rec.to_str().unwrap();
    let out = gh(&["record", "check", r, "--format", "json"])
        .output()
        .unwrap();
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    // One line longer than any visit: refused at its line, not read whole.
    let mut long = one.clone();
    long.push_str(&"x".repeat(100_000));
    long.push('\n');
    std::fs::write(&rec, long).unwrap();
    let (c, err) = fails(&["record", "check", r]);
    assert_eq!(c, 3);
    assert!(err.contains(":3:1: longer than"), "{err}");
}
