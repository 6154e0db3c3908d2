//! `--rules`, `rules check` and `rules show`: a clinic protocol replaces the
//! built-in tables; a bad file exits 3 with file:line:col.

use super::{fails, gh, json};
use std::io::Write;

const BUILT_IN: &str = include_str!("../../data/indications.toml");

fn write(text: &str) -> tempfile::NamedTempFile {
    let mut f = tempfile::Builder::new().suffix(".toml").tempfile().unwrap();
    f.write_all(text.as_bytes()).unwrap();
    f
}

fn line_of(text: &str, needle: &str) -> usize {
    text.lines().position(|l| l.contains(needle)).unwrap() + 1
}

#[test]
fn a_protocol_file_replaces_the_built_in_tables() {
    // A clinic that starts Turner syndrome at 0.35 mg/kg/week.
    let text = BUILT_IN
        .replacen(
            "start_mg_per_kg_week = 0.33",
            "start_mg_per_kg_week = 0.35",
            1,
        )
        .replacen("version = \"2026.11\"", "version = \"clinic-7\"", 1);
    let f = write(&text);
    let path = f.path().to_str().unwrap();
    let (code, v) = json(&[
        "start",
        "--indication",
        "turner",
        "--weight-kg",
        "24",
        "--rules",
        path,
    ]);
    assert_eq!(code, 0);
    assert_eq!(v["recommendation"]["dose"]["mg_per_week"], 8.4);
    assert_eq!(v["rules"]["source"], path);
    assert_eq!(v["rules"]["version"], "clinic-7");
    // The environment variable works the same way.
    let out = gh(&[
        "start",
        "--indication",
        "turner",
        "--weight-kg",
        "24",
        "--format",
        "json",
    ])
    .env("GH_DOSE_RULES", path)
    .output()
    .unwrap();
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v["rules"]["version"], "clinic-7");
    // rules show prints the file in use.
    let out = gh(&["rules", "show", "--rules", path]).output().unwrap();
    assert_eq!(String::from_utf8(out.stdout).unwrap(), text);
}

#[test]
fn a_bad_rule_file_exits_3_with_file_line_col() {
    let text = BUILT_IN.replacen(
        "mg_per_kg_week = { min = 0.33, max = 0.45 }",
        "mg_per_kg_week = { min = 0.55, max = 0.45 }",
        1,
    );
    let f = write(&text);
    let path = f.path().to_str().unwrap();
    let line = line_of(&text, "min = 0.55, max = 0.45");
    let want =
        format!("error: {path}:{line}:18: turner mg_per_kg_week: min (0.55) exceeds max (0.45)");
    for args in [
        vec![
            "start",
            "--indication",
            "turner",
            "--weight-kg",
            "24",
            "--rules",
            path,
        ],
        vec!["rules", "check", path],
        vec!["indications", "--rules", path],
    ] {
        let (code, err) = fails(&args);
        assert_eq!(code, 3, "{args:?}");
        assert_eq!(err.trim_end(), want, "{args:?}");
    }
}

#[test]
fn unknown_keys_and_syntax_errors_exit_3() {
    let text = BUILT_IN.replacen(
        "ceiling_note = \"Norditropin",
        "ceiling_notes = \"Norditropin",
        1,
    );
    let f = write(&text);
    let path = f.path().to_str().unwrap();
    let (code, err) = fails(&["rules", "check", path]);
    assert_eq!(code, 3);
    let line = line_of(&text, "ceiling_notes");
    assert!(
        err.starts_with(&format!(
            "error: {path}:{line}:1: unknown field `ceiling_notes`"
        )),
        "{err}"
    );

    let f = write("schema_version = 1\nname = \"x\nversion = \"1\"\n");
    let path = f.path().to_str().unwrap();
    let (code, err) = fails(&["rules", "check", path]);
    assert_eq!(code, 3);
    assert!(err.starts_with(&format!("error: {path}:2:")), "{err}");
    assert_eq!(err.lines().count(), 1, "{err}");
}

#[test]
fn a_missing_rule_file_exits_3() {
    let (code, err) = fails(&[
        "start",
        "--indication",
        "ghd",
        "--weight-kg",
        "20",
        "--rules",
        "/no/such/rules.toml",
    ]);
    assert_eq!(code, 3);
    assert!(
        err.starts_with("error: /no/such/rules.toml: cannot read table file:"),
        "{err}"
    );
}

#[test]
fn rules_check_accepts_the_built_in_file() {
    let f = write(BUILT_IN);
    let path = f.path().to_str().unwrap();
    let out = gh(&["rules", "check", path, "--format", "human"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0));
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(
        text.starts_with(&format!(
            "{path}: ok - gh-dose default rule set 2026.11 (10 indications"
        )),
        "{text}"
    );
    let (code, v) = json(&["rules", "check", path]);
    assert_eq!(code, 0);
    assert_eq!(v["valid"], true);
    assert_eq!(v["kind"], "indications");
    assert_eq!(v["ids"].as_array().unwrap().len(), 10);
}
