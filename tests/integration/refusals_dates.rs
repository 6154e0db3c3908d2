//! Every date within the years 1900-2200 and in the order a visit needs;
//! each refusal one line naming both dates, on every route.

use super::support::{AS_OF, one_error_line};
use super::{fails, gh};
use serde_json::{Value, json};

/// The date fields of the JSON contract (`format: date` in the schema).
const DATE_KEYS: [&str; 9] = [
    "as_of",
    "birth_date",
    "igf1_date",
    "last_dose_change",
    "last_injection",
    "previous_height_date",
    "treatment_start",
    "earliest",
    "latest",
];

/// A request's fields as command-line flags: `weight_kg: 30` is
/// `--weight-kg 30`, `pubertal: true` is `--pubertal`.
fn flags_of(command: &str, request: &Value) -> Vec<String> {
    let mut args = vec![command.to_string()];
    for (k, v) in request.as_object().unwrap() {
        args.push(format!("--{}", k.replace('_', "-")));
        match v {
            Value::Bool(true) => {}
            Value::String(s) => args.push(s.clone()),
            other => args.push(other.to_string()),
        }
    }
    args
}

/// A message template with `{field}` spelled for the command line or JSON.
fn spelled(template: &str, flags: bool) -> String {
    let mut out = template.to_string();
    for key in DATE_KEYS {
        let name = if flags {
            format!("--{}", key.replace('_', "-"))
        } else {
            key.to_string()
        };
        out = out.replace(&format!("{{{key}}}"), &name);
    }
    out
}

/// A child's visit on daily somatropin with its IGF-1 SDS, plus `extra`.
fn child_visit(extra: Value) -> Value {
    let mut v = json!({
        "indication": "ghd", "weight_kg": 30, "current_mg_per_week": 7,
        "igf1_sds": 0, "as_of": AS_OF
    });
    v.as_object_mut()
        .unwrap()
        .extend(extra.as_object().unwrap().clone());
    v
}

/// An adult on weekly Sogroya, plus `extra`.
fn weekly_visit(extra: Value) -> Value {
    let mut v = json!({
        "indication": "adult-ghd", "age_years": 50, "product": "sogroya",
        "current_mg_per_week": 1.5, "igf1_sds": -0.8, "as_of": AS_OF
    });
    v.as_object_mut()
        .unwrap()
        .extend(extra.as_object().unwrap().clone());
    v
}

/// Every date pair a visit can get wrong, with the one line that refuses it.
fn date_pairs() -> Vec<(Value, &'static str)> {
    vec![
        (
            child_visit(json!({"birth_date": "2026-11-23"})),
            "{birth_date} 2026-11-23 is after the as-of date 2026-11-22 (the birth date must be on or before the as-of date)",
        ),
        (
            child_visit(json!({"previous_height_cm": 120, "previous_height_date": "2026-11-22"})),
            "{previous_height_date} 2026-11-22 must be before the current height's date 2026-11-22 (the as-of date)",
        ),
        (
            child_visit(json!({"previous_height_cm": 120, "previous_height_date": "2026-12-01"})),
            "{previous_height_date} 2026-12-01 must be before the current height's date 2026-11-22 (the as-of date)",
        ),
        (
            child_visit(json!({"igf1_date": "2026-11-23"})),
            "{igf1_date} 2026-11-23 is after the as-of date 2026-11-22 (dates must be on or before the as-of date)",
        ),
        (
            child_visit(json!({"birth_date": "2018-03-01", "igf1_date": "2018-02-01"})),
            "{igf1_date} 2018-02-01 is before {birth_date} 2018-03-01",
        ),
        (
            weekly_visit(json!({"igf1_date": "2026-11-15", "last_injection": "2026-11-16"})),
            "{igf1_date} 2026-11-15 is before {last_injection} 2026-11-16",
        ),
        (
            child_visit(json!({"last_dose_change": "2026-11-23"})),
            "{last_dose_change} 2026-11-23 is after the as-of date 2026-11-22 (dates must be on or before the as-of date)",
        ),
        (
            weekly_visit(json!({"last_injection": "2026-11-23"})),
            "{last_injection} 2026-11-23 is after the as-of date 2026-11-22 (dates must be on or before the as-of date)",
        ),
        (
            child_visit(json!({"treatment_start": "2026-11-23"})),
            "{treatment_start} 2026-11-23 is after the as-of date 2026-11-22 (dates must be on or before the as-of date)",
        ),
        (
            child_visit(json!({"birth_date": "2018-03-01", "treatment_start": "2018-01-01"})),
            "{treatment_start} 2018-01-01 is before {birth_date} 2018-03-01",
        ),
        (
            child_visit(json!({"treatment_start": "2025-06-01", "last_dose_change": "2025-05-31"})),
            "{last_dose_change} 2025-05-31 is before {treatment_start} 2025-06-01: the dose cannot change before treatment started",
        ),
        (
            child_visit(json!({"treatment_start": "2025-06-01", "igf1_date": "2025-05-01"})),
            "{igf1_date} 2025-05-01 is before {treatment_start} 2025-06-01: the sample does not reflect treatment",
        ),
        (
            child_visit(json!({"igf1_date": "2026-10-01", "last_dose_change": "2026-10-10"})),
            "{igf1_date} 2026-10-01 is before {last_dose_change} 2026-10-10: the sample does not reflect the current dose",
        ),
    ]
}

#[test]
fn every_date_pair_is_refused_in_one_line_naming_both_dates() {
    for (request, template) in date_pairs() {
        let args = flags_of("titrate", &request);
        let args: Vec<&str> = args.iter().map(String::as_str).collect();
        let (code, err) = fails(&args);
        assert_eq!(code, 2, "{args:?}: {err}");
        let line = one_error_line(err.as_bytes(), &format!("{args:?}"));
        assert_eq!(line, format!("error: {}", spelled(template, true)));
    }
}

#[test]
fn every_date_pair_is_refused_in_a_batch_line_naming_both_dates() {
    let cases = date_pairs();
    let input: String = cases
        .iter()
        .map(|(r, _)| {
            let mut r = r.clone();
            r["command"] = json!("titrate");
            format!("{r}\n")
        })
        .collect();
    let out = gh(&["batch", "-"]).write_stdin(input).output().unwrap();
    assert_eq!(out.status.code(), Some(2));
    let text = String::from_utf8(out.stdout).unwrap();
    assert_eq!(text.lines().count(), cases.len());
    for (line, (_, template)) in text.lines().zip(&cases) {
        let v: Value = serde_json::from_str(line).unwrap();
        let want = spelled(template, false);
        assert_eq!(v["error"]["message"], want.as_str(), "{line}");
        let field = want.split(' ').next().unwrap();
        assert_eq!(v["error"]["field"], field, "{line}");
    }
}

#[test]
fn dates_in_a_consistent_order_are_accepted() {
    let request = child_visit(json!({
        "birth_date": "2018-01-01", "treatment_start": "2024-01-01",
        "last_dose_change": "2025-01-01", "igf1_date": "2026-11-01",
        "previous_height_cm": 120, "height_cm": 126, "previous_height_date": "2026-05-01",
        "format": "json"
    }));
    let args = flags_of("titrate", &request);
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    let out = gh(&args).output().unwrap();
    assert_eq!(out.status.code(), Some(0), "{out:?}");
    // Everything on the birth date and on the as-of date is in order too.
    let request = weekly_visit(json!({
        "igf1_date": AS_OF, "last_injection": AS_OF, "last_dose_change": AS_OF,
        "format": "json"
    }));
    let args = flags_of("titrate", &request);
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    assert_eq!(gh(&args).output().unwrap().status.code(), Some(0));
}

/// The date flags of titrate, each with a value that makes it valid.
const DATE_FLAGS: [&str; 7] = [
    "--as-of",
    "--birth-date",
    "--igf1-date",
    "--last-dose-change",
    "--last-injection",
    "--treatment-start",
    "--previous-height-date",
];

#[test]
fn dates_outside_the_years_1900_2200_are_refused_on_the_command_line() {
    for flag in DATE_FLAGS {
        for bad in ["0000-01-01", "9999-12-31", "1899-12-31", "2201-01-01"] {
            let mut args = vec![
                "titrate",
                "--indication",
                "ghd",
                "--weight-kg",
                "30",
                "--current-mg-per-week",
                "7",
                flag,
                bad,
            ];
            if flag != "--as-of" {
                args.extend(["--as-of", AS_OF]);
            }
            if flag == "--previous-height-date" {
                args.extend(["--previous-height-cm", "120"]);
            }
            let (code, err) = fails(&args);
            assert_eq!(code, 2, "{args:?}: {err}");
            assert_eq!(
                one_error_line(err.as_bytes(), flag),
                format!(
                    "error: invalid value '{bad}' for '{flag} <DATE>': expected a date in the years 1900-2200"
                )
            );
        }
    }
    // Every place that takes a decision date: before the command, start, batch.
    for args in [
        &[
            "--as-of",
            "9999-12-31",
            "start",
            "--indication",
            "ghd",
            "--weight-kg",
            "30",
        ][..],
        &[
            "start",
            "--indication",
            "ghd",
            "--weight-kg",
            "30",
            "--as-of",
            "0000-01-01",
        ],
        &["batch", "--as-of", "9999-12-31", "-"],
    ] {
        let (code, err) = fails(args);
        assert_eq!(code, 2, "{args:?}: {err}");
        assert!(
            one_error_line(err.as_bytes(), "as-of").contains("expected a date in the years"),
            "{args:?}: {err}"
        );
    }
}

#[test]
fn dates_outside_the_years_are_refused_from_json_and_batch_lines() {
    for key in DATE_KEYS.iter().take(7) {
        for bad in ["0000-01-01", "9999-12-31", "+10000-01-01"] {
            let mut request = child_visit(json!({}));
            request[*key] = json!(bad);
            if *key == "previous_height_date" {
                request["previous_height_cm"] = json!(120);
            }
            let want = format!(
                "{key} {bad} is outside the years 1900-2200 (dates are YYYY-MM-DD within them)"
            );
            let out = gh(&["titrate", "--input", "-"])
                .write_stdin(request.to_string())
                .output()
                .unwrap();
            assert_eq!(out.status.code(), Some(2), "{request}");
            assert!(out.stdout.is_empty());
            // chrono reads "+10000-01-01" as the year 10000 and writes it back so.
            assert_eq!(one_error_line(&out.stderr, key), format!("error: {want}"));
            request["command"] = json!("titrate");
            let out = gh(&["batch", "-"])
                .write_stdin(format!("{request}\n"))
                .output()
                .unwrap();
            assert_eq!(out.status.code(), Some(2), "{request}");
            let v: Value = serde_json::from_slice(&out.stdout).unwrap();
            assert_eq!(v["error"]["field"], *key);
            assert_eq!(v["error"]["message"], want.as_str());
        }
    }
}

/// Every date the output writes is YYYY-MM-DD, as the schema says.
fn dates_are_yyyy_mm_dd(v: &Value, at: &str) {
    match v {
        Value::Object(map) => {
            for (k, x) in map {
                if let (true, Value::String(s)) = (DATE_KEYS.contains(&k.as_str()), x) {
                    let b = s.as_bytes();
                    let shape = b.len() == 10
                        && b[4] == b'-'
                        && b[7] == b'-'
                        && s.chars().filter(char::is_ascii_digit).count() == 8;
                    assert!(shape, "{at}.{k}: {s}");
                }
                dates_are_yyyy_mm_dd(x, &format!("{at}.{k}"));
            }
        }
        Value::Array(items) => items.iter().for_each(|x| dates_are_yyyy_mm_dd(x, at)),
        _ => {}
    }
}

#[test]
fn the_edges_of_the_years_are_accepted_and_written_as_yyyy_mm_dd() {
    for (as_of, birth) in [("1900-01-01", "1900-01-01"), ("2200-12-31", "2190-06-30")] {
        let request = child_visit(json!({
            "as_of": as_of, "birth_date": birth, "igf1_date": as_of,
            "last_dose_change": birth, "format": "json", "confirm": "weight"
        }));
        let args = flags_of("titrate", &request);
        let args: Vec<&str> = args.iter().map(String::as_str).collect();
        let out = gh(&args).output().unwrap();
        assert_eq!(out.status.code(), Some(0), "{out:?}");
        let v: Value = serde_json::from_slice(&out.stdout).unwrap();
        assert_eq!(v["as_of"], as_of);
        assert!(v["recommendation"]["next_review"].is_object(), "{v}");
        dates_are_yyyy_mm_dd(&v, "");
        let start = [
            "start",
            "--indication",
            "turner",
            "--weight-kg",
            "24",
            "--as-of",
            as_of,
            "--format",
            "json",
        ];
        let out = gh(&start).output().unwrap();
        assert_eq!(out.status.code(), Some(0));
        dates_are_yyyy_mm_dd(&serde_json::from_slice(&out.stdout).unwrap(), "");
    }
}
