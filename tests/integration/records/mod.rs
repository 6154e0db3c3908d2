//! The visit record end to end (docs/record.md): the walk-through, writing,
//! the course, the charts; and the schema checker the record lines are held
//! to.

mod attack;
mod charts;
mod course;
mod facts;
mod life;
mod schema_check;
mod summary;
mod walkthrough;
mod writing;

use serde_json::Value;
use std::path::{Path, PathBuf};

/// Runs a dosing command with `--format json` and its own `--as-of`.
fn run(args: &[&str]) -> (i32, Value) {
    crate::run_json(args)
}

fn lines(path: &Path) -> Vec<Value> {
    std::fs::read_to_string(path)
        .unwrap()
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect()
}

fn count(path: &Path) -> usize {
    std::fs::read_to_string(path).unwrap().lines().count()
}

fn strs(v: &Value) -> Vec<&str> {
    v.as_array()
        .unwrap()
        .iter()
        .map(|x| x.as_str().unwrap())
        .collect()
}

fn why(v: &Value) -> String {
    v["rationale"]
        .as_array()
        .unwrap()
        .iter()
        .map(|l| l.as_str().unwrap())
        .collect::<Vec<_>>()
        .join("\n")
}

/// Visit 1 (start) and visit 2 (IGF-1 +2.6: a reduction) of a Turner girl.
fn first_two(dir: &Path) -> PathBuf {
    let rec = dir.join("p-0042.jsonl");
    let r = rec.to_str().unwrap();
    let (code, v) = run(&[
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
    ]);
    assert_eq!(code, 0, "{v}");
    let (code, v) = run(&[
        "titrate",
        "--weight-kg",
        "26",
        "--height-cm",
        "122",
        "--igf1-sds",
        "2.6",
        "--as-of",
        "2026-07-10",
        "--record",
        r,
    ]);
    assert_eq!(code, 0, "{v}");
    assert_eq!(v["recommendation"]["action"], "decrease");
    assert_eq!(v["recommendation"]["current_dose"]["mg_per_week"], 8.05);
    assert_eq!(
        v["recommendation"]["dose"]["deliverable"]["mg_per_week"],
        7.0
    );
    rec
}

/// A boy with GHD on Norditropin, reduced at visit 2 for IGF-1 +2.8.
fn reduced(dir: &Path) -> PathBuf {
    let rec = dir.join("p.jsonl");
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
        "--height-cm",
        "120",
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
        "26",
        "--height-cm",
        "123",
        "--igf1-sds",
        "2.8",
        "--as-of",
        "2026-07-10",
        "--record",
        r,
    ]);
    assert_eq!(code, 0);
    assert_eq!(v["recommendation"]["action"], "decrease");
    rec
}
