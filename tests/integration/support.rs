//! Helpers shared by the input and refusal tests: a run with stdin and a
//! time limit, JSON lines, temporary files, the one-line error check, and
//! edits of the built-in tables with the position of what was changed.

use super::{fails, gh};
use serde_json::Value;
use std::io::Write;
use std::time::Duration;

pub(crate) const AS_OF: &str = "2026-11-22";

pub(crate) const TURNER: &str =
    r#"{"command":"start","indication":"turner","weight_kg":24,"as_of":"2026-11-22"}"#;

/// A titration with an LMS reference; `REF` is replaced by the path.
pub(crate) const WITH_REF: &str = r#"{"command":"titrate","indication":"adult-ghd","age_years":20,"sex":"male","current_mg_per_day":0.3,"igf1":366.6,"igf1_reference":"REF","as_of":"2026-11-22"}"#;

pub(crate) const EXAMPLE_REF: &str = "data/examples/igf1-lms-synthetic.toml";

pub(crate) const RULES: &str = include_str!("../../data/indications.toml");

pub(crate) const PRODUCTS: &str = include_str!("../../data/products.toml");

/// Runs `gh-dose ARGS` with `stdin`; returns (code, stdout, stderr), and
/// gives up after 60 s (a hang is a failure, not a stuck test run).
pub(crate) fn run(args: &[&str], stdin: impl Into<Vec<u8>>) -> (i32, Vec<u8>, String) {
    let out = gh(args)
        .write_stdin(stdin.into())
        .timeout(Duration::from_secs(60))
        .output()
        .unwrap();
    let code = out.status.code().expect("gh-dose ended without a code");
    (code, out.stdout, String::from_utf8(out.stderr).unwrap())
}

/// Each stdout line as JSON.
pub(crate) fn lines(stdout: &[u8]) -> Vec<Value> {
    std::str::from_utf8(stdout)
        .unwrap()
        .lines()
        .map(|l| serde_json::from_str(l).unwrap_or_else(|e| panic!("{e}: {l}")))
        .collect()
}

pub(crate) fn temp(bytes: &[u8], suffix: &str) -> tempfile::NamedTempFile {
    let mut f = tempfile::Builder::new().suffix(suffix).tempfile().unwrap();
    f.write_all(bytes).unwrap();
    f
}

pub(crate) fn message(v: &Value) -> &str {
    v["error"]["message"]
        .as_str()
        .unwrap_or_else(|| panic!("not an error: {v}"))
}

/// Asserts that stderr is exactly one line starting with `error: ` and free
/// of control characters, and returns it without its newline.
pub(crate) fn one_error_line(stderr: &[u8], what: &str) -> String {
    let err = String::from_utf8_lossy(stderr).to_string();
    assert!(err.starts_with("error: "), "{what}: {err:?}");
    assert!(err.ends_with('\n'), "{what}: {err:?}");
    assert_eq!(err.matches('\n').count(), 1, "{what}: {err:?}");
    let line = err.trim_end_matches('\n');
    assert!(!line.chars().any(char::is_control), "{what}: {err:?}");
    line.to_string()
}

pub(crate) fn write(text: &str) -> tempfile::NamedTempFile {
    let mut f = tempfile::Builder::new().suffix(".toml").tempfile().unwrap();
    f.write_all(text.as_bytes()).unwrap();
    f
}

/// 1-based line and column of a byte offset.
pub(crate) fn line_col(text: &str, offset: usize) -> (usize, usize) {
    let before = &text[..offset];
    let line = before.matches('\n').count() + 1;
    let col = before[before.rfind('\n').map_or(0, |i| i + 1)..]
        .chars()
        .count()
        + 1;
    (line, col)
}

/// `base` with `from` replaced by `to`, and the position of `token` (the
/// bad number) inside the replacement.
pub(crate) fn edit(base: &str, from: &str, to: &str, token: &str) -> (String, (usize, usize)) {
    let at = base
        .find(from)
        .unwrap_or_else(|| panic!("fixture not found: {from}"));
    let text = base.replacen(from, to, 1);
    let within = to.find(token).unwrap();
    (text.clone(), line_col(&text, at + within))
}

/// `gh-dose ARGS` (split on spaces) must fail with `code`; returns stderr.
pub(crate) fn refused(args: &str, code: i32) -> String {
    let args: Vec<&str> = args.split_whitespace().collect();
    let (got, err) = fails(&args);
    assert_eq!(got, code, "{args:?}: {err}");
    err
}

pub(crate) fn batch(stdin: &str, extra: &[&str]) -> (i32, Vec<Value>, String) {
    let mut args = vec!["batch", "--as-of", "2026-11-22"];
    args.extend(extra);
    let out = gh(&args).write_stdin(stdin).output().unwrap();
    let lines = String::from_utf8(out.stdout)
        .unwrap()
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    (
        out.status.code().unwrap(),
        lines,
        String::from_utf8(out.stderr).unwrap(),
    )
}

pub(crate) const ADULT: &[&str] = &[
    "--indication",
    "adult-ghd",
    "--age-years",
    "45",
    "--current-mg-per-day",
    "0.3",
];
