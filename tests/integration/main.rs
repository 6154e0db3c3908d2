//! The one integration-test binary: the command line end to end, the JSON
//! contract, rule-table rows against their sources, snapshots, properties.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod arbitrary_input;
mod brief;
mod cli;
mod contract;
mod course;
mod course_props;
mod csv_input;
mod delivered;
mod desk;
mod error_lines;
mod fhir;
mod growth_cmd;
mod growth_dosing;
mod growth_files;
mod growth_tables;
mod igf1_input;
mod json_input;
mod labelled_ages;
mod options;
mod overshoot;
mod products;
mod props;
mod props_tables;
mod readme;
mod records;
mod refusals_dates;
mod refusals_files;
mod refusals_numbers;
mod rules_files;
mod rules_outside_label;
mod safety;
mod scripting;
#[cfg(feature = "serve")]
mod serve;
mod snapshots;
mod sources;
mod streams;
mod support;
mod table;
mod terminal;
mod titrate;
mod transitions;

use assert_cmd::Command;

/// `gh-dose` with a fixed environment: no colour or width variables, no table overrides.
pub fn gh(args: &[&str]) -> Command {
    let mut cmd = assert_cmd::cargo::cargo_bin_cmd!("gh-dose");
    cmd.env_remove("NO_COLOR")
        .env_remove("CLICOLOR_FORCE")
        .env_remove("CLICOLOR")
        .env_remove("GH_DOSE_RULES")
        .env_remove("GH_DOSE_PRODUCTS")
        // clap wraps --help to COLUMNS when it is set: keep snapshots stable.
        .env_remove("COLUMNS")
        .env_remove("LINES")
        // Today, for the record's "no visit after today": the courses of
        // the tests run into 2027.
        .env("GH_DOSE_TODAY", "2027-12-31")
        .args(args);
    cmd
}

/// Runs `gh-dose ARGS --format json` (and `--as-of 2026-11-22` for the
/// dosing commands) and parses stdout.
pub fn json(args: &[&str]) -> (i32, serde_json::Value) {
    let mut all = args.to_vec();
    all.extend(["--format", "json"]);
    if matches!(args.first(), Some(&"start" | &"titrate")) {
        all.extend(["--as-of", "2026-11-22"]);
    }
    let out = gh(&all).output().unwrap();
    let code = out.status.code().unwrap();
    let value = serde_json::from_slice(&out.stdout).unwrap_or_else(|e| {
        panic!(
            "stdout is not JSON ({e}): {}",
            String::from_utf8_lossy(&out.stderr)
        )
    });
    (code, value)
}

/// Runs a command that must fail; returns (exit code, stderr) and checks
/// that nothing reached stdout.
pub fn fails(args: &[&str]) -> (i32, String) {
    let out = gh(args).output().unwrap();
    assert!(
        out.stdout.is_empty(),
        "stdout must be empty on an error: {}",
        String::from_utf8_lossy(&out.stdout)
    );
    (
        out.status.code().unwrap(),
        String::from_utf8(out.stderr).unwrap(),
    )
}

/// `gh-dose ARGS --record REC --format json`, which must succeed: the
/// document (a panic with stderr otherwise).
pub fn on_record(rec: &str, args: &[&str]) -> serde_json::Value {
    let out = gh(&[args, &["--record", rec, "--format", "json"]].concat())
        .output()
        .unwrap();
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).unwrap()
}

/// `gh-dose ARGS --format json` (no date added): the exit code and stdout as
/// JSON (a panic with stderr when stdout is not JSON).
pub fn run_json(args: &[&str]) -> (i32, serde_json::Value) {
    let mut all = args.to_vec();
    all.extend(["--format", "json"]);
    let out = gh(&all).output().unwrap();
    let v = serde_json::from_slice(&out.stdout)
        .unwrap_or_else(|e| panic!("{e}: {}", String::from_utf8_lossy(&out.stderr)));
    (out.status.code().unwrap(), v)
}

/// `gh-dose titrate ARGS --format json --as-of 2026-11-22`.
pub fn titrate(args: &[&str]) -> (i32, serde_json::Value) {
    json(&[&["titrate"], args].concat())
}

/// The flag codes of a JSON document, in output order.
pub fn codes(v: &serde_json::Value) -> Vec<String> {
    v["flags"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["code"].as_str().unwrap().to_string())
        .collect()
}
