//! Values and streams a script or a clinician can get wrong: every date
//! within the years the output can write and in the order a visit needs,
//! output that cannot be written, errors on one line, and the environment.

use super::{fails, gh};
use serde_json::{Value, json};
use std::fs::File;
use std::io::{BufRead, BufReader, Write};
use std::process::Stdio;

const AS_OF: &str = "2026-11-22";

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

/// Asserts that stderr is exactly one line starting with `error: ` and free
/// of control characters, and returns it without its newline.
fn one_error_line(stderr: &[u8], what: &str) -> String {
    let err = String::from_utf8_lossy(stderr).to_string();
    assert!(err.starts_with("error: "), "{what}: {err:?}");
    assert!(err.ends_with('\n'), "{what}: {err:?}");
    assert_eq!(err.matches('\n').count(), 1, "{what}: {err:?}");
    let line = err.trim_end_matches('\n');
    assert!(!line.chars().any(char::is_control), "{what}: {err:?}");
    line.to_string()
}

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
            "last_dose_change": birth, "format": "json"
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

/// `gh-dose ARGS` as a plain process, for stdout redirections, with the
/// same clean environment as `gh`.
fn bin(args: &[String]) -> std::process::Command {
    let mut cmd = std::process::Command::new(env!("CARGO_BIN_EXE_gh-dose"));
    for var in [
        "NO_COLOR",
        "CLICOLOR_FORCE",
        "CLICOLOR",
        "GH_DOSE_RULES",
        "GH_DOSE_PRODUCTS",
        "COLUMNS",
        "LINES",
    ] {
        cmd.env_remove(var);
    }
    cmd.args(args).stderr(Stdio::piped());
    cmd
}

/// Runs `args` with `stdin` and the given stdout; returns the exit code and stderr.
fn run(args: &[String], stdin: Option<&str>, stdout: Stdio) -> (i32, Vec<u8>) {
    let mut child = bin(args)
        .stdin(if stdin.is_some() {
            Stdio::piped()
        } else {
            Stdio::null()
        })
        .stdout(stdout)
        .spawn()
        .unwrap();
    if let Some(text) = stdin {
        let mut w = child.stdin.take().unwrap();
        let _ = w.write_all(text.as_bytes());
    }
    let out = child.wait_with_output().unwrap();
    (out.status.code().unwrap(), out.stderr)
}

/// One invocation of each command family: its arguments, its stdin and the
/// code it ends with when its output is read (or the reader goes away).
struct Family {
    args: Vec<String>,
    stdin: Option<&'static str>,
    code: i32,
}

fn families() -> Vec<Family> {
    let rules = concat!(env!("CARGO_MANIFEST_DIR"), "/data/indications.toml");
    let start = "start --indication turner --weight-kg 24 --as-of 2026-11-22";
    let titrate = "titrate --indication ghd --weight-kg 30 --current-mg-per-week 7 --igf1-sds 0 --as-of 2026-11-22";
    let batch_in = concat!(
        r#"{"command": "start", "indication": "turner", "weight_kg": 24, "as_of": "2026-11-22"}"#,
        "\n"
    );
    let csv_in = "command,indication,weight_kg,as_of\nstart,turner,24,2026-11-22\n";
    let request = r#"{"indication": "turner", "weight_kg": 24}"#;
    let runs: Vec<(String, Option<&'static str>, i32)> = vec![
        (format!("{start} --format json"), None, 0),
        (format!("{start} --format human"), None, 0),
        (
            format!("{start} --format json --condition active-malignancy"),
            None,
            4,
        ),
        (format!("{titrate} --format json"), None, 0),
        (format!("{titrate} --format human"), None, 0),
        (
            "start --input - --as-of 2026-11-22 --format json".into(),
            Some(request),
            0,
        ),
        ("indications --format human".into(), None, 0),
        ("indications --format json".into(), None, 0),
        ("products --format human".into(), None, 0),
        ("products --format json".into(), None, 0),
        ("rules show".into(), None, 0),
        ("rules show products".into(), None, 0),
        (format!("rules check {rules} --format json"), None, 0),
        ("schema".into(), None, 0),
        ("completions bash".into(), None, 0),
        ("man".into(), None, 0),
        ("--help".into(), None, 0),
        ("--version".into(), None, 0),
        ("start --help".into(), None, 0),
        ("help titrate".into(), None, 0),
        ("batch -".into(), Some(batch_in), 0),
        ("batch --input-format csv -".into(), Some(csv_in), 0),
    ];
    runs.into_iter()
        .map(|(args, stdin, code)| Family {
            args: args.split(' ').map(String::from).collect(),
            stdin,
            code,
        })
        .collect()
}

#[test]
fn every_family_runs_with_its_code_when_read() {
    for f in families() {
        let (code, err) = run(&f.args, f.stdin, Stdio::piped());
        assert_eq!(
            code,
            f.code,
            "{:?}: {}",
            f.args,
            String::from_utf8_lossy(&err)
        );
        assert!(
            err.is_empty(),
            "{:?}: {}",
            f.args,
            String::from_utf8_lossy(&err)
        );
    }
}

#[test]
fn output_to_a_full_device_is_exit_1_with_one_line() {
    for f in families() {
        let full = File::create("/dev/full").unwrap();
        let (code, err) = run(&f.args, f.stdin, Stdio::from(full));
        let line = one_error_line(&err, &format!("{:?}", f.args));
        assert_eq!(code, 1, "{:?}: {line}", f.args);
        assert!(
            line.starts_with("error: cannot write output: "),
            "{:?}: {line}",
            f.args
        );
    }
}

#[test]
fn output_to_a_read_only_stdout_is_exit_1_with_one_line() {
    for f in families() {
        // Open for reading only: every write fails (EBADF), which the
        // standard stdout handle would report as success.
        let read_only = File::open("/dev/null").unwrap();
        let (code, err) = run(&f.args, f.stdin, Stdio::from(read_only));
        let line = one_error_line(&err, &format!("{:?}", f.args));
        assert_eq!(code, 1, "{:?}: {line}", f.args);
        assert!(
            line.starts_with("error: cannot write output: "),
            "{:?}: {line}",
            f.args
        );
    }
}

#[test]
fn a_pipe_closed_before_any_output_is_quiet_with_the_commands_code() {
    for f in families() {
        // The reader is gone before gh-dose writes: every write is EPIPE.
        let (reader, writer) = std::io::pipe().unwrap();
        drop(reader);
        let (code, err) = run(&f.args, f.stdin, Stdio::from(writer));
        assert_eq!(
            code,
            f.code,
            "{:?}: {}",
            f.args,
            String::from_utf8_lossy(&err)
        );
        assert!(
            err.is_empty(),
            "{:?}: {}",
            f.args,
            String::from_utf8_lossy(&err)
        );
    }
}

/// Reads one line of `args`' output, closes the pipe and waits, as
/// `gh-dose ... | head -1` does; returns the code and stderr.
fn head_1(args: &[String], stdin: Option<String>) -> (i32, String) {
    let mut child = bin(args)
        .stdin(if stdin.is_some() {
            Stdio::piped()
        } else {
            Stdio::null()
        })
        .stdout(Stdio::piped())
        .spawn()
        .unwrap();
    let writer = stdin.map(|text| {
        let mut w = child.stdin.take().unwrap();
        std::thread::spawn(move || {
            let _ = w.write_all(text.as_bytes());
        })
    });
    let mut first = String::new();
    BufReader::new(child.stdout.take().unwrap())
        .read_line(&mut first)
        .unwrap();
    assert!(!first.is_empty(), "{args:?}: no output");
    let out = child.wait_with_output().unwrap();
    if let Some(w) = writer {
        let _ = w.join();
    }
    (
        out.status.code().unwrap(),
        String::from_utf8_lossy(&out.stderr).to_string(),
    )
}

/// `n` batch lines after `first`.
fn batch_input(first: &str, n: usize) -> String {
    let good =
        r#"{"command": "start", "indication": "turner", "weight_kg": 24, "as_of": "2026-11-22"}"#;
    let mut text = format!("{first}\n");
    for _ in 0..n {
        text.push_str(good);
        text.push('\n');
    }
    text
}

#[test]
fn reading_one_line_then_closing_the_pipe_is_quiet() {
    for f in families() {
        let (code, err) = head_1(&f.args, f.stdin.map(String::from));
        assert_eq!(code, f.code, "{:?}: {err}", f.args);
        assert!(err.is_empty(), "{:?}: {err}", f.args);
    }
    // Larger than any pipe buffer: the reader surely leaves first.
    let args: Vec<String> = ["batch", "-"].map(String::from).to_vec();
    let good =
        r#"{"command": "start", "indication": "turner", "weight_kg": 24, "as_of": "2026-11-22"}"#;
    let (code, err) = head_1(&args, Some(batch_input(good, 5_000)));
    assert_eq!((code, err.as_str()), (0, ""));
}

#[test]
fn a_batch_with_a_failing_line_exits_2_when_the_pipe_closes() {
    let bad = r#"{"command": "start", "indication": "turner", "weight_kg": -5}"#;
    let args: Vec<String> = ["batch", "-"].map(String::from).to_vec();
    let (code, err) = head_1(&args, Some(batch_input(bad, 5_000)));
    assert_eq!((code, err.as_str()), (2, ""));
    let (reader, writer) = std::io::pipe().unwrap();
    drop(reader);
    let (code, err) = run(&args, Some(&batch_input(bad, 5_000)), Stdio::from(writer));
    assert_eq!(code, 2, "{}", String::from_utf8_lossy(&err));
    assert!(err.is_empty());
    // And to a full device: the output error wins (1).
    let full = File::create("/dev/full").unwrap();
    let (code, err) = run(&args, Some(&batch_input(bad, 10)), Stdio::from(full));
    assert_eq!(code, 1);
    assert!(one_error_line(&err, "batch").starts_with("error: cannot write output: "));
}

/// A file holding `text`, kept while the returned handle lives.
fn file_with(text: &[u8], suffix: &str) -> tempfile::NamedTempFile {
    let mut f = tempfile::Builder::new().suffix(suffix).tempfile().unwrap();
    f.write_all(text).unwrap();
    f
}

#[test]
fn every_error_on_the_flag_route_is_one_line() {
    let bad_toml = file_with(b"schema_version = 1\n[[indications]]\nid = \n", ".toml");
    let bad_toml = bad_toml.path().to_str().unwrap().to_string();
    let dir = env!("CARGO_MANIFEST_DIR");
    let cases: Vec<(Vec<&str>, i32)> = vec![
        (vec![], 2),
        (vec!["rules"], 2),
        (vec!["--format", "json"], 2),
        (vec!["strt"], 2),
        (vec!["start", "--wieght-kg", "3"], 2),
        (vec!["start", "--indication", "ghd", "--weight-kg"], 2),
        (
            vec![
                "start",
                "--indication",
                "ghd",
                "--weight-kg",
                "24",
                "--weight-lb",
                "50",
            ],
            2,
        ),
        (vec!["start", "--format", "xml", "--indication", "ghd"], 2),
        (vec!["start"], 2),
        (
            vec!["titrate", "--indication", "ghd", "--igf1-unit", "g/l"],
            2,
        ),
        (vec!["start", "--weight", "24"], 2),
        (
            vec!["start", "--indication", "ghd", "--weight-kg", "1\n2"],
            2,
        ),
        (
            vec!["start", "--indication", "tur\nner", "--weight-kg", "24"],
            2,
        ),
        (
            vec!["start", "--indication", "\u{1b}[2J\r", "--weight-kg", "24"],
            2,
        ),
        (vec!["start", "--indication", "ghd", "--weight-kg", "-5"], 2),
        (
            vec![
                "start",
                "--indication",
                "ghd",
                "--weight-kg",
                "24",
                "--as-of",
                "9999-12-31",
            ],
            2,
        ),
        (
            vec![
                "start",
                "--indication",
                "ghd",
                "--weight-kg",
                "24",
                "--rules",
                "/no/such\ndir/r.toml",
            ],
            3,
        ),
        (
            vec![
                "start",
                "--indication",
                "ghd",
                "--weight-kg",
                "24",
                "--rules",
                dir,
            ],
            3,
        ),
        (vec!["rules", "check", &bad_toml], 3),
        (
            vec![
                "start",
                "--indication",
                "ghd",
                "--weight-kg",
                "24",
                "--products",
                &bad_toml,
            ],
            3,
        ),
        (vec!["start", "--input", "/no/such\nfile.json"], 2),
        (vec!["batch", "/no/such\nfile.jsonl"], 2),
        (vec!["completions", "zsh2"], 2),
        (
            vec![
                "titrate",
                "--indication",
                "adult-ghd",
                "--age-years",
                "45",
                "--current-mg-per-day",
                "0.3",
                "--igf1",
                "150",
                "--igf1-reference",
                "/no/such\nref.toml",
            ],
            3,
        ),
    ];
    for (args, want) in cases {
        let (code, err) = fails(&args);
        assert_eq!(code, want, "{args:?}: {err}");
        one_error_line(err.as_bytes(), &format!("{args:?}"));
    }
}

#[test]
fn every_error_on_the_input_route_is_one_line() {
    let requests: Vec<(&str, &[u8])> = vec![
        ("start", b"not json"),
        ("start", b""),
        ("start", b"[1, 2]"),
        ("start", b"{\n  \"indication\": \"ghd\",\n  \"weight_kg\": \"a\\nb\"\n}"),
        ("start", b"{\"indication\": \"ghd\", \"weight_kg\": 24, \"wei\\nght\": 1}"),
        ("start", b"{\"indication\": \"ghd\\u001b[2J\", \"weight_kg\": 24}"),
        ("start", b"{\"indication\": \"ghd\", \"weight_kg\": 24, \"sex\": \"f\\r\\n\"}"),
        ("start", b"{\"indication\": \"ghd\", \"weight_kg\": 24, \"as_of\": \"9999-12-31\"}"),
        ("start", b"{\"indication\": \"ghd\", \"weight_kg\": 24, \"birth_date\": \"2026-02-30\"}"),
        ("start", b"{\"indication\": \"ghd\", \"weight_kg\": 24}\n{\"second\": 1}"),
        ("start", b"\xff\xfe not utf-8"),
        ("titrate", b"{\"indication\": \"ghd\", \"weight_kg\": 30, \"current_mg_per_week\": 7, \"igf1_date\": \"2026-12-01\", \"as_of\": \"2026-11-22\"}"),
        ("titrate", b"{\"indication\": \"adult-ghd\", \"age_years\": 45, \"current_mg_per_day\": 0.3, \"igf1\": 150, \"igf1_reference\": \"/no/such\\nref.toml\"}"),
    ];
    for (command, stdin) in requests {
        let out = gh(&[command, "--input", "-"])
            .write_stdin(stdin.to_vec())
            .output()
            .unwrap();
        let what = String::from_utf8_lossy(stdin).to_string();
        assert!(matches!(out.status.code(), Some(2 | 3)), "{what}: {out:?}");
        assert!(out.stdout.is_empty(), "{what}");
        one_error_line(&out.stderr, &what);
    }
    // The same from a file.
    let f = file_with(b"{\n\"indication\": 7\n}", ".json");
    let (code, err) = fails(&["start", "--input", f.path().to_str().unwrap()]);
    assert_eq!(code, 2);
    one_error_line(err.as_bytes(), "file");
}
